#!/bin/bash
# What a syscall record keeps, in real runc containers: a 1,005-byte path
# whole, all of a 21-word argv, output bytes bounded by the return value,
# and buffers cut at the container's capture-bytes (256 by default, 4096
# and 0 by annotation).
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

# /tmp/ + four 199-byte directories + a 200-byte name = 1,005 bytes.
d=$(printf 'd%.0s' $(seq 199))
f=$(printf 'f%.0s' $(seq 200))
P=/tmp/$d/$d/$d/$d/$f
[ ${#P} = 1005 ] || fail "test path is ${#P} bytes"
X=$(printf 'x%.0s' $(seq 1000))
ARGS=$(seq -s ' ' 1 20)
script="mkdir -p ${P%/*} && echo hello > $P && head -n 1 $P && cat $P && echo $X && exec /bin/echo $ARGS"

run_with() { # ID ANNOTATIONS_JSON
	make_bundle "$WORK/$1" "$(jq -cn --arg s "$script" '["/bin/sh", "-c", $s]')"
	set_annotations "$WORK/$1" "$2"
	rc=$(run_container "$1" "$WORK/$1")
	[ "$rc" = 0 ] || fail "$1 exited $rc: $(cat "$WORK/$1.stderr")"
	dump_json "$1" >"$WORK/$1.json" || fail "gadget-dump $1 failed"
}

A="og-capture-$$"
run_with "$A" '{}'
jq -e -s --arg p "$P" 'map(select(.syscall == "openat" and .args[1].str == $p and (.args[1].truncated | not) and .ret >= 0)) | length >= 1' \
	"$WORK/$A.json" >/dev/null || fail "the 1,005-byte path is not whole in an openat"
ok "a 1,005-byte path is kept whole"
jq -e -s 'map(select(.comm == "head" and .syscall == "read" and .ret == 6 and .args[1].str == "hello\n")) | length == 1' "$WORK/$A.json" >/dev/null ||
	fail "head's read does not show the 6 bytes it returned: $(jq -c 'select(.comm == "head")' "$WORK/$A.json")"
ok "output bytes bounded by the return value"
# tracefs names sendfile's event sendfile64: it is described all the same.
jq -e -s 'map(select(.comm == "cat" and .syscall == "sendfile" and (.args | map(.name)) == ["out_fd", "in_fd", "offset", "count"]
	and .args[0].value == 1 and .ret == 6)) | length == 1' "$WORK/$A.json" >/dev/null ||
	fail "sendfile not described: $(jq -c 'select(.syscall == "sendfile")' "$WORK/$A.json")"
ok "sendfile described from its tracefs event sendfile64: 4 named arguments"
jq -e -s 'map(select(.syscall == "execve" and .args[0].str == "/bin/echo" and (.args[1].argv | length) == 21 and
	.args[1].argv[20] == "20" and (.args[1].truncated | not))) | length == 1' "$WORK/$A.json" >/dev/null ||
	fail "execve's argv not kept whole: $(jq -c 'select(.syscall == "execve")' "$WORK/$A.json")"
ok "all 21 words of argv kept"
jq -e -s 'map(select(.syscall == "write" and .ret == 1001 and (.args[1].str | length) == 256 and .args[1].truncated)) | length == 1' \
	"$WORK/$A.json" >/dev/null || fail "a 1,001-byte write is not cut at 256 bytes by default"
ok "a 1,001-byte write keeps 256 bytes by default, marked truncated"

B="og-capture-4k-$$"
run_with "$B" '{"io.oci-gadget.capture-bytes": "4096"}'
jq -e -s --arg x "$X" 'map(select(.syscall == "write" and .ret == 1001 and .args[1].str == $x + "\n" and (.args[1].truncated | not))) | length == 1' \
	"$WORK/$B.json" >/dev/null || fail "capture-bytes=4096: the write is not whole"
ok "io.oci-gadget.capture-bytes=4096 keeps the whole write"

C="og-capture-0-$$"
run_with "$C" '{"io.oci-gadget.capture-bytes": "0"}'
jq -e -s 'map(select(.syscall == "write" and .ret == 1001 and .args[1].str == "" and .args[1].truncated)) | length == 1' \
	"$WORK/$C.json" >/dev/null || fail "capture-bytes=0: the write keeps bytes"
jq -e -s --arg p "$P" 'map(select(.syscall == "openat" and .args[1].str == $p)) | length >= 1' "$WORK/$C.json" >/dev/null ||
	fail "capture-bytes=0 must not cut paths"
ok "io.oci-gadget.capture-bytes=0 keeps no buffer bytes, paths still whole"

D="og-capture-bad-$$"
make_bundle "$WORK/$D" '["/bin/true"]'
set_annotations "$WORK/$D" '{"io.oci-gadget.capture-bytes": "8KiB"}'
rc=$(run_container "$D" "$WORK/$D")
[ "$rc" = 0 ] || fail "a bad capture-bytes annotation must not fail the container"
grep -q "capture-bytes '8KiB': expected 0 to 4096 bytes" "$WORK/hook.log" || fail "the hook did not log the bad value: $(cat "$WORK/hook.log")"
ok "capture-bytes=8KiB is refused with a clear log line; the container runs"
