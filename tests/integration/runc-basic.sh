#!/bin/bash
# A container opens a uniquely named file, writes known bytes, exits 7.
# After it is gone its ring shows execve, the openat, the write, exit_group, in order.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

ID="og-basic-$$"
FILE="/tmp/og-unique-$$-$RANDOM"
make_bundle "$WORK/bundle" "[\"/bin/sh\", \"-c\", \"echo -n hello-oci-gadget > $FILE; exit 7\"]"
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
jq -c "select(.pid==$pid and .tid==$pid) | [.syscall, .comm, (.args[0].str // \"\")]" "$WORK/dump.json" >"$WORK/pid.txt"
n=$(grep -n '^\["execve","runc:\[2:INIT\]","/bin/sh"\]$' "$WORK/pid.txt" | head -1 | cut -d: -f1)
[ -n "$n" ] || fail "execve of /bin/sh not found in pid $pid"
# (An exit whose enter came before registration has no command name: "?".)
head -n $((n - 1)) "$WORK/pid.txt" | grep -v '"runc:\[2:INIT\]"\|^\["[a-z_0-9]*","?"' && fail "records of the user program before its execve"
tail -n +$((n + 1)) "$WORK/pid.txt" | grep -v '^\["[a-z_0-9]*","sh"' && fail "records after execve not from sh"
ok "execve is the first record of the user's program"

"$DUMP" --pin-root "$PIN_ROOT" "$ID" >"$WORK/dump.txt"
grep -q "openat(dfd=AT_FDCWD, filename=\"$FILE\", flags=O_WRONLY|O_CREAT|O_TRUNC" "$WORK/dump.txt" ||
	fail "text output lacks the decoded openat: $(grep openat "$WORK/dump.txt" | tail -3)"
grep -q 'write(fd=1, buf="hello-oci-gadget", count=16) = 16' "$WORK/dump.txt" || fail "text output lacks the write"
grep -q 'exit_group(error_code=7) = ?' "$WORK/dump.txt" || fail "text output lacks exit_group"
ok "strace-style text"
