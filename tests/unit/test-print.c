// Pairing and formatting: strace-style text and JSON Lines.
#include "config.h"
#include "og_print.h"
#include "og_syscalls.h"
#include "og_util.h"
#include "tap.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>

static struct og_record rec(int type, uint32_t tid, int nr, uint64_t ts)
{
	struct og_record r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.tgid = 10;
	r.tid = tid;
	r.nr = nr;
	r.ts_ns = ts;
	r.cpu = 1;
	strcpy(r.comm, "app");
	return r;
}

static char *render(int json, const struct og_print_ctx *ctx, const struct og_event *ev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (json)
		og_print_json(m, ctx, ev);
	else
		og_print_text(m, ctx, ev);
	fclose(m);
	return buf;
}

static char *text_of(void (*fn)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	fn(m);
	fclose(m);
	return buf;
}

static void esc(FILE *m)
{
	og_print_escaped(m, "a\"b\\\n\x01\xff", 7);
}
static void flags1(FILE *m)
{
	og_print_open_flags(m, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC);
}
static void flags2(FILE *m)
{
	og_print_open_flags(m, O_RDONLY | 0x40000000);
}
static void sa_in(FILE *m)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(8080)};
	inet_pton(AF_INET, "127.0.0.1", &in.sin_addr);
	og_print_sockaddr(m, &in, sizeof(in));
}

int main(void)
{
	struct og_syscall_desc *table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
	struct og_print_ctx ctx = {.table = table, .boot_to_real_ns = 0};
	struct og_record r[8];
	struct og_event ev[8];
	int described;
	size_t n;
	char *s;

	og_syscall_table_build(NULL, table, &described);

	/* openat enter/exit interleaved with another thread's read. */
	r[0] = rec(OG_REC_SYS_ENTER, 11, 257, 1000);
	r[0].args[0] = (uint32_t)-100;
	r[0].args[2] = O_WRONLY | O_CREAT | O_TRUNC;
	r[0].args[3] = 0644;
	r[0].ncaps = 1;
	r[0].caps[0].arg = 1;
	r[0].caps[0].kind = OG_ARG_STR;
	strcpy(r[0].caps[0].data, "/tmp/x y");
	r[0].caps[0].len = 9;
	r[1] = rec(OG_REC_SYS_ENTER, 12, 0, 1100);
	r[1].args[0] = 0;
	r[1].args[2] = 64;
	r[2] = rec(OG_REC_SYS_EXIT, 11, 257, 1500);
	r[2].args[0] = 3;
	r[3] = rec(OG_REC_SYS_EXIT, 12, 0, 2100);
	r[3].args[0] = 5;
	r[3].ncaps = 1;
	r[3].caps[0].arg = 1;
	r[3].caps[0].kind = OG_ARG_BUF_OUT;
	memcpy(r[3].caps[0].data, "hi\0\n!", 5);
	r[3].caps[0].len = 5;
	/* An exit whose enter was overwritten, then an enter that never returns. */
	r[4] = rec(OG_REC_SYS_EXIT, 13, 1, 2200);
	r[4].args[0] = (uint64_t)-9;
	r[5] = rec(OG_REC_SYS_ENTER, 11, 231, 3000);
	r[5].args[0] = 7;

	n = og_pair_records(r, 6, ev);
	ok(n == 4, "6 records pair into 4 events (%zu)", n);
	ok(ev[0].enter == &r[0] && ev[0].exit == &r[2], "openat paired across another thread's records");
	ok(ev[1].enter == &r[1] && ev[1].exit == &r[3], "read paired");
	ok(ev[2].enter == NULL && ev[2].exit == &r[4], "orphan exit is its own event");
	ok(ev[3].enter == &r[5] && ev[3].exit == NULL, "exit_group unfinished");

	s = render(0, &ctx, &ev[0]);
	ok(strstr(s, "openat(dfd=AT_FDCWD, filename=\"/tmp/x y\", flags=O_WRONLY|O_CREAT|O_TRUNC, mode=0644) = 3 "
		     "<0.000000>") != NULL,
	   "text openat: %s", s);
	ok(strncmp(s, "00:00:00.000001   1      10      11 app ", 40) == 0, "time cpu pid tid comm columns: %s", s);
	free(s);
	s = render(0, &ctx, &ev[1]);
	ok(strstr(s, "read(fd=0, buf=\"hi\\x00\\n!\", count=64) = 5") != NULL, "text read with output bytes: %s", s);
	free(s);
	s = render(0, &ctx, &ev[2]);
	ok(strstr(s, "<... write resumed>) = -1 EBADF (Bad file descriptor)") != NULL, "resumed with errno: %s", s);
	free(s);
	s = render(0, &ctx, &ev[3]);
	ok(strstr(s, "exit_group(error_code=7) = ?\n") != NULL, "exit_group = ?: %s", s);
	free(s);

	s = render(1, &ctx, &ev[0]);
	is_str(s,
	       "{\"event\":\"syscall\",\"ts_ns\":1000,\"cpu\":1,\"pid\":10,\"tid\":11,\"comm\":\"app\",\"syscall\":"
	       "\"openat\","
	       "\"nr\":257,\"arch\":\"x86_64\",\"args\":[{\"name\":\"dfd\",\"value\":-100},{\"name\":\"filename\","
	       "\"value\":0,"
	       "\"str\":\"/tmp/x y\"},{\"name\":\"flags\",\"value\":577},{\"name\":\"mode\",\"value\":420}],\"ret\":3,"
	       "\"duration_ns\":500,\"complete\":true}\n",
	       "JSON openat");
	free(s);
	s = render(1, &ctx, &ev[1]);
	ok(strstr(s, "\"str\":\"hi\\u0000\\n!\"") != NULL, "JSON escapes NUL and newline: %s", s);
	free(s);
	s = render(1, &ctx, &ev[2]);
	ok(strstr(s, "\"ret\":-9,\"errno\":\"EBADF\"") && strstr(s, "\"complete\":false"), "JSON errno: %s", s);
	free(s);

	/* Non-ASCII bytes become valid UTF-8 (Latin-1 code points). */
	r[6] = rec(OG_REC_SYS_ENTER, 20, 1, 5000);
	r[6].args[2] = 2;
	r[6].ncaps = 1;
	r[6].caps[0].arg = 1;
	r[6].caps[0].kind = OG_ARG_BUF_IN;
	r[6].caps[0].data[0] = (char)0xe9;
	r[6].caps[0].data[1] = 'x';
	r[6].caps[0].len = 2;
	r[6].caps[0].flags = OG_CAP_TRUNCATED;
	r[7] = rec(OG_REC_SYS_EXIT, 20, 1, 5001);
	r[7].args[0] = 2;
	n = og_pair_records(&r[6], 2, ev);
	s = render(1, &ctx, &ev[0]);
	ok(strstr(s, "\"truncated\":true,\"str\":\"\xc3\xa9x\"") != NULL, "byte 0xe9 -> U+00E9, truncated flagged: %s",
	   s);
	free(s);
	s = render(0, &ctx, &ev[0]);
	ok(strstr(s, "buf=\"\\xe9x\"...") != NULL, "text: escaped and marked truncated: %s", s);
	free(s);

	/* SIGKILL inside read: -ERESTARTSYS reaches sys_exit, then the thread dies. */
	r[0] = rec(OG_REC_SYS_ENTER, 30, 0, 100);
	r[1] = rec(OG_REC_SYS_EXIT, 30, 0, 200);
	r[1].args[0] = (uint64_t)-512;
	n = og_pair_records(r, 2, ev);
	ok(n == 1 && ev[0].last_of_thread && !og_event_returned(&ev[0]), "interrupted read is not a return");
	s = render(0, &ctx, &ev[0]);
	ok(strstr(s, "= ? <unfinished ...>") != NULL, "killed in read: unfinished: %s", s);
	free(s);
	s = render(1, &ctx, &ev[0]);
	ok(strstr(s, "\"interrupted\":\"ERESTARTSYS\"") && !strstr(s, "\"ret\"") && strstr(s, "\"complete\":false"),
	   "JSON: interrupted, no ret: %s", s);
	free(s);

	s = text_of(esc);
	is_str(s, "a\\\"b\\\\\\n\\x01\\xff", "escaping");
	free(s);
	s = text_of(flags1);
	is_str(s, "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC", "open flags");
	free(s);
	s = text_of(flags2);
	is_str(s, "O_RDONLY|0x40000000", "unknown flag bits kept in hex");
	free(s);
	s = text_of(sa_in);
	is_str(s, "{sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}", "sockaddr_in");
	free(s);
	is_str(og_errno_name(2), "ENOENT", "errno name");
	free(table);
	return tap_done();
}
