/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gadget-dump: one file per verb (main.c holds the table of them); what
 * the verbs share is here. */
#ifndef DUMP_H
#define DUMP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"
#include "og_print.h"
#include "og_record.h"
#include "og_ring.h"

struct dump_opts {
	const char *root;
	bool json;
	bool follow;
	char **syscalls; /* NULL-terminated, or NULL: all */
	char **events;	 /* event names ("syscall", "malloc", ...), or NULL: all */
	bool leaks;
	int pid;
	long tail; /* -1: all */
	int keep;
	uint64_t older_than_s;
	const char *input;  /* seccomp --input */
	const char *output; /* seccomp -o */
	bool with_setup;    /* seccomp --with-setup */
	const char *format; /* seccomp: podman, oci; network: networkpolicy */
	bool runtime;	    /* show the runtime's records before the container's first execve */
};

/* Set by SIGINT and SIGTERM: a follower stops at its next read. */
extern volatile sig_atomic_t dump_stop_requested;

/* The verbs. container is NULL for those that take none (list, prune). */
int cmd_list(const struct dump_opts *o, const char *container);
int cmd_show(const struct dump_opts *o, const char *container);
int cmd_probes(const struct dump_opts *o, const char *container);
int cmd_seccomp(const struct dump_opts *o, const char *container);
int cmd_summary(const struct dump_opts *o, const char *container);
int cmd_network(const struct dump_opts *o, const char *container);
int cmd_prune(const struct dump_opts *o, const char *container);

/* "2024-01-31T12:00:00Z" of a wall-clock time, "-" for 0. */
void dump_fmt_time(char *buf, size_t size, uint64_t ns);

/* show.c, for follow.c: records read so far, as events. */
struct show_batch {
	uint64_t from; /* where the next read starts */
	struct og_rec_buf recs;
	struct og_event *evs; /* point into recs */
	size_t nev;
	struct og_ring_read_stats st;
};
/* Replaces the batch with the records from b->from on. */
int show_read(const struct og_ring_view *v, struct show_batch *b, const struct og_ring_read_opts *ropts);
void show_batch_free(struct show_batch *b);
bool show_selected(const struct dump_opts *o, const struct og_event *ev);
/* Marks the runtime's records (before the first execve); how many. */
size_t show_mark_runtime(const struct og_ring_view *v, struct og_event *evs, size_t nev);
/* Prints the selected events (the last o->tail of them). */
int show_events(const struct dump_opts *o, const struct og_print_ctx *ctx, struct og_event *evs, size_t nev);

/* leaks.c: --leaks, from the batch read. */
int show_leaks(const struct dump_opts *o, const struct og_container_meta *m, const struct show_batch *b);

/* follow.c: what a follower reads, and its loop after the first batch. */
struct og_ring_read_opts follow_read_opts(bool stopped);
int show_follow(const struct dump_opts *o, const struct og_print_ctx *ctx, const struct og_ring_view *v,
		const struct og_container_meta *meta, struct show_batch *b);

#endif
