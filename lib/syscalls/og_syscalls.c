// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_syscalls.h"
#include "og_util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif

/*
 * One row per syscall that the tracefs types alone describe wrongly or that
 * has a role (bpf/og_format.h, enum og_syscall_role): its arguments as a
 * spec (og_syscalls.h) and its role. Everything else about a syscall comes
 * from tracefs. The programs, the printers, gadget-dump's runtime rule and
 * the peer set read these rows; none of them names a syscall.
 */
struct og_syscall_row {
	const char *name;
	const char *args;
	enum og_syscall_role role;
	enum og_fd_op fd_op; /* what it does to the fd table (og_format.h) */
	__u8 fd_args;	     /* OG_FD_ARGS(the argument fd_op names, the close-on-exec flags' argument) */
};
/* A row's fd effect: the argument it names and the argument whose
 * O_CLOEXEC bit says close-on-exec (OG_FD_NOARG: none). */
#define FD(op, arg, flags) .fd_op = (op), .fd_args = OG_FD_ARGS(arg, flags)
#define NO OG_FD_NOARG

static const struct og_syscall_row rows[] = {
	/* Structures strace shows (og_decode_structs.c): "type" is read at
	 * enter, "type-out" at exit when the call succeeded, "type-inout" both. */
	{.name = "wait4", .args = "upid:int,stat_addr:wstatus-out,options:int,ru:child_rusage-out"},
	{.name = "waitid", .args = "which:int,upid:int,infop:siginfo-out,options:int,ru:rusage-out"},
	{.name = "getrusage", .args = "who:int,ru:rusage-out"},
	{.name = "getsockname", .args = "fd:fd,usockaddr:sockaddr-out,usockaddr_len:socklen-inout"},
	{.name = "getpeername", .args = "fd:fd,usockaddr:sockaddr-out,usockaddr_len:socklen-inout"},
	{.name = "nanosleep", .args = "rqtp:timespec,rmtp:ptr"},
	{.name = "clock_nanosleep", .args = "which_clock:int,flags:int,rqtp:timespec,rmtp:ptr"},
	{.name = "clock_gettime", .args = "which_clock:int,tp:timespec-out"},
	{.name = "clock_getres", .args = "which_clock:int,tp:timespec-out"},
	{.name = "gettimeofday", .args = "tv:timeval-out,tz:ptr"},
	/* Three captures a record at most (OG_NCAPS): exceptfds, rarely set,
	 * shows as its address. */
	{.name = "select", .args = "n:int,inp:fd_set[]-inout@0,outp:fd_set[]-inout@0,exp:ptr,tvp:timeval-inout"},
	{.name = "pselect6",
	 .args = "n:int,inp:fd_set[]-inout@0,outp:fd_set[]-inout@0,exp:ptr,tsp:timespec-inout,sig:ptr"},
	{.name = "ppoll", .args = "ufds:pollfd[]-inout@1,nfds:uint,tsp:timespec-inout,sigmask:sigset,sigsetsize:uint"},
	{.name = "epoll_pwait2",
	 .args = "epfd:fd,events:epoll_event[]-out@2,maxevents:int,timeout:timespec,sigmask:sigset,sigsetsize:uint"},
	{.name = "getrlimit", .args = "resource:int,rlim:rlimit-out"},
	{.name = "setrlimit", .args = "resource:int,rlim:rlimit"},
	{.name = "prlimit64", .args = "pid:int,resource:int,new_rlim:rlimit64,old_rlim:rlimit64-out"},
	{.name = "rt_sigprocmask", .args = "how:int,nset:sigset,oset:sigset-out,sigsetsize:uint"},
	{.name = "rt_sigaction", .args = "sig:sig,act:sigaction,oact:sigaction-out,sigsetsize:uint"},
	{.name = "rt_sigsuspend", .args = "unewset:sigset,sigsetsize:uint"},
	{.name = "rt_sigpending", .args = "uset:sigset-out,sigsetsize:uint"},
	{.name = "rt_sigtimedwait", .args = "uthese:sigset,uinfo:ptr,uts:timespec,sigsetsize:uint"},
	{.name = "signalfd4", .args = "ufd:fd,user_mask:sigset,sizemask:uint,flags:hex"},
	{.name = "timerfd_settime", .args = "ufd:fd,flags:int,utmr:itimerspec,otmr:itimerspec-out"},
	{.name = "timerfd_gettime", .args = "ufd:fd,otmr:itimerspec-out"},
	{.name = "timer_settime", .args = "timer_id:int,flags:int,new_setting:itimerspec,old_setting:itimerspec-out"},
	{.name = "fstat", .args = "fd:fd,statbuf:stat-out"},
	{.name = "epoll_ctl", .args = "epfd:fd,op:int,fd:fd,event:epoll_event"},
	{.name = "epoll_wait", .args = "epfd:fd,events:epoll_event[]-out@2,maxevents:int,timeout:int"},
	{.name = "epoll_pwait",
	 .args = "epfd:fd,events:epoll_event[]-out@2,maxevents:int,timeout:int,sigmask:sigset,sigsetsize:uint"},
	{.name = "poll", .args = "ufds:pollfd[]-inout@1,nfds:uint,timeout_msecs:int"},
	{.name = "writev", .args = "fd:fd,vec:iov@2,vlen:uint"},
	{.name = "readv", .args = "fd:fd,vec:iov-out@2,vlen:uint"},
	{.name = "preadv", .args = "fd:fd,vec:iov-out@2,vlen:uint,pos_l:uint,pos_h:uint"},
	{.name = "preadv2", .args = "fd:fd,vec:iov-out@2,vlen:uint,pos_l:uint,pos_h:uint,flags:hex"},
	{.name = "pwritev", .args = "fd:fd,vec:iov@2,vlen:uint,pos_l:uint,pos_h:uint"},
	{.name = "pwritev2", .args = "fd:fd,vec:iov@2,vlen:uint,pos_l:uint,pos_h:uint,flags:hex"},

	{.name = "read", .args = "fd:fd,buf:out@2,count:uint"},
	{.name = "write", .args = "fd:fd,buf:in@2,count:uint"},
	{.name = "pread64", .args = "fd:fd,buf:out@2,count:uint,pos:int"},
	{.name = "pwrite64", .args = "fd:fd,buf:in@2,count:uint,pos:int"},
	{.name = "open", .args = "filename:str,flags:oflags,mode:mode", FD(OG_FD_OP_OPEN, 0, 1)},
	{.name = "openat", .args = "dfd:dirfd,filename:str,flags:oflags,mode:mode", FD(OG_FD_OP_OPEN, 1, 2)},
	{.name = "openat2", .args = "dfd:dirfd,filename:str,how:ptr,usize:uint", FD(OG_FD_OP_OPEN_HOW, 1, 2)},
	{.name = "creat", .args = "pathname:str,mode:mode", FD(OG_FD_OP_OPEN, 0, NO)},
	{.name = "execve", .args = "filename:str,argv:argv,envp:ptr", .role = OG_ROLE_EXEC},
	{.name = "execveat", .args = "fd:dirfd,filename:str,argv:argv,envp:ptr,flags:hex", .role = OG_ROLE_EXEC},
	{.name = "clone",
	 .args = "clone_flags:uint,newsp:uint,parent_tidptr:ptr,child_tidptr:ptr,tls:uint",
	 .role = OG_ROLE_FORK},
	{.name = "clone3", .args = "uargs:clone_args,size:uint", .role = OG_ROLE_FORK},
	{.name = "fork", .args = "", .role = OG_ROLE_FORK},
	{.name = "vfork", .args = "", .role = OG_ROLE_FORK},
	{.name = "connect",
	 .args = "fd:fd,uservaddr:sockaddr@2,addrlen:int",
	 .role = OG_ROLE_CONNECT,
	 FD(OG_FD_OP_ENDPOINTS, NO, NO)},
	{.name = "bind",
	 .args = "fd:fd,umyaddr:sockaddr@2,addrlen:int",
	 .role = OG_ROLE_BIND,
	 FD(OG_FD_OP_ENDPOINTS, NO, NO)},
	{.name = "sendto",
	 .args = "fd:fd,buff:in@2,len:uint,flags:hex,addr:sockaddr@5,addr_len:int",
	 .role = OG_ROLE_SENDTO},
	{.name = "sendmsg", .args = "fd:fd,msg:msghdr,flags:hex", .role = OG_ROLE_SENDMSG},
	{.name = "recvmsg", .args = "fd:fd,msg:msghdr-out,flags:hex"},
	{.name = "accept",
	 .args = "fd:fd,upeer_sockaddr:sockaddr-out,upeer_addrlen:socklen-inout",
	 .role = OG_ROLE_ACCEPT,
	 FD(OG_FD_OP_ACCEPT, NO, NO)},
	{.name = "accept4",
	 .args = "fd:fd,upeer_sockaddr:sockaddr-out,upeer_addrlen:socklen-inout,flags:int",
	 .role = OG_ROLE_ACCEPT,
	 FD(OG_FD_OP_ACCEPT, NO, 3)},
	{.name = "listen", .args = "fd:fd,backlog:int", .role = OG_ROLE_LISTEN, FD(OG_FD_OP_ENDPOINTS, NO, NO)},
	{.name = "recvfrom", .args = "fd:fd,ubuf:out@2,size:uint,flags:hex,addr:sockaddr-out,addr_len:socklen-inout"},
	/* Key material: the call and its length are recorded, never the bytes. */
	{.name = "getrandom", .args = "buf:secret@1,count:uint,flags:hex"},
	{.name = "getcwd", .args = "buf:outstr@1,size:uint"},
	{.name = "readlink", .args = "path:str,buf:out@2,bufsiz:int"},
	{.name = "readlinkat", .args = "dfd:dirfd,pathname:str,buf:out@3,bufsiz:int"},
	{.name = "close", .args = "fd:fd", FD(OG_FD_OP_CLOSE, NO, NO)},
	{.name = "close_range", .args = "fd:fd,max_fd:uint,flags:hex", FD(OG_FD_OP_CLOSE_RANGE, NO, NO)},
	{.name = "socket", .args = "family:int,type:int,protocol:int", FD(OG_FD_OP_SOCKET, NO, 1)},
	{.name = "socketpair", .args = "family:int,type:int,protocol:int,usockvec:fdpair-out", FD(OG_FD_OP_PAIR, 3, 1)},
	{.name = "pipe", .args = "fildes:fdpair-out", FD(OG_FD_OP_PAIR, 0, NO)},
	{.name = "pipe2", .args = "fildes:fdpair-out,flags:oflags", FD(OG_FD_OP_PAIR, 0, 1)},
	{.name = "dup", .args = "fildes:fd", FD(OG_FD_OP_DUP, NO, NO)},
	{.name = "dup2", .args = "oldfd:fd,newfd:fd", FD(OG_FD_OP_DUP, 1, NO)},
	{.name = "dup3", .args = "oldfd:fd,newfd:fd,flags:oflags", FD(OG_FD_OP_DUP, 1, 2)},
	{.name = "fcntl", .args = "fd:fd,cmd:uint,arg:hex", FD(OG_FD_OP_FCNTL, NO, NO)},
	{.name = "kill", .args = "pid:int,sig:sig"},
	{.name = "tgkill", .args = "tgid:int,pid:int,sig:sig"},
	{.name = "exit", .args = "error_code:int", .role = OG_ROLE_EXIT},
	{.name = "exit_group", .args = "error_code:int", .role = OG_ROLE_EXIT},
	{.name = "unlink", .args = "pathname:str"},
	{.name = "unlinkat", .args = "dfd:dirfd,pathname:str,flag:hex"},
	{.name = "mkdir", .args = "pathname:str,mode:mode"},
	{.name = "mkdirat", .args = "dfd:dirfd,pathname:str,mode:mode"},
	{.name = "rename", .args = "oldname:str,newname:str"},
	{.name = "renameat2", .args = "olddfd:dirfd,oldname:str,newdfd:dirfd,newname:str,flags:hex"},
	{.name = "stat", .args = "filename:str,statbuf:stat-out"},
	{.name = "lstat", .args = "filename:str,statbuf:stat-out"},
	{.name = "newfstatat", .args = "dfd:dirfd,filename:str,statbuf:stat-out,flag:hex"},
	{.name = "statx", .args = "dfd:dirfd,filename:str,flags:hex,mask:hex,buffer:statx-out"},
	{.name = "access", .args = "filename:str,mode:int"},
	{.name = "faccessat", .args = "dfd:dirfd,filename:str,mode:int"},
	{.name = "faccessat2", .args = "dfd:dirfd,filename:str,mode:int,flags:hex"},
	{.name = "chdir", .args = "filename:str", FD(OG_FD_OP_CHDIR, 0, NO)},
	{.name = "fchdir", .args = "fd:fd", FD(OG_FD_OP_FCHDIR, NO, NO)},
	{.name = "sethostname", .args = "name:in@1,len:int"},
	{.name = "mount", .args = "dev_name:str,dir_name:str,type:str,flags:hex,data:ptr"},
	{.name = "umount2", .args = "name:str,flags:hex"},
	{.name = "pivot_root", .args = "new_root:str,put_old:str"},
};

/*
 * The syscalls that make an fd with no path, and how strace -y names it
 * ("%s": the name argument, memfd_create's). Their fd effect is
 * OG_FD_OP_ANON whatever describes their arguments (a row or tracefs);
 * the printers name such an fd from here. cloexec: the argument whose
 * O_CLOEXEC bit (EFD_, EPOLL_, TFD_, SFD_, IN_CLOEXEC: the same) says
 * close-on-exec; memfd's MFD_CLOEXEC is another bit, pidfds always are.
 */
static const struct {
	const char *syscall, *form;
	__u8 name_arg, cloexec_arg;
} fd_forms[] = {
	{"eventfd", "anon_inode:[eventfd]", NO, NO},	    {"eventfd2", "anon_inode:[eventfd]", NO, 1},
	{"epoll_create", "anon_inode:[eventpoll]", NO, NO}, {"epoll_create1", "anon_inode:[eventpoll]", NO, 0},
	{"timerfd_create", "anon_inode:[timerfd]", NO, 1},  {"signalfd", "anon_inode:[signalfd]", NO, NO},
	{"signalfd4", "anon_inode:[signalfd]", NO, 3},	    {"pidfd_open", "anon_inode:[pidfd]", NO, NO},
	{"inotify_init", "anon_inode:inotify", NO, NO},	    {"inotify_init1", "anon_inode:inotify", NO, 0},
	{"fanotify_init", "anon_inode:[fanotify]", NO, NO}, {"userfaultfd", "anon_inode:[userfaultfd]", NO, 0},
	{"memfd_create", "/memfd:%s (deleted)", 0, NO},
};

static int fd_form_of(const char *syscall)
{
	for (size_t i = 0; syscall && i < sizeof(fd_forms) / sizeof(fd_forms[0]); i++)
		if (strcmp(fd_forms[i].syscall, syscall) == 0)
			return (int)i;
	return -1;
}

const char *og_syscall_fd_form(int arch, int nr)
{
	int i = fd_form_of(og_syscall_name(arch, nr));

	return i < 0 ? NULL : fd_forms[i].form;
}

/* tracefs event names that are not the syscall's name. */
static const char *syscall_alias(const char *event)
{
	static const char *const aliases[][2] = {
		{"umount", "umount2"}, {"newstat", "stat"},   {"newlstat", "lstat"},
		{"newfstat", "fstat"}, {"newuname", "uname"}, {"sendfile64", "sendfile"},
	};

	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(aliases[i][0], event) == 0)
			return aliases[i][1];
	return event;
}

static const struct og_syscall_row *row_of(const char *syscall)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (strcmp(rows[i].name, syscall) == 0)
			return &rows[i];
	return NULL;
}

const char *og_syscall_override(const char *syscall)
{
	const struct og_syscall_row *row = row_of(syscall);

	return row ? row->args : NULL;
}

static void desc_finish(struct og_syscall_desc *d)
{
	d->flags |= OG_DESC_VALID;
	for (int i = 0; i < d->nargs; i++) {
		if (d->kind[i] != OG_ARG_NONE)
			d->flags |= OG_DESC_CAPTURES;
		if (d->kind[i] == OG_ARG_BUF_OUT)
			d->flags |= OG_DESC_HAS_OUT;
	}
	/* The programs check the file of such an output (a buffer, vectors): a
	 * random device's bytes are not kept. */
	for (int i = 0; i < d->nargs; i++)
		if ((d->kind[i] == OG_ARG_BUF_OUT || d->kind[i] == OG_ARG_IOV_OUT) && d->fmt[0] == OG_FMT_FD)
			d->flags |= OG_DESC_OUT_FD;
}

/* Spec words: the argument's kind and format, and what it adds to the
 * syscall's flags. */
static const struct {
	const char *word;
	__u8 kind;
	__u8 fmt;
	__u8 desc_flags;
} spec_words[] = {
	{"str", OG_ARG_STR, OG_FMT_PTR, 0},
	{"in", OG_ARG_BUF_IN, OG_FMT_PTR, 0},
	{"out", OG_ARG_BUF_OUT, OG_FMT_PTR, 0},
	{"outstr", OG_ARG_BUF_OUT, OG_FMT_STR_OUT, 0},
	{"secret", OG_ARG_BUF_OUT, OG_FMT_PTR, OG_DESC_SECRET_OUT},
	{"sockaddr", OG_ARG_SOCKADDR, OG_FMT_PTR, 0},
	{"argv", OG_ARG_ARGV, OG_FMT_PTR, 0},
	{"iov", OG_ARG_IOV_IN, OG_FMT_IOVEC, 0},
	{"iov-out", OG_ARG_IOV_OUT, OG_FMT_IOVEC, 0},
	{"ptr", OG_ARG_NONE, OG_FMT_PTR, 0},
	{"msghdr", OG_ARG_MSGHDR_IN, OG_FMT_MSGHDR, 0},		/* also a network role's address */
	{"msghdr-out", OG_ARG_MSGHDR_IN, OG_FMT_MSGHDR_OUT, 0}, /* filled at exit: OG_MSGHDR_AT_EXIT */
	{"fd", OG_ARG_NONE, OG_FMT_FD, 0},
	{"dirfd", OG_ARG_NONE, OG_FMT_DIRFD, 0},
	{"oflags", OG_ARG_NONE, OG_FMT_OPEN_FLAGS, 0},
	{"mode", OG_ARG_NONE, OG_FMT_MODE, 0},
	{"int", OG_ARG_NONE, OG_FMT_INT, 0},
	{"uint", OG_ARG_NONE, OG_FMT_UINT, 0},
	{"hex", OG_ARG_NONE, OG_FMT_HEX, 0},
	{"sig", OG_ARG_NONE, OG_FMT_SIGNAL, 0},
};

/* Structure words: the type (the argument's format, for the printers) and
 * the bytes captured: size bytes from byte skip, what strace shows of it
 * without -v (struct stat: st_mode to st_size, not its 144 bytes). With
 * "-out" the structure is read at exit, with "-inout" at enter and at
 * exit, else at enter. "type[]@N" is an array of them, as many as argument
 * N counts ("-out": as many as the call returns; "-inout": read again at
 * exit, in a format of its own, the one format-5 readers that do not know
 * it show as the address); its elements are smaller than 32 bytes and kept
 * whole. */
static const struct {
	const char *word;
	__u8 fmt;
	__u8 size;
	__u8 skip;
	__u8 inout_fmt; /* "type[]-inout@N"'s format, 0: none */
} struct_words[] = {
	{"wstatus", OG_FMT_WSTATUS, 4},
	{"siginfo", OG_FMT_SIGINFO, 48},
	{"fdpair", OG_FMT_FD_PAIR, 8},
	{"sockaddr", OG_FMT_SOCKADDR, OG_SOCKADDR_MAX},
	{"socklen", OG_FMT_SOCKLEN, 4},
	{"timespec", OG_FMT_TIMESPEC, 16},
	{"itimerspec", OG_FMT_ITIMERSPEC, 32},
	{"timeval", OG_FMT_TIMEVAL, 16},
	{"rlimit", OG_FMT_RLIMIT, 16},
	{"rlimit64", OG_FMT_RLIMIT64, 16},
	{"sigset", OG_FMT_SIGSET, 8},
	{"sigaction", OG_FMT_SIGACTION, 32},
	{"clone_args", OG_FMT_CLONE_ARGS, 64}, /* flags to tls: what strace shows */
	{"stat", OG_FMT_STAT, 32, 24},	       /* st_mode, st_uid, st_gid, st_rdev, st_size */
	{"statx", OG_FMT_STATX, 48, 0},	       /* stx_mask, stx_attributes, stx_mode, stx_size */
	{"epoll_event", OG_FMT_EPOLL_EVENT, 12},
	{"pollfd", OG_FMT_POLLFD, 8, .inout_fmt = OG_FMT_POLLFD_INOUT},
	{"rusage", OG_FMT_RUSAGE, 32},
	{"child_rusage", OG_FMT_RUSAGE_CHILD, 32},
	{"fd_set", 0, 0, .inout_fmt = OG_FMT_FDSET_INOUT}, /* bits: only as "fd_set[]-inout@N" */
};

/* word as a structure or an array (count: its count argument, -1 for a
 * structure): its kind, format and size in d's argument i. 1: it is one,
 * 0: not, < 0: its window does not fit size_arg. */
static int struct_word(const char *word, int count, struct og_syscall_desc *d, int i)
{
	static const struct {
		const char *suffix;
		__u8 kind, array_kind;
	} dirs[] = {{"-inout", OG_ARG_STRUCT_INOUT, OG_ARG_ARRAY_INOUT},
		    {"-out", OG_ARG_STRUCT_OUT, OG_ARG_ARRAY_OUT},
		    {"", OG_ARG_STRUCT_IN, OG_ARG_ARRAY_IN}};

	for (size_t w = 0; w < sizeof(struct_words) / sizeof(struct_words[0]); w++) {
		size_t wl = strlen(struct_words[w].word);
		const char *rest = word + wl;
		bool array;

		if (strncmp(word, struct_words[w].word, wl) != 0)
			continue;
		array = strncmp(rest, "[]", 2) == 0;
		if (array != (count >= 0) || (array && (struct_words[w].size >= 32 || struct_words[w].skip)))
			continue;
		rest += array ? 2 : 0;
		for (size_t k = 0; k < sizeof(dirs) / sizeof(dirs[0]); k++) {
			if (strcmp(rest, dirs[k].suffix) != 0)
				continue;
			d->kind[i] = array ? dirs[k].array_kind : dirs[k].kind;
			d->fmt[i] = struct_words[w].fmt;
			if (d->kind[i] == OG_ARG_ARRAY_INOUT) {
				d->fmt[i] = struct_words[w].inout_fmt;
				d->kind[i] = d->fmt[i] ? d->kind[i] : OG_ARG_NONE;
			}
			d->size_arg[i] = array ? struct_words[w].size << 3 | count
					       : OG_STRUCT_SA(struct_words[w].skip, struct_words[w].size);
			if (!array && (OG_STRUCT_SIZE(d->size_arg[i]) != struct_words[w].size ||
				       OG_STRUCT_SKIP(d->size_arg[i]) != struct_words[w].skip))
				return og_err(EINVAL,
					      "structure '%s': %u bytes from byte %u is not a window size_arg holds",
					      word, struct_words[w].size, struct_words[w].skip);
			/* A size of 0 (bits) is only a value-result array's. */
			return d->kind[i] != OG_ARG_NONE && (struct_words[w].size || d->kind[i] == OG_ARG_ARRAY_INOUT);
		}
	}
	return 0;
}

int og_syscall_desc_from_spec(const char *spec, struct og_syscall_desc *d)
{
	char buf[512], *save = NULL;

	memset(d, 0, sizeof(*d));
	d->addr_arg = 0xff;
	if (strlen(spec) >= sizeof(buf))
		return og_err(EINVAL, "syscall spec '%s' is too long", spec);
	strcpy(buf, spec);
	for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':'), *at;
		int i = d->nargs, found = 0, r = 0;

		if (i >= OG_NARGS)
			return og_err(EINVAL, "syscall spec '%s': more than %d arguments", spec, OG_NARGS);
		if (!colon || colon == tok)
			return og_err(EINVAL, "syscall spec '%s': '%s' is not name:kind", spec, tok);
		*colon = '\0';
		at = strchr(colon + 1, '@');
		if (at)
			*at = '\0';
		og_strfield(d->arg_name[i], OG_ARG_NAME_LEN, tok);
		for (size_t w = 0; w < sizeof(spec_words) / sizeof(spec_words[0]); w++) {
			if (strcmp(spec_words[w].word, colon + 1) == 0) {
				d->kind[i] = spec_words[w].kind;
				d->fmt[i] = spec_words[w].fmt;
				d->flags |= spec_words[w].desc_flags;
				found = 1;
			}
		}
		if (!found && at && (!isdigit((unsigned char)at[1]) || at[1] - '0' >= OG_NARGS || at[2]))
			return og_err(EINVAL, "syscall spec '%s': '%s': @N names the count argument", spec, tok);
		if (!found && (r = struct_word(colon + 1, at ? at[1] - '0' : -1, d, i)) < 0)
			return og_err_wrap(-r, "syscall spec '%s'", spec);
		if (!found && r > 0) {
			d->nargs++;
			continue;
		}
		if (!found)
			return og_err(EINVAL, "syscall spec '%s': unknown kind '%s'", spec, colon + 1);
		if (d->addr_arg == 0xff && (strcmp(colon + 1, "sockaddr") == 0 || strcmp(colon + 1, "msghdr") == 0))
			d->addr_arg = i;
		d->size_arg[i] = d->fmt[i] == OG_FMT_MSGHDR_OUT ? OG_MSGHDR_AT_EXIT : 0xff;
		if (d->kind[i] == OG_ARG_BUF_IN || d->kind[i] == OG_ARG_SOCKADDR || d->kind[i] == OG_ARG_IOV_IN ||
		    d->kind[i] == OG_ARG_IOV_OUT) {
			if (!at || !isdigit((unsigned char)at[1]) || at[1] - '0' >= OG_NARGS || at[2])
				return og_err(EINVAL, "syscall spec '%s': '%s' needs @N, the length argument", spec,
					      tok);
			d->size_arg[i] = at[1] - '0';
		} else if (d->kind[i] == OG_ARG_BUF_OUT && at) {
			/* The buffer's size: what sys_enter reserves room for. */
			if (!isdigit((unsigned char)at[1]) || at[1] - '0' >= OG_NARGS || at[2])
				return og_err(EINVAL, "syscall spec '%s': '%s': @N names the length argument", spec,
					      tok);
			d->size_arg[i] = at[1] - '0';
		} else if (at) {
			return og_err(EINVAL, "syscall spec '%s': only in, out and sockaddr take @N", spec);
		}
		d->nargs++;
	}
	desc_finish(d);
	return 0;
}

static bool name_in(const char *const *names, const char *n)
{
	for (int i = 0; names[i]; i++)
		if (strcmp(n, names[i]) == 0)
			return true;
	return false;
}

static bool is_length_name(const char *n)
{
	static const char *const names[] = {"count", "len", "size", "bufsiz", "nbytes", "addrlen", "addr_len", NULL};

	return name_in(names, n);
}

/* tracefs types addresses as unsigned long in the memory syscalls (mmap's
 * addr, mprotect's start, brk's brk): these names say it is one. */
static bool is_address_name(const char *n)
{
	static const char *const names[] = {"addr", "start", "brk", "new_addr", NULL};

	return name_in(names, n);
}

static int length_arg_after(const struct og_syscall_desc *d, int i)
{
	for (int j = i + 1; j < d->nargs; j++)
		if (is_length_name(d->arg_name[j]))
			return j;
	return -1;
}

int og_syscall_desc_from_format(const char *syscall, const char *format, struct og_syscall_desc *d)
{
	char types[OG_NARGS][64];
	const char *line = format;

	memset(d, 0, sizeof(*d));
	d->addr_arg = 0xff;
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		const char *f = memmem(line, len, "field:", 6);

		if (f) {
			const char *semi = memchr(f, ';', len - (f - line));
			char decl[128], *name;
			size_t dl;

			if (!semi)
				goto next;
			dl = semi - (f + 6);
			if (dl >= sizeof(decl))
				goto next;
			memcpy(decl, f + 6, dl);
			decl[dl] = '\0';
			name = strrchr(decl, ' ');
			if (!name)
				goto next;
			*name++ = '\0';
			if (strncmp(name, "common_", 7) == 0 || strcmp(name, "__syscall_nr") == 0)
				goto next;
			if (d->nargs >= OG_NARGS)
				return og_err(EINVAL, "tracefs format of %s: more than %d arguments", syscall,
					      OG_NARGS);
			og_strfield(d->arg_name[d->nargs], OG_ARG_NAME_LEN, name);
			og_strfield(types[d->nargs], sizeof(types[0]), decl);
			d->nargs++;
		}
	next:
		line = nl ? nl + 1 : NULL;
	}

	for (int i = 0; i < d->nargs; i++) {
		const char *t = types[i], *n = d->arg_name[i];
		int la;

		d->size_arg[i] = 0xff;
		d->fmt[i] = strchr(t, '*') ? OG_FMT_PTR : OG_FMT_HEX;
		if (strcmp(t, "const char *const *") == 0) {
			d->kind[i] = OG_ARG_ARGV;
		} else if (strcmp(t, "const char *") == 0) {
			la = length_arg_after(d, i);
			if (strcmp(n, "buf") == 0 && la >= 0) {
				d->kind[i] = OG_ARG_BUF_IN;
				d->size_arg[i] = la;
			} else {
				d->kind[i] = OG_ARG_STR;
			}
		} else if (strcmp(t, "char *") == 0) {
			la = length_arg_after(d, i);
			d->kind[i] = la >= 0 ? OG_ARG_BUF_OUT : OG_ARG_NONE;
			if (la >= 0)
				d->size_arg[i] = la;
		} else if (strcmp(t, "struct sockaddr *") == 0 && (la = length_arg_after(d, i)) >= 0 &&
			   strncmp(types[la], "int", 3) == 0) {
			d->kind[i] = OG_ARG_SOCKADDR;
			d->size_arg[i] = la;
		} else if (strchr(t, '*')) {
			d->fmt[i] = OG_FMT_PTR;
		} else if (strcmp(t, "unsigned long") == 0 && is_address_name(n)) {
			d->fmt[i] = OG_FMT_PTR;
		} else if (strcmp(n, "dfd") == 0 || strcmp(n, "dirfd") == 0 || strcmp(n, "olddfd") == 0 ||
			   strcmp(n, "newdfd") == 0) {
			d->fmt[i] = OG_FMT_DIRFD;
		} else if (strcmp(n, "fd") == 0 || (strlen(n) > 2 && strcmp(n + strlen(n) - 2, "fd") == 0)) {
			d->fmt[i] = OG_FMT_FD;
		} else if (strcmp(t, "umode_t") == 0) {
			d->fmt[i] = OG_FMT_MODE;
		} else if (strcmp(t, "int") == 0 || strcmp(t, "long") == 0 || strcmp(t, "pid_t") == 0 ||
			   strcmp(t, "loff_t") == 0 || strcmp(t, "off_t") == 0) {
			d->fmt[i] = OG_FMT_INT;
		} else if (strcmp(t, "size_t") == 0 || strcmp(t, "unsigned int") == 0 ||
			   strcmp(t, "unsigned long") == 0 || strcmp(t, "u32") == 0) {
			d->fmt[i] = strcmp(n, "flags") == 0 ? OG_FMT_HEX : OG_FMT_UINT;
		}
	}
	desc_finish(d);
	return 0;
}

static uint32_t scmp_arch(int arch)
{
	return arch == OG_ARCH_I386 ? SCMP_ARCH_X86 : SCMP_ARCH_X86_64;
}

int og_syscall_nr(int arch, const char *name)
{
	int nr = seccomp_syscall_resolve_name_arch(scmp_arch(arch), name);

	return nr >= 0 && nr < OG_SYSCALL_MAX ? nr : -1;
}

const char *og_syscall_name(int arch, int nr)
{
	static char *cache[2][OG_SYSCALL_MAX];
	static bool looked[2][OG_SYSCALL_MAX];

	if (arch < 0 || arch > 1 || nr < 0 || nr >= OG_SYSCALL_MAX)
		return NULL;
	if (!looked[arch][nr]) {
		looked[arch][nr] = true;
		cache[arch][nr] = seccomp_syscall_resolve_num_arch(scmp_arch(arch), nr);
	}
	return cache[arch][nr];
}

/* The roles that read an address argument (at sys_enter). */
static bool role_reads_address(enum og_syscall_role role)
{
	return role == OG_ROLE_CONNECT || role == OG_ROLE_BIND || role == OG_ROLE_SENDTO || role == OG_ROLE_SENDMSG;
}

static int row_desc(const struct og_syscall_row *row, struct og_syscall_desc *d)
{
	int r = og_syscall_desc_from_spec(row->args, d);

	if (r < 0)
		return og_err_wrap(-r, "syscall %s", row->name);
	if (role_reads_address(row->role) && d->addr_arg == 0xff)
		return og_err(EINVAL, "syscall %s: its role reads an address, and no argument is a sockaddr or msghdr",
			      row->name);
	d->role = row->role;
	if (row->role != OG_ROLE_NONE)
		d->flags |= OG_DESC_ROLE;
	d->fd_op = row->fd_op;
	d->fd_args = row->fd_op != OG_FD_OP_NONE ? row->fd_args : OG_FD_ARGS(OG_FD_NOARG, OG_FD_NOARG);
	if (row->fd_op != OG_FD_OP_NONE)
		d->flags |= OG_DESC_FD_OP;
	return 0;
}

int og_syscall_row_desc(const char *syscall, struct og_syscall_desc *d)
{
	const struct og_syscall_row *row = row_of(syscall);

	if (!row)
		return og_err(ENOENT, "syscall %s has no row", syscall);
	return row_desc(row, d);
}

enum og_syscall_role og_syscall_role(int arch, int nr)
{
	static __u8 roles[2][OG_SYSCALL_MAX];
	static bool filled[2];

	if (arch < 0 || arch > 1 || nr < 0 || nr >= OG_SYSCALL_MAX)
		return OG_ROLE_NONE;
	if (!filled[arch]) {
		filled[arch] = true;
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			int n = og_syscall_nr(arch, rows[i].name);

			if (n >= 0)
				roles[arch][n] = rows[i].role;
		}
	}
	return roles[arch][nr];
}

/* Syscalls whose return value is an address: strace prints it in hex. */
static bool returns_address(const char *name)
{
	static const char *const names[] = {"brk", "mmap", "mmap2", "mremap", "shmat", NULL};

	return name_in(names, name);
}

static void table_set(struct og_syscall_desc *table, const char *name, const struct og_syscall_desc *d, int *described)
{
	int form;

	for (int arch = OG_ARCH_X86_64; arch <= OG_ARCH_I386; arch++) {
		int nr = og_syscall_nr(arch, name);

		if (nr < 0)
			continue;
		if (!(table[arch * OG_SYSCALL_MAX + nr].flags & OG_DESC_VALID))
			(*described)++;
		table[arch * OG_SYSCALL_MAX + nr] = *d;
		if (returns_address(name))
			table[arch * OG_SYSCALL_MAX + nr].flags |= OG_DESC_RET_ADDR;
		if ((form = fd_form_of(name)) >= 0) {
			struct og_syscall_desc *t = &table[arch * OG_SYSCALL_MAX + nr];

			t->fd_op = OG_FD_OP_ANON;
			t->fd_args = OG_FD_ARGS(fd_forms[form].name_arg, fd_forms[form].cloexec_arg);
			t->flags |= OG_DESC_FD_OP;
		}
	}
}

int og_syscall_table_build(const char *tracefs_dir, struct og_syscall_desc *table, int *described)
{
	struct og_syscall_desc d;
	int r;

	memset(table, 0, sizeof(*table) * OG_SYSCALL_TABLE_SIZE);
	*described = 0;
	if (tracefs_dir) {
		DIR *dir = opendir(tracefs_dir);
		struct dirent *de;

		if (!dir)
			return og_err(errno, "open %s", tracefs_dir);
		while ((de = readdir(dir))) {
			cleanup_free char *fmt = NULL;
			char path[4096];
			const char *name;

			if (strncmp(de->d_name, "sys_enter_", 10) != 0)
				continue;
			name = de->d_name + 10;
			if (og_path(path, sizeof(path), "%s/%s/format", tracefs_dir, de->d_name) < 0 ||
			    og_read_file(path, 64 << 10, &fmt, NULL) < 0 ||
			    og_syscall_desc_from_format(name, fmt, &d) < 0)
				continue; /* an odd event costs its own description only */
			table_set(table, syscall_alias(name), &d, described);
		}
		closedir(dir);
	}
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		r = row_desc(&rows[i], &d);
		if (r < 0)
			return r;
		table_set(table, rows[i].name, &d, described);
	}
	return 0;
}

static bool is_tracefs(const char *dir)
{
	struct statfs sf;

	return statfs(dir, &sf) == 0 && (unsigned long)sf.f_type == TRACEFS_MAGIC;
}

int og_tracefs_syscalls_dir(char *out, size_t size)
{
	static const char *const candidates[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < 2; i++) {
			if (!is_tracefs(candidates[i]))
				continue;
			if (og_path(out, size, "%s/events/syscalls", candidates[i]) < 0)
				return -ENAMETOOLONG;
			if (access(out, R_OK) < 0)
				return og_err(errno, "%s (is CONFIG_FTRACE_SYSCALLS on?)", out);
			return 0;
		}
		if (pass == 0 && mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, NULL) < 0)
			return og_err(errno, "mount tracefs on /sys/kernel/tracing");
	}
	return og_err(ENOENT, "tracefs not found");
}
