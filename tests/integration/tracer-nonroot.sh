#!/bin/bash
# gadget-tracer status and unload, gadget-dump prune and list, run by a
# user who cannot read the pins fail with a clear error (exit 1), never
# "not loaded", "unloaded" or "removed 0" with exit 0; the tracer stays
# loaded. A pin root that really is absent is still
# "not loaded".
. "$(dirname "$0")/lib.sh"
require_bpf
command -v setpriv >/dev/null || skip "setpriv not installed (util-linux)"
id nobody >/dev/null 2>&1 || skip "no user nobody"
as_nobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
as_nobody "$TRACER" --version >/dev/null 2>&1 || skip "user nobody cannot run $TRACER (a directory above it is closed)"

NEST=$PIN_ROOT-nest
extra_cleanup() {
	"$TRACER" --pin-root "$NEST/inner" unload --force >/dev/null 2>&1
	rm -rf "$NEST"
}
mkdir -m 0700 "$NEST"
"$TRACER" --pin-root "$NEST/inner" load >/dev/null || fail "load under $NEST"

# The pin root itself is 0700 (as the hook makes it), and, as where bpffs
# is mounted mode=0700, one whose parent is closed.
for root in "$PIN_ROOT" "$NEST/inner"; do
	for cmd in status "status --json" unload; do
		rc=0
		# shellcheck disable=SC2086
		as_nobody "$TRACER" --pin-root "$root" $cmd >"$WORK/out" 2>"$WORK/err" || rc=$?
		[ $rc = 1 ] || fail "$cmd of $root as nobody: exit $rc, expected 1: $(cat "$WORK/out" "$WORK/err")"
		grep -q "pin root $root: not readable by uid $(id -u nobody).*run as root" "$WORK/err" ||
			fail "$cmd of $root as nobody: no clear error: $(cat "$WORK/err")"
		grep -Eq "not loaded|unloaded|\"loaded\"" "$WORK/out" && fail "$cmd of $root as nobody said: $(cat "$WORK/out")"
	done
	"$TRACER" --pin-root "$root" status --json | jq -e .loaded >/dev/null || fail "$root: no longer loaded after nobody's unload"
done
ok "status, status --json and unload as nobody: exit 1 with 'not readable by uid', the tracer stays loaded"

# gadget-dump prune and list too: never "removed 0" or an empty list.
for root in "$PIN_ROOT" "$NEST/inner"; do
	for cmd in prune list; do
		rc=0
		as_nobody "$DUMP" --pin-root "$root" $cmd >"$WORK/out" 2>"$WORK/err" || rc=$?
		[ $rc = 1 ] || fail "gadget-dump $cmd of $root as nobody: exit $rc, expected 1: $(cat "$WORK/out" "$WORK/err")"
		grep -q "pin root $root: not readable by uid $(id -u nobody).*run as root" "$WORK/err" ||
			fail "gadget-dump $cmd of $root as nobody: no clear error: $(cat "$WORK/err")"
		[ -s "$WORK/out" ] && fail "gadget-dump $cmd of $root as nobody said: $(cat "$WORK/out")"
	done
done
ok "gadget-dump prune and list as nobody: exit 1 with 'not readable by uid', nothing on stdout"

as_nobody "$TRACER" --pin-root "$PIN_ROOT-absent" status >"$WORK/out" 2>&1 || fail "status of an absent root as nobody: $(cat "$WORK/out")"
grep -q "^not loaded" "$WORK/out" || fail "absent root: $(cat "$WORK/out")"
ok "a pin root that does not exist is still 'not loaded'"
