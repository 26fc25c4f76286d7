// Uprobe event records: the kind table, events beside syscalls, text and
// JSON, the leak report, kernel symbol lookup.
#include "config.h"
#include "og_ksyms.h"
#include "og_leaks.h"
#include "og_print.h"
#include "og_events.h"
#include "og_util.h"
#include "print-check.h"
#include "ring-build.h"
#include "tap.h"

#include <errno.h>

/* An event record: kind, process, and its OG_EA_* words. */
static const struct og_rec *ev(struct og_rec_buf *b, uint32_t kind, uint32_t pid, uint64_t size, uint64_t addr,
			       uint64_t old, int64_t stack, const char *cap, uint8_t cap_kind)
{
	struct trec t = {.type = OG_REC_EVENT, .nr = kind, .tgid = pid, .tid = pid, .ts = 1000, .nargs = OG_NARGS};

	t.args[OG_EA_SIZE] = size;
	t.args[OG_EA_ADDR] = addr;
	t.args[OG_EA_OLD] = old;
	t.args[OG_EA_STACK] = (uint64_t)stack;
	t.args[OG_EA_DURATION] = 1500;
	if (cap) {
		t.ncaps = 1;
		t.caps[0] = (struct tcap){
			.arg = 1, .kind = cap_kind, .data = cap, .len = strlen(cap) + (cap_kind == OG_ARG_STR)};
	}
	return trec_append(b, &t);
}

static __u64 *args_of(const struct og_rec *r)
{
	return (__u64 *)og_rec_args(r);
}

static void check_print(void)
{
	struct og_rec_buf b = {};
	struct og_event *evs, e1;
	size_t n;

	ok(og_event_kinds_check() == 0, "every kind row passes og_event_kinds_check: %s", og_errmsg());
	trec_append(&b, &(struct trec){.tid = 7, .nr = 0, .nargs = 3, .state = OG_TAG_ENTERED});
	ev(&b, OG_EV_MALLOC, 7, 100, 0x1000, 0, 3, NULL, 0);
	trec_append(&b, &(struct trec){.type = OG_REC_SYS_EXIT, .tid = 7, .nr = 0, .ret = 1});
	og_events_from_records(&b, &evs, &n);
	ok(n == 2 && og_event_enter(&evs[0]) && evs[0].exit && og_event_is_probe(&evs[1]),
	   "an event between a syscall's enter and its standalone exit is its own line");
	is_str(og_event_name(&evs[1]), "malloc", "event name");
	is_str(og_event_name(&evs[0]), "syscall", "syscalls are events named syscall");

	renders(0, NULL, &evs[1], "text", "malloc(size=100) = 0x1000 <0.000002>", "[ustack 3]", NULL);
	renders(1, NULL, &evs[1], "json", "\"event\":\"malloc\"", "\"size\":100", "\"addr\":4096", "\"stack_id\":3",
		"\"duration_ns\":1500", NULL);
	free(evs);

	b.len = 0;
	const struct og_rec *gc = ev(&b, OG_EV_GC_PYTHON, 7, 2, 0, 0, -1, NULL, 0);
	args_of(gc)[OG_EA_RET] = 17;
	args_of(gc)[OG_EA_DURATION] = 250000;
	e1 = (struct og_event){.rec = gc};
	renders(1, NULL, &e1, "gc json", "\"event\":\"gc\"", "\"runtime\":\"python\"", "\"generation\":2",
		"\"collected\":17", "\"duration_ns\":250000", NULL);
	renders(0, NULL, &e1, "gc text", "gc[python](generation=2) collected=17 <0.000250>", NULL);

	b.len = 0;
	const struct og_rec *jgc = ev(&b, OG_EV_GC_JAVA, 7, 1, 0, 0, -1, NULL, 0);
	e1 = (struct og_event){.rec = jgc};
	renders(1, NULL, &e1, "java gc json", "\"runtime\":\"java\"", "\"full\":true", "!collected", NULL);

	b.len = 0;
	e1 = (struct og_event){.rec = ev(&b, OG_EV_THROW, 7, 0, 0xabc, 0, -1, "St13runtime_error", OG_ARG_STR)};
	renders(1, NULL, &e1, "throw json", "\"event\":\"throw\"", "\"type\":\"St13runtime_error\"", "!duration", NULL);
	renders(0, NULL, &e1, "throw text", "throw(obj=0xabc, type=\"St13runtime_error\")\n", NULL);

	b.len = 0;
	const struct og_rec *ssl = ev(&b, OG_EV_SSL_WRITE, 7, 11, 0, 0, -1, "hello there", OG_ARG_BUF_IN);
	args_of(ssl)[OG_EA_RET] = 11;
	e1 = (struct og_event){.rec = ssl};
	renders(1, NULL, &e1, "ssl json", "\"event\":\"ssl_write\"", "\"lib\":\"openssl\"", "\"direction\":\"write\"",
		"\"plaintext\":{\"str\":\"hello there\"}", "\"ret\":11", NULL);
	renders(0, NULL, &e1, "ssl text", "ssl_write[openssl](size=11, plaintext=\"hello there\") = 11 <0.000002>",
		NULL);

	ok(og_event_name_known("gc") && og_event_name_known("syscall") && !og_event_name_known("gc_start") &&
		   !og_event_name_known("nosuch"),
	   "--event names: from the table, internal kinds hidden");
	ok(strstr(og_event_names(), "ssl_write") && !strstr(og_event_names(), "gc_start"), "names list: %s",
	   og_event_names());
	og_rec_buf_free(&b);
}

/* Threads past the table's first size (it grows with them): each one's
 * enter still takes its own standalone exit, and its last record is
 * marked last. */
static void check_many_threads(void)
{
	enum { THREADS = 300 };
	struct og_rec_buf b = {};
	struct og_event *evs;
	size_t n;
	int paired = 0, last = 0;

	for (uint32_t t = 0; t < THREADS; t++)
		trec_append(&b, &(struct trec){.tid = 1000 + t * 7, .nr = 0, .nargs = 3, .state = OG_TAG_ENTERED});
	for (uint32_t t = THREADS; t-- > 0;)
		trec_append(&b, &(struct trec){.type = OG_REC_SYS_EXIT, .tid = 1000 + t * 7, .nr = 0, .ret = t});
	for (uint32_t t = 0; t < THREADS; t += 2)
		trec_append(&b, &(struct trec){.tid = 1000 + t * 7, .nr = 39, .ret = 5});
	ok(og_events_from_records(&b, &evs, &n) == 0 && n == THREADS + THREADS / 2, "%d threads: %zu events", THREADS,
	   n);
	for (size_t i = 0; i < THREADS && i < n; i++)
		paired += evs[i].exit && evs[i].exit->tid == evs[i].rec->tid &&
			  og_rec_sys(evs[i].exit)->ret == (int64_t)i;
	for (size_t i = 0; i < n; i++)
		last += evs[i].last_of_thread &&
			(i >= THREADS || (evs[i].rec->tid - 1000) / 7 % 2 == 1); /* odd threads end at their first */
	ok(paired == THREADS, "every enter took its own thread's exit (%d of %d)", paired, THREADS);
	ok(last == THREADS, "one last record per thread, the right one (%d of %d)", last, THREADS);
	free(evs);
	og_rec_buf_free(&b);
}

/* A probe's duration as " <%.6f>" of its seconds, whatever the ns: ties
 * at half a microsecond and values past what the integer path takes. */
static void check_durations(void)
{
	static const uint64_t ns[] = {0,
				      1,
				      499,
				      500,
				      501,
				      1500,
				      2500,
				      999999,
				      999999500,
				      1000000500,
				      123456789012ULL,
				      (1ULL << 50) - 1,
				      1ULL << 50,
				      UINT64_MAX};
	struct og_rec_buf b = {};
	int bad = 0;

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		const struct og_rec *gc = ev(&b, OG_EV_GC_PYTHON, 7, 2, 0, 0, -1, NULL, 0);
		struct og_event e = {.rec = gc};
		char want[64], *s;

		args_of(gc)[OG_EA_DURATION] = ns[i];
		snprintf(want, sizeof(want), " <%.6f>\n", (double)ns[i] / 1e9);
		s = render(0, NULL, &e);
		if (!s || !strstr(s, want)) {
			bad++;
			printf("#   %llu ns: '%s', want '%s'\n", (unsigned long long)ns[i], s ? s : "", want);
		}
		free(s);
		b.len = 0;
	}
	ok(bad == 0, "durations as printf's %%.6f of their seconds (%d differ)", bad);
	og_rec_buf_free(&b);
}

static void check_leaks(void)
{
	struct og_rec_buf b = {};
	struct og_event *e;
	struct og_leak_report rep;
	size_t n;

	ev(&b, OG_EV_MALLOC, 1, 100, 0xa0, 0, 5, NULL, 0);
	ev(&b, OG_EV_MALLOC, 1, 200, 0xb0, 0, 5, NULL, 0);
	ev(&b, OG_EV_FREE, 1, 0, 0xa0, 0, -1, NULL, 0);
	ev(&b, OG_EV_MALLOC, 2, 300, 0xa0, 0, 6, NULL, 0); /* same address, another process */
	ev(&b, OG_EV_REALLOC, 1, 250, 0xc0, 0xb0, 7, NULL, 0);
	ev(&b, OG_EV_FREE, 1, 0, 0xdead, 0, -1, NULL, 0);  /* allocated before the ring's start */
	ev(&b, OG_EV_CALLOC, 1, 40, 0, 0, 8, NULL, 0);	   /* failed: NULL */
	ev(&b, OG_EV_MMAP, 1, 4096, 0xe0, 0, -1, NULL, 0); /* not counted */
	ev(&b, OG_EV_POSIX_MEMALIGN, 1, 64, 0xf0, 0, 9, NULL, 0);
	ev(&b, OG_EV_POSIX_MEMALIGN, 1, 64, 0xf8, 0, 9, NULL, 0);
	ev(&b, OG_EV_FREE, 1, 0, 0, 0, -1, NULL, 0); /* free(NULL) */
	og_events_from_records(&b, &e, &n);
	args_of(e[9].rec)[OG_EA_RET] = 12; /* ENOMEM: nothing allocated */
	ok(og_leaks_compute(e, n, &rep) == 0, "leak report computed");
	ok(rep.count == 3 && rep.bytes == 300 + 250 + 64,
	   "outstanding: pid 2's block, the realloc'd one, the aligned one (%llu in %llu)",
	   (unsigned long long)rep.bytes, (unsigned long long)rep.count);
	ok(rep.unmatched_frees == 1, "a free of a block allocated before the ring started is counted apart");
	ok(rep.ngroups == 3 && rep.groups[0].stack_id == 6 && rep.groups[0].pid == 2 && rep.groups[1].stack_id == 7,
	   "grouped by stack, largest first");
	og_leaks_free(&rep);
	free(e);

	/* The stack word carries a hash of the frames beside the id: printed
	 * as the id; one id with two stacks (reused once maps/ustacks was
	 * full) is two groups, each with its check. */
	{
		const __u64 st1[] = {0x401000, 0x401100, 0x402000, 0}, st2[] = {0x401000, 0x401100, 0x403000, 0};

		ok(og_ustack_hash(st1, 32) != og_ustack_hash(st2, 32) && og_ustack_hash(st1, 32) != 0 &&
			   og_ustack_hash(st1, 3) == og_ustack_hash(st1, 32) &&
			   og_ustack_hash(st1, 2) != og_ustack_hash(st1, 3),
		   "the hash covers every frame (two stacks sharing their first two frames differ), up to the first "
		   "zero");
		b.len = 0;
		ev(&b, OG_EV_MALLOC, 1, 100, 0xa0, 0, (int64_t)og_ustack_word(4, og_ustack_hash(st1, 32)), NULL, 0);
		ev(&b, OG_EV_MALLOC, 1, 100, 0xb0, 0, (int64_t)og_ustack_word(4, og_ustack_hash(st2, 32)), NULL, 0);
	}
	og_events_from_records(&b, &e, &n);
	renders(0, NULL, &e[0], "the stack word prints as its id", "[ustack 4]", NULL);
	renders(1, NULL, &e[0], "json stack_id is the id", "\"stack_id\":4}", NULL);
	ok(og_leaks_compute(e, n, &rep) == 0 && rep.ngroups == 2 && rep.groups[0].stack_id == 4 &&
		   rep.groups[1].stack_id == 4 && rep.groups[0].stack_check != rep.groups[1].stack_check,
	   "one id, two stacks: two groups, checks kept");
	ok(og_ustack_id(og_ustack_word(-14, 0x1234)) == -1 && og_ustack_check(og_ustack_word(-14, 0x1234)) == 0,
	   "an error stays negative: no stack, no check");
	og_leaks_free(&rep);
	free(e);
	og_rec_buf_free(&b);
}

/* What gadget-tracer gives the uprobe programs of each kind, from its row. */
static void check_kind_desc(void)
{
	struct og_kind_desc d;
	uint32_t fams;
	char buf[64];

	og_event_kind_desc(OG_EV_CALLOC, &d);
	ok(d.family == OG_FAM_MALLOC && (d.flags & OG_EK_RETURNS) && d.from[OG_EA_SIZE] == OG_FROM_PRODUCT(0, 1) &&
		   d.from[OG_EA_ADDR] == OG_FROM_RET && !d.from[OG_EA_OLD] && !d.from[OG_EA_STACK] && !d.usdt_args,
	   "calloc: size is nmemb * size, the address its return");
	og_event_kind_desc(OG_EV_POSIX_MEMALIGN, &d);
	ok(d.from[OG_EA_ADDR] == OG_FROM_STORED(0) && d.from[OG_EA_RET] == OG_FROM_RET &&
		   d.from[OG_EA_SIZE] == OG_FROM_ARG(2),
	   "posix_memalign: the address is what it stored through its first argument");
	og_event_kind_desc(OG_EV_SSL_READ_EX, &d);
	ok(d.family == OG_FAM_SSL && (d.flags & OG_EK_COUNT_ARG4) && d.capture == OG_CAPTURE_RETURNED(1),
	   "SSL_read_ex: its count through arg 4, plaintext from arg 1");
	og_event_kind_desc(OG_EV_GC_START, &d);
	ok((d.flags & OG_EK_INTERNAL) && d.usdt_args == 1, "gc start: keeps the argument its ends read (%#x)",
	   d.usdt_args);
	og_event_kind_desc(OG_EV_GC_JAVA, &d);
	ok(d.start == OG_EV_GC_START && d.from[OG_EA_SIZE] == OG_FROM_START(0) && d.usdt_args == 0,
	   "java gc end: reads its start's argument, none of its own");
	og_event_kind_desc(OG_EV_THROW, &d);
	ok(d.capture == OG_CAPTURE_TYPE_NAME(1) && d.usdt_args == 3, "throw: the object and the type's name");
	og_event_kind_desc(0, &d);
	ok(d.family == 0, "kind 0: no family, records nothing");
	og_event_kind_desc(OG_EV_MAX, &d);
	ok(d.family == 0, "past the last kind: no family");
	ok(og_lib(OG_LIB_LIBC) && strcmp(og_lib(OG_LIB_LIBC)->sonames[0], "libc.so.6") == 0 && !og_lib(OG_LIBS),
	   "library groups");
	ok(og_family(OG_FAM_GC) && og_family(OG_FAM_GC)->runtimes && !og_family(OG_FAM_MALLOC | OG_FAM_SSL),
	   "family rows");
	is_str(og_families_list(), "malloc, ssl, gc, exceptions", "the families a user may name");
	ok(og_families_parse("malloc,nosuch", &fams) == -EINVAL &&
		   strstr(og_errmsg(), "(malloc, ssl, gc, exceptions, all, none)"),
	   "an unknown family lists the known ones: %s", og_errmsg());
	is_str(og_families_name(OG_FAM_ALL, buf, sizeof(buf)), "malloc,ssl,gc,exceptions", "all, named");
}

static void check_ksyms(void)
{
	struct og_ksyms ks;
	char buf[128];
	char *text = strdup("ffffffff81000000 T _stext\n"
			    "ffffffff81000100 t helper\n"
			    "ffffffff81000080 D some_data\n"
			    "ffffffffc0000000 t mod_fn\t[mod]\n");
	char *zeros = strdup("0000000000000000 T a\n0000000000000000 T b\n");

	ok(og_ksyms_parse(text, &ks) == 0 && ks.n == 3, "kallsyms: functions only (%zu)", ks.n);
	is_str(og_ksyms_format(&ks, 0xffffffff81000104ULL, buf, sizeof(buf)), "helper+0x4", "symbol+offset");
	is_str(og_ksyms_format(&ks, 0xffffffffc0000010ULL, buf, sizeof(buf)), "mod_fn+0x10", "module symbol");
	is_str(og_ksyms_format(&ks, 0x1000, buf, sizeof(buf)), "0x1000", "below every symbol: the address");
	og_ksyms_free(&ks);
	ok(og_ksyms_parse(zeros, &ks) == -EPERM && strstr(og_errmsg(), "CAP_SYSLOG"),
	   "kallsyms without addresses says why");
}

int main(void)
{
	check_print();
	check_many_threads();
	check_durations();
	check_leaks();
	check_kind_desc();
	check_ksyms();
	return tap_done();
}
