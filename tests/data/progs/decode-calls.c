// Each integer argument og_decode names, passed once with a known value, so
// that the ring's decoding can be compared with strace's of the same
// program (tests/integration/decode-strace.sh). Results do not matter: a
// call that fails shows its arguments all the same. The structures strace
// shows are passed with values that are the same on every run (a unix
// socket's address, a limit set first, a child's end). Static, no output.
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void handler(int sig)
{
	(void)sig;
}

int main(void)
{
	const char *path = "/tmp/og-decode-file";
	char buf[64], sx[256];
	int one = 1, n, p[2], sv[2];
	socklen_t len = sizeof(n);
	struct stat st;
	struct timespec ts = {0, 0};
	struct itimerspec its = {{0, 0}, {1, 0}};
	struct epoll_event ev = {.events = EPOLLIN};
	struct sigaction sa = {.sa_handler = handler};
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	struct sockaddr_storage ss;
	socklen_t sl;
	struct sigaction old;
	struct rlimit lim = {512, 512};
	struct timeval tv = {0, 10};
	sigset_t set, tset, oset;
	struct epoll_event evs[4];
	struct pollfd pfd[2];
	uint32_t word = 0;
	unsigned long fs;
	char *m;
	pid_t pid;
	int fd, s, l;

	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(m, 4096, PROT_READ);
	madvise(m, 8192, MADV_DONTNEED);
	munmap(m, 8192);
	mmap(NULL, 4096, PROT_NONE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	umask(022);
	fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	/* 0100000: the kernel's O_LARGEFILE (glibc's is 0 on x86_64). */
	syscall(SYS_openat, AT_FDCWD, "/tmp", O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_DIRECTORY | 0100000);
	access(path, R_OK | W_OK);
	syscall(SYS_faccessat, AT_FDCWD, path, F_OK);
	syscall(SYS_newfstatat, AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW);
	syscall(SYS_statx, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0x7ff, sx);
	/* stat's window (bytes 24 to 56): a file's size and mode, a device's number. */
	write(fd, "0123456789", 10);
	syscall(SYS_fstat, fd, &st);
	syscall(SYS_newfstatat, AT_FDCWD, "/dev/null", &st, 0);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_SETFL, O_WRONLY | O_APPEND | O_NONBLOCK);
	fcntl(fd, F_DUPFD_CLOEXEC, 10);
	lseek(fd, 0, SEEK_END);
	flock(fd, LOCK_EX | LOCK_NB);
	flock(fd, LOCK_UN);
	fchmod(fd, 0600);
	mkdirat(AT_FDCWD, "/tmp/og-decode-dir", 0750);
	unlinkat(AT_FDCWD, "/tmp/og-decode-dir", AT_REMOVEDIR);
	unlinkat(AT_FDCWD, path, 0);

	pipe2(p, O_CLOEXEC | O_NONBLOCK);
	dup3(p[0], 20, O_CLOEXEC);
	ioctl(p[0], FIONREAD, &n);
	ioctl(p[0], FIONBIO, &one);
	ioctl(p[0], TCGETS, buf);
	ioctl(p[0], TIOCGWINSZ, buf);

	s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_TCP);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	getsockopt(s, SOL_SOCKET, SO_RCVBUF, &n, &len);
	socket(AF_INET6, SOCK_DGRAM, 0);
	socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	sendto(sv[0], "x", 1, MSG_DONTWAIT | MSG_NOSIGNAL, NULL, 0);
	recvfrom(sv[1], buf, 1, MSG_PEEK, NULL, NULL);
	shutdown(sv[0], SHUT_WR);
	l = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	un.sun_path[1] = 'd'; /* abstract: nothing left behind */
	bind(l, (struct sockaddr *)&un, sizeof(sa_family_t) + 2);
	listen(l, 4);
	accept4(l, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	sl = sizeof(ss);
	getsockname(l, (struct sockaddr *)&ss, &sl);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(s, (struct sockaddr *)&un, sizeof(sa_family_t) + 2);
	sl = sizeof(ss);
	getpeername(s, (struct sockaddr *)&ss, &sl);
	sl = sizeof(ss);
	accept(l, (struct sockaddr *)&ss, &sl);
	sendto(sv[1], "y", 1, MSG_NOSIGNAL, NULL, 0);
	sl = sizeof(ss);
	recvfrom(sv[0], buf, 1, 0, (struct sockaddr *)&ss, &sl);
	struct iovec mv[2] = {{"ab", 2}, {"cd", 2}};
	struct msghdr msg = {.msg_iov = mv, .msg_iovlen = 2};
	struct sockaddr_in to = {
		.sin_family = AF_INET, .sin_port = htons(9), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	sendmsg(sv[1], &msg, MSG_NOSIGNAL);
	msg.msg_name = &to;
	msg.msg_namelen = sizeof(to);
	sendmsg(socket(AF_INET, SOCK_DGRAM, 0), &msg, 0);
	/* recvmsg: the sender's address and two vectors, the first too short
	 * for the datagram... */
	struct sockaddr_un rn = {.sun_family = AF_UNIX}, sn = {.sun_family = AF_UNIX}, from;
	int dr = socket(AF_UNIX, SOCK_DGRAM, 0), ds = socket(AF_UNIX, SOCK_DGRAM, 0);
	rn.sun_path[1] = 'e';
	sn.sun_path[1] = 'f';
	bind(dr, (struct sockaddr *)&rn, sizeof(sa_family_t) + 2);
	bind(ds, (struct sockaddr *)&sn, sizeof(sa_family_t) + 2);
	sendto(ds, "hello", 5, 0, (struct sockaddr *)&rn, sizeof(sa_family_t) + 2);
	struct iovec rv[2] = {{buf, 3}, {buf + 3, 8}};
	struct msghdr rm = {.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = rv, .msg_iovlen = 2};
	recvmsg(dr, &rm, 0);
	/* ...then control messages: the sender's credentials and an fd. */
	union {
		char b[64];
		struct cmsghdr align;
	} cb = {{0}}, rcb;
	int cp[2];
	socketpair(AF_UNIX, SOCK_DGRAM, 0, cp);
	setsockopt(cp[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	struct msghdr cm = {
		.msg_iov = mv, .msg_iovlen = 1, .msg_control = cb.b, .msg_controllen = CMSG_SPACE(sizeof(int))};
	struct cmsghdr *ch = CMSG_FIRSTHDR(&cm);
	ch->cmsg_level = SOL_SOCKET;
	ch->cmsg_type = SCM_RIGHTS;
	ch->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(ch), &p[0], sizeof(int));
	sendmsg(cp[0], &cm, 0);
	rv[0] = (struct iovec){buf, 8};
	struct msghdr rm2 = {.msg_iov = rv, .msg_iovlen = 1, .msg_control = rcb.b, .msg_controllen = sizeof(rcb.b)};
	recvmsg(cp[1], &rm2, 0);
	syscall(SYS_pipe, sv);
	struct iovec iov[2] = {{"HTTP/1.1 200 OK\r\n", 17}, {"Server: x\r\n", 11}};
	writev(sv[1], iov, 2);
	iov[0] = (struct iovec){buf, 10};
	iov[1] = (struct iovec){buf + 10, 40};
	readv(sv[0], iov, 2);

	pfd[0] = (struct pollfd){.fd = p[0], .events = POLLIN};
	pfd[1] = (struct pollfd){.fd = p[1], .events = POLLOUT | POLLWRNORM};
	n = epoll_create1(EPOLL_CLOEXEC);
	epoll_ctl(n, EPOLL_CTL_ADD, p[0], &ev);
	write(p[1], "z", 1);
	epoll_wait(n, evs, 4, 0);
	poll(pfd, 2, 0);
	/* revents at exit, ppoll's time left, a timeout */
	struct timespec pt = {.tv_sec = 1};
	ppoll(pfd, 2, &pt, NULL);
	struct pollfd pw = {.fd = p[1], .events = POLLIN};
	poll(&pw, 1, 0);
	/* select's sets given and returned, the time left */
	fd_set rs, ws;
	struct timeval stv = {.tv_sec = 1};
	FD_ZERO(&rs);
	FD_ZERO(&ws);
	FD_SET(p[0], &rs);
	FD_SET(p[1], &ws);
	syscall(SYS_select, p[1] + 1, &rs, &ws, NULL, &stv);
	FD_ZERO(&rs);
	FD_SET(p[0], &rs);
	pt = (struct timespec){.tv_sec = 1}; /* ppoll left what remained */
	syscall(SYS_pselect6, p[0] + 1, &rs, NULL, NULL, &pt, NULL);
	eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	n = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	timerfd_settime(n, TFD_TIMER_ABSTIME, &its, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	n = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	inotify_add_watch(n, "/tmp", IN_CREATE | IN_DELETE);

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	syscall(SYS_clock_getres, CLOCK_BOOTTIME, &ts);
	ts.tv_sec = 0;
	ts.tv_nsec = 1000;
	syscall(SYS_nanosleep, &ts, NULL);
	syscall(SYS_select, 0, NULL, NULL, NULL, &tv);
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
	syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL,
		FUTEX_BITSET_MATCH_ANY);
	getrandom(buf, 8, GRND_NONBLOCK);

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGIO, &sa, NULL);
	sigaction(SIGUSR1, &sa, &old);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sigemptyset(&tset);
	sigaddset(&tset, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &tset, &oset);
	kill(getpid(), SIGUSR2);
	syscall(SYS_tgkill, getpid(), gettid(), SIGURG);
	prctl(PR_SET_NAME, "decode-calls");
	prctl(PR_GET_DUMPABLE);
	syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fs);
	syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &lim, NULL);
	syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, buf);
	pid = fork();
	if (pid == 0)
		_exit(0);
	wait4(pid, NULL, __WALL, NULL);
	pid = fork();
	if (pid == 0)
		_exit(3);
	wait4(pid, &n, 0, NULL);
	pid = fork();
	if (pid == 0)
		kill(getpid(), SIGKILL);
	wait4(pid, &n, 0, NULL);
	wait4(-1, NULL, WNOHANG, NULL);
	/* rusage: a waited child's (strace without -v: the two times, ...),
	 * the caller's; waitid's siginfo. */
	struct rusage ru;
	pid = fork();
	if (pid == 0)
		_exit(4);
	wait4(pid, &n, 0, &ru);
	getrusage(RUSAGE_SELF, &ru);
	siginfo_t si;
	pid = fork();
	if (pid == 0)
		_exit(2);
	waitid(P_PID, pid, &si, WEXITED);
	return 0;
}
