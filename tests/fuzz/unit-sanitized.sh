#!/bin/bash
# The unit tests again, built with the library under ASan and UBSan (any
# UBSan finding fatal): a test passes only if every check passes and no
# sanitizer reports anything.
set -uo pipefail
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-$src}
out="$build/tests/fuzz/unit-out"
top_srcdir=$src top_builddir=$build "$src/tests/fuzz/build.sh" unit "$out" >"$out.build.log" 2>&1
rc=$?
[ $rc = 77 ] && { echo "SKIP: $(tail -1 "$out.build.log")"; exit 77; }
[ $rc = 0 ] || { cat "$out.build.log"; exit 1; }
failed=0
mkdir -p "$out/logs"
for c in "$src"/tests/unit/test-*.c; do
	name=$(basename "$c" .c)
	t="$out/$name"
	if top_srcdir=$src top_builddir=$build UBSAN_OPTIONS=print_stacktrace=1 "$t" >"$out/logs/$name.log" 2>&1 &&
		! grep -q '^not ok' "$out/logs/$name.log"; then
		echo "ok - $name under ASan and UBSan: $(grep -c '^ok' "$out/logs/$name.log") checks"
	else
		echo "FAIL: $name under ASan and UBSan:"
		grep -E '^not ok|ERROR|runtime error|SUMMARY' "$out/logs/$name.log" | head -10
		failed=1
	fi
done
exit $failed
