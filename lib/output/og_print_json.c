// SPDX-License-Identifier: GPL-2.0-or-later
/* Events as JSON Lines (og_print_json); the text printer and the helpers
 * both share are og_print.c's. */
#include "config.h"
#include "og_print.h"
#include "og_decode.h"
#include "og_decode_structs.h"
#include "og_json.h"
#include "og_events.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

/* An argv capture's strings as an array: as text, or (hex) their bytes in
 * hex. Whether the text holds them all exactly. */
static bool gen_argv(yajl_gen g, const struct og_cap *c, bool hex)
{
	const char *data = og_cap_data(c);
	bool exact = true;
	size_t off = 0;

	yajl_gen_array_open(g);
	for (int i = 0; i < c->count && off < c->len; i++) {
		size_t sl = strnlen(data + off, c->len - off);

		if (hex)
			og_json_hex(g, data + off, sl);
		else
			exact &= og_json_bytes(g, data + off, sl);
		off += sl + 1;
	}
	yajl_gen_array_close(g);
	return exact;
}

/* A capture's fields inside an open JSON map. */
static void gen_cap(yajl_gen g, const struct og_cap *c, __u8 fmt)
{
	const char *data = og_cap_data(c);
	size_t len = c->len;

	if (c->flags & OG_CAP_UNREADABLE)
		og_json_bool(g, "unreadable", true);
	if (c->flags & OG_CAP_TRUNCATED)
		og_json_bool(g, "truncated", true);
	if (c->flags & OG_CAP_RETRIED)
		og_json_bool(g, "retried", true);
	if (c->flags & OG_CAP_WITHHELD)
		og_json_bool(g, "withheld", true);
	if (c->flags & OG_CAP_LOST)
		og_json_bool(g, "lost", true);
	if (((c->flags & OG_CAP_UNREADABLE) && !len) || (c->flags & OG_CAP_WITHHELD) || og_kind_is_decoded(c->kind))
		return;
	if (c->kind == OG_ARG_ARGV) {
		/* An argument that is not UTF-8: argv_hex has them all exactly. */
		og_json_key(g, "argv");
		if (!gen_argv(g, c, false)) {
			og_json_key(g, "argv_hex");
			gen_argv(g, c, true);
		}
		return;
	}
	if (c->kind == OG_ARG_SOCKADDR) {
		char text[OG_STRUCT_TEXT_MAX];

		og_decode_sockaddr(data, len, text, sizeof(text));
		og_json_str(g, "str", text);
		return;
	}
	og_json_bytes_field(g, "str", data, og_print_cap_text_len(c, fmt));
}

static void gen_kstack(yajl_gen g, const struct og_print_ctx *ctx, const struct og_rec *r)
{
	const char *const *frames;
	uint32_t id;

	if (!r || !(r->flags & OG_RF_KSTACK))
		return;
	id = og_rec_sys(r)->kstack;
	og_json_int(g, "kstack_id", id);
	if (!ctx->kstack || !(frames = ctx->kstack(ctx->kstack_arg, id)))
		return;
	og_json_key(g, "kstack");
	yajl_gen_array_open(g);
	for (; *frames; frames++)
		og_json_bytes(g, *frames, strlen(*frames));
	yajl_gen_array_close(g);
}

static void gen_common(yajl_gen g, const struct og_print_ctx *ctx, const struct og_rec *r, const char *event)
{
	char comm[OG_COMM_LEN + 1], time[64];

	og_strfield_n(comm, sizeof(comm), r->comm[0] ? r->comm : "?", OG_COMM_LEN);
	og_print_wall_time(time, sizeof(time), (int64_t)r->ts_ns + ctx->boot_to_real_ns, 9);
	og_json_str(g, "event", event);
	og_json_u64(g, "ts_ns", r->ts_ns);
	og_json_str(g, "time", time);
	og_json_int(g, "cpu", r->cpu);
	og_json_int(g, "pid", r->tgid);
	og_json_int(g, "tid", r->tid);
	if (r->view & OG_VIEW_NS) {
		og_json_int(g, "ns_pid", r->ns_tgid);
		og_json_int(g, "ns_tid", r->ns_tid);
	}
	og_json_str(g, "comm", comm);
	if (r->view & OG_VIEW_SEQ)
		og_json_u64(g, "seq", og_rec_seq(r));
}

static void gen_field(yajl_gen g, const struct og_event_field *f, const __u64 *a)
{
	uint64_t v = a[f->slot];

	switch (f->fmt) {
	case OG_FIELD_SIGNED: og_json_int(g, f->key, (int64_t)v); break;
	case OG_FIELD_BOOL: og_json_bool(g, f->key, v != 0); break;
	default: og_json_u64(g, f->key, v);
	}
}

static void gen_fields(yajl_gen g, const struct og_event_kind_info *k, enum og_field_place place, const __u64 *a)
{
	for (int i = 0; i < OG_EVENT_MAX_FIELDS && k->fields[i].key; i++)
		if (k->fields[i].place == place)
			gen_field(g, &k->fields[i], a);
}

static int print_probe_json(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev)
{
	const struct og_rec *r = ev->rec;
	const struct og_event_kind_info *k = og_event_kind(r->nr);
	const struct og_cap *cap = og_rec_cap(r, 0);
	__u64 a[OG_NARGS] = {};
	yajl_gen g = og_json_line_begin();

	if (!g)
		return og_err(ENOMEM, "JSON generator");
	memcpy(a, og_rec_args(r), r->nargs * sizeof(__u64));
	yajl_gen_map_open(g);
	gen_common(g, ctx, r, og_event_name(ev));
	if (!k) {
		og_json_int(g, "kind", r->nr);
	} else {
		if (k->variant.key)
			og_json_str(g, k->variant.key, k->variant.value);
		if (k->attr.key)
			og_json_str(g, k->attr.key, k->attr.value);
		gen_fields(g, k, OG_FIELD_ARG, a);
		gen_fields(g, k, OG_FIELD_RET, a);
		gen_fields(g, k, OG_FIELD_OUT, a);
		if (k->flags & OG_EK_RETURNS)
			og_json_u64(g, "duration_ns", a[OG_EA_DURATION]);
		if (k->flags & OG_EK_USTACK)
			og_json_int(g, "stack_id", og_ustack_id(a[OG_EA_STACK]));
		if (k->cap_key && cap && cap->kind == OG_ARG_STR) {
			og_json_bytes_field(g, k->cap_key, og_cap_data(cap), og_print_cap_text_len(cap, OG_FMT_HEX));
		} else if (k->cap_key && cap) {
			og_json_key(g, k->cap_key);
			yajl_gen_map_open(g);
			gen_cap(g, cap, OG_FMT_HEX);
			yajl_gen_map_close(g);
		}
	}
	yajl_gen_map_close(g);
	return og_json_line_end(out, g);
}

static int print_signals_json(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev)
{
	yajl_gen g = og_json_line_begin();

	if (!g)
		return og_err(ENOMEM, "JSON generator");
	yajl_gen_map_open(g);
	gen_common(g, ctx, ev->rec, og_event_name(ev));
	if (ev->runtime)
		og_json_bool(g, "runtime", true);
	og_print_signals_json(g, ev, ev->rec->type == OG_REC_CRASH ? og_print_crash_stack(ctx, ev) : NULL);
	yajl_gen_map_close(g);
	return og_json_line_end(out, g);
}

int og_print_json(FILE *out, const struct og_print_ctx *ctx, const struct og_event *ev)
{
	if (og_event_is_probe(ev))
		return print_probe_json(out, ctx, ev);
	if (!og_event_is_syscall(ev))
		return print_signals_json(out, ctx, ev);
	const struct og_rec *enter = og_event_enter(ev), *first = ev->rec;
	const struct og_syscall_desc *d = og_print_desc(ctx, first);
	const struct og_sys *x = og_event_exit_sys(ev);
	char nbuf[32];
	const char *name = og_event_syscall_name(ev, nbuf, sizeof(nbuf));
	yajl_gen g = og_json_line_begin();
	char fdp[OG_FD_PATH * 4 + 64], rdec[OG_STRUCT_TEXT_MAX];
	uint64_t dur;

	if (!g)
		return og_err(ENOMEM, "JSON generator");
	yajl_gen_map_open(g);
	gen_common(g, ctx, first, "syscall");
	if (ev->exit && ev->exit != first && (ev->exit->view & OG_VIEW_SEQ))
		og_json_u64(g, "exit_seq", og_rec_seq(ev->exit));
	if (ev->runtime)
		og_json_bool(g, "runtime", true);
	og_json_str(g, "syscall", name);
	og_json_int(g, "nr", first->nr);
	og_json_str(g, "arch", og_rec_arch(first) == OG_ARCH_I386 ? "i386" : "x86_64");
	og_json_key(g, "args");
	yajl_gen_array_open(g);
	if (enter) {
		const __u64 *args = og_rec_args(enter);
		int nargs = d ? d->nargs : enter->nargs;

		if (nargs > enter->nargs)
			nargs = enter->nargs;
		for (int i = 0; i < nargs; i++) {
			const struct og_cap *c = og_print_arg_cap(ev, i);
			uint64_t v = args[i];
			char dec[OG_STRUCT_TEXT_MAX];

			yajl_gen_map_open(g);
			if (d) {
				og_json_str(g, "name", d->arg_name[i]);
			} else {
				char an[8];
				snprintf(an, sizeof(an), "arg%d", i);
				og_json_str(g, "name", an);
			}
			og_json_key(g, "value");
			if (d && og_print_fmt_signed(d->fmt[i]))
				og_json_value_int(g, (int32_t)v);
			else
				og_json_value_u64(g, v);
			/* strace's symbolic form beside the raw value. */
			if (!og_print_cap_shown(ev, c) &&
			    og_decode_arg(name, d ? d->fmt[i] : OG_FMT_HEX, i, args, nargs, dec, sizeof(dec)))
				og_json_str(g, "decoded", dec);
			/* AT_FDCWD is decoded and has a path: both. */
			if (!og_print_cap_shown(ev, c) &&
			    og_print_arg_fd(ctx, enter, d ? d->fmt[i] : OG_FMT_HEX, v, fdp, sizeof(fdp)))
				og_json_str(g, "fd_path", fdp);
			if (c && (og_kind_is_decoded(c->kind) || c->kind == OG_ARG_SOCKADDR) &&
			    og_print_struct_decoded(ev, d, c, dec, sizeof(dec), NULL)) {
				og_json_str(g, "decoded", dec);
				og_json_key(g, "struct");
				og_print_struct_decoded(ev, d, c, dec, sizeof(dec), g);
			}
			if (og_print_cap_shown(ev, c))
				gen_cap(g, c, d ? d->fmt[i] : OG_FMT_HEX);
			yajl_gen_map_close(g);
		}
	} else {
		for (int i = 0; i < first->ncaps; i++) {
			const struct og_cap *c = og_rec_cap(first, i);

			yajl_gen_map_open(g);
			og_json_str(g, "name", d ? d->arg_name[c->arg] : "arg");
			gen_cap(g, c, og_print_cap_fmt(d, c));
			yajl_gen_map_close(g);
		}
	}
	yajl_gen_array_close(g);
	if (x && !og_event_returned(ev)) {
		og_json_str(g, "interrupted", og_restart_name(x->ret));
	} else if (x) {
		og_json_int(g, "ret", x->ret);
		if (og_print_ret_fd(ctx, ev, d, x->ret, fdp, sizeof(fdp)))
			og_json_str(g, "ret_fd_path", fdp);
		if (enter && og_decode_ret(name, og_rec_args(enter), enter->nargs, x->ret, rdec, sizeof(rdec))) {
			og_json_str(g, "ret_decoded", rdec); /* strace's part after a return that is flags */
		} else if (og_print_ret_structs(ev, d, rdec, sizeof(rdec), NULL)) {
			/* strace's part after the return value, and its fields */
			og_json_str(g, "ret_decoded", rdec);
			og_json_key(g, "ret_struct");
			yajl_gen_map_open(g);
			og_print_ret_structs(ev, d, rdec, sizeof(rdec), g);
			yajl_gen_map_close(g);
		}
		if (x->ret < 0 && x->ret >= -4095)
			og_json_str(g, "errno", og_errno_name((int)-x->ret));
		if (og_event_duration(ev, &dur))
			og_json_u64(g, "duration_ns", dur);
	}
	og_json_bool(g, "complete", enter && og_event_returned(ev));
	if (og_event_fork_child(ev))
		og_json_bool(g, "fork_child", true);
	if (ev->died)
		og_json_bool(g, "died", true);
	gen_kstack(g, ctx, enter);
	yajl_gen_map_close(g);
	return og_json_line_end(out, g);
}
