// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * og_unwind in a child that a hostile file can crash, hang or take over at
 * no cost but the frames' names: limits on memory and time, the files it
 * needs opened first, then every other fd closed, root dropped, no new
 * privileges and a seccomp filter; its answer comes back through a pipe
 * and is checked like any input.
 */
#include "config.h"
#include "og_unwind_isolated.h"
#include "og_unwind.h"
#include "og_util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

/* ASan's shadow memory alone is larger than any address space limit. */
#if defined(__SANITIZE_ADDRESS__)
#define OG_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OG_ASAN 1
#endif
#endif

/* What the isolated child sends back: this, then n frames. */
struct unwind_reply {
	int rc;
	size_t n;
	char why[1024];
};

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

#define NOBODY 65534
#define NOT_OPENED INT_MIN

/* The files the child reads, opened while it still may: og_unwind gets
 * them through open_preopened, in the order it asks for them. */
struct preopened {
	const struct og_unwind_input *in;
	size_t nmaps;
	int *fds; /* per mapping: an fd, -errno, or NOT_OPENED */
};

static int open_preopened(void *arg, const char *path)
{
	struct preopened *p = arg;

	for (size_t i = 0; i < p->nmaps; i++) {
		int fd = p->fds[i];

		if (fd != NOT_OPENED && p->in->maps[i].path && strcmp(p->in->maps[i].path, path) == 0) {
			p->fds[i] = NOT_OPENED;
			return fd;
		}
	}
	return -ENOENT;
}

/* Opens the files of the mappings og_unwind will want. */
static int preopen(const struct og_unwind_input *in, struct preopened *p)
{
	size_t nmaps = in->nmaps < OG_UNWIND_MAPS_MAX ? in->nmaps : OG_UNWIND_MAPS_MAX;
	cleanup_free bool *wanted = calloc(nmaps ? nmaps : 1, sizeof(*wanted));
	int r;

	p->in = in;
	p->nmaps = nmaps;
	p->fds = malloc((nmaps ? nmaps : 1) * sizeof(*p->fds));
	if (!wanted || !p->fds)
		return og_err(ENOMEM, "unwind: %zu mappings", nmaps);
	r = og_unwind_wanted(in, wanted);
	if (r < 0)
		return r;
	for (size_t i = 0; i < nmaps; i++) {
		const char *path = in->maps[i].path;

		p->fds[i] = wanted[i] && path && in->open_file ? in->open_file(in->open_arg, path) : NOT_OPENED;
	}
	return 0;
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

/* Every fd but keep (sorted) closed, stdio on /dev/null: nothing the
 * caller had open is left to a child that a file may take over. */
static void close_all_but(const int *keep, size_t n)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	unsigned next = 3;
	size_t k = 0;

	for (int std = 0; std < 3 && null >= 0; std++) {
		while (k < n && keep[k] < std)
			k++;
		if (k == n || keep[k] != std)
			dup2(null, std);
	}
	for (size_t i = 0; i < n; i++) {
		if (keep[i] < (int)next)
			continue;
		if ((unsigned)keep[i] > next)
			close_range(next, (unsigned)keep[i] - 1, 0);
		next = (unsigned)keep[i] + 1;
	}
	close_range(next, ~0U, 0);
}

/* What unwinding needs: memory, reading the files it has, writing the
 * answer, exiting, raising a signal on itself. Anything else fails with
 * EPERM rather than killing: strerror looking for a translation must not
 * end the unwind. */
static int allow_syscalls(void)
{
	static const int allowed[] = {
		SCMP_SYS(read),		SCMP_SYS(pread64),	  SCMP_SYS(write),	   SCMP_SYS(close),
		SCMP_SYS(fstat),	SCMP_SYS(newfstatat),	  SCMP_SYS(lseek),	   SCMP_SYS(mmap),
		SCMP_SYS(munmap),	SCMP_SYS(mremap),	  SCMP_SYS(mprotect),	   SCMP_SYS(madvise),
		SCMP_SYS(brk),		SCMP_SYS(futex),	  SCMP_SYS(exit),	   SCMP_SYS(exit_group),
		SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(sigaltstack),   SCMP_SYS(getpid),
		SCMP_SYS(gettid),	SCMP_SYS(sched_yield),	  SCMP_SYS(clock_gettime),
	};
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	int r = ctx ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < sizeof(allowed) / sizeof(allowed[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	/* libelf checks its fd with F_GETFD. */
	for (int cmd = F_GETFD; r == 0 && cmd <= F_GETFL; cmd++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(fcntl), 1, SCMP_A1(SCMP_CMP_EQ, cmd));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
				     SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r < 0 ? og_err(r, "unwind: seccomp filter") : 0;
}

/* Its files open, the child keeps no privilege: nobody when it was root,
 * no new privileges, only the syscalls unwinding makes. */
static int confine(const struct preopened *p, int answer_fd)
{
	cleanup_free int *keep = malloc((p->nmaps + 1) * sizeof(*keep));
	size_t n = 0;

	if (!keep)
		return og_err(ENOMEM, "unwind: confining");
	keep[n++] = answer_fd;
	for (size_t i = 0; i < p->nmaps; i++) {
		if (p->fds[i] >= 0)
			keep[n++] = p->fds[i];
	}
	qsort(keep, n, sizeof(*keep), int_cmp);
	close_all_but(keep, n);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return og_err(errno, "unwind: no_new_privs");
	if (geteuid() == 0 &&
	    (setgroups(0, NULL) < 0 || setresgid(NOBODY, NOBODY, NOBODY) < 0 || setresuid(NOBODY, NOBODY, NOBODY) < 0))
		return og_err(errno, "unwind: dropping root");
	/* A new uid clears the parent-death signal. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	return allow_syscalls();
}

/* The child: limits, its files, confinement, then the unwind, the answer
 * down fd. */
static void __attribute__((noreturn))
unwind_child(const struct og_unwind_input *in, unsigned deadline_ms, size_t max, int fd)
{
	rlim_t secs = deadline_ms / 1000 + 1;
	struct rlimit cpu = {secs, secs + 1}, none = {0, 0};
	struct unwind_reply reply = {0};
	struct og_frame *frames = calloc(max, sizeof(*frames));
	struct og_unwind_input confined = *in;
	struct preopened p = {0};
	sigset_t all;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setrlimit(RLIMIT_CPU, &cpu);
	setrlimit(RLIMIT_CORE, &none);
	setrlimit(RLIMIT_FSIZE, &none);
#ifndef OG_ASAN
	struct rlimit as = {OG_UNWIND_CHILD_AS, OG_UNWIND_CHILD_AS};

	setrlimit(RLIMIT_AS, &as);
#endif
	/* The alarm is a second deadline, in case the parent's is lost. */
	sigemptyset(&all);
	sigaddset(&all, SIGALRM);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	signal(SIGALRM, SIG_DFL);
	alarm((unsigned)secs + 1);
	confined.open_file = in->open_file ? open_preopened : NULL;
	confined.open_arg = &p;
	if (!frames)
		reply.rc = og_err(ENOMEM, "unwind: no memory for frames");
	else if ((reply.rc = preopen(in, &p)) == 0 && (reply.rc = confine(&p, fd)) == 0)
		reply.rc = og_unwind(&confined, frames, max, &reply.n, reply.why, sizeof(reply.why));
	if (reply.rc < 0)
		og_strfield(reply.why, sizeof(reply.why), og_errmsg());
	if (og_write_fd(fd, "the unwind answer", &reply, sizeof(reply)) == 0 && reply.rc == 0)
		og_write_fd(fd, "the unwind frames", frames, reply.n * sizeof(*frames));
	_exit(0);
}

/* Reads the child's answer until it is whole, EOF or the deadline. Returns
 * the bytes read. */
static size_t read_reply(int fd, char *buf, size_t size, uint64_t deadline, bool *expired)
{
	size_t got = 0;

	*expired = false;
	while (got < size) {
		uint64_t now = monotonic_ms();
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t r;

		if (now >= deadline) {
			*expired = true;
			break;
		}
		r = poll(&pfd, 1, (int)(deadline - now < 60000 ? deadline - now : 60000));
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		/* The frames announced, no more: the size is known once the
		 * header is in. */
		if (got >= sizeof(struct unwind_reply)) {
			const struct unwind_reply *h = (const void *)buf;
			size_t want = h->rc == 0 && h->n <= (size - sizeof(*h)) / sizeof(struct og_frame)
					      ? sizeof(*h) + h->n * sizeof(struct og_frame)
					      : sizeof(*h);

			if (got >= want)
				return got;
		}
	}
	return got;
}

int og_unwind_isolated(const struct og_unwind_input *in, unsigned deadline_ms, struct og_frame *frames, size_t max,
		       size_t *n, char *why, size_t why_len)
{
	struct unwind_reply reply;
	size_t size, got;
	cleanup_free char *buf = NULL;
	int p[2], status = 0, r;
	bool expired;
	pid_t pid;

	/* What is kept when the child gives no good answer. */
	r = og_unwind_first_frame(in, frames, max, n, why, why_len);
	if (r < 0)
		return r;
	if (max > OG_UNWIND_FRAMES_MAX)
		max = OG_UNWIND_FRAMES_MAX;
	size = sizeof(reply) + max * sizeof(*frames);
	buf = malloc(size);
	if (!buf)
		return og_err(ENOMEM, "unwind: reply buffer");
	if (pipe2(p, O_CLOEXEC) < 0)
		return og_err(errno, "unwind: pipe");
	pid = fork();
	if (pid < 0) {
		r = errno;
		close(p[0]);
		close(p[1]);
		return og_err(r, "unwind: fork");
	}
	if (pid == 0) {
		close(p[0]);
		unwind_child(in, deadline_ms, max, p[1]);
	}
	close(p[1]);
	got = read_reply(p[0], buf, size, monotonic_ms() + deadline_ms, &expired);
	close(p[0]);
	/* Whatever it is doing now, it is done: a child that closed its pipe
	 * could still run. */
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	memset(&reply, 0, sizeof(reply));
	if (got >= sizeof(reply)) {
		memcpy(&reply, buf, sizeof(reply));
		reply.why[sizeof(reply.why) - 1] = '\0';
		/* The child read hostile files: its answer is checked too. */
		if (reply.rc == 0 && reply.n >= 1 && reply.n <= max &&
		    got == sizeof(reply) + reply.n * sizeof(*frames)) {
			memcpy(frames, buf + sizeof(reply), reply.n * sizeof(*frames));
			for (size_t i = 0; i < reply.n; i++) {
				frames[i].text[sizeof(frames[i].text) - 1] = '\0';
				if (frames[i].how != OG_FRAME_REGS && frames[i].how != OG_FRAME_CFI)
					frames[i].how = OG_FRAME_FP;
			}
			*n = reply.n;
			og_strfield(why, why_len, reply.why);
			return 0;
		}
	}
	if (expired)
		snprintf(why, why_len, "unwinding stopped after %u ms (a huge or hostile file?): only the first frame",
			 deadline_ms);
	else if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		snprintf(why, why_len, "the unwinder died of %s (a corrupt or hostile file?): only the first frame",
			 strsignal(WTERMSIG(status)));
	else if (reply.rc < 0)
		snprintf(why, why_len, "the unwinder failed: %s: only the first frame", reply.why);
	else
		snprintf(why, why_len, "the unwinder gave no answer: only the first frame");
	return 0;
}
