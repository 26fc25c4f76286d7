#!/bin/bash
# The hook keeps the newest --keep-stopped rings of stopped containers; prune
# removes the rest on demand. A reused container id gets a fresh ring.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

make_bundle "$WORK/bundle" '["/bin/true"]'
jq '.hooks.poststop[0].args += ["--keep-stopped", "2"]' "$WORK/bundle/config.json" >"$WORK/c.json"
mv "$WORK/c.json" "$WORK/bundle/config.json"
for i in 1 2 3 4; do
	rc=$(run_container "og-ret-$i-$$" "$WORK/bundle")
	[ "$rc" = 0 ] || fail "container $i exit $rc"
done
ids=$("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -r .id | sort | tr '\n' ' ')
[ "$ids" = "og-ret-3-$$ og-ret-4-$$ " ] || fail "kept: '$ids', expected the newest two"
ok "poststop keeps the newest 2 stopped containers"

"$DUMP" --pin-root "$PIN_ROOT" prune --older-than 1h | grep -q 'removed 0' || fail "prune --older-than 1h removed fresh rings"
"$DUMP" --pin-root "$PIN_ROOT" prune --keep 1 | grep -q 'removed 1 stopped container$' || fail "prune --keep 1"
[ "$("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -r .id)" = "og-ret-4-$$" ] || fail "prune kept the wrong one"
ok "prune --keep 1 keeps the newest"

# Same id again: a new ring, not the old records.
make_bundle "$WORK/bundle2" '["/bin/sh", "-c", "echo second-run > /dev/null"]'
rc=$(run_container "og-ret-4-$$" "$WORK/bundle2")
dump_json "og-ret-4-$$" >"$WORK/d.json"
grep -q 'second-run' "$WORK/d.json" || fail "reused id: new run not recorded"
jq -e -s 'map(select(.syscall=="execve" and .args[0].str=="/bin/true")) | length == 0' "$WORK/d.json" >/dev/null ||
	fail "reused id: old run's records still there"
ok "a reused id gets a fresh ring"
"$DUMP" --pin-root "$PIN_ROOT" prune | grep -q 'removed 1' || fail "prune all"
[ -z "$("$DUMP" --pin-root "$PIN_ROOT" list --json)" ] || fail "list not empty after prune"
ok "prune removes every stopped ring"
