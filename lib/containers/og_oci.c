// SPDX-License-Identifier: GPL-2.0-or-later
#include "config.h"
#include "og_oci.h"
#include "og_pins.h"
#include "og_util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yajl/yajl_tree.h>

static int take_string(yajl_val root, const char *key, char **out, const char *id)
{
	const char *path[] = {key, NULL};
	yajl_val v = yajl_tree_get(root, path, yajl_t_any);

	*out = NULL;
	if (!v || YAJL_IS_NULL(v))
		return 0;
	if (!YAJL_IS_STRING(v))
		return og_err(EINVAL, "OCI state of container '%s': \"%s\" is not a string", id ? id : "?", key);
	*out = strdup(v->u.string);
	return *out ? 0 : og_err(ENOMEM, "OCI state");
}

int oci_state_parse(const char *json, size_t len, struct oci_state *st)
{
	const char *pid_path[] = {"pid", NULL};
	const char *ann_path[] = {"annotations", NULL};
	yajl_val root, v;
	int r;

	memset(st, 0, sizeof(*st));
	r = og_json_parse(json, len, OCI_STATE_MAX, "OCI state", (void **)&root);
	if (r < 0)
		return r;
	if (!YAJL_IS_OBJECT(root)) {
		yajl_tree_free(root);
		return og_err(EINVAL, "OCI state: expected a JSON object");
	}
	r = take_string(root, "id", &st->id, NULL);
	if (r == 0 && (!st->id || !st->id[0]))
		r = og_err(EINVAL, "OCI state: no container \"id\"");
	if (r == 0)
		r = take_string(root, "ociVersion", &st->oci_version, st->id);
	if (r == 0)
		r = take_string(root, "status", &st->status, st->id);
	if (r == 0)
		r = take_string(root, "bundle", &st->bundle, st->id);
	if (r == 0) {
		v = yajl_tree_get(root, pid_path, yajl_t_any);
		if (v && !YAJL_IS_NULL(v)) {
			if (!YAJL_IS_INTEGER(v) || YAJL_GET_INTEGER(v) < 0 || YAJL_GET_INTEGER(v) > 0x3fffffff)
				r = og_err(EINVAL, "OCI state of container '%s': \"pid\" is not a valid pid", st->id);
			else
				st->pid = (int)YAJL_GET_INTEGER(v);
		}
	}
	if (r == 0) {
		v = yajl_tree_get(root, ann_path, yajl_t_any);
		if (v && !YAJL_IS_NULL(v)) {
			if (!YAJL_IS_OBJECT(v)) {
				r = og_err(EINVAL, "OCI state of container '%s': \"annotations\" is not an object",
					   st->id);
			} else {
				size_t n = v->u.object.len;

				st->annotation_keys = calloc(n + 1, sizeof(char *));
				st->annotation_values = calloc(n + 1, sizeof(char *));
				if (!st->annotation_keys || !st->annotation_values)
					r = og_err(ENOMEM, "OCI state");
				for (size_t i = 0; r == 0 && i < n; i++) {
					yajl_val av = v->u.object.values[i];

					if (!YAJL_IS_STRING(av))
						continue; /* the spec says strings; skip what is not */
					st->annotation_keys[st->n_annotations] = strdup(v->u.object.keys[i]);
					st->annotation_values[st->n_annotations] = strdup(av->u.string);
					st->n_annotations++;
				}
			}
		}
	}
	yajl_tree_free(root);
	if (r < 0)
		oci_state_free(st);
	return r;
}

void oci_state_free(struct oci_state *st)
{
	for (size_t i = 0; i < st->n_annotations; i++) {
		free(st->annotation_keys[i]);
		free(st->annotation_values[i]);
	}
	free(st->annotation_keys);
	free(st->annotation_values);
	free(st->oci_version);
	free(st->id);
	free(st->status);
	free(st->bundle);
	memset(st, 0, sizeof(*st));
}

const char *oci_state_annotation(const struct oci_state *st, const char *key)
{
	for (size_t i = 0; i < st->n_annotations; i++)
		if (st->annotation_keys[i] && strcmp(st->annotation_keys[i], key) == 0)
			return st->annotation_values[i];
	return NULL;
}

static const char *first_annotation(const struct oci_state *st, const char *const *keys)
{
	for (; *keys; keys++) {
		const char *v = oci_state_annotation(st, *keys);
		if (v && v[0])
			return v;
	}
	return NULL;
}

void oci_state_names(const struct oci_state *st, struct oci_names *names)
{
	static const char *const name_keys[] = {
		"io.kubernetes.cri.container-name", /* containerd CRI */
		"io.kubernetes.container.name",	    /* CRI-O */
		"nerdctl/name",
		"io.podman.annotations.name",
		NULL,
	};
	static const char *const pod_keys[] = {
		"io.kubernetes.cri.sandbox-name",
		"io.kubernetes.pod.name",
		NULL,
	};
	static const char *const ns_keys[] = {
		"io.kubernetes.cri.sandbox-namespace",
		"io.kubernetes.pod.namespace",
		NULL,
	};
	const char *v;

	static const char *const type_keys[] = {
		"io.kubernetes.cri.container-type",  /* containerd CRI */
		"io.kubernetes.cri-o.ContainerType", /* CRI-O */
		NULL,
	};
	const char *type = first_annotation(st, type_keys);

	v = first_annotation(st, name_keys);
	/* A pod's sandbox has no container name: it is the pod's "POD", as
	 * kubelet named it (k8s_POD_...), so NAMESPACE/POD/POD reads it. */
	if (!v && type && strcmp(type, "sandbox") == 0)
		v = OCI_SANDBOX_NAME;
	names->name = v ? v : st->id;
	v = first_annotation(st, pod_keys);
	names->pod = v ? v : "";
	v = first_annotation(st, ns_keys);
	names->namespace_ = v ? v : "";
}

int oci_id_valid(const char *id)
{
	unsigned long long t;
	size_t n = strlen(id);

	if (n == 0 || n >= 128)
		return og_err(EINVAL, "container id '%s': must be 1 to 127 characters", id);
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return og_err(EINVAL, "container id '%s' is not a usable name", id);
	if (og_pin_linger_expiry(id, &t) == 0)
		return og_err(EINVAL, "container id '%s': the form " OG_PIN_LINGER_PREFIX "DIGITS is reserved", id);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = id[i];
		if (c == '/' || c < 0x20 || c == 0x7f)
			return og_err(EINVAL, "container id '%s': contains '/' or a control character", id);
	}
	return 0;
}

int oci_podman_name_parse(const char *json, const char *id, char *name, size_t size)
{
	const char *id_path[] = {"id", NULL}, *names_path[] = {"names", NULL};
	yajl_val root;
	int r = og_json_parse(json, strlen(json), SIZE_MAX, "containers.json", (void **)&root);

	if (r < 0)
		return r;
	r = og_err(ENOENT, "container %s not in containers.json", id);
	for (size_t i = 0; YAJL_IS_ARRAY(root) && i < root->u.array.len; i++) {
		yajl_val c = root->u.array.values[i];
		yajl_val cid = yajl_tree_get(c, id_path, yajl_t_string);
		yajl_val names = yajl_tree_get(c, names_path, yajl_t_array);

		if (!cid || strcmp(cid->u.string, id) != 0)
			continue;
		if (names && names->u.array.len && YAJL_IS_STRING(names->u.array.values[0])) {
			og_strfield(name, size, names->u.array.values[0]->u.string);
			r = 0;
		}
		break;
	}
	yajl_tree_free(root);
	return r;
}

int oci_podman_name(const char *bundle, const char *id, char *name, size_t size)
{
	cleanup_free char *json = NULL;
	char path[4096];
	int r;

	if (!bundle || og_path(path, sizeof(path), "%s/../../containers.json", bundle) < 0)
		return -EINVAL;
	r = og_read_regular_file(path, 64u << 20, &json, NULL);
	return r < 0 ? r : oci_podman_name_parse(json, id, name, size);
}

int oci_config_parse(const char *json, size_t len, const char *bundle, struct oci_config *cfg)
{
	const char *root_path[] = {"root", "path", NULL};
	const char *args_path[] = {"process", "args", NULL};
	const char *env_path[] = {"process", "env", NULL};
	const char *cwd_path[] = {"process", "cwd", NULL};
	const char *mounts_path[] = {"mounts", NULL};
	yajl_val root, v;
	int r = 0;

	memset(cfg, 0, sizeof(*cfg));
	r = og_json_parse(json, len, OCI_CONFIG_MAX, "config.json", (void **)&root);
	if (r < 0)
		return r;
	if (!YAJL_IS_OBJECT(root)) {
		r = og_err(EINVAL, "config.json of %s: expected a JSON object", bundle);
		goto out;
	}
	v = yajl_tree_get(root, root_path, yajl_t_any);
	if (!v || !YAJL_IS_STRING(v) || !v->u.string[0]) {
		r = og_err(EINVAL, "config.json of %s: no root.path string", bundle);
		goto out;
	}
	if (v->u.string[0] == '/')
		cfg->root_path = strdup(v->u.string);
	else if (asprintf(&cfg->root_path, "%s/%s", bundle, v->u.string) < 0)
		cfg->root_path = NULL;
	if (!cfg->root_path) {
		r = og_err(ENOMEM, "config.json");
		goto out;
	}
	v = yajl_tree_get(root, args_path, yajl_t_any);
	if (v && !YAJL_IS_NULL(v)) {
		if (!YAJL_IS_ARRAY(v)) {
			r = og_err(EINVAL, "config.json of %s: process.args is not an array", bundle);
			goto out;
		}
		if (v->u.array.len > 0) {
			if (!YAJL_IS_STRING(v->u.array.values[0])) {
				r = og_err(EINVAL, "config.json of %s: process.args[0] is not a string", bundle);
				goto out;
			}
			cfg->arg0 = strdup(v->u.array.values[0]->u.string);
		}
	}
	v = yajl_tree_get(root, cwd_path, yajl_t_any);
	if (v && YAJL_IS_STRING(v))
		cfg->cwd = strdup(v->u.string);
	else if (v && !YAJL_IS_NULL(v)) {
		r = og_err(EINVAL, "config.json of %s: process.cwd is not a string", bundle);
		goto out;
	}
	v = yajl_tree_get(root, env_path, yajl_t_any);
	if (v && YAJL_IS_ARRAY(v)) {
		for (size_t i = 0; i < v->u.array.len; i++) {
			yajl_val e = v->u.array.values[i];
			if (YAJL_IS_STRING(e) && strncmp(e->u.string, "PATH=", 5) == 0) {
				free(cfg->path_env);
				cfg->path_env = strdup(e->u.string + 5);
			} else if (YAJL_IS_STRING(e) && strncmp(e->u.string, "JAVA_HOME=", 10) == 0) {
				free(cfg->java_home);
				cfg->java_home = strdup(e->u.string + 10);
			}
		}
	} else if (v && !YAJL_IS_NULL(v)) {
		r = og_err(EINVAL, "config.json of %s: process.env is not an array", bundle);
		goto out;
	}
	v = yajl_tree_get(root, mounts_path, yajl_t_array);
	for (size_t i = 0; v && i < v->u.array.len && !cfg->etc_source; i++) {
		const char *dst_key[] = {"destination", NULL}, *src_key[] = {"source", NULL};
		yajl_val m = v->u.array.values[i];
		yajl_val dst = YAJL_IS_OBJECT(m) ? yajl_tree_get(m, dst_key, yajl_t_string) : NULL;
		yajl_val src = YAJL_IS_OBJECT(m) ? yajl_tree_get(m, src_key, yajl_t_string) : NULL;

		if (dst && src && src->u.string[0] == '/' &&
		    (strcmp(dst->u.string, "/etc/hostname") == 0 || strcmp(dst->u.string, "/etc/hosts") == 0 ||
		     strcmp(dst->u.string, "/etc/resolv.conf") == 0))
			cfg->etc_source = strdup(src->u.string);
	}
out:
	yajl_tree_free(root);
	if (r < 0)
		oci_config_free(cfg);
	return r;
}

int oci_config_read(const char *bundle, struct oci_config *cfg)
{
	cleanup_free char *json = NULL;
	char path[4096];
	size_t len;
	int r;

	if (!bundle || !bundle[0])
		return og_err(EINVAL, "OCI state has no bundle: cannot read config.json");
	if (og_path(path, sizeof(path), "%s/config.json", bundle) < 0)
		return -ENAMETOOLONG;
	r = og_read_regular_file(path, OCI_CONFIG_MAX, &json, &len);
	if (r < 0)
		return r;
	return oci_config_parse(json, len, bundle, cfg);
}

void oci_config_free(struct oci_config *cfg)
{
	free(cfg->root_path);
	free(cfg->arg0);
	free(cfg->cwd);
	free(cfg->path_env);
	free(cfg->java_home);
	free(cfg->etc_source);
	memset(cfg, 0, sizeof(*cfg));
}

int oci_docker_name_parse(const char *json, size_t len, const char *id, char *name, size_t size)
{
	const char *id_key[] = {"ID", NULL}, *name_key[] = {"Name", NULL};
	yajl_val root, cid, n;
	int r = og_json_parse(json, len, OCI_DOCKER_CONFIG_MAX, "config.v2.json", (void **)&root);

	if (r < 0)
		return r;
	cid = YAJL_IS_OBJECT(root) ? yajl_tree_get(root, id_key, yajl_t_string) : NULL;
	n = YAJL_IS_OBJECT(root) ? yajl_tree_get(root, name_key, yajl_t_string) : NULL;
	if (!cid || strcmp(cid->u.string, id) != 0)
		r = og_err(EINVAL, "config.v2.json: its \"ID\" is not container %s", id);
	else if (!n || n->u.string[0] != '/' || !n->u.string[1])
		r = og_err(EINVAL, "config.v2.json: no \"Name\" of the form /NAME");
	else
		og_strfield(name, size, n->u.string + 1);
	yajl_tree_free(root);
	return r;
}

/* The Docker container directory a mount source lives in: its parent must
 * be .../containers/ID. */
static int docker_dir(const char *source, const char *id, char *dir, size_t size)
{
	const char *slash = strrchr(source, '/'), *prev;
	size_t dlen, idlen = strlen(id);

	if (!slash || slash == source)
		return -ENODEV;
	dlen = (size_t)(slash - source);
	if (dlen < idlen + 12 || source[dlen - idlen - 1] != '/' || strncmp(source + dlen - idlen, id, idlen) != 0)
		return -ENODEV;
	prev = source + dlen - idlen - 1;
	if (prev - source < 11 || strncmp(prev - 11, "/containers", 11) != 0)
		return -ENODEV;
	if (dlen >= size)
		return og_err(ENAMETOOLONG, "Docker container directory of %s", id);
	memcpy(dir, source, dlen);
	dir[dlen] = '\0';
	return 0;
}

int oci_docker_name_cfg(const struct oci_config *cfg, const char *id, char *name, size_t size)
{
	cleanup_close int dfd = -1, fd = -1;
	cleanup_free char *json = NULL;
	char dir[4096], path[4096];
	size_t len;
	int r;

	r = cfg->etc_source ? docker_dir(cfg->etc_source, id, dir, sizeof(dir)) : -ENODEV;
	if (r < 0)
		return r;
	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return og_err(errno, "Docker container directory %s", dir);
	fd = og_openat2(dfd, "config.v2.json", O_RDONLY | O_NONBLOCK | O_NOFOLLOW, 0,
			RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
	if (fd < 0)
		return og_err(errno, "%s/config.v2.json", dir);
	if (og_path(path, sizeof(path), "%s/config.v2.json", dir) < 0)
		return -ENAMETOOLONG;
	r = og_read_regular_fd(fd, path, OCI_DOCKER_CONFIG_MAX, &json, &len);
	if (r < 0)
		return r;
	r = oci_docker_name_parse(json, len, id, name, size);
	return r < 0 ? og_err_wrap(-r, "%s", dir) : 0;
}

int oci_docker_name(const char *bundle, const char *id, char *name, size_t size)
{
	struct oci_config cfg;
	int r = oci_config_read(bundle, &cfg);

	if (r < 0)
		return -ENODEV; /* the hook says so elsewhere if it needs the file */
	r = oci_docker_name_cfg(&cfg, id, name, size);
	oci_config_free(&cfg);
	return r;
}
