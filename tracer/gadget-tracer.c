// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-tracer: load, reload, unload and report the pinned syscall tracer. */
#include "config.h"
#include "og_conf.h"
#include "og_pins.h"
#include "og_pool.h"
#include "og_print.h"
#include "og_tracer.h"
#include "og_features.h"
#include "og_uprobe_links.h"
#include "og_util.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <yajl/yajl_gen.h>

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: gadget-tracer [--pin-root DIR] [-v] load|reload|unload [--force]|status [--json]|maintain\n"
		"\n"
		"  load     load the syscall programs, attach and pin them, fill the ring pool\n"
		"           (idempotent)\n"
		"  reload   replace loaded programs with this version's; rings are kept\n"
		"  unload   remove every pin under the root; programs detach; refused while\n"
		"           containers are recording, unless --force\n"
		"  status   loaded or not, version, containers, counters, uprobes,\n"
		"           what the kernel offers the probes\n"
		"  maintain empty ring slots of stopped containers, refill the pool (the hook\n"
		"           does this in the background)\n"
		"\n"
		"  --pin-root DIR  where the pins live (default " OG_DEFAULT_PIN_ROOT ")\n"
		"  --pool N        rings kept ready for the next containers (default %d, at most %d)\n"
		"  --json          status as one JSON object\n"
		"  --force         unload even while containers are recording\n"
		"  --config FILE   ring-memory-max and ring-size-max, which the pool and\n"
		"                  status follow (default " OG_CONF_DEFAULT_PATH ")\n"
		"  -v, --verbose   libbpf messages (twice: the verifier log)\n",
		OG_POOL_DEFAULT, OG_POOL_MAX);
}

/* The host's ring limits (oci-gadget.conf): the defaults when the file
 * cannot be read, said. */
static void read_limits(const char *path, struct og_conf *c)
{
	og_conf_defaults(c);
	if (og_conf_read(path, c) < 0) {
		fprintf(stderr, "gadget-tracer: %s; using the default ring limits\n", og_errmsg());
		og_conf_defaults(c);
	}
}

static int status(const char *root, const struct og_conf *conf, bool json)
{
	struct og_feature feat[OG_NFEATURES];
	struct og_tracer_status st;
	int links = 0, refs = 0, lingering = 0;
	int r = og_tracer_status(root, &st);

	if (r < 0)
		return r;
	og_features_probe(feat);
	if (st.loaded)
		og_uprobes_count(root, &links, &refs, &lingering);
	if (json) {
		yajl_gen g = yajl_gen_alloc(NULL);

		if (!g) {
			fprintf(stderr, "gadget-tracer: status: out of memory\n");
			return 1;
		}
		yajl_gen_map_open(g);
		og_json_str(g, "pin_root", root);
		og_json_bool(g, "loaded", st.loaded);
		if (st.loaded) {
			char version[OG_VERSION_LEN + 1];

			og_strfield(version, sizeof(version), st.info.version);
			og_json_str(g, "version", version);
			og_json_u64(g, "ring_version", st.info.ring_version);
			og_json_u64(g, "loaded_ns", st.info.loaded_ns);
			og_json_u64(g, "generation", st.generation);
			og_json_u64(g, "registered", st.registered);
			yajl_gen_string(g, (const unsigned char *)"cgroup_levels", 13);
			yajl_gen_array_open(g);
			for (__u64 l = st.levels; l; l >>= 8)
				yajl_gen_integer(g, l & 0xff);
			yajl_gen_array_close(g);
			og_json_u64(g, "pool_size", st.info.pool_size);
			og_json_u64(g, "pool_ready", st.pool_ready);
			og_json_u64(g, "ustacks_used", st.ustacks);
			og_json_u64(g, "kstacks_used", st.kstacks);
			og_json_u64(g, "containers_running", st.containers_running);
			og_json_u64(g, "containers_ended", st.containers_ended);
			og_json_u64(g, "containers_gone", st.containers_gone);
			og_json_u64(g, "containers_stopped", st.containers_stopped);
			og_json_u64(g, "containers_broken", st.containers_broken);
			og_json_u64(g, "syscalls_described", st.syscalls_described);
			og_json_u64(g, "bytes_written", st.bytes_written);
			og_json_u64(g, "ring_memory_running", st.memory.running);
			og_json_u64(g, "ring_memory_stopped", st.memory.stopped);
			og_json_u64(g, "ring_memory_pool", st.memory.pool);
			og_json_u64(g, "ring_memory_held", st.memory.running + st.memory.stopped + st.memory.pool);
			og_json_u64(g, "ring_memory_max", conf->ring_memory_max);
			og_json_u64(g, "ring_size_max", conf->ring_size_max);
			og_json_u64(g, "str_failed", st.stats.str_failed);
			og_json_u64(g, "str_lost", st.stats.str_lost);
			og_json_u64(g, "dropped", st.stats.dropped);
			og_json_u64(g, "standalone_exits", st.stats.standalone_exits);
			og_json_u64(g, "uprobe_links", links);
			og_json_u64(g, "uprobe_refs", refs);
			og_json_u64(g, "uprobe_lingering", lingering);
		}
		yajl_gen_string(g, (const unsigned char *)"features", 8);
		yajl_gen_map_open(g);
		for (int i = 0; i < OG_NFEATURES; i++) {
			yajl_gen_string(g, (const unsigned char *)feat[i].name, strlen(feat[i].name));
			yajl_gen_map_open(g);
			og_json_bool(g, "supported", feat[i].supported);
			og_json_bool(g, "used", feat[i].used);
			og_json_str(g, "reason", feat[i].reason);
			yajl_gen_map_close(g);
		}
		yajl_gen_map_close(g);
		yajl_gen_map_close(g);
		return og_json_line(stdout, g);
	}
	if (!st.loaded)
		printf("not loaded (pin root %s)\n", root);
	for (int i = 0; i < OG_NFEATURES; i++)
		printf("%-20s %s: %s\n", feat[i].name,
		       feat[i].supported ? "supported"
		       : feat[i].used	 ? "UNSUPPORTED"
					 : "not used",
		       feat[i].reason);
	if (!st.loaded)
		return 0;
	printf("loaded:              oci-gadget %.*s (ring format %u), programs of generation %u\n", OG_VERSION_LEN,
	       st.info.version, st.info.ring_version, st.generation);
	printf("pin root:            %s\n", root);
	printf("registered:          %u containers recording (%d running, %d stopped rings kept)\n", st.registered,
	       st.containers_running, st.containers_stopped);
	if (st.containers_ended || st.containers_gone)
		printf("no poststop:         %d ended (their init's end recorded), %d gone (their init gone); "
		       "gadget-dump prune frees them\n",
		       st.containers_ended, st.containers_gone);
	if (st.containers_broken)
		printf("broken:              %d container directories unreadable (gadget-dump list says why; "
		       "gadget-dump prune removes them)\n",
		       st.containers_broken);
	printf("cgroup levels:      ");
	for (__u64 l = st.levels; l; l >>= 8)
		printf(" %u", (unsigned)(l & 0xff));
	printf("%s (where containers are registered; a cgroup below one is its container's)\n",
	       st.levels ? "" : " none");
	printf("ring pool:           %d of %u ready\n", st.pool_ready, st.info.pool_size);
	{
		char held[32], max[32], run[32], stop[32], pool[32], ring[32];

		printf("ring memory:         %s held of %s (ring-memory-max): %s running, %s stopped, %s pool; "
		       "rings at most %s (ring-size-max)\n",
		       og_format_size(held, sizeof(held), st.memory.running + st.memory.stopped + st.memory.pool),
		       og_format_size(max, sizeof(max), conf->ring_memory_max),
		       og_format_size(run, sizeof(run), st.memory.running),
		       og_format_size(stop, sizeof(stop), st.memory.stopped),
		       og_format_size(pool, sizeof(pool), st.memory.pool),
		       og_format_size(ring, sizeof(ring), conf->ring_size_max));
	}
	printf("stack ids:           %u user, %u kernel in use of %u each%s\n", st.ustacks, st.kstacks, OG_STACKS,
	       st.ustacks >= OG_STACKS || st.kstacks >= OG_STACKS
		       ? " (full: new stacks take older ids; a report whose stack was taken says so)"
		       : "");
	printf("syscalls described:  %d\n", st.syscalls_described);
	printf("bytes written:       %llu (to the rings that exist)\n", (unsigned long long)st.bytes_written);
	printf("strings failed:      %llu at enter, %llu also at exit\n", (unsigned long long)st.stats.str_failed,
	       (unsigned long long)st.stats.str_lost);
	printf("records dropped:     %llu\n", (unsigned long long)st.stats.dropped);
	printf("standalone exits:    %llu (exits written apart from their enter record)\n",
	       (unsigned long long)st.stats.standalone_exits);
	printf("uprobes:             %d probes attached, %d container references, %d lingering after a stop\n", links,
	       refs, lingering);
	if (st.config_registered != st.registered)
		printf("warning: programs see %u registered, the cgroups map holds %u\n", st.config_registered,
		       st.registered);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"pin-root", required_argument, NULL, 'p'},
		{"json", no_argument, NULL, 'j'},
		{"pool", required_argument, NULL, 'P'},
		{"force", no_argument, NULL, 'f'},
		{"config", required_argument, NULL, 'c'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{},
	};
	const char *root = OG_DEFAULT_PIN_ROOT, *conf_path = OG_CONF_DEFAULT_PATH, *cmd;
	struct og_conf conf;
	bool json = false, force = false, changed;
	int verbose = 0, c, r;
	unsigned long pool = OG_POOL_DEFAULT;
	char *end;

	while ((c = getopt_long(argc, argv, "p:jvhV", opts, NULL)) != -1) {
		switch (c) {
		case 'p': root = optarg; break;
		case 'j': json = true; break;
		case 'f': force = true; break;
		case 'c': conf_path = optarg; break;
		case 'P':
			errno = 0;
			pool = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end || pool > OG_POOL_MAX) {
				fprintf(stderr, "gadget-tracer: --pool %s: a number from 0 to %d\n", optarg,
					OG_POOL_MAX);
				return 2;
			}
			break;
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
	if (strcmp(cmd, "unload") != 0)
		read_limits(conf_path, &conf);
	if (strcmp(cmd, "load") == 0 || strcmp(cmd, "reload") == 0) {
		r = og_tracer_load(root, strcmp(cmd, "reload") == 0, pool, &changed);
		/* Fill the pool now: the first containers then start fast too. */
		if (r == 0)
			r = og_pool_maintain(root, conf.ring_memory_max);
		if (r == 0)
			printf("%s (pin root %s, %d rings ready)\n", changed ? "loaded" : "already loaded", root,
			       og_pool_ready(root));
	} else if (strcmp(cmd, "unload") == 0) {
		struct og_unload_report rep;

		r = og_tracer_unload(root, force, &rep);
		if (r == 0 && rep.running)
			og_warn("unload --force: %d containers no longer recorded: %s", rep.running, rep.running_ids);
		if (r == 0 && rep.found)
			printf("unloaded (pin root %s; %d running and %d stopped containers' rings removed)\n", root,
			       rep.running, rep.stopped);
		else if (r == 0)
			printf("nothing loaded under %s\n", root);
	} else if (strcmp(cmd, "maintain") == 0) {
		int reaped, left;
		uint64_t next;

		struct og_container_meta *gone = NULL;
		size_t ngone = 0;

		/* The containers gone without a poststop first: then their slots are emptied too. */
		r = og_container_reap(root, &gone, &ngone);
		for (size_t i = 0; i < ngone; i++)
			og_warn("container '%s': no poststop came and its init (pid %d) is gone: stopped, its ring "
				"kept",
				gone[i].id, gone[i].pid);
		free(gone);
		if (r == 0)
			r = og_pool_maintain(root, conf.ring_memory_max);
		if (r == 0)
			r = og_uprobes_reap(root, og_realtime_ns() / 1000000000ULL, &reaped, &left, &next);
		if (r == 0)
			printf("maintained (pin root %s, %d rings ready)\n", root, og_pool_ready(root));
	} else if (strcmp(cmd, "status") == 0) {
		r = status(root, &conf, json);
	} else {
		fprintf(stderr, "gadget-tracer: unknown command '%s'\n", cmd);
		usage(stderr);
		return 2;
	}
	if (r < 0) {
		char msg[4 * 1024];

		/* Escaped: it may hold containers' names. */
		fprintf(stderr, "gadget-tracer %s: %s\n", cmd, og_escape_line(msg, sizeof(msg), og_errmsg()));
		return 1;
	}
	return 0;
}
