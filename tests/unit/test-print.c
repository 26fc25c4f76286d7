// Events from records and their formatting: strace-style text and JSON Lines.
#include "config.h"
#include "og_print.h"
#include "og_decode.h"
#include "og_syscalls.h"
#include "og_util.h"
#include "print-check.h"
#include "ring-build.h"
#include "tap.h"
#include "tracefs-build.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>

/* One test: what fn prints is want. */
static void prints(void (*fn)(FILE *), const char *want, const char *what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	fn(m);
	fclose(m);
	is_str(buf, want, "%s", what);
	free(buf);
}

static void esc(FILE *m)
{
	og_print_escaped(m, "a\"b\\\n\x01\xff", 7);
}
static void flags1(FILE *m)
{
	char buf[OG_DECODE_MAX];
	og_decode_open_flags(O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, buf, sizeof(buf));
	fputs(buf, m);
}
static void flags2(FILE *m)
{
	char buf[OG_DECODE_MAX];
	og_decode_open_flags(O_RDONLY | 0x40000000, buf, sizeof(buf));
	fputs(buf, m);
}
static void sa_in(FILE *m)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(8080)};
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	og_print_sockaddr(m, &in, sizeof(in));
}

static struct og_event *events(struct og_rec_buf *b, size_t *n)
{
	struct og_event *evs = NULL;

	og_events_from_records(b, &evs, n);
	return evs;
}

/* The printers through og_decode_arg: text replaces the number, JSON adds
 * "decoded" beside it. No tracefs here: mmap has no described row, and is
 * decoded by its name all the same. */
static void decoded_args(void)
{
	struct og_syscall_desc *table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
	struct og_print_ctx ctx = {.table = table};
	struct og_rec_buf b = {};
	struct og_event *ev = NULL;
	int described;
	size_t n = 0;
	char *s;

	og_syscall_table_build(NULL, table, &described);
	trec_append(&b, &(struct trec){.tid = 11,
				       .nr = 9,
				       .ts = 1000,
				       .nargs = 6,
				       .args = {0, 8192, 3, 0x22, (uint32_t)-1, 0},
				       .ret = 0x7f0000000000,
				       .dur_ns = 10});
	trec_append(&b,
		    &(struct trec){
			    .tid = 11, .nr = 202, .ts = 2000, .nargs = 6, .args = {0x1000, 393, 1, 0, 0, 0xffffffff}});
	og_events_from_records(&b, &ev, &n);
	ok(n == 2, "2 events (%zu)", n);
	s = render(1, &ctx, &ev[0]);
	ok(strstr(s, "{\"name\":\"arg2\",\"value\":3,\"decoded\":\"PROT_READ|PROT_WRITE\"}") != NULL,
	   "JSON mmap prot: %s", s);
	ok(strstr(s, "{\"name\":\"arg0\",\"value\":0}") != NULL, "JSON: no decoded for a plain number: %s", s);
	free(s);
	s = render(0, &ctx, &ev[1]);
	ok(strstr(s,
		  "futex(0x1000, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0x1, 0, 0, FUTEX_BITSET_MATCH_ANY)") !=
		   NULL,
	   "text futex: %s", s);
	free(s);
	free(ev);
	og_rec_buf_free(&b);
	free(table);
}

/* og_print_wall_time as printf and strftime write it, whatever second
 * the one before was in (it keeps the last date), truncated as snprintf
 * truncates. */
static void wall_time_reference(char *buf, size_t size, int64_t ns, int digits)
{
	int64_t secs = ns / 1000000000LL, frac = ns % 1000000000LL;
	char date[32];
	struct tm tm;
	time_t t;

	if (frac < 0) {
		frac += 1000000000LL;
		secs--;
	}
	t = (time_t)secs;
	if (!gmtime_r(&t, &tm) || !strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(date, sizeof(date), "%lld", (long long)secs);
	for (int i = digits; i < 9; i++)
		frac /= 10;
	snprintf(buf, size, "%s.%0*lldZ", date, digits, (long long)frac);
}

static void wall_times(void)
{
	static const int64_t at[] = {1764979199999999999LL,
				     1764979200000000000LL,
				     1764979199000000001LL,
				     1764979200123456789LL,
				     0,
				     1,
				     -1,
				     -999999999LL,
				     -1000000000LL,
				     999999999LL,
				     1764979200000000500LL,
				     INT64_MAX,
				     INT64_MIN};
	int bad = 0, n = 0;

	for (int digits = 1; digits <= 9; digits++)
		for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
			for (size_t size = 8; size <= 64; size += 28) {
				char got[64], want[64];

				og_print_wall_time(got, size, at[i], digits);
				wall_time_reference(want, size, at[i], digits);
				if (strcmp(got, want) != 0 && bad++ < 3)
					printf("#   %lld, %d digits, %zu bytes: got '%s', want '%s'\n",
					       (long long)at[i], digits, size, got, want);
				n++;
			}
	ok(bad == 0, "og_print_wall_time: %d of %d times, digits and sizes as strftime and printf", n - bad, n);
}

/* The JSON line generator is kept from line to line: a line left
 * unfinished does not spill into the next; integers as yajl writes them. */
static void json_lines(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	yajl_gen g = og_json_line_begin();

	yajl_gen_map_open(g);
	og_json_int(g, "left", 1); /* unfinished: never ended */
	g = og_json_line_begin();
	yajl_gen_map_open(g);
	og_json_int(g, "min", LLONG_MIN);
	og_json_int(g, "max", LLONG_MAX);
	og_json_u64(g, "u", UINT64_MAX);
	og_json_str(g, "s", "ascii \"q\"\n");
	og_json_str(g, "b", "caf\xc3\xa9 \xff");
	yajl_gen_map_close(g);
	ok(og_json_line_end(m, g) == 0, "a JSON line printed");
	g = og_json_line_begin();
	yajl_gen_map_open(g);
	og_json_int(g, "n", 0);
	yajl_gen_map_close(g);
	og_json_line_end(m, g);
	fclose(m);
	is_str(buf,
	       "{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"u\":18446744073709551615,"
	       "\"s\":\"ascii \\\"q\\\"\\n\",\"b\":\"caf\xc3\xa9 "
	       "\xef\xbf\xbd\",\"b_hex\":\"636166c3a920ff\"}\n{\"n\":0}\n",
	       "JSON lines from the kept generator: the unfinished one dropped, numbers and strings exact");
	free(buf);
}

/* Format 6: a buffer whose output record was lost (og_rec_unpack) shows
 * as unreadable memory does, and JSON says it was lost. */
static void lost_output(const struct og_print_ctx *ctx)
{
	struct trec rd = {.tid = 12, .nr = 0, .ts = 1100, .nargs = 3, .ret = 5, .ncaps = 1, .args = {0, 0x5000, 64}};
	struct og_rec_buf b = {};
	struct og_event *ev;
	size_t n;

	rd.caps[0] = (struct tcap){.arg = 1, .kind = OG_ARG_BUF_OUT, .flags = OG_CAP_LOST | OG_CAP_UNREADABLE};
	trec_append(&b, &rd);
	ev = events(&b, &n);
	renders(0, ctx, &ev[0], "text: a lost output is unreadable", "read(fd=0, buf=<unreadable>, count=64) = 5",
		NULL);
	renders(1, ctx, &ev[0], "JSON: a lost output says so",
		"\"name\":\"buf\",\"value\":20480,\"unreadable\":true,\"lost\":true}", NULL);
	free(ev);
	og_rec_buf_free(&b);
}

int main(void)
{
	struct og_syscall_desc *table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
	struct og_print_ctx ctx = {.table = table, .boot_to_real_ns = 0};
	struct og_rec_buf b = {};
	struct og_event *ev;
	int described;
	size_t n;
	char *s;

	og_syscall_table_build(NULL, table, &described);
	decoded_args();
	wall_times();
	json_lines();
	lost_output(&ctx);

	/* openat and read completed in place, a lone exit whose enter was
	 * overwritten, then an exit_group that never returns. */
	struct trec o = {.tid = 11, .nr = 257, .ts = 1000, .nargs = 4, .ret = 3, .dur_ns = 500, .ncaps = 1};
	o.args[0] = (uint32_t)-100;
	o.args[2] = O_WRONLY | O_CREAT | O_TRUNC;
	o.args[3] = 0644;
	o.caps[0] = (struct tcap){.arg = 1, .kind = OG_ARG_STR, .data = "/tmp/x y", .len = 9};
	trec_append(&b, &o);
	struct trec rd = {.tid = 12, .nr = 0, .ts = 1100, .nargs = 3, .ret = 5, .dur_ns = 1000, .ncaps = 1};
	rd.args[2] = 64;
	rd.caps[0] = (struct tcap){.arg = 1, .kind = OG_ARG_BUF_OUT, .data = "hi\0\n!", .len = 5, .size = 64};
	trec_append(&b, &rd);
	trec_append(
		&b,
		&(struct trec){
			.type = OG_REC_SYS_EXIT, .tid = 13, .nr = 1, .ts = 2200, .ret = -9, .flags = OG_RF_NO_TIME});
	trec_append(&b,
		    &(struct trec){.tid = 11, .nr = 231, .ts = 3000, .nargs = 1, .args = {7}, .state = OG_TAG_ENTERED});

	ev = events(&b, &n);
	ok(n == 4, "4 records, 4 events (%zu)", n);
	ok(og_event_enter(&ev[0]) && og_event_returned(&ev[0]), "openat complete in its one record");
	ok(!og_event_enter(&ev[2]) && og_event_exit_sys(&ev[2]), "a lone exit is its own event");
	ok(og_event_enter(&ev[3]) && !og_event_exit_sys(&ev[3]), "exit_group unfinished");

	s = render(0, &ctx, &ev[0]);
	ok(strstr(s, "openat(dfd=AT_FDCWD, filename=\"/tmp/x y\", flags=O_WRONLY|O_CREAT|O_TRUNC, mode=0644) = 3 "
		     "<0.000000>") != NULL,
	   "text openat: %s", s);
	ok(strncmp(s, "1970-01-01T00:00:00.000001Z   1      10      11 app ", 52) == 0,
	   "date and time, cpu, pid, tid, comm columns: %s", s);
	free(s);
	renders(0, &ctx, &ev[1], "text read with output bytes", "read(fd=0, buf=\"hi\\x00\\n!\", count=64) = 5", NULL);
	renders(0, &ctx, &ev[2], "resumed with errno", "<... write resumed>) = -1 EBADF (Bad file descriptor)", NULL);
	renders(0, &ctx, &ev[3], "exit_group = ?", "exit_group(error_code=7) = ?\n", NULL);

	s = render(1, &ctx, &ev[0]);
	is_str(s,
	       "{\"event\":\"syscall\",\"ts_ns\":1000,\"time\":\"1970-01-01T00:00:00.000001000Z\",\"cpu\":1,\"pid\":10,"
	       "\"tid\":11,\"comm\":\"app\",\"syscall\":"
	       "\"openat\","
	       "\"nr\":257,\"arch\":\"x86_64\",\"args\":[{\"name\":\"dfd\",\"value\":-100,\"decoded\":\"AT_FDCWD\"},{"
	       "\"name\":\"filename\","
	       "\"value\":0,"
	       "\"str\":\"/tmp/x y\"},{\"name\":\"flags\",\"value\":577,"
	       "\"decoded\":\"O_WRONLY|O_CREAT|O_TRUNC\"},{\"name\":\"mode\",\"value\":420,\"decoded\":\"0644\"}],"
	       "\"ret\":3,"
	       "\"duration_ns\":500,\"complete\":true}\n",
	       "JSON openat");
	free(s);
	renders(1, &ctx, &ev[1], "JSON escapes NUL and newline", "\"str\":\"hi\\u0000\\n!\"", NULL);
	renders(1, &ctx, &ev[2], "JSON errno, no duration for a lone exit", "\"ret\":-9,\"errno\":\"EBADF\"",
		"\"complete\":false", "!duration_ns", NULL);
	free(ev);

	/* JSON strings: valid UTF-8 as it is; a byte that is not becomes
	 * U+FFFD, and str_hex has the exact bytes. */
	b.len = 0;
	struct trec w = {.tid = 20, .nr = 1, .ts = 5000, .nargs = 3, .args = {1, 0, 2}, .ret = 2, .ncaps = 1};
	w.caps[0] =
		(struct tcap){.arg = 1, .kind = OG_ARG_BUF_IN, .data = "\xe9x", .len = 2, .flags = OG_CAP_TRUNCATED};
	trec_append(&b, &w);
	ev = events(&b, &n);
	renders(1, &ctx, &ev[0], "a lone 0xe9 -> U+FFFD and the bytes in str_hex, truncated flagged",
		"\"truncated\":true,\"str\":\"\xef\xbf\xbdx\",\"str_hex\":\"e978\"", NULL);
	renders(0, &ctx, &ev[0], "text: escaped and marked truncated", "buf=\"\\xe9x\"...", NULL);
	free(ev);
	b.len = 0;
	{
		/* UTF-8 "héllo", then an argv with an overlong '/' (C0 AF) and a
		 * UTF-16 surrogate encoded in UTF-8 (ED A0 80): not UTF-8. */
		struct trec u = {.tid = 21, .nr = 1, .ts = 5000, .nargs = 3, .args = {1, 0, 6}, .ret = 6, .ncaps = 1};
		struct trec x = {.tid = 21, .nr = 59, .nargs = 3, .ret = 0, .ncaps = 1};

		u.caps[0] = (struct tcap){.arg = 1, .kind = OG_ARG_BUF_IN, .data = "h\xc3\xa9llo", .len = 6};
		trec_append(&b, &u);
		x.caps[0] = (struct tcap){
			.arg = 1, .kind = OG_ARG_ARGV, .data = "\xc0\xaf\0\xed\xa0\x80\0ok\0", .len = 10, .count = 3};
		trec_append(&b, &x);
	}
	ev = events(&b, &n);
	renders(1, &ctx, &ev[0], "UTF-8 h\xc3\xa9llo kept as it is", "\"str\":\"h\xc3\xa9llo\"}", "!_hex", NULL);
	renders(1, &ctx, &ev[1], "overlong and surrogate bytes replaced, argv_hex exact",
		"\"argv\":[\"\xef\xbf\xbd\xef\xbf\xbd\",\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\",\"ok\"],\"argv_hex\":["
		"\"c0af\",\"eda080\",\"6f6b\"]",
		NULL);
	free(ev);

	/* SIGKILL inside read: -ERESTARTSYS reaches sys_exit, then the thread dies. */
	b.len = 0;
	trec_append(&b, &(struct trec){.tid = 30, .nr = 0, .ts = 100, .nargs = 3, .ret = -512, .dur_ns = 100});
	ev = events(&b, &n);
	ok(n == 1 && ev[0].last_of_thread && !og_event_returned(&ev[0]), "interrupted read is not a return");
	renders(0, &ctx, &ev[0], "killed in read: unfinished", "= ? <unfinished ...>", NULL);
	renders(1, &ctx, &ev[0], "JSON: interrupted, no ret", "\"interrupted\":\"ERESTARTSYS\"", "!\"ret\"",
		"\"complete\":false", NULL);
	free(ev);

	/* An argv beyond what is kept ends in "...". */
	b.len = 0;
	struct trec ex = {.tid = 31, .nr = 59, .nargs = 3, .ret = 0, .ncaps = 2};
	ex.caps[0] = (struct tcap){.arg = 0, .kind = OG_ARG_STR, .data = "/bin/sh", .len = 8};
	ex.caps[1] = (struct tcap){
		.arg = 1, .kind = OG_ARG_ARGV, .data = "sh\0-c\0", .len = 6, .count = 2, .flags = OG_CAP_TRUNCATED};
	trec_append(&b, &ex);
	ev = events(&b, &n);
	renders(0, &ctx, &ev[0], "argv, a NULL pointer",
		"execve(filename=\"/bin/sh\", argv=[\"sh\", \"-c\", ...], envp=NULL) = 0", NULL);
	free(ev);
	og_rec_buf_free(&b);

	/* A process name set with prctl(PR_SET_NAME) that would drive a
	 * terminal: escaped in every line's prefix. */
	{
		static const char evil[16] = "\n\x1b[31mX\x1b]0;t\x07";
		bool clean = true;

		b = (struct og_rec_buf){};
		memcpy(((struct og_rec *)trec_append(&b, &(struct trec){.tid = 11, .nr = 39, .ts = 1000, .ret = 11}))
			       ->comm,
		       evil, sizeof(evil));
		ev = events(&b, &n);
		s = render(0, &ctx, &ev[0]);
		for (const char *c = s; *c; c++)
			clean &= c[1] ? *c >= 0x20 && *c < 0x7f : *c == '\n';
		ok(clean, "a hostile comm leaves one line of printable ASCII: %s", s);
		ok(strstr(s, " \\x0a\\x1b[31mX\\x1b]0;t\\x07 getpid() = 11") != NULL, "its comm escaped: %s", s);
		free(s);
		free(ev);
		og_rec_buf_free(&b);
	}

	/* Wall-clock time with its date: records on both sides of midnight
	 * (the offset is CLOCK_REALTIME - CLOCK_BOOTTIME: 2025-12-05T23:59:59Z
	 * at boot time 0). */
	{
		struct og_print_ctx wall = ctx;

		wall.boot_to_real_ns = 1764979199LL * 1000000000LL;
		b = (struct og_rec_buf){};
		trec_append(&b, &(struct trec){.tid = 40, .nr = 39, .ts = 999999000, .ret = 40});
		trec_append(&b, &(struct trec){.tid = 40, .nr = 39, .ts = 1000000001, .ret = 40});
		ev = events(&b, &n);
		renders(0, &wall, &ev[0], "text: date and time to the us, UTC", "^2025-12-05T23:59:59.999999Z ", NULL);
		renders(0, &wall, &ev[1], "text: the next day's date", "^2025-12-06T00:00:00.000000Z ", NULL);
		renders(1, &wall, &ev[1], "JSON: RFC 3339 time to the ns beside ts_ns",
			"\"ts_ns\":1000000001,\"time\":\"2025-12-06T00:00:00.000000001Z\"", NULL);
		free(ev);
		og_rec_buf_free(&b);
	}

	/* --time clock, first and delta (strace -tt, relative, -r). */
	{
		struct og_time_state times = {};
		struct og_print_ctx t = ctx;
		const char *want[2][3] = {{"     0.000000 ", "     0.000001 ", "     0.500001 "},
					  {"     0.000000 ", "     0.000001 ", "     0.500000 "}};

		t.boot_to_real_ns = 1764979199LL * 1000000000LL;
		t.time_fmt = OG_TIME_CLOCK;
		b = (struct og_rec_buf){};
		trec_append(&b, &(struct trec){.tid = 40, .nr = 39, .ts = 999999000, .ret = 40});
		trec_append(&b, &(struct trec){.tid = 40, .nr = 39, .ts = 1000000001, .ret = 40});
		trec_append(&b, &(struct trec){.tid = 40, .nr = 39, .ts = 1500000001, .ret = 40});
		ev = events(&b, &n);
		renders(0, &t, &ev[0], "clock: time of day to the us", "^23:59:59.999999   1 ", NULL);
		for (int f = 0; f < 2; f++) {
			t.time_fmt = f ? OG_TIME_DELTA : OG_TIME_FIRST;
			t.times = &times;
			times = (struct og_time_state){};
			for (int i = 0; i < 3; i++) {
				s = render(0, &t, &ev[i]);
				ok(strncmp(s, want[f][i], strlen(want[f][i])) == 0, "%s, line %d: %s",
				   og_time_fmt_name(t.time_fmt), i, s);
				free(s);
			}
		}
		ok(og_time_fmt_parse("delta") == OG_TIME_DELTA && og_time_fmt_parse("tt") == -1, "format names");
		free(ev);
		og_rec_buf_free(&b);
	}

	/* As strace: addresses in hex (NULL for 0), counts in decimal; the
	 * table from tracefs says which arguments and returns are addresses. */
	{
		static const char *const tevents[] = {"brk", "mmap", "read", "sendfile64", NULL};
		struct og_syscall_desc *t2 = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*t2));
		struct og_print_ctx c2 = {.table = t2};
		const char *dir = tracefs_build(tevents);

		ok(dir && og_syscall_table_build(dir, t2, &described) == 0, "table from a tracefs");
		b = (struct og_rec_buf){};
		trec_append(&b, &(struct trec){.tid = 50, .nr = 12, .nargs = 1, .ret = 0x55e8d6a3c000});
		trec_append(&b,
			    &(struct trec){
				    .tid = 50, .nr = 12, .nargs = 1, .args = {0x55e8d6a5d000}, .ret = 0x55e8d6a5d000});
		trec_append(&b, &(struct trec){.tid = 50,
					       .nr = 9,
					       .nargs = 6,
					       .args = {0, 8192, 3, 0x22, (uint32_t)-1, 0},
					       .ret = 0x7f1c2a4b5000});
		trec_append(&b,
			    &(struct trec){
				    .tid = 50, .nr = 0, .nargs = 3, .args = {3, 0x7ffd0000, 1}, .ret = 5000000000LL});
		trec_append(
			&b,
			&(struct trec){
				.tid = 50, .nr = 40, .nargs = 6, .args = {1, 3, 0, 4096, 0xdead, 0xbeef}, .ret = 4096});
		ev = events(&b, &n);
		renders(0, &c2, &ev[0], "brk: NULL, returns an address in hex", " brk(brk=NULL) = 0x55e8d6a3c000 <",
			NULL);
		renders(0, &c2, &ev[1], "brk's argument in hex", " brk(brk=0x55e8d6a5d000) = 0x55e8d6a5d000 <", NULL);
		renders(0, &c2, &ev[2], "mmap: NULL address, decimal length, returns hex",
			" mmap(addr=NULL, len=8192, prot=PROT_READ|PROT_WRITE, flags=MAP_PRIVATE|MAP_ANONYMOUS, ",
			"fd=-1, off=0) = 0x7f1c2a4b5000 <", NULL);
		renders(0, &c2, &ev[3], "a large count returned stays decimal",
			" read(fd=3, buf=0x7ffd0000, count=1) = 5000000000 <", NULL);
		renders(0, &c2, &ev[4], "sendfile named from sendfile64, 4 arguments, no stray registers",
			" sendfile(out_fd=1, in_fd=3, offset=NULL, count=4096) = 4096 <", NULL);
		free(ev);
		og_rec_buf_free(&b);
		if (dir)
			tracefs_remove(dir, tevents);
		free(t2);
	}

	/* getcwd's length counts its NUL: the string is shown without it. */
	b = (struct og_rec_buf){};
	{
		struct trec g = {.tid = 60, .nr = 79, .nargs = 2, .args = {0x7ffd1000, 4096}, .ret = 5, .ncaps = 1};

		g.caps[0] = (struct tcap){.arg = 0, .kind = OG_ARG_BUF_OUT, .data = "/tmp\0", .len = 5, .size = 4096};
		trec_append(&b, &g);
	}
	ev = events(&b, &n);
	renders(0, &ctx, &ev[0], "getcwd without its NUL", " getcwd(buf=\"/tmp\", size=4096) = 5 <", NULL);
	renders(1, &ctx, &ev[0], "JSON getcwd without its NUL", "\"str\":\"/tmp\"}", NULL);
	free(ev);
	og_rec_buf_free(&b);

	/* A syscall the table does not describe (sendfile without tracefs)
	 * keeps its raw argument words, in hex. */
	b = (struct og_rec_buf){};
	trec_append(&b,
		    &(struct trec){.tid = 65, .nr = 40, .nargs = 6, .args = {1, 3, 0, 4096, 0xdead, 0xbeef}, .ret = 6});
	ev = events(&b, &n);
	renders(0, &ctx, &ev[0], "undescribed: six raw words", " sendfile(0x1, 0x3, 0, 0x1000, 0xdead, 0xbeef) = 6 ",
		NULL);
	free(ev);
	og_rec_buf_free(&b);

	/* The child's side of vfork and clone: a lone exit returning 0 is no
	 * lost enter; the text prints nothing for it, as strace. A parent's
	 * lone exit still prints as resumed. */
	b = (struct og_rec_buf){};
	trec_append(&b, &(struct trec){.type = OG_REC_SYS_EXIT, .tid = 70, .nr = 58, .ret = 0, .flags = OG_RF_NO_TIME});
	trec_append(
		&b,
		&(struct trec){
			.type = OG_REC_SYS_EXIT, .tid = 71, .nr = 120, .ret = 0, .flags = OG_RF_NO_TIME | OG_RF_I386});
	trec_append(&b,
		    &(struct trec){.type = OG_REC_SYS_EXIT, .tid = 69, .nr = 58, .ret = 70, .flags = OG_RF_NO_TIME});
	ev = events(&b, &n);
	ok(n == 3 && og_event_fork_child(&ev[0]) && og_event_fork_child(&ev[1]) && !og_event_fork_child(&ev[2]),
	   "vfork's and i386 clone's child sides known, the parent's return not");
	s = render(0, &ctx, &ev[0]);
	ok(s && !*s, "text: nothing for vfork's child side: '%s'", s);
	free(s);
	s = render(0, &ctx, &ev[1]);
	ok(s && !*s, "text: nothing for an i386 clone's child side: '%s'", s);
	free(s);
	renders(1, &ctx, &ev[0], "JSON: kept, marked fork_child", "\"ret\":0,", "\"fork_child\":true", NULL);
	renders(0, &ctx, &ev[2], "a parent's lone exit is resumed", "<... vfork resumed>) = 70", NULL);
	free(ev);
	og_rec_buf_free(&b);

	prints(esc, "a\\\"b\\\\\\n\\x01\\xff", "escaping");
	prints(flags1, "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC", "open flags");
	prints(flags2, "O_RDONLY|0x40000000", "unknown flag bits kept in hex");
	prints(sa_in, "{sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}", "sockaddr_in");
	is_str(og_errno_name(2), "ENOENT", "errno name");
	free(table);
	return tap_done();
}
