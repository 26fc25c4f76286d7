// Seccomp profiles: the set from the counts, the JSON, a merge into an
// input profile, the annotation's paths and the configuration key.
#include "config.h"
#include "og_conf.h"
#include "og_seccomp.h"
#include "og_syscalls.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>
#include <yajl/yajl_tree.h>

static struct og_ring_counts counts;

static void call(int arch, const char *name)
{
	counts.calls[arch][og_syscall_nr(arch, name)]++;
}

/* The allow list of the profile as one space-separated string. */
static char *allowed(const char *json, const char *action)
{
	const char *sk[] = {"syscalls", NULL}, *nk[] = {"names", NULL}, *ak[] = {"action", NULL};
	static char out[16384];
	yajl_val t = yajl_tree_parse(json, NULL, 0), sc;

	out[0] = '\0';
	sc = t ? yajl_tree_get(t, sk, yajl_t_array) : NULL;
	for (size_t i = 0; sc && i < YAJL_GET_ARRAY(sc)->len; i++) {
		yajl_val rule = YAJL_GET_ARRAY(sc)->values[i], names = yajl_tree_get(rule, nk, yajl_t_array);
		yajl_val act = yajl_tree_get(rule, ak, yajl_t_string);

		const char *a = act ? YAJL_GET_STRING(act) : NULL;

		if (!names || !a || strcmp(a, action) != 0)
			continue;
		for (size_t j = 0; j < YAJL_GET_ARRAY(names)->len; j++) {
			const char *n = YAJL_GET_STRING(YAJL_GET_ARRAY(names)->values[j]);

			strcat(out, out[0] ? " " : "");
			strcat(out, n ? n : "?");
		}
	}
	yajl_tree_free(t);
	return out;
}

int main(void)
{
	struct og_syscall_set s;
	struct og_conf conf;
	char *json = NULL, rel[256];
	size_t len;

	ok(og_seccomp_set(&counts, false, &s) == -ENODATA, "no execve succeeded: nothing to profile");
	counts.ran = 1;
	call(0, "openat");
	call(0, "pipe2");
	call(0, "wait4");
	counts.setup[0][og_syscall_nr(0, "mount")] = 1;
	counts.setup[0][og_syscall_nr(0, "pivot_root")] = 1;
	ok(og_seccomp_set(&counts, false, &s) == 0, "set from the counts");
	ok(s.on[0][og_syscall_nr(0, "pipe2")] && !s.on[0][og_syscall_nr(0, "mount")], "setup left out by default");
	ok(s.on[0][og_syscall_nr(0, "execve")] && s.on[0][og_syscall_nr(0, "getdents64")],
	   "the runtime's tail after its filter is in");
	ok(!s.on[1][og_syscall_nr(1, "execve")], "i386 not used: nothing for it");
	ok(og_seccomp_set(&counts, true, &s) == 0 && s.on[0][og_syscall_nr(0, "mount")], "--with-setup adds setup");

	og_seccomp_set(&counts, false, &s);
	ok(og_seccomp_profile(&s, NULL, 0, &json, &len) == 0 && json[len - 1] == '\n', "profile");
	ok(strstr(json, "\"defaultAction\": \"SCMP_ACT_ERRNO\"") && strstr(json, "\"SCMP_ARCH_X86_64\"") &&
		   !strstr(json, "SCMP_ARCH_X86\""),
	   "default errno, x86_64 only");
	{
		char *a = allowed(json, "SCMP_ACT_ALLOW");
		ok(strstr(a, "openat pipe2") && strstr(a, "wait4") && !strstr(a, "mount"), "allow list sorted: %s", a);
	}
	free(json);

	call(1, "socketcall");
	og_seccomp_set(&counts, false, &s);
	ok(og_seccomp_profile(&s, NULL, 0, &json, &len) == 0 && strstr(json, "\"SCMP_ARCH_X86\"") &&
		   strstr(allowed(json, "SCMP_ACT_ALLOW"), "socketcall"),
	   "an i386 syscall adds its arch and its name");
	free(json);

	{
		const char *in = "{\"defaultAction\": \"SCMP_ACT_KILL\", \"syscalls\": ["
				 "{\"names\": [\"pipe2\"], \"action\": \"SCMP_ACT_ERRNO\"},"
				 "{\"names\": [\"getpid\"], \"action\": \"SCMP_ACT_ALLOW\"}]}";
		char *a;

		ok(og_seccomp_profile(&s, in, strlen(in), &json, &len) == 0, "merge into an input profile");
		ok(json && strstr(json, "\"defaultAction\": \"SCMP_ACT_KILL\""), "input's default action kept");
		a = allowed(json, "SCMP_ACT_ERRNO");
		is_str(a, "pipe2", "what the input blocks stays blocked");
		a = allowed(json, "SCMP_ACT_ALLOW");
		ok(strstr(a, "getpid") && strstr(a, "openat") && !strstr(a, "pipe2"),
		   "input's allows kept, ours added, the blocked one not re-added: %s", a);
		free(json);
	}
	ok(og_seccomp_profile(&s, "{\"syscalls\": 3}", 15, &json, &len) == -EINVAL && !json,
	   "input whose syscalls is not an array refused");
	ok(og_seccomp_profile(&s, "[", 1, &json, &len) < 0 && !json, "input that is not JSON refused");

	ok(og_seccomp_rel_path("/var/p", "a.json", rel, sizeof(rel)) == 0 && strcmp(rel, "a.json") == 0,
	   "relative path");
	ok(og_seccomp_rel_path("/var/p/", "/var/p/sub/a.json", rel, sizeof(rel)) == 0 && strcmp(rel, "sub/a.json") == 0,
	   "absolute inside the directory");
	ok(og_seccomp_rel_path("/var/p", "/var/pp/a.json", rel, sizeof(rel)) == -EPERM, "a sibling with the prefix");
	ok(og_seccomp_rel_path("/var/p", "/etc/a.json", rel, sizeof(rel)) == -EPERM, "absolute outside");
	ok(og_seccomp_rel_path("/var/p", "sub/../../a", rel, sizeof(rel)) == -EPERM, "'..' component");
	ok(og_seccomp_rel_path("/var/p", "..", rel, sizeof(rel)) == -EPERM, "'..' alone");
	ok(og_seccomp_rel_path("/var/p", "a..b", rel, sizeof(rel)) == 0, "'..' inside a name is a name");
	ok(og_seccomp_rel_path("/var/p", "/var/p/", rel, sizeof(rel)) == -EINVAL, "the directory itself");

	og_conf_defaults(&conf);
	is_str(conf.seccomp_dir, OG_SECCOMP_DEFAULT_DIR, "default seccomp-profile-dir");
	ok(og_conf_set(&conf, "seccomp-profile-dir", "/srv/profiles") == 0 &&
		   strcmp(conf.seccomp_dir, "/srv/profiles") == 0,
	   "seccomp-profile-dir set");
	ok(og_conf_set(&conf, "seccomp-profile-dir", "relative") == -EINVAL, "relative directory refused");
	ok(og_conf_set(&conf, "seccomp-profile-dir", "/srv/../etc") == -EINVAL, "'..' refused");
	return tap_done();
}
