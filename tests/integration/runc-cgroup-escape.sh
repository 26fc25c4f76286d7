#!/bin/bash
# No cgroup layout a container makes takes it out of its recording, or
# another container's (issue 20, item 1):
# - a container with its own cgroup namespace and a writable cgroup2 mount
#   makes 300 nested child cgroups and moves into the deepest: what it runs
#   there is still in its ring;
# - sixteen containers with 256 child cgroups each do not leave a
#   seventeenth's child cgroup unrecorded: there is no shared table of
#   children to fill.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf
MNT=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
DEPTH=300

# The container's cgroup directory on the host.
cgroup_dir() { echo "$MNT$(awk -F: '$1 == "0" { print $3 }' "/proc/$(runc state "$1" | jq .pid)/cgroup")"; }
# Removes a cgroup's descendants, deepest first.
rm_below() { [ -d "$1" ] && find "$1" -mindepth 1 -depth -type d -exec rmdir {} \; 2>/dev/null; true; }
# recorded ID PATH CODE WHERE: ID's ring has the open of PATH and exit_group(CODE).
recorded() {
	dump_json "$1" >"$WORK/$1.json" || fail "gadget-dump $1 failed"
	jq -e -s --arg m "$2" 'any(.[]; .syscall == "openat" and .args[1].str == $m)' "$WORK/$1.json" >/dev/null ||
		fail "$1: the open of $2, $4, is not in its ring"
	jq -e -s --argjson c "$3" 'any(.[]; .syscall == "exit_group" and .args[0].value == $c)' "$WORK/$1.json" >/dev/null ||
		fail "$1: exit_group($3), $4, is not in its ring"
}

# --- 300 levels down, inside its own cgroup namespace ----------------------
ID="og-escape-$$"
MARK="/og-deep-$$"
script="d=/sys/fs/cgroup; for i in \$(seq $DEPTH); do d=\$d/n; mkdir \$d || exit 90; done
echo \$\$ > \$d/cgroup.procs || exit 91
cat /proc/self/cgroup > /tmp/cgroup
cat $MARK 2>/dev/null
exit 7"
make_bundle "$WORK/b" "$(jq -cn --arg s "$script" '["/bin/sh", "-c", $s]')"
jq '.linux.namespaces += [{"type": "cgroup"}] |
	.mounts = [.mounts[] | select(.destination != "/sys/fs/cgroup")] +
		[{"destination": "/sys/fs/cgroup", "type": "cgroup2", "source": "cgroup2",
		  "options": ["nosuid", "noexec", "nodev", "rw"]}]' "$WORK/b/config.json" >"$WORK/b/config.json.new"
mv "$WORK/b/config.json.new" "$WORK/b/config.json"
CONTAINERS="$CONTAINERS $ID"
runc create --bundle "$WORK/b" "$ID" </dev/null >"$WORK/$ID.stdout" 2>"$WORK/$ID.stderr" ||
	fail "runc create $ID: $(cat "$WORK/$ID.stderr")"
DIR=$(cgroup_dir "$ID")
extra_cleanup() { rm_below "$DIR"; }
runc start "$ID" || fail "runc start $ID"
wait_for 60 sh -c "runc state $ID 2>/dev/null | jq -e '.status == \"stopped\"' >/dev/null" || fail "$ID did not stop"
inside=$(cat "$WORK/b/rootfs/tmp/cgroup" 2>/dev/null) || fail "$ID did not reach the deepest cgroup: $(cat "$WORK/$ID.stderr")"
levels=$(echo "$inside" | awk -F: '$1 == "0" { print gsub("/n", "") }')
[ "$levels" = "$DEPTH" ] || fail "$ID's process is $levels levels below its cgroup namespace's root, expected $DEPTH: $inside"
rm_below "$DIR"
runc delete "$ID" || fail "runc delete $ID"
recorded "$ID" "$MARK" 7 "$DEPTH cgroups down"
ok "a container $DEPTH cgroups below its own, in its cgroup namespace, is still recorded"

# --- 16 containers with 256 children each, then a 17th ----------------------
FILLERS=""
extra_cleanup() { for d in $FILLERS; do rm_below "$d"; done; }
make_bundle "$WORK/sleep" '["/bin/sleep", "60"]'
for i in $(seq 16); do
	start_container "og-fill-$i-$$" "$WORK/sleep"
	d=$(cgroup_dir "og-fill-$i-$$")
	FILLERS="$FILLERS $d"
	(cd "$d" && mkdir $(seq -f "c%g" 256)) || fail "256 child cgroups in og-fill-$i-$$"
done
ok "16 containers made 256 child cgroups each"
ID17="og-seventeenth-$$"
MARK17="/og-seventeenth-$$"
make_bundle "$WORK/b17" "[\"/bin/sh\", \"-c\", \"while [ ! -e /go ]; do usleep 20000; done; cat $MARK17 2>/dev/null; exit 5\"]"
start_container "$ID17" "$WORK/b17"
d17=$(cgroup_dir "$ID17")
FILLERS="$FILLERS $d17"
mkdir "$d17/child"
runc state "$ID17" | jq .pid >"$d17/child/cgroup.procs"
touch "$WORK/b17/rootfs/go"
wait_for 30 sh -c "runc state $ID17 2>/dev/null | jq -e '.status == \"stopped\"' >/dev/null" || fail "$ID17 did not stop"
rmdir "$d17/child"
runc delete "$ID17" || fail "runc delete $ID17"
recorded "$ID17" "$MARK17" 5 "from its child cgroup"
ok "after 16 x 256 child cgroups, a seventeenth container's child cgroup is recorded"
for i in $(seq 16); do runc kill "og-fill-$i-$$" KILL 2>/dev/null || true; done
