// SPDX-License-Identifier: GPL-2.0-or-later
/* io.oci-gadget.syscalls: strace's -e trace= syntax (a container's annotation). */
#include "config.h"
#include "fuzz.h"
#include "og_syscall_classes.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[16384];
	struct og_syscall_set set, again;
	char *s = fuzz_str(data, size);
	int r = og_syscall_select_parse(s, &set);

	FUZZ_ASSERT(r == 0 || r == -EINVAL || r == -E2BIG);
	if (r == 0) {
		/* What gadget-dump summary prints reads back as the same set. */
		og_syscall_set_text(set.skip, 0, text, sizeof(text));
		FUZZ_ASSERT(strlen(text) < sizeof(text) && !strstr(text, "..."));
		if (text[0]) {
			FUZZ_ASSERT(og_syscall_select_parse(text, &again) == 0);
			for (int nr = 0; nr < OG_COUNT_NRS; nr++)
				if (og_syscall_name(0, nr))
					FUZZ_ASSERT(og_syscall_set_kept(set.skip, 0, nr) ==
						    og_syscall_set_kept(again.skip, 0, nr));
		} else {
			FUZZ_ASSERT(og_syscall_set_skipped(set.skip, 0) == 0);
		}
	}
	free(s);
	return 0;
}
