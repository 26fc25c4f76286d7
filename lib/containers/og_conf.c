// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_conf.h"
#include "og_format.h"
#include "og_resolve.h"
#include "og_events.h"
#include "og_ring.h"
#include "og_syscall_classes.h"
#include "og_util.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

void og_conf_defaults(struct og_conf *c)
{
	c->uprobes = 0;
	c->ssl_plaintext = OG_CONF_DEFAULT_PLAINTEXT;
	c->capture_bytes = OG_CAPTURE_DEFAULT;
	c->capture_paths = true;
	c->kstack = false;
	c->uprobe_paths[0] = '\0';
	c->uprobe_deadline_ms = OG_IMAGE_DEADLINE_MS;
	c->uprobe_linger_s = OG_CONF_DEFAULT_LINGER_S;
	og_strfield(c->seccomp_dir, sizeof(c->seccomp_dir), OG_SECCOMP_DEFAULT_DIR);
	c->crash_files = 1; /* abnormal */
	og_strfield(c->crash_dir, sizeof(c->crash_dir), OG_CRASH_DEFAULT_DIR);
	c->crash_dir_max = OG_CRASH_DEFAULT_MAX;
	c->ring_size_max = OG_CONF_DEFAULT_RING_SIZE_MAX;
	c->ring_memory_max = OG_CONF_DEFAULT_RING_MEMORY_MAX;
	c->trace = true;
	c->ring_size = (struct og_ring_size_ask){0};
	c->syscalls.set = false;
	c->syscalls.text[0] = '\0';
}

/*
 * Every setting, once: its key, who may set it (the host's file, a
 * container's io.oci-gadget.KEY annotation, or both), its parser, the
 * field it sets and, for a number, its bounds. The file's parser and the
 * annotations both go through this table; nothing else knows a key.
 */
struct og_conf_key {
	const char *key;
	unsigned who; /* OG_CONF_HOST | OG_CONF_CONTAINER */
	int (*parse)(const struct og_conf_key *k, const char *value, void *field);
	size_t offset;	   /* of the field in struct og_conf */
	size_t size;	   /* of the field */
	uint64_t min, max; /* a number's bounds, in unit */
	const char *unit;  /* a number's: "" bytes, "ms"; NULL: not a number */
};

static int parse_dir(const struct og_conf_key *k, const char *value, void *field)
{
	size_t n = strlen(value);

	/* An absolute directory without "..": the host's own paths. */
	if (value[0] != '/' || n >= k->size || strstr(value, "/../") || (n >= 3 && strcmp(value + n - 3, "/..") == 0))
		return og_err(EINVAL, "%s '%s': an absolute path without '..'", k->key, value);
	og_strfield(field, k->size, value);
	return 0;
}

static int parse_bool(const struct og_conf_key *k, const char *v, void *field)
{
	bool *out = field;

	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0"))
		*out = false;
	else
		return og_err(EINVAL, "%s '%s': expected true or false", k->key, v);
	return 0;
}

/* capture-paths also takes on and off. */
static int parse_on_off(const struct og_conf_key *k, const char *v, void *field)
{
	if (!strcmp(v, "on") || !strcmp(v, "off")) {
		*(bool *)field = !strcmp(v, "on");
		return 0;
	}
	return parse_bool(k, v, field);
}

/* io.oci-gadget.trace: only "false" opts a container out; anything else
 * records it (a typo must not silently stop recording). */
static int parse_trace(const struct og_conf_key *k, const char *v, void *field)
{
	(void)k;
	*(bool *)field = strcmp(v, "false") != 0;
	return 0;
}

static int parse_families(const struct og_conf_key *k, const char *v, void *field)
{
	(void)k;
	return og_families_parse(v, field);
}

static void store_number(const struct og_conf_key *k, void *field, uint64_t n)
{
	if (k->size == sizeof(uint32_t))
		*(uint32_t *)field = n;
	else
		*(uint64_t *)field = n;
}

/* A bound as the messages say it: 64 KiB, 256 MiB, 4096. */
static const char *bytes_text(char *buf, size_t size, uint64_t n)
{
	if (n && n % (1ULL << 20) == 0)
		snprintf(buf, size, "%llu MiB", (unsigned long long)(n >> 20));
	else if (n && n % (1ULL << 10) == 0 && n < (1ULL << 20) && n > 4096)
		snprintf(buf, size, "%llu KiB", (unsigned long long)(n >> 10));
	else
		snprintf(buf, size, "%llu", (unsigned long long)n);
	return buf;
}

/* Bytes kept of a buffer, "off" for 0 (what 0 means is og_conf_ring_owner's). */
static int parse_capture(const struct og_conf_key *k, const char *v, void *field)
{
	uint64_t n;

	if (!strcmp(v, "false") || !strcmp(v, "off")) {
		store_number(k, field, 0);
		return 0;
	}
	if (og_parse_size(v, &n) < 0 || n < k->min || n > k->max)
		return og_err(EINVAL, "%s '%s': expected %llu to %llu bytes or off", k->key, v,
			      (unsigned long long)k->min, (unsigned long long)k->max);
	store_number(k, field, n);
	return 0;
}

static const char *ms_text(char *buf, size_t size, uint64_t ms)
{
	if (ms == 0)
		snprintf(buf, size, "0");
	else if (ms % 1000 == 0)
		snprintf(buf, size, "%llus", (unsigned long long)(ms / 1000));
	else
		snprintf(buf, size, "%llums", (unsigned long long)ms);
	return buf;
}

/* A number in the key's unit ("ms": a duration, else a size) within its
 * bounds; the error says them. */
static int number_in_bounds(const struct og_conf_key *k, const char *v, uint64_t *n)
{
	bool ms = strcmp(k->unit, "ms") == 0;
	const char *(*text)(char *, size_t, uint64_t) = ms ? ms_text : bytes_text;
	char lo[32], hi[32];
	int r = ms ? og_parse_duration_ms(v, n) : og_parse_size(v, n);

	if (r == 0 && *n >= k->min && *n <= k->max)
		return 0;
	if (k->max == UINT64_MAX)
		return og_err(EINVAL, "%s '%s': expected a size of %s or more", k->key, v,
			      text(lo, sizeof(lo), k->min));
	return og_err(EINVAL, "%s '%s': expected %s to %s", k->key, v, text(lo, sizeof(lo), k->min),
		      text(hi, sizeof(hi), k->max));
}

static int parse_number(const struct og_conf_key *k, const char *v, void *field)
{
	uint64_t n;
	int r = number_in_bounds(k, v, &n);

	if (r == 0)
		store_number(k, field, n);
	return r;
}

/* Bounds in ms, kept in whole seconds, rounded up. */
static int parse_seconds(const struct og_conf_key *k, const char *v, void *field)
{
	uint64_t ms;
	int r = number_in_bounds(k, v, &ms);

	if (r == 0)
		store_number(k, field, (ms + 999) / 1000);
	return r;
}

static int parse_crash_files(const struct og_conf_key *k, const char *v, void *field)
{
	static const char *const modes[] = {"none", "abnormal", "all"};

	for (uint32_t i = 0; i < 3; i++) {
		if (strcmp(v, modes[i]) == 0) {
			*(uint32_t *)field = i;
			return 0;
		}
	}
	return og_err(EINVAL, "%s '%s': expected none, abnormal or all", k->key, v);
}

/* uprobe-paths adds to what is there: the host's list, then a
 * container's annotation. Absolute paths, comma separated. */
static int add_paths(const struct og_conf_key *k, const char *value, void *field)
{
	char *paths = field;
	size_t n = strlen(paths);

	for (const char *p = value; *p;) {
		size_t len = strcspn(p, ",");

		while (len && *p == ' ')
			p++, len--;
		if (len && p[0] != '/')
			return og_err(EINVAL, "%s: '%.*s' is not an absolute path", k->key, (int)len, p);
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	if (n + strlen(value) + 2 > k->size)
		return og_err(E2BIG, "%s: longer than %zu bytes", k->key, k->size - 1);
	snprintf(paths + n, k->size - n, "%s%s", n ? "," : "", value);
	for (char *q = paths; *q; q++)
		if (*q == ' ')
			memmove(q, q + 1, strlen(q));
	return 0;
}

/* A ring size asked for: bounded later, against the host's ring-size-max
 * (gadget-hook), where a size too large is capped rather than refused. */
static int parse_ring_size(const struct og_conf_key *k, const char *v, void *field)
{
	struct og_ring_size_ask *ask = field;
	int r = og_parse_size(v, &ask->bytes);

	(void)k;
	if (r == 0)
		ask->set = true;
	return r;
}

_Static_assert(sizeof(((struct og_syscalls_ask *)0)->text) == OG_SELECT_MAX + 1, "a selection's text and one more");

/* Kept as text: parsed by og_conf_ring_owner, whose error fails open. */
static int parse_syscalls(const struct og_conf_key *k, const char *v, void *field)
{
	struct og_syscalls_ask *ask = field;

	(void)k;
	ask->set = true;
	og_strfield(ask->text, sizeof(ask->text), v);
	return 0;
}

#define FIELD(f) offsetof(struct og_conf, f), sizeof(((struct og_conf *)0)->f)
#define HOST OG_CONF_HOST
#define CONTAINER OG_CONF_CONTAINER

/* Container-only keys first: og_conf_container applies them before the
 * host's file, so that trace is known whatever else fails. */
static const struct og_conf_key keys[] = {
	{"trace", CONTAINER, parse_trace, FIELD(trace), 0, 0, NULL},
	{"ring-size", CONTAINER, parse_ring_size, FIELD(ring_size), 0, 0, NULL},
	{"uprobes", HOST | CONTAINER, parse_families, FIELD(uprobes), 0, 0, NULL},
	{"ssl-plaintext", HOST | CONTAINER, parse_capture, FIELD(ssl_plaintext), 0, OG_CAPTURE_MAX, ""},
	{"capture-bytes", HOST | CONTAINER, parse_capture, FIELD(capture_bytes), 0, OG_CAPTURE_MAX, ""},
	{"capture-paths", HOST | CONTAINER, parse_on_off, FIELD(capture_paths), 0, 0, NULL},
	{"kstack", HOST | CONTAINER, parse_bool, FIELD(kstack), 0, 0, NULL},
	{"uprobe-paths", HOST | CONTAINER, add_paths, FIELD(uprobe_paths), 0, 0, NULL},
	{"syscalls", HOST | CONTAINER, parse_syscalls, FIELD(syscalls), 0, 0, NULL},
	/* Host only: how long the hook may spend on a start is the host's to say. */
	{"uprobe-deadline", HOST, parse_number, FIELD(uprobe_deadline_ms), 1, 60000, "ms"},
	{"uprobe-linger", HOST | CONTAINER, parse_seconds, FIELD(uprobe_linger_s), 0, OG_CONF_MAX_LINGER_S * 1000ULL,
	 "ms"},
	{"seccomp-profile-dir", HOST, parse_dir, FIELD(seccomp_dir), 0, 0, NULL},
	{"ring-size-max", HOST, parse_number, FIELD(ring_size_max), OG_RING_MIN_BYTES, OG_RING_MAX_BYTES, ""},
	{"ring-memory-max", HOST, parse_number, FIELD(ring_memory_max), OG_CONF_MIN_RING_MEMORY_MAX, UINT64_MAX, ""},
	{"crash-files", HOST, parse_crash_files, FIELD(crash_files), 0, 0, NULL},
	{"crash-dir", HOST, parse_dir, FIELD(crash_dir), 0, 0, NULL},
	{"crash-dir-max", HOST, parse_number, FIELD(crash_dir_max), 1ULL << 20, UINT64_MAX, ""},
};

size_t og_conf_nkeys(void)
{
	return sizeof(keys) / sizeof(keys[0]);
}

int og_conf_key_info(size_t i, struct og_conf_key_info *info)
{
	if (i >= og_conf_nkeys())
		return -ENOENT;
	*info = (struct og_conf_key_info){
		.key = keys[i].key, .who = keys[i].who, .min = keys[i].min, .max = keys[i].max, .unit = keys[i].unit};
	return 0;
}

/* The keys who may set, comma separated, for an error. */
static void keys_text(char *buf, size_t size, unsigned who)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < og_conf_nkeys() && n < size; i++)
		if (keys[i].who & who)
			n += snprintf(buf + n, size - n, "%s%s", n ? ", " : "", keys[i].key);
}

int og_conf_set_as(struct og_conf *c, unsigned who, const char *key, const char *value)
{
	char known[512];

	for (size_t i = 0; i < og_conf_nkeys(); i++) {
		const struct og_conf_key *k = &keys[i];

		if (strcmp(k->key, key) != 0)
			continue;
		if (!(k->who & who) && (who & OG_CONF_HOST))
			return og_err(EPERM, "%s: a container's setting (annotation %s%s), not the host's", key,
				      OG_CONF_ANNOTATION_PREFIX, key);
		if (!(k->who & who))
			return og_err(EPERM, "%s: a host setting (oci-gadget.conf), not a container's", key);
		return k->parse(k, value, (char *)c + k->offset);
	}
	keys_text(known, sizeof(known), who);
	return og_err(EINVAL, "unknown setting '%s' (%s)", key, known);
}

int og_conf_set(struct og_conf *c, const char *key, const char *value)
{
	return og_conf_set_as(c, OG_CONF_HOST, key, value);
}

/* The annotations of the keys for which only is set in who. */
static int apply_annotations(struct og_conf *c, unsigned only, og_conf_annotation_fn *annotation, void *arg)
{
	for (size_t i = 0; i < og_conf_nkeys(); i++) {
		const struct og_conf_key *k = &keys[i];
		char name[64];
		const char *v;
		int r;

		if ((k->who & (OG_CONF_HOST | OG_CONF_CONTAINER)) != only)
			continue;
		snprintf(name, sizeof(name), "%s%s", OG_CONF_ANNOTATION_PREFIX, k->key);
		v = annotation(arg, name);
		if (v && (r = k->parse(k, v, (char *)c + k->offset)) < 0)
			return og_err_wrap(-r, "annotation %s", name);
	}
	return 0;
}

int og_conf_container(struct og_conf *c, const char *path, og_conf_annotation_fn *annotation, void *arg)
{
	int r;

	og_conf_defaults(c);
	r = apply_annotations(c, OG_CONF_CONTAINER, annotation, arg);
	if (r < 0)
		return r;
	r = og_conf_read(path, c);
	if (r < 0)
		return r;
	return apply_annotations(c, OG_CONF_HOST | OG_CONF_CONTAINER, annotation, arg);
}

int og_conf_ring_owner(const struct og_conf *c, struct og_ring_owner *want)
{
	struct og_syscall_set set = {};
	int r = 0;

	want->events = c->uprobes;
	want->capture_bytes = c->capture_bytes;
	/* capture-bytes off means no bytes of anything a program reads from
	 * the container's memory: not TLS plaintext either. */
	want->plaintext_max = c->capture_bytes ? c->ssl_plaintext : 0;
	want->flags = (c->kstack ? OG_RING_F_KSTACK : 0) | (c->capture_bytes ? 0 : OG_RING_F_NO_BYTES) |
		      (c->capture_paths ? 0 : OG_RING_F_NO_PATHS);
	if (c->syscalls.set && (r = og_syscall_select_parse(c->syscalls.text, &set)) < 0)
		memset(&set, 0, sizeof(set));
	memcpy(want->skip, set.skip, sizeof(want->skip));
	return r;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int og_kv_parse(const char *text, const char *what, int (*set)(void *arg, const char *key, const char *value),
		void *arg)
{
	cleanup_free char *copy = strdup(text);
	char *line, *save = NULL;
	int lineno = 0;

	if (!copy)
		return og_err(ENOMEM, "%s", what);
	/* strtok_r would skip empty lines and miscount: split by hand. */
	for (line = copy; line; line = save) {
		char *eq, *key, *value, *hash;
		int r;

		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line = trim(line);
		if (!*line)
			continue;
		eq = strchr(line, '=');
		if (!eq)
			return og_err(EINVAL, "%s:%d: expected key = value", what, lineno);
		*eq = '\0';
		key = trim(line);
		value = trim(eq + 1);
		r = set(arg, key, value);
		if (r < 0)
			return og_err_wrap(-r, "%s:%d", what, lineno);
	}
	return 0;
}

static int conf_set_kv(void *arg, const char *key, const char *value)
{
	return og_conf_set(arg, key, value);
}

int og_conf_parse(const char *text, const char *what, struct og_conf *c)
{
	return og_kv_parse(text, what, conf_set_kv, c);
}

int og_conf_read(const char *path, struct og_conf *c)
{
	cleanup_free char *text = NULL;
	size_t len;
	int r;

	r = og_read_file(path, 1 << 20, &text, &len);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (memchr(text, 0, len))
		return og_err(EINVAL, "%s: contains a NUL byte", path);
	return og_conf_parse(text, path, c);
}
