#!/bin/bash
# A container killed by SIGKILL while blocked in read() shows that read as
# the one it died in (= ?, as strace prints it), then its end.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

ID="og-killed-$$"
make_bundle "$WORK/bundle" '["/bin/sh", "-c", "mkfifo /tmp/p; exec 3<>/tmp/p; exec dd bs=1 count=1 <&3"]'
start_container "$ID" "$WORK/bundle"
has_read() { dump_json "$ID" 2>/dev/null | jq -e 'select(.syscall=="read" and .args[0].value==0 and .complete==false)' >/dev/null; }
wait_for 20 has_read || fail "the blocking read never showed up: $(dump_json "$ID" | tail -3)"
runc kill "$ID" KILL
stop_container "$ID"

dump_json "$ID" >"$WORK/dump.json"
"$DUMP" --pin-root "$PIN_ROOT" list --json | jq -e "select(.id==\"$ID\") | .state == \"stopped\"" >/dev/null ||
	fail "container not marked stopped"
ok "stopped after SIGKILL"
last=$(jq -c 'select(.comm=="dd" and .event == "syscall")' "$WORK/dump.json" | tail -1)
echo "$last" | jq -e '.syscall == "read" and .complete == false and (has("ret") | not) and .args[0].value == 0 and .died' >/dev/null ||
	fail "last syscall of dd is not the read it died in: $last"
ok "last syscall is the read(0, ...) it died in"
jq -e -s 'map(select(.comm == "dd")) | last | .event == "exit" and .killed_by == "SIGKILL"' "$WORK/dump.json" >/dev/null ||
	fail "dd's last record is not its end, killed by SIGKILL: $(tail -1 "$WORK/dump.json")"
ok "then dd's end: killed by SIGKILL"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" | grep -E 'dd  *read\(fd=0(<[^>]*>)?, buf=0x[0-9a-f]*, count=[0-9]*\) = \?$' >/dev/null ||
	fail "text output lacks the read it died in (= ?): $("$DUMP" --pin-root "$PIN_ROOT" "$ID" | tail -3)"
ok "text shows the read it died in as strace does (= ?), not as unfinished"
