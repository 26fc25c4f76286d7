/* Test program: N mallocs of 7000+i bytes; every third one is leaked, the
 * others freed. No stdio, so nothing else of ours allocates. Then it waits
 * for WAIT_MS so that the test can look at the probes while it runs. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void *volatile keep[256];

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	int wait_ms = argc > 2 ? atoi(argv[2]) : 0;

	usleep(50000);
	for (int i = 0; i < n && i < 256; i++) {
		void *p = malloc(7000 + i);
		if (i % 3 == 0)
			keep[i] = p;
		else
			free(p);
	}
	if (write(1, "done\n", 5) != 5)
		return 1;
	usleep(wait_ms * 1000);
	return 0;
}
