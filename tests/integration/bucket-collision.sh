#!/bin/bash
# Cgroup ids that share a bucket of the programs' direct-mapped table: both
# registered cgroups record their own syscalls only (the shared bucket goes
# through maps/cgroups), and an unregistered cgroup in a registered one's
# bucket records nowhere (the ring header's cgroup id refuses it).
. "$(dirname "$0")/lib.sh"
require_bpf
CG=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$CG" ] || skip "no cgroup2 mount"
PARENT=$CG/og-bucket-$$
HOLDERS=""
extra_cleanup() {
	for p in $HOLDERS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	find "$PARENT" -depth -type d -exec rmdir {} \; 2>/dev/null
}
mkdir "$PARENT"
ino() { stat -c %i "$1"; }

# Three cgroups with the same id mod 4096: A, B registered, C not.
mkdir "$PARENT/a"
want=$(($(ino "$PARENT/a") % 4096))
found=""
# Batches of 1000: ids are inode numbers and do not simply count up.
for batch in $(seq 20); do
	(cd "$PARENT" && mkdir $(seq -f "b$batch-%g" 1000))
	found="$found $(stat -c '%i %n' "$PARENT"/b$batch-* | awk -v w="$want" '$1 % 4096 == w { print $2 }' | tr '\n' ' ')"
	stat -c '%i %n' "$PARENT"/b$batch-* | awk -v w="$want" '$1 % 4096 != w { print $2 }' | xargs rmdir
	[ "$(echo $found | wc -w)" -ge 2 ] && break
done
set -- $found
[ $# -ge 2 ] || fail "no two cgroups in the bucket of $PARENT/a among 20000"
B=$1
C=$2
ok "cgroups $(ino "$PARENT/a"), $(ino "$B") and $(ino "$C") share bucket $want"

register() { # NAME DIR
	sleep 100000 &
	local p=$!
	HOLDERS="$HOLDERS $p"
	echo "$p" >"$2/cgroup.procs"
	echo "{\"id\":\"$1-$$\",\"pid\":$p}" | "$HOOK" prestart --pin-root "$PIN_ROOT" --log "$WORK/hook.log" --fail-closed ||
		fail "register $1: $(cat "$WORK/hook.log")"
}
register bucket-a "$PARENT/a"
register bucket-b "$B"
in_cg() { sh -c 'echo $$ > "$0/cgroup.procs"; exec "$@"' "$@"; }
for n in a b c; do echo "$n" >"$WORK/mark-$n"; done
in_cg "$PARENT/a" cat "$WORK/mark-a" >/dev/null
in_cg "$B" cat "$WORK/mark-b" >/dev/null
in_cg "$C" cat "$WORK/mark-c" >/dev/null

opens() { "$DUMP" --pin-root "$PIN_ROOT" "$1-$$" --json | jq -r 'select(.syscall == "openat") | .args[1].str // empty'; }
for n in a b; do
	got=$(opens "bucket-$n")
	echo "$got" | grep -qx "$WORK/mark-$n" || fail "bucket-$n: its own open of mark-$n is missing"
	echo "$got" | grep -q "$WORK/mark-[^$n]" && fail "bucket-$n: another cgroup's open in its ring: $got"
done
ok "two registered cgroups in one bucket: each ring holds only its own open"
"$TRACER" --pin-root "$PIN_ROOT" status --json | jq -e '.registered == 2' >/dev/null || fail "registered is not 2"

# Unregister A: B's bucket becomes single again and keeps recording.
echo "{\"id\":\"bucket-a-$$\"}" | "$HOOK" poststop --pin-root "$PIN_ROOT" --log "$WORK/hook.log" --fail-closed
echo b2 >"$WORK/mark-b2"
in_cg "$B" cat "$WORK/mark-b2" >/dev/null
opens bucket-b | grep -qx "$WORK/mark-b2" || fail "bucket-b stopped recording when bucket-a left the bucket"
opens bucket-a | grep -q "mark-b2" && fail "bucket-a's stopped ring got bucket-b's open"
ok "after one leaves, the other still records through the bucket alone"
