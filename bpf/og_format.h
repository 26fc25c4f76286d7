/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * oci-gadget: the one header that owns every in-kernel format.
 *
 * Included by the BPF programs (with vmlinux.h) and by user space (with
 * <linux/types.h>). Changing a layout here means bumping the version that
 * guards it: OG_RING_VERSION for rings and records, OG_META_VERSION for
 * container metadata, OG_TABLE_VERSION for the syscall argument table.
 */
#ifndef OG_FORMAT_H
#define OG_FORMAT_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* ------------------------------------------------------------------ */
/* Ring, format 2: BPF_MAP_TYPE_ARRAY, BPF_F_MMAPABLE | BPF_F_INNER_MAP, */
/* value_size OG_ELEM_SIZE, max_entries chunk_count + 1.               */
/*                                                                    */
/* Element 0 is struct og_ring_header. Elements 1..chunk_count are    */
/* chunks: OG_CHUNK_BYTES of records packed back to back, then        */
/* OG_PIECE bytes of slack that no record uses (the verifier's margin: */
/* every BPF store lands at chunk + (pos & (OG_CHUNK_BYTES - 1)) and  */
/* is at most OG_PIECE bytes long).                                   */
/*                                                                    */
/* Records are claimed by byte position: head is the number of bytes  */
/* claimed since the ring was created. The record at position pos is  */
/* in chunk 1 + ((pos / OG_CHUNK_BYTES) & (chunk_count - 1)), at      */
/* offset pos % OG_CHUNK_BYTES; the ring holds the last               */
/* chunk_count * OG_CHUNK_BYTES bytes. A record never crosses a chunk: */
/* a claim that would is split into two pads and claimed again, so    */
/* every chunk starts with a record or a pad and a reader can walk it */
/* from its start.                                                    */
/*                                                                    */
/* Every record starts with a tag (og_tag): its position, its length  */
/* and its state. A writer stores the tag in state WRITING before the */
/* payload and its final state after it, so a reader keeps a record   */
/* only if the tag names the position it is at, before and after the */
/* copy, and head has not lapped it meanwhile.                        */
/* ------------------------------------------------------------------ */

#define OG_RING_MAGIC 0x314752494e47474fULL /* "OGGNIRG1" little endian, every format */
/* 3: signal, exit, OOM and crash records; struct og_ring_end in the header
 * element; readers skip record types they do not know (see og_record_type).
 * 4: the header's skip bitmap (which syscalls are counted, not recorded).
 * 5: compact syscall records (struct og_rec_sys) named by thread records,
 * a sequence number in every record, pids as the container sees them.
 * 6: a compact record's variable output (a buffer, an array the call
 * fills) is no room reserved at sys_enter but an output record (struct
 * og_rec_out) written at sys_exit with the bytes the call returned. */
#define OG_RING_VERSION 6
/* The oldest format a reader takes: 4 only added the skip bitmap, in
 * header space a 3 left zero (every syscall recorded), so a crash file or
 * a ring of format 3 reads as a 4 that skips nothing; the records of 3 and
 * 4 (struct og_rec4) are unpacked into the view like those of 5. */
#define OG_RING_VERSION_READ_MIN 3
#define OG_CHUNK_SHIFT 15
#define OG_CHUNK_BYTES (1u << OG_CHUNK_SHIFT) /* 32 KiB */
#define OG_PIECE 256			      /* bytes one BPF store or probe read writes at most */
#define OG_ELEM_SIZE (OG_CHUNK_BYTES + OG_PIECE)
#define OG_REC_ALIGN 8

/* Ring sizes a user may ask for, in bytes of chunks (a power of two). */
#define OG_RING_MIN_BYTES (64ULL << 10)
#define OG_RING_MAX_BYTES (256ULL << 20)
#define OG_RING_DEFAULT_BYTES (1ULL << 20)

#define OG_SKIP_WORDS 8 /* 64-bit words of a skip bitmap per arch: OG_COUNT_NRS syscalls */
struct og_ring_header {
	__u64 magic;
	__u32 version;
	__u32 elem_size;   /* OG_ELEM_SIZE */
	__u32 chunk_bytes; /* OG_CHUNK_BYTES */
	__u32 chunk_count; /* a power of two */
	__u64 chunk_mask;  /* chunk_count - 1 */
	__u64 cgroup_id;
	__u64 created_ns; /* CLOCK_BOOTTIME, same clock as records */
	/* What this container asked for, read by the programs. */
	__u32 events;	     /* OG_FAM_* bits: which uprobe families record */
	__u32 plaintext_max; /* ssl: bytes of plaintext captured, 0..OG_CAPTURE_MAX */
	__u32 flags;	     /* OG_RING_F_* */
	__u32 capture_bytes; /* buffers (read, write, sendto...): bytes kept, 0..OG_CAPTURE_MAX */
	/* Written by every record: a cache line of their own. */
	__u64 head __attribute__((aligned(64))); /* bytes claimed since creation */
	__u64 dropped;				 /* records lost: no chunk, or a claim crossed a chunk twice */
	__u64 standalone_exits;			 /* exits written apart from their enter record (not a fork child's) */
	__u64 seq;				 /* format 5: records numbered (thread records are not) */
	__u64 reserved[4];
	/* The container's syscall selection (io.oci-gadget.syscalls): bit nr
	 * of skip[arch] (0 x86_64, 1 i386) set: syscall nr is counted (struct
	 * og_ring_counts, the peer set) but writes no record, at enter or
	 * exit. All zero: every syscall is recorded. A number past
	 * OG_SKIP_WORDS * 64 is always recorded. Written with the owner,
	 * before cgroup_id; x86_64's bits are one cache line of their own.
	 * In the header element's free room before the counts. */
	__u64 skip[2][OG_SKIP_WORDS] __attribute__((aligned(64)));
};

/* og_ring_header.flags */
#define OG_RING_F_KSTACK 0x01 /* syscall records carry a kernel stack id */
#define OG_RING_F_COUNTS 0x02 /* the header element holds struct og_ring_counts */
#define OG_RING_F_NET 0x04    /* and struct og_ring_net */
#define OG_RING_F_END 0x08    /* and struct og_ring_end */
/* What the container's capture settings keep out (oci-gadget(7), "What a
 * ring holds"); the programs read them. */
#define OG_RING_F_NO_BYTES 0x10 /* capture-bytes off: no argv, no crash stack (buffers: capture_bytes is 0) */
#define OG_RING_F_NO_PATHS 0x20 /* capture-paths off: no path strings */
#define OG_RING_F_FDS 0x40	/* the map holds the fd table after its chunks (struct og_ring_fds) */

/*
 * What the ring cannot forget: beside the header, in the same element, the
 * container's syscalls over its whole life (gadget-dump seccomp, summary).
 * Before the container's first successful execve (its runtime setting it
 * up) only which syscalls were made is kept, in setup; from that execve on
 * (ran set) every call is counted, with its errors and its time, per arch
 * (0 x86_64, 1 i386). A syscall number past OG_COUNT_NRS counts in
 * unknown. Counters are added atomically; setup bytes are only ever set
 * to 1.
 */
#define OG_COUNT_NRS 512
#define OG_COUNTS_OFF 1024 /* in the header element */
struct og_ring_counts {
	__u32 ran; /* the first execve succeeded: counting */
	__u32 reserved;
	__u64 ran_ns; /* when (CLOCK_BOOTTIME) */
	__u64 unknown;
	__u8 setup[2][OG_COUNT_NRS];
	__u32 calls[2][OG_COUNT_NRS];
	__u32 errors[2][OG_COUNT_NRS];
	__u64 time_ns[2][OG_COUNT_NRS];
};
_Static_assert(OG_SKIP_WORDS * 64 == OG_COUNT_NRS, "a skip bit for every counted syscall");
_Static_assert(sizeof(struct og_ring_header) <= OG_COUNTS_OFF &&
		       OG_COUNTS_OFF + sizeof(struct og_ring_counts) <= OG_ELEM_SIZE,
	       "counts fit the header element, after the header");

/*
 * Who the container talked to, for its whole life (gadget-dump network):
 * after the counts, in the same element, a set of peers filled by
 * sys_enter of connect, sendto and sendmsg (the address they name) and
 * bind (the local address), and by sys_exit of accept/accept4 (the peer
 * of the new socket, on the local port it was accepted on) and listen
 * (the socket's local address). x86_64 syscalls only. A peer is its
 * key: family, socket type, direction, port, address (4 or 16 bytes, or
 * a unix path). peers[] is open addressing on og_net_hash(peer): a writer
 * takes a free slot by a compare-and-swap of key from 0 to the hash, then
 * fills it; a reader keeps a slot only when the hash of what it holds is
 * its key (a slot being filled, or a corrupted one, is skipped). When
 * OG_NET_PEERS are taken, a new peer counts in full.
 */
#define OG_NET_PEERS 80
#define OG_NET_ADDR 112 /* a unix path (108) fits */
#define OG_NET_OFF 18560
enum og_net_dir {
	OG_NET_CONNECT = 1, /* connect: the peer's address and port */
	OG_NET_SENDTO = 2,  /* sendto/sendmsg with an address */
	OG_NET_ACCEPT = 3,  /* accepted: the peer's address, the local port */
	OG_NET_BIND = 4,    /* bind: the local address and port */
	OG_NET_LISTEN = 5,  /* listen: the local address and port */
	/* connect, by its result at sys_exit: only one that succeeded is a
	 * peer. Still in progress (non-blocking, EINPROGRESS): the ring does
	 * not see whether it succeeded; failed: refused, unreachable... */
	OG_NET_CONNECT_ATTEMPT = 6,
	OG_NET_CONNECT_FAILED = 7,
};
struct og_net_peer {
	__u64 key; /* og_net_hash(this); 0: free */
	__u64 count;
	__u64 first_ns; /* CLOCK_BOOTTIME */
	__u64 last_ns;
	/* The key's fields. */
	__u16 family; /* AF_INET, AF_INET6, AF_UNIX */
	__u8 dir;     /* enum og_net_dir */
	__u8 type;    /* SOCK_STREAM, SOCK_DGRAM...; 0 not known */
	__u16 port;   /* host order */
	__u16 addr_len;
	__u8 addr[OG_NET_ADDR]; /* network order; a unix path without its NUL; zero past addr_len */
};
struct og_ring_net {
	__u64 full; /* peers not kept: the set was full */
	__u64 reserved;
	struct og_net_peer peers[OG_NET_PEERS];
};
_Static_assert(OG_COUNTS_OFF + sizeof(struct og_ring_counts) <= OG_NET_OFF &&
		       OG_NET_OFF + sizeof(struct og_ring_net) <= OG_ELEM_SIZE && OG_NET_OFF % 64 == 0,
	       "the peer set fits the header element, after the counts");

/*
 * How the container ended, for its whole life (gadget-dump list): after the
 * peer set, in the same element, written by the signal, exit and OOM
 * programs, so that it survives ring wraps. init_tgid is set by user space
 * when the ring is given to the container (the pid in the runtime's state);
 * the rest only by the programs. Counters count thread groups (processes)
 * of the container that ended after its first execve; once its init ended,
 * the kill of the rest of its pid namespace is not counted.
 */
#define OG_END_OFF 30784
#define OG_END_INIT_EXITED 0x01 /* init_code, init_exit_ns are set */
#define OG_END_INIT_OOM 0x02	/* the OOM killer chose the init process */
struct og_end_victim {
	__u64 ns; /* CLOCK_BOOTTIME */
	__u32 tgid;
	__s32 signo;	   /* last_killed: the signal; last_oom: 0 */
	__u64 anon_rss_kb; /* last_oom: its anonymous memory when chosen */
	__u64 mem_limit;   /* last_oom: its memory cgroup's limit in bytes, ~0: none */
	char comm[16];
};
struct og_ring_end {
	__u32 init_tgid; /* the container's init process, host pid */
	__s32 init_code; /* its wait(2) status once it ended */
	__u64 flags;	 /* OG_END_*, set by atomic or */
	__u64 init_exit_ns;
	__u64 exits;	     /* processes that ended */
	__u64 exits_nonzero; /* ... exiting with a non-zero status */
	__u64 killed;	     /* ... killed by a signal (init excluded) */
	__u64 core_dumps;    /* ... whose core was dumped (init included) */
	__u64 oom_kills;     /* tasks the OOM killer chose (init included) */
	__u64 crashes;	     /* fatal SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT... delivered (OG_REC_CRASH) */
	struct og_end_victim last_killed;
	struct og_end_victim last_oom;
};
_Static_assert(OG_NET_OFF + sizeof(struct og_ring_net) <= OG_END_OFF &&
		       OG_END_OFF + sizeof(struct og_ring_end) <= OG_ELEM_SIZE && OG_END_OFF % 64 == 0,
	       "the end state fits the header element, after the peer set");

/*
 * The container's open fds (gadget-dump's fd paths, strace -y): what each
 * (process, fd) is, kept by the syscall programs as fds are opened,
 * duplicated and closed, so that a record whose fd was opened before the
 * ring wrapped still shows its path or its socket's endpoints. The table
 * is og_ring_fds.elems elements of the ring's own map, after its chunks
 * (keys chunk_count + 1 ...): it lives and dies with the ring, and no
 * record ever overwrites it. Each element holds OG_FD_PER_ELEM entries;
 * an (tgid, fd) lives in the element og_fd_elem_of(key) says, at most
 * OG_FD_PROBES slots from og_fd_slot_of(key) (open addressing, a slot is
 * never freed: a lookup stops at the first slot never used).
 *
 * An entry is a history item: open_ns to close_ns (0: still open), so
 * that records before a close and after a reuse of the number resolve to
 * the file each meant. Closed entries, and open ones of processes that
 * have ended, are reused for new entries, oldest close first; when every
 * probed slot is an open fd of a live process, the new fd is not kept and
 * counts in full. A forked process's first entry (kind OG_FDK_PARENT,
 * fd -1) names its parent: the fds it inherited are the parent's as of
 * open_ns. Writers claim a free slot by a compare-and-swap of key from 0,
 * a used one by a compare-and-swap of close_ns from the value they saw to
 * 0; open_ns is stored last (0: being written, readers skip it).
 */
#define OG_FDS_OFF 31744 /* struct og_ring_fds in the header element */
#define OG_FD_ELEMS 4	 /* elements of entries a new ring gets */
#define OG_FD_ELEMS_MAX 16
#define OG_FD_ENTRY_SIZE 256
#define OG_FD_PER_ELEM (OG_CHUNK_BYTES / OG_FD_ENTRY_SIZE) /* 128 */
#define OG_FD_PROBES 16
#define OG_FD_PATH 160
#define OG_FD_PARENT_FD 0xffffffffu /* the fd of a process's OG_FDK_PARENT entry */
/* The fd of a process's working directory, an OG_FDK_FILE entry: AT_FDCWD
 * as the syscalls pass it, so that a dirfd argument of AT_FDCWD finds it
 * as any other dirfd finds its entry. Set by chdir and fchdir, inherited
 * through the parent link, seeded from config.json's process.cwd. No fd
 * of a process is negative: the reserved numbers are the fds >= 2^31. */
#define OG_FD_CWD_FD 0xffffff9cu
#define OG_FD_RESERVED(fd) ((__u32)(fd) >= 0x80000000u)
struct og_ring_fds {
	__u32 elems; /* elements of entries after the chunks; 0: no table */
	__u32 reserved;
	__u64 full;    /* new fds not kept: every slot probed held a live one */
	__u64 reused;  /* entries given to a new fd (closed ones, or a dead process's) */
	__u64 missing; /* dup, connect, close of an fd the table did not know */
};
_Static_assert(OG_END_OFF + sizeof(struct og_ring_end) <= OG_FDS_OFF &&
		       OG_FDS_OFF + sizeof(struct og_ring_fds) <= OG_ELEM_SIZE && OG_FDS_OFF % 64 == 0,
	       "the fd table's counts fit the header element, after the end state");

enum og_fd_kind {
	/* path: as the program named it; a relative one joined to its
	 * directory (dirfd, working directory) when the table had that
	 * directory, else kept relative. "." and ".." are kept as named:
	 * readers drop "." and empty components, and ".." at the root only
	 * (a symlinked component makes any other ".." lexically wrong). */
	OG_FDK_FILE = 1,
	OG_FDK_SOCKET = 2, /* sock: its endpoints when the table last saw it; unix: path the bound name */
	OG_FDK_PIPE = 3,   /* ino: the pipe's inode */
	OG_FDK_PARENT = 4, /* fd OG_FD_PARENT_FD: parent is the tgid this process was forked from */
	/* an fd the table saw made, of a kind it does not describe (ino set);
	 * one made by an OG_FD_OP_ANON row is named by that row (maker_nr),
	 * path the name it was given (memfd_create's), if any */
	OG_FDK_OTHER = 5,
	OG_FDK_KINDS,
};
#define OG_FDF_CLOEXEC 0x01   /* closed by a successful execve */
#define OG_FDF_TRUNCATED 0x02 /* path longer than OG_FD_PATH - 1 bytes: cut */
/* nr and maker_nr are i386 syscall numbers (a compat process made it).
 * Readers before it ignore the flag: only OG_FD_OP_ANON's names depend
 * on it, and they showed such an entry as inode:[N]. */
#define OG_FDF_I386 0x04
struct og_fd_sock {
	__u16 family; /* AF_INET, AF_INET6, AF_UNIX */
	__u8 type;    /* SOCK_STREAM, SOCK_DGRAM... */
	__u8 protocol;
	__u16 lport, rport; /* host order; 0: none */
	__u8 laddr[16], raddr[16];
};
struct og_fd_entry {
	__u64 key;	/* og_fd_key(tgid, fd); 0: never used */
	__u64 open_ns;	/* CLOCK_BOOTTIME: when the fd became this; 0: being written */
	__u64 close_ns; /* when it was closed; 0: open */
	__u32 tgid;
	__u32 fd;     /* OG_FDK_PARENT: OG_FD_PARENT_FD */
	__u8 kind;    /* enum og_fd_kind */
	__u8 flags;   /* OG_FDF_* */
	__s16 nr;     /* the syscall that made it */
	__u32 parent; /* OG_FDK_PARENT: the parent's tgid */
	union {
		__u64 ino;     /* pipes, sockets, others: the inode number */
		__u64 exec_ns; /* OG_FDK_PARENT: the process's first successful exec (0: none): the
				* parent's close-on-exec fds were not inherited past it */
	};
	struct og_fd_sock sock;
	__u16 len; /* bytes of path, without its NUL */
	/* OG_FDK_OTHER: the OG_FD_OP_ANON syscall that made the file, whose
	 * row names it (a dup's copy keeps it; its nr is the dup's). 0: none
	 * (read, syscall 0, makes no fd). Readers before it had 0 here. */
	__s16 maker_nr;
	__u16 reserved[2];
	char path[OG_FD_PATH];
};
struct og_fd_elem {
	struct og_fd_entry e[OG_FD_PER_ELEM];
	__u8 slack[OG_PIECE];
};
_Static_assert(sizeof(struct og_fd_entry) == OG_FD_ENTRY_SIZE && sizeof(struct og_fd_elem) == OG_ELEM_SIZE,
	       "fd table layout");

static inline __u64 og_fd_key(__u32 tgid, __u32 fd)
{
	return (__u64)tgid << 32 | fd;
}
static inline __u64 og_fd_hash(__u64 key)
{
	return (key ^ (key >> 29)) * 0x9e3779b97f4a7c15ULL;
}
static inline __u32 og_fd_elem_of(__u64 key, __u32 elems)
{
	return elems ? (__u32)((og_fd_hash(key) >> 40) % elems) : 0;
}
static inline __u32 og_fd_slot_of(__u64 key)
{
	return (__u32)(og_fd_hash(key) >> 57) & (OG_FD_PER_ELEM - 1);
}

/* FNV-1a over the key's fields (8 bytes from family, then addr), never 0. */
static inline __u64 og_net_hash(const struct og_net_peer *p)
{
	const __u8 *b = (const __u8 *)&p->family;
	__u64 h = 0xcbf29ce484222325ULL;

	for (int i = 0; i < 8 + OG_NET_ADDR; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h ? h : 1;
}

/* Tags: bits 63..16 position / 8 (modulo 2^48), bits 15..3 the record's
 * length / 8, bits 2..0 the state. */
enum og_tag_state {
	OG_TAG_WRITING = 0, /* claimed; payload being written */
	OG_TAG_ENTERED = 1, /* a syscall record, published at sys_enter, not yet completed */
	OG_TAG_EXITING = 2, /* sys_exit is completing it in place */
	OG_TAG_DONE = 3,    /* complete */
	OG_TAG_PAD = 4,	    /* no record: skip length bytes */
};

static inline __u64 og_tag(__u64 pos, __u32 len, __u32 state)
{
	return (pos >> 3) << 16 | (__u64)(len >> 3) << 3 | state;
}
static inline __u32 og_tag_len(__u64 tag)
{
	return ((tag >> 3) & 0x1fff) << 3;
}
static inline __u32 og_tag_state(__u64 tag)
{
	return tag & 7;
}
/* The position a tag was written for (modulo OG_POS_LIMIT). */
static inline __u64 og_tag_pos(__u64 tag)
{
	return tag >> 16 << 3;
}
/* A tag holds bits 3..50 of a position: a ring's head stays below this
 * (2 PiB written); a reader takes a larger one as a corrupted header. */
#define OG_POS_LIMIT (1ULL << 51)

/* The tag was written for position pos (not left there by an older lap). */
static inline int og_tag_at(__u64 tag, __u64 pos)
{
	return (tag >> 16) == ((pos >> 3) & 0xffffffffffffULL);
}

/* Sizes of what records carry. */
#define OG_COMM_LEN 16
#define OG_NARGS 6
#define OG_NCAPS 3	       /* captured arguments per record */
#define OG_STR_MAX 4096	       /* path-like strings: PATH_MAX, kept whole */
#define OG_CAPTURE_MAX 4096    /* buffers: io.oci-gadget.capture-bytes at most */
#define OG_CAPTURE_DEFAULT 256 /* buffers: bytes kept unless configured */
#define OG_ARGV_MAX_ARGS 32    /* execve: arguments kept */
#define OG_ARGV_MAX_BYTES 4096 /* execve: bytes of argv kept */
#define OG_SOCKADDR_MAX 128    /* sizeof(struct sockaddr_storage) */
#define OG_EVENT_STR_MAX 256   /* an event's string (a thrown type's name) */

/*
 * Record types. A record is og_rec, then the type's fixed body (og_sys for
 * syscalls, nothing for events, og_signal, og_exit, og_oom, og_crash), then
 * nargs argument words, then ncaps captures. A reader skips a type it does
 * not know (its tag gives its length) and counts it: a new type needs no new
 * ring format; a new layout of a known type does.
 */
enum og_record_type {
	OG_REC_SYSCALL = 1,  /* a syscall: written at sys_enter, completed in place at sys_exit */
	OG_REC_SYS_EXIT = 2, /* a sys_exit whose record could not be completed in place */
	OG_REC_EVENT = 3,    /* a uprobe or USDT event: nr is enum og_event_kind */
	OG_REC_SIGNAL = 4,   /* a signal sent to, or delivered to, a task of the container: nr is the signal */
	OG_REC_EXIT = 5,     /* a task of the container ended: nr is 0 */
	OG_REC_OOM = 6,	     /* the OOM killer chose a task of the container: nr is 0 */
	OG_REC_CRASH = 7,    /* a fatal signal delivered, with registers, stack and code mappings: nr is the signal */
	OG_REC_THREAD = 8,   /* format 5: who a thread is, for the compact syscall records after it; no body */
	OG_REC_TYPES,
	/* Format 6, in the low bits of seq_type only: the output of a compact
	 * syscall record (struct og_rec_out), read with it, never alone. */
	OG_REC_OUTPUT = 14,
	/* Format 5, in the low bits of seq_type only: a compact syscall record
	 * (struct og_rec_sys), unpacked by readers into an OG_REC_SYSCALL. */
	OG_REC_COMPACT = 15,
};

/* og_rec.flags */
#define OG_RF_I386 0x01	   /* a 32-bit syscall (arch i386) */
#define OG_RF_KSTACK 0x02  /* og_sys.kstack holds a kernel stack id */
#define OG_RF_RETRY 0x04   /* a string was unreadable at sys_enter: the exit is standalone, with it */
#define OG_RF_NO_TIME 0x08 /* standalone exit: the enter was not found, duration unknown */

/*
 * Every record of format 5 but the compact syscall record, and every
 * record as readers hand it out (the in-memory view, whatever the ring's
 * format): 64 bytes. seq_type: bits 31..4 the ring's record number
 * (og_ring_header.seq, modulo 2^28; 0 in thread records and in records of
 * formats 3 and 4), bits 3..0 the type again (OG_REC_COMPACT in a compact
 * record, which has the same first 16 bytes). ns_tgid and ns_tid: the
 * task's pids in its own (innermost) pid namespace, the container's; 0 not
 * known (formats 3 and 4).
 */
struct og_rec {
	__u64 tag;
	__u32 seq_type;
	__u32 tid;
	__u64 ts_ns; /* CLOCK_BOOTTIME at sys_enter (standalone exits: at sys_exit) */
	__u32 tgid;
	__u32 ns_tgid;
	__u32 ns_tid;
	__s16 nr;   /* syscall number (sys_exit of rt_sigreturn: -1), or event kind */
	__u8 type;  /* enum og_record_type */
	__u8 flags; /* OG_RF_* */
	__u8 nargs; /* argument words after the header(s) */
	__u8 ncaps; /* captures after the arguments */
	__u16 cpu;
	char comm[OG_COMM_LEN];
	__u32 view; /* OG_VIEW_*: what the reader found; 0 in a ring */
};
#define OG_SEQ_SHIFT 4
#define OG_SEQ_MASK ((1u << 28) - 1)
/* og_rec.view, set by readers (a crash file of format 5 keeps them). */
#define OG_VIEW_SEQ 0x01 /* seq_type's number is the ring's record number */
#define OG_VIEW_NS 0x02	 /* ns_tgid and ns_tid are known */

/* Records of formats 3 and 4: 48 bytes, then the same bodies. */
struct og_rec4 {
	__u64 tag;
	__u64 ts_ns;
	__u32 tgid;
	__u32 tid;
	__s16 nr;
	__u8 type;
	__u8 flags;
	__u8 nargs;
	__u8 ncaps;
	__u16 cpu;
	char comm[OG_COMM_LEN];
};

/*
 * Format 5's syscall record, written at sys_enter and completed in place
 * at sys_exit: 32 bytes, then the words shape asks for, then the
 * arguments, then (at the next multiple of 8) the captures as in any
 * record. Who made it (pids, comm) and when its time counts from are in
 * its thread record, OG_WHERE_THREAD(where) * 8 bytes before it. A writer
 * writes a thread record before a syscall record when the thread has none
 * in this ring yet, when its comm changed, when dt would not fit 32 bits,
 * when its cpu does not fit the record's 10 bits and changed, and when its
 * last one is more than 1 / 2^OG_THREAD_REFRESH_SHIFT of the ring back (so
 * that the records it names are not much older than it).
 */
struct og_rec_sys {
	__u64 tag;
	__u32 seq_type; /* seq << 4 | OG_REC_COMPACT */
	__u32 where;	/* OG_WHERE_*: its thread record, its cpu */
	__u32 dt;	/* ns from the thread record's ts_ns to sys_enter */
	__s32 ret;	/* the low half when OG_SHAPE_RET_WIDE; valid once the tag is DONE */
	__u32 duration; /* og_dur_encode */
	__u32 shape;	/* OG_SHAPE_* */
};
#define OG_WHERE_THREAD(w) ((w)&0x3fffff) /* (position - thread record's position) / 8 */
#define OG_WHERE_CPU(w) ((w) >> 22)
#define OG_WHERE(thread, cpu) ((thread) | (cpu) << 22)
#define OG_CPU_IN_THREAD 1023 /* a cpu from 1023 on: the thread record's */
/* og_rec_sys.shape: the syscall number, how many captures, the record's
 * OG_RF_* flags, each argument's class, and which optional words follow
 * the 32 bytes, in this order: the return value's high half (RET_WIDE,
 * s32), the syscall number (when OG_SHAPE_NR is OG_NR_WIDE, s32), the
 * kernel stack id (OG_RF_KSTACK, u32). Then the arguments by class:
 * OG_ARGC_ZERO none (the value 0), OG_ARGC_32 4 bytes (sign-extended when
 * read), OG_ARGC_64 8 bytes; OG_ARGC_NONE past the last argument. */
#define OG_SHAPE_NR(s) ((s)&0x3ff)
#define OG_NR_WIDE 0x3ff
#define OG_SHAPE_NCAPS(s) (((s) >> 10) & 3)
#define OG_SHAPE_FLAGS(s) (((s) >> 12) & 0xf) /* OG_RF_I386, _KSTACK, _RETRY, _NO_TIME */
#define OG_SHAPE_RET_WIDE 0x10000
#define OG_SHAPE_ARGC(s, i) (((s) >> (17 + 2 * (i))) & 3)
#define OG_SHAPE(nr, ncaps, rflags, classes) ((nr) | (ncaps) << 10 | ((rflags)&0xf) << 12 | (classes) << 17)
enum og_arg_class {
	OG_ARGC_ZERO = 0,
	OG_ARGC_32 = 1,
	OG_ARGC_64 = 2,
	OG_ARGC_NONE = 3,
};
/* A thread record is written again once the ring head is this fraction of
 * the ring past it: a reader loses at most about half of it at the oldest
 * end of a ring (records whose thread record was overwritten). */
#define OG_THREAD_REFRESH_SHIFT 5 /* 1/32 of the ring: at most 8 MiB back, OG_WHERE_THREAD reaches 32 */

/*
 * Format 6's output record: what a syscall put in its buffer or array
 * (OG_ARG_BUF_OUT, OG_ARG_ARRAY_OUT), written at sys_exit of a compact
 * record completed in place, when the call returned bytes to keep: 16
 * bytes, then one capture (struct og_cap, size the bytes kept, no more).
 * Its syscall record's capture for the argument is OG_CAP_APART: at
 * sys_enter only what sys_exit will need (len: the bytes it may keep,
 * count: an array's element size; size 0, no room); once DONE, where
 * the output record is (OG_CAP_APART_FWD), 0: none (the call returned
 * nothing to keep, or the ring had no room: then OG_CAP_LOST). The
 * output record is published before its syscall record is DONE. Not
 * numbered; readers read it through its syscall record and pass over it
 * when walking.
 */
struct og_rec_out {
	__u64 tag;
	__u32 seq_type; /* OG_REC_OUTPUT */
	__u32 back;	/* (position - its syscall record's position) / 8 */
};
/* An OG_CAP_APART capture's link once its record is DONE: (output
 * record's position - the syscall record's) / 8, in count (high 8 bits)
 * and len (low 16); 0: no output record. */
#define OG_CAP_APART_FWD(c) ((__u32)(c)->count << 16 | (c)->len)
#define OG_CAP_APART_MAX ((1u << 24) - 1)
/* An output of at most this many bytes keeps its room at sys_enter, in
 * its record, as in format 5: the room it may leave unused is no more than
 * an output record's headers (16 + 8 bytes) would cost (a read of 1 byte
 * is 16 bytes of capture in place, 40 apart). */
#define OG_APART_MIN 24

/* Syscall records and standalone exits: after og_rec, 16 bytes. */
struct og_sys {
	__s64 ret;	/* valid once the tag is DONE */
	__u32 duration; /* og_dur_encode(ns from sys_enter to sys_exit) */
	__u16 out_off;	/* offset of the output capture from the record's start, 0: none */
	__u16 kstack;	/* OG_RF_KSTACK: kernel stack id in maps/kstacks */
};

/* A captured argument: 8 bytes, then size bytes of room rounded up to 8. */
struct og_cap {
	__u8 arg;   /* argument index 0..5 */
	__u8 kind;  /* enum og_arg_kind */
	__u8 flags; /* OG_CAP_* */
	__u8 count; /* OG_ARG_ARGV: strings packed NUL separated */
	__u16 len;  /* valid bytes */
	__u16 size; /* room in the record (an output buffer: reserved at sys_enter) */
};

/* og_cap.flags */
#define OG_CAP_TRUNCATED 0x01  /* more bytes existed than were kept */
#define OG_CAP_UNREADABLE 0x02 /* the user memory could not be read */
#define OG_CAP_RETRIED 0x04    /* read at sys_exit after sys_enter failed */
#define OG_CAP_WITHHELD 0x08   /* kept out by the capture policy, never read: len and size 0 */
#define OG_CAP_APART 0x10      /* format 6, a ring's compact record only: the bytes are in an output record */
#define OG_CAP_LOST 0x20       /* the bytes were not kept: the ring had no room, or their record is gone */

static inline __u32 og_round8(__u32 n)
{
	return (n + 7) & ~7u;
}

/* OG_REC_SIGNAL: the task of og_rec is the signal's target (sent) or the
 * task that dequeued it (delivered). */
enum og_signal_what {
	OG_SIG_SENT = 1,      /* signal_generate: sent (by a task, or by the kernel for it) */
	OG_SIG_DELIVERED = 2, /* signal_deliver: dequeued by the task, about to be acted on */
};
/* og_signal.result when sent: the kernel's (TRACE_SIGNAL_* of the
 * signal_generate tracepoint). */
enum og_sig_result {
	OG_SIGR_DELIVERED = 0,	     /* queued for the task (it may block it: OG_SIGF_BLOCKED) */
	OG_SIGR_IGNORED = 1,	     /* dropped: ignored by the task (SIG_IGN, or init's default action) */
	OG_SIGR_ALREADY_PENDING = 2, /* a standard signal already pending: merged */
	OG_SIGR_OVERFLOW_FAIL = 3,   /* queue full: a real-time signal lost */
	OG_SIGR_LOSE_INFO = 4,	     /* queue full: delivered without its siginfo */
};
/* og_signal.result when delivered: what the task does with it. */
enum og_sig_action {
	OG_SIGA_DEFAULT = 0, /* SIG_DFL: the default action (OG_SIGF_FATAL when it ends the process) */
	OG_SIGA_IGNORE = 1,  /* SIG_IGN */
	OG_SIGA_HANDLER = 2, /* a handler runs */
};
#define OG_SIGF_OUTSIDE 0x01 /* sent by a task that is not the container's (another container, the host) */
#define OG_SIGF_GROUP 0x02   /* sent to the whole process (kill), not one thread (tgkill) */
#define OG_SIGF_NOINFO 0x04  /* no siginfo: sent from user space by kill(2) semantics (SI_USER) */
#define OG_SIGF_PRIV 0x08    /* no siginfo: sent by the kernel (SI_KERNEL), e.g. the OOM killer */
#define OG_SIGF_BLOCKED 0x10 /* sent: the target blocks it, it stays pending */
#define OG_SIGF_FATAL 0x20   /* delivered: the default action ends the process */
#define OG_SIGF_CORE 0x40    /* delivered: ... with a core dump, if limits allow one */
struct og_signal {
	__s32 signo;
	__s32 code;  /* si_code */
	__u8 what;   /* enum og_signal_what */
	__u8 result; /* enum og_sig_result (sent) or og_sig_action (delivered) */
	__u16 flags; /* OG_SIGF_* */
	__s32 info_errno;
	__s32 info_pid; /* kill, sigqueue, SIGCHLD: as the siginfo says (the receiver's pid namespace) */
	__u32 info_uid;
	__s32 info_status; /* SIGCHLD: the child's exit status or signal */
	__u32 sender_tgid; /* sent: the task running when it was sent (host pids) */
	__u32 sender_tid;
	__u64 addr;	/* si_addr: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
	__u64 handler;	/* delivered: sa_handler */
	__u64 sa_flags; /* delivered: sa_flags */
	char sender_comm[OG_COMM_LEN];
};

/* OG_REC_EXIT, from sched_process_exit: every task's end. */
#define OG_EXITF_GROUP_DEAD 0x01 /* the last thread of its process: the process ended */
#define OG_EXITF_INIT 0x02	 /* a thread of the container's init process */
#define OG_EXITF_OOM 0x04	 /* its process was chosen by the OOM killer */
#define OG_EXITF_GROUP_EXIT 0x08 /* its whole process is ending (exit_group, a fatal signal) */
struct og_exit {
	__s32 code;	/* wait(2) status: exit status << 8, or the signal | 0x80 with a core dump */
	__u32 flags;	/* OG_EXITF_* */
	__u64 start_ns; /* when the task started (CLOCK_BOOTTIME) */
	__u64 utime_ns;
	__u64 stime_ns;
};

/* OG_REC_OOM, from the oom mark_victim tracepoint, in the victim's ring
 * (it runs in the killer's context: another task, maybe another container). */
#define OG_OOMF_MEMCG 0x01 /* mem_usage and mem_limit are the victim's memory cgroup's */
struct og_oom {
	__u64 total_vm_kb;
	__u64 anon_rss_kb;
	__u64 file_rss_kb;
	__u64 shmem_rss_kb;
	__u64 pgtables_kb;
	__u64 mem_usage; /* bytes */
	__u64 mem_limit; /* bytes; ~0 when unlimited */
	__s16 oom_score_adj;
	__u16 flags; /* OG_OOMF_* */
	__u32 uid;
	__u32 killer_tgid; /* the task the OOM killer ran in */
	__u32 killer_tid;
	char killer_comm[OG_COMM_LEN];
};

/*
 * OG_REC_CRASH, from signal_deliver when a signal whose default action
 * dumps core (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS,
 * SIGQUIT...) is about to end the process: the delivery (sig) and what
 * gadget-dump needs to unwind the thread's stack with the binaries' CFI.
 * Then two captures: OG_ARG_STACK, the user stack from regs' sp (up to
 * OG_CRASH_STACK bytes, fewer where unreadable), and OG_ARG_MAPS, nmaps
 * struct og_crash_map then their paths.
 */
#define OG_CRASH_REGS 21      /* struct pt_regs, x86_64: r15 r14 r13 r12 bp bx r11 r10 r9 r8 ax cx dx si di */
#define OG_CRASH_STACK 8192   /* bytes of stack kept */
#define OG_CRASH_MAPS 16      /* code mappings kept */
#define OG_CRASH_PATHS 2048   /* bytes of their paths */
#define OG_CRASH_PATH_MAX 256 /* one path */
enum og_crash_reg {
	OG_REG_R15 = 0,
	OG_REG_R14,
	OG_REG_R13,
	OG_REG_R12,
	OG_REG_BP,
	OG_REG_BX,
	OG_REG_R11,
	OG_REG_R10,
	OG_REG_R9,
	OG_REG_R8,
	OG_REG_AX,
	OG_REG_CX,
	OG_REG_DX,
	OG_REG_SI,
	OG_REG_DI,
	OG_REG_ORIG_AX,
	OG_REG_IP,
	OG_REG_CS,
	OG_REG_FLAGS,
	OG_REG_SP,
	OG_REG_SS,
};
#define OG_CRASHF_MAPS_FULL 0x01 /* more code mappings were referenced than kept */
#define OG_CRASHF_MAPS_BUSY 0x02 /* the address space was locked: mappings not read */
#define OG_CRASHF_I386 0x04	 /* a 32-bit process: registers hold i386 values */
struct og_crash {
	struct og_signal sig;
	__u64 regs[OG_CRASH_REGS];
	__u32 flags; /* OG_CRASHF_* */
	__u16 nmaps;
	__u16 reserved;
};
/* A file mapped executable, found from the faulting address and from the
 * words of the stack that point into it. */
struct og_crash_map {
	__u64 start, end; /* addresses */
	__u64 pgoff;	  /* file offset of start, bytes */
	__u64 ino;
	__u32 dev;
	__u16 path_off; /* in the capture, from OG_CRASH_MAPS entries in (the table has room for all) */
	__u16 path_len; /* without a NUL; the path inside the container's mount namespace */
};
_Static_assert(sizeof(struct og_signal) == 80 && sizeof(struct og_exit) == 32 && sizeof(struct og_oom) == 88 &&
		       sizeof(struct og_crash) == 256 && sizeof(struct og_crash_map) == 40,
	       "new record layouts");

/* The fixed body after og_rec of each known type; 0 for an unknown type. */
static inline __u32 og_rec_body_size(__u32 type)
{
	switch (type) {
	case OG_REC_SYSCALL:
	case OG_REC_SYS_EXIT: return 16; /* struct og_sys */
	case OG_REC_EVENT:
	case OG_REC_THREAD: return 0;
	case OG_REC_SIGNAL: return sizeof(struct og_signal);
	case OG_REC_EXIT: return sizeof(struct og_exit);
	case OG_REC_OOM: return sizeof(struct og_oom);
	case OG_REC_CRASH: return sizeof(struct og_crash);
	default: return 0;
	}
}

/* The biggest record: header, syscall part, 6 arguments, 3 whole captures
 * (in the view; a compact record is smaller). */
#define OG_REC_MAX (sizeof(struct og_rec) + sizeof(struct og_sys) + 8 * OG_NARGS + OG_NCAPS * (8 + OG_STR_MAX))
_Static_assert(OG_REC_MAX < OG_CHUNK_BYTES / 2, "a record must fit a chunk with room to spare");
_Static_assert(sizeof(struct og_rec) + sizeof(struct og_crash) + 2 * 8 + OG_CRASH_STACK +
			       OG_CRASH_MAPS * sizeof(struct og_crash_map) + OG_CRASH_PATHS <=
		       OG_REC_MAX,
	       "a crash record is no bigger than the biggest syscall record");

_Static_assert(sizeof(struct og_rec) == 64 && sizeof(struct og_rec4) == 48 && sizeof(struct og_rec_sys) == 32 &&
		       sizeof(struct og_sys) == 16 && sizeof(struct og_cap) == 8 && sizeof(struct og_rec_out) == 16,
	       "record layout");
_Static_assert(sizeof(struct og_ring_header) <= OG_ELEM_SIZE, "header must fit element 0");

/* Durations in 32 bits: bits 31..30 the unit (ns, us, ms, s), 29..0 the
 * count; longer than 2^30 s saturates. */
static inline __u32 og_dur_encode(__u64 ns)
{
	if (ns < (1u << 30))
		return ns;
	if (ns / 1000 < (1u << 30))
		return 1u << 30 | (__u32)(ns / 1000);
	if (ns / 1000000 < (1u << 30))
		return 2u << 30 | (__u32)(ns / 1000000);
	ns /= 1000000000;
	return 3u << 30 | (__u32)(ns < (1u << 30) ? ns : (1u << 30) - 1);
}
static inline __u64 og_dur_decode(__u32 d)
{
	static const __u64 unit[4] = {1, 1000, 1000000, 1000000000};

	return (__u64)(d & ((1u << 30) - 1)) * unit[d >> 30];
}

/* sys_exit finds the record its sys_enter wrote here: maps/threads,
 * an array indexed by tid & (OG_THREADS - 1). Threads whose tids collide
 * overwrite each other's entry; the exit then checks the record (tid,
 * tag) and writes a standalone exit when it is not its own.
 *
 * The entry also says which generation of the programs (og_config) entered
 * or exited the thread's last syscall: during a reload, when both
 * generations are attached, the new one skips a syscall event the old one
 * already recorded (og_format.h, "Reloading without a gap"); and, for the
 * events that come once (signals, exits, OOM kills), which one the old
 * generation recorded last in this thread's context. */
#define OG_THREADS 32768
struct og_thread {
	__u32 tid;
	__u32 ring_slot; /* index in maps/rings */
	__u64 pos;	 /* position of the syscall record */
	__u32 gen;	 /* the generation that entered (open) or exited (not open) syscall nr last */
	__s16 nr;	 /* sys_enter: the syscall's number; sys_exit: orig_ax */
	__u8 open;	 /* 1 from its sys_enter until its sys_exit */
	__u8 role;	 /* sys_enter of generation gen: its row's role, for sys_exit (no second lookup) */
	__u32 once_tid;	 /* reload window: the old generation recorded event once_what in thread once_tid */
	__u32 once_what; /* OG_ONCE_* << 24 | the signal or victim (bpf/og_ring.bpf.h) */
	/* Format 5: the thread's last thread record (tid, ring_owner say whose
	 * and in which ring), what it said, and where sys_exit fills the open
	 * record's output buffer. */
	__u64 thr_pos;
	__u64 thr_ns;	  /* its ts_ns: compact records' time counts from it */
	__u64 ring_owner; /* the ring's cgroup id when thr_pos was written */
	char thr_comm[OG_COMM_LEN];
	__u16 thr_cpu; /* when at least OG_CPU_IN_THREAD */
	__u16 out_off; /* from the open record's start; 0: none */
	__u32 thr_tid; /* the thread thr_pos was written for */
};

/* Per-CPU scratch (maps/scratch): strings are read here first, because a
 * record's length must be known before it is claimed. One entry per
 * program kind, so a preempted program's scratch is not another's. */
#define OG_SCRATCH_SLOT 8192 /* a string (4 KiB) or argv (4 KiB + one more read) */
enum og_scratch_user {
	OG_SCRATCH_ENTER = 0,
	OG_SCRATCH_EXIT = 1,
	OG_SCRATCH_UPROBE = 2,
	OG_SCRATCH_SIGNAL = 3, /* signal, exit, OOM and crash programs */
	OG_SCRATCH_USERS = 4,
};
struct og_scratch {
	char slot[OG_NCAPS][OG_SCRATCH_SLOT];
};

/* ------------------------------------------------------------------ */
/* Uprobe and USDT events: records of type OG_REC_EVENT. One call is  */
/* one record, written when the call returns (entry-only kinds: at    */
/* entry): og_rec, then OG_NARGS words indexed by OG_EA_*, then at    */
/* most one capture (TLS plaintext, a thrown type's name).            */
/* ------------------------------------------------------------------ */

/* Families a container asks for (annotation io.oci-gadget.uprobes). */
#define OG_FAM_MALLOC 0x01
#define OG_FAM_SSL 0x02
#define OG_FAM_GC 0x04
#define OG_FAM_EXCEPTIONS 0x08
#define OG_FAM_ALL 0x0f

/* og_rec.args of an event record */
#define OG_EA_SIZE 0	 /* bytes asked for (malloc family, ssl), generation (gc) */
#define OG_EA_ADDR 1	 /* address returned or freed; thrown object */
#define OG_EA_STACK 2	 /* user stack: og_ustack_word(), or negative (none) */
#define OG_EA_DURATION 3 /* ns from entry to return, or of the collection */
#define OG_EA_OLD 4	 /* realloc: the old address */
#define OG_EA_RET 5	 /* return value (ssl, posix_memalign); gc: objects collected (python) */

/* args[OG_EA_STACK]: the stack's id in maps/ustacks in bits 0..31, and in
 * bits 32..62 a 31-bit hash of its frames (og_ustack_hash; 0: not known):
 * maps/ustacks reuses an id once full (BPF_F_REUSE_STACKID), and a reader
 * that finds under the id a stack of another hash knows the stack is gone
 * instead of printing someone else's, even one that shares its first
 * frames. Negative: no stack (the error). */
static inline __u64 og_ustack_word(long id, __u32 check)
{
	return id < 0 ? (__u64)id : (__u64)(__u32)id | (__u64)(check & 0x7fffffff) << 32;
}
/* FNV-1a over a stack's frames, up to n or the first zero, folded to 31
 * bits, never 0: computed by the program from bpf_get_stack and by the
 * reader from the map's copy of the stack. */
#define OG_STACK_DEPTH 32
static inline __u32 og_ustack_hash(const __u64 *ips, __u32 n)
{
	__u64 h = 0xcbf29ce484222325ULL;

	for (__u32 i = 0; i < OG_STACK_DEPTH; i++) {
		if (i >= n || !ips[i])
			break;
		h ^= ips[i];
		h *= 0x100000001b3ULL;
	}
	h = (h ^ (h >> 31) ^ (h >> 62)) & 0x7fffffff;
	return h ? (__u32)h : 1;
}
static inline __s64 og_ustack_id(__u64 word)
{
	return (__s64)word < 0 ? -1 : (__s64)(word & 0xffffffffULL);
}
/* The stack's hash as recorded (0 for a record without). */
static inline __u32 og_ustack_check(__u64 word)
{
	return (__s64)word < 0 ? 0 : (__u32)(word >> 32);
}

/* Event kind flags (a kind's row, og_events.c). */
#define OG_EK_RETURNS 0x01  /* recorded at return (a uretprobe, or a USDT end probe) */
#define OG_EK_ALLOC 0x02    /* --leaks: allocates args[OG_EA_ADDR] of args[OG_EA_SIZE] bytes */
#define OG_EK_FREE 0x04	    /* --leaks: frees args[OG_EA_ADDR] */
#define OG_EK_REALLOC 0x08  /* --leaks: frees args[OG_EA_OLD], then allocates */
#define OG_EK_USTACK 0x10   /* carries a user stack id (taken at return) */
#define OG_EK_INTERNAL 0x20 /* a USDT start probe: its arguments wait for the end probe naming it; never recorded */
#define OG_EK_RET_OK0 0x40  /* --leaks: allocated only when args[OG_EA_RET] is 0 */
#define OG_EK_COUNT_ARG4                                                         \
	0x80 /* returns 1 on success and the byte count through its 4th argument \
	      * (SSL_write_ex): recorded as the count, or as the return value */

/*
 * Event kinds: og_rec.nr of an OG_REC_EVENT record, and the kind in a
 * probe's cookie. Rings and crash files hold these numbers: a kind keeps
 * its number, a new kind takes the next one. Everything else about a kind
 * (name, family, the symbols or USDT probes it is placed on, which argument
 * fills which word, how it prints) is its row in og_events.c; the programs
 * read what they need of it from og_kinds (struct og_kind_desc).
 */
enum og_event_kind {
	OG_EV_MALLOC = 1,
	OG_EV_CALLOC = 2,
	OG_EV_REALLOC = 3,
	OG_EV_FREE = 4,
	OG_EV_POSIX_MEMALIGN = 5,
	OG_EV_ALIGNED_ALLOC = 6,
	OG_EV_MMAP = 7,
	OG_EV_MUNMAP = 8,
	OG_EV_SSL_WRITE = 9,
	OG_EV_SSL_READ = 10,
	OG_EV_GNUTLS_SEND = 11,
	OG_EV_GNUTLS_RECV = 12,
	OG_EV_GC_START = 13,
	OG_EV_GC_PYTHON = 14,
	OG_EV_GC_JAVA = 15,
	OG_EV_THROW = 16,
	OG_EV_RETHROW = 17,
	OG_EV_SSL_WRITE_EX = 18,
	OG_EV_SSL_READ_EX = 19,
	OG_EV_MAX,
};

/*
 * What the uprobe programs know of a kind: the array og_kinds in their
 * read-only data, indexed by the kind in the probe's cookie, written by
 * gadget-tracer from the kind rows before the load. A kind whose family
 * is 0 records nothing. from[] says what each word of the record holds
 * (OG_FROM_*); the stack and duration words are the programs' own.
 */
#define OG_KINDS 256 /* the kinds a cookie can name (OG_COOKIE_KIND) */
struct og_kind_desc {
	__u16 family;	     /* OG_FAM_* */
	__u16 flags;	     /* OG_EK_* */
	__u8 from[OG_NARGS]; /* by OG_EA_* word */
	__u8 capture;	     /* OG_CAPTURE_* */
	__u8 start;	     /* a USDT end probe: the kind of the probe that started the call */
	__u8 usdt_args;	     /* USDT: bit i set, the probe's argument i is read */
	__u8 reserved[3];
};
_Static_assert(sizeof(struct og_kind_desc) == 16 && OG_EV_MAX <= OG_KINDS, "kind descriptors");

/* Where a word's value comes from. The arguments are the call's (at a
 * return, as they were at its entry) or the USDT probe's, 0 to 3. */
enum og_from_op {
	OG_FROM_OP_ARG = 1,	/* argument i */
	OG_FROM_OP_RET = 2,	/* the return value (a kind recorded at a function's return) */
	OG_FROM_OP_PRODUCT = 3, /* argument i times argument j (calloc) */
	OG_FROM_OP_STORED = 4,	/* the word the call stored through pointer argument i, read when it returned 0 */
	OG_FROM_OP_START = 5,	/* argument i of the probe that started the call (its kind's start) */
};
#define OG_FROM_NONE 0
#define OG_FROM_ARG(i) (OG_FROM_OP_ARG << 4 | (i))
#define OG_FROM_RET (OG_FROM_OP_RET << 4)
#define OG_FROM_PRODUCT(i, j) (OG_FROM_OP_PRODUCT << 4 | (j) << 2 | (i))
#define OG_FROM_STORED(i) (OG_FROM_OP_STORED << 4 | (i))
#define OG_FROM_START(i) (OG_FROM_OP_START << 4 | (i))
#define OG_FROM_OP(f) ((f) >> 4)
#define OG_FROM_I(f) ((f)&3)
#define OG_FROM_J(f) (((f) >> 2) & 3)

/* What an event captures after its words, from argument i. */
enum og_capture_op {
	/* The bytes the call returned in buffer argument i: as many as it
	 * returned (when positive), at most the ring's plaintext_max. */
	OG_CAPTURE_OP_RETURNED = 1,
	/* The mangled name of the std::type_info at argument i (a thrown
	 * type), at most OG_EVENT_STR_MAX bytes. */
	OG_CAPTURE_OP_TYPE_NAME = 2,
};
#define OG_CAPTURE_NONE 0
#define OG_CAPTURE_RETURNED(i) (OG_CAPTURE_OP_RETURNED << 4 | (i))
#define OG_CAPTURE_TYPE_NAME(i) (OG_CAPTURE_OP_TYPE_NAME << 4 | (i))
#define OG_CAPTURE_OP(c) ((c) >> 4)
#define OG_CAPTURE_I(c) ((c)&3)

/* A uprobe's BPF cookie: what the probe is (the kind), and for USDT probes
 * the argument spec's index in maps/usdt_specs. */
#define OG_COOKIE(kind, spec) ((__u64)(kind) | ((__u64)(spec) << 16))
#define OG_COOKIE_KIND(c) ((__u32)((c)&0xff))
#define OG_COOKIE_SPEC(c) ((__u32)(((c) >> 16) & 0xffff))

/* USDT argument specs ("-4@%eax", "8@-8(%rbp)", "4@$5"), decoded by user
 * space into maps/usdt_specs, indexed by the cookie's spec field. */
#define OG_USDT_MAX_ARGS 4
#define OG_USDT_SPECS 1024
/* A container may take at most this many new specs: one image cannot
 * starve the others. A spec is freed when no probe uses it any more. */
#define OG_USDT_SPECS_PER_CONTAINER 128

enum og_usdt_arg_type {
	OG_USDT_ARG_NONE = 0,
	OG_USDT_ARG_CONST = 1,	   /* val */
	OG_USDT_ARG_REG = 2,	   /* register at reg_off in struct pt_regs */
	OG_USDT_ARG_REG_DEREF = 3, /* memory at register + val */
};

struct og_usdt_arg {
	__u8 type;	/* enum og_usdt_arg_type */
	__s8 size;	/* 1, 2, 4 or 8 bytes; negative: signed */
	__u16 reg_off;	/* offsetof(struct pt_regs, reg) */
	__u8 reg_shift; /* 8 for %ah..%dh, else 0 */
	__u8 pad[3];
	__s64 val;
};

struct og_usdt_spec {
	__u32 used; /* 1 while a probe's cookie names it */
	__u32 nargs;
	struct og_usdt_arg args[OG_USDT_MAX_ARGS];
};

/* Frames kept per user or kernel stack (frame-pointer walk). */
#define OG_STACKS 8192

enum og_arch {
	OG_ARCH_X86_64 = 0,
	OG_ARCH_I386 = 1,
};

/* ------------------------------------------------------------------ */
/* Syscall argument table: BPF_MAP_TYPE_ARRAY keyed by                */
/* arch * OG_SYSCALL_MAX + nr, one row per syscall, written by the    */
/* tracer from lib/syscalls/og_syscalls.c. The BPF side reads flags,  */
/* kind and size_arg, and role and addr_arg when flags has            */
/* OG_DESC_ROLE; the rest is for gadget-dump, so that it needs        */
/* nothing but pins.                                                  */
/* ------------------------------------------------------------------ */

/* 3: role and addr_arg */
#define OG_TABLE_VERSION 3
#define OG_SYSCALL_MAX 1024
#define OG_SYSCALL_TABLE_SIZE (2 * OG_SYSCALL_MAX)
#define OG_ARG_NAME_LEN 16

enum og_arg_kind {
	OG_ARG_NONE = 0,
	OG_ARG_STR = 1,	     /* input NUL-terminated string, read at enter (retried at exit) */
	OG_ARG_BUF_IN = 2,   /* input buffer, length in argument size_arg */
	OG_ARG_BUF_OUT = 3,  /* output buffer: room reserved at enter (length argument size_arg, else
			      * capture_bytes), filled at exit, bounded by the return value */
	OG_ARG_SOCKADDR = 4, /* input struct sockaddr, length in argument size_arg */
	OG_ARG_ARGV = 5,     /* input NULL-terminated array of strings */
	OG_ARG_STACK = 6,    /* OG_REC_CRASH: user stack bytes from regs' sp */
	OG_ARG_MAPS = 7,     /* OG_REC_CRASH: struct og_crash_map[nmaps], then their paths */
	/* Structures of a fixed size: size_arg is the window of their bytes
	 * kept (OG_STRUCT_SA: size bytes from byte skip), not an argument's
	 * index; the argument's fmt names their type (for the printers). The
	 * capture's og_cap.count is the window's skip (0 in rings written
	 * before windows: the structure from its start). Kept only when
	 * capture_bytes has room for the window whole (else
	 * OG_CAP_WITHHELD); a NULL pointer is not captured. A reader that
	 * does not know a kind prints its bytes raw. */
	OG_ARG_STRUCT_IN = 8,	  /* read at enter (timespec, sigset, rlimit...) */
	OG_ARG_STRUCT_OUT = 9,	  /* room reserved at enter, filled at exit when the call succeeded (ret >= 0) */
	OG_ARG_STRUCT_INOUT = 10, /* value-result (socklen_t): room for two, 8-byte aligned halves; read at enter
				   * into the first half (len: its bytes), at exit (ret >= 0) into the second
				   * (len: size / 2 + its bytes) */
	/* An input iovec array (writev, pwritev), iovcnt in argument size_arg:
	 * count (og_cap.count) struct og_iov_kept, then each vector's kept
	 * bytes, each from an 8-byte boundary; OG_IOV_MAX vectors at most,
	 * capture_bytes of their bytes in all. */
	OG_ARG_IOV_IN = 11,
	/* Arrays of fixed-size elements: size_arg is the element's size << 3 |
	 * the index of the count argument; og_cap.count the element's size.
	 * Whole elements only, capture_bytes of them at most. */
	OG_ARG_ARRAY_IN = 12,  /* read at enter (poll's pollfds) */
	OG_ARG_ARRAY_OUT = 13, /* room for count at enter; at exit the first ret elements (epoll_wait's events) */
	/* An output iovec array (readv, preadv): laid out as OG_ARG_IOV_IN, the
	 * header (kept: each vector's room) written at enter, the bytes at exit
	 * when the call succeeded: vector i's first min(room, what the call put
	 * in it) bytes, the call filling the vectors in order. */
	OG_ARG_IOV_OUT = 14,
	/* sendmsg's struct msghdr: its OG_MSGHDR_SIZE bytes, 8 bytes (struct
	 * og_msg_out; stale before control messages were kept: a reader uses it
	 * only when msg_controllen is not 0 and it matches the msghdr), then the
	 * address msg_name names (min(msg_namelen, OG_SOCKADDR_MAX) bytes, none
	 * when NULL, from an 8-byte boundary), the control messages
	 * (control_room bytes), then its vectors laid out as OG_ARG_IOV_IN
	 * (og_cap.count of them). */
	OG_ARG_MSGHDR_IN = 15,
	/* recvmsg's msghdr is an OG_ARG_MSGHDR_IN too (a format-5 reader that
	 * does not know its fmt shows its address, as for any structure it
	 * cannot decode), its row's size_arg OG_MSGHDR_AT_EXIT: room reserved
	 * at enter (len 0), filled at exit when the call succeeded. Laid out as
	 * struct og_msg_out says. */
	/* A row's kind, never a capture's: an array read at enter and again at
	 * exit (poll's pollfds: their revents). Its size_arg as the arrays';
	 * half of capture_bytes for each. Written as an OG_ARG_STRUCT_INOUT
	 * (the two halves, og_cap.count the element's size), which is what the
	 * programs do with it; its fmt is one a format-5 reader that does not
	 * know it shows as the address. Elements of size 0 are bits (select's
	 * fd_sets: as many as the count argument says, kept in whole longs). */
	OG_ARG_ARRAY_INOUT = 16,
};

#define OG_MSGHDR_AT_EXIT 1    /* size_arg of an OG_ARG_MSGHDR_IN filled at exit (recvmsg) */
#define OG_MSG_CONTROL_MAX 128 /* bytes of a received msghdr's control messages kept */
/*
 * A received msghdr (OG_MSGHDR_AT_EXIT): the struct msghdr as the call left
 * it (OG_MSGHDR_SIZE bytes), then this, written at enter; then name_room
 * bytes for the address (min(msg_namelen, name_room) of them valid),
 * control_room bytes for the control messages (min(msg_controllen,
 * control_room) valid), then the vectors laid out as OG_ARG_IOV_OUT
 * (og_cap.count of them, their header written at enter).
 */
struct og_msg_out {
	__u32 namelen_in;   /* msg_namelen at enter: strace shows "128 => 16" */
	__u16 name_room;    /* 8-byte multiples */
	__u16 control_room; /* 8-byte multiples */
};

/* A structure's window in size_arg: size / 4 in bits 0..5, skip / 8 in
 * bits 6..7 (what strace shows of struct stat without -v is bytes 24 to
 * 56 of its 144). lib/syscalls/og_syscalls.c checks a window fits. */
#define OG_STRUCT_SA(skip, size) ((__u8)((skip) / 8 << 6 | (size) / 4))
#define OG_STRUCT_SIZE(sa) (((__u32)(sa)&0x3f) * 4)
#define OG_STRUCT_SKIP(sa) (((__u32)(sa) >> 6) * 8)

#define OG_IOV_MAX 8
#define OG_MSGHDR_SIZE 56 /* struct msghdr, x86_64 */
struct og_iov_kept {
	__u64 kept; /* bytes of the vector in the capture */
	__u64 len;  /* its iov_len */
};

/* Captures sys_exit fills: from og_sys.out_off (the first of them) on,
 * through the record's end. */
static inline int og_kind_is_out(__u32 kind)
{
	return kind == OG_ARG_BUF_OUT || kind == OG_ARG_STRUCT_OUT || kind == OG_ARG_STRUCT_INOUT ||
	       kind == OG_ARG_ARRAY_OUT || kind == OG_ARG_IOV_OUT;
}

static inline int og_kind_is_struct(__u32 kind)
{
	return kind == OG_ARG_STRUCT_IN || kind == OG_ARG_STRUCT_OUT || kind == OG_ARG_STRUCT_INOUT;
}

/* Captures the printers show through og_decode_struct. */
static inline int og_kind_is_decoded(__u32 kind)
{
	return og_kind_is_struct(kind) || kind == OG_ARG_IOV_IN || kind == OG_ARG_IOV_OUT || kind == OG_ARG_ARRAY_IN ||
	       kind == OG_ARG_ARRAY_OUT || kind == OG_ARG_MSGHDR_IN;
}

/* How gadget-dump prints a raw argument; user space only. */
enum og_arg_fmt {
	OG_FMT_HEX = 0,
	OG_FMT_INT = 1,
	OG_FMT_FD = 2,
	OG_FMT_DIRFD = 3,
	OG_FMT_OPEN_FLAGS = 4,
	OG_FMT_MODE = 5,
	OG_FMT_UINT = 6,
	OG_FMT_SIGNAL = 7,
	OG_FMT_PTR = 8,	    /* an address: hex, NULL for 0 */
	OG_FMT_STR_OUT = 9, /* an output buffer the kernel fills with a string (getcwd): shown up to its NUL */
	/* The type of an OG_ARG_STRUCT_* capture (x86_64 layouts; an i386
	 * record's shows as its address), decoded by og_decode_structs.c. */
	OG_FMT_WSTATUS = 10,	  /* int: a wait(2) status */
	OG_FMT_SIGINFO = 11,	  /* siginfo_t's first 48 bytes: signo, errno, code, SIGCHLD's fields */
	OG_FMT_FD_PAIR = 12,	  /* int[2]: pipe, socketpair */
	OG_FMT_SOCKADDR = 13,	  /* an output struct sockaddr; its length is the next argument's socklen */
	OG_FMT_SOCKLEN = 14,	  /* socklen_t, value-result */
	OG_FMT_TIMESPEC = 15,	  /* struct timespec */
	OG_FMT_TIMEVAL = 16,	  /* struct timeval */
	OG_FMT_RLIMIT = 17,	  /* struct rlimit (getrlimit, setrlimit) */
	OG_FMT_RLIMIT64 = 18,	  /* struct rlimit64 (prlimit64): the same bytes, RLIM64_INFINITY */
	OG_FMT_SIGSET = 19,	  /* the kernel's sigset_t, 8 bytes */
	OG_FMT_SIGACTION = 20,	  /* the kernel's struct sigaction: handler, flags, restorer, mask */
	OG_FMT_STAT = 21,	  /* struct stat: bytes 24 to 56 (st_mode to st_size; the first 56 before windows) */
	OG_FMT_IOVEC = 22,	  /* an OG_ARG_IOV_IN or _OUT capture */
	OG_FMT_EPOLL_EVENT = 23,  /* struct epoll_event (packed, 12 bytes), or an array of them */
	OG_FMT_POLLFD = 24,	  /* struct pollfd, or an array of them */
	OG_FMT_MSGHDR = 25,	  /* an OG_ARG_MSGHDR_IN capture */
	OG_FMT_ITIMERSPEC = 26,	  /* struct itimerspec */
	OG_FMT_MSGHDR_OUT = 27,	  /* a received msghdr (OG_MSGHDR_AT_EXIT) */
	OG_FMT_POLLFD_INOUT = 28, /* struct pollfd[], OG_ARG_ARRAY_INOUT: the requests, then the revents */
	OG_FMT_RUSAGE = 29,	  /* struct rusage's first 32 bytes: ru_utime, ru_stime (strace without -v) */
	OG_FMT_RUSAGE_CHILD = 30, /* the same, of a child wait4 waited for: filled when it returned a pid */
	OG_FMT_FDSET_INOUT = 31,  /* fd_set, OG_ARG_ARRAY_INOUT of bits: the set given, then the one returned */
	OG_FMT_STATX = 32,	  /* struct statx: its first 48 bytes (stx_mask to stx_size) */
	OG_FMT_CLONE_ARGS = 33,	  /* clone3's struct clone_args: its first 64 bytes (flags to tls) */
	OG_FMT_LAST = OG_FMT_CLONE_ARGS,
};

#define OG_DESC_VALID 0x01
#define OG_DESC_HAS_OUT 0x04	/* some argument is OG_ARG_BUF_OUT (at most one is filled) */
#define OG_DESC_CAPTURES 0x08	/* some argument is captured: the record is planned, not fixed */
#define OG_DESC_SECRET_OUT 0x10 /* the output buffer is key material (getrandom): never kept */
/* The output buffer is read from the file in argument 0 (read, pread64,
 * recvfrom...): not kept when that file is a kernel random device. */
#define OG_DESC_OUT_FD 0x20
/* The syscall returns an address (brk, mmap...): printed in hex; user
 * space only. */
#define OG_DESC_RET_ADDR 0x40
/* role is not OG_ROLE_NONE: the programs read it (and addr_arg) only then,
 * so that the syscalls without one touch no more of the row than before. */
#define OG_DESC_ROLE 0x80
/* fd_op is not OG_FD_OP_NONE: sys_exit updates the fd table. */
#define OG_DESC_FD_OP 0x02

/*
 * What a syscall does that a consumer acts on, beside its arguments (the
 * class strace's syscallent gives a row). Read by the programs (the first
 * exec starts the counting, the network roles feed the peer set), by the
 * printers (an exit never returns) and by gadget-dump (the runtime's
 * records end at the first exec).
 */
enum og_syscall_role {
	OG_ROLE_NONE = 0,
	OG_ROLE_EXEC = 1,    /* execve, execveat: the first that succeeds ends the runtime's part */
	OG_ROLE_EXIT = 2,    /* exit, exit_group: never returns */
	OG_ROLE_FORK = 3,    /* clone, clone3, fork, vfork: the child's first exit (0) has no enter */
	OG_ROLE_CONNECT = 4, /* sys_exit, by its result: the peer named by the sockaddr in addr_arg */
	OG_ROLE_BIND = 5,    /* sys_exit, if it succeeded: the local address of the sockaddr in addr_arg */
	OG_ROLE_SENDTO = 6,  /* sys_enter: the peer named by the sockaddr in addr_arg, if any */
	OG_ROLE_SENDMSG = 7, /* sys_enter: the peer named by the msghdr in addr_arg, if any */
	OG_ROLE_ACCEPT = 8,  /* sys_exit: the new socket (the return value)'s peer */
	OG_ROLE_LISTEN = 9,  /* sys_exit: the local address of the socket in argument 0 */
};

/* What a syscall does to the fd table (struct og_fd_entry), at sys_exit
 * when it succeeded. "arg" is the argument fd_args names. A fork's child
 * (role FORK) links to its parent; a successful exec (role EXEC) closes
 * the process's close-on-exec fds. */
enum og_fd_op {
	OG_FD_OP_NONE = 0,
	OG_FD_OP_OPEN = 1,     /* the return value is a file opened at the path in arg */
	OG_FD_OP_OPEN_HOW = 2, /* the same; the flags are the first word of the struct open_how in the flags argument */
	OG_FD_OP_SOCKET = 3,   /* the return value is a new socket */
	OG_FD_OP_ACCEPT = 4,   /* the return value is a socket accepted on argument 0 */
	OG_FD_OP_ENDPOINTS = 5,	   /* connect, bind, listen: argument 0's endpoints, read from its socket */
	OG_FD_OP_PAIR = 6,	   /* pipe, pipe2, socketpair: two new fds in the int[2] at arg */
	OG_FD_OP_DUP = 7,	   /* the return value is a copy of argument 0 (dup, dup2, dup3: arg is the target) */
	OG_FD_OP_FCNTL = 8,	   /* fcntl: F_DUPFD and F_DUPFD_CLOEXEC copy argument 0, F_SETFD sets close-on-exec */
	OG_FD_OP_CLOSE = 9,	   /* argument 0 is closed */
	OG_FD_OP_CLOSE_RANGE = 10, /* arguments 0 to 1 closed, or made close-on-exec (CLOSE_RANGE_CLOEXEC) */
	OG_FD_OP_CHDIR = 11,	   /* the working directory (OG_FD_CWD_FD) is the path in arg */
	OG_FD_OP_FCHDIR = 12,	   /* the working directory is a copy of argument 0 */
	/* the return value is a new fd with no path (eventfd, epoll, timerfd,
	 * signalfd, pidfd, memfd...): named by its syscall, arg its name */
	OG_FD_OP_ANON = 13,
};
#define OG_FD_ARGS(arg, flags) ((__u8)(((flags)&0xf) << 4 | ((arg)&0xf)))
#define OG_FD_ARG(d) ((d)->fd_args & 0xf)
#define OG_FD_FLAGS_ARG(d) ((d)->fd_args >> 4)
#define OG_FD_NOARG 0xf

/* The kernel's random devices (drivers/char/mem.c), as the kernel encodes
 * an inode's i_rdev (MINORBITS 20): their bytes are never kept. */
#define OG_KDEV(major, minor) ((__u32)(major) << 20 | (minor))
#define OG_KDEV_RANDOM OG_KDEV(1, 8)
#define OG_KDEV_URANDOM OG_KDEV(1, 9)

struct og_syscall_desc {
	__u8 flags; /* OG_DESC_* */
	__u8 nargs;
	__u8 kind[OG_NARGS];
	__u8 size_arg[OG_NARGS]; /* BUF_IN, SOCKADDR, BUF_OUT: index of the length argument, 0xff: none;
				  * STRUCT_*: the structure's size in bytes */
	__u8 fmt[OG_NARGS];
	char arg_name[OG_NARGS][OG_ARG_NAME_LEN];
	__u8 role;     /* enum og_syscall_role */
	__u8 addr_arg; /* a network role's address argument (a sockaddr or a msghdr), 0xff: none */
	/* What it does to the fd table (enum og_fd_op), read when flags has
	 * OG_DESC_FD_OP: fd_args' low nibble is the argument fd_op names (a
	 * path, a target fd, an int[2]), its high nibble the argument whose
	 * O_CLOEXEC bit (SOCK_CLOEXEC, the same) says close-on-exec; 0xf:
	 * none. Zero in tables written before: no effect. */
	__u8 fd_op;
	__u8 fd_args;
};

/* ------------------------------------------------------------------ */
/* Global state of one loaded tracer.                                 */
/* ------------------------------------------------------------------ */

#define OG_MAX_CONTAINERS 4096

/* Layout of the tracer's pinned maps (maps/rings is an array of ring maps
 * indexed through maps/cgroups; 3 added the uprobe maps and the ring header's
 * events fields; 4 the ring format 2 chunks, maps/threads and maps/scratch;
 * 5 maps/children and maps/child_counts; 6 ring format 3 and a scratch
 * entry for the signal programs; 7 a container found by its ancestor at
 * its registered level: maps/cgroups values with the level, the levels in
 * the config, maps/children and maps/child_counts gone; the generations of
 * a reload without a gap in the config and maps/threads; 8 maps/syscall_args
 * rows with a role, 120 bytes; 9 ring format 4: the programs read the
 * header's skip bitmap; 10 ring format 5: maps/threads entries of 80 bytes
 * with the thread record's place; 11 ring format 6: the programs write
 * output records, which a ring of format 5 (running or pooled) must not
 * get). A different value needs a reload that drops the old maps. */
#define OG_MAPS_VERSION 11

/* Rings created ahead of time and already in maps/rings (pins under pool/),
 * so registering a container updates only a plain hash. */
#define OG_POOL_DEFAULT 4
#define OG_POOL_MAX 64

/*
 * Finding a task's container. A container is its registered cgroup and
 * everything below it, at any depth: a task belongs to the container whose
 * cgroup is the task's ancestor at that cgroup's level (the root is level
 * 0). A host has few distinct levels where containers are registered (a
 * runtime puts all of its containers at one), so the programs try each
 * registered level, deepest first, and look the task's ancestor there up.
 * Nothing is kept per child cgroup: no table a container could fill or
 * outgrow.
 *
 * The lookup at one level: the ancestor's id, direct-mapped by id mod
 * OG_CGROUP_BUCKETS into a table in the programs' .bss: an empty bucket
 * answers "not a container of ours" with no helper call and no hash lookup;
 * a bucket with one registered cgroup gives its ring slot, again without a
 * hash lookup (which measured 40 ns per program here); a bucket shared by
 * several sends the lookup to maps/cgroups. The ring's header has the last
 * word: a ring takes only the records of tasks under the cgroup id it holds.
 */
#define OG_CGROUP_BUCKETS 4096
#define OG_BUCKET_EMPTY 0
#define OG_BUCKET_SHARED 0xffff /* else: ring slot + 1 */
/* Registered levels: at most OG_LEVELS distinct ones, each 1..OG_LEVEL_MAX,
 * packed one per byte into og_config.levels, deepest in the low byte (the
 * first tried: a container registered inside another's cgroup is found
 * before the outer one), 0 past the last. */
#define OG_LEVELS 8
#define OG_LEVEL_MAX 255

_Static_assert(OG_MAX_CONTAINERS < OG_BUCKET_SHARED, "slot + 1 must fit a bucket");

/* maps/cgroups: registered cgroup id -> this. */
struct og_cgroup_entry {
	__u32 slot;  /* in maps/rings */
	__u32 level; /* the cgroup's level: where its tasks' ancestor is looked up */
};

/* Where cgroup id cgid's bucket is: the BPF lookup and the table the tracer
 * writes must agree. */
static inline __u32 og_cgroup_bucket(__u64 cgid)
{
	return cgid & (OG_CGROUP_BUCKETS - 1);
}

/*
 * Reloading without a gap. Each load of the programs is a generation: its
 * number is a constant of the object (og_generation, set before the load),
 * and only the programs whose number is og_config.generation record. A
 * reload loads and attaches the new generation beside the old one, then
 * switches og_config.generation with one store, then detaches the old: no
 * instant with no recording program. An event whose old program ran
 * before the switch and whose new one ran after would be recorded twice:
 * while prev_generation is set (the reload's window, from before the switch
 * until the old programs are gone), the new programs skip the events the
 * old ones recorded, found in maps/threads (struct og_thread). The
 * tracepoint calls the old program first (attached first), so an event is
 * never missed by both. next_generation is the generation being attached
 * (user space only: a loader that died mid-way is finished or undone by the
 * next one, og_tracer.c).
 */

/*
 * Benchmark only: parts of the recording path taken out, one at a time, to
 * measure what each costs (bench/cost-breakdown, doc/KERNEL-NOTES.md). The
 * loader sets og_ablate, a constant of the object, from the environment
 * variable OCI_GADGET_BENCH_ABLATE (names below, comma separated); it is 0
 * otherwise, and the verifier removes the branches it guards. A ring
 * recorded with any of them set is not a faithful record.
 */
#define OG_ABLATE_ROWS(X)                                                                                \
	X(CLOCK, 0, "clock", "no clock reads: record times and durations 0")                             \
	X(COPY, 1, "copy", "no user-memory copies: captures unreadable")                                 \
	X(COUNTS, 2, "counts", "no whole-life counts (calls, errors, time)")                             \
	X(THREAD, 3, "thread", "no maps/threads entry at sys_enter, no in-place completion at sys_exit") \
	X(PUBLISH, 4, "publish", "no record: nothing claimed or written in the ring at sys_enter")       \
	X(SIGNALS, 5, "signals", "the signal, exit and OOM programs not attached")                       \
	X(FDS, 6, "fds", "no fd table: sys_exit leaves it alone")
#define OG_ABLATE_BIT(name, bit, key, what) OG_ABLATE_##name = 1u << bit,
enum og_ablate { OG_ABLATE_ROWS(OG_ABLATE_BIT) };
#undef OG_ABLATE_BIT

/* The programs' .bss, mmapped by the tracer, which changes one aligned field
 * at a time under the pin root lock (og_tracer_sync_config, og_tracer.c). */
struct og_config {
	__u32 registered;      /* entries in maps/cgroups; 0 lets every syscall return at once */
	__u32 generation;      /* the programs that record: og_generation equal to this */
	__u32 prev_generation; /* during a reload's window, the generation being replaced; else 0 */
	__u32 next_generation; /* during a reload, the generation being attached; else 0 */
	__u64 levels;	       /* registered levels, OG_LEVELS bytes, deepest first, 0-terminated */
	__u16 bucket[OG_CGROUP_BUCKETS];
};

/*
 * What the tracer asks of a cgroup (the cgroup_query program, run with
 * BPF_PROG_TEST_RUN by user space): its level and its ancestors at given
 * levels, from the kernel whatever cgroup namespace the asker is in.
 */
struct og_cgroup_query {
	__u64 cgroup_id; /* in */
	__u64 levels;	 /* in: levels packed as og_config.levels */
	__s32 level;	 /* out: the cgroup's level; -1: no such cgroup */
	__u32 reserved;
	__u64 ancestor[OG_LEVELS]; /* out: its ancestor at each of levels (itself at its own); 0 past its level */
};

/* Per-CPU counters, summed by gadget-tracer status. */
struct og_stats {
	__u64 str_failed;	/* strings unreadable at enter (retried at exit) */
	__u64 str_lost;		/* strings unreadable at enter and at exit */
	__u64 dropped;		/* records lost because no room could be claimed */
	__u64 standalone_exits; /* exits written apart from their enter record (not a fork child's) */
};

/* Pinned "info" map (array, 1 entry): what is loaded. */
#define OG_VERSION_LEN 32
struct og_info {
	__u32 table_version;
	__u32 ring_version;
	__u64 loaded_ns; /* CLOCK_REALTIME */
	char version[OG_VERSION_LEN];
	__u32 maps_version; /* OG_MAPS_VERSION; 0 from releases before it existed */
	__u32 pool_size;    /* default-size rings kept ready */
};

/* ------------------------------------------------------------------ */
/* Container metadata: pinned array map "meta" (1 entry) beside the   */
/* container's ring, so gadget-dump needs nothing but the pins.       */
/* ------------------------------------------------------------------ */

/* 3: init_start, pidns_id and flags: a running container's init is
 * known gone without its poststop. */
#define OG_META_VERSION 3
#define OG_ID_LEN 128
#define OG_NAME_LEN 256
#define OG_PATH_LEN 1024

enum og_container_state {
	OG_STATE_RUNNING = 1,
	OG_STATE_STOPPED = 2,
};

/* og_container_meta.flags */
#define OG_META_F_GONE 0x01 /* stopped without a poststop: its init was found gone */

struct og_container_meta {
	__u32 version;
	__u32 state; /* enum og_container_state */
	__u64 cgroup_id;
	__u64 mntns_id;
	__s32 pid;
	__u32 ring_bytes;
	__u64 started_ns; /* CLOCK_REALTIME */
	__u64 stopped_ns; /* 0 while running */
	__u32 ring_map_id;
	__u32 ring_index; /* slot in maps/rings while running */
	__u64 init_start; /* pid's start time, /proc/PID/stat field 22 (clock ticks after boot) */
	__u64 pidns_id;	  /* the pid namespace pid is numbered in (the hook's) */
	__u32 flags;	  /* OG_META_F_* */
	__u32 reserved;
	char id[OG_ID_LEN];
	char name[OG_NAME_LEN];
	char pod[OG_NAME_LEN];	      /* Kubernetes pod name, or "" */
	char namespace_[OG_NAME_LEN]; /* Kubernetes namespace, or "" */
	char bundle[OG_PATH_LEN];
};

/* ------------------------------------------------------------------ */
/* What gadget-hook probed in a container's image: pinned array map  */
/* "probes" (1 entry) beside the ring, also a crash file's section.   */
/* Entries in the order they were said; their strings in text[],     */
/* each followed by a NUL.                                            */
/* ------------------------------------------------------------------ */

#define OG_PROBES_VERSION 2
#define OG_PROBES_ENTRIES 128
#define OG_PROBES_TEXT (8192 - 16 - OG_PROBES_ENTRIES * 16)

enum og_probe_entry_type {
	OG_PROBE_FOUND = 1,   /* family got count probes in the file (text: its path), found how */
	OG_PROBE_NOTHING = 2, /* family found nothing (text: why) */
	OG_PROBE_NOTE = 3,    /* anything else said (text: the line) */
};

/* How a probed file was found. */
enum og_probe_how {
	OG_HOW_PROGRAM = 1, /* the container's program */
	OG_HOW_INTERPRETER, /* the #! interpreter of the container's program */
	OG_HOW_PATHS,	    /* uprobe-paths */
	OG_HOW_ALONG_PATH,  /* a runtime along PATH */
	OG_HOW_JAVA_HOME,   /* JAVA_HOME */
	OG_HOW_LIBRARY,	    /* a library by name */
	OG_HOW_NEEDED,	    /* a library the program needs (DT_NEEDED) */
	OG_HOW_LIBJVM,	    /* libjvm.so of java */
	OG_HOWS,
};

struct og_probe_entry {
	__u8 type; /* enum og_probe_entry_type */
	__u8 how;  /* OG_PROBE_FOUND: enum og_probe_how */
	__u16 text_len;
	__u32 text_off; /* in text[] */
	__u32 family;	/* FOUND, NOTHING: one OG_FAM_* bit */
	__u32 count;	/* FOUND: probes placed in the file */
};

struct og_probe_report {
	__u32 version;
	__u32 nentries;
	__u32 text_len; /* bytes of text[] used */
	__u32 reserved;
	struct og_probe_entry entries[OG_PROBES_ENTRIES];
	char text[OG_PROBES_TEXT];
};
_Static_assert(sizeof(struct og_probe_entry) == 16 && sizeof(struct og_probe_report) == 8192, "probe report layout");

/* ------------------------------------------------------------------ */
/* Crash files: what a container left when it ended abnormally,        */
/* written by gadget-hook at poststop under crash-dir, readable by     */
/* gadget-dump --file on any machine once the pins are gone. Little   */
/* endian; a header, a table of sections, then the sections, each at  */
/* an 8-byte aligned offset. A reader skips section types it does not */
/* know and refuses another file version, naming both.                */
/* ------------------------------------------------------------------ */

#define OG_CRASH_FILE_MAGIC 0x3148534152434f47ULL /* "GOCRASH1" little endian */
#define OG_CRASH_FILE_VERSION 1
#define OG_CRASH_FILE_SECTIONS 16 /* at most, in the table */

struct og_crash_file_header {
	__u64 magic;
	__u32 version;	    /* OG_CRASH_FILE_VERSION */
	__u32 nsections;    /* entries of the table that follows */
	__u64 written_ns;   /* CLOCK_REALTIME */
	__s64 boot_to_real; /* the writing host's CLOCK_REALTIME - CLOCK_BOOTTIME: records' times as wall-clock */
	__u32 ring_version; /* OG_RING_VERSION of the records */
	__u32 reason;	    /* OG_CRASH_WHY_* bits: why it was written */
	char host[64];	    /* the writing host's name */
};

#define OG_CRASH_WHY_SIGNAL 0x01  /* the init process was killed by a signal */
#define OG_CRASH_WHY_EXIT 0x02	  /* the init process exited non-zero */
#define OG_CRASH_WHY_OOM 0x04	  /* the OOM killer chose a process of it */
#define OG_CRASH_WHY_KILLED 0x08  /* another process of it died of a signal */
#define OG_CRASH_WHY_ALWAYS 0x100 /* crash-files = all: written whatever the end */

enum og_crash_section_type {
	OG_CS_META = 1,	       /* struct og_container_meta */
	OG_CS_RING_HEADER = 2, /* the ring's header element, OG_ELEM_SIZE bytes: header, counts, peers, end */
	OG_CS_RECORDS = 3,     /* the ring's records in position order, as gadget-dump reads them */
	OG_CS_READ = 4,	       /* struct og_crash_file_read: what reading the ring found */
	OG_CS_SYSCALLS = 5,    /* the tracer's syscall table: struct og_crash_file_syscall entries */
	OG_CS_PROBES = 6,      /* struct og_probe_report */
	OG_CS_STACKS = 7,      /* crash records' stacks, unwound when the file was written */
	OG_CS_FDS = 8,	       /* the fd table: og_ring_fds.elems elements (struct og_fd_elem), as in the ring */
};

struct og_crash_section {
	__u32 type; /* enum og_crash_section_type */
	__u32 reserved;
	__u64 offset; /* from the file's start, a multiple of 8 */
	__u64 length;
};

struct og_crash_file_read {
	__u64 head;	   /* bytes the writers had claimed */
	__u64 overwritten; /* older bytes lost to the ring's wrap */
	__u64 torn;
	__u64 records;
	__u64 dropped; /* the ring header's: records the writers could not claim room for */
};

/* One described syscall: its index in the table (arch * OG_SYSCALL_MAX + nr).
 * The row's role took the 4 bytes of padding that followed it, zero in the
 * files written before: those read as rows without a role. */
struct og_crash_file_syscall {
	__u32 index;
	__u32 reserved;
	struct og_syscall_desc desc;
};
_Static_assert(sizeof(struct og_crash_file_syscall) == 128, "a crash file's syscall entries keep their size");
_Static_assert(sizeof(struct og_crash_file_syscall) % 8 == 0, "crash file entries are 8-byte aligned");

/* OG_CS_STACKS: entries back to back, each 8-byte aligned: this, then
 * nframes struct og_crash_file_frame (each followed by its text,
 * padded to 8), then why_len bytes (padded to 8). */
struct og_crash_file_stack {
	__u64 pos; /* the crash record's position in the ring (its tag's) */
	__u32 nframes;
	__u32 why_len; /* why unwinding stopped short; 0: it did not */
};
#define OG_CRASH_FRAME_GUESSED 0x01 /* found by a frame-pointer walk, not CFI */
struct og_crash_file_frame {
	__u64 pc;
	__u16 text_len;
	__u16 flags; /* OG_CRASH_FRAME_* */
	__u32 reserved;
};

#endif /* OG_FORMAT_H */
