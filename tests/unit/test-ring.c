// Ring reader against synthetic rings: wraparound, torn slots, version mismatch.
#include "config.h"
#include "og_ring.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>

#define SLOTS 8

static uint8_t *ring_new(void)
{
	uint8_t *mem = calloc(SLOTS + 1, OG_SLOT_SIZE);
	struct og_ring_header *h = (void *)mem;

	h->magic = OG_RING_MAGIC;
	h->version = OG_RING_VERSION;
	h->slot_size = OG_SLOT_SIZE;
	h->slot_count = SLOTS;
	h->mask = SLOTS - 1;
	return mem;
}

static struct og_record *slot(uint8_t *mem, uint64_t seq)
{
	return (void *)(mem + OG_SLOT_SIZE * (1 + (seq & (SLOTS - 1))));
}

/* Writes records [0, n) the way the BPF side does. */
static void write_records(uint8_t *mem, uint64_t n)
{
	struct og_ring_header *h = (void *)mem;

	for (uint64_t s = h->head; s < n; s++) {
		struct og_record *r = slot(mem, s);
		memset(r, 0, sizeof(*r));
		r->nr = (int)s;
		r->tid = 100;
		r->type = OG_REC_SYS_ENTER;
		r->seq = s + 1;
	}
	h->head = n;
}

int main(void)
{
	struct og_record out[SLOTS];
	struct og_ring_read_stats st;
	struct og_ring_view v;
	uint64_t from;
	size_t n;
	uint8_t *mem = ring_new();
	struct og_ring_header *h = (void *)mem;

	ok(og_ring_view_init(&v, mem, (SLOTS + 1) * OG_SLOT_SIZE, "test") == 0, "valid header accepted");
	memset(&st, 0, sizeof(st));
	from = 0;
	og_ring_read(&v, &from, out, SLOTS, &n, 0, &st);
	ok(n == 0 && from == 0, "empty ring reads nothing");

	write_records(mem, 5);
	memset(&st, 0, sizeof(st));
	from = 0;
	og_ring_read(&v, &from, out, SLOTS, &n, 0, &st);
	ok(n == 5 && out[0].nr == 0 && out[4].nr == 4 && from == 5, "5 records in order");
	ok(st.overwritten == 0 && st.torn == 0, "nothing lost");

	write_records(mem, 21); /* wraps twice */
	memset(&st, 0, sizeof(st));
	og_ring_read(&v, &from, out, SLOTS, &n, 0, &st);
	ok(n == SLOTS && out[0].nr == 13 && out[SLOTS - 1].nr == 20, "after wraparound: the newest 8 (13..20)");
	ok(st.overwritten == 8, "8 records overwritten before we read (5..12), got %llu",
	   (unsigned long long)st.overwritten);
	ok(from == 21, "next read starts at head");

	/* A slot being rewritten (seq 0) and one lapped by a faster writer. */
	slot(mem, 15)->seq = 0;
	slot(mem, 17)->seq = 17 + SLOTS + 1;
	memset(&st, 0, sizeof(st));
	from = 0;
	og_ring_read(&v, &from, out, SLOTS, &n, 0, &st);
	ok(n == SLOTS - 2 && st.torn == 2, "torn and lapped slots skipped and counted (n=%zu torn=%llu)", n,
	   (unsigned long long)st.torn);
	int seen15 = 0;
	for (size_t i = 0; i < n; i++)
		seen15 |= out[i].nr == 15 || out[i].nr == 17;
	ok(!seen15, "neither bad slot printed");

	/* Follow mode: an unpublished newest slot stops the read for later. */
	write_records(mem, 21);
	h->head = 22; /* claimed, not yet published */
	slot(mem, 21)->seq = 0;
	memset(&st, 0, sizeof(st));
	from = 20;
	og_ring_read(&v, &from, out, SLOTS, &n, 1, &st);
	ok(n == 1 && from == 21 && st.in_progress == 1 && st.torn == 0, "follow waits for an in-progress slot");
	slot(mem, 21)->seq = 22;
	slot(mem, 21)->nr = 21;
	og_ring_read(&v, &from, out, SLOTS, &n, 1, &st);
	ok(n == 1 && out[0].nr == 21 && from == 22, "and gets it once published");

	/* max smaller than available. */
	from = 18; /* 15 and 17 are still bad from above */
	og_ring_read(&v, &from, out, 3, &n, 0, &st);
	ok(n == 3 && out[0].nr == 18 && out[2].nr == 20 && from == 21, "partial read resumes where it stopped");

	h->version = OG_RING_VERSION + 1;
	ok(og_ring_view_init(&v, mem, (SLOTS + 1) * OG_SLOT_SIZE, "test") == -EPROTO, "other format version refused");
	ok(strstr(og_errmsg(), "format version 2") != NULL, "error names the version: %s", og_errmsg());
	h->version = OG_RING_VERSION;
	h->magic = 0x1234;
	ok(og_ring_view_init(&v, mem, (SLOTS + 1) * OG_SLOT_SIZE, "test") == -EPROTO, "bad magic refused");
	h->magic = OG_RING_MAGIC;
	h->slot_count = 6;
	ok(og_ring_view_init(&v, mem, (SLOTS + 1) * OG_SLOT_SIZE, "test") == -EPROTO, "non power of two refused");
	h->slot_count = 64;
	h->mask = 63;
	ok(og_ring_view_init(&v, mem, (SLOTS + 1) * OG_SLOT_SIZE, "test") == -EPROTO,
	   "header larger than the map refused");
	ok(og_ring_view_init(&v, mem, 100, "test") == -EINVAL, "too small for a header");

	uint64_t held;
	h->version = OG_RING_VERSION;
	h->slot_count = SLOTS;
	h->mask = SLOTS - 1;
	og_ring_view_init(&v, mem, (SLOTS + 1) * OG_SLOT_SIZE, "test");
	memset(&st, 0, sizeof(st));
	og_ring_count(&v, &held, &st);
	ok(held == SLOTS - 2 && st.torn == 2 && st.overwritten == 14, "count without copying: %llu held, %llu torn",
	   (unsigned long long)held, (unsigned long long)st.torn);

	uint32_t slots;
	ok(og_ring_slots_for_bytes(1 << 20, &slots) == 0 && slots == 2048, "1 MiB = 2048 slots");
	ok(og_ring_slots_for_bytes(3 << 20, &slots) == 0 && slots == 8192, "3 MiB rounds up to 8192 slots");
	ok(og_ring_slots_for_bytes(1024, &slots) == -ERANGE, "too small refused");
	ok(og_ring_slots_for_bytes(1ULL << 30, &slots) == -ERANGE, "1 GiB refused");
	free(mem);
	return tap_done();
}
