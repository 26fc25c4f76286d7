#!/bin/bash
# No text output lets a container drive the reader's terminal. A process
# names itself "\n\e[31mX\e]0;t\a" (as prctl(PR_SET_NAME) does, through
# /proc/self/comm), signals itself, and crashes in a program under a
# directory named with escapes; its Kubernetes names and its uprobe-paths
# hold the same bytes. The text of show, list, probes and the errors that
# name containers is printable ASCII and newlines only, each such byte
# escaped as \xNN; JSON keeps the exact bytes.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

EVIL=$'\n\e[31mX\e]0;t\a'
DIR=$'/e\e]0;t\a'
ID="og-term-a-$$"
ID2="og-term-b-$$"
# Printable ASCII and newlines only; else the offending bytes, in hex.
printable() { # FILE WHAT
	local bad
	bad=$(LC_ALL=C tr -d '\n -~' <"$1" | od -An -tx1 | head -3)
	[ -z "$bad" ] || fail "$2: bytes a terminal acts on: $bad"
}

# Not as pid 1, which its own signals do not reach: a child, from a copy
# of busybox (its mapping names that directory).
make_bundle "$WORK/b" '["/bin/sh", "-c", "\"$DIR/sh\" -c '"'"'printf %s \"$EVIL\" > /proc/$$/comm; trap \"\" USR1; kill -USR1 $$; echo hi > /tmp/x; kill -SEGV $$'"'"'; exit $?"]'
mkdir -p "$WORK/b/rootfs$DIR"
cp /bin/busybox "$WORK/b/rootfs$DIR/sh"
set_env "$WORK/b" "EVIL=$EVIL" "DIR=$DIR" "PATH=/bin"
jq --arg e "$EVIL" '.annotations = {"io.kubernetes.cri.container-name": $e, "io.kubernetes.cri.sandbox-name": ("pod" + $e),
	"io.kubernetes.cri.sandbox-namespace": "ns", "io.oci-gadget.uprobes": "malloc",
	"io.oci-gadget.uprobe-paths": ("/lib/" + $e + ".so")}' "$WORK/b/config.json" >"$WORK/c.json"
mv "$WORK/c.json" "$WORK/b/config.json"
rc=$(run_container "$ID" "$WORK/b")
[ "$rc" = 139 ] || fail "expected the container to die of SIGSEGV (139), got $rc: $(cat "$WORK/$ID.stderr")"
[ "$(run_container "$ID2" "$WORK/b")" = 139 ] || fail "second container"

"$DUMP" --pin-root "$PIN_ROOT" "$ID" >"$WORK/show" 2>"$WORK/show.err" || fail "show: $(cat "$WORK/show.err")"
printable "$WORK/show" show
printable "$WORK/show.err" "show's stderr"
grep -q ' \\x0a\\x1b\[31mX\\x1b\]0;t\\x07  *write(fd=1' "$WORK/show" || fail "the comm is not escaped in the line prefix: $(grep write "$WORK/show" | tail -2)"
grep -q 'sent by \\x0a\\x1b\[31mX\\x1b\]0;t\\x07\[' "$WORK/show" || fail "the sender's comm is not escaped: $(grep SIGUSR1 "$WORK/show")"
grep -q 'e\\x1b\]0;t\\x07/sh' "$WORK/show" || fail "the crash frame's file is not escaped: $(grep -A3 SIGSEGV "$WORK/show")"
ok "show: the comm in every prefix and as the signal's sender, the crash's frames, escaped"

"$DUMP" --pin-root "$PIN_ROOT" list >"$WORK/list" 2>&1 || fail "list: $(cat "$WORK/list")"
printable "$WORK/list" list
grep -q "^$ID  *\\\\x0a\\\\x1b\[31mX" "$WORK/list" || fail "the name is not escaped in list: $(cat "$WORK/list")"
[ "$("$DUMP" --pin-root "$PIN_ROOT" list --json | jq -r --arg id "$ID" 'select(.id == $id) | .name')" = "$EVIL" ] ||
	fail "list --json does not keep the name's bytes"
ok "list: the Kubernetes name escaped (JSON keeps its bytes)"

"$DUMP" --pin-root "$PIN_ROOT" probes "$ID" >"$WORK/probes" 2>&1 || fail "probes: $(cat "$WORK/probes")"
printable "$WORK/probes" probes
grep -q 'uprobe-paths: /lib/\\x0a\\x1b\[31mX\\x1b\]0;t\\x07\.so' "$WORK/probes" || fail "the uprobe path is not escaped: $(cat "$WORK/probes")"
ok "probes: the uprobe-paths entry escaped"

"$DUMP" --pin-root "$PIN_ROOT" og-term >"$WORK/amb" 2>&1 && fail "a prefix of two containers resolved"
printable "$WORK/amb" "the ambiguity error"
grep -q "ambiguous.*$ID (ns/pod\\\\x0a\\\\x1b" "$WORK/amb" || fail "the error does not name the candidates: $(cat "$WORK/amb")"
ok "an error that names containers: escaped"
