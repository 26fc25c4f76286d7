// OCI state parsing: valid, malformed, huge, missing fields; names from annotations.
#include "config.h"
#include "og_oci.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse(const char *json, struct oci_state *st)
{
	return oci_state_parse(json, strlen(json), st);
}

/* Two tests: json parses (what), and the names it gives are name, pod and
 * namespace (NULL: not looked at) (names_what). */
static void names_are(const char *json, const char *what, const char *name, const char *pod, const char *ns,
		      const char *names_what)
{
	struct oci_state st;
	struct oci_names names;
	bool parsed = parse(json, &st) == 0;

	ok(parsed, "%s", what);
	if (parsed)
		oci_state_names(&st, &names);
	ok(parsed && (!name || strcmp(names.name, name) == 0) && (!pod || strcmp(names.pod, pod) == 0) &&
		   (!ns || strcmp(names.namespace_, ns) == 0),
	   "%s", names_what);
	if (parsed)
		oci_state_free(&st);
}

/* Docker's name, from a Docker-shaped directory: bundle/config.json mounts
 * /etc/hostname from D/containers/ID/hostname; D/containers/ID has
 * config.v2.json. */
static void docker_names(void)
{
	char tmp[] = "/tmp/og-test-docker-XXXXXX", path[512], bundle[512], name[64], cfg[1024];
	const char *id = "0123456789abcdef0123";
	int fd;

	if (!mkdtemp(tmp)) {
		ok(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/bundle", tmp);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/containers", tmp);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/containers/%s", tmp, id);
	mkdir(path, 0700);
#define WRITE(rel, text)                                                                                \
	do {                                                                                            \
		snprintf(path, sizeof(path), "%s/%s", tmp, rel);                                        \
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);                                    \
		ok(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text), "write %s", rel); \
		close(fd);                                                                              \
	} while (0)
	snprintf(cfg, sizeof(cfg),
		 "{\"root\":{\"path\":\"rootfs\"},\"mounts\":[{\"destination\":\"/proc\",\"source\":\"proc\"},"
		 "{\"destination\":\"/etc/hostname\",\"source\":\"%s/containers/%s/hostname\"}]}",
		 tmp, id);
	WRITE("bundle/config.json", cfg);
	WRITE("containers/0123456789abcdef0123/config.v2.json", "{\"ID\":\"0123456789abcdef0123\",\"Name\":\"/web\"}");
	snprintf(bundle, sizeof(bundle), "%s/bundle", tmp);
	ok(oci_docker_name(bundle, id, name, sizeof(name)) == 0, "Docker: the name from config.v2.json");
	is_str(name, "web", "Docker name without its slash");
	ok(oci_docker_name(bundle, "other-id", name, sizeof(name)) == -ENODEV,
	   "a bundle whose mounts are not under containers/ID: not Docker, nothing to say");

	WRITE("containers/0123456789abcdef0123/config.v2.json", "{\"ID\":\"someone-else\",\"Name\":\"/web\"}");
	ok(oci_docker_name(bundle, id, name, sizeof(name)) == -EINVAL, "config.v2.json of another container refused");
	WRITE("containers/0123456789abcdef0123/config.v2.json", "{\"ID\":");
	ok(oci_docker_name(bundle, id, name, sizeof(name)) == -EINVAL, "malformed config.v2.json: %s", og_errmsg());
	snprintf(cfg, sizeof(cfg), "%s/containers/%s/config.v2.json", tmp, id);
	unlink(cfg);
	ok(oci_docker_name(bundle, id, name, sizeof(name)) == -ENOENT, "missing config.v2.json: %s", og_errmsg());
	ok(symlink("/etc/passwd", cfg) == 0 && oci_docker_name(bundle, id, name, sizeof(name)) == -ELOOP,
	   "config.v2.json a symlink: not followed (%s)", og_errmsg());
	unlink(cfg);
	ok(mkfifo(cfg, 0600) == 0 && oci_docker_name(bundle, id, name, sizeof(name)) == -EINVAL &&
		   strstr(og_errmsg(), "not a regular file"),
	   "config.v2.json a FIFO: not read, no wait");
	unlink(cfg);
	fd = open(cfg, O_WRONLY | O_CREAT, 0600);
	ok(fd >= 0 && ftruncate(fd, 64 << 20) == 0 && oci_docker_name(bundle, id, name, sizeof(name)) == -EFBIG,
	   "a 64 MiB config.v2.json refused before reading: %s", og_errmsg());
	close(fd);
	unlink(cfg);
	/* An earlier prestart hook may swap the bundle's files: a FIFO in
	 * their place is refused at once, never waited on. */
	snprintf(cfg, sizeof(cfg), "%s/bundle/config.json", tmp);
	unlink(cfg);
	{
		struct oci_config oc;

		ok(mkfifo(cfg, 0600) == 0 && oci_config_read(bundle, &oc) == -EINVAL &&
			   strstr(og_errmsg(), "config.json: not a regular file"),
		   "config.json a FIFO: not read, no wait (%s)", og_errmsg());
	}
	unlink(cfg);
	/* podman's: two levels above the bundle. */
	snprintf(path, sizeof(path), "%s/a", tmp);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/a/b", tmp);
	mkdir(path, 0700);
	snprintf(cfg, sizeof(cfg), "%s/containers.json", tmp);
	ok(mkfifo(cfg, 0600) == 0 && oci_podman_name(path, "x", name, sizeof(name)) == -EINVAL &&
		   strstr(og_errmsg(), "containers.json: not a regular file"),
	   "podman's containers.json a FIFO: not read, no wait (%s)", og_errmsg());
	unlink(cfg);
	snprintf(cfg, sizeof(cfg), "{\"ID\":\"a\",\"Name\":\"noslash\"}");
	ok(oci_docker_name_parse(cfg, strlen(cfg), "a", name, sizeof(name)) == -EINVAL,
	   "a Name without its slash refused");
	snprintf(cfg, sizeof(cfg), "rm -rf '%s'", tmp);
	if (system(cfg) != 0)
		ok(0, "cleanup %s", tmp);
#undef WRITE
}

int main(void)
{
	const char *srcdir = getenv("top_srcdir") ? getenv("top_srcdir") : ".";
	struct oci_state st;
	struct oci_names names;
	char path[4096], *text = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/tests/data/state-valid.json", srcdir);
	ok(og_read_file(path, 1 << 20, &text, &len) == 0, "read %s", path);
	ok(text && oci_state_parse(text, len, &st) == 0, "valid state parses");
	is_str(st.id, "abc123", "id");
	is_str(st.status, "created", "status");
	is_str(st.bundle, "/run/bundle/abc123", "bundle");
	is_str(st.oci_version, "1.0.2", "ociVersion");
	ok(st.pid == 4242, "pid");
	ok(st.n_annotations == 4, "string annotations kept, a number skipped (%zu)", st.n_annotations);
	is_str(oci_state_annotation(&st, "io.oci-gadget.ring-size"), "4MiB", "annotation lookup");
	ok(oci_state_annotation(&st, "weird") == NULL, "non-string annotation ignored");
	oci_state_names(&st, &names);
	is_str(names.name, "web", "containerd CRI container name");
	is_str(names.pod, "shop-7d9", "containerd CRI sandbox name");
	is_str(names.namespace_, "prod", "containerd CRI namespace");
	oci_state_free(&st);
	free(text);

	const char *crio = "{\"id\":\"c1\",\"annotations\":{\"io.kubernetes.container.name\":\"db\","
			   "\"io.kubernetes.pod.name\":\"p\",\"io.kubernetes.pod.namespace\":\"ns\"}}";
	names_are(crio, "CRI-O annotations", "db", "p", "ns", "CRI-O names");
	ok(parse(crio, &st) == 0 && st.pid == 0, "no pid -> 0 (podman poststop)");
	oci_state_free(&st);

	names_are("{\"id\":\"s1\",\"annotations\":{\"io.kubernetes.cri.container-type\":\"sandbox\","
		  "\"io.kubernetes.cri.sandbox-name\":\"web-7d9\",\"io.kubernetes.cri.sandbox-namespace\":\"shop\"}}",
		  "a containerd pod sandbox", "POD", "web-7d9", "shop", "the sandbox is its pod's POD");
	names_are("{\"id\":\"s2\",\"annotations\":{\"io.kubernetes.cri-o.ContainerType\":\"sandbox\"}}",
		  "a CRI-O sandbox with no pod name (a partial annotation set)", "POD", "", "",
		  "partial: POD, no pod, no namespace");
	names_are("{\"id\":\"c3\",\"annotations\":{\"io.kubernetes.cri.container-type\":\"container\","
		  "\"io.kubernetes.cri.sandbox-name\":\"p\"}}",
		  "a CRI container without its container-name (partial)", "c3", "p", NULL,
		  "partial: named by its id, in its pod");

	ok(parse("{\"id\":\"plain\"}", &st) == 0, "minimal state");
	oci_state_names(&st, &names);
	is_str(names.name, "plain", "no annotations: name is the id");
	ok(names.pod[0] == 0 && names.namespace_[0] == 0, "no pod, no namespace");
	oci_state_free(&st);

	ok(parse("{\"id\": \"x\", ", &st) == -EINVAL && strstr(og_errmsg(), "malformed JSON"), "truncated JSON");
	ok(parse("", &st) == -EINVAL, "empty input");
	ok(parse("[]", &st) == -EINVAL && strstr(og_errmsg(), "object"), "array instead of object");
	ok(parse("{\"pid\":1}", &st) == -EINVAL && strstr(og_errmsg(), "\"id\""), "missing id");
	ok(parse("{\"id\":\"\"}", &st) == -EINVAL, "empty id");
	ok(parse("{\"id\":5}", &st) == -EINVAL && strstr(og_errmsg(), "not a string"), "id of the wrong type");
	ok(parse("{\"id\":\"a\",\"pid\":-3}", &st) == -EINVAL, "negative pid");
	ok(parse("{\"id\":\"a\",\"pid\":1.5}", &st) == -EINVAL, "fractional pid");
	ok(parse("{\"id\":\"a\",\"annotations\":[]}", &st) == -EINVAL, "annotations not an object");
	ok(oci_state_parse("{\"id\":\"a\"}\0x", 13, &st) == -EINVAL && strstr(og_errmsg(), "NUL"), "embedded NUL");

	size_t big = OCI_STATE_MAX + 10;
	char *huge = malloc(big);
	memset(huge, ' ', big);
	ok(oci_state_parse(huge, big, &st) == -EFBIG, "huge state refused");
	/* Just under the limit: a large but valid state. */
	size_t n = OCI_STATE_MAX - 64;
	memcpy(huge, "{\"id\":\"big\",\"x\":\"", 17);
	memset(huge + 17, 'a', n - 19);
	memcpy(huge + n - 2, "\"}", 2);
	ok(oci_state_parse(huge, n, &st) == 0 && strcmp(st.id, "big") == 0, "large valid state parses");
	oci_state_free(&st);
	free(huge);

	/* 300,000 levels crashed yajl_tree_free (recursive); 64 are the limit,
	 * and brackets inside strings do not count. */
	size_t deep = 300000;
	char *nest = malloc(2 * deep + 64);
	n = (size_t)sprintf(nest, "{\"id\":\"deep\",\"x\":");
	memset(nest + n, '[', deep);
	memset(nest + n + deep, ']', deep);
	strcpy(nest + n + 2 * deep, "}");
	ok(oci_state_parse(nest, strlen(nest), &st) == -EINVAL && strstr(og_errmsg(), "nested more than 64"),
	   "300,000-deep state refused before parsing: %s", og_errmsg());
	n = (size_t)sprintf(nest, "{\"id\":\"deep\",\"x\":");
	memset(nest + n, '[', 63);
	memset(nest + n + 63, ']', 63);
	strcpy(nest + n + 126, ",\"s\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"[[\"}");
	ok(oci_state_parse(nest, strlen(nest), &st) == 0 && strcmp(st.id, "deep") == 0,
	   "64 levels parse; brackets in a string (after an escaped quote) do not count");
	oci_state_free(&st);
	free(nest);

	char pname[64];
	const char *cj = "[{\"id\":\"aaa\",\"names\":[\"first\"]},{\"id\":\"bbb\",\"names\":[\"web-1\",\"alias\"],"
			 "\"image\":\"x\"},{\"id\":\"ccc\"}]";
	ok(oci_podman_name_parse(cj, "bbb", pname, sizeof(pname)) == 0, "podman containers.json");
	is_str(pname, "web-1", "podman name is names[0] of the entry with the id");
	ok(oci_podman_name_parse(cj, "ccc", pname, sizeof(pname)) == -ENOENT, "entry without names");
	ok(oci_podman_name_parse(cj, "zzz", pname, sizeof(pname)) == -ENOENT, "unknown id");
	ok(oci_podman_name_parse("{", "a", pname, sizeof(pname)) == -EINVAL, "malformed containers.json");

	docker_names();

	ok(oci_id_valid("abc-123_x.y") == 0, "usual id valid");
	ok(oci_id_valid("..") < 0, "'..' refused");
	ok(oci_id_valid("a/b") < 0, "slash refused");
	ok(oci_id_valid("a\nb") < 0, "newline refused");
	ok(oci_id_valid("linger-1767225600") < 0 && strstr(og_errmsg(), "reserved"),
	   "the linger pin's name is not an id: %s", og_errmsg());
	ok(oci_id_valid("linger-web") == 0 && oci_id_valid("linger-") == 0 && oci_id_valid("linger-12a") == 0,
	   "ids that only look like it stay valid");
	return tap_done();
}
