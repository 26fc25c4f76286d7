// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-tracer: load, reload, unload and report the pinned syscall tracer. */
#include "config.h"
#include "og_pins.h"
#include "og_print.h"
#include "og_tracer.h"
#include "og_util.h"

#include <getopt.h>
#include <string.h>
#include <yajl/yajl_gen.h>

static void usage(FILE *out)
{
	fprintf(out, "Usage: gadget-tracer [--pin-root DIR] [-v] load|reload|unload|status [--json]\n"
		     "\n"
		     "  load     load the syscall programs, attach and pin them (idempotent)\n"
		     "  reload   replace loaded programs with this version's; rings are kept\n"
		     "  unload   remove every pin under the root; programs detach\n"
		     "  status   loaded or not, version, containers, counters\n"
		     "\n"
		     "  --pin-root DIR  where the pins live (default " OG_DEFAULT_PIN_ROOT ")\n"
		     "  --json          status as one JSON object\n"
		     "  -v, --verbose   libbpf messages (twice: the verifier log)\n");
}

static int status(const char *root, bool json)
{
	struct og_tracer_status st;
	int r = og_tracer_status(root, &st);

	if (r < 0)
		return r;
	if (json) {
		yajl_gen g = yajl_gen_alloc(NULL);

		yajl_gen_map_open(g);
		og_json_str(g, "pin_root", root);
		yajl_gen_string(g, (const unsigned char *)"loaded", 6);
		yajl_gen_bool(g, st.loaded);
		if (st.loaded) {
			char version[OG_VERSION_LEN + 1];

			og_strfield(version, sizeof(version), st.info.version);
			og_json_str(g, "version", version);
			og_json_u64(g, "ring_version", st.info.ring_version);
			og_json_u64(g, "loaded_ns", st.info.loaded_ns);
			og_json_u64(g, "registered", st.registered);
			og_json_u64(g, "containers_running", st.containers_running);
			og_json_u64(g, "containers_stopped", st.containers_stopped);
			og_json_u64(g, "syscalls_described", st.syscalls_described);
			og_json_u64(g, "records", st.records);
			og_json_u64(g, "str_failed", st.stats.str_failed);
			og_json_u64(g, "str_lost", st.stats.str_lost);
			og_json_u64(g, "dropped", st.stats.dropped);
			og_json_u64(g, "retry_full", st.stats.retry_full);
		}
		yajl_gen_map_close(g);
		return og_json_line(stdout, g);
	}
	if (!st.loaded) {
		printf("not loaded (pin root %s)\n", root);
		return 0;
	}
	printf("loaded:              oci-gadget %.*s (ring format %u)\n", OG_VERSION_LEN, st.info.version,
	       st.info.ring_version);
	printf("pin root:            %s\n", root);
	printf("registered:          %u containers recording (%d running, %d stopped rings kept)\n", st.registered,
	       st.containers_running, st.containers_stopped);
	printf("syscalls described:  %d\n", st.syscalls_described);
	printf("records written:     %llu (to the rings that exist)\n", (unsigned long long)st.records);
	printf("strings failed:      %llu at enter, %llu also at exit\n", (unsigned long long)st.stats.str_failed,
	       (unsigned long long)st.stats.str_lost);
	printf("records dropped:     %llu\n", (unsigned long long)st.stats.dropped);
	if (st.config_registered != st.registered)
		printf("warning: programs see %u registered, rings map holds %u\n", st.config_registered,
		       st.registered);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"pin-root", required_argument, NULL, 'p'}, {"json", no_argument, NULL, 'j'},
		{"verbose", no_argument, NULL, 'v'},	    {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},	    {},
	};
	const char *root = OG_DEFAULT_PIN_ROOT, *cmd;
	bool json = false, changed;
	int verbose = 0, c, r;

	while ((c = getopt_long(argc, argv, "p:jvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'p': root = optarg; break;
		case 'j': json = true; break;
		case 'v': verbose++; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("gadget-tracer %s\n", OG_VERSION_STRING); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	og_tracer_set_verbose(verbose);
	if (strcmp(cmd, "load") == 0 || strcmp(cmd, "reload") == 0) {
		r = og_tracer_load(root, strcmp(cmd, "reload") == 0, &changed);
		if (r == 0)
			printf("%s (pin root %s)\n", changed ? "loaded" : "already loaded", root);
	} else if (strcmp(cmd, "unload") == 0) {
		r = og_tracer_unload(root);
		if (r == 0)
			printf("unloaded (pin root %s)\n", root);
	} else if (strcmp(cmd, "status") == 0) {
		r = status(root, json);
	} else {
		fprintf(stderr, "gadget-tracer: unknown command '%s'\n", cmd);
		usage(stderr);
		return 2;
	}
	if (r < 0) {
		fprintf(stderr, "gadget-tracer %s: %s\n", cmd, og_errmsg());
		return 1;
	}
	return 0;
}
