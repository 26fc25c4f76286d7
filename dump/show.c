// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump [show] CONTAINER: the ring's records as strace-like text or
 * JSON Lines, filtered; --follow goes on in follow.c, --leaks in leaks.c. */
#include "config.h"
#include "dump.h"
#include "og_events.h"
#include "og_ksyms.h"
#include "og_syscalls.h"
#include "og_tracer.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <string.h>

/* Kernel stacks: ids in maps/kstacks, names from /proc/kallsyms. */
struct kstack_ctx {
	const char *root;
	int fd;
	bool tried;
	struct og_ksyms ks;
	char text[OG_STACK_DEPTH][160];
	const char *frames[OG_STACK_DEPTH + 1];
};

static const char *const *kstack_frames(void *arg, uint32_t id)
{
	struct kstack_ctx *k = arg;
	__u64 ips[OG_STACK_DEPTH] = {};
	size_t n = 0;

	if (!k->tried) {
		k->tried = true;
		if (og_tracer_map_open(k->root, "kstacks", &k->fd) < 0 || og_ksyms_load(&k->ks) < 0)
			og_warn("kernel stacks: %s", og_errmsg());
	}
	if (k->fd < 0 || bpf_map_lookup_elem(k->fd, &id, ips) < 0)
		return NULL;
	for (int i = 0; i < OG_STACK_DEPTH && ips[i]; i++)
		k->frames[n++] = og_ksyms_format(&k->ks, ips[i], k->text[i], sizeof(k->text[i]));
	k->frames[n] = NULL;
	return k->frames;
}

static void kstack_free(struct kstack_ctx *k)
{
	if (k->fd >= 0)
		close(k->fd);
	og_ksyms_free(&k->ks);
}

static const struct og_crash_stack *crash_stack(void *arg, const struct og_rec *crash)
{
	struct dump_source *src = arg;

	return src->ops->crash_stack(src, crash);
}

static bool in_list(char **list, const char *name)
{
	for (char **s = list; *s; s++)
		if (strcmp(*s, name) == 0)
			return true;
	return false;
}

bool show_selected(const struct dump_opts *o, const struct og_event *ev)
{
	const struct og_rec *r = ev->rec;
	char nbuf[32];

	if (ev->runtime && !o->runtime)
		return false;
	if (o->pid && !og_rec_has_pid(r, o->pid, o->host_pids))
		return false;
	if (o->events && !in_list(o->events, og_event_name(ev)))
		return false;
	if (!og_event_is_syscall(ev))
		return !o->syscalls || o->events; /* --syscall alone: syscalls only */
	return !o->syscalls || in_list(o->syscalls, og_event_syscall_name(ev, nbuf, sizeof(nbuf)));
}

/* A record the text leaves out: a signal sent inside the container prints
 * at its delivery, a crash snapshot under it, a fork's child side not at
 * all (og_print_text). */
static bool text_skips(const struct og_event *ev)
{
	const struct og_signal *s = og_rec_body(ev->rec);

	return ev->joined || (ev->rec->type == OG_REC_SIGNAL && s->what == OG_SIG_SENT && !og_signal_sent_shown(s)) ||
	       og_event_fork_child(ev);
}

/*
 * Marks the records of the runtime setting the container up: everything
 * before its first successful execve (the counts beside the ring say
 * when it returned), except that execve. None has returned yet: all of
 * them. Returns how many the text would have printed.
 */
size_t show_mark_runtime(const struct og_ring_view *v, struct og_event *evs, size_t nev)
{
	struct og_ring_counts c;
	size_t n = 0;

	if (og_ring_counts_read(v, &c) < 0)
		return 0; /* a ring without counts: nothing known, nothing hidden */
	for (size_t i = 0; i < nev; i++) {
		const struct og_rec *e = evs[i].rec;
		const struct og_sys *x = og_event_exit_sys(&evs[i]);
		bool exec = e->type == OG_REC_SYSCALL && og_syscall_role(og_rec_arch(e), e->nr) == OG_ROLE_EXEC;

		if (c.ran && (e->ts_ns >= c.ran_ns || (exec && x && x->ret == 0)))
			continue;
		evs[i].runtime = true;
		n += !text_skips(&evs[i]);
	}
	return n;
}

int show_events(const struct dump_opts *o, const struct og_print_ctx *ctx, struct og_event *evs, size_t nev)
{
	size_t start = 0, sel = 0;
	int r = 0;

	if (o->tail >= 0) {
		for (size_t i = nev; i-- > 0;) {
			if (!show_selected(o, &evs[i]))
				continue;
			if (sel++ == (size_t)o->tail)
				break;
			start = i;
		}
		if (o->tail == 0)
			return 0;
	}
	for (size_t i = start; i < nev && r == 0; i++) {
		/* A whole ring's records are long out of the caches: fetch the
		 * ones a few lines ahead while this one prints. */
		if (i + 8 < nev)
			__builtin_prefetch(evs[i + 8].rec);
		if (!show_selected(o, &evs[i]))
			continue;
		r = o->json ? og_print_json(stdout, ctx, &evs[i]) : og_print_text(stdout, ctx, &evs[i]);
	}
	fflush(stdout);
	return r;
}

int cmd_show(const struct dump_opts *o, const char *query)
{
	__attribute__((cleanup(kstack_free))) struct kstack_ctx kctx = {.root = o->root, .fd = -1};
	cleanup_dump_batch struct dump_batch b = {};
	cleanup_dump_source struct dump_source src = {};
	cleanup_free struct og_syscall_desc *table = NULL;
	const struct og_container_meta *meta = &src.meta;
	struct og_print_ctx ctx = {};
	struct og_time_state times = {};
	struct og_ring_read_opts ropts = {};
	size_t hidden;
	int r;

	r = dump_source_open(o, query, &src);
	if (r < 0)
		return r;
	/* Asking for events of a family the container did not record is
	 * answered, not met with silence. */
	if (o->leaks && !(src.header->hdr->events & OG_FAM_MALLOC))
		return og_err(ENODATA,
			      "container '%s' recorded no allocations: its malloc probes were not asked for "
			      "(io.oci-gadget.uprobes=malloc, or uprobes in oci-gadget.conf)",
			      meta->id);
	for (char **e = o->events; e && *e; e++) {
		uint32_t fam = og_event_name_family(*e);
		char fname[64];

		if (fam && !(src.header->hdr->events & fam))
			og_warn("container '%s' recorded no %s events: its %s probes were not asked for "
				"(io.oci-gadget.uprobes)",
				meta->id, *e, og_families_name(fam, fname, sizeof(fname)));
	}
	table = src.ops->syscall_table(&src);
	ctx.table = table;
	src.want_fds = !o->no_fd_paths && !o->leaks;
	ctx.fds = src.want_fds ? &src.fds : NULL;
	ctx.boot_to_real_ns = src.boot_to_real;
	ctx.time_fmt = o->time_fmt;
	ctx.times = &times;
	ctx.kstack = kstack_frames;
	ctx.kstack_arg = &kctx;
	ctx.crash_stack = crash_stack;
	ctx.crash_arg = &src;
	ctx.host_pids = o->host_pids;
	if (o->follow)
		ropts = follow_read_opts(false);
	r = dump_batch_read(&src, &b, &ropts);
	if (r < 0)
		return og_err_wrap(-r, "ring of container '%s'", meta->id);
	if (o->leaks)
		return show_leaks(o, meta, &b);
	hidden = show_mark_runtime(src.header, b.evs, b.nev);
	if (hidden && !o->runtime && !o->json)
		printf("# %zu records of the runtime setting the container up, before its first execve, hidden "
		       "(--runtime shows them)\n",
		       hidden);
	/* A full or damaged table is said, not silent (as network's peer
	 * set): some fds show as bare numbers. On stderr, for JSON too. */
	if (ctx.fds && (src.fds.counts.full || src.fds.skipped))
		og_warn("%s: %llu fds not kept (the fd table was full), %zu entries skipped: they show as bare numbers",
			meta->id, (unsigned long long)src.fds.counts.full, src.fds.skipped);
	/* Following: what was lost before the first records, in the stream
	 * too, so that the lines printed and the records reported lost add up
	 * to what the container did. */
	if (o->follow)
		r = follow_report_lost(o, &(struct og_ring_read_stats){0}, &b.st);
	if (r == 0)
		r = show_events(o, &ctx, b.evs, b.nev);
	if (r == 0 && o->follow)
		r = show_follow(o, &ctx, &src, &b);
	if (!o->json && (b.st.overwritten || b.st.torn))
		og_warn("%s: %llu bytes of older records overwritten, %llu records torn or skipped", meta->id,
			(unsigned long long)b.st.overwritten, (unsigned long long)b.st.torn);
	return r;
}
