// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_resolve.h"
#include "og_util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static int openat2_how(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = {.flags = flags, .resolve = resolve};

	return syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
}

int og_root_open(int root_fd, const char *path, int *fdp)
{
	int fd = openat2_how(root_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
			     RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);

	if (fd < 0)
		return -errno; /* callers try several places: no message here */
	*fdp = fd;
	return 0;
}

/* glibc's elf/cache.c layout, "new" format. */
#define CACHE_MAGIC_NEW "glibc-ld.so.cache"
#define CACHE_VERSION_NEW "1.1"
#define FLAG_TYPE_MASK 0x00ff
#define FLAG_ELF_LIBC6 0x0003
#define FLAG_REQUIRED_MASK 0xff00
#define FLAG_X8664_LIB64 0x0300

struct cache_file_new {
	char magic[17];
	char version[3];
	uint32_t nlibs;
	uint32_t len_strings;
	uint8_t flags;
	uint8_t pad[3];
	uint32_t extension_offset;
	uint32_t unused[3];
};

struct file_entry_new {
	int32_t flags;
	uint32_t key, value; /* string offsets from the start of cache_file_new */
	uint32_t osversion;
	uint64_t hwcap;
};

int og_ldcache_lookup(const void *data, size_t len, const char *soname, char *path, size_t size)
{
	const char *base = data, *hdr = NULL;
	struct cache_file_new h;
	size_t avail;

	/* Alone at the start, or after an old-format ("ld.so-1.7.0") table. */
	for (size_t off = 0; off + sizeof(h) <= len; off += 4) {
		if (memcmp(base + off, CACHE_MAGIC_NEW CACHE_VERSION_NEW, 20) == 0) {
			hdr = base + off;
			break;
		}
		if (off == 0 && memcmp(base, "ld.so-1.7.0", 11) != 0)
			break;
	}
	if (!hdr)
		return og_err(EINVAL, "ld.so.cache: no glibc-ld.so.cache1.1 table");
	avail = len - (hdr - base);
	memcpy(&h, hdr, sizeof(h));
	if (h.nlibs > (avail - sizeof(h)) / sizeof(struct file_entry_new))
		return og_err(EINVAL, "ld.so.cache: %u entries do not fit in %zu bytes", h.nlibs, avail);
	for (uint32_t i = 0; i < h.nlibs; i++) {
		struct file_entry_new e;
		const char *key, *value;

		memcpy(&e, hdr + sizeof(h) + i * sizeof(e), sizeof(e));
		if ((e.flags & FLAG_TYPE_MASK) != FLAG_ELF_LIBC6 || (e.flags & FLAG_REQUIRED_MASK) != FLAG_X8664_LIB64)
			continue;
		if (e.key >= avail || e.value >= avail)
			continue;
		key = hdr + e.key;
		value = hdr + e.value;
		if (!memchr(key, 0, avail - e.key) || !memchr(value, 0, avail - e.value))
			continue;
		if (strcmp(key, soname) == 0) {
			if (strlen(value) >= size)
				return og_err(ENAMETOOLONG, "ld.so.cache: path of %s", soname);
			strcpy(path, value);
			return 0;
		}
	}
	return -ENOENT;
}

static const char *const lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
	"/usr/local/lib",
};

static int is_regular(int fd)
{
	struct stat sb;

	return fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
}

int og_root_find_library(int root_fd, const char *soname, char *path, size_t size, int *fdp)
{
	cleanup_free char *cache = NULL;
	size_t len = 0;
	int fd = -1, r;

	if (strchr(soname, '/'))
		return og_err(EINVAL, "library name '%s' has a '/'", soname);
	r = og_root_open(root_fd, "/etc/ld.so.cache", &fd);
	if (r == 0) {
		r = og_read_fd(fd, "/etc/ld.so.cache of the image", 64u << 20, &cache, &len);
		close(fd);
		if (r == 0 && og_ldcache_lookup(cache, len, soname, path, size) == 0 &&
		    og_root_open(root_fd, path, &fd) == 0) {
			if (is_regular(fd)) {
				*fdp = fd;
				return 0;
			}
			close(fd);
		}
	}
	for (size_t i = 0; i < sizeof(lib_dirs) / sizeof(lib_dirs[0]); i++) {
		if (og_path(path, size, "%s/%s", lib_dirs[i], soname) < 0)
			continue;
		if (og_root_open(root_fd, path, &fd) == 0) {
			if (is_regular(fd)) {
				*fdp = fd;
				return 0;
			}
			close(fd);
		}
	}
	return og_err(ENOENT, "library %s: not in the image's ld.so.cache nor in its library directories", soname);
}

int og_root_find_program(int root_fd, const char *arg0, const char *path_env, char *path, size_t size, int *fdp)
{
	const char *p;
	int fd = -1;

	if (!arg0 || !arg0[0])
		return og_err(EINVAL, "process.args[0] is empty");
	if (strchr(arg0, '/')) {
		if (og_path(path, size, "%s", arg0) < 0 || og_root_open(root_fd, arg0, &fd) < 0)
			return og_err(ENOENT, "program %s: not in the image", arg0);
		if (!is_regular(fd)) {
			close(fd);
			return og_err(ENOEXEC, "program %s: not a regular file", arg0);
		}
		*fdp = fd;
		return 0;
	}
	p = path_env ? path_env : DEFAULT_PATH;
	while (*p) {
		size_t n = strcspn(p, ":");

		if (n > 0 && og_path(path, size, "%.*s/%s", (int)n, p, arg0) == 0 &&
		    og_root_open(root_fd, path, &fd) == 0) {
			if (is_regular(fd)) {
				*fdp = fd;
				return 0;
			}
			close(fd);
		}
		p += n;
		if (*p == ':')
			p++;
	}
	return og_err(ENOENT, "program %s: not found along PATH %s in the image", arg0,
		      path_env ? path_env : DEFAULT_PATH);
}

/* Undoes mountinfo's octal escapes (\040) in place. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (r[0] == '\\' && r[1] >= '0' && r[1] <= '7' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
		    r[3] <= '7') {
			*w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
			r += 3;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Copies one option value (up to an unescaped ',') into out. */
static const char *option_value(const char *options, const char *key, char *out, size_t size)
{
	size_t kl = strlen(key);
	const char *p = options;

	while (p && *p) {
		if (strncmp(p, key, kl) == 0) {
			size_t n = 0;

			p += kl;
			while (*p && *p != ',' && n < size - 1) {
				if (*p == '\\' && p[1] == ',') /* escaped comma */
					p++;
				out[n++] = *p++;
			}
			out[n] = '\0';
			return out;
		}
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return NULL;
}

int og_overlay_layers(const char *options, char dirs[][4096], size_t max, size_t *n)
{
	char buf[16384];

	*n = 0;
	if (option_value(options, "upperdir=", buf, sizeof(buf)) && *n < max)
		og_strfield(dirs[(*n)++], 4096, buf);
	if (!option_value(options, "lowerdir=", buf, sizeof(buf)))
		return og_err(EINVAL, "overlay options without lowerdir: %s", options);
	/* Layers are ':'-separated ("::" before data-only layers); "\:" is a
	 * colon inside a name. */
	for (char *p = buf; *p && *n < max;) {
		char one[4096];
		size_t k = 0;

		while (*p == ':')
			p++;
		while (*p && *p != ':' && k < sizeof(one) - 1) {
			if (*p == '\\' && p[1] == ':')
				p++;
			one[k++] = *p++;
		}
		one[k] = '\0';
		if (k)
			og_strfield(dirs[(*n)++], 4096, one);
	}
	return 0;
}

/* The overlay mount that holds host path file: its mount point and
 * options. */
static int overlay_mount_of(const char *file, char *mnt, size_t msize, char *opts, size_t osize)
{
	cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0, best = 0;
	int found = -ENOENT;

	if (!f)
		return og_err(errno, "open /proc/self/mountinfo");
	while (getline(&line, &cap, f) > 0) {
		char *fields[16], *save = NULL, *tok, *sep;
		int nf = 0;

		/* id parent maj:min root mountpoint opts [optional...] - fstype source superopts */
		sep = strstr(line, " - ");
		if (!sep)
			continue;
		*sep = '\0';
		for (tok = strtok_r(line, " ", &save); tok && nf < 16; tok = strtok_r(NULL, " ", &save))
			fields[nf++] = tok;
		if (nf < 5)
			continue;
		char *fstype = strtok_r(sep + 3, " ", &save);
		strtok_r(NULL, " ", &save); /* source */
		char *super = strtok_r(NULL, " \n", &save);
		if (!fstype || !super || strcmp(fstype, "overlay") != 0)
			continue;
		char *mp = fields[4];
		unescape_octal(mp);
		size_t ml = strlen(mp);
		if (strncmp(file, mp, ml) != 0 || (file[ml] != '/' && ml != 1) || ml < best)
			continue;
		best = ml;
		og_strfield(mnt, msize, mp);
		unescape_octal(super);
		og_strfield(opts, osize, super);
		found = 0;
	}
	free(line);
	return found;
}

int og_real_file(int fd, int *real_fd, dev_t *dev, ino_t *ino)
{
	char self[64], host[4096], mnt[4096], opts[16384];
	char dirs[64][4096];
	struct statfs sf;
	struct stat sb;
	size_t n;
	ssize_t len;
	int r, lfd;

	if (fstatfs(fd, &sf) < 0)
		return og_err(errno, "statfs of a probe target");
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if (sf.f_type != OVERLAYFS_SUPER_MAGIC) {
		lfd = open(self, O_RDONLY | O_CLOEXEC);
		if (lfd < 0 || fstat(lfd, &sb) < 0) {
			r = og_err(errno, "reopen %s", self);
			if (lfd >= 0)
				close(lfd);
			return r;
		}
		*real_fd = lfd;
		*dev = sb.st_dev;
		*ino = sb.st_ino;
		return 0;
	}
	len = readlink(self, host, sizeof(host) - 1);
	if (len < 0)
		return og_err(errno, "readlink %s", self);
	host[len] = '\0';
	r = overlay_mount_of(host, mnt, sizeof(mnt), opts, sizeof(opts));
	if (r < 0)
		return og_err(ENOENT, "%s is on overlayfs but no overlay mount holds it", host);
	r = og_overlay_layers(opts, dirs, 64, &n);
	if (r < 0)
		return r;
	const char *rel = host + strlen(mnt);
	while (*rel == '/')
		rel++;
	for (size_t i = 0; i < n; i++) {
		int dfd = open(dirs[i], O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (dfd < 0)
			continue;
		lfd = openat2_how(dfd, rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
		close(dfd);
		if (lfd < 0)
			continue;
		if (fstat(lfd, &sb) == 0 && S_ISREG(sb.st_mode)) {
			*real_fd = lfd;
			*dev = sb.st_dev;
			*ino = sb.st_ino;
			return 0;
		}
		close(lfd);
		break; /* a whiteout or a directory hides the layers below */
	}
	return og_err(ENOENT, "%s: not found in the layers of the overlay mounted on %s", host, mnt);
}
