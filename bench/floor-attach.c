// Loads and attaches floor.bpf.o, pins the links under DIR, exits.
// Unlinking the pins detaches. Usage: floor-attach FLOOR.bpf.o DIR
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	char path[4096];

	if (argc != 3) {
		fprintf(stderr, "usage: %s FLOOR.bpf.o DIR\n", argv[0]);
		return 2;
	}
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		fprintf(stderr, "floor-attach: load %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	mkdir(argv[2], 0700);
	bpf_object__for_each_program(prog, obj)
	{
		struct bpf_link *link = bpf_program__attach(prog);

		snprintf(path, sizeof(path), "%s/%s", argv[2], bpf_program__name(prog));
		if (!link || bpf_link__pin(link, path)) {
			fprintf(stderr, "floor-attach: attach/pin %s: %s\n", path, strerror(errno));
			return 1;
		}
		bpf_link__destroy(link);
	}
	bpf_object__close(obj);
	return 0;
}
