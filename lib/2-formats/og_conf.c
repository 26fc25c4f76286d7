// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_conf.h"
#include "og_format.h"
#include "og_resolve.h"
#include "og_events.h"
#include "og_ring.h"
#include "og_util.h"

#include <errno.h>
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
}

/* An absolute directory without "..": the host's own paths. */
static int parse_dir(const char *key, const char *value, char *out, size_t size)
{
	size_t n = strlen(value);

	if (value[0] != '/' || n >= size || strstr(value, "/../") || (n >= 3 && strcmp(value + n - 3, "/..") == 0))
		return og_err(EINVAL, "%s '%s': an absolute path without '..'", key, value);
	og_strfield(out, size, value);
	return 0;
}

static int parse_bool(const char *key, const char *v, bool *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "0"))
		*out = false;
	else
		return og_err(EINVAL, "%s '%s': expected true or false", key, v);
	return 0;
}

/* Bytes kept of a buffer: 0 to OG_CAPTURE_MAX, a unit allowed ("1KiB"),
 * "off" for 0 (what 0 means is og_conf_ring_owner's). */
static int parse_capture(const char *key, const char *v, uint32_t *out)
{
	uint64_t n;

	if (!strcmp(v, "false") || !strcmp(v, "off")) {
		*out = 0;
		return 0;
	}
	if (og_parse_size(v, &n) < 0 || n > OG_CAPTURE_MAX)
		return og_err(EINVAL, "%s '%s': expected 0 to %d bytes or off", key, v, OG_CAPTURE_MAX);
	*out = n;
	return 0;
}

/* uprobe-paths adds to what is there: the host's list, then a
 * container's annotation. Absolute paths, comma separated. */
static int add_paths(struct og_conf *c, const char *value)
{
	size_t n = strlen(c->uprobe_paths);

	for (const char *p = value; *p;) {
		size_t k = strcspn(p, ",");

		while (k && *p == ' ')
			p++, k--;
		if (k && p[0] != '/')
			return og_err(EINVAL, "uprobe-paths: '%.*s' is not an absolute path", (int)k, p);
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	if (n + strlen(value) + 2 > sizeof(c->uprobe_paths))
		return og_err(E2BIG, "uprobe-paths: longer than %zu bytes", sizeof(c->uprobe_paths) - 1);
	snprintf(c->uprobe_paths + n, sizeof(c->uprobe_paths) - n, "%s%s", n ? "," : "", value);
	for (char *q = c->uprobe_paths; *q; q++)
		if (*q == ' ')
			memmove(q, q + 1, strlen(q));
	return 0;
}

int og_conf_set(struct og_conf *c, const char *key, const char *value)
{
	if (strcmp(key, "uprobes") == 0)
		return og_families_parse(value, &c->uprobes);
	if (strcmp(key, "kstack") == 0)
		return parse_bool(key, value, &c->kstack);
	if (strcmp(key, "ssl-plaintext") == 0)
		return parse_capture(key, value, &c->ssl_plaintext);
	if (strcmp(key, "capture-bytes") == 0)
		return parse_capture(key, value, &c->capture_bytes);
	if (strcmp(key, "capture-paths") == 0) {
		if (!strcmp(value, "on") || !strcmp(value, "off")) {
			c->capture_paths = !strcmp(value, "on");
			return 0;
		}
		return parse_bool(key, value, &c->capture_paths);
	}
	if (strcmp(key, "uprobe-paths") == 0)
		return add_paths(c, value);
	if (strcmp(key, "uprobe-deadline") == 0) {
		uint64_t ms;

		if (og_parse_duration_ms(value, &ms) < 0 || ms == 0 || ms > 60000)
			return og_err(EINVAL, "uprobe-deadline '%s': expected 100ms to 60s", value);
		c->uprobe_deadline_ms = ms;
		return 0;
	}
	if (strcmp(key, "uprobe-linger") == 0) {
		uint64_t ms;

		if (og_parse_duration_ms(value, &ms) < 0 || ms > OG_CONF_MAX_LINGER_S * 1000ULL)
			return og_err(EINVAL, "uprobe-linger '%s': expected 0 to %ds", value, OG_CONF_MAX_LINGER_S);
		c->uprobe_linger_s = (ms + 999) / 1000;
		return 0;
	}
	if (strcmp(key, "seccomp-profile-dir") == 0)
		return parse_dir(key, value, c->seccomp_dir, sizeof(c->seccomp_dir));
	if (strcmp(key, "crash-dir") == 0)
		return parse_dir(key, value, c->crash_dir, sizeof(c->crash_dir));
	if (strcmp(key, "crash-files") == 0) {
		static const char *const modes[] = {"none", "abnormal", "all"};

		for (uint32_t i = 0; i < 3; i++) {
			if (strcmp(value, modes[i]) == 0) {
				c->crash_files = i;
				return 0;
			}
		}
		return og_err(EINVAL, "crash-files '%s': expected none, abnormal or all", value);
	}
	if (strcmp(key, "crash-dir-max") == 0) {
		if (og_parse_size(value, &c->crash_dir_max) < 0 || c->crash_dir_max < (1u << 20))
			return og_err(EINVAL, "crash-dir-max '%s': expected a size of at least 1MiB", value);
		return 0;
	}
	if (strcmp(key, "ring-size-max") == 0) {
		uint64_t n;

		if (og_parse_size(value, &n) < 0 || n < OG_RING_MIN_BYTES || n > OG_RING_MAX_BYTES)
			return og_err(EINVAL, "ring-size-max '%s': expected %llu KiB to %llu MiB", value,
				      OG_RING_MIN_BYTES >> 10, OG_RING_MAX_BYTES >> 20);
		c->ring_size_max = n;
		return 0;
	}
	if (strcmp(key, "ring-memory-max") == 0) {
		uint64_t n;

		if (og_parse_size(value, &n) < 0 || n < OG_CONF_MIN_RING_MEMORY_MAX)
			return og_err(EINVAL, "ring-memory-max '%s': expected a size of %llu MiB or more", value,
				      OG_CONF_MIN_RING_MEMORY_MAX >> 20);
		c->ring_memory_max = n;
		return 0;
	}
	return og_err(
		EINVAL,
		"unknown setting '%s' (uprobes, ssl-plaintext, capture-bytes, capture-paths, kstack, uprobe-paths, "
		"uprobe-deadline, uprobe-linger, seccomp-profile-dir, ring-size-max, ring-memory-max, crash-files, "
		"crash-dir, crash-dir-max)",
		key);
}

void og_conf_ring_owner(const struct og_conf *c, struct og_ring_owner *want)
{
	want->events = c->uprobes;
	want->capture_bytes = c->capture_bytes;
	/* capture-bytes off means no bytes of anything a program reads from
	 * the container's memory: not TLS plaintext either. */
	want->plaintext_max = c->capture_bytes ? c->ssl_plaintext : 0;
	want->flags = (c->kstack ? OG_RING_F_KSTACK : 0) | (c->capture_bytes ? 0 : OG_RING_F_NO_BYTES) |
		      (c->capture_paths ? 0 : OG_RING_F_NO_PATHS);
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
