#!/bin/sh
# The busybox workload (tests/integration/services-decode.sh): a shell loop
# of the applets container scripts use, and busybox httpd answering wget.
# Usage: busybox.sh PORT
set -e
mkdir -p /tmp/www
echo "services-decode" >/tmp/www/index.html
httpd -f -p "127.0.0.1:$1" -h /tmp/www &
tries=0
until wget -q -O /dev/null "http://127.0.0.1:$1/index.html" 2>/dev/null; do
	tries=$((tries + 1))
	[ "$tries" -lt 100 ] || { echo "httpd did not answer" >&2; exit 1; }
	sleep 0.05
done
for i in 1 2 3; do
	echo "line $i" >>/tmp/log
	cat /tmp/log >/dev/null
	ls -l /tmp >/dev/null
	wget -q -O - "http://127.0.0.1:$1/index.html" | grep -q services-decode
	sleep 0.01
done
kill $!
# A child still running when wait starts, in both runs: ash's wait then
# always blocks its signals and sigsuspends (rt_sigprocmask(SIG_SETMASK,
# ~[RTMIN RT_1])), where a child already gone would skip that.
sleep 0.3 &
wait || true
rm -r /tmp/www /tmp/log
echo "busybox done"
