// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What user space asks the kernel about a cgroup: its level and its
 * ancestors at given levels (struct og_cgroup_query), run with
 * BPF_PROG_TEST_RUN by the tracer when it registers a container. From the
 * kernel, not from paths: a hook in a cgroup namespace sees paths relative
 * to it, and the levels the programs look ancestors up at are absolute.
 * Never on the syscall path. Linked with syscalls.bpf.c into one object.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "og_format.h"

extern struct cgroup *bpf_cgroup_from_id(u64 cgid) __ksym;
extern struct cgroup *bpf_cgroup_ancestor(struct cgroup *cgrp, int level) __ksym;
extern void bpf_cgroup_release(struct cgroup *cgrp) __ksym;

SEC("syscall")
int og_cgroup_query(struct og_cgroup_query *q)
{
	struct cgroup *cgrp = bpf_cgroup_from_id(q->cgroup_id);
	__u64 levels = q->levels;

	if (!cgrp) {
		q->level = -1;
		return 0;
	}
	q->level = cgrp->level;
	/* Unrolled: the context takes constant offsets only. */
#pragma unroll
	for (int i = 0; i < OG_LEVELS; i++, levels >>= 8) {
		struct cgroup *anc = bpf_cgroup_ancestor(cgrp, levels & 0xff);

		q->ancestor[i] = 0;
		if (anc) {
			q->ancestor[i] = anc->kn->id;
			bpf_cgroup_release(anc);
		}
	}
	bpf_cgroup_release(cgrp);
	return 0;
}
