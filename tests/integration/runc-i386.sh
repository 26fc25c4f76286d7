#!/bin/bash
# A 32-bit static binary's syscalls are named from the i386 table.
. "$(dirname "$0")/lib.sh"
require_runc
cat >"$WORK/hello32.c" <<'C'
#include <string.h>
#include <unistd.h>
int main(void)
{
	const char msg[] = "hello from i386\n";
	write(1, msg, strlen(msg));
	getppid();
	_exit(5);
}
C
build_static hello32 -m32
# Some kernels are built without 32-bit ELF support (CONFIG_COMPAT_BINFMT_ELF
# off, or ia32_emulation=0): exec fails with ENOEXEC, nothing to record.
"$WORK/hello32" >/dev/null 2>"$WORK/hello32.err" || [ $? = 5 ] ||
	skip "this kernel cannot execute i386 binaries: $(head -1 "$WORK/hello32.err")"
require_bpf

ID="og-i386-$$"
run_binary_exits "$ID" hello32 5

dump_json "$ID" >"$WORK/dump.json"
w=$(jq -c 'select(.comm=="hello32" and .syscall=="write")' "$WORK/dump.json" | head -1)
echo "$w" | jq -e '.arch == "i386" and .nr == 4 and .args[1].str == "hello from i386\n" and .ret == 16' >/dev/null ||
	fail "write not recorded as i386 write (nr 4): $w"
ok "write is i386 nr 4 with its bytes"
jq -e -s 'map(select(.comm=="hello32" and .syscall=="getppid" and .arch=="i386" and .nr==64)) | length == 1' "$WORK/dump.json" >/dev/null ||
	fail "getppid (i386 nr 64) missing"
ok "getppid is i386 nr 64"
jq -e -s 'map(select(.comm=="hello32" and .syscall=="exit_group" and .nr==252 and .args[0].value==5)) | length == 1' "$WORK/dump.json" >/dev/null ||
	fail "exit_group (i386 nr 252) missing"
ok "exit_group(5) is i386 nr 252"
jq -e -s 'map(select(.comm=="hello32" and .arch=="x86_64")) | length == 0' "$WORK/dump.json" >/dev/null ||
	fail "hello32 has x86_64-named syscalls"
ok "no x86_64 names for the 32-bit process"
