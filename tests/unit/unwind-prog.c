/* A static, non-PIE program (an ET_EXEC file: load bias 0) that crashes in
 * crash-chain.h's chain; test-unwind runs it under ptrace and unwinds it. */
#include "crash-chain.h"

int main(int argc, char **argv)
{
	int r;

	(void)argv;
	r = chain_a(argc);
	chain_sink = r; /* not a tail call: main stays on the stack */
	return 0;
}
