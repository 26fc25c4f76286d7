// The unwinder on real crashes: a child of this test (a PIE), the same
// through qsort in libc, and a static non-PIE program, each traced to its
// SIGSEGV and snapshotted as the BPF side does (registers, 8 KiB of stack
// from rsp, the r-x file mappings), then unwound. Then snapshots cut short,
// with files that cannot be read, and garbage; and the isolated unwinder
// against an open that hangs and one that crashes.
#include "config.h"
#include "og_unwind.h"
#include "og_unwind_isolated.h"
#include "og_util.h"
#include "tap.h"
#include "crash-chain.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>

#if defined(__SANITIZE_ADDRESS__)
#define TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_SANITIZED 1
#endif
#endif

#define STACK_COPY 8192
#define MAX_MAPS 128
#define MAX_FRAMES 64

_Static_assert(offsetof(struct user_regs_struct, ss) == OG_UNWIND_SS * sizeof(uint64_t),
	       "pt_regs order is the first words of user_regs_struct");

struct snapshot {
	struct og_unwind_input in;
	uint8_t stack[STACK_COPY];
	struct og_unwind_map maps[MAX_MAPS];
	char paths[MAX_MAPS][256];
};

/* Static, not on the stack: the crashing child is forked below main, and
 * its stack must stay small enough for the copy to reach _start. */
static struct snapshot snap_pie, snap_qsort, snap_fp, snap_static, snap_hostile;
static struct og_frame frames[MAX_FRAMES], frames2[MAX_FRAMES];
static char exe[4096];

CHAIN static int cmp_crash(const void *a, const void *b)
{
	return chain_c(*(const int *)a) - *(const int *)b;
}

CHAIN static void sort_crash(void)
{
	int v[4] = {3, 1, 2, 0};

	qsort(v, 4, sizeof(v[0]), cmp_crash);
	chain_sink = v[0];
}

static int open_plain(void *arg, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	(void)arg;
	return fd < 0 ? -errno : fd;
}

/* The test binary cannot be opened, the rest can. */
static int open_not_exe(void *arg, const char *path)
{
	return strcmp(path, exe) == 0 ? -ENOENT : open_plain(arg, path);
}

/* Every mapping "is" /etc/passwd: no ELF file at all. */
static int open_passwd(void *arg, const char *path)
{
	(void)path;
	return open_plain(arg, "/etc/passwd");
}

static int open_hang(void *arg, const char *path)
{
	(void)arg, (void)path;
	sleep(3600);
	return -EINTR;
}

static int open_crash(void *arg, const char *path)
{
	(void)arg, (void)path;
	__builtin_trap();
	return -1;
}

/* The top of the stack from sp, a page at a time: the copy ends where the
 * memory does, as the BPF copy does. */
static size_t copy_stack(pid_t pid, uint64_t sp, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		uint64_t addr = sp + got;
		size_t chunk = 4096 - (addr & 4095);
		struct iovec local = {buf + got, chunk < len - got ? chunk : len - got};
		struct iovec remote = {(void *)(uintptr_t)addr, local.iov_len};

		if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != (ssize_t)local.iov_len)
			break;
		got += local.iov_len;
	}
	return got;
}

/* Not inlined into crash(), like snapshot(): the crashing child's stack
 * holds crash()'s frame, and the copy must reach _start past it. */
__attribute__((noinline)) static void read_maps(pid_t pid, struct snapshot *s)
{
	char path[64], line[4400];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && s->in.nmaps < MAX_MAPS) {
		unsigned long long start, end, off;
		char perms[8];
		int pos = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %n", &start, &end, perms, &off, &pos) < 4 || !pos ||
		    strcmp(perms, "r-xp") != 0 || line[pos] != '/')
			continue;
		line[strcspn(line, "\n")] = '\0';
		og_strfield(s->paths[s->in.nmaps], sizeof(s->paths[0]), line + pos);
		s->maps[s->in.nmaps] = (struct og_unwind_map){start, end, off, s->paths[s->in.nmaps]};
		s->in.nmaps++;
	}
	fclose(f);
}

/* Waits for the traced child's SIGSEGV (past the SIGTRAP of an exec), takes
 * the snapshot, kills it. */
__attribute__((noinline)) static int snapshot(pid_t pid, struct snapshot *s)
{
	struct user_regs_struct regs;
	int st;

	memset(s, 0, sizeof(*s));
	for (;;) {
		if (waitpid(pid, &st, 0) < 0 || !WIFSTOPPED(st))
			return -1;
		if (WSTOPSIG(st) == SIGSEGV)
			break;
		ptrace(PTRACE_CONT, pid, NULL, NULL);
	}
	if (ptrace(PTRACE_GETREGS, pid, NULL, &regs) < 0)
		return -1;
	memcpy(s->in.regs, &regs, sizeof(s->in.regs));
	s->in.stack = s->stack;
	s->in.stack_addr = regs.rsp;
	s->in.stack_len = copy_stack(pid, regs.rsp, s->stack, sizeof(s->stack));
	s->in.maps = s->maps;
	read_maps(pid, s);
	s->in.open_file = open_plain;
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return s->in.stack_len && s->in.nmaps ? 0 : -1;
}

/* mode 0: the chain; 1: the chain under qsort; 2: under fp_a; 3: exec prog
 * with arg (NULL: none). */
static int crash(int mode, const char *prog, const char *arg, struct snapshot *s)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(2);
		if (mode == 0)
			chain_a(1);
		else if (mode == 1)
			sort_crash();
		else if (mode == 2)
			fp_a(1);
		else
			execl(prog, prog, arg, (char *)NULL);
		_exit(3);
	}
	return snapshot(pid, s);
}

static void show(const struct og_frame *f, size_t n, const char *why)
{
	for (size_t i = 0; i < n; i++)
		printf("#   %2zu %-4s %s\n", i, og_frame_how_name(f[i].how), f[i].text);
	printf("#   why: '%s'\n", why);
}

/* The first frame at or after from whose text starts with prefix, or -1. */
static int find(const struct og_frame *f, size_t n, size_t from, const char *prefix)
{
	for (size_t i = from; i < n; i++) {
		if (strncmp(f[i].text, prefix, strlen(prefix)) == 0)
			return (int)i;
	}
	return -1;
}

static bool all_cfi(const struct og_frame *f, int from, int to)
{
	for (int i = from; i <= to; i++) {
		if (f[i].how != OG_FRAME_CFI)
			return false;
	}
	return to >= from;
}

/* push %rbp; mov %rsp,%rbp at the entry (after an endbr64). */
static bool has_frame_pointer(int (*fn)(int))
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)fn;

	if (p[0] == 0xf3 && p[1] == 0x0f && p[2] == 0x1e && p[3] == 0xfa)
		p += 4;
	return p[0] == 0x55 && p[1] == 0x48 && p[2] == 0x89 && p[3] == 0xe5;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The chain, then main, every frame by CFI, to the outermost frame. */
static void check_chain(const char *what, const struct snapshot *s, const char *file)
{
	char why[1024];
	size_t n = 0;
	int r, m;

	r = og_unwind(&s->in, frames, MAX_FRAMES, &n, why, sizeof(why));
	show(frames, n, why);
	ok(r == 0 && n >= 5, "%s: unwound, %zu frames", what, n);
	ok(frames[0].pc == s->in.regs[OG_UNWIND_RIP] && frames[0].how == OG_FRAME_REGS &&
		   find(frames, n, 0, "chain_c+0x") == 0 && strstr(frames[0].text, file),
	   "%s: frame 0 is the store in chain_c, from the registers (%s)", what, frames[0].text);
	ok(find(frames, n, 1, "chain_b+0x") == 1 && find(frames, n, 2, "chain_a+0x") == 2 && all_cfi(frames, 1, 2),
	   "%s: then chain_b and chain_a, by CFI", what);
	m = find(frames, n, 3, "main+0x");
	ok(m >= 3 && all_cfi(frames, 1, m), "%s: then main (frame %d), every frame by CFI", what, m);
	is_str(why, "", "%s: the walk reached the outermost frame", what);
}

static void check_qsort(const struct snapshot *s)
{
	char why[1024];
	size_t n = 0;
	int cmp, sort, libc = -1;

	ok(og_unwind(&s->in, frames, MAX_FRAMES, &n, why, sizeof(why)) == 0, "qsort: unwound, %zu frames", n);
	show(frames, n, why);
	cmp = find(frames, n, 0, "cmp_crash+0x");
	sort = find(frames, n, 0, "sort_crash+0x");
	for (int i = cmp + 1; cmp > 0 && i < sort; i++) {
		if (strstr(frames[i].text, "/libc.so.6"))
			libc = i;
	}
	ok(find(frames, n, 0, "chain_c+0x") == 0 && cmp == 1, "qsort: chain_c called by the comparator");
#ifdef TEST_SANITIZED
	/* ASan's qsort calls the comparator itself before libc's does. */
	for (int i = cmp + 1; cmp > 0 && i < sort; i++) {
		if (strstr(frames[i].text, "qsort"))
			libc = i;
	}
#endif
	ok(libc > cmp && sort > libc && all_cfi(frames, 1, sort),
	   "qsort: then libc.so.6 (frame %d), then sort_crash (frame %d), by CFI", libc, sort);
	ok(find(frames, n, sort + 1, "main+0x") > sort, "qsort: then main");
}

/* Past fp_b and fp_a, which have no CFI, by their frame pointers; a
 * return address that points nowhere ends the walk there. */
static void check_fp(const struct snapshot *s)
{
	static struct snapshot bad;
	uint64_t nowhere = 0x1234, into_fp_a = 0, word;
	char why[1024];
	size_t n = 0;
	int r, m;

	r = og_unwind(&s->in, frames, MAX_FRAMES, &n, why, sizeof(why));
	show(frames, n, why);
	ok(r == 0 && find(frames, n, 0, "chain_c+0x") == 0 && find(frames, n, 1, "fp_b+0x") == 1 &&
		   frames[1].how == OG_FRAME_CFI,
	   "no CFI: chain_c, then fp_b by chain_c's CFI");
	ok(find(frames, n, 2, "fp_a+0x") == 2 && frames[2].how == OG_FRAME_FP && frames[3].how == OG_FRAME_FP,
	   "then fp_a and its caller by frame pointers, marked so");
	m = find(frames, n, 4, "main+0x");
	ok(m >= 4 && all_cfi(frames, 4, m) && why[0] == '\0', "then CFI again, to main (frame %d) and the end", m);

	/* fp_b's return address into fp_a, where fp_b's frame pointer finds
	 * it, made to point nowhere. */
	if (n > 2)
		into_fp_a = frames[2].pc;
	bad = *s;
	bad.in.stack = bad.stack;
	bad.in.maps = bad.maps;
	for (size_t off = 0; into_fp_a && off + 8 <= bad.in.stack_len; off += 8) {
		memcpy(&word, bad.stack + off, 8);
		if (word == into_fp_a)
			memcpy(bad.stack + off, &nowhere, 8);
	}
	r = og_unwind(&bad.in, frames, MAX_FRAMES, &n, why, sizeof(why));
	ok(r == 0 && n == 2 && strstr(why, "frame pointer led to 0x1234, in no mapping"),
	   "a frame pointer to a return address in no mapping: stopped, '%s'", why);
}

static void check_cut_short(const struct snapshot *s)
{
	struct og_unwind_input in = s->in;
	char why[1024];
	size_t n = 0, whole = 0;
	int r;

	in.stack_len = 64;
	r = og_unwind(&in, frames, MAX_FRAMES, &n, why, sizeof(why));
	show(frames, n, why);
	ok(r == 0 && n >= 1 && find(frames, n, 0, "chain_c+0x") == 0 && strstr(why, "outside the stack copy"),
	   "stack copy of 64 bytes: %zu frames, then '%s'", n, why);

	in = s->in;
	in.stack_addr += 1 << 20;
	r = og_unwind(&in, frames, MAX_FRAMES, &n, why, sizeof(why));
	ok(r == 0 && n >= 1 && strstr(why, "outside the stack copy"), "a copy that is not at rsp: '%s'", why);

	in = s->in;
	r = og_unwind(&in, frames, 2, &n, why, sizeof(why));
	ok(r == 0 && n == 2 && strstr(why, "limit"), "at most max frames: %zu, '%s'", n, why);
	og_unwind(&in, frames, MAX_FRAMES, &whole, why, sizeof(why));
	r = og_unwind(&in, frames, whole, &n, why, sizeof(why));
	ok(r == 0 && n == whole && why[0] == '\0', "max just the whole stack: no limit to tell, '%s'", why);
}

static void check_unreadable(const struct snapshot *s)
{
	struct og_unwind_input in = s->in;
	char why[1024];
	size_t n = 0;
	int r;

	in.open_file = open_not_exe;
	r = og_unwind(&in, frames, MAX_FRAMES, &n, why, sizeof(why));
	show(frames, n, why);
	ok(r == 0 && n >= 1 && strstr(frames[0].text, exe) && strstr(frames[0].text, "(file offset 0x"),
	   "binary not opened: frame 0 named by file and offset (%s)", frames[0].text);
	ok(strstr(why, "could not be opened: No such file or directory") && strstr(why, exe),
	   "and why names the file and the cause: '%s'", why);

	if (access("/etc/passwd", R_OK) == 0) {
		in.open_file = open_passwd;
		r = og_unwind(&in, frames, MAX_FRAMES, &n, why, sizeof(why));
		ok(r == 0 && n >= 1 && strstr(why, "/etc/passwd") == NULL && strstr(why, "ELF"),
		   "files that are not ELF: %zu frames, '%.200s'", n, why);
	}
	in = s->in;
	in.open_file = NULL;
	r = og_unwind(&in, frames, MAX_FRAMES, &n, why, sizeof(why));
	ok(r == 0 && n >= 1 && strstr(why, "no file to read"), "no open_file: '%.120s'", why);
}

/* xorshift: reproducible garbage. */
static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A plausible-looking address: in a mapping, in the stack copy, or any. */
static uint64_t some_addr(const struct snapshot *s, uint64_t *x)
{
	const struct og_unwind_map *m = &s->maps[rnd(x) % s->in.nmaps];

	switch (rnd(x) % 4) {
	case 0: return m->start + rnd(x) % (m->end - m->start);
	case 1: return s->in.stack_addr + rnd(x) % s->in.stack_len;
	case 2: return s->in.stack_addr + (rnd(x) % (s->in.stack_len / 8)) * 8;
	}
	return rnd(x);
}

static void check_garbage(const struct snapshot *s)
{
	static struct snapshot g;
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	size_t longest = 0, fine = 0, rounds = 300;
	char why[1024];

	for (size_t round = 0; round < rounds; round++) {
		size_t n = 0;
		bool good;

		g = *s;
		g.in.stack = g.stack;
		g.in.maps = g.maps;
		for (size_t i = 0; i < OG_UNWIND_NREGS; i++)
			g.in.regs[i] = rnd(&x) % 2 ? some_addr(s, &x) : s->in.regs[i];
		/* Garbage words over the stack, half of them addresses. */
		for (size_t i = 0; i < g.in.stack_len / 8; i++) {
			if (rnd(&x) % 3 == 0) {
				uint64_t v = rnd(&x) % 2 ? some_addr(s, &x) : rnd(&x);

				memcpy(g.stack + i * 8, &v, 8);
			}
		}
		good = og_unwind(&g.in, frames, MAX_FRAMES, &n, why, sizeof(why)) == 0 && n >= 1 && n <= MAX_FRAMES &&
		       frames[0].pc == g.in.regs[OG_UNWIND_RIP];
		for (size_t i = 0; good && i < n; i++)
			good = strnlen(frames[i].text, sizeof(frames[i].text)) < sizeof(frames[i].text) &&
			       frames[i].how <= OG_FRAME_FP;
		fine += good;
		if (n > longest)
			longest = n;
	}
	ok(fine == rounds, "%zu garbage snapshots: each gives frames and returns (%zu fine, longest %zu frames)",
	   rounds, fine, longest);

	g = *s;
	g.in.stack = g.stack;
	g.in.maps = g.maps;
	g.in.regs[OG_UNWIND_CS] = 0x23;
	ok(og_unwind(&g.in, frames, MAX_FRAMES, &longest, why, sizeof(why)) == 0 && longest == 1 && strstr(why, "i386"),
	   "an i386 process: its pc only, '%s'", why);
	ok(og_unwind(&g.in, frames, 0, &longest, why, sizeof(why)) == -EINVAL && strstr(og_errmsg(), "unwind"),
	   "no room for frames: -EINVAL (%s)", og_errmsg());
}

static void check_isolated(const struct snapshot *s)
{
	struct og_unwind_input in = s->in;
	char why[1024], why2[1024];
	size_t n = 0, n2 = 0;
	struct timespec t0;
	long in_ms, isolated_ms;
	bool same;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = og_unwind(&in, frames, MAX_FRAMES, &n, why, sizeof(why));
	in_ms = elapsed_ms(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok(r == 0 && og_unwind_isolated(&in, 5000, frames2, MAX_FRAMES, &n2, why2, sizeof(why2)) == 0,
	   "isolated: unwound, %zu frames", n2);
	isolated_ms = elapsed_ms(&t0);
	printf("#   %zu frames in %ld ms in-process, %ld ms isolated\n", n, in_ms, isolated_ms);
	same = n == n2 && strcmp(why, why2) == 0;
	for (size_t i = 0; same && i < n; i++)
		same = frames[i].pc == frames2[i].pc && frames[i].how == frames2[i].how &&
		       strcmp(frames[i].text, frames2[i].text) == 0;
	ok(same, "isolated: the same frames and reason as in-process");

	in.open_file = open_hang;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = og_unwind_isolated(&in, 300, frames2, MAX_FRAMES, &n2, why2, sizeof(why2));
	ok(r == 0 && n2 == 1 && frames2[0].pc == in.regs[OG_UNWIND_RIP] && strstr(why2, "stopped after 300 ms") &&
		   elapsed_ms(&t0) < 2000,
	   "isolated, an open that hangs: stopped in %ld ms, the pc kept (%s), '%s'", elapsed_ms(&t0), frames2[0].text,
	   why2);

	in.open_file = open_crash;
	r = og_unwind_isolated(&in, 5000, frames2, MAX_FRAMES, &n2, why2, sizeof(why2));
	ok(r == 0 && n2 == 1 && strstr(why2, "died of"), "isolated, an open that crashes: '%s'", why2);
}

static void check_static(const char *prog)
{
	if (access(prog, X_OK) != 0) {
		printf("ok %d # SKIP %s not built\n", ++tap_n, prog);
		return;
	}
	ok(crash(3, prog, NULL, &snap_static) == 0, "static program traced to its SIGSEGV (%zu mappings)",
	   snap_static.in.nmaps);
	check_chain("static non-PIE", &snap_static, "unwind-prog)");
}

/* CFI whose expression loops: libdw stops evaluating it, and the walk
 * stops there with a reason, in-process and isolated alike. */
static void check_hostile(const char *prog)
{
	char why[1024], why2[1024];
	size_t n = 0, n2 = 0;
	int r;

	if (access(prog, X_OK) != 0 || crash(3, prog, "hostile", &snap_hostile) != 0) {
		printf("ok %d # SKIP %s not built or not traced\n", ++tap_n, prog);
		return;
	}
	r = og_unwind(&snap_hostile.in, frames, MAX_FRAMES, &n, why, sizeof(why));
	show(frames, n, why);
	ok(r == 0 && n == 2 && find(frames, n, 1, "hostile_cfi+0x") == 1 && strstr(why, "gives no return address"),
	   "CFI with an expression that loops: stopped there, '%s'", why);
	r = og_unwind_isolated(&snap_hostile.in, 5000, frames2, MAX_FRAMES, &n2, why2, sizeof(why2));
	ok(r == 0 && n2 == n && strcmp(why, why2) == 0, "the same isolated");
}

/* Not inlined into main: the crashing children's stacks hold main's frame,
 * which must stay small for the 8 KiB copy to reach _start (under ASan
 * every array of the checks would be in it, with its redzones). */
__attribute__((noinline)) static void check_all(void)
{
	const char *bd = getenv("top_builddir");
	char prog[4096];

#ifdef TEST_SANITIZED
	printf("ok %d # SKIP built with frame pointers (the sanitized build)\n", ++tap_n);
#else
	ok(!has_frame_pointer(chain_a) && !has_frame_pointer(chain_b) && !has_frame_pointer(chain_c),
	   "the chain has no frame pointers");
#endif
	ok(1, "children traced to their SIGSEGV (%zu bytes of stack, %zu mappings)", snap_pie.in.stack_len,
	   snap_pie.in.nmaps);
	check_chain("PIE", &snap_pie, exe);
	check_qsort(&snap_qsort);
	check_fp(&snap_fp);
	snprintf(prog, sizeof(prog), "%s/tests/unit/unwind-prog", bd ? bd : ".");
	check_static(prog);
	check_hostile(prog);
	check_cut_short(&snap_pie);
	check_unreadable(&snap_pie);
	check_garbage(&snap_pie);
	check_isolated(&snap_pie);
}

int main(void)
{
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[len > 0 ? len : 0] = '\0';
	if (crash(0, NULL, NULL, &snap_pie) != 0 || crash(1, NULL, NULL, &snap_qsort) != 0 ||
	    crash(2, NULL, NULL, &snap_fp) != 0) {
		printf("1..0 # SKIP cannot trace a crashing child here (ptrace or process_vm_readv refused)\n");
		return 77;
	}
	check_all();
	return tap_done();
}
