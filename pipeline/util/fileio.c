/*
 * fileio.c: reading inputs with a size limit (mapped when they are regular
 * files), giving their pages back as they are walked, and checked stream
 * closing.
 *
 * dp_read_file() opens with O_NONBLOCK, so that a FIFO never blocks the
 * open, reads only a regular file, and refuses one larger than the limit
 * before reading a byte.  The mapping is private and read-only.  Inputs
 * may change while they are read (cron runs over a growing inbox): a file
 * truncated by another process meanwhile raises SIGBUS at the first touch
 * of a page it lost.  A handler catches that fault when it falls inside
 * one of our mappings, puts zero pages over the rest of the mapping so the
 * reader goes on, and marks the mapping; dp_bytes_check() then turns the
 * mark into a one-line error naming the file (DP_EXIT_NOINPUT).  A SIGBUS
 * anywhere else keeps its default action.
 */
#include "util/fileio.h"

#include "util/exitcode.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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
 * Inputs are read-only private mappings, listed in a fixed table that the
 * SIGBUS handler can search without a lock (it may interrupt a thread that
 * holds one).  A slot is claimed by setting its address last and released
 * by clearing it first, each with an atomic store.  The table also tells
 * dp_bytes_release() which GBytes are mappings (MADV_DONTNEED on a file
 * mapping re-reads the file on the next touch; on heap memory it would
 * zero it).  When the table is full, the file is read instead.
 */
#define MAX_MAPPINGS 64
#define CLAIMED ((gpointer)1)

typedef struct {
	gpointer addr; /* NULL: a free slot; CLAIMED: being filled */
	gsize len;
	volatile sig_atomic_t truncated;
} Mapping;

static Mapping maps[MAX_MAPPINGS];

static Mapping *
mapping_of(const void *addr)
{
	for (guint i = 0; i < MAX_MAPPINGS; i++)
		if (addr != NULL && g_atomic_pointer_get(&maps[i].addr) == addr)
			return &maps[i];
	return NULL;
}

/*
 * The fault of a page the file lost.  mmap() is not on POSIX's list of
 * async-signal-safe calls.  It is acceptable here because docpipe runs on
 * Linux only (seccomp, prctl), where glibc's and musl's mmap() is the bare
 * system call: no lock, no errno use we rely on (errno is saved and
 * restored below), no allocation, nothing of user space it could find
 * half-updated in the thread it interrupted.  The kernel replaces the
 * pages under MAP_FIXED atomically with respect to this thread, and the
 * handler reads only the lock-free table above.  Returning retries the
 * access, which now reads zeros; a fault outside our mappings gets the
 * default action back, so that the retry ends the process as it would
 * have without us.  The alternative, siglongjmp() out of every reader,
 * would need a jump buffer around each extractor's access to the bytes.
 */
/* The page size, read before the handler is installed: sysconf() is not async-signal-safe either. */
static gsize sigbus_page;

static void
on_sigbus(int sig, siginfo_t *info, void *uctx)
{
	(void)uctx;
	int saved_errno = errno;
	guint8 *a = info->si_addr;
	gsize page = sigbus_page;
	for (guint i = 0; i < MAX_MAPPINGS; i++) {
		guint8 *base = g_atomic_pointer_get(&maps[i].addr);
		if (base == NULL || base == CLAIMED || a < base || a >= base + maps[i].len)
			continue;
		guint8 *from = base + (gsize)(a - base) / page * page;
		gsize n = (gsize)(base + maps[i].len - from);
		if (mmap(from, n, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			break;
		maps[i].truncated = 1;
		errno = saved_errno;
		return;
	}
	signal(sig, SIG_DFL);
	errno = saved_errno;
}

static gpointer
install_handler(gpointer unused)
{
	(void)unused;
	sigbus_page = (gsize)sysconf(_SC_PAGESIZE);
	struct sigaction sa = { 0 };
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	return NULL;
}

static void
unmap_free(gpointer p)
{
	Mapping *m = p;
	void *addr = m->addr;
	g_atomic_pointer_set(&m->addr, NULL);
	munmap(addr, m->len);
}

static GBytes *
map_file(int fd, gsize len)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, install_handler, NULL);
	void *addr = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (addr == MAP_FAILED)
		return NULL;
	for (guint i = 0; i < MAX_MAPPINGS; i++) {
		Mapping *m = &maps[i];
		/* Claim with a placeholder, so no other thread takes the slot. */
		if (!g_atomic_pointer_compare_and_exchange(&m->addr, NULL, CLAIMED))
			continue;
		m->len = len;
		m->truncated = 0;
		g_atomic_pointer_set(&m->addr, addr);
		return g_bytes_new_with_free_func(addr, len, unmap_free, m);
	}
	munmap(addr, len);
	return NULL;
}

gboolean
dp_bytes_check(GBytes *bytes, const char *name, GError **error)
{
	Mapping *m = bytes ? mapping_of(g_bytes_get_data(bytes, NULL)) : NULL;
	if (m == NULL || !m->truncated)
		return TRUE;
	g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "cannot read '%s': it shrank while it was read", name);
	return FALSE;
}

void
dp_bytes_release(GBytes *bytes, gsize from, gsize upto)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(bytes, &len);
	if (mapping_of(d) == NULL)
		return;
	gsize page = (gsize)sysconf(_SC_PAGESIZE);
	gsize a = from / page * page, b = MIN(upto, len) / page * page;
	if (b > a)
		madvise((void *)(d + a), b - a, MADV_DONTNEED);
}

/*
 * TEST ONLY: DOCPIPE_FAULT=shrink:SUBSTRING cuts a mapped input whose path
 * holds SUBSTRING to half its size right after it is mapped, as another
 * process rewriting it would, so that what a shrunk input does to every
 * program that reads one (convert, the stages, run's workers) can be
 * tested without a race.  Other fault kinds are the workers' (batch/worker.c).
 */
static gboolean
fault_shrink(const char *path)
{
	const char *f = g_getenv("DOCPIPE_FAULT");
	if (f == NULL || !g_str_has_prefix(f, "shrink"))
		return FALSE;
	const char *sub = f + strlen("shrink");
	if (*sub == '\0')
		return TRUE;
	return *sub == ':' && strstr(path, sub + 1) != NULL;
}

/*
 * The identity one path must have when dp_read_file() opens it
 * (dp_read_file_expect()): set and read under a lock, since extractors
 * may read other files from other threads meanwhile.
 */
static GMutex expect_lock;
static char *expect_path;
static guint64 expect_dev, expect_ino;

void
dp_read_file_expect(const char *path, guint64 dev, guint64 ino)
{
	g_mutex_lock(&expect_lock);
	g_free(expect_path);
	expect_path = g_strdup(path);
	expect_dev = dev;
	expect_ino = ino;
	g_mutex_unlock(&expect_lock);
}

/*
 * Whether the file open as ST at PATH is the one expected there.  Checked
 * on the open descriptor, so that nothing can be swapped in after the
 * check: a link planted since the file was listed leads to another inode.
 */
static gboolean
identity_expected(const char *path, const struct stat *st)
{
	g_mutex_lock(&expect_lock);
	gboolean ok = expect_path == NULL || strcmp(path, expect_path) != 0 ||
	              ((guint64)st->st_dev == expect_dev && (guint64)st->st_ino == expect_ino);
	g_mutex_unlock(&expect_lock);
	return ok;
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
	if (!identity_expected(path, &st)) {
		g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT,
		            "cannot read '%s': " DP_ERROR_REPLACED " (by another file, or a link to one)", path);
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
	if (b != NULL && fault_shrink(path) && truncate(path, st.st_size / 2) != 0) {
		/* Test only: the test sees that the input did not shrink. */
	}
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
