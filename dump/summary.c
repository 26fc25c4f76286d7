// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump summary: strace -c over the container's whole life (the
 * counts beside its ring) and over what its ring still holds. */
#include "config.h"
#include "dump.h"
#include "og_syscall_classes.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <errno.h>
#include <string.h>

/* One row of the strace -c table. */
struct sum_row {
	const char *name;
	uint64_t calls, errors, time_ns;
	bool skipped; /* counted, not recorded: outside the ring's selection (its time not measured) */
};

static int by_time(const void *a, const void *b)
{
	const struct sum_row *x = a, *y = b;

	if (x->time_ns != y->time_ns)
		return x->time_ns < y->time_ns ? 1 : -1;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return strcmp(x->name, y->name);
}

static int print_summary(const struct dump_opts *o, const char *scope, struct sum_row *rows, size_t n)
{
	uint64_t calls = 0, errors = 0, t = 0;

	qsort(rows, n, sizeof(*rows), by_time);
	for (size_t i = 0; i < n; i++) {
		calls += rows[i].calls;
		errors += rows[i].errors;
		t += rows[i].time_ns;
	}
	if (o->json) {
		for (size_t i = 0; i < n; i++) {
			yajl_gen g = dump_json_begin();

			if (!g)
				return -ENOMEM;
			og_json_str(g, "scope", scope);
			og_json_str(g, "syscall", rows[i].name);
			og_json_u64(g, "calls", rows[i].calls);
			og_json_u64(g, "errors", rows[i].errors);
			og_json_u64(g, "time_ns", rows[i].time_ns);
			if (strcmp(scope, "life") == 0)
				og_json_bool(g, "recorded", !rows[i].skipped);
			if (dump_json_end(g) < 0)
				return -EIO;
		}
		return 0;
	}
	printf("%% time     seconds  usecs/call     calls    errors syscall\n");
	printf("------ ----------- ----------- --------- --------- ----------------\n");
	for (size_t i = 0; i < n; i++) {
		char err[24] = "";

		if (rows[i].errors)
			snprintf(err, sizeof(err), "%llu", (unsigned long long)rows[i].errors);
		printf("%6.2f %11.6f %11llu %9llu %9s %s%s\n", t ? 100.0 * rows[i].time_ns / t : 0.0,
		       rows[i].time_ns / 1e9,
		       (unsigned long long)(rows[i].calls ? rows[i].time_ns / 1000 / rows[i].calls : 0),
		       (unsigned long long)rows[i].calls, err, rows[i].name,
		       rows[i].skipped ? " (counted, not recorded)" : "");
	}
	printf("------ ----------- ----------- --------- --------- ----------------\n");
	printf("100.00 %11.6f %11s %9llu %9llu total\n", t / 1e9, "", (unsigned long long)calls,
	       (unsigned long long)errors);
	return dump_output_status();
}

/* The ring's selection (io.oci-gadget.syscalls), back in strace's syntax
 * per arch: the syscalls it records, or "!" and those it does not. */
static void print_selection(const struct og_ring_header *hdr)
{
	static const char *const arch[] = {"x86_64", "i386"};
	char text[2048];

	for (int a = 0; a < 2; a++) {
		og_syscall_set_text(hdr->skip, a, text, sizeof(text));
		if (text[0])
			printf("the ring records %s syscalls %s: the others are counted, not recorded\n", arch[a],
			       text);
	}
}

int cmd_summary(const struct dump_opts *o, const char *query)
{
	cleanup_dump_source struct dump_source src = {};
	cleanup_dump_batch struct dump_batch b = {};
	cleanup_free struct sum_row *rows = calloc(2 * OG_SYSCALL_MAX, sizeof(*rows));
	struct og_ring_counts counts;
	char id[4 * OG_ID_LEN];
	size_t n = 0;
	int r, setup = 0;

	if (!rows)
		return og_err(ENOMEM, "summary");
	r = dump_source_open(o, query, &src);
	if (r < 0)
		return r;
	r = og_ring_counts_read(src.header, &counts);
	if (r == 0)
		r = dump_batch_read(&src, &b, NULL);
	if (r < 0)
		return og_err_wrap(-r, "container '%s'", src.meta.id);
	/* The container's whole life from its first execve: the counts. */
	for (int a = 0; a < 2; a++) {
		for (int nr = 0; nr < OG_COUNT_NRS; nr++) {
			const char *name = og_syscall_name(a, nr);

			setup += counts.setup[a][nr];
			if (!counts.calls[a][nr])
				continue;
			rows[n++] = (struct sum_row){.name = name ? name : "?",
						     .calls = counts.calls[a][nr],
						     .errors = counts.errors[a][nr],
						     .time_ns = counts.time_ns[a][nr],
						     .skipped = !og_syscall_set_kept(src.header->hdr->skip, a, nr)};
		}
	}
	if (!o->json)
		printf("container %s: its whole life from its first execve (%s); before that its runtime made %d "
		       "distinct syscalls\n",
		       og_escape_line(id, sizeof(id), src.meta.id),
		       counts.ran ? "counted beside the ring" : "it never execve'd: nothing counted", setup);
	if (!o->json)
		print_selection(src.header->hdr);
	r = print_summary(o, "life", rows, n);
	/* The ring's window: what it still holds, syscalls that returned. */
	n = 0;
	for (size_t i = 0; i < b.nev; i++) {
		const struct og_rec *e = og_event_enter(&b.evs[i]);
		const struct og_sys *x = og_event_exit_sys(&b.evs[i]);
		const char *name;
		uint64_t ns = 0;
		size_t k;

		if (og_event_is_probe(&b.evs[i]) || !e || !x || !og_event_returned(&b.evs[i]))
			continue;
		name = og_syscall_name(og_rec_arch(e), e->nr);
		name = name ? name : "?";
		for (k = 0; k < n && strcmp(rows[k].name, name) != 0; k++)
			;
		if (k == n)
			rows[n++] = (struct sum_row){.name = name};
		rows[k].calls++;
		rows[k].errors += x->ret < 0;
		if (og_event_duration(&b.evs[i], &ns))
			rows[k].time_ns += ns;
	}
	if (!o->json)
		printf("\nthe ring's window: %llu records%s\n", (unsigned long long)b.st.records,
		       b.st.overwritten ? ", older ones overwritten" : "");
	if (r == 0)
		r = print_summary(o, "ring", rows, n);
	return r;
}
