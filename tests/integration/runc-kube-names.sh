#!/bin/bash
# Containers with Kubernetes annotations (as containerd's CRI plugin sets
# them) are listed with pod and namespace and read as POD/CONTAINER or
# NAMESPACE/POD/CONTAINER; a name two running containers have is an error
# naming both, one stopped ones share means the newest.
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

# Two running containers of one name: the name is ambiguous, the error
# lists both; stopped ones of a name resolve to the newest, as a restarted
# pod's earlier attempts are stopped.
kube_bundle() { # DIR POD ARGS
	make_bundle "$1" "$3"
	jq --arg pod "$2" '.annotations = {"io.kubernetes.cri.container-name": "app", "io.kubernetes.cri.sandbox-name": $pod,
		"io.kubernetes.cri.sandbox-namespace": "shop"}' "$1/config.json" >"$WORK/c.json"
	mv "$WORK/c.json" "$1/config.json"
}
R1="og-kube-r1-$$"
R2="og-kube-r2-$$"
kube_bundle "$WORK/r1" web-7d9 '["/bin/sleep", "1000"]'
kube_bundle "$WORK/r2" web-7d9 '["/bin/sleep", "1000"]'
start_container "$R1" "$WORK/r1"
start_container "$R2" "$WORK/r2"
for q in shop/web-7d9/app web-7d9/app app; do
	out=$("$DUMP" --pin-root "$PIN_ROOT" "$q" 2>&1) && fail "$q: resolved with two running containers of that name: $(echo "$out" | head -2)"
	echo "$out" | grep -q "container name '$q' is ambiguous: 2 running containers have it: .*$R1 (shop/web-7d9/app).*; name one by its id" ||
		fail "$q: unclear error: $out"
	echo "$out" | grep -q "$R2 (shop/web-7d9/app)" || fail "$q: $R2 not listed: $out"
	echo "$out" | grep -q "$ID" && fail "$q: the stopped one is listed as running: $out"
done
ok "two running containers of one name: an error listing both, not the newer silently"
"$DUMP" --pin-root "$PIN_ROOT" "$R1" >/dev/null || fail "$R1 by its id"
runc kill "$R2" KILL
stop_container "$R2"
dump_json shop/web-7d9/app | jq -e -s 'length > 0' >/dev/null || fail "one running of the name left: not resolved"
runc kill "$R1" KILL
stop_container "$R1"
[ "$(dump_json shop/web-7d9/app | jq -r -s '.[0].pid')" = "$(dump_json "$R2" | jq -r -s '.[0].pid')" ] ||
	fail "stopped ones of a name: not the newest"
ok "one running or none: the name resolves (the newest of the stopped ones)"
