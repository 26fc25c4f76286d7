/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_SHIM_H
#define OG_SHIM_H

#include <stdbool.h>
#include <stddef.h>

/* What gadget-runc needs from a runc command line; argv is never changed. */
struct og_runc_args {
	int subcmd_index;   /* index of the subcommand in argv, -1 if none */
	const char *subcmd; /* "run", "create", "state", ... or NULL */
	const char *bundle; /* --bundle/-b value, NULL: the working directory */
	const char *config; /* crun's --config/-f: another file than config.json */
	bool wants_hooks;   /* create or run */
};

/* Parses runc's and crun's global options, the command and, for
 * create/run, its options, in every form urfave/cli and argp accept (-b X,
 * -b=X, --bundle X, --bundle=X, -bundle X). An unknown global option
 * without "=value" is -EINVAL: whether the next word is its value cannot
 * be known, so neither can the command. */
int og_runc_args_parse(int argc, char *const *argv, struct og_runc_args *out);

struct og_hook_spec {
	const char *hook_path; /* absolute path of gadget-hook */
	const char *pin_root;  /* NULL: the hook's default */
	const char *crash_dir; /* NULL: the hook's (crash-dir of oci-gadget.conf) */
};

/* Returns config.json (json, len) with gadget-hook added as prestart and
 * poststop hook, other hooks kept in order, everything else as it was.
 * *added is false when both were already there (then *out is NULL). */
int og_config_add_hooks(const char *json, size_t len, const struct og_hook_spec *spec, char **out, size_t *out_len,
			bool *added);
/* shim.conf (gadget-runc(8)): the runtime to run, the hook to add, the pin
 * root and crash directory to give it. An unknown key is reported on stderr and skipped: the
 * shim must run the runtime whatever its configuration says. */
struct og_shim_conf {
	char runtime[4096];
	char hook[4096];
	char pin_root[4096];
	char crash_dir[4096];
};
int og_shim_conf_parse(const char *text, const char *what, struct og_shim_conf *c);

/* Rewrites BUNDLE/config.json atomically (temp file, fsync, rename). */
int og_bundle_add_hooks(const char *bundle, const struct og_hook_spec *spec, bool *added);

#endif
