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

# A burst through a small ring: the follower falls behind, and says so in
# the stream where it did, not only at the end (issue 23, item 3).
ID2="og-follow-burst-$$"
make_bundle "$WORK/burst" '["/bin/sh", "-c", "sleep 1; i=0; while [ $i -lt 20000 ]; do echo $i >/dev/null; i=$((i+1)); done; echo done > /tmp/d; sleep 0.5"]' '["--ring-size", "64KiB"]'
start_container "$ID2" "$WORK/burst"
"$DUMP" --pin-root "$PIN_ROOT" "$ID2" --follow --json --runtime >"$WORK/burst.json" 2>"$WORK/burst.err" &
f_json=$!
"$DUMP" --pin-root "$PIN_ROOT" "$ID2" --follow >"$WORK/burst.txt" 2>>"$WORK/burst.err" &
f_text=$!
wait_for 60 sh -c "! kill -0 $f_json 2>/dev/null && ! kill -0 $f_text 2>/dev/null" || {
	kill $f_json $f_text
	fail "follow did not stop with the burst container"
}
wait $f_json || fail "JSON follow exited non-zero: $(cat "$WORK/burst.err")"
wait $f_text || fail "text follow exited non-zero: $(cat "$WORK/burst.err")"
lost=$(jq -s '[.[] | select(.event == "lost") | .records] | add // 0' "$WORK/burst.json")
[ "$lost" -gt 0 ] || fail "JSON follow of 20,000 iterations through a 64 KiB ring reported nothing lost"
# The marker sits among the records: records were printed after it.
after=$(jq -s 'map(.event == "lost") | (rindex(true) // -1) as $i | length - 1 - $i' "$WORK/burst.json")
first=$(jq -s 'map(.event == "lost") | index(true)' "$WORK/burst.json")
[ "$first" -gt 0 ] && [ "$after" -gt 0 ] || fail "lost markers are not in the stream (first at $first, $after lines after the last)"
ok "JSON follow says where it fell behind: $lost records in $(grep -c '"event":"lost"' "$WORK/burst.json") markers"
# Every record the writers numbered is either printed (a syscall's enter,
# or its exit written apart, once even if printed again complete) or
# reported lost: nothing lost silently.
read -r written dropped < <("$DUMP" --pin-root "$PIN_ROOT" list --json |
	jq -r --arg id "$ID2" 'select(.id == $id) | "\(.records_written) \(.dropped)"')
printed=$(jq -s '[.[] | select(.event != "lost") | .seq, (.exit_seq // empty)] | unique | length' "$WORK/burst.json")
[ "$dropped" = 0 ] || fail "the writers dropped $dropped records: the count below would not be exact"
[ $((printed + lost)) = "$written" ] ||
	fail "JSON follow: $printed records printed + $lost reported lost = $((printed + lost)), the writers numbered $written"
ok "JSON follow: $printed records printed + $lost reported lost = the $written the container's threads wrote"
grep -q '^--- [0-9]* records overwritten before they were read ---$' "$WORK/burst.txt" ||
	fail "text follow printed no loss line: $(tail -3 "$WORK/burst.txt")"
tail -n +2 "$WORK/burst.txt" | grep -q -A1 '^--- [0-9]* records' || fail "text loss line not followed by records"
ok "text follow says where it fell behind"
stop_container "$ID2"
