// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_decode.h"
#include "og_format.h"
#include "og_signals.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * strace's names for integer arguments. Each set is written once as a table
 * (value, name), in strace's order: a flag set prints the names whose bits
 * are all set, then what is left as |0x...; an enum prints its value's name
 * or the number. The rows at the end say which argument of which syscall
 * uses which set; the printers only call og_decode_arg.
 */

struct xlat {
	uint64_t val;
	const char *name;
};

struct xtab {
	const struct xlat *x;
	size_t n;
	const char *zero; /* a flag set's name for 0 (PROT_NONE), NULL: "0" */
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TAB(id, zero_name, ...)                            \
	static const struct xlat id##_x[] = {__VA_ARGS__}; \
	static const struct xtab id = {id##_x, N(id##_x), zero_name}

/* Memory. */
TAB(prot, "PROT_NONE", {0x1, "PROT_READ"}, {0x2, "PROT_WRITE"}, {0x4, "PROT_EXEC"}, {0x8, "PROT_SEM"},
    {0x1000000, "PROT_GROWSDOWN"}, {0x2000000, "PROT_GROWSUP"});
TAB(map_type, NULL, {0x1, "MAP_SHARED"}, {0x2, "MAP_PRIVATE"}, {0x3, "MAP_SHARED_VALIDATE"});
TAB(map_flags, NULL, {0x10, "MAP_FIXED"}, {0x20, "MAP_ANONYMOUS"}, {0x40, "MAP_32BIT"}, {0x100, "MAP_GROWSDOWN"},
    {0x800, "MAP_DENYWRITE"}, {0x1000, "MAP_EXECUTABLE"}, {0x2000, "MAP_LOCKED"}, {0x4000, "MAP_NORESERVE"},
    {0x8000, "MAP_POPULATE"}, {0x10000, "MAP_NONBLOCK"}, {0x20000, "MAP_STACK"}, {0x40000, "MAP_HUGETLB"},
    {0x80000, "MAP_SYNC"}, {0x100000, "MAP_FIXED_NOREPLACE"}, {0x4000000, "MAP_UNINITIALIZED"});
TAB(mremap_flags, NULL, {0x1, "MREMAP_MAYMOVE"}, {0x2, "MREMAP_FIXED"}, {0x4, "MREMAP_DONTUNMAP"});
TAB(msync_flags, NULL, {0x1, "MS_ASYNC"}, {0x2, "MS_INVALIDATE"}, {0x4, "MS_SYNC"});
TAB(madv, NULL, {0, "MADV_NORMAL"}, {1, "MADV_RANDOM"}, {2, "MADV_SEQUENTIAL"}, {3, "MADV_WILLNEED"},
    {4, "MADV_DONTNEED"}, {8, "MADV_FREE"}, {9, "MADV_REMOVE"}, {10, "MADV_DONTFORK"}, {11, "MADV_DOFORK"},
    {12, "MADV_MERGEABLE"}, {13, "MADV_UNMERGEABLE"}, {14, "MADV_HUGEPAGE"}, {15, "MADV_NOHUGEPAGE"},
    {16, "MADV_DONTDUMP"}, {17, "MADV_DODUMP"}, {18, "MADV_WIPEONFORK"}, {19, "MADV_KEEPONFORK"}, {20, "MADV_COLD"},
    {21, "MADV_PAGEOUT"}, {22, "MADV_POPULATE_READ"}, {23, "MADV_POPULATE_WRITE"}, {24, "MADV_DONTNEED_LOCKED"},
    {25, "MADV_COLLAPSE"}, {100, "MADV_HWPOISON"}, {101, "MADV_SOFT_OFFLINE"});
TAB(mlock2_flags, NULL, {0x1, "MLOCK_ONFAULT"});
TAB(mlockall_flags, NULL, {0x1, "MCL_CURRENT"}, {0x2, "MCL_FUTURE"}, {0x4, "MCL_ONFAULT"});
TAB(memfd_flags, NULL, {0x1, "MFD_CLOEXEC"}, {0x2, "MFD_ALLOW_SEALING"}, {0x4, "MFD_HUGETLB"}, {0x8, "MFD_NOEXEC_SEAL"},
    {0x10, "MFD_EXEC"});

/* Files. */
/* The kernel's values (glibc's O_LARGEFILE is 0 on x86_64), in strace's
 * order; O_SYNC and O_TMPFILE hold another flag's bit and come first. */
TAB(open_bits, NULL, {0100, "O_CREAT"}, {0200, "O_EXCL"}, {0400, "O_NOCTTY"}, {01000, "O_TRUNC"}, {02000, "O_APPEND"},
    {04000, "O_NONBLOCK"}, {04010000, "O_SYNC"}, {010000, "O_DSYNC"}, {040000, "O_DIRECT"}, {0100000, "O_LARGEFILE"},
    {0400000, "O_NOFOLLOW"}, {01000000, "O_NOATIME"}, {02000000, "O_CLOEXEC"}, {010000000, "O_PATH"},
    {020200000, "O_TMPFILE"}, {0200000, "O_DIRECTORY"}, {020000, "FASYNC"});
TAB(access_mode, "F_OK", {4, "R_OK"}, {2, "W_OK"}, {1, "X_OK"});
TAB(at_flags, NULL, {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_REMOVEDIR"}, {0x400, "AT_SYMLINK_FOLLOW"},
    {0x800, "AT_NO_AUTOMOUNT"}, {0x1000, "AT_EMPTY_PATH"}, {0x8000, "AT_RECURSIVE"});
TAB(faccessat2_flags, NULL, {0x100, "AT_SYMLINK_NOFOLLOW"}, {0x200, "AT_EACCESS"}, {0x1000, "AT_EMPTY_PATH"});
TAB(statx_sync, NULL, {0, "AT_STATX_SYNC_AS_STAT"}, {0x2000, "AT_STATX_FORCE_SYNC"}, {0x4000, "AT_STATX_DONT_SYNC"});
TAB(statx_mask, NULL, {0xfff, "STATX_ALL"}, {0x7ff, "STATX_BASIC_STATS"}, {0x1, "STATX_TYPE"}, {0x2, "STATX_MODE"},
    {0x4, "STATX_NLINK"}, {0x8, "STATX_UID"}, {0x10, "STATX_GID"}, {0x20, "STATX_ATIME"}, {0x40, "STATX_MTIME"},
    {0x80, "STATX_CTIME"}, {0x100, "STATX_INO"}, {0x200, "STATX_SIZE"}, {0x400, "STATX_BLOCKS"}, {0x800, "STATX_BTIME"},
    {0x1000, "STATX_MNT_ID"}, {0x2000, "STATX_DIOALIGN"});
TAB(rename_flags, NULL, {0x1, "RENAME_NOREPLACE"}, {0x2, "RENAME_EXCHANGE"}, {0x4, "RENAME_WHITEOUT"});
TAB(file_type, NULL, {0140000, "S_IFSOCK"}, {0120000, "S_IFLNK"}, {0100000, "S_IFREG"}, {0060000, "S_IFBLK"},
    {0040000, "S_IFDIR"}, {0020000, "S_IFCHR"}, {0010000, "S_IFIFO"});
TAB(whence, NULL, {0, "SEEK_SET"}, {1, "SEEK_CUR"}, {2, "SEEK_END"}, {3, "SEEK_DATA"}, {4, "SEEK_HOLE"});
TAB(flock_op, NULL, {0x1, "LOCK_SH"}, {0x2, "LOCK_EX"}, {0x4, "LOCK_NB"}, {0x8, "LOCK_UN"}, {0x20, "LOCK_MAND"},
    {0x40, "LOCK_READ"}, {0x80, "LOCK_WRITE"});
TAB(fadv, NULL, {0, "POSIX_FADV_NORMAL"}, {1, "POSIX_FADV_RANDOM"}, {2, "POSIX_FADV_SEQUENTIAL"},
    {3, "POSIX_FADV_WILLNEED"}, {4, "POSIX_FADV_DONTNEED"}, {5, "POSIX_FADV_NOREUSE"});
TAB(falloc, NULL, {0x1, "FALLOC_FL_KEEP_SIZE"}, {0x2, "FALLOC_FL_PUNCH_HOLE"}, {0x8, "FALLOC_FL_COLLAPSE_RANGE"},
    {0x10, "FALLOC_FL_ZERO_RANGE"}, {0x20, "FALLOC_FL_INSERT_RANGE"}, {0x40, "FALLOC_FL_UNSHARE_RANGE"});
TAB(splice_flags, NULL, {0x1, "SPLICE_F_MOVE"}, {0x2, "SPLICE_F_NONBLOCK"}, {0x4, "SPLICE_F_MORE"},
    {0x8, "SPLICE_F_GIFT"});
TAB(close_range_flags, NULL, {0x2, "CLOSE_RANGE_UNSHARE"}, {0x4, "CLOSE_RANGE_CLOEXEC"});
TAB(mount_flags, NULL, {0xc0ed0000, "MS_MGC_VAL"}, {0x1, "MS_RDONLY"}, {0x2, "MS_NOSUID"}, {0x4, "MS_NODEV"},
    {0x8, "MS_NOEXEC"}, {0x10, "MS_SYNCHRONOUS"}, {0x20, "MS_REMOUNT"}, {0x40, "MS_MANDLOCK"}, {0x80, "MS_DIRSYNC"},
    {0x100, "MS_NOSYMFOLLOW"}, {0x400, "MS_NOATIME"}, {0x800, "MS_NODIRATIME"}, {0x1000, "MS_BIND"},
    {0x2000, "MS_MOVE"}, {0x4000, "MS_REC"}, {0x8000, "MS_SILENT"}, {0x10000, "MS_POSIXACL"},
    {0x20000, "MS_UNBINDABLE"}, {0x40000, "MS_PRIVATE"}, {0x80000, "MS_SLAVE"}, {0x100000, "MS_SHARED"},
    {0x200000, "MS_RELATIME"}, {0x400000, "MS_KERNMOUNT"}, {0x800000, "MS_I_VERSION"}, {0x1000000, "MS_STRICTATIME"},
    {0x2000000, "MS_LAZYTIME"});
TAB(umount_flags, NULL, {0x1, "MNT_FORCE"}, {0x2, "MNT_DETACH"}, {0x4, "MNT_EXPIRE"}, {0x8, "UMOUNT_NOFOLLOW"});

/* fcntl. */
TAB(fcntl_cmd, NULL, {0, "F_DUPFD"}, {1, "F_GETFD"}, {2, "F_SETFD"}, {3, "F_GETFL"}, {4, "F_SETFL"}, {5, "F_GETLK"},
    {6, "F_SETLK"}, {7, "F_SETLKW"}, {8, "F_SETOWN"}, {9, "F_GETOWN"}, {10, "F_SETSIG"}, {11, "F_GETSIG"},
    {15, "F_SETOWN_EX"}, {16, "F_GETOWN_EX"}, {17, "F_GETOWNER_UIDS"}, {36, "F_OFD_GETLK"}, {37, "F_OFD_SETLK"},
    {38, "F_OFD_SETLKW"}, {1024, "F_SETLEASE"}, {1025, "F_GETLEASE"}, {1026, "F_NOTIFY"}, {1030, "F_DUPFD_CLOEXEC"},
    {1031, "F_SETPIPE_SZ"}, {1032, "F_GETPIPE_SZ"}, {1033, "F_ADD_SEALS"}, {1034, "F_GET_SEALS"},
    {1035, "F_GET_RW_HINT"}, {1036, "F_SET_RW_HINT"});
TAB(fd_flags, NULL, {0x1, "FD_CLOEXEC"});
TAB(lease, NULL, {0, "F_RDLCK"}, {1, "F_WRLCK"}, {2, "F_UNLCK"});
TAB(notify, NULL, {0x1, "DN_ACCESS"}, {0x2, "DN_MODIFY"}, {0x4, "DN_CREATE"}, {0x8, "DN_DELETE"}, {0x10, "DN_RENAME"},
    {0x20, "DN_ATTRIB"}, {0x80000000, "DN_MULTISHOT"});
TAB(seals, NULL, {0x1, "F_SEAL_SEAL"}, {0x2, "F_SEAL_SHRINK"}, {0x4, "F_SEAL_GROW"}, {0x8, "F_SEAL_WRITE"},
    {0x10, "F_SEAL_FUTURE_WRITE"}, {0x20, "F_SEAL_EXEC"});

/* ioctl: the common requests; any other shows in hex. */
TAB(ioctl_cmd, NULL, {0x5401, "TCGETS"}, {0x5402, "TCSETS"}, {0x5403, "TCSETSW"}, {0x5404, "TCSETSF"},
    {0x5405, "TCGETA"}, {0x5406, "TCSETA"}, {0x5407, "TCSETAW"}, {0x5408, "TCSETAF"}, {0x5409, "TCSBRK"},
    {0x540A, "TCXONC"}, {0x540B, "TCFLSH"}, {0x540C, "TIOCEXCL"}, {0x540D, "TIOCNXCL"}, {0x540E, "TIOCSCTTY"},
    {0x540F, "TIOCGPGRP"}, {0x5410, "TIOCSPGRP"}, {0x5411, "TIOCOUTQ"}, {0x5412, "TIOCSTI"}, {0x5413, "TIOCGWINSZ"},
    {0x5414, "TIOCSWINSZ"}, {0x5415, "TIOCMGET"}, {0x5416, "TIOCMBIS"}, {0x5417, "TIOCMBIC"}, {0x5418, "TIOCMSET"},
    {0x541B, "FIONREAD"}, {0x541C, "TIOCLINUX"}, {0x541D, "TIOCCONS"}, {0x5420, "TIOCPKT"}, {0x5421, "FIONBIO"},
    {0x5422, "TIOCNOTTY"}, {0x5423, "TIOCSETD"}, {0x5424, "TIOCGETD"}, {0x5429, "TIOCGSID"}, {0x5441, "TIOCGPTPEER"},
    {0x5450, "FIONCLEX"}, {0x5451, "FIOCLEX"}, {0x5452, "FIOASYNC"}, {0x5460, "FIOQSIZE"}, {0x80045430, "TIOCGPTN"},
    {0x40045431, "TIOCSPTLCK"}, {0x80045432, "TIOCGDEV"}, {0x8910, "SIOCGIFNAME"}, {0x8912, "SIOCGIFCONF"},
    {0x8913, "SIOCGIFFLAGS"}, {0x8914, "SIOCSIFFLAGS"}, {0x8915, "SIOCGIFADDR"}, {0x8921, "SIOCGIFMTU"},
    {0x8927, "SIOCGIFHWADDR"}, {0x8933, "SIOCGIFINDEX"}, {0x80086601, "FS_IOC_GETFLAGS"},
    {0x40086602, "FS_IOC_SETFLAGS"}, {0x40049409, "BTRFS_IOC_CLONE"}, {0x4020940d, "FICLONERANGE"},
    {0xc020660b, "FS_IOC_FIEMAP"});

/* Synchronisation, events, time. */
TAB(futex_cmd, NULL, {0, "FUTEX_WAIT"}, {1, "FUTEX_WAKE"}, {2, "FUTEX_FD"}, {3, "FUTEX_REQUEUE"},
    {4, "FUTEX_CMP_REQUEUE"}, {5, "FUTEX_WAKE_OP"}, {6, "FUTEX_LOCK_PI"}, {7, "FUTEX_UNLOCK_PI"},
    {8, "FUTEX_TRYLOCK_PI"}, {9, "FUTEX_WAIT_BITSET"}, {10, "FUTEX_WAKE_BITSET"}, {11, "FUTEX_WAIT_REQUEUE_PI"},
    {12, "FUTEX_CMP_REQUEUE_PI"}, {13, "FUTEX_LOCK_PI2"});
TAB(epoll_op, NULL, {1, "EPOLL_CTL_ADD"}, {2, "EPOLL_CTL_DEL"}, {3, "EPOLL_CTL_MOD"});
TAB(epoll_flags, NULL, {0x80000, "EPOLL_CLOEXEC"});
TAB(efd_flags, NULL, {0x1, "EFD_SEMAPHORE"}, {0x80000, "EFD_CLOEXEC"}, {0x800, "EFD_NONBLOCK"});
TAB(tfd_flags, NULL, {0x80000, "TFD_CLOEXEC"}, {0x800, "TFD_NONBLOCK"});
TAB(tfd_timer, NULL, {0x1, "TFD_TIMER_ABSTIME"}, {0x2, "TFD_TIMER_CANCEL_ON_SET"});
TAB(sfd_flags, NULL, {0x80000, "SFD_CLOEXEC"}, {0x800, "SFD_NONBLOCK"});
TAB(in_flags, NULL, {0x800, "IN_NONBLOCK"}, {0x80000, "IN_CLOEXEC"});
TAB(in_mask, NULL, {0x1, "IN_ACCESS"}, {0x2, "IN_MODIFY"}, {0x4, "IN_ATTRIB"}, {0x8, "IN_CLOSE_WRITE"},
    {0x10, "IN_CLOSE_NOWRITE"}, {0x20, "IN_OPEN"}, {0x40, "IN_MOVED_FROM"}, {0x80, "IN_MOVED_TO"}, {0x100, "IN_CREATE"},
    {0x200, "IN_DELETE"}, {0x400, "IN_DELETE_SELF"}, {0x800, "IN_MOVE_SELF"}, {0x2000, "IN_UNMOUNT"},
    {0x4000, "IN_Q_OVERFLOW"}, {0x8000, "IN_IGNORED"}, {0x1000000, "IN_ONLYDIR"}, {0x2000000, "IN_DONT_FOLLOW"},
    {0x4000000, "IN_EXCL_UNLINK"}, {0x10000000, "IN_MASK_CREATE"}, {0x20000000, "IN_MASK_ADD"},
    {0x40000000, "IN_ISDIR"}, {0x80000000, "IN_ONESHOT"});
TAB(clock_id, NULL, {0, "CLOCK_REALTIME"}, {1, "CLOCK_MONOTONIC"}, {2, "CLOCK_PROCESS_CPUTIME_ID"},
    {3, "CLOCK_THREAD_CPUTIME_ID"}, {4, "CLOCK_MONOTONIC_RAW"}, {5, "CLOCK_REALTIME_COARSE"},
    {6, "CLOCK_MONOTONIC_COARSE"}, {7, "CLOCK_BOOTTIME"}, {8, "CLOCK_REALTIME_ALARM"}, {9, "CLOCK_BOOTTIME_ALARM"},
    {11, "CLOCK_TAI"});
TAB(timer_flags, NULL, {0x1, "TIMER_ABSTIME"});
TAB(itimer, NULL, {0, "ITIMER_REAL"}, {1, "ITIMER_VIRTUAL"}, {2, "ITIMER_PROF"});
TAB(grnd, NULL, {0x1, "GRND_NONBLOCK"}, {0x2, "GRND_RANDOM"}, {0x4, "GRND_INSECURE"});

/* Processes and signals. */
TAB(sig_how, NULL, {0, "SIG_BLOCK"}, {1, "SIG_UNBLOCK"}, {2, "SIG_SETMASK"});
TAB(clone_flags, NULL, {0x100, "CLONE_VM"}, {0x200, "CLONE_FS"}, {0x400, "CLONE_FILES"}, {0x800, "CLONE_SIGHAND"},
    {0x1000, "CLONE_PIDFD"}, {0x2000, "CLONE_PTRACE"}, {0x4000, "CLONE_VFORK"}, {0x8000, "CLONE_PARENT"},
    {0x10000, "CLONE_THREAD"}, {0x20000, "CLONE_NEWNS"}, {0x40000, "CLONE_SYSVSEM"}, {0x80000, "CLONE_SETTLS"},
    {0x100000, "CLONE_PARENT_SETTID"}, {0x200000, "CLONE_CHILD_CLEARTID"}, {0x400000, "CLONE_DETACHED"},
    {0x800000, "CLONE_UNTRACED"}, {0x1000000, "CLONE_CHILD_SETTID"}, {0x2000000, "CLONE_NEWCGROUP"},
    {0x4000000, "CLONE_NEWUTS"}, {0x8000000, "CLONE_NEWIPC"}, {0x10000000, "CLONE_NEWUSER"},
    {0x20000000, "CLONE_NEWPID"}, {0x40000000, "CLONE_NEWNET"}, {0x80000000, "CLONE_IO"});
TAB(wait_options, NULL, {0x1, "WNOHANG"}, {0x2, "WUNTRACED"}, {0x8, "WCONTINUED"}, {0x20000000, "__WNOTHREAD"},
    {0x40000000, "__WALL"}, {0x80000000, "__WCLONE"});
TAB(waitid_options, NULL, {0x1, "WNOHANG"}, {0x2, "WSTOPPED"}, {0x4, "WEXITED"}, {0x8, "WCONTINUED"},
    {0x1000000, "WNOWAIT"}, {0x20000000, "__WNOTHREAD"}, {0x40000000, "__WALL"}, {0x80000000, "__WCLONE"});
TAB(idtype, NULL, {0, "P_ALL"}, {1, "P_PID"}, {2, "P_PGID"}, {3, "P_PIDFD"});
TAB(prctl_option, NULL, {1, "PR_SET_PDEATHSIG"}, {2, "PR_GET_PDEATHSIG"}, {3, "PR_GET_DUMPABLE"},
    {4, "PR_SET_DUMPABLE"}, {5, "PR_GET_UNALIGN"}, {6, "PR_SET_UNALIGN"}, {7, "PR_GET_KEEPCAPS"},
    {8, "PR_SET_KEEPCAPS"}, {9, "PR_GET_FPEMU"}, {10, "PR_SET_FPEMU"}, {11, "PR_GET_FPEXC"}, {12, "PR_SET_FPEXC"},
    {13, "PR_GET_TIMING"}, {14, "PR_SET_TIMING"}, {15, "PR_SET_NAME"}, {16, "PR_GET_NAME"}, {19, "PR_GET_ENDIAN"},
    {20, "PR_SET_ENDIAN"}, {21, "PR_GET_SECCOMP"}, {22, "PR_SET_SECCOMP"}, {23, "PR_CAPBSET_READ"},
    {24, "PR_CAPBSET_DROP"}, {25, "PR_GET_TSC"}, {26, "PR_SET_TSC"}, {27, "PR_GET_SECUREBITS"},
    {28, "PR_SET_SECUREBITS"}, {29, "PR_SET_TIMERSLACK"}, {30, "PR_GET_TIMERSLACK"},
    {31, "PR_TASK_PERF_EVENTS_DISABLE"}, {32, "PR_TASK_PERF_EVENTS_ENABLE"}, {33, "PR_MCE_KILL"},
    {34, "PR_MCE_KILL_GET"}, {35, "PR_SET_MM"}, {36, "PR_SET_CHILD_SUBREAPER"}, {37, "PR_GET_CHILD_SUBREAPER"},
    {38, "PR_SET_NO_NEW_PRIVS"}, {39, "PR_GET_NO_NEW_PRIVS"}, {40, "PR_GET_TID_ADDRESS"}, {41, "PR_SET_THP_DISABLE"},
    {42, "PR_GET_THP_DISABLE"}, {45, "PR_SET_FP_MODE"}, {46, "PR_GET_FP_MODE"}, {47, "PR_CAP_AMBIENT"},
    {50, "PR_SVE_SET_VL"}, {51, "PR_SVE_GET_VL"}, {52, "PR_GET_SPECULATION_CTRL"}, {53, "PR_SET_SPECULATION_CTRL"},
    {57, "PR_SET_TAGGED_ADDR_CTRL"}, {58, "PR_GET_TAGGED_ADDR_CTRL"}, {59, "PR_SET_IO_FLUSHER"},
    {60, "PR_GET_IO_FLUSHER"}, {61, "PR_SET_SYSCALL_USER_DISPATCH"}, {62, "PR_PAC_SET_ENABLED_KEYS"},
    {63, "PR_PAC_GET_ENABLED_KEYS"}, {64, "PR_SCHED_CORE"}, {65, "PR_SME_SET_VL"}, {66, "PR_SME_GET_VL"},
    {67, "PR_SET_MDWE"}, {68, "PR_GET_MDWE"}, {0x53564d41, "PR_SET_VMA"}, {0x59616d61, "PR_SET_PTRACER"});
TAB(arch_prctl_code, NULL, {0x1001, "ARCH_SET_GS"}, {0x1002, "ARCH_SET_FS"}, {0x1003, "ARCH_GET_FS"},
    {0x1004, "ARCH_GET_GS"}, {0x1011, "ARCH_GET_CPUID"}, {0x1012, "ARCH_SET_CPUID"}, {0x1021, "ARCH_GET_XCOMP_SUPP"},
    {0x1022, "ARCH_GET_XCOMP_PERM"}, {0x1023, "ARCH_REQ_XCOMP_PERM"}, {0x1024, "ARCH_GET_XCOMP_GUEST_PERM"},
    {0x1025, "ARCH_REQ_XCOMP_GUEST_PERM"}, {0x2001, "ARCH_MAP_VDSO_X32"}, {0x2002, "ARCH_MAP_VDSO_32"},
    {0x2003, "ARCH_MAP_VDSO_64"}, {0x4001, "ARCH_GET_UNTAG_MASK"}, {0x4002, "ARCH_ENABLE_TAGGED_ADDR"},
    {0x4003, "ARCH_GET_MAX_TAG_BITS"}, {0x4004, "ARCH_FORCE_TAGGED_SVA"}, {0x5001, "ARCH_SHSTK_ENABLE"},
    {0x5002, "ARCH_SHSTK_DISABLE"}, {0x5003, "ARCH_SHSTK_LOCK"}, {0x5004, "ARCH_SHSTK_UNLOCK"},
    {0x5005, "ARCH_SHSTK_STATUS"});
TAB(rlimit, NULL, {0, "RLIMIT_CPU"}, {1, "RLIMIT_FSIZE"}, {2, "RLIMIT_DATA"}, {3, "RLIMIT_STACK"}, {4, "RLIMIT_CORE"},
    {5, "RLIMIT_RSS"}, {6, "RLIMIT_NPROC"}, {7, "RLIMIT_NOFILE"}, {8, "RLIMIT_MEMLOCK"}, {9, "RLIMIT_AS"},
    {10, "RLIMIT_LOCKS"}, {11, "RLIMIT_SIGPENDING"}, {12, "RLIMIT_MSGQUEUE"}, {13, "RLIMIT_NICE"},
    {14, "RLIMIT_RTPRIO"}, {15, "RLIMIT_RTTIME"});
TAB(rusage_who, NULL, {0, "RUSAGE_SELF"}, {(uint32_t)-1, "RUSAGE_CHILDREN"}, {1, "RUSAGE_THREAD"});
TAB(prio_which, NULL, {0, "PRIO_PROCESS"}, {1, "PRIO_PGRP"}, {2, "PRIO_USER"});
TAB(sched_policy, NULL, {0, "SCHED_OTHER"}, {1, "SCHED_FIFO"}, {2, "SCHED_RR"}, {3, "SCHED_BATCH"}, {5, "SCHED_IDLE"},
    {6, "SCHED_DEADLINE"});
TAB(pidfd_flags, NULL, {0x800, "PIDFD_NONBLOCK"});
TAB(seccomp_op, NULL, {0, "SECCOMP_SET_MODE_STRICT"}, {1, "SECCOMP_SET_MODE_FILTER"}, {2, "SECCOMP_GET_ACTION_AVAIL"},
    {3, "SECCOMP_GET_NOTIF_SIZES"});

/* Sockets. */
TAB(family, NULL, {0, "AF_UNSPEC"}, {1, "AF_UNIX"}, {2, "AF_INET"}, {3, "AF_AX25"}, {4, "AF_IPX"}, {5, "AF_APPLETALK"},
    {9, "AF_X25"}, {10, "AF_INET6"}, {15, "AF_KEY"}, {16, "AF_NETLINK"}, {17, "AF_PACKET"}, {29, "AF_CAN"},
    {30, "AF_TIPC"}, {31, "AF_BLUETOOTH"}, {38, "AF_ALG"}, {40, "AF_VSOCK"}, {44, "AF_XDP"}, {45, "AF_MCTP"});
TAB(sock_type, NULL, {1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"}, {5, "SOCK_SEQPACKET"},
    {6, "SOCK_DCCP"}, {10, "SOCK_PACKET"});
TAB(sock_flags, NULL, {0x80000, "SOCK_CLOEXEC"}, {0x800, "SOCK_NONBLOCK"});
TAB(ipproto, NULL, {0, "IPPROTO_IP"}, {1, "IPPROTO_ICMP"}, {2, "IPPROTO_IGMP"}, {4, "IPPROTO_IPIP"}, {6, "IPPROTO_TCP"},
    {17, "IPPROTO_UDP"}, {41, "IPPROTO_IPV6"}, {47, "IPPROTO_GRE"}, {50, "IPPROTO_ESP"}, {58, "IPPROTO_ICMPV6"},
    {132, "IPPROTO_SCTP"}, {136, "IPPROTO_UDPLITE"}, {255, "IPPROTO_RAW"}, {262, "IPPROTO_MPTCP"});
TAB(netlink_proto, NULL, {0, "NETLINK_ROUTE"}, {2, "NETLINK_USERSOCK"}, {4, "NETLINK_SOCK_DIAG"}, {6, "NETLINK_XFRM"},
    {7, "NETLINK_SELINUX"}, {9, "NETLINK_AUDIT"}, {12, "NETLINK_NETFILTER"}, {15, "NETLINK_KOBJECT_UEVENT"},
    {16, "NETLINK_GENERIC"});
TAB(sol, NULL, {0, "SOL_IP"}, {1, "SOL_SOCKET"}, {6, "SOL_TCP"}, {17, "SOL_UDP"}, {41, "SOL_IPV6"}, {58, "SOL_ICMPV6"},
    {255, "SOL_RAW"}, {263, "SOL_PACKET"}, {270, "SOL_NETLINK"}, {282, "SOL_TLS"});
TAB(so_opt, NULL, {1, "SO_DEBUG"}, {2, "SO_REUSEADDR"}, {3, "SO_TYPE"}, {4, "SO_ERROR"}, {5, "SO_DONTROUTE"},
    {6, "SO_BROADCAST"}, {7, "SO_SNDBUF"}, {8, "SO_RCVBUF"}, {9, "SO_KEEPALIVE"}, {10, "SO_OOBINLINE"},
    {11, "SO_NO_CHECK"}, {12, "SO_PRIORITY"}, {13, "SO_LINGER"}, {14, "SO_BSDCOMPAT"}, {15, "SO_REUSEPORT"},
    {16, "SO_PASSCRED"}, {17, "SO_PEERCRED"}, {18, "SO_RCVLOWAT"}, {19, "SO_SNDLOWAT"}, {20, "SO_RCVTIMEO_OLD"},
    {21, "SO_SNDTIMEO_OLD"}, {25, "SO_BINDTODEVICE"}, {26, "SO_ATTACH_FILTER"}, {27, "SO_DETACH_FILTER"},
    {28, "SO_PEERNAME"}, {29, "SO_TIMESTAMP_OLD"}, {30, "SO_ACCEPTCONN"}, {31, "SO_PEERSEC"}, {32, "SO_SNDBUFFORCE"},
    {33, "SO_RCVBUFFORCE"}, {34, "SO_PASSSEC"}, {36, "SO_MARK"}, {38, "SO_PROTOCOL"}, {39, "SO_DOMAIN"},
    {40, "SO_RXQ_OVFL"}, {46, "SO_BUSY_POLL"}, {49, "SO_INCOMING_CPU"}, {50, "SO_ATTACH_BPF"},
    {51, "SO_ATTACH_REUSEPORT_CBPF"}, {52, "SO_ATTACH_REUSEPORT_EBPF"}, {59, "SO_PEERGROUPS"}, {60, "SO_ZEROCOPY"},
    {61, "SO_TXTIME"}, {62, "SO_BINDTOIFINDEX"}, {63, "SO_TIMESTAMP_NEW"}, {66, "SO_RCVTIMEO_NEW"},
    {67, "SO_SNDTIMEO_NEW"}, {77, "SO_PEERPIDFD"});
TAB(tcp_opt, NULL, {1, "TCP_NODELAY"}, {2, "TCP_MAXSEG"}, {3, "TCP_CORK"}, {4, "TCP_KEEPIDLE"}, {5, "TCP_KEEPINTVL"},
    {6, "TCP_KEEPCNT"}, {7, "TCP_SYNCNT"}, {8, "TCP_LINGER2"}, {9, "TCP_DEFER_ACCEPT"}, {10, "TCP_WINDOW_CLAMP"},
    {11, "TCP_INFO"}, {12, "TCP_QUICKACK"}, {13, "TCP_CONGESTION"}, {14, "TCP_MD5SIG"}, {18, "TCP_USER_TIMEOUT"},
    {19, "TCP_REPAIR"}, {23, "TCP_FASTOPEN"}, {24, "TCP_TIMESTAMP"}, {25, "TCP_NOTSENT_LOWAT"},
    {30, "TCP_FASTOPEN_CONNECT"}, {31, "TCP_ULP"}, {36, "TCP_ZEROCOPY_RECEIVE"});
TAB(ip_opt, NULL, {1, "IP_TOS"}, {2, "IP_TTL"}, {3, "IP_HDRINCL"}, {4, "IP_OPTIONS"}, {6, "IP_RECVOPTS"},
    {7, "IP_RETOPTS"}, {8, "IP_PKTINFO"}, {10, "IP_MTU_DISCOVER"}, {11, "IP_RECVERR"}, {12, "IP_RECVTTL"},
    {13, "IP_RECVTOS"}, {14, "IP_MTU"}, {15, "IP_FREEBIND"}, {19, "IP_TRANSPARENT"}, {24, "IP_BIND_ADDRESS_NO_PORT"},
    {32, "IP_MULTICAST_IF"}, {33, "IP_MULTICAST_TTL"}, {34, "IP_MULTICAST_LOOP"}, {35, "IP_ADD_MEMBERSHIP"},
    {36, "IP_DROP_MEMBERSHIP"});
TAB(ipv6_opt, NULL, {16, "IPV6_UNICAST_HOPS"}, {17, "IPV6_MULTICAST_IF"}, {18, "IPV6_MULTICAST_HOPS"},
    {19, "IPV6_MULTICAST_LOOP"}, {20, "IPV6_ADD_MEMBERSHIP"}, {21, "IPV6_DROP_MEMBERSHIP"}, {23, "IPV6_MTU_DISCOVER"},
    {24, "IPV6_MTU"}, {25, "IPV6_RECVERR"}, {26, "IPV6_V6ONLY"}, {49, "IPV6_RECVPKTINFO"}, {50, "IPV6_PKTINFO"},
    {66, "IPV6_RECVTCLASS"}, {67, "IPV6_TCLASS"});
TAB(udp_opt, NULL, {1, "UDP_CORK"}, {100, "UDP_ENCAP"}, {101, "UDP_NO_CHECK6_TX"}, {102, "UDP_NO_CHECK6_RX"},
    {103, "UDP_SEGMENT"}, {104, "UDP_GRO"});
TAB(msg_flags, NULL, {0x1, "MSG_OOB"}, {0x2, "MSG_PEEK"}, {0x4, "MSG_DONTROUTE"}, {0x8, "MSG_CTRUNC"},
    {0x10, "MSG_PROXY"}, {0x20, "MSG_TRUNC"}, {0x40, "MSG_DONTWAIT"}, {0x80, "MSG_EOR"}, {0x100, "MSG_WAITALL"},
    {0x200, "MSG_FIN"}, {0x400, "MSG_SYN"}, {0x800, "MSG_CONFIRM"}, {0x1000, "MSG_RST"}, {0x2000, "MSG_ERRQUEUE"},
    {0x4000, "MSG_NOSIGNAL"}, {0x8000, "MSG_MORE"}, {0x10000, "MSG_WAITFORONE"}, {0x40000, "MSG_BATCH"},
    {0x4000000, "MSG_ZEROCOPY"}, {0x20000000, "MSG_FASTOPEN"}, {0x40000000, "MSG_CMSG_CLOEXEC"});
TAB(shut_how, NULL, {0, "SHUT_RD"}, {1, "SHUT_WR"}, {2, "SHUT_RDWR"});

/* The text being built: parts joined by '|', cut at the buffer's end. */
struct out {
	char *s;
	size_t size, len;
	int parts;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len + 1 >= o->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->s + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len = o->len + (size_t)n < o->size ? o->len + (size_t)n : o->size - 1;
}

static void part(struct out *o, const char *name)
{
	put(o, "%s%s", o->parts++ ? "|" : "", name);
}

static void part_hex(struct out *o, uint64_t v)
{
	put(o, "%s%#" PRIx64, o->parts++ ? "|" : "", v);
}

static const char *xlookup(const struct xtab *t, uint64_t v)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->x[i].val == v)
			return t->x[i].name;
	return NULL;
}

/* v's bits named by t, as further parts; the unknown rest in hex. */
static void flag_parts(struct out *o, const struct xtab *t, uint64_t v)
{
	for (size_t i = 0; i < t->n && v; i++) {
		if (t->x[i].val && (v & t->x[i].val) == t->x[i].val) {
			part(o, t->x[i].name);
			v &= ~t->x[i].val;
		}
	}
	if (v)
		part_hex(o, v);
}

static void print_flags(struct out *o, const struct xtab *t, uint64_t v)
{
	flag_parts(o, t, v);
	if (!o->parts)
		part(o, t->zero ?: "0");
}

/* An enum: its name, or the number (signed: enums are C ints). */
static void print_enum(struct out *o, const struct xtab *t, uint64_t v)
{
	const char *name = xlookup(t, v);

	if (!name)
		name = xlookup(t, (uint32_t)v);
	if (name)
		part(o, name);
	else
		put(o, "%" PRId32, (int32_t)v);
}

/* An enum in the low bits (mask) and flags above. */
static void print_typed_flags(struct out *o, const struct xtab *type, uint64_t mask, const struct xtab *flags,
			      uint64_t v)
{
	const char *name = xlookup(type, v & mask);

	if (name) {
		part(o, name);
		v &= ~mask;
	}
	print_flags(o, flags, v);
}

static void print_open_flags(struct out *o, uint64_t v)
{
	static const char *const acc[] = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};

	part(o, acc[v & 3]);
	flag_parts(o, &open_bits, v & ~(uint64_t)3);
}

static void print_signal(struct out *o, uint64_t v)
{
	char buf[16];

	part(o, og_signal_name((int32_t)v, buf, sizeof(buf)));
}

/* Mode bits as strace: octal with at least three digits. */
static void print_mode(struct out *o, uint64_t v)
{
	put(o, "%#03" PRIo64, v);
}

/* The argument's decoder: v is args[arg]. */
struct row;
typedef bool (*decoder_fn)(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs);

struct row {
	const char *syscall;
	int arg;
	decoder_fn fn;
	const struct xtab *tab;
};

static bool dec_flags(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)args, (void)nargs;
	print_flags(o, row->tab, v);
	return true;
}

static bool dec_enum(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)args, (void)nargs;
	print_enum(o, row->tab, v);
	return true;
}

/* ioctl requests strace does not name show in hex. */
static bool dec_enum_hex(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	const char *name = xlookup(row->tab, (uint32_t)v);

	(void)args, (void)nargs;
	if (name)
		part(o, name);
	else
		part_hex(o, (uint32_t)v);
	return true;
}

static bool dec_open_flags(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_open_flags(o, v);
	return true;
}

static bool dec_signal(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_signal(o, v);
	return true;
}

static bool dec_mode(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_mode(o, v);
	return true;
}

/* open's mode, which strace shows only when the flags (the argument
 * before) create a file: otherwise the register holds whatever it held. */
static bool dec_open_mode(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)nargs;
	if (!(args[row->arg - 1] & (0100 | 020000000))) /* O_CREAT, O_TMPFILE's own bit */
		return false;
	print_mode(o, v);
	return true;
}

/* mknod: the file type by name, then the permission bits. */
static bool dec_mknod_mode(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	const char *type = xlookup(&file_type, v & 0170000);

	(void)row, (void)args, (void)nargs;
	if (type) {
		put(o, "%s|", type);
		v &= ~(uint64_t)0170000;
	}
	print_mode(o, v);
	return true;
}

static bool dec_mmap_flags(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_typed_flags(o, &map_type, 0xf, &map_flags, v);
	return true;
}

static bool dec_sock_type(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_typed_flags(o, &sock_type, 0xf, &sock_flags, v);
	return true;
}

/* A socket's protocol is named within its family (args[0]). */
static bool dec_sock_proto(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)nargs;
	if (args[0] == 2 || args[0] == 10)
		print_enum(o, &ipproto, v);
	else if (args[0] == 16)
		print_enum(o, &netlink_proto, v);
	else
		return false;
	return true;
}

/* An option is named within its level (args[1]). */
static bool dec_sockopt(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	static const struct {
		uint64_t level;
		const struct xtab *opts;
	} levels[] = {{1, &so_opt}, {6, &tcp_opt}, {0, &ip_opt}, {41, &ipv6_opt}, {17, &udp_opt}};

	(void)row, (void)nargs;
	for (size_t i = 0; i < N(levels); i++) {
		if (levels[i].level == (uint32_t)args[1]) {
			print_enum(o, levels[i].opts, v);
			return true;
		}
	}
	return false;
}

/* fcntl's third argument, where its cmd (args[1]) makes it symbolic. */
static bool dec_fcntl_arg(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)nargs;
	switch ((uint32_t)args[1]) {
	case 4: print_open_flags(o, v); return true;	    /* F_SETFL */
	case 2: print_flags(o, &fd_flags, v); return true;  /* F_SETFD */
	case 10: print_signal(o, v); return true;	    /* F_SETSIG */
	case 1024: print_enum(o, &lease, v); return true;   /* F_SETLEASE */
	case 1026: print_flags(o, &notify, v); return true; /* F_NOTIFY */
	case 1033: print_flags(o, &seals, v); return true;  /* F_ADD_SEALS */
	default: return false;
	}
}

#define FUTEX_PRIVATE 128
#define FUTEX_CLOCK_RT 256

/* FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME: the command's name with
 * _PRIVATE, then the clock. */
static bool dec_futex_op(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	uint32_t op = (uint32_t)v, cmd = op & ~(uint32_t)(FUTEX_PRIVATE | FUTEX_CLOCK_RT);
	const char *name = xlookup(&futex_cmd, cmd);

	(void)row, (void)args, (void)nargs;
	if (name) {
		put(o, "%s%s", name, (op & FUTEX_PRIVATE) ? "_PRIVATE" : "");
		o->parts++;
	} else {
		if (op & FUTEX_PRIVATE)
			part(o, "FUTEX_PRIVATE_FLAG");
		part_hex(o, cmd);
	}
	if (op & FUTEX_CLOCK_RT)
		part(o, "FUTEX_CLOCK_REALTIME");
	return true;
}

/* val3 of the bitset commands: the mask that matches any waiter. */
static bool dec_futex_val3(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	uint32_t cmd = (uint32_t)args[1] & ~(uint32_t)(FUTEX_PRIVATE | FUTEX_CLOCK_RT);

	(void)row, (void)nargs;
	if ((cmd != 9 && cmd != 10) || (uint32_t)v != 0xffffffffu)
		return false;
	part(o, "FUTEX_BITSET_MATCH_ANY");
	return true;
}

/* Clone's flags, then the exit signal in its low byte. */
static bool dec_clone_flags(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	flag_parts(o, &clone_flags, v & ~(uint64_t)0xff);
	if (v & 0xff)
		print_signal(o, v & 0xff);
	if (!v)
		part(o, "0");
	return true;
}

/* statx: the sync type (AT_STATX_SYNC_AS_STAT is 0), then the AT_ flags. */
static bool dec_statx_flags(struct out *o, const struct row *row, uint64_t v, const uint64_t *args, int nargs)
{
	(void)row, (void)args, (void)nargs;
	print_typed_flags(o, &statx_sync, 0x6000, &at_flags, v);
	return true;
}

#define FLAGS(sc, i, t)              \
	{                            \
		sc, i, dec_flags, &t \
	}
#define ENUM(sc, i, t)              \
	{                           \
		sc, i, dec_enum, &t \
	}
#define FN(sc, i, fn)           \
	{                       \
		sc, i, fn, NULL \
	}

/*
 * The rows: which argument (0-based) of which syscall shows which way. An
 * argument without a row shows raw, or as its format in the syscall's own
 * row (og_syscalls.c) says.
 */
static const struct row rows[] = {
	/* Memory. */
	FLAGS("mmap", 2, prot),
	FN("mmap", 3, dec_mmap_flags),
	FLAGS("mmap2", 2, prot),
	FN("mmap2", 3, dec_mmap_flags),
	FLAGS("mprotect", 2, prot),
	FLAGS("pkey_mprotect", 2, prot),
	FLAGS("mremap", 3, mremap_flags),
	FLAGS("msync", 2, msync_flags),
	ENUM("madvise", 2, madv),
	FLAGS("mlock2", 2, mlock2_flags),
	FLAGS("mlockall", 0, mlockall_flags),
	FLAGS("memfd_create", 1, memfd_flags),
	/* Files. */
	FN("open", 1, dec_open_flags),
	FN("open", 2, dec_open_mode),
	FN("openat", 2, dec_open_flags),
	FN("openat", 3, dec_open_mode),
	FN("creat", 1, dec_mode),
	FN("mkdir", 1, dec_mode),
	FN("mkdirat", 2, dec_mode),
	FN("chmod", 1, dec_mode),
	FN("fchmod", 1, dec_mode),
	FN("fchmodat", 2, dec_mode),
	FN("umask", 0, dec_mode),
	FN("mknod", 1, dec_mknod_mode),
	FN("mknodat", 2, dec_mknod_mode),
	FLAGS("access", 1, access_mode),
	FLAGS("faccessat", 2, access_mode),
	FLAGS("faccessat2", 2, access_mode),
	FLAGS("faccessat2", 3, faccessat2_flags),
	FLAGS("newfstatat", 3, at_flags),
	FLAGS("fstatat64", 3, at_flags),
	FN("statx", 2, dec_statx_flags),
	FLAGS("statx", 3, statx_mask),
	FLAGS("unlinkat", 2, at_flags),
	FLAGS("fchownat", 4, at_flags),
	FLAGS("utimensat", 3, at_flags),
	FLAGS("linkat", 4, at_flags),
	FLAGS("execveat", 4, at_flags),
	FLAGS("name_to_handle_at", 4, at_flags),
	FLAGS("renameat2", 4, rename_flags),
	ENUM("lseek", 2, whence),
	FLAGS("flock", 1, flock_op),
	ENUM("fadvise64", 3, fadv),
	FLAGS("fallocate", 1, falloc),
	FLAGS("splice", 5, splice_flags),
	FLAGS("tee", 3, splice_flags),
	FLAGS("vmsplice", 3, splice_flags),
	FLAGS("close_range", 2, close_range_flags),
	FLAGS("mount", 3, mount_flags),
	FLAGS("umount2", 1, umount_flags),
	FLAGS("pipe2", 1, open_bits),
	FLAGS("dup3", 2, open_bits),
	ENUM("fcntl", 1, fcntl_cmd),
	FN("fcntl", 2, dec_fcntl_arg),
	ENUM("fcntl64", 1, fcntl_cmd),
	FN("fcntl64", 2, dec_fcntl_arg),
	{"ioctl", 1, dec_enum_hex, &ioctl_cmd},
	/* Synchronisation, events, time. */
	FN("futex", 1, dec_futex_op),
	FN("futex", 5, dec_futex_val3),
	ENUM("epoll_ctl", 1, epoll_op),
	FLAGS("epoll_create1", 0, epoll_flags),
	FLAGS("eventfd2", 1, efd_flags),
	ENUM("timerfd_create", 0, clock_id),
	FLAGS("timerfd_create", 1, tfd_flags),
	FLAGS("timerfd_settime", 1, tfd_timer),
	FLAGS("signalfd4", 3, sfd_flags),
	FLAGS("inotify_init1", 0, in_flags),
	FLAGS("inotify_add_watch", 2, in_mask),
	ENUM("clock_gettime", 0, clock_id),
	ENUM("clock_getres", 0, clock_id),
	ENUM("clock_settime", 0, clock_id),
	ENUM("clock_adjtime", 0, clock_id),
	ENUM("clock_nanosleep", 0, clock_id),
	FLAGS("clock_nanosleep", 1, timer_flags),
	ENUM("timer_create", 0, clock_id),
	FLAGS("timer_settime", 1, timer_flags),
	ENUM("setitimer", 0, itimer),
	ENUM("getitimer", 0, itimer),
	FLAGS("getrandom", 2, grnd),
	/* Processes and signals. */
	FN("rt_sigaction", 0, dec_signal),
	ENUM("rt_sigprocmask", 0, sig_how),
	FN("kill", 1, dec_signal),
	FN("tkill", 1, dec_signal),
	FN("tgkill", 2, dec_signal),
	FN("rt_sigqueueinfo", 1, dec_signal),
	FN("rt_tgsigqueueinfo", 2, dec_signal),
	FN("pidfd_send_signal", 1, dec_signal),
	FN("clone", 0, dec_clone_flags),
	FLAGS("unshare", 0, clone_flags),
	FLAGS("setns", 1, clone_flags),
	FLAGS("wait4", 2, wait_options),
	ENUM("waitid", 0, idtype),
	FLAGS("waitid", 3, waitid_options),
	ENUM("prctl", 0, prctl_option),
	ENUM("arch_prctl", 0, arch_prctl_code),
	ENUM("getrlimit", 0, rlimit),
	ENUM("setrlimit", 0, rlimit),
	ENUM("prlimit64", 1, rlimit),
	ENUM("getrusage", 0, rusage_who),
	ENUM("getpriority", 0, prio_which),
	ENUM("setpriority", 0, prio_which),
	ENUM("sched_setscheduler", 1, sched_policy),
	FLAGS("pidfd_open", 1, pidfd_flags),
	ENUM("seccomp", 0, seccomp_op),
	/* Sockets. */
	ENUM("socket", 0, family),
	FN("socket", 1, dec_sock_type),
	FN("socket", 2, dec_sock_proto),
	ENUM("socketpair", 0, family),
	FN("socketpair", 1, dec_sock_type),
	FN("socketpair", 2, dec_sock_proto),
	ENUM("setsockopt", 1, sol),
	FN("setsockopt", 2, dec_sockopt),
	ENUM("getsockopt", 1, sol),
	FN("getsockopt", 2, dec_sockopt),
	FLAGS("accept4", 3, sock_flags),
	FLAGS("sendto", 3, msg_flags),
	FLAGS("recvfrom", 3, msg_flags),
	FLAGS("sendmsg", 2, msg_flags),
	FLAGS("recvmsg", 2, msg_flags),
	FLAGS("sendmmsg", 3, msg_flags),
	FLAGS("recvmmsg", 3, msg_flags),
	ENUM("shutdown", 1, shut_how),
};

static const struct row *row_of(const char *syscall, int arg)
{
	for (size_t i = 0; i < N(rows); i++)
		if (rows[i].arg == arg && strcmp(rows[i].syscall, syscall) == 0)
			return &rows[i];
	return NULL;
}

bool og_decode_has_row(const char *syscall, int arg)
{
	return syscall && row_of(syscall, arg) != NULL;
}

bool og_decode_arg(const char *syscall, uint8_t fmt, int arg, const __u64 *args, int nargs, char *buf, size_t size)
{
	const struct row *row = syscall ? row_of(syscall, arg) : NULL;
	struct out o = {.s = buf, .size = size};
	uint64_t full[OG_NARGS] = {};
	bool ok;

	if (!size || arg < 0 || arg >= nargs || nargs > OG_NARGS)
		return false;
	buf[0] = '\0';
	/* Decoders that read a neighbour see 0 for one not recorded. */
	memcpy(full, args, (size_t)nargs * sizeof(*args));
	if (row)
		ok = row->fn(&o, row, full[arg], full, nargs);
	else if (fmt == OG_FMT_OPEN_FLAGS)
		ok = dec_open_flags(&o, NULL, full[arg], full, nargs);
	else if (fmt == OG_FMT_MODE)
		ok = dec_mode(&o, NULL, full[arg], full, nargs);
	else if (fmt == OG_FMT_SIGNAL)
		ok = dec_signal(&o, NULL, full[arg], full, nargs);
	else if (fmt == OG_FMT_DIRFD && (int32_t)full[arg] == -100)
		ok = (part(&o, "AT_FDCWD"), true);
	else
		ok = false;
	if (!ok)
		buf[0] = '\0';
	return ok;
}

void og_decode_open_flags(uint64_t flags, char *buf, size_t size)
{
	struct out o = {.s = buf, .size = size};

	if (!size)
		return;
	buf[0] = '\0';
	print_open_flags(&o, flags);
}
