// The syscall microbenchmark: N calls of one syscall, ns per call.
// Usage: syscall-loop read|getppid|openat|server N [RATE]   (prints "<ns per call>")
// RATE: calls per second, in batches every millisecond (bench/follow-throughput).
// openat opens a library-like path that does not exist: a loop of nothing
// but openat, each with a 38-byte path (bench/ring-depth). server is a
// server-shaped request, ten syscalls (issue 23): open, stat, read 512 B,
// write 512 B, close, four rt_sigaction and a futex; N requests.
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Sleeps until the millisecond batch i of a paced loop is due. */
static void pace(struct timespec *start, long i)
{
	struct timespec due = *start;

	due.tv_sec += i / 1000;
	due.tv_nsec += (i % 1000) * 1000000L;
	if (due.tv_nsec >= 1000000000L) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000L;
	}
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL);
}

/* One server-shaped request: a file opened, looked at, read and answered,
 * the signal dispositions reset, a waiter woken. */
static int serve(const char *path, int out)
{
	static int futex_word;
	struct sigaction sa = {.sa_handler = SIG_DFL};
	static const int sigs[4] = {SIGPIPE, SIGCHLD, SIGUSR1, SIGTERM};
	char buf[512];
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || stat(path, &st) < 0 || read(fd, buf, sizeof(buf)) != sizeof(buf) ||
	    write(out, buf, sizeof(buf)) != sizeof(buf) || close(fd) < 0)
		return -1;
	for (int i = 0; i < 4; i++)
		if (sigaction(sigs[i], &sa, NULL) < 0)
			return -1;
	return syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) < 0 ? -1 : 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static const char missing[] = "/usr/lib/x86_64-linux-gnu/libog-0.so.1";
	char buf[64];
	long n;
	int fd;
	double t0, t1;

	long rate = argc == 4 ? atol(argv[3]) : 0;
	struct timespec start;

	if (argc < 3 || argc > 4 || (argc == 4 && rate < 1000) ||
	    (strcmp(argv[1], "read") && strcmp(argv[1], "getppid") && strcmp(argv[1], "openat") &&
	     strcmp(argv[1], "server"))) {
		fprintf(stderr, "usage: %s read|getppid|openat|server N [RATE >= 1000]\n", argv[0]);
		return 2;
	}
	n = atol(argv[2]);
	fd = open("/dev/zero", O_RDONLY);
	if (fd < 0) {
		perror("/dev/zero");
		return 1;
	}
	t0 = now_ns();
	if (rate) {
		long batch = rate / 1000;

		clock_gettime(CLOCK_MONOTONIC, &start);
		for (long i = 0, b = 0; i < n; b++) {
			pace(&start, b);
			for (long k = 0; k < batch && i < n; k++, i++)
				getppid();
		}
	} else if (strcmp(argv[1], "read") == 0) {
		for (long i = 0; i < n; i++)
			if (read(fd, buf, sizeof(buf)) != sizeof(buf))
				return 1;
	} else if (strcmp(argv[1], "server") == 0) {
		/* The page it serves: 4 KiB from /dev/zero's bytes, made once. */
		static const char page[] = "/tmp/og-server-page";
		static char zero[4096];
		int out = open("/dev/null", O_WRONLY), pf = open(page, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (out < 0 || pf < 0 || write(pf, zero, sizeof(zero)) != sizeof(zero) || close(pf) < 0) {
			perror(page);
			return 1;
		}
		t0 = now_ns();
		for (long i = 0; i < n; i++)
			if (serve(page, out) < 0) {
				perror("server request");
				return 1;
			}
	} else if (strcmp(argv[1], "openat") == 0) {
		for (long i = 0; i < n; i++)
			if (openat(AT_FDCWD, missing, O_RDONLY) >= 0)
				return 1;
	} else {
		for (long i = 0; i < n; i++)
			getppid();
	}
	t1 = now_ns();
	printf("%.1f\n", (t1 - t0) / n);
	return 0;
}
