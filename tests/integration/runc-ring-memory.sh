#!/bin/bash
# Ring memory is bounded by the host, not the tenant: an annotation above
# ring-size-max gets the cap and a log line, and is recorded; the rings of
# all containers, running and stopped, and the pool stay within
# ring-memory-max: the oldest stopped rings go first; when the running ones
# alone leave too little, a new container gets a smaller ring, or none, said
# in the log, and runs all the same; gadget-tracer status shows the memory.
# Before, a 256MiB annotation got 256 MiB and every stopped ring was kept.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

# A ring of 2 MiB holds 69 elements of 33,024 bytes (64 chunks, the header
# and 4 of fd table: 2,278,656, 557 pages) and a page of header: 2,285,568
# bytes of kernel memory; 512 KiB: 700,416; 256 KiB: 434,176; 64 KiB:
# 237,568; 1 MiB (a pooled ring): 1,228,800.
CONF=$WORK/oci-gadget.conf
printf 'ring-size-max = 2MiB\nring-memory-max = 5MiB\n' >"$CONF"
MAX=5242880
"$TRACER" --pin-root "$PIN_ROOT" unload --force >/dev/null
"$TRACER" --pin-root "$PIN_ROOT" load --pool 0 >/dev/null || fail "load --pool 0"

status() { "$TRACER" --pin-root "$PIN_ROOT" status --json --config "$CONF"; }
ring_of() { "$DUMP" --pin-root "$PIN_ROOT" list --json | jq -r --arg id "$1" 'select(.id == $id) | .ring_bytes'; }
listed() { "$DUMP" --pin-root "$PIN_ROOT" list --json | jq -r .id | sort | tr '\n' ' '; }
within() {
	status | jq -e --argjson max $MAX '.ring_memory_max == $max and .ring_memory_held <= $max and
		.ring_memory_held == .ring_memory_running + .ring_memory_stopped + .ring_memory_pool' >/dev/null ||
		fail "$1: rings hold more than ring-memory-max: $(status | jq -c '{ring_memory_held, ring_memory_running, ring_memory_stopped, ring_memory_pool, ring_memory_max}')"
}
# bundle ID SIZE SCRIPT: a container asking for a SIZE ring, both hooks
# reading $CONF.
bundle() {
	local id=$1 size=$2 script=$3
	make_bundle "$WORK/$id" "[\"/bin/sh\", \"-c\", \"$script\"]" "[\"--config\", \"$CONF\"]"
	set_annotations "$WORK/$id" "{\"io.oci-gadget.ring-size\": \"$size\"}"
	jq --arg c "$CONF" '.hooks.poststop[0].args += ["--config", $c]' "$WORK/$id/config.json" >"$WORK/$id/c.json"
	mv "$WORK/$id/c.json" "$WORK/$id/config.json"
}
run_one() { # ID SIZE: runs to completion, recorded
	bundle "$1" "$2" "echo -n $1 > /tmp/f; exit 3"
	rc=$(run_container "$1" "$WORK/$1")
	[ "$rc" = 3 ] || fail "$1: exit $rc: $(cat "$WORK/$1.stderr")"
}

A=og-mem-a-$$ B=og-mem-b-$$ C=og-mem-c-$$ D=og-mem-d-$$
run_one "$A" 256MiB
[ "$(ring_of "$A")" = 2097152 ] || fail "$A asked 256MiB: a ring of $(ring_of "$A") bytes, expected the 2 MiB cap"
grep -q "container '$A': ring size 256 MiB (annotation io.oci-gadget.ring-size) is above ring-size-max 2 MiB: the ring gets 2 MiB" \
	"$WORK/hook.log" || fail "no log line for the cap: $(cat "$WORK/hook.log")"
expect_ring "$A" /tmp/f "$A" 3
ok "an annotation above ring-size-max gets the cap and a log line, and is recorded"

run_one "$B" 2MiB
run_one "$C" 2MiB
within "after $C"
[ "$(listed)" = "$B $C " ] || fail "after $C: kept '$(listed)', expected $B and $C ($A the oldest removed)"
grep -q "container '$C': ring-memory-max 5 MiB: removed 1 stopped containers' rings, oldest first ($A)" "$WORK/hook.log" ||
	fail "no log line for removing $A: $(cat "$WORK/hook.log")"
run_one "$D" 2MiB
[ "$(listed)" = "$C $D " ] || fail "after $D: kept '$(listed)', expected $C and $D"
within "after $D"
expect_ring "$D" /tmp/f "$D" 3
ok "ring-memory-max removes the oldest stopped rings, said in the log, and the new container records"

# Running containers that wait for /tmp/go in their rootfs.
start_waiting() { # ID SIZE
	bundle "$1" "$2" "while [ ! -e /tmp/go ]; do sleep 0.1; done; echo -n $1 > /tmp/f; exit 4"
	start_container "$1" "$WORK/$1"
}
R1=og-mem-r1-$$ R2=og-mem-r2-$$ R3=og-mem-r3-$$ R4=og-mem-r4-$$ R5=og-mem-r5-$$
start_waiting "$R1" 2MiB
start_waiting "$R2" 2MiB
[ "$(ring_of "$R2")" = 2097152 ] || fail "$R2: $(ring_of "$R2") bytes, expected 2 MiB (stopped rings make room first)"
[ "$(listed)" = "$R1 $R2 " ] || fail "running $R1 and $R2 should have pushed every stopped ring out: '$(listed)'"
start_waiting "$R3" 2MiB
[ "$(ring_of "$R3")" = 262144 ] || fail "$R3: $(ring_of "$R3") bytes, expected 256 KiB (what is left of 5 MiB)"
grep -q "container '$R3': ring-memory-max 5 MiB: running containers' rings hold 4.4 MiB: a ring of 256 KiB instead of 2 MiB" \
	"$WORK/hook.log" || fail "no log line for the smaller ring: $(grep "$R3" "$WORK/hook.log")"
start_waiting "$R4" 2MiB
[ "$(ring_of "$R4")" = 65536 ] || fail "$R4: $(ring_of "$R4") bytes, expected 64 KiB (exactly what is left)"
start_waiting "$R5" 2MiB
[ -z "$(ring_of "$R5")" ] || fail "$R5 registered with $(ring_of "$R5") bytes past ring-memory-max"
grep -q "container '$R5': ring-memory-max 5 MiB: running containers' rings hold 5 MiB, no room for even a 64 KiB ring: not recorded" \
	"$WORK/hook.log" || fail "no log line for $R5 left unrecorded: $(grep "$R5" "$WORK/hook.log")"
runc state "$R5" | jq -e '.status == "running"' >/dev/null || fail "$R5 did not run (fail open)"
within "with five running"
status | jq -e '.ring_memory_stopped == 0 and .ring_memory_pool == 0 and .ring_memory_running == 2285568 * 2 + 434176 + 237568' >/dev/null ||
	fail "status: $(status | jq -c '{ring_memory_running, ring_memory_stopped, ring_memory_pool}')"
"$TRACER" --pin-root "$PIN_ROOT" status --config "$CONF" | grep -q "^ring memory: *5 MiB held of 5 MiB (ring-memory-max): 5 MiB running, 0 bytes stopped, 0 bytes pool; rings at most 2 MiB (ring-size-max)" ||
	fail "text status: $("$TRACER" --pin-root "$PIN_ROOT" status --config "$CONF" | grep memory)"
for r in $R1 $R2 $R3 $R4 $R5; do touch "$WORK/$r/rootfs/tmp/go"; done
for r in $R1 $R2 $R3 $R4 $R5; do stop_container "$r"; done
expect_ring "$R3" /tmp/f "$R3" 4
ok "past the budget a running container gets a smaller ring (recorded), then none (runs unrecorded), both logged; status shows it"

# The ledger (pool/ledger) is what a registration counts instead of every
# ring: it matches the rings; missing, of another shape or too high, the
# rings are counted again (the budget as strict) and it is made anew.
ledger() { # field: stopped or bytes (little-endian in the value's bytes)
	local v
	v=$(bpftool map dump pinned "$PIN_ROOT/pool/ledger" -j | jq -r --arg f "$1" \
		'.[0].value | (if $f == "stopped" then .[4:8] else .[8:16] end) | reverse | map(ltrimstr("0x")) | join("")')
	printf '%d\n' "0x$v"
}
ledger_exact() {
	local want_b want_s
	want_b=$(status | jq '.ring_memory_running + .ring_memory_stopped')
	want_s=$("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -s 'map(select(.state == "stopped")) | length')
	[ "$(ledger bytes)" = "$want_b" ] && [ "$(ledger stopped)" = "$want_s" ] ||
		fail "$1: ledger says $(ledger bytes) bytes, $(ledger stopped) stopped; the rings hold $want_b, $want_s stopped"
}
ledger_exact "after five ran"
E=og-mem-e-$$ F=og-mem-f-$$ G=og-mem-g-$$
rm "$PIN_ROOT/pool/ledger"
run_one "$E" 2MiB
within "after $E, no ledger"
ledger_exact "after $E, no ledger"
rm "$PIN_ROOT/pool/ledger"
bpftool map create "$PIN_ROOT/pool/ledger" type array key 4 value 4 entries 1 name og_ledger || fail "bpftool map create"
run_one "$F" 2MiB
within "after $F, a ledger of 4-byte values"
ledger_exact "after $F, a ledger of 4-byte values"
bpftool map update pinned "$PIN_ROOT/pool/ledger" key 0 0 0 0 value 1 0 0 0 0 0 0 0 0xff 0xff 0xff 0xff 0xff 0xff 0xff 0 ||
	fail "bpftool map update"
run_one "$G" 2MiB
[ "$(ring_of "$G")" = 2097152 ] || fail "$G: a ring of $(ring_of "$G") bytes after a ledger too high, expected 2 MiB"
within "after $G, a ledger too high"
ledger_exact "after $G, a ledger too high"
ok "the ledger matches the rings; missing, of another shape or too high, the rings are counted again"

# The pool only takes room no ring has: 4 pooled rings of 1 MiB fit in 5 MiB, not 8.
"$TRACER" --pin-root "$PIN_ROOT" unload >/dev/null || fail "unload with only stopped containers"
"$TRACER" --pin-root "$PIN_ROOT" load --pool 8 --config "$CONF" >/dev/null || fail "load --pool 8"
status | jq -e '.pool_size == 8 and .pool_ready == 4 and .ring_memory_pool == 4 * 1228800' >/dev/null ||
	fail "pool within 5 MiB: $(status | jq -c '{pool_size, pool_ready, ring_memory_pool}')"
within "with the pool"
ok "the pool fills only within ring-memory-max"
