/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * http-load HOST PORT PATH COUNT RATE: COUNT HTTP/1.0 GETs of PATH, one
 * connection each (what a client without keep-alive does), one at a time,
 * paced at RATE requests per second (0: as fast as the server answers).
 * Prints "ok failed seconds": requests answered with a 200, the others,
 * and the wall time taken. A load generator for bench/ring-depth-services,
 * small enough that its own cost does not shape the server's.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One request; 0 when the server answered 200, -1 otherwise. */
static int get(const struct sockaddr_in *sa, const char *req, size_t req_len)
{
	char buf[4096];
	size_t got = 0;
	ssize_t n;
	int fd, ok;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 || write(fd, req, req_len) != (ssize_t)req_len) {
		close(fd);
		return -1;
	}
	/* The status line is in the first read; drain the rest to EOF. */
	while ((n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0) {
		got += n;
		if (got == sizeof(buf) - 1)
			break;
	}
	buf[got] = 0;
	ok = strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 8, " 200", 4) == 0;
	while (n > 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	char req[512];
	long count, ok = 0, failed = 0;
	double rate, start, next;
	int len;

	if (argc != 6) {
		fprintf(stderr, "usage: %s HOST PORT PATH COUNT RATE\n", argv[0]);
		return 2;
	}
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "http-load: %s: not an IPv4 address\n", argv[1]);
		return 2;
	}
	sa.sin_port = htons(atoi(argv[2]));
	count = atol(argv[4]);
	rate = atof(argv[5]);
	len = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: http-load\r\n\r\n", argv[3],
		       argv[1]);
	if (len < 0 || (size_t)len >= sizeof(req)) {
		fprintf(stderr, "http-load: %s: path too long\n", argv[3]);
		return 2;
	}
	start = next = now();
	for (long i = 0; i < count; i++) {
		if (rate > 0) {
			double wait = next - now();

			if (wait > 0) {
				struct timespec ts = {(time_t)wait, (long)((wait - (time_t)wait) * 1e9)};

				while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
					;
			}
			next += 1.0 / rate;
		}
		if (get(&sa, req, len) == 0)
			ok++;
		else
			failed++;
	}
	printf("%ld %ld %.3f\n", ok, failed, now() - start);
	return failed ? 1 : 0;
}
