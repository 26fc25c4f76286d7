#!/bin/bash
# Bad input never wedges a container start: one line naming the container and
# the cause, exit 0 (fail open); exit 1 only with --fail-closed.
. "$(dirname "$0")/lib.sh"
require_bpf
command -v jq >/dev/null || skip "jq not installed"

hook() { "$HOOK" "$@" --pin-root "$PIN_ROOT" --log "$WORK/hook.log"; }

expect_open() { # NAME STDIN STAGE PATTERN
	local name=$1 input=$2 stage=$3 pattern=$4 rc=0
	printf '%s' "$input" | hook "$stage" 2>"$WORK/err" || rc=$?
	[ $rc = 0 ] || fail "$name: exit $rc, expected 0 (fail open)"
	[ "$(wc -l <"$WORK/err")" = 1 ] || fail "$name: expected one line on stderr, got: $(cat "$WORK/err")"
	grep -q -- "$pattern" "$WORK/err" || fail "$name: stderr lacks '$pattern': $(cat "$WORK/err")"
	rc=0
	printf '%s' "$input" | hook "$stage" --fail-closed 2>/dev/null || rc=$?
	[ $rc = 1 ] || fail "$name: --fail-closed exit $rc, expected 1"
	ok "$name: fails open with '$pattern'"
}

# A mistake in a hooks file (an unknown option, a bad size) is said and the
# container starts; --fail-closed turns it into a refusal.
for args in "--no-such-option" "--ring-size lots" ""; do
	rc=0
	# shellcheck disable=SC2086
	echo '{"id":"og-usage","pid":1}' | "$HOOK" $args 2>"$WORK/err" || rc=$?
	[ $rc = 0 ] && grep -q "bad command line; the container runs untraced" "$WORK/err" ||
		fail "hook ${args:-without a stage}: exit $rc, $(cat "$WORK/err")"
	rc=0
	# shellcheck disable=SC2086
	echo '{"id":"og-usage","pid":1}' | "$HOOK" $args --fail-closed prestart 2>/dev/null || rc=$?
	[ -z "$args" ] || [ $rc = 2 ] || fail "hook $args --fail-closed: exit $rc, expected 2"
done
ok "a bad hook command line fails open (exit 0, said), exit 2 with --fail-closed"

expect_open "malformed JSON" '{"id": "x", ' prestart "malformed JSON"
expect_open "not an object" '[1,2]' prestart "expected a JSON object"
expect_open "missing id" '{"pid": 1}' prestart 'no container "id"'
expect_open "missing pid" '{"ociVersion":"1.0.2","id":"og-nopid","status":"created","bundle":"/x"}' prestart "'og-nopid'.*no pid"
expect_open "pid gone" '{"ociVersion":"1.0.2","id":"og-gone","status":"created","pid":2147483,"bundle":"/x"}' prestart "'og-gone'.*pid 2147483 is gone"
expect_open "pid wrong type" '{"id":"og-badpid","pid":"12"}' prestart '"pid" is not a valid pid'
expect_open "bad ring size" "{\"id\":\"og-size\",\"pid\":$$,\"annotations\":{\"io.oci-gadget.ring-size\":\"lots\"}}" prestart "io.oci-gadget.ring-size"
# Too big is capped by ring-size-max (runc-ring-memory.sh); too small is refused.
expect_open "ring too small" "{\"id\":\"og-size2\",\"pid\":$$,\"annotations\":{\"io.oci-gadget.ring-size\":\"1KiB\"}}" prestart "must be between"
expect_open "unknown container at poststop" '{"id":"og-never-seen","status":"stopped"}' poststop "'og-never-seen' is not registered"
expect_open "unknown stage" '{"id":"og-stage","pid":1}' poststart-typo "unknown hook stage"
expect_open "hostile id" '{"id":"../../etc","pid":1}' prestart "contains '/'"
# A newline in an id must not forge a log line (expect_open wants one line).
expect_open "newline in an id" '{"id":"og-a\n2026-01-01T00:00:00Z gadget-hook: forged","pid":1}' prestart "og-a\\\\x0a2026"
expect_open "huge state at poststop" "$(head -c 2000000 /dev/zero | tr '\0' ' ')" poststop "the container stopped"
# Well-formed: yajl parsed it, then its recursive free overflowed the stack.
deep="$(printf '%*s' 300000 '' | tr ' ' '[')$(printf '%*s' 300000 '' | tr ' ' ']')"
expect_open "300,000-deep JSON" "{\"id\":\"og-deep\",\"pid\":$$,\"x\":$deep}" prestart "nested more than 64 deep"
head -c 2000000 /dev/zero | tr '\0' ' ' >"$WORK/huge"
expect_open "huge state" "$(cat "$WORK/huge")" prestart "larger than"

# No bpffs: a pin root on tmpfs.
rc=0
echo "{\"id\":\"og-nobpffs\",\"pid\":$$}" | "$HOOK" prestart --pin-root "$WORK/nobpf" --log "$WORK/hook.log" 2>"$WORK/err" || rc=$?
[ $rc = 0 ] && grep -q "og-nobpffs.*not on bpffs" "$WORK/err" || fail "no bpffs: rc $rc, $(cat "$WORK/err")"
ok "no bpffs: fails open with a clear error"

# Opt-out annotation: nothing registered.
echo "{\"id\":\"og-optout\",\"pid\":$$,\"annotations\":{\"io.oci-gadget.trace\":\"false\"}}" | hook prestart 2>"$WORK/err" || fail "opt-out failed"
"$DUMP" --pin-root "$PIN_ROOT" list --json | grep -q og-optout && fail "opted-out container registered"
ok "io.oci-gadget.trace=false is not recorded"

# The log is 0600 (ids, paths, annotations), and moves to LOG.1 past 1 MiB.
[ "$(stat -c %a "$WORK/hook.log")" = 600 ] || fail "hook.log mode $(stat -c %a "$WORK/hook.log"), expected 600"
grep -c . "$WORK/hook.log" | grep -qv '^0$' || fail "empty log"
grep -q "forged" "$WORK/hook.log" && ! grep -q "^2026-01-01T00:00:00Z gadget-hook: forged" "$WORK/hook.log" ||
	fail "a forged line in the log: $(grep forged "$WORK/hook.log")"
head -c 1100000 /dev/zero | tr '\0' 'x' >"$WORK/big.log"
chmod 644 "$WORK/big.log"
echo '{"id":"og-rotate","pid":2147483}' | "$HOOK" prestart --pin-root "$PIN_ROOT" --log "$WORK/big.log" 2>/dev/null
[ "$(stat -c %s "$WORK/big.log.1")" = 1100000 ] || fail "the full log was not moved to big.log.1"
grep -q "og-rotate" "$WORK/big.log" && [ "$(stat -c %s "$WORK/big.log")" -lt 1000 ] || fail "the new log: $(head -c 300 "$WORK/big.log")"
[ "$(stat -c %a "$WORK/big.log")" = 600 ] || fail "new log mode $(stat -c %a "$WORK/big.log")"
ok "hook.log is 0600, one line per failure, and rotated past 1 MiB"

# The log file has every failure, with a timestamp.
grep -q "^20[0-9-]*T[0-9:]*Z gadget-hook: container 'og-gone'" "$WORK/hook.log" || fail "log file lacks the failures"
ok "failures are in the log file"

# gadget-dump: unknown and ambiguous names, a ring of another format version.
out=$("$DUMP" --pin-root "$PIN_ROOT" no-such-container 2>&1) && fail "unknown container accepted"
echo "$out" | grep -q "no container 'no-such-container'" || fail "unknown container: $out"
ok "gadget-dump names an unknown container"
