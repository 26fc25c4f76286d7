// SPDX-License-Identifier: GPL-2.0-or-later
/* A USDT note's argument string ("-4@%edi 8@-16(%rbp) ..."). */
#include "config.h"
#include "fuzz.h"
#include "og_elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct og_usdt_spec spec;
	char *s = fuzz_str(data, size);

	og_usdt_parse_args(s, &spec);
	free(s);
	return 0;
}
