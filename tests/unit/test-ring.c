// Ring reader (format 3) against rings built in memory: records packed in
// chunks, pads, wraparound in the middle of a record, records in progress,
// overwritten between enter and exit, standalone exits, bad headers.
#include "config.h"
#include "og_record.h"
#include "og_ring.h"
#include "og_util.h"
#include "ring-build.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>

#define CHUNKS 2

static struct trec getppid_rec(uint32_t tid, uint64_t ts)
{
	return (struct trec){.tid = tid, .nr = 110, .ts = ts, .ret = 1};
}

/* An openat with a path of n bytes (NUL included). */
static struct trec openat_rec(uint32_t tid, const char *path, uint64_t ts)
{
	struct trec t = {.tid = tid, .nr = 257, .ts = ts, .nargs = 4, .ret = 3, .ncaps = 1};

	t.args[0] = (uint64_t)-100;
	t.caps[0] = (struct tcap){.arg = 1, .kind = OG_ARG_STR, .data = path, .len = strlen(path) + 1};
	return t;
}

static void read_all(const struct og_ring_view *v, struct og_rec_buf *b, struct og_ring_read_stats *st, bool wait)
{
	struct og_ring_read_opts o = {.wait_writing = wait};
	uint64_t from = 0;

	b->len = 0;
	memset(st, 0, sizeof(*st));
	og_ring_read(v, &from, b, &o, st);
}

static size_t count_records(const struct og_rec_buf *b)
{
	size_t n = 0;

	for (size_t off = 0; off < b->len; off += og_tag_len(((const struct og_rec *)(b->data + off))->tag))
		n++;
	return n;
}

static void check_basic(void)
{
	uint8_t *mem = tring_new(CHUNKS);
	struct og_ring_header *h = (void *)mem;
	struct og_rec_buf b = {};
	struct og_ring_read_stats st;
	struct og_ring_view v;
	struct trec g = getppid_rec(7, 100);

	ok(og_ring_view_init(&v, mem, (CHUNKS + 1) * OG_ELEM_SIZE, "test") == 0, "valid header accepted");
	ok(v.ring_bytes == CHUNKS * OG_CHUNK_BYTES, "ring bytes = chunks x 32 KiB");
	read_all(&v, &b, &st, false);
	ok(b.len == 0 && st.records == 0, "empty ring reads nothing");

	ok(trec_len(&g) == 80, "a whole getppid record is 80 bytes (header 64, syscall part 16): %u", trec_len(&g));
	for (int i = 0; i < 5; i++)
		tring_put(mem, &g);
	read_all(&v, &b, &st, false);
	ok(st.records == 5 && count_records(&b) == 5 && st.record_bytes == 5 * 80 && st.window == 5 * 80,
	   "5 records in order, 400 bytes");

	/* A 1,005-byte path is kept whole. */
	char path[1006];
	memset(path, 'p', 1005);
	path[0] = '/';
	path[1005] = '\0';
	struct trec o = openat_rec(7, path, 200);
	tring_put(mem, &o);
	read_all(&v, &b, &st, false);
	{
		struct og_event *evs;
		size_t n;

		og_events_from_records(&b, &evs, &n);
		const struct og_cap *c = og_rec_cap_of_arg(evs[5].rec, 1);
		ok(n == 6 && c && c->len == 1006 && memcmp(og_cap_data(c), path, 1006) == 0,
		   "the 1,005-byte path is whole in the openat record");
		free(evs);
	}
	ok(h->head == 5 * 80 + trec_len(&o), "head counts bytes");
	og_rec_buf_free(&b);
	og_ring_close(&v);
	free(mem);
}

static void check_wrap(void)
{
	uint8_t *mem = tring_new(CHUNKS);
	struct og_ring_header *h = (void *)mem;
	struct og_rec_buf b = {};
	struct og_ring_read_stats st;
	struct og_ring_view v;
	/* 160 bytes: 204 of them fit a chunk, with 128 bytes to spare. */
	struct trec r = openat_rec(9, "/usr/lib/x86_64-linux-gnu/libog-0.so.1", 0);
	uint32_t len = trec_len(&r);
	uint64_t n = 0;

	og_ring_view_init(&v, mem, (CHUNKS + 1) * OG_ELEM_SIZE, "test");
	/* Write until the head is in the middle of a record of the third lap. */
	while (h->head < 2 * v.ring_bytes + OG_CHUNK_BYTES / 2) {
		r.ts = n++;
		tring_put(mem, &r);
	}
	read_all(&v, &b, &st, false);
	ok(st.torn == 0 && st.in_progress == 0, "wrapped ring: nothing torn (%llu)", (unsigned long long)st.torn);
	ok(st.record_bytes + st.pad_bytes == st.window, "records + pads fill the window (%llu + %llu = %llu)",
	   (unsigned long long)st.record_bytes, (unsigned long long)st.pad_bytes, (unsigned long long)st.window);
	ok(st.window > OG_CHUNK_BYTES && st.window <= v.ring_bytes, "window is between one chunk and the ring");
	ok(st.overwritten == h->head - st.window, "the rest counts as overwritten bytes");
	ok(st.records == st.record_bytes / len, "%llu records of %u bytes", (unsigned long long)st.records, len);
	{
		const struct og_rec *last = (const void *)(b.data + b.len - len);
		const struct og_rec *first = (const void *)b.data;

		ok(last->ts_ns == n - 1, "the newest record is the last written");
		ok(last->ts_ns - first->ts_ns + 1 == st.records,
		   "records are consecutive: none missing inside the window");
	}
	/* Each chunk boundary costs one record's length of pads, split between
	 * the chunk's end and the next one's start; the window spans two. */
	ok(len == 160 && st.pad_bytes < 2 * len && st.pad_bytes % 8 == 0,
	   "pads are what records did not fit at chunk ends (%llu)", (unsigned long long)st.pad_bytes);

	/* A follower that fell a lap behind resumes at the oldest whole chunk. */
	uint64_t from = 8;
	struct og_ring_read_stats st2 = {};
	b.len = 0;
	og_ring_read(&v, &from, &b, NULL, &st2);
	ok(st2.records == st.records && st2.overwritten == h->head - st.window - 8 && from == h->head,
	   "reading from an overwritten position skips to the window");
	og_rec_buf_free(&b);
	og_ring_close(&v);
	free(mem);
}

static void check_states(void)
{
	uint8_t *mem = tring_new(CHUNKS);
	struct og_ring_header *h = (void *)mem;
	struct og_rec_buf b = {};
	struct og_ring_read_stats st;
	struct og_ring_view v;
	struct og_event *evs;
	size_t n;

	og_ring_view_init(&v, mem, (CHUNKS + 1) * OG_ELEM_SIZE, "test");
	/* tid 1: a read that has not returned (ENTERED); tid 2: a read whose exit
	 * is being written (EXITING); tid 3: a read whose string was unreadable,
	 * completed by a standalone exit; tid 4: an exit whose enter is gone. */
	struct trec rd = {.tid = 1, .nr = 0, .nargs = 3, .state = OG_TAG_ENTERED, .ncaps = 1};
	rd.caps[0] = (struct tcap){.arg = 1, .kind = OG_ARG_BUF_OUT, .size = 64};
	tring_put(mem, &rd);
	rd.tid = 2;
	rd.state = OG_TAG_EXITING;
	rd.ret = 5;
	tring_put(mem, &rd);
	struct trec op = openat_rec(3, "", 10);
	op.state = OG_TAG_ENTERED;
	op.flags = OG_RF_RETRY;
	op.caps[0] = (struct tcap){.arg = 1, .kind = OG_ARG_STR, .flags = OG_CAP_UNREADABLE};
	tring_put(mem, &op);
	struct trec x = {.type = OG_REC_SYS_EXIT, .tid = 3, .nr = 257, .ts = 50, .ret = 4, .dur_ns = 40, .ncaps = 1};
	x.caps[0] = (struct tcap){.arg = 1, .kind = OG_ARG_STR, .flags = OG_CAP_RETRIED, .data = "/cold", .len = 6};
	tring_put(mem, &x);
	struct trec lone = {.type = OG_REC_SYS_EXIT, .tid = 4, .nr = 1, .ts = 60, .ret = -9, .flags = OG_RF_NO_TIME};
	tring_put(mem, &lone);

	read_all(&v, &b, &st, false);
	ok(st.records == 5 && st.torn == 0, "5 records read");
	og_events_from_records(&b, &evs, &n);
	ok(n == 4, "the standalone exit joins its syscall: 4 events (%zu)", n);
	ok(og_event_enter(&evs[0]) && !og_event_exit_sys(&evs[0]), "ENTERED: unfinished");
	ok(og_rec_state(evs[1].rec) == OG_TAG_ENTERED && !og_event_exit_sys(&evs[1]),
	   "EXITING is read as ENTERED: its exit part is not trusted yet");
	{
		uint64_t d = 0;
		const struct og_cap *c = og_rec_cap_of_arg(evs[2].exit, 1);

		ok(evs[2].exit && og_event_returned(&evs[2]) && og_event_exit_sys(&evs[2])->ret == 4 &&
			   og_event_duration(&evs[2], &d) && d == 40 && c && strcmp(og_cap_data(c), "/cold") == 0,
		   "standalone exit: return value, duration and the retried string");
	}
	ok(!og_event_enter(&evs[3]) && og_event_exit_sys(&evs[3])->ret == -9 && evs[3].last_of_thread,
	   "an exit whose enter is gone is its own event");
	free(evs);

	/* A record claimed but not written yet at the head. */
	uint64_t head = h->head;
	struct trec g = getppid_rec(5, 70);
	h->head += trec_len(&g);
	read_all(&v, &b, &st, true);
	ok(st.records == 5 && st.in_progress == 1, "follow: stops at the record being written");
	uint64_t from = 0;
	struct og_ring_read_stats st2 = {};
	b.len = 0;
	og_ring_read(&v, &from, &b, &(struct og_ring_read_opts){.wait_writing = true}, &st2);
	ok(from == head, "and resumes there");
	trec_write(tring_at(mem, head), head, &g);
	og_ring_read(&v, &from, &b, &(struct og_ring_read_opts){.wait_writing = true}, &st2);
	ok(st2.records == 6 && from == h->head, "gets it once written");

	/* A record being written whose tag says its length (an output record
	 * while sys_exit copies its bytes): a one-shot read walks past it to
	 * the record after it; a follower stops there. */
	{
		struct trec w = getppid_rec(5, 71), d = getppid_rec(5, 72);
		uint64_t h0 = h->head, wp = tring_put(mem, &w);

		tring_put(mem, &d);
		*(uint64_t *)tring_at(mem, wp) = og_tag(wp, trec_len(&w), OG_TAG_WRITING);
		read_all(&v, &b, &st, false);
		ok(st.records == 7 && st.in_progress == 1, "a record being written is passed over by its length (%llu)",
		   (unsigned long long)st.records);
		read_all(&v, &b, &st, true);
		ok(st.records == 6 && st.in_progress == 1, "and waited for by a follower");
		h->head = h0; /* the cases below count the ring without them */
	}

	/* A record overwritten between enter and exit: its tag names another
	 * position. The rest of its chunk cannot be walked; nothing is printed. */
	uint64_t *tag = (uint64_t *)tring_at(mem, 0);
	uint64_t saved = *tag;
	*tag = og_tag(v.ring_bytes, 128, OG_TAG_DONE);
	read_all(&v, &b, &st, false);
	ok(st.records == 0 && st.in_progress == 1, "a stale tag is not read as a record");
	*tag = saved;

	/* A record whose captures run past its end is refused. */
	struct og_rec *r0 = (struct og_rec *)tring_at(mem, 0);
	struct og_cap *c0 = (struct og_cap *)((uint8_t *)r0 + sizeof(struct og_rec) + sizeof(struct og_sys) + 3 * 8);
	c0->size = 4000;
	read_all(&v, &b, &st, false);
	ok(st.records == 5 && st.torn == 1, "a record whose capture overflows it is torn, not printed");
	c0->size = 64;

	/* og_ring_copy_done: a follower's second look at an unfinished syscall. */
	struct og_rec_buf one = {};
	ok(og_ring_copy_done(&v, 0, &one) == 0, "still running: not copied");
	r0->tag = (r0->tag & ~7ULL) | OG_TAG_DONE;
	ok(og_ring_copy_done(&v, 0, &one) == 1 && one.len == og_tag_len(r0->tag), "completed: copied");
	ok(og_ring_copy_done(&v, 8, &one) == -ENOENT, "not a record position: gone");
	og_rec_buf_free(&one);
	og_rec_buf_free(&b);
	og_ring_close(&v);
	free(mem);
}

static void check_crossing(void)
{
	uint8_t *mem = tring_new(CHUNKS);
	struct og_ring_header *h = (void *)mem;
	struct og_rec_buf b = {};
	struct og_ring_read_stats st;
	struct og_ring_view v;
	char big[3001];

	og_ring_view_init(&v, mem, (CHUNKS + 1) * OG_ELEM_SIZE, "test");
	memset(big, 'b', 3000);
	big[3000] = '\0';
	struct trec o = openat_rec(1, big, 0);
	uint32_t len = trec_len(&o);
	/* Fill the first chunk up to less than one record from its end. */
	while (h->head + len <= OG_CHUNK_BYTES)
		tring_put(mem, &o);
	uint64_t left = OG_CHUNK_BYTES - h->head;
	uint64_t p = tring_put(mem, &o);
	ok(p == OG_CHUNK_BYTES + (len - left), "a record that does not fit is claimed again past the pads");
	read_all(&v, &b, &st, false);
	ok(st.pad_bytes == left + (len - left) && st.records == OG_CHUNK_BYTES / len + 1 && st.torn == 0,
	   "two pads (%llu bytes) are skipped, every record read", (unsigned long long)st.pad_bytes);
	og_rec_buf_free(&b);
	og_ring_close(&v);
	free(mem);
}

static void check_headers(void)
{
	uint8_t *mem = tring_new(CHUNKS);
	struct og_ring_header *h = (void *)mem;
	size_t len = (CHUNKS + 1) * OG_ELEM_SIZE;
	struct og_ring_view v;

	h->version = 3;
	ok(og_ring_view_init(&v, mem, len, "test") == 0,
	   "a ring of format 3 reads (4 only added the skip bitmap, zero in a 3)");
	og_ring_close(&v);
	h->version = 2;
	ok(og_ring_view_init(&v, mem, len, "test") == -EPROTO, "a ring of format 2 is refused");
	{
		char versions[32];

		snprintf(versions, sizeof(versions), "reads versions 3 to %d", OG_RING_VERSION);
		ok(strstr(og_errmsg(), "format version 2") && strstr(og_errmsg(), versions),
		   "the error names the versions: %s", og_errmsg());
	}
	h->version = OG_RING_VERSION;
	h->magic = 0x1234;
	ok(og_ring_view_init(&v, mem, len, "test") == -EPROTO, "bad magic refused");
	h->magic = OG_RING_MAGIC;
	h->chunk_count = 3;
	h->chunk_mask = 2;
	ok(og_ring_view_init(&v, mem, len, "test") == -EPROTO, "non power of two refused");
	h->chunk_count = 1u << 31;
	h->chunk_mask = h->chunk_count - 1;
	ok(og_ring_view_init(&v, mem, len, "test") == -EPROTO, "a huge chunk count is refused before any arithmetic");
	h->chunk_count = 64;
	h->chunk_mask = 63;
	ok(og_ring_view_init(&v, mem, len, "test") == -EPROTO, "header larger than the map refused");
	h->chunk_count = CHUNKS;
	h->chunk_mask = CHUNKS - 1;
	h->elem_size = 512;
	ok(og_ring_view_init(&v, mem, len, "test") == -EPROTO, "another element size refused");
	ok(og_ring_view_init(&v, mem, 100, "test") == -EINVAL, "too small for a header");
	free(mem);

	uint32_t chunks;
	ok(og_ring_chunks_for_bytes(1 << 20, &chunks) == 0 && chunks == 32, "1 MiB = 32 chunks");
	ok(og_ring_chunks_for_bytes(3 << 20, &chunks) == 0 && chunks == 128, "3 MiB rounds up to 128 chunks");
	ok(og_ring_chunks_for_bytes(64 << 10, &chunks) == 0 && chunks == 2, "64 KiB = 2 chunks");
	ok(og_ring_chunks_for_bytes(1024, &chunks) == -ERANGE, "too small refused");
	ok(og_ring_chunks_for_bytes(1ULL << 30, &chunks) == -ERANGE, "1 GiB refused");
	ok(og_ring_chunks_at_most(64ULL << 20) == 2048 && og_ring_chunks_at_most(48ULL << 20) == 1024 &&
		   og_ring_chunks_at_most(64 << 10) == 2 && og_ring_chunks_at_most(60 << 10) == 0 &&
		   og_ring_chunks_at_most(1ULL << 40) == 8192,
	   "ring-size-max: rounded down to a power of two, within 64 KiB and 256 MiB");
	/* Measured against memcg charges: see oci-gadget.conf(5), MEMORY. */
	if (sysconf(_SC_PAGESIZE) == 4096)
		ok(og_ring_kernel_bytes(32) == 1228800 && og_ring_kernel_bytes(2) == 237568 &&
			   og_ring_kernel_bytes(8192) == 270704640,
		   "kernel memory of a ring: its elements (chunks, header, fd table) in pages and a page of header");

	ok(og_dur_decode(og_dur_encode(123)) == 123 && og_dur_decode(og_dur_encode(5000000123ULL)) == 5000000000ULL &&
		   og_dur_decode(og_dur_encode(3600ULL * 1000000000)) == 3600ULL * 1000000000,
	   "durations: ns exact below a second, then microseconds, milliseconds");
}

/* Format 3's record kinds pass the checks and pair with their thread's
 * syscall; a type this reader does not know is skipped and counted. */
static void check_kinds(void)
{
	uint8_t *mem = tring_new(CHUNKS);
	struct og_exit x = {.code = 9, .flags = OG_EXITF_GROUP_DEAD};
	struct og_signal sig = {.signo = 9, .what = OG_SIG_SENT};
	struct trec rd = {.tid = 7, .nr = 0, .ts = 100, .nargs = 3, .state = OG_TAG_ENTERED};
	struct trec sg = {.type = OG_REC_SIGNAL, .tid = 7, .nr = 9, .ts = 200, .body = &sig};
	struct trec ex = {.type = OG_REC_EXIT, .tid = 7, .ts = 300, .body = &x};
	struct trec alien = {.type = 42, .tid = 7, .ts = 250, .nargs = 2};
	struct og_ring_read_stats st;
	struct og_rec_buf b = {};
	struct og_ring_view v;
	struct og_event *evs;
	size_t n;

	og_ring_view_init(&v, mem, (CHUNKS + 1) * OG_ELEM_SIZE, "test");
	ok(trec_len(&sg) == 64 + 80 && trec_len(&ex) == 64 + 32, "a signal record is 144 bytes, an exit 96");
	tring_put(mem, &rd);
	tring_put(mem, &sg);
	tring_put(mem, &alien);
	tring_put(mem, &ex);
	read_all(&v, &b, &st, false);
	ok(st.records == 3 && st.unknown == 1 && st.torn == 0, "3 records read, the unknown type skipped and counted");
	og_events_from_records(&b, &evs, &n);
	ok(n == 3 && evs[0].died == evs[2].rec && evs[1].rec->type == OG_REC_SIGNAL,
	   "the read its thread died in points at the thread's exit, past the signal");
	free(evs);
	og_rec_buf_free(&b);
	og_ring_close(&v);
	free(mem);
}

/* Format 5 as the programs write it: thread records and compact syscall
 * records, unpacked into the same view; record numbers count what is lost. */
static void check_compact(void)
{
	uint8_t *mem = tring_new(CHUNKS);
	struct og_rec_buf b = {};
	struct og_ring_read_stats st;
	struct og_ring_view v;
	struct og_event *evs;
	size_t n;

	og_ring_view_init(&v, mem, (CHUNKS + 1) * OG_ELEM_SIZE, "test");
	struct trec who = {.tid = 4242, .tgid = 4240, .ts = 1000000};
	uint64_t thr = tring_put_thread(mem, &who, 1, 3, "nginx");
	struct trec op = openat_rec(4242, "/etc/hosts", 1000500);
	op.args[1] = 0x7ffd12345678ULL; /* 8 bytes */
	op.args[2] = 0x80000;		/* 4 bytes */
	op.args[3] = 0;			/* none */
	op.seq = 0;
	op.dur_ns = 1500;
	struct trec mm = {.tid = 4242, .nr = 9, .ts = 1002000, .nargs = 6, .ret = 0x7f1234560000LL, .seq = 1};
	mm.args[1] = 4096;
	mm.args[2] = 3;
	mm.args[3] = 0x22;
	mm.args[4] = (uint64_t)-1;
	struct trec odd = {.tid = 4242, .nr = 5000, .ts = 1003000, .ret = -38, .seq = 3, .flags = OG_RF_I386};
	struct trec rd = {.tid = 4242, .nr = 0, .ts = 1004000, .nargs = 3, .ret = 5, .ncaps = 1, .seq = 4};
	rd.args[0] = 7;
	rd.args[1] = 0x55aa00001000ULL;
	rd.args[2] = 64;
	rd.caps[0] = (struct tcap){.arg = 1, .kind = OG_ARG_BUF_OUT, .data = "hello", .len = 5, .size = 64};
	uint64_t p_op = tring_put_compact(mem, &op, thr, who.ts, 0);
	uint64_t p_mm = tring_put_compact(mem, &mm, thr, who.ts, 1);
	tring_put_compact(mem, &odd, thr, who.ts, OG_CPU_IN_THREAD);
	tring_put_compact(mem, &rd, thr, who.ts, 1);
	ok(trec_len(&op) - 16 - 8 == 112 && p_mm - p_op - 16 - 8 == 48,
	   "the openat's whole record has 112 bytes before its capture, the compact one 48");
	read_all(&v, &b, &st, false);
	ok(st.records == 4 && st.threads == 1 && st.torn == 0 && st.unnamed == 0,
	   "4 compact records read, named by 1 thread record");
	ok(st.lost_records == 1, "record number 2 is missing: 1 record lost (%llu)",
	   (unsigned long long)st.lost_records);
	og_events_from_records(&b, &evs, &n);
	ok(n == 4, "4 events");
	{
		const struct og_rec *r = evs[0].rec;
		const struct og_cap *c = og_rec_cap_of_arg(r, 1);
		const __u64 *a = og_rec_args(r);
		uint64_t d = 0;

		ok(r->tid == 4242 && r->tgid == 4240 && r->ns_tgid == 1 && r->ns_tid == 3 &&
			   strcmp(r->comm, "nginx") == 0 && r->cpu == 0 && r->ts_ns == 1000500 && r->nr == 257 &&
			   r->type == OG_REC_SYSCALL,
		   "the thread record names the compact record: pids, container pids, comm, cpu, time");
		ok(r->nargs == 4 && a[0] == (uint64_t)-100 && a[1] == 0x7ffd12345678ULL && a[2] == 0x80000 && a[3] == 0,
		   "arguments of every class come back whole (AT_FDCWD sign-extended)");
		ok(og_event_exit_sys(&evs[0])->ret == 3 && og_event_duration(&evs[0], &d) && d == 1500 && c &&
			   strcmp(og_cap_data(c), "/etc/hosts") == 0,
		   "return, duration and the path");
	}
	ok(og_event_exit_sys(&evs[1])->ret == 0x7f1234560000LL && og_rec_args(evs[1].rec)[4] == (uint64_t)-1 &&
		   evs[1].rec->cpu == 1,
	   "a 64-bit return (mmap) and a -1 argument");
	ok(evs[2].rec->nr == 5000 && og_event_exit_sys(&evs[2])->ret == -38 && evs[2].rec->nargs == 0 &&
		   evs[2].rec->cpu == 1 && (evs[2].rec->flags & OG_RF_I386),
	   "a syscall number past 1022, flags, and the thread record's cpu");
	{
		const struct og_cap *c = og_rec_cap_of_arg(evs[3].rec, 1);
		const struct og_sys *sys = (const void *)(evs[3].rec + 1);

		ok(c && c->len == 5 && c->size == 64 && memcmp(og_cap_data(c), "hello", 5) == 0 && sys->out_off &&
			   (const uint8_t *)evs[3].rec + sys->out_off == (const uint8_t *)c,
		   "the output buffer, found again by out_off");
	}
	free(evs);

	/* Read again from where it stopped: records still named by the thread
	 * record the first read saw; one whose thread record is not there is
	 * skipped and lost. */
	uint64_t from = ((struct og_ring_header *)mem)->head;
	struct trec gp = getppid_rec(4242, 1005000);
	gp.seq = 5;
	tring_put_compact(mem, &gp, thr, who.ts, 1);
	gp.seq = 6;
	tring_put_compact(mem, &gp, thr + 8, who.ts, 1);
	b.len = 0;
	og_ring_read(&v, &from, &b, NULL, &st);
	ok(st.records == 5 && st.unnamed == 1 && st.lost_records == 2,
	   "a later read: named from before, one unnamed, lost so far 2 (%llu, %llu, %llu)",
	   (unsigned long long)st.records, (unsigned long long)st.unnamed, (unsigned long long)st.lost_records);
	{
		struct og_rec_buf one = {};
		uint64_t *tag = (uint64_t *)tring_at(mem, og_rec_pos((const struct og_rec *)b.data));

		ok(og_ring_copy_done(&v, og_tag_pos(*tag), &one) == 1 &&
			   ((const struct og_rec *)one.data)->ts_ns == 1005000,
		   "copy_done unpacks a compact record too");
		og_rec_buf_free(&one);
	}
	og_rec_buf_free(&b);
	og_ring_close(&v);
	free(mem);
}

/* A ring of format 4 (a crash file's records, or an older tracer's) is
 * unpacked into the same view. */
static void check_format4(void)
{
	uint8_t *mem = tring_new(CHUNKS);
	struct og_ring_header *h = (void *)mem;
	struct og_rec_buf b = {};
	struct og_ring_read_stats st;
	struct og_ring_view v;
	uint32_t len = sizeof(struct og_rec4) + sizeof(struct og_sys) + 8 + 8 + 8;
	uint64_t p;

	h->version = 4;
	og_ring_view_init(&v, mem, (CHUNKS + 1) * OG_ELEM_SIZE, "test");
	p = tring_claim(mem, len);
	{
		uint8_t *at = tring_at(mem, p);
		struct og_rec4 *o = (void *)at;
		struct og_sys *sys = (void *)(o + 1);
		struct og_cap *c = (void *)(at + sizeof(*o) + sizeof(*sys) + 8);

		memset(at, 0, len);
		*o = (struct og_rec4){.tag = og_tag(p, len, OG_TAG_DONE),
				      .ts_ns = 77,
				      .tgid = 5,
				      .tid = 6,
				      .nr = 0,
				      .type = OG_REC_SYSCALL,
				      .nargs = 1,
				      .ncaps = 1,
				      .cpu = 1};
		strcpy(o->comm, "old");
		*sys = (struct og_sys){.ret = 4, .out_off = sizeof(*o) + sizeof(*sys) + 8};
		*c = (struct og_cap){.arg = 1, .kind = OG_ARG_BUF_OUT, .len = 4, .size = 8};
		memcpy(c + 1, "abcd", 4);
	}
	read_all(&v, &b, &st, false);
	{
		const struct og_rec *r = (const void *)b.data;
		const struct og_sys *sys = (const void *)(r + 1);
		const struct og_cap *c = og_rec_cap_of_arg(r, 1);

		ok(st.records == 1 && r->tid == 6 && r->tgid == 5 && r->ts_ns == 77 && strcmp(r->comm, "old") == 0 &&
			   r->ns_tid == 0 && sys->ret == 4 && c && memcmp(og_cap_data(c), "abcd", 4) == 0 &&
			   (const uint8_t *)r + sys->out_off == (const uint8_t *)c && og_tag_len(r->tag) == len + 16,
		   "a format 4 record reads through the view, 16 bytes longer, its out_off moved");
	}
	og_rec_buf_free(&b);
	og_ring_close(&v);
	free(mem);
}

/* The record of the view at position pos in b, NULL when not there. */
static const struct og_rec *view_at(const struct og_rec_buf *b, uint64_t pos)
{
	for (size_t off = 0; off < b->len; off += og_tag_len(((const struct og_rec *)(b->data + off))->tag))
		if (og_rec_pos((const struct og_rec *)(b->data + off)) == pos)
			return (const struct og_rec *)(b->data + off);
	return NULL;
}

/* A read(2) of up to 64 bytes into 0x5000 as format 6's sys_enter writes
 * it: its buffer's capture kept apart. */
static struct trec apart_read(uint32_t seq, uint64_t ts)
{
	struct trec t = {.tid = 4242, .nr = 0, .ts = ts, .nargs = 3, .ret = 11, .seq = seq, .state = OG_TAG_ENTERED};

	t.args[0] = 5;
	t.args[1] = 0x5000;
	t.args[2] = 64;
	t.ncaps = 1;
	t.caps[0] = (struct tcap){.arg = 1, .kind = OG_ARG_BUF_OUT, .flags = OG_CAP_APART, .len = 64};
	return t;
}

/* The capture of the read at pos in b: the view's, with no OG_CAP_APART
 * left (og_rec_check refuses one). */
static const struct og_cap *apart_cap(const struct og_rec_buf *b, uint64_t pos)
{
	const struct og_rec *r = view_at(b, pos);

	return r && og_rec_check(r, og_tag_len(r->tag)) == 0 ? og_rec_cap_of_arg(r, 1) : NULL;
}

/* Format 6: a compact record's output kept apart in an output record,
 * spliced into the view; what the reader does when it cannot be. */
static void check_output(void)
{
	uint8_t *mem = tring_new(CHUNKS);
	struct og_ring_header *h = (void *)mem;
	struct og_rec_buf b = {};
	struct og_ring_read_stats st;
	struct og_ring_view v;
	struct trec who = {.tid = 4242, .tgid = 4240, .ts = 1000};
	struct trec gp = getppid_rec(4242, 0);
	uint64_t thr, p[8], o[8];
	uint32_t seq = 0;

	og_ring_view_init(&v, mem, (CHUNKS + 1) * OG_ELEM_SIZE, "test");
	thr = tring_put_thread(mem, &who, 1, 1, "srv");
	/* 0: returned 11 bytes, more than it kept; a getppid of another
	 * thread claimed between its enter and its exit. */
	struct trec rd = apart_read(seq++, 1100);
	p[0] = tring_put_compact(mem, &rd, thr, who.ts, 1);
	gp.seq = seq++;
	tring_put_compact(mem, &gp, thr, who.ts, 1);
	o[0] = tring_put_output(mem, p[0], 0, "hello world", 11, OG_CAP_TRUNCATED, false);
	/* 1: not returned yet. */
	rd = apart_read(seq++, 1200);
	p[1] = tring_put_compact(mem, &rd, thr, who.ts, 1);
	/* 2: returned nothing; 3: no room for its output record. */
	rd = apart_read(seq++, 1300);
	p[2] = tring_put_compact(mem, &rd, thr, who.ts, 1);
	tring_put_output(mem, p[2], 0, NULL, 0, 0, false);
	rd = apart_read(seq++, 1400);
	p[3] = tring_put_compact(mem, &rd, thr, who.ts, 1);
	tring_put_output(mem, p[3], 0, "x", 1, 0, true);
	/* 4..7: returned bytes whose output record is then overwritten, links
	 * back elsewhere, is another argument's, or is being written. */
	for (int i = 4; i < 8; i++) {
		rd = apart_read(seq++, 1000 + 100 * i);
		p[i] = tring_put_compact(mem, &rd, thr, who.ts, 1);
		o[i] = tring_put_output(mem, p[i], 0, "lost bytes", 10, 0, false);
	}
	/* Overwritten: the link finds another record where it was. */
	tring_compact_cap(mem, p[4], 0)->len = (p[5] - p[4]) >> 3;
	((struct og_rec_out *)tring_at(mem, o[5]))->back++;
	((struct og_cap *)((struct og_rec_out *)tring_at(mem, o[6]) + 1))->arg = 2;
	*(uint64_t *)tring_at(mem, o[7]) = og_tag(o[7], 40, OG_TAG_WRITING);

	read_all(&v, &b, &st, false);
	{
		const struct og_rec *r = view_at(&b, p[0]);
		const struct og_sys *sys = r ? (const void *)(r + 1) : NULL;
		const struct og_cap *c = apart_cap(&b, p[0]);

		ok(c && c->len == 11 && c->size == 11 && c->flags == OG_CAP_TRUNCATED && c->kind == OG_ARG_BUF_OUT &&
			   memcmp(og_cap_data(c), "hello world", 11) == 0,
		   "the output record's bytes are in the view, its flags carried");
		ok(sys && sys->out_off && (const uint8_t *)r + sys->out_off == (const uint8_t *)c &&
			   og_tag_len(r->tag) == 64 + 16 + 3 * 8 + 8 + 16 && sys->ret == 11,
		   "out_off points at them, the view is as long as a record that held them");
	}
	ok(st.records == 9 && st.outputs == 4 && st.torn == 0 && st.unknown == 0 && st.lost_records == 0 &&
		   st.in_progress == 1,
	   "output records are walked over: 9 records, 4 outputs, none lost (%llu, %llu, %llu)",
	   (unsigned long long)st.records, (unsigned long long)st.outputs, (unsigned long long)st.lost_records);
	{
		const struct og_cap *c = apart_cap(&b, p[1]);

		ok(c && c->len == 0 && c->size == 0 && c->flags == 0 &&
			   og_rec_state(view_at(&b, p[1])) == OG_TAG_ENTERED,
		   "not returned yet: an empty capture, not apart");
		c = apart_cap(&b, p[2]);
		ok(c && c->len == 0 && c->size == 0 && c->flags == 0, "returned nothing: an empty capture");
		c = apart_cap(&b, p[3]);
		ok(c && c->len == 0 && c->flags == (OG_CAP_LOST | OG_CAP_UNREADABLE),
		   "no room for the output: lost, shown as unreadable");
	}
	for (int i = 4; i < 7; i++) {
		const struct og_cap *c = apart_cap(&b, p[i]);
		static const char *const why[] = {"overwritten", "linking back elsewhere", "of another argument"};

		ok(c && c->len == 0 && c->size == 0 && c->count == 0 && c->flags == (OG_CAP_LOST | OG_CAP_UNREADABLE),
		   "an output record %s: the capture is lost, the record read", why[i - 4]);
	}
	/* The walk passed over the output record being written; the read
	 * linking to it is before it. */
	{
		const struct og_cap *c = apart_cap(&b, p[7]);

		ok(c && c->flags == (OG_CAP_LOST | OG_CAP_UNREADABLE), "an output record being written: lost");
	}
	*(uint64_t *)tring_at(mem, o[7]) = og_tag(o[7], 40, OG_TAG_DONE);

	/* A link past the head, and one of the most the format holds. */
	{
		struct og_cap *k = tring_compact_cap(mem, p[2], 0);

		k->flags |= OG_CAP_APART;
		k->count = 0;
		k->len = 0;
		read_all(&v, &b, &st, false);
		ok(apart_cap(&b, p[2]) && apart_cap(&b, p[2])->flags == 0, "a DONE record linking nowhere (0): empty");
		k->len = 0xffff;
		k->count = 0xff;
		read_all(&v, &b, &st, false);
		ok(apart_cap(&b, p[2]) && apart_cap(&b, p[2])->flags == (OG_CAP_LOST | OG_CAP_UNREADABLE),
		   "a link past the head: lost");
		k->flags &= ~OG_CAP_APART;
		k->count = k->len = 0;
	}

	/* A follower printed the unfinished read; it returns later. */
	{
		struct og_rec_buf one = {};
		const struct og_cap *c;

		ok(og_ring_copy_done(&v, p[1], &one) == 0, "follow: the read in progress is not copied");
		tring_put_output(mem, p[1], 0, "late", 4, 0, false);
		ok(og_ring_copy_done(&v, p[1], &one) == 1, "follow: once it returned, it is copied");
		c = one.len ? og_rec_cap_of_arg((const void *)one.data, 1) : NULL;
		ok(c && c->len == 4 && memcmp(og_cap_data(c), "late", 4) == 0, "with its output");
		og_rec_buf_free(&one);
	}

	/* An output record claimed past a chunk's end: after the pads, in
	 * the next chunk. The chunk filled (a pad) up to 32 bytes after
	 * where the read (56 bytes) ends: too few for its output (40). */
	{
		uint32_t left = OG_CHUNK_BYTES - h->head % OG_CHUNK_BYTES - 56 - 32;
		uint64_t fill = tring_claim(mem, left), q;
		const struct og_cap *c;

		*(uint64_t *)tring_at(mem, fill) = og_tag(fill, left, OG_TAG_PAD);
		rd = apart_read(seq++, 3000);
		p[0] = tring_put_compact(mem, &rd, thr, who.ts, 1);
		q = tring_put_output(mem, p[0], 0, "next chunk", 10, 0, false);
		ok(p[0] + 56 + 32 == OG_CHUNK_BYTES && q == OG_CHUNK_BYTES + 8,
		   "the read ends its chunk, its output record is in the next, after the pads (%llu, %llu)",
		   (unsigned long long)p[0], (unsigned long long)q);
		read_all(&v, &b, &st, false);
		c = apart_cap(&b, p[0]);
		ok(c && c->len == 10 && memcmp(og_cap_data(c), "next chunk", 10) == 0 && st.torn == 0 &&
			   st.lost_records == 0 && st.in_progress == 0,
		   "and is read all the same");
		ok(st.record_bytes + st.skipped_bytes + st.pad_bytes == st.window && st.outputs == 7,
		   "records, thread and output records and pads fill the window (%llu outputs)",
		   (unsigned long long)st.outputs);
	}
	og_rec_buf_free(&b);
	og_ring_close(&v);
	free(mem);
}

int main(void)
{
	check_kinds();
	check_compact();
	check_format4();
	check_output();
	check_basic();
	check_wrap();
	check_states();
	check_crossing();
	check_headers();
	return tap_done();
}
