// Syscall argument table: specs, tracefs formats, names per arch.
#include "config.h"
#include "og_syscalls.h"
#include "og_util.h"
#include "tap.h"
#include "tracefs-build.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static int from_format(const char *name, struct og_syscall_desc *d)
{
	const char *srcdir = getenv("top_srcdir") ? getenv("top_srcdir") : ".";
	char path[4096], *text = NULL;
	int r;

	snprintf(path, sizeof(path), "%s/tests/data/sys_enter_%s.format", srcdir, name);
	if (og_read_file(path, 1 << 20, &text, NULL) < 0)
		return -1;
	r = og_syscall_desc_from_format(name, text, d);
	free(text);
	return r;
}

int main(void)
{
	struct og_syscall_desc d;

	ok(og_syscall_desc_from_spec("fd:fd,buf:in@2,count:uint", &d) == 0, "write spec");
	ok(d.nargs == 3 && d.kind[1] == OG_ARG_BUF_IN && d.size_arg[1] == 2 && d.fmt[0] == OG_FMT_FD,
	   "write spec fields");
	ok((d.flags & OG_DESC_VALID) && !(d.flags & OG_DESC_HAS_OUT), "flags");
	ok(og_syscall_desc_from_spec("buf:out,size:uint", &d) == 0 && (d.flags & OG_DESC_HAS_OUT) &&
		   d.size_arg[0] == 0xff,
	   "out sets HAS_OUT; without @N the room is capture-bytes");
	ok(og_syscall_desc_from_spec("buf:out@1,size:uint", &d) == 0 && d.size_arg[0] == 1,
	   "out@N: the room reserved at enter is bounded by argument N");
	ok(og_syscall_desc_from_spec("buf:out@9,size:uint", &d) == -EINVAL, "out@N out of range refused");
	ok(og_syscall_desc_from_spec("buf:in", &d) == -EINVAL, "in without @N refused");
	ok(og_syscall_desc_from_spec("a:nope", &d) == -EINVAL, "unknown kind refused");
	ok(og_syscall_desc_from_spec("a:int,b:int,c:int,d:int,e:int,f:int,g:int", &d) == -EINVAL, "7 args refused");
	ok(og_syscall_desc_from_spec("fd:fd@1", &d) == -EINVAL, "@N on a non-buffer refused");

	ok(from_format("openat", &d) == 0, "openat format parses");
	ok(d.nargs == 4, "openat has 4 args");
	is_str(d.arg_name[1], "filename", "arg name from tracefs");
	ok(d.kind[1] == OG_ARG_STR && d.fmt[0] == OG_FMT_DIRFD && d.fmt[3] == OG_FMT_MODE, "openat: str, dirfd, mode");
	ok(from_format("write", &d) == 0 && d.kind[1] == OG_ARG_BUF_IN && d.size_arg[1] == 2,
	   "write: const char *buf -> input buffer sized by count");
	ok(from_format("read", &d) == 0 && d.kind[1] == OG_ARG_BUF_OUT && d.size_arg[1] == 2,
	   "read: char *buf -> output buffer sized by count");
	ok(from_format("execve", &d) == 0 && d.kind[0] == OG_ARG_STR && d.kind[1] == OG_ARG_ARGV,
	   "execve: filename, argv");
	ok(from_format("connect", &d) == 0 && d.kind[1] == OG_ARG_SOCKADDR && d.size_arg[1] == 2,
	   "connect: sockaddr sized by addrlen");

	ok(og_syscall_override("sendto") != NULL && og_syscall_override("getpid") == NULL, "override lookup");

	/* Rows added for their role alone describe the arguments as tracefs
	 * does: only the role is new. */
	static const char *const role_rows[] = {"listen", "clone", "fork", "vfork", "exit", "exit_group"};
	for (size_t i = 0; i < sizeof(role_rows) / sizeof(role_rows[0]); i++) {
		struct og_syscall_desc row, fmt;

		ok(og_syscall_row_desc(role_rows[i], &row) == 0 && from_format(role_rows[i], &fmt) == 0 &&
			   row.role != OG_ROLE_NONE && (row.flags & OG_DESC_ROLE) &&
			   (row.flags & ~(OG_DESC_ROLE | OG_DESC_FD_OP)) == fmt.flags && row.nargs == fmt.nargs &&
			   memcmp(row.kind, fmt.kind, sizeof(row.kind)) == 0 &&
			   memcmp(row.size_arg, fmt.size_arg, sizeof(row.size_arg)) == 0 &&
			   memcmp(row.fmt, fmt.fmt, sizeof(row.fmt)) == 0 &&
			   memcmp(row.arg_name, fmt.arg_name, sizeof(row.arg_name)) == 0,
		   "%s: its row has a role and the arguments tracefs gives", role_rows[i]);
	}
	ok(og_syscall_row_desc("clone3", &d) == 0 && d.role == OG_ROLE_FORK && d.kind[0] == OG_ARG_STRUCT_IN &&
		   d.fmt[0] == OG_FMT_CLONE_ARGS && OG_STRUCT_SIZE(d.size_arg[0]) == 64 &&
		   OG_STRUCT_SKIP(d.size_arg[0]) == 0,
	   "clone3: a fork's role, its clone_args read at enter (flags to tls)");

	/* Rows added for their fd effect (the fd table, og_format.h): the
	 * arguments tracefs names (what each captures is the structures'
	 * business, below). */
	static const struct {
		const char *name;
		enum og_fd_op op;
		__u8 arg, flags;
	} fd_rows[] = {
		{"socket", OG_FD_OP_SOCKET, OG_FD_NOARG, 1},
		{"socketpair", OG_FD_OP_PAIR, 3, 1},
		{"pipe", OG_FD_OP_PAIR, 0, OG_FD_NOARG},
		{"pipe2", OG_FD_OP_PAIR, 0, 1},
		{"dup", OG_FD_OP_DUP, OG_FD_NOARG, OG_FD_NOARG},
		{"dup2", OG_FD_OP_DUP, 1, OG_FD_NOARG},
		{"dup3", OG_FD_OP_DUP, 1, 2},
		{"fcntl", OG_FD_OP_FCNTL, OG_FD_NOARG, OG_FD_NOARG},
		{"close_range", OG_FD_OP_CLOSE_RANGE, OG_FD_NOARG, OG_FD_NOARG},
		{"openat2", OG_FD_OP_OPEN_HOW, 1, 2},
		{"openat", OG_FD_OP_OPEN, 1, 2},
		{"accept4", OG_FD_OP_ACCEPT, OG_FD_NOARG, 3},
		{"chdir", OG_FD_OP_CHDIR, 0, OG_FD_NOARG},
		{"fchdir", OG_FD_OP_FCHDIR, OG_FD_NOARG, OG_FD_NOARG},
	};
	for (size_t i = 0; i < sizeof(fd_rows) / sizeof(fd_rows[0]); i++) {
		struct og_syscall_desc row, fmt;

		ok(og_syscall_row_desc(fd_rows[i].name, &row) == 0 && from_format(fd_rows[i].name, &fmt) == 0 &&
			   (row.flags & OG_DESC_FD_OP) && row.fd_op == fd_rows[i].op &&
			   OG_FD_ARG(&row) == fd_rows[i].arg && OG_FD_FLAGS_ARG(&row) == fd_rows[i].flags &&
			   row.nargs == fmt.nargs && memcmp(row.arg_name, fmt.arg_name, sizeof(row.arg_name)) == 0,
		   "%s: its row's fd effect, and the arguments tracefs names", fd_rows[i].name);
	}
	ok(og_syscall_row_desc("write", &d) == 0 && !(d.flags & OG_DESC_FD_OP), "write has no fd effect");
	/* Structures: the type is the argument's format, the size its
	 * size_arg, the word's suffix when it is read. */
	ok(og_syscall_row_desc("accept4", &d) == 0 && d.role == OG_ROLE_ACCEPT && d.kind[1] == OG_ARG_STRUCT_OUT &&
		   d.fmt[1] == OG_FMT_SOCKADDR && OG_STRUCT_SIZE(d.size_arg[1]) == OG_SOCKADDR_MAX &&
		   d.kind[2] == OG_ARG_STRUCT_INOUT && d.fmt[2] == OG_FMT_SOCKLEN &&
		   OG_STRUCT_SIZE(d.size_arg[2]) == 4 && (d.flags & OG_DESC_CAPTURES) && !(d.flags & OG_DESC_HAS_OUT),
	   "accept4: its peer's address at exit, its length both ways");
	ok(og_syscall_row_desc("wait4", &d) == 0 && d.kind[1] == OG_ARG_STRUCT_OUT && d.fmt[1] == OG_FMT_WSTATUS &&
		   OG_STRUCT_SIZE(d.size_arg[1]) == 4 && OG_STRUCT_SKIP(d.size_arg[1]) == 0 &&
		   d.kind[3] == OG_ARG_STRUCT_OUT,
	   "wait4: the status at exit, and the child's rusage");
	ok(og_syscall_row_desc("prlimit64", &d) == 0 && d.kind[2] == OG_ARG_STRUCT_IN &&
		   d.kind[3] == OG_ARG_STRUCT_OUT && d.fmt[2] == OG_FMT_RLIMIT64 && d.fmt[3] == OG_FMT_RLIMIT64 &&
		   OG_STRUCT_SIZE(d.size_arg[2]) == 16,
	   "prlimit64: the new limit at enter, the old at exit");
	/* What strace shows of struct stat without -v: st_mode to st_size. */
	static const struct {
		const char *name;
		int arg;
	} stats[] = {{"stat", 1}, {"lstat", 1}, {"fstat", 1}, {"newfstatat", 2}};
	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++) {
		int a = stats[i].arg;

		ok(og_syscall_row_desc(stats[i].name, &d) == 0 && d.kind[a] == OG_ARG_STRUCT_OUT &&
			   d.fmt[a] == OG_FMT_STAT && OG_STRUCT_SKIP(d.size_arg[a]) == 24 &&
			   OG_STRUCT_SIZE(d.size_arg[a]) == 32,
		   "%s: bytes 24 to 56 of struct stat at exit", stats[i].name);
	}
	ok(og_syscall_row_desc("statx", &d) == 0 && d.nargs == 5 && d.kind[4] == OG_ARG_STRUCT_OUT &&
		   d.fmt[4] == OG_FMT_STATX && OG_STRUCT_SKIP(d.size_arg[4]) == 0 &&
		   OG_STRUCT_SIZE(d.size_arg[4]) == 48,
	   "statx: its first 48 bytes at exit");
	ok(og_syscall_desc_from_spec("a:timespec@1,b:int", &d) < 0 &&
		   og_syscall_desc_from_spec("a:timespec-up", &d) < 0 && og_syscall_desc_from_spec("a:rlimit6", &d) < 0,
	   "structure words: no @N, no unknown suffix");
	ok(og_syscall_row_desc("epoll_wait", &d) == 0 && d.kind[1] == OG_ARG_ARRAY_OUT &&
		   d.fmt[1] == OG_FMT_EPOLL_EVENT && d.size_arg[1] == (12 << 3 | 2) &&
		   og_syscall_row_desc("poll", &d) == 0 && d.kind[0] == OG_ARG_ARRAY_INOUT &&
		   d.fmt[0] == OG_FMT_POLLFD_INOUT && d.size_arg[0] == (8 << 3 | 1),
	   "arrays: the element's size and the count argument");
	ok(og_syscall_desc_from_spec("a:pollfd[]@1,n:int", &d) == 0 && d.kind[0] == OG_ARG_ARRAY_IN &&
		   d.fmt[0] == OG_FMT_POLLFD && og_syscall_row_desc("ppoll", &d) == 0 &&
		   d.kind[0] == OG_ARG_ARRAY_INOUT && d.kind[2] == OG_ARG_STRUCT_INOUT && d.fmt[2] == OG_FMT_TIMESPEC,
	   "poll, ppoll: pollfds read again at exit in a format of their own, ppoll's timeout too");
	ok(og_syscall_row_desc("sendmsg", &d) == 0 && d.role == OG_ROLE_SENDMSG && d.addr_arg == 1 &&
		   d.kind[1] == OG_ARG_MSGHDR_IN && d.fmt[1] == OG_FMT_MSGHDR,
	   "sendmsg: its message captured, still the peer set's address");
	ok(og_syscall_row_desc("select", &d) == 0 && d.kind[1] == OG_ARG_ARRAY_INOUT &&
		   d.fmt[1] == OG_FMT_FDSET_INOUT && d.size_arg[1] == 0 && d.kind[2] == OG_ARG_ARRAY_INOUT &&
		   d.kind[3] == OG_ARG_NONE && d.kind[4] == OG_ARG_STRUCT_INOUT && d.fmt[4] == OG_FMT_TIMEVAL,
	   "select: fd_sets as bits counted by argument 0, both ways; the timeout both ways");
	ok(og_syscall_desc_from_spec("n:int,a:fd_set[]@0", &d) < 0 && og_syscall_desc_from_spec("a:fd_set", &d) < 0 &&
		   og_syscall_desc_from_spec("n:int,a:fd_set[]-out@0", &d) < 0,
	   "fd_set: only a value-result array of bits");
	ok(og_syscall_row_desc("wait4", &d) == 0 && d.kind[3] == OG_ARG_STRUCT_OUT && d.fmt[3] == OG_FMT_RUSAGE_CHILD &&
		   OG_STRUCT_SIZE(d.size_arg[3]) == 32 && OG_STRUCT_SKIP(d.size_arg[3]) == 0 &&
		   og_syscall_row_desc("getrusage", &d) == 0 && d.fmt[1] == OG_FMT_RUSAGE,
	   "rusage: its two times (32 bytes), a waited child's apart");
	ok(og_syscall_row_desc("recvmsg", &d) == 0 && d.role == OG_ROLE_NONE && d.addr_arg == 0xff &&
		   d.kind[1] == OG_ARG_MSGHDR_IN && d.fmt[1] == OG_FMT_MSGHDR_OUT &&
		   d.size_arg[1] == OG_MSGHDR_AT_EXIT && (d.flags & OG_DESC_CAPTURES),
	   "recvmsg: its message filled at exit (a msghdr kind, its own format), no peer-set address");
	ok(og_syscall_desc_from_spec("a:pollfd[],n:int", &d) < 0 &&
		   og_syscall_desc_from_spec("a:epoll_event[]-inout@1,n:int", &d) < 0 &&
		   og_syscall_desc_from_spec("a:stat[]@1", &d) < 0 && og_syscall_desc_from_spec("a:pollfd[]@9", &d) < 0,
	   "arrays: a count, value-result only with a format of its own (pollfd), elements under 32 bytes");
	/* Where a network role's address is: the row's sockaddr or msghdr. */
	static const struct {
		const char *name;
		enum og_syscall_role role;
		int addr_arg, len_arg;
	} net_rows[] = {
		{"connect", OG_ROLE_CONNECT, 1, 2}, {"bind", OG_ROLE_BIND, 1, 2},
		{"sendto", OG_ROLE_SENDTO, 4, 5},   {"sendmsg", OG_ROLE_SENDMSG, 1, -1},
		{"accept", OG_ROLE_ACCEPT, -1, -1}, {"listen", OG_ROLE_LISTEN, -1, -1},
	};
	for (size_t i = 0; i < sizeof(net_rows) / sizeof(net_rows[0]); i++) {
		int a = net_rows[i].addr_arg, la = net_rows[i].len_arg;

		ok(og_syscall_row_desc(net_rows[i].name, &d) == 0 && d.role == net_rows[i].role &&
			   d.addr_arg == (a < 0 ? 0xff : a) && (a < 0 || d.size_arg[a] == (la < 0 ? 0xff : la)),
		   "%s: role %d, address in argument %d, its length in %d", net_rows[i].name, net_rows[i].role, a, la);
	}
	ok(og_syscall_row_desc("getpid", &d) == -ENOENT, "no row: -ENOENT");
	ok(og_syscall_row_desc("write", &d) == 0 && d.role == OG_ROLE_NONE && !(d.flags & OG_DESC_ROLE),
	   "a row without a role: no OG_DESC_ROLE");
	/* The numbers the programs and gadget-dump once compared by hand. */
	ok(og_syscall_role(OG_ARCH_X86_64, 59) == OG_ROLE_EXEC &&
		   og_syscall_role(OG_ARCH_X86_64, 322) == OG_ROLE_EXEC &&
		   og_syscall_role(OG_ARCH_I386, 11) == OG_ROLE_EXEC &&
		   og_syscall_role(OG_ARCH_I386, 358) == OG_ROLE_EXEC,
	   "execve and execveat on both arches: exec");
	ok(og_syscall_role(OG_ARCH_X86_64, 60) == OG_ROLE_EXIT &&
		   og_syscall_role(OG_ARCH_X86_64, 231) == OG_ROLE_EXIT &&
		   og_syscall_role(OG_ARCH_I386, 1) == OG_ROLE_EXIT &&
		   og_syscall_role(OG_ARCH_I386, 252) == OG_ROLE_EXIT,
	   "exit and exit_group on both arches: never return");
	ok(og_syscall_role(OG_ARCH_X86_64, 42) == OG_ROLE_CONNECT &&
		   og_syscall_role(OG_ARCH_X86_64, 43) == OG_ROLE_ACCEPT &&
		   og_syscall_role(OG_ARCH_X86_64, 44) == OG_ROLE_SENDTO &&
		   og_syscall_role(OG_ARCH_X86_64, 46) == OG_ROLE_SENDMSG &&
		   og_syscall_role(OG_ARCH_X86_64, 49) == OG_ROLE_BIND &&
		   og_syscall_role(OG_ARCH_X86_64, 50) == OG_ROLE_LISTEN &&
		   og_syscall_role(OG_ARCH_X86_64, 288) == OG_ROLE_ACCEPT,
	   "x86_64 network syscalls: their roles");
	ok(og_syscall_role(OG_ARCH_X86_64, 0) == OG_ROLE_NONE && og_syscall_role(OG_ARCH_X86_64, -1) == OG_ROLE_NONE &&
		   og_syscall_role(OG_ARCH_X86_64, 5000) == OG_ROLE_NONE && og_syscall_role(7, 59) == OG_ROLE_NONE,
	   "read, -1, out of range, unknown arch: no role");

	struct og_syscall_desc *table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
	int described = 0;
	ok(og_syscall_table_build(NULL, table, &described) == 0 && described > 40, "table from overrides alone (%d)",
	   described);
	ok(table[OG_ARCH_X86_64 * OG_SYSCALL_MAX + 257].kind[1] == OG_ARG_STR, "x86_64 openat (257) described");
	ok(table[OG_ARCH_I386 * OG_SYSCALL_MAX + 295].kind[1] == OG_ARG_STR, "i386 openat (295) described");
	ok(table[OG_ARCH_I386 * OG_SYSCALL_MAX + 4].kind[1] == OG_ARG_BUF_IN, "i386 write (4) described");
	ok(table[OG_ARCH_X86_64 * OG_SYSCALL_MAX + 42].role == OG_ROLE_CONNECT &&
		   (table[OG_ARCH_X86_64 * OG_SYSCALL_MAX + 42].flags & OG_DESC_ROLE) &&
		   table[OG_ARCH_I386 * OG_SYSCALL_MAX + 358].role == OG_ROLE_EXEC,
	   "the table the programs read carries the rows' roles");
	/* The capture policy's table side (oci-gadget(7), "What a ring holds"). */
	for (int arch = OG_ARCH_X86_64; arch <= OG_ARCH_I386; arch++) {
		const struct og_syscall_desc *g = &table[arch * OG_SYSCALL_MAX + og_syscall_nr(arch, "getrandom")];
		const struct og_syscall_desc *r = &table[arch * OG_SYSCALL_MAX + og_syscall_nr(arch, "read")];

		ok(g->kind[0] == OG_ARG_BUF_OUT && (g->flags & OG_DESC_SECRET_OUT) && g->size_arg[0] == 1,
		   "arch %d: getrandom's output is a secret, never kept", arch);
		ok((r->flags & OG_DESC_OUT_FD) && !(r->flags & OG_DESC_SECRET_OUT),
		   "arch %d: read's output comes from its fd (checked for a random device)", arch);
	}
	ok(!(table[og_syscall_nr(OG_ARCH_X86_64, "getcwd")].flags & OG_DESC_OUT_FD), "getcwd's output is not a file's");
	free(table);

	/* From tracefs: addresses are pointers (strace prints them in hex),
	 * sendfile is described under its event's name sendfile64. */
	{
		static const char *const events[] = {"brk", "mmap", "sendfile64", "read", NULL};
		const char *dir = tracefs_build(events);
		const struct og_syscall_desc *brk, *mmap, *sf, *rd;

		table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
		ok(dir && og_syscall_table_build(dir, table, &described) == 0, "table from a tracefs of 4 events");
		brk = &table[og_syscall_nr(OG_ARCH_X86_64, "brk")];
		mmap = &table[og_syscall_nr(OG_ARCH_X86_64, "mmap")];
		sf = &table[og_syscall_nr(OG_ARCH_X86_64, "sendfile")];
		rd = &table[og_syscall_nr(OG_ARCH_X86_64, "read")];
		ok((brk->flags & OG_DESC_RET_ADDR) && brk->fmt[0] == OG_FMT_PTR,
		   "brk: unsigned long brk is an address, "
		   "and so is its return");
		ok((mmap->flags & OG_DESC_RET_ADDR) && mmap->fmt[0] == OG_FMT_PTR && mmap->fmt[1] == OG_FMT_UINT &&
			   mmap->fmt[4] == OG_FMT_FD,
		   "mmap: addr an address, len a number, fd an fd, returns an address");
		ok((sf->flags & OG_DESC_VALID) && sf->nargs == 4 && strcmp(sf->arg_name[0], "out_fd") == 0 &&
			   sf->fmt[2] == OG_FMT_PTR,
		   "sendfile described from sys_enter_sendfile64: 4 named arguments, offset a pointer");
		ok(!(rd->flags & OG_DESC_RET_ADDR), "read returns a count, not an address");
		ok(!(rd->flags & OG_DESC_FD_OP), "read makes no fd");
		ok(og_syscall_desc_from_spec("buf:outstr@1,size:uint", &d) == 0 && d.kind[0] == OG_ARG_BUF_OUT &&
			   d.fmt[0] == OG_FMT_STR_OUT && d.size_arg[0] == 1,
		   "outstr: an output buffer shown as a string");
		ok(og_syscall_desc_from_spec("statbuf:ptr", &d) == 0 && d.fmt[0] == OG_FMT_PTR &&
			   d.kind[0] == OG_ARG_NONE,
		   "ptr: an address, not captured");
		if (dir)
			tracefs_remove(dir, events);
		free(table);
	}

	/* The syscalls that make an fd with no path: OG_FD_OP_ANON on
	 * whichever description they have (tracefs for eventfd2 and
	 * memfd_create, a row for signalfd4), and strace -y's name. */
	{
		static const char *const events[] = {"eventfd2", "memfd_create", NULL};
		const char *dir = tracefs_build(events);
		const struct og_syscall_desc *ev, *mf, *sf;

		table = calloc(OG_SYSCALL_TABLE_SIZE, sizeof(*table));
		ok(dir && og_syscall_table_build(dir, table, &described) == 0, "table from a tracefs of 2 events");
		ev = &table[og_syscall_nr(OG_ARCH_X86_64, "eventfd2")];
		mf = &table[og_syscall_nr(OG_ARCH_X86_64, "memfd_create")];
		sf = &table[OG_SYSCALL_MAX + og_syscall_nr(OG_ARCH_I386, "signalfd4")];
		ok((ev->flags & OG_DESC_FD_OP) && ev->fd_op == OG_FD_OP_ANON && OG_FD_ARG(ev) == OG_FD_NOARG &&
			   OG_FD_FLAGS_ARG(ev) == 1 && ev->nargs == 2,
		   "eventfd2 (tracefs): a new anonymous fd, close-on-exec in its flags");
		ok(mf->fd_op == OG_FD_OP_ANON && OG_FD_ARG(mf) == 0 && mf->kind[0] == OG_ARG_STR,
		   "memfd_create (tracefs): its name is argument 0, captured as a string");
		ok((sf->flags & OG_DESC_FD_OP) && sf->fd_op == OG_FD_OP_ANON && OG_FD_FLAGS_ARG(sf) == 3,
		   "signalfd4 (a row), i386 too: the same");
		is_str(og_syscall_fd_form(OG_ARCH_X86_64, og_syscall_nr(OG_ARCH_X86_64, "epoll_create1")),
		       "anon_inode:[eventpoll]", "epoll_create1's fds are anon_inode:[eventpoll]");
		is_str(og_syscall_fd_form(OG_ARCH_I386, og_syscall_nr(OG_ARCH_I386, "memfd_create")),
		       "/memfd:%s (deleted)", "memfd_create's, on i386 too, its name in them");
		ok(!og_syscall_fd_form(OG_ARCH_X86_64, og_syscall_nr(OG_ARCH_X86_64, "openat")) &&
			   !og_syscall_fd_form(OG_ARCH_X86_64, -1),
		   "openat's fds have paths: no form");
		if (dir)
			tracefs_remove(dir, events);
		free(table);
	}

	is_str(og_syscall_name(OG_ARCH_X86_64, 0), "read", "x86_64 0 is read");
	is_str(og_syscall_name(OG_ARCH_I386, 3), "read", "i386 3 is read");
	is_str(og_syscall_name(OG_ARCH_I386, 252), "exit_group", "i386 252 is exit_group");
	is_str(og_syscall_name(OG_ARCH_X86_64, 231), "exit_group", "x86_64 231 is exit_group");
	ok(og_syscall_name(OG_ARCH_X86_64, 5000) == NULL, "out of range: NULL");
	ok(og_syscall_nr(OG_ARCH_I386, "getppid") == 64, "i386 getppid is 64");
	return tap_done();
}
