// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_pins.h"
#include "og_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

static int fs_magic_of_nearest(const char *path, unsigned long *magic, char *existing, size_t size)
{
	char buf[4096];
	struct statfs sf;

	if (og_path(buf, sizeof(buf), "%s", path) < 0)
		return -ENAMETOOLONG;
	for (;;) {
		if (statfs(buf, &sf) == 0) {
			*magic = (unsigned long)sf.f_type;
			og_strfield(existing, size, buf);
			return 0;
		}
		if (errno != ENOENT)
			return og_err(errno, "statfs %s", buf);
		char *slash = strrchr(buf, '/');
		if (!slash || slash == buf)
			return og_err(ENOENT, "no existing parent of %s", path);
		*slash = '\0';
	}
}

int og_pin_root_prepare(const char *root)
{
	char existing[4096];
	unsigned long magic = 0;
	int r;

	r = fs_magic_of_nearest(root, &magic, existing, sizeof(existing));
	if (r < 0)
		return r;
	if (magic != BPF_FS_MAGIC) {
		if (strncmp(root, "/sys/fs/bpf/", 12) != 0)
			return og_err(ENOTSUP, "pin root %s: %s is not on bpffs (mount -t bpf bpf DIR)", root,
				      existing);
		if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700") < 0)
			return og_err(errno, "pin root %s: mount bpffs on /sys/fs/bpf", root);
	}
	return og_mkdir_p(root, 0700);
}

int og_pin_root_access(const char *root)
{
	cleanup_close int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	if (errno == EACCES || errno == EPERM)
		return og_err(errno, "pin root %s: not readable by uid %u (the pins are root's: run as root)", root,
			      (unsigned)getuid());
	return og_err(errno, "open pin root %s", root);
}

int og_pin_root_lock(const char *root, int *fdp)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return og_err(errno, "open pin root %s", root);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int e = errno;
			close(fd);
			return og_err(e, "lock pin root %s", root);
		}
	}
	*fdp = fd;
	return 0;
}

int og_pin_remove_tree(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (lstat(path, &sb) < 0)
		return errno == ENOENT ? 0 : og_err(errno, "stat %s", path);
	if (!S_ISDIR(sb.st_mode)) {
		if (unlink(path) < 0 && errno != ENOENT)
			return og_err(errno, "unpin %s", path);
		return 0;
	}
	d = opendir(path);
	if (!d)
		return og_err(errno, "open %s", path);
	while ((de = readdir(d))) {
		char child[4096];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (og_path(child, sizeof(child), "%s/%s", path, de->d_name) < 0) {
			r = -ENAMETOOLONG;
			continue;
		}
		int cr = og_pin_remove_tree(child);
		if (cr < 0)
			r = cr;
	}
	closedir(d);
	if (rmdir(path) < 0 && errno != ENOENT)
		return og_err(errno, "rmdir %s", path);
	return r;
}

int og_pin_dir_each(const char *dir, og_pin_entry_fn fn, void *arg)
{
	struct dirent *de;
	int r = 0;
	DIR *d = opendir(dir);

	if (!d)
		return errno == ENOENT ? 0 : og_err(errno, "open %s", dir);
	while (r == 0 && (de = readdir(d)))
		if (de->d_name[0] != '.')
			r = fn(dir, de->d_name, arg);
	closedir(d);
	return r;
}

int og_pin_exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

int og_pin_linger_expiry(const char *name, unsigned long long *t)
{
	size_t n = strlen(OG_PIN_LINGER_PREFIX);
	const char *p = name + n;
	unsigned long long v = 0;

	if (strncmp(name, OG_PIN_LINGER_PREFIX, n) != 0 || *p == '\0' || strlen(p) > 19)
		return -EINVAL;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(*p - '0');
	}
	*t = v;
	return 0;
}
