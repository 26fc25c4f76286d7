#!/bin/bash
# Docker with gadget-runc registered as a runtime (runtime-config/docker):
# a private dockerd (own data-root, exec-root, socket, pidfile; no iptables,
# no bridge) runs `docker run --runtime oci-gadget`. The ring is found by
# the Docker name and by the 12-hex short id Docker prints; `docker exec`
# processes land in the container's ring; `docker restart` starts a new
# ring under the same id.
. "$(dirname "$0")/lib.sh"
require_runc
DOCKER=/usr/bin/docker # a newer client elsewhere in PATH may not speak to a 20.10 daemon
command -v dockerd >/dev/null && [ -x $DOCKER ] || skip "Docker not installed (apt-get install docker.io)"
require_bpf

# Unix socket paths are limited to about 108 bytes: a short exec-root.
XR=$(mktemp -d /tmp/ogdk.XXXXXX)
DK=(env DOCKER_HOST="unix://$XR/d.sock" $DOCKER)
dockerd_pid=""
DOCKER_CG_EXISTED=$(ls -d /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker 2>/dev/null || true)
RUN_DOCKER_EXISTED=$([ -e /run/docker ] && echo 1 || true)
extra_cleanup() {
	"${DK[@]}" rm -f $("${DK[@]}" ps -aq 2>/dev/null) >/dev/null 2>&1
	if [ -s "$XR/d.pid" ]; then
		kill "$(cat "$XR/d.pid")" 2>/dev/null
		wait_for 20 sh -c "! kill -0 $(cat "$XR/d.pid") 2>/dev/null"
	fi
	umount -R "$XR" "$WORK/docker" >/dev/null 2>&1
	# dockerd leaves cgroups named docker: remove them (depth first; rmdir
	# only removes empty ones) unless they were there before.
	[ -n "$DOCKER_CG_EXISTED" ] || for d in /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	rm -rf "$XR"
	[ -n "$RUN_DOCKER_EXISTED" ] || rm -rf /run/docker
}

sed "s|@sbindir@/gadget-runc|$top_builddir/gadget-runc|" "$top_srcdir/runtime-config/docker/daemon.json.in" |
	jq --arg root "$WORK/docker" --arg xr "$XR" '. + {"data-root": $root, "exec-root": $xr, "iptables": false,
		"ip6tables": false, "ip-masq": false, "ip-forward": false, "bridge": "none", "storage-driver": "vfs"}' \
	>"$WORK/daemon.json" || fail "daemon.json"
# containerd's shim, and so gadget-runc, inherits dockerd's environment.
OCI_GADGET_RUNTIME=$(command -v runc) OCI_GADGET_HOOK=$HOOK OCI_GADGET_PIN_ROOT=$PIN_ROOT OCI_GADGET_CRASH_DIR=$WORK/crashes \
	OCI_GADGET_SHIM_CONF=$WORK/none.conf dockerd --config-file "$WORK/daemon.json" --pidfile "$XR/d.pid" \
	-H "unix://$XR/d.sock" >"$WORK/dockerd.log" 2>&1 &
dockerd_pid=$!
wait_for 60 "${DK[@]}" version >/dev/null 2>&1 || fail "dockerd did not come up: $(tail -5 "$WORK/dockerd.log")"
make_rootfs "$WORK/rootfs"
tar -C "$WORK/rootfs" -c . | "${DK[@]}" import - og-busybox >/dev/null || fail "docker import"
ok "a private dockerd with the oci-gadget runtime, image imported"

NAME="og-dk-web-$$"
rc=0
"${DK[@]}" run --runtime oci-gadget --network none --name "$NAME" og-busybox \
	sh -c 'echo from-docker > /tmp/docker-file; exit 4' >"$WORK/run.out" 2>&1 || rc=$?
[ "$rc" = 4 ] || fail "docker run exit $rc: $(cat "$WORK/run.out")"
FULL=$("${DK[@]}" inspect -f '{{.Id}}' "$NAME")
line=$("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -c --arg n "$NAME" 'select(.name == $n)')
echo "$line" | jq -e --arg id "$FULL" '.id == $id and .state == "stopped"' >/dev/null ||
	fail "not listed by its Docker name, stopped: '$line' ($("$DUMP" --pin-root "$PIN_ROOT" list))"
"$DUMP" --pin-root "$PIN_ROOT" list | grep -q " $NAME " || fail "list's text lacks the name"
ok "listed by its Docker name (from config.v2.json), with its full id"
expect_ring "$NAME" /tmp/docker-file $'from-docker\n' 4
expect_ring "${FULL:0:12}" /tmp/docker-file $'from-docker\n' 4
ok "its ring, read by name and by the 12-hex short id Docker prints"

# docker exec: a process of the same container, in the same ring.
EX="og-dk-exec-$$"
"${DK[@]}" run -d --runtime oci-gadget --network none --name "$EX" og-busybox sleep 60 >/dev/null ||
	fail "docker run -d"
"${DK[@]}" exec "$EX" sh -c 'cat /etc/og-exec-marker 2>/dev/null; exit 0' || fail "docker exec"
dump_json "$EX" | jq -e -s 'any(.[]; .syscall == "openat" and .args[1].str == "/etc/og-exec-marker" and .errno == "ENOENT")' \
	>/dev/null || fail "the exec'd process is not in the container's ring"
ok "docker exec: the exec'd process's openat is in the container's ring"

# docker restart: the same id, a new ring.
before=$("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -r --arg n "$EX" 'select(.name == $n) | .started_ns')
"${DK[@]}" restart -t 0 "$EX" >/dev/null || fail "docker restart"
after=$("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -c --arg n "$EX" 'select(.name == $n)')
echo "$after" | jq -e --argjson b "$before" '.state == "running" and .started_ns > $b' >/dev/null ||
	fail "after restart: '$after' (started before: $before)"
dump_json "$EX" | jq -e -s 'any(.[]; .args[1].str? == "/etc/og-exec-marker") | not' >/dev/null ||
	fail "the new ring still holds the exec of the first run"
dump_json "$EX" | jq -e -s 'any(.[]; .syscall == "execve")' >/dev/null || fail "the new ring has no execve"
ok "docker restart: the same name and id, running, in a new ring"
"${DK[@]}" rm -f "$EX" >/dev/null
