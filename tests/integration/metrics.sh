#!/bin/bash
# gadget-dump metrics with real runc containers: one exits 3 (its name
# needs escaping), one is killed by SIGSEGV, one is OOM-killed (where a
# memory controller is), one runs. The text passes
# promtool check metrics and says what list, summary and gadget-tracer
# status say; stopped containers leave it when prune removes their pins.
# Then --out writes node_exporter's textfile, Debian's real
# prometheus-node-exporter serves it and a real prometheus scrapes it, both
# on loopback, and promtool queries a container's exit code back.
. "$(dirname "$0")/lib.sh"
require_runc
for tool in promtool prometheus prometheus-node-exporter; do
	command -v $tool >/dev/null || skip "$tool not installed (apt-get install prometheus prometheus-node-exporter)"
done
cat >"$WORK/crash.c" <<'C'
int main(void) { *(volatile int *)0 = 42; return 0; }
C
build_static crash
build_hog
require_bpf

PIDS=""
extra_cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
}
M="$WORK/metrics.prom"
metrics() { "$DUMP" --pin-root "$PIN_ROOT" metrics >"$M" || fail "gadget-dump metrics failed"; }
# value NAME ID [STATE]: the sample of container ID (its id is the first label).
value() {
	local sel="$1{id=\"$2\","
	if [ -n "${3:-}" ]; then
		grep -F -- "$sel" "$M" | grep -F -- "state=\"$3\"}" | awk '{ print $NF }'
	else
		grep -F -- "$sel" "$M" | awk '{ print $NF }'
	fi
}
expect() { # NAME ID WANT [STATE]
	local got
	got=$(value "$1" "$2" "${4:-}")
	[ "$got" = "$3" ] || fail "$1 of $2${4:+ ($4)} is '$got', expected '$3': $(grep -F "{id=\"$2\"," "$M" | head -30)"
}
host() { grep -E "^$1 " "$M" | awk '{ print $2 }'; }

ID3="og-metrics-exit3-$$" IDS="og-metrics-segv-$$" IDR="og-metrics-run-$$"
# Kubernetes names as containerd's CRI sets them; the container's name
# holds a quote, a backslash and a space: escaped in the labels.
make_bundle "$WORK/bundle-3" '["sh", "-c", "echo hi > /tmp/x; exit 3"]'
jq '.annotations = {"io.kubernetes.cri.container-name": "app \"one\\two", "io.kubernetes.cri.sandbox-name": "web-7d9",
	"io.kubernetes.cri.sandbox-namespace": "shop"}' "$WORK/bundle-3/config.json" >"$WORK/c.json"
mv "$WORK/c.json" "$WORK/bundle-3/config.json"
[ "$(run_container "$ID3" "$WORK/bundle-3")" = 3 ] || fail "$ID3 did not exit 3"
run_binary_exits "$IDS" crash 139
# Where there is a memory controller, one is OOM-killed under 32 MiB.
IDO=""
if have_memory_controller; then
	IDO="og-metrics-oom-$$"
	rc=$(run_hog "$IDO")
	[ "$rc" = 137 ] || fail "$IDO: exit status $rc, expected 137 (the OOM killer's SIGKILL)"
fi
make_bundle "$WORK/bundle-run" '["sleep", "1000"]'
start_container "$IDR" "$WORK/bundle-run"
running() { "$DUMP" --pin-root "$PIN_ROOT" list --json | jq -s -e --arg id "$1" 'any(.[]; .id == $id and .state == "running")' >/dev/null; }
wait_for 10 running "$IDR" || fail "$IDR is not listed running: $("$DUMP" --pin-root "$PIN_ROOT" list 2>&1)"

metrics
promtool check metrics <"$M" >"$WORK/promtool.out" 2>&1 || fail "promtool check metrics: $(cat "$WORK/promtool.out")"
ok "the text passes promtool check metrics"
grep -qF "oci_gadget_container_state{id=\"$ID3\",name=\"app \\\"one\\\\two\",pod=\"web-7d9\",namespace=\"shop\",state=\"stopped\"} 1" "$M" ||
	fail "$ID3's labels: $(grep -F "state{id=\"$ID3\"" "$M")"
ok "labels id, name, pod, namespace; the name's quote and backslash escaped"

expect oci_gadget_container_exit_code "$ID3" 3
[ -z "$(value oci_gadget_container_exit_signal "$ID3")" ] || fail "$ID3 exited: it has an exit signal"
expect oci_gadget_container_oom_killed "$ID3" 0
expect oci_gadget_container_exit_signal "$IDS" 11
[ -z "$(value oci_gadget_container_exit_code "$IDS")" ] || fail "$IDS was killed: it has an exit code"
expect oci_gadget_container_oom_killed "$IDS" 0
expect oci_gadget_container_crashes_total "$IDS" 1
expect oci_gadget_container_crashes_total "$ID3" 0
expect oci_gadget_container_other_processes_killed_total "$IDS" 0
for s in running ended gone; do expect oci_gadget_container_state "$ID3" 0 $s; done
expect oci_gadget_container_state "$ID3" 1 stopped
expect oci_gadget_container_state "$IDS" 1 stopped
expect oci_gadget_container_state "$IDR" 1 running
expect oci_gadget_container_state "$IDR" 0 stopped
[ -z "$(value oci_gadget_container_exit_code "$IDR")$(value oci_gadget_container_exit_signal "$IDR")" ] ||
	fail "$IDR runs: it has an exit code or signal"
ok "exit 3: exit_code 3; SIGSEGV: exit_signal 11, one crash; states stopped and running"
if [ -n "$IDO" ]; then
	expect oci_gadget_container_oom_killed "$IDO" 1
	expect oci_gadget_container_exit_signal "$IDO" 9
	expect oci_gadget_container_crashes_total "$IDO" 0
	ok "OOM-killed: oom_killed 1, exit_signal 9 (SIGKILL), no crash"
else
	echo "# no memory cgroup controller: the OOM kill is not checked"
fi

# The counts are list's, summary's and gadget-tracer status's.
for id in "$ID3" "$IDS" $IDO; do
	"$DUMP" --pin-root "$PIN_ROOT" list --json | jq -c --arg id "$id" 'select(.id == $id)' >"$WORK/list.json"
	expect oci_gadget_container_written_bytes_total "$id" "$(jq .bytes_written "$WORK/list.json")"
	expect oci_gadget_container_records "$id" "$(jq .records "$WORK/list.json")"
	expect oci_gadget_container_torn_records "$id" "$(jq .torn "$WORK/list.json")"
	expect oci_gadget_container_dropped_records_total "$id" "$(jq .dropped "$WORK/list.json")"
	expect oci_gadget_container_ring_bytes "$id" "$(jq .ring_bytes "$WORK/list.json")"
	expect oci_gadget_container_start_time_seconds "$id" "$(jq '.started_ns / 1e9 | floor' "$WORK/list.json")"
	"$DUMP" --pin-root "$PIN_ROOT" summary "$id" --json >"$WORK/sum.json"
	expect oci_gadget_container_syscalls_total "$id" "$(jq -s 'map(select(.scope == "life") | .calls) | add' "$WORK/sum.json")"
	expect oci_gadget_container_syscall_errors_total "$id" "$(jq -s 'map(select(.scope == "life") | .errors) | add' "$WORK/sum.json")"
done
[ "$(value oci_gadget_container_syscalls_total "$ID3")" -gt 0 ] || fail "no syscalls counted for $ID3"
[ "$(value oci_gadget_container_written_bytes_total "$ID3")" -gt 0 ] || fail "no bytes written for $ID3"
"$TRACER" --pin-root "$PIN_ROOT" status --json >"$WORK/status.json"
[ "$(host oci_gadget_containers_recording)" = "$(jq .registered "$WORK/status.json")" ] || fail "containers recording"
[ "$(host oci_gadget_containers_recording)" -ge 1 ] || fail "the running container is not recording"
held=$(grep '^oci_gadget_ring_memory_bytes{' "$M" | awk '{ s += $2 } END { print s }')
[ "$held" = "$(jq .ring_memory_held "$WORK/status.json")" ] || fail "ring memory: $held, status says $(jq .ring_memory_held "$WORK/status.json")"
[ "$(host oci_gadget_records_dropped_total)" = "$(jq .dropped "$WORK/status.json")" ] || fail "records dropped"
[ "$(host oci_gadget_tracer_loaded)" = 1 ] || fail "tracer not said loaded"
want=2
[ -n "$IDO" ] && want=3
grep -qF "oci_gadget_containers{state=\"stopped\"} $want" "$M" || fail "not $want stopped containers: $(grep '^oci_gadget_containers{' "$M")"
ok "syscalls and errors as summary counts them, bytes and records as list, host-wide as gadget-tracer status"

# --out: atomically into node_exporter's textfile directory, readable by
# its user, nothing left beside it.
TEXTFILE="$WORK/textfile"
mkdir -p "$TEXTFILE"
"$DUMP" --pin-root "$PIN_ROOT" metrics --out "$TEXTFILE/oci-gadget.prom" || fail "metrics --out failed"
[ "$(ls -A "$TEXTFILE")" = oci-gadget.prom ] || fail "--out left: $(ls -A "$TEXTFILE")"
[ "$(stat -c %a "$TEXTFILE/oci-gadget.prom")" = 644 ] || fail "--out file mode $(stat -c %a "$TEXTFILE/oci-gadget.prom")"
grep -qF "oci_gadget_container_exit_code{id=\"$ID3\"," "$TEXTFILE/oci-gadget.prom" || fail "--out lacks $ID3"
out=$("$DUMP" --pin-root "$PIN_ROOT" metrics --out "$WORK/no-such-dir/x.prom" 2>&1) && fail "--out into a missing directory succeeded"
echo "$out" | grep -qF "$WORK/no-such-dir/x.prom" || fail "--out error does not name the file: $out"
ok "--out writes the file atomically (mode 644, no temporary left); a missing directory is an error naming it"

# Debian's node_exporter serves the textfile, prometheus scrapes it.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		# Nothing accepts a connection there (bash's /dev/tcp: no ss needed).
		(exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return 0; }
	done
	fail "no free loopback port"
}
NE_PORT=$(free_port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$NE_PORT" --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$TEXTFILE" >"$WORK/node-exporter.log" 2>&1 &
PIDS="$PIDS $!"
PROM_PORT=$(free_port)
while [ "$PROM_PORT" = "$NE_PORT" ]; do PROM_PORT=$(free_port); done
mkdir -p "$WORK/prom-data"
cat >"$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$NE_PORT']
EOF
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom-data" \
	--web.listen-address="127.0.0.1:$PROM_PORT" >"$WORK/prometheus.log" 2>&1 &
PIDS="$PIDS $!"
query() { promtool query instant -o json "http://127.0.0.1:$PROM_PORT" "$1" 2>/dev/null; }
got_exit() { [ "$(query "oci_gadget_container_exit_code{id=\"$ID3\"}" | jq -r '.[0].value[1] // empty')" = 3 ]; }
wait_for 60 got_exit || fail "prometheus has no exit code 3 for $ID3: $(query "oci_gadget_container_exit_code" || tail -5 "$WORK/prometheus.log"); node_exporter: $(tail -3 "$WORK/node-exporter.log")"
query "oci_gadget_container_exit_code{id=\"$ID3\"}" >"$WORK/q.json"
jq -e --arg id "$ID3" '.[0].metric | .name == "app \"one\\two" and .pod == "web-7d9" and .namespace == "shop" and .job == "node"' "$WORK/q.json" >/dev/null ||
	fail "labels as prometheus has them: $(cat "$WORK/q.json")"
[ "$(query "oci_gadget_container_exit_signal{id=\"$IDS\"}" | jq -r '.[0].value[1]')" = 11 ] || fail "prometheus: no exit signal 11 for $IDS"
[ "$(query 'node_textfile_scrape_error' | jq -r '.[0].value[1]')" = 0 ] || fail "node_exporter could not read the textfile"
ok "node_exporter serves the textfile, prometheus scrapes it: $ID3's exit code 3 and its escaped name queried back"

# Labels stay bounded: prune removes the stopped containers' pins, and
# with them their series; the running one stays.
"$DUMP" --pin-root "$PIN_ROOT" prune >/dev/null || fail "prune failed"
metrics
promtool check metrics <"$M" >"$WORK/promtool.out" 2>&1 || fail "promtool after prune: $(cat "$WORK/promtool.out")"
! grep -qF -e "{id=\"$ID3\"," -e "{id=\"$IDS\"," -e "{id=\"${IDO:-none}\"," "$M" || fail "pruned containers still in the metrics"
expect oci_gadget_container_state "$IDR" 1 running
ok "pruned containers leave the metrics, the running one stays"
