// SPDX-License-Identifier: GPL-2.0-or-later
/* The fd table after a ring's chunks, or in a crash file's section (a pin
 * anyone with bpffs access may have written, a file from anywhere):
 * entries checked one by one, looked up, named (paths cleaned, anonymous
 * fds named by their syscall's row). */
#include "config.h"
#include "fuzz.h"
#include "og_fds.h"
#include "og_util.h"

#include <errno.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct og_fd_elem el[2];
	struct og_fd_table t;
	char buf[64];
	size_t len = size > OG_ELEM_SIZE ? 2 * OG_ELEM_SIZE : OG_ELEM_SIZE;

	memset(el, 0, sizeof(el));
	memcpy(el, data, size < sizeof(el) ? size : sizeof(el));
	/* Entries whose key matches their process and fd, so that lookups
	 * and names run on more than the rejections. */
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < OG_FD_PER_ELEM; i++)
			if (el[k].e[i].key & 1)
				el[k].e[i].key = og_fd_key(el[k].e[i].tgid, el[k].e[i].fd);
	/* A length that is no whole number of elements is refused. */
	FUZZ_ASSERT(og_fd_table_load(&t, el, len - (size & 1), "fuzz") == ((size & 1) ? -EPROTO : 0));
	if (size & 1)
		return 0;
	FUZZ_ASSERT(t.n + t.skipped <= 2 * OG_FD_PER_ELEM);
	for (size_t i = 0; i < t.n; i++) {
		const struct og_fd_entry *e = &t.e[i];

		char path[OG_FD_PATH];
		size_t n;

		og_fd_entry_text(e, buf, sizeof(buf));
		FUZZ_ASSERT(strlen(buf) < sizeof(buf));
		/* A joined path cleaned: never longer, still absolute, no
		 * "." component left. */
		memcpy(path, e->path, e->len);
		n = og_fd_path_clean(path, e->len);
		FUZZ_ASSERT(n <= e->len);
		if (e->len && e->path[0] == '/')
			FUZZ_ASSERT(n >= 1 && path[0] == '/' && !memmem(path, n, "/./", 3) &&
				    !(n >= 2 && path[n - 1] == '.' && path[n - 2] == '/'));
		og_fd_table_find(&t, e->tgid, e->fd, e->open_ns);
		og_fd_table_find(&t, e->tgid, e->fd, ~0ULL);
		og_fd_table_made(&t, e->tgid, e->fd, e->open_ns, e->open_ns, e->nr);
	}
	og_fd_table_free(&t);
	return 0;
}
