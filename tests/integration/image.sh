#!/bin/bash
# The DaemonSet's image: make image builds it with podman from this build
# alone (a debootstrap base, podman import; no registry), and the image and
# command the manifest names run the way the DaemonSet runs them
# (privileged, the host's pid namespace and bpffs, a scratch directory as
# the host's root): the programs and runtime configuration land under the
# scratch root's /usr/local where the manifest says, the node's containerd
# or CRI-O configuration is written, the tracer is loaded (on this test's
# pin root), and a runc container started afterwards with the installed
# hook is recorded and read back with the installed gadget-dump.
. "$(dirname "$0")/lib.sh"
require_runc
command -v podman >/dev/null || skip "podman not installed (apt-get install podman)"
command -v debootstrap >/dev/null || skip "debootstrap not installed (apt-get install debootstrap)"
python3 -c 'import yaml, tomllib' 2>/dev/null || skip "python3 with yaml (python3-yaml) and tomllib needed to read the manifest"
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF (/sys/kernel/btf/vmlinux)"
grep -q ' /sys/fs/bpf bpf ' /proc/self/mounts || mount -t bpf bpf /sys/fs/bpf 2>/dev/null ||
	skip "cannot mount bpffs on /sys/fs/bpf"
MANIFEST=$top_srcdir/runtime-config/kubernetes/daemonset.yaml
PM=(podman --root "$WORK/storage/root" --runroot "$WORK/storage/run" --storage-driver vfs --cgroup-manager=cgroupfs
	--runtime "$(command -v runc)" --events-backend file)
# conmon runs podman's container cleanup on this store after a container
# ends: waited for, or it writes the store again after the rm -rf.
store_idle() { ! pgrep -f -- "$WORK/storage" >/dev/null; }
extra_cleanup() {
	"${PM[@]}" rm -af -t 0 >/dev/null 2>&1
	wait_for 10 store_idle
}

# podman build works here at all (a COPY into an empty image), or skip.
mkdir -p "$WORK/probe" && echo probe >"$WORK/probe/file" && printf 'FROM scratch\nCOPY file /file\n' >"$WORK/probe/Containerfile"
"${PM[@]}" build -q -t localhost/og-probe -f "$WORK/probe/Containerfile" "$WORK/probe" >"$WORK/probe.out" 2>&1 ||
	skip "podman build cannot run here: $(tail -2 "$WORK/probe.out")"

# 1. make image, into this test's podman storage; the base's debootstrap
#    tarball is cached by date like deb-package.sh's root.
OG_ROOT_CACHE=${OG_TEST_CACHE:-/var/cache/oci-gadget-test} make -s -C "$top_builddir" image PODMAN="${PM[*]}" \
	IMAGE_CONTEXT="$WORK/context" >"$WORK/make.out" 2>&1 || {
	grep -q 'configure with the default prefix' "$WORK/make.out" && skip "$(tail -1 "$WORK/make.out")"
	grep -q 'debootstrap from' "$WORK/make.out" && skip "no Debian 12 base: $(grep 'debootstrap from' "$WORK/make.out")"
	fail "make image: $(tail -5 "$WORK/make.out")"
}
IMAGE=$(sed -n 's/^\([^ ]*\): [0-9]* bytes$/\1/p' "$WORK/make.out")
size=$(sed -n 's/^[^ ]*: \([0-9]*\) bytes$/\1/p' "$WORK/make.out")
[ -n "$IMAGE" ] || fail "make image named no image: $(cat "$WORK/make.out")"
ok "make image built $IMAGE ($((size / 1024 / 1024)) MiB)"

# 2. The image and command the DaemonSet runs.
read -r m_image m_command < <(python3 -c '
import json, sys, yaml
for doc in yaml.safe_load_all(open(sys.argv[1])):
    if doc and doc.get("kind") == "DaemonSet":
        c = doc["spec"]["template"]["spec"]["containers"][0]
        print(c["image"], json.dumps(c.get("command", []) + c.get("args", []), separators=(",", ":")))
' "$MANIFEST")
[ "$m_image" = "$IMAGE" ] || fail "the manifest runs $m_image, make image built $IMAGE"
mapfile -t cmd < <(echo "$m_command" | jq -r '.[]')
[ "${#cmd[@]}" -ge 1 ] || fail "the manifest's container has no command"

# node_settled NAME: its container said it is ready, or has exited.
node_settled() {
	"${PM[@]}" logs "$1" 2>&1 | grep -q 'ready on test-node' ||
		[ "$("${PM[@]}" container inspect -f '{{.State.Running}}' "$1")" != true ]
}
# run_node SCRATCH NAME: the DaemonSet's container on a host whose root is
# SCRATCH, until it says it is ready.
run_node() {
	local scratch=$1 name=$2
	"${PM[@]}" run -d --name "$name" --privileged --pid=host --network=none \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
		-e NODE_NAME=test-node -e OCI_GADGET_PIN_ROOT="$PIN_ROOT" -e OCI_GADGET_METRICS_INTERVAL=1 \
		-v /sys/fs/bpf:/sys/fs/bpf -v "$scratch:/host" "$IMAGE" "${cmd[@]}" >/dev/null ||
		fail "podman run $IMAGE ${cmd[*]} failed"
	wait_for 60 node_settled "$name" || true
	"${PM[@]}" logs "$name" >"$WORK/$name.log" 2>&1
	grep -q 'ready on test-node' "$WORK/$name.log" || fail "$name did not get ready: $(cat "$WORK/$name.log")"
}

# A containerd node: config.toml ends in a table, where an appended key
# would land.
S=$WORK/host
mkdir -p "$S/etc/containerd" "$S/etc/crio"
printf 'version = 2\n[plugins."io.containerd.grpc.v1.cri"]\n  sandbox_image = "pause:3.6"\n' >"$S/etc/containerd/config.toml"
run_node "$S" og-node-$$
for p in gadget-tracer gadget-hook gadget-dump gadget-runc; do
	[ -x "$S/usr/local/sbin/$p" ] || fail "/usr/local/sbin/$p not installed under the host root"
done
"$S/usr/local/sbin/gadget-dump" --help >/dev/null 2>&1 || fail "the installed gadget-dump does not run on this host"
[ -f "$S/usr/local/etc/oci-gadget/oci-gadget.conf" ] || fail "no /usr/local/etc/oci-gadget/oci-gadget.conf"
jq -e '.hook.path == "/usr/local/sbin/gadget-hook"' "$S/usr/local/share/containers/oci/hooks.d/oci-gadget-prestart.json" \
	>/dev/null || fail "no hooks.d file naming /usr/local/sbin/gadget-hook"
python3 -c '
import sys, tomllib
c = tomllib.load(open(sys.argv[1], "rb"))
assert c["imports"] == ["/etc/containerd/conf.d/oci-gadget.toml"], c
assert "imports" not in c["plugins"]["io.containerd.grpc.v1.cri"], c
' "$S/etc/containerd/config.toml" 2>"$WORK/toml.err" || fail "containerd's config.toml: $(tail -1 "$WORK/toml.err")"
grep -q 'BinaryName = "/usr/local/sbin/gadget-runc"' "$S/etc/containerd/conf.d/oci-gadget.toml" ||
	fail "containerd's drop-in does not name gadget-runc: $(cat "$S/etc/containerd/conf.d/oci-gadget.toml")"
[ ! -e "$S/etc/crio/crio.conf.d" ] || fail "CRI-O configured on a containerd node (its directory exists, empty)"
"$S/usr/local/sbin/gadget-tracer" --pin-root "$PIN_ROOT" status --json | jq -e .loaded >/dev/null ||
	fail "the tracer is not loaded on $PIN_ROOT"
ok "programs, configuration and hooks.d under the host's /usr/local, containerd's drop-in imported at the top, tracer loaded"

# A container started afterwards, with the installed hook and configuration.
HOOK=$S/usr/local/sbin/gadget-hook
DUMP=$S/usr/local/sbin/gadget-dump
make_bundle "$WORK/bundle" '["sh", "-c", "echo from-the-image > /tmp/image-file; exit 6"]' \
	"[\"--config\", \"$S/usr/local/etc/oci-gadget/oci-gadget.conf\"]"
rc=$(run_container "og-image-$$" "$WORK/bundle")
[ "$rc" = 6 ] || fail "container exit $rc: $(cat "$WORK/og-image-$$.stderr")"
expect_ring "og-image-$$" /tmp/image-file $'from-the-image\n' 6
ok "a runc container started afterwards with the installed hook is recorded"

# A CRI-O node, where a new image runs on the loaded tracer (a rolling
# update): the edited host configuration is kept, the rings too.
"${PM[@]}" rm -f -t 0 og-node-$$ >/dev/null
rm -rf "$S/etc/containerd" && mkdir -p "$S/etc/crio/crio.conf.d"
echo "# edited on the host" >>"$S/usr/local/etc/oci-gadget/oci-gadget.conf"
mkdir -p "$S/var/lib/prometheus/node-exporter" # the DaemonSet's textfile volume
run_node "$S" og-node2-$$
grep -q 'hooks_dir' "$S/etc/crio/crio.conf.d/50-oci-gadget.conf" || fail "no CRI-O drop-in"
grep -q '^# edited on the host' "$S/usr/local/etc/oci-gadget/oci-gadget.conf" || fail "the host's edited oci-gadget.conf was replaced"
"$DUMP" --pin-root "$PIN_ROOT" list --json | jq -e -s --arg id "og-image-$$" 'map(select(.id == $id)) | length == 1' \
	>/dev/null || fail "the container's ring is gone after the second install"
ok "CRI-O node: drop-in written; a second run keeps the edited configuration, the tracer and the ring"

# gadget-dump in the DaemonSet's pod (kubectl exec ... gadget-dump list).
"${PM[@]}" exec og-node2-$$ gadget-dump --pin-root "$PIN_ROOT" list --json >"$WORK/pod-list.json" 2>&1 ||
	fail "gadget-dump in the pod: $(cat "$WORK/pod-list.json")"
jq -e -s --arg id "og-image-$$" 'map(select(.id == $id)) | length == 1' "$WORK/pod-list.json" >/dev/null ||
	fail "gadget-dump list in the pod does not show the container: $(cat "$WORK/pod-list.json")"
ok "gadget-dump runs in the pod and lists the container"

# The pod writes metrics into node_exporter's textfile directory.
PROM=$S/var/lib/prometheus/node-exporter/oci-gadget.prom
wait_for 30 grep -q "oci_gadget_container_exit_code{id=\"og-image-$$\"" "$PROM" ||
	fail "no exit code of og-image-$$ in $PROM: $(head -c 600 "$PROM" 2>&1)"
grep -q "oci_gadget_container_exit_code{id=\"og-image-$$\".*} 6$" "$PROM" ||
	fail "exit code of og-image-$$ is not 6: $(grep "og-image-$$" "$PROM" | grep exit_code)"
if command -v promtool >/dev/null; then
	promtool check metrics <"$PROM" >"$WORK/promtool.out" 2>&1 || fail "promtool: $(cat "$WORK/promtool.out")"
fi
ok "the pod writes the node's metrics into node_exporter's textfile directory (exit code 6 there)"
