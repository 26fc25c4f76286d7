/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_RESOLVE_H
#define OG_RESOLVE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Finding files inside a container image from the host, before the
 * container runs. Every lookup goes through openat2(RESOLVE_IN_ROOT |
 * RESOLVE_NO_MAGICLINKS) on the rootfs, so the image's symlinks and ".."
 * resolve inside it and never reach a host file.
 */

/* Opens path (as the container sees it) under root_fd, read-only. */
int og_root_open(int root_fd, const char *path, int *fd);

/* The path of soname for x86-64 in a glibc ld.so.cache (the "glibc-ld.so.
 * cache1.1" format, alone or after the old one). -ENOENT when absent. */
int og_ldcache_lookup(const void *data, size_t len, const char *soname, char *path, size_t size);

/* Finds a shared library in the image: its /etc/ld.so.cache, else (musl
 * images have none) the standard library directories. Opens it. */
int og_root_find_library(int root_fd, const char *soname, char *path, size_t size, int *fd);

/* The program a container runs: arg0 as is when it has a '/', else the
 * first executable regular file along path_env (the process env's PATH,
 * or the default PATH when NULL). Opens it. */
int og_root_find_program(int root_fd, const char *arg0, const char *path_env, char *path, size_t size, int *fd);

/*
 * The file the kernel puts a uprobe on. On overlayfs (image layers) that is
 * the layer's own file, so every container of an image shares one inode:
 * this finds it in the upper or lower directories of the overlay mount and
 * opens it (O_RDONLY); elsewhere it reopens fd itself. dev and ino identify
 * the real file for sharing one probe between containers.
 */
int og_real_file(int fd, int *real_fd, dev_t *dev, ino_t *ino);

/* The overlay mount options' lowerdir/upperdir parsing, for tests:
 * fills dirs (upper first, then lowers in order), at most max. */
int og_overlay_layers(const char *options, char dirs[][4096], size_t max, size_t *n);

#endif
