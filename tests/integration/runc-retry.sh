#!/bin/bash
# A path in a page that is not resident at sys_enter (a never-touched file
# mapping) cannot be read by BPF there; it is read again at sys_exit, after
# the kernel faulted it in, and shows up whole.
. "$(dirname "$0")/lib.sh"
require_runc
cat >"$WORK/coldpath.c" <<'C'
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void)
{
	const char path[] = "/tmp/cold-path-target";
	int fd = open("/tmp/cold.bin", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char page[4096] = {0};
	/* The path sits in the third page; the mapping is never touched by us. */
	for (int i = 0; i < 3; i++) {
		if (i == 2)
			memcpy(page, path, sizeof(path));
		write(fd, page, sizeof(page));
	}
	close(open(path, O_CREAT | O_WRONLY, 0644));
	const char *p = mmap(NULL, 3 * 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return 2;
	int t = openat(AT_FDCWD, p + 2 * 4096, O_RDONLY);
	return t >= 0 ? 0 : 1;
}
C
build_static coldpath
require_bpf

ID="og-retry-$$"
run_binary_exits "$ID" coldpath 0
dump_json "$ID" >"$WORK/dump.json"
line=$(jq -c 'select(.comm=="coldpath" and .syscall=="openat" and .args[1].str=="/tmp/cold-path-target" and .args[2].value==0)' "$WORK/dump.json" | tail -1)
[ -n "$line" ] || fail "openat of the cold path not recorded with its path: $(jq -c 'select(.syscall=="openat")' "$WORK/dump.json" | tail -2)"
echo "$line" | jq -e '.args[1].retried == true and .ret >= 0' >/dev/null ||
	fail "the path was not the retried read at sys_exit: $line"
ok "unreadable at enter, read at exit: $(echo "$line" | jq -c .args[1])"
failed=$("$TRACER" --pin-root "$PIN_ROOT" status --json | jq .str_failed)
[ "$failed" -ge 1 ] || fail "status counts no failed string"
ok "status counts $failed string(s) retried"
