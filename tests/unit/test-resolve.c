// Finding files inside an image: escapes through symlinks and "..", FIFOs,
// oversized files, the ld.so.cache format (a crafted one too), PATH lookup,
// "#!" lines, the deadline, overlay mount options, oci-gadget.conf and
// config.json. Builds a small root in a temporary directory; no root
// privileges needed.
#include "config.h"
#include "og_conf.h"
#include "og_events.h"
#include "og_oci.h"
#include "og_resolve.h"
#include "og_ring.h"
#include "og_uprobe.h"
#include "og_util.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

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

/* A cache of n entries all pointing at one string of slen bytes: with a
 * scan per entry (the old lookup) this is n x slen work. */
static void check_crafted_cache(void)
{
	const uint32_t n = 65536, slen = 4000;
	size_t len = 48 + (size_t)n * 24 + slen + 1;
	char *buf = calloc(1, len), path[256];
	uint32_t str = 48 + n * 24;
	struct timespec t0, t1;

	memcpy(buf, "glibc-ld.so.cache1.1", 20);
	memcpy(buf + 20, &n, 4);
	memset(buf + str, 'x', slen);
	for (uint32_t i = 0; i < n; i++) {
		char *ent = buf + 48 + (size_t)i * 24;
		int32_t flags = 0x0303;

		memcpy(ent, &flags, 4);
		memcpy(ent + 4, &str, 4);
		memcpy(ent + 8, &str, 4);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int k = 0; k < 10; k++)
		og_ldcache_lookup(buf, len, "libssl.so.3", path, sizeof(path));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	ok(og_ldcache_lookup(buf, len, "libssl.so.3", path, sizeof(path)) == -ENOENT && ms < 500,
	   "65,536 entries at one 4,000-byte string: 10 lookups in %.1f ms (bounded by the name, not the string)", ms);
	memcpy(buf + 20, &(uint32_t){n + 1}, 4);
	ok(og_ldcache_lookup(buf, len, "libssl.so.3", path, sizeof(path)) == -EINVAL,
	   "more entries than the file holds or than are read: refused");
	free(buf);
}

static void check_escapes(void)
{
	struct og_image im;
	char path[4096], interp[256], arg[256];
	int fd;

	dir("/etc");
	dir("/bin");
	dir("/lib");
	dir("/usr/lib");
	dir("/usr/lib/jvm/bin");
	put("/etc/shadow", "image-shadow");
	put("/lib/libfoo.so.1", "foo");
	put("/bin/tool", "tool");
	put("/bin/script", "#!/usr/bin/env  python3 \nprint(1)\n");
	put("/bin/shscript", "#! /bin/sh -e\necho\n");
	put("/usr/lib/jvm/bin/java", "java");
	link_("/etc/shadow", "/bin/abs");
	link_("../../../../../../../../etc/shadow", "/bin/dots");
	link_("/lib/libfoo.so.1", "/usr/lib/libbar.so.2");
	link_("/proc/self/root/etc/shadow", "/bin/magic");
	link_("/usr/lib/jvm/bin/java", "/bin/java");
	{
		char p[512];

		snprintf(p, sizeof(p), "%s/lib/libfifo.so.1", root);
		ok(mkfifo(p, 0644) == 0, "a FIFO named like a library");
		snprintf(p, sizeof(p), "%s/lib/libbig.so.1", root);
		int bfd = open(p, O_WRONLY | O_CREAT, 0644);
		ok(bfd >= 0 && ftruncate(bfd, (off_t)OG_IMAGE_ELF_MAX + 1) == 0, "a sparse file over the ELF limit");
		close(bfd);
	}
	ok(og_image_open(&im, root, 0, 0) == 0 && !strcmp(im.view, "the bundle rootfs"), "image opened");

	ok(og_image_open_file(&im, "/bin/abs", 64, &fd) == 0 && !strcmp(content(fd), "image-shadow"),
	   "an absolute symlink to /etc/shadow resolves inside the image");
	ok(og_image_open_file(&im, "/bin/dots", 64, &fd) == 0 && !strcmp(content(fd), "image-shadow"),
	   "a symlink climbing with .. stays inside the image");
	ok(og_image_open_file(&im, "/../../../etc/shadow", 64, &fd) == 0 && !strcmp(content(fd), "image-shadow"),
	   "a path with .. stays inside the image");
	ok(og_image_open_file(&im, "/bin/magic", 64, &fd) < 0,
	   "a link through /proc/self/root finds nothing of the host");
	ok(og_image_open_file(&im, "/lib/libfifo.so.1", 64, &fd) == -EINVAL &&
		   strstr(og_errmsg(), "not a regular file"),
	   "a FIFO is refused without being opened (no block): %s", og_errmsg());
	ok(og_image_open_file(&im, "/lib/libbig.so.1", OG_IMAGE_ELF_MAX, &fd) == -EFBIG,
	   "a file over the limit refused: %s", og_errmsg());
	ok(og_image_open_file(&im, "/etc/shadow", 5, &fd) == -EFBIG, "the size limit is the caller's");
	ok(og_image_find_library(&im, "libfoo.so.1", path, sizeof(path), &fd) == 0 &&
		   !strcmp(path, "/lib/libfoo.so.1") && !strcmp(content(fd), "foo"),
	   "no ld.so.cache (musl images): the library directories");
	ok(og_image_find_library(&im, "libbar.so.2", path, sizeof(path), &fd) == 0 && !strcmp(content(fd), "foo"),
	   "a library symlink followed inside the image");
	ok(og_image_find_library(&im, "libfifo.so.1", path, sizeof(path), &fd) == -ENOENT, "a FIFO is not a library");
	ok(og_image_find_library(&im, "libnone.so", path, sizeof(path), &fd) == -ENOENT &&
		   strstr(og_errmsg(), "libnone.so"),
	   "a missing library is named");
	ok(og_image_find_library(&im, "../etc/shadow", path, sizeof(path), &fd) == -EINVAL,
	   "a library name with '/' refused");
	ok(og_image_find_program(&im, "tool", "/nope:/bin", path, sizeof(path), &fd) == 0 &&
		   !strcmp(path, "/bin/tool") && !strcmp(content(fd), "tool"),
	   "program found along the container's PATH");
	ok(og_image_find_program(&im, "tool", "/usr/bin", path, sizeof(path), &fd) == -ENOENT,
	   "not along PATH: not found");
	ok(og_image_find_program(&im, "/bin/abs", NULL, path, sizeof(path), &fd) == 0 &&
		   !strcmp(content(fd), "image-shadow"),
	   "args[0] with a '/' is resolved in the image too");
	ok(og_image_find_program(&im, "/bin", NULL, path, sizeof(path), &fd) == -EINVAL, "a directory is no program");

	ok(og_image_find_program(&im, "java", "/bin", path, sizeof(path), &fd) == 0 &&
		   og_image_path_of(&im, fd, path, sizeof(path)) == 0 && !strcmp(path, "/usr/lib/jvm/bin/java"),
	   "the real path of /bin/java in the image: %s", path);
	close(fd);
	ok(og_image_open_file(&im, "/bin/script", 64, &fd) == 0 &&
		   og_script_interpreter(fd, interp, sizeof(interp), arg, sizeof(arg)) == 0 &&
		   !strcmp(interp, "/usr/bin/env") && !strcmp(arg, "python3"),
	   "#!/usr/bin/env python3: env and its argument (%s %s)", interp, arg);
	close(fd);
	ok(og_image_open_file(&im, "/bin/shscript", 64, &fd) == 0 &&
		   og_script_interpreter(fd, interp, sizeof(interp), arg, sizeof(arg)) == 0 &&
		   !strcmp(interp, "/bin/sh") && !strcmp(arg, "-e"),
	   "#! /bin/sh -e");
	close(fd);
	ok(og_image_open_file(&im, "/bin/tool", 64, &fd) == 0 &&
		   og_script_interpreter(fd, interp, sizeof(interp), arg, sizeof(arg)) == -ENOEXEC,
	   "not a script");
	close(fd);
	og_image_close(&im);

	/* A passed deadline stops every lookup. */
	ok(og_image_open(&im, root, 0, 1) == 0, "image with a 1 ms deadline");
	usleep(5000);
	ok(og_image_expired(&im) && og_image_open_file(&im, "/bin/tool", 64, &fd) == -ETIMEDOUT,
	   "past the deadline nothing more is opened");
	og_image_close(&im);
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
		   c.capture_bytes == OG_CAPTURE_DEFAULT && c.uprobe_deadline_ms == OG_IMAGE_DEADLINE_MS &&
		   !c.uprobe_paths[0],
	   "defaults: no uprobes, 256 bytes of each buffer, 2 s of discovery, no explicit paths");
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
	{
		struct og_ring_owner w = {};

		og_conf_defaults(&c);
		og_conf_ring_owner(&c, &w);
		ok(c.capture_paths && w.capture_bytes == OG_CAPTURE_DEFAULT && !(w.flags & OG_RING_F_NO_BYTES) &&
			   !(w.flags & OG_RING_F_NO_PATHS),
		   "defaults: 256 bytes of buffers, argv and paths kept");
		ok(og_conf_set(&c, "uprobes", "ssl") == 0 && og_conf_set(&c, "capture-bytes", "off") == 0,
		   "capture-bytes off");
		og_conf_ring_owner(&c, &w);
		ok(w.capture_bytes == 0 && (w.flags & OG_RING_F_NO_BYTES) && w.plaintext_max == 0 &&
			   !(w.flags & OG_RING_F_NO_PATHS),
		   "capture-bytes off: no buffer bytes, no argv, no TLS plaintext; paths kept");
		ok(og_conf_set(&c, "capture-paths", "off") == 0 && !c.capture_paths &&
			   og_conf_set(&c, "capture-paths", "maybe") == -EINVAL,
		   "capture-paths off; not a boolean refused");
		og_conf_ring_owner(&c, &w);
		ok(w.flags & OG_RING_F_NO_PATHS, "capture-paths off: the ring says so");
		ok(og_conf_set(&c, "capture-paths", "true") == 0 && c.capture_paths, "capture-paths true");
	}
	ok(og_conf_set(&c, "kstack", "maybe") == -EINVAL, "kstack needs a boolean");
	og_conf_defaults(&c);
	ok(c.ring_size_max == 64ULL << 20 && c.ring_memory_max == 256ULL << 20,
	   "ring limits default to 64 MiB a ring, 256 MiB in all");
	ok(og_conf_set(&c, "ring-size-max", "8MiB") == 0 && c.ring_size_max == 8ULL << 20, "ring-size-max 8MiB");
	ok(og_conf_set(&c, "ring-size-max", "1GiB") == -EINVAL && strstr(og_errmsg(), "64 KiB to 256 MiB"),
	   "ring-size-max past the largest ring refused: %s", og_errmsg());
	ok(og_conf_set(&c, "ring-memory-max", "2GiB") == 0 && c.ring_memory_max == 2ULL << 30, "ring-memory-max 2GiB");
	ok(og_conf_set(&c, "ring-memory-max", "64KiB") == -EINVAL &&
		   og_conf_set(&c, "ring-memory-max", "lots") == -EINVAL,
	   "ring-memory-max below 1 MiB or not a size refused");
	ok(og_conf_set(&c, "uprobe-paths", "/app/server, /opt/lib/libfoo.so") == 0 &&
		   og_conf_set(&c, "uprobe-paths", "/srv/x") == 0 &&
		   !strcmp(c.uprobe_paths, "/app/server,/opt/lib/libfoo.so,/srv/x"),
	   "uprobe-paths: the host's list, then the annotation's (%s)", c.uprobe_paths);
	ok(og_conf_set(&c, "uprobe-paths", "app/server") == -EINVAL, "uprobe-paths: relative refused");
	ok(og_conf_set(&c, "uprobe-deadline", "500ms") == 0 && c.uprobe_deadline_ms == 500 &&
		   og_conf_set(&c, "uprobe-deadline", "3") == 0 && c.uprobe_deadline_ms == 3000 &&
		   og_conf_set(&c, "uprobe-deadline", "2m") == -EINVAL,
	   "uprobe-deadline: 500ms, 3 (seconds); 2m is more than 60 s");
	ok(c.uprobe_linger_s == 60, "uprobe-linger: 60 s by default");
	ok(og_conf_set(&c, "uprobe-linger", "0") == 0 && c.uprobe_linger_s == 0 &&
		   og_conf_set(&c, "uprobe-linger", "1500ms") == 0 && c.uprobe_linger_s == 2 &&
		   og_conf_set(&c, "uprobe-linger", "10m") == 0 && c.uprobe_linger_s == 600,
	   "uprobe-linger: 0, 1500ms (rounded up to 2 s), 10m");
	ok(og_conf_set(&c, "uprobe-linger", "11m") == -EINVAL && strstr(og_errmsg(), "0 to 600s"),
	   "uprobe-linger above 10 minutes refused: %s", og_errmsg());
	ok(og_conf_read("/nonexistent/oci-gadget.conf", &c) == 0, "a missing config file keeps the defaults");
	ok(og_families_parse("none", &f) == 0 && f == 0, "none");
	ok(og_families_parse("all", &f) == 0 && f == OG_FAM_ALL, "all");
	ok(og_families_parse("ssl,exceptions", &f) == 0 && f == (OG_FAM_SSL | OG_FAM_EXCEPTIONS), "ssl,exceptions");
	ok(og_families_parse("malloc,kprobes", &f) == -EINVAL && strstr(og_errmsg(), "kprobes"),
	   "an unknown family is named");
	is_str(og_families_name(OG_FAM_MALLOC | OG_FAM_EXCEPTIONS, buf, sizeof(buf)), "malloc,exceptions",
	       "families named back");
}

static void check_config_json(void)
{
	struct oci_config cfg;
	const char *good = "{\"root\":{\"path\":\"rootfs\"},\"process\":{\"args\":[\"python3\",\"-c\",\"x\"],"
			   "\"cwd\":\"/srv/app\",\"env\":[\"HOME=/\",\"PATH=/usr/bin:/bin\",\"JAVA_HOME=/opt/jdk\"]}}";

	ok(oci_config_parse(good, strlen(good), "/b", &cfg) == 0 && !strcmp(cfg.root_path, "/b/rootfs") &&
		   !strcmp(cfg.arg0, "python3") && !strcmp(cfg.path_env, "/usr/bin:/bin") &&
		   !strcmp(cfg.java_home, "/opt/jdk") && !strcmp(cfg.cwd, "/srv/app"),
	   "config.json: root joined to the bundle, args[0], cwd, PATH, JAVA_HOME");
	oci_config_free(&cfg);
	ok(oci_config_parse("{\"root\":{\"path\":\"/abs\"}}", 24, "/b", &cfg) == 0 && !strcmp(cfg.root_path, "/abs") &&
		   !cfg.arg0 && !cfg.path_env && !cfg.cwd,
	   "config.json: absolute root, no process");
	oci_config_free(&cfg);
	ok(oci_config_parse("{\"process\":{}}", 14, "/b", &cfg) == -EINVAL && strstr(og_errmsg(), "root.path"),
	   "config.json without root.path refused");
	ok(oci_config_parse("{\"root\":{\"path\":\"r\"},\"process\":{\"args\":\"sh\"}}", 45, "/b", &cfg) == -EINVAL,
	   "process.args not an array refused");
	ok(oci_config_parse("{\"root\":{\"path\":\"r\"},\"process\":{\"cwd\":7}}", 41, "/b", &cfg) == -EINVAL &&
		   strstr(og_errmsg(), "process.cwd"),
	   "process.cwd not a string refused");
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
	check_crafted_cache();
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
