/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_SIGNALS_H
#define OG_SIGNALS_H

#include <stddef.h>

/*
 * Signals and their si_code values by name, as strace prints them: one
 * table of codes per signal, one of the codes any signal may carry.
 */

/* "SIGSEGV"; real-time signals "SIGRT_n" (n = sig - 32), else the number.
 * buf is used only for those. */
const char *og_signal_name(int sig, char *buf, size_t size);
/* The si_code's name for sig ("SEGV_MAPERR", "SI_USER"...), or NULL. */
const char *og_si_code_name(int sig, int code);
/* A signal number from "SIGSEGV", "SEGV" or "11"; -1 when unknown. */
int og_signal_nr(const char *name);
/* What the siginfo carries for this signal and code, as strace decides:
 * a faulting address, the sender (si_pid, si_uid), a child's status, or
 * seccomp's syscall. */
enum og_siginfo_shape {
	OG_SI_PLAIN = 0, /* si_signo and si_code only (SI_KERNEL...) */
	OG_SI_FAULT,	 /* si_addr */
	OG_SI_KILL,	 /* si_pid, si_uid */
	OG_SI_CHILD,	 /* si_pid, si_uid, si_status */
	OG_SI_SECCOMP,	 /* si_call_addr, si_syscall, si_arch */
};
enum og_siginfo_shape og_siginfo_shape(int sig, int code);

#endif
