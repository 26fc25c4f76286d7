#!/bin/bash
# A container's whole cgroup subtree is recorded: its process moved into a
# child cgroup, and a grandchild, two levels down (what systemd in a
# container or any delegated subtree does), still writes into the ring;
# other processes of the host in sibling cgroups do not. Nothing is kept
# per child cgroup: 300 of them change nothing, and the 300th records.
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
level=$(echo "$cg" | tr -cd / | wc -c)
status | jq -e --argjson l "$level" '.cgroup_levels | index($l)' >/dev/null ||
	fail "cgroup levels $(status | jq -c .cgroup_levels) lack the container's, $level"
ok "the container is registered at its cgroup's level, $level"

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
[ "$(status | jq .registered)" = 0 ] || fail "registered after stop: $(status | jq .registered)"
[ "$(status | jq -c .cgroup_levels)" = "[]" ] || fail "cgroup levels after stop: $(status | jq -c .cgroup_levels)"
rmdir "$dir/sub/deeper" "$dir/sub" 2>/dev/null || true
ok "nothing registered after the container stopped"

# No cap: 300 child cgroups (the old table held 256 per container), the
# process moved into the last one is recorded.
ID2="og-subtree-many-$$"
M3="/og-sub-many-$$"
make_bundle "$WORK/b2" "[\"/bin/sh\", \"-c\", \"while [ ! -e /go ]; do usleep 20000; done; cat $M3 2>/dev/null; exit 4\"]"
start_container "$ID2" "$WORK/b2"
pid2=$(runc state "$ID2" | jq .pid)
dir2="$mnt$(awk -F: '$1 == "0" { print $3 }' "/proc/$pid2/cgroup")"
extra_cleanup() { for i in $(seq 1 300); do rmdir "$dir2/c$i" 2>/dev/null; done; true; }
(cd "$dir2" && mkdir $(seq -f "c%g" 300))
echo "$pid2" >"$dir2/c300/cgroup.procs"
touch "$WORK/b2/rootfs/go"
wait_for 30 sh -c "runc state $ID2 2>/dev/null | jq -e '.status == \"stopped\"' >/dev/null" || fail "$ID2 did not stop"
for i in $(seq 1 300); do rmdir "$dir2/c$i"; done
stop_container "$ID2"
dump_json "$ID2" | jq -e -s --arg m "$M3" 'any(.[]; .syscall == "openat" and .args[1].str == $m)' >/dev/null ||
	fail "the open from the 300th child cgroup is not in the ring"
ok "300 child cgroups: the 300th is recorded like the container's own"
