#!/bin/bash
# A container opens a uniquely named file, writes known bytes, exits 7.
# After it is gone its ring shows execve, the openat, the write, exit_group, in order.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

ID="og-basic-$$"
FILE="/tmp/og-unique-$$-$RANDOM"
make_bundle "$WORK/bundle" "[\"/bin/sh\", \"-c\", \"echo -n hello-oci-gadget > $FILE; printf 'h\\\\303\\\\251llo' >/dev/null; cat /dev/null; exit 7\"]"
rc=$(run_container "$ID" "$WORK/bundle")
[ "$rc" = 7 ] || fail "container exit status $rc, expected 7: $(cat "$WORK/$ID.stderr")"

"$DUMP" --pin-root "$PIN_ROOT" list >"$WORK/list"
grep -q "^$ID .* stopped " "$WORK/list" || fail "list does not show $ID stopped: $(cat "$WORK/list")"
ok "list shows the stopped container"

dump_json "$ID" >"$WORK/dump.json"
[ -s "$WORK/dump.json" ] || fail "empty dump"
jq -e . "$WORK/dump.json" >/dev/null || fail "dump is not valid JSON Lines"

# The user command's execve: argv[0] /bin/sh, returns 0.
line_exec=$(jq -c 'select(.syscall=="execve" and .args[0].str=="/bin/sh")' "$WORK/dump.json" | head -1)
[ -n "$line_exec" ] || fail "no execve of /bin/sh: $(head -5 "$WORK/dump.json")"
echo "$line_exec" | jq -e '.ret == 0 and .complete == true and .args[1].argv[0] == "/bin/sh" and .args[1].argv[1] == "-c"' >/dev/null ||
	fail "execve record wrong: $line_exec"
ok "execve of /bin/sh with its argv"

n_open=$(grep -n "\"$FILE\"" "$WORK/dump.json" | grep '"syscall":"openat"' | head -1 | cut -d: -f1)
[ -n "$n_open" ] || fail "no openat of $FILE"
sed -n "${n_open}p" "$WORK/dump.json" | jq -e '.ret >= 0 and (.args[2].value % 4) == 1' >/dev/null ||
	fail "openat of $FILE: bad ret or flags: $(sed -n "${n_open}p" "$WORK/dump.json")"
ok "openat of the unique path, O_WRONLY, returned an fd"

n_write=$(grep -n '"syscall":"write"' "$WORK/dump.json" | grep '"str":"hello-oci-gadget"' | head -1 | cut -d: -f1)
[ -n "$n_write" ] || fail "no write of hello-oci-gadget"
sed -n "${n_write}p" "$WORK/dump.json" | jq -e '.ret == 16' >/dev/null || fail "write did not return 16"
ok "write with the bytes, = 16"

n_exit=$(grep -n '"syscall":"exit_group"' "$WORK/dump.json" | tail -1 | cut -d: -f1)
[ -n "$n_exit" ] || fail "no exit_group"
sed -n "${n_exit}p" "$WORK/dump.json" | jq -e '.args[0].value == 7 and .complete == false' >/dev/null ||
	fail "exit_group: $(sed -n "${n_exit}p" "$WORK/dump.json")"
ok "exit_group(7), never returned"

n_exec=$(grep -n '"syscall":"execve"' "$WORK/dump.json" | grep '"str":"/bin/sh"' | head -1 | cut -d: -f1)
[ "$n_exec" -lt "$n_open" ] && [ "$n_open" -lt "$n_write" ] && [ "$n_write" -lt "$n_exit" ] ||
	fail "order execve($n_exec) < openat($n_open) < write($n_write) < exit_group($n_exit) broken"
ok "records in order"

# The user's program starts with that execve: in its pid, every record before
# it is runc's init (same pid, comm runc:[2:INIT]), every one after is sh.
# Main thread only: the Go runtime's other threads die inside execve.
pid=$(echo "$line_exec" | jq .pid)
jq -c "select(.event == \"syscall\" and .pid==$pid and .tid==$pid) | [.syscall, .comm, (.args[0].str // \"\")]" "$WORK/dump.json" >"$WORK/pid.txt"
n=$(grep -n '^\["execve","runc:\[2:INIT\]","/bin/sh"\]$' "$WORK/pid.txt" | head -1 | cut -d: -f1)
[ -n "$n" ] || fail "execve of /bin/sh not found in pid $pid"
# (An exit whose enter came before registration has no command name: "?".)
head -n $((n - 1)) "$WORK/pid.txt" | grep -v '"runc:\[2:INIT\]"\|^\["[a-z_0-9]*","?"' && fail "records of the user program before its execve"
tail -n +$((n + 1)) "$WORK/pid.txt" | grep -v '^\["[a-z_0-9]*","sh"' && fail "records after execve not from sh"
ok "execve is the first record of the user's program"

"$DUMP" --pin-root "$PIN_ROOT" "$ID" >"$WORK/dump.txt"
grep -q "openat(dfd=AT_FDCWD</>, filename=\"$FILE\", flags=O_WRONLY|O_CREAT|O_TRUNC" "$WORK/dump.txt" ||
	fail "text output lacks the decoded openat: $(grep openat "$WORK/dump.txt" | tail -3)"
# fd 1 is the file by then (the shell's dup2): shown as strace -y does.
grep -qF "write(fd=1<$FILE>, buf=\"hello-oci-gadget\", count=16) = 16" "$WORK/dump.txt" ||
	fail "text output lacks the write: $(grep hello-oci "$WORK/dump.txt")"
grep -q 'exit_group(error_code=7) = ?' "$WORK/dump.txt" || fail "text output lacks exit_group"
ok "strace-style text"

# Container pids (issue 22): the user's sh is the container's init, pid 1 in
# its pid namespace; JSON has both, text shows the container's unless
# --host-pids, and --pid takes either.
echo "$line_exec" | jq -e --argjson p "$pid" '.ns_pid == 1 and .ns_tid == 1 and .pid == $p and $p != 1' >/dev/null ||
	fail "execve of the init: not pid 1 in the container beside host pid $pid: $line_exec"
grep 'exit_group(error_code=7)' "$WORK/dump.txt" | awk '{ exit !($3 == 1 && $4 == 1) }' ||
	fail "text does not show the container's pid 1: $(grep exit_group "$WORK/dump.txt")"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --host-pids | grep 'exit_group(error_code=7)' |
	awk -v p="$pid" '{ exit !($3 == p && $4 == p) }' || fail "--host-pids does not show host pid $pid"
n1=$("$DUMP" --pin-root "$PIN_ROOT" "$ID" --pid 1 | grep -c 'exit_group(error_code=7)' || true)
nh=$("$DUMP" --pin-root "$PIN_ROOT" "$ID" --pid "$pid" --host-pids | grep -c 'exit_group(error_code=7)' || true)
n0=$("$DUMP" --pin-root "$PIN_ROOT" "$ID" --pid 1 --host-pids | grep -c 'exit_group(error_code=7)' || true)
[ "$n1" = 1 ] && [ "$nh" = 1 ] && [ "$n0" = 0 ] ||
	fail "--pid 1 found $n1, --pid $pid --host-pids $nh, --pid 1 --host-pids $n0 (want 1 1 0)"
ok "container pids: ns_pid 1 beside host pid $pid in JSON, 1 in text, --host-pids, --pid either"

# Read as strace would: dated wall-clock time (UTC), addresses in hex;
# JSON has RFC 3339 time beside ts_ns, UTF-8 as it is.
grep -vm1 '^#' "$WORK/dump.txt" | grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z ' ||
	fail "text lines do not start with the date and time: $(grep -vm1 '^#' "$WORK/dump.txt")"
grep -qE ' brk\(brk=(NULL|0x[0-9a-f]+)\) = 0x[0-9a-f]+ ' "$WORK/dump.txt" ||
	fail "brk's address not in hex: $(grep -m2 ' brk(' "$WORK/dump.txt")"
jq -e -s --argjson now "$(date +%s)" 'length > 0 and all(.[]; (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{9}Z$"))
	and ((.time[0:19] + "Z" | fromdateiso8601) - $now | fabs) < 600)' "$WORK/dump.json" >/dev/null ||
	fail "JSON time missing, malformed or not now: $(jq -c '.time' "$WORK/dump.json" | head -2)"
jq -e -s --arg s "$(printf 'h\303\251llo')" 'any(.[]; .syscall == "write" and .args[1].str == $s and (.args[1] | has("str_hex") | not))' \
	"$WORK/dump.json" >/dev/null || fail "UTF-8 write not kept as text: $(grep -a 'llo' "$WORK/dump.json" | head -2)"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --time clock | grep -vm1 '^#' | grep -qE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} ' ||
	fail "--time clock: $("$DUMP" --pin-root "$PIN_ROOT" "$ID" --time clock | grep -vm1 '^#')"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --time first | grep -v '^#' | awk 'NR == 1 && $1 != "0.000000" { exit 1 } $1 < prev - 0.001 { exit 1 } { prev = $1 }' ||
	fail "--time first: not from 0, or not growing: $("$DUMP" --pin-root "$PIN_ROOT" "$ID" --time first | head -3)"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --time tt >/dev/null 2>&1 && fail "--time tt accepted"
ok "dated time in text and JSON (RFC 3339), brk in hex, UTF-8 kept as text in JSON; --time clock, first"

# sh forked for cat: the child's side of the fork is no lost enter.
jq -e -s 'any(.[]; .fork_child == true and .ret == 0 and (.syscall | test("^(v?fork|clone3?)$")))' "$WORK/dump.json" >/dev/null ||
	fail "no fork child side marked in JSON: $(jq -c 'select(.syscall | test("fork|clone"))' "$WORK/dump.json" | head -3)"
grep -E '<\.\.\. (v?fork|clone3?) resumed>\) = 0( |$)' "$WORK/dump.txt" &&
	fail "text prints a fork's child side as a resumed syscall"
ok "a fork's child side: marked in JSON, not printed as resumed in text"

# By default the text and JSON start at the container's own program: runc's
# init before the execve is hidden (counted in the text); --runtime shows it,
# marked in JSON.
jq -e -s 'map(select(.runtime == true)) | length == 0' "$WORK/dump.json" >/dev/null ||
	fail "JSON shows runtime records without --runtime"
dump_json "$ID" --runtime >"$WORK/dump-rt.json"
# A signal sent inside the container prints at its delivery, not apart
# (og_signal_sent_shown).
n_rt=$(jq -s 'map(select(.runtime == true and (.event != "signal" or .what != "sent" or .outside or .by_kernel
	or .blocked or .result != "delivered" or .signal == "SIGKILL" or .signal == "SIGSTOP"))) | length' "$WORK/dump-rt.json")
[ "$n_rt" -gt 10 ] || fail "only $n_rt records marked runtime in JSON"
jq -e -s 'map(select(.syscall == "execve" and .ret == 0)) | all(.runtime != true)' "$WORK/dump-rt.json" >/dev/null ||
	fail "the container's execve is marked runtime"
jq -e -s 'map(select(.runtime == true)) | all(.comm == "runc:[2:INIT]" or .comm == "?")' "$WORK/dump-rt.json" >/dev/null ||
	fail "a record of the container's program marked runtime: $(jq -c 'select(.runtime == true and .comm != "runc:[2:INIT]")' "$WORK/dump-rt.json" | head -2)"
head -1 "$WORK/dump.txt" | grep -q "^# $n_rt records of the runtime setting the container up, before its first execve, hidden (--runtime shows them)$" ||
	fail "no header line counting the hidden records: $(head -1 "$WORK/dump.txt")"
sed -n 2p "$WORK/dump.txt" | grep -q 'execve(' || fail "the first line after the header is not the execve: $(sed -n 2p "$WORK/dump.txt")"
grep 'runc:\[2:INIT\]' "$WORK/dump.txt" | grep -qv ' execve(' && fail "runc's init records printed by default"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --runtime | grep "runc:\[2:INIT\]" | grep -vc " execve(" | grep -qx "$n_rt" || fail "--runtime does not show the $n_rt runtime records"
ok "runc's init hidden by default in text and JSON ($n_rt records, counted in a header), shown by --runtime, marked in JSON"

# Asking for what cannot be there is answered, not met with silence.
rc=0
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --syscall nosuchcall >/dev/null 2>"$WORK/err" || rc=$?
[ "$rc" = 2 ] && grep -q "unknown syscall 'nosuchcall'" "$WORK/err" || fail "--syscall nosuchcall: exit $rc, $(cat "$WORK/err")"
rc=0
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --leaks >"$WORK/out" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] && grep -q "recorded no allocations: its malloc probes were not asked for" "$WORK/err" && [ ! -s "$WORK/out" ] ||
	fail "--leaks without malloc probes: exit $rc, $(cat "$WORK/out" "$WORK/err")"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --event gc >"$WORK/out" 2>"$WORK/err" || fail "--event gc failed"
grep -q "recorded no gc events: its gc probes were not asked for" "$WORK/err" || fail "--event gc: silent: $(cat "$WORK/err")"
"$DUMP" --pin-root "$PIN_ROOT" nosuch-container-$$ 2>"$WORK/err" && fail "an unknown container read"
! grep -qE '(: [A-Z][a-z ]+)\1' "$WORK/err" || fail "the cause said twice: $(cat "$WORK/err")"
ok "unknown --syscall is a usage error; --leaks and --event of a family not recorded say so"

"$TRACER" --pin-root "$PIN_ROOT" status >"$WORK/status"
grep -E '^(kprobes|lsm) ' "$WORK/status" | grep -q UNSUPPORTED && fail "status calls what is not needed UNSUPPORTED: $(cat "$WORK/status")"
"$TRACER" --pin-root "$PIN_ROOT" status --json | jq -e '.features.kprobes.used == false and .features.uprobes.used == true' >/dev/null ||
	fail "status --json lacks used"
ok "status: what oci-gadget does not need is 'not used' or supported, never UNSUPPORTED"
