#!/bin/sh
# The Kubernetes manifests parse and follow yamllint's rules (no cluster here
# for kubectl apply --dry-run). Skips when yamllint is missing.
command -v yamllint >/dev/null || { echo "SKIP: yamllint not installed (apt-get install yamllint)"; exit 77; }
dir=${top_srcdir:-.}/runtime-config/kubernetes
yamllint -d '{extends: default, rules: {line-length: {max: 120}, document-start: disable, braces: {max-spaces-inside: 1}}}' \
	"$dir"/*.yaml || exit 1
# Two documents: the namespace and the DaemonSet.
[ "$(grep -c '^kind: ' "$dir/daemonset.yaml")" = 2 ] || { echo "expected 2 kinds"; exit 1; }
echo "ok - kubernetes manifests lint clean"
