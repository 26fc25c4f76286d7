#!/bin/bash
# io.oci-gadget.kstack=true: syscall records carry a kernel stack id, and
# gadget-dump names the frames from /proc/kallsyms. Without the annotation
# no record has one. The stack is taken at the sys_enter tracepoint, before
# the syscall's body runs: it is the entry path (do_syscall_64 for x86_64).
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

make_bundle "$WORK/b" '["/bin/cat", "/proc/version"]'
set_annotations "$WORK/b" '{"io.oci-gadget.kstack": "true"}'
ID="og-kstack-$$"
run_ok "$ID" "$WORK/b"
dump_json "$ID" --syscall openat >"$WORK/k.json"
jq -e -s 'any(.[]; .args[1].str == "/proc/version" and (.kstack | length) >= 2 and
	any(.kstack[]; test("^do_syscall_64\\+0x")))' "$WORK/k.json" >/dev/null ||
	fail "no symbolized kernel stack on the openat: $(head -2 "$WORK/k.json")"
ok "the openat of /proc/version carries a symbolized kernel stack (the syscall entry path)"
"$DUMP" --pin-root "$PIN_ROOT" "$ID" --syscall openat | grep -q '^    > do_syscall_64+0x' ||
	fail "text output has no stack lines"
ok "text output prints the frames under the syscall"

make_bundle "$WORK/b2" '["/bin/cat", "/proc/version"]'
ID2="og-nokstack-$$"
rc=$(run_container "$ID2" "$WORK/b2")
dump_json "$ID2" | jq -e -s 'all(.[]; has("kstack_id") | not)' >/dev/null || fail "stacks without the annotation"
ok "no stacks without the annotation"
