// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_shim.h"
#include "og_conf.h"
#include "og_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#define CONFIG_MAX (16u << 20)

/* Flag name without its dashes and "=value"; *value set for the = form. */
static bool flag_is(const char *arg, const char *name, const char **value)
{
	size_t n = strlen(name);

	while (*arg == '-')
		arg++;
	if (strncmp(arg, name, n) != 0)
		return false;
	if (arg[n] == '\0') {
		*value = NULL;
		return true;
	}
	if (arg[n] == '=') {
		*value = arg + n + 1;
		return true;
	}
	return false;
}

static int match_flag(const char *arg, const char *const *with_value, const char **name, const char **value)
{
	for (size_t i = 0; with_value[i]; i++) {
		if (flag_is(arg, with_value[i], value)) {
			*name = with_value[i];
			return 1;
		}
	}
	return 0;
}

/*
 * The runtimes' own options, as tables: the global ones (before the
 * command) of runc 1.1 and crun 1.8, and those of create and run. A flag
 * that takes a value may have it as the next word (crun's argp and runc's
 * urfave/cli both take that form), so an unknown one makes the command
 * line unreadable: the shim says so rather than guess.
 */
static const char *const global_with_value[] = {
	"log",
	"log-format",
	"root",
	"criu",
	"rootless", /* runc */
	"cgroup-manager",
	"log-level", /* crun */
	NULL,
};
static const char *const global_bool[] = {
	"debug", "systemd-cgroup", "help", "h", "version", "v", "usage", "?", NULL,
};
static const char *const create_with_value[] = {
	"bundle", "b", "console-socket", "pid-file", "preserve-fds", /* runc and crun */
	"config", "f",						     /* crun: another config file */
	NULL,
};

int og_runc_args_parse(int argc, char *const *argv, struct og_runc_args *out)
{
	const char *name, *value;
	int i = 1;

	memset(out, 0, sizeof(*out));
	out->subcmd_index = -1;
	for (; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (match_flag(a, global_with_value, &name, &value)) {
			if (!value && ++i >= argc)
				return og_err(EINVAL, "global option %s needs a value", a);
			continue;
		}
		if (match_flag(a, global_bool, &name, &value) || strchr(a, '='))
			continue; /* a boolean, or a value attached: either way one word */
		return og_err(EINVAL, "unknown global option %s: cannot tell whether the next word is its value", a);
	}
	if (i >= argc)
		return 0;
	out->subcmd_index = i;
	out->subcmd = argv[i];
	out->wants_hooks = strcmp(out->subcmd, "create") == 0 || strcmp(out->subcmd, "run") == 0;
	if (!out->wants_hooks)
		return 0;
	for (i++; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0)
			break;
		if (a[0] != '-' || a[1] == '\0')
			continue; /* the container id */
		if (!match_flag(a, create_with_value, &name, &value))
			continue; /* --detach, -d, --keep, ... */
		if (!value) {
			if (i + 1 >= argc)
				return og_err(EINVAL, "%s option %s needs a value", out->subcmd, a);
			value = argv[++i];
		}
		/* runc takes an empty --bundle= as the current directory, as if
		 * none were given: so does the shim (never "/config.json"). */
		if (strcmp(name, "bundle") == 0 || strcmp(name, "b") == 0)
			out->bundle = *value ? value : NULL;
		else if (strcmp(name, "config") == 0 || strcmp(name, "f") == 0)
			out->config = value;
	}
	return 0;
}

/* A generator and its first error: every call after one is skipped, and
 * the document is written only when none failed. */
struct gen {
	yajl_gen g;
	yajl_gen_status st;
};

#define GEN(o, call)                               \
	do {                                       \
		if ((o)->st == yajl_gen_status_ok) \
			(o)->st = (call);          \
	} while (0)

static void gen_str(struct gen *o, const char *s)
{
	GEN(o, yajl_gen_string(o->g, (const unsigned char *)s, strlen(s)));
}

/* Writes v back as it was parsed (numbers keep their text). */
static void gen_value(struct gen *o, yajl_val v)
{
	GEN(o, (yajl_gen_status)og_json_gen_value(o->g, v));
}

static bool is_gadget_hook(yajl_val entry)
{
	const char *path_key[] = {"path", NULL};
	yajl_val p = YAJL_IS_OBJECT(entry) ? yajl_tree_get(entry, path_key, yajl_t_string) : NULL;
	const char *base;

	if (!p)
		return false;
	base = strrchr(p->u.string, '/');
	return strcmp(base ? base + 1 : p->u.string, "gadget-hook") == 0;
}

static bool stage_has_hook(yajl_val stage)
{
	if (!stage || !YAJL_IS_ARRAY(stage))
		return false;
	for (size_t i = 0; i < stage->u.array.len; i++)
		if (is_gadget_hook(stage->u.array.values[i]))
			return true;
	return false;
}

static void gen_our_hook(struct gen *o, const struct og_hook_spec *spec, const char *stage)
{
	GEN(o, yajl_gen_map_open(o->g));
	gen_str(o, "path");
	gen_str(o, spec->hook_path);
	gen_str(o, "args");
	GEN(o, yajl_gen_array_open(o->g));
	gen_str(o, "gadget-hook");
	gen_str(o, stage);
	if (spec->pin_root) {
		gen_str(o, "--pin-root");
		gen_str(o, spec->pin_root);
	}
	if (spec->crash_dir) {
		gen_str(o, "--crash-dir");
		gen_str(o, spec->crash_dir);
	}
	GEN(o, yajl_gen_array_close(o->g));
	gen_str(o, "timeout");
	GEN(o, yajl_gen_integer(o->g, 10));
	GEN(o, yajl_gen_map_close(o->g));
}

static const char *const our_stages[] = {"prestart", "poststop"};

/* The hooks object: every stage as it was, ours appended where missing. */
static void gen_hooks(struct gen *o, yajl_val hooks, const struct og_hook_spec *spec)
{
	bool seen[2] = {false, false};

	GEN(o, yajl_gen_map_open(o->g));
	for (size_t i = 0; hooks && i < hooks->u.object.len; i++) {
		const char *key = hooks->u.object.keys[i];
		yajl_val stage = hooks->u.object.values[i];
		int ours = -1;

		for (int s = 0; s < 2; s++)
			if (strcmp(key, our_stages[s]) == 0)
				ours = s;
		gen_str(o, key);
		if (ours < 0 || !YAJL_IS_ARRAY(stage)) {
			gen_value(o, stage);
			continue;
		}
		seen[ours] = true;
		GEN(o, yajl_gen_array_open(o->g));
		for (size_t j = 0; j < stage->u.array.len; j++)
			gen_value(o, stage->u.array.values[j]);
		if (!stage_has_hook(stage))
			gen_our_hook(o, spec, our_stages[ours]);
		GEN(o, yajl_gen_array_close(o->g));
	}
	for (int s = 0; s < 2; s++) {
		if (seen[s])
			continue;
		gen_str(o, our_stages[s]);
		GEN(o, yajl_gen_array_open(o->g));
		gen_our_hook(o, spec, our_stages[s]);
		GEN(o, yajl_gen_array_close(o->g));
	}
	GEN(o, yajl_gen_map_close(o->g));
}

/* A key an object holds twice: JSON readers disagree on which one counts
 * (runc's takes the last), so such an object is not edited. */
static const char *duplicate_key(yajl_val obj)
{
	for (size_t i = 0; obj && i < obj->u.object.len; i++)
		for (size_t j = i + 1; j < obj->u.object.len; j++)
			if (strcmp(obj->u.object.keys[i], obj->u.object.keys[j]) == 0)
				return obj->u.object.keys[i];
	return NULL;
}

/* Refuses what cannot be rewritten with its meaning kept; returns 1 when
 * both hooks are there already. */
static int check_config(yajl_val root, yajl_val *hooks)
{
	const char *hooks_key[] = {"hooks", NULL};
	const char *pre[] = {"prestart", NULL}, *post[] = {"poststop", NULL};
	const char *dup;

	if (!YAJL_IS_OBJECT(root))
		return og_err(EINVAL, "config.json: not a JSON object");
	if ((dup = duplicate_key(root)))
		return og_err(EINVAL, "config.json: key \"%s\" twice at the top: left as it is", dup);
	*hooks = yajl_tree_get(root, hooks_key, yajl_t_any);
	if (*hooks && !YAJL_IS_OBJECT(*hooks))
		return og_err(EINVAL, "config.json: \"hooks\" is not an object");
	if ((dup = duplicate_key(*hooks)))
		return og_err(EINVAL, "config.json: key \"%s\" twice in \"hooks\": left as it is", dup);
	/* A stage that is not an array is not ours to fix: the runtime says
	 * what is wrong with it. */
	for (const char *const *st = our_stages; *hooks && st < our_stages + 2; st++) {
		const char *key[] = {*st, NULL};
		yajl_val v = yajl_tree_get(*hooks, key, yajl_t_any);

		if (v && !YAJL_IS_ARRAY(v))
			return og_err(EINVAL, "config.json: \"hooks\".\"%s\" is not an array: left as it is", *st);
	}
	return *hooks && stage_has_hook(yajl_tree_get(*hooks, pre, yajl_t_array)) &&
	       stage_has_hook(yajl_tree_get(*hooks, post, yajl_t_array));
}

int og_config_add_hooks(const char *json, size_t len, const struct og_hook_spec *spec, char **out, size_t *out_len,
			bool *added)
{
	struct gen o = {.st = yajl_gen_status_ok};
	yajl_val root, hooks = NULL;
	const unsigned char *buf;
	size_t blen;
	int r = 0;

	*out = NULL;
	*added = false;
	r = og_json_parse(json, len, CONFIG_MAX, "config.json", (void **)&root);
	if (r < 0)
		return r;
	r = check_config(root, &hooks);
	if (r != 0) {
		yajl_tree_free(root);
		return r < 0 ? r : 0;
	}
	o.g = yajl_gen_alloc(NULL);
	if (!o.g) {
		yajl_tree_free(root);
		return og_err(ENOMEM, "config.json");
	}
	yajl_gen_config(o.g, yajl_gen_beautify, 1);
	GEN(&o, yajl_gen_map_open(o.g));
	for (size_t i = 0; i < root->u.object.len; i++) {
		gen_str(&o, root->u.object.keys[i]);
		if (root->u.object.values[i] == hooks)
			gen_hooks(&o, hooks, spec);
		else
			gen_value(&o, root->u.object.values[i]);
	}
	if (!hooks) {
		gen_str(&o, "hooks");
		gen_hooks(&o, NULL, spec);
	}
	GEN(&o, yajl_gen_map_close(o.g));
	GEN(&o, yajl_gen_get_buf(o.g, &buf, &blen));
	if (o.st != yajl_gen_status_ok) {
		r = og_err(EINVAL, "config.json: cannot be written back as it was (yajl_gen status %d): left as it is",
			   (int)o.st);
	} else if (!(*out = malloc(blen + 1))) {
		r = og_err(ENOMEM, "config.json: generate");
	} else {
		memcpy(*out, buf, blen);
		(*out)[blen] = '\0';
		*out_len = blen;
		*added = true;
	}
	yajl_gen_free(o.g);
	yajl_tree_free(root);
	return r;
}

static int shim_conf_set(void *arg, const char *key, const char *value)
{
	struct og_shim_conf *c = arg;

	if (strcmp(key, "runtime") == 0)
		og_strfield(c->runtime, sizeof(c->runtime), value);
	else if (strcmp(key, "hook") == 0)
		og_strfield(c->hook, sizeof(c->hook), value);
	else if (strcmp(key, "pin_root") == 0)
		og_strfield(c->pin_root, sizeof(c->pin_root), value);
	else if (strcmp(key, "crash_dir") == 0)
		og_strfield(c->crash_dir, sizeof(c->crash_dir), value);
	else
		og_warn("shim.conf: unknown key '%s' ignored", key);
	return 0;
}

int og_shim_conf_parse(const char *text, const char *what, struct og_shim_conf *c)
{
	return og_kv_parse(text, what, shim_conf_set, c);
}

int og_bundle_add_hooks(const char *bundle, const struct og_hook_spec *spec, bool *added)
{
	cleanup_free char *json = NULL;
	cleanup_free char *out = NULL;
	char path[4096], tmp[4096];
	size_t len, out_len;
	struct stat sb;
	int fd, r;

	if (og_path(path, sizeof(path), "%s/config.json", bundle) < 0 ||
	    og_path(tmp, sizeof(tmp), "%s/.config.json.gadget-runc.%d", bundle, (int)getpid()) < 0)
		return -ENAMETOOLONG;
	if (stat(path, &sb) < 0)
		return og_err(errno, "stat %s", path);
	r = og_read_file(path, CONFIG_MAX, &json, &len);
	if (r < 0)
		return r;
	r = og_config_add_hooks(json, len, spec, &out, &out_len, added);
	if (r < 0)
		return og_err_wrap(-r, "%s", path);
	if (!*added)
		return 0;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, sb.st_mode & 07777);
	if (fd < 0)
		return og_err(errno, "create %s", tmp);
	r = og_write_fd(fd, tmp, out, out_len);
	if (r == 0 && fsync(fd) < 0)
		r = og_err(errno, "fsync %s", tmp);
	if (r < 0) {
		close(fd);
		unlink(tmp);
		return r;
	}
	if (fchown(fd, sb.st_uid, sb.st_gid) < 0) {
		/* keep going: owned by us is still readable by runc */
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		r = og_err(errno, "rename %s to %s", tmp, path);
		unlink(tmp);
		return r;
	}
	return 0;
}
