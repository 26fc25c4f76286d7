// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gadget-runc: a runc-compatible wrapper for engines that cannot be given OCI
 * hooks (containerd's BinaryName, ctr --runc-binary). On create and run it
 * adds gadget-hook to the bundle's config.json, then execs the real runtime
 * with the arguments unchanged. Anything that goes wrong with the injection
 * is logged and the container starts anyway.
 */
#include "config.h"
#include "og_shim.h"
#include "og_util.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static void conf_set(char *field, const char *value)
{
	og_strfield(field, 4096, value);
}

/* A missing or unreadable file keeps the defaults: the runtime still runs. */
static void conf_read(const char *path, struct og_shim_conf *c)
{
	cleanup_free char *text = NULL;

	if (og_read_file(path, 1 << 20, &text, NULL) < 0)
		return;
	if (og_shim_conf_parse(text, path, c) < 0)
		fprintf(stderr, "gadget-runc: %s\n", og_errmsg());
}

/* Never exec ourselves: compare inodes, names can be links. */
static bool is_self(const char *path)
{
	struct stat a, b;

	return stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static const char *find_runtime(const struct og_shim_conf *c)
{
	static const char *const defaults[] = {"/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc",
					       "/usr/local/bin/runc"};

	if (c->runtime[0])
		return access(c->runtime, X_OK) == 0 && !is_self(c->runtime) ? c->runtime : NULL;
	for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (access(defaults[i], X_OK) == 0 && !is_self(defaults[i]))
			return defaults[i];
	return NULL;
}

int main(int argc, char **argv)
{
	struct og_shim_conf c = {};
	struct og_runc_args args;
	const char *conf_path = getenv("OCI_GADGET_SHIM_CONF"), *env, *runtime;

	conf_set(c.hook, OG_SBINDIR "/gadget-hook");
	conf_read(conf_path ? conf_path : OG_SYSCONFDIR "/oci-gadget/shim.conf", &c);
	if ((env = getenv("OCI_GADGET_RUNTIME")) && *env)
		conf_set(c.runtime, env);
	if ((env = getenv("OCI_GADGET_HOOK")) && *env)
		conf_set(c.hook, env);
	if ((env = getenv("OCI_GADGET_PIN_ROOT")) && *env)
		conf_set(c.pin_root, env);
	if ((env = getenv("OCI_GADGET_CRASH_DIR")) && *env)
		conf_set(c.crash_dir, env);

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("Usage: gadget-runc [RUNTIME GLOBAL OPTIONS] COMMAND [OPTIONS] [CONTAINER]\n"
		       "A runc-compatible wrapper: on create and run it adds gadget-hook as prestart and poststop\n"
		       "hook to the bundle's config.json, then executes the real runtime with the same arguments.\n"
		       "Every other command goes to the runtime unchanged.\n"
		       "\n"
		       "Configuration: %s (runtime, hook, pin_root, crash_dir), or OCI_GADGET_SHIM_CONF;\n"
		       "OCI_GADGET_RUNTIME, OCI_GADGET_HOOK, OCI_GADGET_PIN_ROOT, OCI_GADGET_CRASH_DIR override it.\n"
		       "The runtime's own help: gadget-runc help (or RUNTIME --help). See gadget-runc(8).\n",
		       conf_path ? conf_path : OG_SYSCONFDIR "/oci-gadget/shim.conf");
		return 0;
	}
	if (argc == 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-v") == 0)) {
		/* Ours first, then the runtime's: engines that parse a runtime's
		 * version (docker info) look for its "runc version" line. */
		printf("gadget-runc %s (oci-gadget), wrapping:\n", OG_VERSION_STRING);
		fflush(stdout);
	}
	if (og_runc_args_parse(argc, argv, &args) < 0) {
		fprintf(stderr,
			"gadget-runc: cannot read the command line (%s); passing it through untouched, the "
			"container runs untraced if it is a create or run\n",
			og_errmsg());
	} else if (args.wants_hooks && args.config) {
		fprintf(stderr,
			"gadget-runc: %s --config %s: hooks are added only to a bundle's config.json; the "
			"container runs untraced\n",
			args.subcmd, args.config);
	} else if (args.wants_hooks) {
		struct og_hook_spec spec = {.hook_path = c.hook,
					    .pin_root = c.pin_root[0] ? c.pin_root : NULL,
					    .crash_dir = c.crash_dir[0] ? c.crash_dir : NULL};
		const char *bundle = args.bundle ? args.bundle : ".";
		bool added;

		if (og_bundle_add_hooks(bundle, &spec, &added) < 0)
			fprintf(stderr, "gadget-runc: bundle %s: %s; the container runs untraced\n", bundle,
				og_errmsg());
	}

	runtime = find_runtime(&c);
	if (!runtime) {
		fprintf(stderr,
			"gadget-runc: no runtime to run: set runtime = /path/to/runc in %s or OCI_GADGET_RUNTIME "
			"(it must not be gadget-runc itself)\n",
			conf_path ? conf_path : OG_SYSCONFDIR "/oci-gadget/shim.conf");
		return 127;
	}
	execv(runtime, argv);
	fprintf(stderr, "gadget-runc: exec %s: %s\n", runtime, strerror(errno));
	return 127;
}
