// SPDX-License-Identifier: GPL-2.0-or-later
/* An image's ELF files (symbols, .note.stapsdt, USDT argument specs) and
 * scripts (#! lines), read from a file as the hook reads them. */
#define _GNU_SOURCE
#include "config.h"
#include "fuzz.h"
#include "og_elf.h"
#include "og_resolve.h"

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const syms[] = {"malloc", "free", "calloc", "realloc", "SSL_write", "SSL_read"};
	uint64_t offs[6];
	struct og_elf_info info;
	struct og_usdt_note *notes = NULL;
	char interp[256], arg[256];
	size_t n = 0;
	int fd = memfd_create("fuzz-elf", MFD_CLOEXEC);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	og_elf_info(fd, "fuzz", &info);
	og_elf_symbol_offsets(fd, "fuzz", syms, 6, offs);
	if (og_elf_usdt_notes(fd, "fuzz", &notes, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct og_usdt_spec spec;

			og_usdt_parse_args(notes[i].args, &spec);
		}
		free(notes);
	}
	lseek(fd, 0, SEEK_SET);
	og_script_interpreter(fd, interp, sizeof(interp), arg, sizeof(arg));
	close(fd);
	return 0;
}
