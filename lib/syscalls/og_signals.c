// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_signals.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One row per (signal, code); signal 0: any signal (the SI_* codes). */
static const struct {
	int sig, code;
	const char *name;
} codes[] = {
	{0, SI_USER, "SI_USER"},
	{0, SI_KERNEL, "SI_KERNEL"},
	{0, SI_QUEUE, "SI_QUEUE"},
	{0, SI_TIMER, "SI_TIMER"},
	{0, SI_MESGQ, "SI_MESGQ"},
	{0, SI_ASYNCIO, "SI_ASYNCIO"},
	{0, SI_SIGIO, "SI_SIGIO"},
	{0, SI_TKILL, "SI_TKILL"},
	{0, -7, "SI_DETHREAD"},
	{0, SI_ASYNCNL, "SI_ASYNCNL"},
	{SIGSEGV, SEGV_MAPERR, "SEGV_MAPERR"},
	{SIGSEGV, SEGV_ACCERR, "SEGV_ACCERR"},
	{SIGSEGV, 3, "SEGV_BNDERR"},
	{SIGSEGV, 4, "SEGV_PKUERR"},
	{SIGSEGV, 5, "SEGV_ACCADI"},
	{SIGSEGV, 6, "SEGV_ADIDERR"},
	{SIGSEGV, 7, "SEGV_ADIPERR"},
	{SIGSEGV, 8, "SEGV_MTEAERR"},
	{SIGSEGV, 9, "SEGV_MTESERR"},
	{SIGSEGV, 10, "SEGV_CPERR"},
	{SIGBUS, BUS_ADRALN, "BUS_ADRALN"},
	{SIGBUS, BUS_ADRERR, "BUS_ADRERR"},
	{SIGBUS, BUS_OBJERR, "BUS_OBJERR"},
	{SIGBUS, 4, "BUS_MCEERR_AR"},
	{SIGBUS, 5, "BUS_MCEERR_AO"},
	{SIGILL, ILL_ILLOPC, "ILL_ILLOPC"},
	{SIGILL, ILL_ILLOPN, "ILL_ILLOPN"},
	{SIGILL, ILL_ILLADR, "ILL_ILLADR"},
	{SIGILL, ILL_ILLTRP, "ILL_ILLTRP"},
	{SIGILL, ILL_PRVOPC, "ILL_PRVOPC"},
	{SIGILL, ILL_PRVREG, "ILL_PRVREG"},
	{SIGILL, ILL_COPROC, "ILL_COPROC"},
	{SIGILL, ILL_BADSTK, "ILL_BADSTK"},
	{SIGILL, 9, "ILL_BADIADDR"},
	{SIGFPE, FPE_INTDIV, "FPE_INTDIV"},
	{SIGFPE, FPE_INTOVF, "FPE_INTOVF"},
	{SIGFPE, FPE_FLTDIV, "FPE_FLTDIV"},
	{SIGFPE, FPE_FLTOVF, "FPE_FLTOVF"},
	{SIGFPE, FPE_FLTUND, "FPE_FLTUND"},
	{SIGFPE, FPE_FLTRES, "FPE_FLTRES"},
	{SIGFPE, FPE_FLTINV, "FPE_FLTINV"},
	{SIGFPE, FPE_FLTSUB, "FPE_FLTSUB"},
	{SIGFPE, 14, "FPE_FLTUNK"},
	{SIGFPE, 15, "FPE_CONDTRAP"},
	{SIGTRAP, TRAP_BRKPT, "TRAP_BRKPT"},
	{SIGTRAP, TRAP_TRACE, "TRAP_TRACE"},
	{SIGTRAP, 3, "TRAP_BRANCH"},
	{SIGTRAP, 4, "TRAP_HWBKPT"},
	{SIGTRAP, 5, "TRAP_UNK"},
	{SIGTRAP, 6, "TRAP_PERF"},
	{SIGCHLD, CLD_EXITED, "CLD_EXITED"},
	{SIGCHLD, CLD_KILLED, "CLD_KILLED"},
	{SIGCHLD, CLD_DUMPED, "CLD_DUMPED"},
	{SIGCHLD, CLD_TRAPPED, "CLD_TRAPPED"},
	{SIGCHLD, CLD_STOPPED, "CLD_STOPPED"},
	{SIGCHLD, CLD_CONTINUED, "CLD_CONTINUED"},
	{SIGIO, POLL_IN, "POLL_IN"},
	{SIGIO, POLL_OUT, "POLL_OUT"},
	{SIGIO, POLL_MSG, "POLL_MSG"},
	{SIGIO, POLL_ERR, "POLL_ERR"},
	{SIGIO, POLL_PRI, "POLL_PRI"},
	{SIGIO, POLL_HUP, "POLL_HUP"},
	{SIGSYS, 1, "SYS_SECCOMP"},
	{SIGSYS, 2, "SYS_USER_DISPATCH"},
};

/* strace's names (x86_64's signalent), the one table of them: SIGIO, not
 * glibc's SIGPOLL; 32 is SIGRTMIN, 33..64 SIGRT_1..SIGRT_32. */
static const char *const signal_names[] = {
	NULL,	   "SIGHUP",   "SIGINT",  "SIGQUIT", "SIGILL",	"SIGTRAP",  "SIGABRT", "SIGBUS",    "SIGFPE",
	"SIGKILL", "SIGUSR1",  "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM",  "SIGTERM", "SIGSTKFLT", "SIGCHLD",
	"SIGCONT", "SIGSTOP",  "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",   "SIGXCPU", "SIGXFSZ",   "SIGVTALRM",
	"SIGPROF", "SIGWINCH", "SIGIO",	  "SIGPWR",  "SIGSYS",	"SIGRTMIN",
};

const char *og_signal_name(int sig, char *buf, size_t size)
{
	if (sig > 0 && (size_t)sig < sizeof(signal_names) / sizeof(signal_names[0]))
		return signal_names[sig];
	if (sig > 32 && sig <= 64)
		snprintf(buf, size, "SIGRT_%d", sig - 32);
	else
		snprintf(buf, size, "%d", sig);
	return buf;
}

const char *og_si_code_name(int sig, int code)
{
	/* A code above 0 means something only for its own signal; the SI_*
	 * codes (at most 0, and SI_KERNEL) mean the same for all. */
	bool any = code <= 0 || code == SI_KERNEL;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code && (any ? codes[i].sig == 0 : codes[i].sig == sig))
			return codes[i].name;
	return NULL;
}

int og_signal_nr(const char *name)
{
	char buf[16];
	char *end;
	long n;

	if (!name || !*name)
		return -1;
	n = strtol(name, &end, 10);
	if (!*end)
		return n >= 1 && n <= 64 ? (int)n : -1;
	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (int s = 1; s <= 64; s++)
		if (strcmp(og_signal_name(s, buf, sizeof(buf)) + 3, name) == 0)
			return s;
	return -1;
}

enum og_siginfo_shape og_siginfo_shape(int sig, int code)
{
	/* A fault the kernel raised without an address (a general protection
	 * fault) still prints si_addr, as strace does. */
	if (code == SI_KERNEL)
		return sig == SIGSEGV || sig == SIGBUS ? OG_SI_FAULT : OG_SI_PLAIN;
	if (code <= 0)
		return OG_SI_KILL;
	switch (sig) {
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGTRAP: return OG_SI_FAULT;
	case SIGCHLD: return OG_SI_CHILD;
	case SIGSYS: return code == 1 ? OG_SI_SECCOMP : OG_SI_PLAIN;
	default: return OG_SI_PLAIN;
	}
}
