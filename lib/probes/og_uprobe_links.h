/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_UPROBE_LINKS_H
#define OG_UPROBE_LINKS_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

/*
 * A container's uprobes are references on shared links. Pins, under the
 * pin root:
 *   uprobes/KEY/CONTAINER-ID   one pin per container of the same link
 * KEY names the real file (device and inode, after overlayfs), the offset,
 * the program and the cookie. The link is made by the first container that
 * needs it and pinned again by the next ones: the kernel keeps it attached
 * while any pin is left, so the pins are the reference count, and one call
 * runs the program once whatever the number of containers. Every call here
 * but the count runs under the pin root lock (og_pin_root_lock).
 */

/* The key directory of a link: uprobes/DEV-INO-OFFSET-PROG-COOKIE. */
int og_uprobe_key_dir(char *dir, size_t size, const char *root, dev_t dev, ino_t ino, uint64_t offset, const char *prog,
		      uint64_t cookie);
/* The link a key directory's pins hold, opened; -ENOENT when it has none. */
int og_uprobe_key_link(const char *dir, int *link_fd);
/* Pins id's reference on the link in dir (which exists). */
int og_uprobe_ref_pin(const char *dir, const char *id, int link_fd);
/* Undoes og_uprobe_ref_pin, and removes dir when nothing else is in it
 * (the link detaches): plain calls that set no error message, for a
 * rollback whose failure's own message must stay. */
void og_uprobe_ref_unpin(const char *dir, const char *id);
/* The link in dir is in use again: its linger pins go. */
void og_uprobe_key_taken(const char *dir);

/*
 * Drops the container's references. A link whose last reference this was
 * lingers linger_s seconds (pinned as uprobes/KEY/linger-EXPIRY): a
 * container of the same image started meanwhile takes it again instead of
 * registering the probe anew, which after a recent teardown waits for it
 * (400 to 600 ms on this kernel); 0 detaches at once.
 */
int og_uprobes_detach(const char *root, const char *id, uint32_t linger_s, int *detached);
/* Unpins the lingering links whose time is up (at now_s, CLOCK_REALTIME
 * seconds); *left of them still linger, the first until *next_s. */
int og_uprobes_reap(const char *root, uint64_t now_s, int *reaped, int *left, uint64_t *next_s);
/* Reaps until nothing lingers, waking at each expiry (10 s at most); one such
 * process per pin root (the others return at once). */
void og_uprobes_reaper(const char *root);
/* Links attached now (distinct keys), references held by containers, and
 * links lingering after their last container stopped. */
int og_uprobes_count(const char *root, int *links, int *refs, int *lingering);

#endif
