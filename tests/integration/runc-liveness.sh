#!/bin/bash
# Liveness without a poststop. Containers whose init is gone and whose
# poststop never came:
# - "gone": its init moved out of its cgroup and killed there (its end is
#   not in its ring); and one whose pid was taken, in its own cgroup, by
#   another process (only the start time tells them apart);
# - "ended": runc killed during prestart (its init exits), and a container
#   that exited and was never deleted;
# are listed so, not "running"; -f returns; gadget-tracer status counts
# them; the maintainer a hook starts stops them (out of maps/cgroups, slot
# emptied, said in the log), a late poststop still finds its ring, and
# gadget-dump prune stops one gone since and frees every ring and slot.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf
MNT=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -w /proc/sys/kernel/ns_last_pid ] || skip "cannot choose a pid (/proc/sys/kernel/ns_last_pid is not writable)"

SCRATCH="$MNT/og-liveness-scratch-$$"
KILLED="og-live-killed-$$"
HOLDERS=""
extra_cleanup() {
	for p in $HOLDERS; do kill -9 "$p" 2>/dev/null; done
	# runc killed while creating left no state: its cgroups stay behind.
	for d in "$SCRATCH" /sys/fs/cgroup/*/"$KILLED" "$MNT/$KILLED"; do
		[ -d "$d" ] && wait_for 10 rmdir "$d" 2>/dev/null
	done
	true
}
mkdir "$SCRATCH"
list() { "$DUMP" --pin-root "$PIN_ROOT" list --json; }
field() { list | jq -r --arg id "$1" "select(.id == \$id) | .$2"; }
status() { "$TRACER" --pin-root "$PIN_ROOT" status --json | jq -r ".$1"; }
slots_used() { bpftool map dump pinned "$PIN_ROOT/maps/rings" -j | jq length; }
cgroup_of() { sed -n 's/^0:://p' "/proc/$1/cgroup"; }

# kill_outside ID: its init moved out of its cgroup, then killed there:
# the programs do not see it end. Prints the pid.
kill_outside() {
	local pid
	pid=$(runc state "$1" | jq .pid)
	echo "$pid" >"$SCRATCH/cgroup.procs"
	kill -9 "$pid"
	wait_for 10 sh -c "! grep -qs '^State:.*[RS]' /proc/$pid/status" || fail "$1: pid $pid did not die"
	echo "$pid"
}

# With malloc probes on the image's libc: its references go when it is
# stopped, as at a poststop.
GONE="og-live-gone-$$"
PROBES=$("$TRACER" --pin-root "$PIN_ROOT" status --json | jq -r '.features.uprobes.supported')
make_dynamic_rootfs "$WORK/dyn" /bin/sleep
make_bundle_root "$WORK/probed" "$WORK/dyn" '["/usr/bin/sleep", "1000"]'
[ "$PROBES" = true ] && set_annotations "$WORK/probed" '{"io.oci-gadget.uprobes": "malloc"}'
start_container "$GONE" "$WORK/probed"
[ "$PROBES" = true ] && { [ "$(status uprobe_refs)" -gt 0 ] || fail "no uprobe references: $(probes_of "$GONE")"; }
kill_outside "$GONE" >/dev/null
make_bundle "$WORK/sleep" '["/bin/sleep", "1000"]'

# Its pid taken by another process in its own cgroup.
REUSED="og-live-reused-$$"
start_container "$REUSED" "$WORK/sleep"
cg=$MNT$(cgroup_of "$(runc state "$REUSED" | jq .pid)")
pid=$(kill_outside "$REUSED")
wait_for 20 sh -c "[ ! -e /proc/$pid ]" || fail "pid $pid is not reaped: $(cat /proc/$pid/status)"
for try in $(seq 50); do
	echo $((pid - 1)) >/proc/sys/kernel/ns_last_pid
	sleep 1000 </dev/null >/dev/null 2>&1 &
	HOLDERS="$HOLDERS $!"
	[ $! = "$pid" ] && break
done
[ $! = "$pid" ] || fail "could not start a process of pid $pid again"
echo "$pid" >"$cg/cgroup.procs"

# runc killed by the hook after ours: the init exits, nobody deletes.
cat >"$WORK/kill-runc.sh" <<'SH'
#!/bin/sh
kill -9 "$PPID"
SH
chmod +x "$WORK/kill-runc.sh"
make_bundle "$WORK/killed" '["/bin/sleep", "1000"]'
jq --arg k "$WORK/kill-runc.sh" '.hooks.prestart += [{path: $k}]' "$WORK/killed/config.json" >"$WORK/c.json"
mv "$WORK/c.json" "$WORK/killed/config.json"
# (In a subshell that says nothing of the kill; with a runc root of its
# own, whose state runc leaves behind.)
rc=$( (runc --root "$WORK/runc-killed" run -d --bundle "$WORK/killed" "$KILLED" </dev/null >/dev/null 2>&1
	echo $?) 2>/dev/null)
[ "$rc" = 137 ] || fail "runc was not killed during prestart: exit $rc"

# Exited, never deleted.
UNDELETED="og-live-undeleted-$$"
make_bundle "$WORK/true" '["/bin/true"]'
make_bundle "$WORK/exit3" '["/bin/sh", "-c", "exit 3"]'
start_container "$UNDELETED" "$WORK/exit3"
wait_for 10 sh -c "runc state $UNDELETED | jq -e '.status == \"stopped\"' >/dev/null" || fail "$UNDELETED did not exit"

# The maintainer each hook starts may have stopped some already (then
# gone): ended lasts until the next one.
for id in "$GONE" "$REUSED"; do
	[ "$(field "$id" state)" = gone ] || fail "$id: list says '$(field "$id" state)', expected gone"
	[ "$(field "$id" exit)" = - ] || fail "$id: EXIT '$(field "$id" exit)', expected - (not known)"
done
for id in "$KILLED" "$UNDELETED"; do
	case $(field "$id" state) in ended | gone) ;; *) fail "$id: list says '$(field "$id" state)', expected ended or gone" ;; esac
done
"$DUMP" --pin-root "$PIN_ROOT" list | grep -q "^$GONE .* gone " || fail "text list: $("$DUMP" --pin-root "$PIN_ROOT" list)"
ok "listed gone (init moved out and killed; pid taken by another process in its cgroup), ended or gone (runc killed, never deleted)"
for id in "$GONE" "$REUSED" "$KILLED" "$UNDELETED"; do
	rc=0
	timeout 10 "$DUMP" --pin-root "$PIN_ROOT" -f "$id" >/dev/null || rc=$?
	[ $rc = 0 ] || fail "$id: gadget-dump -f exit $rc (124: it did not return)"
done
ok "gadget-dump -f returns for each"
[ "$(status containers_running)" = 0 ] && [ $(($(status containers_gone) + $(status containers_ended))) = 4 ] ||
	fail "status: $("$TRACER" --pin-root "$PIN_ROOT" status --json | jq -c '{containers_running, containers_ended, containers_gone}')"
"$TRACER" --pin-root "$PIN_ROOT" status | grep -q "^no poststop: *[0-9]* ended.*, [0-9]* gone" || fail "status text: $("$TRACER" --pin-root "$PIN_ROOT" status)"
ok "gadget-tracer status counts them ended or gone, none running"

# Any container's hooks start the maintainer: it stops them and empties their slots.
OTHER="og-live-other-$$"
[ "$(run_container "$OTHER" "$WORK/true")" = 0 ] || fail "$OTHER failed"
wait_for 20 sh -c "[ \"\$($TRACER --pin-root $PIN_ROOT status --json | jq .registered)\" = 0 ]" ||
	fail "the maintainer left $(status registered) registered"
for id in "$GONE" "$REUSED" "$KILLED" "$UNDELETED"; do
	[ "$(field "$id" state)" = gone ] || fail "$id: after the maintainer, '$(field "$id" state)'"
	[ "$(field "$id" stopped_ns)" != 0 ] || fail "$id: no stop time"
	grep -q "container '$id': no poststop came and its init (pid [0-9]*) is gone: stopped, its ring kept" "$WORK/hook.log" ||
		fail "$id: not in the hook log: $(cat "$WORK/hook.log")"
done
[ "$(field "$KILLED" exit)" = "exited 1" ] || fail "$KILLED: EXIT '$(field "$KILLED" exit)', expected exited 1"
wait_for 20 sh -c "[ \"\$(bpftool map dump pinned $PIN_ROOT/maps/rings -j | jq length)\" = \"\$($TRACER --pin-root $PIN_ROOT status --json | jq .pool_ready)\" ]" ||
	fail "maps/rings holds $(slots_used) rings, the pool $(status pool_ready)"
[ "$PROBES" != true ] || [ "$(status uprobe_refs)" = 0 ] || fail "uprobe references left: $(status uprobe_refs)"
ok "the hook's maintainer stopped all four (logged), out of maps/cgroups, their slots emptied, uprobe references dropped, rings kept"

runc delete "$UNDELETED" || fail "runc delete $UNDELETED"
[ "$(field "$UNDELETED" state)" = stopped ] || fail "$UNDELETED: its late poststop left '$(field "$UNDELETED" state)'"
crash=$(ls "$WORK"/crashes/*"$UNDELETED"*.ogcrash 2>/dev/null | head -1)
[ -n "$crash" ] || fail "$UNDELETED: its late poststop wrote no crash file: $(cat "$WORK/hook.log")"
"$DUMP" list --file "$crash" --json | jq -e '.state == "stopped" and .exit == "exited 3"' >/dev/null ||
	fail "crash file: $("$DUMP" list --file "$crash" --json)"
ok "a poststop that comes after all finds its ring: stopped, its crash file written"

LATE="og-live-late-$$"
start_container "$LATE" "$WORK/sleep"
kill_outside "$LATE" >/dev/null
"$DUMP" --pin-root "$PIN_ROOT" prune >"$WORK/prune.out" || fail "prune: $(cat "$WORK/prune.out")"
grep -q "^stopped 1 container gone without a poststop" "$WORK/prune.out" || fail "prune said: $(cat "$WORK/prune.out")"
grep -q "^removed 6 stopped containers" "$WORK/prune.out" || fail "prune said: $(cat "$WORK/prune.out")"
[ -z "$(list)" ] || fail "left after prune: $(list)"
[ "$(status registered)" = 0 ] || fail "registered $(status registered) after prune"
[ "$(slots_used)" = "$(status pool_ready)" ] || fail "after prune maps/rings holds $(slots_used) rings, the pool $(status pool_ready)"
ok "prune stops the one gone since, removes every ring and empties their slots"
