// SPDX-License-Identifier: GPL-2.0-or-later
/* The peer set beside a ring (a pin anyone with bpffs access may have
 * written): kept only when a slot's bytes hash to its key, then named
 * and drafted into a NetworkPolicy. */
#include "config.h"
#include "fuzz.h"
#include "og_net.h"
#include "og_util.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct og_ring_net set;
	struct og_container_meta meta = {.id = "fuzz"};
	struct og_net_peer *peers;
	uint64_t skipped;
	size_t n;
	char buf[256];
	FILE *null;

	memset(&set, 0, sizeof(set));
	memcpy(&set, data, size < sizeof(set) ? size : sizeof(set));
	/* Slots whose key is their hash, so that the rest of the path runs. */
	for (size_t i = 0; i < OG_NET_PEERS; i++)
		if (set.peers[i].key & 1)
			set.peers[i].key = og_net_hash(&set.peers[i]);
	if (og_net_from_set(&set, &peers, &n, &skipped) < 0)
		return 0;
	FUZZ_ASSERT(n + skipped <= OG_NET_PEERS);
	for (size_t i = 0; i < n; i++) {
		og_net_addr(&peers[i], buf, sizeof(buf));
		FUZZ_ASSERT(strlen(buf) < sizeof(buf));
		og_net_proto(&peers[i]);
		og_net_dir_name(peers[i].dir);
	}
	null = fopen("/dev/null", "w");
	if (null) {
		og_net_policy(null, &meta, peers, n);
		fclose(null);
	}
	free(peers);
	return 0;
}
