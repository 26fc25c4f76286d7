/* USDT probes with the argument forms gcc emits: a constant, registers,
 * memory relative to a register, and a global (symbol(%rip), which we do
 * not decode). Read by test-elf, never run. */
#include <sys/sdt.h>

volatile int og_sdt_global = 5;

int og_sdt_fn(int a, long b, const char *s)
{
	volatile long local = b * 3;

	DTRACE_PROBE1(ogtest, constant, 42);
	DTRACE_PROBE3(ogtest, regs, a, b, s);
	DTRACE_PROBE1(ogtest, memory, local);
	DTRACE_PROBE1(ogtest, global, og_sdt_global);
	return a + (int)local;
}

int main(int argc, char **argv)
{
	return og_sdt_fn(argc, (long)argc * 7, argv[0]) == 0;
}
