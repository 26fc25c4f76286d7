#!/bin/bash
# Why it died, with real runc containers: a NULL store, abort() as PID 1,
# one thread of five crashing, a crashing child of a shell, runc kill
# during a read, exit 3 and exit 0. Each reads like strace's lines in
# text and JSON, list says how each container ended, and an abnormal end
# leaves a crash file that gadget-dump --file reads after the tracer is
# unloaded and its pins are gone.
. "$(dirname "$0")/lib.sh"
require_runc
cat >"$WORK/crash.c" <<'C'
#include <unistd.h>
__attribute__((noinline)) void crash_here(volatile int *p) { *p = 42; }
__attribute__((noinline)) void middle(volatile int *p) { crash_here(p); write(1, "", 0); }
int main(void) { write(1, "about to crash\n", 15); middle(0); return 0; }
C
cat >"$WORK/abrt.c" <<'C'
#include <stdlib.h>
#include <unistd.h>
int main(void) { write(1, "aborting\n", 9); abort(); }
C
cat >"$WORK/threads.c" <<'C'
#include <pthread.h>
#include <unistd.h>
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static void *waiter(void *a) { pthread_mutex_lock(&m); pthread_cond_wait(&c, &m); return a; }
__attribute__((noinline)) static void boom(volatile int *p) { *p = 1; }
static void *crasher(void *a) { usleep(200000); boom(0); return a; }
int main(void) {
	pthread_t t[5];
	for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, waiter, 0);
	pthread_create(&t[4], 0, crasher, 0);
	for (int i = 0; i < 5; i++) pthread_join(t[i], 0);
	return 0;
}
C
cat >"$WORK/reader.c" <<'C'
#include <unistd.h>
int main(void) { char b[16]; write(1, "reading\n", 8); read(0, b, sizeof b); return 0; }
C
build_static crash
build_static abrt
build_static threads -pthread
build_static reader
require_bpf

T="$WORK/text" J="$WORK/json"
dump_both() { # ID: text and JSON of the container's ring
	"$DUMP" --pin-root "$PIN_ROOT" "$1" >"$T" || fail "gadget-dump $1 failed"
	dump_json "$1" >"$J" || fail "gadget-dump $1 --json failed"
}
has() { grep -qF -- "$1" "$T" || fail "$2: no line '$1' in:$(tail -8 "$T")"; }
ended() { # ID: the EXIT column of list --json
	"$DUMP" --pin-root "$PIN_ROOT" list --json | jq -r --arg id "$1" 'select(.id == $id) | .exit'
}
crash_files() { ls "$WORK/crashes/"*"-$1.ogcrash" 2>/dev/null | wc -l; }

# A NULL store: strace's SIGSEGV line, the crash's mapping, killed by SIGSEGV.
ID="og-crash-segv-$$"
run_binary_exits "$ID" crash 139
dump_both "$ID"
has "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---" "segv"
has "+++ killed by SIGSEGV +++" "segv"
jq -e -s 'map(select(.event == "crash" and .signal == "SIGSEGV" and .fatal and .si_addr == 0
	and (.crash.maps | map(.path) | index("/crash")) != null and .crash.stack_bytes > 0)) | length == 1' "$J" >/dev/null ||
	fail "segv: no crash event with /crash mapped and a stack: $(grep crash "$J")"
jq -e -s 'map(select(.event == "exit" and .killed_by == "SIGSEGV" and .init and .process_ended)) | length == 1' "$J" >/dev/null ||
	fail "segv: no JSON exit killed by SIGSEGV"
ok "NULL store: the SIGSEGV as strace prints it, its mapping and stack, killed by SIGSEGV"
# The binary has no frame pointers (gcc -O1 omits them): the frames come
# from its .eh_frame, unwound by gadget-dump from the container's files.
grep -A8 -- "--- SIGSEGV {" "$T" | grep -qE '^    #0  0x[0-9a-f]+ crash_here\+0x[0-9a-f]+ \(/crash\)$' || fail "segv: frame 0 is not crash_here: $(grep -A8 -- '--- SIGSEGV {' "$T")"
grep -A8 -- "--- SIGSEGV {" "$T" | grep -qE '^    #1  0x[0-9a-f]+ middle\+0x[0-9a-f]+ \(/crash\)$' || fail "segv: frame 1 is not middle"
grep -A8 -- "--- SIGSEGV {" "$T" | grep -qE '^    #2  0x[0-9a-f]+ main\+0x[0-9a-f]+ \(/crash\)$' || fail "segv: frame 2 is not main"
[ "$(grep -c -- '--- SIGSEGV {' "$T")" = 1 ] || fail "segv: the SIGSEGV printed more than once"
ok "the crash's stack: crash_here, middle, main, unwound from /crash's CFI"
[ "$(ended "$ID")" = "killed SIGSEGV" ] || fail "segv: list says '$(ended "$ID")'"
[ "$(crash_files "$ID")" = 1 ] || fail "segv: no crash file: $(ls "$WORK/crashes" 2>&1)"
ok "list says killed SIGSEGV; a crash file was written"

# abort() as PID 1: SIGABRT is ignored (no handler in PID 1), the SIGSEGV
# that follows kills it. Both are there, in order.
ID="og-crash-abrt-$$"
run_binary_exits "$ID" abrt 139
dump_both "$ID"
grep -qE -- "--- SIGABRT \{si_signo=SIGABRT, si_code=SI_TKILL, si_pid=1, si_uid=0\} sent by abrt\[[0-9]+\]: ignored ---" "$T" ||
	fail "abort: no ignored SIGABRT in: $(tail -5 "$T")"
has "--- SIGSEGV {si_signo=SIGSEGV, si_code=SI_KERNEL, si_addr=NULL} ---" "abort"
has "+++ killed by SIGSEGV +++" "abort"
[ "$(grep -n SIGABRT "$T" | head -1 | cut -d: -f1)" -lt "$(grep -n 'SIGSEGV {' "$T" | head -1 | cut -d: -f1)" ] ||
	fail "abort: the SIGSEGV comes before the SIGABRT"
ok "abort() as PID 1: SIGABRT ignored, then the SIGSEGV that killed it"

# One thread of five crashes: its SIGSEGV, and every thread killed, the
# four futex waits ended with the process (= ?).
ID="og-crash-threads-$$"
run_binary_exits "$ID" threads 139
dump_both "$ID"
[ "$(grep -c -- '+++ killed by SIGSEGV +++' "$T")" = 6 ] || fail "threads: not 6 tasks killed by SIGSEGV: $(tail -8 "$T")"
[ "$(grep -c -- '--- SIGSEGV {' "$T")" = 1 ] || fail "threads: not one SIGSEGV delivered"
[ "$(grep -E 'futex\(.*\) = \?$' "$T" | wc -l)" -ge 4 ] || fail "threads: the futex waits do not end with = ?"
jq -e -s '[.[] | select(.event == "exit" and (.runtime | not))] | (map(.tid) | unique | length) == 6 and (map(select(.process_ended)) | length) == 1' "$J" >/dev/null ||
	fail "threads: JSON exits are not 6 tasks, one process end"
ok "one thread of five crashes: its SIGSEGV, six tasks killed, the futex waits = ?"

# A child of the shell crashes; the shell exits 0: the child's death is
# there, list marks it, and it leaves a crash file.
ID="og-crash-child-$$"
make_bundle "$WORK/bundle-child" '["sh", "-c", "/crash; exit 0"]'
cp "$WORK/crash" "$WORK/bundle-child/rootfs/crash"
run_ok "$ID" "$WORK/bundle-child"
dump_both "$ID"
has "+++ killed by SIGSEGV +++" "child"
has "+++ exited with 0 +++" "child"
has "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED," "child"
[ "$(ended "$ID")" = "exited 0, 1 killed" ] || fail "child: list says '$(ended "$ID")'"
[ "$(crash_files "$ID")" = 1 ] || fail "child: no crash file"
ok "a crashing child: killed by SIGSEGV, its parent's SIGCHLD, list says exited 0, 1 killed"

# abort() in a dynamically linked program, not PID 1: SIGABRT is fatal, its
# stack goes through libc (the image's /lib, found by its mappings) to main.
ID="og-crash-dyn-$$"
gcc -O2 -o "$WORK/abrt-dyn" "$WORK/abrt.c" 2>"$WORK/abrt-dyn.gcc" || skip "cannot build abrt-dyn: $(head -1 "$WORK/abrt-dyn.gcc")"
make_bundle "$WORK/bundle-dyn" '["sh", "-c", "/usr/bin/abrt-dyn; exit 0"]'
rm -rf "$WORK/bundle-dyn/rootfs"
make_dynamic_rootfs "$WORK/bundle-dyn/rootfs" "$WORK/abrt-dyn"
run_ok "$ID" "$WORK/bundle-dyn"
dump_both "$ID"
grep -qE -- "--- SIGABRT \{si_signo=SIGABRT, si_code=SI_TKILL, si_pid=[0-9]+, si_uid=0\} ---" "$T" || fail "dyn: no SIGABRT delivered: $(tail -8 "$T")"
grep -A10 -- "--- SIGABRT {" "$T" | grep -E '^    #[0-9]+ ' >"$WORK/frames"
grep -qE ' abort\+0x[0-9a-f]+ \(/(usr/)?lib/x86_64-linux-gnu/libc\.so\.6\)$' "$WORK/frames" || fail "dyn: no abort frame in libc: $(cat "$WORK/frames")"
grep -qE ' main\+0x[0-9a-f]+ \(/usr/bin/abrt-dyn\)$' "$WORK/frames" || fail "dyn: no main frame: $(cat "$WORK/frames")"
has "+++ killed by SIGABRT +++" "dyn"
ok "abort() in a dynamic program: its stack through libc's abort to main, from the image's files"

# runc kill during a read: the read never returned (= ?), SIGKILL sent by
# runc from outside the container, killed by SIGKILL: not an OOM kill.
ID="og-crash-kill-$$"
make_bundle "$WORK/bundle-kill" '["/reader"]'
cp "$WORK/reader" "$WORK/bundle-kill/rootfs/reader"
mkfifo "$WORK/stdin"
exec 3<>"$WORK/stdin"
CONTAINERS="$CONTAINERS $ID"
runc run -d --bundle "$WORK/bundle-kill" "$ID" <&3 >"$WORK/kill.out" 2>&1 || fail "runc run -d: $(cat "$WORK/kill.out")"
wait_for 10 grep -q reading "$WORK/kill.out" || fail "the reader did not start"
sleep 0.2
[ "$(ended "$ID")" = running ] || fail "kill: list says '$(ended "$ID")' while it reads"
runc kill "$ID" KILL
stop_container "$ID"
exec 3>&-
dump_both "$ID"
grep -qE -- 'read\(fd=0(<[^>]*>)?, buf=0x[0-9a-f]+, count=16\) = \?$' "$T" || fail "kill: the read is not = ?: $(tail -4 "$T")"
grep -qE -- "--- SIGKILL \{si_signo=SIGKILL, si_code=SI_USER, si_pid=0, si_uid=0\} sent by runc\[[0-9]+\] \(outside the container\): delivered ---" "$T" ||
	fail "kill: no SIGKILL sent by runc from outside: $(tail -4 "$T")"
has "+++ killed by SIGKILL +++" "kill"
! grep -q OOM "$T" || fail "kill: runc kill reported as an OOM kill"
[ "$(ended "$ID")" = "killed SIGKILL" ] || fail "kill: list says '$(ended "$ID")'"
ok "runc kill during read: read = ?, SIGKILL sent by runc from outside, killed by SIGKILL, no OOM"

# exit 3 leaves a crash file, exit 0 none.
ID3="og-crash-exit3-$$" ID0="og-crash-exit0-$$"
make_bundle "$WORK/bundle-3" '["sh", "-c", "exit 3"]'
make_bundle "$WORK/bundle-0" '["true"]'
[ "$(run_container "$ID3" "$WORK/bundle-3")" = 3 ] || fail "exit 3: wrong status"
[ "$(run_container "$ID0" "$WORK/bundle-0")" = 0 ] || fail "exit 0: wrong status"
"$DUMP" --pin-root "$PIN_ROOT" "$ID3" | grep -qF -- "+++ exited with 3 +++" || fail "exit 3: no exited line"
[ "$(ended "$ID3")" = "exited 3" ] && [ "$(ended "$ID0")" = "exited 0" ] || fail "list: '$(ended "$ID3")', '$(ended "$ID0")'"
[ "$(crash_files "$ID3")" = 1 ] && [ "$(crash_files "$ID0")" = 0 ] || fail "crash files: exit 3 one, exit 0 none"
ok "exit 3: exited with 3 and a crash file; exit 0: no crash file"
# Ends of one container within one second keep a file each (the README's
# two runs of one name once shared a name and lost the first): three more
# poststops in a row, two of them at least in the same second.
for i in 1 2 3; do
	echo "{\"id\":\"$ID3\",\"bundle\":\"$WORK/bundle-3\"}" |
		"$HOOK" poststop --pin-root "$PIN_ROOT" --log "$WORK/hook.log" --crash-dir "$WORK/crashes" ||
		fail "poststop $i of $ID3"
done
[ "$(crash_files "$ID3")" = 4 ] || fail "four ends of $ID3, $(crash_files "$ID3") crash files: $(ls "$WORK/crashes")"
ok "four abnormal ends of one container within seconds: four crash files"

# The crash files outlive the pins: every verb reads them.
F=$(ls "$WORK/crashes/"*"-og-crash-segv-$$.ogcrash")
"$TRACER" --pin-root "$PIN_ROOT" unload >/dev/null
rm -rf "$PIN_ROOT"
"$DUMP" --file "$F" >"$T" || fail "--file: $(cat "$T")"
has "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---" "--file"
grep -qE '^    #2  0x[0-9a-f]+ main\+0x[0-9a-f]+ \(/crash\)$' "$T" || fail "--file: the stack unwound at the stop is not kept"
has "+++ killed by SIGSEGV +++" "--file"
grep -qE 'write\(fd=1(<[^>]*>)?, buf="about to crash\\n", count=15\) = 15' "$T" || fail "--file: the write is not decoded"
"$DUMP" --file "$F" --json | jq -e -s 'map(select(.event == "crash")) | length == 1' >/dev/null || fail "--file --json"
"$DUMP" summary --file "$F" | grep -q write || fail "--file summary"
"$DUMP" seccomp --file "$F" | jq -e '.syscalls[0].names | index("write") != null' >/dev/null || fail "--file seccomp"
"$DUMP" network --file "$F" >/dev/null || fail "--file network"
"$DUMP" list --file "$F" | grep -q "killed SIGSEGV" || fail "--file list"
ok "after unload and the pin root removed, --file reads the crash: text with its stack, JSON, summary, seccomp, network, list"
