// gadget-runc: runc command lines and hook injection into config.json.
#include "config.h"
#include "og_shim.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <yajl/yajl_tree.h>

#define ARGV(...) ((char *const[]){"gadget-runc", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){"gadget-runc", __VA_ARGS__}) / sizeof(char *)))
#define PARSE(out, ...) og_runc_args_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), out)

static const struct og_hook_spec spec = {.hook_path = "/usr/sbin/gadget-hook", .pin_root = "/sys/fs/bpf/x"};

static yajl_val tree(const char *json)
{
	char err[128];
	return yajl_tree_parse(json, err, sizeof(err));
}

static const char *str_at(yajl_val root, const char **path)
{
	yajl_val v = yajl_tree_get(root, path, yajl_t_string);
	return v ? v->u.string : NULL;
}

static size_t array_len(yajl_val root, const char **path)
{
	yajl_val v = yajl_tree_get(root, path, yajl_t_array);
	return v ? v->u.array.len : (size_t)-1;
}

int main(void)
{
	struct og_runc_args a;

	ok(PARSE(&a, "run", "-b", "/b1", "c1") == 0 && a.wants_hooks && strcmp(a.bundle, "/b1") == 0, "run -b DIR");
	ok(PARSE(&a, "run", "--bundle", "/b2", "c1") == 0 && strcmp(a.bundle, "/b2") == 0, "run --bundle DIR");
	ok(PARSE(&a, "create", "--bundle=/b3", "c1") == 0 && strcmp(a.bundle, "/b3") == 0, "create --bundle=DIR");
	ok(PARSE(&a, "create", "-b=/b4", "c1") == 0 && strcmp(a.bundle, "/b4") == 0, "create -b=DIR");
	ok(PARSE(&a, "create", "--bundle=", "c1") == 0 && a.bundle == NULL,
	   "create --bundle= (empty): the current directory, as runc does, not /");
	ok(PARSE(&a, "create", "-bundle", "/b5", "c1") == 0 && strcmp(a.bundle, "/b5") == 0, "single-dash long flag");
	ok(PARSE(&a, "run", "c1") == 0 && a.wants_hooks && a.bundle == NULL, "no bundle: the working directory");
	ok(PARSE(&a, "--root", "/run/x", "--log", "/l", "--log-format", "json", "--systemd-cgroup", "create",
		 "--pid-file", "/p", "--console-socket", "/s", "--detach", "-b", "/b6", "c1") == 0 &&
		   strcmp(a.subcmd, "create") == 0 && a.subcmd_index == 8 && strcmp(a.bundle, "/b6") == 0,
	   "global flags with values before the subcommand, create flags around -b");
	ok(PARSE(&a, "--root=/run/x", "--debug", "run", "-d", "--bundle", "/b7", "c1") == 0 &&
		   strcmp(a.subcmd, "run") == 0 && strcmp(a.bundle, "/b7") == 0,
	   "--root=X and --debug");
	ok(PARSE(&a, "--log", "run", "state", "c1") == 0 && strcmp(a.subcmd, "state") == 0 && !a.wants_hooks,
	   "--log's value 'run' is not the subcommand");
	ok(PARSE(&a, "create", "--pid-file", "-b", "c1") == 0 && a.bundle == NULL, "a flag's value that looks like -b");
	ok(PARSE(&a, "delete", "-f", "c1") == 0 && !a.wants_hooks, "delete: pass-through");
	ok(PARSE(&a, "--version") == 0 && a.subcmd == NULL, "--version only: no subcommand");
	ok(PARSE(&a, "create", "--bundle") == -EINVAL, "--bundle without a value is an error");
	ok(PARSE(&a, "--root") == -EINVAL, "--root without a value is an error");
	ok(PARSE(&a, "run", "--", "-b") == 0 && a.bundle == NULL, "-- ends the flags");
	ok(PARSE(&a, "--cgroup-manager", "cgroupfs", "run", "-b", "/b8", "c1") == 0 && strcmp(a.subcmd, "run") == 0 &&
		   a.wants_hooks && strcmp(a.bundle, "/b8") == 0,
	   "crun's --cgroup-manager VALUE: the value is not the command");
	ok(PARSE(&a, "--log-level", "debug", "--cgroup-manager=systemd", "create", "c1") == 0 &&
		   strcmp(a.subcmd, "create") == 0,
	   "crun's --log-level VALUE and --cgroup-manager=VALUE");
	ok(PARSE(&a, "--rootless", "auto", "run", "c1") == 0 && strcmp(a.subcmd, "run") == 0, "--rootless VALUE");
	ok(PARSE(&a, "--new-flag", "run", "c1") == -EINVAL && strstr(og_errmsg(), "--new-flag"),
	   "an unknown global option: the command line is unreadable, said with the option");
	ok(PARSE(&a, "--new-flag=x", "run", "c1") == 0 && strcmp(a.subcmd, "run") == 0,
	   "an unknown global option with =value is one word");
	ok(PARSE(&a, "run", "-f", "other.json", "-b", "/b9", "c1") == 0 && strcmp(a.config, "other.json") == 0 &&
		   strcmp(a.bundle, "/b9") == 0,
	   "crun's run -f FILE: another config file, noted");

	char *out = NULL;
	size_t len;
	bool added;
	const char *cfg =
		"{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"user\":{\"uid\":0,\"gid\":0},"
		"\"terminal\":false},\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"n\":1.5e3,\"z\":null}";
	ok(og_config_add_hooks(cfg, strlen(cfg), &spec, &out, &len, &added) == 0 && added, "no hooks: added");
	yajl_val t = tree(out);
	const char *pre_path[] = {"hooks", "prestart", NULL};
	const char *post_path[] = {"hooks", "poststop", NULL};
	ok(t && array_len(t, pre_path) == 1 && array_len(t, post_path) == 1, "one prestart, one poststop");
	yajl_val pre0 = yajl_tree_get(t, pre_path, yajl_t_array)->u.array.values[0];
	const char *p_path[] = {"path", NULL}, *args_path[] = {"args", NULL};
	is_str(str_at(pre0, p_path), "/usr/sbin/gadget-hook", "hook path");
	yajl_val args = yajl_tree_get(pre0, args_path, yajl_t_array);
	ok(args && args->u.array.len == 4 && strcmp(args->u.array.values[1]->u.string, "prestart") == 0 &&
		   strcmp(args->u.array.values[3]->u.string, "/sys/fs/bpf/x") == 0,
	   "args: gadget-hook prestart --pin-root DIR");
	const char *num[] = {"n", NULL}, *ro[] = {"root", "readonly", NULL}, *uid[] = {"process", "user", "uid", NULL};
	ok(strcmp(yajl_tree_get(t, num, yajl_t_number)->u.number.r, "1.5e3") == 0, "numbers keep their text");
	ok(YAJL_IS_TRUE(yajl_tree_get(t, ro, yajl_t_any)) && yajl_tree_get(t, uid, yajl_t_number),
	   "everything else kept");
	yajl_tree_free(t);

	/* Already injected: nothing to do. */
	char *again = NULL;
	ok(og_config_add_hooks(out, len, &spec, &again, &len, &added) == 0 && !added && !again,
	   "second pass: no change");
	free(out);

	/* Other hooks kept, in order, ours appended; other stages untouched. */
	const char *with = "{\"hooks\":{\"createRuntime\":[{\"path\":\"/bin/a\"}],\"prestart\":[{\"path\":\"/bin/x\"},"
			   "{\"path\":\"/bin/y\",\"args\":[\"y\"]}]}}";
	ok(og_config_add_hooks(with, strlen(with), &spec, &out, &len, &added) == 0 && added, "existing hooks: added");
	t = tree(out);
	yajl_val pre = yajl_tree_get(t, pre_path, yajl_t_array);
	ok(pre && pre->u.array.len == 3, "prestart: 2 kept + ours");
	is_str(str_at(pre->u.array.values[0], p_path), "/bin/x", "first kept first");
	is_str(str_at(pre->u.array.values[1], p_path), "/bin/y", "second kept second");
	is_str(str_at(pre->u.array.values[2], p_path), "/usr/sbin/gadget-hook", "ours last");
	const char *cr[] = {"hooks", "createRuntime", NULL};
	ok(array_len(t, cr) == 1 && array_len(t, post_path) == 1, "createRuntime untouched, poststop added");
	yajl_tree_free(t);
	free(out);

	/* Ours in prestart only (someone's hand edit): only poststop is added. */
	const char *half = "{\"hooks\":{\"prestart\":[{\"path\":\"/opt/og/gadget-hook\"}]}}";
	ok(og_config_add_hooks(half, strlen(half), &spec, &out, &len, &added) == 0 && added, "half injected");
	t = tree(out);
	ok(array_len(t, pre_path) == 1 && array_len(t, post_path) == 1, "prestart not doubled, poststop added");
	yajl_tree_free(t);
	free(out);

	ok(og_config_add_hooks("{\"a\":", 5, &spec, &out, &len, &added) == -EINVAL && !out,
	   "malformed: error, no output");
	ok(og_config_add_hooks("[1]", 3, &spec, &out, &len, &added) == -EINVAL, "not an object");
	{
		const char *bad = "{\"hooks\": {\"prestart\": \"web\"}}";

		ok(og_config_add_hooks(bad, strlen(bad), &spec, &out, &len, &added) == -EINVAL && !out && !added &&
			   strstr(og_errmsg(), "\"prestart\" is not an array"),
		   "a stage that is not an array: left as it is, said (fuzz found it added a second time)");
	}
	ok(og_config_add_hooks("{\"hooks\":[]}", 12, &spec, &out, &len, &added) == -EINVAL, "hooks not an object");

	/* What cannot be written back with its meaning kept is refused (the
	 * bundle stays as it is, the runtime runs it untraced). */
	const char *nul = "{\"process\":{\"args\":[\"sh\",\"-c\",\"echo part1\\u0000; echo part2\"]}}";
	ok(og_config_add_hooks(nul, strlen(nul), &spec, &out, &len, &added) == -EINVAL && !out &&
		   strstr(og_errmsg(), "u0000"),
	   "\\u0000 in a string refused (yajl would cut the command there): %s", og_errmsg());
	const char *esc = "{\"a\":\"C:\\\\u0000 is text\"}";
	ok(og_config_add_hooks(esc, strlen(esc), &spec, &out, &len, &added) == 0 && added,
	   "an escaped backslash before u0000 is plain text");
	free(out);
	const char *dup = "{\"hooks\":{},\"process\":{},\"hooks\":{\"prestart\":[]}}";
	ok(og_config_add_hooks(dup, strlen(dup), &spec, &out, &len, &added) == -EINVAL && !out &&
		   strstr(og_errmsg(), "\"hooks\" twice"),
	   "duplicate \"hooks\" (runc reads the last) refused: %s", og_errmsg());
	const char *dup2 = "{\"hooks\":{\"poststop\":[],\"poststop\":[{\"path\":\"/x\"}]}}";
	ok(og_config_add_hooks(dup2, strlen(dup2), &spec, &out, &len, &added) == -EINVAL && !out,
	   "duplicate stage inside hooks refused");
	char deep[400];
	size_t dn = 0;
	dn += (size_t)sprintf(deep, "{\"annotations\":{\"x\":");
	for (int i = 0; i < 127; i++)
		deep[dn++] = '[';
	for (int i = 0; i < 127; i++)
		deep[dn++] = ']';
	strcpy(deep + dn, "}}");
	ok(og_config_add_hooks(deep, strlen(deep), &spec, &out, &len, &added) == -EINVAL && !out &&
		   strstr(og_errmsg(), "nested"),
	   "129 levels (past yajl_gen's 128, once written as invalid JSON) refused: %s", og_errmsg());

	/* On disk: atomic rewrite; a malformed file stays byte for byte. */
	char dir[] = "/tmp/og-shim-XXXXXX", path[256];
	ok(mkdtemp(dir) != NULL, "temp bundle");
	snprintf(path, sizeof(path), "%s/config.json", dir);
	FILE *f = fopen(path, "w");
	fputs("{\"ociVersion\": \"1.0.2\", \"oops\"", f);
	fclose(f);
	chmod(path, 0640);
	ok(og_bundle_add_hooks(dir, &spec, &added) == -EINVAL, "malformed config.json: error");
	char *back = NULL;
	og_read_file(path, 4096, &back, &len);
	is_str(back, "{\"ociVersion\": \"1.0.2\", \"oops\"", "malformed config.json left untouched");
	free(back);
	f = fopen(path, "w");
	fputs(cfg, f);
	fclose(f);
	ok(og_bundle_add_hooks(dir, &spec, &added) == 0 && added, "good config.json rewritten");
	struct stat sb;
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0640, "mode kept");
	og_read_file(path, 1 << 20, &back, &len);
	ok(back && strstr(back, "gadget-hook") != NULL, "hooks on disk");
	free(back);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	ok(system(path) == 0, "cleanup");
	ok(og_bundle_add_hooks("/nonexistent-bundle", &spec, &added) == -ENOENT, "missing bundle: ENOENT");
	return tap_done();
}
