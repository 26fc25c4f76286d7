/* Not a test: files that test-uprobe-plan puts in an image as a Python
 * (its gc USDT probes), a libssl (SSL_* functions) and a libstdc++ (its
 * throw and rethrow probes), one build each (PLAN_PYTHON, PLAN_TLS,
 * PLAN_CXX). Read, never run. */
#include <sys/sdt.h>

#ifdef PLAN_TLS
#define TLS_FN(name)                                                      \
	__attribute__((noinline, used)) int name(void *s, void *b, int n) \
	{                                                                 \
		return s && b ? n : -1;                                   \
	}
TLS_FN(SSL_write)
TLS_FN(SSL_read)
TLS_FN(SSL_write_ex)
TLS_FN(SSL_read_ex)
#endif

int main(int argc, char **argv)
{
	long n = argc;

	(void)argv;
#ifdef PLAN_PYTHON
	DTRACE_PROBE1(python, gc__start, n);
	DTRACE_PROBE1(python, gc__done, n * 2);
#endif
#ifdef PLAN_CXX
	DTRACE_PROBE2(libstdcxx, throw, argv, n);
	DTRACE_PROBE2(libstdcxx, rethrow, argv, n);
#endif
	return (int)n;
}
