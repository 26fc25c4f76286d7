/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_FDS_H
#define OG_FDS_H

/*
 * The container's fd table (struct og_fd_entry, og_format.h): what a
 * record's fd was when the record was written, after the ring wrapped
 * past its open. Read from the ring's map or a crash file, checked entry
 * by entry (a pin anyone with bpffs access may have written), then looked
 * up by (process, fd, time).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_format.h"
#include "og_ring.h"

struct og_fd_table {
	struct og_fd_entry *e; /* valid entries, by key then open_ns */
	size_t n;
	size_t skipped; /* entries being written, or inconsistent */
	struct og_ring_fds counts;
};

/* The table's elements in a ring's map (a view of the whole map), and
 * its counts: -ENODATA for a ring made without one. */
int og_ring_fds(const struct og_ring_view *v, const void **elems, size_t *len, struct og_ring_fds *counts);
/* Loads len bytes of elements (a whole number of them, at most
 * OG_FD_ELEMS_MAX); what names them in errors. */
int og_fd_table_load(struct og_fd_table *t, const void *elems, size_t len, const char *what);
void og_fd_table_free(struct og_fd_table *t);

/*
 * What fd of process tgid was at ts (CLOCK_BOOTTIME): its entry open
 * then, or, when the process had none of its own for fd up to then, what
 * its parent had as fd when it forked it (a few generations up). NULL:
 * not known.
 */
const struct og_fd_entry *og_fd_table_find(const struct og_fd_table *t, uint32_t tgid, uint32_t fd, uint64_t ts);
/* The entry syscall nr of tgid made for fd (a return value's fd) when it
 * exited, between lo and hi (CLOCK_BOOTTIME, inclusive): an entry's
 * open_ns is its syscall's exit time. */
const struct og_fd_entry *og_fd_table_made(const struct og_fd_table *t, uint32_t tgid, uint32_t fd, uint64_t lo,
					   uint64_t hi, int16_t nr);

/*
 * Puts e where the programs would (og_format.h): a never-used slot of its
 * key's window in elems (nelem elements of a table). -ENOSPC when the
 * window is full.
 */
int og_fd_table_put(void *elems, uint32_t nelem, const struct og_fd_entry *e);
/*
 * Seeds the table of the ring map ring_fd (chunks chunks) with the fds
 * process pid holds now (/proc/PID/fd: what the runtime gave the
 * container's init, opened before the ring existed), as of now_ns
 * (CLOCK_BOOTTIME), close-on-exec as /proc/PID/fdinfo says, and with its
 * working directory cwd (config.json's process.cwd: the runtime is not
 * in it yet; NULL: not known). Only fds 0..OG_FD_SEED_MAX-1: a runtime's
 * own are above and close at exec. Returns the number seeded.
 */
#define OG_FD_SEED_MAX 64
int og_fd_table_seed(int ring_fd, uint32_t chunks, int pid, const char *cwd, uint64_t now_ns);
/* The working directory entry (OG_FD_CWD_FD) of pid: false when cwd is
 * no absolute path shorter than OG_FD_PATH. */
bool og_fd_cwd_entry(int pid, const char *cwd, uint64_t now_ns, struct og_fd_entry *e);
/*
 * path (len bytes, not NUL-terminated: an entry's) cleaned in place as
 * far as lexically safe: "." and empty components dropped, ".." at the
 * root dropped, any other ".." kept (the component before it may be a
 * symlink). Only an absolute path is changed. Returns the new length;
 * path[len] is set to NUL when it was shortened.
 */
size_t og_fd_path_clean(char *path, size_t len);

/* As strace -yy shows it: "/var/log/app.log", "TCP:127.0.0.1:80->127.0.0.1:5555",
 * "TCPv6:[::1]:80", "UNIX:/run/x.sock", "pipe:[1234]", "socket:[1234]" (a
 * socket with no endpoint), "anon_inode:[eventfd]" and the other forms
 * of og_syscall_fd_form. Bytes outside printable ASCII escaped. */
void og_fd_entry_text(const struct og_fd_entry *e, char *buf, size_t size);

#endif
