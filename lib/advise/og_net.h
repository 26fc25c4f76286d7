/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_NET_H
#define OG_NET_H

/*
 * Who a container talked to: the peer set kept beside its ring (struct
 * og_ring_net, og_format.h), read, checked, named, and drafted into a
 * Kubernetes NetworkPolicy.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "og_format.h"
#include "og_ring.h"

/* The peers a ring holds, sorted (direction, protocol, address, port).
 * Slots being filled, or whose bytes do not hash to their key (a
 * corrupted pin), are skipped and counted in *skipped. *full: peers the
 * set had no room for. -ENODATA for a ring made before peers were kept. */
int og_net_read(const struct og_ring_view *v, struct og_net_peer **peers, size_t *n, uint64_t *full, uint64_t *skipped);
/* The same, from the set's bytes (a copy of struct og_ring_net). */
int og_net_from_set(const struct og_ring_net *set, struct og_net_peer **peers, size_t *n, uint64_t *skipped);

/* "connect", "sendto", "accept", "bind", "listen", and the connects that
 * are no peer: "connect-attempted" (still in progress when it returned),
 * "connect-failed". */
const char *og_net_dir_name(unsigned dir);
/* "tcp", "udp", "unix-stream", "unix-dgram", "unix-seqpacket", "raw"... */
const char *og_net_proto(const struct og_net_peer *p);
/* "10.0.0.1", "::1", "/run/x.sock", "@abstract", "(unnamed)". */
void og_net_addr(const struct og_net_peer *p, char *buf, size_t size);
/* true for 127.0.0.0/8 and ::1: traffic a NetworkPolicy does not see. */
int og_net_is_loopback(const struct og_net_peer *p);

/*
 * A draft NetworkPolicy (YAML) for the pod: egress to every inet peer
 * connected or sent to (DNS, port 53, to the cluster DNS pods), ingress
 * to every inet port listened or bound on that accepted or received;
 * loopback and unix peers as comments, since a NetworkPolicy does not
 * govern them, and so connects that failed or were not seen to succeed.
 */
int og_net_policy(FILE *out, const struct og_container_meta *meta, const struct og_net_peer *peers, size_t n);

#endif
