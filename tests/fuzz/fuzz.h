/* Shared by the libFuzzer targets: each is one parser of untrusted input,
 * built with -fsanitize=fuzzer,address,undefined by tests/fuzz/build.sh. */
#ifndef OG_FUZZ_H
#define OG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input as a NUL-terminated string (parsers of text take those). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Fails the run (libFuzzer reports a crash) when a property is broken. */
#define FUZZ_ASSERT(cond)                 \
	do {                              \
		if (!(cond)) {            \
			__builtin_trap(); \
		}                         \
	} while (0)

#endif
