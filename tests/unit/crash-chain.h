/* A chain of calls ending in a store through NULL, for the unwinder's
 * tests: each function one frame under its own name (never inlined, cloned
 * nor tail-called), compiled without frame pointers (-fomit-frame-pointer in
 * Makefile.am), so that only CFI unwinds it. The store escapes UBSan's null
 * check: the crash must be a SIGSEGV at the store itself. */
#ifndef OG_CRASH_CHAIN_H
#define OG_CRASH_CHAIN_H

#ifdef __clang__
#define CHAIN __attribute__((noinline, no_sanitize("undefined")))
#else
#define CHAIN __attribute__((noipa, no_sanitize_undefined))
#endif

volatile int *volatile chain_target; /* NULL */
volatile int chain_sink;

CHAIN int chain_c(int x)
{
	*chain_target = x;
	return x + 1;
}

CHAIN int chain_b(int x)
{
	int r = chain_c(x * 3);

	chain_sink = r;
	return r + 1;
}

CHAIN int chain_a(int x)
{
	int r = chain_b(x + 1);

	chain_sink = r;
	return r * 2;
}

/* fp_a calls fp_b calls chain_c: two functions with frame pointers and no
 * CFI (no .cfi directives, so no FDE in .eh_frame), as hand-written assembly
 * or code built with -fno-asynchronous-unwind-tables has. Only their frame
 * pointers lead past them. */
int fp_a(int x);
__asm__(".text\n"
	".globl fp_b\n.type fp_b, @function\n"
	"fp_b:\n\tpush %rbp\n\tmov %rsp, %rbp\n\tcall chain_c\n\tpop %rbp\n\tret\n.size fp_b, .-fp_b\n"
	".globl fp_a\n.type fp_a, @function\n"
	"fp_a:\n\tpush %rbp\n\tmov %rsp, %rbp\n\tcall fp_b\n\tpop %rbp\n\tret\n.size fp_a, .-fp_a\n");

#endif
