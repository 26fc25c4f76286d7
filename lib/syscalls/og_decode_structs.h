/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_DECODE_STRUCTS_H
#define OG_DECODE_STRUCTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yajl/yajl_gen.h>

#include "og_format.h"

/*
 * Structures a syscall's row captures (OG_ARG_STRUCT_*: wait statuses,
 * fd pairs, sockaddrs, timespecs, rlimits, sigsets, sigactions, stat),
 * shown as strace shows them: "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]",
 * "[3, 4]", "{tv_sec=1, tv_nsec=0}", "[128 => 16]". The bytes come from a
 * ring: any length, any content.
 */
/* Room for any structure's text (a unix path escaped, a sigaction). */
#define OG_STRUCT_TEXT_MAX 1024

struct og_struct_arg {
	uint8_t fmt;		      /* the argument's OG_FMT_*: the structure's type */
	const struct og_cap *cap;     /* its capture */
	const struct og_cap *len_cap; /* OG_FMT_SOCKADDR: the next argument's (its socklen), or NULL */
	int64_t ret;		      /* the call's return value, when returned */
	bool returned;		      /* the call returned: outputs are filled */
	bool i386;		      /* a 32-bit call: the layouts are not these */
};

/* strace's text of the structure (or of an input sockaddr, OG_ARG_SOCKADDR,
 * of a known family) into buf and, g not NULL, its fields as
 * one JSON value (a map or an array). false, with nothing written: not
 * decoded (not filled, unreadable, withheld, cut short, an i386 layout, a
 * call that failed): strace shows the pointer then, and so does the caller. */
bool og_decode_struct(const struct og_struct_arg *a, char *buf, size_t size, yajl_gen g);

/* What strace shows after the call's return value from this structure:
 * poll's fds with their revents ("[{fd=3, revents=POLLIN}]", "Timeout"),
 * ppoll's time left ("left {tv_sec=0, tv_nsec=999}"), into buf and, g not
 * NULL, as a key and its value into the map g has open. false: nothing. */
bool og_decode_struct_returned(const struct og_struct_arg *a, char *buf, size_t size, yajl_gen g);

/* A struct sockaddr of len bytes as strace shows it:
 * {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}. */
void og_decode_sockaddr(const void *sa, size_t len, char *buf, size_t size);

#endif
