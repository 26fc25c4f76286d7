#!/bin/bash
# gadget-dump --follow prints a live container's syscalls as they happen and
# stops by itself when the container stops.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

ID="og-follow-$$"
make_bundle "$WORK/bundle" '["/bin/sh", "-c", "sleep 1; for i in 1 2 3 4 5 6; do echo tick-$i > /tmp/tick; sleep 0.3; done; exit 4"]'
start_container "$ID" "$WORK/bundle"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --follow --json --syscall write,exit_group >"$WORK/follow.json" 2>"$WORK/follow.err" &
follower=$!
wait_for 20 grep -q tick-1 "$WORK/follow.json" || fail "follow printed no tick while the container ran"
ok "follow prints records of the running container"
stop_container "$ID"
wait_for 10 sh -c "! kill -0 $follower 2>/dev/null" || { kill $follower; fail "follow did not stop with the container"; }
wait $follower || fail "follow exited non-zero: $(cat "$WORK/follow.err")"
ok "follow stopped when the container stopped"
for i in 1 2 3 4 5 6; do
	[ "$(grep -c "\"str\":\"tick-$i\\\\n\"" "$WORK/follow.json")" = 1 ] || fail "tick-$i printed $(grep -c "tick-$i" "$WORK/follow.json") times"
done
ok "each tick printed exactly once"
tail -1 "$WORK/follow.json" | jq -e '.syscall == "exit_group" and .args[0].value == 4' >/dev/null ||
	fail "last line is not exit_group(4): $(tail -1 "$WORK/follow.json")"
ok "the last line is exit_group(4)"
