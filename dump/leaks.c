// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump show --leaks: allocations not freed when the ring was read,
 * grouped by user stack. */
#include "config.h"
#include "dump.h"
#include "og_leaks.h"
#include "og_tracer.h"
#include "og_usyms.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <string.h>

/* A user stack's frames: "file+0xoffset" while the process lives (its
 * maps say where each file is), raw addresses after. -ESTALE when the id
 * now holds another stack (check is not its frames' hash): maps/ustacks
 * was full and gave the id to a newer stack. */
static ssize_t ustack_frames(int fd, int64_t id, uint32_t check, uint32_t pid, char text[][300])
{
	__u64 ips[OG_STACK_DEPTH] = {};
	__u32 key = id;
	struct og_usyms us = {};
	size_t n = 0;

	if (fd < 0 || id < 0 || bpf_map_lookup_elem(fd, &key, ips) < 0)
		return 0;
	if (check && og_ustack_hash(ips, OG_STACK_DEPTH) != check)
		return -ESTALE;
	(void)og_usyms_load(pid, &us); /* gone: no mappings, raw addresses */
	for (int i = 0; i < OG_STACK_DEPTH && ips[i]; i++, n++)
		og_usyms_format(&us, ips[i], text[n], 300);
	og_usyms_free(&us);
	return n;
}

int show_leaks(const struct dump_opts *o, const struct og_container_meta *m, const struct dump_batch *b)
{
	const struct og_ring_read_stats *st = &b->st;
	struct og_leak_report rep;
	cleanup_close int fd = -1;
	char frames[OG_STACK_DEPTH][300], text[4 * 300], id[4 * OG_ID_LEN];
	int r;

	r = og_leaks_compute(b->evs, b->nev, &rep);
	if (r < 0)
		return r;
	if (og_tracer_map_open(o->root, "ustacks", &fd) < 0)
		fd = -1;
	if (m->state != OG_STATE_RUNNING && !o->json)
		printf("container %s stopped: allocations not freed before it stopped\n",
		       og_escape_line(id, sizeof(id), m->id));
	if (st->overwritten && !o->json)
		printf("PARTIAL: the ring wrapped; %llu bytes of older records were overwritten, so allocations made "
		       "before them are missing here and some frees had nothing to match (%llu)\n",
		       (unsigned long long)st->overwritten, (unsigned long long)rep.unmatched_frees);
	for (size_t g = 0; g < rep.ngroups && r == 0; g++) {
		const struct og_leak_group *lg = &rep.groups[g];
		ssize_t got = ustack_frames(fd, lg->stack_id, lg->stack_check, lg->pid, frames);
		size_t nf = got < 0 ? 0 : (size_t)got;

		if (o->json) {
			yajl_gen y = dump_json_begin();

			if (!y) {
				r = -ENOMEM;
				break;
			}
			og_json_str(y, "event", "leak");
			og_json_u64(y, "bytes", lg->bytes);
			og_json_u64(y, "allocations", lg->count);
			og_json_int(y, "stack_id", lg->stack_id);
			if (got == -ESTALE)
				og_json_str(y, "stack_lost", "maps/ustacks was full: the id holds a newer stack");
			og_json_u64(y, "pid", lg->pid);
			yajl_gen_string(y, (const unsigned char *)"stack", 5);
			yajl_gen_array_open(y);
			for (size_t i = 0; i < nf; i++)
				yajl_gen_string(y, (const unsigned char *)frames[i], strlen(frames[i]));
			yajl_gen_array_close(y);
			r = dump_json_end(y);
			continue;
		}
		printf("%llu bytes in %llu allocations", (unsigned long long)lg->bytes, (unsigned long long)lg->count);
		if (lg->stack_id < 0)
			printf(" (no user stack recorded)\n");
		else if (got == -ESTALE)
			printf(" (pid %u): stack %lld lost: maps/ustacks was full and gave the id to a newer stack\n",
			       lg->pid, (long long)lg->stack_id);
		else
			printf(" from stack %lld (pid %u):\n", (long long)lg->stack_id, lg->pid);
		/* Files of the container's image, named as it likes. */
		for (size_t i = 0; i < nf; i++)
			printf("    %s\n", og_escape_line(text, sizeof(text), frames[i]));
		if (lg->stack_id >= 0 && got >= 0 && nf <= 2)
			printf("    (a short stack: the code likely has no frame pointers)\n");
	}
	if (r == 0 && o->json) {
		yajl_gen y = dump_json_begin();

		if (y) {
			og_json_str(y, "event", "leak_summary");
			og_json_u64(y, "bytes", rep.bytes);
			og_json_u64(y, "allocations", rep.count);
			og_json_u64(y, "overwritten_bytes", st->overwritten);
			og_json_u64(y, "unmatched_frees", rep.unmatched_frees);
			og_json_bool(y, "partial", st->overwritten != 0);
		}
		r = y ? dump_json_end(y) : -ENOMEM;
	} else if (r == 0) {
		printf("total: %llu bytes in %llu allocations not freed\n", (unsigned long long)rep.bytes,
		       (unsigned long long)rep.count);
	}
	og_leaks_free(&rep);
	return r;
}
