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

# ---- Tracing configurations shared by syscall-overhead and sysbench-fileio ----
# tracing_setup NAME: cgroups, holder processes and a cleanup trap for
# run_in_config. Needs BIN (the build tree) and WORK (a scratch dir).
CONFIGS=(none floor og-untraced og-traced strace perf-trace bpftrace)
# BASE=DIR, another build tree (a git worktree of an older commit, built):
# base-untraced and base-traced measure it in the same run, interleaved, so
# that a change's cost is not lost in the noise between runs.
if [ -n "${BASE:-}" ]; then
	CONFIGS+=(base-untraced base-traced)
fi
# NESTED=1: the finding of a task's container when the task is below the
# level containers are registered at. og-untraced-nested runs the loop in
# an unregistered cgroup two levels down (a host service beside the
# containers: one ancestor and one bucket looked up); og-traced-nested in a
# child cgroup of the traced container, made after the load (the build
# before the ancestor lookup found it in maps/children through the hash).
# With BASE, their base- twins.
# SKIPPED=1: og-traced-skipped, the traced container with a selection
# (io.oci-gadget.syscalls=!read,getppid) that leaves the measured calls
# out: counted, not recorded (issue 23: it should cost no more than an
# untraced call). With BASE, base-traced-skipped too.
if [ -n "${SKIPPED:-}" ]; then
	CONFIGS+=(og-traced-skipped)
	[ -n "${BASE:-}" ] && CONFIGS+=(base-traced-skipped)
fi
# ABLATE="clock copy ...": og-traced-no-X for each X, the traced container
# with part X of the recording path left out (OCI_GADGET_BENCH_ABLATE,
# gadget-tracer(8)): what X costs is og-traced minus og-traced-no-X.
for x in ${ABLATE:-}; do
	CONFIGS+=("og-traced-no-$x")
done
if [ -n "${NESTED:-}" ]; then
	CONFIGS+=(og-untraced-nested og-traced-nested)
	[ -n "${BASE:-}" ] && CONFIGS+=(base-untraced-nested base-traced-nested)
fi
tracing_setup() {
	TS_NAME=$1
	CG=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
	[ -n "$CG" ] || { echo "$TS_NAME: no cgroup2 mount" >&2; exit 1; }
	for f in "$BIN/bench/floor-attach" "$BIN/bench/floor.bpf.o" "$BIN/gadget-tracer" "$BIN/gadget-hook"; do
		[ -e "$f" ] || { echo "$TS_NAME: $f missing: run make" >&2; exit 1; }
	done
	PIN=/sys/fs/bpf/og-bench-$TS_NAME-$$
	FLOOR=/sys/fs/bpf/og-floor-$$
	CG_OTHER=$CG/og-bench-other-$$
	CG_TRACED=$CG/og-bench-traced-$$
	CG_BT=$CG/og-bench-bt-$$
	CG_HOST=$CG/og-bench-host-$$
	mkdir -p "$CG_OTHER" "$CG_TRACED" "$CG_BT" "$CG_HOST/service"
	sleep 100000 &
	HOLD_OTHER=$!
	sleep 100000 &
	HOLD_TRACED=$!
	echo $HOLD_OTHER >"$CG_OTHER/cgroup.procs"
	echo $HOLD_TRACED >"$CG_TRACED/cgroup.procs"
	BT_PID=""
	trap tracing_cleanup EXIT
}
tracing_cleanup() {
	set +e
	[ -n "$BT_PID" ] && kill "$BT_PID" 2>/dev/null && wait "$BT_PID" 2>/dev/null
	kill "$HOLD_OTHER" "$HOLD_TRACED" 2>/dev/null
	wait "$HOLD_OTHER" "$HOLD_TRACED" 2>/dev/null
	"$BIN/gadget-tracer" --pin-root "$PIN" unload --force >/dev/null 2>&1
	rm -rf "$FLOOR" "$WORK"
	for c in "$CG_TRACED/child" "$CG_OTHER" "$CG_TRACED" "$CG_BT" "$CG_HOST/service" "$CG_HOST"; do rmdir "$c" 2>/dev/null; done
}

# in_cgroup DIR CMD...: runs CMD as a member of cgroup DIR.
in_cgroup() {
	local dir=$1
	shift
	sh -c 'echo $$ > "$0/cgroup.procs"; exec "$@"' "$dir" "$@"
}

og_load() { # [BUILD_TREE [TRACED_ANNOTATIONS_JSON]]
	local b=${1:-$BIN} ann=${2:-\{\}}
	# The defaults, whatever the host's oci-gadget.conf says (and whatever
	# keys the BASE build knows).
	: >"$WORK/empty.conf"
	"$b/gadget-tracer" --pin-root "$PIN" load >/dev/null
	echo "{\"id\":\"og-bench-other\",\"pid\":$HOLD_OTHER}" |
		"$b/gadget-hook" prestart --pin-root "$PIN" --log "" --config "$WORK/empty.conf" --fail-closed
	echo "{\"id\":\"og-bench-traced\",\"pid\":$HOLD_TRACED,\"annotations\":$ann}" |
		"$b/gadget-hook" prestart --pin-root "$PIN" --log "" --config "$WORK/empty.conf" --fail-closed
}
# The two containers og_load registered are recording: --force (a BASE
# build from before --force takes a plain unload).
og_unload() {
	"${1:-$BIN}/gadget-tracer" --pin-root "$PIN" unload --force >/dev/null 2>&1 ||
		"${1:-$BIN}/gadget-tracer" --pin-root "$PIN" unload >/dev/null
}

# run_in_config CONFIG CMD...: runs CMD under one tracing configuration;
# prints "nan" when the tool for it is not installed. CMD's stdout is kept.
run_in_config() {
	local cfg=$1
	shift
	case $cfg in
	none) "$@" ;;
	floor)
		"$BIN/bench/floor-attach" "$BIN/bench/floor.bpf.o" "$FLOOR"
		"$@"
		rm -rf "$FLOOR" ;;
	og-untraced) og_load; "$@"; og_unload ;;
	og-traced) og_load; in_cgroup "$CG_TRACED" "$@"; og_unload ;;
	base-untraced) og_load "$BASE"; "$@"; og_unload "$BASE" ;;
	base-traced) og_load "$BASE"; in_cgroup "$CG_TRACED" "$@"; og_unload "$BASE" ;;
	og-untraced-nested) og_load; in_cgroup "$CG_HOST/service" "$@"; og_unload ;;
	og-traced-no-*)
		OCI_GADGET_BENCH_ABLATE=${cfg#og-traced-no-} og_load 2>/dev/null
		in_cgroup "$CG_TRACED" "$@"
		og_unload ;;
	og-traced-skipped | base-traced-skipped)
		local sb=$BIN
		[ "$cfg" = base-traced-skipped ] && sb=$BASE
		og_load "$sb" '{"io.oci-gadget.syscalls": "!read,getppid"}'
		in_cgroup "$CG_TRACED" "$@"
		og_unload "$sb" ;;
	base-untraced-nested) og_load "$BASE"; in_cgroup "$CG_HOST/service" "$@"; og_unload "$BASE" ;;
	og-traced-nested | base-traced-nested)
		local b=$BIN
		[ "$cfg" = base-traced-nested ] && b=$BASE
		og_load "$b"
		mkdir "$CG_TRACED/child"
		in_cgroup "$CG_TRACED/child" "$@"
		rmdir "$CG_TRACED/child"
		og_unload "$b" ;;
	strace)
		command -v strace >/dev/null || { echo nan; return; }
		strace -f -o /dev/null "$@" ;;
	perf-trace)
		# Per process: cgroup filtering needs the perf_event v1 controller.
		command -v perf >/dev/null || { echo nan; return; }
		perf trace -o "$WORK/perf.out" -- "$@" ;;
	bpftrace)
		command -v bpftrace >/dev/null || { echo nan; return; }
		: >"$WORK/bt.out"
		bpftrace -o "$WORK/bt.out" -e "
			tracepoint:raw_syscalls:sys_enter /cgroup == cgroupid(\"$CG_BT\")/ {
				printf(\"enter %d %lx %lx %lx %lx %lx %lx\n\", args->id, args->args[0], args->args[1],
					args->args[2], args->args[3], args->args[4], args->args[5]); }
			tracepoint:raw_syscalls:sys_exit /cgroup == cgroupid(\"$CG_BT\")/ {
				printf(\"exit %d %d\n\", args->id, args->ret); }" >/dev/null 2>&1 &
		BT_PID=$!
		for _ in $(seq 300); do grep -q Attaching "$WORK/bt.out" && break; sleep 0.1; done
		in_cgroup "$CG_BT" "$@"
		kill -TERM "$BT_PID"; wait "$BT_PID" 2>/dev/null || true; BT_PID="" ;;
	esac
}
