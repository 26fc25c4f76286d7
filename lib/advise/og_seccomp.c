// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_seccomp.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

/*
 * What the runtime's own thread does after it applied the container's
 * filter and before it execve's the container's program: those syscalls
 * run under the filter too. Measured with oci-gadget itself (a ring shows
 * the runtime's syscalls after prctl(PR_SET_SECCOMP) up to the execve),
 * runc 1.1.5, with noNewPrivileges true (the filter is applied last) and
 * false (applied before the credentials change):
 *   true:  close openat write getpid epoll_ctl fstatfs getdents64 execve
 *   false: + capget capset chdir faccessat2 fcntl fstat getcwd getppid
 *            newfstatat prctl read setgid setgroups setuid
 * and the Go runtime's calls that any of runc's threads may make at any
 * moment (signals, locks, memory). crun 1.8.1, measured the same way in a
 * private cgroup2 namespace (it calls seccomp(2), then execve):
 *   true:  close execve
 *   false: + prctl setresgid setresuid capset rt_sigprocmask rt_sigaction
 *            write
 * and execveat, which crun uses for fexecve when it can.
 */
static const char *const runtime_tail[] = {
	/* runc, both modes */
	"close", "openat", "write", "getpid", "epoll_ctl", "fstatfs", "getdents64", "execve",
	/* runc, noNewPrivileges false */
	"capget", "capset", "chdir", "faccessat2", "fcntl", "fstat", "getcwd", "getppid", "newfstatat", "prctl", "read",
	"setgid", "setgroups", "setuid",
	/* the Go runtime */
	"futex", "nanosleep", "sched_yield", "rt_sigreturn", "rt_sigprocmask", "sigaltstack", "mmap", "munmap",
	"madvise", "tgkill", "gettid", "exit", "exit_group",
	/* crun, noNewPrivileges false (the rest is in runc's list), and fexecve */
	"setresgid", "setresuid", "rt_sigaction", "execveat"};

int og_seccomp_set(const struct og_ring_counts *c, bool setup, struct og_syscall_set *s)
{
	memset(s, 0, sizeof(*s));
	if (!c->ran)
		return og_err(ENODATA, "the container never started its program (no execve succeeded): nothing to "
				       "profile");
	for (int a = 0; a < 2; a++)
		for (int nr = 0; nr < OG_COUNT_NRS; nr++)
			s->on[a][nr] = c->calls[a][nr] || (setup && c->setup[a][nr]);
	for (int a = 0; a < 2; a++) {
		bool used = a == 0;

		for (int nr = 0; nr < OG_COUNT_NRS && !used; nr++)
			used = s->on[a][nr];
		for (size_t i = 0; used && i < sizeof(runtime_tail) / sizeof(runtime_tail[0]); i++) {
			int nr = og_syscall_nr(a, runtime_tail[i]);

			if (nr >= 0 && nr < OG_COUNT_NRS)
				s->on[a][nr] = 1;
		}
	}
	return 0;
}

/* A sorted set of names, without repeats. */
struct names {
	const char **v;
	size_t n, cap;
};

static int names_add(struct names *ns, const char *name)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], name) == 0)
			return 0;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 256;
		const char **v = realloc(ns->v, cap * sizeof(*v));

		if (!v)
			return og_err(ENOMEM, "syscall names");
		ns->v = v;
		ns->cap = cap;
	}
	ns->v[ns->n++] = name;
	return 0;
}

static bool names_has(const struct names *ns, const char *name)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], name) == 0)
			return true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *const arch_names[2] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"};

static void gen_str(yajl_gen g, const char *s)
{
	yajl_gen_string(g, (const unsigned char *)s, strlen(s));
}

/* Every name an input profile's rules mention (names arrays, or the older
 * single name). Those keep the input's rule, whatever its action or
 * conditions: what it blocks stays blocked. */
static int mentioned(yajl_val syscalls, struct names *ns)
{
	const char *names_key[] = {"names", NULL}, *name_key[] = {"name", NULL};

	for (size_t i = 0; syscalls && i < syscalls->u.array.len; i++) {
		yajl_val e = syscalls->u.array.values[i], v;

		if (!YAJL_IS_OBJECT(e))
			return og_err(EINVAL, "input profile: syscalls[%zu] is not an object", i);
		if ((v = yajl_tree_get(e, names_key, yajl_t_array))) {
			for (size_t j = 0; j < v->u.array.len; j++)
				if (YAJL_IS_STRING(v->u.array.values[j]) &&
				    names_add(ns, v->u.array.values[j]->u.string) < 0)
					return -ENOMEM;
		} else if ((v = yajl_tree_get(e, name_key, yajl_t_string)) && names_add(ns, v->u.string) < 0) {
			return -ENOMEM;
		}
	}
	return 0;
}

static void gen_allow(yajl_gen g, const struct names *add)
{
	yajl_gen_map_open(g);
	gen_str(g, "names");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < add->n; i++)
		gen_str(g, add->v[i]);
	yajl_gen_array_close(g);
	gen_str(g, "action");
	gen_str(g, "SCMP_ACT_ALLOW");
	yajl_gen_map_close(g);
}

static void gen_profile(yajl_gen g, yajl_val in, const bool arch_used[2], const struct names *ours)
{
	const char *syscalls_key[] = {"syscalls", NULL}, *arch_key[] = {"architectures", NULL};
	yajl_val syscalls = in ? yajl_tree_get(in, syscalls_key, yajl_t_array) : NULL;
	yajl_val arches = in ? yajl_tree_get(in, arch_key, yajl_t_array) : NULL;
	struct names old = {0}, add = {0}, arch = {0};

	mentioned(syscalls, &old);
	for (size_t i = 0; i < ours->n; i++)
		if (!names_has(&old, ours->v[i]))
			names_add(&add, ours->v[i]);
	for (size_t i = 0; arches && i < arches->u.array.len; i++)
		if (YAJL_IS_STRING(arches->u.array.values[i]))
			names_add(&arch, arches->u.array.values[i]->u.string);
	for (int a = 0; a < 2; a++)
		if (arch_used[a])
			names_add(&arch, arch_names[a]);

	yajl_gen_map_open(g);
	if (!in) {
		gen_str(g, "defaultAction");
		gen_str(g, "SCMP_ACT_ERRNO");
		gen_str(g, "defaultErrnoRet");
		yajl_gen_integer(g, EPERM);
	}
	for (size_t i = 0; in && i < in->u.object.len; i++) {
		const char *k = in->u.object.keys[i];

		if (strcmp(k, "syscalls") == 0 || strcmp(k, "architectures") == 0)
			continue;
		gen_str(g, k);
		og_json_gen_value(g, in->u.object.values[i]);
	}
	gen_str(g, "architectures");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < arch.n; i++)
		gen_str(g, arch.v[i]);
	yajl_gen_array_close(g);
	gen_str(g, "syscalls");
	yajl_gen_array_open(g);
	for (size_t i = 0; syscalls && i < syscalls->u.array.len; i++)
		og_json_gen_value(g, syscalls->u.array.values[i]);
	if (add.n)
		gen_allow(g, &add);
	yajl_gen_array_close(g);
	yajl_gen_map_close(g);
	free(old.v);
	free(add.v);
	free(arch.v);
}

int og_seccomp_profile(const struct og_syscall_set *s, const char *input, size_t input_len, char **out, size_t *out_len)
{
	const char *syscalls_key[] = {"syscalls", NULL};
	struct names ours = {0};
	bool arch_used[2] = {false, false};
	yajl_val in = NULL, sc;
	const unsigned char *buf;
	size_t blen;
	yajl_gen g;
	int r = 0;

	*out = NULL;
	if (input) {
		r = og_json_parse(input, input_len, 4u << 20, "input profile", (void **)&in);
		if (r < 0)
			return r;
		sc = YAJL_IS_OBJECT(in) ? yajl_tree_get(in, syscalls_key, yajl_t_any) : NULL;
		if (!YAJL_IS_OBJECT(in) || (sc && !YAJL_IS_ARRAY(sc)))
			r = og_err(EINVAL, "input profile: expected an object whose \"syscalls\" is an array");
		else
			r = mentioned(sc, &ours); /* checks every rule's shape */
		ours.n = 0;
	}
	for (int a = 0; r == 0 && a < 2; a++) {
		for (int nr = 0; r == 0 && nr < OG_COUNT_NRS; nr++) {
			const char *name = s->on[a][nr] ? og_syscall_name(a, nr) : NULL;

			if (!name)
				continue;
			arch_used[a] = true;
			r = names_add(&ours, name);
		}
	}
	if (r == 0 && !(g = yajl_gen_alloc(NULL)))
		r = og_err(ENOMEM, "profile");
	if (r < 0) {
		free(ours.v);
		if (in)
			yajl_tree_free(in);
		return r;
	}
	if (ours.n)
		qsort(ours.v, ours.n, sizeof(*ours.v), by_name);
	yajl_gen_config(g, yajl_gen_beautify, 1);
	gen_profile(g, in, arch_used, &ours);
	if (yajl_gen_get_buf(g, &buf, &blen) != yajl_gen_status_ok || !(*out = malloc(blen + 2))) {
		r = og_err(ENOMEM, "profile");
	} else {
		memcpy(*out, buf, blen);
		(*out)[blen] = '\n';
		(*out)[blen + 1] = '\0';
		*out_len = blen + 1;
	}
	yajl_gen_free(g);
	free(ours.v);
	if (in)
		yajl_tree_free(in);
	return r;
}

#define PROFILE_XATTR "trusted.oci-gadget.profile"

int og_seccomp_rel_path(const char *dir, const char *path, char *rel, size_t size)
{
	size_t dl = strlen(dir);
	const char *p = path;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if (path[0] == '/') {
		if (strncmp(path, dir, dl) != 0 || path[dl] != '/')
			return og_err(EPERM, "'%s' is not inside %.*s", path, (int)dl, dir);
		p = path + dl;
	}
	while (*p == '/')
		p++;
	if (!*p)
		return og_err(EINVAL, "'%s' names no file", path);
	/* No component may be "..": checked here, and RESOLVE_BENEATH again. */
	for (const char *c = p; *c;) {
		size_t n = strcspn(c, "/");

		if (n == 2 && c[0] == '.' && c[1] == '.')
			return og_err(EPERM, "'%s' has a '..' component", path);
		c += n;
		c += *c == '/';
	}
	if (strlen(p) >= size)
		return og_err(ENAMETOOLONG, "'%s'", path);
	strcpy(rel, p);
	return 0;
}

/* Opens rel beneath dirfd, never through a symlink. */
static int open_beneath(int dirfd, const char *rel, uint64_t flags, const char *path)
{
	/* openat2 takes a mode only with O_CREAT. */
	int fd = og_openat2(dirfd, rel, flags | O_CLOEXEC | O_NOFOLLOW, (flags & O_CREAT) ? 0644 : 0,
			    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);

	if (fd < 0)
		return og_err(errno, "%s%s", path, errno == ELOOP ? ": a symlink on the way" : "");
	return fd;
}

/* The output: created, or an earlier profile of ours rewritten. */
static int open_output(int dirfd, const char *rel, const char *path)
{
	struct stat sb;
	char mark[2];
	int fd = open_beneath(dirfd, rel, O_WRONLY | O_CREAT | O_EXCL, path);

	if (fd >= 0) {
		if (fsetxattr(fd, PROFILE_XATTR, "1", 1, 0) < 0) {
			/* Written anyway; it will not be rewritten. */
		}
		return fd;
	}
	if (fd != -EEXIST)
		return fd;
	/* Non-blocking: a FIFO planted there must not hold the hook. */
	fd = open_beneath(dirfd, rel, O_WRONLY | O_NONBLOCK, path);
	if (fd < 0)
		return fd;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || fgetxattr(fd, PROFILE_XATTR, mark, sizeof(mark)) != 1) {
		close(fd);
		return og_err(EEXIST, "%s exists and was not written by oci-gadget: left as it is", path);
	}
	if (ftruncate(fd, 0) < 0) {
		int r = og_err(errno, "truncate %s", path);

		close(fd);
		return r;
	}
	return fd;
}

int og_seccomp_write_annotated(const char *dir, const char *annotation, const struct og_syscall_set *s, char *written,
			       size_t wsize)
{
	char of[4096] = "", in[4096] = "", rel[4096];
	cleanup_free char *input = NULL, *profile = NULL;
	cleanup_close int dirfd = -1;
	size_t input_len = 0, len;
	const char *p = annotation;
	struct stat sb;
	int fd, r;

	/* "of:PATH" then optionally ";if:PATH", in either order. */
	while (*p) {
		size_t n = strcspn(p, ";");
		char *dst = strncmp(p, "of:", 3) == 0 ? of : strncmp(p, "if:", 3) == 0 ? in : NULL;

		if (!dst || n - 3 >= sizeof(of))
			return og_err(EINVAL, "%s '%s': expected of:PATH[;if:PATH]", OG_TRACE_SYSCALL_ANNOTATION,
				      annotation);
		memcpy(dst, p + 3, n - 3);
		dst[n - 3] = '\0';
		p += n + (p[n] == ';');
	}
	if (!of[0])
		return og_err(EINVAL, "%s '%s': no of:PATH", OG_TRACE_SYSCALL_ANNOTATION, annotation);
	r = og_mkdir_open(dir, 0755, O_PATH, &dirfd);
	if (r < 0)
		return r;
	if (in[0]) {
		r = og_seccomp_rel_path(dir, in, rel, sizeof(rel));
		if (r < 0)
			return og_err_wrap(-r, "if");
		fd = open_beneath(dirfd, rel, O_RDONLY | O_NONBLOCK, in);
		if (fd < 0)
			return fd;
		if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
			close(fd);
			return og_err(EINVAL, "if:%s: not a regular file", in);
		}
		r = og_read_fd(fd, in, 4u << 20, &input, &input_len);
		close(fd);
		if (r < 0)
			return r;
	}
	r = og_seccomp_profile(s, input, input_len, &profile, &len);
	if (r < 0)
		return r;
	r = og_seccomp_rel_path(dir, of, rel, sizeof(rel));
	if (r < 0)
		return og_err_wrap(-r, "of");
	fd = open_output(dirfd, rel, of);
	if (fd < 0)
		return fd;
	r = og_write_fd(fd, of, profile, len);
	close(fd);
	if (r == 0)
		snprintf(written, wsize, "%s/%s", dir, rel);
	return r;
}
