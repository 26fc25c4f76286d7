/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Captures that follow pointers: iovec arrays (writev's at enter, readv's
 * at exit) and sendmsg's message (its msghdr, the address it names, its
 * vectors). Each is planned into the scratch slot of its capture before
 * the record is claimed (the vectors read once, each one's share of
 * capture_bytes decided there) and written by a global function, verified
 * once (og_format.h, OG_ARG_IOV_IN, _IOV_OUT, _MSGHDR_IN).
 *
 * Included once, by syscalls.bpf.c, after struct cap_plan.
 */
#ifndef OG_VECTORS_BPF_H
#define OG_VECTORS_BPF_H

/*
 * An input iovec array: up to OG_IOV_MAX vectors read into scratch slot k
 * (at OG_IOV_RAW), and before them the header the capture starts with
 * (struct og_iov_kept each: how many of a vector's bytes fit the budget
 * that p->size holds). p gets the count, flags and the capture's size. A
 * global function (five arguments at most).
 */
#define OG_IOV_RAW 256
__noinline int og_plan_iov(struct og_scratch *sc, __u64 k, __u64 iov, __u64 cnt, struct cap_plan *p)
{
	struct og_iov_kept *h;
	__u64 *raw, size, used = 0, budget;

	if (!sc || !p || k >= OG_NCAPS)
		return 0;
	/* The header and the vectors' padding fit beside the bytes. */
	budget = p->size < OG_CAPTURE_MAX - OG_IOV_MAX * 24 ? p->size : OG_CAPTURE_MAX - OG_IOV_MAX * 24;
	if (cnt > OG_IOV_MAX) {
		cnt = OG_IOV_MAX;
		p->flags |= OG_CAP_TRUNCATED;
	}
	if (!cnt)
		return 0;
	h = (void *)sc->slot[k];
	raw = (void *)(sc->slot[k] + OG_IOV_RAW);
	if (bpf_probe_read_user(raw, cnt * 16, (void *)iov) < 0) {
		p->flags |= OG_CAP_UNREADABLE;
		return 0;
	}
	size = cnt * sizeof(*h);
	for (int i = 0; i < OG_IOV_MAX; i++) {
		__u64 len, kept;

		if (i >= cnt)
			break;
		len = raw[2 * i + 1];
		kept = len < budget - used ? len : budget - used;
		if (kept < len)
			p->flags |= OG_CAP_TRUNCATED;
		h[i].kept = kept;
		h[i].len = len;
		used += kept;
		size += og_round8(kept);
	}
	p->count = cnt;
	p->len = p->size = size;
	return size;
}

/* Where a msghdr's planner keeps it in its scratch slot: after the
 * vectors' header and raw copy. */
#define OG_MSG_AT (OG_IOV_RAW + OG_IOV_MAX * 16)
static __always_inline __u64 msg_name_room(const __u64 *m)
{
	__u64 n = m[0] ? (__u32)m[1] : 0;

	return og_round8(n < OG_SOCKADDR_MAX ? n : OG_SOCKADDR_MAX);
}

/* A received msghdr's room for its control messages (m: at enter). */
static __always_inline __u64 msg_control_room(const __u64 *m)
{
	__u64 n = m[4] ? m[5] : 0;

	return og_round8(n < OG_MSG_CONTROL_MAX ? n : OG_MSG_CONTROL_MAX);
}

/* A msghdr into scratch slot k (at OG_MSG_AT), its struct og_msg_out after
 * it, then its vectors planned as og_plan_iov's; p->size holds the budget
 * for their bytes. sendmsg's (out 0) is whole now; recvmsg's (out 1) is
 * room, its len 0 until sys_exit fills it. */
__noinline int og_plan_msghdr(struct og_scratch *sc, __u64 k, __u64 msg, struct cap_plan *p, __u64 out)
{
	struct og_msg_out *mo;
	const __u64 *m;
	__u64 fixed, pad;

	if (!sc || !p || k >= OG_NCAPS)
		return 0;
	m = (const void *)(sc->slot[k] + OG_MSG_AT);
	if (bpf_probe_read_user((void *)m, OG_MSGHDR_SIZE, (void *)msg) < 0) {
		p->flags |= OG_CAP_UNREADABLE;
		return 0;
	}
	mo = (void *)(sc->slot[k] + OG_MSG_AT + OG_MSGHDR_SIZE);
	mo->namelen_in = m[1];
	mo->name_room = msg_name_room(m);
	mo->control_room = msg_control_room(m);
	/* The whole capture within the budget: the vectors' header and
	 * padding (23 bytes a vector at most) come out of it too. */
	fixed = OG_MSGHDR_SIZE + 8 + mo->name_room + mo->control_room;
	pad = 23 * (m[3] < OG_IOV_MAX ? m[3] : OG_IOV_MAX);
	p->size = p->size > fixed + pad ? p->size - fixed - pad : 0;
	p->count = 0;
	p->len = 0;
	if (m[3])
		og_plan_iov(sc, k, m[2], m[3], p);
	p->size = fixed + (p->count ? p->size : 0);
	p->len = out ? 0 : p->size;
	return p->size;
}

/* recvmsg's capture at enter (og_plan_msghdr's, out 1): its struct
 * og_msg_out and its vectors' header; the rest is filled at exit. */
__noinline int og_room_msghdr(struct og_chunk *chunk, __u64 at, const struct og_scratch *sc, __u64 k, __u64 cnt)
{
	const struct og_msg_out *mo;
	__u64 fixed;

	if (!chunk || !sc || k >= OG_NCAPS || cnt > OG_IOV_MAX)
		return 0;
	mo = (const void *)(sc->slot[k] + OG_MSG_AT + OG_MSGHDR_SIZE);
	*(struct og_msg_out *)rec_at(chunk, at, OG_MSGHDR_SIZE) = *mo;
	fixed = OG_MSGHDR_SIZE + 8 + mo->name_room + mo->control_room;
	if (fixed > OG_MSGHDR_SIZE + 8 + OG_SOCKADDR_MAX + OG_MSG_CONTROL_MAX)
		return 0;
	og_copy_slot(chunk, at + fixed, sc, k, cnt * sizeof(struct og_iov_kept));
	return 0;
}

/* The capture og_plan_msghdr planned: the msghdr, its rooms, its address
 * and control messages from user memory. Returns where the vectors go
 * (negated when some bytes were unreadable). */
__noinline int og_write_msghdr(struct og_chunk *chunk, __u64 at, const struct og_scratch *sc, __u64 k, __u64 msg)
{
	const struct og_msg_out *mo;
	const __u64 *m;
	__u64 room, control;
	int bad = 0;

	if (!chunk || !sc || k >= OG_NCAPS)
		return -(OG_MSGHDR_SIZE + 8);
	m = (const void *)(sc->slot[k] + OG_MSG_AT);
	mo = (const void *)(sc->slot[k] + OG_MSG_AT + OG_MSGHDR_SIZE);
	room = mo->name_room;
	control = mo->control_room;
	if (room > OG_SOCKADDR_MAX || control > OG_MSG_CONTROL_MAX)
		return -(OG_MSGHDR_SIZE + 8);
	if (og_copy_user(chunk, at, msg, OG_MSGHDR_SIZE) < OG_MSGHDR_SIZE)
		bad = 1;
	*(struct og_msg_out *)rec_at(chunk, at, OG_MSGHDR_SIZE) = *mo;
	if (room && og_copy_user(chunk, at + OG_MSGHDR_SIZE + 8, m[0], room) < room)
		bad = 1;
	if (control && og_copy_user(chunk, at + OG_MSGHDR_SIZE + 8 + room, m[4], control) < control)
		bad = 1;
	room += control;
	return bad ? -(int)(OG_MSGHDR_SIZE + 8 + room) : (int)(OG_MSGHDR_SIZE + 8 + room);
}

/* The capture og_plan_iov planned, at at: the header, then each vector's
 * kept bytes. Returns -1 when some were unreadable. A global function. */
__noinline int og_write_iov(struct og_chunk *chunk, __u64 at, const struct og_scratch *sc, __u64 k, __u64 cnt)
{
	const struct og_iov_kept *h;
	const __u64 *raw;
	__u64 off;
	int ret = 0;

	if (!chunk || !sc || k >= OG_NCAPS || cnt > OG_IOV_MAX)
		return -1;
	h = (const void *)sc->slot[k];
	raw = (const void *)(sc->slot[k] + OG_IOV_RAW);
	off = cnt * sizeof(*h);
	og_copy_slot(chunk, at, sc, k, off);
	for (int i = 0; i < OG_IOV_MAX; i++) {
		__u64 kept;

		if (i >= cnt)
			break;
		kept = h[i].kept;
		if (kept > OG_CAPTURE_MAX)
			break;
		if (og_copy_user(chunk, at + off, raw[2 * i], kept) < kept)
			ret = -1;
		off += og_round8(kept);
	}
	return ret;
}

/*
 * An output iovec capture at at, its header written at enter: each vector's
 * share of the ret bytes the call put in them, up to its room, from the
 * vectors (read again). Returns -1 when some were unreadable. A global
 * function.
 */
__noinline int og_fill_iov(struct og_chunk *chunk, __u64 at, __u64 iov, __u64 cnt, __s64 ret)
{
	__u64 off, left = ret;
	int r = 0;

	if (!chunk || !cnt || cnt > OG_IOV_MAX || ret <= 0)
		return 0;
	off = cnt * sizeof(struct og_iov_kept);
	/* One vector at a time: the array on the stack would not fit beside
	 * sys_exit's frame (512 bytes for the two). */
	for (int i = 0; i < OG_IOV_MAX; i++) {
		const struct og_iov_kept *h;
		__u64 v[2], room, got, n;

		if (i >= cnt)
			break;
		if (bpf_probe_read_user(v, sizeof(v), (void *)(iov + i * sizeof(v))) < 0)
			return -1;
		h = rec_at(chunk, at, i * sizeof(*h));
		room = h->kept;
		if (room > OG_CAPTURE_MAX)
			break;
		got = v[1] < left ? v[1] : left;
		n = room < got ? room : got;
		if (n && og_copy_user(chunk, at + off, v[0], n) < n)
			r = -1;
		left -= got;
		off += og_round8(room);
	}
	return r;
}

/*
 * recvmsg's capture at at (og_room_msghdr's at enter), once the call
 * returned ret >= 0: the msghdr as the call left it, the address and the
 * control messages it names, up to their rooms, and the vectors' ret
 * bytes (og_fill_iov). Returns -1 when some were unreadable.
 */
__noinline int og_fill_msghdr(struct og_chunk *chunk, __u64 at, __u64 msg, __u64 cnt, __s64 ret)
{
	const struct og_msg_out *mo;
	__u64 name_room, control_room, n;
	const __u64 *m;
	int r = 0;

	if (!chunk)
		return -1;
	mo = rec_at(chunk, at, OG_MSGHDR_SIZE);
	name_room = mo->name_room;
	control_room = mo->control_room;
	if (name_room > OG_SOCKADDR_MAX || control_room > OG_MSG_CONTROL_MAX)
		return -1;
	m = rec_at(chunk, at, 0);
	if (bpf_probe_read_user((void *)m, OG_MSGHDR_SIZE, (void *)msg) < 0)
		return -1;
	n = (__u32)m[1] < name_room ? (__u32)m[1] : name_room;
	if (m[0] && n && bpf_probe_read_user(rec_at(chunk, at, OG_MSGHDR_SIZE + 8), n, (void *)m[0]) < 0)
		r = -1;
	n = m[5] < control_room ? m[5] : control_room;
	if (m[4] && n && bpf_probe_read_user(rec_at(chunk, at, OG_MSGHDR_SIZE + 8 + name_room), n, (void *)m[4]) < 0)
		r = -1;
	if (og_fill_iov(chunk, at + OG_MSGHDR_SIZE + 8 + name_room + control_room, m[2], cnt, ret) < 0)
		r = -1;
	return r;
}

#endif /* OG_VECTORS_BPF_H */
