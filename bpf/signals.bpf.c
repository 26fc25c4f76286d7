// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Why a container's process died, in its ring: signals sent to its tasks
 * (signal_generate, in the sender's context), signals its tasks dequeue
 * (signal_deliver), with the registers, the top of the stack and the code
 * mappings when one is about to end the process with a core dump
 * (OG_REC_CRASH), every task's end (sched_process_exit) and the OOM
 * killer's choice (mark_victim, in the killer's context). Each record goes
 * to the ring of the task the event is about, found by its cgroup; the
 * whole-life struct og_ring_end beside the counts keeps how the container
 * and its processes ended once the records are overwritten. None of these
 * runs on the syscall path. Linked with syscalls.bpf.c into one object.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "og_format.h"
#include "og_ring.bpf.h"

/* include/linux/sched/signal.h: signal_struct.flags */
#define SIGNAL_GROUP_EXIT 0x00000004
#define SIGNAL_UNKILLABLE 0x00000040
/* include/linux/mm.h */
#define VM_EXEC 0x00000004
#define OG_PAGE_SHIFT 12
#define OG_SIGKILL 9
#define OG_SIGCHLD 17
#define OG_SI_KERNEL 0x80
#define USER32_CS 0x23 /* arch/x86/include/asm/segment.h: 32-bit user code */

/* Default actions (include/linux/signal.h: sig_kernel_coredump, _ignore,
 * _stop); every other signal terminates. */
#define SIGMASK(s) (1ULL << ((s)-1))
#define OG_SIG_COREDUMP                                                                                            \
	(SIGMASK(3) | SIGMASK(4) | SIGMASK(5) | SIGMASK(6) | SIGMASK(7) | SIGMASK(8) | SIGMASK(11) | SIGMASK(24) | \
	 SIGMASK(25) | SIGMASK(31))
#define OG_SIG_NOT_FATAL \
	(SIGMASK(17) | SIGMASK(18) | SIGMASK(19) | SIGMASK(20) | SIGMASK(21) | SIGMASK(22) | SIGMASK(23) | SIGMASK(28))

static __always_inline bool sig_in(int sig, __u64 mask)
{
	return sig >= 1 && sig <= 64 && (mask & SIGMASK(sig));
}

static __always_inline struct og_ring_end *end_of(struct ring_ref *rr)
{
	return (void *)rr->hdr + OG_END_OFF;
}

static __always_inline struct og_ring_counts *counts_of(struct ring_ref *rr)
{
	return (void *)rr->hdr + OG_COUNTS_OFF;
}

/* The ring of the task an event is about, when this generation records
 * the event (og_ring.bpf.h, once_records). */
static __always_inline bool task_ring(struct task_struct *task, struct ring_ref *rr, __u32 once, __u32 detail)
{
	return og_config.registered && once_records(once, detail) && ring_find(task, rr);
}

/* The siginfo's fields, from the pointer the tracepoints get: 0 and 1 are
 * SEND_SIG_NOINFO and SEND_SIG_PRIV, no siginfo at all. The union's first
 * words are read raw: si_addr for faults, si_pid and si_uid for kill and
 * sigqueue, then si_status for SIGCHLD; the printer picks by signal and
 * code, as strace does. */
static __always_inline void siginfo_fill(struct og_signal *s, int sig, struct kernel_siginfo *info)
{
	__u64 w[2] = {};

	s->signo = sig;
	if ((unsigned long)info == 0) {
		s->code = 0; /* SI_USER */
		s->flags |= OG_SIGF_NOINFO;
		return;
	}
	if ((unsigned long)info == 1) {
		s->code = OG_SI_KERNEL;
		s->flags |= OG_SIGF_PRIV;
		return;
	}
	s->code = BPF_CORE_READ(info, si_code);
	s->info_errno = BPF_CORE_READ(info, si_errno);
	bpf_probe_read_kernel(w, sizeof(w), &info->_sifields);
	s->addr = w[0];
	s->info_pid = (__s32)w[0];
	s->info_uid = (__u32)(w[0] >> 32);
	s->info_status = (__s32)w[1];
}

static __always_inline void body_zero(void *chunk, __u64 pos, __u32 rel, __u32 n)
{
	__u64 *w = rec_at(chunk, pos, rel);

	for (__u32 i = 0; i < n / 8; i++)
		w[i] = 0;
}

SEC("tp_btf/signal_generate")
int BPF_PROG(og_signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task, int group, int result)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	__u32 len = sizeof(struct og_rec) + sizeof(struct og_signal);
	struct ring_ref rr, srr;
	struct og_signal *s;
	struct og_rec *r;
	__u64 pos;
	void *chunk;

	if (!task_ring(task, &rr, OG_ONCE_SIGNAL_SENT, sig))
		return 0;
	chunk = ring_claim(&rr, len, &pos);
	if (!chunk)
		return 0;
	r = rec_start(rr.hdr, chunk, pos, len, task, OG_REC_SIGNAL, sig, bpf_ktime_get_boot_ns());
	body_zero(chunk, pos, sizeof(*r), sizeof(*s));
	s = rec_at(chunk, pos, sizeof(*r));
	siginfo_fill(s, sig, info);
	s->what = OG_SIG_SENT;
	s->result = result;
	if (group)
		s->flags |= OG_SIGF_GROUP;
	if (!ring_find(cur, &srr) || srr.slot != rr.slot)
		s->flags |= OG_SIGF_OUTSIDE;
	if (sig >= 1 && sig <= 64 && (task->blocked.sig[0] & SIGMASK(sig)))
		s->flags |= OG_SIGF_BLOCKED;
	s->sender_tgid = cur->tgid;
	s->sender_tid = cur->pid;
	__builtin_memcpy(s->sender_comm, cur->comm, sizeof(s->sender_comm));
	rec_publish(r, pos, len, OG_TAG_DONE);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The crash snapshot: stack copy and code mappings, built in the      */
/* per-CPU scratch (slot 0 the stack, slot 1 the mappings and their    */
/* paths, slot 2 the scan's state and a path being built) before the   */
/* claim.                                                              */
/* ------------------------------------------------------------------ */

#define PATHS_AT (OG_CRASH_MAPS * sizeof(struct og_crash_map))
#define NAME_BUF 512 /* a path is built backwards in the last half of this */

/* The scan's state, at the start of scratch slot 2: the callbacks find it
 * there, not on a stack. */
struct crash_scan {
	__u32 nmaps;
	__u32 path_bytes;
	__u32 flags;
	__u32 stack_len;
	__u64 ip;
};

/*
 * Threads a fatal core-dumping signal was delivered to, by tid: their crash
 * snapshot is taken when they exit. signal_deliver runs with interrupts
 * off and the signal lock held, where the address space cannot be walked
 * (mmap_lock's trylock there is deferred to an irq_work: one lookup, then
 * EBUSY); sched_process_exit runs before exit_mm on this kernel, with
 * interrupts on, the user registers of the fault still in pt_regs and the
 * stack still mapped. An entry of a thread that never exits through here
 * is overwritten by the next one of its tid, or falls out of the LRU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct og_signal);
} crashing SEC(".maps");

/* The VMA iterator (open-coded, kernel 6.7): one walk of the address space
 * under one trylock of mmap_lock, not one per address. */
extern int bpf_iter_task_vma_new(struct bpf_iter_task_vma *it, struct task_struct *task, __u64 addr) __weak __ksym;
extern struct vm_area_struct *bpf_iter_task_vma_next(struct bpf_iter_task_vma *it) __weak __ksym;
extern void bpf_iter_task_vma_destroy(struct bpf_iter_task_vma *it) __weak __ksym;

static __always_inline struct og_scratch *crash_scratch(void)
{
	__u32 k = OG_SCRATCH_SIGNAL;

	return bpf_map_lookup_elem(&scratch, &k);
}

/* One step of og_crash_path's walk. Pointers are kept as numbers: they
 * are only read through probes. */
struct path_walk {
	__u64 d, vm, root, root_mnt, off;
	__u64 p;
};

static long path_step(__u32 i, void *data)
{
	struct path_walk *w = data;
	struct og_scratch *sc = crash_scratch();
	struct dentry *d = (void *)w->d, *parent;
	struct vfsmount *vm = (void *)w->vm;
	struct mount *m = (void *)(w->vm - w->off);
	const unsigned char *name;
	char *buf;
	__u64 n, p = w->p;

	if (!sc || (w->d == w->root && w->vm == w->root_mnt))
		return 1;
	parent = BPF_CORE_READ(d, d_parent);
	if (d == BPF_CORE_READ(vm, mnt_root) || d == parent) {
		struct mount *up = BPF_CORE_READ(m, mnt_parent);

		if (!up || up == m)
			return 1;
		w->d = (unsigned long)BPF_CORE_READ(m, mnt_mountpoint);
		w->vm = (unsigned long)up + w->off;
		return 0;
	}
	n = BPF_CORE_READ(d, d_name.len);
	name = BPF_CORE_READ(d, d_name.name);
	/* Room for the name and its '/': the masks only tell the verifier
	 * what this check already ensures. */
	if (n == 0 || n + 1 > p || p > NAME_BUF / 2)
		return 1;
	buf = sc->slot[2] + OG_SCRATCH_SLOT - NAME_BUF;
	p -= n;
	bpf_probe_read_kernel(buf + (p & (NAME_BUF / 2 - 1)), n & (NAME_BUF / 2 - 1), name);
	p--;
	buf[p & (NAME_BUF / 2 - 1)] = '/';
	w->p = p;
	w->d = (unsigned long)parent;
	return 0;
}

/* The file's path as the crashing task sees it: dentries up to their
 * mount's root, then the mount point in the parent mount, until the
 * task's root or a mount with no parent (an overlay layer's private
 * clone: its root is the image's root). Written backwards into the last
 * NAME_BUF / 2 bytes of scratch slot 2's upper NAME_BUF; returns where it
 * starts there, NAME_BUF / 2 when nothing was found. file is a struct
 * file pointer. */
static __always_inline __u64 crash_path(struct file *f)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct path_walk w = {
		.d = (unsigned long)BPF_CORE_READ(f, f_path.dentry),
		.vm = (unsigned long)BPF_CORE_READ(f, f_path.mnt),
		.root = (unsigned long)BPF_CORE_READ(task, fs, root.dentry),
		.root_mnt = (unsigned long)BPF_CORE_READ(task, fs, root.mnt),
		.off = bpf_core_field_offset(struct mount, mnt),
		.p = NAME_BUF / 2,
	};

	bpf_loop(32, path_step, &w, 0);
	return w.p;
}

/* Whether a word of the stack copy points into [start, end): a return
 * address into that file. */
struct crash_ref {
	__u64 start, end;
	__u32 found;
};

static long crash_ref_word(__u32 i, void *data)
{
	struct crash_ref *ref = data;
	struct og_scratch *sc = crash_scratch();
	struct crash_scan *cs;
	__u64 w;

	if (!sc)
		return 1;
	cs = (void *)sc->slot[2];
	if ((i + 1) * 8 > cs->stack_len)
		return 1;
	w = *(__u64 *)(sc->slot[0] + ((i * 8) & (OG_SCRATCH_SLOT - 8)));
	if (w >= ref->start && w < ref->end) {
		ref->found = 1;
		return 1;
	}
	return 0;
}

/* Keeps an executable file mapping the instruction pointer or a word of
 * the stack points into: its range, offset, inode and path. */
static __always_inline void crash_map_add(struct og_scratch *sc, struct crash_scan *cs, struct vm_area_struct *vma)
{
	struct crash_ref ref = {.start = vma->vm_start, .end = vma->vm_end};
	struct file *f = vma->vm_file;
	struct og_crash_map *maps;
	__u32 i;

	if (!(cs->ip >= ref.start && cs->ip < ref.end)) {
		bpf_loop(OG_CRASH_STACK / 8, crash_ref_word, &ref, 0);
		if (!ref.found)
			return;
	}
	i = cs->nmaps;
	if (i >= OG_CRASH_MAPS) {
		cs->flags |= OG_CRASHF_MAPS_FULL;
		return;
	}
	maps = (void *)sc->slot[1];
	maps[i].start = ref.start;
	maps[i].end = ref.end;
	maps[i].pgoff = vma->vm_pgoff << OG_PAGE_SHIFT;
	maps[i].ino = BPF_CORE_READ(f, f_inode, i_ino);
	maps[i].dev = BPF_CORE_READ(f, f_inode, i_sb, s_dev);
	maps[i].path_off = cs->path_bytes;
	maps[i].path_len = 0;
	cs->nmaps = i + 1;
	{
		/* The name is built in slot 2's upper half, then moved. */
		char *buf = sc->slot[2] + OG_SCRATCH_SLOT - NAME_BUF;
		__u64 p = crash_path(f), n = NAME_BUF / 2 - p, at = cs->path_bytes;

		if (p >= NAME_BUF / 2 || n == 0 || n > OG_CRASH_PATH_MAX || at + n > OG_CRASH_PATHS)
			return;
		bpf_probe_read_kernel(sc->slot[1] + PATHS_AT + (at & (OG_CRASH_PATHS - 1)),
				      n & (2 * OG_CRASH_PATH_MAX - 1), buf + (p & (NAME_BUF / 2 - 1)));
		maps[i].path_len = n;
		cs->path_bytes = at + n;
	}
}

/* Every executable file mapping of the task, kept when the crash refers
 * to it. A global function: its loop verified once. */
__noinline int og_crash_maps(struct og_scratch *sc)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct bpf_iter_task_vma it;
	struct vm_area_struct *vma;
	struct crash_scan *cs;

	if (!sc)
		return 0;
	cs = (void *)sc->slot[2];
	if (bpf_iter_task_vma_new(&it, task, 0) < 0) {
		/* The address space is locked (a thread in mmap): no mappings. */
		cs->flags |= OG_CRASHF_MAPS_BUSY;
		bpf_iter_task_vma_destroy(&it);
		return 0;
	}
	/* The iterator ends with the address space: no bound of ours (a
	 * counter would keep the verifier from seeing the loop converge). */
	while ((vma = bpf_iter_task_vma_next(&it)))
		if (vma->vm_file && (vma->vm_flags & VM_EXEC))
			crash_map_add(sc, cs, vma);
	bpf_iter_task_vma_destroy(&it);
	return 0;
}

/* Copies the user stack from sp into scratch slot 0, one piece at a
 * time, up to the first unreadable piece; returns the bytes copied. */
__noinline int og_crash_stack(struct og_scratch *sc, __u64 sp)
{
	__u64 done = 0;

	if (!sc)
		return 0;
	for (int i = 0; i < OG_CRASH_STACK / OG_PIECE; i++) {
		if (bpf_probe_read_user(sc->slot[0] + (done & (OG_SCRATCH_SLOT - OG_PIECE)), OG_PIECE,
					(void *)(sp + done)) < 0)
			break;
		done += OG_PIECE;
	}
	return done;
}

/* Copies n bytes (at most OG_SCRATCH_SLOT) of scratch slot k to the
 * record bytes at position at. */
__noinline int og_copy_scratch(struct og_chunk *chunk, __u64 at, const struct og_scratch *sc, __u32 k, __u64 n)
{
	__u64 done = 0;

	if (!chunk || !sc || k >= OG_NCAPS)
		return 0;
	for (int i = 0; i < OG_SCRATCH_SLOT / OG_PIECE && done < n; i++) {
		__u64 c = n - done;

		if (c > OG_PIECE)
			c = OG_PIECE;
		if (bpf_probe_read_kernel(rec_at(chunk, at, done), c,
					  sc->slot[k] + (done & (OG_SCRATCH_SLOT - OG_PIECE))) < 0)
			break;
		done += c;
	}
	return done;
}

/* A fatal core-dumping signal: the delivery with the registers, the stack
 * and the code mappings it references. */
static __always_inline void write_crash(struct ring_ref *rr, struct task_struct *task, struct og_signal *sig, __u64 ts)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	struct og_scratch *sc = crash_scratch();
	struct crash_scan *scan, cs;
	struct og_crash *c;
	struct og_rec *r;
	struct og_cap *cap;
	__u32 len, rel, kept;
	__u64 pos, sp;
	void *chunk;

	if (!sc || !regs)
		return;
	/* Unused entries go to the ring too: no other crash's leftovers. */
	for (int i = 0; i < PATHS_AT / 8; i++)
		((__u64 *)sc->slot[1])[i] = 0;
	scan = (void *)sc->slot[2];
	__builtin_memset(scan, 0, sizeof(*scan));
	sp = BPF_CORE_READ(regs, sp);
	scan->stack_len = og_crash_stack(sc, sp);
	scan->ip = BPF_CORE_READ(regs, ip);
	og_crash_maps(sc);
	cs = *scan;
	if (cs.nmaps > OG_CRASH_MAPS || cs.path_bytes > OG_CRASH_PATHS || cs.stack_len > OG_CRASH_STACK)
		return;
	/* capture-bytes off: the stack is memory like any buffer, not kept
	 * (the mappings it pointed into are). */
	kept = (rr->hdr->flags & OG_RING_F_NO_BYTES) ? 0 : cs.stack_len;
	len = sizeof(struct og_rec) + sizeof(struct og_crash) + 2 * sizeof(struct og_cap) + og_round8(kept) +
	      og_round8(PATHS_AT + cs.path_bytes);
	if (len > OG_REC_MAX)
		return;
	chunk = ring_claim(rr, len, &pos);
	if (!chunk)
		return;
	r = rec_start(rr->hdr, chunk, pos, len, task, OG_REC_CRASH, sig->signo, ts);
	r->ncaps = 2;
	c = rec_at(chunk, pos, sizeof(*r));
	__builtin_memcpy(&c->sig, sig, sizeof(*sig));
	bpf_probe_read_kernel(c->regs, sizeof(c->regs), regs);
	c->flags = cs.flags | (c->regs[OG_REG_CS] == USER32_CS ? OG_CRASHF_I386 : 0);
	c->nmaps = cs.nmaps;
	c->reserved = 0;
	rel = sizeof(*r) + sizeof(*c);
	cap = rec_at(chunk, pos, rel);
	cap_put(chunk, pos + rel, 0, OG_ARG_STACK, kept < cs.stack_len ? OG_CAP_WITHHELD : 0, 0, kept, og_round8(kept));
	og_copy_scratch(chunk, pos + rel + sizeof(*cap), sc, 0, kept);
	rel += sizeof(*cap) + og_round8(kept);
	/* Maps then paths: all of slot 1 up to the paths' end, the unused
	 * map entries between them included (path_off counts from PATHS_AT). */
	cap_put(chunk, pos + rel, 0, OG_ARG_MAPS, 0, cs.nmaps, PATHS_AT + cs.path_bytes,
		og_round8(PATHS_AT + cs.path_bytes));
	og_copy_scratch(chunk, pos + rel + sizeof(*cap), sc, 1, PATHS_AT + cs.path_bytes);
	rec_publish(r, pos, len, OG_TAG_DONE);
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(og_signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 len = sizeof(struct og_rec) + sizeof(struct og_signal);
	struct og_signal s = {};
	struct ring_ref rr;
	struct og_rec *r;
	__u64 handler = 0, pos;
	__u32 tid;
	void *chunk;

	/* SIGKILL is never caught: the task's exit record says it. */
	if (sig == OG_SIGKILL || !task_ring(task, &rr, OG_ONCE_SIGNAL_DELIVERED, sig))
		return 0;
	siginfo_fill(&s, sig, info);
	s.what = OG_SIG_DELIVERED;
	bpf_core_read(&handler, sizeof(handler), &ka->sa.sa_handler);
	s.handler = handler;
	s.sa_flags = BPF_CORE_READ(ka, sa.sa_flags);
	s.result = handler == 0 ? OG_SIGA_DEFAULT : handler == 1 ? OG_SIGA_IGNORE : OG_SIGA_HANDLER;
	/* A pid namespace's init ignores what it has no handler for, unless
	 * the kernel forced the signal (a fault: the flag is cleared then). */
	if (handler == 0 && !sig_in(sig, OG_SIG_NOT_FATAL) && !(task->signal->flags & SIGNAL_UNKILLABLE)) {
		s.flags |= OG_SIGF_FATAL;
		if (sig_in(sig, OG_SIG_COREDUMP)) {
			struct og_ring_end *end = end_of(&rr);

			s.flags |= OG_SIGF_CORE;
			__sync_fetch_and_add(&end->crashes, 1);
			/* The snapshot waits for the thread's exit (see crashing). */
			tid = task->pid;
			bpf_map_update_elem(&crashing, &tid, &s, BPF_ANY);
		}
	}
	chunk = ring_claim(&rr, len, &pos);
	if (!chunk)
		return 0;
	r = rec_start(rr.hdr, chunk, pos, len, task, OG_REC_SIGNAL, sig, bpf_ktime_get_boot_ns());
	__builtin_memcpy(rec_at(chunk, pos, sizeof(*r)), &s, sizeof(s));
	rec_publish(r, pos, len, OG_TAG_DONE);
	return 0;
}

static __always_inline void victim_set(struct og_end_victim *v, struct task_struct *task, int signo, __u64 now)
{
	v->ns = now;
	v->tgid = task->tgid;
	v->signo = signo;
	__builtin_memcpy(v->comm, task->comm, sizeof(v->comm));
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(og_process_exit, struct task_struct *task, bool group_dead)
{
	__u32 len = sizeof(struct og_rec) + sizeof(struct og_exit);
	__u64 pos, now = bpf_ktime_get_boot_ns();
	struct og_ring_end *end;
	struct og_signal *pending;
	struct ring_ref rr;
	struct og_exit *x;
	struct og_rec *r;
	__u32 tid = task->pid, key = tid & (OG_THREADS - 1);
	struct og_thread *th;
	bool init;
	void *chunk;
	__s32 code;

	/* A thread that ends in a syscall (exit, exit_group) never exits it:
	 * its entry is closed here, for a later thread with its id. */
	th = bpf_map_lookup_elem(&threads, &key);
	if (th && th->tid == tid && th->open && gen_records())
		th->open = 0;
	if (!task_ring(task, &rr, OG_ONCE_EXIT, 0))
		return 0;
	end = end_of(&rr);
	code = task->exit_code;
	init = task->tgid == READ_ONCE(end->init_tgid);
	if ((pending = bpf_map_lookup_elem(&crashing, &tid))) {
		struct og_signal s = *pending;

		bpf_map_delete_elem(&crashing, &tid);
		/* Its mm is still there: the snapshot now (none on a kernel
		 * whose exit tracepoint comes after exit_mm). */
		if (task->mm)
			write_crash(&rr, task, &s, now);
	}
	chunk = ring_claim(&rr, len, &pos);
	if (chunk) {
		r = rec_start(rr.hdr, chunk, pos, len, task, OG_REC_EXIT, 0, now);
		x = rec_at(chunk, pos, sizeof(*r));
		x->code = code;
		x->flags = (group_dead ? OG_EXITF_GROUP_DEAD : 0) | (init ? OG_EXITF_INIT : 0) |
			   (task->signal->oom_mm ? OG_EXITF_OOM : 0) |
			   (task->signal->flags & SIGNAL_GROUP_EXIT ? OG_EXITF_GROUP_EXIT : 0);
		x->start_ns = task->start_boottime;
		x->utime_ns = task->utime;
		x->stime_ns = task->stime;
		rec_publish(r, pos, len, OG_TAG_DONE);
	}
	if (!group_dead)
		return 0;
	if (init) {
		end->init_code = code;
		end->init_exit_ns = now;
		if (code & 0x80)
			__sync_fetch_and_add(&end->core_dumps, 1);
		__sync_fetch_and_or(&end->flags, OG_END_INIT_EXITED);
		return 0;
	}
	/* The runtime's processes before the first execve, and the kill of
	 * the pid namespace that follows init's end, say nothing of the
	 * container's own processes. */
	if (!READ_ONCE(counts_of(&rr)->ran) || (READ_ONCE(end->flags) & OG_END_INIT_EXITED))
		return 0;
	__sync_fetch_and_add(&end->exits, 1);
	if (code & 0x7f) {
		__sync_fetch_and_add(&end->killed, 1);
		if (code & 0x80)
			__sync_fetch_and_add(&end->core_dumps, 1);
		victim_set(&end->last_killed, task, code & 0x7f, now);
	} else if (code & 0xff00) {
		__sync_fetch_and_add(&end->exits_nonzero, 1);
	}
	return 0;
}

SEC("tp_btf/mark_victim")
int BPF_PROG(og_mark_victim, struct task_struct *task, uid_t uid)
{
	struct task_struct *cur = bpf_get_current_task_btf();
	__u32 len = sizeof(struct og_rec) + sizeof(struct og_oom);
	int memcg_id = bpf_core_enum_value(enum cgroup_subsys_id, memory_cgrp_id);
	__u64 pos, now = bpf_ktime_get_boot_ns();
	struct cgroup_subsys_state *css;
	struct og_ring_end *end;
	struct mm_struct *mm;
	struct ring_ref rr;
	struct og_oom *o;
	struct og_rec *r;
	void *chunk;

	if (!task_ring(task, &rr, OG_ONCE_OOM, task->pid))
		return 0;
	chunk = ring_claim(&rr, len, &pos);
	if (!chunk)
		return 0;
	r = rec_start(rr.hdr, chunk, pos, len, task, OG_REC_OOM, 0, now);
	body_zero(chunk, pos, sizeof(*r), sizeof(*o));
	o = rec_at(chunk, pos, sizeof(*r));
	mm = task->mm;
	if (mm) {
		/* In KiB, as the tracepoint prints them: pages are 4 KiB. */
		o->total_vm_kb = BPF_CORE_READ(mm, total_vm) << 2;
		o->file_rss_kb = BPF_CORE_READ(mm, rss_stat[0].count) << 2;  /* MM_FILEPAGES */
		o->anon_rss_kb = BPF_CORE_READ(mm, rss_stat[1].count) << 2;  /* MM_ANONPAGES */
		o->shmem_rss_kb = BPF_CORE_READ(mm, rss_stat[3].count) << 2; /* MM_SHMEMPAGES */
		o->pgtables_kb = BPF_CORE_READ(mm, pgtables_bytes.counter) >> 10;
	}
	o->oom_score_adj = task->signal->oom_score_adj;
	o->uid = uid;
	o->mem_limit = ~0ULL;
	if (memcg_id >= 0 && memcg_id < CGROUP_SUBSYS_COUNT) {
		void *subsys = (void *)BPF_CORE_READ(task, cgroups) + bpf_core_field_offset(struct css_set, subsys);

		css = NULL;
		bpf_probe_read_kernel(&css, sizeof(css), subsys + (memcg_id & 15) * sizeof(css));
		if (css) {
			/* css is the first member of struct mem_cgroup. */
			struct mem_cgroup *memcg = (void *)css;
			__u64 max = BPF_CORE_READ(memcg, memory.max);

			o->mem_usage = BPF_CORE_READ(memcg, memory.usage.counter) << OG_PAGE_SHIFT;
			o->mem_limit = max >= (~0ULL >> (OG_PAGE_SHIFT + 1)) ? ~0ULL : max << OG_PAGE_SHIFT;
			o->flags |= OG_OOMF_MEMCG;
		}
	}
	o->killer_tgid = cur->tgid;
	o->killer_tid = cur->pid;
	__builtin_memcpy(o->killer_comm, cur->comm, sizeof(o->killer_comm));
	end = end_of(&rr);
	__sync_fetch_and_add(&end->oom_kills, 1);
	victim_set(&end->last_oom, task, 0, now);
	end->last_oom.anon_rss_kb = o->anon_rss_kb;
	end->last_oom.mem_limit = o->mem_limit;
	if (task->tgid == READ_ONCE(end->init_tgid))
		__sync_fetch_and_or(&end->flags, OG_END_INIT_OOM);
	rec_publish(r, pos, len, OG_TAG_DONE);
	return 0;
}
