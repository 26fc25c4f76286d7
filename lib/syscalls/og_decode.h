/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_DECODE_H
#define OG_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/types.h>

/* Room for any decoded value (every known bit of the longest flag set). */
#define OG_DECODE_MAX 512

/*
 * Integer arguments as strace shows them ("PROT_READ|PROT_WRITE",
 * "FUTEX_WAIT_PRIVATE", "SOL_SOCKET", "0644"), from one table: a row per
 * decoded (syscall, argument) or return, then the argument's format in the
 * syscall's row (oflags, mode, sig). Unknown bits print as "|0x..." as
 * strace does.
 */

/* Argument arg of syscall (args[0..nargs) its values: some decoders read a
 * neighbour, fcntl's arg follows its cmd) into buf; fmt is the argument's
 * OG_FMT_*. false: not decoded, the caller prints the raw value. */
bool og_decode_arg(const char *syscall, uint8_t fmt, int arg, const __u64 *args, int nargs, char *buf, size_t size);

/* Whether the table has a row for argument arg of syscall. */
bool og_decode_has_row(const char *syscall, int arg);

/* open(2)'s flags as strace prints them ("O_WRONLY|O_CREAT|O_CLOEXEC"). */
void og_decode_open_flags(uint64_t flags, char *buf, size_t size);

/* What strace shows after a return that is flags, from the table's row
 * for syscall's return, its arguments args (fcntl's F_GETFD and F_GETFL:
 * "flags O_RDWR|O_LARGEFILE"); false: the return is a plain number. The
 * return is then shown in hex. */
bool og_decode_ret(const char *syscall, const __u64 *args, int nargs, int64_t ret, char *buf, size_t size);

/* A msghdr's msg_flags ("MSG_TRUNC|MSG_CTRUNC", "0"). */
void og_decode_msg_flags(uint64_t flags, char *buf, size_t size);

/* A control message's cmsg_level ("SOL_SOCKET") and, at SOL_SOCKET, its
 * cmsg_type ("SCM_RIGHTS"); false: not a known one (buf empty). */
bool og_decode_cmsg_level(uint64_t level, char *buf, size_t size);
bool og_decode_scm_type(uint64_t type, char *buf, size_t size);

#endif
