/*
 * util.c: small helpers shared by the stages.
 */
#include "docpipe.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
	GMappedFile *mf = st.st_size > 0 ? g_mapped_file_new_from_fd(fd, FALSE, NULL) : NULL;
	GBytes *b;
	if (mf != NULL) {
		b = g_mapped_file_get_bytes(mf);
		g_mapped_file_unref(mf);
	} else {
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
	return g_compute_checksum_for_data(G_CHECKSUM_SHA256, data, len);
}

char *
dp_id_root(const char *sha256_hex)
{
	return g_strndup(sha256_hex, 16);
}

char *
dp_id_child(const char *parent_id, const char *path)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)parent_id, (gssize)strlen(parent_id) + 1);
	g_checksum_update(sum, (const guchar *)path, (gssize)strlen(path));
	return g_strndup(g_checksum_get_string(sum), 16);
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
