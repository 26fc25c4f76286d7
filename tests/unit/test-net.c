// The peer set beside a ring: slots checked by their hash, names, and the
// NetworkPolicy draft from peers a cluster would see.
#include "config.h"
#include "og_net.h"
#include "og_util.h"
#include "tap.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

static struct og_ring_net set;

static struct og_net_peer *add(int family, int type, int dir, const char *addr, unsigned port, unsigned count)
{
	static unsigned next;
	struct og_net_peer *p = &set.peers[next++];

	p->family = family;
	p->type = type;
	p->dir = dir;
	p->port = port;
	if (family == AF_UNIX) {
		p->addr_len = strlen(addr);
		memcpy(p->addr, addr, p->addr_len);
	} else {
		p->addr_len = family == AF_INET ? 4 : 16;
		inet_pton(family, addr, p->addr);
	}
	p->key = og_net_hash(p);
	p->count = count;
	p->first_ns = 1;
	p->last_ns = 2;
	return p;
}

int main(void)
{
	struct og_container_meta meta = {.id = "c1", .pod = "web-7d9", .namespace_ = "shop"};
	struct og_net_peer *peers, *bad;
	uint64_t skipped;
	char buf[256], *text = NULL;
	size_t n, len = 0;
	FILE *f;

	add(AF_INET, SOCK_STREAM, OG_NET_CONNECT, "10.0.0.5", 443, 7);
	add(AF_INET, SOCK_DGRAM, OG_NET_SENDTO, "10.96.0.10", 53, 4);
	add(AF_INET, SOCK_STREAM, OG_NET_LISTEN, "0.0.0.0", 8080, 1);
	add(AF_INET, SOCK_STREAM, OG_NET_ACCEPT, "10.1.2.3", 8080, 9);
	add(AF_INET6, SOCK_STREAM, OG_NET_CONNECT, "fd00::1", 5432, 2);
	add(AF_INET, SOCK_STREAM, OG_NET_CONNECT, "127.0.0.1", 6379, 3);
	add(AF_UNIX, SOCK_DGRAM, OG_NET_CONNECT, "/dev/log", 0, 1);
	bad = add(AF_INET, SOCK_STREAM, OG_NET_CONNECT, "10.0.0.6", 80, 1);
	bad->port = 81; /* its bytes no longer hash to its key */
	ok(og_net_from_set(&set, &peers, &n, &skipped) == 0 && n == 7 && skipped == 1,
	   "7 peers kept, the slot whose bytes do not match its key skipped (%zu, %llu)", n,
	   (unsigned long long)skipped);
	ok(peers[0].dir == OG_NET_CONNECT && peers[n - 1].dir == OG_NET_LISTEN, "sorted by direction");

	og_net_addr(&peers[0], buf, sizeof(buf));
	ok(strcmp(og_net_proto(&set.peers[0]), "tcp") == 0 && strcmp(og_net_proto(&set.peers[1]), "udp") == 0 &&
		   strcmp(og_net_proto(&set.peers[6]), "unix-dgram") == 0,
	   "protocols");
	og_net_addr(&set.peers[4], buf, sizeof(buf));
	is_str(buf, "fd00::1", "IPv6 address");
	og_net_addr(&set.peers[6], buf, sizeof(buf));
	is_str(buf, "/dev/log", "unix path");
	{
		struct og_net_peer p = {.family = AF_UNIX, .addr_len = 4, .addr = {0, 'a', 'b', 1}};

		og_net_addr(&p, buf, sizeof(buf));
		is_str(buf, "@ab?", "abstract name as @, unprintable bytes as ?");
		p.addr_len = 0;
		og_net_addr(&p, buf, sizeof(buf));
		is_str(buf, "(unnamed)", "unnamed unix socket");
	}
	ok(og_net_is_loopback(&set.peers[5]) && !og_net_is_loopback(&set.peers[0]), "loopback");
	is_str(og_net_dir_name(OG_NET_ACCEPT), "accept", "direction names");
	is_str(og_net_dir_name(99), "?", "unknown direction");

	f = open_memstream(&text, &len);
	ok(og_net_policy(f, &meta, peers, n) == 0, "policy");
	fclose(f);
	ok(strstr(text, "  name: web-7d9-oci-gadget\n  namespace: shop\n") != NULL,
	   "named for the pod, in its namespace");
	ok(strstr(text, "    - ports: [{protocol: TCP, port: 8080}]\n") != NULL, "ingress: the port listened on");
	ok(strstr(text, "      ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]\n") &&
		   strstr(text, "k8s-app: kube-dns"),
	   "DNS to the cluster's DNS pods");
	ok(strstr(text,
		  "    - to: [{ipBlock: {cidr: \"10.0.0.5/32\"}}]\n      ports: [{protocol: TCP, port: 443}]\n") &&
		   strstr(text, "cidr: \"fd00::1/128\""),
	   "egress: each peer address and port");
	ok(!strstr(text, "10.96.0.10/32") && !strstr(text, "127.0.0.1/32"), "no ipBlock for DNS nor loopback");
	ok(strstr(text, "# not governed by a NetworkPolicy: connect tcp 127.0.0.1 port 6379 (3)\n") &&
		   strstr(text, "# not governed by a NetworkPolicy: connect unix-dgram /dev/log (1)\n"),
	   "loopback and unix as comments");
	free(text);
	free(peers);

	/* Connects that are no peer: refused or unreachable, and one still in
	 * progress when it returned (non-blocking) that the ring never saw
	 * succeed. Shown apart, left out of the policy. */
	add(AF_INET, SOCK_STREAM, OG_NET_CONNECT_FAILED, "192.0.2.1", 443, 2);
	add(AF_INET, SOCK_STREAM, OG_NET_CONNECT_ATTEMPT, "198.51.100.7", 8443, 1);
	add(AF_INET, SOCK_STREAM, OG_NET_CONNECT_FAILED, "10.1.2.3", 8080, 1);
	ok(og_net_from_set(&set, &peers, &n, &skipped) == 0 && n == 10 && peers[n - 1].dir == OG_NET_CONNECT_FAILED,
	   "failed and attempted connects kept, after the peers (%zu)", n);
	is_str(og_net_dir_name(OG_NET_CONNECT_FAILED), "connect-failed", "a failed connect's name");
	is_str(og_net_dir_name(OG_NET_CONNECT_ATTEMPT), "connect-attempted", "an attempted connect's name");
	f = open_memstream(&text, &len);
	ok(og_net_policy(f, &meta, peers, n) == 0, "policy with failed connects");
	fclose(f);
	ok(!strstr(text, "192.0.2.1/32") && !strstr(text, "198.51.100.7/32") && !strstr(text, "10.1.2.3/32") &&
		   !strstr(text, "port: 8443"),
	   "no egress rule for a connect that failed or was not seen to succeed: %s", text);
	ok(strstr(text, "# not a peer, left out: connect-failed tcp 192.0.2.1 port 443 (2)\n") &&
		   strstr(text, "# not a peer, left out: connect-attempted tcp 198.51.100.7 port 8443 (1)\n"),
	   "shown as comments instead");
	ok(strstr(text, "    - ports: [{protocol: TCP, port: 8080}]\n") != NULL, "ingress still has the listened port");
	free(text);
	free(peers);

	meta.pod[0] = '\0';
	strcpy(meta.namespace_, "Bad Name");
	f = open_memstream(&text, &len);
	og_net_from_set(&set, &peers, &n, &skipped);
	og_net_policy(f, &meta, peers, n);
	fclose(f);
	ok(strstr(text, "  name: POD-oci-gadget\n  namespace: default\n") != NULL,
	   "no pod, or a name Kubernetes would refuse: placeholders");
	free(text);
	free(peers);
	return tap_done();
}
