#!/bin/bash
# Choosing what a ring records (io.oci-gadget.syscalls, strace's -e trace=
# syntax; issue 23, item 1), with real runc containers running one program
# that makes a known mix: 10 x (openat, read, close, getpid, write) and 3
# sockets. By name, by class and by negation the ring holds only what was
# asked (gadget-dump --json) while the whole-life counts (summary --json)
# hold every call; a selection that does not parse fails open: the
# container runs, recorded in full, and the hook's log says why.
. "$(dirname "$0")/lib.sh"
require_runc
cat >"$WORK/mix.c" <<'C'
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
	char b[8];
	for (int i = 0; i < 10; i++) {
		int fd = open("/mix", O_RDONLY);
		if (fd < 0 || read(fd, b, sizeof b) < 0 || close(fd) < 0 || getpid() <= 0 || write(1, "x\n", 2) != 2)
			return 2;
	}
	for (int i = 0; i < 3; i++)
		if (socket(AF_UNIX, SOCK_DGRAM, 0) < 0)
			return 3;
	return 0;
}
C
build_static mix
require_bpf

run_mix() { # ID SELECTION: runs mix with io.oci-gadget.syscalls=SELECTION; rc 0 expected
	local rc
	make_bundle "$WORK/$1" '["/mix"]'
	cp "$WORK/mix" "$WORK/$1/rootfs/mix"
	set_annotations "$WORK/$1" "$(jq -n --arg s "$2" '{"io.oci-gadget.syscalls": $s}')"
	rc=$(run_container "$1" "$WORK/$1")
	[ "$rc" = 0 ] || fail "$1: exit status $rc: $(cat "$WORK/$1.stderr")"
	dump_json "$1" >"$WORK/$1.json" || fail "gadget-dump $1 --json failed"
	dump_json summary "$1" >"$WORK/$1.sum" || fail "gadget-dump summary $1 --json failed"
	"$DUMP" --pin-root "$PIN_ROOT" summary "$1" >"$WORK/$1.sumtext" || fail "gadget-dump summary $1 failed"
}
# ring ID: the names of the syscall records in the ring, sorted, unique.
ring() { jq -r 'select(.syscall != null) | .syscall' "$WORK/$1.json" | sort -u | tr '\n' ' '; }
# in_ring ID NAME: how many records of NAME the ring holds.
in_ring() { jq -s --arg n "$2" 'map(select(.syscall == $n)) | length' "$WORK/$1.json"; }
# life ID NAME FIELD: the whole-life row's FIELD (calls, recorded).
life() { jq -r -s --arg n "$2" --arg f "$3" 'map(select(.scope == "life" and .syscall == $n))[0][$f]' "$WORK/$1.sum"; }
# counted ID NAME MIN RECORDED: the life counts have at least MIN calls of NAME, recorded or not.
counted() {
	local calls rec
	calls=$(life "$1" "$2" calls) rec=$(life "$1" "$2" recorded)
	if [ "$calls" = null ] || [ "$calls" -lt "$3" ]; then
		fail "$1: life counts $calls $2 calls, expected >= $3: $(cat "$WORK/$1.sum")"
	fi
	[ "$rec" = "$4" ] || fail "$1: life row of $2 says recorded=$rec, expected $4"
}

# By name: only openat and getpid are in the ring; everything is counted.
ID="og-sel-name-$$"
run_mix "$ID" "openat,getpid"
for n in $(ring "$ID"); do
	case $n in openat | getpid) ;; *) fail "by name: $n is in the ring: $(ring "$ID")" ;; esac
done
if [ "$(in_ring "$ID" openat)" -lt 10 ] || [ "$(in_ring "$ID" getpid)" -lt 10 ]; then
	fail "by name: openat $(in_ring "$ID" openat), getpid $(in_ring "$ID" getpid) records, expected >= 10 each"
fi
jq -e -s 'map(select(.syscall == "openat" and .args[1].str == "/mix" and .ret >= 0)) | length == 10' "$WORK/$ID.json" >/dev/null ||
	fail "by name: the 10 openat of /mix are not whole in the ring"
counted "$ID" openat 10 true
counted "$ID" getpid 10 true
counted "$ID" read 10 false
counted "$ID" close 10 false
counted "$ID" write 10 false
counted "$ID" socket 3 false
grep -q "^the ring records x86_64 syscalls getpid,openat: the others are counted, not recorded$" "$WORK/$ID.sumtext" ||
	fail "by name: summary does not print the selection: $(head -3 "$WORK/$ID.sumtext")"
grep -qE " read \(counted, not recorded\)$" "$WORK/$ID.sumtext" || fail "by name: summary does not mark read as not recorded"
ok "by name (openat,getpid): the ring holds only those; read, close, write, socket counted, not recorded"
# The seccomp profile comes from the counts: the calls not recorded are in it.
"$DUMP" --pin-root "$PIN_ROOT" seccomp "$ID" --format oci -o "$WORK/$ID.seccomp" || fail "gadget-dump seccomp $ID failed"
for n in openat getpid read close write socket; do
	jq -e --arg n "$n" '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | index($n) != null' \
		"$WORK/$ID.seccomp" >/dev/null || fail "by name: seccomp profile lacks $n: $(cat "$WORK/$ID.seccomp")"
done
ok "by name: the seccomp profile still allows every call made, recorded or not"

# By class: %network keeps the sockets, not the file calls.
ID="og-sel-class-$$"
run_mix "$ID" "%network"
for n in $(ring "$ID"); do
	case $n in socket | socketpair | connect | bind | listen | accept | accept4 | sendto | recvfrom | sendmsg | recvmsg | \
		sendmmsg | recvmmsg | shutdown | setsockopt | getsockopt | getsockname | getpeername | sendfile) ;;
	*) fail "by class: $n is in the ring: $(ring "$ID")" ;;
	esac
done
[ "$(in_ring "$ID" socket)" -ge 3 ] || fail "by class: $(in_ring "$ID" socket) socket records, expected >= 3"
counted "$ID" socket 3 true
counted "$ID" openat 10 false
counted "$ID" read 10 false
counted "$ID" getpid 10 false
ok "by class (%network): the ring holds only network calls; the file calls counted, not recorded"

# By negation: everything but read and getpid.
ID="og-sel-neg-$$"
run_mix "$ID" "!read,getpid"
if [ "$(in_ring "$ID" read)" != 0 ] || [ "$(in_ring "$ID" getpid)" != 0 ]; then
	fail "by negation: read $(in_ring "$ID" read), getpid $(in_ring "$ID" getpid) records, expected none"
fi
for n in openat close write socket; do
	[ "$(in_ring "$ID" $n)" -ge 3 ] || fail "by negation: $(in_ring "$ID" $n) $n records: $(ring "$ID")"
done
counted "$ID" read 10 false
counted "$ID" getpid 10 false
counted "$ID" openat 10 true
grep -q "^the ring records x86_64 syscalls !read,getpid: " "$WORK/$ID.sumtext" ||
	fail "by negation: summary does not print the selection: $(head -3 "$WORK/$ID.sumtext")"
ok "by negation (!read,getpid): neither is in the ring, both counted; the rest recorded"

# A bad selection fails open: the container runs, recorded in full, the log says why.
ID="og-sel-bad-$$"
run_mix "$ID" "openat,nosuchcall"
for n in openat read close getpid write socket; do
	[ "$(in_ring "$ID" $n)" -ge 3 ] || fail "bad selection: $(in_ring "$ID" $n) $n records, the ring is not in full"
done
counted "$ID" read 10 true
grep -q "container '$ID'.*annotation io.oci-gadget.syscalls 'openat,nosuchcall': unknown syscall 'nosuchcall'.*: the ring records every syscall" "$WORK/hook.log" ||
	fail "bad selection: the hook log does not say why: $(tail -3 "$WORK/hook.log")"
grep -q "the ring records x86_64" "$WORK/$ID.sumtext" && fail "bad selection: summary prints a selection"
ok "a bad selection (unknown name): the container runs, recorded in full, the hook log says why"
