// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_shim.h"
#include "og_util.h"

#include <errno.h>
#include <fcntl.h>
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

int og_runc_args_parse(int argc, char *const *argv, struct og_runc_args *out)
{
	static const char *const global_with_value[] = {"log", "log-format", "root", "criu", "rootless", NULL};
	static const char *const create_with_value[] = {"bundle",	"b", "console-socket", "pid-file",
							"preserve-fds", NULL};
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
		if (match_flag(a, global_with_value, &name, &value) && !value) {
			if (i + 1 >= argc)
				return og_err(EINVAL, "runc flag %s needs a value", a);
			i++;
		}
		/* Booleans (--debug, --systemd-cgroup, ...) and unknown flags: no value. */
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
				return og_err(EINVAL, "runc %s flag %s needs a value", out->subcmd, a);
			value = argv[++i];
		}
		if (strcmp(name, "bundle") == 0 || strcmp(name, "b") == 0)
			out->bundle = value;
	}
	return 0;
}

static void gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

/* Writes v back as it was parsed (numbers keep their text). */
static void gen_value(yajl_gen g, yajl_val v)
{
	if (YAJL_IS_STRING(v)) {
		gen_str(g, v->u.string);
	} else if (YAJL_IS_NUMBER(v)) {
		yajl_gen_number(g, v->u.number.r, strlen(v->u.number.r));
	} else if (YAJL_IS_OBJECT(v)) {
		yajl_gen_map_open(g);
		for (size_t i = 0; i < v->u.object.len; i++) {
			gen_str(g, v->u.object.keys[i]);
			gen_value(g, v->u.object.values[i]);
		}
		yajl_gen_map_close(g);
	} else if (YAJL_IS_ARRAY(v)) {
		yajl_gen_array_open(g);
		for (size_t i = 0; i < v->u.array.len; i++)
			gen_value(g, v->u.array.values[i]);
		yajl_gen_array_close(g);
	} else if (YAJL_IS_TRUE(v)) {
		yajl_gen_bool(g, 1);
	} else if (YAJL_IS_FALSE(v)) {
		yajl_gen_bool(g, 0);
	} else {
		yajl_gen_null(g);
	}
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

static void gen_our_hook(yajl_gen g, const struct og_hook_spec *spec, const char *stage)
{
	yajl_gen_map_open(g);
	gen_str(g, "path");
	gen_str(g, spec->hook_path);
	gen_str(g, "args");
	yajl_gen_array_open(g);
	gen_str(g, "gadget-hook");
	gen_str(g, stage);
	if (spec->pin_root) {
		gen_str(g, "--pin-root");
		gen_str(g, spec->pin_root);
	}
	yajl_gen_array_close(g);
	gen_str(g, "timeout");
	yajl_gen_integer(g, 10);
	yajl_gen_map_close(g);
}

static const char *const our_stages[] = {"prestart", "poststop"};

/* The hooks object: every stage as it was, ours appended where missing. */
static void gen_hooks(yajl_gen g, yajl_val hooks, const struct og_hook_spec *spec)
{
	bool seen[2] = {false, false};

	yajl_gen_map_open(g);
	for (size_t i = 0; hooks && i < hooks->u.object.len; i++) {
		const char *key = hooks->u.object.keys[i];
		yajl_val stage = hooks->u.object.values[i];
		int ours = -1;

		for (int s = 0; s < 2; s++)
			if (strcmp(key, our_stages[s]) == 0)
				ours = s;
		gen_str(g, key);
		if (ours < 0 || !YAJL_IS_ARRAY(stage)) {
			gen_value(g, stage);
			continue;
		}
		seen[ours] = true;
		yajl_gen_array_open(g);
		for (size_t j = 0; j < stage->u.array.len; j++)
			gen_value(g, stage->u.array.values[j]);
		if (!stage_has_hook(stage))
			gen_our_hook(g, spec, our_stages[ours]);
		yajl_gen_array_close(g);
	}
	for (int s = 0; s < 2; s++) {
		if (seen[s])
			continue;
		gen_str(g, our_stages[s]);
		yajl_gen_array_open(g);
		gen_our_hook(g, spec, our_stages[s]);
		yajl_gen_array_close(g);
	}
	yajl_gen_map_close(g);
}

int og_config_add_hooks(const char *json, size_t len, const struct og_hook_spec *spec, char **out, size_t *out_len,
			bool *added)
{
	const char *hooks_key[] = {"hooks", NULL};
	yajl_val root, hooks;
	const unsigned char *buf;
	size_t blen;
	yajl_gen g;
	int r = 0;

	*out = NULL;
	*added = false;
	r = og_json_parse(json, len, CONFIG_MAX, "config.json", (void **)&root);
	if (r < 0)
		return r;
	if (!YAJL_IS_OBJECT(root)) {
		yajl_tree_free(root);
		return og_err(EINVAL, "config.json: not a JSON object");
	}
	hooks = yajl_tree_get(root, hooks_key, yajl_t_any);
	if (hooks && !YAJL_IS_OBJECT(hooks)) {
		yajl_tree_free(root);
		return og_err(EINVAL, "config.json: \"hooks\" is not an object");
	}
	if (hooks) {
		const char *pre[] = {"prestart", NULL}, *post[] = {"poststop", NULL};
		if (stage_has_hook(yajl_tree_get(hooks, pre, yajl_t_array)) &&
		    stage_has_hook(yajl_tree_get(hooks, post, yajl_t_array))) {
			yajl_tree_free(root);
			return 0;
		}
	}
	g = yajl_gen_alloc(NULL);
	if (!g) {
		yajl_tree_free(root);
		return og_err(ENOMEM, "config.json");
	}
	yajl_gen_config(g, yajl_gen_beautify, 1);
	yajl_gen_map_open(g);
	for (size_t i = 0; i < root->u.object.len; i++) {
		gen_str(g, root->u.object.keys[i]);
		if (root->u.object.values[i] == hooks)
			gen_hooks(g, hooks, spec);
		else
			gen_value(g, root->u.object.values[i]);
	}
	if (!hooks) {
		gen_str(g, "hooks");
		gen_hooks(g, NULL, spec);
	}
	yajl_gen_map_close(g);
	if (yajl_gen_get_buf(g, &buf, &blen) != yajl_gen_status_ok || !(*out = malloc(blen + 1))) {
		r = og_err(ENOMEM, "config.json: generate");
	} else {
		memcpy(*out, buf, blen);
		(*out)[blen] = '\0';
		*out_len = blen;
		*added = true;
	}
	yajl_gen_free(g);
	yajl_tree_free(root);
	return r;
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
		return og_err(-r, "%s: %s", path, og_errmsg());
	if (!*added)
		return 0;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, sb.st_mode & 07777);
	if (fd < 0)
		return og_err(errno, "create %s", tmp);
	if (write(fd, out, out_len) != (ssize_t)out_len || fsync(fd) < 0) {
		r = og_err(errno ? errno : EIO, "write %s", tmp);
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
