// SPDX-License-Identifier: GPL-2.0-or-later
/* The source the verbs read: a container's pinned ring, found by a query. */
#include "config.h"
#include "dump.h"
#include "og_container.h"
#include "og_tracer.h"
#include "og_util.h"

#include <bpf/bpf.h>
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

	/* Its metadata gone, or a new container of the same id: stopped. */
	return og_meta_read(s->root, s->meta.id, &now) == 0 && now.state == OG_STATE_RUNNING &&
	       now.started_ns == s->meta.started_ns;
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

static void pinned_close(struct dump_source *s)
{
	og_ring_close(&s->ring);
}

static const struct dump_source_ops pinned_ops = {
	.read = pinned_read,
	.copy_done = pinned_copy_done,
	.running = pinned_running,
	.syscall_table = pinned_syscall_table,
	.probes = pinned_probes,
	.close = pinned_close,
};

int dump_source_open(const struct dump_opts *o, const char *query, struct dump_source *s)
{
	int r;

	*s = (struct dump_source){.root = o->root};
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
	*s = (struct dump_source){};
}

int dump_batch_read(struct dump_source *src, struct dump_batch *b, const struct og_ring_read_opts *ropts)
{
	int r;

	b->recs.len = 0;
	free(b->evs);
	b->evs = NULL;
	r = src->ops->read(src, &b->from, &b->recs, ropts, &b->st);
	return r < 0 ? r : og_events_from_records(&b->recs, &b->evs, &b->nev);
}

void dump_batch_free(struct dump_batch *b)
{
	og_rec_buf_free(&b->recs);
	free(b->evs);
	b->evs = NULL;
}
