#!/bin/bash
# One id under two runc roots (two bundles, two cgroups): the second
# container is refused while the first's init runs (fail open: it runs,
# unrecorded, one log line naming both), the first keeps recording, and the
# second's poststop leaves the first alone. Once the first stopped, the id
# registers again.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

ID="og-sameid-$$"
A="$WORK/root-a"
B="$WORK/root-b"
extra_cleanup() {
	for r in "$A" "$B"; do
		runc --root "$r" kill "$ID" KILL >/dev/null 2>&1
		runc --root "$r" delete -f "$ID" >/dev/null 2>&1
	done
	true
}
make_bundle "$WORK/first" '["/bin/sleep", "1000"]'
make_bundle "$WORK/second" '["/bin/sh", "-c", "echo second > /tmp/second-ran"]'
jq --arg cg "/og-sameid-b-$$" '.linux.cgroupsPath = $cg' "$WORK/second/config.json" >"$WORK/c.json"
mv "$WORK/c.json" "$WORK/second/config.json"
field() { "$DUMP" --pin-root "$PIN_ROOT" list --json | jq -r --arg id "$ID" "select(.id == \$id) | .$1"; }

runc --root "$A" run -d --bundle "$WORK/first" "$ID" </dev/null >/dev/null 2>"$WORK/a.err" || fail "first: $(cat "$WORK/a.err")"
pid=$(runc --root "$A" state "$ID" | jq .pid)
[ "$(field pid)" = "$pid" ] || fail "first not registered: $("$DUMP" --pin-root "$PIN_ROOT" list)"

rc=0
runc --root "$B" run --bundle "$WORK/second" "$ID" </dev/null >/dev/null 2>"$WORK/b.err" || rc=$?
[ $rc = 0 ] || fail "second: exit $rc (fail open expected): $(cat "$WORK/b.err")"
[ -e "$WORK/second/rootfs/tmp/second-ran" ] || fail "the second container did not run"
lines=$(grep -c "container '$ID': prestart: id taken by a running container (pid $pid, cgroup [0-9]*, bundle $WORK/first) that keeps its ring; this one (pid [0-9]*, cgroup [0-9]*, bundle $WORK/second) is not recorded" "$WORK/hook.log") || true
[ "$lines" = 1 ] || fail "expected one prestart line naming both: $(cat "$WORK/hook.log")"
grep -q "container '$ID': poststop: the container registered under this id is another one (bundle $WORK/first, pid $pid)" "$WORK/hook.log" ||
	fail "the second's poststop did not say it left the first alone: $(cat "$WORK/hook.log")"
ok "the second is refused, runs unrecorded, one line names both; its poststop leaves the first alone"

[ "$(field state)" = running ] && [ "$(field pid)" = "$pid" ] && [ "$(field bundle)" = "$WORK/first" ] ||
	fail "the first's ring is gone or taken: $("$DUMP" --pin-root "$PIN_ROOT" list --json)"
runc --root "$A" exec "$ID" /bin/sh -c 'echo after > /tmp/first-after' || fail "exec in the first"
opened() { dump_json "$ID" | jq -e -s --arg p "$1" 'any(.[]; .syscall == "openat" and .args[1].str == $p)' >/dev/null; }
opened /tmp/first-after ||
	fail "the first is no longer recorded after the second's start and stop"
opened /tmp/second-ran && fail "the second's syscalls are in the first's ring"
ok "the first keeps its ring and is still recorded"

runc --root "$A" kill "$ID" KILL
wait_for 10 sh -c "runc --root $A state $ID | jq -e '.status == \"stopped\"' >/dev/null" || fail "first did not stop"
runc --root "$A" delete "$ID" || fail "delete first"
[ "$(field state)" = stopped ] || fail "first not stopped by its own poststop: $(field state)"
[ "$(run_container "$ID" "$WORK/second")" = 0 ] || fail "the id again"
[ "$(field bundle)" = "$WORK/second" ] || fail "the id did not register again once the first stopped: $(field bundle)"
opened /tmp/second-ran || fail "the id's new container is not recorded"
ok "once the first stopped, the same id registers and records again"
