// Why a process died, as printed: signals, exits, OOM kills and crashes
// from records built in memory, as strace prints them (text) and as JSON;
// the signal and si_code tables; what makes a container's end abnormal.
#include "config.h"
#include "og_crashfile.h"
#include "og_print.h"
#include "og_signals.h"
#include "og_syscalls.h"
#include "og_util.h"
#include "ring-build.h"
#include "tap.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>

static struct og_syscall_desc *table;

/* One case's records appended to b, in order (up to a NULL). */
static void records(struct og_rec_buf *b, ...)
{
	const struct trec *t;
	va_list ap;

	va_start(ap, b);
	while ((t = va_arg(ap, const struct trec *)))
		trec_append(b, t);
	va_end(ap);
}

/* The text (after the line's prefix) or JSON of every event of b. */
static char *render_all(const struct og_rec_buf *b, int json, const struct og_crash_stack *stack)
{
	struct og_print_ctx ctx = {.table = table};
	struct og_event *evs = NULL;
	char *buf = NULL;
	size_t len = 0, n = 0;
	FILE *m = open_memstream(&buf, &len);

	og_events_from_records(b, &evs, &n);
	for (size_t i = 0; i < n; i++) {
		if (json)
			og_print_json(m, &ctx, &evs[i]);
		else if (og_event_is_syscall(&evs[i]) || og_event_is_probe(&evs[i]))
			og_print_text(m, &ctx, &evs[i]);
		else
			og_print_signals_text(m, &evs[i], stack);
	}
	fclose(m);
	free(evs);
	return buf;
}

/* Text lines of the syscalls keep their prefix: only their tail is checked. */
static bool has_line_ending(const char *text, const char *tail)
{
	for (const char *l = text; l && *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);

		if (n >= strlen(tail) && strncmp(l + n - strlen(tail), tail, strlen(tail)) == 0)
			return true;
		l = nl ? nl + 1 : NULL;
	}
	return false;
}

static void check_tables(void)
{
	char buf[16];

	is_str(og_signal_name(SIGSEGV, buf, sizeof(buf)), "SIGSEGV", "SIGSEGV by name");
	is_str(og_signal_name(35, buf, sizeof(buf)), "SIGRT_3", "real-time signals as strace names them");
	is_str(og_signal_name(SIGIO, buf, sizeof(buf)), "SIGIO", "SIGIO as strace prints it, not glibc's SIGPOLL");
	is_str(og_signal_name(32, buf, sizeof(buf)), "SIGRTMIN", "32 is SIGRTMIN, as strace prints it");
	ok(og_signal_nr("IO") == SIGIO && og_signal_nr("SIGRTMIN") == 32, "the names read back");
	is_str(og_si_code_name(SIGSEGV, 1), "SEGV_MAPERR", "SEGV_MAPERR");
	is_str(og_si_code_name(SIGBUS, 1), "BUS_ADRALN", "a code means something else for another signal");
	is_str(og_si_code_name(SIGTERM, SI_USER), "SI_USER", "SI_USER for any signal");
	is_str(og_si_code_name(SIGKILL, SI_KERNEL), "SI_KERNEL", "SI_KERNEL for any signal");
	ok(og_si_code_name(SIGTERM, 1) == NULL, "no name for a code the signal does not define");
	ok(og_signal_nr("SIGABRT") == SIGABRT && og_signal_nr("ABRT") == SIGABRT && og_signal_nr("11") == 11 &&
		   og_signal_nr("SIGNOPE") == -1,
	   "signal numbers from names");
}

static void check_killed_in_read(void)
{
	struct og_signal sent = {.signo = SIGKILL,
				 .code = SI_USER,
				 .what = OG_SIG_SENT,
				 .result = OG_SIGR_DELIVERED,
				 .flags = OG_SIGF_GROUP | OG_SIGF_OUTSIDE,
				 .sender_tgid = 4242,
				 .sender_comm = "runc"};
	struct og_exit x = {.code = SIGKILL, .flags = OG_EXITF_GROUP_DEAD | OG_EXITF_INIT};
	struct trec rd = {.tid = 7, .nr = 0, .ts = 100, .nargs = 3, .args = {3, 0x1000, 16}, .state = OG_TAG_ENTERED};
	struct trec sg = {.type = OG_REC_SIGNAL, .tid = 7, .nr = SIGKILL, .ts = 200, .body = &sent};
	struct trec ex = {.type = OG_REC_EXIT, .tid = 7, .ts = 300, .body = &x};
	struct og_rec_buf b = {};
	char *t, *j;

	records(&b, &rd, &sg, &ex, NULL);
	t = render_all(&b, 0, NULL);
	ok(has_line_ending(t, "read(fd=3, buf=0x1000, count=16) = ?"), "a read the process was killed in: = ?");
	ok(strstr(t, "--- SIGKILL {si_signo=SIGKILL, si_code=SI_USER, si_pid=0, si_uid=0} sent by runc[4242] "
		     "(outside the container): delivered ---\n"),
	   "runc kill: SIGKILL sent from outside the container, delivered");
	ok(strstr(t, "+++ killed by SIGKILL +++\n") && !strstr(t, "OOM"), "killed by SIGKILL, not an OOM kill");
	j = render_all(&b, 1, NULL);
	ok(strstr(j, "\"complete\":false,\"died\":true") && strstr(j, "\"event\":\"exit\"") &&
		   strstr(j, "\"killed_by\":\"SIGKILL\"") && strstr(j, "\"outside\":true") &&
		   strstr(j, "\"oom_killed\":false"),
	   "JSON: died in the read, killed by SIGKILL from outside, no OOM");
	free(t);
	free(j);
	og_rec_buf_free(&b);
}

/* Names a process gave itself are escaped in the text: no byte of them
 * reaches a terminal as a control. */
static void check_hostile_comm(void)
{
	static const char evil[16] = "\n\x1b[31mX\x1b]0;t\x07";
	struct og_oom o = {.killer_tgid = 20};
	struct og_signal kill = {.signo = SIGTERM, .code = SI_USER, .what = OG_SIG_SENT, .sender_tgid = 20};
	struct trec t1 = {.type = OG_REC_SIGNAL, .tid = 21, .tgid = 21, .nr = SIGTERM, .ts = 10, .body = &kill};
	struct trec t2 = {.type = OG_REC_OOM, .tid = 21, .tgid = 21, .ts = 11, .body = &o};
	struct og_rec_buf b = {};
	bool clean = true;
	char *t;

	memcpy(kill.sender_comm, evil, sizeof(evil));
	memcpy(o.killer_comm, "ABCDEFGHIJKLMNO\x9b", sizeof(o.killer_comm)); /* no NUL in the field */
	records(&b, &t1, &t2, NULL);
	t = render_all(&b, 0, NULL);
	for (const char *c = t; *c; c++)
		clean &= *c == '\n' || (*c >= 0x20 && *c < 0x7f);
	ok(clean, "signal and OOM lines: printable ASCII only: %s", t);
	ok(strstr(t, "sent by \\x0a\\x1b[31mX\\x1b]0;t\\x07[20]") != NULL, "sender_comm escaped");
	ok(strstr(t, "the allocation was ABCDEFGHIJKLMNO\\x9b[20]'s") != NULL,
	   "killer_comm escaped, ended at its field without a NUL");
	free(t);
	og_rec_buf_free(&b);
}

static void check_segv_and_exit(void)
{
	struct og_signal fault = {.signo = SIGSEGV,
				  .code = 1,
				  .what = OG_SIG_DELIVERED,
				  .result = OG_SIGA_DEFAULT,
				  .flags = OG_SIGF_FATAL | OG_SIGF_CORE};
	struct og_signal self = {.signo = SIGSEGV, .code = 1, .what = OG_SIG_SENT, .sender_tgid = 9};
	struct og_signal chld = {.signo = SIGCHLD,
				 .code = CLD_EXITED,
				 .what = OG_SIG_DELIVERED,
				 .result = OG_SIGA_IGNORE,
				 .info_pid = 12,
				 .info_status = 3};
	struct og_exit dumped = {.code = SIGSEGV | 0x80, .flags = OG_EXITF_GROUP_DEAD};
	struct og_exit three = {.code = 3 << 8, .flags = OG_EXITF_GROUP_DEAD};
	struct trec t1 = {.type = OG_REC_SIGNAL, .tid = 9, .tgid = 9, .nr = SIGSEGV, .ts = 10, .body = &self};
	struct trec t2 = {.type = OG_REC_SIGNAL, .tid = 9, .tgid = 9, .nr = SIGSEGV, .ts = 11, .body = &fault};
	struct trec t3 = {.type = OG_REC_EXIT, .tid = 9, .tgid = 9, .ts = 12, .body = &dumped};
	struct trec t4 = {.type = OG_REC_SIGNAL, .tid = 1, .tgid = 1, .nr = SIGCHLD, .ts = 13, .body = &chld};
	struct trec t5 = {.type = OG_REC_EXIT, .tid = 1, .tgid = 1, .ts = 14, .body = &three};
	struct og_rec_buf b = {};
	struct og_print_ctx ctx = {.table = table};
	struct og_event *evs = NULL;
	char *t, *j, *one = NULL;
	size_t n = 0, len = 0;
	FILE *m;

	records(&b, &t1, &t2, &t3, &t4, &t5, NULL);
	t = render_all(&b, 0, NULL);
	ok(strstr(t, "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---\n"),
	   "the delivery as strace prints it");
	ok(strstr(t, "+++ killed by SIGSEGV (core dumped) +++\n"), "killed by SIGSEGV (core dumped)");
	ok(strstr(t, "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=12, si_uid=0, si_status=3} "
		     "(ignored: SIG_IGN) ---\n"),
	   "SIGCHLD with the child's pid and status");
	ok(strstr(t, "+++ exited with 3 +++\n"), "exited with 3");
	/* The printer proper hides a signal the process sent itself: its
	 * delivery says it all. */
	og_events_from_records(&b, &evs, &n);
	m = open_memstream(&one, &len);
	og_print_text(m, &ctx, &evs[0]);
	fclose(m);
	ok(n == 5 && len == 0, "a fault sent inside the container is not printed before its delivery");
	j = render_all(&b, 1, NULL);
	ok(strstr(j, "\"what\":\"sent\"") && strstr(j, "\"action\":\"default\",\"fatal\":true,\"core\":true"),
	   "JSON keeps the sending and says the delivery is fatal");
	free(one);
	free(evs);
	free(t);
	free(j);
	og_rec_buf_free(&b);
}

static void check_oom(void)
{
	struct og_oom o = {.anon_rss_kb = 32563,
			   .file_rss_kb = 1024,
			   .total_vm_kb = 40000,
			   .mem_usage = 32 << 20,
			   .mem_limit = 32 << 20,
			   .flags = OG_OOMF_MEMCG,
			   .killer_tgid = 20,
			   .killer_comm = "python3"};
	struct og_signal kill = {.signo = SIGKILL,
				 .code = SI_KERNEL,
				 .what = OG_SIG_SENT,
				 .flags = OG_SIGF_PRIV | OG_SIGF_GROUP,
				 .sender_tgid = 20,
				 .sender_comm = "python3"};
	struct og_exit x = {.code = SIGKILL, .flags = OG_EXITF_GROUP_DEAD | OG_EXITF_OOM};
	struct trec t1 = {.type = OG_REC_SIGNAL, .tid = 20, .tgid = 20, .nr = SIGKILL, .ts = 10, .body = &kill};
	struct trec t2 = {.type = OG_REC_OOM, .tid = 20, .tgid = 20, .ts = 11, .body = &o};
	struct trec t3 = {.type = OG_REC_EXIT, .tid = 20, .tgid = 20, .ts = 12, .body = &x};
	struct og_rec_buf b = {};
	char *t, *j;

	records(&b, &t1, &t2, &t3, NULL);
	t = render_all(&b, 0, NULL);
	ok(strstr(t, "+++ killed by SIGKILL (OOM killer: anon-rss 31.8 MiB of a 32.0 MiB limit) +++\n"),
	   "the OOM victim's end names the OOM killer, its memory and the limit");
	ok(strstr(t, "--- SIGKILL {si_signo=SIGKILL, si_code=SI_KERNEL} sent by the kernel (in python3[20]): "
		     "delivered ---\n"),
	   "the kernel's SIGKILL");
	ok(strstr(t, "--- OOM killer chose this process: anon-rss 31.8 MiB"), "the OOM killer's choice, its own line");
	j = render_all(&b, 1, NULL);
	ok(strstr(j, "\"event\":\"oom_kill\"") && strstr(j, "\"memory_limit\":33554432") &&
		   strstr(j, "\"oom_killed\":true,\"oom_anon_rss_kb\":32563"),
	   "JSON: the oom_kill event and the exit that carries it");
	free(t);
	free(j);
	og_rec_buf_free(&b);
}

static void check_crash(void)
{
	struct og_crash c = {.sig = {.signo = SIGSEGV,
				     .code = 1,
				     .addr = 0x10,
				     .what = OG_SIG_DELIVERED,
				     .flags = OG_SIGF_FATAL | OG_SIGF_CORE},
			     .nmaps = 1};
	uint8_t stack[64] = {1, 2, 3};
	uint8_t maps[OG_CRASH_MAPS * sizeof(struct og_crash_map) + 8] = {0};
	struct og_crash_map mp = {.start = 0x400000, .end = 0x500000, .pgoff = 0x1000, .path_off = 0, .path_len = 6};
	struct og_crash_frame frames[] = {{.pc = 0x401745, .text = "crash_here+0x5 (/crash)"},
					  {.pc = 0x4017a0, .text = "main+0x20 (/crash)", .guessed = true}};
	struct og_crash_stack st = {.n = 2, .frames = frames, .why = "no CFI for 0x4017a0"};
	struct trec cr = {.type = OG_REC_CRASH, .tid = 5, .tgid = 5, .nr = SIGSEGV, .ts = 5, .body = &c, .ncaps = 2};
	struct og_crash_view cv;
	struct og_rec_buf b = {};
	char *t, *j;

	c.regs[OG_REG_IP] = 0x401745;
	c.regs[OG_REG_SP] = 0x7ffd0000;
	memcpy(maps, &mp, sizeof(mp));
	memcpy(maps + OG_CRASH_MAPS * sizeof(struct og_crash_map), "/crash", 6);
	cr.caps[0] = (struct tcap){.kind = OG_ARG_STACK, .data = stack, .len = sizeof(stack)};
	cr.caps[1] = (struct tcap){.kind = OG_ARG_MAPS, .data = maps, .len = sizeof(maps) - 2};
	trec_append(&b, &cr);
	ok(og_crash_view((const struct og_rec *)b.data, &cv) == 0 && cv.stack_len == 64 && cv.nmaps == 1 &&
		   cv.stack_addr == 0x7ffd0000,
	   "a crash record's stack and mappings");
	t = render_all(&b, 0, NULL);
	ok(strstr(t, "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x10} ---\n"
		     "    ip 0x0000000000401745 (/crash+0x2745), sp 0x000000007ffd0000, 64 bytes of stack kept\n"),
	   "not unwound: the faulting address in its file, the stack kept");
	free(t);
	t = render_all(&b, 0, &st);
	ok(strstr(t, "    #0  0x0000000000401745 crash_here+0x5 (/crash)\n"
		     "    #1  0x00000000004017a0 main+0x20 (/crash) (frame pointer)\n"
		     "    (no CFI for 0x4017a0)\n"),
	   "unwound: the frames, the guessed one marked, why it stopped");
	j = render_all(&b, 1, NULL);
	ok(strstr(j, "\"event\":\"crash\"") && strstr(j, "\"maps\":[{\"start\":4194304,\"end\":5242880,\"offset\":4096,"
							 "\"path\":\"/crash\"}]"),
	   "JSON: the crash with its mappings");
	/* A mapping whose path runs past the capture is refused, not read. */
	((struct og_crash_map *)og_cap_data(og_rec_cap((const struct og_rec *)b.data, 1)))->path_len = 4000;
	ok(og_crash_view((const struct og_rec *)b.data, &cv) == -EPROTO, "a path past its capture is refused");
	free(t);
	free(j);
	og_rec_buf_free(&b);
}

/* The snapshot a thread leaves at its exit joins its delivery: one line,
 * the frames under it; JSON keeps both. */
static void check_crash_joined(void)
{
	struct og_signal del = {
		.signo = SIGSEGV, .code = 1, .what = OG_SIG_DELIVERED, .flags = OG_SIGF_FATAL | OG_SIGF_CORE};
	struct og_crash c = {.sig = del, .nmaps = 0};
	struct og_exit x = {.code = SIGSEGV, .flags = OG_EXITF_GROUP_DEAD};
	uint8_t stack[16] = {0}, maps[OG_CRASH_MAPS * sizeof(struct og_crash_map)] = {0};
	struct og_crash_frame fr = {.pc = 0x401000, .text = "main+0x10 (/app)"};
	struct og_crash_stack st = {.n = 1, .frames = &fr};
	struct og_rec_buf b = {};
	char *t, *j;

	trec_append(&b, &(struct trec){.type = OG_REC_SIGNAL, .tid = 3, .nr = SIGSEGV, .ts = 1, .body = &del});
	trec_append(&b, &(struct trec){.type = OG_REC_EXIT, .tid = 4, .ts = 2, .body = &x});
	trec_append(&b, &(struct trec){.type = OG_REC_CRASH,
				       .tid = 3,
				       .nr = SIGSEGV,
				       .ts = 3,
				       .body = &c,
				       .ncaps = 2,
				       .caps = {{.kind = OG_ARG_STACK, .data = stack, .len = sizeof(stack)},
						{.kind = OG_ARG_MAPS, .data = maps, .len = sizeof(maps)}}});
	trec_append(&b, &(struct trec){.type = OG_REC_EXIT, .tid = 3, .ts = 4, .body = &x});
	{
		struct og_print_ctx ctx = {.table = table};
		struct og_event *evs = NULL;
		char *buf = NULL;
		size_t n = 0, len = 0;
		FILE *m = open_memstream(&buf, &len);

		og_events_from_records(&b, &evs, &n);
		for (size_t i = 0; i < n; i++)
			og_print_text(m, &ctx, &evs[i]);
		fclose(m);
		ok(n == 4 && evs[0].crash == evs[2].rec && evs[2].joined, "the snapshot joins its thread's delivery");
		ok(strstr(buf, "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---\n    ip ") &&
			   !strstr(strstr(buf, "--- SIGSEGV {") + 1, "--- SIGSEGV {"),
		   "text: one SIGSEGV line, the snapshot under it, not again where it was written");
		free(buf);
		free(evs);
	}
	t = render_all(&b, 0, &st);
	ok(strstr(t, "    #0  0x0000000000401000 main+0x10 (/app)\n"), "its frames under the delivery");
	j = render_all(&b, 1, NULL);
	ok(strstr(j, "\"event\":\"signal\"") && strstr(j, "\"event\":\"crash\""),
	   "JSON: the delivery and the snapshot");
	free(t);
	free(j);
	og_rec_buf_free(&b);
}

static void check_reason(void)
{
	struct og_ring_end e = {0};

	ok(og_crash_reason(&e) == 0, "no end known: nothing abnormal");
	e.flags = OG_END_INIT_EXITED;
	ok(og_crash_reason(&e) == 0, "init exited 0: normal");
	e.init_code = 3 << 8;
	ok(og_crash_reason(&e) == OG_CRASH_WHY_EXIT, "init exited 3: abnormal");
	e.init_code = SIGKILL;
	ok(og_crash_reason(&e) == OG_CRASH_WHY_SIGNAL, "init killed: abnormal");
	e.init_code = 0;
	e.oom_kills = 1;
	ok(og_crash_reason(&e) == OG_CRASH_WHY_OOM, "an OOM kill of another process: abnormal");
}

/* A crash file built from parts reads back whole; a damaged or newer one
 * is refused with the reason. */
static void check_crashfile(void)
{
	struct og_exit x = {.code = 3 << 8, .flags = OG_EXITF_GROUP_DEAD | OG_EXITF_INIT};
	struct og_container_meta meta = {
		.version = OG_META_VERSION, .state = OG_STATE_STOPPED, .id = "c1", .name = "web"};
	struct og_crash_frame fr = {.pc = 0x401000, .text = "main+0x10 (/app)"};
	struct og_crash_stack_at at = {.pos = 64, .stack = {.n = 1, .frames = &fr}};
	struct og_crash_stacks stacks = {.n = 1, .items = &at};
	uint8_t *header = tring_new(1), *data = NULL;
	struct og_ring_end *end = (void *)(header + OG_END_OFF), got;
	struct og_rec_buf b = {0};
	struct og_crashfile cf;
	size_t len = 0;

	((struct og_ring_header *)header)->flags = OG_RING_F_END;
	end->flags = OG_END_INIT_EXITED;
	end->init_code = 3 << 8;
	trec_append(&b, &(struct trec){.tid = 1, .nr = 39, .ts = 1, .ret = 1});
	trec_append(&b, &(struct trec){.type = OG_REC_EXIT, .tid = 1, .ts = 2, .body = &x});
	ok(og_crashfile_build(&(struct og_crashfile_parts){.meta = &meta,
							   .ring_header = header,
							   .records = &b,
							   .table = table,
							   .stacks = &stacks,
							   .reason = OG_CRASH_WHY_EXIT},
			      &data, &len) == 0,
	   "a crash file is built (%zu bytes)", len);
	ok(og_crashfile_parse(data, len, "test", &cf) == 0, "it parses");
	ok(strcmp(cf.meta.name, "web") == 0 && cf.hdr.reason == OG_CRASH_WHY_EXIT, "its metadata and reason");
	ok(cf.records.len == b.len, "its records");
	ok(og_ring_end_read(&cf.view, &got) == 0 && got.init_code == 3 << 8, "its end");
	ok(og_crash_stacks_find(&cf.stacks, 64) && og_crash_stacks_find(&cf.stacks, 64)->n == 1, "its stacks");
	{
		int k = 0;

		while (k < OG_SYSCALL_TABLE_SIZE - 1 && !(table[k].flags & OG_DESC_VALID))
			k++;
		ok((table[k].flags & OG_DESC_VALID) && cf.table[k].flags == table[k].flags &&
			   cf.table[k].nargs == table[k].nargs &&
			   strcmp(cf.table[k].arg_name[0], table[k].arg_name[0]) == 0,
		   "its syscall table");
	}
	og_crashfile_close(&cf);
	((struct og_crash_file_header *)data)->version = 2;
	ok(og_crashfile_parse(data, len, "test", &cf) == -EPROTO && strstr(og_errmsg(), "version 2") &&
		   strstr(og_errmsg(), "reads version 1"),
	   "another version is refused, naming both: %s", og_errmsg());
	og_crashfile_close(&cf);
	((struct og_crash_file_header *)data)->version = OG_CRASH_FILE_VERSION;
	ok(og_crashfile_parse(data, len / 2, "test", &cf) == -EPROTO, "a cut file is refused: %s", og_errmsg());
	og_crashfile_close(&cf);
	free(data);
	free(header);
	og_rec_buf_free(&b);
}

/* Records of the view as a ring of format 4 held them: the 48-byte
 * header, the same body. */
static void records_as_format4(const struct og_rec_buf *view, struct og_rec_buf *out)
{
	out->data = malloc(view->len);
	out->len = 0;
	for (size_t off = 0; off < view->len;) {
		const struct og_rec *r = (const void *)(view->data + off);
		uint32_t len = og_tag_len(r->tag), len4 = len - (sizeof(*r) - sizeof(struct og_rec4));
		struct og_rec4 *o = (void *)(out->data + out->len);

		*o = (struct og_rec4){.tag = og_tag(out->len, len4, og_tag_state(r->tag)),
				      .ts_ns = r->ts_ns,
				      .tgid = r->tgid,
				      .tid = r->tid,
				      .nr = r->nr,
				      .type = r->type,
				      .flags = r->flags,
				      .nargs = r->nargs,
				      .ncaps = r->ncaps,
				      .cpu = r->cpu};
		memcpy(o->comm, r->comm, sizeof(o->comm));
		memcpy(o + 1, r + 1, len - sizeof(*r));
		out->len += len4;
		off += len;
	}
}

/* A crash file written before format 5 (records of format 4) reads
 * through the same view. */
static void check_crashfile_format4(void)
{
	struct og_exit x = {.code = 3 << 8, .flags = OG_EXITF_GROUP_DEAD | OG_EXITF_INIT};
	struct og_container_meta meta = {.version = OG_META_VERSION, .state = OG_STATE_STOPPED, .id = "c4"};
	uint8_t *header = tring_new(1), *data = NULL;
	struct og_rec_buf b = {0}, b4 = {0};
	struct og_crashfile cf;
	size_t len = 0;

	trec_append(&b, &(struct trec){.tid = 5, .tgid = 5, .nr = 39, .ts = 1, .ret = 5});
	trec_append(&b, &(struct trec){.type = OG_REC_EXIT, .tid = 5, .tgid = 5, .ts = 2, .body = &x});
	records_as_format4(&b, &b4);
	((struct og_ring_header *)header)->version = 4;
	og_crashfile_build(&(struct og_crashfile_parts){.meta = &meta, .ring_header = header, .records = &b4}, &data,
			   &len);
	((struct og_crash_file_header *)data)->ring_version = 4;
	ok(og_crashfile_parse(data, len, "test", &cf) == 0, "a crash file of ring format 4 parses");
	{
		const struct og_rec *r = (const void *)cf.records.data;
		const struct og_rec *e = (const void *)(cf.records.data + og_tag_len(r->tag));

		ok(cf.records.len == b.len && r->tid == 5 && r->nr == 39 && og_rec_sys(r)->ret == 5 &&
			   strcmp(r->comm, "app") == 0 && e->type == OG_REC_EXIT && r->view == 0,
		   "its format 4 records read through the view, without record numbers or container pids");
	}
	og_crashfile_close(&cf);
	free(data);
	free(header);
	og_rec_buf_free(&b);
	og_rec_buf_free(&b4);
}

int main(void)
{
	int described;

	table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
	og_syscall_table_build(NULL, table, &described);
	check_tables();
	check_killed_in_read();
	check_segv_and_exit();
	check_oom();
	check_hostile_comm();
	check_crash();
	check_crash_joined();
	check_reason();
	check_crashfile();
	check_crashfile_format4();
	free(table);
	return tap_done();
}
