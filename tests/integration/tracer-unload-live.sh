#!/bin/bash
# gadget-tracer unload refuses while a container is recording, naming it,
# and changes nothing (the container goes on being recorded); --force
# unloads and says which containers are no longer recorded. Before, unload
# removed live rings without a word.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

# wait_then_write ID: a container that waits for /tmp/go (made from the
# host in its rootfs), then writes a file and exits 4.
wait_then_write() {
	local id=$1
	make_bundle "$WORK/$id" "[\"/bin/sh\", \"-c\", \"while [ ! -e /tmp/go ]; do sleep 0.1; done; echo -n after-$id > /tmp/after; exit 4\"]"
	start_container "$id" "$WORK/$id"
}

A=og-unload-a-$$
wait_then_write "$A"
rc=0
"$TRACER" --pin-root "$PIN_ROOT" unload >"$WORK/out" 2>"$WORK/err" || rc=$?
[ $rc = 1 ] || fail "unload with $A recording: exit $rc, expected 1: $(cat "$WORK/out" "$WORK/err")"
grep -q "1 containers are recording under $PIN_ROOT ($A).*unload --force" "$WORK/err" ||
	fail "the refusal does not name $A and --force: $(cat "$WORK/err")"
"$TRACER" --pin-root "$PIN_ROOT" status --json | jq -e '.loaded and .containers_running == 1' >/dev/null ||
	fail "the refused unload changed something: $("$TRACER" --pin-root "$PIN_ROOT" status --json)"
touch "$WORK/$A/rootfs/tmp/go"
stop_container "$A"
expect_ring "$A" /tmp/after "after-$A" 4
ok "unload refuses while a container records, names it, and recording goes on"

"$TRACER" --pin-root "$PIN_ROOT" unload >"$WORK/out" 2>"$WORK/err" || fail "unload with only stopped containers: $(cat "$WORK/err")"
grep -q "^unloaded (pin root $PIN_ROOT; 0 running and 1 stopped containers' rings removed)" "$WORK/out" ||
	fail "unload output: $(cat "$WORK/out")"
[ ! -e "$PIN_ROOT" ] || fail "pin root left after unload"
ok "with no container running, unload goes through and counts the stopped rings it removed"

"$TRACER" --pin-root "$PIN_ROOT" load >/dev/null || fail "load again"
B=og-unload-b-$$
wait_then_write "$B"
"$TRACER" --pin-root "$PIN_ROOT" unload --force >"$WORK/out" 2>"$WORK/err" || fail "unload --force: $(cat "$WORK/err")"
grep -q "unload --force: 1 containers no longer recorded: $B" "$WORK/err" || fail "--force does not name $B: $(cat "$WORK/err")"
[ ! -e "$PIN_ROOT" ] || fail "pin root left after unload --force"
ok "unload --force unloads and names the containers no longer recorded"
touch "$WORK/$B/rootfs/tmp/go"
