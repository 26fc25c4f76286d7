#!/bin/bash
# gadget-dump network: every peer a container talked to, for its whole
# life, with exact counts. A static program (tests/data/progs/net-peers.c)
# talks to itself over its own loopback: TCP (bind, listen, 3 connects, 3
# accepts), UDP (bind, 2 sendto + 1 sendmsg with an address, a connect),
# a unix stream socket (bind, listen, 2 connects, 2 accepts), 2 connects
# that fail (shown apart, no peers), TCP over IPv6 when there is one. Then
# a ring that wrapped still has them all, and --format networkpolicy
# drafts the policy.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf

cp "$top_srcdir/tests/data/progs/net-peers.c" "$WORK/net-peers.c"
build_static net-peers
# peers_bundle DIR ARGS_JSON ANNOTATIONS_JSON: a bundle with the program,
# CAP_NET_ADMIN to bring its own namespace's lo up, and the annotations.
peers_bundle() {
	make_bundle "$1" "$2"
	cp "$WORK/net-peers" "$1/rootfs/net-peers"
	jq --argjson a "$3" '.process.capabilities |= with_entries(.value += ["CAP_NET_ADMIN"]) | .annotations = $a' \
		"$1/config.json" >"$1/c" && mv "$1/c" "$1/config.json"
}
ID="og-net-$$"
peers_bundle "$WORK/b" '["/net-peers"]' '{"io.oci-gadget.ring-size": "64KiB"}'
run_ok "$ID" "$WORK/b"
"$DUMP" --pin-root "$PIN_ROOT" network "$ID" --json >"$WORK/net.json" || fail "gadget-dump network"

# The exact set: "direction protocol address port count" per line.
got=$(jq -r '[.direction, .protocol, (.address // .path), (.port // "-"), .count] | map(tostring) | join(" ")' "$WORK/net.json" | sort)
want="accept tcp 127.0.0.1 7001 3
accept unix-stream /tmp/og.sock - 2
bind tcp 127.0.0.1 7001 1
bind udp 127.0.0.1 7002 1
bind unix-stream /tmp/og.sock - 1
connect tcp 127.0.0.1 7001 3
connect-failed tcp 127.0.0.1 7009 1
connect-failed tcp 192.0.2.1 443 1
connect udp 127.0.0.1 7003 1
connect unix-stream /tmp/og.sock - 2
listen tcp 127.0.0.1 7001 1
listen unix-stream /tmp/og.sock - 1
sendto udp 127.0.0.1 7002 3"
if grep -q ipv6 "$WORK/$ID.stdout"; then
	want="$want
accept tcp ::1 7004 1
bind tcp ::1 7004 1
connect tcp ::1 7004 1
listen tcp ::1 7004 1"
fi
want=$(echo "$want" | sort)
[ "$got" = "$want" ] || fail "peers differ:
$(diff <(echo "$want") <(echo "$got"))"
jq -s -e 'all(.[]; .first_ns > 0 and .last_ns >= .first_ns)' "$WORK/net.json" >/dev/null || fail "first/last times"
ok "every peer once, with exact counts: TCP, UDP (sendto, sendmsg, connect), unix$(grep -q ipv6 "$WORK/$ID.stdout" && echo ", IPv6")"

# The ring (64 KiB) forgot the early syscalls; the peer set did not.
ID2="og-net-wrap-$$"
peers_bundle "$WORK/b2" '["/bin/sh", "-c", "/net-peers && i=0 && while [ $i -lt 2000 ]; do echo $i > /tmp/f; i=$((i+1)); done"]' \
	'{"io.oci-gadget.ring-size": "64KiB"}'
[ "$(run_container "$ID2" "$WORK/b2")" = 0 ] || fail "wrap run: $(cat "$WORK/$ID2.stderr")"
dump_json "$ID2" | jq -e -s 'any(.[]; .syscall == "connect")' >/dev/null && fail "the ring still holds a connect: no wrap"
"$DUMP" --pin-root "$PIN_ROOT" network "$ID2" --json | jq -s -e 'any(.[]; .direction == "connect" and .port == 7001 and .count == 3)' >/dev/null ||
	fail "the peers of a wrapped ring: $("$DUMP" --pin-root "$PIN_ROOT" network "$ID2")"
ok "a ring that wrapped still has every peer"

# A selection that keeps none of the socket calls in the ring: the peer set
# is still whole (sendto and sendmsg name their peer at sys_enter, where a
# skipped call returns early).
ID3="og-net-skip-$$"
peers_bundle "$WORK/b3" '["/net-peers"]' '{"io.oci-gadget.syscalls": "!%network"}'
run_ok "$ID3" "$WORK/b3"
dump_json "$ID3" | jq -e -s 'any(.[]; .syscall == "sendto" or .syscall == "connect")' >/dev/null && fail "the selection kept socket calls"
got3=$("$DUMP" --pin-root "$PIN_ROOT" network "$ID3" --json | jq -r '[.direction, .protocol, (.address // .path), (.port // "-"), .count] | map(tostring) | join(" ")' | sort)
[ "$got3" = "$got" ] || fail "peers with !%network differ:
$(diff <(echo "$got") <(echo "$got3"))"
ok "a selection that records no socket call still keeps every peer"

"$DUMP" --pin-root "$PIN_ROOT" network "$ID" | grep -qE '^connect +tcp +127\.0\.0\.1 +7001 +3 ' ||
	fail "text: $("$DUMP" --pin-root "$PIN_ROOT" network "$ID")"
"$DUMP" --pin-root "$PIN_ROOT" network "$ID" --format networkpolicy >"$WORK/np.yaml" || fail "networkpolicy"
grep -q '^kind: NetworkPolicy$' "$WORK/np.yaml" && grep -q '^  egress: \[\]$' "$WORK/np.yaml" &&
	grep -q '^# not governed by a NetworkPolicy: connect tcp 127.0.0.1 port 7001 (3)$' "$WORK/np.yaml" &&
	grep -q '^# not governed by a NetworkPolicy: connect unix-stream /tmp/og.sock (2)$' "$WORK/np.yaml" &&
	grep -q '^# not a peer, left out: connect-failed tcp 192.0.2.1 port 443 (1)$' "$WORK/np.yaml" &&
	! grep -q '192.0.2.1/32' "$WORK/np.yaml" ||
	fail "networkpolicy: $(cat "$WORK/np.yaml")"
if command -v python3 >/dev/null && python3 -c 'import yaml' 2>/dev/null; then
	python3 -c 'import sys, yaml; d = yaml.safe_load(open(sys.argv[1])); assert d["kind"] == "NetworkPolicy"' "$WORK/np.yaml" ||
		fail "networkpolicy is not YAML"
fi
"$DUMP" --pin-root "$PIN_ROOT" network "$ID" --format oci >/dev/null 2>&1 && fail "--format oci accepted for network"
ok "text table, and a NetworkPolicy draft: loopback and unix peers, failed connects as comments, no rule for them"
