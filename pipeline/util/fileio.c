/*
 * fileio.c: reading inputs with a size limit (mapped when they are regular
 * files), giving their pages back as they are walked, and checked stream
 * closing.
 *
 * dp_read_file() opens with O_NONBLOCK, so that a FIFO never blocks the
 * open, reads only a regular file, and refuses one larger than the limit
 * before reading a byte.  The mapping is private and read-only, and the
 * inputs are assumed not to change while they are read: a file truncated
 * by another process meanwhile raises SIGBUS at the first touch of a page
 * it lost.  In the sandboxed child that is one failed input; in a process
 * that sniffs or hashes the input, the end of that process.
 */
#include "util/fileio.h"

#include "util/exitcode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/banned.h"

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
			g_set_error(error, DP_ERROR, DP_EXIT_DATAERR,
			            "'%s' is larger than the input size limit (%" G_GUINT64_FORMAT " bytes)", name,
			            max);
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
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR,
		            "'%s' is larger than the input size limit (%" G_GUINT64_FORMAT " bytes)", path, max);
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
