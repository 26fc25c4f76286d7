#!/bin/bash
# HotSpot's gc USDT probes (hotspot:gc__begin/gc__end in libjvm.so, found
# next to the container's java binary) in a runc container: N System.gc()
# calls are N "gc" events of runtime java, each a full collection.
. "$(dirname "$0")/lib.sh"
require_uprobes
require_java_gc
make_java_image "$WORK/root"

N=5
ID="og-javagc-$$"
run_probed "$ID" "$WORK/root" "[\"$JH/bin/java\", \"-Xmx64m\", \"-XX:+UseSerialGC\", \"-Xshare:off\", \"-cp\", \"/app\", \"GcTest\", \"$N\"]" "gc"
grep -q "gc done" "$WORK/$ID.stdout" || fail "java printed: $(cat "$WORK/$ID.stdout")"

dump_json "$ID" --event gc >"$WORK/gc.json"
n=$(jq -s '[.[] | select(.runtime == "java" and .full)] | length' "$WORK/gc.json")
[ "$n" = $N ] || fail "$n full java collections, expected $N: $(cat "$WORK/gc.json")"
jq -e -s 'all(.[]; .runtime == "java" and .duration_ns > 0)' "$WORK/gc.json" >/dev/null ||
	fail "gc events: $(cat "$WORK/gc.json")"
ok "$N System.gc() calls, $N full java gc events with durations"
