/*
 * fileio-test: a mapped input that shrinks while it is read.
 *
 * The file is mapped by dp_read_file, truncated, and then read past the
 * cut: without the SIGBUS handler of util/fileio.c this process would end
 * at the first touch of a lost page.  No timing is involved: the file is
 * truncated before the read, which is the outcome of any race.
 */
#include "util/exitcode.h"
#include "util/fileio.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "unit.h"

#include "util/banned.h"

/* A temporary file of N bytes of 'x'; its path, to be freed. */
static char *
make_file(gsize n)
{
	g_autoptr(GError) error = NULL;
	char *path = NULL;
	int fd = g_file_open_tmp("fileio-test-XXXXXX", &path, &error);
	g_assert_no_error(error);
	g_autofree char *buf = g_malloc(n);
	memset(buf, 'x', n);
	g_assert_cmpint(write(fd, buf, n), ==, (gssize)n);
	close(fd);
	return path;
}

static void
test_shrunk(void)
{
	gsize page = (gsize)sysconf(_SC_PAGESIZE), n = 4 * page;
	g_autofree char *path = make_file(n);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = dp_read_file(path, G_MAXUINT32, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(b), ==, n);
	g_assert_true(dp_bytes_check(b, path, &error));
	g_assert_cmpint(truncate(path, page), ==, 0);
	const guint8 *d = g_bytes_get_data(b, NULL);
	/* The page the file kept still reads; the lost ones read as zeros. */
	guint sum = 0;
	for (gsize i = 0; i < n; i++)
		sum += d[i] == 'x';
	g_assert_cmpuint(sum, ==, page);
	g_assert_cmpuint(d[n - 1], ==, 0);
	g_assert_false(dp_bytes_check(b, path, &error));
	g_assert_error(error, DP_ERROR, DP_EXIT_NOINPUT);
	g_assert_nonnull(strstr(error->message, path));
	g_assert_nonnull(strstr(error->message, "shrank"));
	unlink(path);
}

static void
test_intact(void)
{
	g_autofree char *path = make_file(10000);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) b = dp_read_file(path, G_MAXUINT32, &error);
	g_assert_no_error(error);
	const guint8 *d = g_bytes_get_data(b, NULL);
	g_assert_cmpuint(d[9999], ==, 'x');
	g_assert_true(dp_bytes_check(b, path, &error));
	/* Bytes not from dp_read_file are never "shrunk". */
	g_autoptr(GBytes) heap = g_bytes_new("abc", 3);
	g_assert_true(dp_bytes_check(heap, "heap", &error));
	unlink(path);
}

/* A fault outside any mapping of ours keeps the default action. */
static void
test_foreign(void)
{
	if (g_test_subprocess()) {
		gsize page = (gsize)sysconf(_SC_PAGESIZE);
		g_autofree char *path = make_file(2 * page);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) b = dp_read_file(path, G_MAXUINT32, &error); /* installs the handler */
		int fd = open(path, O_RDONLY);
		const volatile guint8 *m = mmap(NULL, 2 * page, PROT_READ, MAP_SHARED, fd, 0);
		g_assert_cmpint(ftruncate(open(path, O_WRONLY), 0), ==, 0);
		unlink(path);
		(void)m[page];
		return;
	}
	g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
	g_test_trap_assert_failed();
}

DP_UNIT_MAIN("fileio", test_shrunk, test_intact, test_foreign)
