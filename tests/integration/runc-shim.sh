#!/bin/bash
# gadget-runc: a bundle with no hooks run through the shim is recorded; every
# other command passes through to runc unchanged.
. "$(dirname "$0")/lib.sh"
require_runc
SHIM=$top_builddir/gadget-runc
[ -x "$SHIM" ] || fail "gadget-runc not built"
export OCI_GADGET_RUNTIME=$(command -v runc) OCI_GADGET_HOOK=$HOOK OCI_GADGET_PIN_ROOT=$PIN_ROOT OCI_GADGET_CRASH_DIR=$WORK/crashes
export OCI_GADGET_SHIM_CONF=$WORK/none.conf

v=$("$SHIM" --version)
[ "$(echo "$v" | head -1)" = "gadget-runc $(sed -n 's/^#define PACKAGE_VERSION "\(.*\)"/\1/p' "$top_builddir/config.h") (oci-gadget), wrapping:" ] &&
	[ "$(echo "$v" | tail -n +2)" = "$(runc --version)" ] || fail "--version: '$v'"
"$SHIM" --help | grep -q "^Usage: gadget-runc " || fail "--help is not the wrapper's own"
"$SHIM" help | grep -qi "runc" || fail "'help' is not passed to runc"
ok "--version: ours, then the runtime's; --help is the wrapper's own, 'help' the runtime's"
OCI_GADGET_RUNTIME=$SHIM "$SHIM" --version >/dev/null 2>"$WORK/loop.err" && fail "the shim ran itself"
grep -q "must not be gadget-runc itself" "$WORK/loop.err" || fail "no clear error for a self loop: $(cat "$WORK/loop.err")"
ok "refuses to exec itself"

require_bpf
ID="og-shim-$$"
make_bundle "$WORK/bundle" '["/bin/sh", "-c", "echo via-shim > /tmp/shimmed; exit 9"]'
jq 'del(.hooks)' "$WORK/bundle/config.json" >"$WORK/c.json" && mv "$WORK/c.json" "$WORK/bundle/config.json"
CONTAINERS="$CONTAINERS $ID"
rc=0
"$SHIM" --root "$WORK/runc-root" --log-format text run --bundle="$WORK/bundle" "$ID" </dev/null >/dev/null 2>"$WORK/shim.err" || rc=$?
[ "$rc" = 9 ] || fail "exit $rc through the shim, expected 9: $(cat "$WORK/shim.err")"
jq -e '.hooks.prestart[0].args[1] == "prestart" and .hooks.poststop[0].args[1] == "poststop"' "$WORK/bundle/config.json" >/dev/null ||
	fail "hooks not in config.json"
ok "hooks injected, container ran with its exit status"
dump_json "$ID" >"$WORK/dump.json"
jq -e -s 'map(select(.syscall=="write" and .args[1].str=="via-shim\n")) | length == 1' "$WORK/dump.json" >/dev/null ||
	fail "the container's write is not in its ring"
"$DUMP" --pin-root "$PIN_ROOT" list --json | jq -e "select(.id==\"$ID\") | .state == \"stopped\"" >/dev/null ||
	fail "not stopped after the run"
ok "its syscalls are in its ring, found by id"

# A malformed config.json: logged, left as is, runc reports its own error.
mkdir -p "$WORK/bad"
printf '{"ociVersion": ' >"$WORK/bad/config.json"
"$SHIM" --root "$WORK/runc-root" create -b "$WORK/bad" "og-bad-$$" </dev/null >/dev/null 2>"$WORK/bad.err" && fail "runc accepted a broken bundle"
grep -q "gadget-runc: bundle $WORK/bad: .*malformed JSON.*untraced" "$WORK/bad.err" || fail "no shim message: $(cat "$WORK/bad.err")"
[ "$(cat "$WORK/bad/config.json")" = '{"ociVersion": ' ] || fail "malformed config.json was changed"
ok "malformed config.json: logged, untouched, runc ran anyway"
