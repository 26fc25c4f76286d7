#!/bin/bash
# libstdc++'s USDT probes (libstdcxx:throw/rethrow) in a runc container: N
# exceptions thrown and rethrown are N throw and N rethrow events naming the
# thrown type.
. "$(dirname "$0")/lib.sh"
require_uprobes
command -v g++ >/dev/null || skip "g++ not installed"
g++ -O1 -o "$WORK/throw-pattern" "$top_srcdir/tests/data/progs/throw-pattern.cc" 2>"$WORK/gxx.err" ||
	skip "cannot build a C++ program: $(head -1 "$WORK/gxx.err")"
readelf -n "$(ldd "$WORK/throw-pattern" | grep -o '/[^ ]*libstdc++[^ ]*')" | grep -q 'Name: throw' ||
	skip "this libstdc++ has no throw USDT probe"

make_dynamic_rootfs "$WORK/root" "$WORK/throw-pattern"
N=9
ID="og-throw-$$"
run_probed "$ID" "$WORK/root" "[\"/usr/bin/throw-pattern\", \"$N\"]" "exceptions"

dump_json "$ID" --event throw,rethrow >"$WORK/ev.json"
t=$(jq -s '[.[] | select(.event == "throw" and .type == "11OgTestError")] | length' "$WORK/ev.json")
r=$(jq -s '[.[] | select(.event == "rethrow" and .type == "11OgTestError")] | length' "$WORK/ev.json")
[ "$t" = $N ] && [ "$r" = $N ] || fail "$t throws and $r rethrows of 11OgTestError, expected $N each: $(head -3 "$WORK/ev.json")"
ok "$N throws and $N rethrows, each naming the thrown type"
[ "$(jq -s 'length' "$WORK/ev.json")" = $((2 * N)) ] || fail "other exception events: $(cat "$WORK/ev.json")"
ok "nothing else thrown"
