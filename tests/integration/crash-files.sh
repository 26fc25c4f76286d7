#!/bin/bash
# Crash files with real runc: crash-files = none and all, the size budget
# (oldest removed first), 0600 files in a 0700 directory, and a full or
# read-only disk: one log line, the stop goes on, nothing half-written.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

# bundle_conf DIR CONF ARGS: a bundle whose hooks read CONF and write crash
# files where CONF says (no --crash-dir: the configuration decides).
bundle_conf() {
	local dir=$1 conf=$2 args=$3
	make_bundle "$dir" "$args"
	jq --arg c "$conf" '.hooks.prestart[0].args += ["--config", $c] |
		.hooks.poststop[0].args = (.hooks.poststop[0].args | map(select(. != "--crash-dir")) |
			.[0:index("--log") + 2] + ["--config", $c])' "$dir/config.json" >"$dir/c.json"
	mv "$dir/c.json" "$dir/config.json"
}
files_in() { find "$1" -maxdepth 1 -name '*.ogcrash' 2>/dev/null | wc -l; }

# none: an exit 3 leaves nothing; all: an exit 0 leaves a file.
printf 'crash-files = none\ncrash-dir = %s\n' "$WORK/none" >"$WORK/none.conf"
printf 'crash-files = all\ncrash-dir = %s\n' "$WORK/all" >"$WORK/all.conf"
bundle_conf "$WORK/b-none" "$WORK/none.conf" '["sh", "-c", "exit 3"]'
bundle_conf "$WORK/b-all" "$WORK/all.conf" '["true"]'
[ "$(run_container "og-cf-none-$$" "$WORK/b-none")" = 3 ] || fail "none: exit status"
[ "$(run_container "og-cf-all-$$" "$WORK/b-all")" = 0 ] || fail "all: exit status"
[ "$(files_in "$WORK/none")" = 0 ] || fail "crash-files = none wrote a file"
[ "$(files_in "$WORK/all")" = 1 ] || fail "crash-files = all wrote no file for exit 0: $(cat "$WORK/hook.log")"
"$DUMP" --file "$WORK"/all/*.ogcrash | grep -qF -- "+++ exited with 0 +++" || fail "all: the file does not read back"
ok "crash-files = none writes nothing for exit 3; all writes one for exit 0"

# Times read from a file come from the offset (CLOCK_REALTIME -
# CLOCK_BOOTTIME) of the host that wrote it, kept in its header at byte 24:
# a file whose offset is one day later reads one day later.
f=$(ls "$WORK"/all/*.ogcrash)
cp "$f" "$WORK/shifted.ogcrash"
off=$(od -An -t d8 -j 24 -N 8 "$f" | tr -d ' ')
off=$((off + 86400 * 1000000000))
le=""
for i in 0 1 2 3 4 5 6 7; do le="$le\\x$(printf %02x $(((off >> (8 * i)) & 255)))"; done
printf "$le" | dd of="$WORK/shifted.ogcrash" bs=1 seek=24 conv=notrunc status=none
first_time() { "$DUMP" --file "$1" --json --runtime | jq -r 'select(.time) | .time[0:19] + "Z" | fromdateiso8601' | head -1; }
t0=$(first_time "$f") t1=$(first_time "$WORK/shifted.ogcrash")
[ -n "$t0" ] && [ "$((t1 - t0))" = 86400 ] || fail "a file's times do not follow its own offset: $t0 -> $t1"
ok "a crash file's records read with the writing host's clock offset"

# 0600 files in a 0700 directory, made by the hook.
[ "$(stat -c %a "$WORK/all")" = 700 ] || fail "crash-dir mode $(stat -c %a "$WORK/all")"
[ "$(stat -c %a "$WORK"/all/*.ogcrash)" = 600 ] || fail "crash file mode $(stat -c %a "$WORK"/all/*.ogcrash)"
ok "files 0600 in a 0700 directory"

# The budget: 1 MiB of files. Each is about 150 KiB: after 12 abnormal
# ends at most 1 MiB is left, the newest file among them, the oldest gone.
printf 'crash-dir = %s\ncrash-dir-max = 1MiB\n' "$WORK/budget" >"$WORK/budget.conf"
bundle_conf "$WORK/b-budget" "$WORK/budget.conf" '["sh", "-c", "exit 4"]'
for i in $(seq 12); do
	[ "$(run_container "og-cf-b$i-$$" "$WORK/b-budget")" = 4 ] || fail "budget: run $i"
done
total=$(du -cb "$WORK"/budget/*.ogcrash | tail -1 | cut -f1)
n=$(files_in "$WORK/budget")
[ "$total" -le $((1 << 20)) ] && [ "$n" -ge 2 ] && [ "$n" -lt 12 ] || fail "budget: $n files, $total bytes"
ls "$WORK"/budget/*-og-cf-b12-$$.ogcrash >/dev/null 2>&1 || fail "budget: the newest file was removed"
ls "$WORK"/budget/*-og-cf-b1-$$.ogcrash >/dev/null 2>&1 && fail "budget: the oldest file was kept"
ok "crash-dir-max: $n files, $total bytes of 1 MiB; the oldest removed, the newest kept"

# A read-only and a full disk: a log line, runc's delete (poststop) goes
# on, no file and no temporary file left.
mkdir -p "$WORK/ro" "$WORK/full"
mount -t tmpfs -o ro,size=1m tmpfs "$WORK/ro" || skip "cannot mount a tmpfs"
mount -t tmpfs -o size=32k tmpfs "$WORK/full" || { umount "$WORK/ro"; skip "cannot mount a tmpfs"; }
extra_cleanup() { umount "$WORK/ro" "$WORK/full" 2>/dev/null; }
for d in ro full; do
	printf 'crash-dir = %s\n' "$WORK/$d" >"$WORK/$d.conf"
	bundle_conf "$WORK/b-$d" "$WORK/$d.conf" '["sh", "-c", "exit 5"]'
	[ "$(run_container "og-cf-$d-$$" "$WORK/b-$d")" = 5 ] || fail "$d: exit status: $(cat "$WORK/og-cf-$d-$$.stderr")"
	"$DUMP" --pin-root "$PIN_ROOT" list --json >"$WORK/list-$d.json"
	jq -e -s --arg id "og-cf-$d-$$" 'any(.[]; .id == $id and .state == "stopped")' "$WORK/list-$d.json" >/dev/null ||
		fail "$d: the container was not stopped: $(cat "$WORK/list-$d.json")"
	[ -z "$(ls -A "$WORK/$d")" ] || fail "$d: something was left: $(ls -A "$WORK/$d")"
done
grep -q "og-cf-ro-$$.*crash file of container.*Read-only file system" "$WORK/hook.log" ||
	fail "read-only: no log line: $(tail -3 "$WORK/hook.log")"
grep -q "og-cf-full-$$.*crash file of container.*No space left on device" "$WORK/hook.log" ||
	fail "full: no log line: $(tail -3 "$WORK/hook.log")"
ok "a read-only or full disk: one log line each, the container stopped, nothing left behind"
