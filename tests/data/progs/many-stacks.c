// 2^DEPTH mallocs of 24 bytes, never freed, each from its own call path
// (a binary tree of calls through a() and b()), so 2^DEPTH distinct user
// stacks: more than maps/ustacks holds (OG_STACKS) when DEPTH >= 14, for
// tests/integration/uprobes-stacks.sh. Prints how many it made.
#include <stdio.h>
#include <stdlib.h>

static volatile int sink;

__attribute__((noinline)) static void leaf(void)
{
	void *p = malloc(24);

	if (!p)
		exit(1);
	sink += (int)((long)p & 1);
}

static void a(unsigned bits, int depth);
static void b(unsigned bits, int depth);

__attribute__((noinline)) static void step(unsigned bits, int depth)
{
	if (!depth)
		leaf();
	else if (bits & 1)
		a(bits >> 1, depth - 1);
	else
		b(bits >> 1, depth - 1);
	sink++; /* no tail call: every frame stays on the stack */
}

__attribute__((noinline)) static void a(unsigned bits, int depth)
{
	step(bits, depth);
	sink += 2;
}

__attribute__((noinline)) static void b(unsigned bits, int depth)
{
	step(bits, depth);
	sink += 3;
}

int main(int argc, char **argv)
{
	int depth = argc > 1 ? atoi(argv[1]) : 14;
	unsigned n = 1u << depth;

	for (unsigned i = 0; i < n; i++)
		step(i, depth);
	printf("%u\n", n);
	return 0;
}
