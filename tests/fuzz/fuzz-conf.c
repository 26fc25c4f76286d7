// SPDX-License-Identifier: GPL-2.0-or-later
/* oci-gadget.conf and shim.conf (and the sizes and durations in them). */
#include "config.h"
#include "fuzz.h"
#include "og_conf.h"
#include "og_shim.h"
#include "og_resolve.h"
#include "og_ring.h"
#include "og_util.h"

#include <errno.h>

#include <stdio.h>

/* The input's own "key = value" lines as a container's annotations. */
static int as_container(void *arg, const char *key, const char *value)
{
	int r = og_conf_set_as(arg, OG_CONF_CONTAINER, key, value);

	return r == -EPERM || r == -EINVAL ? 0 : r;
}

static const char *first_line(void *arg, const char *name)
{
	(void)name;
	return arg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct og_shim_conf sc = {};
	struct og_conf c;
	uint64_t v;
	char *s = fuzz_str(data, size);

	og_conf_defaults(&c);
	if (og_conf_parse(s, "fuzz.conf", &c) == 0) {
		FUZZ_ASSERT(c.capture_bytes <= 4096 && c.uprobe_linger_s <= OG_CONF_MAX_LINGER_S);
		FUZZ_ASSERT(strlen(c.uprobe_paths) < sizeof(c.uprobe_paths));
	}
	og_conf_defaults(&c);
	if (og_kv_parse(s, "annotations", as_container, &c) == 0)
		FUZZ_ASSERT(c.capture_bytes <= 4096 && c.uprobe_linger_s <= OG_CONF_MAX_LINGER_S &&
			    c.uprobe_deadline_ms == OG_IMAGE_DEADLINE_MS &&
			    c.ring_size_max == OG_CONF_DEFAULT_RING_SIZE_MAX);
	/* Every annotation the input itself: whatever it holds, a bounded error or settings in bounds. */
	if (og_conf_container(&c, "/nonexistent/oci-gadget.conf", first_line, s) == 0) {
		struct og_ring_owner want;
		int r;

		FUZZ_ASSERT(c.capture_bytes <= 4096 && c.ssl_plaintext <= 4096 &&
			    c.uprobe_linger_s <= OG_CONF_MAX_LINGER_S);
		/* io.oci-gadget.syscalls: a bounded error, after which every syscall is recorded. */
		r = og_conf_ring_owner(&c, &want);
		FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -E2BIG);
		for (int a = 0; r < 0 && a < 2; a++)
			for (int w = 0; w < OG_SKIP_WORDS; w++)
				FUZZ_ASSERT(want.skip[a][w] == 0);
	}
	og_shim_conf_parse(s, "shim.conf", &sc);
	FUZZ_ASSERT(strlen(sc.runtime) < sizeof(sc.runtime));
	og_parse_size(s, &v);
	og_parse_duration_ms(s, &v);
	free(s);
	return 0;
}
