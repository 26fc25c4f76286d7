#!/bin/bash
# Builds the library with clang's ASan and UBSan (every UBSan finding
# fatal), then either the libFuzzer targets (MODE fuzz: the library also
# instrumented for coverage) or the unit tests (MODE unit).
# Usage: tests/fuzz/build.sh fuzz|unit OUTDIR   (top_srcdir, top_builddir
# from the environment, else this checkout; the build dir must be built:
# config.h and bpf/syscalls.skel.h come from it.)
set -euo pipefail
mode=$1 out=$2
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-$src}
CC=${FUZZ_CC:-clang}

command -v "$CC" >/dev/null || { echo "no $CC"; exit 77; }
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return d && n; }' >"$probe/p.c"
"$CC" -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>/dev/null ||
	{ echo "$CC cannot build libFuzzer targets with ASan and UBSan (apt-get install libclang-rt-14-dev)"; exit 77; }
[ -f "$build/config.h" ] && [ -f "$build/bpf/syscalls.skel.h" ] ||
	{ echo "$build is not built (./configure && make first)"; exit 1; }

san=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
[ "$mode" = fuzz ] && san+=(-fsanitize=fuzzer-no-link)
# shellcheck disable=SC2207
cflags=(-std=gnu11 -g -O1 "${san[@]}" "-I$build" $(for d in "$src"/lib/*/; do printf -- "-I%s " "$d"; done) "-I$src/bpf" "-I$build/bpf" "-I$src/tests/fuzz"
	'-DOG_SBINDIR="/usr/local/sbin"' '-DOG_SYSCONFDIR="/usr/local/etc"'
	$(pkg-config --cflags libbpf libdw libelf yajl libseccomp))
# shellcheck disable=SC2207
libs=($(pkg-config --libs libbpf libdw libelf yajl libseccomp))

mkdir -p "$out/obj"
# Objects are rebuilt only when their source or a header is newer.
newest_h=$(ls -t "$src"/lib/*/*.h "$src"/bpf/*.h "$build/bpf/syscalls.skel.h" | head -1)
jobs=0
for c in "$src"/lib/*/*.c; do
	o="$out/obj/$(basename "$c" .c).o"
	[ -f "$o" ] && [ "$o" -nt "$c" ] && [ "$o" -nt "$newest_h" ] && continue
	"$CC" "${cflags[@]}" -c "$c" -o "$o" &
	jobs=$((jobs + 1))
	if [ $jobs -ge "$(nproc)" ]; then
		wait -n
		jobs=$((jobs - 1))
	fi
done
while [ $jobs -gt 0 ]; do
	wait -n
	jobs=$((jobs - 1))
done
rm -f "$out/libog.a"
ar rcs "$out/libog.a" "$out"/obj/*.o

case $mode in
fuzz)
	for t in "$src"/tests/fuzz/fuzz-*.c; do
		"$CC" "${cflags[@]}" -fsanitize=fuzzer "$t" "$out/libog.a" "${libs[@]}" -o "$out/$(basename "$t" .c)"
	done
	"$CC" "${cflags[@]}" "$src/tests/fuzz/ring-seeds.c" "$out/libog.a" "${libs[@]}" -o "$out/ring-seeds"
	;;
unit)
	for t in "$src"/tests/unit/test-*.c; do
		"$CC" "${cflags[@]}" -I"$src/tests/unit" "$t" "$out/libog.a" "${libs[@]}" -o "$out/$(basename "$t" .c)"
	done
	;;
*)
	echo "usage: $0 fuzz|unit OUTDIR" >&2
	exit 2
	;;
esac
