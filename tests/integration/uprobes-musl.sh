#!/bin/bash
# A musl program in an image without ld.so.cache (musl and distroless
# images have none): malloc probes are placed on musl's libc, found in the
# library directories, and the container's mallocs are recorded exactly.
. "$(dirname "$0")/lib.sh"
require_uprobes
command -v musl-gcc >/dev/null || skip "musl-gcc not installed (apt-get install musl-tools)"
MUSL=/lib/ld-musl-x86_64.so.1
[ -e $MUSL ] || skip "$MUSL missing (apt-get install musl)"

musl-gcc -O1 -o "$WORK/malloc-pattern" "$top_srcdir/tests/data/progs/malloc-pattern.c" 2>"$WORK/cc.err" ||
	skip "musl-gcc failed: $(head -1 "$WORK/cc.err")"
readelf -l "$WORK/malloc-pattern" | grep -q "interpreter: $MUSL" || fail "not a dynamic musl program"
make_rootfs "$WORK/root"
mkdir -p "$WORK/root/lib" "$WORK/root/usr/bin"
cp -L $MUSL "$WORK/root$MUSL"
cp "$WORK/malloc-pattern" "$WORK/root/usr/bin/"
[ -e "$WORK/root/etc/ld.so.cache" ] && fail "the image must have no ld.so.cache"

N=40
ID="og-musl-$$"
run_probed "$ID" "$WORK/root" "[\"/usr/bin/malloc-pattern\", \"$N\"]" "malloc"
dump_json "$ID" --event malloc,free >"$WORK/ev.json"
n=$(jq -s '[.[] | select(.event == "malloc" and .size >= 7000 and .size < 7000 + 256)] | length' "$WORK/ev.json")
[ "$n" = $N ] || fail "$n mallocs of the pattern recorded, expected $N; probes: $(probes_of "$ID")"
freed=$(jq -s '[.[] | select(.event == "malloc" and .size >= 7000 and .size < 7256) | .addr] as $a |
	[.[] | select(.event == "free" and (.addr as $x | $a | index($x)))] | length' "$WORK/ev.json")
[ "$freed" = $((N - (N + 2) / 3)) ] || fail "$freed of the pattern's blocks freed, expected $((N - (N + 2) / 3))"
ok "$N mallocs and $freed frees of the musl program, exactly"
probes_of "$ID" | grep -q "^malloc: $MUSL (8 probes, library)" || fail "report: $(probes_of "$ID")"
ok "found in the library directories: $(probes_of "$ID" | grep '^malloc:')"
