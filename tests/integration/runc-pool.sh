#!/bin/bash
# The ring pool: containers take pooled rings (no grace period at start),
# other sizes and an empty pool take the slow path, both record; a stopped
# container's slot is emptied and the pool refilled in the background; a
# maintainer late after an unload does not bring the pin root back.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

# reload_with_pool N: the tracer loaded afresh with a pool of N rings.
reload_with_pool() {
	"$TRACER" --pin-root "$PIN_ROOT" unload >/dev/null
	"$TRACER" --pin-root "$PIN_ROOT" load --pool "$1" >"$WORK/load.out" || fail "load --pool $1: $(cat "$WORK/load.out")"
}
reload_with_pool 2
status() { "$TRACER" --pin-root "$PIN_ROOT" status --json; }
slots() { bpftool map dump pinned "$PIN_ROOT/maps/rings" -j | jq length; }
status | jq -e '.pool_size == 2 and .pool_ready == 2' >/dev/null || fail "pool not filled at load: $(status)"
[ "$(slots)" = 2 ] || fail "$(slots) ring slots filled after load, expected the 2 pooled"
ok "load fills the pool: 2 rings ready, 2 slots"

# run_one ID RING-SIZE-ARGS: a container that opens its own file and exits 3.
run_one() {
	local id=$1 extra=$2
	make_bundle "$WORK/b-$id" "[\"/bin/sh\", \"-c\", \"printf $id > /tmp/$id; exit 3\"]" "$extra"
	rc=$(run_container "$id" "$WORK/b-$id")
	[ "$rc" = 3 ] || fail "$id exited $rc: $(cat "$WORK/$id.stderr")"
	expect_ring "$id" "/tmp/$id" "$id" 3
}
settled() { [ "$(status | jq .pool_ready)" = "$1" ] && [ "$(slots)" = "$1" ]; }

A=og-pool-a-$$
run_one "$A" '[]'
wait_for 10 settled 2 || fail "after a pooled container stopped: $(status | jq -c '{pool_ready}'), $(slots) slots; expected 2 and 2"
ok "pooled ring records; after stop its slot is emptied and the pool is back to 2"

B=og-pool-b-$$
run_one "$B" '["--ring-size", "4MiB"]'
dump_json "$B" >/dev/null
"$DUMP" --pin-root "$PIN_ROOT" list --json | jq -e -s --arg id "$B" 'map(select(.id == $id))[0].ring_bytes == 4194304' >/dev/null ||
	fail "$B: ring is not 4 MiB: $("$DUMP" --pin-root "$PIN_ROOT" list --json)"
wait_for 10 settled 2 || fail "after a 4 MiB container: $(slots) slots"
ok "a non-default size takes the slow path and records"

# Five at once with a pool of two: some pooled, some slow; each ring its own.
ids=""
for i in 1 2 3 4 5; do
	id=og-pool-p$i-$$
	ids="$ids $id"
	make_bundle "$WORK/b-$id" "[\"/bin/sh\", \"-c\", \"printf $id > /tmp/$id; sleep 1; exit 3\"]"
done
for id in $ids; do start_container "$id" "$WORK/b-$id"; done
for id in $ids; do stop_container "$id"; done
for id in $ids; do
	expect_ring "$id" "/tmp/$id" "$id" 3
	others=$(dump_json "$id" | jq -r 'select(.syscall=="openat") | .args[1].str // empty' | grep -c '^/tmp/og-pool-p' || true)
	[ "$others" = 1 ] || fail "$id: $others opens of containers' files in its ring, expected its own only"
done
wait_for 10 settled 2 || fail "after five containers: $(slots) slots, $(status | jq .pool_ready) ready"
ok "five concurrent containers with a pool of two: every ring exact, slots back to 2"

# One maintainer per burst: after a registration only when the pool is at
# half its size or less, after a stop always.
reload_with_pool 4
W=og-pool-w-$$
make_bundle "$WORK/b-$W" '["/bin/sh", "-c", "while [ ! -e /tmp/go ]; do sleep 0.1; done; exit 3"]'
start_container "$W" "$WORK/b-$W"
sleep 1
[ "$(status | jq .pool_ready)" = 3 ] && [ "$(slots)" = 4 ] ||
	fail "a pool of 4 less the one taken was refilled at once: $(status | jq .pool_ready) ready, $(slots) slots"
touch "$WORK/b-$W/rootfs/tmp/go"
stop_container "$W"
wait_for 10 settled 4 || fail "after $W stopped: $(status | jq .pool_ready) ready, $(slots) slots; expected 4 and 4"
ok "a start that leaves the pool above half starts no maintainer; its stop's maintainer refills"

reload_with_pool 0
C=og-pool-c-$$
run_one "$C" '[]'
ok "no pool: the slow path records"
# The poststop just spawned a maintainer; unload under it.
"$TRACER" --pin-root "$PIN_ROOT" unload >/dev/null
sleep 1
[ -e "$PIN_ROOT" ] && fail "the pin root came back after unload: $(ls -R "$PIN_ROOT")"
ok "unload beside a background maintainer leaves nothing"
