// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_print_signals.h"
#include "og_json.h"
#include "og_signals.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <string.h>

bool og_signal_sent_shown(const struct og_signal *s)
{
	return (s->flags & (OG_SIGF_OUTSIDE | OG_SIGF_PRIV | OG_SIGF_BLOCKED)) || s->result != OG_SIGR_DELIVERED ||
	       s->signo == SIGKILL || s->signo == SIGSTOP;
}

static const char *result_text(uint8_t r)
{
	static const char *const text[] = {
		[OG_SIGR_DELIVERED] = "delivered",
		[OG_SIGR_IGNORED] = "ignored",
		[OG_SIGR_ALREADY_PENDING] = "already pending",
		[OG_SIGR_OVERFLOW_FAIL] = "lost (queue full)",
		[OG_SIGR_LOSE_INFO] = "delivered without its siginfo (queue full)",
	};

	return r < sizeof(text) / sizeof(text[0]) ? text[r] : "?";
}

static const char *action_text(uint8_t a)
{
	return a == OG_SIGA_DEFAULT ? "default" : a == OG_SIGA_IGNORE ? "ignore" : "handler";
}

/* strace's siginfo: {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} */
static void print_siginfo(FILE *out, const struct og_signal *s)
{
	const char *code = og_si_code_name(s->signo, s->code);
	char nbuf[16];

	fprintf(out, "{si_signo=%s, si_code=", og_signal_name(s->signo, nbuf, sizeof(nbuf)));
	if (code)
		fputs(code, out);
	else
		fprintf(out, "%d", s->code);
	if (s->flags & (OG_SIGF_NOINFO | OG_SIGF_PRIV)) {
		fputc('}', out);
		return;
	}
	if (s->info_errno)
		fprintf(out, ", si_errno=%s", strerrorname_np(s->info_errno) ?: "?");
	switch (og_siginfo_shape(s->signo, s->code)) {
	case OG_SI_FAULT:
		if (s->addr)
			fprintf(out, ", si_addr=%#" PRIx64, (uint64_t)s->addr);
		else
			fputs(", si_addr=NULL", out);
		break;
	case OG_SI_KILL: fprintf(out, ", si_pid=%d, si_uid=%u", s->info_pid, s->info_uid); break;
	case OG_SI_CHILD:
		fprintf(out, ", si_pid=%d, si_uid=%u, si_status=", s->info_pid, s->info_uid);
		if (s->code == CLD_EXITED)
			fprintf(out, "%d", s->info_status);
		else
			fputs(og_signal_name(s->info_status, nbuf, sizeof(nbuf)), out);
		break;
	case OG_SI_SECCOMP: {
		/* _sigsys: call address, then the syscall and the audit arch. */
		const char *name = og_syscall_name(OG_ARCH_X86_64, s->info_status);

		fprintf(out, ", si_call_addr=%#" PRIx64 ", si_syscall=", (uint64_t)s->addr);
		if (name)
			fprintf(out, "__NR_%s", name);
		else
			fprintf(out, "%d", s->info_status);
		break;
	}
	case OG_SI_PLAIN: break;
	}
	fputc('}', out);
}

static void print_sender(FILE *out, const struct og_signal *s)
{
	char comm[4 * OG_COMM_LEN + 1];

	og_escape_field(comm, sizeof(comm), s->sender_comm, sizeof(s->sender_comm));
	if (s->flags & OG_SIGF_PRIV) {
		fprintf(out, " sent by the kernel (in %s[%u])", comm, s->sender_tgid);
		return;
	}
	fprintf(out, " sent by %s[%u]", comm, s->sender_tgid);
	if (s->flags & OG_SIGF_OUTSIDE)
		fputs(" (outside the container)", out);
}

/* "+++ killed by SIGKILL (OOM killer: anon-rss 31.8 MiB of a 32.0 MiB limit) +++" */
static void print_exit(FILE *out, const struct og_event *ev)
{
	const struct og_exit *x = og_rec_body(ev->rec);
	char nbuf[16];

	if (!(x->code & 0x7f)) {
		fprintf(out, "+++ exited with %d +++\n", (x->code >> 8) & 0xff);
		return;
	}
	fprintf(out, "+++ killed by %s", og_signal_name(x->code & 0x7f, nbuf, sizeof(nbuf)));
	if (x->code & 0x80)
		fputs(" (core dumped)", out);
	if (ev->oom) {
		const struct og_oom *o = og_rec_body(ev->oom);
		char rss[32], lim[32];

		fprintf(out, " (OOM killer: anon-rss %s", og_format_bytes(rss, sizeof(rss), o->anon_rss_kb << 10));
		if ((o->flags & OG_OOMF_MEMCG) && o->mem_limit != ~0ULL)
			fprintf(out, " of a %s limit", og_format_bytes(lim, sizeof(lim), o->mem_limit));
		fputc(')', out);
	} else if (x->flags & OG_EXITF_OOM) {
		fputs(" (OOM killer)", out);
	}
	fputs(" +++\n", out);
}

static void print_oom(FILE *out, const struct og_oom *o)
{
	char b[5][32], comm[4 * OG_COMM_LEN + 1];

	og_escape_field(comm, sizeof(comm), o->killer_comm, sizeof(o->killer_comm));
	fprintf(out, "--- OOM killer chose this process: anon-rss %s, file-rss %s, shmem-rss %s, total-vm %s",
		og_format_bytes(b[0], sizeof(b[0]), o->anon_rss_kb << 10),
		og_format_bytes(b[1], sizeof(b[1]), o->file_rss_kb << 10),
		og_format_bytes(b[2], sizeof(b[2]), o->shmem_rss_kb << 10),
		og_format_bytes(b[3], sizeof(b[3]), o->total_vm_kb << 10));
	fprintf(out, ", oom_score_adj %d", o->oom_score_adj);
	if (o->flags & OG_OOMF_MEMCG) {
		fprintf(out, "; its memory cgroup at %s", og_format_bytes(b[4], sizeof(b[4]), o->mem_usage));
		if (o->mem_limit != ~0ULL)
			fprintf(out, " of a %s limit", og_format_bytes(b[0], sizeof(b[0]), o->mem_limit));
		else
			fputs(", no limit", out);
	}
	fprintf(out, "; the allocation was %s[%u]'s ---\n", comm, o->killer_tgid);
}

/* The mapping holding addr, as "path+0xoffset", or NULL. */
static bool map_of(const struct og_crash_view *cv, uint64_t addr, char *buf, size_t size)
{
	for (size_t i = 0; i < cv->nmaps; i++) {
		const struct og_crash_map *m = &cv->maps[i];

		if (addr >= m->start && addr < m->end) {
			snprintf(buf, size, "%.*s+%#" PRIx64, (int)m->path_len, cv->paths + m->path_off,
				 (uint64_t)(addr - m->start + m->pgoff));
			return true;
		}
	}
	return false;
}

static void print_crash(FILE *out, const struct og_rec *r, const struct og_crash_stack *stack)
{
	struct og_crash_view cv;
	char where[320];

	if (og_crash_view(r, &cv) < 0) {
		fputs("    (the crash record's stack and mappings are inconsistent: not shown)\n", out);
		return;
	}
	if (stack && stack->n) {
		for (size_t i = 0; i < stack->n; i++) {
			fprintf(out, "    #%-2zu 0x%016" PRIx64 " ", i, stack->frames[i].pc);
			og_print_escaped(out, stack->frames[i].text, strlen(stack->frames[i].text));
			fputs(stack->frames[i].guessed ? " (frame pointer)\n" : "\n", out);
		}
	} else {
		uint64_t ip = cv.crash->regs[OG_REG_IP];

		fprintf(out, "    ip 0x%016" PRIx64, ip);
		if (map_of(&cv, ip, where, sizeof(where))) {
			fputs(" (", out);
			og_print_escaped(out, where, strlen(where));
			fputc(')', out);
		}
		fprintf(out, ", sp 0x%016" PRIx64 ", %zu bytes of stack kept%s\n", cv.stack_addr, cv.stack_len,
			cv.stack_withheld ? " (withheld: capture-bytes off)" : "");
	}
	if (stack && stack->why) {
		fputs("    (", out);
		og_print_escaped(out, stack->why, strlen(stack->why));
		fputs(")\n", out);
	}
}

int og_print_signals_text(FILE *out, const struct og_event *ev, const struct og_crash_stack *stack)
{
	const struct og_rec *r = ev->rec;

	switch (r->type) {
	case OG_REC_SIGNAL:
	case OG_REC_CRASH: {
		const struct og_signal *s = og_rec_body(r);
		char nbuf[16];

		fprintf(out, "--- %s ", og_signal_name(s->signo, nbuf, sizeof(nbuf)));
		print_siginfo(out, s);
		if (s->what == OG_SIG_SENT) {
			print_sender(out, s);
			fprintf(out, ": %s%s", result_text(s->result),
				(s->flags & OG_SIGF_BLOCKED) ? ", blocked: pending until unblocked" : "");
		} else if (s->result == OG_SIGA_IGNORE) {
			fputs(" (ignored: SIG_IGN)", out);
		}
		fputs(" ---\n", out);
		if (r->type == OG_REC_CRASH || ev->crash)
			print_crash(out, r->type == OG_REC_CRASH ? r : ev->crash, stack);
		break;
	}
	case OG_REC_EXIT: print_exit(out, ev); break;
	case OG_REC_OOM: print_oom(out, og_rec_body(r)); break;
	default: fprintf(out, "(record of type %u)\n", r->type);
	}
	return ferror(out) ? og_err(EIO, "write output") : 0;
}

/* "key": {"pid": ..., "tid": ..., "comm": ...}: another task a record names. */
static void json_task(yajl_gen g, const char *key, uint32_t tgid, uint32_t tid, const char *comm_field)
{
	char comm[OG_COMM_LEN + 1];

	og_json_key(g, key);
	yajl_gen_map_open(g);
	og_json_u64(g, "pid", tgid);
	og_json_u64(g, "tid", tid);
	og_strfield_n(comm, sizeof(comm), comm_field, OG_COMM_LEN);
	og_json_str(g, "comm", comm);
	yajl_gen_map_close(g);
}

static void json_signal(yajl_gen g, const struct og_signal *s)
{
	const char *code = og_si_code_name(s->signo, s->code);
	char nbuf[16];

	og_json_str(g, "what", s->what == OG_SIG_SENT ? "sent" : "delivered");
	og_json_str(g, "signal", og_signal_name(s->signo, nbuf, sizeof(nbuf)));
	og_json_int(g, "signo", s->signo);
	if (code)
		og_json_str(g, "si_code", code);
	else
		og_json_int(g, "si_code", s->code);
	switch (s->flags & (OG_SIGF_NOINFO | OG_SIGF_PRIV) ? OG_SI_PLAIN : og_siginfo_shape(s->signo, s->code)) {
	case OG_SI_FAULT: og_json_u64(g, "si_addr", s->addr); break;
	case OG_SI_CHILD: og_json_int(g, "si_status", s->info_status); /* fallthrough */
	case OG_SI_KILL:
		og_json_int(g, "si_pid", s->info_pid);
		og_json_u64(g, "si_uid", s->info_uid);
		break;
	case OG_SI_SECCOMP:
		og_json_u64(g, "si_call_addr", s->addr);
		og_json_int(g, "si_syscall", s->info_status);
		break;
	case OG_SI_PLAIN: break;
	}
	if (s->what == OG_SIG_SENT) {
		og_json_str(g, "result", result_text(s->result));
		og_json_bool(g, "blocked", s->flags & OG_SIGF_BLOCKED);
		og_json_bool(g, "outside", s->flags & OG_SIGF_OUTSIDE);
		og_json_bool(g, "by_kernel", s->flags & OG_SIGF_PRIV);
		json_task(g, "sender", s->sender_tgid, s->sender_tid, s->sender_comm);
	} else {
		og_json_str(g, "action", action_text(s->result));
		og_json_bool(g, "fatal", s->flags & OG_SIGF_FATAL);
		og_json_bool(g, "core", s->flags & OG_SIGF_CORE);
	}
}

static void json_crash(yajl_gen g, const struct og_rec *r, const struct og_crash_stack *stack)
{
	struct og_crash_view cv;

	og_json_key(g, "crash");
	yajl_gen_map_open(g);
	if (og_crash_view(r, &cv) < 0) {
		og_json_str(g, "error", "the record's stack and mappings are inconsistent");
		yajl_gen_map_close(g);
		return;
	}
	og_json_u64(g, "ip", cv.crash->regs[OG_REG_IP]);
	og_json_u64(g, "sp", cv.stack_addr);
	og_json_u64(g, "stack_bytes", cv.stack_len);
	if (cv.stack_withheld)
		og_json_bool(g, "stack_withheld", true);
	og_json_bool(g, "i386", cv.crash->flags & OG_CRASHF_I386);
	og_json_key(g, "maps");
	yajl_gen_array_open(g);
	for (size_t i = 0; i < cv.nmaps; i++) {
		yajl_gen_map_open(g);
		og_json_u64(g, "start", cv.maps[i].start);
		og_json_u64(g, "end", cv.maps[i].end);
		og_json_u64(g, "offset", cv.maps[i].pgoff);
		og_json_bytes_field(g, "path", cv.paths + cv.maps[i].path_off, cv.maps[i].path_len);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	if (cv.crash->flags & OG_CRASHF_MAPS_FULL)
		og_json_bool(g, "maps_truncated", true);
	if (cv.crash->flags & OG_CRASHF_MAPS_BUSY)
		og_json_bool(g, "maps_locked", true);
	if (stack) {
		og_json_key(g, "frames");
		yajl_gen_array_open(g);
		for (size_t i = 0; i < stack->n; i++) {
			yajl_gen_map_open(g);
			og_json_u64(g, "pc", stack->frames[i].pc);
			og_json_str(g, "text", stack->frames[i].text);
			if (stack->frames[i].guessed)
				og_json_bool(g, "frame_pointer", true);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
		if (stack->why)
			og_json_str(g, "unwind_stopped", stack->why);
	}
	yajl_gen_map_close(g);
}

void og_print_signals_json(yajl_gen g, const struct og_event *ev, const struct og_crash_stack *stack)
{
	const struct og_rec *r = ev->rec;

	switch (r->type) {
	case OG_REC_SIGNAL: json_signal(g, og_rec_body(r)); break;
	case OG_REC_CRASH:
		json_signal(g, og_rec_body(r));
		json_crash(g, r, stack);
		break;
	case OG_REC_EXIT: {
		const struct og_exit *x = og_rec_body(r);
		char nbuf[16];

		og_json_int(g, "status", x->code);
		if (x->code & 0x7f) {
			og_json_str(g, "killed_by", og_signal_name(x->code & 0x7f, nbuf, sizeof(nbuf)));
			og_json_bool(g, "core_dumped", x->code & 0x80);
		} else {
			og_json_int(g, "exit_code", (x->code >> 8) & 0xff);
		}
		og_json_bool(g, "process_ended", x->flags & OG_EXITF_GROUP_DEAD);
		og_json_bool(g, "init", x->flags & OG_EXITF_INIT);
		og_json_bool(g, "oom_killed", x->flags & OG_EXITF_OOM);
		if (ev->oom) {
			const struct og_oom *o = og_rec_body(ev->oom);

			og_json_u64(g, "oom_anon_rss_kb", o->anon_rss_kb);
			if ((o->flags & OG_OOMF_MEMCG) && o->mem_limit != ~0ULL)
				og_json_u64(g, "oom_memory_limit", o->mem_limit);
		}
		og_json_u64(g, "cpu_user_ns", x->utime_ns);
		og_json_u64(g, "cpu_system_ns", x->stime_ns);
		if (r->ts_ns >= x->start_ns)
			og_json_u64(g, "lifetime_ns", r->ts_ns - x->start_ns);
		break;
	}
	case OG_REC_OOM: {
		const struct og_oom *o = og_rec_body(r);

		og_json_u64(g, "anon_rss_kb", o->anon_rss_kb);
		og_json_u64(g, "file_rss_kb", o->file_rss_kb);
		og_json_u64(g, "shmem_rss_kb", o->shmem_rss_kb);
		og_json_u64(g, "total_vm_kb", o->total_vm_kb);
		og_json_u64(g, "pgtables_kb", o->pgtables_kb);
		og_json_int(g, "oom_score_adj", o->oom_score_adj);
		og_json_u64(g, "uid", o->uid);
		if (o->flags & OG_OOMF_MEMCG) {
			og_json_u64(g, "memory_usage", o->mem_usage);
			if (o->mem_limit != ~0ULL)
				og_json_u64(g, "memory_limit", o->mem_limit);
		}
		json_task(g, "allocator", o->killer_tgid, o->killer_tid, o->killer_comm);
		break;
	}
	default: og_json_int(g, "type", r->type);
	}
}
