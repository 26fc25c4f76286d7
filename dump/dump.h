/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gadget-dump: one file per verb (main.c holds the table of them); what
 * the verbs share is here. */
#ifndef DUMP_H
#define DUMP_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_crashfile.h"
#include "og_resolve.h"
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
	const char *output; /* seccomp -o, metrics --out */
	bool with_setup;    /* seccomp --with-setup */
	const char *format; /* seccomp: podman, oci; network: networkpolicy */
	bool runtime;	    /* show the runtime's records before the container's first execve */
	bool host_pids;	    /* --host-pids: text shows, --pid matches, only the host's pids */
	const char *file;   /* --file: a crash file instead of the pins */
	int time_fmt;	    /* --time: enum og_time_fmt */
	bool no_fd_paths;   /* --no-fd-paths: fds as bare numbers (the default shows what they were, strace -y) */
};

/* Set by SIGINT and SIGTERM: a follower stops at its next read. */
extern volatile sig_atomic_t dump_stop_requested;

/*
 * What the verbs that take a CONTAINER read: the container's metadata,
 * its ring's header element (what it records, the whole-life counts,
 * peers and end beside the records) and, through ops, its records: a
 * pinned ring, or a crash file (--file) kept after the pins are gone.
 */
struct dump_source;
struct dump_source_ops {
	/* og_ring_read's contract: records from *from on, appended to out. */
	int (*read)(struct dump_source *s, uint64_t *from, struct og_rec_buf *out, const struct og_ring_read_opts *opts,
		    struct og_ring_read_stats *st);
	/* og_ring_copy_done's: the record at pos if complete now (1), still
	 * being written (0), overwritten (-ENOENT). */
	int (*copy_done)(struct dump_source *s, uint64_t pos, struct og_rec_buf *out);
	/* Whether the container still runs (the start meta says): a
	 * follower's end. */
	bool (*running)(struct dump_source *s);
	/* The syscalls' argument specs the records were written with
	 * (OG_SYSCALL_TABLE_SIZE entries, malloc'd); NULL or an entry
	 * left zero: that syscall's arguments raw. */
	struct og_syscall_desc *(*syscall_table)(struct dump_source *s);
	/* What gadget-hook probed in its image; -ENOENT: nothing asked for. */
	int (*probes)(struct dump_source *s, struct og_probe_report *rep);
	/* A crash record's unwound stack, or NULL (printed raw). */
	const struct og_crash_stack *(*crash_stack)(struct dump_source *s, const struct og_rec *crash);
	/* The container's fd table as it is now (a follower reads it again
	 * after each batch): -ENODATA when none was kept. */
	int (*fd_table)(struct dump_source *s, struct og_fd_table *t);
	void (*close)(struct dump_source *s);
};
struct dump_source {
	struct og_container_meta meta;
	const struct og_ring_view *header; /* its hdr, og_ring_counts_read, og_net_read, og_ring_end_read */
	const struct dump_source_ops *ops;
	int64_t boot_to_real; /* CLOCK_REALTIME - CLOCK_BOOTTIME where the records were written */
	/* The pinned kind's. header points into it: never copied. */
	const char *root;
	struct og_ring_view ring;
	struct og_crash_stacks unwound; /* stacks unwound so far */
	struct og_image image;		/* the files they are unwound with */
	bool image_tried;
	/* The file kind's. */
	struct og_crashfile file;
	bool file_read; /* its records were returned */
	/* The fd table, read again with every batch when wanted (show
	 * without --no-fd-paths). */
	bool want_fds;
	struct og_fd_table fds;
};
/* The source a CONTAINER query names; errors name the container. */
int dump_source_open(const struct dump_opts *o, const char *query, struct dump_source *s);
/* Safe on a source that failed to open (zeroed first). */
void dump_source_close(struct dump_source *s);
#define cleanup_dump_source __attribute__((cleanup(dump_source_close)))

/* The verbs. container is NULL for those that take none (list, prune, metrics). */
int cmd_list(const struct dump_opts *o, const char *container);
int cmd_show(const struct dump_opts *o, const char *container);
int cmd_probes(const struct dump_opts *o, const char *container);
int cmd_seccomp(const struct dump_opts *o, const char *container);
int cmd_summary(const struct dump_opts *o, const char *container);
int cmd_network(const struct dump_opts *o, const char *container);
int cmd_prune(const struct dump_opts *o, const char *container);
int cmd_metrics(const struct dump_opts *o, const char *container);

/* One line of JSON Lines: dump_json_begin opens its object (NULL, the
 * error set, when out of memory), dump_json_end closes, writes and frees
 * it (-EIO when stdout failed). */
yajl_gen dump_json_begin(void);
int dump_json_end(yajl_gen g);
/* -EIO, "write output", once stdout has failed: a verb's last word. */
int dump_output_status(void);
/* "2024-01-31T12:00:00Z" of a wall-clock time, "-" for 0. */
void dump_fmt_time(char *buf, size_t size, uint64_t ns);

/* Records read from a source, as events. */
struct dump_batch {
	uint64_t from; /* where the next read starts */
	struct og_rec_buf recs;
	struct og_event *evs; /* point into recs */
	size_t nev;
	struct og_ring_read_stats st; /* of every read */
};
/* Replaces the batch with the records from b->from on. */
int dump_batch_read(struct dump_source *src, struct dump_batch *b, const struct og_ring_read_opts *ropts);
void dump_batch_free(struct dump_batch *b);
#define cleanup_dump_batch __attribute__((cleanup(dump_batch_free)))

/* How the container's init ended and what else of it was killed, from
 * its ring's end (list.c): what list's EXIT column and metrics say.
 * -ENODATA: the ring has no end, or no init to watch. */
struct dump_exit {
	bool ended; /* its init ended: signo, core, code set */
	int signo;  /* the signal that killed it; 0: it exited */
	bool core;
	int code;			    /* its exit status when it exited */
	bool oom;			    /* the OOM killer chose it (it dies of SIGKILL) */
	uint64_t others_killed, others_oom; /* its other processes killed by a signal (OOM kills apart), OOM-killed */
};
int dump_exit_of(const struct og_ring_view *header, struct dump_exit *x);
/* How the container ended, from its ring's end (list.c): "running",
 * "exited 3", "killed SIGSEGV (core)", "OOM-killed", then ", N killed"
 * and ", N OOM-killed" for its other processes; "-" when not known. */
const char *dump_exit_text(const struct og_ring_view *header, char *buf, size_t size);

/* show.c, for follow.c. */
bool show_selected(const struct dump_opts *o, const struct og_event *ev);
/* Marks the runtime's records (before the first execve); how many. */
size_t show_mark_runtime(const struct og_ring_view *v, struct og_event *evs, size_t nev);
/* Prints the selected events (the last o->tail of them). */
int show_events(const struct dump_opts *o, const struct og_print_ctx *ctx, struct og_event *evs, size_t nev);

/* leaks.c: --leaks, from the batch read. */
int show_leaks(const struct dump_opts *o, const struct og_container_meta *m, const struct dump_batch *b);

/* follow.c: what a follower reads, and its loop after the first batch. */
struct og_ring_read_opts follow_read_opts(bool stopped);
/* Where a reader fell behind: the records lost since the counts of before
 * (records numbered but not read, format 5; else bytes), as a line in the
 * stream. */
int follow_report_lost(const struct dump_opts *o, const struct og_ring_read_stats *before,
		       const struct og_ring_read_stats *now);
int show_follow(const struct dump_opts *o, const struct og_print_ctx *ctx, struct dump_source *src,
		struct dump_batch *b);

#endif
