#!/bin/bash
# 1,000,000 syscalls from two processes on both CPUs into one 64 KiB ring.
# The ring keeps exactly its newest records: every byte of the window a
# reader can reach (from the oldest whole chunk to the head) is a record or
# a chunk-end pad, none torn, none lost. Readers racing the writers never
# print a torn record.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

ID="og-flood-$$"
# Two dd's: 250,000 one-byte read+write pairs each = 1,000,000 syscalls.
make_bundle "$WORK/bundle" \
	'["/bin/sh", "-c", "dd if=/dev/zero of=/dev/null bs=1 count=250000 2>/dev/null & dd if=/dev/zero of=/dev/null bs=1 count=250000 2>/dev/null; wait; exit 0"]' \
	'["--ring-size", "64KiB"]'
start_container "$ID" "$WORK/bundle"

# Read the live ring repeatedly while it is overwritten.
snaps=0
while runc state "$ID" 2>/dev/null | jq -e '.status == "running"' >/dev/null; do
	dump_json "$ID" >"$WORK/snap.$snaps.json" 2>/dev/null || true
	snaps=$((snaps + 1))
done
stop_container "$ID"
[ $snaps -gt 0 ] || fail "no live snapshot taken"

bad=0
for f in "$WORK"/snap.*.json; do
	jq -e . "$f" >/dev/null 2>&1 || { bad=1; echo "not JSON: $f"; }
	# Every dd record must be exactly what dd does: 1-byte read/write of NUL.
	jq -c 'select(.comm=="dd" and .complete and (.syscall=="read" or .syscall=="write") and
		.args[0].value <= 1 and
		((.args[2].value != 1) or (.ret != 1) or (.args[1].str != "\u0000")))' "$f" | head -1 | grep . && bad=1
done
[ $bad = 0 ] || fail "a live read printed a torn or wrong record"
ok "$snaps live snapshots, no torn record printed"

info=$("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -c "select(.id==\"$ID\")")
# A dd read or write of 1 byte is a 56- to 64-byte record in format 5: 32
# fixed, its non-zero arguments at 4 or 8 bytes, an 8-byte capture
# descriptor and its byte rounded to 8; thread records name them (skipped:
# not listed). A 32 KiB chunk holds more than 500 of them.
echo "$info" | jq -e '.torn == 0 and .in_progress == 0 and .dropped == 0 and .ring_bytes == 65536 and
	.record_bytes + .skipped_bytes + .pad_bytes == .window_bytes and .window_bytes > 32768 and
	.window_bytes <= 65536 and .skipped_bytes >= 64 * .thread_records and
	.bytes_written > 50000000 and .bytes_overwritten == .bytes_written - .window_bytes and
	.pad_bytes < 2 * 104 and .records >= 500' >/dev/null ||
	fail "ring does not hold exactly the records its window allows: $info"
ok "ring holds $(echo "$info" | jq .records) records: $(echo "$info" | jq .record_bytes) bytes of records + $(echo "$info" | jq .skipped_bytes) of thread records + $(echo "$info" | jq .pad_bytes) of pads = the $(echo "$info" | jq .window_bytes)-byte window, none torn"
n=$(dump_json "$ID" | wc -l)
[ "$n" -le "$(echo "$info" | jq .records)" ] || fail "dump printed $n events for $(echo "$info" | jq .records) records"

dump_json "$ID" >"$WORK/final.json"
jq -s -e 'map(select(.comm=="sh" and .event == "syscall")) | last | .syscall == "exit_group" and .args[0].value == 0' "$WORK/final.json" >/dev/null ||
	fail "the newest record is not the shell's exit_group(0): $(tail -2 "$WORK/final.json")"
ok "the newest records are kept: the shell's exit_group(0) is there"
