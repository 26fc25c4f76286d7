// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
// The floor: empty programs on the tracepoints oci-gadget uses. Whatever a
// syscall tracer on these hooks does, it costs at least this.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf/sys_enter")
int BPF_PROG(floor_sys_enter, struct pt_regs *regs, long id)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_sys_exit, struct pt_regs *regs, long ret)
{
	return 0;
}
