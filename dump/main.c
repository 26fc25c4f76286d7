// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump: lists recorded containers and prints their rings. Options
 * and the table of verbs; each verb is in its own file. */
#include "config.h"
#include "dump.h"
#include "og_events.h"
#include "og_pins.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <string.h>

volatile sig_atomic_t dump_stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	dump_stop_requested = 1;
}

static const char *const seccomp_formats[] = {"podman", "oci", NULL};
static const char *const network_formats[] = {"networkpolicy", NULL};

/* A verb: its name, whether it takes a CONTAINER, its --format values and
 * its usage lines ("gadget-dump [--pin-root DIR] " before each one that
 * does not start with a space). A CONTAINER alone is show's. */
static const struct dump_command {
	const char *name;
	int (*run)(const struct dump_opts *o, const char *container);
	bool takes_container;
	const char *const *formats;
	const char *usage;
} commands[] = {
	{"list", cmd_list, false, NULL, "list [--json]\n[show|list|summary|seccomp|network|probes] --file FILE ..."},
	{"show", cmd_show, true, NULL,
	 "[show] CONTAINER [--json] [-f|--follow]\n"
	 "                   [--syscall NAME,...] [--event NAME,...] [--pid N] [--host-pids] [--tail N] [--runtime]\n"
	 "                   [--time date|clock|first|delta] [-y|--fd-paths|--no-fd-paths]\n"
	 "[show] CONTAINER --leaks [--json]"},
	{"probes", cmd_probes, true, NULL, "probes CONTAINER [--json]"},
	{"seccomp", cmd_seccomp, true, seccomp_formats,
	 "seccomp CONTAINER [--format podman|oci]\n"
	 "                   [--input FILE] [-o FILE] [--with-setup]"},
	{"summary", cmd_summary, true, NULL, "summary CONTAINER [--json]"},
	{"network", cmd_network, true, network_formats, "network CONTAINER [--json|--format networkpolicy]"},
	{"prune", cmd_prune, false, NULL, "prune [--keep N] [--older-than DURATION]"},
	{"metrics", cmd_metrics, false, NULL, "metrics [-o|--out FILE]"},
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct dump_command *command_named(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void usage(FILE *out)
{
	const char *lead = "Usage:";

	for (size_t i = 0; i < N_COMMANDS; i++) {
		for (const char *line = commands[i].usage; *line;) {
			int len = (int)strcspn(line, "\n");

			if (*line == ' ')
				fprintf(out, "%.*s\n", len, line);
			else
				fprintf(out, "%6s gadget-dump [--pin-root DIR] %.*s\n", lead, len, line);
			lead = "";
			line += len + (line[len] == '\n');
		}
	}
	fprintf(out, "\n"
		     "CONTAINER is an id, a unique id prefix, a name, or POD/CONTAINER and\n"
		     "NAMESPACE/POD/CONTAINER for Kubernetes containers.\n"
		     "  --file FILE     a crash file (written at an abnormal stop under crash-dir),\n"
		     "                  instead of the pins: the verbs take no CONTAINER then\n"
		     "  --json          JSON Lines, one syscall per line\n"
		     "  -f, --follow    keep printing new records until the container stops\n"
		     "  --syscall LIST  only these syscalls (names, comma separated)\n"
		     "  --event LIST    only these events (see below)\n"
		     "  --leaks         allocations not freed when the ring was read, by stack\n"
		     "  --pid N         only this process or thread: N is its pid or tid in the\n"
		     "                  container's pid namespace or on the host (either matches)\n"
		     "  --host-pids     text shows (and --pid matches) the host's pids, not the\n"
		     "                  container's (JSON has both: pid/tid and ns_pid/ns_tid)\n"
		     "  --tail N        only the last N syscalls\n"
		     "  --runtime       also the runtime's records before the container's first execve\n"
		     "                  (hidden by default, text and JSON; JSON marks them \"runtime\": true)\n"
		     "  --time FORMAT   text's time column: date (UTC date and time, the default),\n"
		     "                  clock (time of day, strace -tt), first (seconds since the first\n"
		     "                  line), delta (seconds since the previous line, strace -r)\n"
		     "  -y, --fd-paths  fd arguments and returned fds with what they were, as strace -y\n"
		     "                  and -yy: fd=4</var/log/app.log>, fd=5<TCP:10.0.0.2:80->10.0.0.9:4242>\n"
		     "                  (the default; JSON: \"fd_path\", \"ret_fd_path\")\n"
		     "  --no-fd-paths   fds as bare numbers\n"
		     "  --keep N        prune: keep the newest N stopped containers (default 0)\n"
		     "  --older-than D  prune: only those stopped longer ago than D (30m, 12h, 7d)\n"
		     "  --input FILE    seccomp: merge into this profile (what it blocks stays blocked)\n"
		     "  -o FILE         seccomp: write the profile here (default: stdout)\n"
		     "  --with-setup    seccomp: also allow what the runtime did before the first execve\n"
		     "  -o, --out FILE  metrics: write the Prometheus text there atomically (a temporary\n"
		     "                  file beside it, fsync, rename) for node_exporter's textfile\n"
		     "                  collector (default: stdout)\n"
		     "  --pin-root DIR  pins of the tracer (default " OG_DEFAULT_PIN_ROOT ")\n");
	fprintf(out, "Events: %s\n", og_event_names());
}

/* For the shell completion (completion/gadget-dump), from the tables:
 * --list-verbs a line per verb, "VERB CONTAINER|- [FORMAT...]";
 * --list-options a line per option, "--NAME" or "--NAME ARG". */
static void list_options(const struct option *opts)
{
	for (const struct option *o = opts; o->name; o++)
		printf("--%s%s\n", o->name, o->has_arg == required_argument ? " ARG" : "");
}

static void list_verbs(void)
{
	for (size_t i = 0; i < N_COMMANDS; i++) {
		printf("%s %s", commands[i].name, commands[i].takes_container ? "CONTAINER" : "-");
		for (const char *const *f = commands[i].formats; f && *f; f++)
			printf(" %s", *f);
		printf("\n");
	}
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

/* --format is a verb's (seccomp: one object serves podman's and Docker's
 * profile files and the runtime spec's linux.seccomp). */
static bool format_known(const char *cmd, const char *format)
{
	const struct dump_command *c = command_named(cmd);

	for (const char *const *f = c ? c->formats : NULL; f && *f; f++)
		if (strcmp(*f, format) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"pin-root", required_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},
		{"follow", no_argument, NULL, 'f'},
		{"syscall", required_argument, NULL, 's'},
		{"event", required_argument, NULL, 'e'},
		{"leaks", no_argument, NULL, 'L'},
		{"pid", required_argument, NULL, 'P'},
		{"tail", required_argument, NULL, 't'},
		{"keep", required_argument, NULL, 'k'},
		{"older-than", required_argument, NULL, 'A'},
		{"format", required_argument, NULL, 'F'},
		{"input", required_argument, NULL, 'i'},
		{"output", required_argument, NULL, 'o'},
		{"out", required_argument, NULL, 'o'}, /* metrics --out FILE */
		{"with-setup", no_argument, NULL, 'S'},
		{"runtime", no_argument, NULL, 'R'},
		{"host-pids", no_argument, NULL, 'H'},
		{"time", required_argument, NULL, 'T'},
		{"fd-paths", no_argument, NULL, 'y'},
		{"no-fd-paths", no_argument, NULL, 'Y'},
		{"help", no_argument, NULL, 'h'},
		{"file", required_argument, NULL, 'I'},
		{"version", no_argument, NULL, 'V'},
		{"list-verbs", no_argument, NULL, 'v'}, /* hidden: the shell completion's */
		{"list-options", no_argument, NULL, 'O'},
		{},
	};
	static char out_buf[1 << 16]; /* given: glibc sizes a buffer of its own by st_blksize */
	struct dump_opts o = {.root = OG_DEFAULT_PIN_ROOT, .tail = -1, .keep = 0};
	const struct dump_command *c;
	const char *cmd = NULL, *arg = NULL;
	int opt, r;

	/* A fixed threshold: large blocks (a ring's records, read whole) stay
	 * mmap-ed, so growing them is mremap, not a copy into new pages that
	 * glibc's rising threshold would otherwise take from the heap. */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);
	/* A ring read whole is tens of MB of lines: written 64 KiB at a time,
	 * not st_blksize's 4 KiB (a terminal stays line-buffered). */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
	while ((opt = getopt_long(argc, argv, "p:jfs:e:LP:t:k:o:hVy", opts, NULL)) != -1) {
		switch (opt) {
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
				if (nums[i].opt != opt)
					continue;
				if (og_parse_long(optarg, opt == 'P' ? 1 : 0, nums[i].max, nums[i].name, &v) < 0) {
					fprintf(stderr, "gadget-dump: %s\n", og_errmsg());
					return 2;
				}
			}
			if (opt == 'P')
				o.pid = (int)v;
			else if (opt == 't')
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
		case 'H': o.host_pids = true; break;
		case 'T':
			o.time_fmt = og_time_fmt_parse(optarg);
			if (o.time_fmt < 0) {
				fprintf(stderr, "gadget-dump: --time '%s': date, clock, first or delta\n", optarg);
				return 2;
			}
			break;
		case 'y': o.no_fd_paths = false; break;
		case 'Y': o.no_fd_paths = true; break;
		case 'I': o.file = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("gadget-dump %s\n", OG_VERSION_STRING); return 0;
		case 'v': list_verbs(); return 0;
		case 'O': list_options(opts); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind < argc)
		cmd = argv[optind++];
	if (optind < argc)
		arg = argv[optind++];
	/* --file alone is show's; a verb reads the file instead of a CONTAINER. */
	if (o.file && !cmd)
		cmd = "show";
	if (!cmd || optind < argc) {
		usage(stderr);
		return 2;
	}
	if (o.file && (arg || !(c = command_named(cmd)) || !(c->takes_container || c->run == cmd_list))) {
		fprintf(stderr, "gadget-dump: --file FILE goes with show, list, summary, seccomp, network or probes, "
				"and no CONTAINER\n");
		return 2;
	}
	if (o.format && !format_known(cmd, o.format)) {
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
	/* Pins this user cannot read are an error, never "nothing there":
	 * prune would say it removed nothing, list would list nothing. */
	if (!o.file && og_pin_root_access(o.root) < 0) {
		og_warn("%s", og_errmsg());
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* A verb with what it takes; else a lone word is a CONTAINER to show. */
	c = command_named(cmd);
	if (o.file)
		r = c->run(&o, NULL);
	else if (c && c->takes_container == (arg != NULL))
		r = c->run(&o, arg);
	else if (!arg)
		r = cmd_show(&o, cmd);
	else {
		usage(stderr);
		return 2;
	}
	if (r < 0) {
		og_warn("%s", og_errmsg()); /* escaped: it may hold names */
		return 1;
	}
	return 0;
}
