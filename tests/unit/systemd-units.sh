#!/bin/sh
# The metrics service and timer as systemd reads them: systemd-analyze
# verify on the units make built, the service's gadget-dump the one built
# here (the installed path need not exist yet).
src=${top_srcdir:-.}
build=${top_builddir:-.}
command -v systemd-analyze >/dev/null || { echo "SKIP: systemd-analyze not installed (apt-get install systemd)"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
unit=$build/runtime-config/systemd/oci-gadget-metrics.service
[ -f "$unit" ] || { echo "$unit not built (make first)"; exit 1; }
grep -q '^ExecStart=/.*/gadget-dump metrics --out /var/lib/prometheus/node-exporter/oci-gadget.prom$' "$unit" ||
	{ echo "$unit: ExecStart is not gadget-dump metrics --out into node_exporter's directory"; exit 1; }
sed "s|^ExecStart=[^ ]*/gadget-dump |ExecStart=$(cd "$build" && pwd)/gadget-dump |" "$unit" >"$dir/oci-gadget-metrics.service"
cp "$src/runtime-config/systemd/oci-gadget-metrics.timer" "$dir/"
out=$(systemd-analyze verify --man=no "$dir/oci-gadget-metrics.service" "$dir/oci-gadget-metrics.timer" 2>&1) ||
	{ echo "systemd-analyze verify: $out"; exit 1; }
[ -z "$out" ] || { echo "systemd-analyze verify warns: $out"; exit 1; }
echo "ok - the metrics service and timer pass systemd-analyze verify"
