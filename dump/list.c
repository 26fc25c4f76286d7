// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump list: every container under the pin root, with its ring's
 * counts. */
#include "config.h"
#include "dump.h"
#include "og_container.h"
#include "og_util.h"

#include <errno.h>
#include <string.h>

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
		yajl_gen g = dump_json_begin();

		if (!g) {
			fprintf(stderr, "gadget-dump: %s: out of memory\n", m->id);
			return;
		}
		og_json_str(g, "id", m->id);
		og_json_str(g, "state", "broken");
		og_json_str(g, "reason", m->bundle);
		if (dump_json_end(g) < 0)
			fprintf(stderr, "gadget-dump: %s\n", og_errmsg());
		return;
	}
	printf("%-20.20s %-20s %-8s\n", m->id, "-", "broken");
	fprintf(stderr, "gadget-dump: container '%s': %s (gadget-dump prune removes it)\n", m->id, m->bundle);
}

int cmd_list(const struct dump_opts *o, const char *container)
{
	cleanup_free struct og_container_meta *metas = NULL;
	size_t n = 0;
	int r;

	(void)container;
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
			if (dump_json_end(g) < 0)
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
