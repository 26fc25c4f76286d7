#!/bin/bash
# Python from a volume, behind a shell: four containers run
# sh -c 'python3 ...' at once, with /usr bind-mounted read-only from the
# host (the image itself has no Python), each forcing a different number of
# full collections. The gc probes are found through the container's mount
# namespace, sit on the one python3.11 inode the four share with the host,
# and each ring holds exactly its own collections, never the sum.
. "$(dirname "$0")/lib.sh"
require_uprobes
require_python_gc

make_usr_volume_rootfs "$WORK/root"
[ -e "$WORK/root/usr/bin/python3" ] && fail "the image must not have Python itself"
declare -A K=([1]=3 [2]=5 [3]=7 [4]=9)
for i in 1 2 3 4; do
	# No automatic collection after gc.disable(), none at exit (os._exit):
	# the full (generation 2) collections are exactly the forced ones.
	code="import gc, os
gc.disable()
for i in range(${K[$i]}):
    gc.collect()
print('done', flush=True)
os._exit(0)"
	probed_bundle "$WORK/b$i" "$WORK/root" "$(jq -cn --arg c "$code" '["/bin/sh", "-c", "python3 -S -c \"$1\"", "sh", $c]')" "gc"
	bind_host_usr "$WORK/b$i"
	set_env "$WORK/b$i" "PATH=/usr/bin:/bin"
done
for i in 1 2 3 4; do start_container "og-vol-$i-$$" "$WORK/b$i"; done
for i in 1 2 3 4; do stop_container "og-vol-$i-$$"; done
for i in 1 2 3 4; do
	id="og-vol-$i-$$"
	grep -q done "$WORK/$id.stdout" || fail "$id: python did not run: $(cat "$WORK/$id.stdout" "$WORK/$id.stderr")"
	n=$(dump_json "$id" --event gc | jq -s '[.[] | select(.runtime == "python" and .generation == 2)] | length')
	[ "$n" = "${K[$i]}" ] || fail "$id: $n full collections, expected ${K[$i]}; probes: $(probes_of "$id")"
done
ok "four containers at once: 3, 5, 7 and 9 full collections, each ring exactly its own"
rep=$(probes_of "og-vol-1-$$")
echo "$rep" | grep -q "^image: the container's mount namespace" || fail "not resolved in the container's view: $rep"
echo "$rep" | grep -Eq "^gc: /usr/bin/python3(\.11)? \([0-9]+ probes, along PATH\)" || fail "python3 not found along PATH: $rep"
ok "found through the container's mount namespace, along its PATH: $(echo "$rep" | grep '^gc:' | head -1)"
