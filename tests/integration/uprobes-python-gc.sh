#!/bin/bash
# Python's gc USDT probes (python:gc__start/gc__done, behind semaphores) in a
# runc container: N forced collections are N "gc" events, with the
# generation, the objects collected and the duration.
. "$(dirname "$0")/lib.sh"
require_uprobes
require_python_gc
make_python_image "$WORK/root"

N=7
# 50 cyclic lists for each forced collection to find; no automatic
# collections after startup, none at exit (os._exit skips finalization).
ID="og-pygc-$$"
run_probed "$ID" "$WORK/root" "[\"python3.11\", \"-S\", \"-c\", \"import gc, os\\ngc.disable()\\nfor i in range($N):\\n    for k in range(50):\\n        a = []; a.append(a)\\n    del a\\n    gc.collect()\\nprint('collected', flush=True)\\nos._exit(0)\"]" "gc" "PATH=/usr/bin:/bin"
grep -q collected "$WORK/$ID.stdout" || fail "python printed: $(cat "$WORK/$ID.stdout")"

dump_json "$ID" --event gc >"$WORK/gc.json"
# Startup collects generation 0 before gc.disable(); gc.collect() is a full
# (generation 2) collection.
n=$(jq -s '[.[] | select(.generation == 2)] | length' "$WORK/gc.json")
[ "$n" = $N ] || fail "$n full collections, expected $N: $(cat "$WORK/gc.json"); hook log: $(cat "$WORK/hook.log" 2>/dev/null)"
jq -e -s 'all(.[]; .runtime == "python" and .duration_ns > 0) and all(.[] | select(.generation == 2); .collected == 50)' \
	"$WORK/gc.json" >/dev/null || fail "gc events: $(cat "$WORK/gc.json")"
ok "$N forced collections, $N full gc events, each collecting the 50 cycles made for it"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --event gc | grep -q 'gc\[python\](generation=2) collected=' ||
	fail "text output: $("$DUMP" --pin-root "$PIN_ROOT" "$ID" --event gc | head -2)"
ok "text output names the runtime"
