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
#define OG_RING_VERSION 2
#define OG_CHUNK_SHIFT 15
#define OG_CHUNK_BYTES (1u << OG_CHUNK_SHIFT) /* 32 KiB */
#define OG_PIECE 256			      /* bytes one BPF store or probe read writes at most */
#define OG_ELEM_SIZE (OG_CHUNK_BYTES + OG_PIECE)
#define OG_REC_ALIGN 8

/* Ring sizes a user may ask for, in bytes of chunks (a power of two). */
#define OG_RING_MIN_BYTES (64ULL << 10)
#define OG_RING_MAX_BYTES (256ULL << 20)
#define OG_RING_DEFAULT_BYTES (1ULL << 20)

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
	__u64 standalone_exits;			 /* exits written apart from their enter record */
	__u64 reserved[5];
};

/* og_ring_header.flags */
#define OG_RING_F_KSTACK 0x01 /* syscall records carry a kernel stack id */
#define OG_RING_F_COUNTS 0x02 /* the header element holds struct og_ring_counts */
#define OG_RING_F_NET 0x04    /* and struct og_ring_net */

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

enum og_record_type {
	OG_REC_SYSCALL = 1,  /* a syscall: written at sys_enter, completed in place at sys_exit */
	OG_REC_SYS_EXIT = 2, /* a sys_exit whose record could not be completed in place */
	OG_REC_EVENT = 3,    /* a uprobe or USDT event: nr is enum og_event_kind */
};

/* og_rec.flags */
#define OG_RF_I386 0x01	   /* a 32-bit syscall (arch i386) */
#define OG_RF_KSTACK 0x02  /* og_sys.kstack holds a kernel stack id */
#define OG_RF_RETRY 0x04   /* a string was unreadable at sys_enter: the exit is standalone, with it */
#define OG_RF_NO_TIME 0x08 /* standalone exit: the enter was not found, duration unknown */

/* Every record: 48 bytes. */
struct og_rec {
	__u64 tag;
	__u64 ts_ns; /* CLOCK_BOOTTIME at sys_enter (standalone exits: at sys_exit) */
	__u32 tgid;
	__u32 tid;
	__s16 nr;   /* syscall number (sys_exit of rt_sigreturn: -1), or event kind */
	__u8 type;  /* enum og_record_type */
	__u8 flags; /* OG_RF_* */
	__u8 nargs; /* argument words after the header(s) */
	__u8 ncaps; /* captures after the arguments */
	__u16 cpu;
	char comm[OG_COMM_LEN];
};

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

static inline __u32 og_round8(__u32 n)
{
	return (n + 7) & ~7u;
}

/* The biggest record: header, syscall part, 6 arguments, 3 whole captures. */
#define OG_REC_MAX (sizeof(struct og_rec) + sizeof(struct og_sys) + 8 * OG_NARGS + OG_NCAPS * (8 + OG_STR_MAX))
_Static_assert(OG_REC_MAX < OG_CHUNK_BYTES / 2, "a record must fit a chunk with room to spare");
_Static_assert(sizeof(struct og_rec) == 48 && sizeof(struct og_sys) == 16 && sizeof(struct og_cap) == 8,
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
 * tag) and writes a standalone exit when it is not its own. */
#define OG_THREADS 32768
struct og_thread {
	__u32 tid;
	__u32 ring_slot; /* index in maps/rings */
	__u64 pos;	 /* position of the syscall record */
};

/* Per-CPU scratch (maps/scratch): strings are read here first, because a
 * record's length must be known before it is claimed. One entry per
 * program kind, so a preempted program's scratch is not another's. */
#define OG_SCRATCH_SLOT 8192 /* a string (4 KiB) or argv (4 KiB + one more read) */
enum og_scratch_user {
	OG_SCRATCH_ENTER = 0,
	OG_SCRATCH_EXIT = 1,
	OG_SCRATCH_UPROBE = 2,
	OG_SCRATCH_USERS = 3,
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

/* Event kind flags (OG_EVENT_KINDS). */
#define OG_EK_RETURNS 0x01  /* recorded at return (a uretprobe, or a USDT end probe) */
#define OG_EK_ALLOC 0x02    /* --leaks: allocates args[OG_EA_ADDR] of args[OG_EA_SIZE] bytes */
#define OG_EK_FREE 0x04	    /* --leaks: frees args[OG_EA_ADDR] */
#define OG_EK_REALLOC 0x08  /* --leaks: frees args[OG_EA_OLD], then allocates */
#define OG_EK_USTACK 0x10   /* carries a user stack id */
#define OG_EK_INTERNAL 0x20 /* marks a start for a later kind; never recorded */
#define OG_EK_RET_OK0 0x40  /* --leaks: allocated only when args[OG_EA_RET] is 0 */
#define OG_EK_COUNT_ARG4                                                         \
	0x80 /* returns 1 on success and the byte count through its 4th argument \
	      * (SSL_write_ex): recorded as the count, or as the return value */

/*
 * Every event kind, one row: X(ID, value, name, family, flags, variant,
 * fields). BPF reads family and flags; gadget-dump names, prints, selects
 * (--event) and replays (--leaks) events from the same rows.
 *   variant  "key=value" shown as name[value] in text, "key": "value" in JSON
 *            (with more constant JSON pairs after a comma)
 *   fields   "arg KEY SLOT FMT ..." printed inside the parentheses,
 *            "ret KEY SLOT FMT" after " = ", "out KEY SLOT FMT" after that,
 *            "cap KEY" the capture; SLOT an OG_EA_* name, FMT u (unsigned),
 *            d (signed), x (address), b (boolean)
 * Adding a kind is a row here plus its BPF program (uprobes.bpf.c).
 */
#define OG_EVENT_KINDS(X)                                                                                             \
	X(MALLOC, 1, "malloc", OG_FAM_MALLOC, OG_EK_RETURNS | OG_EK_ALLOC | OG_EK_USTACK, "",                         \
	  "arg size SIZE u;ret addr ADDR x")                                                                          \
	X(CALLOC, 2, "calloc", OG_FAM_MALLOC, OG_EK_RETURNS | OG_EK_ALLOC | OG_EK_USTACK, "",                         \
	  "arg size SIZE u;ret addr ADDR x")                                                                          \
	X(REALLOC, 3, "realloc", OG_FAM_MALLOC, OG_EK_RETURNS | OG_EK_REALLOC | OG_EK_USTACK, "",                     \
	  "arg old_addr OLD x;arg size SIZE u;ret addr ADDR x")                                                       \
	X(FREE, 4, "free", OG_FAM_MALLOC, OG_EK_FREE, "", "arg addr ADDR x")                                          \
	X(POSIX_MEMALIGN, 5, "posix_memalign", OG_FAM_MALLOC,                                                         \
	  OG_EK_RETURNS | OG_EK_ALLOC | OG_EK_USTACK | OG_EK_RET_OK0, "",                                             \
	  "arg size SIZE u;ret ret RET d;out addr ADDR x")                                                            \
	X(ALIGNED_ALLOC, 6, "aligned_alloc", OG_FAM_MALLOC, OG_EK_RETURNS | OG_EK_ALLOC | OG_EK_USTACK, "",           \
	  "arg size SIZE u;ret addr ADDR x")                                                                          \
	X(MMAP, 7, "mmap", OG_FAM_MALLOC, OG_EK_RETURNS | OG_EK_USTACK, "", "arg size SIZE u;ret addr ADDR x")        \
	X(MUNMAP, 8, "munmap", OG_FAM_MALLOC, 0, "", "arg addr ADDR x;arg size SIZE u")                               \
	X(SSL_WRITE, 9, "ssl_write", OG_FAM_SSL, OG_EK_RETURNS, "lib=openssl,direction=write",                        \
	  "arg size SIZE u;ret ret RET d;cap plaintext")                                                              \
	X(SSL_READ, 10, "ssl_read", OG_FAM_SSL, OG_EK_RETURNS, "lib=openssl,direction=read",                          \
	  "arg size SIZE u;ret ret RET d;cap plaintext")                                                              \
	X(GNUTLS_SEND, 11, "ssl_write", OG_FAM_SSL, OG_EK_RETURNS, "lib=gnutls,direction=write",                      \
	  "arg size SIZE u;ret ret RET d;cap plaintext")                                                              \
	X(GNUTLS_RECV, 12, "ssl_read", OG_FAM_SSL, OG_EK_RETURNS, "lib=gnutls,direction=read",                        \
	  "arg size SIZE u;ret ret RET d;cap plaintext")                                                              \
	X(GC_START, 13, "gc_start", OG_FAM_GC, OG_EK_INTERNAL, "", "")                                                \
	X(GC_PYTHON, 14, "gc", OG_FAM_GC, OG_EK_RETURNS, "runtime=python",                                            \
	  "arg generation SIZE u;out collected RET d")                                                                \
	X(GC_JAVA, 15, "gc", OG_FAM_GC, OG_EK_RETURNS, "runtime=java", "arg full SIZE b")                             \
	X(THROW, 16, "throw", OG_FAM_EXCEPTIONS, 0, "", "arg obj ADDR x;cap type")                                    \
	X(RETHROW, 17, "rethrow", OG_FAM_EXCEPTIONS, 0, "", "arg obj ADDR x;cap type")                                \
	X(SSL_WRITE_EX, 18, "ssl_write", OG_FAM_SSL, OG_EK_RETURNS | OG_EK_COUNT_ARG4, "lib=openssl,direction=write", \
	  "arg size SIZE u;ret ret RET d;cap plaintext")                                                              \
	X(SSL_READ_EX, 19, "ssl_read", OG_FAM_SSL, OG_EK_RETURNS | OG_EK_COUNT_ARG4, "lib=openssl,direction=read",    \
	  "arg size SIZE u;ret ret RET d;cap plaintext")

enum og_event_kind {
#define OG_X_ENUM(id, v, name, fam, flags, variant, fields) OG_EV_##id = v,
	OG_EVENT_KINDS(OG_X_ENUM)
#undef OG_X_ENUM
		OG_EV_MAX,
};

static inline __u32 og_event_family(__u32 kind)
{
	switch (kind) {
#define OG_X_FAM(id, v, name, fam, flags, variant, fields) \
	case v: return fam;
		OG_EVENT_KINDS(OG_X_FAM)
#undef OG_X_FAM
	default: return 0;
	}
}

static inline __u32 og_event_flags(__u32 kind)
{
	switch (kind) {
#define OG_X_FLAGS(id, v, name, fam, flags, variant, fields) \
	case v: return flags;
		OG_EVENT_KINDS(OG_X_FLAGS)
#undef OG_X_FLAGS
	default: return 0;
	}
}

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
/* arch * OG_SYSCALL_MAX + nr. The BPF side reads kind/size_arg only; */
/* the rest is for gadget-dump, so that it needs nothing but pins.    */
/* ------------------------------------------------------------------ */

#define OG_TABLE_VERSION 2
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
};

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
};

#define OG_DESC_VALID 0x01
#define OG_DESC_HAS_OUT 0x04  /* some argument is OG_ARG_BUF_OUT (at most one is filled) */
#define OG_DESC_CAPTURES 0x08 /* some argument is captured: the record is planned, not fixed */

struct og_syscall_desc {
	__u8 flags; /* OG_DESC_* */
	__u8 nargs;
	__u8 kind[OG_NARGS];
	__u8 size_arg[OG_NARGS]; /* BUF_IN, SOCKADDR, BUF_OUT: index of the length argument, 0xff: none */
	__u8 fmt[OG_NARGS];
	char arg_name[OG_NARGS][OG_ARG_NAME_LEN];
};

/* ------------------------------------------------------------------ */
/* Global state of one loaded tracer.                                 */
/* ------------------------------------------------------------------ */

#define OG_MAX_CONTAINERS 4096

/* Layout of the tracer's pinned maps (maps/rings is an array of ring maps
 * indexed through maps/cgroups; 3 added the uprobe maps and the ring header's
 * events fields; 4 the ring format 2 chunks, maps/threads and maps/scratch;
 * 5 maps/children and maps/child_counts). A different value needs a reload that drops the old maps. */
#define OG_MAPS_VERSION 5

/* Rings created ahead of time and already in maps/rings (pins under pool/),
 * so registering a container updates only a plain hash. */
#define OG_POOL_DEFAULT 4
#define OG_POOL_MAX 64

/* Registered cgroup ids, direct-mapped by id mod OG_CGROUP_BUCKETS into a
 * table in the programs' .bss: an empty bucket answers "not a container of
 * ours" with no helper call and no hash lookup; a bucket with one registered
 * cgroup gives its ring slot, again without a hash lookup (which measured
 * 40 ns per program here); a bucket shared by several sends the lookup to
 * maps/cgroups. The ring's header has the last word: a ring takes only the
 * records of the cgroup id it holds. */
#define OG_CGROUP_BUCKETS 4096
/* Child cgroups: one made under a registered container's cgroup (systemd in
 * a container, any delegated subtree, at any depth) is added to
 * maps/children by the tracer's cgroup_mkdir program, with its container's
 * slot and owner, and its bucket made shared (a child's records must pass
 * the owner check, which needs the hash). cgroup_rmdir removes it;
 * unregistering the container removes all of its children. A container has
 * at most OG_CHILDREN_PER_CONTAINER (maps/child_counts counts them per slot):
 * its processes in cgroups past that are not recorded, and it cannot take
 * the other containers' room. */
#define OG_MAX_CHILD_CGROUPS 4096
#define OG_CHILDREN_PER_CONTAINER 256
#define OG_BUCKET_EMPTY 0
#define OG_BUCKET_SHARED 0xffff /* else: ring slot + 1 */

_Static_assert(OG_MAX_CONTAINERS < OG_BUCKET_SHARED, "slot + 1 must fit a bucket");

/* maps/children: child cgroup id -> this. owner is the registered
 * container's own cgroup id: its ring takes the child's records because its
 * header's cgroup_id is owner. */
struct og_child_cgroup {
	__u32 slot; /* in maps/rings */
	__u32 reserved;
	__u64 owner;
};

/* Where cgroup id cgid's bucket is: the BPF lookup and the table the tracer
 * writes must agree. */
static inline __u32 og_cgroup_bucket(__u64 cgid)
{
	return cgid & (OG_CGROUP_BUCKETS - 1);
}

/* The programs' .bss, mmapped by the tracer, which changes one aligned field
 * at a time under the pin root lock (og_tracer_sync_config). */
struct og_config {
	__u32 registered; /* entries in maps/cgroups; 0 lets every syscall return at once */
	__u32 reserved;
	__u16 bucket[OG_CGROUP_BUCKETS];
};

/* Per-CPU counters, summed by gadget-tracer status. */
struct og_stats {
	__u64 str_failed;	/* strings unreadable at enter (retried at exit) */
	__u64 str_lost;		/* strings unreadable at enter and at exit */
	__u64 dropped;		/* records lost because no room could be claimed */
	__u64 standalone_exits; /* exits written apart from their enter record */
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

#define OG_META_VERSION 2
#define OG_ID_LEN 128
#define OG_NAME_LEN 256
#define OG_PATH_LEN 1024

enum og_container_state {
	OG_STATE_RUNNING = 1,
	OG_STATE_STOPPED = 2,
};

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
	char id[OG_ID_LEN];
	char name[OG_NAME_LEN];
	char pod[OG_NAME_LEN];	      /* Kubernetes pod name, or "" */
	char namespace_[OG_NAME_LEN]; /* Kubernetes namespace, or "" */
	char bundle[OG_PATH_LEN];
};

/* ------------------------------------------------------------------ */
/* What gadget-hook probed in a container's image: pinned array map  */
/* "probes" (1 entry) beside the ring. Text, one line each:           */
/* "FAMILY: PATH (N probes, HOW FOUND)" for each file probed, and     */
/* "FAMILY: nothing: REASON" for a family that found nothing.         */
/* ------------------------------------------------------------------ */

#define OG_PROBES_VERSION 1
#define OG_PROBES_TEXT 8184

struct og_probe_report {
	__u32 version;
	__u32 len; /* bytes of text, no NUL counted */
	char text[OG_PROBES_TEXT];
};

#endif /* OG_FORMAT_H */
