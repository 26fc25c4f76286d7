# Shared helpers for integration tests. Source it; it sets -eu.
# Each test gets its own pin root, work dir and container ids, and cleans
# up on exit even when it fails. Missing root, BPF or runc: exit 77 (skip).
set -eu

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
TRACER=$top_builddir/gadget-tracer
HOOK=$top_builddir/gadget-hook
DUMP=$top_builddir/gadget-dump
TEST_NAME=$(basename "$0" .sh)
UNIQ="$TEST_NAME-$$"
PIN_ROOT=/sys/fs/bpf/og-test-$UNIQ
WORK=$(mktemp -d "/tmp/og-$TEST_NAME.XXXXXX")
CONTAINERS=""

skip() { echo "SKIP: $TEST_NAME: $*"; exit 77; }
fail() { echo "FAIL: $TEST_NAME: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# A test with more to undo defines extra_cleanup; it runs first, and the
# test's own exit status is kept whatever it returns.
cleanup() {
	local rc=$?
	set +e
	declare -F extra_cleanup >/dev/null && extra_cleanup
	for c in $CONTAINERS; do
		runc kill "$c" KILL >/dev/null 2>&1
		runc delete -f "$c" >/dev/null 2>&1
	done
	[ -x "$TRACER" ] && "$TRACER" --pin-root "$PIN_ROOT" unload --force >/dev/null 2>&1
	rm -rf "$PIN_ROOT" "$WORK"
	exit $rc
}
trap cleanup EXIT
[ -n "${OG_KEEP:-}" ] && trap - EXIT
trap 'exit 1' INT TERM

require_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }

require_bpf() {
	require_root
	[ -r /sys/kernel/btf/vmlinux ] || skip "kernel has no BTF (/sys/kernel/btf/vmlinux)"
	if ! grep -q ' /sys/fs/bpf bpf ' /proc/self/mounts; then
		mount -t bpf bpf /sys/fs/bpf 2>/dev/null || skip "cannot mount bpffs on /sys/fs/bpf"
	fi
	# The kernel has BTF and bpffs: a load that fails is our bug (a
	# verifier refusal, a map layout), never a reason to skip quietly.
	"$TRACER" --pin-root "$PIN_ROOT" load >"$WORK/load.out" 2>&1 ||
		fail "cannot load the BPF programs: $(cat "$WORK/load.out")"
}

require_runc() {
	command -v runc >/dev/null || skip "runc not installed (apt-get install runc)"
	[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx sh ||
		skip "busybox-static not installed (apt-get install busybox-static)"
	command -v jq >/dev/null || skip "jq not installed (apt-get install jq)"
	grep -q cgroup2 /proc/self/mountinfo || skip "no cgroup2 mount"
}

# A private podman over runc: PM its command line (a store under $WORK,
# emptied at cleanup), RUN podman run's options for a container without
# network and with rlimits podman 4.3 accepts here; podman_image imports
# localhost/og-busybox. Skips without podman.
require_podman() {
	command -v podman >/dev/null || skip "podman not installed (apt-get install podman)"
	PM=(podman --root "$WORK/storage/root" --runroot "$WORK/storage/run" --storage-driver vfs
		--cgroup-manager=cgroupfs --runtime "$(command -v runc)" --events-backend file)
	RUN=(run --rm --network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
	extra_cleanup() { "${PM[@]}" rm -af >/dev/null 2>&1; }
}
podman_image() {
	make_rootfs "$WORK/rootfs"
	tar -C "$WORK/rootfs" -c . | "${PM[@]}" import - localhost/og-busybox >/dev/null || fail "podman import"
}

# make_rootfs DIR: a busybox rootfs from Debian's busybox-static.
make_rootfs() {
	local dir=$1
	mkdir -p "$dir/bin" "$dir/proc" "$dir/dev" "$dir/sys" "$dir/tmp" "$dir/etc"
	cp /bin/busybox "$dir/bin/busybox"
	for app in $(/bin/busybox --list); do
		[ -e "$dir/bin/$app" ] || ln -s busybox "$dir/bin/$app"
	done
}

# make_bundle DIR ARGS_JSON [HOOK_EXTRA_ARGS_JSON]: runc bundle with our hooks.
# Poststop gets --crash-dir $WORK/crashes: crash files stay in the test's dir.
make_bundle() {
	local dir=$1 args=$2 extra=${3:-[]}
	mkdir -p "$dir"
	make_rootfs "$dir/rootfs"
	(cd "$dir" && runc spec)
	jq --argjson args "$args" --arg hook "$HOOK" --arg root "$PIN_ROOT" --arg log "$WORK/hook.log" \
		--argjson extra "$extra" --arg crashes "$WORK/crashes" '
		.process.terminal = false |
		.process.args = $args |
		.root.readonly = false |
		.hooks = {
			prestart: [{path: $hook, args: (["gadget-hook", "prestart", "--pin-root", $root, "--log", $log] + $extra)}],
			poststop: [{path: $hook, args: ["gadget-hook", "poststop", "--pin-root", $root, "--log", $log,
				"--crash-dir", $crashes]}]
		}' "$dir/config.json" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
}

# run_container ID BUNDLE: runs to completion; prints the exit status.
run_container() {
	local id=$1 bundle=$2 rc=0
	CONTAINERS="$CONTAINERS $id"
	runc run --bundle "$bundle" "$id" </dev/null >"$WORK/$id.stdout" 2>"$WORK/$id.stderr" || rc=$?
	echo "$rc"
}

# run_ok ID BUNDLE: run_container, failing with its output unless it exits 0.
run_ok() {
	local rc
	rc=$(run_container "$1" "$2")
	[ "$rc" = 0 ] || fail "$1 exited $rc: $(cat "$WORK/$1.stdout" "$WORK/$1.stderr")"
}

dump_json() { "$DUMP" --pin-root "$PIN_ROOT" "$@" --json; }

# start_container ID BUNDLE: runs detached (poststop runs at delete).
start_container() {
	local id=$1 bundle=$2
	CONTAINERS="$CONTAINERS $id"
	runc run -d --bundle "$bundle" "$id" </dev/null >"$WORK/$id.stdout" 2>"$WORK/$id.stderr" ||
		fail "runc run -d $id: $(cat "$WORK/$id.stderr")"
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
wait_for() {
	local tries=$(($1 * 10))
	shift
	while [ $tries -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		tries=$((tries - 1))
	done
	return 1
}

# stop_container ID: waits for it to exit, then deletes it (runs poststop).
stop_container() {
	local id=$1
	wait_for 30 sh -c "runc state $id 2>/dev/null | jq -e '.status == \"stopped\"' >/dev/null" ||
		fail "container $id did not stop"
	runc delete "$id" || fail "runc delete $id failed"
}

# build_static NAME: compiles $WORK/NAME.c into a static $WORK/NAME, or skips.
build_static() {
	local name=$1
	shift
	command -v gcc >/dev/null || skip "gcc not installed"
	gcc -static -O1 "$@" -o "$WORK/$name" "$WORK/$name.c" 2>"$WORK/$name.gcc" ||
		skip "cannot build static $name (apt-get install gcc-multilib libc6-dev): $(head -1 "$WORK/$name.gcc")"
}

# OOM kills: $WORK/hog allocates until the OOM killer of a 32 MiB memory
# limit kills it (build_hog builds it, or skips; run_hog ID runs it and
# prints the exit status, 137 when killed). A limit applies only where
# there is a memory controller (have_memory_controller).
have_memory_controller() {
	[ -e /sys/fs/cgroup/memory ] || grep -q memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null
}
build_hog() {
	cat >"$WORK/hog.c" <<'C'
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(void) {
	write(1, "allocating\n", 11);
	for (;;) {
		char *p = malloc(1 << 20);
		if (!p)
			return 2;
		memset(p, 1, 1 << 20);
	}
}
C
	build_static hog
}
run_hog() {
	local id=$1 b="$WORK/bundle-hog-$1"
	make_bundle "$b" '["/hog"]'
	cp "$WORK/hog" "$b/rootfs/hog"
	jq '.linux.resources.memory = {"limit": 33554432, "swap": 33554432}' "$b/config.json" >"$b/config.json.new"
	mv "$b/config.json.new" "$b/config.json"
	run_container "$id" "$b"
}

# run_binary ID NAME: runs $WORK/NAME as the only process of a busybox container.
run_binary() {
	local id=$1 name=$2
	make_bundle "$WORK/bundle-$name" "[\"/$name\"]"
	cp "$WORK/$name" "$WORK/bundle-$name/rootfs/$name"
	run_container "$id" "$WORK/bundle-$name"
}
# run_binary_exits ID NAME CODE: run_binary, failing unless it exits CODE.
run_binary_exits() {
	local rc
	rc=$(run_binary "$1" "$2")
	[ "$rc" = "$3" ] || fail "$1: $2 exited $rc, expected $3: $(cat "$WORK/$1.stderr")"
}

# expect_ring QUERY PATH DATA CODE: the container's ring has the openat of
# PATH, the write of DATA (as JSON string content) and exit_group(CODE).
expect_ring() {
	local q=$1 path=$2 data=$3 code=$4
	dump_json "$q" >"$WORK/expect.json" || fail "gadget-dump $q failed"
	jq -e -s --arg p "$path" 'map(select(.syscall=="openat" and .args[1].str==$p and .ret >= 0)) | length == 1' \
		"$WORK/expect.json" >/dev/null || fail "$q: the openat of $path is not in the ring"
	jq -e -s --arg d "$data" 'map(select(.syscall=="write" and .args[1].str==$d and .ret == ($d | length))) | length == 1' \
		"$WORK/expect.json" >/dev/null || fail "$q: the write of '$data' is not in the ring"
	jq -e -s --argjson c "$code" 'map(select(.syscall=="exit_group" and .args[0].value == $c)) | length >= 1' \
		"$WORK/expect.json" >/dev/null || fail "$q: exit_group($code) is not in the ring"
}
# A rootfs for dynamically linked programs: busybox, the programs and the
# libraries ldd names, and an ld.so.cache made for that root by ldconfig.
make_dynamic_rootfs() {
	local dir=$1 bin lib
	shift
	make_rootfs "$dir"
	mkdir -p "$dir/usr/bin"
	for bin in "$@"; do
		cp -L "$bin" "$dir/usr/bin/"
		for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
			mkdir -p "$dir$(dirname "$lib")"
			[ -e "$dir$lib" ] || cp -L "$lib" "$dir$lib"
		done
	done
	ldconfig -r "$dir" 2>/dev/null || true
}
# bundle DIR with rootfs ROOT (used as is: an overlay mount, a shared dir).
make_bundle_root() {
	local dir=$1 root=$2 args=$3 extra=${4:-[]}
	make_bundle "$dir" "$args" "$extra"
	rm -rf "$dir/rootfs"
	jq --arg r "$root" '.root.path = $r' "$dir/config.json" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
}
# probed_bundle DIR ROOT ARGS FAMILIES: make_bundle_root, the container
# asking for the uprobe FAMILIES (io.oci-gadget.uprobes).
probed_bundle() {
	make_bundle_root "$1" "$2" "$3"
	set_annotations "$1" "$(jq -cn --arg f "$4" '{"io.oci-gadget.uprobes": $f}')"
}
# run_probed ID ROOT ARGS FAMILIES [VAR=VALUE...]: a container over ROOT
# running ARGS (a JSON array) that asks for the uprobe FAMILIES, with that
# environment, run to its end (run_ok); its bundle is $WORK/ID.
run_probed() {
	local id=$1 root=$2 args=$3 fams=$4
	shift 4
	probed_bundle "$WORK/$id" "$root" "$args" "$fams"
	[ $# = 0 ] || set_env "$WORK/$id" "$@"
	run_ok "$id" "$WORK/$id"
}
# count_perf_links: uprobe links of this test's programs (other tests attach
# their own meanwhile under make -j).
count_perf_links() {
	local ids p
	ids=$(for p in uprobe uretprobe usdt; do
		bpftool prog show pinned "$PIN_ROOT/progs/$p" -j 2>/dev/null | jq .id
	done | jq -s -c .)
	bpftool link show -j 2>/dev/null | jq --argjson ids "$ids" '[.[] | select(.prog_id as $i | $ids | index($i))] | length'
}
# Skips (with the kernel's reason) when gadget-tracer status says a feature
# the test needs is missing: uprobes, usdt-semaphores.
require_feature() {
	local f=$1 st
	st=$("$TRACER" --pin-root "$PIN_ROOT" status --json) || fail "gadget-tracer status failed"
	echo "$st" | jq -e --arg f "$f" '.features[$f].supported' >/dev/null ||
		skip "$f: $(echo "$st" | jq -r --arg f "$f" '.features[$f].reason')"
}
# What every uprobe test needs: runc, the tracer loaded, the uprobe PMU.
require_uprobes() {
	require_runc
	require_bpf
	require_feature uprobes
}
# set_annotations BUNDLE JSON: the bundle's config.json annotations become JSON.
set_annotations() {
	jq --argjson a "$2" '.annotations = $a' "$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
}
# make_usr_volume_rootfs DIR: a busybox rootfs whose /usr comes from the
# host through a read-only bind mount (bind_host_usr): /lib and /lib64 are
# merged-/usr symlinks, /etc/ld.so.cache is the host's. Nothing of /usr is
# in the image itself: only the container's mount namespace has it.
make_usr_volume_rootfs() {
	local dir=$1
	make_rootfs "$dir"
	mkdir -p "$dir/usr"
	[ -e "$dir/lib" ] || ln -s usr/lib "$dir/lib"
	[ -e "$dir/lib64" ] || ln -s usr/lib64 "$dir/lib64"
	cp /etc/ld.so.cache "$dir/etc/ld.so.cache"
}
# bind_host_usr BUNDLE: mounts the host's /usr read-only at /usr.
bind_host_usr() {
	jq '.mounts += [{"destination": "/usr", "type": "bind", "source": "/usr", "options": ["rbind", "ro"]}]' \
		"$1/config.json" >"$1/config.json.new"
	mv "$1/config.json.new" "$1/config.json"
}
# set_env BUNDLE VAR=VALUE...: the container's process environment.
set_env() {
	local b=$1
	shift
	jq --args '.process.env = $ARGS.positional' "$@" <"$b/config.json" >"$b/config.json.new"
	mv "$b/config.json.new" "$b/config.json"
}
# probes_of ID: what gadget-hook probed in the container's image.
probes_of() { "$DUMP" --pin-root "$PIN_ROOT" probes "$1"; }
# Python with its gc USDT probes (Debian's python3.11), and a kernel that
# counts the semaphores they sit behind, or skip.
PY=/usr/bin/python3.11
require_python_gc() {
	[ -x $PY ] || skip "$PY not installed (apt-get install python3.11)"
	readelf -n $PY 2>/dev/null | grep -q gc__done || skip "$PY has no gc USDT probes"
	require_feature usdt-semaphores
}
# make_python_image DIR: python3.11 (and python3), its libraries and its
# standard library (hard-linked where it can be).
make_python_image() {
	make_dynamic_rootfs "$1" $PY
	mkdir -p "$1/usr/lib"
	cp -al /usr/lib/python3.11 "$1/usr/lib/" 2>/dev/null || cp -a /usr/lib/python3.11 "$1/usr/lib/"
	ln -sf python3.11 "$1/usr/bin/python3"
}
# A JDK with HotSpot's gc USDT probes and javac: java_gc_missing says why
# not (nothing when there is one), require_java_gc skips without.
JH=/usr/lib/jvm/java-17-openjdk-amd64
JAVAC=$(ls /usr/lib/jvm/*/bin/javac 2>/dev/null | head -1)
java_gc_missing() {
	if [ ! -x $JH/bin/java ]; then
		echo "$JH not installed (apt-get install openjdk-17-jdk-headless)"
	elif ! readelf -n $JH/lib/server/libjvm.so 2>/dev/null | grep -q gc__begin; then
		echo "this libjvm.so has no gc USDT probes"
	elif [ -z "$JAVAC" ]; then
		echo "no javac to build the test class"
	fi
}
require_java_gc() {
	local why
	why=$(java_gc_missing)
	[ -z "$why" ] || skip "$why"
}
# make_java_image DIR: the JDK as an image has it (its tree, the /etc files
# its symlinks point to, the libraries of java and libjvm), and /app/GcTest,
# which calls System.gc() argv[0] times and prints "gc done".
make_java_image() {
	local dir=$1
	mkdir -p "$dir/usr/lib/jvm" "$dir/etc"
	cp -al $JH "$dir/usr/lib/jvm/" 2>/dev/null || cp -a $JH "$dir/usr/lib/jvm/"
	cp -a /etc/java-17-openjdk "$dir/etc/"
	make_dynamic_rootfs "$dir" $JH/bin/java $JH/lib/server/libjvm.so
	rm -f "$dir/usr/bin/java" "$dir/usr/bin/libjvm.so"
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
	"$JAVAC" --release 17 -d "$dir/app" "$WORK/GcTest.java" 2>"$WORK/javac.err" ||
		skip "javac failed: $(head -1 "$WORK/javac.err")"
}
