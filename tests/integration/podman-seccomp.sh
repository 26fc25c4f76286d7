#!/bin/bash
# The seccomp round trip through podman, as oci-seccomp-bpf-hook users do
# it: `podman run --annotation io.containers.trace-syscall=of:NAME` writes
# the profile at poststop (beneath seccomp-profile-dir); the same workload
# under `--security-opt seccomp=FILE` prints the same and exits the same;
# without pipe2 in the profile it fails, and its ring shows pipe2 = EPERM.
. "$(dirname "$0")/lib.sh"
require_runc
require_podman
require_bpf
RUN+=(--hooks-dir "$WORK/hooks.d")

PROFILES="$WORK/profiles"
printf 'seccomp-profile-dir = %s\n' "$PROFILES" >"$WORK/og.conf"
mkdir -p "$WORK/hooks.d"
for st in prestart poststop; do
	jq --arg h "$HOOK" --arg st "$st" --arg root "$PIN_ROOT" --arg log "$WORK/hook.log" --arg c "$WORK/og.conf" --arg crashes "$WORK/crashes" \
		'.hook.path = $h | .hook.args = ["gadget-hook", $st, "--pin-root", $root, "--log", $log, "--config", $c, "--crash-dir", $crashes]' \
		"$top_srcdir/runtime-config/hooks.d/oci-gadget-$st.json.in" >"$WORK/hooks.d/oci-gadget-$st.json"
done
podman_image

W='echo data > /tmp/f && cat /tmp/f | wc -c > /tmp/n; cat /nonexistent 2>/dev/null; read n < /tmp/n; echo "n=$n"; [ "$n" = 5 ] && exit 7; exit 1'
run() { # NAME OUT PODMAN-RUN-ARGS...: the workload's exit code
	local name=$1 out=$2 rc=0
	shift 2
	"${PM[@]}" "${RUN[@]}" --name "$name" "$@" localhost/og-busybox sh -c "$W" >"$out" 2>"$out.err" || rc=$?
	echo "$rc"
}

L="og-pm-learn-$$"
rc1=$(run "$L" "$WORK/learn.out" --annotation io.containers.trace-syscall=of:pm.json)
[ "$rc1" = 7 ] || fail "learning run exit $rc1: $(cat "$WORK/learn.out" "$WORK/learn.out.err")"
[ -s "$PROFILES/pm.json" ] || fail "no profile at poststop: $(cat "$WORK/hook.log" 2>/dev/null)"
jq -e '.defaultAction == "SCMP_ACT_ERRNO" and (.syscalls[0].names | index("pipe2"))' "$PROFILES/pm.json" >/dev/null ||
	fail "profile: $(jq -c . "$PROFILES/pm.json")"
ok "podman --annotation io.containers.trace-syscall=of:pm.json: the profile is written at poststop"

E="og-pm-enforce-$$"
rc2=$(run "$E" "$WORK/enforce.out" --security-opt "seccomp=$PROFILES/pm.json")
[ "$rc2" = "$rc1" ] || fail "under the profile: exit $rc2, expected $rc1: $(cat "$WORK/enforce.out.err")"
cmp -s "$WORK/learn.out" "$WORK/enforce.out" || fail "output differs: $(cat "$WORK/enforce.out")"
ok "podman --security-opt seccomp=pm.json: same output, exit $rc2"

jq '.syscalls[0].names -= ["pipe2", "pipe"]' "$PROFILES/pm.json" >"$WORK/nopipe.json"
N="og-pm-nopipe-$$"
rc3=$(run "$N" "$WORK/nopipe.out" --security-opt "seccomp=$WORK/nopipe.json")
[ "$rc3" != "$rc1" ] || fail "without pipe2 the workload still exits $rc3"
"$DUMP" --pin-root "$PIN_ROOT" "$N" --json | jq -e -s 'any(.[]; .syscall == "pipe2" and .errno == "EPERM")' >/dev/null ||
	fail "the ring does not show pipe2 failing with EPERM"
ok "without pipe2: exit $rc3, and the ring (read by podman name) shows pipe2 = -1 EPERM"
