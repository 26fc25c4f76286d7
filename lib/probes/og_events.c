// SPDX-License-Identifier: GPL-2.0-or-later
/* The event kinds: one row each, and everything derived from the rows. */
#include "config.h"
#include "og_events.h"
#include "og_util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The families, in the order of their bits. */
static const struct og_family_info families[] = {
	{
		.bit = OG_FAM_MALLOC,
		.name = "malloc",
		.nothing = "no libc (libc.so.6, musl) in the image's ld.so.cache or library directories, and no "
			   "static program with symbols",
	},
	{
		.bit = OG_FAM_SSL,
		.name = "ssl",
		.nothing = "no libssl.so.3 nor libgnutls.so.30 in the image's ld.so.cache or library directories",
	},
	{
		.bit = OG_FAM_GC,
		.name = "gc",
		.runtimes = true,
		.nothing = "no python3, python, python3.N or java with gc probes along PATH",
	},
	{
		.bit = OG_FAM_EXCEPTIONS,
		.name = "exceptions",
		.nothing = "no libstdc++.so.6 with throw/rethrow probes in the image",
	},
};
#define NFAMILIES (sizeof(families) / sizeof(families[0]))

static const struct og_lib_info libs[OG_LIBS] = {
	[OG_LIB_LIBC] = {.name = "libc",
			 .sonames = {"libc.so.6", "libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1"},
			 .static_copies = true},
	[OG_LIB_LIBSSL] = {.name = "libssl", .sonames = {"libssl.so.3"}},
	[OG_LIB_GNUTLS] = {.name = "gnutls", .sonames = {"libgnutls.so.30"}},
	[OG_LIB_LIBSTDCXX] = {.name = "libstdc++", .sonames = {"libstdc++.so.6"}},
};

/* clang-format off */
/* What rows share, named once. A libc function of the malloc family: */
#define LIBC(sym) .family = OG_FAM_MALLOC, .lib = OG_LIB_LIBC, .symbol = sym
/* Size in, address out: */
#define SIZE_ARG(i) {.key = "size", .slot = OG_EA_SIZE, .from = OG_FROM_ARG(i)}
#define ADDR_ARG0 {.key = "addr", .slot = OG_EA_ADDR, .from = OG_FROM_ARG(0), .fmt = OG_FIELD_ADDR}
#define ADDR_RET {.key = "addr", .slot = OG_EA_ADDR, .from = OG_FROM_RET, .fmt = OG_FIELD_ADDR, .place = OG_FIELD_RET}
#define RET_SIGNED {.key = "ret", .slot = OG_EA_RET, .from = OG_FROM_RET, .fmt = OG_FIELD_SIGNED, .place = OG_FIELD_RET}
/* A TLS read or write, SSL_write(ssl, buf, num) or gnutls_record_send(session,
 * data, size), of a library group, its variant, in direction dir: */
#define TLS(group, variant_, dir)                                                                     \
	.family = OG_FAM_SSL, .lib = group, .variant = {"lib", variant_}, .attr = {"direction", dir}, \
	.fields = {SIZE_ARG(2), RET_SIGNED}, .capture = OG_CAPTURE_RETURNED(1), .cap_key = "plaintext"
/* libstdcxx:throw and rethrow (void *obj, std::type_info *tinfo): */
#define THROW(probe)                                                                                  \
	.family = OG_FAM_EXCEPTIONS, .lib = OG_LIB_LIBSTDCXX, .usdt = {{"libstdcxx", probe}},         \
	.fields = {{.key = "obj", .slot = OG_EA_ADDR, .from = OG_FROM_ARG(0), .fmt = OG_FIELD_ADDR}}, \
	.capture = OG_CAPTURE_TYPE_NAME(1), .cap_key = "type"

/*
 * Every event kind, one row, indexed by its number (og_format.h). Adding
 * a kind is a number and a row: the planner places it, gadget-tracer gives
 * the programs its descriptor, the printers and --event know it.
 */
static const struct og_event_kind_info kinds[OG_EV_MAX] = {
	[OG_EV_MALLOC] = {.name = "malloc", LIBC("malloc"), .flags = OG_EK_RETURNS | OG_EK_ALLOC | OG_EK_USTACK,
		.fields = {SIZE_ARG(0), ADDR_RET}},
	[OG_EV_CALLOC] = {.name = "calloc", LIBC("calloc"), .flags = OG_EK_RETURNS | OG_EK_ALLOC | OG_EK_USTACK,
		.fields = {{.key = "size", .slot = OG_EA_SIZE, .from = OG_FROM_PRODUCT(0, 1)}, ADDR_RET}},
	[OG_EV_REALLOC] = {.name = "realloc", LIBC("realloc"), .flags = OG_EK_RETURNS | OG_EK_REALLOC | OG_EK_USTACK,
		.fields = {{.key = "old_addr", .slot = OG_EA_OLD, .from = OG_FROM_ARG(0), .fmt = OG_FIELD_ADDR},
			   SIZE_ARG(1), ADDR_RET}},
	[OG_EV_FREE] = {.name = "free", LIBC("free"), .flags = OG_EK_FREE, .fields = {ADDR_ARG0}},
	/* int posix_memalign(void **memptr, size_t alignment, size_t size) */
	[OG_EV_POSIX_MEMALIGN] = {.name = "posix_memalign", LIBC("posix_memalign"),
		.flags = OG_EK_RETURNS | OG_EK_ALLOC | OG_EK_USTACK | OG_EK_RET_OK0,
		.fields = {SIZE_ARG(2), RET_SIGNED,
			   {.key = "addr", .slot = OG_EA_ADDR, .from = OG_FROM_STORED(0), .fmt = OG_FIELD_ADDR,
			    .place = OG_FIELD_OUT}}},
	[OG_EV_ALIGNED_ALLOC] = {.name = "aligned_alloc", LIBC("aligned_alloc"),
		.flags = OG_EK_RETURNS | OG_EK_ALLOC | OG_EK_USTACK, .fields = {SIZE_ARG(1), ADDR_RET}},
	[OG_EV_MMAP] = {.name = "mmap", LIBC("mmap"), .flags = OG_EK_RETURNS | OG_EK_USTACK,
		.fields = {SIZE_ARG(1), ADDR_RET}},
	[OG_EV_MUNMAP] = {.name = "munmap", LIBC("munmap"), .fields = {ADDR_ARG0, SIZE_ARG(1)}},
	[OG_EV_SSL_WRITE] = {.name = "ssl_write", .symbol = "SSL_write", .flags = OG_EK_RETURNS,
		TLS(OG_LIB_LIBSSL, "openssl", "write")},
	[OG_EV_SSL_READ] = {.name = "ssl_read", .symbol = "SSL_read", .flags = OG_EK_RETURNS,
		TLS(OG_LIB_LIBSSL, "openssl", "read")},
	/* SSL_write_ex(ssl, buf, num, &written): 1 and the count through arg 4 */
	[OG_EV_SSL_WRITE_EX] = {.name = "ssl_write", .symbol = "SSL_write_ex",
		.flags = OG_EK_RETURNS | OG_EK_COUNT_ARG4, TLS(OG_LIB_LIBSSL, "openssl", "write")},
	[OG_EV_SSL_READ_EX] = {.name = "ssl_read", .symbol = "SSL_read_ex",
		.flags = OG_EK_RETURNS | OG_EK_COUNT_ARG4, TLS(OG_LIB_LIBSSL, "openssl", "read")},
	[OG_EV_GNUTLS_SEND] = {.name = "ssl_write", .symbol = "gnutls_record_send", .flags = OG_EK_RETURNS,
		TLS(OG_LIB_GNUTLS, "gnutls", "write")},
	[OG_EV_GNUTLS_RECV] = {.name = "ssl_read", .symbol = "gnutls_record_recv", .flags = OG_EK_RETURNS,
		TLS(OG_LIB_GNUTLS, "gnutls", "read")},
	/* A collection's start: python's generation, java's "full" flag. */
	[OG_EV_GC_START] = {.name = "gc_start", .family = OG_FAM_GC, .flags = OG_EK_INTERNAL,
		.usdt = {{"python", "gc__start"}, {"hotspot", "gc__begin"}}},
	[OG_EV_GC_PYTHON] = {.name = "gc", .family = OG_FAM_GC, .flags = OG_EK_RETURNS,
		.usdt = {{"python", "gc__done"}}, .start = OG_EV_GC_START, .variant = {"runtime", "python"},
		.fields = {{.key = "generation", .slot = OG_EA_SIZE, .from = OG_FROM_START(0)},
			   {.key = "collected", .slot = OG_EA_RET, .from = OG_FROM_ARG(0), .fmt = OG_FIELD_SIGNED,
			    .place = OG_FIELD_OUT}}},
	[OG_EV_GC_JAVA] = {.name = "gc", .family = OG_FAM_GC, .flags = OG_EK_RETURNS,
		.usdt = {{"hotspot", "gc__end"}}, .start = OG_EV_GC_START, .variant = {"runtime", "java"},
		.fields = {{.key = "full", .slot = OG_EA_SIZE, .from = OG_FROM_START(0), .fmt = OG_FIELD_BOOL}}},
	[OG_EV_THROW] = {.name = "throw", THROW("throw")},
	[OG_EV_RETHROW] = {.name = "rethrow", THROW("rethrow")},
};
/* clang-format on */

const struct og_event_kind_info *og_event_kind(uint32_t kind)
{
	return kind < OG_EV_MAX && kinds[kind].name ? &kinds[kind] : NULL;
}

const struct og_family_info *og_family(uint32_t bit)
{
	for (size_t i = 0; i < NFAMILIES; i++)
		if (families[i].bit == bit)
			return &families[i];
	return NULL;
}

const struct og_lib_info *og_lib(enum og_lib lib)
{
	return lib > OG_LIB_NONE && lib < OG_LIBS ? &libs[lib] : NULL;
}

/* Which programs a kind runs in, and so which sources they can fill. */
static bool is_function(const struct og_event_kind_info *k)
{
	return k->symbol != NULL;
}

static bool at_return(const struct og_event_kind_info *k)
{
	return is_function(k) && (k->flags & OG_EK_RETURNS);
}

/* A source the kind's program can fill: at a function's return, the
 * return value and what it computes from it; in a USDT end probe, its
 * start's arguments. */
static int check_from(const struct og_event_kind_info *k, uint8_t from)
{
	switch (OG_FROM_OP(from)) {
	case OG_FROM_OP_ARG: return OG_FROM_J(from) ? -EINVAL : 0;
	case OG_FROM_OP_RET: return at_return(k) && !(from & 0xf) ? 0 : -EINVAL;
	case OG_FROM_OP_PRODUCT: return at_return(k) ? 0 : -EINVAL;
	case OG_FROM_OP_STORED: return at_return(k) && !OG_FROM_J(from) ? 0 : -EINVAL;
	case OG_FROM_OP_START: return k->start && !OG_FROM_J(from) ? 0 : -EINVAL;
	default: return -EINVAL;
	}
}

static int check_row(uint32_t v, const struct og_event_kind_info *k)
{
	const struct og_event_kind_info *st = k->start ? og_event_kind(k->start) : NULL;
	uint32_t slots = 0;
	int rets = 0;

	if (!og_family(k->family))
		return og_err(EINVAL, "event kind %u (%s): family %#x is not one family", v, k->name, k->family);
	if (is_function(k) == (k->usdt[0].provider != NULL) || (is_function(k) && !og_lib(k->lib)))
		return og_err(EINVAL, "event kind %u (%s): a symbol and its library, or USDT probes", v, k->name);
	if (!og_lib(k->lib) && !is_function(k) && !og_family(k->family)->runtimes)
		return og_err(EINVAL, "event kind %u (%s): its USDT probes are in no library nor runtime", v, k->name);
	if ((k->flags & (OG_EK_USTACK | OG_EK_COUNT_ARG4)) && !at_return(k))
		return og_err(EINVAL, "event kind %u (%s): a stack or a count through arg 4 needs a function's return",
			      v, k->name);
	if ((k->flags & OG_EK_INTERNAL) && (is_function(k) || k->fields[0].key || k->capture))
		return og_err(EINVAL, "event kind %u (%s): a start is a USDT probe that records nothing", v, k->name);
	if (k->start && (!st || !(st->flags & OG_EK_INTERNAL) || st->family != k->family || is_function(k) ||
			 !(k->flags & OG_EK_RETURNS)))
		return og_err(EINVAL, "event kind %u (%s): its start must be a USDT start of its family", v, k->name);
	if (!is_function(k) && (k->flags & OG_EK_RETURNS) && !k->start)
		return og_err(EINVAL, "event kind %u (%s): a USDT kind that returns needs a start", v, k->name);
	for (int i = 0; i < OG_EVENT_MAX_FIELDS && k->fields[i].key; i++) {
		const struct og_event_field *f = &k->fields[i];

		if (f->slot >= OG_NARGS || f->slot == OG_EA_STACK || f->slot == OG_EA_DURATION ||
		    (slots & 1u << f->slot) || check_from(k, f->from) < 0 || f->fmt > OG_FIELD_BOOL ||
		    f->place > OG_FIELD_OUT || (f->place == OG_FIELD_RET && rets++))
			return og_err(EINVAL, "event kind %u (%s): field %s: bad slot, source, format or place", v,
				      k->name, f->key);
		slots |= 1u << f->slot;
	}
	if ((k->capture != OG_CAPTURE_NONE) != (k->cap_key != NULL) ||
	    (OG_CAPTURE_OP(k->capture) == OG_CAPTURE_OP_RETURNED && !at_return(k)) ||
	    (OG_CAPTURE_OP(k->capture) == OG_CAPTURE_OP_TYPE_NAME && is_function(k)) ||
	    OG_CAPTURE_OP(k->capture) > OG_CAPTURE_OP_TYPE_NAME || (k->capture & 0xc))
		return og_err(EINVAL, "event kind %u (%s): a capture the programs cannot take there", v, k->name);
	return 0;
}

int og_event_kinds_check(void)
{
	for (uint32_t v = 0; v < OG_EV_MAX; v++) {
		int r;

		if (!kinds[v].name)
			continue;
		if (v == 0)
			return og_err(EINVAL, "event kind 0 (%s): 0 is no kind", kinds[v].name);
		r = check_row(v, &kinds[v]);
		if (r < 0)
			return r;
	}
	return 0;
}

void og_event_kind_desc(uint32_t kind, struct og_kind_desc *d)
{
	const struct og_event_kind_info *k = og_event_kind(kind);

	memset(d, 0, sizeof(*d));
	if (!k)
		return;
	d->family = k->family;
	d->flags = k->flags;
	d->capture = k->capture;
	d->start = k->start;
	for (int i = 0; i < OG_EVENT_MAX_FIELDS && k->fields[i].key; i++) {
		d->from[k->fields[i].slot] = k->fields[i].from;
		if (OG_FROM_OP(k->fields[i].from) == OG_FROM_OP_ARG)
			d->usdt_args |= 1u << OG_FROM_I(k->fields[i].from);
	}
	if (k->capture)
		d->usdt_args |= 1u << OG_CAPTURE_I(k->capture);
	/* A start keeps the arguments its end probes read. */
	for (uint32_t e = 1; e < OG_EV_MAX; e++)
		for (int i = 0; kinds[e].start == kind && i < OG_EVENT_MAX_FIELDS && kinds[e].fields[i].key; i++)
			if (OG_FROM_OP(kinds[e].fields[i].from) == OG_FROM_OP_START)
				d->usdt_args |= 1u << OG_FROM_I(kinds[e].fields[i].from);
	if (is_function(k))
		d->usdt_args = 0;
}

/* Events that are record types, not probe kinds: --event names them. */
static const char *const record_events[OG_REC_TYPES] = {
	[OG_REC_SYSCALL] = "syscall", [OG_REC_SIGNAL] = "signal", [OG_REC_EXIT] = "exit",
	[OG_REC_OOM] = "oom_kill",    [OG_REC_CRASH] = "crash",
};

const char *og_record_event_name(uint32_t type)
{
	if (type == OG_REC_SYS_EXIT)
		type = OG_REC_SYSCALL;
	return type < OG_REC_TYPES ? record_events[type] : NULL;
}

bool og_event_name_known(const char *name)
{
	for (uint32_t t = 0; t < OG_REC_TYPES; t++)
		if (record_events[t] && strcmp(record_events[t], name) == 0)
			return true;
	for (uint32_t k = 1; k < OG_EV_MAX; k++) {
		const struct og_event_kind_info *i = og_event_kind(k);

		if (i && !(i->flags & OG_EK_INTERNAL) && strcmp(i->name, name) == 0)
			return true;
	}
	return false;
}

uint32_t og_event_name_family(const char *name)
{
	for (uint32_t k = 1; k < OG_EV_MAX; k++) {
		const struct og_event_kind_info *i = og_event_kind(k);

		if (i && !(i->flags & OG_EK_INTERNAL) && strcmp(i->name, name) == 0)
			return i->family;
	}
	return 0;
}

const char *og_event_names(void)
{
	static char list[512];

	if (list[0])
		return list;
	for (uint32_t t = 0; t < OG_REC_TYPES; t++) {
		size_t n = strlen(list);

		if (record_events[t])
			snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", record_events[t]);
	}
	for (uint32_t k = 1; k < OG_EV_MAX; k++) {
		const struct og_event_kind_info *i = og_event_kind(k);
		size_t n = strlen(list);
		bool seen = false;

		if (!i || (i->flags & OG_EK_INTERNAL))
			continue;
		for (uint32_t j = 1; j < k && !seen; j++)
			seen = og_event_kind(j) && strcmp(og_event_kind(j)->name, i->name) == 0;
		if (!seen)
			snprintf(list + n, sizeof(list) - n, ", %s", i->name);
	}
	return list;
}

const char *og_families_list(void)
{
	static char list[128];
	size_t n = 0;

	if (list[0])
		return list;
	for (size_t i = 0; i < NFAMILIES && n < sizeof(list); i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "", families[i].name);
	return list;
}

uint32_t og_families_probed(bool usdt)
{
	uint32_t fams = 0;

	for (uint32_t k = 1; k < OG_EV_MAX; k++)
		if (kinds[k].name && (kinds[k].usdt[0].provider != NULL) == usdt)
			fams |= kinds[k].family;
	return fams;
}

int og_families_parse(const char *list, uint32_t *families_out)
{
	const char *p = list;

	*families_out = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		bool known = false;

		while (n && p[0] == ' ')
			p++, n--;
		while (n && p[n - 1] == ' ')
			n--;
		if (n == 4 && strncmp(p, "none", 4) == 0)
			known = true;
		else if (n == 3 && strncmp(p, "all", 3) == 0)
			*families_out |= OG_FAM_ALL, known = true;
		for (size_t i = 0; i < NFAMILIES && !known; i++) {
			if (strlen(families[i].name) == n && strncmp(p, families[i].name, n) == 0) {
				*families_out |= families[i].bit;
				known = true;
			}
		}
		if (!known && n)
			return og_err(EINVAL, "uprobes '%s': unknown family '%.*s' (%s, all, none)", list, (int)n, p,
				      og_families_list());
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return 0;
}

const char *og_families_name(uint32_t fams, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < NFAMILIES; i++) {
		if (fams & families[i].bit)
			n += snprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? "," : "", families[i].name);
	}
	if (!buf[0])
		og_strfield(buf, size, "none");
	return buf;
}
