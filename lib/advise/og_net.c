// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_net.h"
#include "og_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int by_peer(const void *a, const void *b)
{
	const struct og_net_peer *x = a, *y = b;
	int c;

	if (x->dir != y->dir)
		return x->dir - y->dir;
	if ((c = strcmp(og_net_proto(x), og_net_proto(y))) != 0)
		return c;
	if (x->family != y->family)
		return x->family - y->family;
	if (x->addr_len != y->addr_len)
		return x->addr_len - y->addr_len;
	if ((c = memcmp(x->addr, y->addr, x->addr_len)) != 0)
		return c;
	return x->port - y->port;
}

static bool peer_valid(const struct og_net_peer *p)
{
	if (!p->key || og_net_hash(p) != p->key || !p->count || p->dir < OG_NET_CONNECT ||
	    p->dir > OG_NET_CONNECT_FAILED)
		return false;
	switch (p->family) {
	case AF_INET: return p->addr_len == 4;
	case AF_INET6: return p->addr_len == 16;
	case AF_UNIX: return p->addr_len <= 108;
	default: return false;
	}
}

int og_net_from_set(const struct og_ring_net *set, struct og_net_peer **peers, size_t *n, uint64_t *skipped)
{
	struct og_net_peer *out = calloc(OG_NET_PEERS, sizeof(*out));
	size_t k = 0;

	*peers = NULL;
	*n = 0;
	*skipped = 0;
	if (!out)
		return og_err(ENOMEM, "peer set");
	for (size_t i = 0; i < OG_NET_PEERS; i++) {
		if (!set->peers[i].key)
			continue;
		if (!peer_valid(&set->peers[i])) {
			(*skipped)++;
			continue;
		}
		out[k++] = set->peers[i];
	}
	if (k)
		qsort(out, k, sizeof(*out), by_peer);
	*peers = out;
	*n = k;
	return 0;
}

int og_net_read(const struct og_ring_view *v, struct og_net_peer **peers, size_t *n, uint64_t *full, uint64_t *skipped)
{
	struct og_ring_net set;

	*peers = NULL;
	*n = 0;
	if (!(v->hdr->flags & OG_RING_F_NET))
		return og_err(ENODATA, "this ring keeps no peers (made by an older oci-gadget)");
	memcpy(&set, v->base + OG_NET_OFF, sizeof(set));
	*full = set.full;
	return og_net_from_set(&set, peers, n, skipped);
}

const char *og_net_dir_name(unsigned dir)
{
	static const char *const names[] = {
		[OG_NET_CONNECT] = "connect",
		[OG_NET_SENDTO] = "sendto",
		[OG_NET_ACCEPT] = "accept",
		[OG_NET_BIND] = "bind",
		[OG_NET_LISTEN] = "listen",
		[OG_NET_CONNECT_ATTEMPT] = "connect-attempted",
		[OG_NET_CONNECT_FAILED] = "connect-failed",
	};
	return dir < sizeof(names) / sizeof(names[0]) && names[dir] ? names[dir] : "?";
}

const char *og_net_proto(const struct og_net_peer *p)
{
	bool un = p->family == AF_UNIX;

	switch (p->type) {
	case SOCK_STREAM: return un ? "unix-stream" : "tcp";
	case SOCK_DGRAM: return un ? "unix-dgram" : "udp";
	case SOCK_SEQPACKET: return un ? "unix-seqpacket" : "sctp";
	case SOCK_RAW: return "raw";
	default: return un ? "unix" : "ip";
	}
}

void og_net_addr(const struct og_net_peer *p, char *buf, size_t size)
{
	size_t len = p->addr_len > sizeof(p->addr) ? sizeof(p->addr) : p->addr_len;

	if (p->family == AF_INET || p->family == AF_INET6) {
		if (!inet_ntop(p->family, p->addr, buf, size))
			snprintf(buf, size, "?");
		return;
	}
	if (!len) {
		snprintf(buf, size, "(unnamed)");
		return;
	}
	/* An abstract name starts with a NUL: shown as '@', as ss does;
	 * other bytes outside printable ASCII as '?'. */
	for (size_t i = 0, o = 0; o + 1 < size; i++) {
		if (i == len) {
			buf[o] = '\0';
			return;
		}
		buf[o++] = i == 0 && !p->addr[0] ? '@' : (p->addr[i] >= 0x20 && p->addr[i] < 0x7f ? p->addr[i] : '?');
		buf[o] = '\0';
	}
}

int og_net_is_loopback(const struct og_net_peer *p)
{
	static const uint8_t v6lo[16] = {[15] = 1};

	if (p->family == AF_INET)
		return p->addr[0] == 127;
	return p->family == AF_INET6 && memcmp(p->addr, v6lo, 16) == 0;
}

static bool inet(const struct og_net_peer *p)
{
	return p->family == AF_INET || p->family == AF_INET6;
}

static const char *k8s_proto(const struct og_net_peer *p)
{
	return p->type == SOCK_DGRAM ? "UDP" : p->type == SOCK_SEQPACKET ? "SCTP" : "TCP";
}

/* A DNS lookup: UDP or TCP to port 53. */
static bool is_dns(const struct og_net_peer *p)
{
	return inet(p) && p->port == 53 && (p->dir == OG_NET_CONNECT || p->dir == OG_NET_SENDTO);
}

/* Names for YAML: what a Kubernetes name may hold, else a placeholder. */
static const char *k8s_name(const char *s, const char *fallback)
{
	if (!*s)
		return fallback;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '.'))
			return fallback;
	return s;
}

/* Traffic the container sent: a connect that succeeded, a datagram sent.
 * A connect that failed, or was never seen to succeed, is neither. */
static bool is_egress(const struct og_net_peer *p)
{
	return p->dir == OG_NET_CONNECT || p->dir == OG_NET_SENDTO;
}

/* Traffic the container received: a port listened on, a connection
 * accepted, a datagram socket bound. */
static bool is_ingress(const struct og_net_peer *p)
{
	return p->dir == OG_NET_LISTEN || p->dir == OG_NET_ACCEPT || (p->dir == OG_NET_BIND && p->type == SOCK_DGRAM);
}

/* Whether an earlier peer already gave this rule (same address, port and
 * protocol in the same direction class). */
static bool seen_rule(const struct og_net_peer *peers, size_t i, bool egress)
{
	for (size_t j = 0; j < i; j++) {
		const struct og_net_peer *a = &peers[j], *b = &peers[i];

		if (!(egress ? is_egress(a) : is_ingress(a)) || !inet(a) || og_net_is_loopback(a) ||
		    is_dns(a) != is_dns(b))
			continue;
		if (a->port == b->port && strcmp(k8s_proto(a), k8s_proto(b)) == 0 &&
		    (!egress || (a->family == b->family && memcmp(a->addr, b->addr, 16) == 0)))
			return true;
	}
	return false;
}

int og_net_policy(FILE *out, const struct og_container_meta *meta, const struct og_net_peer *peers, size_t n)
{
	const char *pod = k8s_name(meta->pod, "POD"), *ns = k8s_name(meta->namespace_, "default");
	bool dns = false, any_in = false, any_out = false;
	char a[128], id[4 * OG_ID_LEN];

	fprintf(out,
		"# Drafted by gadget-dump network from what container %s did over its whole life.\n"
		"# Review it: set podSelector to the pod's labels, widen addresses to the\n"
		"# services they belong to.\n",
		og_escape_line(id, sizeof(id), meta->id));
	for (size_t i = 0; i < n; i++) {
		bool governed = inet(&peers[i]) && !og_net_is_loopback(&peers[i]);

		if (!governed || peers[i].dir > OG_NET_LISTEN) { /* > LISTEN: connects that are no peer */
			char port[16] = "";

			og_net_addr(&peers[i], a, sizeof(a));
			if (inet(&peers[i]))
				snprintf(port, sizeof(port), " port %u", peers[i].port);
			fprintf(out, "# %s: %s %s %s%s (%llu)\n",
				governed ? "not a peer, left out" : "not governed by a NetworkPolicy",
				og_net_dir_name(peers[i].dir), og_net_proto(&peers[i]), a, port,
				(unsigned long long)peers[i].count);
			continue;
		}
		dns |= is_dns(&peers[i]);
		any_out |= is_egress(&peers[i]);
		any_in |= is_ingress(&peers[i]);
	}
	fprintf(out,
		"apiVersion: networking.k8s.io/v1\n"
		"kind: NetworkPolicy\n"
		"metadata:\n"
		"  name: %s-oci-gadget\n"
		"  namespace: %s\n"
		"spec:\n"
		"  podSelector:\n"
		"    matchLabels: {app: %s}  # replace with the labels of pod %s\n"
		"  policyTypes: [Ingress, Egress]\n",
		pod, ns, pod, pod);
	fprintf(out, "  ingress:%s\n", any_in ? "" : " []");
	for (size_t i = 0; i < n; i++) {
		const struct og_net_peer *p = &peers[i];

		if (!inet(p) || og_net_is_loopback(p) || !is_ingress(p) || seen_rule(peers, i, false))
			continue;
		fprintf(out, "    - ports: [{protocol: %s, port: %u}]\n", k8s_proto(p), p->port);
	}
	fprintf(out, "  egress:%s\n", any_out ? "" : " []");
	if (dns)
		fprintf(out, "    - to:\n"
			     "        - namespaceSelector:\n"
			     "            matchLabels: {kubernetes.io/metadata.name: kube-system}\n"
			     "          podSelector:\n"
			     "            matchLabels: {k8s-app: kube-dns}\n"
			     "      ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]\n");
	for (size_t i = 0; i < n; i++) {
		const struct og_net_peer *p = &peers[i];

		if (!inet(p) || og_net_is_loopback(p) || is_dns(p) || !is_egress(p) || seen_rule(peers, i, true))
			continue;
		og_net_addr(p, a, sizeof(a));
		fprintf(out, "    - to: [{ipBlock: {cidr: \"%s/%d\"}}]\n      ports: [{protocol: %s, port: %u}]\n", a,
			p->family == AF_INET ? 32 : 128, k8s_proto(p), p->port);
	}
	return ferror(out) ? og_err(EIO, "write output") : 0;
}
