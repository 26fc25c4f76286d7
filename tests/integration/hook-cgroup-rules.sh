#!/bin/bash
# Which cgroups the hook registers:
# - never the root cgroup (a pid there would record every host process in it);
# - never one a running container already records: the second container is
#   refused with a line naming both and saying that its syscalls are
#   recorded in the first's ring (they are), the first keeps its ring;
# - once the first's process is gone (its poststop never ran), the second
#   takes the cgroup over and the first is listed as gone;
# - never a cgroup inside a registered container (it is recorded in that
#   container's ring already);
# - a container registered around a running one (its cgroup an ancestor of
#   the other's) leaves the inner one its own records: the deepest wins;
# - containers at more than 8 distinct cgroup levels: the next level is
#   refused, by name.
# Each refusal fails open (exit 0, the container runs), exit 1 with
# --fail-closed.
. "$(dirname "$0")/lib.sh"
require_bpf
command -v jq >/dev/null || skip "jq not installed"
MNT=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$MNT" ] || skip "no cgroup2 mount"

hook() { "$HOOK" "$@" --pin-root "$PIN_ROOT" --log "$WORK/hook.log"; }
HOLDERS=""
LEVEL_DIRS=""
CG="$MNT/og-rules-$$"
extra_cleanup() {
	for p in $HOLDERS; do kill "$p" 2>/dev/null; done
	# The holders are not this shell's children: wait for them to leave.
	for d in "$CG/inner" "$CG" $LEVEL_DIRS; do [ -d "$d" ] && wait_for 10 rmdir "$d" 2>/dev/null; done
	true
}
holder() { # CGROUP_DIR: a sleeping process in it; prints its pid
	sleep 100000 </dev/null >/dev/null 2>&1 &
	echo $! >"$1/cgroup.procs"
	echo $!
}
state() { echo "{\"ociVersion\":\"1.0.2\",\"id\":\"$1\",\"status\":\"created\",\"pid\":$2,\"bundle\":\"$WORK\"}"; }
refused() { # NAME ID PID PATTERN
	local rc=0
	state "$2" "$3" | hook prestart 2>"$WORK/err" || rc=$?
	[ $rc = 0 ] || fail "$1: exit $rc, expected 0 (fail open)"
	grep -q -- "$4" "$WORK/err" || fail "$1: stderr lacks '$4': $(cat "$WORK/err")"
	rc=0
	state "$2" "$3" | hook prestart --fail-closed 2>/dev/null || rc=$?
	[ $rc = 1 ] || fail "$1: --fail-closed exit $rc, expected 1"
	"$DUMP" --pin-root "$PIN_ROOT" list | grep -q "^$2 " && fail "$1: $2 was registered"
	ok "$1: refused, '$(cut -c1-150 "$WORK/err")'"
}
registered() { "$TRACER" --pin-root "$PIN_ROOT" status --json | jq .registered; }

p=$(holder "$MNT")
HOLDERS="$HOLDERS $p"
refused "root cgroup" "og-root-$$" "$p" "is in the root cgroup"

mkdir "$CG"
a=$(holder "$CG")
b=$(holder "$CG")
HOLDERS="$HOLDERS $a $b"
state "og-first-$$" "$a" | hook prestart --fail-closed || fail "register og-first: $(cat "$WORK/hook.log")"
refused "second container in a running one's cgroup" "og-second-$$" "$b" "is container 'og-first-$$''s, whose pid $a runs there"
[ "$(registered)" = 1 ] || fail "registered: $(registered), expected 1"
"$DUMP" --pin-root "$PIN_ROOT" list | grep -q "^og-first-$$ .* running " || fail "og-first is not running any more: $("$DUMP" --pin-root "$PIN_ROOT" list)"
# What the line says is what happens: the second's events are in the
# first's ring, and it is not called untraced.
grep -q "its syscalls are recorded in that ring, as that container's, not apart" "$WORK/err" ||
	fail "the refusal does not say where its syscalls go: $(cat "$WORK/err")"
grep -q "untraced" "$WORK/err" && fail "a container recorded in another's ring is called untraced: $(cat "$WORK/err")"
kill -CONT "$b"
# --runtime: the holders never exec, so all they do counts as the runtime's.
wait_for 10 sh -c "$DUMP --pin-root $PIN_ROOT og-first-$$ --json --runtime | jq -e -s --argjson b $b 'any(.[]; .pid == \$b)' >/dev/null" ||
	fail "no record of the second's pid $b in the first's ring"
ok "the refusal says the second's syscalls land in the first's ring, and they do"

kill "$a"
wait_for 10 sh -c "! grep -qs '^State:.*[RS]' /proc/$a/status" || fail "pid $a did not die"
state "og-second-$$" "$b" | hook prestart --fail-closed || fail "take-over: $(cat "$WORK/hook.log")"
list=$("$DUMP" --pin-root "$PIN_ROOT" list)
echo "$list" | grep -q "^og-first-$$ .* gone " || fail "og-first not marked gone: $list"
echo "$list" | grep -q "^og-second-$$ .* running " || fail "og-second not running: $list"
[ "$(registered)" = 1 ] || fail "registered: $(registered), expected 1"
ok "the first container's process gone: the second took the cgroup over, the first is gone"

mkdir "$CG/inner"
c=$(holder "$CG/inner")
HOLDERS="$HOLDERS $c"
refused "cgroup inside a container" "og-inner-$$" "$c" "is inside container 'og-second-$$'"

# Around a running container: register the outer cgroup after the inner.
OUT="$MNT/og-outer-$$"
mkdir -p "$OUT/in"
LEVEL_DIRS="$OUT/in $OUT"
i=$(holder "$OUT/in")
o=$(holder "$OUT")
HOLDERS="$HOLDERS $i $o"
state "og-in-$$" "$i" | hook prestart --fail-closed || fail "register og-in: $(cat "$WORK/hook.log")"
state "og-out-$$" "$o" | hook prestart --fail-closed || fail "register og-out: $(cat "$WORK/hook.log")"
in_cg() { sh -c 'echo $$ > "$0/cgroup.procs"; exec "$@"' "$@"; }
mkdir "$OUT/in/deeper"
LEVEL_DIRS="$OUT/in/deeper $LEVEL_DIRS"
in_cg "$OUT/in/deeper" cat "/og-mark-in-$$" 2>/dev/null || true
in_cg "$OUT" cat "/og-mark-out-$$" 2>/dev/null || true
opens() { "$DUMP" --pin-root "$PIN_ROOT" "$1" --json | jq -r 'select(.syscall == "openat") | .args[1].str // empty'; }
opens "og-in-$$" | grep -qx "/og-mark-in-$$" || fail "the inner container lost its own open to the outer one"
opens "og-out-$$" | grep -q "/og-mark-in-$$" && fail "the outer container got the inner one's open"
opens "og-out-$$" | grep -qx "/og-mark-out-$$" || fail "the outer container's own open is missing"
ok "a container registered around a running one: each ring holds its own (the deepest wins)"

# Eight distinct levels at most: og-out-$$ and og-in-$$ use two (levels of
# $OUT and $OUT/in), og-second-$$ a third ($CG: the same as $OUT); six more
# branches $MNT/og-lv-$$-N/x/x/... at new levels fill the set.
base=$(echo "${OUT#$MNT}" | tr -cd / | wc -c)
n=0
for depth in $(seq 3 12); do
	l=$((base + depth - 1))
	d="$MNT/og-lv-$$-$depth$(printf '/x%.0s' $(seq 2 "$depth"))"
	mkdir -p "$d"
	# Deepest first, the branch's top last (printf with no argument left
	# would still print one "/x": the top is named apart).
	for ((k = depth; k >= 2; k--)); do LEVEL_DIRS="$LEVEL_DIRS $MNT/og-lv-$$-$depth$(printf '/x%.0s' $(seq 2 "$k"))"; done
	LEVEL_DIRS="$LEVEL_DIRS $MNT/og-lv-$$-$depth"
	p=$(holder "$d")
	HOLDERS="$HOLDERS $p"
	if [ $n -lt 6 ]; then
		state "og-lv-$depth-$$" "$p" | hook prestart --fail-closed 2>/dev/null || fail "level $l: $(cat "$WORK/hook.log")"
		n=$((n + 1))
		continue
	fi
	refused "a ninth cgroup level ($l)" "og-lv-$depth-$$" "$p" "containers are registered at 8 other levels"
	break
done
"$TRACER" --pin-root "$PIN_ROOT" status --json | jq -e '.cgroup_levels | length == 8' >/dev/null ||
	fail "cgroup levels: $("$TRACER" --pin-root "$PIN_ROOT" status --json | jq -c .cgroup_levels)"
