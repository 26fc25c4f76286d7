#!/bin/bash
# malloc probes from the first instruction, in three containers of one image
# (three overlay mounts over the same lower layer):
# - each ring holds exactly its own container's mallocs and frees;
# - the probes are attached once per libc inode, not once per container:
#   the uprobe program runs once per call (bpf_stats) and there is one
#   link per probe, pinned by three containers;
# - --leaks reports exactly the blocks the program leaked, by stack;
# - after the containers stop the probes linger (uprobe-linger): a fourth
#   container of the image takes the same links, and once its shorter
#   linger is up the hook's reaper detaches them: no probe is left
#   (bpftool link count).
. "$(dirname "$0")/lib.sh"
require_uprobes
command -v gcc >/dev/null || skip "gcc not installed"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || skip "no overlayfs"

gcc -O1 -fno-omit-frame-pointer -o "$WORK/malloc-pattern" "$top_srcdir/tests/data/progs/malloc-pattern.c"
make_dynamic_rootfs "$WORK/image" "$WORK/malloc-pattern"
[ -s "$WORK/image/etc/ld.so.cache" ] || fail "ldconfig -r made no ld.so.cache"

STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
extra_cleanup() {
	sysctl -q kernel.bpf_stats_enabled="$STATS_WAS"
	for i in 1 2 3 4; do umount "$WORK/c$i/merged" 2>/dev/null; done
}
links_before=$(count_perf_links)

declare -A N=([1]=11 [2]=22 [3]=33 [4]=44)
for i in 1 2 3 4; do
	mkdir -p "$WORK/c$i/upper" "$WORK/c$i/work" "$WORK/c$i/merged"
	mount -t overlay overlay -o "lowerdir=$WORK/image,upperdir=$WORK/c$i/upper,workdir=$WORK/c$i/work" \
		"$WORK/c$i/merged" || skip "cannot mount overlayfs"
	probed_bundle "$WORK/b$i" "$WORK/c$i/merged" "[\"/usr/bin/malloc-pattern\", \"${N[$i]}\", \"3000\"]" "malloc"
done

sysctl -q kernel.bpf_stats_enabled=1
runs() { bpftool prog show pinned "$PIN_ROOT/progs/uprobe" -j | jq '.run_cnt // 0'; }
runs_before=$(runs)
for i in 1 2 3; do start_container "og-up-$i-$$" "$WORK/b$i"; done

# While they run: one link per probe, three references each.
wait_for 10 sh -c "[ \$(ls '$PIN_ROOT/uprobes' 2>/dev/null | wc -l) -gt 0 ]" || fail "no uprobes pinned: $(cat "$WORK/hook.log")"
keys=$(ls "$PIN_ROOT/uprobes" | wc -l)
for k in "$PIN_ROOT"/uprobes/*; do
	refs=$(ls "$k" | wc -l)
	[ "$refs" = 3 ] || fail "$(basename "$k"): $refs references, expected 3 (one per container)"
done
links_running=$(count_perf_links)
[ $((links_running - links_before)) = "$keys" ] ||
	fail "$((links_running - links_before)) perf_event links for $keys probes: attached more than once"
ok "$keys probes on the shared libc, one link each, three containers on each"

for i in 1 2 3; do stop_container "og-up-$i-$$"; done
runs_after=$(runs)

total=0
for i in 1 2 3; do
	dump_json "og-up-$i-$$" >"$WORK/$i.json"
	n=$(jq -s '[.[] | select(.event=="malloc" and .size >= 7000 and .size < 7256)] | length' "$WORK/$i.json")
	[ "$n" = "${N[$i]}" ] || fail "container $i: $n mallocs of the pattern, expected ${N[$i]}"
	leaked=$(((${N[$i]} + 2) / 3))
	frees=$(jq -s --slurpfile m <(jq -s '[.[] | select(.event=="malloc" and .size >= 7000 and .size < 7256) | .addr]' "$WORK/$i.json") \
		'[.[] | select(.event=="free" and (.addr as $a | $m[0] | any(.[]; . == $a)))] | length' "$WORK/$i.json")
	[ "$frees" -ge $((${N[$i]} - leaked)) ] || fail "container $i: $frees frees of the pattern's blocks"
	ev=$(jq -s '[.[] | select(.event | IN("syscall", "signal", "exit", "oom_kill", "crash") | not)] | length' "$WORK/$i.json")
	total=$((total + ev))
	jq -e -s '[.[] | select(.event=="syscall")] | length > 0' "$WORK/$i.json" >/dev/null ||
		fail "container $i: no syscalls beside the events"
	ok "container $i: its ${N[$i]} mallocs, none of the others'"

	"$DUMP" --pin-root "$PIN_ROOT" "og-up-$i-$$" --leaks --json >"$WORK/leaks-$i.json"
	want_bytes=0
	for ((k = 0; k < ${N[$i]}; k += 3)); do want_bytes=$((want_bytes + 7000 + k)); done
	jq -e -s --argjson b "$want_bytes" --argjson n "$leaked" \
		'(.[] | select(.event=="leak_summary") | .bytes == $b and .allocations == $n and (.partial | not))' \
		"$WORK/leaks-$i.json" >/dev/null || fail "container $i: leak report $(cat "$WORK/leaks-$i.json"), expected $leaked blocks, $want_bytes bytes"
	jq -e -s --argjson n "$leaked" '[.[] | select(.event=="leak")] | length == 1 and .[0].allocations == $n and (.[0].stack | length) >= 2' \
		"$WORK/leaks-$i.json" >/dev/null || fail "container $i: leaks not grouped on one stack: $(cat "$WORK/leaks-$i.json")"
done
ok "leak reports exact: one stack per container, the blocks it did not free"

# Every event in the rings is one run of the entry program: no call ran it
# once per container.
delta=$((runs_after - runs_before))
[ "$delta" = "$total" ] || fail "the uprobe program ran $delta times for $total events in the rings"
ok "the uprobe program ran once per call ($delta runs, $total events)"

# The links outlive their last container (60 s by default): each key holds
# one linger pin, and nothing was detached.
now=$(date +%s)
for k in "$PIN_ROOT"/uprobes/*; do
	names=$(ls "$k")
	case "$names" in
	linger-[0-9]*) ;;
	*) fail "$(basename "$k"): '$names' after stop, expected one linger pin" ;;
	esac
	t=${names#linger-}
	[ "$t" -ge $((now + 50)) ] && [ "$t" -le $((now + 61)) ] ||
		fail "$(basename "$k"): lingers until $t, now $now: not the default 60 s"
done
[ $(($(count_perf_links) - links_before)) = "$keys" ] || fail "$(count_perf_links) perf_event links after stop, $links_before before, $keys probes"
lingering=$("$TRACER" --pin-root "$PIN_ROOT" status --json | jq .uprobe_lingering)
[ "$lingering" = "$keys" ] || fail "gadget-tracer status: $lingering lingering, expected $keys"
ok "after stop the $keys probes linger, attached once"

# A container of the same image started meanwhile takes the same links.
set_annotations "$WORK/b4" '{"io.oci-gadget.uprobes": "malloc", "io.oci-gadget.uprobe-linger": "2s"}'
start_container "og-up-4-$$" "$WORK/b4"
for k in "$PIN_ROOT"/uprobes/*; do
	[ "$(ls "$k")" = "og-up-4-$$" ] || fail "$(basename "$k"): '$(ls "$k" | tr '\n' ' ')', expected the new container's reference alone"
done
[ $(($(count_perf_links) - links_before)) = "$keys" ] || fail "a link was made again: $(count_perf_links) perf_event links"
stop_container "og-up-4-$$"
n=$(dump_json "og-up-4-$$" | jq -s '[.[] | select(.event=="malloc" and .size >= 7000 and .size < 7256)] | length')
[ "$n" = "${N[4]}" ] || fail "container 4: $n mallocs of the pattern on the lingering probes, expected ${N[4]}"
ok "a container of the same image took the lingering probes: its ${N[4]} mallocs"

# It asked for 2 s: the reaper the hook left behind (awake at least every
# 10 s) detaches them without anyone calling it.
wait_for 20 sh -c "[ -z \"\$(ls '$PIN_ROOT/uprobes' 2>/dev/null)\" ]" ||
	fail "uprobe pins left 20 s after a 2 s linger: $(ls -R "$PIN_ROOT/uprobes")"
[ "$(count_perf_links)" = "$links_before" ] || fail "perf_event links: $(count_perf_links), before: $links_before"
ok "no probe left once their linger was up"
