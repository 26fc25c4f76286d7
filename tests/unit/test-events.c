// Uprobe event records: pairing beside syscalls, text and JSON, the leak
// report, kernel symbol lookup.
#include "config.h"
#include "og_ksyms.h"
#include "og_leaks.h"
#include "og_print.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>

static struct og_record ev(uint32_t kind, uint32_t pid, uint64_t size, uint64_t addr, uint64_t old, int64_t stack)
{
	struct og_record r = {.type = OG_REC_EVENT, .nr = kind, .tgid = pid, .tid = pid, .ts_ns = 1000};

	strcpy(r.comm, "app");
	r.args[OG_EA_SIZE] = size;
	r.args[OG_EA_ADDR] = addr;
	r.args[OG_EA_OLD] = old;
	r.args[OG_EA_STACK] = (uint64_t)stack;
	r.args[OG_EA_DURATION] = 1500;
	return r;
}

static char *render(bool json, const struct og_event *e)
{
	struct og_print_ctx ctx = {};
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);

	if (json)
		og_print_json(m, &ctx, e);
	else
		og_print_text(m, &ctx, e);
	fclose(m);
	return text;
}

static void check_print(void)
{
	struct og_record recs[4] = {};
	struct og_event evs[4];
	char *s;
	size_t n;

	recs[0] = (struct og_record){.type = OG_REC_SYS_ENTER, .nr = 0, .tid = 7, .tgid = 7};
	recs[1] = ev(OG_EV_MALLOC, 7, 100, 0x1000, 0, 3);
	recs[2] = (struct og_record){.type = OG_REC_SYS_EXIT, .nr = 0, .tid = 7, .tgid = 7};
	recs[3] = (struct og_record){.type = 99, .tid = 7};
	n = og_pair_records(recs, 4, evs);
	ok(n == 2 && evs[0].enter && evs[0].exit && evs[1].probe == &recs[1],
	   "an event between a syscall's enter and exit is its own line; unknown types skipped");
	is_str(og_event_name(&evs[1]), "malloc", "event name");
	is_str(og_event_name(&evs[0]), "syscall", "syscalls are events named syscall");

	s = render(false, &evs[1]);
	ok(strstr(s, "malloc(size=100) = 0x1000 <0.000002>") && strstr(s, "[ustack 3]"), "text: %s", s);
	free(s);
	s = render(true, &evs[1]);
	ok(strstr(s, "\"event\":\"malloc\"") && strstr(s, "\"size\":100") && strstr(s, "\"addr\":4096") &&
		   strstr(s, "\"stack_id\":3") && strstr(s, "\"duration_ns\":1500"),
	   "json: %s", s);
	free(s);

	struct og_record gc = ev(OG_EV_GC, 7, 2, 0, OG_RT_PYTHON, -1);
	gc.args[OG_EA_RET] = 17;
	gc.args[OG_EA_DURATION] = 250000;
	struct og_event ge = {.probe = &gc};
	s = render(true, &ge);
	ok(strstr(s, "\"event\":\"gc\"") && strstr(s, "\"runtime\":\"python\"") && strstr(s, "\"generation\":2") &&
		   strstr(s, "\"collected\":17") && strstr(s, "\"duration_ns\":250000"),
	   "gc json: %s", s);
	free(s);

	struct og_record th = ev(OG_EV_THROW, 7, 0, 0xabc, 0, -1);
	th.ncaps = 1;
	th.caps[0].kind = OG_ARG_STR;
	strcpy(th.caps[0].data, "St13runtime_error");
	th.caps[0].len = 18;
	struct og_event te = {.probe = &th};
	s = render(true, &te);
	ok(strstr(s, "\"event\":\"throw\"") && strstr(s, "\"type\":\"St13runtime_error\""), "throw json: %s", s);
	free(s);

	struct og_record ssl = ev(OG_EV_SSL_WRITE, 7, 11, 0, 0, -1);
	ssl.args[OG_EA_RET] = 11;
	ssl.ncaps = 1;
	ssl.caps[0].kind = OG_ARG_BUF_IN;
	memcpy(ssl.caps[0].data, "hello there", 11);
	ssl.caps[0].len = 11;
	struct og_event se = {.probe = &ssl};
	s = render(true, &se);
	ok(strstr(s, "\"event\":\"ssl_write\"") && strstr(s, "\"lib\":\"openssl\"") &&
		   strstr(s, "\"plaintext\":{\"str\":\"hello there\"}") && strstr(s, "\"ret\":11"),
	   "ssl json: %s", s);
	free(s);
	s = render(false, &se);
	ok(strstr(s, "ssl_write[openssl](len=11) = 11 \"hello there\""), "ssl text: %s", s);
	free(s);
}

static void check_leaks(void)
{
	struct og_record r[10];
	struct og_event e[10] = {};
	struct og_leak_report rep;

	r[0] = ev(OG_EV_MALLOC, 1, 100, 0xa0, 0, 5);
	r[1] = ev(OG_EV_MALLOC, 1, 200, 0xb0, 0, 5);
	r[2] = ev(OG_EV_FREE, 1, 0, 0xa0, 0, -1);
	r[3] = ev(OG_EV_MALLOC, 2, 300, 0xa0, 0, 6); /* same address, another process */
	r[4] = ev(OG_EV_REALLOC, 1, 250, 0xc0, 0xb0, 7);
	r[5] = ev(OG_EV_FREE, 1, 0, 0xdead, 0, -1);  /* allocated before the ring's start */
	r[6] = ev(OG_EV_CALLOC, 1, 40, 0, 0, 8);     /* failed: NULL */
	r[7] = ev(OG_EV_MMAP, 1, 4096, 0xe0, 0, -1); /* not counted */
	r[8] = ev(OG_EV_POSIX_MEMALIGN, 1, 64, 0xf0, 0, 9);
	r[8].args[OG_EA_RET] = 0;
	r[9] = ev(OG_EV_FREE, 1, 0, 0, 0, -1); /* free(NULL) */
	for (int i = 0; i < 10; i++)
		e[i].probe = &r[i];
	ok(og_leaks_compute(e, 10, &rep) == 0, "leak report computed");
	ok(rep.count == 3 && rep.bytes == 300 + 250 + 64,
	   "outstanding: pid 2's block, the realloc'd one, the aligned one (%llu in %llu)",
	   (unsigned long long)rep.bytes, (unsigned long long)rep.count);
	ok(rep.unmatched_frees == 1, "a free of a block allocated before the ring started is counted apart");
	ok(rep.ngroups == 3 && rep.groups[0].stack_id == 6 && rep.groups[0].pid == 2 && rep.groups[1].stack_id == 7,
	   "grouped by stack, largest first");
	og_leaks_free(&rep);
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
	check_leaks();
	check_ksyms();
	return tap_done();
}
