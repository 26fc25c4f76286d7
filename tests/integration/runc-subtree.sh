#!/bin/bash
# A container's whole cgroup subtree is recorded: its process moved into a
# child cgroup, and a grandchild, two levels down (what systemd in a
# container or any delegated subtree does), still writes into the ring;
# other processes of the host in sibling cgroups do not. When the cgroups
# go, or the container stops, their entries go too.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

ID="og-subtree-$$"
M1="/og-sub-one-$$"
M2="/og-sub-two-$$"
make_bundle "$WORK/b" "[\"/bin/sh\", \"-c\", \"while [ ! -e /go ]; do usleep 20000; done; cat $M1 2>/dev/null; while [ ! -e /go2 ]; do usleep 20000; done; cat $M2 2>/dev/null; exit 3\"]"
start_container "$ID" "$WORK/b"
pid=$(runc state "$ID" | jq .pid)
cg=$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid/cgroup")
mnt=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
dir="$mnt$cg"
[ -d "$dir" ] || fail "container cgroup $dir not found"
extra_cleanup() { rmdir "$dir/sub/deeper" "$dir/sub" "$dir/sibling" 2>/dev/null || true; }
status() { "$TRACER" --pin-root "$PIN_ROOT" status --json; }

# The process goes to a child cgroup, then to a grandchild made after the
# move (mkdir under a child, not under the registered cgroup itself).
mkdir "$dir/sub"
echo "$pid" >"$dir/sub/cgroup.procs"
touch "$WORK/b/rootfs/go"
mkdir "$dir/sub/deeper"
echo "$pid" >"$dir/sub/deeper/cgroup.procs"
[ "$(status | jq .child_cgroups)" = 2 ] || fail "child cgroups: $(status | jq .child_cgroups), expected 2"
ok "two cgroups made inside the container joined it"

# A host process in a sibling of the container's cgroup is not recorded.
mkdir "$dir/../$(basename "$dir")-sibling-$$" 2>/dev/null && SIB="$dir/../$(basename "$dir")-sibling-$$" || SIB=""
if [ -n "$SIB" ]; then
	sh -c 'echo $$ > "$0/cgroup.procs"; exec cat /og-sibling-'$$' 2>/dev/null' "$SIB" || true
	rmdir "$SIB"
fi
touch "$WORK/b/rootfs/go2"
stop_container "$ID"

dump_json "$ID" >"$WORK/d.json"
for m in "$M1" "$M2"; do
	jq -s -e --arg m "$m" 'any(.[]; .syscall == "openat" and .args[1].str == $m)' "$WORK/d.json" >/dev/null ||
		fail "the open of $m, made from a child cgroup, is not in the ring"
done
ok "opens from the child and the grandchild cgroup are in the ring"
jq -s -e 'any(.[]; .syscall == "exit_group" and .args[0].value == 3)' "$WORK/d.json" >/dev/null ||
	fail "exit_group(3) from the grandchild cgroup is missing"
if [ -n "$SIB" ]; then
	jq -s -e 'any(.[]; .syscall == "openat" and (.args[1].str // "" | startswith("/og-sibling-")))' "$WORK/d.json" >/dev/null &&
		fail "a sibling cgroup's open is in the ring"
	ok "a sibling cgroup's process is not recorded"
fi
[ "$(status | jq .child_cgroups)" = 0 ] || fail "child cgroups left after stop: $(status | jq .child_cgroups)"
rmdir "$dir/sub/deeper" "$dir/sub" 2>/dev/null || true
ok "no child cgroup entry left after the container stopped"

# The cap: a container has at most 256 child cgroups recorded; cgroups past
# it are not, and the count comes back as they go.
ID2="og-subtree-cap-$$"
make_bundle "$WORK/b2" '["/bin/sleep", "30"]'
start_container "$ID2" "$WORK/b2"
pid2=$(runc state "$ID2" | jq .pid)
dir2="$mnt$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid2/cgroup")"
extra_cleanup() { for i in $(seq 1 300); do rmdir "$dir2/c$i" 2>/dev/null; done; true; }
for i in $(seq 1 300); do mkdir "$dir2/c$i"; done
[ "$(status | jq .child_cgroups)" = 256 ] || fail "300 child cgroups made: $(status | jq .child_cgroups) recorded, expected the cap of 256"
for i in $(seq 1 300); do rmdir "$dir2/c$i"; done
[ "$(status | jq .child_cgroups)" = 0 ] || fail "after rmdir: $(status | jq .child_cgroups) left"
mkdir "$dir2/again"
[ "$(status | jq .child_cgroups)" = 1 ] || fail "a child made after the others went is not recorded"
rmdir "$dir2/again"
ok "at most 256 child cgroups per container; their room comes back when they go"
runc kill "$ID2" KILL
stop_container "$ID2"
