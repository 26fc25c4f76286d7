// SPDX-License-Identifier: GPL-2.0-or-later
/* oci-gadget.conf and shim.conf (and the sizes and durations in them). */
#include "config.h"
#include "fuzz.h"
#include "og_conf.h"
#include "og_shim.h"
#include "og_util.h"

#include <stdio.h>

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
	og_shim_conf_parse(s, "shim.conf", &sc);
	FUZZ_ASSERT(strlen(sc.runtime) < sizeof(sc.runtime));
	og_parse_size(s, &v);
	og_parse_duration_ms(s, &v);
	free(s);
	return 0;
}
