// Finding files inside an image: escapes through symlinks and "..", the
// ld.so.cache format, PATH lookup, overlay mount options, oci-gadget.conf
// and config.json. Builds a small root in a temporary directory; no root
// privileges needed.
#include "config.h"
#include "og_conf.h"
#include "og_oci.h"
#include "og_resolve.h"
#include "og_uprobe.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

static char root[256];

static void put(const char *rel, const char *content)
{
	char p[512];
	int fd;

	snprintf(p, sizeof(p), "%s%s", root, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, content, strlen(content)) < 0)
		perror(p);
	close(fd);
}

static void link_(const char *target, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	if (symlink(target, p) < 0)
		perror(p);
}

static void dir(const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s%s", root, rel);
	og_mkdir_p(p, 0755);
}

/* Reads what fd holds, for comparing with what we wrote. */
static const char *content(int fd)
{
	static char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

/* A glibc-ld.so.cache1.1 file with the given (soname, path, flags). */
static size_t make_cache(char *buf, size_t size, bool with_old_header)
{
	static const struct {
		const char *key, *value;
		int32_t flags;
	} e[] = {
		{"libfoo.so.1", "/opt/lib/libfoo.so.1", 0x0303},
		{"libfoo.so.1", "/opt/lib32/libfoo.so.1", 0x0003}, /* i386: not ours */
		{"libbar.so.2", "/usr/lib/libbar.so.2", 0x0303},
	};
	size_t hdr = 0, strings;
	uint32_t n = 3, len_strings = 0, zero = 0;

	memset(buf, 0, size);
	if (with_old_header) {
		memcpy(buf, "ld.so-1.7.0", 11);
		hdr = 16; /* an old table with no entries, then the new one */
	}
	memcpy(buf + hdr, "glibc-ld.so.cache1.1", 20);
	memcpy(buf + hdr + 20, &n, 4);
	strings = 48 + n * 24;
	for (uint32_t i = 0; i < n; i++) {
		char *ent = buf + hdr + 48 + i * 24;
		uint32_t k = strings + len_strings, v;

		strcpy(buf + hdr + k, e[i].key);
		len_strings += strlen(e[i].key) + 1;
		v = strings + len_strings;
		strcpy(buf + hdr + v, e[i].value);
		len_strings += strlen(e[i].value) + 1;
		memcpy(ent, &e[i].flags, 4);
		memcpy(ent + 4, &k, 4);
		memcpy(ent + 8, &v, 4);
		memcpy(ent + 12, &zero, 4);
	}
	memcpy(buf + hdr + 24, &len_strings, 4);
	return hdr + strings + len_strings;
}

static void check_ldcache(void)
{
	char buf[4096], path[256];
	size_t len;
	cleanup_free char *host = NULL;
	size_t hl;

	len = make_cache(buf, sizeof(buf), false);
	ok(og_ldcache_lookup(buf, len, "libfoo.so.1", path, sizeof(path)) == 0 &&
		   strcmp(path, "/opt/lib/libfoo.so.1") == 0,
	   "ld.so.cache: the x86-64 entry, not the i386 one (%s)", path);
	ok(og_ldcache_lookup(buf, len, "libbar.so.2", path, sizeof(path)) == 0, "ld.so.cache: second library");
	ok(og_ldcache_lookup(buf, len, "libnope.so", path, sizeof(path)) == -ENOENT, "ld.so.cache: absent");
	len = make_cache(buf, sizeof(buf), true);
	ok(og_ldcache_lookup(buf, len, "libbar.so.2", path, sizeof(path)) == 0, "ld.so.cache after an old table");
	ok(og_ldcache_lookup(buf, 30, "libbar.so.2", path, sizeof(path)) < 0, "truncated cache refused");
	ok(og_ldcache_lookup("garbage", 7, "libbar.so.2", path, sizeof(path)) == -EINVAL, "not a cache");
	/* An entry pointing past the end must not be read. */
	len = make_cache(buf, sizeof(buf), false);
	uint32_t far = 100000;
	memcpy(buf + 48 + 4, &far, 4);
	ok(og_ldcache_lookup(buf, len, "libfoo.so.1", path, sizeof(path)) == -ENOENT,
	   "an out-of-range string offset is skipped (and the i386 entry is still not taken)");
	if (og_read_file("/etc/ld.so.cache", 64 << 20, &host, &hl) == 0)
		ok(og_ldcache_lookup(host, hl, "libc.so.6", path, sizeof(path)) == 0 && access(path, R_OK) == 0,
		   "this host's ld.so.cache: libc.so.6 is %s", path);
}

static void check_escapes(void)
{
	cleanup_close int rfd = -1;
	char path[4096];
	int fd;

	dir("/etc");
	dir("/bin");
	dir("/lib");
	dir("/usr/lib");
	put("/etc/shadow", "image-shadow");
	put("/lib/libfoo.so.1", "foo");
	put("/bin/tool", "tool");
	link_("/etc/shadow", "/bin/abs");
	link_("../../../../../../../../etc/shadow", "/bin/dots");
	link_("/lib/libfoo.so.1", "/usr/lib/libbar.so.2");
	link_("/proc/self/root/etc/shadow", "/bin/magic");
	rfd = open(root, O_PATH | O_DIRECTORY);

	ok(og_root_open(rfd, "/bin/abs", &fd) == 0 && !strcmp(content(fd), "image-shadow"),
	   "an absolute symlink to /etc/shadow resolves inside the image");
	ok(og_root_open(rfd, "/bin/dots", &fd) == 0 && !strcmp(content(fd), "image-shadow"),
	   "a symlink climbing with .. stays inside the image");
	ok(og_root_open(rfd, "/../../../etc/shadow", &fd) == 0 && !strcmp(content(fd), "image-shadow"),
	   "a path with .. stays inside the image");
	ok(og_root_open(rfd, "/bin/magic", &fd) < 0, "a link through /proc/self/root finds nothing of the host");
	ok(og_root_find_library(rfd, "libfoo.so.1", path, sizeof(path), &fd) == 0 &&
		   !strcmp(path, "/lib/libfoo.so.1") && !strcmp(content(fd), "foo"),
	   "no ld.so.cache (musl images): the library directories");
	ok(og_root_find_library(rfd, "libbar.so.2", path, sizeof(path), &fd) == 0 && !strcmp(content(fd), "foo"),
	   "a library symlink followed inside the image");
	ok(og_root_find_library(rfd, "libnone.so", path, sizeof(path), &fd) == -ENOENT &&
		   strstr(og_errmsg(), "libnone.so"),
	   "a missing library is named");
	ok(og_root_find_library(rfd, "../etc/shadow", path, sizeof(path), &fd) == -EINVAL,
	   "a library name with '/' refused");
	ok(og_root_find_program(rfd, "tool", "/nope:/bin", path, sizeof(path), &fd) == 0 &&
		   !strcmp(path, "/bin/tool") && !strcmp(content(fd), "tool"),
	   "program found along the container's PATH");
	ok(og_root_find_program(rfd, "tool", "/usr/bin", path, sizeof(path), &fd) == -ENOENT,
	   "not along PATH: not found");
	ok(og_root_find_program(rfd, "/bin/abs", NULL, path, sizeof(path), &fd) == 0 &&
		   !strcmp(content(fd), "image-shadow"),
	   "args[0] with a '/' is resolved in the image too");
	ok(og_root_find_program(rfd, "/bin", NULL, path, sizeof(path), &fd) == -ENOEXEC, "a directory is no program");
}

static void check_overlay(void)
{
	char dirs[8][4096];
	size_t n;

	ok(og_overlay_layers("rw,lowerdir=/l1:/l2,upperdir=/u,workdir=/w", dirs, 8, &n) == 0 && n == 3 &&
		   !strcmp(dirs[0], "/u") && !strcmp(dirs[1], "/l1") && !strcmp(dirs[2], "/l2"),
	   "upper first, then the lower layers in order");
	ok(og_overlay_layers("ro,lowerdir=/a\\:b:/c", dirs, 8, &n) == 0 && n == 2 && !strcmp(dirs[0], "/a:b"),
	   "an escaped colon stays in the name; no upper");
	ok(og_overlay_layers("rw,lowerdir=/l1::/data", dirs, 8, &n) == 0 && n == 2 && !strcmp(dirs[1], "/data"),
	   "data-only layers after ::");
	ok(og_overlay_layers("rw,upperdir=/u", dirs, 8, &n) == -EINVAL, "no lowerdir refused");
}

static void check_conf(void)
{
	struct og_conf c;
	uint32_t f;
	char buf[64];

	og_conf_defaults(&c);
	ok(c.uprobes == 0 && c.ssl_plaintext == OG_CONF_DEFAULT_PLAINTEXT && !c.kstack &&
		   c.capture_bytes == OG_CAPTURE_DEFAULT,
	   "defaults: no uprobes, 256 bytes of each buffer");
	ok(og_conf_parse("# host defaults\n\nuprobes = malloc, gc\nssl-plaintext = 16 # bytes\nkstack=true\n", "t",
			 &c) == 0 &&
		   c.uprobes == (OG_FAM_MALLOC | OG_FAM_GC) && c.ssl_plaintext == 16 && c.kstack,
	   "a config file with comments and blank lines");
	ok(og_conf_parse("uprobes = malloc\nbogus = 1\n", "t.conf", &c) == -EINVAL && strstr(og_errmsg(), "t.conf:2"),
	   "an unknown key names its line");
	ok(og_conf_parse("uprobes\n", "t.conf", &c) == -EINVAL && strstr(og_errmsg(), "t.conf:1"), "no '='");
	ok(og_conf_set(&c, "ssl-plaintext", "off") == 0 && c.ssl_plaintext == 0, "ssl-plaintext off");
	ok(og_conf_set(&c, "ssl-plaintext", "5000") == -EINVAL, "ssl-plaintext above the capture size refused");
	ok(og_conf_set(&c, "capture-bytes", "1KiB") == 0 && c.capture_bytes == 1024, "capture-bytes with a unit");
	ok(og_conf_set(&c, "capture-bytes", "4097") == -EINVAL && strstr(og_errmsg(), "0 to 4096"),
	   "capture-bytes above 4096 refused: %s", og_errmsg());
	ok(og_conf_set(&c, "capture-bytes", "0") == 0 && c.capture_bytes == 0, "capture-bytes 0: lengths only");
	ok(og_conf_set(&c, "kstack", "maybe") == -EINVAL, "kstack needs a boolean");
	ok(og_conf_read("/nonexistent/oci-gadget.conf", &c) == 0, "a missing config file keeps the defaults");
	ok(og_uprobe_families_parse("none", &f) == 0 && f == 0, "none");
	ok(og_uprobe_families_parse("all", &f) == 0 && f == OG_FAM_ALL, "all");
	ok(og_uprobe_families_parse("ssl,exceptions", &f) == 0 && f == (OG_FAM_SSL | OG_FAM_EXCEPTIONS),
	   "ssl,exceptions");
	ok(og_uprobe_families_parse("malloc,kprobes", &f) == -EINVAL && strstr(og_errmsg(), "kprobes"),
	   "an unknown family is named");
	is_str(og_uprobe_families_name(OG_FAM_MALLOC | OG_FAM_EXCEPTIONS, buf, sizeof(buf)), "malloc,exceptions",
	       "families named back");
}

static void check_config_json(void)
{
	struct oci_config cfg;
	const char *good = "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"python3\",\"-c\",\"x\"],"
			   "\"env\":[\"HOME=/\",\"PATH=/usr/bin:/bin\"]}}";

	ok(oci_config_parse(good, strlen(good), "/b", &cfg) == 0 && !strcmp(cfg.root_path, "/b/rootfs") &&
		   !strcmp(cfg.arg0, "python3") && !strcmp(cfg.path_env, "/usr/bin:/bin"),
	   "config.json: root joined to the bundle, args[0], PATH");
	oci_config_free(&cfg);
	ok(oci_config_parse("{\"root\":{\"path\":\"/abs\"}}", 24, "/b", &cfg) == 0 && !strcmp(cfg.root_path, "/abs") &&
		   !cfg.arg0 && !cfg.path_env,
	   "config.json: absolute root, no process");
	oci_config_free(&cfg);
	ok(oci_config_parse("{\"process\":{}}", 14, "/b", &cfg) == -EINVAL && strstr(og_errmsg(), "root.path"),
	   "config.json without root.path refused");
	ok(oci_config_parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":\"sh\"}}", 45, "/b", &cfg) == -EINVAL,
	   "process.args not an array refused");
	ok(oci_config_parse("{\"root\":", 8, "/b", &cfg) < 0, "truncated JSON refused");
}

int main(void)
{
	snprintf(root, sizeof(root), "/tmp/og-test-resolve.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 1;
	}
	check_ldcache();
	check_escapes();
	check_overlay();
	check_conf();
	check_config_json();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	return tap_done();
}
