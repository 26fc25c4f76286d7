#!/bin/bash
# A leak's stack is never someone else's: a container makes 16,384 leaking
# mallocs from 16,384 distinct call paths, twice what maps/ustacks holds
# (OG_STACKS, 8192), so stack ids get reused by newer stacks. --leaks must
# still count every allocation and byte, and show a stack only when the id
# still holds the allocation's own stack (a hash of its frames checked): the
# others say "stack lost", never a wrong stack.
. "$(dirname "$0")/lib.sh"
require_uprobes
command -v gcc >/dev/null || skip "gcc not installed"

gcc -O1 -fno-omit-frame-pointer -fno-optimize-sibling-calls -o "$WORK/many-stacks" \
	"$top_srcdir/tests/data/progs/many-stacks.c" || fail "gcc"
make_dynamic_rootfs "$WORK/image" "$WORK/many-stacks"
ID="og-stacks-$$"
make_bundle_root "$WORK/b" "$WORK/image" '["/usr/bin/many-stacks", "14"]'
set_annotations "$WORK/b" '{"io.oci-gadget.uprobes": "malloc", "io.oci-gadget.ring-size": "16MiB"}'
rc=$(run_container "$ID" "$WORK/b")
[ "$rc" = 0 ] && [ "$(cat "$WORK/$ID.stdout")" = 16384 ] || fail "many-stacks: exit $rc, $(cat "$WORK/$ID.stdout" "$WORK/$ID.stderr")"

"$DUMP" --pin-root "$PIN_ROOT" "$ID" --leaks --json >"$WORK/leaks.json" || fail "--leaks"
jq -s -e 'map(select(.event == "leak_summary"))[0] | .partial == false' "$WORK/leaks.json" >/dev/null ||
	fail "the ring wrapped: make it bigger ($(jq -c 'select(.event == "leak_summary")' "$WORK/leaks.json"))"
# Every 24-byte block is counted (libc may leak a few of its own).
n24=$(jq -s '[.[] | select(.event == "leak" and .bytes == (.allocations * 24)) | .allocations] | add' "$WORK/leaks.json")
[ "$n24" -ge 16384 ] || fail "only $n24 of the 16384 leaked blocks counted"
lost=$(jq -s '[.[] | select(.event == "leak" and .stack_lost != null)] | length' "$WORK/leaks.json")
kept=$(jq -s '[.[] | select(.event == "leak" and .stack_lost == null and (.stack | length) > 0)] | length' "$WORK/leaks.json")
[ "$lost" -gt 0 ] || fail "no stack lost although 16384 stacks went into 8192 ids"
[ "$kept" -gt 0 ] || fail "no stack kept at all"
# Each of the 16384 paths is its own stack: a shown stack that groups more
# than one of these allocations would be someone else's stack for all but
# one of them.
jq -s -e '[.[] | select(.event == "leak" and .bytes == (.allocations * 24) and .stack_lost == null and (.stack | length) > 0)] |
	all(.allocations == 1)' "$WORK/leaks.json" >/dev/null ||
	fail "a shown stack stands for several call paths: $(jq -c 'select(.event == "leak" and .stack_lost == null and .allocations > 1 and .bytes == (.allocations * 24))' "$WORK/leaks.json" | head -1 | cut -c1-300)"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --leaks | grep -q "stack [0-9]* lost: maps/ustacks was full and gave the id to a newer stack" ||
	fail "the text report does not say a stack was lost"
ok "16384 leaks from 16384 paths: every block counted, $kept stacks shown, $lost said lost, none wrong"
