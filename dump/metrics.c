// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump metrics: the containers under the pin root and the tracer's
 * host-wide figures in Prometheus' text format, for node_exporter's
 * textfile collector (--out writes the file atomically). */
#include "config.h"
#include "dump.h"
#include "og_container.h"
#include "og_prom.h"
#include "og_tracer.h"
#include "og_util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <string.h>
#include <sys/stat.h>

/* What one container's metrics are made of: its metadata and what its
 * ring says (as gadget-dump list reads it). */
struct metrics_container {
	struct og_container_meta m;
	enum og_life life;
	bool ring; /* its ring was read: st, dropped */
	struct og_ring_read_stats st;
	uint64_t dropped;
	bool counts; /* its whole-life counts: calls, errors */
	uint64_t calls, errors;
	bool end; /* its ring's end: e, x */
	struct og_ring_end e;
	struct dump_exit x;
};

/* One container's value of a metric; false: no sample for it (its ring
 * has no such figure, or the metric does not apply to how it ended). */
typedef bool (*metric_value_fn)(const struct metrics_container *c, uint64_t *v);

#define METRIC_VALUE(fn, cond, expr)                                   \
	static bool fn(const struct metrics_container *c, uint64_t *v) \
	{                                                              \
		if (!(cond))                                           \
			return false;                                  \
		*v = (expr);                                           \
		return true;                                           \
	}
METRIC_VALUE(start_time, true, c->m.started_ns / 1000000000)
METRIC_VALUE(ring_bytes, true, c->m.ring_bytes)
METRIC_VALUE(syscalls, c->counts, c->calls)
METRIC_VALUE(syscall_errors, c->counts, c->errors)
METRIC_VALUE(written, c->ring, c->st.head)
METRIC_VALUE(overwritten, c->ring, c->st.overwritten)
METRIC_VALUE(records, c->ring, c->st.records)
METRIC_VALUE(torn, c->ring, c->st.torn)
METRIC_VALUE(dropped, c->ring, c->dropped)
METRIC_VALUE(exit_code, c->end && c->x.ended && !c->x.signo, (uint64_t)c->x.code)
METRIC_VALUE(exit_signal, c->end && c->x.ended && c->x.signo, (uint64_t)c->x.signo)
METRIC_VALUE(oom_killed, c->end && c->x.ended, c->x.oom)
METRIC_VALUE(others_killed, c->end, c->x.others_killed)
METRIC_VALUE(others_oom, c->end, c->x.others_oom)
METRIC_VALUE(crashes, c->end, c->e.crashes)

/* The per-container metrics, one row each (gadget-dump(8) lists them). */
static const struct container_metric {
	const char *name, *type, *help;
	metric_value_fn value;
} container_metrics[] = {
	{"oci_gadget_container_start_time_seconds", "gauge",
	 "When the container was registered, seconds since the epoch.", start_time},
	{"oci_gadget_container_ring_bytes", "gauge", "Bytes of records the container's ring holds at most.",
	 ring_bytes},
	{"oci_gadget_container_syscalls_total", "counter",
	 "Syscalls the container made over its whole life, from its first execve.", syscalls},
	{"oci_gadget_container_syscall_errors_total", "counter",
	 "Syscalls of the container that returned an error, over its whole life.", syscall_errors},
	{"oci_gadget_container_written_bytes_total", "counter", "Bytes of records written to the container's ring.",
	 written},
	{"oci_gadget_container_overwritten_bytes_total", "counter",
	 "Bytes of records overwritten by newer ones before they were read.", overwritten},
	{"oci_gadget_container_records", "gauge", "Records the container's ring holds now.", records},
	{"oci_gadget_container_torn_records", "gauge",
	 "Records of the ring skipped by this read: rewritten while copied, or unwalkable.", torn},
	{"oci_gadget_container_dropped_records_total", "counter",
	 "Records of the container lost: no chunk to write them in.", dropped},
	{"oci_gadget_container_exit_code", "gauge", "The exit status of the container's init, once it exited.",
	 exit_code},
	{"oci_gadget_container_exit_signal", "gauge",
	 "The signal number that killed the container's init, once killed.", exit_signal},
	{"oci_gadget_container_oom_killed", "gauge", "1 when the OOM killer chose the container's init, once it ended.",
	 oom_killed},
	{"oci_gadget_container_other_processes_killed_total", "counter",
	 "Other processes of the container killed by a signal (OOM kills apart).", others_killed},
	{"oci_gadget_container_other_processes_oom_killed_total", "counter",
	 "Other processes of the container chosen by the OOM killer.", others_oom},
	{"oci_gadget_container_crashes_total", "counter",
	 "Fatal SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT... delivered to the container's processes.", crashes},
};
#define N_CONTAINER_METRICS (sizeof(container_metrics) / sizeof(container_metrics[0]))

/* The states of oci_gadget_container_state, as gadget-dump list names
 * them; a broken directory has no metadata to label a container with. */
static const enum og_life container_states[] = {OG_LIFE_RUNNING, OG_LIFE_ENDED, OG_LIFE_GONE, OG_LIFE_STOPPED};
#define N_CONTAINER_STATES (sizeof(container_states) / sizeof(container_states[0]))

static void container_read(const char *root, struct metrics_container *c)
{
	struct og_ring_counts counts;
	cleanup_ring_view struct og_ring_view v = {0};
	bool has_end;

	if (og_container_open_ring_id(root, c->m.id, &v) < 0) {
		og_warn("%s (its ring's metrics left out)", og_errmsg());
		c->life = og_container_life(&c->m, NULL);
		return;
	}
	c->ring = true;
	og_ring_count(&v, &c->st);
	c->dropped = __atomic_load_n(&v.hdr->dropped, __ATOMIC_RELAXED);
	if (og_ring_counts_read(&v, &counts) == 0) {
		c->counts = true;
		c->calls = counts.unknown;
		for (int a = 0; a < 2; a++) {
			for (int nr = 0; nr < OG_COUNT_NRS; nr++) {
				c->calls += counts.calls[a][nr];
				c->errors += counts.errors[a][nr];
			}
		}
	}
	/* The state as list says it, from the end whatever its init's pid;
	 * how it ended only with that pid (dump_exit_of). */
	has_end = og_ring_end_read(&v, &c->e) == 0;
	c->end = has_end && dump_exit_of(&v, &c->x) == 0;
	c->life = og_container_life(&c->m, has_end ? &c->e : NULL);
}

static void container_labels(const struct metrics_container *c, struct og_prom_label *l)
{
	l[0] = (struct og_prom_label){"id", c->m.id};
	l[1] = (struct og_prom_label){"name", c->m.name};
	l[2] = (struct og_prom_label){"pod", c->m.pod};
	l[3] = (struct og_prom_label){"namespace", c->m.namespace_};
}

static void print_containers(FILE *out, const struct metrics_container *cs, size_t n)
{
	struct og_prom_label l[5];

	og_prom_family(out, "oci_gadget_container_state", "gauge",
		       "1 for the container's state (running, ended, gone, stopped as gadget-dump list says), 0 for "
		       "the others.");
	for (size_t i = 0; i < n; i++) {
		container_labels(&cs[i], l);
		for (size_t s = 0; s < N_CONTAINER_STATES; s++) {
			l[4] = (struct og_prom_label){"state", og_life_name(container_states[s])};
			og_prom_sample(out, "oci_gadget_container_state", l, 5, cs[i].life == container_states[s]);
		}
	}
	for (size_t k = 0; k < N_CONTAINER_METRICS; k++) {
		const struct container_metric *cm = &container_metrics[k];

		og_prom_family(out, cm->name, cm->type, cm->help);
		for (size_t i = 0; i < n; i++) {
			uint64_t v;

			if (!cm->value(&cs[i], &v))
				continue;
			container_labels(&cs[i], l);
			og_prom_sample(out, cm->name, l, 4, v);
		}
	}
}

/* Host-wide, as gadget-tracer status counts them. */
static void print_host(FILE *out, const struct og_tracer_status *st)
{
	static const enum og_life states[] = {OG_LIFE_RUNNING, OG_LIFE_ENDED, OG_LIFE_GONE, OG_LIFE_STOPPED,
					      OG_LIFE_BROKEN};
	const int by_state[] = {st->containers_running, st->containers_ended, st->containers_gone,
				st->containers_stopped, st->containers_broken};
	const struct {
		const char *rings;
		uint64_t bytes;
	} memory[] = {{"running", st->memory.running}, {"stopped", st->memory.stopped}, {"pool", st->memory.pool}};
	struct og_prom_label l;

	og_prom_family(out, "oci_gadget_tracer_loaded", "gauge", "1 when the tracer is loaded under the pin root.");
	og_prom_sample(out, "oci_gadget_tracer_loaded", NULL, 0, st->loaded);
	if (!st->loaded)
		return;
	og_prom_family(out, "oci_gadget_containers_recording", "gauge", "Containers whose syscalls are recorded now.");
	og_prom_sample(out, "oci_gadget_containers_recording", NULL, 0, st->registered);
	og_prom_family(out, "oci_gadget_containers", "gauge", "Containers with pins, by state.");
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		l = (struct og_prom_label){"state", og_life_name(states[i])};
		og_prom_sample(out, "oci_gadget_containers", &l, 1, (uint64_t)by_state[i]);
	}
	og_prom_family(out, "oci_gadget_ring_memory_bytes", "gauge",
		       "Kernel memory held by the rings: of running containers, of stopped ones, of the pool.");
	for (size_t i = 0; i < sizeof(memory) / sizeof(memory[0]); i++) {
		l = (struct og_prom_label){"rings", memory[i].rings};
		og_prom_sample(out, "oci_gadget_ring_memory_bytes", &l, 1, memory[i].bytes);
	}
	og_prom_family(out, "oci_gadget_records_dropped_total", "counter",
		       "Records the programs could not write, summed over CPUs since the tracer was loaded.");
	og_prom_sample(out, "oci_gadget_records_dropped_total", NULL, 0, st->stats.dropped);
}

static int print_metrics(const struct dump_opts *o, FILE *out)
{
	cleanup_free struct og_container_meta *metas = NULL;
	cleanup_free struct metrics_container *cs = NULL;
	struct og_tracer_status st;
	size_t n = 0, nc = 0;
	int r;

	r = og_tracer_status(o->root, &st);
	if (r < 0)
		return r;
	print_host(out, &st);
	if (!st.loaded)
		return 0;
	r = og_container_list(o->root, &metas, &n);
	if (r < 0)
		return r;
	cs = calloc(n ? n : 1, sizeof(*cs));
	if (!cs)
		return og_err(ENOMEM, "metrics of %zu containers", n);
	for (size_t i = 0; i < n; i++) {
		if (metas[i].state == OG_STATE_BROKEN)
			continue; /* counted in oci_gadget_containers{state="broken"} */
		cs[nc].m = metas[i];
		container_read(o->root, &cs[nc++]);
	}
	print_containers(out, cs, nc);
	return 0;
}

/* node_exporter may read the file at any time: written beside it under a
 * name it ignores (not *.prom), synced, then renamed over it. */
static int write_atomically(const struct dump_opts *o, const char *path)
{
	cleanup_free char *dir_copy = strdup(path), *tmp = NULL;
	cleanup_close int dirfd = -1;
	const char *dir;
	FILE *f;
	int fd, r;

	if (!dir_copy || asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0)
		return og_err(ENOMEM, "metrics file %s", path);
	dir = dirname(dir_copy);
	fd = mkstemp(tmp);
	if (fd < 0)
		return og_err(errno, "create a temporary file beside %s", path);
	/* Read by node_exporter's user: mkstemp makes it 0600. */
	if (fchmod(fd, 0644) < 0 || !(f = fdopen(fd, "w"))) {
		r = og_err(errno, "metrics file %s", tmp);
		close(fd);
		unlink(tmp);
		return r;
	}
	r = print_metrics(o, f);
	errno = 0;
	if (r == 0 && (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) < 0))
		r = og_err(errno ? errno : EIO, "write %s", tmp);
	if (fclose(f) != 0 && r == 0)
		r = og_err(errno, "write %s", tmp);
	if (r == 0 && rename(tmp, path) < 0)
		r = og_err(errno, "rename %s to %s", tmp, path);
	if (r < 0) {
		unlink(tmp);
		return r;
	}
	/* The rename itself survives a crash once the directory is synced. */
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || fsync(dirfd) < 0)
		return og_err(errno, "sync directory %s", dir);
	return 0;
}

int cmd_metrics(const struct dump_opts *o, const char *container)
{
	int r;

	(void)container;
	if (o->output)
		return write_atomically(o, o->output);
	r = print_metrics(o, stdout);
	return r < 0 ? r : dump_output_status();
}
