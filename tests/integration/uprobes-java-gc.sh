#!/bin/bash
# HotSpot's gc USDT probes (hotspot:gc__begin/gc__end in libjvm.so, found
# next to the container's java binary) in a runc container: N System.gc()
# calls are N "gc" events of runtime java, each a full collection.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf
require_feature uprobes
JH=/usr/lib/jvm/java-17-openjdk-amd64
[ -x $JH/bin/java ] || skip "$JH not installed (apt-get install openjdk-17-jre-headless)"
readelf -n $JH/lib/server/libjvm.so 2>/dev/null | grep -q gc__begin || skip "this libjvm.so has no gc USDT probes"
JAVAC=$(ls /usr/lib/jvm/*/bin/javac 2>/dev/null | head -1)
[ -n "$JAVAC" ] || skip "no javac to build the test class"

cat >"$WORK/GcTest.java" <<'JAVA'
public class GcTest {
	public static void main(String[] a) {
		int n = Integer.parseInt(a[0]);
		for (int i = 0; i < n; i++)
			System.gc();
		System.out.println("gc done");
	}
}
JAVA

# The JDK as the image has it: its tree (hard-linked where it can be), the
# /etc files its symlinks point to, and the libraries of java and libjvm.
mkdir -p "$WORK/root/usr/lib/jvm" "$WORK/root/etc"
cp -al $JH "$WORK/root/usr/lib/jvm/" 2>/dev/null || cp -a $JH "$WORK/root/usr/lib/jvm/"
cp -a /etc/java-17-openjdk "$WORK/root/etc/"
make_dynamic_rootfs "$WORK/root" $JH/bin/java $JH/lib/server/libjvm.so
rm -f "$WORK/root/usr/bin/java" "$WORK/root/usr/bin/libjvm.so"
"$JAVAC" --release 17 -d "$WORK/root/app" "$WORK/GcTest.java" 2>"$WORK/javac.err" ||
	skip "javac failed: $(head -1 "$WORK/javac.err")"


N=5
make_bundle_root "$WORK/b" "$WORK/root" "[\"$JH/bin/java\", \"-Xmx64m\", \"-XX:+UseSerialGC\", \"-Xshare:off\", \"-cp\", \"/app\", \"GcTest\", \"$N\"]"
set_annotations "$WORK/b" '{"io.oci-gadget.uprobes": "gc"}'
ID="og-javagc-$$"
rc=$(run_container "$ID" "$WORK/b")
[ "$rc" = 0 ] || fail "java exited $rc: $(cat "$WORK/$ID.stdout" "$WORK/$ID.stderr")"
grep -q "gc done" "$WORK/$ID.stdout" || fail "java printed: $(cat "$WORK/$ID.stdout")"

dump_json "$ID" --event gc >"$WORK/gc.json"
n=$(jq -s '[.[] | select(.runtime == "java" and .full)] | length' "$WORK/gc.json")
[ "$n" = $N ] || fail "$n full java collections, expected $N: $(cat "$WORK/gc.json")"
jq -e -s 'all(.[]; .runtime == "java" and .duration_ns > 0)' "$WORK/gc.json" >/dev/null ||
	fail "gc events: $(cat "$WORK/gc.json")"
ok "$N System.gc() calls, $N full java gc events with durations"
