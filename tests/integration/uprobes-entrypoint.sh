#!/bin/bash
# Containers that start through a script, as most real images do:
# - a Python image whose entrypoint is docker-entrypoint.sh ending in
#   `exec python3 -c ...`: exactly the container's forced collections;
# - a Java program started by a launcher script that finds java through
#   JAVA_HOME (java is not on PATH): exactly its System.gc() calls;
# - gadget-dump probes says what was probed for each family, and why a
#   family found nothing.
. "$(dirname "$0")/lib.sh"
require_uprobes
require_python_gc
make_python_image "$WORK/py"
cat >"$WORK/py/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
echo "entrypoint: starting $1"
exec python3 -S -c "import gc, os
gc.disable()
for i in range($1):
    gc.collect()
print('collected', flush=True)
os._exit(0)"
SH
chmod +x "$WORK/py/docker-entrypoint.sh"
K=6
ID="og-entry-py-$$"
run_probed "$ID" "$WORK/py" "[\"/docker-entrypoint.sh\", \"$K\"]" "gc,ssl" "PATH=/usr/local/bin:/usr/bin:/bin"
grep -q collected "$WORK/$ID.stdout" || fail "python did not run: $(cat "$WORK/$ID.stdout")"
n=$(dump_json "$ID" --event gc | jq -s '[.[] | select(.runtime == "python" and .generation == 2)] | length')
[ "$n" = $K ] || fail "$n full collections, expected $K; probes: $(probes_of "$ID")"
ok "docker-entrypoint.sh then exec python3: $K full collections, all of them"
rep=$(probes_of "$ID")
echo "$rep" | grep -Eq '^gc: /usr/bin/python3(\.11)? \(2 probes, along PATH\)' || fail "report: $rep"
echo "$rep" | grep -q '^ssl: nothing: no libssl.so.3 nor libgnutls.so.30' || fail "no reason for ssl: $rep"
"$DUMP" --pin-root "$PIN_ROOT" probes "$ID" --json | jq -e '.lines | any(.family == "gc" and .probes == 2) and
	any(.family == "ssl" and (.nothing | test("libssl")))' >/dev/null || fail "probes --json: $("$DUMP" --pin-root "$PIN_ROOT" probes "$ID" --json)"
ok "gadget-dump probes: python3 for gc, and why ssl found nothing"

# Java behind a launcher script, found through JAVA_HOME only.
why=$(java_gc_missing)
if [ -z "$why" ]; then
	make_java_image "$WORK/jv"
	printf '#!/bin/sh\nexec "$JAVA_HOME/bin/java" -Xmx64m -XX:+UseSerialGC -Xshare:off -cp /app GcTest "$@"\n' >"$WORK/jv/run-app"
	chmod +x "$WORK/jv/run-app"
	J=4
	ID="og-entry-java-$$"
	run_probed "$ID" "$WORK/jv" "[\"/run-app\", \"$J\"]" "gc" "PATH=/bin" "JAVA_HOME=$JH"
	grep -q "gc done" "$WORK/$ID.stdout" || fail "java did not run: $(cat "$WORK/$ID.stdout" "$WORK/$ID.stderr")"
	n=$(dump_json "$ID" --event gc | jq -s '[.[] | select(.runtime == "java" and .full)] | length')
	[ "$n" = $J ] || fail "$n java collections, expected $J; probes: $(probes_of "$ID")"
	probes_of "$ID" | grep -q "^gc: $JH/lib/server/libjvm.so .*libjvm.so of java" || fail "libjvm not reported: $(probes_of "$ID")"
	ok "launcher script, java through JAVA_HOME: $J System.gc() calls, $J gc events"
else
	echo "# java part not run: $why"
fi
