#!/bin/bash
# Arguments decoded as strace decodes them: a static program
# (tests/data/progs/decode-calls.c) passes each decoded argument once with
# a known value; it runs in a runc container with the hook, and under
# strace -f outside. For every call both show, each value the ring decodes
# (JSON "decoded") is one of strace's arguments of that call, and every
# symbolic argument strace shows (FLAG_A|FLAG_B, NAME) is decoded here.
. "$(dirname "$0")/lib.sh"
require_runc
require_bpf
command -v strace >/dev/null || skip "strace not installed"

cp "$top_srcdir/tests/data/progs/decode-calls.c" "$WORK/decode-calls.c"
build_static decode-calls
ID="og-decode-$$"
run_binary_exits "$ID" decode-calls 0
dump_json "$ID" >"$WORK/ring.json" || fail "gadget-dump $ID failed"
(cd "$WORK" && strace -f -ff -qq -o "$WORK/st" ./decode-calls) || fail "decode-calls under strace failed"
# The main process: the file with its execve (-ff keeps each process's
# calls whole, no <unfinished ...>).
st=$(grep -l '^execve(' "$WORK"/st.* | head -1)
[ -n "$st" ] || fail "no strace output"

# The ring's calls of the main process (the one that waits), the k-th of
# each syscall numbered: "syscall k", and "syscall k decoded" per value.
main=$(jq -s -r 'map(select(.comm == "decode-calls" and .syscall == "wait4")) | .[0].pid' "$WORK/ring.json")
[ "$main" != null ] || fail "the ring has no wait4 of decode-calls"
jq -s -r --argjson p "$main" '
	map(select(.event == "syscall" and .pid == $p and .tid == $p and (.fork_child | not) and .syscall != "execve"))
	| reduce .[] as $r ({n: {}, out: []};
		.n[$r.syscall] += 1 | .out += [[$r.syscall, .n[$r.syscall], $r]])
	| .out[] | (.[0] + " " + (.[1] | tostring)),
		(.[0] as $s | .[1] as $k | .[2].args[] | select(.decoded) | $s + " " + ($k | tostring) + " " + .decoded),
		(.[0] as $s | .[1] as $k | .[2] | select(.ret_decoded) | $s + " " + ($k | tostring) + " ->" + .ret_decoded)' \
	"$WORK/ring.json" >"$WORK/ring.lines"
grep -q '^futex [0-9]* FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME$' "$WORK/ring.lines" ||
	fail "the ring does not decode the futex op: $(grep '^futex' "$WORK/ring.lines")"

# strace's calls, numbered the same way, and each top-level argument
# ("key=" of clone's named ones dropped): "syscall k argument"; what it
# shows after a return value (poll's revents): "syscall k =->that".
awk '
/^[a-z0-9_]+\(/ {
	name = substr($0, 1, index($0, "(") - 1)
	if (name == "execve") next
	k = ++n[name]
	print name, k
	s = substr($0, length(name) + 2); depth = 0; instr = 0; tok = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (instr) { tok = tok c; if (c == "\\") { tok = tok substr(s, ++i, 1) } else if (c == "\"") instr = 0; continue }
		if (c == "\"") { instr = 1; tok = tok c; continue }
		if (c == "{" || c == "[" || c == "(") depth++
		if ((c == "}" || c == "]") && depth > 0) depth--
		if (c == ")" && depth == 0) {
			emit(tok)
			rest = substr(s, i + 1)
			if (match(rest, /^ *= [0-9]+ \(/) && substr(rest, length(rest)) == ")")
				print name, k, "=->" substr(rest, RLENGTH + 1, length(rest) - RLENGTH - 1)
			break
		}
		if (c == ")") depth--
		if (c == "," && depth == 0) { emit(tok); tok = ""; i++; continue }
		tok = tok c
	}
}
function emit(t) { sub(/^[a-z_]+=/, "", t); print name, k, "=" t }' "$st" >"$WORK/strace.lines"

# What differs from run to run: addresses (a static-pie's handlers),
# clock_gettime's time and the fds made (the container's process starts
# with other fds open); the rest of each structure must be the same.
for f in ring strace; do
	sed -i -e 's/0x[0-9a-f]\{5,\}/0xADDR/g' -e '/^clock_gettime /s/[0-9]\{4,\}/N/g' \
		-e '/^\(pipe\|pipe2\|socketpair\) /s/\[[0-9]*, [0-9]*\]$/[FD, FD]/' -e '/^p\?poll /s/fd=[0-9]*/fd=FD/g' \
		-e '/^\(ppoll\|select\|pselect6\) /s/left {tv_sec=[0-9]*, tv_\(n\|u\)sec=[0-9]*}/left {tv_sec=N, tv_\1sec=N}/' \
		-e '/^\(select\|pselect6\) /s/\[[0-9][0-9 ]*\]/[FD]/g' \
		-e '/^recvmsg /s/pid=[0-9]*/pid=PID/' -e '/^\(recvmsg\|sendmsg\) /s/cmsg_data=\[[0-9]*\]/cmsg_data=[FD]/' \
		-e '/^\(wait4\|getrusage\) /s/\(tv_sec\|tv_usec\)=[0-9]*/\1=N/g' \
		-e '/^waitid /s/si_pid=[0-9]*/si_pid=PID/' -e '/^waitid /s/\(si_[us]time\)=[0-9]*\( \/\* [0-9.]* s \*\/\)\?/\1=N/g' \
		"$WORK/$f.lines"
done

checked=0 symbolic=0 structs=0
while read -r sc k rest; do
	if [ -z "$rest" ]; then
		continue
	fi
	grep -qxF "$sc $k" "$WORK/strace.lines" || continue
	grep -qxF "$sc $k =$rest" "$WORK/strace.lines" ||
		fail "$sc #$k: the ring decodes '$rest', strace shows: $(grep "^$sc $k =" "$WORK/strace.lines" | cut -d= -f2- | paste -sd' ')"
	checked=$((checked + 1))
	case "$rest" in [\[{~]*) structs=$((structs + 1)) ;; esac
done <"$WORK/ring.lines"
while read -r sc k rest; do
	case "$rest" in
	=NULL | =) continue ;;
	=[A-Z_]*) ;;
	*) continue ;;
	esac
	[[ "${rest#=}" =~ ^[A-Z_][A-Z0-9_]*(\|[A-Z0-9_]+)*$ ]] || continue
	grep -qxF "$sc $k" "$WORK/ring.lines" || continue
	grep -qxF "$sc $k ${rest#=}" "$WORK/ring.lines" ||
		fail "$sc #$k: strace shows ${rest#=}, the ring decodes: $(grep "^$sc $k " "$WORK/ring.lines" | cut -d' ' -f3- | paste -sd' ')"
	symbolic=$((symbolic + 1))
done <"$WORK/strace.lines"
[ "$checked" -ge 60 ] || fail "only $checked decoded values compared"
ok "$checked decoded values are strace's, $symbolic symbolic arguments of strace decoded alike"
# The structures of decode-calls.c (each one is a value compared above).
for want in 'wait4 [{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}]' 'wait4 [{WIFEXITED(s) && WEXITSTATUS(s) == 3}]' \
	'pipe2 [' 'socketpair [' 'pipe [' 'getsockname {sa_family=AF_UNIX, sun_path=@"d"}' 'getsockname [128 => 4]' \
	'accept {sa_family=AF_UNIX}' 'accept [128 => 2]' 'recvfrom [128 => 0]' 'clock_getres {tv_sec=0, tv_nsec=1}' \
	'nanosleep {tv_sec=0, tv_nsec=1000}' 'select {tv_sec=0, tv_usec=10}' 'clock_nanosleep {tv_sec=1, tv_nsec=0}' \
	'prlimit64 {rlim_cur=512, rlim_max=512}' 'rt_sigprocmask [TERM]' 'rt_sigprocmask [USR2]' \
	'rt_sigaction {sa_handler=0xADDR, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0xADDR}' \
	'newfstatat {st_mode=S_IFREG|0640, st_size=0, ...}' 'fstat {st_mode=S_IFREG|0640, st_size=10, ...}' \
	'newfstatat {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}' \
	'statx {stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0640, stx_size=0, ...}' \
	'writev [{iov_base="HTTP/1.1 200 OK\r\n", iov_len=17}, {iov_base="Server: x\r\n", iov_len=11}]' \
	'readv [{iov_base="HTTP/1.1 2", iov_len=10}, {iov_base="00 OK\r\nServer: x\r\n", iov_len=40}]' \
	'sendmsg {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="ab", iov_len=2}, {iov_base="cd", iov_len=2}], msg_iovlen=2, msg_controllen=0, msg_flags=0}' \
	'sendmsg {msg_name={sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, msg_namelen=16, msg_iov=[' \
	'sendmsg {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="ab", iov_len=2}], msg_iovlen=1, msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[FD]}], msg_controllen=24, msg_flags=0}' \
	'recvmsg {msg_name={sa_family=AF_UNIX, sun_path=@"f"}, msg_namelen=110 => 4, msg_iov=[{iov_base="hel", iov_len=3}, {iov_base="lo", iov_len=8}], msg_iovlen=2, msg_controllen=0, msg_flags=0}' \
	'recvmsg {msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base="ab", iov_len=8}], msg_iovlen=1, msg_control=[{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=PID, uid=0, gid=0}}, {cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[FD]}], msg_controllen=56, msg_flags=0}' \
	'epoll_ctl {events=EPOLLIN, data={u32=0, u64=0}}' 'epoll_wait [{events=EPOLLIN, data={u32=0, u64=0}}]' \
	'poll [{fd=FD, events=POLLIN}, {fd=FD, events=POLLOUT|POLLWRNORM}]' 'signalfd4 [USR2]' \
	'poll ->[{fd=FD, revents=POLLIN}, {fd=FD, revents=POLLOUT|POLLWRNORM}]' 'poll ->Timeout' \
	'ppoll ->[{fd=FD, revents=POLLIN}, {fd=FD, revents=POLLOUT|POLLWRNORM}], left {tv_sec=N, tv_nsec=N}' \
	'ppoll {tv_sec=1, tv_nsec=0}' 'select ->Timeout' 'select ->in [FD], out [FD], left {tv_sec=N, tv_usec=N}' \
	'pselect6 ->in [FD], left {tv_sec=N, tv_nsec=N}' 'pselect6 {tv_sec=1, tv_nsec=0}' \
	'wait4 {ru_utime={tv_sec=N, tv_usec=N}, ru_stime={tv_sec=N, tv_usec=N}, ...}' \
	'getrusage {ru_utime={tv_sec=N, tv_usec=N}, ru_stime={tv_sec=N, tv_usec=N}, ...}' \
	'waitid {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=PID, si_uid=0, si_status=2, si_utime=N, si_stime=N}' \
	'bind {sa_family=AF_UNIX, sun_path=@"d"}' 'connect {sa_family=AF_UNIX, sun_path=@"d"}' \
	'timerfd_settime {it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}}'; do
	sc=${want%% *}
	grep "^$sc [0-9]* " "$WORK/ring.lines" | cut -d' ' -f3- | grep -qF -- "${want#* }" ||
		fail "$sc: the ring does not decode ${want#* }: $(grep "^$sc [0-9]* " "$WORK/ring.lines" | cut -d' ' -f3- | paste -sd' ')"
done
[ "$structs" -ge 25 ] || fail "only $structs structures compared"
ok "$structs structures (wait statuses, fd pairs, sockaddrs, timespecs, rlimits, sigsets, sigactions, stat, statx, iovecs, received msghdrs, epoll and poll arrays, fd_sets, rusage; revents and time left after returns) as strace"
jq -s -e 'map(select(.syscall == "wait4") | .args[1].struct | select(.signaled) | select(.term_signal == "SIGKILL")) | length == 1' \
	"$WORK/ring.json" >/dev/null || fail "JSON: wait4's status has no structured fields"
ok "JSON: wait4's status as fields (signaled, term_signal)"

# Text shows the decoded value in place of the number.
"$DUMP" --pin-root "$PIN_ROOT" "$ID" >"$WORK/ring.txt" || fail "gadget-dump text"
grep -q 'mmap(addr=NULL, len=8192, prot=PROT_READ|PROT_WRITE, flags=MAP_PRIVATE|MAP_ANONYMOUS, fd=-1' "$WORK/ring.txt" ||
	fail "text mmap not decoded: $(grep 'mmap(' "$WORK/ring.txt" | head -3)"
ok "text: mmap(addr=NULL, len=8192, prot=PROT_READ|PROT_WRITE, flags=MAP_PRIVATE|MAP_ANONYMOUS, ...)"
grep -qF 'wait4(upid=' "$WORK/ring.txt" && grep -qF 'stat_addr=[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], options=0' "$WORK/ring.txt" ||
	fail "text wait4 status not decoded: $(grep 'wait4(' "$WORK/ring.txt")"
ok "text: wait4(..., stat_addr=[{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}], options=0, ...)"
grep -qE 'poll\(ufds=\[\{fd=[0-9]+, events=POLLIN\}, \{fd=[0-9]+, events=POLLOUT\|POLLWRNORM\}\], nfds=2, timeout_msecs=0\) = 2 \(\[\{fd=[0-9]+, revents=POLLIN\}, \{fd=[0-9]+, revents=POLLOUT\|POLLWRNORM\}\]\)' "$WORK/ring.txt" &&
	grep -qE 'poll\(ufds=\[\{fd=[0-9]+, events=POLLIN\}\], nfds=1, timeout_msecs=0\) = 0 \(Timeout\)' "$WORK/ring.txt" ||
	fail "text poll revents not shown: $(grep 'poll(' "$WORK/ring.txt")"
ok "text: poll(...) = 2 ([{fd=N, revents=POLLIN}, ...]) and = 0 (Timeout), as strace"
jq -s -e 'map(select(.syscall == "ppoll") | .ret_struct | select(.revents[0].revents == "POLLIN") | select(.left.tv_sec == 0)) | length == 1' \
	"$WORK/ring.json" >/dev/null || fail "JSON: ppoll's ret_struct: $(jq -c 'select(.syscall == "ppoll")' "$WORK/ring.json")"
ok "JSON: ppoll's revents and time left as fields (ret_struct)"
