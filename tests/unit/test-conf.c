// The settings' key table (og_conf.c): who may set each key, its bounds,
// and one container's settings assembled from the file and its annotations.
#include "config.h"
#include "og_conf.h"
#include "og_format.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A valid value for each key that is not a number. */
static const char *good_value(const char *key)
{
	static const struct {
		const char *key, *value;
	} values[] = {
		{"trace", "false"},	      {"ring-size", "4MiB"},	   {"uprobes", "malloc"},
		{"capture-paths", "off"},     {"kstack", "true"},	   {"uprobe-paths", "/app/server"},
		{"crash-files", "all"},	      {"crash-dir", "/var/crash"}, {"seccomp-profile-dir", "/srv/p"},
		{"syscalls", "!%file,futex"},
	};

	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		if (strcmp(values[i].key, key) == 0)
			return values[i].value;
	return NULL;
}

/* Annotations as a NULL-terminated list of name, value pairs. */
static const char *annotation(void *arg, const char *name)
{
	const char *const *kv = arg;

	for (; kv[0]; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

static char *write_conf(const char *text)
{
	char *path = strdup("/tmp/og-test-conf.XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

int main(void)
{
	struct og_conf_key_info k;
	struct og_conf c;
	char v[64];

	ok(og_conf_nkeys() >= 16, "the table has every key (%zu)", og_conf_nkeys());
	for (size_t i = 0; og_conf_key_info(i, &k) == 0; i++) {
		unsigned other = k.who == OG_CONF_HOST ? OG_CONF_CONTAINER : OG_CONF_HOST;
		unsigned who = k.who & OG_CONF_HOST ? OG_CONF_HOST : OG_CONF_CONTAINER;

		ok(k.who && !(k.who & ~(OG_CONF_HOST | OG_CONF_CONTAINER)), "%s: someone may set it", k.key);
		if (k.unit) {
			/* A number: its bounds are what is taken, no more. */
			og_conf_defaults(&c);
			snprintf(v, sizeof(v), "%llu%s", (unsigned long long)k.min, k.unit);
			ok(og_conf_set_as(&c, who, k.key, v) == 0, "%s: its lower bound %s is taken", k.key, v);
			snprintf(v, sizeof(v), "%llu%s", (unsigned long long)k.max, k.unit);
			ok(k.max == UINT64_MAX || og_conf_set_as(&c, who, k.key, v) == 0,
			   "%s: its upper bound %s is taken", k.key, v);
			snprintf(v, sizeof(v), "%llu%s", (unsigned long long)k.min - 1, k.unit);
			if (k.min > 0)
				ok(og_conf_set_as(&c, who, k.key, v) == -EINVAL, "%s: below its bounds (%s) refused",
				   k.key, v);
			snprintf(v, sizeof(v), "%llu%s", (unsigned long long)k.max + 1, k.unit);
			if (k.max < UINT64_MAX)
				ok(og_conf_set_as(&c, who, k.key, v) == -EINVAL && strstr(og_errmsg(), k.key) &&
					   strstr(og_errmsg(), "expected"),
				   "%s: above its bounds (%s) refused, the message names the key and what is expected",
				   k.key, v);
		} else {
			og_conf_defaults(&c);
			ok(good_value(k.key) && og_conf_set_as(&c, who, k.key, good_value(k.key)) == 0,
			   "%s '%s' parses", k.key, good_value(k.key) ? good_value(k.key) : "?");
		}
		og_conf_defaults(&c);
		snprintf(v, sizeof(v), "%s", k.unit ? "1" : good_value(k.key) ? good_value(k.key) : "1");
		if (k.who != (OG_CONF_HOST | OG_CONF_CONTAINER))
			ok(og_conf_set_as(&c, other, k.key, v) == -EPERM, "%s: not settable by the %s", k.key,
			   other == OG_CONF_HOST ? "host's file" : "container's annotations");
	}
	/* The keys that a garbage value cannot pass. */
	for (size_t i = 0; og_conf_key_info(i, &k) == 0; i++) {
		if (strcmp(k.key, "trace") == 0)
			continue; /* anything but "false" records */
		if (strcmp(k.key, "syscalls") == 0)
			continue; /* refused when the ring is set up, failing open (test-select) */
		og_conf_defaults(&c);
		ok(og_conf_set_as(&c, k.who & OG_CONF_HOST ? OG_CONF_HOST : OG_CONF_CONTAINER, k.key, "x y") < 0,
		   "%s: 'x y' refused", k.key);
	}
	og_conf_defaults(&c);
	ok(og_conf_set_as(&c, OG_CONF_HOST, "no-such-key", "1") == -EINVAL && strstr(og_errmsg(), "unknown setting") &&
		   strstr(og_errmsg(), "ring-memory-max") && !strstr(og_errmsg(), "ring-size,"),
	   "unknown key: the host's keys listed");
	ok(og_conf_parse("ring-size = 4MiB\n", "h.conf", &c) == -EPERM && strstr(og_errmsg(), "h.conf:1"),
	   "the host's file cannot set a container's ring-size");

	/* One container's settings: the file, then its annotations. */
	char *path = write_conf("capture-bytes = 128\nring-size-max = 8MiB\nuprobe-paths = /host/lib.so\n");
	const char *const anns[] = {"io.oci-gadget.capture-bytes",
				    "64",
				    "io.oci-gadget.ring-size-max",
				    "256MiB",
				    "io.oci-gadget.crash-dir",
				    "/tenant",
				    "io.oci-gadget.uprobe-paths",
				    "/app/bin",
				    "io.oci-gadget.ring-size",
				    "2MiB",
				    NULL};
	ok(og_conf_container(&c, path, annotation, (void *)anns) == 0, "a container's settings assembled");
	ok(c.capture_bytes == 64, "an annotation overrides the file");
	ok(c.ring_size_max == 8ULL << 20, "an annotation of a host-only key is not read (ring-size-max)");
	is_str(c.crash_dir, OG_CRASH_DEFAULT_DIR, "an annotation of a host-only key is not read (crash-dir)");
	is_str(c.uprobe_paths, "/host/lib.so,/app/bin", "uprobe-paths: the file's, then the annotation's");
	ok(c.trace && c.ring_size.set && c.ring_size.bytes == 2ULL << 20, "ring-size asked; traced");

	const char *const bad[] = {"io.oci-gadget.trace", "false", "io.oci-gadget.kstack", "maybe", NULL};
	ok(og_conf_container(&c, path, annotation, (void *)bad) == -EINVAL &&
		   strstr(og_errmsg(), "annotation io.oci-gadget.kstack") && !c.trace,
	   "a bad annotation is an error naming it; trace=false is known anyway");
	unlink(path);
	free(path);
	path = write_conf("bogus = 1\n");
	const char *const optout[] = {"io.oci-gadget.trace", "false", NULL};
	ok(og_conf_container(&c, path, annotation, (void *)optout) == -EINVAL && !c.trace,
	   "a bad host file: an error, and trace=false still known");
	unlink(path);
	free(path);
	const char *const none[] = {NULL};
	ok(og_conf_container(&c, "/nonexistent/oci-gadget.conf", annotation, (void *)none) == 0 && c.trace &&
		   !c.ring_size.set && c.capture_bytes == OG_CAPTURE_DEFAULT,
	   "no file, no annotations: the defaults");
	return tap_done();
}
