/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef OG_OCI_H
#define OG_OCI_H

#include <stddef.h>

/* The OCI runtime state a hook reads on stdin (runtime-spec runtime.md). */
struct oci_state {
	char *oci_version;
	char *id;
	char *status;
	char *bundle;
	int pid; /* 0 when the state has none (podman's poststop) */
	size_t n_annotations;
	char **annotation_keys;
	char **annotation_values;
};

/* The largest state we accept; runtimes send a few KiB. */
#define OCI_STATE_MAX (1u << 20)

/* Parses json (len bytes, need not be NUL-terminated). Fails on malformed
 * JSON, a missing or empty "id", or fields of the wrong type. */
int oci_state_parse(const char *json, size_t len, struct oci_state *st);
void oci_state_free(struct oci_state *st);
const char *oci_state_annotation(const struct oci_state *st, const char *key);

/* Names a user knows the container by, from the annotations that
 * containerd's CRI plugin, CRI-O, nerdctl and podman set; the id when none. */
struct oci_names {
	const char *name;
	const char *pod;	/* "" unless Kubernetes */
	const char *namespace_; /* "" unless Kubernetes */
};
void oci_state_names(const struct oci_state *st, struct oci_names *names);
#define OCI_SANDBOX_NAME "POD" /* the name of a Kubernetes pod's sandbox container */

/* Podman 4.3 passes no name annotation: its name is in containers/storage's
 * containers.json, two levels above the bundle (.../DRIVER-containers/ID/
 * userdata). Copies names[0] of the entry whose id is id into name. */
int oci_podman_name(const char *bundle, const char *id, char *name, size_t size);
/* The containers.json text form of the above, for tests. */
int oci_podman_name_parse(const char *json, const char *id, char *name, size_t size);

/* What the uprobe planner needs from a bundle's config.json. */
struct oci_config {
	char *root_path;  /* absolute: root.path joined to the bundle when relative */
	char *arg0;	  /* process.args[0], or NULL */
	char *cwd;	  /* process.cwd, or NULL */
	char *path_env;	  /* the PATH of process.env, or NULL */
	char *java_home;  /* the JAVA_HOME of process.env, or NULL */
	char *etc_source; /* source of the /etc/hostname (or hosts, resolv.conf) mount, or NULL */
};
#define OCI_CONFIG_MAX (4u << 20)
int oci_config_parse(const char *json, size_t len, const char *bundle, struct oci_config *cfg);
int oci_config_read(const char *bundle, struct oci_config *cfg);
void oci_config_free(struct oci_config *cfg);

/*
 * Docker puts no name in the OCI config. Its bundle mounts /etc/hostname
 * (hosts, resolv.conf) from <data-root>/containers/<id>/, where
 * config.v2.json has "Name": "/NAME". oci_docker_name finds that directory
 * from the bundle's config.json (-ENODEV: not a Docker bundle, nothing to
 * say) and reads the name: the file beneath that directory only, never
 * through a symlink, a regular file of at most 4 MiB whose "ID" is id.
 */
int oci_docker_name(const char *bundle, const char *id, char *name, size_t size);
/* The same from a config.json already read. */
int oci_docker_name_cfg(const struct oci_config *cfg, const char *id, char *name, size_t size);
int oci_docker_name_parse(const char *json, size_t len, const char *id, char *name, size_t size);
#define OCI_DOCKER_CONFIG_MAX (4u << 20)

/* A container id is used as a directory name in bpffs. */
int oci_id_valid(const char *id);

#endif
