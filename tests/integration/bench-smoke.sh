#!/bin/bash
# bench/run --quick: the benchmark harness still works end to end (numbers
# from a smoke run are not quoted anywhere). Every configuration must yield a
# per-syscall cost, and the plot must be drawn.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf
"$TRACER" --pin-root "$PIN_ROOT" unload >/dev/null
for t in strace perf bpftrace gnuplot sysbench; do command -v $t >/dev/null || skip "$t not installed (see .ci/install-deps)"; done
[ -x "$top_builddir/bench/syscall-loop" ] && [ -e "$top_builddir/bench/floor.bpf.o" ] || fail "benchmark programs not built"
# quick BENCH OUT: bench/BENCH --quick, its table in $WORK/OUT.md, or fail
# with the end of its log.
quick() {
	BIN=$top_builddir "$top_srcdir/bench/$1" --quick --out "$WORK/$2.md" >"$WORK/$2.log" 2>&1 ||
		fail "$1 --quick: $(tail -8 "$WORK/$2.log")"
}
# Every part the cost table takes out must still load (the verifier sees
# each variant) and measure.
NESTED=1 ABLATE="clock copy counts thread publish fds" quick syscall-overhead so
for cfg in none floor og-untraced og-traced strace perf-trace bpftrace og-untraced-nested og-traced-nested \
	og-traced-no-clock og-traced-no-copy og-traced-no-counts og-traced-no-thread og-traced-no-publish og-traced-no-fds; do
	grep -Eq "^\| $cfg \| [0-9]+\.[0-9] \|" "$WORK/so.md" || fail "no figure for $cfg: $(cat "$WORK/so.md")"
done
[ -s "$WORK/so.png" ] || fail "no plot"
ok "syscall-overhead: every configuration measured, each part of the path taken out, plot drawn"
SKIPPED=1 ABLATE=fds quick prog-cost pc
for cfg in og-traced og-untraced og-traced-skipped og-traced-no-fds; do
	grep -Eq "^\| $cfg \| [0-9]+\.[0-9]+ \([0-9.]+\) \| [0-9]+\.[0-9]+ \(" "$WORK/pc.md" || fail "prog-cost: no figure for $cfg: $(cat "$WORK/pc.md")"
done
ok "prog-cost: the programs' run time per call measured in each configuration"
BIN=$top_builddir "$top_srcdir/bench/prog-profile" --calls 200000 --top 5 getppid >"$WORK/pp.log" 2>&1 ||
	fail "prog-profile: $(tail -5 "$WORK/pp.log")"
grep -Eq '^[0-9]+ samples, [0-9]+ in the programs$' "$WORK/pp.log" && grep -Eq '^ *[0-9.]+% sys_(enter|exit) L[0-9]+ ' "$WORK/pp.log" ||
	fail "prog-profile: no source line: $(cat "$WORK/pp.log")"
ok "prog-profile: samples inside the programs placed on their source lines"
quick event-overhead eo
for cfg in none og-untraced og-untraced-nosig og-traced og-traced-nosig; do
	grep -Eq "^\| $cfg \| [0-9]+\.[0-9] \|" "$WORK/eo.md" || fail "event-overhead: no figure for $cfg: $(cat "$WORK/eo.md")"
done
ok "event-overhead: signals and exits measured with and without their programs"
quick hook-latency hl
[ "$(grep -Ec '^\| (no hooks|/bin/true|gadget-hook|gadget-runc)' "$WORK/hl.md")" = 5 ] || fail "hook-latency table: $(cat "$WORK/hl.md")"
ok "hook-latency: five configurations measured"
BIN=$top_builddir "$top_srcdir/bench/hook-latency" --parallel 2 --runs 1 --out "$WORK/hlp.md" >"$WORK/hlp.log" 2>&1 ||
	fail "hook-latency --parallel 2: $(tail -5 "$WORK/hlp.log")"
[ "$(grep -Ec '^\| (no hooks|/bin/true|gadget-hook)' "$WORK/hlp.md")" = 3 ] || fail "hook-latency --parallel table: $(cat "$WORK/hlp.md")"
ok "hook-latency --parallel: three configurations, two starts at once"
BIN=$top_builddir "$top_srcdir/bench/hook-cpu" --pairs 2 --at-once 2 --kept 1 >"$WORK/hc.log" 2>&1 ||
	fail "hook-cpu: $(tail -5 "$WORK/hc.log")"
grep -q "^4 prestart+poststop pairs (2 at once, 1 stopped kept before): hooks and their maintainers used [0-9]* ms of CPU" "$WORK/hc.log" ||
	fail "hook-cpu: $(cat "$WORK/hc.log")"
ok "hook-cpu: four pairs registered, their CPU counted"
quick sysbench-fileio sf
for cfg in none floor og-untraced og-traced strace perf-trace bpftrace; do
	grep -Eq "^\| $cfg \| [0-9]+\.[0-9] \|" "$WORK/sf.md" || fail "sysbench: no figure for $cfg: $(cat "$WORK/sf.md")"
done
ok "sysbench-fileio: every configuration measured"
quick scale sc
grep -q "Registered at the end: 50 of 50" "$WORK/sc.md" || fail "scale: not all registered: $(cat "$WORK/sc.md")"
grep -q "rings exact .*: 5 of 5" "$WORK/sc.md" || fail "scale: parallel rings not exact: $(cat "$WORK/sc.md")"
ok "scale: 50 registered, 5 parallel containers with exact rings"
quick uprobe-overhead uo
for c in none probed traced; do
	grep -Eq "^\| $c \| [0-9.]+ \|" "$WORK/uo.md" || fail "uprobe-overhead: no $c row: $(cat "$WORK/uo.md")"
done
ok "uprobe-overhead: every configuration measured"
quick ring-depth rd
[ "$(grep -Ec '^\| (busybox sh|getppid|openat).* \| [0-9]+ \| 1048576 \| [0-9]+ \|' "$WORK/rd.md")" = 3 ] ||
	fail "ring-depth table: $(cat "$WORK/rd.md")"
ok "ring-depth: three workloads counted"
quick follow-throughput ft
grep -Eq '^\| json \| [0-9.]+ \| [0-9]+ \|$' "$WORK/ft.md" || fail "follow-throughput: no read figure: $(cat "$WORK/ft.md")"
[ "$(grep -Ec '^\| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9.]+% \| [0-9]+ \|$' "$WORK/ft.md")" = 4 ] ||
	fail "follow-throughput: not four rates: $(cat "$WORK/ft.md")"
ok "follow-throughput: read and followed at four rates"
quick parallel-starts ps
[ "$(grep -Ec '^\| (no hooks|gadget-hook[^|]*) \| [0-9]+ \| [0-9.]+ \| [0-9.]+% \|$' "$WORK/ps.md")" = 3 ] ||
	fail "parallel-starts: not three configurations: $(cat "$WORK/ps.md")"
ok "parallel-starts: three configurations timed"
