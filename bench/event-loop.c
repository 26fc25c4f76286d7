/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event-loop signal|exit N: what the signal and exit tracepoints cost, per
 * event. signal: N times kill(getpid(), SIGUSR1) to a handler (the
 * signal_generate and signal_deliver tracepoints, the kill and
 * rt_sigreturn syscalls). exit: N times a vfork'd child that _exits at once
 * and is waited for (sched_process_exit, and vfork, exit_group, wait4).
 * Prints the mean ns per iteration. For bench/event-overhead.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A child that ends at once, waited for; apart so that vfork's return twice
 * clobbers no loop variable. */
static __attribute__((noinline)) int one_exit(void)
{
	int status;
	pid_t pid = vfork();

	if (pid == 0)
		_exit(0);
	return pid < 0 || waitpid(pid, &status, 0) != pid ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
	long n = argc == 3 ? atol(argv[2]) : 0;
	long long t0;
	pid_t self = getpid();

	if (n <= 0 || (strcmp(argv[1], "signal") && strcmp(argv[1], "exit"))) {
		fprintf(stderr, "usage: %s signal|exit N\n", argv[0]);
		return 2;
	}
	if (sigaction(SIGUSR1, &sa, NULL) < 0) {
		perror("event-loop: sigaction");
		return 1;
	}
	t0 = now_ns();
	if (strcmp(argv[1], "signal") == 0) {
		for (long i = 0; i < n; i++)
			kill(self, SIGUSR1);
		if (handled != n) {
			fprintf(stderr, "event-loop: %ld signals sent, %d handled\n", n, (int)handled);
			return 1;
		}
	} else {
		for (long i = 0; i < n; i++)
			if (one_exit() < 0) {
				perror("event-loop: vfork/waitpid");
				return 1;
			}
	}
	printf("%.1f\n", (double)(now_ns() - t0) / n);
	return 0;
}
