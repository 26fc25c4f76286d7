// SPDX-License-Identifier: GPL-2.0-or-later
/* tracefs syscall format files, and the argument spec strings. */
#include "config.h"
#include "fuzz.h"
#include "og_syscalls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct og_syscall_desc d;
	char *s = fuzz_str(data, size);

	og_syscall_desc_from_format("openat", s, &d);
	og_syscall_desc_from_format("fuzz", s, &d);
	og_syscall_desc_from_spec(s, &d);
	free(s);
	return 0;
}
