/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_SYSCALLS_H
#define OG_SYSCALLS_H

#include <stddef.h>
#include "og_format.h"

/*
 * A syscall's arguments as a spec: "name:kind[@sizearg],...", kinds str, in,
 * out, outstr (an output string, shown up to its NUL: getcwd's), sockaddr,
 * argv (captured), secret (an output never kept: getrandom's) and fd, dirfd,
 * oflags, mode, int, uint, hex, ptr (an address), sig, msghdr (printed). The
 * first sockaddr or msghdr is the row's addr_arg. Example: write is
 * "fd:fd,buf:in@2,count:uint".
 */
int og_syscall_desc_from_spec(const char *spec, struct og_syscall_desc *d);
/* The "format" file of tracefs events/syscalls/sys_enter_NAME. */
int og_syscall_desc_from_format(const char *syscall, const char *format, struct og_syscall_desc *d);
/* The built-in row's argument spec (it wins over tracefs: types alone are
 * ambiguous), or NULL. */
const char *og_syscall_override(const char *syscall);
/* The built-in row's description, role included; -ENOENT: no row. */
int og_syscall_row_desc(const char *syscall, struct og_syscall_desc *d);
/* The role of syscall nr on arch in the built-in rows (whatever table a
 * ring or crash file came with). */
enum og_syscall_role og_syscall_role(int arch, int nr);

/* How strace -y names an fd syscall nr on arch makes with no path
 * ("anon_inode:[eventfd]", "/memfd:%s (deleted)": %s its name), or NULL. */
const char *og_syscall_fd_form(int arch, int nr);

/* Fills table[OG_SYSCALL_TABLE_SIZE] for x86_64 and i386, from tracefs at
 * tracefs_dir (NULL: overrides only). *described counts entries set. */
int og_syscall_table_build(const char *tracefs_dir, struct og_syscall_desc *table, int *described);

/* The syscall's name for the record's arch, or NULL. Cached, not freed. */
const char *og_syscall_name(int arch, int nr);
/* The syscall number for a name on an arch, or -1. */
int og_syscall_nr(int arch, const char *name);

/* Finds (or mounts) tracefs; out gets ".../events/syscalls". */
int og_tracefs_syscalls_dir(char *out, size_t size);

#endif
