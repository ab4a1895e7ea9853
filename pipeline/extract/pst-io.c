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
 *	It also spares libpff a checksum it does not use.  libpff (20180714)
 *	computes the CRC-32 of every data block it reads, byte by byte through
 *	a table, and reads the blocks of a large property value twice (once
 *	to list them, once to copy them): a third of docpipe's time on a
 *	mailbox of attachments.  A data block whose CRC does not match is
 *	only flagged, a flag nothing reads ("TODO smart error handling" in
 *	libpff_data_block.c), and a stored CRC of 0 means "none": so in a
 *	Unicode PST the CRC field of each data block read is given to libpff
 *	as 0, and it skips the sum.  Pages of the B-trees (whose CRC libpff
 *	does check) and ANSI or 4 KiB-page files are left as they are.
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
	/* A Unicode PST: data blocks end with a 16-byte footer, CRC at -12. */
	gboolean unicode;
} MapIo;

/* A little-endian 16-bit value. */
static guint
le16(const guint8 *p)
{
	return (guint)p[0] | (guint)p[1] << 8;
}

/*
 * BUF, SIZE bytes read at OFFSET, when it is a whole data block of a
 * Unicode PST: its footer's CRC is made 0 (see above).  A data block is
 * 64 to 8192 bytes at a multiple of 64, and its footer's size (cb) leaves
 * 16 to 79 bytes for itself and the padding; a page of a B-tree (512
 * bytes) has its type twice (0x80 to 0x86) where a block has cb, which
 * makes cb at least 0x8080: too large for any block.
 */
static void
drop_block_crc(const MapIo *m, guint64 offset, uint8_t *buf, size_t size)
{
	if (!m->unicode || offset == 0 || offset % 64 != 0 || size < 64 || size > 8192 || size % 64 != 0)
		return;
	uint8_t *footer = buf + size - 16;
	guint cb = le16(footer);
	if (footer[0] == footer[1] && footer[0] >= 0x80 && footer[0] <= 0x86)
		return;
	if (cb > size - 16 || size - cb >= 80)
		return;
	memset(footer + 4, 0, 4);
}

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
	drop_block_crc(m, m->offset, buf, size);
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
	gint64 base = whence == SEEK_SET   ? 0
	              : whence == SEEK_CUR ? (gint64)m->offset
	              : whence == SEEK_END ? (gint64)m->len
	                                   : -1;
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
	/* The header: "!BDN", then wVer at 10: 23 is Unicode (14 and 15 ANSI, 36 4 KiB pages). */
	m->unicode = len >= 512 && memcmp(data, "!BDN", 4) == 0 && le16(data + 10) == 23;
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
