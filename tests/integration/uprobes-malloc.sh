#!/bin/bash
# malloc probes from the first instruction, in three containers of one image
# (three overlay mounts over the same lower layer):
# - each ring holds exactly its own container's mallocs and frees;
# - the probes are attached once per libc inode, not once per container:
#   the uprobe program runs once per call (bpf_stats) and there is one
#   link per probe, pinned by three containers;
# - --leaks reports exactly the blocks the program leaked, by stack;
# - after the containers stop no probe is left (bpftool link count).
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf
require_feature uprobes
command -v gcc >/dev/null || skip "gcc not installed"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || skip "no overlayfs"

gcc -O1 -fno-omit-frame-pointer -o "$WORK/malloc-pattern" "$top_srcdir/tests/data/progs/malloc-pattern.c"
make_dynamic_rootfs "$WORK/image" "$WORK/malloc-pattern"
[ -s "$WORK/image/etc/ld.so.cache" ] || fail "ldconfig -r made no ld.so.cache"

STATS_WAS=$(sysctl -n kernel.bpf_stats_enabled)
extra_cleanup() {
	sysctl -q kernel.bpf_stats_enabled="$STATS_WAS"
	for i in 1 2 3; do umount "$WORK/c$i/merged" 2>/dev/null; done
}
links_before=$(count_perf_links)

declare -A N=([1]=11 [2]=22 [3]=33)
for i in 1 2 3; do
	mkdir -p "$WORK/c$i/upper" "$WORK/c$i/work" "$WORK/c$i/merged"
	mount -t overlay overlay -o "lowerdir=$WORK/image,upperdir=$WORK/c$i/upper,workdir=$WORK/c$i/work" \
		"$WORK/c$i/merged" || skip "cannot mount overlayfs"
	make_bundle_root "$WORK/b$i" "$WORK/c$i/merged" "[\"/usr/bin/malloc-pattern\", \"${N[$i]}\", \"3000\"]"
	set_annotations "$WORK/b$i" '{"io.oci-gadget.uprobes": "malloc"}'
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
	ev=$(jq -s '[.[] | select(.event != "syscall")] | length' "$WORK/$i.json")
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

[ -z "$(ls "$PIN_ROOT/uprobes" 2>/dev/null)" ] || fail "uprobe pins left after stop: $(ls "$PIN_ROOT/uprobes")"
[ "$(count_perf_links)" = "$links_before" ] || fail "perf_event links: $(count_perf_links), before: $links_before"
ok "no probe left after the containers stopped"
