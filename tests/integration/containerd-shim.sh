#!/bin/bash
# containerd (started by the test: own root, state and socket) runs a
# container with `ctr run --runc-binary gadget-runc`; its syscalls are in its
# ring afterwards, found by its containerd id.
. "$(dirname "$0")/lib.sh"
require_runc
command -v containerd >/dev/null && command -v ctr >/dev/null || skip "containerd not installed (apt-get install containerd)"
command -v podman >/dev/null || skip "podman not installed (needed to build the OCI archive)"
require_bpf

CTD=$WORK/containerd
SOCK=$CTD/containerd.sock
mkdir -p "$CTD"
cat >"$CTD/config.toml" <<TOML
version = 2
root = "$CTD/root"
state = "$CTD/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SOCK"
TOML
CTR=(ctr --address "$SOCK" -n og-test)
ID="og-ctd-$$"
ctd_pid=""
NS_CG_EXISTED=$(ls -d /sys/fs/cgroup/*/og-test /sys/fs/cgroup/og-test 2>/dev/null || true)
extra_cleanup() {
	"${CTR[@]}" tasks kill -s KILL "$ID" >/dev/null 2>&1
	"${CTR[@]}" containers rm "$ID" >/dev/null 2>&1
	[ -n "$ctd_pid" ] && kill "$ctd_pid" 2>/dev/null && wait "$ctd_pid" 2>/dev/null
	umount -R "$CTD/state" >/dev/null 2>&1
	# runc's cgroups for the og-test namespace, if this test made them.
	[ -n "$NS_CG_EXISTED" ] || for d in /sys/fs/cgroup/*/og-test /sys/fs/cgroup/og-test; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	true
}

# The shim (and so gadget-runc) inherits containerd's environment.
OCI_GADGET_RUNTIME=$(command -v runc) OCI_GADGET_HOOK=$HOOK OCI_GADGET_PIN_ROOT=$PIN_ROOT OCI_GADGET_CRASH_DIR=$WORK/crashes \
	OCI_GADGET_SHIM_CONF=$WORK/none.conf containerd --config "$CTD/config.toml" >"$WORK/containerd.log" 2>&1 &
ctd_pid=$!
wait_for 20 "${CTR[@]}" version >/dev/null 2>&1 || fail "containerd did not come up: $(tail -5 "$WORK/containerd.log")"

make_rootfs "$WORK/rootfs"
PM=(podman --root "$WORK/pm/root" --runroot "$WORK/pm/run" --storage-driver vfs --events-backend file)
tar -C "$WORK/rootfs" -c . | "${PM[@]}" import - localhost/og-busybox >/dev/null || fail "podman import"
"${PM[@]}" save --format oci-archive -o "$WORK/img.tar" localhost/og-busybox >/dev/null 2>&1 || fail "podman save"
"${CTR[@]}" images import "$WORK/img.tar" >/dev/null || fail "ctr images import"
ok "containerd up, image imported"

rc=0
"${CTR[@]}" run --rm --runc-binary "$top_builddir/gadget-runc" localhost/og-busybox:latest "$ID" \
	sh -c 'echo from-containerd > /tmp/ctd-file; exit 6' >"$WORK/run.out" 2>&1 || rc=$?
[ "$rc" = 6 ] || fail "ctr run exit $rc: $(cat "$WORK/run.out")"
"$DUMP" --pin-root "$PIN_ROOT" list --json | jq -e "select(.id==\"$ID\") | .state == \"stopped\"" >/dev/null ||
	fail "$ID not listed as stopped: $("$DUMP" --pin-root "$PIN_ROOT" list)"
ok "ctr run through gadget-runc: recorded and stopped"
expect_ring "$ID" /tmp/ctd-file $'from-containerd\n' 6
ok "its openat, write and exit_group(6) are in the ring, found by its containerd id"
