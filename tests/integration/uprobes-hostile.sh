#!/bin/bash
# A hostile image asks for every uprobe family: symlinks out of the rootfs
# (to a library that exists only on the host), the same symlink in a
# volume (a bind mount the container sees at /opt/vol), FIFOs named like libraries
# (libjvm.so next to a java on PATH among them), a 2 GiB sparse file named
# like libc, a character device as /etc/ld.so.cache, an explicit path
# through "..". The hook reads no host file, opens no FIFO or
# device, does bounded work, and the container starts at once; the report
# says why each family found nothing.
. "$(dirname "$0")/lib.sh"
require_uprobes
SSL=$(ls /usr/lib/x86_64-linux-gnu/libssl.so.3 2>/dev/null) || skip "no libssl.so.3 on the host to plant"

HOSTLIB="$WORK/host-only"
mkdir -p "$HOSTLIB"
cp "$SSL" "$HOSTLIB/libssl.so.3"
HOST_INO=$(printf '%x' "$(stat -c %i "$HOSTLIB/libssl.so.3")")

make_rootfs "$WORK/root"
L="$WORK/root/usr/lib/x86_64-linux-gnu"
mkdir -p "$L" "$WORK/root/opt"
ln -s "$HOSTLIB/libssl.so.3" "$L/libssl.so.3"                     # absolute: resolved in the image
ln -s "../../../../../../..$HOSTLIB/libssl.so.3" "$L/libgnutls.so.30" # climbing: stays in the image
mkfifo "$L/libstdc++.so.6"
truncate -s 2G "$L/libc.so.6"
mknod "$WORK/root/etc/ld.so.cache" c 1 5 || skip "cannot mknod in $WORK"
# A java on PATH whose libjvm.so is a FIFO (opening it would block).
J="$WORK/root/usr/lib/jvm/evil"
mkdir -p "$J/bin" "$J/lib/server"
cp /bin/busybox "$J/bin/java"
ln -s ../lib/jvm/evil/bin/java "$WORK/root/usr/bin/java" 2>/dev/null || { mkdir -p "$WORK/root/usr/bin"; ln -s ../lib/jvm/evil/bin/java "$WORK/root/usr/bin/java"; }
mkfifo "$J/lib/server/libjvm.so"

mkdir -p "$WORK/vol" "$WORK/root/opt/vol"
ln -s "$HOSTLIB/libssl.so.3" "$WORK/vol/libssl.so.3"

make_bundle_root "$WORK/b" "$WORK/root" '["/bin/sleep", "2"]'
set_env "$WORK/b" "PATH=/usr/bin:/bin"
jq --arg v "$WORK/vol" '.mounts += [{"destination": "/opt/vol", "type": "bind", "source": $v, "options": ["rbind", "ro"]}]' \
	"$WORK/b/config.json" >"$WORK/b/config.json.new" && mv "$WORK/b/config.json.new" "$WORK/b/config.json"
set_annotations "$WORK/b" "$(jq -cn --arg p "/opt/../../..$HOSTLIB/libssl.so.3,/opt/vol/libssl.so.3" \
	'{"io.oci-gadget.uprobes": "all", "io.oci-gadget.uprobe-paths": $p}')"
ID="og-hostile-$$"
t0=$(date +%s%N)
start_container "$ID" "$WORK/b"
t1=$(date +%s%N)
ms=$(((t1 - t0) / 1000000))
[ $ms -lt 5000 ] || fail "runc run -d took $ms ms"
ok "the container started in $ms ms"
ls "$PIN_ROOT/uprobes" 2>/dev/null | grep -- "-$HOST_INO-" && fail "a probe sits on the host-only library"
ok "no probe on the host file the image's symlinks point at"
stop_container "$ID"
rep=$(probes_of "$ID")
for f in malloc ssl gc exceptions; do
	echo "$rep" | grep -q "^$f: nothing: " || fail "$f: no reason given: $rep"
done
echo "$rep" | grep -q "uprobe-paths: /opt/../../..$HOSTLIB/libssl.so.3: not a regular file" || fail "explicit path: $rep"
echo "$rep" | grep -q "uprobe-paths: /opt/vol/libssl.so.3: " || fail "the volume's symlink: $rep"
ok "every family says why it found nothing; the explicit path through .. and the volume's symlink are refused"
grep -qs "gadget-hook: container '$ID': .*uprobes" "$WORK/hook.log" && fail "the hook logged an error: $(cat "$WORK/hook.log")"
ok "no error: the bad files are skipped, not fatal"

# The program itself is the java whose libjvm.so is a FIFO (a busybox copy:
# it exits at once, after the hook let it start).
probed_bundle "$WORK/bj" "$WORK/root" '["/usr/bin/java"]' "gc"
set_env "$WORK/bj" "PATH=/usr/bin:/bin"
ID2="og-hostile-java-$$"
CONTAINERS="$CONTAINERS $ID2"
t0=$(date +%s%N)
rc=0
timeout 20 runc run --bundle "$WORK/bj" "$ID2" </dev/null >/dev/null 2>&1 || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ $rc != 124 ] && [ $ms -lt 5000 ] || fail "the container's start blocked ($ms ms, rc $rc)"
probes_of "$ID2" | grep -q "^gc: nothing: " || fail "gc: $(probes_of "$ID2")"
ok "java's libjvm.so is a FIFO: not opened, the container ran in $ms ms"
