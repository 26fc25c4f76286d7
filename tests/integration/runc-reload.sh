#!/bin/bash
# gadget-tracer reload without a silent gap (issue 20, item 4): a runc
# container writes numbered lines as fast as it can (paced to about 50,000
# a second) while the tracer is reloaded five times, then while reloads are
# killed (SIGKILL) at eight points of their course, each followed by a load
# that finishes or undoes what the dead one left; every number is in its
# ring exactly once: no syscall lost between the old programs and the new,
# none recorded by both.
. "$(dirname "$0")/lib.sh"
require_runc
cat >"$WORK/counter.c" <<'EOF'
#include <fcntl.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	struct timespec pause = {0, 2000000};
	int fd = open("/dev/null", O_WRONLY);
	char b[32];

	for (unsigned long i = 1;; i++) {
		int n = snprintf(b, sizeof(b), "%lu\n", i);

		if (fd < 0 || write(fd, b, n) != n)
			return 1;
		if (i % 100)
			continue;
		if (access("/stop", F_OK) == 0) {
			FILE *f = fopen("/count", "w");

			return !f || fprintf(f, "total %lu\n", i) < 0 || fclose(f) != 0;
		}
		nanosleep(&pause, NULL);
	}
}
EOF
build_static counter
require_bpf
RELOADS=5

ID="og-reload-$$"
make_bundle "$WORK/b" '["/counter"]'
cp "$WORK/counter" "$WORK/b/rootfs/counter"
set_annotations "$WORK/b" '{"io.oci-gadget.ring-size": "64MiB"}'
gen0=$("$TRACER" --pin-root "$PIN_ROOT" status --json | jq .generation)
start_container "$ID" "$WORK/b"
sleep 0.5
for i in $(seq $RELOADS); do
	"$TRACER" --pin-root "$PIN_ROOT" reload >"$WORK/reload.out" 2>&1 || fail "reload $i: $(cat "$WORK/reload.out")"
	sleep 0.2
done
for delay in 0.05 0.1 0.15 0.2 0.25 0.3 0.35 0.45; do
	"$TRACER" --pin-root "$PIN_ROOT" reload >/dev/null 2>&1 &
	sleep $delay
	kill -KILL $! 2>/dev/null || true
	wait $! 2>/dev/null || true
	"$TRACER" --pin-root "$PIN_ROOT" load >"$WORK/load.out" 2>&1 || fail "load after a reload killed at ${delay}s: $(cat "$WORK/load.out")"
	for d in links-next progs-next; do
		[ ! -e "$PIN_ROOT/$d" ] || fail "a load left $d after a reload killed at ${delay}s"
	done
done
touch "$WORK/b/rootfs/stop"
stop_container "$ID"
last=$(awk '{ print $2 }' "$WORK/b/rootfs/count") || fail "the counter wrote no count: $(cat "$WORK/$ID.stderr")"

"$DUMP" --pin-root "$PIN_ROOT" "$ID" --json |
	jq -r 'select(.syscall == "write" and .comm == "counter" and .args[0].value == 3) | .args[1].str | rtrimstr("\n")' \
		>"$WORK/numbers"
sort -n "$WORK/numbers" | uniq -d >"$WORK/twice"
[ ! -s "$WORK/twice" ] || fail "$(wc -l <"$WORK/twice") numbers recorded twice, first $(head -3 "$WORK/twice" | tr '\n' ' ')"
sort -n "$WORK/numbers" | awk -v last="$last" '
	NR == 1 { first = $1; prev = $1 - 1 }
	$1 != prev + 1 { gaps++; missing += $1 - prev - 1; if (!shown++) where = prev + 1 "-" $1 - 1 }
	{ prev = $1 }
	END {
		if (first != 1) { print "the ring starts at " first ", not 1 (wrapped?)"; exit 1 }
		if (prev != last) { print "the ring ends at " prev ", the counter at " last; exit 1 }
		if (gaps) { print missing " numbers missing in " gaps " gaps, first " where; exit 1 }
	}' >"$WORK/gaps" || fail "$(cat "$WORK/gaps")"
ok "$last numbered writes across $RELOADS reloads and 8 killed ones: each in the ring once, none missing"
gen=$("$TRACER" --pin-root "$PIN_ROOT" status --json | jq .generation)
[ "$gen" -ge $((gen0 + RELOADS)) ] || fail "programs of generation $gen after $RELOADS reloads of generation $gen0"
ok "each reload made a generation of programs ($gen0 to $gen)"
