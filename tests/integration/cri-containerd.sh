#!/bin/bash
# Kubernetes through containerd's CRI plugin, driven the way kubelet drives
# it (tests/integration/cri/client.py speaks CRI runtime.v1 over gRPC):
# RunPodSandbox with host network (no CNI), CreateContainer,
# StartContainer, wait, StopPodSandbox, RemovePodSandbox. Both ways to
# configure containerd (runtime-config/containerd), as two runtime
# handlers of one containerd:
# - ogshim: the runc shim's BinaryName is gadget-runc;
# - oghooks: no shim, base_runtime_spec carries gadget-hook as prestart
#   and poststop.
# Each time gadget-dump NAMESPACE/POD/CONTAINER shows the container's own
# syscalls, and list shows the sandbox and the container with their
# Kubernetes names. Then a container that keeps crashing, restarted as
# kubelet does: one ring and one crash file per attempt, each with its end.
. "$(dirname "$0")/lib.sh"
require_runc
command -v containerd >/dev/null && command -v ctr >/dev/null || skip "containerd not installed (apt-get install containerd)"
command -v podman >/dev/null || skip "podman not installed (needed to build the OCI archive)"
PY=/usr/bin/python3 # Debian's, with python3-grpcio and python3-grpc-tools
$PY -c 'import grpc, grpc_tools' 2>/dev/null || skip "no CRI client: apt-get install python3-grpcio python3-grpc-tools"
require_bpf

CTD=$(mktemp -d /tmp/ogcri.XXXXXX) # short: unix socket paths
SOCK=$CTD/c.sock
ctd_pid=""
K8S_CG_EXISTED=$(ls -d /sys/fs/cgroup/*/k8s.io /sys/fs/cgroup/k8s.io 2>/dev/null || true)
extra_cleanup() {
	[ -n "$ctd_pid" ] && kill "$ctd_pid" 2>/dev/null && wait "$ctd_pid" 2>/dev/null
	umount -R "$CTD/state" "$CTD/root" >/dev/null 2>&1
	find "$CTD" -name shm -type d -exec umount {} \; >/dev/null 2>&1
	rm -rf "$CTD"
	# The CRI plugin's cgroups (k8s.io under each hierarchy), if it made them.
	[ -n "$K8S_CG_EXISTED" ] || for d in /sys/fs/cgroup/*/k8s.io /sys/fs/cgroup/k8s.io; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	true
}

# The base spec we ship (containerd's default spec with the hooks), pointed
# at this build and this test's pins.
sed "s|@sbindir@/gadget-hook|$HOOK|" "$top_srcdir/runtime-config/containerd/cri-base-spec.json.in" |
	jq --arg root "$PIN_ROOT" --arg log "$WORK/hook.log" --arg crashes "$WORK/crashes" \
		'.hooks[][].args += ["--pin-root", $root, "--log", $log, "--crash-dir", $crashes]' \
	>"$WORK/base-spec.json" || fail "base spec"
mkdir -p "$CTD/cni"
cat >"$CTD/config.toml" <<TOML
version = 2
root = "$CTD/root"
state = "$CTD/state"
[grpc]
  address = "$SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/og-pause:latest"
  # The sandbox gets oom_score_adj -998, which root here may not set
  # (no CAP_SYS_RESOURCE): keep it no lower than containerd's own.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CTD/cni"
    conf_dir = "$CTD/cni"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.ogshim]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.ogshim.options]
      BinaryName = "$top_builddir/gadget-runc"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.oghooks]
    runtime_type = "io.containerd.runc.v2"
    base_runtime_spec = "$WORK/base-spec.json"
TOML
# The shim (and so gadget-runc) inherits containerd's environment.
OCI_GADGET_RUNTIME=$(command -v runc) OCI_GADGET_HOOK=$HOOK OCI_GADGET_PIN_ROOT=$PIN_ROOT OCI_GADGET_CRASH_DIR=$WORK/crashes \
	OCI_GADGET_SHIM_CONF=$WORK/none.conf containerd --config "$CTD/config.toml" >"$WORK/containerd.log" 2>&1 &
ctd_pid=$!
CTR=(ctr --address "$SOCK" -n k8s.io)
wait_for 30 "${CTR[@]}" version >/dev/null 2>&1 || fail "containerd did not come up: $(tail -5 "$WORK/containerd.log")"
grep -q "Start cri plugin" "$WORK/containerd.log" || fail "the CRI plugin did not start: $(grep -i cri "$WORK/containerd.log" | tail -3)"

# One image, the pod's sandbox ("pause": sleeps) and the container's, with
# a program that dies of SIGSEGV.
cat >"$WORK/crash.c" <<'C'
int main(void) { *(volatile int *)0 = 1; return 0; }
C
build_static crash
make_rootfs "$WORK/rootfs"
cp "$WORK/crash" "$WORK/rootfs/crash"
PM=(podman --root "$WORK/pm/root" --runroot "$WORK/pm/run" --storage-driver vfs --events-backend file)
tar -C "$WORK/rootfs" -c . | "${PM[@]}" import --change 'CMD ["/bin/sleep", "100000"]' - localhost/og-pause >/dev/null ||
	fail "podman import"
"${PM[@]}" save --format oci-archive -o "$WORK/img.tar" localhost/og-pause >/dev/null 2>&1 || fail "podman save"
"${CTR[@]}" images import "$WORK/img.tar" >/dev/null || fail "ctr images import"
$PY -m grpc_tools.protoc -I "$top_srcdir/tests/integration/cri" --python_out="$WORK" --grpc_python_out="$WORK" \
	"$top_srcdir/tests/integration/cri/cri.proto" || fail "protoc"
ok "containerd with its CRI plugin, sandbox image imported, CRI client built"

pod() { # HANDLER POD CONTAINER: runs the pod; prints the client's JSON
	$PY "$top_srcdir/tests/integration/cri/client.py" "$SOCK" "$WORK" "$1" og-ns "$2" "$3" localhost/og-pause:latest \
		/bin/sh -c "echo from-$3 > /tmp/$3-file; exit 9" 2>"$WORK/client.err" || fail "CRI client ($1): $(tail -3 "$WORK/client.err")"
}
for handler in ogshim oghooks; do
	POD="web-$handler-$$"
	C="app-$handler"
	out=$(pod "$handler" "$POD" "$C")
	echo "$out" | jq -e '.exit_code == 9' >/dev/null || fail "$handler: $out"
	cid=$(echo "$out" | jq -r .container_id)
	sid=$(echo "$out" | jq -r .sandbox_id)
	"$DUMP" --pin-root "$PIN_ROOT" list --json >"$WORK/list.json"
	jq -e -s --arg id "$cid" --arg pod "$POD" --arg c "$C" \
		'any(.[]; .id == $id and .name == $c and .pod == $pod and .namespace == "og-ns" and .state == "stopped")' \
		"$WORK/list.json" >/dev/null || fail "$handler: the container is not listed with its names: $(cat "$WORK/list.json")"
	expect_ring "og-ns/$POD/$C" "/tmp/$C-file" "from-$C"$'\n' 9
	dump_json "og-ns/$POD/$C" | jq -e -s 'any(.[]; .comm == "sleep") | not' >/dev/null ||
		fail "$handler: the container's ring holds the sandbox's sleep"
	if [ $handler = ogshim ]; then
		jq -e -s --arg id "$sid" --arg pod "$POD" \
			'any(.[]; .id == $id and .name == "POD" and .pod == $pod and .namespace == "og-ns" and .state == "stopped")' \
			"$WORK/list.json" >/dev/null || fail "$handler: the sandbox is not listed as POD of its pod: $(cat "$WORK/list.json")"
		dump_json "og-ns/$POD/POD" | jq -e -s 'any(.[]; .syscall == "execve" and .args[0].str == "/bin/sleep")' >/dev/null ||
			fail "$handler: the sandbox's ring (og-ns/$POD/POD) lacks its execve of /bin/sleep"
		ok "$handler: gadget-dump og-ns/$POD/$C shows its own syscalls, og-ns/$POD/POD the sandbox's; list names both"
	else
		# containerd 1.6 builds the sandbox's spec without base_runtime_spec:
		# with hooks alone the pod's containers are recorded, not its pause.
		jq -e -s --arg id "$sid" 'any(.[]; .id == $id) | not' "$WORK/list.json" >/dev/null ||
			fail "$handler: the sandbox was recorded: base_runtime_spec now reaches it, update the docs"
		ok "$handler: gadget-dump og-ns/$POD/$C shows its own syscalls; the sandbox is not hooked (containerd 1.6)"
	fi
done

# A container that keeps crashing, restarted twice in its pod: three rings
# of one name, each killed by SIGSEGV, and three crash files.
POD="crashloop-$$"
out=$(RESTARTS=2 $PY "$top_srcdir/tests/integration/cri/client.py" "$SOCK" "$WORK" oghooks og-ns "$POD" crasher \
	localhost/og-pause:latest /crash 2>"$WORK/client.err") || fail "CRI client (crash loop): $(tail -3 "$WORK/client.err")"
echo "$out" | jq -e '.attempts | length == 3 and all(.exit_code == 139)' >/dev/null || fail "crash loop: $out"
"$DUMP" --pin-root "$PIN_ROOT" list --json >"$WORK/list.json"
for cid in $(echo "$out" | jq -r '.attempts[].container_id'); do
	jq -e -s --arg id "$cid" --arg pod "$POD" \
		'any(.[]; .id == $id and .name == "crasher" and .pod == $pod and .exit == "killed SIGSEGV")' "$WORK/list.json" \
		>/dev/null || fail "crash loop: attempt $cid is not listed killed by SIGSEGV: $(jq -c --arg id "$cid" 'select(.id == $id)' "$WORK/list.json")"
	[ "$(ls "$WORK/crashes/"*"-$cid.ogcrash" 2>/dev/null | wc -l)" = 1 ] || fail "crash loop: no crash file for $cid"
	"$DUMP" --file "$WORK/crashes/"*"-$cid.ogcrash" | grep -qF -- "+++ killed by SIGSEGV +++" || fail "crash loop: $cid's file"
done
"$DUMP" --pin-root "$PIN_ROOT" "og-ns/$POD/crasher" | grep -qF -- "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---" ||
	fail "crash loop: og-ns/$POD/crasher does not show the newest attempt's SIGSEGV"
ok "a crash loop under CRI: three attempts, three rings and three crash files, each killed by SIGSEGV"
