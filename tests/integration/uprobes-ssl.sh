#!/bin/bash
# OpenSSL probes (SSL_write/SSL_read in libssl.so.3) in a runc container:
# openssl s_client sends a line to openssl s_server on the container's
# loopback; the ring holds the plaintext on both sides. With the annotation
# io.oci-gadget.ssl-plaintext=off the same exchange records lengths only.
. "$(dirname "$0")/lib.sh"
require_uprobes
command -v openssl >/dev/null || skip "openssl not installed"

make_dynamic_rootfs "$WORK/root" "$(command -v openssl)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=og-test \
	-keyout "$WORK/root/key.pem" -out "$WORK/root/cert.pem" 2>/dev/null || fail "cannot make a certificate"
LINE="og-secret-$$"
# s_server ends its connection when its stdin ends: give it one that lasts.
SCRIPT="sleep 3 | openssl s_server -accept 4433 -cert /cert.pem -key /key.pem -naccept 1 -quiet >/tmp/got 2>&1 & \
for i in 1 2 3 4 5 6 7 8 9 10; do sleep 0.2; (echo $LINE; sleep 0.5) | openssl s_client -connect 127.0.0.1:4433 \
-quiet 2>/dev/null && break; done; wait; cat /tmp/got"

run_ssl() {
	local id=$1 ann=$2 rc
	make_bundle_root "$WORK/b-$id" "$WORK/root" "[\"/bin/sh\", \"-c\", \"$SCRIPT\"]"
	set_annotations "$WORK/b-$id" "$ann"
	run_ok "$id" "$WORK/b-$id"
	grep -q "$LINE" "$WORK/$id.stdout" || fail "the server did not get the line: $(cat "$WORK/$id.stdout" "$WORK/$id.stderr")"
	dump_json "$id" --event ssl_write,ssl_read >"$WORK/$id.json"
}

A="og-ssl-$$"
run_ssl "$A" '{"io.oci-gadget.uprobes": "ssl"}'
jq -e -s --arg l "$LINE" 'any(.[]; .event == "ssl_write" and .lib == "openssl" and .ret == ($l | length) + 1 and .plaintext.str == $l + "\n" and .duration_ns > 0)' \
	"$WORK/$A.json" >/dev/null || fail "no SSL_write of the line: $(cat "$WORK/$A.json")"
jq -e -s --arg l "$LINE" 'any(.[]; .event == "ssl_read" and .direction == "read" and .plaintext.str == $l + "\n")' \
	"$WORK/$A.json" >/dev/null || fail "no SSL_read of the line: $(cat "$WORK/$A.json")"
ok "the line in clear on both sides: ssl_write by the client, ssl_read by the server"

B="og-ssl-off-$$"
run_ssl "$B" '{"io.oci-gadget.uprobes": "ssl", "io.oci-gadget.ssl-plaintext": "off"}'
jq -e -s --arg l "$LINE" 'any(.[]; .event == "ssl_write" and .ret == ($l | length) + 1)' "$WORK/$B.json" >/dev/null ||
	fail "no SSL_write with plaintext off: $(cat "$WORK/$B.json")"
grep -q "$LINE" "$WORK/$B.json" && fail "plaintext recorded although the annotation turned it off"
ok "ssl-plaintext=off: calls and lengths recorded, no plaintext"
