#!/bin/bash
# An OOM kill under a 32 MiB memory limit, with real runc: attributed to
# the victim's container (the OOM killer runs in the allocating task's
# context), printed with what the kernel reports and the limit, told apart
# from a kill(2), listed as OOM-killed, and kept in a crash file.
. "$(dirname "$0")/lib.sh"
require_runc
build_hog
require_bpf
have_memory_controller || skip "no memory cgroup controller: no memory limit to exceed"

ID="og-oom-$$"
rc=$(run_hog "$ID")
[ "$rc" = 137 ] || fail "exit status $rc, expected 137 (SIGKILL by the OOM killer)"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" >"$WORK/text" || fail "gadget-dump failed"
dump_json "$ID" >"$WORK/json" || fail "gadget-dump --json failed"
grep -qE -- '\+\+\+ killed by SIGKILL \(OOM killer: anon-rss [0-9.]+ MiB of a 32.0 MiB limit\) \+\+\+$' "$WORK/text" ||
	fail "no OOM-killed end line: $(tail -4 "$WORK/text")"
grep -qE -- "--- OOM killer chose this process: anon-rss [0-9.]+ MiB, .*its memory cgroup at [0-9.]+ MiB of a 32.0 MiB limit" "$WORK/text" ||
	fail "no OOM choice line: $(tail -4 "$WORK/text")"
grep -qF -- "--- SIGKILL {si_signo=SIGKILL, si_code=SI_KERNEL} sent by the kernel" "$WORK/text" ||
	fail "the kernel's SIGKILL is missing"
ok "killed by SIGKILL (OOM killer: anon-rss ... of a 32.0 MiB limit), the choice and the kernel's SIGKILL"
jq -e -s 'map(select(.event == "oom_kill" and .memory_limit == 33554432 and .anon_rss_kb > 16384)) | length == 1' \
	"$WORK/json" >/dev/null || fail "no JSON oom_kill with the limit and its rss"
jq -e -s 'map(select(.event == "exit" and .init and .oom_killed and .killed_by == "SIGKILL" and .oom_memory_limit == 33554432)) | length == 1' \
	"$WORK/json" >/dev/null || fail "no JSON exit marked oom_killed"
ok "JSON: the oom_kill event and the OOM-killed exit"
"$DUMP" --pin-root "$PIN_ROOT" list --json | jq -e --arg id "$ID" 'select(.id == $id) | .exit == "OOM-killed" and .oom_kills == 1' >/dev/null ||
	fail "list: $("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -c --arg id "$ID" 'select(.id == $id)')"
"$DUMP" --pin-root "$PIN_ROOT" list | grep "^$ID " | grep -q "OOM-killed" || fail "list text has no OOM-killed"
ok "list: OOM-killed"
F=$(ls "$WORK/crashes/"*"-$ID.ogcrash") || fail "no crash file"
"$TRACER" --pin-root "$PIN_ROOT" unload >/dev/null
"$DUMP" --file "$F" | grep -q "OOM killer" || fail "--file lost the OOM kill"
ok "the crash file keeps the OOM kill after unload"
