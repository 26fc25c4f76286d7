/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_RESOLVE_H
#define OG_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Finding files inside a container image from the host, before the
 * container runs. Every lookup goes through openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) on the image's root, so its symlinks and ".."
 * resolve inside it and never reach a host file. Everything read from an
 * image is bounded in bytes and in time: an image is untrusted input.
 */

/* Limits on what is read from an image. */
#define OG_IMAGE_LDCACHE_MAX (16u << 20) /* a real ld.so.cache is about 100 KiB */
#define OG_IMAGE_LDCACHE_ENTRIES 65536
#define OG_IMAGE_SCRIPT_HEAD 256      /* bytes read to find a "#!" line */
#define OG_IMAGE_ELF_MAX (1ULL << 30) /* an ELF file larger than this is not probed */
#define OG_IMAGE_DEADLINE_MS 2000     /* default budget of discovery */

/* An image as the hook sees it: root is what the container will see as
 * "/". At prestart and createRuntime, runc has already made the bundle's
 * mounts (volumes) in the container's mount namespace, under the rootfs,
 * before pivot_root: /proc/PID/root + rootfs shows them; the bundle's rootfs
 * on the host does not. */
struct og_image {
	int root_fd;	      /* O_PATH directory */
	char root_path[4096]; /* what readlink of root_fd says, to map a file back into the image */
	const char *view;     /* "the container's mount namespace" or "the bundle rootfs" */
	uint64_t deadline_ns; /* CLOCK_MONOTONIC; 0: none */
	char *ldcache;	      /* /etc/ld.so.cache, read once; NULL: none */
	size_t ldcache_len;
	bool ldcache_tried;
};

/* Opens the image of a container whose init is pid (0: unknown) and whose
 * rootfs is rootfs; deadline_ms from now (0: none). */
int og_image_open(struct og_image *im, const char *rootfs, pid_t pid, uint64_t deadline_ms);
void og_image_close(struct og_image *im);
/* True once the deadline has passed: discovery stops and keeps what it has. */
bool og_image_expired(const struct og_image *im);

/* Opens a regular file of the image for reading: path resolved in the image
 * without following anything out of it, opened O_PATH (a FIFO or a device
 * node is never opened), checked to be a regular file of at most max bytes,
 * then reopened read-only through /proc/self/fd. -ENOENT when absent,
 * -EINVAL (not a regular file) and -EFBIG with a message. */
int og_image_open_file(struct og_image *im, const char *path, uint64_t max, int *fd);
/* Reads a whole regular file of the image, at most max bytes. */
int og_image_read(struct og_image *im, const char *path, size_t max, char **out, size_t *len);
/* The path in the image of a file opened from it ("/usr/bin/python3.11"
 * for /usr/bin/python3 -> python3.11): its real location. */
int og_image_path_of(const struct og_image *im, int fd, char *path, size_t size);

/* The path of soname for x86-64 in a glibc ld.so.cache (the "glibc-ld.so.
 * cache1.1" format, alone or after the old one). Work is bounded: each
 * entry costs at most the length of soname. -ENOENT when absent. */
int og_ldcache_lookup(const void *data, size_t len, const char *soname, char *path, size_t size);

/* A shared library of the image: its /etc/ld.so.cache, else (musl and
 * distroless images have none) the standard library directories. */
int og_image_find_library(struct og_image *im, const char *soname, char *path, size_t size, int *fd);
/* A program: name as is when it has a '/', else the first regular file
 * along path_env (the process's PATH, or the default PATH when NULL). */
int og_image_find_program(struct og_image *im, const char *name, const char *path_env, char *path, size_t size,
			  int *fd);
/* A script's "#!" line: the interpreter and its one optional argument.
 * -ENOEXEC when the file does not start with "#!". */
int og_script_interpreter(int fd, char *interp, size_t isize, char *arg, size_t asize);

/*
 * The file the kernel puts a uprobe on. On overlayfs (image layers) that is
 * the layer's own file, so every container of an image shares one inode:
 * this finds it in the upper or lower directories of the overlay mount and
 * opens it (O_RDONLY); elsewhere it reopens fd itself. fd must be a regular
 * file. dev and ino identify the real file for sharing one probe between
 * containers.
 */
int og_real_file(int fd, int *real_fd, dev_t *dev, ino_t *ino);

/* The overlay mount options' lowerdir/upperdir parsing, for tests:
 * fills dirs (upper first, then lowers in order), at most max. */
int og_overlay_layers(const char *options, char dirs[][4096], size_t max, size_t *n);

#endif
