#!/bin/bash
# gadget-dump and prune trust nothing in the pins:
# - a ring whose metadata is missing (a hook killed between the two) is
#   listed as broken with the reason, refused by name, and pruned, and its
#   cgroup stops leading to the ring;
# - metadata of another size (another version) is listed as broken and pruned;
# - metadata naming another directory ("../maps") is broken: prune removes
#   the directory it found, never the one the metadata names;
# - strings without their NUL end inside their field.
. "$(dirname "$0")/lib.sh"
require_bpf
command -v jq >/dev/null || skip "jq not installed"
command -v bpftool >/dev/null || skip "bpftool not installed"
MNT=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$MNT" ] || skip "no cgroup2 mount"

CG="$MNT/og-pins-$$"
HOLDERS=""
extra_cleanup() {
	for p in $HOLDERS; do kill "$p" 2>/dev/null; done
	# The holders are not this shell's children: wait for them to leave.
	for d in "$CG"/*/ "$CG"; do [ -d "$d" ] && wait_for 10 rmdir "$d" 2>/dev/null; done
	true
}
C="$PIN_ROOT/containers"
dump() { "$DUMP" --pin-root "$PIN_ROOT" "$@"; }
status() { "$TRACER" --pin-root "$PIN_ROOT" status --json; }
register() { # ID: a sleeping process in its own cgroup, registered
	mkdir -p "$CG/$1"
	sleep 100000 </dev/null >/dev/null 2>&1 &
	HOLDERS="$HOLDERS $!"
	echo $! >"$CG/$1/cgroup.procs"
	echo "{\"id\":\"$1\",\"pid\":$!}" | "$HOOK" prestart --pin-root "$PIN_ROOT" --log "$WORK/hook.log" --fail-closed ||
		fail "register $1: $(cat "$WORK/hook.log")"
}
# set_bytes PIN OFFSET BYTE COUNT: overwrites bytes of a one-entry map's value.
set_bytes() {
	local v
	v=$(bpftool map dump pinned "$1" -j | jq -r --argjson o "$2" --arg b "$3" --argjson n "$4" \
		'.[0].value | to_entries | map(if .key >= $o and .key < $o + $n then $b else .value end) | .[]' | sed 's/^0x//')
	# shellcheck disable=SC2086
	bpftool map update pinned "$1" key hex 00 00 00 00 value hex $v || fail "update $1"
}
ID_OFF=80    # struct og_container_meta: id
NAME_OFF=208 # name, 256 bytes

# 1. A ring without metadata, its cgroup still registered.
register "og-orphan-$$"
[ "$(status | jq .registered)" = 1 ] || fail "not registered"
rm "$C/og-orphan-$$/meta"
dump list >"$WORK/list" 2>"$WORK/err"
grep -q "^og-orphan-$$ .* broken" "$WORK/list" || fail "orphan ring not listed: $(cat "$WORK/list")"
grep -q "og-orphan-$$.*meta" "$WORK/err" || fail "no reason given: $(cat "$WORK/err")"
dump list --json | jq -e -s --arg id "og-orphan-$$" 'any(.[]; .id == $id and .state == "broken" and (.reason | length) > 0)' >/dev/null ||
	fail "list --json: $(dump list --json)"
[ "$(status | jq .containers_broken)" = 1 ] || fail "status: $(status | jq .containers_broken) broken"
out=$(dump "og-orphan-$$" 2>&1) && fail "a broken container was dumped"
echo "$out" | grep -q "cannot be read.*prune" || fail "dump of a broken container: $out"
ok "a ring without metadata is listed as broken, with the reason"

# 2. Metadata of another size (another version's), and 3. metadata that
# names another directory, and 4. strings without their NUL.
mkdir "$C/og-other-$$"
bpftool map create "$C/og-other-$$/meta" type array key 4 value 16 entries 1 name og_meta ||
	fail "bpftool map create"
register "og-evil-$$"
register "og-long-$$"
set_bytes "$C/og-evil-$$/meta" $ID_OFF 00 128
id_hex=$(printf '../maps' | od -An -tx1 | tr -s ' \n' ' ')
off=$ID_OFF
for b in $id_hex; do set_bytes "$C/og-evil-$$/meta" $off "$b" 1; off=$((off + 1)); done
set_bytes "$C/og-long-$$/meta" $NAME_OFF 4e 256
dump list >"$WORK/list" 2>"$WORK/err"
grep -q "^og-other-$$ .* broken" "$WORK/list" || fail "other-size metadata not listed: $(cat "$WORK/list")"
grep -q "og-other-$$.*16-byte values" "$WORK/err" || fail "other-size reason: $(cat "$WORK/err")"
grep -q "^og-evil-$$ .* broken" "$WORK/list" || fail "metadata naming ../maps not broken: $(cat "$WORK/list")"
grep -q "og-evil-$$.*names container '../maps'" "$WORK/err" || fail "evil reason: $(cat "$WORK/err")"
n=$(dump list --json | jq -r --arg id "og-long-$$" 'select(.id == $id) | .name | length')
[ "$n" = 255 ] || fail "a name without its NUL read as $n bytes, expected 255 (the field less its end)"
ok "other-size metadata and metadata naming another directory are broken; a name ends in its field"

# prune removes the broken ones, by the directory found, and nothing else.
out=$(dump prune) || fail "prune"
[ "$out" = "removed 0 stopped containers and 3 broken directories" ] || fail "prune said: $out"
for d in "og-orphan-$$" "og-other-$$" "og-evil-$$"; do
	[ -e "$C/$d" ] && fail "$d left after prune"
done
[ -d "$C/og-long-$$" ] || fail "prune removed a running container"
[ -e "$PIN_ROOT/maps/rings" ] || fail "prune removed the tracer's maps"
"$TRACER" --pin-root "$PIN_ROOT" status | grep -q '^loaded' || fail "tracer not loaded after prune"
# The orphan's and the evil one's cgroups no longer lead to a ring: only
# og-long's is registered.
[ "$(status | jq .registered)" = 1 ] || fail "registered after prune: $(status | jq .registered), expected 1"
[ "$(status | jq .containers_broken)" = 0 ] || fail "broken after prune"
ok "prune removed the broken directories it found (maps intact) and unmapped their cgroups"
