// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump: lists recorded containers and prints their rings. */
#include "config.h"
#include "og_container.h"
#include "og_events.h"
#include "og_ksyms.h"
#include "og_leaks.h"
#include "og_pins.h"
#include "og_print.h"
#include "og_record.h"
#include "og_ring.h"
#include "og_seccomp.h"
#include "og_net.h"
#include "og_syscalls.h"
#include "og_tracer.h"
#include "og_usyms.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <sys/socket.h>
#include <string.h>
#include <time.h>

struct dump_opts {
	const char *root;
	bool json;
	bool follow;
	char **syscalls; /* NULL-terminated, or NULL: all */
	char **events;	 /* event names ("syscall", "malloc", ...), or NULL: all */
	bool leaks;
	int pid;
	long tail; /* -1: all */
	int keep;
	uint64_t older_than_s;
	const char *input;  /* seccomp --input */
	const char *output; /* seccomp -o */
	bool with_setup;    /* seccomp --with-setup */
	const char *format; /* seccomp: podman, oci; network: networkpolicy */
	bool runtime;	    /* show the runtime's records before the container's first execve */
};

static volatile sig_atomic_t stop_requested;

/* --follow: how long a running syscall is waited for before it is printed
 * as unfinished, and how many such are watched for their end. */
#define FOLLOW_HOLD_NS (200 * 1000 * 1000ULL)
#define FOLLOW_PENDING_MAX 4096

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: gadget-dump [--pin-root DIR] list [--json]\n"
		     "       gadget-dump [--pin-root DIR] [show] CONTAINER [--json] [-f|--follow]\n"
		     "                   [--syscall NAME,...] [--event NAME,...] [--pid N] [--tail N] [--runtime]\n"
		     "       gadget-dump [--pin-root DIR] [show] CONTAINER --leaks [--json]\n"
		     "       gadget-dump [--pin-root DIR] probes CONTAINER [--json]\n"
		     "       gadget-dump [--pin-root DIR] seccomp CONTAINER [--format podman|oci]\n"
		     "                   [--input FILE] [-o FILE] [--with-setup]\n"
		     "       gadget-dump [--pin-root DIR] summary CONTAINER [--json]\n"
		     "       gadget-dump [--pin-root DIR] network CONTAINER [--json|--format networkpolicy]\n"
		     "       gadget-dump [--pin-root DIR] prune [--keep N] [--older-than DURATION]\n"
		     "\n"
		     "CONTAINER is an id, a unique id prefix, a name, or POD/CONTAINER and\n"
		     "NAMESPACE/POD/CONTAINER for Kubernetes containers.\n"
		     "  --json          JSON Lines, one syscall per line\n"
		     "  -f, --follow    keep printing new records until the container stops\n"
		     "  --syscall LIST  only these syscalls (names, comma separated)\n"
		     "  --event LIST    only these events: syscall, malloc, calloc, realloc, free,\n"
		     "                  posix_memalign, aligned_alloc, mmap, munmap, ssl_write,\n"
		     "                  ssl_read, gc, throw, rethrow\n"
		     "  --leaks         allocations not freed when the ring was read, by stack\n"
		     "  --pid N         only this process or thread\n"
		     "  --tail N        only the last N syscalls\n"
		     "  --runtime       also the runtime's records before the container's first execve\n"
		     "                  (hidden by default; JSON keeps them, marked \"runtime\": true)\n"
		     "  --keep N        prune: keep the newest N stopped containers (default 0)\n"
		     "  --older-than D  prune: only those stopped longer ago than D (30m, 12h, 7d)\n"
		     "  --input FILE    seccomp: merge into this profile (what it blocks stays blocked)\n"
		     "  -o FILE         seccomp: write the profile here (default: stdout)\n"
		     "  --with-setup    seccomp: also allow what the runtime did before the first execve\n"
		     "  --pin-root DIR  pins of the tracer (default " OG_DEFAULT_PIN_ROOT ")\n");
}

static struct og_syscall_desc *load_table(const char *root)
{
	struct og_syscall_desc *table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
	cleanup_close int fd = -1;

	if (!table || og_tracer_map_open(root, "syscall_args", &fd) < 0)
		return table; /* raw arguments only */
	for (__u32 k = 0; k < OG_SYSCALL_TABLE_SIZE; k++)
		if (bpf_map_lookup_elem(fd, &k, &table[k]) < 0)
			memset(&table[k], 0, sizeof(table[k]));
	return table;
}

static void fmt_time(char *buf, size_t size, uint64_t ns)
{
	time_t t = ns / 1000000000ULL;
	struct tm tm;

	if (!ns) {
		snprintf(buf, size, "-");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

struct ring_counts {
	struct og_ring_read_stats st;
	uint64_t dropped, standalone_exits;
};

static int ring_counts(const char *root, const struct og_container_meta *m, struct ring_counts *rc)
{
	struct og_ring_view v;
	int r;

	memset(rc, 0, sizeof(*rc));
	r = og_container_open_ring_id(root, m->id, &v);
	if (r < 0)
		return r;
	og_ring_count(&v, &rc->st);
	rc->dropped = __atomic_load_n(&v.hdr->dropped, __ATOMIC_RELAXED);
	rc->standalone_exits = __atomic_load_n(&v.hdr->standalone_exits, __ATOMIC_RELAXED);
	og_ring_close(&v);
	return 0;
}

/* A directory whose metadata cannot be read: listed with the reason. */
static void list_broken(const struct dump_opts *o, const struct og_container_meta *m)
{
	if (o->json) {
		yajl_gen g = yajl_gen_alloc(NULL);

		if (!g) {
			fprintf(stderr, "gadget-dump: %s: out of memory\n", m->id);
			return;
		}
		yajl_gen_map_open(g);
		og_json_str(g, "id", m->id);
		og_json_str(g, "state", "broken");
		og_json_str(g, "reason", m->bundle);
		yajl_gen_map_close(g);
		if (og_json_line(stdout, g) < 0)
			fprintf(stderr, "gadget-dump: %s\n", og_errmsg());
		return;
	}
	printf("%-20.20s %-20s %-8s\n", m->id, "-", "broken");
	fprintf(stderr, "gadget-dump: container '%s': %s (gadget-dump prune removes it)\n", m->id, m->bundle);
}

static int cmd_list(const struct dump_opts *o)
{
	cleanup_free struct og_container_meta *metas = NULL;
	size_t n = 0;
	int r;

	r = og_container_list(o->root, &metas, &n);
	if (r < 0)
		return r;
	if (!o->json)
		printf("%-20s %-20s %-8s %10s %10s %8s %6s %8s %11s %5s %-20s %-20s\n", "ID", "NAME", "STATE", "CGROUP",
		       "MNTNS", "PID", "RING", "RECORDS", "WRITTEN", "TORN", "STARTED", "STOPPED");
	for (size_t i = 0; i < n; i++) {
		const struct og_container_meta *m = &metas[i];
		const char *state = m->state == OG_STATE_RUNNING ? "running" : "stopped";
		struct ring_counts rc;
		char started[32], stopped[32], ring[16];

		if (m->state == OG_STATE_BROKEN) {
			list_broken(o, m);
			continue;
		}
		if (ring_counts(o->root, m, &rc) < 0)
			fprintf(stderr, "gadget-dump: %s\n", og_errmsg());
		fmt_time(started, sizeof(started), m->started_ns);
		fmt_time(stopped, sizeof(stopped), m->stopped_ns);
		if (o->json) {
			yajl_gen g = yajl_gen_alloc(NULL);

			if (!g)
				return og_err(ENOMEM, "JSON generator");
			yajl_gen_map_open(g);
			og_json_str(g, "id", m->id);
			og_json_str(g, "name", m->name);
			if (m->pod[0]) {
				og_json_str(g, "pod", m->pod);
				og_json_str(g, "namespace", m->namespace_);
			}
			og_json_str(g, "state", state);
			og_json_u64(g, "cgroup_id", m->cgroup_id);
			og_json_u64(g, "mntns_id", m->mntns_id);
			og_json_u64(g, "pid", m->pid);
			og_json_str(g, "bundle", m->bundle);
			og_json_u64(g, "ring_bytes", m->ring_bytes);
			og_json_u64(g, "records", rc.st.records);
			og_json_u64(g, "record_bytes", rc.st.record_bytes);
			og_json_u64(g, "pad_bytes", rc.st.pad_bytes);
			og_json_u64(g, "bytes_written", rc.st.head);
			og_json_u64(g, "bytes_overwritten", rc.st.overwritten);
			og_json_u64(g, "window_bytes", rc.st.window);
			og_json_u64(g, "torn", rc.st.torn);
			og_json_u64(g, "in_progress", rc.st.in_progress);
			og_json_u64(g, "dropped", rc.dropped);
			og_json_u64(g, "standalone_exits", rc.standalone_exits);
			og_json_u64(g, "started_ns", m->started_ns);
			og_json_u64(g, "stopped_ns", m->stopped_ns);
			yajl_gen_map_close(g);
			if (og_json_line(stdout, g) < 0)
				return -EIO;
		} else {
			char written[24];

			snprintf(ring, sizeof(ring), "%uK", m->ring_bytes >> 10);
			snprintf(written, sizeof(written), "%lluK", (unsigned long long)(rc.st.head >> 10));
			printf("%-20.20s %-20.64s %-8s %10llu %10llu %8d %6s %8llu %11s %5llu %-20s %-20s\n", m->id,
			       m->name, state, (unsigned long long)m->cgroup_id, (unsigned long long)m->mntns_id,
			       m->pid, ring, (unsigned long long)rc.st.records, written, (unsigned long long)rc.st.torn,
			       started, stopped);
		}
	}
	return 0;
}

static bool in_list(char **list, const char *name)
{
	for (char **s = list; *s; s++)
		if (strcmp(*s, name) == 0)
			return true;
	return false;
}

static bool event_selected(const struct dump_opts *o, const struct og_event *ev)
{
	const struct og_rec *r = ev->rec;
	char nbuf[32];

	if (ev->runtime && !o->runtime && !o->json)
		return false;
	if (o->pid && (int)r->tgid != o->pid && (int)r->tid != o->pid)
		return false;
	if (o->events && !in_list(o->events, og_event_name(ev)))
		return false;
	if (og_event_is_probe(ev))
		return !o->syscalls || o->events; /* --syscall alone: syscalls only */
	if (o->syscalls) {
		const char *name = og_event_syscall_name(ev, nbuf, sizeof(nbuf));
		for (char **s = o->syscalls; *s; s++)
			if (strcmp(*s, name) == 0)
				return true;
		return false;
	}
	return true;
}

/*
 * Marks the records of the runtime setting the container up: everything
 * before its first successful execve (the counts beside the ring say
 * when it returned), except that execve. None has returned yet: all of
 * them. Returns how many.
 */
static size_t mark_runtime(const struct og_ring_view *v, struct og_event *evs, size_t nev)
{
	struct og_ring_counts c;
	size_t n = 0;

	if (og_ring_counts_read(v, &c) < 0)
		return 0; /* a ring without counts: nothing known, nothing hidden */
	for (size_t i = 0; i < nev; i++) {
		const struct og_rec *e = evs[i].rec;
		const struct og_sys *x = og_event_exit_sys(&evs[i]);
		bool i386 = og_rec_arch(e) == OG_ARCH_I386;
		bool exec =
			e->type == OG_REC_SYSCALL && (i386 ? e->nr == 11 || e->nr == 358 : e->nr == 59 || e->nr == 322);

		if (c.ran && (e->ts_ns >= c.ran_ns || (exec && x && x->ret == 0)))
			continue;
		evs[i].runtime = true;
		n++;
	}
	return n;
}

static int print_events(const struct dump_opts *o, const struct og_print_ctx *ctx, struct og_event *evs, size_t nev)
{
	size_t start = 0, sel = 0;
	int r = 0;

	if (o->tail >= 0) {
		for (size_t i = nev; i-- > 0;) {
			if (!event_selected(o, &evs[i]))
				continue;
			if (sel++ == (size_t)o->tail)
				break;
			start = i;
		}
		if (o->tail == 0)
			return 0;
	}
	for (size_t i = start; i < nev && r == 0; i++) {
		if (!event_selected(o, &evs[i]))
			continue;
		r = o->json ? og_print_json(stdout, ctx, &evs[i]) : og_print_text(stdout, ctx, &evs[i]);
	}
	fflush(stdout);
	return r;
}

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
			fprintf(stderr, "gadget-dump: kernel stacks: %s\n", og_errmsg());
	}
	if (k->fd < 0 || bpf_map_lookup_elem(k->fd, &id, ips) < 0)
		return NULL;
	for (int i = 0; i < OG_STACK_DEPTH && ips[i]; i++)
		k->frames[n++] = og_ksyms_format(&k->ks, ips[i], k->text[i], sizeof(k->text[i]));
	k->frames[n] = NULL;
	return k->frames;
}

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

static int print_leaks(const struct dump_opts *o, const struct og_container_meta *m, const struct og_event *evs,
		       size_t nev, const struct og_ring_read_stats *st)
{
	struct og_leak_report rep;
	cleanup_close int fd = -1;
	char frames[OG_STACK_DEPTH][300];
	int r;

	r = og_leaks_compute(evs, nev, &rep);
	if (r < 0)
		return r;
	if (og_tracer_map_open(o->root, "ustacks", &fd) < 0)
		fd = -1;
	if (m->state != OG_STATE_RUNNING && !o->json)
		printf("container %s stopped: allocations not freed before it stopped\n", m->id);
	if (st->overwritten && !o->json)
		printf("PARTIAL: the ring wrapped; %llu bytes of older records were overwritten, so allocations made "
		       "before them are missing here and some frees had nothing to match (%llu)\n",
		       (unsigned long long)st->overwritten, (unsigned long long)rep.unmatched_frees);
	for (size_t g = 0; g < rep.ngroups; g++) {
		const struct og_leak_group *lg = &rep.groups[g];
		ssize_t got = ustack_frames(fd, lg->stack_id, lg->stack_check, lg->pid, frames);
		size_t nf = got < 0 ? 0 : (size_t)got;

		if (o->json) {
			yajl_gen y = yajl_gen_alloc(NULL);

			if (!y)
				return og_err(ENOMEM, "JSON generator");
			yajl_gen_map_open(y);
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
			yajl_gen_map_close(y);
			if (og_json_line(stdout, y) < 0)
				return -EIO;
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
		for (size_t i = 0; i < nf; i++)
			printf("    %s\n", frames[i]);
		if (lg->stack_id >= 0 && got >= 0 && nf <= 2)
			printf("    (a short stack: the code likely has no frame pointers)\n");
	}
	if (o->json) {
		yajl_gen y = yajl_gen_alloc(NULL);

		if (!y)
			return og_err(ENOMEM, "JSON generator");
		yajl_gen_map_open(y);
		og_json_str(y, "event", "leak_summary");
		og_json_u64(y, "bytes", rep.bytes);
		og_json_u64(y, "allocations", rep.count);
		og_json_u64(y, "overwritten_bytes", st->overwritten);
		og_json_u64(y, "unmatched_frees", rep.unmatched_frees);
		og_json_bool(y, "partial", st->overwritten != 0);
		yajl_gen_map_close(y);
		if (og_json_line(stdout, y) < 0)
			return -EIO;
	} else {
		printf("total: %llu bytes in %llu allocations not freed\n", (unsigned long long)rep.bytes,
		       (unsigned long long)rep.count);
	}
	og_leaks_free(&rep);
	return 0;
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
static int pending_check(const struct dump_opts *o, const struct og_print_ctx *ctx, const struct og_ring_view *v,
			 struct pending *p, size_t *n, const struct og_event *batch, size_t nbatch)
{
	size_t keep = 0;
	int r = 0;

	for (size_t i = 0; i < *n && r == 0; i++) {
		struct og_rec_buf b = {};
		int c = og_ring_copy_done(v, p[i].pos, &b);

		if (c == 1) {
			struct og_event ev = {.rec = (const struct og_rec *)b.data, .last_of_thread = true};

			if (event_selected(o, &ev))
				r = o->json ? og_print_json(stdout, ctx, &ev) : og_print_text(stdout, ctx, &ev);
		} else if (c == 0) {
			bool moved_on = false;

			for (size_t k = 0; k < nbatch && !moved_on; k++)
				moved_on = batch[k].rec->tid == p[i].tid && og_rec_pos(batch[k].rec) != p[i].pos;
			if (!moved_on)
				p[keep++] = p[i];
		}
		og_rec_buf_free(&b);
	}
	*n = keep;
	return r;
}

static int cmd_show(const struct dump_opts *o, const char *query)
{
	struct kstack_ctx kctx = {.root = o->root, .fd = -1};
	struct og_container_meta meta;
	struct og_ring_read_stats st = {};
	struct og_print_ctx ctx = {};
	struct og_ring_read_opts ropts = {};
	struct og_ring_view v;
	struct og_rec_buf recs = {};
	cleanup_free struct og_syscall_desc *table = NULL;
	cleanup_free struct og_event *evs = NULL;
	cleanup_free struct pending *pend = NULL;
	size_t npend = 0, nev = 0, hidden;
	uint64_t from = 0;
	int r;

	r = og_container_open_ring(o->root, query, &meta, &v);
	if (r < 0)
		return r;
	/* Asking for events of a family the container did not record is
	 * answered, not met with silence. */
	if (o->leaks && !(v.hdr->events & OG_FAM_MALLOC)) {
		og_ring_close(&v);
		return og_err(ENODATA,
			      "container '%s' recorded no allocations: its malloc probes were not asked for "
			      "(io.oci-gadget.uprobes=malloc, or uprobes in oci-gadget.conf)",
			      meta.id);
	}
	for (char **e = o->events; e && *e; e++) {
		uint32_t fam = og_event_name_family(*e);
		char fname[64];

		if (fam && !(v.hdr->events & fam))
			fprintf(stderr,
				"gadget-dump: container '%s' recorded no %s events: its %s probes were not asked for "
				"(io.oci-gadget.uprobes)\n",
				meta.id, *e, og_families_name(fam, fname, sizeof(fname)));
	}
	table = load_table(o->root);
	ctx.table = table;
	ctx.boot_to_real_ns = (int64_t)og_realtime_ns() - (int64_t)og_boottime_ns();
	ctx.kstack = kstack_frames;
	ctx.kstack_arg = &kctx;
	if (o->follow) {
		/* A syscall younger than this is waited for, then printed whole. */
		ropts.wait_writing = true;
		ropts.hold_after_ns = og_boottime_ns() - FOLLOW_HOLD_NS;
		pend = calloc(FOLLOW_PENDING_MAX, sizeof(*pend));
		if (!pend) {
			og_ring_close(&v);
			return og_err(ENOMEM, "follow");
		}
	}
	r = og_ring_read(&v, &from, &recs, &ropts, &st);
	if (r == 0)
		r = og_events_from_records(&recs, &evs, &nev);
	if (r < 0) {
		og_ring_close(&v);
		og_rec_buf_free(&recs);
		return og_err_wrap(-r, "ring of container '%s'", meta.id);
	}
	if (o->leaks) {
		r = print_leaks(o, &meta, evs, nev, &st);
		og_ring_close(&v);
		og_rec_buf_free(&recs);
		return r;
	}
	hidden = mark_runtime(&v, evs, nev);
	if (hidden && !o->runtime && !o->json)
		printf("# %zu records of the runtime setting the container up, before its first execve, hidden "
		       "(--runtime shows them)\n",
		       hidden);
	r = print_events(o, &ctx, evs, nev);
	while (r == 0 && o->follow && !stop_requested) {
		struct og_container_meta now;
		struct dump_opts all = *o;
		bool stopped = og_meta_read(o->root, meta.id, &now) < 0 || now.state != OG_STATE_RUNNING ||
			       now.started_ns != meta.started_ns;

		for (size_t i = 0; i < nev; i++)
			if (!og_event_is_probe(&evs[i]) && og_event_enter(&evs[i]) && !evs[i].exit &&
			    og_rec_state(evs[i].rec) == OG_TAG_ENTERED)
				pending_add(pend, &npend, &evs[i]);
		if (!stopped)
			usleep(100 * 1000);
		recs.len = 0;
		free(evs);
		evs = NULL;
		ropts.hold_after_ns = stopped ? 0 : og_boottime_ns() - FOLLOW_HOLD_NS;
		ropts.wait_writing = !stopped;
		r = og_ring_read(&v, &from, &recs, &ropts, &st);
		if (r == 0)
			r = og_events_from_records(&recs, &evs, &nev);
		if (r == 0)
			mark_runtime(&v, evs, nev);
		if (r == 0)
			r = pending_check(o, &ctx, &v, pend, &npend, evs, nev);
		all.tail = -1;
		if (r == 0)
			r = print_events(&all, &ctx, evs, nev);
		if (stopped)
			break;
	}
	if (!o->json && (st.overwritten || st.torn))
		fprintf(stderr,
			"gadget-dump: %s: %llu bytes of older records overwritten, %llu records torn or skipped\n",
			meta.id, (unsigned long long)st.overwritten, (unsigned long long)st.torn);
	og_ring_close(&v);
	og_rec_buf_free(&recs);
	if (kctx.fd >= 0)
		close(kctx.fd);
	og_ksyms_free(&kctx.ks);
	return r;
}

/* What gadget-hook probed in the container's image, and why a family
 * found nothing: the report pinned beside its ring. */
static int cmd_probes(const struct dump_opts *o, const char *query)
{
	struct og_container_meta meta;
	struct og_probe_report rep;
	yajl_gen g;
	int r;

	r = og_container_resolve(o->root, query, &meta);
	if (r < 0)
		return r;
	r = og_container_read_probes(o->root, meta.id, &rep);
	if (r == -ENOENT)
		return og_err(ENOENT,
			      "container '%s': no uprobes were asked for (io.oci-gadget.uprobes, uprobes in "
			      "oci-gadget.conf)",
			      meta.id);
	if (r < 0)
		return r;
	if (!o->json) {
		fputs(rep.text, stdout);
		return ferror(stdout) ? og_err(EIO, "write output") : 0;
	}
	g = yajl_gen_alloc(NULL);
	if (!g)
		return og_err(ENOMEM, "JSON generator");
	yajl_gen_map_open(g);
	og_json_str(g, "id", meta.id);
	yajl_gen_string(g, (const unsigned char *)"lines", 5);
	yajl_gen_array_open(g);
	for (char *line = rep.text, *nl; *line; line = nl ? nl + 1 : line + strlen(line)) {
		char fam[32], path[4096], how[256];
		int n;

		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		yajl_gen_map_open(g);
		og_json_str(g, "text", line);
		if (sscanf(line, "%31[a-z]: %4095[^ ] (%d probe%*[s], %255[^)])", fam, path, &n, how) == 4 ||
		    sscanf(line, "%31[a-z]: %4095[^ ] (%d probe, %255[^)])", fam, path, &n, how) == 4) {
			og_json_str(g, "family", fam);
			og_json_str(g, "path", path);
			og_json_int(g, "probes", n);
			og_json_str(g, "found", how);
		} else if (sscanf(line, "%31[a-z]: nothing: %4095[^\n]", fam, path) == 2) {
			og_json_str(g, "family", fam);
			og_json_str(g, "nothing", path);
		}
		yajl_gen_map_close(g);
		if (!nl)
			break;
	}
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	return og_json_line(stdout, g);
}

static int write_all(const char *path, const char *data, size_t len)
{
	FILE *f = path ? fopen(path, "we") : stdout;
	int r = 0;

	if (!f)
		return og_err(errno, "open %s", path);
	if (fwrite(data, 1, len, f) != len || fflush(f) != 0)
		r = og_err(errno ? errno : EIO, "write %s", path ? path : "output");
	if (path && fclose(f) != 0 && r == 0)
		r = og_err(errno, "close %s", path);
	return r;
}

static int cmd_seccomp(const struct dump_opts *o, const char *query)
{
	struct og_container_meta meta = {0};
	struct og_ring_counts counts;
	struct og_syscall_set set;
	struct og_ring_view v;
	cleanup_free char *input = NULL, *profile = NULL;
	size_t input_len = 0, len;
	int r;

	r = og_container_open_ring(o->root, query, &meta, &v);
	if (r < 0)
		return r;
	r = og_ring_counts_read(&v, &counts);
	og_ring_close(&v);
	if (r == 0)
		r = og_seccomp_set(&counts, o->with_setup, &set);
	if (r < 0)
		return og_err_wrap(-r, "container '%s'", meta.id);
	if (o->input && (r = og_read_file(o->input, 4u << 20, &input, &input_len)) < 0)
		return r;
	r = og_seccomp_profile(&set, input, input_len, &profile, &len);
	return r < 0 ? r : write_all(o->output, profile, len);
}

/* One row of the strace -c table. */
struct sum_row {
	const char *name;
	uint64_t calls, errors, time_ns;
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
			yajl_gen g = yajl_gen_alloc(NULL);

			if (!g)
				return og_err(ENOMEM, "JSON generator");
			yajl_gen_map_open(g);
			og_json_str(g, "scope", scope);
			og_json_str(g, "syscall", rows[i].name);
			og_json_u64(g, "calls", rows[i].calls);
			og_json_u64(g, "errors", rows[i].errors);
			og_json_u64(g, "time_ns", rows[i].time_ns);
			yajl_gen_map_close(g);
			if (og_json_line(stdout, g) < 0)
				return og_err(EIO, "write output");
		}
		return 0;
	}
	printf("%% time     seconds  usecs/call     calls    errors syscall\n");
	printf("------ ----------- ----------- --------- --------- ----------------\n");
	for (size_t i = 0; i < n; i++) {
		char err[24] = "";

		if (rows[i].errors)
			snprintf(err, sizeof(err), "%llu", (unsigned long long)rows[i].errors);
		printf("%6.2f %11.6f %11llu %9llu %9s %s\n", t ? 100.0 * rows[i].time_ns / t : 0.0,
		       rows[i].time_ns / 1e9,
		       (unsigned long long)(rows[i].calls ? rows[i].time_ns / 1000 / rows[i].calls : 0),
		       (unsigned long long)rows[i].calls, err, rows[i].name);
	}
	printf("------ ----------- ----------- --------- --------- ----------------\n");
	printf("100.00 %11.6f %11s %9llu %9llu total\n", t / 1e9, "", (unsigned long long)calls,
	       (unsigned long long)errors);
	return ferror(stdout) ? og_err(EIO, "write output") : 0;
}

static int cmd_summary(const struct dump_opts *o, const char *query)
{
	struct og_container_meta meta = {0};
	struct og_ring_read_stats st = {0};
	struct og_ring_counts counts;
	struct og_rec_buf recs = {0};
	struct og_ring_view v;
	cleanup_free struct og_event *evs = NULL;
	cleanup_free struct sum_row *rows = calloc(2 * OG_SYSCALL_MAX, sizeof(*rows));
	size_t n = 0, nev = 0;
	uint64_t from = 0;
	int r, setup = 0;

	if (!rows)
		return og_err(ENOMEM, "summary");
	r = og_container_open_ring(o->root, query, &meta, &v);
	if (r < 0)
		return r;
	r = og_ring_counts_read(&v, &counts);
	if (r == 0)
		r = og_ring_read(&v, &from, &recs, NULL, &st);
	if (r == 0)
		r = og_events_from_records(&recs, &evs, &nev);
	og_ring_close(&v);
	if (r < 0) {
		og_rec_buf_free(&recs);
		return og_err_wrap(-r, "container '%s'", meta.id);
	}
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
						     .time_ns = counts.time_ns[a][nr]};
		}
	}
	if (!o->json)
		printf("container %s: its whole life from its first execve (%s); before that its runtime made %d "
		       "distinct syscalls\n",
		       meta.id, counts.ran ? "counted beside the ring" : "it never execve'd: nothing counted", setup);
	r = print_summary(o, "life", rows, n);
	/* The ring's window: what it still holds, syscalls that returned. */
	n = 0;
	for (size_t i = 0; i < nev; i++) {
		const struct og_rec *e = og_event_enter(&evs[i]);
		const struct og_sys *x = og_event_exit_sys(&evs[i]);
		const char *name;
		uint64_t ns = 0;
		size_t k;

		if (og_event_is_probe(&evs[i]) || !e || !x || !og_event_returned(&evs[i]))
			continue;
		name = og_syscall_name(og_rec_arch(e), e->nr);
		name = name ? name : "?";
		for (k = 0; k < n && strcmp(rows[k].name, name) != 0; k++)
			;
		if (k == n)
			rows[n++] = (struct sum_row){.name = name};
		rows[k].calls++;
		rows[k].errors += x->ret < 0;
		if (og_event_duration(&evs[i], &ns))
			rows[k].time_ns += ns;
	}
	if (!o->json)
		printf("\nthe ring's window: %llu records%s\n", (unsigned long long)st.records,
		       st.overwritten ? ", older ones overwritten" : "");
	if (r == 0)
		r = print_summary(o, "ring", rows, n);
	og_rec_buf_free(&recs);
	return r;
}

/* Who the container talked to over its whole life: the peer set beside
 * its ring. */
static int cmd_network(const struct dump_opts *o, const char *query)
{
	struct og_container_meta meta = {0};
	cleanup_free struct og_net_peer *peers = NULL;
	uint64_t full = 0, skipped = 0;
	struct og_ring_view v;
	size_t n = 0;
	int64_t boot_to_real = (int64_t)og_realtime_ns() - (int64_t)og_boottime_ns();
	char addr[160];
	int r;

	r = og_container_open_ring(o->root, query, &meta, &v);
	if (r < 0)
		return r;
	r = og_net_read(&v, &peers, &n, &full, &skipped);
	og_ring_close(&v);
	if (r < 0)
		return og_err_wrap(-r, "container '%s'", meta.id);
	if (full || skipped)
		fprintf(stderr, "gadget-dump: %s: %llu peers not kept (the set of %d was full), %llu slots skipped\n",
			meta.id, (unsigned long long)full, OG_NET_PEERS, (unsigned long long)skipped);
	if (o->format)
		return og_net_policy(stdout, &meta, peers, n);
	if (!o->json)
		printf("%-8s %-14s %-40s %6s %9s %-20s %-20s\n", "DIR", "PROTO", "ADDRESS", "PORT", "COUNT", "FIRST",
		       "LAST");
	for (size_t i = 0; i < n; i++) {
		const struct og_net_peer *p = &peers[i];
		bool inet = p->family != AF_UNIX;
		char first[32], last[32], port[8] = "-";
		yajl_gen g;

		og_net_addr(p, addr, sizeof(addr));
		if (!o->json) {
			fmt_time(first, sizeof(first), p->first_ns + boot_to_real);
			fmt_time(last, sizeof(last), p->last_ns + boot_to_real);
			if (inet)
				snprintf(port, sizeof(port), "%u", p->port);
			printf("%-8s %-14s %-40s %6s %9llu %-20s %-20s\n", og_net_dir_name(p->dir), og_net_proto(p),
			       addr, port, (unsigned long long)p->count, first, last);
			continue;
		}
		if (!(g = yajl_gen_alloc(NULL)))
			return og_err(ENOMEM, "JSON generator");
		yajl_gen_map_open(g);
		og_json_str(g, "direction", og_net_dir_name(p->dir));
		og_json_str(g, "protocol", og_net_proto(p));
		og_json_str(g, "family", p->family == AF_INET ? "ipv4" : p->family == AF_INET6 ? "ipv6" : "unix");
		og_json_str(g, inet ? "address" : "path", addr);
		if (inet)
			og_json_u64(g, "port", p->port);
		og_json_u64(g, "count", p->count);
		og_json_u64(g, "first_ns", p->first_ns + boot_to_real);
		og_json_u64(g, "last_ns", p->last_ns + boot_to_real);
		yajl_gen_map_close(g);
		if (og_json_line(stdout, g) < 0)
			return -EIO;
	}
	return ferror(stdout) ? og_err(EIO, "write output") : 0;
}

static int cmd_prune(const struct dump_opts *o)
{
	int removed, broken, r;

	if (!og_pin_exists(o->root))
		return 0;
	r = og_container_prune(o->root, o->keep, o->older_than_s, &removed, &broken);
	if (r == 0) {
		printf("removed %d stopped container%s", removed, removed == 1 ? "" : "s");
		if (broken)
			printf(" and %d broken director%s", broken, broken == 1 ? "y" : "ies");
		printf("\n");
	}
	return r;
}

static char **split_list(const char *s)
{
	size_t n = 2;
	char **out, *copy = strdup(s), *save = NULL;

	for (const char *p = s; *p; p++)
		n += *p == ',';
	out = calloc(n, sizeof(*out));
	if (!out || !copy)
		return NULL;
	n = 0;
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		out[n++] = t;
	return out;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"pin-root", required_argument, NULL, 'p'}, {"json", no_argument, NULL, 'j'},
		{"follow", no_argument, NULL, 'f'},	    {"syscall", required_argument, NULL, 's'},
		{"event", required_argument, NULL, 'e'},    {"leaks", no_argument, NULL, 'L'},
		{"pid", required_argument, NULL, 'P'},	    {"tail", required_argument, NULL, 't'},
		{"keep", required_argument, NULL, 'k'},	    {"older-than", required_argument, NULL, 'A'},
		{"format", required_argument, NULL, 'F'},   {"input", required_argument, NULL, 'i'},
		{"output", required_argument, NULL, 'o'},   {"with-setup", no_argument, NULL, 'S'},
		{"runtime", no_argument, NULL, 'R'},	    {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},	    {},
	};
	struct dump_opts o = {.root = OG_DEFAULT_PIN_ROOT, .tail = -1, .keep = 0};
	const char *cmd = NULL, *arg = NULL;
	int c, r;

	while ((c = getopt_long(argc, argv, "p:jfs:e:LP:t:k:o:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.root = optarg; break;
		case 'j': o.json = true; break;
		case 'f': o.follow = true; break;
		case 's': o.syscalls = split_list(optarg); break;
		case 'e': o.events = split_list(optarg); break;
		case 'L': o.leaks = true; break;
		case 'P':
		case 't':
		case 'k': {
			static const struct {
				int opt;
				const char *name;
				long max;
			} nums[] = {{'P', "--pid", 4194304}, {'t', "--tail", LONG_MAX}, {'k', "--keep", 1000000}};
			long v = 0;

			for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
				if (nums[i].opt != c)
					continue;
				if (og_parse_long(optarg, c == 'P' ? 1 : 0, nums[i].max, nums[i].name, &v) < 0) {
					fprintf(stderr, "gadget-dump: %s\n", og_errmsg());
					return 2;
				}
			}
			if (c == 'P')
				o.pid = (int)v;
			else if (c == 't')
				o.tail = v;
			else
				o.keep = (int)v;
			break;
		}
		case 'A':
			if (og_parse_duration(optarg, &o.older_than_s) < 0) {
				fprintf(stderr, "gadget-dump: --older-than: %s\n", og_errmsg());
				return 2;
			}
			break;
		case 'F': o.format = optarg; break;
		case 'i': o.input = optarg; break;
		case 'o': o.output = optarg; break;
		case 'S': o.with_setup = true; break;
		case 'R': o.runtime = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("gadget-dump %s\n", OG_VERSION_STRING); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc)
		cmd = argv[optind++];
	if (optind < argc)
		arg = argv[optind++];
	if (!cmd || optind < argc) {
		usage(stderr);
		return 2;
	}
	/* seccomp: one object serves both, podman's and Docker's profile
	 * files and the runtime spec's linux.seccomp. */
	if (o.format &&
	    !(strcmp(cmd, "seccomp") == 0 && (strcmp(o.format, "podman") == 0 || strcmp(o.format, "oci") == 0)) &&
	    !(strcmp(cmd, "network") == 0 && strcmp(o.format, "networkpolicy") == 0)) {
		fprintf(stderr,
			"gadget-dump: --format '%s': seccomp takes podman or oci, network takes networkpolicy\n",
			o.format);
		return 2;
	}
	for (char **sc = o.syscalls; sc && *sc; sc++) {
		if (og_syscall_nr(0, *sc) < 0 && og_syscall_nr(1, *sc) < 0) {
			fprintf(stderr,
				"gadget-dump: --syscall: unknown syscall '%s' (x86_64 and i386 names, as strace)\n",
				*sc);
			return 2;
		}
	}
	for (char **e = o.events; e && *e; e++) {
		if (!og_event_name_known(*e)) {
			fprintf(stderr, "gadget-dump: --event: unknown event '%s' (%s)\n", *e, og_event_names());
			return 2;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (strcmp(cmd, "list") == 0 && !arg)
		r = cmd_list(&o);
	else if (strcmp(cmd, "prune") == 0 && !arg)
		r = cmd_prune(&o);
	else if (strcmp(cmd, "show") == 0 && arg)
		r = cmd_show(&o, arg);
	else if (strcmp(cmd, "probes") == 0 && arg)
		r = cmd_probes(&o, arg);
	else if (strcmp(cmd, "seccomp") == 0 && arg)
		r = cmd_seccomp(&o, arg);
	else if (strcmp(cmd, "summary") == 0 && arg)
		r = cmd_summary(&o, arg);
	else if (strcmp(cmd, "network") == 0 && arg)
		r = cmd_network(&o, arg);
	else if (!arg)
		r = cmd_show(&o, cmd);
	else {
		usage(stderr);
		return 2;
	}
	if (r < 0) {
		fprintf(stderr, "gadget-dump: %s\n", og_errmsg());
		return 1;
	}
	return 0;
}
