// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A ring as gadget-dump reads it, through to its output. The first byte
 * picks the form: odd, a valid one-chunk ring whose head is the next 8
 * bytes and whose chunk is the rest (what a writer could have left, torn
 * or not), of format 6 (compact records named by thread records, their
 * outputs in output records any link may point at) or, with bit 1 set, of
 * format 4 (records unpacked into the view); even, the rest is the whole
 * mapping, header included (a corrupted pin). The record at each position
 * a follower would check again is copied too. Every record that comes out
 * must pass og_rec_check (no OG_CAP_APART left in the view), and is made
 * into events, printed as text and as JSON, and replayed for --leaks.
 */
#include "config.h"
#include "fuzz.h"
#include "og_leaks.h"
#include "og_print.h"
#include "og_record.h"
#include "og_ring.h"
#include "og_syscalls.h"

#include <stdio.h>

static FILE *sink;
static struct og_syscall_desc *table;

static void drain(const struct og_ring_view *v)
{
	struct og_print_ctx ctx = {.table = table};
	struct og_ring_read_opts opts = {0};
	struct og_ring_read_stats st;
	struct og_rec_buf b = {0};
	struct og_leak_report rep;
	struct og_event *evs = NULL;
	uint64_t from = 0;
	size_t n = 0;

	og_ring_count(v, &st);
	if (og_ring_read(v, &from, &b, &opts, &st) < 0) {
		og_rec_buf_free(&b);
		return;
	}
	for (size_t off = 0, len; off < b.len; off += len) {
		len = og_tag_len(((const struct og_rec *)(b.data + off))->tag);
		FUZZ_ASSERT(og_rec_check(b.data + off, len) == 0);
	}
	if (og_events_from_records(&b, &evs, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct og_rec_buf one = {0};

			og_print_text(sink, &ctx, &evs[i]);
			og_print_json(sink, &ctx, &evs[i]);
			if (og_ring_copy_done(v, og_rec_pos(evs[i].rec), &one) == 1)
				FUZZ_ASSERT(og_rec_check(one.data, one.len) == 0);
			og_rec_buf_free(&one);
		}
		if (og_leaks_compute(evs, n, &rep) == 0)
			og_leaks_free(&rep);
	}
	free(evs);
	og_rec_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct og_ring_view v;
	uint8_t *mem;
	size_t len;
	int described;

	if (!sink) {
		sink = fopen("/dev/null", "w");
		table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
		if (!sink || !table)
			abort();
		og_syscall_table_build(NULL, table, &described);
	}
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		struct og_ring_header *h;

		if (size < 9)
			return 0;
		len = 2 * (size_t)OG_ELEM_SIZE;
		mem = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
		if (!mem)
			abort();
		memset(mem, 0, len);
		h = (struct og_ring_header *)mem;
		og_ring_header_init(h, 1);
		if (data[0] & 2)
			h->version = 4;
		memcpy(&h->head, data + 1, 8);
		memcpy(mem + OG_ELEM_SIZE, data + 9, size - 9 < OG_ELEM_SIZE ? size - 9 : OG_ELEM_SIZE);
	} else {
		/* Aligned as a mapping is. */
		len = size - 1;
		mem = aligned_alloc(4096, (len + 4095) & ~(size_t)4095);
		if (!mem)
			abort();
		memcpy(mem, data + 1, len);
	}
	if (og_ring_view_init(&v, mem, len, "fuzz") == 0) {
		drain(&v);
		og_ring_close(&v);
	}
	free(mem);
	return 0;
}
