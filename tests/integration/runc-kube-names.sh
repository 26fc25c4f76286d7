#!/bin/bash
# Containers with Kubernetes annotations (as containerd's CRI plugin sets
# them) are listed with pod and namespace and read as POD/CONTAINER or
# NAMESPACE/POD/CONTAINER.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

ID="og-kube-$$"
make_bundle "$WORK/bundle" '["/bin/sh", "-c", "echo kube-$$ > /dev/null"]'
jq '.annotations = {"io.kubernetes.cri.container-name": "app", "io.kubernetes.cri.sandbox-name": "web-7d9",
	"io.kubernetes.cri.sandbox-namespace": "shop"}' "$WORK/bundle/config.json" >"$WORK/c.json"
mv "$WORK/c.json" "$WORK/bundle/config.json"
rc=$(run_container "$ID" "$WORK/bundle")
[ "$rc" = 0 ] || fail "exit $rc"
"$DUMP" --pin-root "$PIN_ROOT" list --json | jq -e "select(.id==\"$ID\") | .name == \"app\" and .pod == \"web-7d9\" and .namespace == \"shop\"" >/dev/null ||
	fail "list: $("$DUMP" --pin-root "$PIN_ROOT" list --json)"
ok "list shows name, pod and namespace"
for q in shop/web-7d9/app web-7d9/app app "$ID"; do
	dump_json "$q" | grep -q '"syscall":"execve"' || fail "gadget-dump $q found nothing"
done
ok "read as NAMESPACE/POD/CONTAINER, POD/CONTAINER, name and id"
out=$("$DUMP" --pin-root "$PIN_ROOT" other/web-7d9/app 2>&1) && fail "wrong namespace matched"
echo "$out" | grep -q "no container 'other/web-7d9/app'" || fail "unclear error: $out"
ok "a wrong namespace is an unknown container"
