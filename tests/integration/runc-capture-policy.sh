#!/bin/bash
# What a ring holds (oci-gadget(7), issue 20, item 2), a test per rule, in
# real runc containers whose program takes a 32-byte key from getrandom(),
# reads /dev/urandom, /dev/random and /dev/urandom bound at /rng, and
# writes what it got to 0600 files, run as `secrets --password=S3cr3t-pw`:
# - never: getrandom's output and the random devices' bytes are in no
#   record of theirs (marked withheld); with the default capture-bytes the
#   only copy in the whole ring is the container's own write of them;
# - capture-bytes=off: no argv, no buffer bytes: the key, the random bytes
#   and the password are nowhere in the ring's memory;
# - capture-paths=off: no path strings either.
# The ring's memory is searched raw (bpftool), not only what gadget-dump
# shows.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf
command -v bpftool >/dev/null || skip "bpftool not installed"

cat >"$WORK/secrets.c" <<'EOF'
#include <fcntl.h>
#include <sys/random.h>
#include <sys/uio.h>
#include <unistd.h>

static int put(const char *path, const void *b, size_t n)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);

	return fd < 0 || write(fd, b, n) != (ssize_t)n || close(fd) < 0;
}

static int take(const char *path, void *b, size_t n)
{
	int fd = open(path, O_RDONLY);

	return fd < 0 || read(fd, b, n) != (ssize_t)n || close(fd) < 0;
}

/* readv: the vectors' bytes are the device's too. */
static int take_v(const char *path, unsigned char *b, size_t n)
{
	struct iovec v[2] = {{b, n / 2}, {b + n / 2, n - n / 2}};
	int fd = open(path, O_RDONLY);

	return fd < 0 || readv(fd, v, 2) != (ssize_t)n || close(fd) < 0;
}

int main(void)
{
	unsigned char key[32], ur[64], rnd[16], rng[24], vec[40];

	if (getrandom(key, sizeof(key), 0) != sizeof(key))
		return 2;
	if (take("/dev/urandom", ur, sizeof(ur)) || take("/dev/random", rnd, sizeof(rnd)) ||
	    take("/rng", rng, sizeof(rng)) || take_v("/dev/urandom", vec, sizeof(vec)))
		return 3;
	if (put("/key", key, sizeof(key)) || put("/urandom.out", ur, sizeof(ur)) ||
	    put("/random.out", rnd, sizeof(rnd)) || put("/rng.out", rng, sizeof(rng)) ||
	    put("/readv.out", vec, sizeof(vec)))
		return 4;
	return 0;
}
EOF
build_static secrets

run_secrets() { # ID ANNOTATIONS_JSON
	make_bundle "$WORK/$1" '["/secrets", "--password=S3cr3t-pw"]'
	cp "$WORK/secrets" "$WORK/$1/rootfs/secrets"
	set_annotations "$WORK/$1" "$2"
	jq '.mounts += [{"destination": "/rng", "type": "bind", "source": "/dev/urandom", "options": ["bind", "ro"]}]' \
		"$WORK/$1/config.json" >"$WORK/$1/c" && mv "$WORK/$1/c" "$WORK/$1/config.json"
	touch "$WORK/$1/rootfs/rng"
	rc=$(run_container "$1" "$WORK/$1")
	[ "$rc" = 0 ] || fail "$1 exited $rc: $(cat "$WORK/$1.stderr")"
	dump_json "$1" >"$WORK/$1.json" || fail "gadget-dump $1 failed"
	# The ring's memory, one line of hex per element.
	bpftool -j map dump pinned "$PIN_ROOT/containers/$1/ring" | jq -r '.[].value | map(.[2:]) | join("")' \
		>"$WORK/$1.hex" || fail "bpftool could not dump $1's ring"
}
hex_of() { od -An -v -tx1 | tr -d ' \n'; }
# copies ID FILE|-STRING: how many times those bytes are in ID's ring.
copies() {
	local h
	case $2 in
	-*) h=$(printf '%s' "${2#-}" | hex_of) ;;
	*) h=$(hex_of <"$2") ;;
	esac
	grep -o "$h" "$WORK/$1.hex" | wc -l
}
secrets() { echo key urandom.out random.out rng.out readv.out; }

# --- the rules that hold whatever the settings ------------------------------
A="og-policy-$$"
run_secrets "$A" '{}'
jq -e -s 'any(.[]; .syscall == "getrandom" and .ret == 32 and .args[0].withheld and (.args[0].str == null))' \
	"$WORK/$A.json" >/dev/null || fail "getrandom's output is not withheld: $(jq -c 'select(.syscall == "getrandom")' "$WORK/$A.json")"
n=$(jq -s '[.[] | select(.syscall == "read" and .ret > 0 and .args[1].withheld and (.args[1].str == null))] | length' "$WORK/$A.json")
[ "$n" -ge 3 ] || fail "reads of /dev/urandom, /dev/random and /rng: $n withheld, expected 3: $(jq -c 'select(.syscall == "read")' "$WORK/$A.json")"
jq -e -s 'any(.[]; .syscall == "readv" and .ret == 40 and .args[1].withheld)' "$WORK/$A.json" >/dev/null ||
	fail "readv of /dev/urandom: its vectors are not withheld: $(jq -c 'select(.syscall == "readv")' "$WORK/$A.json")"
for f in $(secrets); do
	[ -s "$WORK/$A/rootfs/$f" ] || fail "the container wrote no /$f"
	c=$(copies "$A" "$WORK/$A/rootfs/$f")
	# One copy: the container's own write of them to /$f (a buffer it
	# wrote, kept like any under capture-bytes). Two: kept where it got them.
	[ "$c" = 1 ] || fail "/$f's bytes are $c times in the ring, expected once (its write)"
done
ok "getrandom's key and the random devices' bytes (by device, /rng too) are withheld where they were obtained"

# --- capture-bytes=off ------------------------------------------------------
B="og-policy-off-$$"
run_secrets "$B" '{"io.oci-gadget.capture-bytes": "off"}'
for f in $(secrets); do
	c=$(copies "$B" "$WORK/$B/rootfs/$f")
	[ "$c" = 0 ] || fail "capture-bytes=off: /$f's bytes are $c times in the ring"
done
c=$(copies "$B" -S3cr3t-pw)
[ "$c" = 0 ] || fail "capture-bytes=off: the password of argv is $c times in the ring"
jq -e -s 'any(.[]; .syscall == "execve" and .args[0].str == "/secrets" and .args[1].withheld)' "$WORK/$B.json" >/dev/null ||
	fail "capture-bytes=off: execve's argv is not withheld: $(jq -c 'select(.syscall == "execve")' "$WORK/$B.json")"
jq -e -s 'any(.[]; .syscall == "openat" and .args[1].str == "/key")' "$WORK/$B.json" >/dev/null ||
	fail "capture-bytes=off must keep paths"
ok "capture-bytes=off: no argv, no buffer bytes anywhere in the ring; paths kept"
c=$(copies "$A" -S3cr3t-pw)
[ "$c" -ge 1 ] || fail "by default the password of argv should be in the ring (argv is kept): $c"

# --- capture-paths=off ------------------------------------------------------
C="og-policy-nopaths-$$"
run_secrets "$C" '{"io.oci-gadget.capture-bytes": "off", "io.oci-gadget.capture-paths": "off"}'
for p in /urandom.out /dev/urandom /secrets; do
	c=$(copies "$C" "-$p")
	[ "$c" = 0 ] || fail "capture-paths=off: the path $p is $c times in the ring"
done
jq -e -s 'any(.[]; .syscall == "openat" and .ret >= 0 and .args[1].withheld and (.args[1].str == null))' "$WORK/$C.json" >/dev/null ||
	fail "capture-paths=off: openat's path is not withheld"
"$DUMP" --pin-root "$PIN_ROOT" "$C" | grep -q 'openat(.*<withheld>' || fail "the text dump does not say <withheld>"
ok "capture-paths=off: no path strings either, shown as <withheld>"

# --- capture-bytes=off: a crash keeps its registers, not its stack ----------
cat >"$WORK/crash.c" <<'C'
__attribute__((noinline)) void crash_here(volatile int *p) { *p = 42; }
int main(void) { crash_here(0); return 0; }
C
build_static crash
D="og-policy-crash-$$"
make_bundle "$WORK/$D" '["/crash"]'
cp "$WORK/crash" "$WORK/$D/rootfs/crash"
set_annotations "$WORK/$D" '{"io.oci-gadget.capture-bytes": "off"}'
rc=$(run_container "$D" "$WORK/$D")
[ "$rc" != 0 ] || fail "$D did not crash"
dump_json "$D" | jq -e -s 'any(.[]; .crash.stack_withheld and .crash.stack_bytes == 0 and .crash.ip > 0)' >/dev/null ||
	fail "capture-bytes=off: the crash record keeps its stack: $(dump_json "$D" | jq -c 'select(.crash)')"
ok "capture-bytes=off: a crash record has its registers, its stack withheld"
