// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_ring.h"
#include "og_rec_unpack.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

int og_ring_chunks_for_bytes(uint64_t bytes, uint32_t *chunks)
{
	uint64_t want, n = 1;

	if (bytes < OG_RING_MIN_BYTES || bytes > OG_RING_MAX_BYTES)
		return og_err(ERANGE, "ring size %llu bytes: must be between %llu KiB and %llu MiB",
			      (unsigned long long)bytes, OG_RING_MIN_BYTES >> 10, OG_RING_MAX_BYTES >> 20);
	want = (bytes + OG_CHUNK_BYTES - 1) / OG_CHUNK_BYTES;
	while (n < want)
		n <<= 1;
	*chunks = (uint32_t)n;
	return 0;
}

size_t og_ring_map_bytes(uint64_t chunks)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t bytes = (chunks + 1) * (size_t)OG_ELEM_SIZE;

	return (bytes + page - 1) / page * page;
}

static uint64_t kernel_bytes(uint64_t value_size, uint64_t entries)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	return (value_size * entries + page - 1) / page * page + page;
}

uint64_t og_ring_kernel_bytes(uint32_t chunks)
{
	return kernel_bytes(OG_ELEM_SIZE, (uint64_t)chunks + 1 + OG_FD_ELEMS);
}

int og_ring_pin_bytes(const char *path, uint64_t *bytes)
{
	LIBBPF_OPTS(bpf_obj_get_opts, gopts, .file_flags = BPF_F_RDONLY);
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	int fd = bpf_obj_get_opts(path, &gopts), r = 0;

	*bytes = 0;
	if (fd < 0)
		return errno == ENOENT ? 0 : og_err(errno, "open %s", path);
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0)
		r = og_err(errno, "%s: map info", path);
	else
		*bytes = kernel_bytes(info.value_size, info.max_entries);
	close(fd);
	return r;
}

uint32_t og_ring_chunks_at_most(uint64_t bytes)
{
	uint32_t n = OG_RING_MIN_BYTES / OG_CHUNK_BYTES;

	if (bytes < OG_RING_MIN_BYTES)
		return 0;
	while ((uint64_t)n * 2 * OG_CHUNK_BYTES <= bytes && (uint64_t)n * 2 * OG_CHUNK_BYTES <= OG_RING_MAX_BYTES)
		n *= 2;
	return n;
}

static uint32_t clamp_capture(uint32_t n)
{
	return n > OG_CAPTURE_MAX ? OG_CAPTURE_MAX : n;
}

static void header_set_owner(struct og_ring_header *hdr, const struct og_ring_owner *owner)
{
	hdr->events = owner ? owner->events : 0;
	hdr->plaintext_max = owner ? clamp_capture(owner->plaintext_max) : 0;
	hdr->capture_bytes = owner ? clamp_capture(owner->capture_bytes) : 0;
	/* The fd table is the map's geometry, not the owner's choice. */
	hdr->flags = (owner ? owner->flags : 0) | OG_RING_F_COUNTS | OG_RING_F_NET | OG_RING_F_END |
		     (((const struct og_ring_fds *)((char *)hdr + OG_FDS_OFF))->elems ? OG_RING_F_FDS : 0);
	if (owner)
		memcpy(hdr->skip, owner->skip, sizeof(hdr->skip));
	else
		memset(hdr->skip, 0, sizeof(hdr->skip));
	hdr->created_ns = og_boottime_ns();
	((struct og_ring_end *)((char *)hdr + OG_END_OFF))->init_tgid = owner ? owner->init_tgid : 0;
	/* The programs check cgroup_id before writing: set it last. */
	__atomic_store_n(&hdr->cgroup_id, owner ? owner->cgroup_id : 0, __ATOMIC_RELEASE);
}

void og_ring_header_init(struct og_ring_header *hdr, uint32_t chunks)
{
	hdr->magic = OG_RING_MAGIC;
	hdr->version = OG_RING_VERSION;
	hdr->elem_size = OG_ELEM_SIZE;
	hdr->chunk_bytes = OG_CHUNK_BYTES;
	hdr->chunk_count = chunks;
	hdr->chunk_mask = chunks - 1;
	hdr->head = 0;
	hdr->dropped = 0;
	hdr->standalone_exits = 0;
}

int og_ring_create(uint32_t chunks, const struct og_ring_owner *owner, int *fdp)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE | BPF_F_INNER_MAP);
	struct og_ring_header *hdr;
	size_t len = og_ring_map_bytes(chunks);
	int fd;

	if (!chunks || (chunks & (chunks - 1)))
		return og_err(EINVAL, "ring of %u chunks: not a power of two", chunks);
	/* The header, the chunks, then the fd table (og_format.h). */
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "og_ring", sizeof(__u32), OG_ELEM_SIZE, chunks + 1 + OG_FD_ELEMS,
			    &opts);
	if (fd < 0)
		return og_err(errno, "create ring map (%u chunks of %u KiB)", chunks, OG_CHUNK_BYTES >> 10);
	hdr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (hdr == MAP_FAILED) {
		int e = errno;
		close(fd);
		return og_err(e, "mmap new ring map");
	}
	og_ring_header_init(hdr, chunks);
	((struct og_ring_fds *)((char *)hdr + OG_FDS_OFF))->elems = OG_FD_ELEMS;
	header_set_owner(hdr, owner);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	munmap(hdr, len);
	*fdp = fd;
	return 0;
}

int og_ring_assign(int fd, const struct og_ring_owner *owner)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len = (OG_ELEM_SIZE + page - 1) / page * page;
	struct og_ring_header *hdr;

	hdr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (hdr == MAP_FAILED)
		return og_err(errno, "mmap ring header");
	if (hdr->magic != OG_RING_MAGIC || hdr->version != OG_RING_VERSION) {
		munmap(hdr, len);
		return og_err(EPROTO, "pooled ring: not a ring of format %u", OG_RING_VERSION);
	}
	/* A pooled ring was never written (cgroup 0 matches no task); its
	 * counts, peers and end start empty all the same. */
	memset((char *)hdr + OG_COUNTS_OFF, 0, OG_END_OFF + sizeof(struct og_ring_end) - OG_COUNTS_OFF);
	header_set_owner(hdr, owner);
	munmap(hdr, len);
	return 0;
}

static int check_version(const struct og_ring_header *h, const char *what)
{
	if (h->magic != OG_RING_MAGIC)
		return og_err(EPROTO, "ring %s: bad magic %#llx, not an oci-gadget ring", what,
			      (unsigned long long)h->magic);
	if (h->version < OG_RING_VERSION_READ_MIN || h->version > OG_RING_VERSION)
		return og_err(EPROTO,
			      "ring %s: format version %u, this gadget-dump reads versions %u to %u; use the "
			      "gadget-dump that matches the tracer that wrote it",
			      what, h->version, OG_RING_VERSION_READ_MIN, OG_RING_VERSION);
	return 0;
}

int og_ring_view_init(struct og_ring_view *v, const void *base, size_t len, const char *what)
{
	const struct og_ring_header *h = base;
	int r;

	memset(v, 0, sizeof(*v));
	if (len < sizeof(*h))
		return og_err(EINVAL, "ring %s: %zu bytes, too small for a header", what, len);
	if ((uintptr_t)base % _Alignof(struct og_ring_header))
		return og_err(EINVAL, "ring %s: mapped at a misaligned address", what);
	r = check_version(h, what);
	if (r < 0)
		return r;
	/* Every size is checked before it is multiplied: a corrupted header
	 * must not make a reader wrap or read past the mapping. */
	if (h->elem_size != OG_ELEM_SIZE || h->chunk_bytes != OG_CHUNK_BYTES || !h->chunk_count ||
	    (h->chunk_count & (h->chunk_count - 1)) || h->chunk_mask != h->chunk_count - 1 ||
	    h->chunk_count > (OG_RING_MAX_BYTES >> OG_CHUNK_SHIFT))
		return og_err(EPROTO, "ring %s: inconsistent header (element %u bytes, chunk %u bytes, %u chunks)",
			      what, h->elem_size, h->chunk_bytes, h->chunk_count);
	if (((uint64_t)h->chunk_count + 1) * OG_ELEM_SIZE > len)
		return og_err(EPROTO, "ring %s: header says %u chunks, only %zu bytes mapped", what, h->chunk_count,
			      len);
	if (h->head >= OG_POS_LIMIT)
		return og_err(EPROTO, "ring %s: head %llu is past any position a writer reaches", what,
			      (unsigned long long)h->head);
	v->names = calloc(1, sizeof(*v->names));
	if (!v->names)
		return og_err(ENOMEM, "ring %s: thread names", what);
	v->base = base;
	v->len = len;
	v->hdr = h;
	v->chunk_count = h->chunk_count;
	v->ring_bytes = (uint64_t)h->chunk_count << OG_CHUNK_SHIFT;
	return 0;
}

int og_ring_view_init_header(struct og_ring_view *v, const void *base, size_t len, const char *what)
{
	const struct og_ring_header *h = base;
	int r;

	memset(v, 0, sizeof(*v));
	if (len < OG_ELEM_SIZE)
		return og_err(EINVAL, "ring header %s: %zu bytes, a header element has %u", what, len, OG_ELEM_SIZE);
	if ((uintptr_t)base % _Alignof(struct og_ring_header))
		return og_err(EINVAL, "ring header %s: at a misaligned address", what);
	r = check_version(h, what);
	if (r < 0)
		return r;
	if (h->elem_size != OG_ELEM_SIZE)
		return og_err(EPROTO, "ring header %s: element of %u bytes, expected %u", what, h->elem_size,
			      OG_ELEM_SIZE);
	v->base = base;
	v->len = OG_ELEM_SIZE;
	v->hdr = h;
	return 0;
}

int og_ring_counts_read(const struct og_ring_view *v, struct og_ring_counts *c)
{
	if (!(v->hdr->flags & OG_RING_F_COUNTS))
		return og_err(ENODATA, "this ring keeps no syscall counts (made by an older oci-gadget)");
	/* Counters move while we copy: each word is read once, atomically
	 * enough for counts (the view is the header element's bytes). */
	memcpy(c, v->base + OG_COUNTS_OFF, sizeof(*c));
	return 0;
}

int og_ring_end_read(const struct og_ring_view *v, struct og_ring_end *e)
{
	if (!(v->hdr->flags & OG_RING_F_END))
		return og_err(ENODATA, "this ring keeps no end state (made by an older oci-gadget)");
	memcpy(e, v->base + OG_END_OFF, sizeof(*e));
	return 0;
}

int og_ring_open_pinned(const char *path, struct og_ring_view *v)
{
	struct bpf_map_info info = {};
	__u32 info_len = sizeof(info);
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len;
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
	if (info.type != BPF_MAP_TYPE_ARRAY || !(info.map_flags & BPF_F_MMAPABLE) || info.max_entries < 2 ||
	    info.value_size < sizeof(struct og_ring_header)) {
		close(fd);
		return og_err(EPROTO, "ring %s: not an oci-gadget ring map (type %u, value size %u)", path, info.type,
			      info.value_size);
	}
	if (info.value_size != OG_ELEM_SIZE) {
		/* Another format: its header says which, in its first page. */
		const struct og_ring_header *h = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);

		close(fd);
		if (h == MAP_FAILED)
			return og_err(errno, "mmap ring %s", path);
		r = check_version(h, path);
		munmap((void *)h, page);
		return r < 0 ? r
			     : og_err(EPROTO, "ring %s: elements of %u bytes, format %u has %u", path, info.value_size,
				      OG_RING_VERSION, OG_ELEM_SIZE);
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
	if (v->names) {
		og_rec_buf_free(&v->names->scratch);
		og_rec_buf_free(&v->names->raw);
		og_rec_buf_free(&v->names->out);
	}
	free(v->names);
	memset(v, 0, sizeof(*v));
}

static const uint8_t *pos_addr(const struct og_ring_view *v, uint64_t pos)
{
	return v->base + (size_t)OG_ELEM_SIZE * (1 + ((pos >> OG_CHUNK_SHIFT) & (v->chunk_count - 1))) +
	       (pos & (OG_CHUNK_BYTES - 1));
}

static uint64_t window_start(const struct og_ring_view *v, uint64_t head)
{
	uint64_t tail = head > v->ring_bytes ? head - v->ring_bytes : 0;

	/* The chunk the writers are overwriting cannot be walked: records
	 * there start where only a walk from its lost start would know. */
	return (tail + OG_CHUNK_BYTES - 1) & ~(uint64_t)(OG_CHUNK_BYTES - 1);
}

/* Clamped: a corrupted head must not make a walk's chunk arithmetic wrap
 * (og_ring_view_init refuses one that is already past the limit). */
static uint64_t head_now(const struct og_ring_view *v)
{
	uint64_t head = __atomic_load_n(&v->hdr->head, __ATOMIC_ACQUIRE);

	return head < OG_POS_LIMIT ? head : OG_POS_LIMIT;
}

/* When the record at at (in the ring, being written to) began; 0 when not
 * known. */
static uint64_t raw_ts(const struct og_ring_view *v, const uint8_t *at, uint32_t len)
{
	const struct og_rec_sys *c = (const void *)at;

	if (v->hdr->version < 5)
		return len >= sizeof(struct og_rec4) ? ((const struct og_rec4 *)at)->ts_ns : 0;
	if (len >= sizeof(*c) && (c->seq_type & 0xf) == OG_REC_COMPACT) {
		uint64_t tpos = og_tag_pos(c->tag) - ((uint64_t)OG_WHERE_THREAD(c->where) << 3);
		const struct name_slot *ns = og_ring_name_slot(v->names, tpos);

		return ns->pos_1 == tpos + 1 ? ns->rec.ts_ns + c->dt : 0;
	}
	return len >= sizeof(struct og_rec) ? ((const struct og_rec *)at)->ts_ns : 0;
}

enum copy_result { COPIED, TORN, LAPPED };

/* Copies the record at pos (tag t, length len) into dst, then checks that
 * nothing changed it and no writer lapped it meanwhile. A syscall that
 * completed while being copied (ENTERED -> EXITING -> DONE) is copied
 * again; x86 keeps loads in order, so a copy whose tag did not change saw
 * none of the exit's stores. */
static enum copy_result copy_record(const struct og_ring_view *v, uint64_t pos, uint64_t t, uint32_t len, uint8_t *dst)
{
	const uint8_t *src = pos_addr(v, pos);
	int attempt;

	for (attempt = 0; attempt < 3; attempt++) {
		uint64_t t2, head;

		memcpy(dst, src, len);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		t2 = __atomic_load_n((const uint64_t *)src, __ATOMIC_RELAXED);
		head = head_now(v);
		if (head > v->ring_bytes && pos < head - v->ring_bytes)
			return LAPPED;
		if (t2 == t)
			break;
		if (!og_tag_at(t2, pos) || og_tag_len(t2) != len)
			return TORN;
		t = t2;
	}
	if (attempt == 3)
		return TORN;
	/* Its exit part is being written: keep the enter part only. */
	if (og_tag_state(t) == OG_TAG_EXITING)
		t = (t & ~7ULL) | OG_TAG_ENTERED;
	memcpy(dst, &t, sizeof(t));
	return COPIED;
}

/* The tag at pos when pos is in the window and the tag was written for
 * it, with a length that fits its chunk; 0 otherwise. */
static uint64_t tag_in_window(const struct og_ring_view *v, uint64_t pos)
{
	uint64_t head = head_now(v), t;
	uint32_t len;

	if (!v->chunk_count || pos % OG_REC_ALIGN || pos >= head || pos < window_start(v, head))
		return 0;
	t = __atomic_load_n((const uint64_t *)pos_addr(v, pos), __ATOMIC_ACQUIRE);
	len = og_tag_len(t);
	if (!og_tag_at(t, pos) || len < 2 * sizeof(uint64_t) || (pos & (OG_CHUNK_BYTES - 1)) + len > OG_CHUNK_BYTES)
		return 0;
	return t;
}

/* og_ring_fetch_fn: format 6's output records, read through their syscall
 * record (og_rec_unpack.c). The syscall record was copied whole a moment
 * ago; its output record, newer, can only be gone because the writers
 * lapped both since: -ESTALE, and the walk starts again where they are. */
static ssize_t fetch_output(const void *ctx, uint64_t pos, uint8_t *dst, size_t max)
{
	const struct og_ring_view *v = ctx;
	uint64_t t = tag_in_window(v, pos);

	if (!t || og_tag_state(t) != OG_TAG_DONE || og_tag_len(t) > max)
		return pos < window_start(v, head_now(v)) ? -ESTALE : 0;
	switch (copy_record(v, pos, t, og_tag_len(t), dst)) {
	case COPIED: return og_tag_len(t);
	case LAPPED: return -ESTALE;
	default: return pos < window_start(v, head_now(v)) ? -ESTALE : 0;
	}
}

/* The view's names, able to read output records through v (whose place
 * may differ from one call to the next). */
static struct og_ring_names *names_of(const struct og_ring_view *v)
{
	v->names->fetch = fetch_output;
	v->names->fetch_ctx = v;
	return v->names;
}

/* A record copied whole from the ring into raw, unpacked into out (or the
 * view's scratch, when only counting); 1 handed out, 0 not, -EPROTO torn. */
static int take_record(const struct og_ring_view *v, const uint8_t *raw, uint32_t len, struct og_rec_buf *out,
		       struct og_ring_read_stats *st)
{
	struct og_rec_buf *to = out ? out : &v->names->scratch;
	const struct og_rec *r = (const void *)raw;
	size_t at = to->len;
	int n;

	/* Format 6's output records: read through their syscall record. */
	if (v->hdr->version >= 6 && len >= sizeof(struct og_rec_out) && (r->seq_type & 0xf) == OG_REC_OUTPUT) {
		st->outputs++;
		return 0;
	}
	/* A newer writer's record type: skipped, counted (apart: not lost). */
	if (v->hdr->version >= 5 && len >= sizeof(*r) && (r->seq_type & 0xf) != OG_REC_COMPACT &&
	    (r->type == 0 || r->type >= OG_REC_TYPES)) {
		st->unknown++;
		if (r->seq_type & ~0xfu)
			og_ring_names_seq_note(v->names, r->seq_type, st);
		return 0;
	}
	if (v->hdr->version < 5 && len >= sizeof(struct og_rec4)) {
		uint8_t type = ((const struct og_rec4 *)raw)->type;

		if (type == 0 || type >= OG_REC_TYPES) {
			st->unknown++;
			return 0;
		}
	}
	n = og_rec_unpack(names_of(v), v->hdr->version, raw, len, to, st);
	if (n < 0 || v->hdr->version < 5 || (n == 0 && (r->seq_type & 0xf) != OG_REC_COMPACT))
		return n; /* torn (its number will be missing), or not numbered */
	og_ring_names_seq_note(v->names, r->seq_type, st);
	if (n == 0) { /* numbered, unnamed: lost */
		v->names->lost++;
		st->lost_records = v->names->lost;
		return 0;
	}
	if (!out)
		to->len = at;
	return 1;
}

/* The writers lapped the walk at *q (head now): it starts again at the
 * oldest chunk they are not overwriting, the bytes in between counted
 * overwritten. */
static void walk_restart(const struct og_ring_view *v, uint64_t now, uint64_t *q, uint64_t *head,
			 struct og_ring_read_stats *st)
{
	st->overwritten += window_start(v, now) - *q;
	*q = window_start(v, now);
	*head = now;
}

/* The walk shared by read and count: out NULL counts only. */
static int walk(const struct og_ring_view *v, uint64_t *from, struct og_rec_buf *out,
		const struct og_ring_read_opts *opts, struct og_ring_read_stats *st)
{
	uint64_t head = head_now(v), start = window_start(v, head), q;
	struct og_rec_buf *raw = &v->names->raw;

	st->numbered = v->hdr->version >= 5;
	if (!v->chunk_count) { /* a header without its chunks (a crash file's) */
		st->head = head;
		return 0;
	}
	st->window = head - start;
	q = *from;
	if (q < start) {
		st->overwritten += start - q;
		q = start;
	}
	while (q < head) {
		uint64_t chunk_end = (q | (OG_CHUNK_BYTES - 1)) + 1, t;
		const uint8_t *at = pos_addr(v, q);
		uint32_t len, state;

		t = __atomic_load_n((const uint64_t *)at, __ATOMIC_ACQUIRE);
		len = og_tag_len(t);
		state = og_tag_state(t);
		if (!og_tag_at(t, q) || state == OG_TAG_WRITING) {
			uint64_t now = head_now(v);

			if (now > v->ring_bytes && q < now - v->ring_bytes) {
				walk_restart(v, now, &q, &head, st);
				continue;
			}
			/* Claimed, not yet written: nothing after it in this chunk
			 * can be found until it is, unless its tag says how long
			 * it is (an output record being filled at sys_exit). */
			st->in_progress++;
			if (opts && opts->wait_writing)
				break;
			q = og_tag_at(t, q) && len >= 2 * sizeof(uint64_t) && q + len <= chunk_end ? q + len
												   : chunk_end;
			continue;
		}
		if (len < sizeof(uint64_t) || q + len > chunk_end || state > OG_TAG_PAD) {
			st->torn++;
			q = chunk_end;
			continue;
		}
		if (state == OG_TAG_PAD) {
			st->pad_bytes += len;
			q += len;
			continue;
		}
		if (opts && opts->hold_after_ns && state != OG_TAG_DONE && raw_ts(v, at, len) > opts->hold_after_ns)
			break;
		if (og_rec_buf_room(raw, len) < 0)
			return -ENOMEM;
		switch (copy_record(v, q, t, len, raw->data)) {
		case COPIED: {
			int n = take_record(v, raw->data, len, out, st);

			if (n == -ENOMEM)
				return n;
			/* Its output record was lapped while read: so is it. */
			if (n == -ESTALE && window_start(v, head_now(v)) > q) {
				walk_restart(v, head_now(v), &q, &head, st);
				break;
			}
			q += len;
			if (n < 0) {
				st->torn++;
				break;
			}
			if (n == 0) {
				st->skipped_bytes += len;
				break;
			}
			st->records++;
			st->record_bytes += len;
			break;
		}
		case TORN:
			st->torn++;
			q += len;
			break;
		case LAPPED: walk_restart(v, head_now(v), &q, &head, st); break;
		}
	}
	*from = q;
	st->head = head;
	return 0;
}

int og_ring_read(const struct og_ring_view *v, uint64_t *from, struct og_rec_buf *out,
		 const struct og_ring_read_opts *opts, struct og_ring_read_stats *st)
{
	return walk(v, from, out, opts, st);
}

void og_ring_count(const struct og_ring_view *v, struct og_ring_read_stats *st)
{
	uint64_t from = 0;

	walk(v, &from, NULL, NULL, st);
}

int og_ring_copy_done(const struct og_ring_view *v, uint64_t pos, struct og_rec_buf *out)
{
	uint64_t t = tag_in_window(v, pos);
	uint32_t len = og_tag_len(t);
	uint8_t *raw;
	int n;

	if (!t)
		return -ENOENT;
	if (og_tag_state(t) != OG_TAG_DONE)
		return og_tag_state(t) == OG_TAG_PAD ? -ENOENT : 0;
	raw = malloc(len);
	if (!raw)
		return og_err(ENOMEM, "a record of %u bytes", len);
	n = copy_record(v, pos, t, len, raw) == COPIED
		    ? og_rec_unpack(names_of(v), v->hdr->version, raw, len, out, NULL)
		    : -ENOENT;
	free(raw);
	return n == 1 ? 1 : n == -ENOMEM ? n : -ENOENT;
}
