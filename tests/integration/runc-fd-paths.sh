#!/bin/bash
# fd paths that survive the ring (strace -y, -yy), in real runc containers:
# a file opened once and written to until the ring wrapped past its open
# still shows its path; a socket shows its endpoints; dup2 gives the copy
# the same path; a number closed and reused shows the new file; a forked
# child's inherited fd shows its parent's path; --no-fd-paths turns it off;
# a crash file carries the table; relative opens after a chdir, fchdir and
# openat(dirfd) show absolute paths, pipes and anonymous fds (eventfd,
# epoll, timerfd, signalfd, pidfd, memfd) strace -y's forms, compared
# with strace -y of the same program.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf
command -v nc >/dev/null || /bin/busybox --list | grep -qx nc || skip "busybox has no nc"

# fd 7 opened once; then enough records (each echo is a write on fd 7, or
# on fd 1 after the redirection's dup2) that a 64 KiB ring wraps past its
# open; then the same fd 7 again, through a forked cat (inherited).
script='exec 7>/tmp/kept.log
i=0; while [ $i -lt 1500 ]; do echo "line $i" >&7; i=$((i+1)); done
echo last >&7
echo first >/tmp/first.log
exec 8</tmp/first.log
exec 9>&7
echo via-dup >&9
exec 8<&-
exec 8>/tmp/second.log
echo second >&8
cat /proc/self/stat >&7
nc -l -p 18080 >/tmp/got & sleep 0.5
echo hello-sock | nc 127.0.0.1 18080; wait
cd /tmp && echo rel >rel.log
echo piped | cat >/dev/null
echo bye
exit 3'

# write_shows JSON STR PATH WHAT: JSON has one write of STR whose fd shows
# PATH, or the test fails with WHAT and the writes of STR it has.
write_shows() {
	jq -e -s --arg s "$2" --arg p "$3" \
		'map(select(.syscall == "write" and .args[1].str == $s and .args[0].fd_path == $p)) | length == 1' \
		"$1" >/dev/null ||
		fail "$4: $(jq -c --arg s "$2" 'select(.syscall == "write" and .args[1].str == $s)' "$1")"
}

A="og-fdpaths-$$"
make_bundle "$WORK/$A" "$(jq -cn --arg s "$script" '["/bin/sh", "-c", $s]')"
set_annotations "$WORK/$A" '{"io.oci-gadget.ring-size": "64KiB"}'
rc=$(run_container "$A" "$WORK/$A")
[ "$rc" = 3 ] || fail "$A exited $rc: $(cat "$WORK/$A.stderr")"
dump_json "$A" >"$WORK/$A.json" || fail "gadget-dump $A failed"
"$DUMP" --pin-root "$PIN_ROOT" "$A" >"$WORK/$A.txt" || fail "gadget-dump $A (text) failed"

# The ring wrapped: the open of /tmp/kept.log is gone from it...
jq -e -s 'map(select((.syscall == "open" or .syscall == "openat") and (.args | map(.str) | index("/tmp/kept.log")))) | length == 0' \
	"$WORK/$A.json" >/dev/null || fail "the ring still holds the open of /tmp/kept.log: make the loop longer"
# ...and its last write still names the file, in JSON and in text.
write_shows "$WORK/$A.json" $'last\n' /tmp/kept.log "the last write does not show /tmp/kept.log"
grep -Eq 'write\(fd=[0-9]+</tmp/kept.log>, buf="last\\n"' "$WORK/$A.txt" ||
	fail "text: no write(fd=N</tmp/kept.log>, \"last\"...): $(grep '"last' "$WORK/$A.txt")"
ok "a write after the ring wrapped past its open shows the file's path"

write_shows "$WORK/$A.json" $'via-dup\n' /tmp/kept.log "a write through the dup2 copy does not show /tmp/kept.log"
jq -e -s 'map(select(.syscall == "dup2" and .args[0].fd_path == "/tmp/kept.log")) | length >= 1' "$WORK/$A.json" >/dev/null ||
	fail "dup2's source fd does not show /tmp/kept.log"
ok "dup2 onto another fd: the copy shows the same path"

# fd 8: /tmp/first.log for reading, closed, then /tmp/second.log.
write_shows "$WORK/$A.json" $'second\n' /tmp/second.log "the reused fd does not show /tmp/second.log"
jq -e -s 'map(select((.syscall == "open" or .syscall == "openat") and (.args | map(.str) | index("/tmp/second.log")) and .ret_fd_path == "/tmp/second.log")) | length == 1' \
	"$WORK/$A.json" >/dev/null || fail "the open of /tmp/second.log does not show its returned fd's path"
ok "a closed fd's number reused shows the new file; an open's returned fd shows its path"

# The runtime gave init its stdio before the ring existed: the hook seeds
# the table from /proc at prestart (runc relays a container's stdio
# through pipes of its own).
jq -e -s 'map(select(.syscall == "write" and .args[1].str == "bye\n" and (.args[0].fd_path // "" | test("^pipe:\\[[0-9]+\\]$")))) | length == 1' \
	"$WORK/$A.json" >/dev/null ||
	fail "the write to stdout does not show its pipe: $(jq -c 'select(.syscall == "write" and .args[1].str == "bye\n")' "$WORK/$A.json")"
ok "fds the runtime gave init (seeded at prestart) show their path"

# cat is a forked child: its fd 1 is the shell's fd 7, inherited.
jq -e -s 'map(select(.comm == "cat" and .syscall == "write" and .args[0].value == 1 and .args[0].fd_path == "/tmp/kept.log")) | length >= 1' \
	"$WORK/$A.json" >/dev/null ||
	fail "cat's inherited stdout does not show /tmp/kept.log: $(jq -c 'select(.comm == "cat" and .syscall == "write")' "$WORK/$A.json")"
ok "a forked child's inherited fd shows its parent's path"

# The socket: the client's connect and write, the server's accepted fd.
jq -e -s 'map(select(.syscall == "write" and .args[1].str == "hello-sock\n" and
	(.args[0].fd_path // "" | test("^TCP:127\\.0\\.0\\.1:[0-9]+->127\\.0\\.0\\.1:18080$")))) | length == 1' "$WORK/$A.json" >/dev/null ||
	fail "the client's write does not show its endpoints: $(jq -c 'select(.syscall == "write" and .args[1].str == "hello-sock\n")' "$WORK/$A.json")"
# busybox nc listens on [::]: the accepted socket is IPv6, the client's
# address v4-mapped (strace -yy shows it so too).
jq -e -s 'map(select((.syscall == "accept" or .syscall == "accept4") and
	(.ret_fd_path // "" | test("^TCPv6:\\[::ffff:127\\.0\\.0\\.1\\]:18080->\\[::ffff:127\\.0\\.0\\.1\\]:[0-9]+$")))) | length == 1' "$WORK/$A.json" >/dev/null ||
	fail "the accepted fd does not show its endpoints: $(jq -c 'select(.syscall | test("accept"))' "$WORK/$A.json")"
grep -Eq 'write\(fd=[0-9]+<TCP:127\.0\.0\.1:[0-9]+->127\.0\.0\.1:18080>, buf="hello-sock' "$WORK/$A.txt" ||
	fail "text: the socket's write does not show <TCP:...->127.0.0.1:18080>"
ok "sockets show their endpoints (TCP:127.0.0.1:PORT->127.0.0.1:18080)"

# busybox sh's cd, then a relative redirection: the working directory
# joined; a pipe between two processes: pipe:[N] on both ends.
write_shows "$WORK/$A.json" $'rel\n' /tmp/rel.log "a write after cd /tmp to rel.log does not show /tmp/rel.log"
jq -e -s 'map(select((.syscall == "open" or .syscall == "openat") and (.args | map(.str) | index("rel.log")) and .ret_fd_path == "/tmp/rel.log")) | length == 1' \
	"$WORK/$A.json" >/dev/null || fail "the relative open of rel.log does not return /tmp/rel.log"
jq -e -s 'map(select(.syscall == "chdir" and .args[0].str == "/tmp")) | length == 1' "$WORK/$A.json" >/dev/null ||
	fail "no chdir(\"/tmp\") in the ring"
pw=$(jq -r -s 'map(select(.syscall == "write" and .args[1].str == "piped\n")) | .[0].args[0].fd_path // ""' "$WORK/$A.json")
pr=$(jq -r -s 'map(select(.comm == "cat" and .syscall == "read" and .args[0].value == 0 and .ret == 6)) | .[0].args[0].fd_path // ""' "$WORK/$A.json")
[[ "$pw" =~ ^pipe:\[[0-9]+\]$ ]] && [ "$pw" = "$pr" ] || fail "echo | cat: the writer's fd '$pw', the reader's '$pr'"
ok "cd then a relative open shows the joined path; a shell pipe is pipe:[N] on both ends"

# -y is the default's explicit form; --no-fd-paths turns it off.
# (times are compared apart: each run converts them with its own clock offset)
"$DUMP" --pin-root "$PIN_ROOT" "$A" -y --time first >"$WORK/$A.y.txt" || fail "-y failed"
"$DUMP" --pin-root "$PIN_ROOT" "$A" --time first | cmp -s - "$WORK/$A.y.txt" || fail "-y prints other than the default"
"$DUMP" --pin-root "$PIN_ROOT" "$A" --no-fd-paths >"$WORK/$A.off.txt" || fail "--no-fd-paths failed"
grep -q '</tmp/kept.log>' "$WORK/$A.off.txt" && fail "--no-fd-paths still shows paths"
grep -Eq 'write\(fd=[0-9]+, buf="last\\n"' "$WORK/$A.off.txt" || fail "--no-fd-paths: the write is not printed bare"
dump_json "$A" --no-fd-paths | jq -e -s 'map(.args[]? | select(.fd_path)) | length == 0' >/dev/null ||
	fail "--no-fd-paths: JSON still has fd_path"
ok "-y is the default; --no-fd-paths prints bare fds, in text and JSON"

# The crash file (an exit 3 leaves one) carries the table: the same
# answers once the pins are gone.
f=$(ls "$WORK"/crashes/*"$A"* 2>/dev/null | head -1)
[ -n "$f" ] || fail "no crash file for $A under $WORK/crashes"
"$DUMP" --file "$f" --json >"$WORK/$A.file.json" || fail "gadget-dump --file $f failed"
write_shows "$WORK/$A.file.json" $'last\n' /tmp/kept.log "the crash file's records do not show /tmp/kept.log"
ok "a crash file carries the fd table"

# exec, close_range, fcntl, dup3 with O_CLOEXEC: a program that runs itself.
cat >"$WORK/fdprog.c" <<'C'
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv)
{
	if (argc > 1 && argv[1][0] == 'f') { /* fill: more open fds than the table's 512 entries */
		for (int i = 0; i < 600; i++)
			open("/fdprog", O_RDONLY);
		return 0;
	}
	if (argc > 1) { /* after the exec: 5 inherited, 6 was close-on-exec */
		write(5, "exec-5\n", 7);
		write(6, "exec-6\n", 7);
		return 0;
	}
	int a = open("/tmp/keep.log", O_CREAT | O_WRONLY, 0644), b = open("/tmp/gone.log", O_CREAT | O_WRONLY, 0644);
	dup2(a, 5);
	dup3(b, 6, O_CLOEXEC);
	close(a);
	close(b);
	int c = open("/tmp/range.log", O_CREAT | O_WRONLY, 0644);
	dup2(c, 7);
	dup2(c, 8);
	close(c);
	write(8, "range-before\n", 13);
	syscall(SYS_close_range, 7, 8, 0);
	write(8, "range-after\n", 12);
	int d = fcntl(5, F_DUPFD, 20);
	write(d, "fcntl-dup\n", 10);
	pid_t p = fork();
	if (p == 0) {
		execl("/fdprog", "fdprog", "child", (char *)0);
		_exit(1);
	}
	waitpid(p, 0, 0);
	return 0;
}
C
build_static fdprog
B="og-fdprog-$$"
rc=$(run_binary "$B" fdprog)
[ "$rc" = 0 ] || fail "$B exited $rc: $(cat "$WORK/$B.stderr")"
dump_json "$B" >"$WORK/$B.json" || fail "gadget-dump $B failed"
path_of() { # the fd_path of the write of $1 ("" when none)
	jq -r -s --arg s "$1" 'map(select(.syscall == "write" and .args[1].str == $s)) | .[0].args[0].fd_path // ""' "$WORK/$B.json"
}
# The writes on closed fds are there, and failed: bare fds are the table's
# doing, not missing records.
jq -e -s 'map(select(.syscall == "write" and (.args[1].str == "range-after\n" or .args[1].str == "exec-6\n") and .errno == "EBADF")) | length == 2' \
	"$WORK/$B.json" >/dev/null || fail "the writes on closed fds are not in the ring as EBADF"
[ "$(path_of "range-before"$'\n')" = /tmp/range.log ] || fail "dup2 before close_range: '$(path_of "range-before"$'\n')'"
[ -z "$(path_of "range-after"$'\n')" ] || fail "an fd close_range closed still shows '$(path_of "range-after"$'\n')'"
[ "$(path_of "fcntl-dup"$'\n')" = /tmp/keep.log ] || fail "fcntl F_DUPFD's copy: '$(path_of "fcntl-dup"$'\n')'"
[ "$(path_of "exec-5"$'\n')" = /tmp/keep.log ] || fail "an inherited fd past the child's exec: '$(path_of "exec-5"$'\n')'"
[ -z "$(path_of "exec-6"$'\n')" ] || fail "a close-on-exec fd still shows '$(path_of "exec-6"$'\n')' after the exec"
ok "close_range closes, fcntl F_DUPFD copies, exec drops close-on-exec fds (dup3 O_CLOEXEC) and keeps the rest"

# More live fds than the table holds: counted and said, not silent.
F="og-fdfill-$$"
make_bundle "$WORK/$F" '["/fdprog", "fill"]'
cp "$WORK/fdprog" "$WORK/$F/rootfs/fdprog"
rc=$(run_container "$F" "$WORK/$F")
[ "$rc" = 0 ] || fail "$F exited $rc: $(cat "$WORK/$F.stderr")"
dump_json "$F" >/dev/null 2>"$WORK/$F.err" || fail "gadget-dump $F failed"
grep -Eq "$F: [0-9]+ fds not kept \(the fd table was full\)" "$WORK/$F.err" ||
	fail "a full table is not said: $(cat "$WORK/$F.err")"
ok "600 open fds: the table's overflow is counted and said on stderr, JSON too"

# Relative paths and anonymous fds, as strace -y shows them: the same
# program in a container and under strace on the host, under a directory
# named by its argument (/tmp in the container).
cat >"$WORK/anonprog.c" <<'C'
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>
/* A write of its own marker on each fd: the record names the fd. */
static void mark(int fd, const char *m) { write(fd, m, strlen(m)); }
int main(int argc, char **argv)
{
	int p[2], s[2];
	sigset_t set;
	char d[256];
	snprintf(d, sizeof(d), "%s/d", argc > 1 ? argv[1] : "/tmp");
	mkdir(d, 0755);
	chdir(argc > 1 ? argv[1] : "/tmp");
	mark(openat(AT_FDCWD, "d/x.txt", O_CREAT | O_WRONLY, 0644), "rel-cwd");
	chdir("d");
	mark(open("./x2.txt", O_CREAT | O_WRONLY, 0644), "rel-chdir");
	int dir = open("..", O_RDONLY | O_DIRECTORY);
	mark(openat(dir, "./z.txt", O_CREAT | O_WRONLY, 0644), "rel-dirfd");
	fchdir(dir);
	mark(open("w.txt", O_CREAT | O_WRONLY, 0644), "rel-fchdir");
	pipe(p);
	mark(p[1], "anon-pipe");
	socketpair(AF_UNIX, SOCK_STREAM, 0, s);
	mark(s[0], "anon-socketpair");
	mark(socket(AF_NETLINK, SOCK_RAW, 0), "anon-netlink");
	mark(eventfd(0, EFD_CLOEXEC), "anon-eventfd");
	mark(epoll_create1(0), "anon-epoll");
	mark(timerfd_create(CLOCK_MONOTONIC, 0), "anon-timerfd");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	mark(signalfd(-1, &set, 0), "anon-signalfd");
	mark(syscall(SYS_pidfd_open, getpid(), 0), "anon-pidfd");
	mark(memfd_create("mine", 0), "anon-memfd");
	int e = eventfd(0, 0);
	mark(dup(e), "anon-dup");
	return 0;
}
C
build_static anonprog
N="og-fdanon-$$"
run_binary_exits "$N" anonprog 0
dump_json "$N" >"$WORK/$N.json" || fail "gadget-dump $N failed"
"$DUMP" --pin-root "$PIN_ROOT" "$N" >"$WORK/$N.txt" || fail "gadget-dump $N (text) failed"
markers="rel-cwd rel-chdir rel-dirfd rel-fchdir anon-pipe anon-socketpair anon-netlink anon-eventfd anon-epoll anon-timerfd anon-signalfd anon-pidfd anon-memfd anon-dup"
# Inode numbers differ between the two runs: [N].
norm() { sed -E 's/\[[0-9]+\]/[N]/g'; }
ours() { # the fd_path of the write of marker $1 in dump $2
	jq -r -s --arg m "$1" 'map(select(.syscall == "write" and .args[1].str == $m)) | .[0].args[0].fd_path // "(none)"' "$2" | norm
}
declare -A want=(
	[rel-cwd]=/tmp/d/x.txt [rel-chdir]=/tmp/d/x2.txt [rel-dirfd]=/tmp/d/../z.txt [rel-fchdir]=/tmp/d/../w.txt
	[anon-pipe]='pipe:[N]' [anon-socketpair]='socket:[N]' [anon-netlink]='socket:[N]'
	[anon-eventfd]='anon_inode:[eventfd]' [anon-epoll]='anon_inode:[eventpoll]' [anon-timerfd]='anon_inode:[timerfd]'
	[anon-signalfd]='anon_inode:[signalfd]' [anon-pidfd]='anon_inode:[pidfd]' [anon-memfd]='/memfd:mine (deleted)'
	[anon-dup]='anon_inode:[eventfd]'
)
check_anon() { # DUMP.json: every marker's write names its fd as wanted
	for m in $markers; do
		[ "$(ours "$m" "$1")" = "${want[$m]}" ] || fail "$1: the write of $m shows '$(ours "$m" "$1")', want '${want[$m]}'"
	done
}
check_anon "$WORK/$N.json"
grep -Fq 'write(fd=3</tmp/d/x.txt>, buf="rel-cwd"' "$WORK/$N.txt" || fail "text: no write(fd=3</tmp/d/x.txt>, \"rel-cwd\"...)"
grep -Eq 'write\(fd=[0-9]+</memfd:mine>\(deleted\), buf="anon-memfd"' "$WORK/$N.txt" ||
	fail "text: the memfd is not </memfd:mine>(deleted) as strace -y prints it: $(grep anon-memfd "$WORK/$N.txt")"
grep -Eq 'openat\(dfd=AT_FDCWD</tmp>, filename="d/x.txt".*= 3</tmp/d/x.txt>' "$WORK/$N.txt" ||
	fail "text: the openat does not show AT_FDCWD</tmp> and its result as strace -y: $(grep 'd/x.txt' "$WORK/$N.txt")"
jq -e -s 'map(select(.syscall == "openat" and .args[1].str == "d/x.txt" and .args[0].decoded == "AT_FDCWD" and
	.args[0].fd_path == "/tmp")) | length == 1' "$WORK/$N.json" >/dev/null ||
	fail "JSON: openat's dfd is not AT_FDCWD with fd_path /tmp: $(jq -c 'select(.syscall == "openat" and .args[1].str == "d/x.txt")' "$WORK/$N.json")"
jq -e -s 'map(select(.syscall == "eventfd2" and .ret_fd_path == "anon_inode:[eventfd]")) | length == 2' "$WORK/$N.json" >/dev/null ||
	fail "eventfd2's returned fds are not named: $(jq -c 'select(.syscall == "eventfd2")' "$WORK/$N.json")"
ok "relative opens (cwd, chdir, dirfd, fchdir) are joined; pipes, sockets and anonymous fds show strace -y's forms"

# strace -y of the same program: the same forms (its paths resolve "..";
# ours keep it, as the component before may be a symlink).
if command -v strace >/dev/null; then
	H="$WORK/anon-host"
	mkdir -p "$H"
	strace -y -e trace=write -o "$WORK/anon.strace" "$WORK/anonprog" "$H" >/dev/null 2>&1 ||
		fail "strace -y of anonprog failed: $(tail -3 "$WORK/anon.strace")"
	for m in $markers; do
		theirs=$(grep -F "\"$m\"" "$WORK/anon.strace" | sed -E 's/^write\([0-9]+<(.*)>, ".*$/\1/; s/^write\([0-9]+<(.*)>\(deleted\), ".*$/\1 (deleted)/' | norm)
		mine=$(ours "$m" "$WORK/$N.json" | sed "s|^/tmp/|$H/|; s|/d/\.\./|/|")
		[ "$theirs" = "$mine" ] || fail "$m: strace -y shows '$theirs', the ring '$mine'"
	done
	ok "strace -y of the same program names the same fds (paths, pipe:[N], socket:[N], anon_inode:[...], /memfd:...)"
else
	echo "# strace not installed: the comparison with strace -y is left out"
fi

# The same program as an i386 process: its syscall numbers are i386's,
# and so are the ones its entries keep (OG_FDF_I386).
if gcc -static -O1 -m32 -o "$WORK/anonprog32" "$WORK/anonprog.c" 2>"$WORK/anonprog32.gcc" &&
	"$WORK/anonprog32" "$WORK/anon32-host" >/dev/null 2>&1; then
	I="og-fdanon32-$$"
	run_binary_exits "$I" anonprog32 0
	dump_json "$I" >"$WORK/$I.json" || fail "gadget-dump $I failed"
	jq -e -s 'map(select(.syscall == "eventfd2" and .arch == "i386")) | length == 2' "$WORK/$I.json" >/dev/null ||
		fail "$I: no i386 eventfd2 records"
	check_anon "$WORK/$I.json"
	ok "an i386 process: the same paths and names"
elif [ -s "$WORK/anonprog32.gcc" ]; then
	echo "# the i386 part is left out: no i386 build ($(head -1 "$WORK/anonprog32.gcc"))"
else
	echo "# the i386 part is left out: this kernel cannot execute i386 binaries"
fi
