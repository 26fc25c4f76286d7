# Shared by the benchmark scripts. Source it.

# warn_if_busy NAME: benchmarks need a quiet machine (no other tracing links).
warn_if_busy() {
	local others
	others=$(bpftool link show 2>/dev/null | grep -c 'raw_tracepoint\|tracing' || true)
	[ "$others" = 0 ] ||
		echo "$1: warning: $others tracing links already attached (gadget-tracer unload?); numbers will be off" >&2
}

# quantiles FILE: "median p95" of the numbers in FILE, one per line; lines
# that are not numbers (a tool's stray output) are ignored; "nan nan" if none.
quantiles() {
	grep -E '^[0-9.]+$' "$1" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan nan"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		p = v[int(0.95 * NR + 0.999999)]; if (p == "") p = v[NR]
		printf "%.3f %.3f\n", m, p }'
}
