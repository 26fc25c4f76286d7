#!/bin/bash
# The demo: a real runc container with gadget-hook as its prestart and
# poststop hooks; after it has exited, its ring shows its last syscalls and
# how it ended, and its crash file (it exits 3) keeps them past the pins.
set -euo pipefail
SBINDIR=${SBINDIR:-$(dirname "$(command -v gadget-hook)")}
ID=oci-gadget-demo
DIR=/tmp/oci-gadget-demo

[ "$(id -u)" = 0 ] || { echo "demo: run as root" >&2; exit 1; }
runc delete -f "$ID" >/dev/null 2>&1 || true
rm -rf "$DIR"
mkdir -p "$DIR/rootfs/bin" "$DIR/rootfs/tmp" "$DIR/rootfs/etc"
cp /bin/busybox "$DIR/rootfs/bin/"
for app in $(/bin/busybox --list); do
	[ "$app" = busybox ] || ln -sf busybox "$DIR/rootfs/bin/$app"
done
echo "demo-box" >"$DIR/rootfs/etc/hostname"
cd "$DIR"
runc spec
jq --arg hook "$SBINDIR/gadget-hook" '
	.process.terminal = false |
	.root.readonly = false |
	.process.args = ["/bin/sh", "-c",
		"cat /etc/hostname; echo crash-report > /tmp/report.txt; cat /etc/missing-config; exit 3"] |
	.hooks = {prestart: [{path: $hook, args: ["gadget-hook", "prestart"]}],
	          poststop: [{path: $hook, args: ["gadget-hook", "poststop"]}]}' config.json >config.json.new
mv config.json.new config.json

# reload: loads, or replaces the programs of an earlier build (an upgrade).
echo "### gadget-tracer reload"
"$SBINDIR/gadget-tracer" reload
echo "### runc run $ID (the container exits with status 3)"
rc=0
runc run "$ID" </dev/null || rc=$?
echo "(exit status $rc)"
echo "### gadget-dump list"
"$SBINDIR/gadget-dump" list
echo "### gadget-dump $ID --syscall execve,openat,read,write,exit_group --event syscall,exit (the dead container's last moments)"
"$SBINDIR/gadget-dump" "$ID" --syscall execve,openat,read,write,exit_group --event syscall,exit |
	{ grep -v "runc:\\[" || true; } | tail -20
CRASH=$(ls -t /var/lib/oci-gadget/crashes/*-"$ID".ogcrash 2>/dev/null | head -1)
echo "### gadget-dump --file $CRASH --tail 3 (its crash file: exit status 3 is abnormal; readable after the pins are gone)"
[ -n "$CRASH" ] && "$SBINDIR/gadget-dump" --file "$CRASH" --tail 3
echo "### gadget-tracer status"
"$SBINDIR/gadget-tracer" status
"$SBINDIR/gadget-dump" "$ID" --json >"$DIR/dump.json"
grep -q '"str":"crash-report\\n"' "$DIR/dump.json" || { echo "demo: the write is missing from the ring" >&2; exit 1; }
grep -q '"event":"exit".*"exit_code":3' "$DIR/dump.json" || { echo "demo: the container's end is missing from the ring" >&2; exit 1; }
[ -n "$CRASH" ] || { echo "demo: no crash file under /var/lib/oci-gadget/crashes" >&2; exit 1; }
[ "$rc" = 3 ]
