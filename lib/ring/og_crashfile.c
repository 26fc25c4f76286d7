// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_crashfile.h"
#include "og_container.h"
#include "og_crash_unwind.h"
#include "og_probe_report.h"
#include "og_maps.h"
#include "og_record.h"
#include "og_util.h"

#include <bpf/bpf.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CRASH_SUFFIX ".ogcrash"
/* A file is never bigger than this: a 256 MiB ring's records and the rest. */
#define CRASH_FILE_MAX ((size_t)OG_RING_MAX_BYTES + (16u << 20))

const struct og_crash_stack *og_crash_stacks_find(const struct og_crash_stacks *s, uint64_t pos)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (s->items[i].pos == pos)
			return &s->items[i].stack;
	return NULL;
}

void og_crash_stacks_free(struct og_crash_stacks *s)
{
	for (size_t i = 0; i < s->n; i++)
		og_crash_stack_free(&s->items[i].stack);
	free(s->items);
	memset(s, 0, sizeof(*s));
}

uint32_t og_crash_reason(const struct og_ring_end *end)
{
	uint32_t why = 0;

	if (end->flags & OG_END_INIT_EXITED) {
		if (end->init_code & 0x7f)
			why |= OG_CRASH_WHY_SIGNAL;
		else if (end->init_code & 0xff00)
			why |= OG_CRASH_WHY_EXIT;
	}
	if (end->oom_kills)
		why |= OG_CRASH_WHY_OOM;
	if (end->killed)
		why |= OG_CRASH_WHY_KILLED;
	return why;
}

/* ------------------------------------------------------------------ */
/* Writing: sections are built in memory, then written to a temporary  */
/* file beneath the directory and renamed into place.                  */
/* ------------------------------------------------------------------ */

/* Sections built in memory, before the header that counts them. */
struct blob {
	uint8_t *data;
	size_t len, cap;
	struct og_crash_section sec[OG_CRASH_FILE_SECTIONS];
	uint32_t nsec;
	int err;
};

static void blob_put(struct blob *b, const void *data, size_t len)
{
	size_t need = b->len + len + 8;

	if (b->err)
		return;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 1 << 16;
		uint8_t *d;

		while (cap < need)
			cap *= 2;
		if (!(d = realloc(b->data, cap))) {
			b->err = -ENOMEM;
			return;
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	while (b->len % 8)
		b->data[b->len++] = 0;
}

/* Starts a section; what blob_put adds until the next is its content. */
static void blob_section(struct blob *b, uint32_t type)
{
	if (b->nsec) {
		struct og_crash_section *prev = &b->sec[b->nsec - 1];

		prev->length = b->len - prev->offset;
	}
	if (b->nsec == OG_CRASH_FILE_SECTIONS) {
		b->err = -E2BIG;
		return;
	}
	b->sec[b->nsec++] = (struct og_crash_section){.type = type, .offset = b->len};
}

static void put_stacks(struct blob *b, const struct og_crash_stacks *stacks)
{
	static const uint8_t zero[8];

	for (size_t k = 0; stacks && k < stacks->n; k++) {
		const struct og_crash_stack *st = &stacks->items[k].stack;
		struct og_crash_file_stack e = {
			.pos = stacks->items[k].pos, .nframes = st->n, .why_len = st->why ? strlen(st->why) : 0};

		blob_put(b, &e, sizeof(e));
		for (size_t i = 0; i < st->n; i++) {
			size_t tl = strnlen(st->frames[i].text, UINT16_MAX);
			struct og_crash_file_frame f = {.pc = st->frames[i].pc,
							.text_len = tl,
							.flags = st->frames[i].guessed ? OG_CRASH_FRAME_GUESSED : 0};

			blob_put(b, &f, sizeof(f));
			blob_put(b, tl ? st->frames[i].text : (const char *)zero, tl);
		}
		blob_put(b, e.why_len ? st->why : (const char *)zero, e.why_len);
	}
}

int og_crashfile_build(const struct og_crashfile_parts *p, uint8_t **data, size_t *len)
{
	struct og_crash_file_header h = {.magic = OG_CRASH_FILE_MAGIC,
					 .version = OG_CRASH_FILE_VERSION,
					 .reason = p->reason,
					 .ring_version = OG_RING_VERSION};
	size_t head;
	struct blob b = {0};

	blob_section(&b, OG_CS_META);
	blob_put(&b, p->meta, sizeof(*p->meta));
	blob_section(&b, OG_CS_RING_HEADER);
	blob_put(&b, p->ring_header, OG_ELEM_SIZE);
	blob_section(&b, OG_CS_RECORDS);
	blob_put(&b, p->records->data, p->records->len);
	blob_section(&b, OG_CS_READ);
	blob_put(&b, &p->read, sizeof(p->read));
	if (p->table) {
		blob_section(&b, OG_CS_SYSCALLS);
		for (uint32_t k = 0; k < OG_SYSCALL_TABLE_SIZE; k++) {
			struct og_crash_file_syscall e = {.index = k, .desc = p->table[k]};

			if (e.desc.flags & OG_DESC_VALID)
				blob_put(&b, &e, sizeof(e));
		}
	}
	if (p->probes) {
		blob_section(&b, OG_CS_PROBES);
		blob_put(&b, p->probes, sizeof(*p->probes));
	}
	blob_section(&b, OG_CS_STACKS);
	put_stacks(&b, p->stacks);
	if (p->fds) {
		blob_section(&b, OG_CS_FDS);
		blob_put(&b, p->fds, p->fds_len);
	}
	blob_section(&b, 0); /* closes the last one */
	b.nsec--;
	if (b.err) {
		free(b.data);
		return og_err(-b.err, "building a crash file");
	}
	h.nsections = b.nsec;
	h.written_ns = og_realtime_ns();
	h.boot_to_real = (int64_t)h.written_ns - (int64_t)og_boottime_ns();
	gethostname(h.host, sizeof(h.host) - 1);
	/* The header and the table first: offsets so far count from the
	 * sections' start. */
	head = sizeof(h) + b.nsec * sizeof(b.sec[0]);
	for (uint32_t i = 0; i < b.nsec; i++)
		b.sec[i].offset += head;
	*data = malloc(head + b.len);
	if (!*data) {
		free(b.data);
		return og_err(ENOMEM, "building a crash file");
	}
	memcpy(*data, &h, sizeof(h));
	memcpy(*data + sizeof(h), b.sec, b.nsec * sizeof(b.sec[0]));
	memcpy(*data + head, b.data, b.len);
	*len = head + b.len;
	free(b.data);
	return 0;
}

/* Oldest first, then removed until the files fit max_bytes (keep is the
 * file just written, never removed). */
struct crash_entry {
	char name[256];
	uint64_t mtime_ns;
	uint64_t bytes;
};

static int by_mtime(const void *a, const void *b)
{
	const struct crash_entry *x = a, *y = b;

	return x->mtime_ns < y->mtime_ns ? -1 : x->mtime_ns > y->mtime_ns;
}

static int enforce_budget(int dirfd, const char *dir, uint64_t max, const char *keep)
{
	cleanup_free struct crash_entry *ents = NULL;
	size_t n = 0, cap = 0;
	uint64_t total = 0;
	struct dirent *de;
	DIR *d;
	int fd = dup(dirfd);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return og_err(errno, "list %s", dir);
	}
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		struct stat sb;

		if (l <= strlen(CRASH_SUFFIX) || strcmp(de->d_name + l - strlen(CRASH_SUFFIX), CRASH_SUFFIX) != 0 ||
		    l >= sizeof(ents->name) || fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		if (n == cap) {
			struct crash_entry *ne = realloc(ents, (cap = cap ? 2 * cap : 32) * sizeof(*ents));

			if (!ne) {
				closedir(d);
				return og_err(ENOMEM, "list %s", dir);
			}
			ents = ne;
		}
		memcpy(ents[n].name, de->d_name, l + 1);
		ents[n].mtime_ns = (uint64_t)sb.st_mtim.tv_sec * 1000000000ULL + sb.st_mtim.tv_nsec;
		ents[n].bytes = sb.st_size;
		total += sb.st_size;
		n++;
	}
	closedir(d);
	qsort(ents, n, sizeof(*ents), by_mtime);
	for (size_t i = 0; i < n && total > max; i++) {
		if (strcmp(ents[i].name, keep) == 0)
			continue;
		if (unlinkat(dirfd, ents[i].name, 0) == 0)
			total -= ents[i].bytes;
	}
	return 0;
}

/* Named stamp-id.ogcrash, or stamp.N-id.ogcrash when a file of that name
 * is there: the same id stopping twice within a second (runc run, runc
 * run again) keeps both files. */
static int name_file(int dirfd, const char *dir, const char *tmp, const char *stamp, const char *id, char *name,
		     size_t size)
{
	for (int k = 0; k < 100; k++) {
		if (k)
			snprintf(name, size, "%s.%d-%.128s" CRASH_SUFFIX, stamp, k, id);
		else
			snprintf(name, size, "%s-%.128s" CRASH_SUFFIX, stamp, id);
		if (renameat2(dirfd, tmp, dirfd, name, RENAME_NOREPLACE) == 0)
			return 0;
		/* A file system without it: the name as it is. */
		if (errno == EINVAL)
			return renameat(dirfd, tmp, dirfd, name) == 0
				       ? 0
				       : og_err(errno, "rename %s/%s to %s", dir, tmp, name);
		if (errno != EEXIST)
			return og_err(errno, "rename %s/%s to %s", dir, tmp, name);
	}
	return og_err(EEXIST, "%s: 100 crash files of container '%s' at %s", dir, id, stamp);
}

static int write_file(const char *dir, const char *stamp, const char *id, const uint8_t *data, size_t len, uint64_t max,
		      char *written, size_t size)
{
	char tmp[300], name[256], what[4096 + 300];
	cleanup_close int dirfd = -1;
	int fd, r = 0;

	/* Readable, not O_PATH: the budget lists it. */
	r = og_mkdir_open(dir, 0700, O_RDONLY, &dirfd);
	if (r < 0)
		return r;
	snprintf(tmp, sizeof(tmp), ".%s-%.128s.tmp", stamp, id);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return og_err(errno, "create %s/%s", dir, tmp);
	snprintf(what, sizeof(what), "%s/%s", dir, tmp);
	r = og_write_fd(fd, what, data, len);
	/* On disk before it is named: a reboot must not leave a torn file. */
	if (r == 0 && fsync(fd) < 0)
		r = og_err(errno, "fsync %s/%s", dir, tmp);
	if (close(fd) < 0 && r == 0)
		r = og_err(errno, "close %s/%s", dir, tmp);
	if (r == 0)
		r = name_file(dirfd, dir, tmp, stamp, id, name, sizeof(name));
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return r;
	}
	snprintf(written, size, "%s/%s", dir, name);
	if (max && enforce_budget(dirfd, dir, max, name) < 0)
		og_warn("crash-dir-max: %s (older crash files kept)", og_errmsg());
	return 0;
}

/* The crash records' stacks, unwound by opts' unwinder: the last
 * OG_CRASH_UNWIND_MAX of them (a crash loop must not hold up the stop). */
static void unwind_all(const struct og_rec_buf *recs, const struct og_crashfile_opts *o, struct og_crash_stacks *out)
{
	size_t crashes = 0, seen = 0;

	for (size_t off = 0; o->unwind && off < recs->len;
	     off += og_tag_len(((const struct og_rec *)(recs->data + off))->tag))
		crashes += ((const struct og_rec *)(recs->data + off))->type == OG_REC_CRASH;
	for (size_t off = 0; o->unwind && off < recs->len;
	     off += og_tag_len(((const struct og_rec *)(recs->data + off))->tag)) {
		const struct og_rec *r = (const void *)(recs->data + off);
		struct og_crash_stack_at *ni;
		struct og_crash_stack st = {0};

		if (r->type != OG_REC_CRASH || seen++ + OG_CRASH_UNWIND_MAX < crashes ||
		    o->unwind(o->unwind_arg, r, &st) < 0)
			continue;
		ni = realloc(out->items, (out->n + 1) * sizeof(*ni));
		if (!ni) {
			og_crash_stack_free(&st);
			return;
		}
		out->items = ni;
		out->items[out->n++] = (struct og_crash_stack_at){.pos = og_rec_pos(r), .stack = st};
	}
}

int og_crashfile_write(const char *root, const char *id, const struct og_crashfile_opts *o, char *written, size_t size)
{
	struct og_container_meta meta;
	struct og_ring_read_stats st = {0};
	struct og_probe_report probes;
	struct og_ring_end end;
	cleanup_rec_buf struct og_rec_buf recs = {0};
	struct og_crash_stacks stacks = {0};
	cleanup_ring_view struct og_ring_view v = {0};
	struct og_crashfile_parts p = {.meta = &meta, .records = &recs, .stacks = &stacks};
	cleanup_free struct og_syscall_desc *table = NULL;
	cleanup_free uint8_t *header = NULL, *data = NULL, *fds = NULL;
	char stamp[32];
	size_t len = 0;
	uint64_t from = 0;
	struct tm tm;
	time_t now;
	int r;

	written[0] = '\0';
	if (o->keep == OG_CRASH_FILES_NONE)
		return 0;
	r = og_meta_read(root, id, &meta);
	if (r == -ENOENT)
		return 0; /* never registered: no ring to keep (the caller says so) */
	if (r == 0)
		r = og_container_open_ring_id(root, id, &v);
	if (r < 0)
		return og_err_wrap(-r, "crash file of container '%s'", id);
	p.reason = og_ring_end_read(&v, &end) == 0 ? og_crash_reason(&end) : 0;
	if (!p.reason && o->keep != OG_CRASH_FILES_ALL)
		return 0;
	if (o->keep == OG_CRASH_FILES_ALL)
		p.reason |= OG_CRASH_WHY_ALWAYS;
	/* Written at its stop, before the pins say so; a container stopped
	 * as gone before its poststop came is stopped now it came. */
	if (meta.state == OG_STATE_RUNNING) {
		meta.state = OG_STATE_STOPPED;
		meta.stopped_ns = og_realtime_ns();
	}
	meta.flags &= ~OG_META_F_GONE;
	header = malloc(OG_ELEM_SIZE);
	r = header ? og_ring_read(&v, &from, &recs, NULL, &st) : og_err(ENOMEM, "ring header");
	if (r == 0) {
		struct og_ring_fds counts;
		const void *elems;
		size_t elems_len;

		memcpy(header, v.base, OG_ELEM_SIZE);
		p.ring_header = header;
		/* The fd table as it was left: what the records' fds were. */
		if (og_ring_fds(&v, &elems, &elems_len, &counts) == 0 && (fds = malloc(elems_len))) {
			memcpy(fds, elems, elems_len);
			p.fds = fds;
			p.fds_len = elems_len;
		}
		p.read = (struct og_crash_file_read){.head = st.head,
						     .overwritten = st.overwritten,
						     .torn = st.torn,
						     .records = st.records,
						     .dropped = v.hdr->dropped};
	}
	og_ring_close(&v); /* read: the ring is not needed while unwinding */
	if (r == 0 && (table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table))) &&
	    og_syscall_table_load(root, table) == 0)
		p.table = table;
	if (r == 0 && og_container_read_probes(root, id, &probes) == 0)
		p.probes = &probes;
	if (r == 0) {
		unwind_all(&recs, o, &stacks);
		r = og_crashfile_build(&p, &data, &len);
	}
	og_crash_stacks_free(&stacks);
	if (r < 0)
		return og_err_wrap(-r, "crash file of container '%s'", id);
	now = og_realtime_ns() / 1000000000ULL;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	/* Container ids are checked by the hook: no '/', no leading '.'. */
	r = write_file(o->dir, stamp, id, data, len, o->max_bytes, written, size);
	return r < 0 ? og_err_wrap(-r, "crash file of container '%s'", id) : 0;
}

/* ------------------------------------------------------------------ */
/* Reading: nothing in the file is trusted; every length is checked     */
/* against the file before it is used.                                 */
/* ------------------------------------------------------------------ */

static int parse_stacks(const uint8_t *p, size_t len, const char *what, struct og_crash_stacks *out)
{
	size_t off = 0, cap = 0;

	while (off + sizeof(struct og_crash_file_stack) <= len) {
		struct og_crash_file_stack e;
		struct og_crash_stack_at *at;
		struct og_crash_frame *frames;

		memcpy(&e, p + off, sizeof(e));
		off += sizeof(e);
		if (e.nframes > 1024)
			return og_err(EPROTO, "%s: a stack of %u frames", what, e.nframes);
		if (out->n == cap) {
			struct og_crash_stack_at *ni = realloc(out->items, (cap = cap ? 2 * cap : 4) * sizeof(*ni));

			if (!ni)
				return og_err(ENOMEM, "%s: stacks", what);
			out->items = ni;
		}
		at = &out->items[out->n++];
		memset(at, 0, sizeof(*at));
		at->pos = e.pos;
		frames = calloc(e.nframes ? e.nframes : 1, sizeof(*frames));
		if (!frames)
			return og_err(ENOMEM, "%s: stacks", what);
		at->stack.frames = frames;
		for (uint32_t i = 0; i < e.nframes; i++) {
			struct og_crash_file_frame f;

			if (off + sizeof(f) > len)
				return og_err(EPROTO, "%s: a stack ends early", what);
			memcpy(&f, p + off, sizeof(f));
			off += sizeof(f);
			if (f.text_len > len - off)
				return og_err(EPROTO, "%s: a frame's text ends past the section", what);
			frames[i].pc = f.pc;
			frames[i].guessed = f.flags & OG_CRASH_FRAME_GUESSED;
			frames[i].text = strndup((const char *)p + off, f.text_len);
			if (!frames[i].text)
				return og_err(ENOMEM, "%s: stacks", what);
			at->stack.n = i + 1;
			off += og_round8(f.text_len);
		}
		if (e.why_len > len - off)
			return og_err(EPROTO, "%s: a stack's reason ends past the section", what);
		if (e.why_len && !(at->stack.why = strndup((const char *)p + off, e.why_len)))
			return og_err(ENOMEM, "%s: stacks", what);
		off += og_round8(e.why_len);
	}
	return 0;
}

/* Records of formats 3 and 4 are unpacked into the view; a file of
 * format 5 holds the view already (whole records, no thread records). */
static int parse_records(const uint8_t *p, size_t len, uint32_t version, const char *what, struct og_crashfile *cf)
{
	for (size_t off = 0; off < len;) {
		uint64_t tag;
		uint32_t rl;
		int n;

		if (len - off < 2 * sizeof(tag))
			return og_err(EPROTO, "%s: a record is cut at byte %zu", what, off);
		/* Copied: records are read with their own alignment. */
		memcpy(&tag, p + off, sizeof(tag));
		rl = og_tag_len(tag);
		if (rl < 2 * sizeof(tag) || rl > len - off)
			return og_err(EPROTO, "%s: the record at byte %zu is inconsistent", what, off);
		/* A type this reader does not know is left out, as from a ring. */
		if (version >= 5 && rl >= sizeof(struct og_rec) && (p[off + 8] & 0xf) != OG_REC_COMPACT &&
		    (p[off + offsetof(struct og_rec, type)] == 0 ||
		     p[off + offsetof(struct og_rec, type)] >= OG_REC_TYPES)) {
			off += rl;
			continue;
		}
		if (version < 5 && rl >= sizeof(struct og_rec4) &&
		    (p[off + offsetof(struct og_rec4, type)] == 0 ||
		     p[off + offsetof(struct og_rec4, type)] >= OG_REC_TYPES)) {
			off += rl;
			continue;
		}
		n = og_rec_unpack(NULL, version, p + off, rl, &cf->records, NULL);
		if (n == -ENOMEM)
			return og_err(ENOMEM, "%s: records", what);
		if (n < 0 || (n == 0 && version >= 5 && (p[off + 8] & 0xf) == OG_REC_COMPACT))
			return og_err(EPROTO, "%s: the record at byte %zu is inconsistent", what, off);
		off += rl;
	}
	return 0;
}

int og_crashfile_parse(const void *data, size_t len, const char *what, struct og_crashfile *cf)
{
	const uint8_t *base = data;
	const struct og_crash_section *sec;
	bool have_meta = false, have_header = false;
	uint32_t seen = 0;
	int r;

	memset(cf, 0, sizeof(*cf));
	if (len < sizeof(cf->hdr))
		return og_err(EPROTO, "%s: %zu bytes, too small for a crash file", what, len);
	memcpy(&cf->hdr, base, sizeof(cf->hdr));
	if (cf->hdr.magic != OG_CRASH_FILE_MAGIC)
		return og_err(EPROTO, "%s: not an oci-gadget crash file", what);
	if (cf->hdr.version != OG_CRASH_FILE_VERSION)
		return og_err(EPROTO, "%s: crash file version %u, this gadget-dump reads version %u", what,
			      cf->hdr.version, OG_CRASH_FILE_VERSION);
	if (cf->hdr.ring_version < OG_RING_VERSION_READ_MIN || cf->hdr.ring_version > OG_RING_VERSION)
		return og_err(EPROTO, "%s: records of ring format %u, this gadget-dump reads formats %u to %u", what,
			      cf->hdr.ring_version, OG_RING_VERSION_READ_MIN, OG_RING_VERSION);
	if (cf->hdr.nsections > OG_CRASH_FILE_SECTIONS || cf->hdr.nsections * sizeof(*sec) > len - sizeof(cf->hdr))
		return og_err(EPROTO, "%s: %u sections do not fit the file", what, cf->hdr.nsections);
	cf->hdr.host[sizeof(cf->hdr.host) - 1] = '\0';
	cf->table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*cf->table));
	if (!cf->table)
		return og_err(ENOMEM, "%s: syscall table", what);
	sec = (const void *)(base + sizeof(cf->hdr));
	for (uint32_t i = 0; i < cf->hdr.nsections; i++) {
		struct og_crash_section s;
		const uint8_t *p;

		memcpy(&s, &sec[i], sizeof(s));
		if (s.offset % 8 || s.offset > len || s.length > len - s.offset)
			return og_err(EPROTO, "%s: section %u lies outside the file", what, i);
		if (s.type < 32 && (seen & (1u << s.type)))
			return og_err(EPROTO, "%s: section type %u appears twice", what, s.type);
		if (s.type < 32)
			seen |= 1u << s.type;
		p = base + s.offset;
		switch (s.type) {
		case OG_CS_META:
			/* Another format is another size: its version says which. */
			if (s.length != sizeof(cf->meta) && s.length >= sizeof(cf->meta.version)) {
				memcpy(&cf->meta.version, p, sizeof(cf->meta.version));
				return og_err(EPROTO, "%s: metadata format %u of %llu bytes, this build reads %u", what,
					      cf->meta.version, (unsigned long long)s.length, OG_META_VERSION);
			}
			if (s.length != sizeof(cf->meta))
				return og_err(EPROTO, "%s: metadata of %llu bytes", what, (unsigned long long)s.length);
			memcpy(&cf->meta, p, sizeof(cf->meta));
			r = og_meta_check(&cf->meta, cf->meta.id, what);
			if (r < 0)
				return r;
			have_meta = true;
			break;
		case OG_CS_RING_HEADER:
			/* Copied: the header is read in place, at its alignment. */
			if (s.length != OG_ELEM_SIZE)
				return og_err(EPROTO, "%s: a ring header of %llu bytes", what,
					      (unsigned long long)s.length);
			cf->header = aligned_alloc(64, OG_ELEM_SIZE);
			if (!cf->header)
				return og_err(ENOMEM, "%s: ring header", what);
			memcpy(cf->header, p, OG_ELEM_SIZE);
			r = og_ring_view_init_header(&cf->view, cf->header, OG_ELEM_SIZE, what);
			if (r < 0)
				return r;
			have_header = true;
			break;
		case OG_CS_RECORDS:
			r = parse_records(p, s.length, cf->hdr.ring_version, what, cf);
			if (r < 0)
				return r;
			break;
		case OG_CS_READ:
			if (s.length >= sizeof(cf->read))
				memcpy(&cf->read, p, sizeof(cf->read));
			break;
		case OG_CS_SYSCALLS:
			for (size_t off = 0; off + sizeof(struct og_crash_file_syscall) <= s.length;
			     off += sizeof(struct og_crash_file_syscall)) {
				struct og_crash_file_syscall e;

				memcpy(&e, p + off, sizeof(e));
				if (e.index < OG_SYSCALL_TABLE_SIZE && e.desc.nargs <= OG_NARGS) {
					for (int a = 0; a < OG_NARGS; a++)
						e.desc.arg_name[a][OG_ARG_NAME_LEN - 1] = '\0';
					cf->table[e.index] = e.desc;
				}
			}
			break;
		case OG_CS_PROBES:
			if (s.length == sizeof(cf->probes)) {
				memcpy(&cf->probes, p, sizeof(cf->probes));
				cf->has_probes = og_probes_check(&cf->probes, what) == 0;
			}
			break;
		case OG_CS_STACKS:
			r = parse_stacks(p, s.length, what, &cf->stacks);
			if (r < 0)
				return r;
			break;
		case OG_CS_FDS:
			r = og_fd_table_load(&cf->fds, p, s.length, what);
			if (r < 0)
				return r;
			break;
		default: break; /* a newer writer's section */
		}
	}
	if (!have_meta || !have_header)
		return og_err(EPROTO, "%s: no %s section", what, have_meta ? "ring header" : "metadata");
	return 0;
}

int og_crashfile_open(const char *path, struct og_crashfile *cf)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat sb;
	void *map;
	int r;

	memset(cf, 0, sizeof(*cf));
	if (fd < 0)
		return og_err(errno, "open crash file %s", path);
	if (fstat(fd, &sb) < 0)
		return og_err(errno, "stat %s", path);
	if (!S_ISREG(sb.st_mode))
		return og_err(EINVAL, "%s: not a regular file", path);
	if ((size_t)sb.st_size > CRASH_FILE_MAX || sb.st_size < (off_t)sizeof(struct og_crash_file_header))
		return og_err(EPROTO, "%s: %lld bytes: not a crash file", path, (long long)sb.st_size);
	map = mmap(NULL, sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return og_err(errno, "mmap %s", path);
	r = og_crashfile_parse(map, sb.st_size, path, cf);
	cf->map = map;
	cf->len = sb.st_size;
	if (r < 0)
		og_crashfile_close(cf);
	return r;
}

void og_crashfile_close(struct og_crashfile *cf)
{
	og_rec_buf_free(&cf->records);
	og_crash_stacks_free(&cf->stacks);
	og_fd_table_free(&cf->fds);
	free(cf->table);
	free(cf->header);
	if (cf->map)
		munmap(cf->map, cf->len);
	memset(cf, 0, sizeof(*cf));
}
