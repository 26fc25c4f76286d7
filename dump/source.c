// SPDX-License-Identifier: GPL-2.0-or-later
/* The source the verbs read: a container's pinned ring, found by a query,
 * or a crash file (--file). */
#include "config.h"
#include "dump.h"
#include "og_container.h"
#include "og_crash_unwind.h"
#include "og_tracer.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <string.h>

static int pinned_read(struct dump_source *s, uint64_t *from, struct og_rec_buf *out,
		       const struct og_ring_read_opts *opts, struct og_ring_read_stats *st)
{
	return og_ring_read(&s->ring, from, out, opts, st);
}

static int pinned_copy_done(struct dump_source *s, uint64_t pos, struct og_rec_buf *out)
{
	return og_ring_copy_done(&s->ring, pos, out);
}

static bool pinned_running(struct dump_source *s)
{
	struct og_container_meta now;
	struct og_ring_end end;
	bool has_end = og_ring_end_read(&s->ring, &end) == 0;

	/* Its metadata gone, or a new container of the same id: stopped. Its
	 * init ended or gone (its poststop may never come): stopped too. */
	return og_meta_read(s->root, s->meta.id, &now) == 0 && now.started_ns == s->meta.started_ns &&
	       og_container_life(&now, has_end ? &end : NULL) == OG_LIFE_RUNNING;
}

static struct og_syscall_desc *pinned_syscall_table(struct dump_source *s)
{
	struct og_syscall_desc *table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
	cleanup_close int fd = -1;

	if (!table || og_tracer_map_open(s->root, "syscall_args", &fd) < 0)
		return table; /* raw arguments only */
	for (__u32 k = 0; k < OG_SYSCALL_TABLE_SIZE; k++)
		if (bpf_map_lookup_elem(fd, &k, &table[k]) < 0)
			memset(&table[k], 0, sizeof(table[k]));
	return table;
}

static int pinned_probes(struct dump_source *s, struct og_probe_report *rep)
{
	return og_container_read_probes(s->root, s->meta.id, rep);
}

/* Unwound with the container's files: its root while its init runs,
 * its bundle's rootfs after; once per crash record. */
static const struct og_crash_stack *pinned_crash_stack(struct dump_source *s, const struct og_rec *crash)
{
	const struct og_crash_stack *done = og_crash_stacks_find(&s->unwound, og_rec_pos(crash));
	struct og_crash_stack_at *ni;
	struct og_crash_stack st;
	struct og_ring_end end;

	if (done)
		return done;
	if (!s->image_tried) {
		bool alive = og_container_life(&s->meta, og_ring_end_read(&s->ring, &end) == 0 ? &end : NULL) ==
			     OG_LIFE_RUNNING;

		s->image_tried = true;
		if (og_crash_image_open(&s->image, s->meta.bundle, alive ? s->meta.pid : 0) < 0)
			og_warn("%s: %s (crash stacks not unwound)", s->meta.id, og_errmsg());
	}
	if (s->image.root_fd < 0 || og_crash_unwind(crash, &s->image, OG_CRASH_UNWIND_MS, &st) < 0)
		return NULL;
	ni = realloc(s->unwound.items, (s->unwound.n + 1) * sizeof(*ni));
	if (!ni) {
		og_crash_stack_free(&st);
		return NULL;
	}
	s->unwound.items = ni;
	ni[s->unwound.n] = (struct og_crash_stack_at){.pos = og_rec_pos(crash), .stack = st};
	return &ni[s->unwound.n++].stack;
}

static int pinned_fd_table(struct dump_source *s, struct og_fd_table *t)
{
	struct og_ring_fds counts;
	const void *elems;
	size_t len;
	int r = og_ring_fds(&s->ring, &elems, &len, &counts);

	if (r < 0)
		return r;
	r = og_fd_table_load(t, elems, len, s->meta.id);
	t->counts = counts;
	return r;
}

/* A source's operations, each named PREFIX_op: a new operation is one line
 * here and a function per source. */
#define SOURCE_OPS(p)                                                                                     \
	{                                                                                                 \
		.read = p##_read, .copy_done = p##_copy_done, .running = p##_running,                     \
		.syscall_table = p##_syscall_table, .probes = p##_probes, .crash_stack = p##_crash_stack, \
		.fd_table = p##_fd_table, .close = p##_close,                                             \
	}

static void pinned_close(struct dump_source *s)
{
	og_ring_close(&s->ring);
	og_crash_stacks_free(&s->unwound);
	if (s->image.root_fd >= 0)
		og_image_close(&s->image);
}

static const struct dump_source_ops pinned_ops = SOURCE_OPS(pinned);

/* A crash file: its records all at once, at the first read. */
static int file_read(struct dump_source *s, uint64_t *from, struct og_rec_buf *out,
		     const struct og_ring_read_opts *opts, struct og_ring_read_stats *st)
{
	const struct og_crash_file_read *rd = &s->file.read;
	uint8_t *d;

	(void)opts;
	st->head = rd->head;
	if (s->file_read)
		return 0;
	s->file_read = true;
	st->overwritten += rd->overwritten;
	st->torn += rd->torn;
	st->records += rd->records;
	if (!s->file.records.len)
		return 0;
	d = realloc(out->data, out->len + s->file.records.len);
	if (!d)
		return og_err(ENOMEM, "records of %s", s->meta.id);
	memcpy(d + out->len, s->file.records.data, s->file.records.len);
	out->data = d;
	out->len += s->file.records.len;
	out->cap = out->len;
	*from = rd->head;
	return 0;
}

static int file_copy_done(struct dump_source *s, uint64_t pos, struct og_rec_buf *out)
{
	(void)s, (void)pos, (void)out;
	return -ENOENT;
}

static bool file_running(struct dump_source *s)
{
	(void)s;
	return false;
}

static struct og_syscall_desc *file_syscall_table(struct dump_source *s)
{
	struct og_syscall_desc *table = malloc(OG_SYSCALL_TABLE_SIZE * sizeof(*table));

	if (table)
		memcpy(table, s->file.table, OG_SYSCALL_TABLE_SIZE * sizeof(*table));
	return table;
}

static int file_probes(struct dump_source *s, struct og_probe_report *rep)
{
	if (!s->file.has_probes)
		return -ENOENT;
	*rep = s->file.probes;
	return 0;
}

static const struct og_crash_stack *file_crash_stack(struct dump_source *s, const struct og_rec *crash)
{
	return og_crash_stacks_find(&s->file.stacks, og_rec_pos(crash));
}

static int file_fd_table(struct dump_source *s, struct og_fd_table *t)
{
	const struct og_fd_table *f = &s->file.fds;

	memset(t, 0, sizeof(*t));
	if (!f->n)
		return -ENODATA;
	t->e = malloc(f->n * sizeof(*t->e));
	if (!t->e)
		return og_err(ENOMEM, "fd table of %s", s->meta.id);
	memcpy(t->e, f->e, f->n * sizeof(*t->e));
	t->n = f->n;
	t->skipped = f->skipped;
	/* Its counts are in the header's section. */
	if (s->file.view.hdr && (s->file.view.hdr->flags & OG_RING_F_FDS))
		memcpy(&t->counts, s->file.view.base + OG_FDS_OFF, sizeof(t->counts));
	return 0;
}

static void file_close(struct dump_source *s)
{
	og_crashfile_close(&s->file);
}

static const struct dump_source_ops file_ops = SOURCE_OPS(file);

int dump_source_open(const struct dump_opts *o, const char *query, struct dump_source *s)
{
	int r;

	*s = (struct dump_source){.root = o->root, .image = {.root_fd = -1}};
	if (o->file) {
		r = og_crashfile_open(o->file, &s->file);
		if (r < 0)
			return r;
		s->meta = s->file.meta;
		s->header = &s->file.view;
		s->boot_to_real = s->file.hdr.boot_to_real;
		s->ops = &file_ops;
		return 0;
	}
	s->boot_to_real = (int64_t)og_realtime_ns() - (int64_t)og_boottime_ns();
	r = og_container_open_ring(o->root, query, &s->meta, &s->ring);
	if (r < 0)
		return r;
	s->header = &s->ring; /* the whole ring: its header element comes first */
	s->ops = &pinned_ops;
	return 0;
}

void dump_source_close(struct dump_source *s)
{
	if (s->ops)
		s->ops->close(s);
	og_fd_table_free(&s->fds);
	*s = (struct dump_source){};
}

int dump_batch_read(struct dump_source *src, struct dump_batch *b, const struct og_ring_read_opts *ropts)
{
	int r;

	b->recs.len = 0;
	free(b->evs);
	b->evs = NULL;
	r = src->ops->read(src, &b->from, &b->recs, ropts, &b->st);
	if (r == 0 && src->want_fds) {
		/* Read after the records: it knows every fd they name. A
		 * table that cannot be read leaves fds as bare numbers. */
		og_fd_table_free(&src->fds);
		if (src->ops->fd_table(src, &src->fds) < 0)
			og_fd_table_free(&src->fds);
	}
	return r < 0 ? r : og_events_from_records(&b->recs, &b->evs, &b->nev);
}

void dump_batch_free(struct dump_batch *b)
{
	og_rec_buf_free(&b->recs);
	free(b->evs);
	b->evs = NULL;
}
