// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gadget-hook: OCI hook. prestart/createRuntime registers the container and
 * creates its ring before its first instruction; poststop stops recording
 * and keeps the ring. Fails open: a problem is logged and the container runs.
 */
#include "config.h"
#include "og_cgroup.h"
#include "og_conf.h"
#include "og_container.h"
#include "og_crash_unwind.h"
#include "og_crashfile.h"
#include "og_events.h"
#include "og_oci.h"
#include "og_pins.h"
#include "og_pool.h"
#include "og_ring.h"
#include "og_seccomp.h"
#include "og_tracer.h"
#include "og_uprobe.h"
#include "og_util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <string.h>
#include <time.h>

#define DEFAULT_LOG "/run/oci-gadget/hook.log"
/* Past this size the log becomes LOG.1 (replacing the one before). */
#define LOG_MAX_BYTES (1u << 20)

struct hook_opts {
	const char *root;
	const char *log;
	const char *conf;
	const char *crash_dir; /* --crash-dir, over crash-dir in the configuration */
	uint64_t ring_bytes;
	int keep_stopped;
	bool fail_closed;
	int verbose;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: gadget-hook prestart|createRuntime|poststop [OPTIONS] < state.json\n"
		"\n"
		"  --pin-root DIR      pins of the tracer (default " OG_DEFAULT_PIN_ROOT ")\n"
		"  --ring-size SIZE    ring per container, e.g. 4MiB (default 1MiB; annotation\n"
		"                      io.oci-gadget.ring-size overrides; ring-size-max caps)\n"
		"  --keep-stopped N    rings of stopped containers kept (default %d)\n"
		"  --crash-dir DIR     where crash files go (default crash-dir of the configuration,\n"
		"                      " OG_CRASH_DEFAULT_DIR ")\n"
		"  --config FILE       host defaults: uprobes, uprobe-paths, uprobe-deadline,\n"
		"                      ssl-plaintext, capture-bytes, kstack; host limits:\n"
		"                      ring-size-max, ring-memory-max\n"
		"                      (default " OG_CONF_DEFAULT_PATH ")\n"
		"  --fail-closed       exit non-zero on failure (the runtime then fails the start)\n"
		"  --log FILE          where failures are logged (default " DEFAULT_LOG ")\n"
		"  -v, --verbose       also log what was done\n",
		OG_DEFAULT_KEEP_STOPPED);
}

/* runc shows a hook's stderr only when the hook fails, so log to a file too. */
/* The log file, open for appending and locked against the other hooks:
 * created 0600 (ids, paths and annotations are in it), and moved to
 * LOG.1 once past LOG_MAX_BYTES. -1 when it cannot be opened. */
static int log_open(const char *path)
{
	char old[4096];
	struct stat fsb, psb;
	int fd;

	for (int tries = 0; tries < 3; tries++) {
		fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX) < 0 || fstat(fd, &fsb) < 0 || !S_ISREG(fsb.st_mode))
			break;
		/* Another hook rotated it while we waited: open the new one. */
		if (stat(path, &psb) < 0 || psb.st_ino != fsb.st_ino || psb.st_dev != fsb.st_dev) {
			close(fd);
			fd = -1;
			continue;
		}
		if (fsb.st_mode & 077)
			fchmod(fd, 0600);
		if (fsb.st_size < LOG_MAX_BYTES || og_path(old, sizeof(old), "%s.1", path) < 0 || rename(path, old) < 0)
			return fd;
		close(fd); /* rotated: the next turn creates it */
		fd = -1;
	}
	if (fd >= 0)
		close(fd);
	return -1;
}

static void hook_log(const struct hook_opts *o, const char *id, const char *fmt, ...)
{
	char msg[2048], line[4096], eid[4 * OG_ID_LEN], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;
	int n, fd, skip;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One line whatever the id or a value holds: nothing forges a line. */
	og_escape_line(eid, sizeof(eid), id ? id : "?");
	/* The file gets a timestamp; stderr starts at "gadget-hook:". */
	skip = snprintf(line, sizeof(line), "%s ", stamp);
	n = skip + snprintf(line + skip, sizeof(line) - skip, "gadget-hook: container '%s': ", eid);
	if (n < (int)sizeof(line))
		og_escape_line(line + n, sizeof(line) - n - 1, msg);
	n = strlen(line);
	line[n++] = '\n';
	fwrite(line + skip, 1, n - skip, stderr);
	if (!o->log || !o->log[0])
		return;
	if (strcmp(o->log, DEFAULT_LOG) == 0)
		og_mkdir_p("/run/oci-gadget", 0755);
	fd = log_open(o->log);
	if (fd >= 0) {
		if (write(fd, line, n) < 0) {
			/* nothing more we can do */
		}
		close(fd);
	}
}

struct warn_ctx {
	const struct hook_opts *o;
	const char *id;
};
static struct warn_ctx warn_ctx;

static void hook_warn(void *arg, const char *msg)
{
	struct warn_ctx *w = arg;

	hook_log(w->o, w->id, "%s", msg);
}

/* What a failure at stage means for the container, for the log line.
 * in_other_ring: its cgroup is recorded as another container's
 * (og_container_register's -EBUSY), whose ring its syscalls land in, as
 * the message says: not "untraced". */
static const char *consequence(const struct hook_opts *o, const char *stage, bool in_other_ring)
{
	if (o->fail_closed)
		return "";
	if (strcmp(stage, "poststop") == 0)
		return " (the container stopped; its ring, if any, is kept as it was)";
	if (in_other_ring)
		return "";
	return " (container runs untraced)";
}

/* The ring asked for (annotation, else --ring-size), at most the host's
 * ring-size-max: more gets the cap and a log line, and is recorded. */
static int ring_chunks_for(const struct hook_opts *o, const struct oci_state *st, const struct og_conf *c,
			   uint32_t *chunks)
{
	const char *asked = c->ring_size.set ? "annotation io.oci-gadget.ring-size" : "--ring-size";
	uint32_t cap = og_ring_chunks_at_most(c->ring_size_max);
	uint64_t bytes = c->ring_size.set ? c->ring_size.bytes : o->ring_bytes;
	char asked_s[32], max_s[32], cap_s[32];
	int r;

	r = og_ring_chunks_for_bytes(bytes < OG_RING_MAX_BYTES ? bytes : OG_RING_MAX_BYTES, chunks);
	if (r < 0)
		return og_err_wrap(-r, "%s", asked);
	if (*chunks > cap) {
		hook_log(o, st->id, "ring size %s (%s) is above ring-size-max %s: the ring gets %s",
			 og_format_size(asked_s, sizeof(asked_s), bytes), asked,
			 og_format_size(max_s, sizeof(max_s), c->ring_size_max),
			 og_format_size(cap_s, sizeof(cap_s), (uint64_t)cap * OG_CHUNK_BYTES));
		*chunks = cap;
	}
	return 0;
}

static const char *state_annotation(void *arg, const char *name)
{
	return oci_state_annotation(arg, name);
}

static void note_line(void *ctx, const char *fmt, ...)
{
	const struct hook_opts *o = ((void **)ctx)[0];
	const char *id = ((void **)ctx)[1];
	char buf[1024];
	va_list ap;

	if (!o->verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	hook_log(o, id, "uprobes: %s", buf);
}

/* Probes on the image's files, before its first instruction. */
/* cfg: the bundle's config.json as do_register read it; NULL when that
 * read failed (read again here, for its error). */
static int attach_uprobes(const struct hook_opts *o, const struct oci_state *st, const struct og_conf *c,
			  const struct oci_config *read)
{
	__attribute__((cleanup(oci_config_free))) struct oci_config own = {0};
	const struct oci_config *cfg = read ? read : &own;
	const void *ctx[2] = {o, st->id};
	char fams[64];
	int attached, r;

	if (!read && (r = oci_config_read(st->bundle, &own)) < 0)
		return r;
	struct og_probe_report rep = {.version = OG_PROBES_VERSION};
	struct og_uprobe_target_opts to = {
		.families = c->uprobes,
		.rootfs = cfg->root_path,
		.pid = st->pid,
		.arg0 = cfg->arg0,
		.path_env = cfg->path_env,
		.java_home = cfg->java_home,
		.paths = c->uprobe_paths,
		.deadline_ms = c->uprobe_deadline_ms,
		.note = note_line,
		.note_ctx = (void *)ctx,
		.report = &rep,
	};
	r = og_uprobes_attach(o->root, st->id, &to, &attached);
	if (r == 0 && o->verbose)
		hook_log(o, st->id, "uprobes %s: %d probes attached or shared",
			 og_families_name(c->uprobes, fams, sizeof(fams)), attached);
	/* What was probed and why nothing was, for gadget-dump probes. */
	if (og_container_write_probes(o->root, st->id, &rep) < 0)
		hook_log(o, st->id, "uprobes: %s", og_errmsg());
	return r;
}

/* conf: the container's settings (og_conf_container, in main).
 * *in_other_ring: refused because its cgroup is recorded as another
 * container's. */
static int do_register(const struct hook_opts *o, const struct oci_state *st, const struct og_conf *c,
		       bool *in_other_ring)
{
	struct og_container_meta meta = {}, old;
	struct og_ring_owner want = {};
	struct oci_names names;
	const char *manager = NULL;
	__attribute__((cleanup(oci_config_free))) struct oci_config cfg = {0};
	bool cfg_ok = false;
	char cgroup_dir[4096];
	struct stat sb;
	uint64_t cgroup_id, mntns_id;
	uint32_t chunks;
	bool changed;
	int r;

	if (!st->pid)
		return og_err(EINVAL, "no pid in the OCI state (a prestart/createRuntime state has one)");
	r = ring_chunks_for(o, st, c, &chunks);
	if (r < 0)
		return r;
	/* A selection that does not parse fails open: every syscall is
	 * recorded, the log says why. */
	if (og_conf_ring_owner(c, &want) < 0)
		hook_log(o, st->id, "%s '%.200s': %s: the ring records every syscall",
			 oci_state_annotation(st, OG_CONF_ANNOTATION_PREFIX "syscalls")
				 ? "annotation io.oci-gadget.syscalls"
				 : "syscalls in oci-gadget.conf",
			 c->syscalls.text, og_errmsg());
	r = og_cgroup_dir_of_pid(st->pid, cgroup_dir, sizeof(cgroup_dir));
	if (r < 0)
		return r;
	if (stat(cgroup_dir, &sb) < 0)
		return og_err(errno, "cgroup of pid %d: stat %s", st->pid, cgroup_dir);
	cgroup_id = sb.st_ino;
	r = og_mntns_id_of_pid(st->pid, &mntns_id);
	if (r < 0)
		return r;
	meta.cgroup_id = cgroup_id;
	meta.mntns_id = mntns_id;
	/* No boot-time service needed: the first container loads the tracer. */
	r = og_tracer_load(o->root, false, OG_POOL_DEFAULT, &changed);
	if (r < 0)
		return r;
	if (changed && o->verbose)
		hook_log(o, st->id, "loaded the tracer under %s", o->root);
	/* Hooked at both prestart and createRuntime: register once. */
	if (og_meta_read(o->root, st->id, &old) == 0 && old.state == OG_STATE_RUNNING &&
	    old.cgroup_id == meta.cgroup_id && old.pid == st->pid)
		return 0;

	oci_state_names(st, &names);
	og_strfield(meta.id, sizeof(meta.id), st->id);
	og_strfield(meta.name, sizeof(meta.name), names.name);
	/* Podman says who it is but not the name; containers/storage knows it. */
	if (names.name == st->id && (manager = oci_state_annotation(st, "io.container.manager")) &&
	    strcmp(manager, "libpod") == 0 && oci_podman_name(st->bundle, st->id, meta.name, sizeof(meta.name)) < 0)
		hook_log(o, st->id, "podman name: %s (listed by its id)", og_errmsg());
	/* config.json, read once for the Docker name, the uprobes and the
	 * init's working directory (the fd table's). */
	if (!(cfg_ok = oci_config_read(st->bundle, &cfg) == 0))
		hook_log(o, st->id,
			 "%s (no Docker name, no uprobes, no working directory from it; syscalls are recorded)",
			 og_errmsg());
	/* Docker passes no name at all; its container directory has it. */
	if (names.name == st->id && !manager && cfg_ok &&
	    (r = oci_docker_name_cfg(&cfg, st->id, meta.name, sizeof(meta.name))) < 0 && r != -ENODEV)
		hook_log(o, st->id, "Docker name: %s (listed by its id)", og_errmsg());
	og_strfield(meta.pod, sizeof(meta.pod), names.pod);
	og_strfield(meta.namespace_, sizeof(meta.namespace_), names.namespace_);
	og_strfield(meta.bundle, sizeof(meta.bundle), st->bundle);
	meta.pid = st->pid;
	r = og_container_register(o->root, &meta, chunks, &want, c->ring_memory_max, cfg_ok ? cfg.cwd : NULL);
	*in_other_ring = r == -EBUSY;
	if (r < 0)
		return r;
	if (o->verbose)
		hook_log(o, st->id, "recording: cgroup %llu, %u KiB ring", (unsigned long long)meta.cgroup_id,
			 meta.ring_bytes / 1024);
	/* The syscall ring records whatever happens to the probes. */
	if (c->uprobes && (r = attach_uprobes(o, st, c, cfg_ok ? &cfg : NULL)) < 0) {
		if (o->fail_closed)
			return og_err_wrap(-r, "uprobes");
		hook_log(o, st->id, "uprobes: %s (syscalls are recorded; no uprobe events)", og_errmsg());
	}
	return 0;
}

/* Containers gone without a poststop (a runtime killed, a delete never
 * run) stop recording here, after every hook, off any container's start;
 * their slots are emptied by the maintenance that follows. */
static void reap(void *arg)
{
	const struct hook_opts *o = arg;
	struct og_container_meta *gone = NULL;
	size_t n = 0;

	if (og_container_reap(o->root, &gone, &n) < 0)
		hook_log(o, NULL, "containers gone without a poststop: %s", og_errmsg());
	for (size_t i = 0; i < n; i++)
		hook_log(o, gone[i].id, "no poststop came and its init (pid %d) is gone: stopped, its ring kept",
			 gone[i].pid);
	free(gone);
}

/*
 * Stops the containers gone, empties ring slots and refills the pool in a
 * detached child: those map-in-map updates each wait for a grace
 * period, and the runtime waits for the hook (and for its stdout and
 * stderr to close). One per burst, not one per hook: none when a
 * maintainer waits for its turn already (its pass covers this hook's
 * change), and after a registration only when the pool runs low (the
 * poststop's maintainer refills it otherwise).
 */
static void spawn_maintainer(const struct hook_opts *o, uint64_t memory_max, bool registered)
{
	pid_t pid;

	if ((registered && !og_pool_low(o->root)) || og_pool_maintainer_waits(o->root))
		return;
	pid = fork();

	if (pid < 0) {
		hook_log(o, NULL, "ring pool: fork: %s", strerror(errno));
		return;
	}
	/* One fork, not a double one: the hook exits next, and its orphan
	 * goes to the reaper a grandchild would have gone to. */
	if (pid > 0)
		return;
	setsid();
	/* Nothing of the runtime's: its pipes, and no lock held by accident. */
	close_range(0, ~0U, 0);
	if (open("/dev/null", O_RDWR) == 0) {
		dup2(0, 1);
		dup2(0, 2);
	}
	/* The reap once it is the maintainer: its pass then empties their
	 * slots too. The ring memory from the ledger: no ring pin read. */
	struct og_pool_helpers h = {.first = reap, .container_bytes = og_container_ring_bytes, .arg = (void *)o};
	if (og_pool_maintain_with(o->root, memory_max, &h) < 0)
		hook_log(o, NULL, "ring pool: %s", og_errmsg());
	/* Unpins lingering uprobes once their time is up (one such process
	 * per pin root sleeps until then). */
	og_uprobes_reaper(o->root);
	_exit(0);
}

/* io.containers.trace-syscall=of:PATH[;if:PATH]: the profile of what the
 * container did, written under seccomp-profile-dir. Never fails the hook:
 * the container has stopped anyway; the log says what happened. */
static void write_profile(const struct hook_opts *o, const struct oci_state *st, const struct og_conf *conf,
			  const char *ann)
{
	struct og_ring_counts counts;
	struct og_syscall_set set;
	struct og_ring_view v;
	char written[4096];
	int r;

	/* By its exact id: a name or a prefix could be another container's. */
	r = og_container_open_ring_id(o->root, st->id, &v);
	if (r == 0) {
		r = og_ring_counts_read(&v, &counts);
		og_ring_close(&v);
	}
	if (r == 0)
		r = og_seccomp_set(&counts, false, &set);
	if (r == 0)
		r = og_seccomp_write_annotated(conf->seccomp_dir, ann, &set, written, sizeof(written));
	if (r < 0)
		hook_log(o, st->id, "seccomp profile (%s): %s", OG_TRACE_SYSCALL_ANNOTATION, og_errmsg());
	else
		hook_log(o, st->id, "seccomp profile written to %s", written);
}

/* A crash's stack, for its file: the image's files are still there at
 * poststop (the bundle's rootfs), rarely after. Opened at the first crash. */
struct crash_unwind {
	const struct hook_opts *o;
	const struct oci_state *st;
	struct og_image im;
	bool tried;
};

static int unwind_crash(void *arg, const struct og_rec *crash, struct og_crash_stack *out)
{
	struct crash_unwind *cu = arg;

	if (!cu->tried) {
		cu->tried = true;
		if (og_crash_image_open(&cu->im, cu->st->bundle, 0) < 0)
			hook_log(cu->o, cu->st->id, "poststop: %s (crash stacks kept raw)", og_errmsg());
	}
	return cu->im.root_fd < 0 ? -ENOENT : og_crash_unwind(crash, &cu->im, OG_CRASH_UNWIND_MS, out);
}

/* A container that ended abnormally leaves a crash file (crash-files in
 * oci-gadget.conf). Never fails the hook: a full or read-only disk is a
 * log line. */
static void write_crash_file(const struct hook_opts *o, const struct oci_state *st, const struct og_conf *conf)
{
	struct crash_unwind cu = {.o = o, .st = st, .im = {.root_fd = -1}};
	struct og_crashfile_opts co = {
		.dir = o->crash_dir ? o->crash_dir : conf->crash_dir,
		.max_bytes = conf->crash_dir_max,
		.keep = conf->crash_files,
		.unwind = unwind_crash,
		.unwind_arg = &cu,
	};
	char written[4096];

	if (og_crashfile_write(o->root, st->id, &co, written, sizeof(written)) < 0)
		hook_log(o, st->id, "poststop: %s (the ring is kept as it was)", og_errmsg());
	else if (written[0])
		hook_log(o, st->id, "crash file written to %s", written);
	if (cu.im.root_fd >= 0)
		og_image_close(&cu.im);
}

/* The poststop of a container that was refused because another of its id
 * records (the same id under another runtime root, told apart by bundle):
 * that one's probes, ring and recording are not this poststop's. */
static int check_same_container(const struct hook_opts *o, const struct oci_state *st)
{
	struct og_container_meta meta;
	char bundle[sizeof(meta.bundle)];

	if (!st->bundle || !st->bundle[0] || og_meta_read(o->root, st->id, &meta) < 0 || !meta.bundle[0])
		return 0; /* cannot tell: as before */
	og_strfield(bundle, sizeof(bundle), st->bundle);
	if (strcmp(bundle, meta.bundle) == 0)
		return 0;
	return og_err(EEXIST,
		      "the container registered under this id is another one (bundle %s, pid %d), its ring and probes "
		      "left as they are; this one (bundle %s) was not recorded",
		      meta.bundle, meta.pid, st->bundle);
}

/* conf_error: why the container's settings could not be read, NULL when
 * they were. */
static int do_unregister(const struct hook_opts *o, const struct oci_state *st, const struct og_conf *c,
			 const char *conf_error)
{
	struct og_conf conf = *c;
	const char *ann;
	int detached, r;

	if (!og_pin_exists(o->root) || !og_tracer_is_loaded(o->root))
		return og_err(ENOENT, "no tracer loaded under %s; nothing to stop", o->root);
	r = check_same_container(o, st);
	if (r < 0)
		return r;
	/* How long its probes linger: a bad setting detaches them at once. */
	if (conf_error) {
		hook_log(o, st->id, "poststop: %s (uprobes detached now)", conf_error);
		conf.uprobe_linger_s = 0;
	}

	/* Probes first: the ring is kept, the process is gone. */
	r = og_uprobes_detach(o->root, st->id, conf.uprobe_linger_s, &detached);
	if (r < 0)
		hook_log(o, st->id, "poststop: %s", og_errmsg());
	else if (detached && o->verbose)
		hook_log(o, st->id, "uprobes: %d references dropped", detached);
	/* Before the ring may be pruned (--keep-stopped 0): the process is
	 * gone, its counts are final. */
	if ((ann = oci_state_annotation(st, OG_TRACE_SYSCALL_ANNOTATION)))
		write_profile(o, st, &conf, ann);
	write_crash_file(o, st, &conf);
	r = og_container_unregister(o->root, st->id, o->keep_stopped);
	if (r == 0 && o->verbose)
		hook_log(o, st->id, "stopped; ring kept for gadget-dump");
	return r;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"pin-root", required_argument, NULL, 'p'},
		{"ring-size", required_argument, NULL, 's'},
		{"keep-stopped", required_argument, NULL, 'k'},
		{"crash-dir", required_argument, NULL, 'C'},
		{"config", required_argument, NULL, 'c'},
		{"fail-closed", no_argument, NULL, 'F'},
		{"log", required_argument, NULL, 'l'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{},
	};
	struct hook_opts o = {
		.root = OG_DEFAULT_PIN_ROOT,
		.log = DEFAULT_LOG,
		.conf = OG_CONF_DEFAULT_PATH,
		.ring_bytes = OG_RING_DEFAULT_BYTES,
		.keep_stopped = OG_DEFAULT_KEEP_STOPPED,
	};
	struct oci_state st = {};
	struct og_conf conf;
	char conf_error[1024];
	cleanup_free char *input = NULL;
	const char *stage;
	bool bad_usage = false, in_other_ring = false;
	size_t len;
	int c, r, conf_r;

	while ((c = getopt_long(argc, argv, "p:s:k:C:c:Fl:vhV", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.root = optarg; break;
		case 's':
			if (og_parse_size(optarg, &o.ring_bytes) < 0) {
				fprintf(stderr, "gadget-hook: --ring-size: %s\n", og_errmsg());
				bad_usage = true;
			}
			break;
		case 'k': {
			long v;

			/* A bad value in a hooks file must not fail the start:
			 * said, and the default kept. */
			if (og_parse_long(optarg, 0, 1000000, "--keep-stopped", &v) < 0)
				fprintf(stderr, "gadget-hook: %s; keeping %d\n", og_errmsg(), o.keep_stopped);
			else
				o.keep_stopped = (int)v;
			break;
		}
		case 'c': o.conf = optarg; break;
		case 'C':
			if (optarg[0] != '/') {
				fprintf(stderr, "gadget-hook: --crash-dir '%s': an absolute path\n", optarg);
				bad_usage = true;
			}
			o.crash_dir = optarg;
			break;
		case 'F': o.fail_closed = true; break;
		case 'l': o.log = optarg; break;
		case 'v': o.verbose++; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("gadget-hook %s\n", OG_VERSION_STRING); return 0;
		default:
			usage(stderr);
			bad_usage = true;
			break;
		}
	}
	/* A mistake in a hooks file must not stop containers from starting:
	 * said on stderr (the runtime logs it), the container runs untraced,
	 * unless --fail-closed. */
	if (bad_usage || optind != argc - 1) {
		if (optind != argc - 1)
			usage(stderr);
		fprintf(stderr, "gadget-hook: bad command line%s\n",
			o.fail_closed ? "" : "; the container runs untraced");
		/* The runtime writes its state to us: take it, so that it
		 * never sees a broken pipe. */
		if (og_read_fd(STDIN_FILENO, "OCI state on stdin", OCI_STATE_MAX, &input, &len) < 0)
			input = NULL;
		return o.fail_closed ? 2 : 0;
	}
	stage = argv[optind];
	og_tracer_set_verbose(o.verbose > 1 ? 1 : 0);

	r = og_read_fd(STDIN_FILENO, "OCI state on stdin", OCI_STATE_MAX, &input, &len);
	if (r == 0)
		r = oci_state_parse(input, len, &st);
	if (r < 0) {
		hook_log(&o, NULL, "%s: %s%s", stage, og_errmsg(), consequence(&o, stage, false));
		return o.fail_closed ? 1 : 0;
	}
	/* What the container wants, read once: the host's file and its
	 * annotations. A failure fails its start (fail open: untraced) and
	 * makes its poststop detach at once; trace is known either way. */
	conf_r = og_conf_container(&conf, o.conf, state_annotation, &st);
	if (conf_r < 0)
		og_strfield(conf_error, sizeof(conf_error), og_errmsg());
	if (!conf.trace) {
		if (o.verbose)
			hook_log(&o, st.id, "io.oci-gadget.trace=false: not recorded");
		oci_state_free(&st);
		return 0;
	}
	/* Library warnings (a skipped step, the work goes on) go to the log,
	 * under this container's id. */
	warn_ctx = (struct warn_ctx){.o = &o, .id = st.id};
	og_set_warn(hook_warn, &warn_ctx);
	r = oci_id_valid(st.id);
	if (r < 0) {
		/* nothing */
	} else if (strcmp(stage, "prestart") == 0 || strcmp(stage, "createRuntime") == 0) {
		r = conf_r < 0 ? og_err(-conf_r, "%s", conf_error) : do_register(&o, &st, &conf, &in_other_ring);
		if (r == 0)
			spawn_maintainer(&o, conf.ring_memory_max, true);
	} else if (strcmp(stage, "poststop") == 0) {
		r = do_unregister(&o, &st, &conf, conf_r < 0 ? conf_error : NULL);
		if (r == 0)
			spawn_maintainer(&o, conf.ring_memory_max, false);
	} else if (strcmp(stage, "createContainer") == 0 || strcmp(stage, "startContainer") == 0 ||
		   strcmp(stage, "poststart") == 0) {
		r = 0; /* nothing to do at these stages */
	} else {
		r = og_err(EINVAL, "unknown hook stage '%s' (prestart, createRuntime or poststop)", stage);
	}
	if (r < 0)
		hook_log(&o, st.id, "%s: %s%s", stage, og_errmsg(), consequence(&o, stage, in_other_ring));
	oci_state_free(&st);
	return r < 0 && o.fail_closed ? 1 : 0;
}
