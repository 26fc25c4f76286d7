/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The container's peers (struct og_ring_net, beside the counts): who it
 * connected or sent to, what it accepted, bound and listened on. Which
 * syscalls feed it, and where their address is, is their row's role
 * (og_format.h, enum og_syscall_role): only those pay for it. x86_64
 * only: the msghdr and sockaddr reads assume its layouts.
 *
 * Included once, by syscalls.bpf.c, after its scratch and file helpers.
 */
#ifndef OG_NET_BPF_H
#define OG_NET_BPF_H

#define OG_AF_UNIX 1
#define OG_AF_INET 2
#define OG_AF_INET6 10
#define OG_EINPROGRESS 115

/* Takes the peer described by k (its key fields; scratch memory) into
 * the set: found by its hash, or a free slot claimed for it. */
__noinline int og_net_add(struct og_ring_net *net, struct og_net_peer *k)
{
	if (!net || !k)
		return 0;
	__u64 h = og_net_hash(k), now = bpf_ktime_get_boot_ns();
	__u32 start = h % OG_NET_PEERS;

	for (__u32 j = 0; j < OG_NET_PEERS; j++) {
		__u32 i = start + j < OG_NET_PEERS ? start + j : start + j - OG_NET_PEERS;
		struct og_net_peer *p;
		__u64 cur;

		if (i >= OG_NET_PEERS)
			return 0;
		p = &net->peers[i];
		cur = READ_ONCE(p->key);
		if (cur == 0) {
			cur = __sync_val_compare_and_swap(&p->key, 0, h);
			if (cur == 0) {
				__builtin_memcpy(&p->family, &k->family, 8 + OG_NET_ADDR);
				p->first_ns = now;
				cur = h;
			}
		}
		if (cur == h) {
			__sync_fetch_and_add(&p->count, 1);
			p->last_ns = now;
			return 0;
		}
	}
	__sync_fetch_and_add(&net->full, 1);
	return 0;
}

/* The socket behind fd, NULL when fd is not one. */
static __always_inline struct sock *sock_of_fd(struct task_struct *task, __u64 fd)
{
	struct file **fds = BPF_CORE_READ(task, files, fdt, fd);
	unsigned int max = BPF_CORE_READ(task, files, fdt, max_fds);
	struct socket *sock;
	struct file *f = NULL;

	if (fd >= max || bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]) < 0 || !f)
		return NULL;
	if ((BPF_CORE_READ(f, f_inode, i_mode) & OG_S_IFMT) != OG_S_IFSOCK)
		return NULL;
	sock = BPF_CORE_READ(f, private_data);
	return sock ? BPF_CORE_READ(sock, sk) : NULL;
}

/* An inet sockaddr of n bytes: the port after the family, then len bytes
 * of address at off (sockaddr_in, sockaddr_in6). false: too short. */
static __always_inline bool net_inet_addr(struct og_net_peer *k, const __u8 *sa, __u32 n, __u32 off, __u32 len)
{
	if (n < off + len)
		return false;
	k->port = bpf_ntohs(*(__u16 *)(sa + 2));
	k->addr_len = len;
	__builtin_memcpy(k->addr, sa + off, len);
	return true;
}

/* The key's address from a sockaddr in user memory (connect, sendto,
 * sendmsg, bind). false: not an address we keep. */
static __always_inline bool net_user_addr(struct og_net_peer *k, __u8 *sa, __u64 uaddr, __u64 ulen)
{
	__u32 n = ulen > 2 + 108 ? 2 + 108 : ulen;

	if (!uaddr || n < 2 || bpf_probe_read_user(sa, n, (void *)uaddr) < 0)
		return false;
	k->family = *(__u16 *)sa;
	switch (k->family) {
	case OG_AF_INET: return net_inet_addr(k, sa, n, 4, 4);
	case OG_AF_INET6: return net_inet_addr(k, sa, n, 8, 16);
	case OG_AF_UNIX:
		/* A path ends at its NUL; an abstract name (leading NUL) is
		 * all of its bytes. */
		for (__u32 i = 0; i < 108; i++) {
			if (i + 2 >= n || (i > 0 && sa[2] && !sa[2 + i]))
				break;
			k->addr[i] = sa[2 + i];
			k->addr_len = i + 1;
		}
		return true;
	}
	return false;
}

/* The key's address from a socket: local (bind, listen; a unix socket's
 * path, which an accepted one shares with its listener) or the peer's
 * address with the local port (accept). */
static __always_inline bool net_sock_addr(struct og_net_peer *k, struct sock *sk, bool peer)
{
	struct unix_address *ua;
	__u32 len;

	k->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	k->port = BPF_CORE_READ(sk, __sk_common.skc_num);
	switch (k->family) {
	case OG_AF_INET:
		k->addr_len = 4;
		if (peer)
			bpf_core_read(k->addr, 4, &sk->__sk_common.skc_daddr);
		else
			bpf_core_read(k->addr, 4, &sk->__sk_common.skc_rcv_saddr);
		return true;
	case OG_AF_INET6:
		k->addr_len = 16;
		if (peer)
			bpf_core_read(k->addr, 16, &sk->__sk_common.skc_v6_daddr);
		else
			bpf_core_read(k->addr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		return true;
	case OG_AF_UNIX:
		ua = BPF_CORE_READ((struct unix_sock *)sk, addr);
		if (!ua)
			return true; /* unnamed */
		len = BPF_CORE_READ(ua, len);
		if (len <= 2 || len > 0xffff)
			return true;
		len -= 2;
		if (len > 108)
			len = 108;
		barrier_var(len); /* keep the bound where the verifier sees it */
		len &= 0x7f;
		if (!len || bpf_probe_read_kernel(k->addr, len, &ua->name[0].sun_path) < 0)
			return false;
		/* A path's length stops at its NUL, as from user memory. */
		k->addr_len = len;
		if (k->addr[0])
			for (int i = 1; i < 108; i++)
				if (i < len && !k->addr[i]) {
					k->addr_len = i;
					break;
				}
		return true;
	}
	return false;
}

/* A fresh key in scratch memory: all zero, so the hash covers zeros. */
static __always_inline struct og_net_peer *net_key(__u32 slot)
{
	struct og_scratch *sc = scratch_get(slot);
	struct og_net_peer *k;

	if (!sc)
		return NULL;
	k = (void *)sc->slot[0];
	__builtin_memset(k, 0, sizeof(*k));
	return k;
}

/* Takes the peer at uaddr (its dir set in k) into the set, with the
 * type of the socket behind fd. */
static __always_inline int net_add_user(struct og_ring_net *net, struct og_net_peer *k, __u64 fd, __u64 uaddr,
					__u64 ulen)
{
	struct sock *sk;

	if (!net_user_addr(k, (__u8 *)k + sizeof(*k), uaddr, ulen))
		return 0;
	sk = sock_of_fd(bpf_get_current_task_btf(), fd);
	if (sk)
		k->type = BPF_CORE_READ(sk, sk_type);
	return og_net_add(net, k);
}

/* Global functions: the verifier checks each once, not once per call
 * site with the caller's state (the loops over addresses and slots made
 * the two syscall programs take 0.5 s to load). Arguments are scalars and
 * the peer set's memory. sendto and sendmsg: the address given, at
 * sys_enter. */
__noinline int og_net_enter(struct og_ring_net *net, __u32 role, __u64 fd, __u64 uaddr, __u64 ulen)
{
	struct og_net_peer *k = net_key(OG_SCRATCH_ENTER);

	if (!k || !net)
		return 0;
	k->dir = OG_NET_SENDTO;
	if (role == OG_ROLE_SENDMSG) { /* uaddr is the msghdr; msg_name, msg_namelen */
		struct user_msghdr m;

		if (bpf_probe_read_user(&m, sizeof(m), (void *)uaddr) < 0)
			return 0;
		uaddr = (__u64)m.msg_name;
		ulen = m.msg_namelen;
	}
	return net_add_user(net, k, fd, uaddr, ulen);
}

/* connect and bind at sys_exit, as their result says (net_result_dir):
 * the address is read again from the caller's memory, where it still is. */
__noinline int og_net_result(struct og_ring_net *net, __u32 dir, __u64 fd, __u64 uaddr, __u64 ulen)
{
	struct og_net_peer *k = net_key(OG_SCRATCH_EXIT);

	if (!k || !net)
		return 0;
	k->dir = dir;
	return net_add_user(net, k, fd, uaddr, ulen);
}

/* A refused connect is no peer (it would end up in a NetworkPolicy), a
 * failed bind no listener; 0: not kept. */
static __always_inline __u32 net_result_dir(__u8 role, long ret)
{
	if (ret <= -512 && ret >= -516)
		return 0; /* a restart code: the call runs again, and that one counts */
	if (role == OG_ROLE_BIND)
		return ret == 0 ? OG_NET_BIND : 0;
	if (ret == 0)
		return OG_NET_CONNECT;
	return ret == -OG_EINPROGRESS ? OG_NET_CONNECT_ATTEMPT : OG_NET_CONNECT_FAILED;
}

__noinline int og_net_exit(struct og_ring_net *net, __u32 role, __u64 fd, long ret)
{
	struct og_net_peer *k;
	struct sock *sk;
	bool peer = role == OG_ROLE_ACCEPT;

	if (!net || ret < 0 || (!peer && ret != 0))
		return 0;
	k = net_key(OG_SCRATCH_EXIT);
	if (!k)
		return 0;
	sk = sock_of_fd(bpf_get_current_task_btf(), peer ? (__u64)ret : fd);
	if (!sk)
		return 0;
	k->dir = peer ? OG_NET_ACCEPT : OG_NET_LISTEN;
	k->type = BPF_CORE_READ(sk, sk_type);
	if (!net_sock_addr(k, sk, peer && BPF_CORE_READ(sk, __sk_common.skc_family) != OG_AF_UNIX))
		return 0;
	return og_net_add(net, k);
}

/* sys_enter of sendto and sendmsg (their row's role): the address given,
 * in the argument the row names (a sockaddr, its length in the argument
 * size_arg says, or a msghdr). */
static __always_inline void net_enter_maybe(struct og_ring_header *hdr, const struct og_syscall_desc *desc,
					    struct pt_regs *regs, bool compat)
{
	__u8 role, a, la;

	if (compat || !desc || !(desc->flags & OG_DESC_ROLE))
		return;
	role = desc->role;
	if (role != OG_ROLE_SENDTO && role != OG_ROLE_SENDMSG)
		return;
	a = desc->addr_arg;
	if (a >= OG_NARGS)
		return;
	la = desc->size_arg[a];
	og_net_enter((void *)hdr + OG_NET_OFF, role, regs_arg(regs, 0, compat), regs_arg(regs, a, compat),
		     la < OG_NARGS ? regs_arg(regs, la, compat) : 0);
}

/* sys_exit of accept and listen (from the socket), and of connect and
 * bind by their result (the address read again where the row says: only
 * these two look their row up at exit). role: what sys_enter found in the
 * row of nr. */
static __always_inline void net_exit_maybe(struct og_ring_header *hdr, struct pt_regs *regs, __u8 role, long nr,
					   bool compat, long ret)
{
	const struct og_syscall_desc *desc;
	__u32 dir;
	__u8 a, la;

	if (compat)
		return;
	if (role == OG_ROLE_ACCEPT || role == OG_ROLE_LISTEN) {
		og_net_exit((void *)hdr + OG_NET_OFF, role, regs->di, ret);
		return;
	}
	if (role != OG_ROLE_CONNECT && role != OG_ROLE_BIND)
		return;
	dir = net_result_dir(role, ret);
	desc = dir ? desc_lookup(nr, compat) : NULL;
	if (!desc || (a = desc->addr_arg) >= OG_NARGS)
		return;
	la = desc->size_arg[a];
	og_net_result((void *)hdr + OG_NET_OFF, dir, regs->di, regs_arg(regs, a, false),
		      la < OG_NARGS ? regs_arg(regs, la, false) : 0);
}

#endif /* OG_NET_BPF_H */
