/*
 * util.c: small helpers shared by the stages.
 */
#include "docpipe.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nettle/sha2.h>

GBytes *
dp_read_fd(int fd, const char *name, guint64 max, GError **error)
{
	GByteArray *buf = g_byte_array_new();
	guint8 chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "cannot read '%s': %s", name, g_strerror(e));
			g_byte_array_unref(buf);
			return NULL;
		}
		if (n == 0)
			break;
		if ((guint64)buf->len + (guint64)n > max) {
			g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "'%s' is larger than the input size limit (%" G_GUINT64_FORMAT " bytes)", name, max);
			g_byte_array_unref(buf);
			return NULL;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}
	return g_byte_array_free_to_bytes(buf);
}

/*
 * Inputs are read-only private mappings.  The table remembers which
 * GBytes are mappings, so that dp_bytes_release() can drop their pages
 * (MADV_DONTNEED on a file mapping re-reads the file on the next touch;
 * on heap memory it would zero it, hence the check).
 */
typedef struct {
	void *addr;
	gsize len;
} Mapping;

static GMutex maps_lock;
static GHashTable *maps; /* addr -> Mapping* */

static void
unmap_free(gpointer p)
{
	Mapping *m = p;
	g_mutex_lock(&maps_lock);
	g_hash_table_remove(maps, m->addr);
	g_mutex_unlock(&maps_lock);
	munmap(m->addr, m->len);
	g_free(m);
}

static GBytes *
map_file(int fd, gsize len)
{
	void *addr = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (addr == MAP_FAILED)
		return NULL;
	Mapping *m = g_new(Mapping, 1);
	m->addr = addr;
	m->len = len;
	g_mutex_lock(&maps_lock);
	if (maps == NULL)
		maps = g_hash_table_new(g_direct_hash, g_direct_equal);
	g_hash_table_insert(maps, addr, m);
	g_mutex_unlock(&maps_lock);
	return g_bytes_new_with_free_func(addr, len, unmap_free, m);
}

void
dp_bytes_release(GBytes *bytes, gsize from, gsize upto)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(bytes, &len);
	g_mutex_lock(&maps_lock);
	gboolean mapped = maps != NULL && d != NULL && g_hash_table_contains(maps, d);
	g_mutex_unlock(&maps_lock);
	if (!mapped)
		return;
	gsize page = (gsize)sysconf(_SC_PAGESIZE);
	gsize a = from / page * page, b = MIN(upto, len) / page * page;
	if (b > a)
		madvise((void *)(d + a), b - a, MADV_DONTNEED);
}

/*
 * SHA-256 comes from Nettle, not GLib's GChecksum: Nettle uses the CPU's
 * SHA instructions where there are some (about ten times GLib's portable
 * C), and every part of every input is hashed, so on a mailbox the hash
 * was a third of the whole run.  The hex digest is the same.
 */
static char *
sha256_hex_digest(struct sha256_ctx *sum)
{
	guint8 digest[SHA256_DIGEST_SIZE];
	sha256_digest(sum, sizeof digest, digest);
	static const char hex[] = "0123456789abcdef";
	char *out = g_malloc(2 * SHA256_DIGEST_SIZE + 1);
	for (guint i = 0; i < SHA256_DIGEST_SIZE; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[2 * SHA256_DIGEST_SIZE] = '\0';
	return out;
}

/*
 * read(), not mmap: outputs are mostly small.  Nettle, like the rest: with
 * GLib's portable SHA-256, hashing a mailbox's outputs (hundreds of
 * megabytes) was a sixth of a `docpipe run` over a 64 MiB mbox.
 */
char *
dp_sha256_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	struct sha256_ctx sum;
	sha256_init(&sum);
	guint8 buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return NULL;
		}
		sha256_update(&sum, (size_t)n, buf);
	}
	close(fd);
	return sha256_hex_digest(&sum);
}

char *
dp_sha256_bytes(GBytes *bytes)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(bytes, &len);
	struct sha256_ctx sum;
	sha256_init(&sum);
	/* In slices, giving pages back behind us: a 1 GiB input stays small. */
	const gsize step = 8 << 20;
	for (gsize off = 0; off < len; off += step) {
		gsize n = MIN(step, len - off);
		sha256_update(&sum, n, d + off);
		dp_bytes_release(bytes, off, off + n);
	}
	return sha256_hex_digest(&sum);
}

GBytes *
dp_read_file(const char *path, guint64 max, GError **error)
{
	/* O_NONBLOCK so that opening a FIFO never waits for a writer. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "cannot open '%s': %s", path, g_strerror(e));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "cannot read '%s': not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((guint64)st.st_size > max) {
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "'%s' is larger than the input size limit (%" G_GUINT64_FORMAT " bytes)", path, max);
		close(fd);
		return NULL;
	}
	GBytes *b = st.st_size > 0 ? map_file(fd, (gsize)st.st_size) : NULL;
	if (b == NULL) {
		int flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
		b = dp_read_fd(fd, path, max, error);
	}
	close(fd);
	return b;
}

char *
dp_sha256_hex(const void *data, gsize len)
{
	struct sha256_ctx sum;
	sha256_init(&sum);
	sha256_update(&sum, len, data);
	return sha256_hex_digest(&sum);
}

char *
dp_id_root(const char *sha256_hex)
{
	return g_strndup(sha256_hex, 16);
}

char *
dp_id_child(const char *parent_id, const char *path)
{
	/* Every part of a mailbox asks: Nettle, as for the content hashes. */
	struct sha256_ctx sum;
	sha256_init(&sum);
	sha256_update(&sum, strlen(parent_id) + 1, (const guint8 *)parent_id);
	sha256_update(&sum, strlen(path), (const guint8 *)path);
	char *hex = sha256_hex_digest(&sum);
	hex[16] = '\0';
	return hex;
}

static char *prgname;

void
dp_set_prgname(const char *argv0)
{
	g_free(prgname);
	prgname = g_path_get_basename(argv0);
	g_set_prgname(prgname);
}

void
dp_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", prgname ? prgname : "docpipe", msg);
}

gboolean
dp_close_stream(FILE *stream, const char *name, GError **error)
{
	gboolean bad = ferror(stream) != 0;
	if (fflush(stream) != 0)
		bad = TRUE;
	int e = errno;
	if (bad) {
		g_set_error(error, DP_ERROR, DP_EXIT_IOERR, "cannot write '%s': %s", name, g_strerror(e ? e : EIO));
		return FALSE;
	}
	return TRUE;
}

char *
dp_find_program(const char *self, const char *prog)
{
	if (self != NULL && strchr(self, '/') != NULL) {
		g_autofree char *dir = g_path_get_dirname(self);
		char *p = g_build_filename(dir, prog, NULL);
		if (g_file_test(p, G_FILE_TEST_IS_EXECUTABLE))
			return p;
		g_free(p);
	}
	return g_find_program_in_path(prog);
}
