/* A static, non-PIE program (an ET_EXEC file: load bias 0) that crashes in
 * crash-chain.h's chain; test-unwind runs it under ptrace and unwinds it.
 * With an argument it crashes under hostile_cfi instead. */
#include "crash-chain.h"

/* hostile_cfi calls chain_c, and its CFI computes the frame's address with
 * a DWARF expression that jumps to itself (DW_CFA_def_cfa_expression:
 * DW_OP_skip -3), which libdw gives up on after a bounded number of
 * steps. */
int hostile_cfi(int x);
__asm__(".text\n"
	".globl hostile_cfi\n.type hostile_cfi, @function\n"
	"hostile_cfi:\n\t.cfi_startproc\n\tsub $8, %rsp\n\t.cfi_escape 0x0f, 0x03, 0x2f, 0xfd, 0xff\n"
	"\tcall chain_c\n\tadd $8, %rsp\n\tret\n\t.cfi_endproc\n.size hostile_cfi, .-hostile_cfi\n");

int main(int argc, char **argv)
{
	int r;

	(void)argv;
	r = argc > 1 ? hostile_cfi(argc) : chain_a(argc);
	chain_sink = r; /* not a tail call: main stays on the stack */
	return 0;
}
