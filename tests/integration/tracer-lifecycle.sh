#!/bin/bash
# load is idempotent and race-free; status reports; unload detaches.
. "$(dirname "$0")/lib.sh"
require_root
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF"
grep -q ' /sys/fs/bpf bpf ' /proc/self/mounts || mount -t bpf bpf /sys/fs/bpf || skip "no bpffs"
command -v bpftool >/dev/null || skip "bpftool not installed"
command -v jq >/dev/null || skip "jq not installed"

# Other tests load tracers at the same time (make -j): count only the links
# of this pin root's programs, and follow link ids across reload and unload.
prog_ids() { for p in sys_enter sys_exit; do bpftool prog show pinned "$PIN_ROOT/progs/$p" -j | jq .id; done; }
links_of() { # PROG_ID...: the ids of the links attached to these programs
	bpftool link show -j | jq -r --argjson p "$(printf '%s\n' "$@" | jq -s .)" \
		'.[] | select(.prog_id as $i | $p | index($i)) | .id' | sort -n | tr '\n' ' '
}
link_exists() { bpftool link show id "$1" >/dev/null 2>&1; }

# Five loads racing on a fresh root attach exactly once.
for i in 1 2 3 4 5; do "$TRACER" --pin-root "$PIN_ROOT" load >"$WORK/load.$i" 2>&1 & done
wait
grep -l '^loaded' "$WORK"/load.* | wc -l | grep -qx 1 || fail "not exactly one load did the work: $(cat "$WORK"/load.*)"
[ "$(grep -l '^already loaded' "$WORK"/load.* | wc -l)" = 4 ] || fail "the other loads did not find it loaded"
after=$(links_of $(prog_ids))
[ "$(echo $after | wc -w)" = 2 ] || fail "links on the programs: '$after', expected 2 (sys_enter, sys_exit)"
ok "5 racing loads attached 2 links once"

"$TRACER" --pin-root "$PIN_ROOT" load | grep -q '^already loaded' || fail "second load was not a no-op"
[ "$(links_of $(prog_ids))" = "$after" ] || fail "second load changed the links"
ok "load again changes nothing"

st=$("$TRACER" --pin-root "$PIN_ROOT" status --json)
echo "$st" | jq -e '.loaded == true and .registered == 0 and .syscalls_described > 300 and (.version | length) > 0' >/dev/null ||
	fail "status: $st"
"$TRACER" --pin-root "$PIN_ROOT" status | grep -q '^loaded: ' || fail "text status"
ok "status reports loaded, version, described syscalls"

old_progs=$(prog_ids)
"$TRACER" --pin-root "$PIN_ROOT" reload | grep -q '^loaded' || fail "reload"
[ "$(links_of $old_progs)" = "" ] || fail "reload left links $(links_of $old_progs) on the old programs"
new=$(links_of $(prog_ids))
[ "$(echo $new | wc -w)" = 2 ] || fail "links on the new programs: '$new', expected 2"
ok "reload swaps programs without adding links"

"$TRACER" --pin-root "$PIN_ROOT" unload >/dev/null || fail "unload"
for l in $new; do link_exists "$l" && fail "link $l left after unload"; done
[ ! -e "$PIN_ROOT" ] || fail "pin root left after unload: $(find "$PIN_ROOT")"
"$TRACER" --pin-root "$PIN_ROOT" status | grep -q '^not loaded' || fail "status after unload"
ok "unload removes every pin and detaches"

out=$("$TRACER" --pin-root "$WORK/not-bpffs" load 2>&1) && fail "load on a non-bpffs dir succeeded"
echo "$out" | grep -q 'not on bpffs' || fail "no clear error for a non-bpffs root: $out"
ok "a pin root outside bpffs is refused with a clear error"
