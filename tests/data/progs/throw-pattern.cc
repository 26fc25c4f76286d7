// Test program: N exceptions of type OgTestError, each caught and
// rethrown once.
#include <cstdlib>
#include <stdexcept>

struct OgTestError : std::runtime_error {
	OgTestError() : std::runtime_error("og") {}
};

int main(int argc, char **argv)
{
	int n = argc > 1 ? std::atoi(argv[1]) : 3, caught = 0;

	for (int i = 0; i < n; i++) {
		try {
			try {
				throw OgTestError();
			} catch (...) {
				throw;
			}
		} catch (const OgTestError &) {
			caught++;
		}
	}
	return caught == n ? 0 : 1;
}
