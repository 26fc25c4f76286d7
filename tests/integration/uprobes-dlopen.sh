#!/bin/bash
# A library loaded with dlopen() after the container started: a Python
# program imports ssl only after sleeping (the _ssl module, dlopen'ed then,
# needs libssl.so.3) and sends a line over TLS to openssl s_server on the
# container's loopback. The probe sits on libssl.so.3's inode from the
# container's start, so the plaintext is recorded. Python and OpenSSL come
# from the host's /usr, bind-mounted read-only.
. "$(dirname "$0")/lib.sh"
require_uprobes
command -v openssl >/dev/null || skip "openssl not installed"
[ -x /usr/bin/python3.11 ] || skip "python3.11 not installed"
python3.11 -c 'import ssl' 2>/dev/null || skip "this python3.11 has no ssl module"

make_usr_volume_rootfs "$WORK/root"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=og-test \
	-keyout "$WORK/root/key.pem" -out "$WORK/root/cert.pem" 2>/dev/null || fail "cannot make a certificate"
LINE="og-dlopen-$$"
cat >"$WORK/root/client.py" <<PY
import socket, sys, time
assert "ssl" not in sys.modules and "_ssl" not in sys.modules
time.sleep(0.3)
import ssl
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
for i in range(30):
    try:
        s = socket.create_connection(("127.0.0.1", 4433))
        break
    except OSError:
        time.sleep(0.2)
t = ctx.wrap_socket(s)
t.sendall(b"$LINE\n")
time.sleep(0.3)
t.close()
PY
SCRIPT="sleep 4 | openssl s_server -accept 4433 -cert /cert.pem -key /key.pem -naccept 1 -quiet >/tmp/got 2>&1 & \
python3 -S /client.py; wait; cat /tmp/got"
probed_bundle "$WORK/b" "$WORK/root" "$(jq -cn --arg s "$SCRIPT" '["/bin/sh", "-c", $s]')" "ssl"
bind_host_usr "$WORK/b"
set_env "$WORK/b" "PATH=/usr/bin:/bin"
ID="og-dlopen-$$"
run_ok "$ID" "$WORK/b"
grep -q "$LINE" "$WORK/$ID.stdout" || fail "the server did not get the line: $(cat "$WORK/$ID.stdout" "$WORK/$ID.stderr")"
dump_json "$ID" --event ssl_write >"$WORK/ev.json"
jq -e -s --arg l "$LINE" 'any(.[]; .comm == "python3" and .lib == "openssl" and .plaintext.str == $l + "\n")' \
	"$WORK/ev.json" >/dev/null || fail "python's SSL_write of the line not recorded: $(cat "$WORK/ev.json"); $(probes_of "$ID")"
ok "ssl imported (dlopen) after start: python's SSL_write of the line is in the ring"
probes_of "$ID" | grep -Eq '^ssl: (/usr)?/lib/x86_64-linux-gnu/libssl.so.3 \(4 probes, library\)' ||
	fail "report: $(probes_of "$ID")"
ok "probed at start by name: $(probes_of "$ID" | grep '^ssl:')"
