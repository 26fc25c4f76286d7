#!/bin/sh
# The nginx workload (tests/integration/services-decode.sh): nginx with one
# worker in the foreground, the client's requests, then nginx -s quit (its
# SIGQUIT: a graceful stop) and the wait for it. Usage: nginx.sh PORT N
set -e
nginx -c /etc/nginx/services-decode.conf &
python3 /srv/client.py "$1" "$2"
nginx -c /etc/nginx/services-decode.conf -s quit
wait
echo "nginx done"
