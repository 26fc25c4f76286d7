#!/bin/bash
# crun (podman's default runtime on Fedora and RHEL) with gadget-hook as its
# prestart and poststop hooks, and through gadget-runc with crun's own
# global-option form (--cgroup-manager cgroupfs, value as a separate word).
# crun refuses this VM's hybrid cgroups, so each run happens in a private
# cgroup and mount namespace where /sys/fs/cgroup is the cgroup2 hierarchy
# (and the bundle has no linux.resources: root here lacks CAP_SYS_RESOURCE).
# crun runs poststop with "pid": 0.
. "$(dirname "$0")/lib.sh"
require_runc
command -v crun >/dev/null || skip "crun not installed (apt-get install crun)"
command -v unshare >/dev/null || skip "unshare not installed (util-linux)"
require_bpf

CRUN=$(command -v crun)
# in_cgroup2_ns CMD...: CMD in a private cgroup + mount namespace whose
# /sys/fs/cgroup is cgroup2, from a child cgroup of its own.
in_cgroup2_ns() {
	unshare -C -m --propagation private sh -c '
		umount -R /sys/fs/cgroup 2>/dev/null
		mount -t cgroup2 cgroup2 /sys/fs/cgroup || exit 99
		cg=/sys/fs/cgroup/og-crun-ns-$PPID # not the id: crun names the container cgroup so
		mkdir -p $cg && echo $$ > $cg/cgroup.procs || exit 98
		"$@"; rc=$?
		echo $$ > /sys/fs/cgroup/cgroup.procs && rmdir $cg
		exit $rc' sh "$@"
}
crun_bundle() { # DIR ARGS_JSON
	make_bundle "$1" "$2"
	jq 'del(.linux.resources)' "$1/config.json" >"$1/c" && mv "$1/c" "$1/config.json"
}
extra_cleanup() { for c in $CRUN_IDS; do in_cgroup2_ns "$CRUN" --root "$WORK/crun" delete -f "$c" >/dev/null 2>&1; done; }
CRUN_IDS=""

ID="og-crun-$$"
CRUN_IDS="$CRUN_IDS $ID"
crun_bundle "$WORK/b1" '["/bin/sh", "-c", "echo from-crun > /tmp/crun-file; exit 3"]'
rc=0
in_cgroup2_ns "$CRUN" --root "$WORK/crun" run --bundle "$WORK/b1" "$ID" </dev/null >"$WORK/run1.out" 2>&1 || rc=$?
[ "$rc" = 99 ] || [ "$rc" = 98 ] && skip "cannot make a private cgroup2 namespace: $(cat "$WORK/run1.out")"
[ "$rc" = 3 ] || fail "crun run exit $rc: $(cat "$WORK/run1.out") $(cat "$WORK/hook.log" 2>/dev/null)"
"$DUMP" --pin-root "$PIN_ROOT" list --json | jq -e --arg id "$ID" 'select(.id == $id) | .state == "stopped"' >/dev/null ||
	fail "not listed as stopped after crun's poststop (pid 0): $("$DUMP" --pin-root "$PIN_ROOT" list)"
expect_ring "$ID" /tmp/crun-file $'from-crun\n' 3
ok "crun with gadget-hook: recorded from its first syscall, stopped by a poststop without a pid"

# Its seccomp profile holds under crun too: crun's own tail between its
# filter and the execve is in the profile (og_seccomp.c, measured).
"$DUMP" --pin-root "$PIN_ROOT" seccomp "$ID" --format oci -o "$WORK/p.json" || fail "gadget-dump seccomp"
for nnp in true false; do
	IDS="og-crun-sc-$nnp-$$"
	CRUN_IDS="$CRUN_IDS $IDS"
	crun_bundle "$WORK/bs-$nnp" '["/bin/sh", "-c", "echo from-crun > /tmp/crun-file; exit 3"]'
	jq --slurpfile p "$WORK/p.json" --argjson nnp $nnp '.linux.seccomp = $p[0] | .process.noNewPrivileges = $nnp' \
		"$WORK/bs-$nnp/config.json" >"$WORK/bs-$nnp/c" && mv "$WORK/bs-$nnp/c" "$WORK/bs-$nnp/config.json"
	rc=0
	in_cgroup2_ns "$CRUN" --root "$WORK/crun" run --bundle "$WORK/bs-$nnp" "$IDS" </dev/null >"$WORK/runs.out" 2>&1 || rc=$?
	[ "$rc" = 3 ] || fail "under its own profile (noNewPrivileges $nnp), crun exit $rc: $(cat "$WORK/runs.out")"
done
ok "crun runs the same workload under the profile gadget-dump made of it (noNewPrivileges true and false)"

ID2="og-crun-shim-$$"
CRUN_IDS="$CRUN_IDS $ID2"
mkdir -p "$WORK/b2"
crun_bundle "$WORK/b2" '["/bin/sh", "-c", "echo via-shim > /tmp/shim-file; exit 5"]'
jq 'del(.hooks)' "$WORK/b2/config.json" >"$WORK/b2/c" && mv "$WORK/b2/c" "$WORK/b2/config.json"
rc=0
in_cgroup2_ns env OCI_GADGET_RUNTIME="$CRUN" OCI_GADGET_HOOK="$HOOK" OCI_GADGET_PIN_ROOT="$PIN_ROOT" OCI_GADGET_CRASH_DIR="$WORK/crashes" \
	OCI_GADGET_SHIM_CONF="$WORK/none.conf" "$top_builddir/gadget-runc" --cgroup-manager cgroupfs --root "$WORK/crun" \
	run --bundle "$WORK/b2" "$ID2" </dev/null >"$WORK/run2.out" 2>&1 || rc=$?
[ "$rc" = 5 ] || fail "gadget-runc (crun) exit $rc: $(cat "$WORK/run2.out")"
jq -e '.hooks.prestart[0].args[1] == "prestart" and .hooks.poststop[0].args[1] == "poststop"' "$WORK/b2/config.json" >/dev/null ||
	fail "gadget-runc added no hooks for crun's --cgroup-manager VALUE form"
expect_ring "$ID2" /tmp/shim-file $'via-shim\n' 5
ok "gadget-runc --cgroup-manager cgroupfs --root DIR run: hooks added, crun ran it, recorded"

rc=0
OCI_GADGET_RUNTIME=/bin/true "$top_builddir/gadget-runc" --some-new-flag run --bundle "$WORK/b1" x >"$WORK/run3.out" 2>&1 || rc=$?
[ "$rc" = 0 ] && grep -q "gadget-runc: cannot read the command line (unknown global option --some-new-flag" "$WORK/run3.out" ||
	fail "an unknown global option passed silently: rc $rc, $(cat "$WORK/run3.out")"
ok "an unknown global option: said on stderr, the runtime still runs"
