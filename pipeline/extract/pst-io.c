/*
 * NAME
 *	pst-io.c: a libbfio handle that reads the mapped input in place, for
 *	libpff.
 *
 * DESCRIPTION
 *	libpff reads through libbfio.  libbfio's own memory range (Debian's
 *	20170123) copies whole blocks without clamping them to the range, so
 *	libpff reading a node near the end of a cut file read past the input.
 *	This handle is ours: a read that runs past the end gets the bytes
 *	there are and zeros after them (a block cut short then fails its
 *	checks in libpff, as a damaged one does), a read that starts at or
 *	past the end reads nothing, and nothing is copied: libpff reads the
 *	mapped input itself, whatever its size.
 *
 * SECURITY
 *	Every offset and size comes from the untrusted file through libpff:
 *	each is checked against the input's length before any byte is read.
 */
#include "extract/pst.h"

#include <string.h>

#include "util/banned.h"

typedef struct {
	const guint8 *data;
	gsize len;
	/* The read position; may be past the end, which reads nothing. */
	guint64 offset;
	gboolean open;
} MapIo;

static int
map_free(intptr_t **io, libbfio_error_t **error)
{
	(void)error;
	g_free(*io);
	*io = NULL;
	return 1;
}

static int
map_clone(intptr_t **dst, intptr_t *src, libbfio_error_t **error)
{
	(void)error;
	MapIo *copy = g_memdup2(src, sizeof(MapIo));
	copy->offset = 0;
	copy->open = FALSE;
	*dst = (intptr_t *)copy;
	return 1;
}

static int
map_open(intptr_t *io, int flags, libbfio_error_t **error)
{
	(void)error;
	/* Read only: the bytes are the caller's mapping. */
	if ((flags & LIBBFIO_ACCESS_FLAG_WRITE) != 0)
		return -1;
	((MapIo *)io)->open = TRUE;
	((MapIo *)io)->offset = 0;
	return 1;
}

static int
map_close(intptr_t *io, libbfio_error_t **error)
{
	(void)error;
	((MapIo *)io)->open = FALSE;
	return 0;
}

/* SIZE bytes at the offset: those of the input, zeros past its end. */
static ssize_t
map_read(intptr_t *io, uint8_t *buf, size_t size, libbfio_error_t **error)
{
	(void)error;
	MapIo *m = (MapIo *)io;
	if (!m->open || buf == NULL || size > (size_t)G_MAXSSIZE)
		return -1;
	if (m->offset >= m->len)
		return 0;
	gsize have = MIN((gsize)size, m->len - (gsize)m->offset);
	memcpy(buf, m->data + m->offset, have);
	memset(buf + have, 0, size - have);
	m->offset += size;
	return (ssize_t)size;
}

static ssize_t
map_write(intptr_t *io, const uint8_t *buf, size_t size, libbfio_error_t **error)
{
	(void)io, (void)buf, (void)size, (void)error;
	return -1;
}

static off64_t
map_seek(intptr_t *io, off64_t offset, int whence, libbfio_error_t **error)
{
	(void)error;
	MapIo *m = (MapIo *)io;
	gint64 base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (gint64)m->offset : whence == SEEK_END ? (gint64)m->len : -1;
	if (base < 0 || (offset > 0 && base > G_MAXINT64 - offset) || base + offset < 0)
		return -1;
	m->offset = (guint64)(base + offset);
	return (off64_t)m->offset;
}

static int
map_exists(intptr_t *io, libbfio_error_t **error)
{
	(void)io, (void)error;
	return 1;
}

static int
map_is_open(intptr_t *io, libbfio_error_t **error)
{
	(void)error;
	return ((MapIo *)io)->open ? 1 : 0;
}

static int
map_get_size(intptr_t *io, size64_t *size, libbfio_error_t **error)
{
	(void)error;
	*size = ((MapIo *)io)->len;
	return 1;
}

libbfio_handle_t *
dp_pst_io_new(const guint8 *data, gsize len)
{
	MapIo *m = g_new0(MapIo, 1);
	m->data = data;
	m->len = len;
	libbfio_handle_t *handle = NULL;
	libbfio_error_t *err = NULL;
	/* Managed: libbfio frees M with the handle (and each clone's copy). */
	if (libbfio_handle_initialize(&handle, (intptr_t *)m, map_free, map_clone, map_open, map_close, map_read,
	                              map_write, map_seek, map_exists, map_is_open, map_get_size,
	                              LIBBFIO_FLAG_IO_HANDLE_MANAGED | LIBBFIO_FLAG_IO_HANDLE_CLONE_BY_FUNCTION,
	                              &err) != 1) {
		libbfio_error_free(&err);
		g_free(m);
		return NULL;
	}
	return handle;
}
