/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_CONTAINER_PINS_H
#define OG_CONTAINER_PINS_H

/*
 * What is pinned under containers/ID beside a container's ring: its
 * metadata, its probe report; and the ledger of ring memory (pool/ledger).
 * Registration and its undoing are og_container.c's; finding containers is
 * og_container_find.c's.
 */
#include <stdint.h>
#include "og_format.h"
#include "og_ring.h"

struct og_probe_report;

/* root/containers/ID, or root/containers/ID/LEAF when leaf is not NULL. */
int og_container_path(char *out, size_t size, const char *root, const char *id, const char *leaf);
/* A one-entry array map named name (bpftool shows it) holding value,
 * pinned at path; what names it in errors. */
int og_container_pin_one(const char *path, const char *name, const char *what, const void *value, uint32_t value_size);
/* Replaces containers/ID/meta's value with meta. */
int og_meta_write(const char *root, const struct og_container_meta *meta);
/* Reads containers/ID/meta, then og_meta_check. */
int og_meta_read(const char *root, const char *id, struct og_container_meta *meta);
/* Metadata as read from a pin: its version and state known, its strings
 * NUL-terminated inside their fields, its id the directory's (id). */
int og_meta_check(struct og_container_meta *meta, const char *id, const char *what);
/* Pins what gadget-hook probed in the container's image beside its ring
 * (containers/ID/probes); gadget-dump probes reads it back. */
int og_container_write_probes(const char *root, const char *id, const struct og_probe_report *rep);
int og_container_read_probes(const char *root, const char *id, struct og_probe_report *rep);
/* containers/ID/ring mapped read-only (og_ring_close after), by exact id:
 * whoever knows the id (the hook, a listing) never opens another
 * container's ring by a name or a prefix. */
int og_container_open_ring_id(const char *root, const char *id, struct og_ring_view *v);

/*
 * The ledger (pool/ledger, a one-entry array map): the kernel memory of
 * the rings under containers/ and how many containers are stopped, kept
 * as they change, so that a registration within ring-memory-max and a
 * poststop within the retention need not read every kept container. It
 * only errs high: a ring is counted before it is pinned, uncounted after
 * it is removed, a container counted stopped before its metadata says so;
 * a hook killed in between leaves it high, never low. High is only slow:
 * make_room then counts every ring, as it always did, and writes the
 * ledger anew; missing or unreadable, likewise. Every change is under the
 * pin root lock.
 */
#define OG_LEDGER_VERSION 1
struct og_ledger {
	uint32_t version;
	uint32_t stopped;    /* containers whose metadata says stopped */
	uint64_t ring_bytes; /* og_ring_kernel_bytes of every ring under containers/ */
};
/* 0 and the ledger, or an error (missing, of another shape or version). */
int og_ledger_read(const char *root, struct og_ledger *l);
/* Replaces the ledger; one that cannot be written goes (then it is counted
 * again), one that cannot go either is said. */
void og_ledger_write(const char *root, const struct og_ledger *l);
/* Adds to the ledger, if there is one (else the next full count makes it). */
void og_ledger_add(const char *root, int64_t bytes, int stopped);
/* Under the pin root lock: the kernel memory of the rings under
 * containers/ as the ledger (pool/ledger) counts it, never less than it
 * is; -ENOENT (or another error) without a ledger that can be read. */
int og_container_ring_bytes(const char *root, uint64_t *bytes);

#endif
