// SPDX-License-Identifier: GPL-2.0-or-later
/* Writes seed inputs for fuzz-ring (its odd form: head, then one chunk)
 * with the records the BPF writer makes: a syscall with a path, a write
 * with its bytes, one still in progress, a malloc event, a pad at the
 * chunk's end. Usage: ring-seeds DIR */
#include "config.h"
#include "../unit/ring-build.h"

#include <stdio.h>

static void save(const char *dir, const char *name, const uint8_t *mem)
{
	const struct og_ring_header *h = (const struct og_ring_header *)mem;
	char path[4096];
	uint8_t form = 1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	fwrite(&form, 1, 1, f);
	fwrite(&h->head, 8, 1, f);
	/* The records only: the chunk's zero tail adds nothing. */
	fwrite(mem + OG_ELEM_SIZE, 1, h->head < OG_CHUNK_BYTES ? h->head : OG_CHUNK_BYTES, f);
	fclose(f);
}

int main(int argc, char **argv)
{
	static const char path[] = "/etc/hostname";
	static const char bytes[] = "hello from the ring";
	uint8_t *mem;

	if (argc != 2)
		return 2;
	mem = tring_new(1);
	tring_put(mem, &(struct trec){.tid = 7,
				      .nr = 257,
				      .ts = 100,
				      .nargs = 4,
				      .args = {-100, 0x1000, 0, 0},
				      .ret = 3,
				      .dur_ns = 500,
				      .ncaps = 1,
				      .caps = {{.arg = 1, .kind = OG_ARG_STR, .data = path, .len = sizeof(path)}}});
	tring_put(mem, &(struct trec){.tid = 7,
				      .nr = 1,
				      .ts = 200,
				      .nargs = 3,
				      .args = {1, 0x2000, 19},
				      .ret = 19,
				      .ncaps = 1,
				      .caps = {{.arg = 1, .kind = OG_ARG_BUF_IN, .data = bytes, .len = 19}}});
	tring_put(mem, &(struct trec){.tid = 8, .nr = 0, .ts = 300, .nargs = 3, .state = OG_TAG_ENTERED});
	save(argv[1], "syscalls", mem);
	free(mem);

	mem = tring_new(1);
	for (int i = 0; i < 400; i++)
		tring_put(mem, &(struct trec){.tid = 9, .nr = 39, .ts = 1000 + i, .ret = 9});
	save(argv[1], "wrapped", mem);
	free(mem);
	return 0;
}
