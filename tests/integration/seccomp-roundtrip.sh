#!/bin/bash
# A seccomp profile from what a container really did, through runc:
# - a busybox workload (files, a pipe, forks, a failing open) runs with the
#   hooks and io.containers.trace-syscall=of:NAME; the hook writes the
#   profile under seccomp-profile-dir, the same one gadget-dump seccomp
#   prints;
# - the same workload under that filter prints the same and exits the same;
# - without pipe2 in the profile it fails, and its own ring shows pipe2
#   returning EPERM;
# - a container whose ring wrapped still gets every syscall it made (the
#   counts are kept beside the ring), a superset of what strace sees of
#   the same workload on the host;
# - the annotation's paths: "..", absolute outside the directory, a symlink
#   planted at the target, a file the hook did not write: refused, logged,
#   nothing written, the container runs.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

PROFILES="$WORK/profiles"
printf 'seccomp-profile-dir = %s\n' "$PROFILES" >"$WORK/og.conf"
W='echo data > /tmp/f && cat /tmp/f | wc -c > /tmp/n; cat /nonexistent 2>/dev/null; read n < /tmp/n; echo "n=$n"; [ "$n" = 5 ] && exit 7; exit 1'

bundle() { # DIR ARGS_JSON [ANNOTATIONS_JSON]: hooks with this test's config
	make_bundle "$1" "$2" "[\"--config\", \"$WORK/og.conf\"]"
	jq --arg c "$WORK/og.conf" '.hooks.poststop[0].args += ["--config", $c]' "$1/config.json" >"$1/c" && mv "$1/c" "$1/config.json"
	[ -n "${3:-}" ] && set_annotations "$1" "$3"
	true
}

ID1="og-sc-learn-$$"
bundle "$WORK/b1" "[\"/bin/sh\", \"-c\", $(jq -Rn --arg w "$W" '$w')]" '{"io.containers.trace-syscall": "of:learn.json"}'
rc1=$(run_container "$ID1" "$WORK/b1")
[ "$rc1" = 7 ] || fail "workload exit $rc1: $(cat "$WORK/$ID1.stdout" "$WORK/$ID1.stderr")"
[ -s "$PROFILES/learn.json" ] || fail "the hook wrote no profile: $(cat "$WORK/hook.log")"
"$DUMP" --pin-root "$PIN_ROOT" seccomp "$ID1" --format oci -o "$WORK/p.json" || fail "gadget-dump seccomp"
cmp -s "$WORK/p.json" "$PROFILES/learn.json" || fail "the hook's profile and gadget-dump's differ"
jq -e '.defaultAction == "SCMP_ACT_ERRNO" and (.syscalls | length) == 1 and .syscalls[0].action == "SCMP_ACT_ALLOW"
	and (.syscalls[0].names | index("pipe2")) and (.syscalls[0].names | index("wait4"))
	and ((.syscalls[0].names | index("mount")) | not) and ((.syscalls[0].names | index("pivot_root")) | not)' \
	"$WORK/p.json" >/dev/null || fail "profile: $(jq -c . "$WORK/p.json")"
ok "profile written by the hook at poststop, same as gadget-dump seccomp; the runtime's setup (mount, pivot_root) left out"
"$DUMP" --pin-root "$PIN_ROOT" summary "$ID1" --json >"$WORK/sum.json" || fail "gadget-dump summary"
# sh forks cat twice and wc once; one cat fails to open /nonexistent.
jq -s -e '(map(select(.scope == "life" and .syscall == "pipe2")) | .[0].calls >= 1)
	and (map(select(.scope == "life" and .syscall == "execve")) | .[0].calls >= 3)
	and (map(select(.scope == "life" and .syscall == "openat")) | .[0].errors >= 1)
	and (map(select(.scope == "life" and .syscall == "mount")) | length == 0)
	and any(.[]; .scope == "ring" and .syscall == "wait4" and .calls >= 1)' "$WORK/sum.json" >/dev/null ||
	fail "summary: $(jq -c 'select(.syscall | test("pipe2|execve|openat|mount|wait4"))' "$WORK/sum.json")"
"$DUMP" --pin-root "$PIN_ROOT" summary "$ID1" | grep -qE '^ *[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+ +[0-9]+ openat$' ||
	fail "summary's table has no openat row with its errors: $("$DUMP" --pin-root "$PIN_ROOT" summary "$ID1")"
ok "summary: calls and errors over the whole life and the ring's window, strace -c's table"

under() { # ID PROFILE: the workload under that filter, recorded
	bundle "$WORK/b-$1" "[\"/bin/sh\", \"-c\", $(jq -Rn --arg w "$W" '$w')]"
	jq --slurpfile s "$2" '.linux.seccomp = $s[0]' "$WORK/b-$1/config.json" >"$WORK/b-$1/c" && mv "$WORK/b-$1/c" "$WORK/b-$1/config.json"
	run_container "$1" "$WORK/b-$1"
}
ID2="og-sc-enforce-$$"
rc2=$(under "$ID2" "$WORK/p.json")
[ "$rc2" = "$rc1" ] || fail "under the profile: exit $rc2, expected $rc1: $(cat "$WORK/$ID2.stderr")"
cmp -s "$WORK/$ID1.stdout" "$WORK/$ID2.stdout" || fail "output differs under the profile: $(cat "$WORK/$ID2.stdout")"
ok "the workload under its profile: same output, exit $rc2"

jq '.syscalls[0].names -= ["pipe2", "pipe"]' "$WORK/p.json" >"$WORK/nopipe.json"
ID3="og-sc-nopipe-$$"
rc3=$(under "$ID3" "$WORK/nopipe.json")
[ "$rc3" != "$rc1" ] || fail "without pipe2 the workload still exits $rc3"
dump_json "$ID3" | jq -e -s 'any(.[]; .syscall == "pipe2" and .errno == "EPERM")' >/dev/null ||
	fail "the ring does not show pipe2 failing with EPERM: $(dump_json "$ID3" | grep pipe | head -3)"
ok "without pipe2: exit $rc3, and the ring shows pipe2 = -1 EPERM"

# A ring that wrapped: sync happens once at the start, then thousands of
# syscalls overwrite it; the profile still has it.
WRAP='sync; i=0; while [ $i -lt 3000 ]; do echo $i > /tmp/f; i=$((i+1)); done; cat /tmp/f > /dev/null'
ID4="og-sc-wrap-$$"
bundle "$WORK/b4" "[\"/bin/sh\", \"-c\", \"$WRAP\"]" '{"io.oci-gadget.ring-size": "64KiB"}'
[ "$(run_container "$ID4" "$WORK/b4")" = 0 ] || fail "wrap workload failed"
dump_json "$ID4" | jq -e -s 'any(.[]; .syscall == "sync")' >/dev/null && fail "the ring still holds sync: no wrap"
"$DUMP" --pin-root "$PIN_ROOT" seccomp "$ID4" >"$WORK/wrap.json" || fail "seccomp of the wrapped container"
jq -e '.syscalls[0].names | index("sync")' "$WORK/wrap.json" >/dev/null || fail "sync, overwritten in the ring, missing from the profile"
if command -v strace >/dev/null; then
	(cd "$WORK" && strace -f -qq -o "$WORK/strace.out" /bin/busybox sh -c "$WRAP" >/dev/null 2>&1) || true
	missing=""
	for s in $(sed -E 's/^[0-9]+ +//; s/\(.*//' "$WORK/strace.out" | grep -E '^[a-z_0-9]+$' | sort -u); do
		jq -e --arg s "$s" '.syscalls[0].names | index($s)' "$WORK/wrap.json" >/dev/null || missing="$missing $s"
	done
	[ -z "$missing" ] || fail "strace saw syscalls the profile lacks:$missing"
	ok "a wrapped ring: the profile has sync and every syscall strace sees of the same workload"
fi

# The annotation's paths are refused unless beneath the directory, and a
# file the hook did not write is never overwritten.
mkdir -p "$PROFILES"
ln -sf /etc/passwd "$PROFILES/planted.json"
echo '{"mine": true}' >"$PROFILES/theirs.json"
n=0
for target in "../escape.json" "/etc/og-escape-$$.json" "planted.json" "theirs.json" "sub/../../x.json"; do
	n=$((n + 1))
	id="og-sc-bad$n-$$"
	bundle "$WORK/bad$n" '["/bin/true"]' "$(jq -cn --arg t "of:$target" '{"io.containers.trace-syscall": $t}')"
	[ "$(run_container "$id" "$WORK/bad$n")" = 0 ] || fail "$target: the container did not run"
	grep -q "gadget-hook: container '$id': seccomp profile (io.containers.trace-syscall): " "$WORK/hook.log" ||
		fail "$target: no refusal logged: $(grep "$id" "$WORK/hook.log")"
done
[ ! -e "$WORK/escape.json" ] && [ ! -e "/etc/og-escape-$$.json" ] || fail "a profile was written outside the directory"
[ "$(readlink "$PROFILES/planted.json")" = /etc/passwd ] && grep -q '^root:' /etc/passwd || fail "the planted symlink was followed"
[ "$(cat "$PROFILES/theirs.json")" = '{"mine": true}' ] || fail "a file the hook did not write was overwritten"
ok "refused: '..', absolute outside, a planted symlink, a file not ours; each logged, each container ran"
"$TRACER" --pin-root "$PIN_ROOT" status >/dev/null
rc=$(run_container "og-sc-again-$$" "$WORK/b1" 2>/dev/null)
[ "$rc" = 7 ] && grep -q "og-sc-again-$$': seccomp profile written to $PROFILES/learn.json" "$WORK/hook.log" ||
	fail "the hook's own profile was not rewritten on a second run: $(grep og-sc-again "$WORK/hook.log")"
ok "a profile the hook wrote is rewritten by the next run"
