// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A container's whole cgroup subtree is recorded: a cgroup made under a
 * registered one (or under one of its children) joins maps/children with
 * the container's slot and cgroup id, and leaves it when removed. These run
 * only when a cgroup is made or removed, never on the syscall path.
 * Linked with syscalls.bpf.c into one object: they share maps/children.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "og_format.h"
#include "og_ring.bpf.h"

/* The default (v2) hierarchy is hierarchy 0; v1 hierarchies number their
 * cgroups on their own, and those ids mean nothing to maps/cgroups. */
static __always_inline bool on_dfl_hierarchy(struct cgroup *cgrp)
{
	return cgrp->root->hierarchy_id == 0;
}

SEC("tp_btf/cgroup_mkdir")
int BPF_PROG(og_cgroup_mkdir, struct cgroup *cgrp, const char *path)
{
	struct og_child_cgroup child, *pchild;
	struct cgroup_subsys_state *pcss;
	__u64 id, parent, *count;
	__u32 *slot;

	if (!og_config.registered || !on_dfl_hierarchy(cgrp))
		return 0;
	pcss = cgrp->self.parent;
	if (!pcss)
		return 0;
	parent = pcss->cgroup->kn->id;
	id = cgrp->kn->id;
	if ((slot = bpf_map_lookup_elem(&cgroups, &parent))) {
		child.slot = *slot;
		child.owner = parent;
	} else if ((pchild = bpf_map_lookup_elem(&children, &parent))) {
		child = *pchild;
	} else {
		return 0;
	}
	child.reserved = 0;
	count = bpf_map_lookup_elem(&child_counts, &child.slot);
	if (!count)
		return 0;
	/* Signed: a decrement that raced with the reset at unregistering
	 * leaves -1, which only allows one more. */
	if ((__s64)__sync_fetch_and_add(count, 1) >= OG_CHILDREN_PER_CONTAINER) {
		__sync_fetch_and_add(count, -1);
		return 0;
	}
	if (bpf_map_update_elem(&children, &id, &child, BPF_NOEXIST) < 0) {
		__sync_fetch_and_add(count, -1);
		return 0;
	}
	/* After the entry: a shared bucket finds it in the hash. A plain
	 * store: the tracer changes a bucket only by compare-and-swap from
	 * the value it saw before reading the maps, so this is never undone
	 * by a table computed without the child. */
	og_config.bucket[og_cgroup_bucket(id)] = OG_BUCKET_SHARED;
	return 0;
}

SEC("tp_btf/cgroup_rmdir")
int BPF_PROG(og_cgroup_rmdir, struct cgroup *cgrp, const char *path)
{
	struct og_child_cgroup *child;
	__u64 id, *count;
	__u32 slot;

	if (!og_config.registered || !on_dfl_hierarchy(cgrp))
		return 0;
	id = cgrp->kn->id;
	child = bpf_map_lookup_elem(&children, &id);
	if (!child)
		return 0;
	slot = child->slot;
	/* Only the one that deletes it gives its count back. */
	if (bpf_map_delete_elem(&children, &id) < 0)
		return 0;
	count = bpf_map_lookup_elem(&child_counts, &slot);
	if (count)
		__sync_fetch_and_add(count, -1);
	return 0;
}
