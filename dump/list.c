// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump list: every container under the pin root, with its ring's
 * counts. */
#include "config.h"
#include "dump.h"
#include "og_container.h"
#include "og_signals.h"
#include "og_util.h"

#include <errno.h>
#include <string.h>

struct ring_counts {
	struct og_ring_read_stats st;
	uint64_t dropped, standalone_exits;
	uint64_t records_written; /* format 5: the records the writers numbered */
	bool has_end;
	struct og_ring_end end;
	char exit[64];
};

int dump_exit_of(const struct og_ring_view *header, struct dump_exit *x)
{
	struct og_ring_end e;
	uint64_t others_oom;

	*x = (struct dump_exit){};
	if (og_ring_end_read(header, &e) < 0 || !e.init_tgid)
		return -ENODATA;
	x->ended = e.flags & OG_END_INIT_EXITED;
	x->oom = e.flags & OG_END_INIT_OOM;
	if (x->ended) {
		x->signo = e.init_code & 0x7f;
		x->core = x->signo && (e.init_code & 0x80);
		x->code = x->signo ? 0 : (e.init_code >> 8) & 0xff;
	}
	/* The other processes: OOM victims die of SIGKILL, counted once. */
	others_oom = e.oom_kills - (x->oom ? 1 : 0);
	x->others_oom = others_oom;
	x->others_killed = e.killed > others_oom ? e.killed - others_oom : 0;
	return 0;
}

const char *dump_exit_text(const struct og_ring_view *header, char *buf, size_t size)
{
	struct dump_exit x;
	char nbuf[16];
	size_t n;

	if (dump_exit_of(header, &x) < 0) {
		snprintf(buf, size, "-");
		return buf;
	}
	if (!x.ended)
		snprintf(buf, size, "running");
	else if (x.oom)
		snprintf(buf, size, "OOM-killed");
	else if (x.signo)
		snprintf(buf, size, "killed %s%s", og_signal_name(x.signo, nbuf, sizeof(nbuf)),
			 x.core ? " (core)" : "");
	else
		snprintf(buf, size, "exited %d", x.code);
	n = strlen(buf);
	if (x.others_killed)
		n += snprintf(buf + n, size - n, ", %llu killed", (unsigned long long)x.others_killed);
	if (x.others_oom && n < size)
		snprintf(buf + n, size - n, ", %llu OOM-killed", (unsigned long long)x.others_oom);
	return buf;
}

static void counts_of(const struct og_ring_view *v, struct ring_counts *rc)
{
	og_ring_count(v, &rc->st);
	rc->dropped = __atomic_load_n(&v->hdr->dropped, __ATOMIC_RELAXED);
	rc->standalone_exits = __atomic_load_n(&v->hdr->standalone_exits, __ATOMIC_RELAXED);
	rc->records_written = v->hdr->version >= 5 ? __atomic_load_n(&v->hdr->seq, __ATOMIC_RELAXED) : 0;
	rc->has_end = og_ring_end_read(v, &rc->end) == 0;
	dump_exit_text(v, rc->exit, sizeof(rc->exit));
}

static int ring_counts(const char *root, const struct og_container_meta *m, struct ring_counts *rc)
{
	cleanup_ring_view struct og_ring_view v = {0};
	int r;

	memset(rc, 0, sizeof(*rc));
	snprintf(rc->exit, sizeof(rc->exit), "-");
	r = og_container_open_ring_id(root, m->id, &v);
	if (r < 0)
		return r;
	counts_of(&v, rc);
	return 0;
}

/* Running by its metadata, but its init ended or is gone: no poststop.
 * One gone whose end its ring does not have did not end "running". */
static const char *state_of(const struct og_container_meta *m, struct ring_counts *rc)
{
	enum og_life life = og_container_life(m, rc->has_end ? &rc->end : NULL);

	if (life == OG_LIFE_GONE && !(rc->has_end && (rc->end.flags & OG_END_INIT_EXITED)))
		snprintf(rc->exit, sizeof(rc->exit), "-");
	return og_life_name(life);
}

/* A directory whose metadata cannot be read: listed with the reason. */
static void list_broken(const struct dump_opts *o, const struct og_container_entry *e)
{
	if (o->json) {
		yajl_gen g = dump_json_begin();

		if (!g) {
			og_warn("%s: out of memory", e->meta.id);
			return;
		}
		og_json_str(g, "id", e->meta.id);
		og_json_str(g, "state", "broken");
		og_json_str(g, "reason", e->why);
		if (dump_json_end(g) < 0)
			og_warn("%s", og_errmsg());
		return;
	}
	char id[4 * OG_ID_LEN];

	printf("%-20.20s %-20s %-8s\n", og_escape_line(id, sizeof(id), e->meta.id), "-", "broken");
	og_warn("container '%s': %s (gadget-dump prune removes it)", e->meta.id, e->why);
}

static int list_one(const struct dump_opts *o, const struct og_container_meta *m, struct ring_counts *rc)
{
	const char *state = state_of(m, rc);
	char started[32], stopped[32], ring[16];

	dump_fmt_time(started, sizeof(started), m->started_ns);
	dump_fmt_time(stopped, sizeof(stopped), m->stopped_ns);
	if (o->json) {
		yajl_gen g = dump_json_begin();

		if (!g)
			return -ENOMEM;
		og_json_str(g, "id", m->id);
		og_json_str(g, "name", m->name);
		if (m->pod[0]) {
			og_json_str(g, "pod", m->pod);
			og_json_str(g, "namespace", m->namespace_);
		}
		og_json_str(g, "state", state);
		og_json_str(g, "exit", rc->exit);
		if (rc->has_end && (rc->end.flags & OG_END_INIT_EXITED)) {
			og_json_int(g, "exit_status", rc->end.init_code);
			og_json_bool(g, "init_oom_killed", rc->end.flags & OG_END_INIT_OOM);
		}
		if (rc->has_end) {
			og_json_u64(g, "processes_ended", rc->end.exits);
			og_json_u64(g, "exited_nonzero", rc->end.exits_nonzero);
			og_json_u64(g, "killed", rc->end.killed);
			og_json_u64(g, "core_dumps", rc->end.core_dumps);
			og_json_u64(g, "oom_kills", rc->end.oom_kills);
			og_json_u64(g, "crashes", rc->end.crashes);
		}
		og_json_u64(g, "cgroup_id", m->cgroup_id);
		og_json_u64(g, "mntns_id", m->mntns_id);
		og_json_u64(g, "pid", m->pid);
		og_json_str(g, "bundle", m->bundle);
		og_json_u64(g, "ring_bytes", m->ring_bytes);
		og_json_u64(g, "records", rc->st.records);
		og_json_u64(g, "record_bytes", rc->st.record_bytes);
		og_json_u64(g, "pad_bytes", rc->st.pad_bytes);
		og_json_u64(g, "skipped_bytes", rc->st.skipped_bytes);
		og_json_u64(g, "bytes_written", rc->st.head);
		og_json_u64(g, "bytes_overwritten", rc->st.overwritten);
		og_json_u64(g, "window_bytes", rc->st.window);
		og_json_u64(g, "torn", rc->st.torn);
		og_json_u64(g, "in_progress", rc->st.in_progress);
		og_json_u64(g, "dropped", rc->dropped);
		og_json_u64(g, "standalone_exits", rc->standalone_exits);
		if (rc->records_written) {
			og_json_u64(g, "records_written", rc->records_written);
			og_json_u64(g, "records_lost", rc->st.lost_records);
			og_json_u64(g, "thread_records", rc->st.threads);
			og_json_u64(g, "output_records", rc->st.outputs);
		}
		og_json_u64(g, "started_ns", m->started_ns);
		og_json_u64(g, "stopped_ns", m->stopped_ns);
		return dump_json_end(g) < 0 ? -EIO : 0;
	}
	char written[24], id[4 * OG_ID_LEN], name[65];

	/* Names come from annotations and runtimes: escaped, cut at 64. */
	snprintf(ring, sizeof(ring), "%uK", m->ring_bytes >> 10);
	snprintf(written, sizeof(written), "%lluK", (unsigned long long)(rc->st.head >> 10));
	og_escape_line(name, sizeof(name), m->name);
	printf("%-20.20s %-20.64s %-8s %-20s %10llu %10llu %8d %6s %8llu %11s %5llu %-20s %-20s\n",
	       og_escape_line(id, sizeof(id), m->id), name, state, rc->exit, (unsigned long long)m->cgroup_id,
	       (unsigned long long)m->mntns_id, m->pid, ring, (unsigned long long)rc->st.records, written,
	       (unsigned long long)rc->st.torn, started, stopped);
	return 0;
}

static void list_header(const struct dump_opts *o)
{
	if (!o->json)
		printf("%-20s %-20s %-8s %-20s %10s %10s %8s %6s %8s %11s %5s %-20s %-20s\n", "ID", "NAME", "STATE",
		       "EXIT", "CGROUP", "MNTNS", "PID", "RING", "RECORDS", "WRITTEN", "TORN", "STARTED", "STOPPED");
}

/* list --file: the crash file's container, as it was when written. */
static int list_file(const struct dump_opts *o)
{
	cleanup_dump_source struct dump_source src = {};
	struct ring_counts rc = {0};
	int r = dump_source_open(o, NULL, &src);

	if (r < 0)
		return r;
	rc.st.records = src.file.read.records;
	rc.st.head = src.file.read.head;
	rc.st.overwritten = src.file.read.overwritten;
	rc.st.torn = src.file.read.torn;
	rc.dropped = src.file.read.dropped;
	rc.has_end = og_ring_end_read(src.header, &rc.end) == 0;
	dump_exit_text(src.header, rc.exit, sizeof(rc.exit));
	list_header(o);
	return list_one(o, &src.meta, &rc);
}

int cmd_list(const struct dump_opts *o, const char *container)
{
	cleanup_free struct og_container_entry *entries = NULL;
	size_t n = 0;
	int r;

	(void)container;
	if (o->file)
		return list_file(o);
	r = og_container_list_entries(o->root, &entries, &n);
	if (r < 0)
		return r;
	list_header(o);
	for (size_t i = 0; i < n; i++) {
		const struct og_container_meta *m = &entries[i].meta;
		struct ring_counts rc;

		if (m->state == OG_STATE_BROKEN) {
			list_broken(o, &entries[i]);
			continue;
		}
		if (ring_counts(o->root, m, &rc) < 0)
			og_warn("%s", og_errmsg());
		r = list_one(o, m, &rc);
		if (r < 0)
			return r;
	}
	return 0;
}
