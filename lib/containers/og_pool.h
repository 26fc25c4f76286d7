/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_POOL_H
#define OG_POOL_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include "og_ring.h"

/*
 * Slots of maps/rings (an array of ring maps) and the pool of default-size
 * rings that already sit in it. Putting a map into a map-in-map costs an RCU
 * grace period (about 9 ms here); taking a pooled ring costs a plain hash
 * update. Pins: pool/N is a ready ring in slot N; pool/pending-N is one being
 * inserted into slot N by a maintainer.
 */

/* Chunks of the rings the pool holds (the default size). */
uint32_t og_pool_ring_chunks(void);

/* Under the pin root lock: a ring of that many chunks for cgroup cgid, already
 * in maps/rings at *idx. From the pool when it has that size (its pin moves
 * to ring_pin), else created, inserted and pinned at ring_pin. */
int og_pool_acquire(const char *root, uint32_t chunks, const struct og_ring_owner *owner, const char *ring_pin,
		    int *ring_fd, uint32_t *idx);

/* Takes the locks itself: empties the slots no running container uses any
 * more and tops the pool up to the tracer's pool size, as far as the rings
 * under root (containers' and pooled) stay within memory_max bytes of
 * kernel memory (og_ring_kernel_bytes). Slow (a grace period per slot
 * changed): the hook runs it in a detached child. */
int og_pool_maintain(const char *root, uint64_t memory_max);
/* What the hook's maintainer adds to og_pool_maintain. first(arg): once it
 * is the maintainer (the maintainer lock held, the pin root lock not); the
 * hook stops the containers gone without a poststop there, once per pass,
 * not once per maintainer started. container_bytes: under the pin root
 * lock, the kernel memory of the rings under containers/, never less than
 * it is (og_container_ring_bytes); < 0, or NULL: every ring pin is read. */
struct og_pool_helpers {
	void (*first)(void *arg);
	int (*container_bytes)(const char *root, uint64_t *bytes);
	void *arg;
};
int og_pool_maintain_with(const char *root, uint64_t memory_max, const struct og_pool_helpers *h);
/* Whether a maintainer waits for its turn (no lock needed): its pass starts
 * after this call, so it covers whatever the caller changed before; then
 * starting another one is wasted work. */
bool og_pool_maintainer_waits(const char *root);
/* Whether the pool holds half its size or less (or its size cannot be
 * read): after taking a ring, the hook starts a maintainer only then. */
bool og_pool_low(const char *root);
/* og_pool_maintain without refilling the pool: the slots no running
 * container uses are emptied, which frees the rings no pin holds. */
int og_pool_empty_slots(const char *root);

/* Kernel memory of the pooled rings, ready and pending (no lock needed). */
uint64_t og_pool_bytes(const char *root);
/* Under the pin root lock: unpins ready pooled rings, highest slot first,
 * until want bytes are freed or keep are left; adds what it freed to
 * *freed. The next og_pool_maintain empties their slots, which frees them. */
int og_pool_drop(const char *root, int keep, uint64_t want, uint64_t *freed);

/* Ready rings in the pool (no lock needed). */
int og_pool_ready(const char *root);

#endif
