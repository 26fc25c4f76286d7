#!/bin/bash
# Two containers at once: each ring holds its own syscalls only.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

A="og-two-a-$$"
B="og-two-b-$$"
for c in a b; do
	make_bundle "$WORK/bundle-$c" "[\"/bin/sh\", \"-c\", \"for i in 1 2 3 4 5; do echo $c-\$i > /tmp/only-$c-$$; sleep 0.2; done\"]"
done
start_container "$A" "$WORK/bundle-a"
start_container "$B" "$WORK/bundle-b"
stop_container "$A"
stop_container "$B"

dump_json "$A" >"$WORK/a.json"
dump_json "$B" >"$WORK/b.json"
for c in a b; do
	other=$([ $c = a ] && echo b || echo a)
	n=$(jq -c "select(.syscall==\"openat\" and .args[1].str==\"/tmp/only-$c-$$\")" "$WORK/$c.json" | wc -l)
	[ "$n" = 5 ] || fail "container $c: $n opens of its own file, expected 5"
	grep -q "only-$other-$$" "$WORK/$c.json" && fail "container $c's ring has the other container's file"
	pids=$(jq -r .pid "$WORK/$c.json" | sort -u)
	for p in $(jq -r .pid "$WORK/$other.json" | sort -u); do
		echo "$pids" | grep -qx "$p" && fail "pid $p in both rings"
	done
	ok "container $c: its 5 opens, nothing of the other"
done
