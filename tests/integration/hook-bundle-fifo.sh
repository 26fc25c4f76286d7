#!/bin/bash
# A bundle file swapped for a FIFO (by an earlier prestart hook, or before the
# start for podman's containers.json) never blocks gadget-hook: it is refused
# as not regular, said in the log, and the container starts and is recorded.
# Before the fix the hook waited on the FIFO until runc's hook timeout failed
# the start.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf
command -v mkfifo >/dev/null || skip "mkfifo not installed"

# fifo_first BUNDLE FILE: a prestart hook before gadget-hook that turns FILE
# into a FIFO (runc has read config.json by then); gadget-hook gets a 10 s
# timeout, so that a blocked hook fails the start instead of hanging the test.
fifo_first() {
	local b=$1 file=$2
	jq --arg f "$file" '
		.hooks.prestart = [{path: "/bin/sh", args: ["sh", "-c", ("rm -f " + $f + " && mkfifo " + $f)]}] +
			[.hooks.prestart[0] + {timeout: 10}]' "$b/config.json" >"$b/config.json.new"
	mv "$b/config.json.new" "$b/config.json"
}

# runc's own container: gadget-hook reads config.json for a Docker name.
A=og-fifo-cfg-$$
make_bundle "$WORK/a" '["/bin/sh", "-c", "echo -n fifo-a > /tmp/fifo-a; exit 5"]'
fifo_first "$WORK/a" "$WORK/a/config.json"
start=$(date +%s)
rc=$(run_container "$A" "$WORK/a")
[ "$rc" = 5 ] || fail "$A: exit $rc, expected 5 (a blocked hook fails the start): $(cat "$WORK/$A.stderr")"
[ -p "$WORK/a/config.json" ] || fail "the earlier hook did not leave a FIFO"
[ $(($(date +%s) - start)) -lt 8 ] || fail "$A: the start took $(($(date +%s) - start)) s: the hook waited"
grep -q "container '$A'.*config.json: not a regular file" "$WORK/hook.log" ||
	fail "$A: no log line for the FIFO config.json: $(cat "$WORK/hook.log")"
expect_ring "$A" /tmp/fifo-a fifo-a 5
ok "config.json a FIFO: refused at once, logged, the container runs and is recorded"

# podman's: containers.json two levels above the bundle, read for the name.
B=og-fifo-podman-$$
mkdir -p "$WORK/p/c"
make_bundle "$WORK/p/c/bundle" '["/bin/sh", "-c", "echo -n fifo-b > /tmp/fifo-b; exit 6"]'
set_annotations "$WORK/p/c/bundle" '{"io.container.manager": "libpod"}'
fifo_first "$WORK/p/c/bundle" "$WORK/p/containers.json"
rc=$(run_container "$B" "$WORK/p/c/bundle")
[ "$rc" = 6 ] || fail "$B: exit $rc, expected 6: $(cat "$WORK/$B.stderr")"
grep -q "container '$B'.*containers.json: not a regular file" "$WORK/hook.log" ||
	fail "$B: no log line for the FIFO containers.json: $(cat "$WORK/hook.log")"
expect_ring "$B" /tmp/fifo-b fifo-b 6
ok "podman's containers.json a FIFO: refused at once, logged, recorded under its id"
