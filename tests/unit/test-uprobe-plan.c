// The planner: which probes an image gets and what the report says, on
// images built in a temporary directory from the test's own files (a
// Python with gc probes, a libssl, a libstdc++ with throw probes), the
// host's libc and a static program. No kernel call, no root.
#include "config.h"
#include "og_events.h"
#include "og_probe_report.h"
#include "og_uprobe_plan.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

static char root[256];
static const char *builddir;

/* Copies file from into the image at rel. */
static int put_file(const char *from, const char *rel)
{
	cleanup_free char *data = NULL;
	char to[512], dir[512];
	size_t len;
	int fd, r;

	snprintf(to, sizeof(to), "%s%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", to);
	*strrchr(dir, '/') = '\0';
	og_mkdir_p(dir, 0755);
	r = og_read_file(from, 64u << 20, &data, &len);
	if (r < 0)
		return r;
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		r = -errno;
	if (fd >= 0)
		close(fd);
	return r;
}

static const char *built(const char *name)
{
	static char path[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/tests/unit/%s", builddir, name);
	return path[i];
}

/* The plan's probes of kind in a file whose path ends with suffix, by program. */
static int count(const struct og_uprobe_plan *p, uint32_t kind, enum og_uprobe_prog prog, const char *suffix)
{
	int n = 0;

	for (size_t i = 0; i < p->nprobes; i++) {
		const char *path = p->probes[i].f->path;
		size_t pl = strlen(path), sl = strlen(suffix);

		n += p->probes[i].kind == kind && p->probes[i].prog == prog && pl >= sl &&
		     strcmp(path + pl - sl, suffix) == 0;
	}
	return n;
}

/* The report's entry of type and family, or NULL. */
static const struct og_probe_entry *entry(const struct og_probe_report *rep, uint32_t type, uint32_t family)
{
	for (uint32_t i = 0; i < rep->nentries; i++)
		if (rep->entries[i].type == type && rep->entries[i].family == family)
			return &rep->entries[i];
	return NULL;
}

static const char *line_of(const struct og_probe_report *rep, const struct og_probe_entry *e)
{
	static char line[1024];

	if (!e)
		return "(none)";
	og_probe_line(e, og_probe_entry_text(rep, e), line, sizeof(line));
	return line;
}

/* The kinds placed on libc's functions. */
static int libc_kinds(void)
{
	int n = 0;

	for (uint32_t k = 1; k < OG_EV_MAX; k++)
		n += og_event_kind(k) && og_event_kind(k)->lib == OG_LIB_LIBC && og_event_kind(k)->symbol;
	return n;
}

static void check_libraries_and_runtime(void)
{
	struct og_probe_report rep;
	struct og_uprobe_plan plan;
	struct og_uprobe_target_opts o = {
		.families = OG_FAM_ALL,
		.rootfs = root,
		.arg0 = "python3",
		.path_env = "/usr/bin",
		.report = &rep,
	};
	const struct og_probe_entry *e;
	char want[128];
	int r;

	og_probe_report_init(&rep);
	r = og_uprobe_plan_make(&o, &plan);
	ok(r == 0, "planned: %s", r < 0 ? og_errmsg() : "");
	ok(og_probes_check(&rep, "report") == 0, "the report is well formed");

	/* libc by name in a library directory (no ld.so.cache): every
	 * function of the malloc family, a uretprobe for those that return. */
	ok(count(&plan, OG_EV_MALLOC, OG_PROG_UPROBE, "/libc.so.6") == 1 &&
		   count(&plan, OG_EV_MALLOC, OG_PROG_URETPROBE, "/libc.so.6") == 1 &&
		   count(&plan, OG_EV_FREE, OG_PROG_UPROBE, "/libc.so.6") == 1 &&
		   count(&plan, OG_EV_FREE, OG_PROG_URETPROBE, "/libc.so.6") == 0 &&
		   count(&plan, OG_EV_POSIX_MEMALIGN, OG_PROG_URETPROBE, "/libc.so.6") == 1,
	   "libc: malloc at entry and return, free at entry only");
	e = entry(&rep, OG_PROBE_FOUND, OG_FAM_MALLOC);
	snprintf(want, sizeof(want), "malloc: /lib/x86_64-linux-gnu/libc.so.6 (%d probes, library)", libc_kinds());
	is_str(line_of(&rep, e), want, "malloc's line: a probe for each kind of libc's row");

	/* The program is python3 along PATH: its gc probes, the start one
	 * (internal) and the end one. */
	ok(count(&plan, OG_EV_GC_START, OG_PROG_USDT, "/usr/bin/python3") == 1 &&
		   count(&plan, OG_EV_GC_PYTHON, OG_PROG_USDT, "/usr/bin/python3") == 1,
	   "python3: gc__start and gc__done");
	e = entry(&rep, OG_PROBE_FOUND, OG_FAM_GC);
	ok(e && e->count == 2 && e->how == OG_HOW_PROGRAM, "gc: %s", line_of(&rep, e));
	for (size_t i = 0; i < plan.nprobes; i++) {
		const struct og_plan_probe *p = &plan.probes[i];
		uint32_t want = og_event_kind(p->kind)->family == OG_FAM_GC ? 1 : 2;

		if (p->prog == OG_PROG_USDT && p->spec.nargs != want)
			ok(0, "%s: %u USDT arguments decoded, expected %u", p->what, p->spec.nargs, want);
	}

	/* The kinds' library groups: libssl (4 functions that return), and
	 * libstdc++ for its throw probes. */
	ok(count(&plan, OG_EV_SSL_WRITE_EX, OG_PROG_URETPROBE, "/libssl.so.3") == 1 &&
		   count(&plan, OG_EV_SSL_READ, OG_PROG_UPROBE, "/libssl.so.3") == 1,
	   "libssl: SSL_read, SSL_write_ex...");
	e = entry(&rep, OG_PROBE_FOUND, OG_FAM_SSL);
	ok(e && e->count == 4 && e->how == OG_HOW_LIBRARY, "ssl: %s", line_of(&rep, e));
	e = entry(&rep, OG_PROBE_FOUND, OG_FAM_EXCEPTIONS);
	ok(e && e->count == 2 && count(&plan, OG_EV_RETHROW, OG_PROG_USDT, "/libstdc++.so.6") == 1, "exceptions: %s",
	   line_of(&rep, e));
	ok(!entry(&rep, OG_PROBE_NOTHING, OG_FAM_MALLOC) && !entry(&rep, OG_PROBE_NOTHING, OG_FAM_GC) &&
		   plan.found == OG_FAM_ALL,
	   "every family found something");
	ok(rep.entries[0].type == OG_PROBE_NOTE &&
		   strncmp(og_probe_entry_text(&rep, &rep.entries[0]), "image: ", 7) == 0,
	   "the report starts with the image's view");
	og_uprobe_plan_free(&plan);
}

static void check_nothing(void)
{
	struct og_probe_report rep;
	struct og_uprobe_plan plan;
	char empty[300];
	struct og_uprobe_target_opts o = {
		.families = OG_FAM_SSL | OG_FAM_GC,
		.rootfs = empty,
		.java_home = "/opt/jdk",
		.paths = "relative/lib.so,/missing.so",
		.report = &rep,
	};
	const struct og_probe_entry *e;

	snprintf(empty, sizeof(empty), "%s/empty", root);
	og_mkdir_p(empty, 0755);
	og_probe_report_init(&rep);
	ok(og_uprobe_plan_make(&o, &plan) == 0 && plan.nprobes == 0, "an empty image: nothing planned");
	e = entry(&rep, OG_PROBE_NOTHING, OG_FAM_SSL);
	ok(e && strstr(og_probe_entry_text(&rep, e), "no libssl.so.3 nor libgnutls.so.30") &&
		   strstr(og_probe_entry_text(&rep, e), "(PATH default, JAVA_HOME /opt/jdk)"),
	   "ssl says why, from its family's row: %s", line_of(&rep, e));
	e = entry(&rep, OG_PROBE_NOTHING, OG_FAM_GC);
	ok(e && strncmp(line_of(&rep, e), "gc: nothing: no python3", 23) == 0, "gc says why");
	ok(!entry(&rep, OG_PROBE_NOTHING, OG_FAM_MALLOC), "a family not asked for says nothing");
	ok(rep.nentries >= 3 && strstr(line_of(&rep, &rep.entries[1]), "relative/lib.so: not an absolute path"),
	   "uprobe-paths: a relative path is a note: %s", line_of(&rep, &rep.entries[1]));
	og_uprobe_plan_free(&plan);
}

/* A static program carries its own libc: its malloc is probed there. */
static void check_static(void)
{
	struct og_probe_report rep;
	struct og_uprobe_plan plan;
	char img[300];
	struct og_uprobe_target_opts o = {.families = OG_FAM_MALLOC, .rootfs = img, .arg0 = "/app", .report = &rep};
	const struct og_probe_entry *e;

	snprintf(img, sizeof(img), "%s/static", root);
	snprintf(root + strlen(root), sizeof(root) - strlen(root), "/static");
	ok(put_file(built("unwind-prog"), "/app") == 0, "a static program in an image");
	root[strlen(root) - strlen("/static")] = '\0';
	og_probe_report_init(&rep);
	ok(og_uprobe_plan_make(&o, &plan) == 0, "planned");
	e = entry(&rep, OG_PROBE_FOUND, OG_FAM_MALLOC);
	ok(e && e->how == OG_HOW_PROGRAM && count(&plan, OG_EV_MALLOC, OG_PROG_URETPROBE, "/app") == 1,
	   "its own malloc: %s", line_of(&rep, e));
	og_uprobe_plan_free(&plan);
}

int main(void)
{
	char cmd[600];

	builddir = getenv("top_builddir") ?: ".";
	snprintf(root, sizeof(root), "/tmp/og-test-plan-XXXXXX");
	if (!mkdtemp(root)) {
		printf("1..0 # SKIP no temporary directory\n");
		return 77;
	}
	if (put_file("/lib/x86_64-linux-gnu/libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6") < 0) {
		printf("1..0 # SKIP no glibc at /lib/x86_64-linux-gnu/libc.so.6 to copy\n");
		return 77;
	}
	ok(put_file(built("plan-python"), "/usr/bin/python3") == 0 &&
		   put_file(built("plan-tls"), "/usr/lib/x86_64-linux-gnu/libssl.so.3") == 0 &&
		   put_file(built("plan-cxx"), "/usr/lib/x86_64-linux-gnu/libstdc++.so.6") == 0,
	   "an image: libc, python3, libssl, libstdc++");
	check_libraries_and_runtime();
	check_nothing();
	check_static();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", root);
	return tap_done();
}
