// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A crash file as gadget-dump --file reads it: parsed, every section
 * checked against the file, then its records made into events and printed
 * as text and JSON with its stacks, and its counts, peers and end read.
 * A crash file comes from another machine or a disk anyone may write to.
 */
#include "config.h"
#include "fuzz.h"
#include "og_crashfile.h"
#include "og_net.h"
#include "og_print.h"
#include "og_record.h"

#include <stdio.h>

static FILE *sink;

static const struct og_crash_stack *stack_of(void *arg, const struct og_rec *r)
{
	return og_crash_stacks_find(arg, og_rec_pos(r));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct og_crashfile cf;
	struct og_event *evs = NULL;
	size_t n = 0;
	/* Aligned as a mapping is. */
	uint8_t *mem = aligned_alloc(4096, (size + 4095) & ~(size_t)4095);

	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	if (!mem)
		abort();
	memcpy(mem, data, size);
	if (og_crashfile_parse(mem, size, "fuzz", &cf) == 0) {
		struct og_print_ctx ctx = {.table = cf.table, .crash_stack = stack_of, .crash_arg = &cf.stacks};
		struct og_ring_counts counts;
		struct og_ring_end end;
		struct og_net_peer *peers = NULL;
		uint64_t full, skipped;
		size_t np;

		og_ring_counts_read(&cf.view, &counts);
		og_ring_end_read(&cf.view, &end);
		if (og_net_read(&cf.view, &peers, &np, &full, &skipped) == 0)
			free(peers);
		if (og_events_from_records(&cf.records, &evs, &n) == 0) {
			for (size_t i = 0; i < n; i++) {
				og_print_text(sink, &ctx, &evs[i]);
				og_print_json(sink, &ctx, &evs[i]);
			}
		}
		free(evs);
	}
	og_crashfile_close(&cf);
	free(mem);
	return 0;
}
