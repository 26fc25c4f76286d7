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
/* Ring: BPF_MAP_TYPE_ARRAY, BPF_F_MMAPABLE | BPF_F_INNER_MAP,        */
/* value_size OG_SLOT_SIZE, max_entries slot_count + 1.               */
/* Element 0 is struct og_ring_header, elements 1..slot_count hold    */
/* struct og_record. Record with sequence s lives in element          */
/* 1 + (s & mask); its seq field is s + 1 once complete, 0 while it   */
/* is being written.                                                  */
/* ------------------------------------------------------------------ */

#define OG_RING_MAGIC 0x314752494e47474fULL /* "OGGNIRG1" little endian */
#define OG_RING_VERSION 1
#define OG_SLOT_SIZE 512
#define OG_NARGS 6
#define OG_NCAPS 2
#define OG_CAP_SIZE 196
#define OG_COMM_LEN 16

/* Ring sizes a user may ask for, in bytes of slots. */
#define OG_RING_MIN_BYTES (64ULL << 10)
#define OG_RING_MAX_BYTES (256ULL << 20)
#define OG_RING_DEFAULT_BYTES (1ULL << 20)

struct og_ring_header {
	__u64 magic;
	__u32 version;
	__u32 slot_size;
	__u64 slot_count; /* a power of two */
	__u64 mask;	  /* slot_count - 1 */
	__u64 head;	  /* next sequence number to claim */
	__u64 dropped;	  /* claims whose slot could not be found */
	__u64 cgroup_id;
	__u64 created_ns; /* CLOCK_BOOTTIME, same clock as records */
	/* What this container asked for (read by the programs; zero in rings
	 * written before these fields existed: no events, which is right). */
	__u32 events;	     /* OG_FAM_* bits: which uprobe families record */
	__u32 plaintext_max; /* ssl: bytes of plaintext captured, 0..OG_CAP_SIZE */
	__u32 flags;	     /* OG_RING_F_* */
	__u32 reserved2;
};

/* og_ring_header.flags */
#define OG_RING_F_KSTACK 0x01 /* syscall enter records carry a kernel stack id */

enum og_record_type {
	OG_REC_SYS_ENTER = 1,
	OG_REC_SYS_EXIT = 2,
	OG_REC_EVENT = 3, /* a uprobe or USDT event: nr is enum og_event_kind */
};

/* ------------------------------------------------------------------ */
/* Uprobe and USDT events: records of type OG_REC_EVENT. One call is  */
/* one record, written when the call returns (entry-only probes: at   */
/* entry). The fields of og_record.args by OG_EA_* index.             */
/* ------------------------------------------------------------------ */

/* Families a container asks for (annotation io.oci-gadget.uprobes). */
#define OG_FAM_MALLOC 0x01
#define OG_FAM_SSL 0x02
#define OG_FAM_GC 0x04
#define OG_FAM_EXCEPTIONS 0x08
#define OG_FAM_ALL 0x0f

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
	OG_EV_GC_START = 13, /* USDT only: starts a collection, no record */
	OG_EV_GC = 14,	     /* a completed collection */
	OG_EV_THROW = 15,
	OG_EV_RETHROW = 16,
	OG_EV_MAX = 17,
};

/* og_record.args of an event record */
#define OG_EA_SIZE 0	 /* bytes asked for (malloc family, ssl), generation (gc) */
#define OG_EA_ADDR 1	 /* address returned or freed; thrown object */
#define OG_EA_STACK 2	 /* user stack id in maps/ustacks, or negative (none) */
#define OG_EA_DURATION 3 /* ns from entry to return, or of the collection */
#define OG_EA_OLD 4	 /* realloc: old address; gc: enum og_runtime */
#define OG_EA_RET 5	 /* ssl: return value; gc: objects collected (python) */

enum og_runtime {
	OG_RT_PYTHON = 1,
	OG_RT_JAVA = 2,
};

/* A uprobe's BPF cookie: what the probe is. aux is the runtime of a gc
 * probe; spec the USDT argument spec's index in maps/usdt_specs. */
#define OG_COOKIE(kind, aux, spec) ((__u64)(kind) | ((__u64)(aux) << 8) | ((__u64)(spec) << 16))
#define OG_COOKIE_KIND(c) ((__u32)((c)&0xff))
#define OG_COOKIE_AUX(c) ((__u32)(((c) >> 8) & 0xff))
#define OG_COOKIE_SPEC(c) ((__u32)(((c) >> 16) & 0xffff))

/* USDT argument specs ("-4@%eax", "8@-8(%rbp)", "4@$5"), decoded by user
 * space into maps/usdt_specs, indexed by the cookie's spec field. */
#define OG_USDT_MAX_ARGS 4
#define OG_USDT_SPECS 1024

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
	__u32 used; /* 1 once user space wrote it; entries are never reused */
	__u32 nargs;
	struct og_usdt_arg args[OG_USDT_MAX_ARGS];
};

/* Frames kept per user or kernel stack (frame-pointer walk). */
#define OG_STACK_DEPTH 32
#define OG_STACKS 8192

enum og_arch {
	OG_ARCH_X86_64 = 0,
	OG_ARCH_I386 = 1,
};

/* og_capture.flags */
#define OG_CAP_TRUNCATED 0x01  /* more bytes existed than fit */
#define OG_CAP_UNREADABLE 0x02 /* the user memory could not be read */
#define OG_CAP_RETRIED 0x04    /* read at sys_exit after sys_enter failed */

struct og_capture {
	__u8 arg;   /* argument index 0..5 */
	__u8 kind;  /* enum og_arg_kind */
	__u8 flags; /* OG_CAP_* */
	__u8 count; /* OG_ARG_ARGV: strings packed in data, NUL separated */
	__u16 len;  /* valid bytes in data */
	__u16 reserved;
	char data[OG_CAP_SIZE];
};

/* og_record.flags */
#define OG_REC_RETRY_PENDING 0x01 /* a string failed at enter; exit retries it */
#define OG_REC_KSTACK 0x02	  /* kstack holds a kernel stack id */

struct og_record {
	__u64 seq; /* sequence + 1, written last */
	__u64 ts_ns;
	__u32 tgid;
	__u32 tid;
	__u16 type; /* enum og_record_type */
	__u16 arch; /* enum og_arch */
	__s32 nr;
	__u32 cpu;
	__u8 ncaps;
	__u8 flags;
	__u16 kstack; /* OG_REC_KSTACK: kernel stack id in maps/kstacks */
	char comm[OG_COMM_LEN];
	__u64 args[OG_NARGS]; /* enter: raw arguments; exit: args[0] is the return value */
	struct og_capture caps[OG_NCAPS];
};

_Static_assert(sizeof(struct og_record) == OG_SLOT_SIZE, "record must fill a slot");
_Static_assert(sizeof(struct og_ring_header) <= OG_SLOT_SIZE, "header must fit slot 0");

/* ------------------------------------------------------------------ */
/* Syscall argument table: BPF_MAP_TYPE_ARRAY keyed by                */
/* arch * OG_SYSCALL_MAX + nr. The BPF side reads kind/size_arg only; */
/* the rest is for gadget-dump, so that it needs nothing but pins.    */
/* ------------------------------------------------------------------ */

#define OG_TABLE_VERSION 1
#define OG_SYSCALL_MAX 1024
#define OG_SYSCALL_TABLE_SIZE (2 * OG_SYSCALL_MAX)
#define OG_ARG_NAME_LEN 16

enum og_arg_kind {
	OG_ARG_NONE = 0,
	OG_ARG_STR = 1,	     /* input NUL-terminated string, read at enter (retried at exit) */
	OG_ARG_BUF_IN = 2,   /* input buffer, length in argument size_arg */
	OG_ARG_BUF_OUT = 3,  /* output buffer, read at exit, length bounded by the return value */
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
#define OG_DESC_HAS_STR 0x02 /* some argument is OG_ARG_STR: exit checks retries */
#define OG_DESC_HAS_OUT 0x04 /* some argument is OG_ARG_BUF_OUT */

struct og_syscall_desc {
	__u8 flags; /* OG_DESC_* */
	__u8 nargs;
	__u8 kind[OG_NARGS];
	__u8 size_arg[OG_NARGS]; /* for BUF_IN/SOCKADDR: index of the length argument */
	__u8 fmt[OG_NARGS];
	char arg_name[OG_NARGS][OG_ARG_NAME_LEN];
};

/* ------------------------------------------------------------------ */
/* Global state of one loaded tracer.                                 */
/* ------------------------------------------------------------------ */

#define OG_MAX_CONTAINERS 4096

/* Layout of the tracer's pinned maps (maps/rings is an array of ring maps
 * indexed through maps/cgroups; 3 added the uprobe maps and the ring header's
 * events fields). A different value needs a reload that
 * drops the old maps. */
#define OG_MAPS_VERSION 3

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
#define OG_BUCKET_EMPTY 0
#define OG_BUCKET_SHARED 0xffff /* else: ring slot + 1 */

_Static_assert(OG_MAX_CONTAINERS < OG_BUCKET_SHARED, "slot + 1 must fit a bucket");

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
	__u64 str_failed; /* strings unreadable at enter (retried at exit) */
	__u64 str_lost;	  /* strings unreadable at enter and at exit */
	__u64 dropped;	  /* records lost because a slot could not be claimed */
	__u64 retry_full; /* string retries that found the retry map full */
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

#endif /* OG_FORMAT_H */
