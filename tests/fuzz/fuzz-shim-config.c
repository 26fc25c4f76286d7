// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-runc's rewrite of config.json. Beyond not crashing: whatever it
 * writes parses again, has both hooks, and a second pass adds nothing. */
#include "config.h"
#include "fuzz.h"
#include "og_shim.h"
#include "og_util.h"

#include <yajl/yajl_tree.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct og_hook_spec spec = {.hook_path = "/usr/local/sbin/gadget-hook", .pin_root = "/sys/fs/bpf/x"};
	char *out = NULL, *again = NULL;
	size_t len = 0, len2 = 0;
	bool added, added2;

	if (og_config_add_hooks((const char *)data, size, &spec, &out, &len, &added) < 0 || !added)
		return 0;
	FUZZ_ASSERT(out && len == strlen(out));
	FUZZ_ASSERT(og_config_add_hooks(out, len, &spec, &again, &len2, &added2) == 0 && !added2 && !again);
	free(out);
	return 0;
}
