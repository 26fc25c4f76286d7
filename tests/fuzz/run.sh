#!/bin/bash
# Runs every libFuzzer target for SECONDS each (default 60) from its seed
# corpus: the checked-in seeds under tests/fuzz/corpus/NAME and real inputs
# found at run time (the repo's tracefs formats and mountinfo samples, a
# ring written by ring-seeds, ELF files with USDT notes, the host's
# ld.so.cache). A crash, a leak, an input slower than 10 s or a broken
# property fails the run; the input is kept under OUT/artifacts.
# Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]   (make fuzz; FUZZ_SEED
# fixes the seed, as the short run of make check does)
set -uo pipefail
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-$src}
secs=${1:-60}
shift || true
out="$build/tests/fuzz/out"
top_srcdir=$src top_builddir=$build "$src/tests/fuzz/build.sh" fuzz "$out" || exit $?
targets=("$@")
[ ${#targets[@]} = 0 ] && for t in "$out"/fuzz-*; do targets+=("$(basename "$t" | sed 's/^fuzz-//')"); done

seeds() { # NAME DIR: the run-time seeds of a target
	case $1 in
	tracefs) cp "$src"/tests/data/*.format "$2/" ;;
	cgroup)
		cp "$src"/tests/data/mountinfo-* "$2/"
		printf '0::/system.slice/docker-1.scope\n' >"$2/proc-cgroup"
		;;
	ring) "$out/ring-seeds" "$2" ;;
	crashfile) "$out/ring-seeds" --crashfile "$2" ;;
	elf)
		[ -x "$build/tests/unit/sdt-prog" ] && cp "$build/tests/unit/sdt-prog" "$2/"
		cp /bin/true "$2/"
		printf '#!/usr/bin/env python3 -u\nprint(1)\n' >"$2/script"
		;;
	ldcache) [ -r /etc/ld.so.cache ] && cp /etc/ld.so.cache "$2/" ;;
	conf) cp "$src"/runtime-config/oci-gadget.conf "$src"/runtime-config/shim.conf "$2/" ;;
	pins) printf 'linger-1767225600' >"$2/linger" ;;
	esac
	[ -d "$src/tests/fuzz/corpus/$1" ] && cp "$src/tests/fuzz/corpus/$1"/* "$2/"
	true
}

failed=0
mkdir -p "$out/artifacts"
for t in "${targets[@]}"; do
	corpus=$(mktemp -d)
	seeds "$t" "$corpus"
	opts=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=70000 -print_final_stats=1
		-artifact_prefix="$out/artifacts/$t-")
	[ -n "${FUZZ_SEED:-}" ] && opts+=(-seed="$FUZZ_SEED")
	if "$out/fuzz-$t" "${opts[@]}" "$corpus" >"$out/$t.log" 2>&1; then
		echo "ok - fuzz-$t: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$out/$t.log" | awk '{print $2}') inputs in ${secs}s, $(ls "$corpus" | wc -l) in the corpus"
	else
		echo "FAIL: fuzz-$t: $(grep -m1 -E 'ERROR|SUMMARY|runtime error' "$out/$t.log") (log $out/$t.log, input under $out/artifacts)"
		failed=1
	fi
	rm -rf "$corpus"
done
exit $failed
