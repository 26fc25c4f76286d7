#!/bin/bash
# The README cannot rot: every ```sh block after the first (the two setup
# commands, which CI runs) is run as written, in order, in one root shell,
# each command checked. Only what isolates the test from the host is
# rewritten: the binaries are this build's and use this test's pin root,
# the hooks file is the installed one pointed at both, and the container
# name is unique.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

README=$top_srcdir/README.md
awk '/^```sh$/ { n++; if (n > 1) { f = 1; next } } /^```$/ { f = 0 } f' "$README" >"$WORK/blocks.sh"
[ "$(grep -c . "$WORK/blocks.sh")" -gt 10 ] || fail "no sh blocks found in README.md"

# The hooks file make install puts under datadir, pointed at this build.
mkdir -p "$WORK/bin"
jq --arg h "$HOOK" --arg root "$PIN_ROOT" --arg log "$WORK/hook.log" --arg crashes "$WORK/crashes" \
	'(.prestart, .poststop)[] |= (.path = $h | .args += ["--pin-root", $root, "--log", $log, "--crash-dir", $crashes])' \
	"$top_builddir/runtime-config/runc-hooks.json" >"$WORK/runc-hooks.json" || fail "runc-hooks.json"
for b in gadget-dump gadget-tracer; do
	printf '#!/bin/sh\nexec %s --pin-root %s "$@"\n' "$top_builddir/$b" "$PIN_ROOT" >"$WORK/bin/$b"
	chmod +x "$WORK/bin/$b"
done
NAME="og-readme-$$"
CONTAINERS="$CONTAINERS $NAME"
sed -e "s|/usr/local/share/oci-gadget/runtime-config/runc-hooks.json|$WORK/runc-hooks.json|g" \
	-e "s|/var/lib/oci-gadget/crashes|$WORK/crashes|g" \
	-e "s/\bmybox\b/$NAME/g" "$WORK/blocks.sh" >"$WORK/run.sh"
mkdir -p "$WORK/cwd"
(cd "$WORK/cwd" && PATH="$WORK/bin:$PATH" bash -e -o pipefail -x "$WORK/run.sh") >"$WORK/out" 2>"$WORK/trace" ||
	fail "a README command failed: $(grep '^+' "$WORK/trace" | tail -1) -> $(grep -v '^+' "$WORK/trace" | tail -3)"
ok "every sh block of README.md ran ($(grep -c '^+ ' "$WORK/trace") commands)"

# What they printed is what the README says they print.
grep -q "^$NAME .* stopped " "$WORK/out" || fail "gadget-dump list does not show the README's container"
grep -q 'openat(dfd=AT_FDCWD</>, filename="/tmp/report.txt", flags=O_WRONLY|O_CREAT|O_TRUNC' "$WORK/out" ||
	fail "the README's container did not write /tmp/report.txt in its ring"
grep -q 'filename="/etc/missing-config".* = -1 ENOENT' "$WORK/out" || fail "the failing open is not in the dump"
grep -q 'exit_group(error_code=3) = ?' "$WORK/out" || fail "exit_group(3) is not in the dump"
grep -q '"defaultAction": "SCMP_ACT_ERRNO"' "$WORK/cwd/$NAME/$NAME.json" || fail "the seccomp profile was not written"
grep -q '^kind: NetworkPolicy$' "$WORK/out" || fail "no NetworkPolicy printed"
ok "they print what the README shows: the ring, the profile, the policy"
grep -q "^$NAME .* exited 0, 1 killed " "$WORK/out" || fail "list does not say the second run exited 0, 1 killed"
grep -qE -- '--- SIGSEGV \{si_signo=SIGSEGV, si_code=SI_USER, si_pid=1, si_uid=0\} ---$' "$WORK/out" ||
	fail "the child's SIGSEGV is not in the dump"
grep -q -- '+++ killed by SIGSEGV +++' "$WORK/out" || fail "the child's end is not in the dump"
[ "$(ls "$WORK/crashes/"*"-$NAME.ogcrash" | wc -l)" = 2 ] || fail "not two crash files (exit 3, the SIGSEGV): $(ls -l "$WORK/crashes"; grep -i crash "$WORK/hook.log")"
ok "why it died: the child's SIGSEGV and end, list's EXIT, two crash files read back"
