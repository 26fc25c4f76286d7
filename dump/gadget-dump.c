// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump: lists recorded containers and prints their rings. */
#include "config.h"
#include "og_container.h"
#include "og_pins.h"
#include "og_print.h"
#include "og_ring.h"
#include "og_syscalls.h"
#include "og_tracer.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <string.h>
#include <time.h>

struct dump_opts {
	const char *root;
	bool json;
	bool follow;
	char **syscalls; /* NULL-terminated, or NULL: all */
	int pid;
	long tail; /* -1: all */
	int keep;
	uint64_t older_than_s;
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: gadget-dump [--pin-root DIR] list [--json]\n"
		     "       gadget-dump [--pin-root DIR] [show] CONTAINER [--json] [-f|--follow]\n"
		     "                   [--syscall NAME,...] [--pid N] [--tail N]\n"
		     "       gadget-dump [--pin-root DIR] prune [--keep N] [--older-than DURATION]\n"
		     "\n"
		     "CONTAINER is an id, a unique id prefix, a name, or POD/CONTAINER and\n"
		     "NAMESPACE/POD/CONTAINER for Kubernetes containers.\n"
		     "  --json          JSON Lines, one syscall per line\n"
		     "  -f, --follow    keep printing new records until the container stops\n"
		     "  --syscall LIST  only these syscalls (names, comma separated)\n"
		     "  --pid N         only this process or thread\n"
		     "  --tail N        only the last N syscalls\n"
		     "  --keep N        prune: keep the newest N stopped containers (default 0)\n"
		     "  --older-than D  prune: only those stopped longer ago than D (30m, 12h, 7d)\n"
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
	uint64_t held, overwritten, torn, head;
};

static int ring_counts(const char *root, const struct og_container_meta *m, struct ring_counts *rc)
{
	struct og_ring_read_stats st = {};
	struct og_ring_view v;
	char path[4096];
	int r;

	memset(rc, 0, sizeof(*rc));
	r = og_container_ring_path(root, m->id, path, sizeof(path));
	if (r == 0)
		r = og_ring_open_pinned(path, &v);
	if (r < 0)
		return r;
	og_ring_count(&v, &rc->held, &st);
	rc->overwritten = st.overwritten;
	rc->torn = st.torn;
	rc->head = st.head;
	og_ring_close(&v);
	return 0;
}

static int cmd_list(const struct dump_opts *o)
{
	struct og_container_meta *metas = NULL;
	size_t n = 0;
	int r;

	r = og_container_list(o->root, &metas, &n);
	if (r < 0)
		return r;
	if (!o->json)
		printf("%-20s %-20s %-8s %10s %10s %8s %6s %8s %11s %5s %-20s %-20s\n", "ID", "NAME", "STATE", "CGROUP",
		       "MNTNS", "PID", "RING", "RECORDS", "OVERWRITTEN", "TORN", "STARTED", "STOPPED");
	for (size_t i = 0; i < n; i++) {
		const struct og_container_meta *m = &metas[i];
		const char *state = m->state == OG_STATE_RUNNING ? "running" : "stopped";
		struct ring_counts rc;
		char started[32], stopped[32], ring[16];

		if (ring_counts(o->root, m, &rc) < 0)
			fprintf(stderr, "gadget-dump: %s\n", og_errmsg());
		fmt_time(started, sizeof(started), m->started_ns);
		fmt_time(stopped, sizeof(stopped), m->stopped_ns);
		if (o->json) {
			yajl_gen g = yajl_gen_alloc(NULL);

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
			og_json_u64(g, "records", rc.held);
			og_json_u64(g, "overwritten", rc.overwritten);
			og_json_u64(g, "torn", rc.torn);
			og_json_u64(g, "started_ns", m->started_ns);
			og_json_u64(g, "stopped_ns", m->stopped_ns);
			yajl_gen_map_close(g);
			og_json_line(stdout, g);
		} else {
			snprintf(ring, sizeof(ring), "%uK", m->ring_bytes >> 10);
			printf("%-20.20s %-20.64s %-8s %10llu %10llu %8d %6s %8llu %11llu %5llu %-20s %-20s\n", m->id,
			       m->name, state, (unsigned long long)m->cgroup_id, (unsigned long long)m->mntns_id,
			       m->pid, ring, (unsigned long long)rc.held, (unsigned long long)rc.overwritten,
			       (unsigned long long)rc.torn, started, stopped);
		}
	}
	free(metas);
	return 0;
}

static bool event_selected(const struct dump_opts *o, const struct og_event *ev)
{
	const struct og_record *r = ev->enter ? ev->enter : ev->exit;
	char nbuf[32];

	if (o->pid && (int)r->tgid != o->pid && (int)r->tid != o->pid)
		return false;
	if (o->syscalls) {
		const char *name = og_event_syscall_name(ev, nbuf, sizeof(nbuf));
		for (char **s = o->syscalls; *s; s++)
			if (strcmp(*s, name) == 0)
				return true;
		return false;
	}
	return true;
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

static int cmd_show(const struct dump_opts *o, const char *query)
{
	struct og_container_meta meta;
	struct og_ring_read_stats st = {};
	struct og_print_ctx ctx = {};
	struct og_ring_view v;
	cleanup_free struct og_syscall_desc *table = NULL;
	cleanup_free struct og_record *recs = NULL;
	cleanup_free struct og_event *evs = NULL;
	char path[4096];
	uint64_t from = 0;
	size_t n, nev;
	int r;

	r = og_container_resolve(o->root, query, &meta);
	if (r < 0)
		return r;
	r = og_container_ring_path(o->root, meta.id, path, sizeof(path));
	if (r == 0)
		r = og_ring_open_pinned(path, &v);
	if (r < 0)
		return og_err(-r, "container '%s': %s", meta.id, og_errmsg());
	table = load_table(o->root);
	ctx.table = table;
	ctx.boot_to_real_ns = (int64_t)og_realtime_ns() - (int64_t)og_boottime_ns();
	recs = malloc(v.slot_count * sizeof(*recs));
	evs = malloc(v.slot_count * sizeof(*evs));
	if (!recs || !evs) {
		og_ring_close(&v);
		return og_err(ENOMEM, "ring of container '%s'", meta.id);
	}
	r = og_ring_read(&v, &from, recs, v.slot_count, &n, o->follow, &st);
	nev = og_pair_records(recs, n, evs);
	r = print_events(o, &ctx, evs, nev);
	while (r == 0 && o->follow && !stop_requested) {
		struct og_container_meta now;
		bool stopped = og_meta_read(o->root, meta.id, &now) < 0 || now.state != OG_STATE_RUNNING ||
			       now.started_ns != meta.started_ns;

		if (!stopped)
			usleep(100 * 1000);
		og_ring_read(&v, &from, recs, v.slot_count, &n, !stopped, &st);
		nev = og_pair_records(recs, n, evs);
		struct dump_opts all = *o;
		all.tail = -1;
		r = print_events(&all, &ctx, evs, nev);
		if (stopped)
			break;
	}
	if (!o->json && (st.overwritten || st.torn))
		fprintf(stderr, "gadget-dump: %s: %llu older records overwritten, %llu torn or skipped\n", meta.id,
			(unsigned long long)st.overwritten, (unsigned long long)st.torn);
	og_ring_close(&v);
	return r;
}

static int cmd_prune(const struct dump_opts *o)
{
	int removed, r;

	if (!og_pin_exists(o->root))
		return 0;
	r = og_container_prune(o->root, o->keep, o->older_than_s, &removed);
	if (r == 0)
		printf("removed %d stopped container%s\n", removed, removed == 1 ? "" : "s");
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
		{"pin-root", required_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},
		{"follow", no_argument, NULL, 'f'},
		{"syscall", required_argument, NULL, 's'},
		{"pid", required_argument, NULL, 'P'},
		{"tail", required_argument, NULL, 't'},
		{"keep", required_argument, NULL, 'k'},
		{"older-than", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{},
	};
	struct dump_opts o = {.root = OG_DEFAULT_PIN_ROOT, .tail = -1, .keep = 0};
	const char *cmd = NULL, *arg = NULL;
	int c, r;

	while ((c = getopt_long(argc, argv, "p:jfs:P:t:k:o:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.root = optarg; break;
		case 'j': o.json = true; break;
		case 'f': o.follow = true; break;
		case 's': o.syscalls = split_list(optarg); break;
		case 'P': o.pid = atoi(optarg); break;
		case 't': o.tail = atol(optarg); break;
		case 'k': o.keep = atoi(optarg); break;
		case 'o':
			if (og_parse_duration(optarg, &o.older_than_s) < 0) {
				fprintf(stderr, "gadget-dump: --older-than: %s\n", og_errmsg());
				return 2;
			}
			break;
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
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (strcmp(cmd, "list") == 0 && !arg)
		r = cmd_list(&o);
	else if (strcmp(cmd, "prune") == 0 && !arg)
		r = cmd_prune(&o);
	else if (strcmp(cmd, "show") == 0 && arg)
		r = cmd_show(&o, arg);
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
