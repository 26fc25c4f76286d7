/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_CRASHFILE_H
#define OG_CRASHFILE_H

/*
 * Crash files (og_format.h, oci-gadget-ring(5)): a container's ring,
 * metadata, whole-life counts, peers and end, the syscall table and its
 * crashes' unwound stacks in one file under crash-dir, written at poststop
 * when it ended abnormally and read back by gadget-dump --file after the
 * pins are gone.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "og_fds.h"
#include "og_format.h"
#include "og_print_signals.h"
#include "og_ring.h"

/* Crash records' stacks by the records' positions. */
struct og_crash_stacks {
	size_t n;
	struct og_crash_stack_at {
		uint64_t pos;
		struct og_crash_stack stack;
	} * items;
};
const struct og_crash_stack *og_crash_stacks_find(const struct og_crash_stacks *s, uint64_t pos);
void og_crash_stacks_free(struct og_crash_stacks *s);

/* Why the container's end is worth a file (OG_CRASH_WHY_*); 0: it ended
 * normally, or its end is not known. */
uint32_t og_crash_reason(const struct og_ring_end *end);

/* What the hook was told to keep (oci-gadget.conf: crash-files). */
enum og_crash_files {
	OG_CRASH_FILES_NONE = 0,
	OG_CRASH_FILES_ABNORMAL = 1,
	OG_CRASH_FILES_ALL = 2,
};

struct og_crashfile_opts {
	const char *dir;    /* crash-dir, made 0700 when missing */
	uint64_t max_bytes; /* crash-dir-max: the oldest files are removed to stay under it */
	enum og_crash_files keep;
	/* Unwinds a crash record's stack for the file, or NULL. */
	int (*unwind)(void *arg, const struct og_rec *crash, struct og_crash_stack *out);
	void *unwind_arg;
};

/* What a crash file holds, gathered from pins or built by a test. */
struct og_crashfile_parts {
	const struct og_container_meta *meta;
	const void *ring_header; /* OG_ELEM_SIZE bytes */
	const struct og_rec_buf *records;
	struct og_crash_file_read read;
	const struct og_syscall_desc *table;  /* OG_SYSCALL_TABLE_SIZE entries, or NULL */
	const struct og_probe_report *probes; /* or NULL */
	const struct og_crash_stacks *stacks; /* or NULL */
	const void *fds;		      /* the fd table's elements, or NULL */
	size_t fds_len;
	uint32_t reason; /* OG_CRASH_WHY_* */
};
/* The file's bytes; *data is allocated. */
int og_crashfile_build(const struct og_crashfile_parts *p, uint8_t **data, size_t *len);

/*
 * Writes the file of stopped container id (pins under root) when opts
 * says so: *written gets its path, or "" when none was due. A full or
 * read-only disk, like any failure, is an error for the caller to log;
 * nothing is left half-written.
 */
int og_crashfile_write(const char *root, const char *id, const struct og_crashfile_opts *opts, char *written,
		       size_t size);

/* A crash file, mapped and checked. */
struct og_crashfile {
	struct og_crash_file_header hdr;
	struct og_container_meta meta;
	struct og_ring_view view; /* the header element only: counts, peers, end */
	void *header;		  /* its copy, aligned */
	struct og_rec_buf records;
	struct og_crash_file_read read;
	struct og_syscall_desc *table; /* OG_SYSCALL_TABLE_SIZE entries */
	struct og_probe_report probes;
	bool has_probes;
	struct og_crash_stacks stacks;
	struct og_fd_table fds; /* empty when the file has none */
	void *map;
	size_t len;
};
int og_crashfile_open(const char *path, struct og_crashfile *cf);
/* The same from bytes in memory (the fuzzer); data must outlive cf. */
int og_crashfile_parse(const void *data, size_t len, const char *what, struct og_crashfile *cf);
void og_crashfile_close(struct og_crashfile *cf);

#endif
