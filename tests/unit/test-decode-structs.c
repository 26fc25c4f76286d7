// Structures decoded as strace 6.1 shows them (og_decode_structs): each
// expected string is strace's output for the same bytes, made by a real
// program (the kernel's or glibc's own structures, not hand-laid bytes).
#define _GNU_SOURCE
#include "config.h"
#include "og_decode_structs.h"
#include "og_format.h"
#include "tap.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <signal.h>
#include <stdalign.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000 /* the kernel's (asm/signal.h), not in glibc's headers */
#endif

/* A capture: its 8 bytes, then its data. */
struct cap_buf {
	alignas(8) struct og_cap cap;
	char data[256];
};

static const struct og_cap *mk(struct cap_buf *b, uint8_t kind, const void *d, size_t len, size_t size)
{
	memset(b, 0, sizeof(*b));
	b->cap.kind = kind;
	b->cap.len = len;
	b->cap.size = size;
	memcpy(b->data, d, len);
	return &b->cap;
}

static char out[OG_STRUCT_TEXT_MAX];

/* The text of a structure the call (returning ret) left, NULL: not decoded. */
static const char *dec_ret(uint8_t fmt, const struct og_cap *c, const struct og_cap *len_cap, int64_t ret)
{
	struct og_struct_arg a = {.fmt = fmt, .cap = c, .len_cap = len_cap, .ret = ret, .returned = true};

	return og_decode_struct(&a, out, sizeof(out), NULL) ? out : NULL;
}

static const char *dec(uint8_t fmt, const struct og_cap *c)
{
	return dec_ret(fmt, c, NULL, 0);
}

static const char *json(uint8_t fmt, const struct og_cap *c, const struct og_cap *len_cap)
{
	static char j[OG_STRUCT_TEXT_MAX];
	struct og_struct_arg a = {.fmt = fmt, .cap = c, .len_cap = len_cap, .ret = 1, .returned = true};
	yajl_gen g = yajl_gen_alloc(NULL);
	const unsigned char *s;
	size_t n;
	bool ok = og_decode_struct(&a, out, sizeof(out), g);

	yajl_gen_get_buf(g, &s, &n);
	snprintf(j, sizeof(j), "%.*s", ok ? (int)n : 0, s);
	yajl_gen_free(g);
	return j;
}

static void wait_status(void)
{
	struct cap_buf b;
	int st;

	st = 3 << 8; /* _exit(3) */
	is_str(dec_ret(OG_FMT_WSTATUS, mk(&b, OG_ARG_STRUCT_OUT, &st, 4, 8), NULL, 42),
	       "[{WIFEXITED(s) && WEXITSTATUS(s) == 3}]", "wait4: an exit");
	st = SIGABRT | 0x80;
	is_str(dec_ret(OG_FMT_WSTATUS, mk(&b, OG_ARG_STRUCT_OUT, &st, 4, 8), NULL, 42),
	       "[{WIFSIGNALED(s) && WTERMSIG(s) == SIGABRT && WCOREDUMP(s)}]", "wait4: killed, core dumped");
	is_str(json(OG_FMT_WSTATUS, &b.cap, NULL),
	       "{\"signaled\":true,\"term_signal\":\"SIGABRT\",\"core_dump\":true,\"raw\":134}", "wait4: JSON fields");
	st = SIGSTOP << 8 | 0x7f;
	is_str(dec_ret(OG_FMT_WSTATUS, mk(&b, OG_ARG_STRUCT_OUT, &st, 4, 8), NULL, 42),
	       "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]", "wait4: stopped");
	st = 0xffff;
	is_str(dec_ret(OG_FMT_WSTATUS, mk(&b, OG_ARG_STRUCT_OUT, &st, 4, 8), NULL, 42), "[{WIFCONTINUED(s)}]",
	       "wait4: continued");
	ok(!dec_ret(OG_FMT_WSTATUS, &b.cap, NULL, 0) && !dec_ret(OG_FMT_WSTATUS, &b.cap, NULL, -10),
	   "wait4 that waited for no child (0, ECHILD): the address, as strace");

	siginfo_t si = {.si_signo = SIGCHLD, .si_code = CLD_EXITED};
	si.si_pid = 31168;
	si.si_status = 7;
	is_str(dec(OG_FMT_SIGINFO, mk(&b, OG_ARG_STRUCT_OUT, &si, 48, 48)),
	       "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=31168, si_uid=0, si_status=7, si_utime=0, si_stime=0}",
	       "waitid: an exit");
	si.si_utime = 1;
	si.si_stime = 123;
	is_str(dec(OG_FMT_SIGINFO, mk(&b, OG_ARG_STRUCT_OUT, &si, 48, 48)),
	       "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=31168, si_uid=0, si_status=7, si_utime=1 /* 0.01 s */, "
	       "si_stime=123 /* 1.23 s */}",
	       "waitid: times in clock ticks, seconds in a comment (strace)");
	si.si_utime = si.si_stime = 0;
	si.si_code = CLD_KILLED;
	si.si_status = SIGKILL;
	is_str(dec(OG_FMT_SIGINFO, mk(&b, OG_ARG_STRUCT_OUT, &si, 48, 48)),
	       "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=31168, si_uid=0, si_status=SIGKILL, si_utime=0, "
	       "si_stime=0}",
	       "waitid: killed");
	memset(&si, 0, sizeof(si));
	is_str(dec(OG_FMT_SIGINFO, mk(&b, OG_ARG_STRUCT_OUT, &si, 48, 48)), "{}", "waitid WNOHANG: nothing");
	si.si_signo = SIGSEGV;
	ok(!dec(OG_FMT_SIGINFO, mk(&b, OG_ARG_STRUCT_OUT, &si, 48, 48)), "siginfo: only a child's end is decoded");

	/* rusage: what getrusage left, strace's text without -v. */
	struct rusage ru;
	char want[256];

	ok(getrusage(RUSAGE_SELF, &ru) == 0, "getrusage");
	snprintf(want, sizeof(want), "{ru_utime={tv_sec=%ld, tv_usec=%ld}, ru_stime={tv_sec=%ld, tv_usec=%ld}, ...}",
		 (long)ru.ru_utime.tv_sec, (long)ru.ru_utime.tv_usec, (long)ru.ru_stime.tv_sec,
		 (long)ru.ru_stime.tv_usec);
	is_str(dec_ret(OG_FMT_RUSAGE, mk(&b, OG_ARG_STRUCT_OUT, &ru, 32, 32), NULL, 0), want,
	       "getrusage: the two times, then ...");
	is_str(dec_ret(OG_FMT_RUSAGE_CHILD, &b.cap, NULL, 42), want, "wait4: a child's rusage once it returned a pid");
	ok(!dec_ret(OG_FMT_RUSAGE_CHILD, &b.cap, NULL, 0), "wait4 WNOHANG with no child: the address (not filled)");
	ok(!dec_ret(OG_FMT_RUSAGE, mk(&b, OG_ARG_STRUCT_OUT, &ru, 16, 32), NULL, 0), "rusage cut short: the address");
}

static void fds_and_addresses(void)
{
	struct cap_buf b, l;
	int fds[2] = {3, 4};
	uint32_t lens[4] = {128, 0, 16, 0}; /* an INOUT socklen: in, then out 8 bytes further */
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(49898)};
	struct sockaddr_in6 in6 = {
		.sin6_family = AF_INET6, .sin6_port = htons(33127), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	struct sockaddr_un un = {.sun_family = AF_UNIX, .sun_path = "/tmp/structs-exp/sock"};

	is_str(dec(OG_FMT_FD_PAIR, mk(&b, OG_ARG_STRUCT_OUT, fds, 8, 8)), "[3, 4]", "pipe2: the fds");
	is_str(json(OG_FMT_FD_PAIR, &b.cap, NULL), "[3,4]", "pipe2: JSON array");

	is_str(dec(OG_FMT_SOCKLEN, mk(&l, OG_ARG_STRUCT_INOUT, lens, 12, 16)), "[128 => 16]", "socklen in and out");
	is_str(json(OG_FMT_SOCKLEN, &l.cap, NULL), "{\"in\":128,\"out\":16}", "socklen: JSON");
	is_str(dec(OG_FMT_SOCKLEN, mk(&l, OG_ARG_STRUCT_INOUT, lens, 4, 16)), "[128]", "socklen: the call failed");
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	mk(&l, OG_ARG_STRUCT_INOUT, lens, 12, 16);
	ok(!dec(OG_FMT_SOCKADDR, mk(&b, OG_ARG_STRUCT_OUT, &in, sizeof(in), 128)),
	   "a sockaddr without its socklen: not decoded");
	is_str(dec_ret(OG_FMT_SOCKADDR, &b.cap, &l.cap, 12),
	       "{sa_family=AF_INET, sin_port=htons(49898), sin_addr=inet_addr(\"127.0.0.1\")}", "accept: AF_INET peer");
	is_str(json(OG_FMT_SOCKADDR, &b.cap, &l.cap),
	       "{\"sa_family\":\"AF_INET\",\"sin_port\":49898,\"sin_addr\":\"127.0.0.1\"}", "accept: JSON fields");
	lens[2] = 28;
	mk(&l, OG_ARG_STRUCT_INOUT, lens, 12, 16);
	is_str(dec_ret(OG_FMT_SOCKADDR, mk(&b, OG_ARG_STRUCT_OUT, &in6, sizeof(in6), 128), &l.cap, 0),
	       "{sa_family=AF_INET6, sin6_port=htons(33127), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", "
	       "&sin6_addr), sin6_scope_id=0}",
	       "getsockname: AF_INET6");
	lens[2] = 24;
	mk(&l, OG_ARG_STRUCT_INOUT, lens, 12, 16);
	is_str(dec_ret(OG_FMT_SOCKADDR, mk(&b, OG_ARG_STRUCT_OUT, &un, sizeof(un), 128), &l.cap, 0),
	       "{sa_family=AF_UNIX, sun_path=\"/tmp/structs-exp/sock\"}", "getsockname: a unix path");
	lens[2] = 2;
	mk(&l, OG_ARG_STRUCT_INOUT, lens, 12, 16);
	is_str(dec_ret(OG_FMT_SOCKADDR, &b.cap, &l.cap, 16), "{sa_family=AF_UNIX}", "accept: an unnamed unix peer");
	lens[2] = 0;
	mk(&l, OG_ARG_STRUCT_INOUT, lens, 12, 16);
	ok(!dec_ret(OG_FMT_SOCKADDR, &b.cap, &l.cap, 1), "recvfrom on a stream (length 0): the address, as strace");
	is_str(dec(OG_FMT_PTR, mk(&b, OG_ARG_SOCKADDR, &in6, sizeof(in6), sizeof(in6))),
	       "{sa_family=AF_INET6, sin6_port=htons(33127), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", "
	       "&sin6_addr), sin6_scope_id=0}",
	       "connect: an input sockaddr, as long as captured");
}

static void times_limits_signals(void)
{
	struct cap_buf b;
	struct timespec ts = {0, 1000};
	struct timeval tv = {0, 500};
	uint64_t lim[2] = {8192 * 1024, UINT64_MAX}, set = 0;
	struct cap_buf sa;
	/* The kernel's struct sigaction on x86_64. */
	struct {
		uint64_t handler, flags, restorer, mask;
	} act = {0x401615, SA_RESTORER | SA_ONSTACK | SA_NODEFER | SA_SIGINFO, 0x408e70, 1ULL << (SIGHUP - 1)};

	is_str(dec(OG_FMT_TIMESPEC, mk(&b, OG_ARG_STRUCT_IN, &ts, 16, 16)), "{tv_sec=0, tv_nsec=1000}", "timespec");
	is_str(json(OG_FMT_TIMESPEC, &b.cap, NULL), "{\"tv_sec\":0,\"tv_nsec\":1000}", "timespec: JSON");
	is_str(dec(OG_FMT_TIMEVAL, mk(&b, OG_ARG_STRUCT_IN, &tv, 16, 16)), "{tv_sec=0, tv_usec=500}", "timeval");
	struct itimerspec its = {{0, 0}, {1, 0}};
	is_str(dec(OG_FMT_ITIMERSPEC, mk(&b, OG_ARG_STRUCT_IN, &its, 32, 32)),
	       "{it_interval={tv_sec=0, tv_nsec=0}, it_value={tv_sec=1, tv_nsec=0}}", "itimerspec (timerfd_settime)");
	is_str(json(OG_FMT_ITIMERSPEC, &b.cap, NULL),
	       "{\"it_interval\":{\"tv_sec\":0,\"tv_nsec\":0},\"it_value\":{\"tv_sec\":1,\"tv_nsec\":0}}",
	       "itimerspec: JSON");
	struct og_struct_arg i386 = {.fmt = OG_FMT_TIMESPEC, .cap = &b.cap, .i386 = true};
	ok(!og_decode_struct(&i386, out, sizeof(out), NULL), "an i386 timespec is not read as x86_64's");
	is_str(dec(OG_FMT_RLIMIT64, mk(&b, OG_ARG_STRUCT_OUT, lim, 16, 16)),
	       "{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}", "prlimit64: strace's *1024 and infinity");
	lim[0] = 1024;
	is_str(dec(OG_FMT_RLIMIT, mk(&b, OG_ARG_STRUCT_OUT, lim, 16, 16)), "{rlim_cur=1024, rlim_max=RLIM_INFINITY}",
	       "getrlimit");

	set = 1ULL << (SIGINT - 1) | 1ULL << (SIGTERM - 1) | 1ULL << (34 - 1);
	is_str(dec(OG_FMT_SIGSET, mk(&b, OG_ARG_STRUCT_IN, &set, 8, 8)), "[INT TERM RT_2]", "sigset");
	is_str(json(OG_FMT_SIGSET, &b.cap, NULL), "[\"SIGINT\",\"SIGTERM\",\"SIGRT_2\"]", "sigset: JSON names");
	set = ~(1ULL << (SIGINT - 1) | 1ULL << 31 | 1ULL << 32);
	is_str(dec(OG_FMT_SIGSET, mk(&b, OG_ARG_STRUCT_IN, &set, 8, 8)), "~[INT RTMIN RT_1]",
	       "sigset: more than half, as those not in it");
	set = 1ULL << (SIGIO - 1);
	is_str(dec(OG_FMT_SIGSET, mk(&b, OG_ARG_STRUCT_IN, &set, 8, 8)), "[IO]", "sigset: SIGIO, strace's name");
	set = 0;
	is_str(dec(OG_FMT_SIGSET, mk(&b, OG_ARG_STRUCT_OUT, &set, 8, 8)), "[]", "sigset: empty");

	is_str(dec(OG_FMT_SIGACTION, mk(&sa, OG_ARG_STRUCT_IN, &act, 32, 32)),
	       "{sa_handler=0x401615, sa_mask=[HUP], sa_flags=SA_RESTORER|SA_ONSTACK|SA_NODEFER|SA_SIGINFO, "
	       "sa_restorer=0x408e70}",
	       "rt_sigaction: a handler");
	is_str(json(OG_FMT_SIGACTION, &sa.cap, NULL),
	       "{\"sa_handler\":\"0x401615\",\"sa_mask\":[\"SIGHUP\"],\"sa_flags\":\"SA_RESTORER|SA_ONSTACK|SA_NODEFER|"
	       "SA_"
	       "SIGINFO\",\"sa_restorer\":\"0x408e70\"}",
	       "rt_sigaction: JSON, the mask an array");
	act.handler = 1;
	act.flags = SA_RESTORER | SA_RESTART;
	act.mask = 1ULL << (SIGPIPE - 1);
	is_str(dec(OG_FMT_SIGACTION, mk(&sa, OG_ARG_STRUCT_IN, &act, 32, 32)),
	       "{sa_handler=SIG_IGN, sa_mask=[PIPE], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x408e70}",
	       "rt_sigaction: SIG_IGN");
	memset(&act, 0, sizeof(act));
	is_str(dec(OG_FMT_SIGACTION, mk(&sa, OG_ARG_STRUCT_OUT, &act, 32, 32)),
	       "{sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}", "rt_sigaction: the default, no restorer");

	/* clone3's struct clone_args: flags, pidfd, child_tid, parent_tid,
	 * exit_signal, stack, stack_size, tls. glibc's pthread_create: */
	uint64_t ca[8] = {0x3d0f00, 0, 0x7f2c2a9ff910, 0x7f2c2a9ff910, 0, 0x7f2c2a1ff000, 0x7ffe00, 0x7f2c2a9ff640};
	is_str(dec(OG_FMT_CLONE_ARGS, mk(&sa, OG_ARG_STRUCT_IN, ca, 64, 64)),
	       "{flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|"
	       "CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f2c2a9ff910, parent_tid=0x7f2c2a9ff910, "
	       "exit_signal=0, stack=0x7f2c2a1ff000, stack_size=0x7ffe00, tls=0x7f2c2a9ff640}",
	       "clone3: a thread, as strace shows glibc's");
	uint64_t fk[8] = {0, 0, 0, 0, SIGCHLD, 0, 0, 0};
	is_str(dec(OG_FMT_CLONE_ARGS, mk(&sa, OG_ARG_STRUCT_IN, fk, 64, 64)),
	       "{flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0}", "clone3: a fork");
}

static void stat_and_refusals(void)
{
	struct cap_buf b;
	struct stat st = {.st_mode = S_IFREG | 0644, .st_size = 1301};
	struct timespec ts = {1, 0};

	is_str(dec(OG_FMT_STAT, mk(&b, OG_ARG_STRUCT_OUT, &st, 56, 56)), "{st_mode=S_IFREG|0644, st_size=1301, ...}",
	       "newfstatat: a file");
	is_str(json(OG_FMT_STAT, &b.cap, NULL), "{\"st_mode\":\"S_IFREG|0644\",\"st_size\":1301}", "stat: JSON");
	st.st_mode = S_IFCHR | 0666;
	st.st_rdev = makedev(1, 3);
	is_str(dec(OG_FMT_STAT, mk(&b, OG_ARG_STRUCT_OUT, &st, 56, 56)),
	       "{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}", "newfstatat: /dev/null");
	ok(!dec_ret(OG_FMT_STAT, &b.cap, NULL, -2), "a call that failed: the address");
	struct og_struct_arg running = {.fmt = OG_FMT_STAT, .cap = &b.cap};
	ok(!og_decode_struct(&running, out, sizeof(out), NULL), "an output before the call returned: the address");
	ok(!dec(OG_FMT_STAT, mk(&b, OG_ARG_STRUCT_OUT, &st, 40, 56)), "cut short: the address");
	/* The window rings keep now: bytes 24 to 56, the capture's count
	 * saying where they start; the whole 56 above (rings before) too. */
	mk(&b, OG_ARG_STRUCT_OUT, (const char *)&st + 24, 32, 32);
	b.cap.count = 24;
	is_str(dec(OG_FMT_STAT, &b.cap), "{st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}",
	       "newfstatat: /dev/null from a window");
	st.st_mode = S_IFREG | 0640;
	st.st_size = 4096;
	mk(&b, OG_ARG_STRUCT_OUT, (const char *)&st + 24, 32, 32);
	b.cap.count = 24;
	is_str(dec(OG_FMT_STAT, &b.cap), "{st_mode=S_IFREG|0640, st_size=4096, ...}",
	       "newfstatat: a file from a window");
	is_str(json(OG_FMT_STAT, &b.cap, NULL), "{\"st_mode\":\"S_IFREG|0640\",\"st_size\":4096}",
	       "stat from a window: JSON");
	b.cap.len = 24;
	ok(!dec(OG_FMT_STAT, &b.cap), "a window cut short: the address");
	mk(&b, OG_ARG_STRUCT_OUT, (const char *)&st + 32, 24, 24);
	b.cap.count = 32;
	ok(!dec(OG_FMT_STAT, &b.cap), "a window past st_mode: the address");
	mk(&b, OG_ARG_STRUCT_IN, &ts, 16, 16);
	b.cap.count = 8;
	ok(!dec(OG_FMT_TIMESPEC, &b.cap), "a timespec from its byte 8: the address");
	/* statx: its first 48 bytes, as strace shows them without -v. */
	struct statx sx = {.stx_mask = 0x17ff, .stx_mode = S_IFREG | 0755, .stx_size = 3};
	mk(&b, OG_ARG_STRUCT_OUT, &sx, 48, 48);
	is_str(dec(OG_FMT_STATX, &b.cap),
	       "{stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, stx_attributes=0, stx_mode=S_IFREG|0755, stx_size=3, ...}",
	       "statx: a file");
	is_str(json(OG_FMT_STATX, &b.cap, NULL),
	       "{\"stx_mask\":\"STATX_BASIC_STATS|STATX_MNT_ID\",\"stx_attributes\":\"0\",\"stx_mode\":\"S_IFREG|"
	       "0755\","
	       "\"stx_size\":3}",
	       "statx: JSON");
	sx.stx_attributes = 0x2000 | 0x20;
	sx.stx_mode = S_IFDIR | 0755;
	struct og_struct_arg i386 = {
		.fmt = OG_FMT_STATX, .cap = mk(&b, OG_ARG_STRUCT_OUT, &sx, 48, 48), .returned = true, .i386 = true};
	ok(og_decode_struct(&i386, out, sizeof(out), NULL) &&
		   strcmp(out, "{stx_mask=STATX_BASIC_STATS|STATX_MNT_ID, "
			       "stx_attributes=STATX_ATTR_APPEND|STATX_ATTR_MOUNT_ROOT, "
			       "stx_mode=S_IFDIR|0755, stx_size=3, ...}") == 0,
	   "statx: the same layout on i386, attributes by name: %s", out);
	ok(!dec(OG_FMT_STATX, mk(&b, OG_ARG_STRUCT_OUT, &sx, 40, 48)), "statx cut short: the address");
	mk(&b, OG_ARG_STRUCT_IN, &ts, 16, 16);
	b.cap.flags = OG_CAP_UNREADABLE;
	ok(!dec(OG_FMT_TIMESPEC, &b.cap), "unreadable: the address");
	b.cap.flags = OG_CAP_WITHHELD;
	ok(!dec(OG_FMT_TIMESPEC, &b.cap), "withheld: the address");
	ok(!dec(OG_FMT_HEX, mk(&b, OG_ARG_STRUCT_IN, &ts, 16, 16)) &&
		   !dec(OG_FMT_TIMESPEC, mk(&b, OG_ARG_BUF_IN, &ts, 16, 16)),
	   "not a structure's format or kind: not decoded");
	ok(!og_decode_struct(NULL, out, sizeof(out), NULL), "no capture: not decoded");
	char tiny[8];
	struct og_struct_arg a = {.fmt = OG_FMT_TIMESPEC, .cap = mk(&b, OG_ARG_STRUCT_IN, &ts, 16, 16)};
	ok(og_decode_struct(&a, tiny, sizeof(tiny), NULL) && strlen(tiny) == sizeof(tiny) - 1,
	   "a small buffer: cut, terminated");
}

/* writev's vectors as the programs lay them out: a header of (kept, len),
 * then each vector's kept bytes from an 8-byte boundary. */
static void iovecs(void)
{
	struct cap_buf b;
	char raw[200] = {};
	uint64_t hdr[4] = {17, 17, 4, 11};
	struct og_struct_arg a = {.fmt = OG_FMT_IOVEC, .cap = &b.cap};

	memcpy(raw, hdr, sizeof(hdr));
	memcpy(raw + 32, "HTTP/1.1 200 OK\r\n", 17);
	memcpy(raw + 32 + 24, "Serv", 4);
	mk(&b, OG_ARG_IOV_IN, raw, 32 + 24 + 8, 32 + 24 + 8);
	b.cap.count = 2;
	b.cap.flags = OG_CAP_TRUNCATED;
	ok(og_decode_struct(&a, out, sizeof(out), NULL), "writev: decoded");
	is_str(out, "[{iov_base=\"HTTP/1.1 200 OK\\r\\n\", iov_len=17}, {iov_base=\"Serv\"..., iov_len=11}]",
	       "writev: each vector, the one cut short as strace cuts strings");
	is_str(json(OG_FMT_IOVEC, &b.cap, NULL),
	       "[{\"iov_base\":\"HTTP/1.1 200 OK\\r\\n\",\"iov_len\":17},{\"iov_base\":\"Serv\",\"iov_len\":11}]",
	       "writev: JSON");
	b.cap.len = 32 + 24 + 2;
	ok(!og_decode_struct(&a, out, sizeof(out), NULL), "writev: a vector past the capture's end: not decoded");
	b.cap.len = 32 + 24 + 8;
	b.cap.count = OG_IOV_MAX + 1;
	ok(!og_decode_struct(&a, out, sizeof(out), NULL), "writev: more vectors than kept: not decoded");

	/* readv of 28 bytes into 10 + 40: the room kept per vector (10, 16),
	 * the bytes where the call put them. */
	uint64_t rhdr[4] = {10, 10, 16, 40};
	memset(raw, 0, sizeof(raw));
	memcpy(raw, rhdr, sizeof(rhdr));
	memcpy(raw + 32, "HTTP/1.1 2", 10);
	memcpy(raw + 32 + 16, "00 OK\r\nServer: x", 16);
	mk(&b, OG_ARG_IOV_OUT, raw, 32 + 16 + 16, 32 + 16 + 16);
	b.cap.count = 2;
	a = (struct og_struct_arg){.fmt = OG_FMT_IOVEC, .cap = &b.cap, .ret = 28, .returned = true};
	ok(og_decode_struct(&a, out, sizeof(out), NULL), "readv: decoded");
	is_str(out, "[{iov_base=\"HTTP/1.1 2\", iov_len=10}, {iov_base=\"00 OK\\r\\nServer: x\"..., iov_len=40}]",
	       "readv: the returned bytes vector by vector, the second cut at its room");
	a.ret = 4;
	ok(og_decode_struct(&a, out, sizeof(out), NULL), "readv of 4 bytes: decoded");
	is_str(out, "[{iov_base=\"HTTP\", iov_len=10}, {iov_base=\"\", iov_len=40}]",
	       "readv of 4 bytes: the second vector empty");
	a.ret = -11;
	ok(!og_decode_struct(&a, out, sizeof(out), NULL), "readv that failed: the address");
}

/* epoll_event and pollfd, alone and in arrays (og_cap.count: the
 * element's size, as the programs write it). */
static void events(void)
{
	struct cap_buf b;
	struct epoll_event ev[3] = {{.events = EPOLLIN | EPOLLET, .data.u64 = 7},
				    {.events = EPOLLOUT | EPOLLRDHUP | 0x800, .data.u64 = 1ULL << 32 | 5}};
	struct pollfd pf[2] = {{3, POLLIN, 0}, {4, 0, 0}};

	is_str(dec(OG_FMT_EPOLL_EVENT, mk(&b, OG_ARG_STRUCT_IN, ev, 12, 16)),
	       "{events=EPOLLIN|EPOLLET, data={u32=7, u64=7}}", "epoll_ctl: an event");
	ok(!dec_ret(OG_FMT_EPOLL_EVENT, mk(&b, OG_ARG_ARRAY_OUT, ev, 24, 36), NULL, 2),
	   "an array needs its element's size");
	b.cap.count = sizeof(struct epoll_event);
	is_str(dec_ret(OG_FMT_EPOLL_EVENT, &b.cap, NULL, 2),
	       "[{events=EPOLLIN|EPOLLET, data={u32=7, u64=7}}, {events=EPOLLOUT|EPOLLRDHUP|0x800, data={u32=5, "
	       "u64=4294967301}}]",
	       "epoll_wait: the events returned, unknown bits in hex");
	is_str(json(OG_FMT_EPOLL_EVENT, mk(&b, OG_ARG_ARRAY_OUT, ev, 12, 36), NULL), "",
	       "JSON: the element's size is checked too");
	b.cap.count = 12;
	is_str(json(OG_FMT_EPOLL_EVENT, &b.cap, NULL),
	       "[{\"events\":\"EPOLLIN|EPOLLET\",\"data\":{\"u32\":7,\"u64\":7}}]", "epoll_wait: JSON");
	b.cap.len = 0;
	is_str(dec_ret(OG_FMT_EPOLL_EVENT, &b.cap, NULL, 0), "[]", "epoll_wait that timed out: []");
	ok(!dec_ret(OG_FMT_EPOLL_EVENT, &b.cap, NULL, -4), "epoll_wait interrupted: the address");
	mk(&b, OG_ARG_ARRAY_IN, pf, 16, 16);
	b.cap.count = 8;
	b.cap.flags = OG_CAP_TRUNCATED;
	is_str(dec(OG_FMT_POLLFD, &b.cap), "[{fd=3, events=POLLIN}, {fd=4, events=0}, ...]",
	       "poll: the requests, more than kept");
}

/* poll's pollfds as the programs keep them (a value-result capture): the
 * requests, then, from the 8-byte aligned half, the array poll left. */
static const char *poll_ret(const struct og_cap *c, uint8_t fmt, int64_t ret, bool returned, yajl_gen g)
{
	struct og_struct_arg a = {.fmt = fmt, .cap = c, .ret = ret, .returned = returned};

	return og_decode_struct_returned(&a, out, sizeof(out), g) ? out : NULL;
}

static void poll_results(void)
{
	struct cap_buf b;
	int p[2];
	struct pollfd pf[3], before[3];
	char raw[48] = {}, want[256];
	struct timespec ts[2] = {{.tv_sec = 1}, {.tv_sec = 0, .tv_nsec = 999}};
	yajl_gen g;
	const unsigned char *js;
	size_t n;

	if (pipe(p) < 0 || write(p[1], "z", 1) != 1) {
		ok(false, "pipe");
		return;
	}
	pf[0] = (struct pollfd){.fd = p[0], .events = POLLIN};
	pf[1] = (struct pollfd){.fd = p[1], .events = POLLOUT | POLLWRNORM};
	pf[2] = (struct pollfd){.fd = p[0], .events = POLLPRI};
	memcpy(before, pf, sizeof(pf));
	ok(poll(pf, 3, 0) == 2, "poll: two of three ready");
	memcpy(raw, before, 24);
	memcpy(raw + 24, pf, 24);
	mk(&b, OG_ARG_STRUCT_INOUT, raw, 48, 48);
	b.cap.count = 8;
	snprintf(want, sizeof(want),
		 "[{fd=%d, events=POLLIN}, {fd=%d, events=POLLOUT|POLLWRNORM}, {fd=%d, events=POLLPRI}]", p[0], p[1],
		 p[0]);
	is_str(dec_ret(OG_FMT_POLLFD_INOUT, &b.cap, NULL, 2), want, "poll: the requests, from the first half");
	snprintf(want, sizeof(want), "[{fd=%d, revents=POLLIN}, {fd=%d, revents=POLLOUT|POLLWRNORM}]", p[0], p[1]);
	is_str(poll_ret(&b.cap, OG_FMT_POLLFD_INOUT, 2, true, NULL), want, "poll: strace's revents after the return");
	g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	poll_ret(&b.cap, OG_FMT_POLLFD_INOUT, 2, true, g);
	yajl_gen_map_close(g);
	yajl_gen_get_buf(g, &js, &n);
	snprintf(want, sizeof(want),
		 "{\"revents\":[{\"fd\":%d,\"revents\":\"POLLIN\"},{\"fd\":%d,\"revents\":\"POLLOUT|POLLWRNORM\"}]}",
		 p[0], p[1]);
	is_str((const char *)js, want, "poll: JSON revents");
	yajl_gen_free(g);
	ok(!poll_ret(&b.cap, OG_FMT_POLLFD_INOUT, 2, false, NULL) &&
		   !poll_ret(&b.cap, OG_FMT_POLLFD_INOUT, -4, true, NULL),
	   "poll not returned, or failed: nothing after the return");
	b.cap.len = 24;
	ok(!poll_ret(&b.cap, OG_FMT_POLLFD_INOUT, 2, true, NULL), "poll: second half not filled: no revents");
	ok(!poll_ret(&b.cap, OG_FMT_POLLFD, 2, true, NULL), "an input pollfd array: nothing after the return");
	b.cap.len = 48;
	is_str(poll_ret(&b.cap, OG_FMT_POLLFD_INOUT, 0, true, NULL), "Timeout", "poll: 0 is strace's Timeout");
	b.cap.flags = OG_CAP_TRUNCATED;
	snprintf(want, sizeof(want), "[{fd=%d, revents=POLLIN}, {fd=%d, revents=POLLOUT|POLLWRNORM}, ...]", p[0], p[1]);
	is_str(poll_ret(&b.cap, OG_FMT_POLLFD_INOUT, 9, true, NULL), want, "poll: more fds than kept");
	b.cap.count = 12;
	ok(!dec_ret(OG_FMT_POLLFD_INOUT, &b.cap, NULL, 2), "poll: elements not of 8 bytes refused");
	/* ppoll's timeout, read at enter and at exit. */
	mk(&b, OG_ARG_STRUCT_INOUT, ts, 32, 32);
	is_str(dec_ret(OG_FMT_TIMESPEC, &b.cap, NULL, 1), "{tv_sec=1, tv_nsec=0}", "ppoll: the timeout given");
	is_str(poll_ret(&b.cap, OG_FMT_TIMESPEC, 1, true, NULL), "left {tv_sec=0, tv_nsec=999}",
	       "ppoll: the time left");
	is_str(poll_ret(&b.cap, OG_FMT_TIMESPEC, 0, true, NULL), "Timeout", "ppoll timed out: Timeout, no time left");
	ok(!poll_ret(mk(&b, OG_ARG_STRUCT_IN, ts, 16, 16), OG_FMT_TIMESPEC, 1, true, NULL),
	   "a timeout read at enter only: nothing after the return");

	/* select's fd_sets: what select left of real ones. */
	fd_set sets[2][2];
	struct timeval tv[2] = {{.tv_sec = 1}, {0}};

	if (write(p[1], "z", 1) != 1)
		ok(false, "write");
	FD_ZERO(&sets[0][0]);
	FD_ZERO(&sets[0][1]);
	FD_SET(p[0], &sets[0][0]);
	FD_SET(p[1], &sets[0][0]);
	FD_SET(p[1], &sets[0][1]);
	memcpy(sets[1], sets[0], sizeof(sets[0]));
	ok(select(p[1] + 1, &sets[1][0], &sets[1][1], NULL, &tv[1]) == 2, "select: two ready");
	char fs[32];
	memcpy(fs, &sets[0][0], 8);
	memcpy(fs + 8, &sets[1][0], 8);
	mk(&b, OG_ARG_STRUCT_INOUT, fs, 16, 16);
	b.cap.count = 8;
	b.cap.arg = 1;
	snprintf(want, sizeof(want), "[%d %d]", p[0], p[1]);
	is_str(dec_ret(OG_FMT_FDSET_INOUT, &b.cap, NULL, 2), want, "select: the set given, strace's [3 4]");
	snprintf(want, sizeof(want), "in [%d]", p[0]);
	is_str(poll_ret(&b.cap, OG_FMT_FDSET_INOUT, 2, true, NULL), want, "select: the readable set returned");
	memcpy(fs, &sets[0][1], 8);
	memcpy(fs + 8, &sets[1][1], 8);
	mk(&b, OG_ARG_STRUCT_INOUT, fs, 16, 16);
	b.cap.count = 8;
	b.cap.arg = 2;
	snprintf(want, sizeof(want), "out [%d]", p[1]);
	is_str(poll_ret(&b.cap, OG_FMT_FDSET_INOUT, 2, true, NULL), want, "select: the writable set returned");
	memset(b.data + 8, 0, 8);
	ok(!poll_ret(&b.cap, OG_FMT_FDSET_INOUT, 1, true, NULL), "select: an empty set returned is not shown");
	is_str(poll_ret(&b.cap, OG_FMT_FDSET_INOUT, 0, true, NULL), "Timeout", "select: 0 is Timeout");
	b.cap.len = 8;
	ok(!poll_ret(&b.cap, OG_FMT_FDSET_INOUT, 1, true, NULL), "select: set not returned (room only): nothing");
	mk(&b, OG_ARG_STRUCT_INOUT, (struct timeval[]){{.tv_sec = 1}, {.tv_usec = 999}}, 32, 32);
	is_str(poll_ret(&b.cap, OG_FMT_TIMEVAL, 2, true, NULL), "left {tv_sec=0, tv_usec=999}",
	       "select: the time left");
	close(p[0]);
	close(p[1]);
}

/* sendmsg's two vectors ("ab", "cd") as writev's from vec_at on, the
 * capture ending after them. */
static void sendmsg_vectors(struct cap_buf *b, char *raw, size_t vec_at)
{
	uint64_t hdr[4] = {2, 2, 2, 2};

	memcpy(raw + vec_at, hdr, sizeof(hdr));
	memcpy(raw + vec_at + 32, "ab", 2);
	memcpy(raw + vec_at + 40, "cd", 2);
	mk(b, OG_ARG_MSGHDR_IN, raw, vec_at + 48, vec_at + 48);
	b->cap.count = 2;
}

/* sendmsg's msghdr as the programs lay it out: the msghdr, 8 bytes of
 * rooms, the address, the control messages, then the vectors. */
static void msghdrs(void)
{
	struct cap_buf b;
	char raw[256] = {};
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9)};
	struct msghdr m = {.msg_name = &to, .msg_namelen = sizeof(to), .msg_iovlen = 2};
	struct og_struct_arg a = {.fmt = OG_FMT_MSGHDR, .cap = &b.cap};

	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	memcpy(raw, &m, sizeof(m));
	memcpy(raw + 64, &to, sizeof(to));
	sendmsg_vectors(&b, raw, 80);
	ok(og_decode_struct(&a, out, sizeof(out), NULL), "sendmsg: decoded");
	is_str(out,
	       "{msg_name={sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(\"127.0.0.1\")}, msg_namelen=16, "
	       "msg_iov=[{iov_base=\"ab\", iov_len=2}, {iov_base=\"cd\", iov_len=2}], msg_iovlen=2, msg_controllen=0, "
	       "msg_flags=0}",
	       "sendmsg: strace's text");
	m.msg_controllen = 24;
	m.msg_control = raw; /* any address: the bytes are the ring's */
	memcpy(raw, &m, sizeof(m));
	mk(&b, OG_ARG_MSGHDR_IN, raw, 128, 128);
	b.cap.count = 2;
	ok(!og_decode_struct(&a, out, sizeof(out), NULL),
	   "sendmsg with control messages, rooms not kept (an older ring): not decoded");
	/* Kept: the rooms after the msghdr, the control message after the
	 * address, then the vectors. */
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} cb = {{0}};
	struct og_msg_out mo = {.namelen_in = sizeof(to), .name_room = 16, .control_room = 24};
	struct msghdr cm = {.msg_control = cb.b, .msg_controllen = sizeof(cb.b)};
	struct cmsghdr *ch = CMSG_FIRSTHDR(&cm);
	int fd = 7;

	ch->cmsg_level = SOL_SOCKET;
	ch->cmsg_type = SCM_RIGHTS;
	ch->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(ch), &fd, sizeof(fd));
	memcpy(raw + OG_MSGHDR_SIZE, &mo, sizeof(mo));
	memcpy(raw + 80, cb.b, sizeof(cb.b));
	sendmsg_vectors(&b, raw, 104);
	ok(og_decode_struct(&a, out, sizeof(out), NULL), "sendmsg with an fd: decoded");
	is_str(out,
	       "{msg_name={sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr(\"127.0.0.1\")}, msg_namelen=16, "
	       "msg_iov=[{iov_base=\"ab\", iov_len=2}, {iov_base=\"cd\", iov_len=2}], msg_iovlen=2, "
	       "msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[7]}], "
	       "msg_controllen=24, msg_flags=0}",
	       "sendmsg: strace's text with its control message");
	m.msg_controllen = 0;
	m.msg_iovlen = 3;
	memcpy(raw, &m, sizeof(m));
	mk(&b, OG_ARG_MSGHDR_IN, raw, 128, 128);
	b.cap.count = 2;
	ok(!og_decode_struct(&a, out, sizeof(out), NULL), "sendmsg: vectors kept that msg_iovlen does not count");
}

/* recvmsg's capture as the programs lay it out (og_format.h, struct
 * og_msg_out) around what a real recvmsg left: the msghdr, the rooms, the
 * address, the control messages, then the vectors as readv's. */
static size_t msg_out_capture(char *raw, const struct msghdr *m, uint32_t namelen_in, uint16_t name_room,
			      uint16_t control_room, const char *bytes, size_t n)
{
	struct og_msg_out mo = {.namelen_in = namelen_in, .name_room = name_room, .control_room = control_room};
	size_t at = OG_MSGHDR_SIZE + 8;
	uint64_t hdr[2] = {8, m->msg_iov[0].iov_len};

	memset(raw, 0, 256);
	memcpy(raw, m, sizeof(*m));
	memcpy(raw + OG_MSGHDR_SIZE, &mo, sizeof(mo));
	if (m->msg_name)
		memcpy(raw + at, m->msg_name, m->msg_namelen < name_room ? m->msg_namelen : name_room);
	at += name_room;
	if (m->msg_control)
		memcpy(raw + at, m->msg_control, m->msg_controllen < control_room ? m->msg_controllen : control_room);
	at += control_room;
	memcpy(raw + at, hdr, sizeof(hdr));
	memcpy(raw + at + sizeof(hdr), bytes, n);
	return at + sizeof(hdr) + 8;
}

static void received_msghdrs(void)
{
	struct cap_buf b;
	char raw[256], data[8] = {}, want[512];
	union {
		char b[64];
		struct cmsghdr align;
	} cb = {{0}}, rcb = {{0}};
	struct iovec v = {"ab", 2}, rv = {data, sizeof(data)};
	struct msghdr sm = {
		.msg_iov = &v, .msg_iovlen = 1, .msg_control = cb.b, .msg_controllen = CMSG_SPACE(sizeof(int))};
	struct msghdr rm = {.msg_iov = &rv, .msg_iovlen = 1, .msg_control = rcb.b, .msg_controllen = sizeof(rcb.b)};
	struct og_struct_arg a = {.fmt = OG_FMT_MSGHDR_OUT, .cap = &b.cap, .ret = 2, .returned = true};
	struct cmsghdr *ch = CMSG_FIRSTHDR(&sm);
	int sv[2], one = 1, fd = 0, got;
	size_t len;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) < 0 ||
	    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one))) {
		ok(false, "socketpair");
		return;
	}
	ch->cmsg_level = SOL_SOCKET;
	ch->cmsg_type = SCM_RIGHTS;
	ch->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(ch), &fd, sizeof(fd));
	got = sendmsg(sv[0], &sm, 0) == 2 && recvmsg(sv[1], &rm, 0) == 2;
	ok(got && rm.msg_controllen == 56, "recvmsg: credentials and an fd received");
	ch = CMSG_NXTHDR(&rm, CMSG_FIRSTHDR(&rm));
	memcpy(&fd, CMSG_DATA(ch), sizeof(fd));
	snprintf(want, sizeof(want),
		 "{msg_name=NULL, msg_namelen=0, msg_iov=[{iov_base=\"ab\", iov_len=8}], msg_iovlen=1, "
		 "msg_control=[{cmsg_len=28, cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS, cmsg_data={pid=%d, "
		 "uid=%u, gid=%u}}, {cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[%d]}], "
		 "msg_controllen=56, msg_flags=0}",
		 (int)getpid(), (unsigned)getuid(), (unsigned)getgid(), fd);
	len = msg_out_capture(raw, &rm, 0, 0, 64, data, 2);
	mk(&b, OG_ARG_MSGHDR_IN, raw, len, len);
	b.cap.count = 1;
	ok(og_decode_struct(&a, out, sizeof(out), NULL), "recvmsg: decoded");
	is_str(out, want, "recvmsg: strace's text, control messages decoded");
	/* Room for the first message and part of the second: strace's "...". */
	len = msg_out_capture(raw, &rm, 0, 0, 40, data, 2);
	mk(&b, OG_ARG_MSGHDR_IN, raw, len, len);
	b.cap.count = 1;
	ok(og_decode_struct(&a, out, sizeof(out), NULL) && strstr(out, "}}, ...], msg_controllen=56"),
	   "recvmsg: control messages cut short end in ...");
	/* A cmsg_len past any room (wrapping when rounded): one message. */
	len = msg_out_capture(raw, &rm, 0, 0, 64, data, 2);
	memcpy(raw + OG_MSGHDR_SIZE + 8, &(uint64_t){0xfffffffffffffffcULL}, 8);
	mk(&b, OG_ARG_MSGHDR_IN, raw, len, len);
	b.cap.count = 1;
	ok(og_decode_struct(&a, out, sizeof(out), NULL) && strstr(out, "}}], msg_controllen=56"),
	   "recvmsg: a huge cmsg_len ends the walk");
	a.ret = -11;
	ok(!og_decode_struct(&a, out, sizeof(out), NULL), "recvmsg failed: the address");
	a.ret = 2;
	b.cap.len = 0;
	ok(!og_decode_struct(&a, out, sizeof(out), NULL), "recvmsg not filled (room only): the address");
	len = msg_out_capture(raw, &rm, 0, 0, 44, data, 2);
	mk(&b, OG_ARG_MSGHDR_IN, raw, len, len);
	b.cap.count = 1;
	ok(!og_decode_struct(&a, out, sizeof(out), NULL), "recvmsg: a room not of 8-byte multiples is refused");
	close(sv[0]);
	close(sv[1]);

	/* The sender's address: the length given and the one returned. */
	struct sockaddr_un from = {}, to = {.sun_family = AF_UNIX}, me = {.sun_family = AF_UNIX};
	int r = socket(AF_UNIX, SOCK_DGRAM, 0), s = socket(AF_UNIX, SOCK_DGRAM, 0);
	int n = snprintf(me.sun_path + 1, sizeof(me.sun_path) - 1, "og-test-s%d", (int)getpid());
	socklen_t sl = sizeof(sa_family_t) + 1 + n;

	snprintf(to.sun_path + 1, sizeof(to.sun_path) - 1, "og-test-r%d", (int)getpid());
	rm = (struct msghdr){.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &rv, .msg_iovlen = 1};
	got = bind(r, (struct sockaddr *)&to, sl) == 0 && bind(s, (struct sockaddr *)&me, sl) == 0 &&
	      sendto(s, "ab", 2, 0, (struct sockaddr *)&to, sl) == 2 && recvmsg(r, &rm, 0) == 2;
	ok(got && rm.msg_namelen == sl, "recvmsg: an address received");
	len = msg_out_capture(raw, &rm, sizeof(from), 112, 0, data, 2);
	mk(&b, OG_ARG_MSGHDR_IN, raw, len, len);
	b.cap.count = 1;
	ok(og_decode_struct(&a, out, sizeof(out), NULL), "recvmsg with an address: decoded");
	snprintf(want, sizeof(want),
		 "{msg_name={sa_family=AF_UNIX, sun_path=@\"%s\"}, msg_namelen=110 => %u, "
		 "msg_iov=[{iov_base=\"ab\", iov_len=8}], msg_iovlen=1, msg_controllen=0, msg_flags=0}",
		 me.sun_path + 1, (unsigned)sl);
	is_str(out, want, "recvmsg: strace's text, namelen given => returned");
	close(r);
	close(s);
}

int main(void)
{
	wait_status();
	fds_and_addresses();
	times_limits_signals();
	stat_and_refusals();
	iovecs();
	events();
	msghdrs();
	received_msghdrs();
	poll_results();
	return tap_done();
}
