// SPDX-License-Identifier: GPL-2.0-or-later
/* gadget-dump network: the peers the container talked to over its whole
 * life (the peer set beside its ring). */
#include "config.h"
#include "dump.h"
#include "og_net.h"
#include "og_util.h"

#include <errno.h>
#include <sys/socket.h>

/* Who the container talked to over its whole life: the peer set beside
 * its ring. */
int cmd_network(const struct dump_opts *o, const char *query)
{
	cleanup_dump_source struct dump_source src = {};
	const struct og_container_meta *meta = &src.meta;
	cleanup_free struct og_net_peer *peers = NULL;
	uint64_t full = 0, skipped = 0;
	size_t n = 0;
	char addr[160];
	int r;

	r = dump_source_open(o, query, &src);
	if (r < 0)
		return r;
	r = og_net_read(src.header, &peers, &n, &full, &skipped);
	if (r < 0)
		return og_err_wrap(-r, "container '%s'", meta->id);
	if (full || skipped)
		og_warn("%s: %llu peers not kept (the set of %d was full), %llu slots skipped", meta->id,
			(unsigned long long)full, OG_NET_PEERS, (unsigned long long)skipped);
	if (o->format)
		return og_net_policy(stdout, meta, peers, n);
	if (!o->json)
		printf("%-17s %-14s %-40s %6s %9s %-20s %-20s\n", "DIR", "PROTO", "ADDRESS", "PORT", "COUNT", "FIRST",
		       "LAST");
	for (size_t i = 0; i < n; i++) {
		const struct og_net_peer *p = &peers[i];
		bool inet = p->family != AF_UNIX;
		char first[32], last[32], port[8] = "-";
		yajl_gen g;

		og_net_addr(p, addr, sizeof(addr));
		if (!o->json) {
			dump_fmt_time(first, sizeof(first), p->first_ns + src.boot_to_real);
			dump_fmt_time(last, sizeof(last), p->last_ns + src.boot_to_real);
			if (inet)
				snprintf(port, sizeof(port), "%u", p->port);
			printf("%-17s %-14s %-40s %6s %9llu %-20s %-20s\n", og_net_dir_name(p->dir), og_net_proto(p),
			       addr, port, (unsigned long long)p->count, first, last);
			continue;
		}
		if (!(g = dump_json_begin()))
			return -ENOMEM;
		og_json_str(g, "direction", og_net_dir_name(p->dir));
		og_json_str(g, "protocol", og_net_proto(p));
		og_json_str(g, "family", p->family == AF_INET ? "ipv4" : p->family == AF_INET6 ? "ipv6" : "unix");
		og_json_str(g, inet ? "address" : "path", addr);
		if (inet)
			og_json_u64(g, "port", p->port);
		og_json_u64(g, "count", p->count);
		og_json_u64(g, "first_ns", p->first_ns + src.boot_to_real);
		og_json_u64(g, "last_ns", p->last_ns + src.boot_to_real);
		if (dump_json_end(g) < 0)
			return -EIO;
	}
	return dump_output_status();
}
