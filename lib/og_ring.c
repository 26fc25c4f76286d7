// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_ring.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

int og_ring_slots_for_bytes(uint64_t bytes, uint32_t *slots)
{
	uint64_t want, n = 1;

	if (bytes < OG_RING_MIN_BYTES || bytes > OG_RING_MAX_BYTES)
		return og_err(ERANGE, "ring size %llu bytes: must be between %llu KiB and %llu MiB",
			      (unsigned long long)bytes, OG_RING_MIN_BYTES >> 10, OG_RING_MAX_BYTES >> 20);
	want = (bytes + OG_SLOT_SIZE - 1) / OG_SLOT_SIZE;
	while (n < want)
		n <<= 1;
	*slots = (uint32_t)n;
	return 0;
}

size_t og_ring_map_bytes(uint64_t slot_count)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t bytes = (slot_count + 1) * OG_SLOT_SIZE;

	return (bytes + page - 1) / page * page;
}

static void header_set_owner(struct og_ring_header *hdr, const struct og_ring_owner *owner)
{
	hdr->events = owner ? owner->events : 0;
	hdr->plaintext_max = owner ? (owner->plaintext_max > OG_CAP_SIZE ? OG_CAP_SIZE : owner->plaintext_max) : 0;
	hdr->flags = owner ? owner->flags : 0;
	hdr->created_ns = og_boottime_ns();
	/* The programs check cgroup_id before writing: set it last. */
	__atomic_store_n(&hdr->cgroup_id, owner ? owner->cgroup_id : 0, __ATOMIC_RELEASE);
}

int og_ring_create(uint32_t slots, const struct og_ring_owner *owner, int *fdp)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	struct og_ring_header *hdr;
	size_t len = og_ring_map_bytes(slots);
	int fd;

	if (!slots || (slots & (slots - 1)))
		return og_err(EINVAL, "ring of %u slots: not a power of two", slots);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "og_ring", sizeof(__u32), OG_SLOT_SIZE, slots + 1, &opts);
	if (fd < 0)
		return og_err(errno, "create ring map (%u slots of %d bytes)", slots, OG_SLOT_SIZE);
	hdr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (hdr == MAP_FAILED) {
		int e = errno;
		close(fd);
		return og_err(e, "mmap new ring map");
	}
	hdr->magic = OG_RING_MAGIC;
	hdr->version = OG_RING_VERSION;
	hdr->slot_size = OG_SLOT_SIZE;
	hdr->slot_count = slots;
	hdr->mask = slots - 1;
	hdr->head = 0;
	hdr->dropped = 0;
	header_set_owner(hdr, owner);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	munmap(hdr, len);
	*fdp = fd;
	return 0;
}

int og_ring_assign(int fd, const struct og_ring_owner *owner)
{
	size_t len = (size_t)sysconf(_SC_PAGESIZE);
	struct og_ring_header *hdr;

	hdr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (hdr == MAP_FAILED)
		return og_err(errno, "mmap ring header");
	if (hdr->magic != OG_RING_MAGIC || hdr->version != OG_RING_VERSION) {
		munmap(hdr, len);
		return og_err(EPROTO, "pooled ring: not a ring of format %u", OG_RING_VERSION);
	}
	header_set_owner(hdr, owner);
	munmap(hdr, len);
	return 0;
}

int og_ring_view_init(struct og_ring_view *v, const void *base, size_t len, const char *what)
{
	const struct og_ring_header *h = base;

	memset(v, 0, sizeof(*v));
	if (len < OG_SLOT_SIZE)
		return og_err(EINVAL, "ring %s: %zu bytes, too small for a header", what, len);
	if (h->magic != OG_RING_MAGIC)
		return og_err(EPROTO, "ring %s: bad magic %#llx, not an oci-gadget ring", what,
			      (unsigned long long)h->magic);
	if (h->version != OG_RING_VERSION)
		return og_err(EPROTO,
			      "ring %s: format version %u, this gadget-dump reads version %u; use the "
			      "gadget-dump that matches the tracer that wrote it",
			      what, h->version, OG_RING_VERSION);
	if (h->slot_size != OG_SLOT_SIZE || !h->slot_count || (h->slot_count & (h->slot_count - 1)) ||
	    h->mask != h->slot_count - 1)
		return og_err(EPROTO, "ring %s: inconsistent header (slot size %u, %llu slots)", what, h->slot_size,
			      (unsigned long long)h->slot_count);
	if ((h->slot_count + 1) * OG_SLOT_SIZE > len)
		return og_err(EPROTO, "ring %s: header says %llu slots, only %zu bytes mapped", what,
			      (unsigned long long)h->slot_count, len);
	v->base = base;
	v->len = len;
	v->hdr = h;
	v->slot_count = h->slot_count;
	return 0;
}

int og_ring_open_pinned(const char *path, struct og_ring_view *v)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);
	size_t len;
	void *addr;
	int fd, r;

	/* This kernel refuses mmap on a BPF_F_RDONLY fd; the mapping itself is read-only. */
	fd = bpf_obj_get(path);
	if (fd < 0)
		return og_err(errno, "open ring %s", path);
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len) < 0) {
		r = og_err(errno, "ring %s: map info", path);
		close(fd);
		return r;
	}
	if (info.type != BPF_MAP_TYPE_ARRAY || !(info.map_flags & BPF_F_MMAPABLE) || info.value_size != OG_SLOT_SIZE ||
	    info.max_entries < 2) {
		close(fd);
		return og_err(EPROTO, "ring %s: not an oci-gadget ring map (type %u, value size %u)", path, info.type,
			      info.value_size);
	}
	len = og_ring_map_bytes(info.max_entries - 1);
	addr = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (addr == MAP_FAILED)
		return og_err(errno, "mmap ring %s", path);
	r = og_ring_view_init(v, addr, len, path);
	if (r < 0) {
		munmap(addr, len);
		return r;
	}
	v->mapped = addr;
	return 0;
}

void og_ring_close(struct og_ring_view *v)
{
	if (v->mapped)
		munmap(v->mapped, v->len);
	memset(v, 0, sizeof(*v));
}

static const struct og_record *slot_of(const struct og_ring_view *v, uint64_t seq)
{
	return (const struct og_record *)(v->base + OG_SLOT_SIZE * (1 + (seq & (v->slot_count - 1))));
}

int og_ring_read(const struct og_ring_view *v, uint64_t *from, struct og_record *out, size_t max, size_t *n,
		 int wait_newest, struct og_ring_read_stats *st)
{
	uint64_t head = __atomic_load_n(&v->hdr->head, __ATOMIC_ACQUIRE);
	uint64_t s = *from, oldest = head > v->slot_count ? head - v->slot_count : 0;
	size_t got = 0;

	st->head = head;
	if (s < oldest) {
		st->overwritten += oldest - s;
		s = oldest;
	}
	for (; s < head && got < max; s++) {
		const struct og_record *slot = slot_of(v, s);
		uint64_t s1 = __atomic_load_n(&slot->seq, __ATOMIC_ACQUIRE), s2;

		if (s1 != s + 1) {
			/* Claimed but not yet published, or already lapped by a writer. */
			if (s1 < s + 1 && wait_newest && head - s < v->slot_count / 2) {
				st->in_progress++;
				break;
			}
			st->torn++;
			continue;
		}
		memcpy(&out[got], slot, sizeof(*slot));
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&slot->seq, __ATOMIC_RELAXED);
		if (s2 != s1) {
			st->torn++;
			continue;
		}
		got++;
	}
	*from = s;
	*n = got;
	return 0;
}

void og_ring_count(const struct og_ring_view *v, uint64_t *held, struct og_ring_read_stats *st)
{
	uint64_t head = __atomic_load_n(&v->hdr->head, __ATOMIC_ACQUIRE);
	uint64_t oldest = head > v->slot_count ? head - v->slot_count : 0;

	*held = 0;
	st->head = head;
	st->overwritten = oldest;
	for (uint64_t s = oldest; s < head; s++) {
		if (__atomic_load_n(&slot_of(v, s)->seq, __ATOMIC_ACQUIRE) == s + 1)
			(*held)++;
		else
			st->torn++;
	}
}
