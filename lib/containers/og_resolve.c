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
#include <time.h>

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static int openat2_how(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	return og_openat2(dirfd, path, flags, 0, resolve);
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int og_image_open(struct og_image *im, const char *rootfs, pid_t pid, uint64_t deadline_ms)
{
	char path[4096], self[64];
	ssize_t n;

	memset(im, 0, sizeof(*im));
	im->root_fd = -1;
	im->deadline_ns = deadline_ms ? monotonic_ns() + deadline_ms * 1000000ULL : 0;
	/* The container's own view first: its mounts are there, not on the
	 * host. /proc/PID/root is the process's root (still the host's before
	 * pivot_root), in its mount namespace. */
	if (pid > 0 && rootfs[0] == '/' && og_path(path, sizeof(path), "/proc/%d/root%s", (int)pid, rootfs) == 0) {
		im->root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
		im->view = "the container's mount namespace";
	}
	if (im->root_fd < 0) {
		im->root_fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
		im->view = "the bundle rootfs";
	}
	if (im->root_fd < 0)
		return og_err(errno, "container rootfs %s", rootfs);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", im->root_fd);
	n = readlink(self, im->root_path, sizeof(im->root_path) - 1);
	if (n <= 0) {
		int e = n < 0 ? errno : ENOENT;

		close(im->root_fd);
		im->root_fd = -1;
		return og_err(e, "readlink %s (rootfs %s)", self, rootfs);
	}
	im->root_path[n] = '\0';
	return 0;
}

void og_image_close(struct og_image *im)
{
	if (im->root_fd >= 0)
		close(im->root_fd);
	free(im->ldcache);
	memset(im, 0, sizeof(*im));
	im->root_fd = -1;
}

bool og_image_expired(const struct og_image *im)
{
	return im->deadline_ns && monotonic_ns() > im->deadline_ns;
}

int og_image_open_file(struct og_image *im, const char *path, uint64_t max, int *fdp)
{
	struct stat sb, sb2;
	char self[64];
	int pfd, fd;

	if (og_image_expired(im))
		return og_err(ETIMEDOUT, "%s: discovery deadline passed", path);
	pfd = openat2_how(im->root_fd, path, O_PATH | O_CLOEXEC, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	if (pfd < 0)
		return -errno; /* callers try several places: no message here */
	if (fstat(pfd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(pfd);
		return og_err(EINVAL, "%s in the image: not a regular file", path);
	}
	if ((uint64_t)sb.st_size > max) {
		close(pfd);
		return og_err(EFBIG, "%s in the image: %lld bytes, more than the %llu read from an image", path,
			      (long long)sb.st_size, (unsigned long long)max);
	}
	/* The same inode, not the path again: nothing can be swapped in. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	close(pfd);
	if (fd < 0)
		return og_err(errno, "open %s in the image", path);
	if (fstat(fd, &sb2) < 0 || sb2.st_ino != sb.st_ino || sb2.st_dev != sb.st_dev || !S_ISREG(sb2.st_mode)) {
		close(fd);
		return og_err(EINVAL, "%s in the image changed while it was opened", path);
	}
	*fdp = fd;
	return 0;
}

int og_image_read(struct og_image *im, const char *path, size_t max, char **out, size_t *len)
{
	cleanup_close int fd = -1;
	char what[4200];
	int r;

	r = og_image_open_file(im, path, max, &fd);
	if (r < 0)
		return r;
	snprintf(what, sizeof(what), "%s in the image", path);
	return og_read_fd(fd, what, max, out, len);
}

int og_image_path_of(const struct og_image *im, int fd, char *path, size_t size)
{
	char self[64], host[4096];
	size_t rl = strlen(im->root_path);
	ssize_t n;

	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	n = readlink(self, host, sizeof(host) - 1);
	if (n <= 0)
		return og_err(n < 0 ? errno : ENOENT, "readlink %s", self);
	host[n] = '\0';
	if (strcmp(im->root_path, "/") == 0)
		rl = 0;
	if (strncmp(host, im->root_path, rl) != 0 || (host[rl] != '/' && host[rl] != '\0'))
		return og_err(ENOENT, "%s is not under the image root %s", host, im->root_path);
	return og_path(path, size, "%s", host[rl] ? host + rl : "/");
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

/* The NUL-terminated string at off, at most max bytes long, inside avail. */
static const char *bounded_str(const char *base, size_t avail, uint32_t off, size_t max)
{
	size_t room;

	if (off >= avail)
		return NULL;
	room = avail - off < max ? avail - off : max;
	return memchr(base + off, 0, room) ? base + off : NULL;
}

int og_ldcache_lookup(const void *data, size_t len, const char *soname, char *path, size_t size)
{
	const char *base = data, *hdr = NULL;
	size_t avail, sl = strlen(soname);
	struct cache_file_new h;

	/* Alone at the start, or after an old-format ("ld.so-1.7.0") table:
	 * that one is 16 + 12 bytes per entry, searched 4 bytes at a time. */
	for (size_t off = 0; off + sizeof(h) <= len && off < OG_IMAGE_LDCACHE_MAX; off += 4) {
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
	if (h.nlibs > (avail - sizeof(h)) / sizeof(struct file_entry_new) || h.nlibs > OG_IMAGE_LDCACHE_ENTRIES)
		return og_err(EINVAL, "ld.so.cache: %u entries in %zu bytes (at most %d are read)", h.nlibs, avail,
			      OG_IMAGE_LDCACHE_ENTRIES);
	for (uint32_t i = 0; i < h.nlibs; i++) {
		struct file_entry_new e;
		const char *value;

		memcpy(&e, hdr + sizeof(h) + i * sizeof(e), sizeof(e));
		if ((e.flags & FLAG_TYPE_MASK) != FLAG_ELF_LIBC6 || (e.flags & FLAG_REQUIRED_MASK) != FLAG_X8664_LIB64)
			continue;
		/* The key is compared, never scanned: each entry costs at most
		 * the length of soname, however long its string is. */
		if (e.key >= avail || avail - e.key <= sl || memcmp(hdr + e.key, soname, sl + 1) != 0)
			continue;
		value = bounded_str(hdr, avail, e.value, 4096);
		if (!value)
			continue;
		if (strlen(value) >= size)
			return og_err(ENAMETOOLONG, "ld.so.cache: path of %s", soname);
		strcpy(path, value);
		return 0;
	}
	return -ENOENT;
}

static const char *const lib_dirs[] = {
	"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
	"/usr/local/lib",
};

int og_image_find_library(struct og_image *im, const char *soname, char *path, size_t size, int *fdp)
{
	int r;

	if (strchr(soname, '/'))
		return og_err(EINVAL, "library name '%s' has a '/'", soname);
	if (!im->ldcache_tried) {
		/* Read once per image, not once per library. */
		im->ldcache_tried = true;
		if (og_image_read(im, "/etc/ld.so.cache", OG_IMAGE_LDCACHE_MAX, &im->ldcache, &im->ldcache_len) < 0)
			im->ldcache = NULL;
	}
	if (im->ldcache && og_ldcache_lookup(im->ldcache, im->ldcache_len, soname, path, size) == 0 &&
	    og_image_open_file(im, path, OG_IMAGE_ELF_MAX, fdp) == 0)
		return 0;
	for (size_t i = 0; i < sizeof(lib_dirs) / sizeof(lib_dirs[0]); i++) {
		if (og_path(path, size, "%s/%s", lib_dirs[i], soname) < 0)
			continue;
		r = og_image_open_file(im, path, OG_IMAGE_ELF_MAX, fdp);
		if (r == 0 || r == -ETIMEDOUT)
			return r;
	}
	return og_err(ENOENT, "library %s: not in the image's ld.so.cache nor in its library directories", soname);
}

int og_image_find_program(struct og_image *im, const char *name, const char *path_env, char *path, size_t size,
			  int *fdp)
{
	const char *p;
	int r;

	if (!name || !name[0])
		return og_err(EINVAL, "an empty program name");
	if (strchr(name, '/')) {
		if (og_path(path, size, "%s", name) < 0)
			return -ENAMETOOLONG;
		r = og_image_open_file(im, name, OG_IMAGE_ELF_MAX, fdp);
		return r == -ENOENT ? og_err(ENOENT, "program %s: not in the image", name) : r;
	}
	p = path_env ? path_env : DEFAULT_PATH;
	while (*p) {
		size_t n = strcspn(p, ":");

		if (n > 0 && og_path(path, size, "%.*s/%s", (int)n, p, name) == 0) {
			r = og_image_open_file(im, path, OG_IMAGE_ELF_MAX, fdp);
			if (r == 0 || r == -ETIMEDOUT)
				return r;
		}
		p += n;
		if (*p == ':')
			p++;
	}
	return og_err(ENOENT, "program %s: not found along PATH %s in the image", name,
		      path_env ? path_env : DEFAULT_PATH);
}

int og_script_interpreter(int fd, char *interp, size_t isize, char *arg, size_t asize)
{
	char head[OG_IMAGE_SCRIPT_HEAD + 1];
	ssize_t n = pread(fd, head, OG_IMAGE_SCRIPT_HEAD, 0);
	char *p, *end, *a;

	if (n < 2 || head[0] != '#' || head[1] != '!')
		return -ENOEXEC;
	head[n] = '\0';
	end = strchr(head, '\n');
	if (!end)
		return og_err(ENOEXEC, "a #! line longer than %d bytes", OG_IMAGE_SCRIPT_HEAD);
	*end = '\0';
	for (p = head + 2; *p == ' ' || *p == '\t'; p++)
		;
	a = p + strcspn(p, " \t");
	if (*a) {
		*a++ = '\0';
		while (*a == ' ' || *a == '\t')
			a++;
		/* The kernel passes the rest as one argument; trailing blanks go. */
		for (char *t = a + strlen(a); t > a && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r');)
			*--t = '\0';
	}
	if (!*p || *p != '/')
		return og_err(ENOEXEC, "#! without an absolute interpreter");
	if (strlen(p) >= isize || strlen(a) >= asize)
		return og_err(ENAMETOOLONG, "#! line");
	strcpy(interp, p);
	strcpy(arg, a);
	return 0;
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
		og_unescape_octal(mp);
		size_t ml = strlen(mp);
		if (strncmp(file, mp, ml) != 0 || (file[ml] != '/' && ml != 1) || ml < best)
			continue;
		best = ml;
		og_strfield(mnt, msize, mp);
		og_unescape_octal(super);
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

	if (fstatfs(fd, &sf) < 0 || fstat(fd, &sb) < 0)
		return og_err(errno, "statfs of a probe target");
	if (!S_ISREG(sb.st_mode))
		return og_err(EINVAL, "a probe target that is not a regular file");
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	if (sf.f_type != OVERLAYFS_SUPER_MAGIC) {
		lfd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
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
		lfd = openat2_how(dfd, rel, O_PATH | O_CLOEXEC, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS);
		close(dfd);
		if (lfd < 0)
			continue;
		if (fstat(lfd, &sb) == 0 && S_ISREG(sb.st_mode)) {
			/* O_PATH first: a FIFO or a device in a layer is never opened. */
			char lself[64];
			int rfd;

			snprintf(lself, sizeof(lself), "/proc/self/fd/%d", lfd);
			rfd = open(lself, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
			close(lfd);
			if (rfd < 0)
				return og_err(errno, "open %s in layer %s", rel, dirs[i]);
			*real_fd = rfd;
			*dev = sb.st_dev;
			*ino = sb.st_ino;
			return 0;
		}
		close(lfd);
		break; /* a whiteout or a directory hides the layers below */
	}
	return og_err(ENOENT, "%s: not found in the layers of the overlay mounted on %s", host, mnt);
}
