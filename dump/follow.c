// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump show --follow: reads the ring again until the container
 * stops, printing a running syscall once it returns. */
#include "config.h"
#include "dump.h"
#include "og_json.h"
#include "og_util.h"

#include <errno.h>
#include <string.h>

/* How long a running syscall is waited for before it is printed as
 * unfinished, and how many such are watched for their end. */
#define FOLLOW_HOLD_NS (200 * 1000 * 1000ULL)
#define FOLLOW_PENDING_MAX 4096

struct og_ring_read_opts follow_read_opts(bool stopped)
{
	/* A syscall younger than FOLLOW_HOLD_NS is waited for, then printed
	 * whole; once the container stopped, nothing more will come. */
	return (struct og_ring_read_opts){
		.wait_writing = !stopped,
		.hold_after_ns = stopped ? 0 : og_boottime_ns() - FOLLOW_HOLD_NS,
	};
}

/* Syscalls a follower printed as unfinished: printed again once complete. */
struct pending {
	uint64_t pos;
	uint32_t tid;
};

static void pending_add(struct pending *p, size_t *n, const struct og_event *ev)
{
	if (*n == FOLLOW_PENDING_MAX) {
		memmove(p, p + 1, (*n - 1) * sizeof(*p));
		(*n)--;
	}
	p[(*n)++] = (struct pending){.pos = og_rec_pos(ev->rec), .tid = ev->rec->tid};
}

/* Prints the pending syscalls that completed since; forgets those that
 * were overwritten or whose thread has moved on (exit written apart). */
static int pending_check(const struct dump_opts *o, const struct og_print_ctx *ctx, struct dump_source *src,
			 struct pending *p, size_t *n, const struct og_event *batch, size_t nbatch)
{
	size_t keep = 0;
	int r = 0;

	for (size_t i = 0; i < *n && r == 0; i++) {
		cleanup_rec_buf struct og_rec_buf b = {};
		int c = src->ops->copy_done(src, p[i].pos, &b);

		if (c == 1) {
			struct og_event ev = {.rec = (const struct og_rec *)b.data, .last_of_thread = true};

			if (show_selected(o, &ev))
				r = o->json ? og_print_json(stdout, ctx, &ev) : og_print_text(stdout, ctx, &ev);
		} else if (c == 0) {
			bool moved_on = false;

			for (size_t k = 0; k < nbatch && !moved_on; k++)
				moved_on = batch[k].rec->tid == p[i].tid && og_rec_pos(batch[k].rec) != p[i].pos;
			if (!moved_on)
				p[keep++] = p[i];
		}
	}
	*n = keep;
	return r;
}

/* Where the follower fell behind, a line in the stream at that place: the
 * records the writers numbered that this reader did not get (overwritten
 * before it got to them, or torn while it copied them), since the previous
 * read. A ring of format 3 or 4 numbers no records: the bytes overwritten
 * and the records torn are said instead. */
int follow_report_lost(const struct dump_opts *o, const struct og_ring_read_stats *before,
		       const struct og_ring_read_stats *now)
{
	uint64_t records = now->lost_records - before->lost_records, bytes = now->overwritten - before->overwritten,
		 torn = now->torn - before->torn;
	bool numbered = now->numbered;
	yajl_gen g;

	if (numbered ? !records : !bytes && !torn)
		return 0;
	if (!o->json) {
		if (numbered)
			printf("--- %llu records overwritten before they were read ---\n", (unsigned long long)records);
		else
			printf("--- %llu bytes of records overwritten before they were read, %llu records torn ---\n",
			       (unsigned long long)bytes, (unsigned long long)torn);
		return fflush(stdout) == 0 ? 0 : og_err(errno, "standard output");
	}
	g = dump_json_begin();
	if (!g)
		return -ENOMEM;
	og_json_str(g, "event", "lost");
	if (numbered)
		og_json_u64(g, "records", records);
	og_json_u64(g, "bytes", bytes);
	og_json_u64(g, "torn", torn);
	return dump_json_end(g);
}

int show_follow(const struct dump_opts *o, const struct og_print_ctx *ctx, struct dump_source *src,
		struct dump_batch *b)
{
	cleanup_free struct pending *pend = calloc(FOLLOW_PENDING_MAX, sizeof(*pend));
	struct dump_opts all = *o;
	size_t npend = 0;
	int r = 0;

	if (!pend)
		return og_err(ENOMEM, "follow");
	all.tail = -1; /* --tail was for what was there: what comes is all new */
	while (r == 0 && !dump_stop_requested) {
		struct og_ring_read_opts ropts;
		struct og_ring_read_stats before;
		bool stopped = !src->ops->running(src);

		for (size_t i = 0; i < b->nev; i++)
			if (!og_event_is_probe(&b->evs[i]) && og_event_enter(&b->evs[i]) && !b->evs[i].exit &&
			    og_rec_state(b->evs[i].rec) == OG_TAG_ENTERED)
				pending_add(pend, &npend, &b->evs[i]);
		if (!stopped)
			usleep(100 * 1000);
		ropts = follow_read_opts(stopped);
		before = b->st;
		r = dump_batch_read(src, b, &ropts);
		if (r == 0)
			r = follow_report_lost(o, &before, &b->st);
		if (r == 0)
			show_mark_runtime(src->header, b->evs, b->nev);
		if (r == 0)
			r = pending_check(o, ctx, src, pend, &npend, b->evs, b->nev);
		if (r == 0)
			r = show_events(&all, ctx, b->evs, b->nev);
		if (stopped)
			break;
	}
	return r;
}
