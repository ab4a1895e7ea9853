/*
 * ole.h: the OLE2 module's own interface (docpipe-ole.so): one reader per
 * format over a compound file libgsf has opened, and the helpers they
 * share.  extract/ole.c opens the file and names its type; ole-word.c,
 * ole-excel.c, ole-ppt.c and msg.c read it.
 */
#ifndef DOCPIPE_OLE_H
#define DOCPIPE_OLE_H

#include <glib.h>
#include <gsf/gsf.h>
#include "extract/extract.h"

/* libgsf declares no autoptr cleanups for its classes. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GsfInput, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GsfInfile, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GsfOutput, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GsfOutfile, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GsfDocMetaData, g_object_unref)

/* Little-endian integers at P (the caller has checked the bounds). */
static inline guint16
dp_le16(const guint8 *p)
{
	return (guint16)(p[0] | p[1] << 8);
}

static inline guint32
dp_le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/*
 * The stream NAME of the storage DIR, read whole; NULL when there is no
 * such stream.  A stream that declares more bytes than MAX (the compound
 * file's own size: no stream can be larger than the file holding it) or
 * that cannot be read gives NULL with *BAD set to a static reason.
 */
GBytes *dp_ole_stream(GsfInfile *dir, const char *name, gsize max, const char **bad);
/*
 * The stream NAME a document of the kind WHAT ("Word document") cannot be
 * read without, as dp_ole_stream() reads it; without it DOC is failed
 * (status error, "WHAT: the NAME stream is missing", or why it cannot be
 * read) and NULL returned.
 */
GBytes *dp_ole_main_stream(DpDoc *doc, GsfInfile *root, const char *name, const char *what, gsize max);
/* The stream S read whole, on the same terms as dp_ole_stream(). */
GBytes *dp_ole_input_bytes(GsfInput *s, gsize max, const char **bad);
/* Has the storage DIR a child (stream or storage) named NAME? */
gboolean dp_ole_has(GsfInfile *dir, const char *name);
/* Is IN a storage (rather than a stream)? */
gboolean dp_ole_is_storage(GsfInput *in);

/* Storages nested deeper than this are not copied out (dp_ole_storage_file). */
#define DP_OLE_COPY_DEPTH 16
/*
 * Nor storages of more children than this: libgsf's writer sorts each
 * storage's children as its reader does, in time quadratic in their
 * number (0.15 s for an attached message of 1,024 root entries, 0.7 s
 * for 2,048, 7 s for 4,096), and the copy is then opened again.
 */
#define DP_OLE_COPY_WIDTH 1024
/*
 * The storage DIR copied out into a compound file of its own (an attached
 * message, an embedded workbook), spending at most *BUDGET bytes of its
 * streams; NULL when the budget, DP_OLE_COPY_DEPTH or DP_OLE_COPY_WIDTH
 * runs out or a stream cannot be read.
 */
GBytes *dp_ole_storage_file(GsfInfile *dir, gsize *budget);

/*
 * Append N 8-bit characters at P to OUT as UTF-8: Windows-1252 when
 * CP1252 (Word's compressed pieces), else ISO 8859-1 (the high bytes of
 * UTF-16 left out: Excel's and PowerPoint's compressed strings).
 */
/* The Windows-1252 byte B as a character; 0 for the five bytes it leaves undefined. */
gunichar dp_ole_cp1252(guint8 b);
void dp_ole_append_8bit(GString *out, const guint8 *p, gsize n, gboolean cp1252);
/* Append N UTF-16LE code units at P to OUT; a lone surrogate becomes U+FFFD. */
void dp_ole_append_utf16(GString *out, const guint8 *p, gsize n);

/*
 * The readers.  Each sets DOC's text, or its status when the document
 * cannot be read (encrypted, damaged, over a limit); MAX is the compound
 * file's size.  FALSE only when output fails.
 */
gboolean dp_ole_word(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error);
gboolean dp_ole_excel(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error);
gboolean dp_ole_ppt(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error);
/*
 * The stream offsets of the current version's persist objects in the
 * PowerPoint Document stream P (N bytes), found through ROOT's Current
 * User stream (extract/ole-ppt.c): a set of offsets, or NULL when the
 * persist directory cannot be followed.  What a fast save superseded is
 * not in it.
 */
GHashTable *dp_ole_ppt_current(const guint8 *p, gsize n, GsfInfile *root, gsize max);
/*
 * The objects embedded in a Word document (its ObjectPool storage), an
 * Excel workbook (its MBD* storages) or a PowerPoint show (ExOleObjStg
 * records) as parts of DOC (extract/ole-embed.c);
 * DOC is emitted first when there are any.
 */
gboolean dp_ole_objects(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error);
/*
 * A compound file that is a bare embedded object (PowerPoint's, an OLE
 * object saved alone): its packaged file, Package or CONTENTS stream as
 * the part "object content".  *HANDLED is FALSE when ROOT is no such object.
 */
gboolean dp_ole_bare_object(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, gboolean *handled,
                            GError **error);
/*
 * The named properties of an Outlook message (extract/msg-nameid.c): the
 * map of its __nameid_version1.0 storage, and the id (0x8000 and up) a
 * name or a LID of a property set has in it, 0 when it has none.
 */
typedef struct DpMsgNames DpMsgNames;
extern const guint8 dp_ps_public_strings[16];
extern const guint8 dp_psetid_common[16];
DpMsgNames *dp_msg_names_read(GsfInfile *root, gsize max);
void dp_msg_names_free(DpMsgNames *names);
guint dp_msg_names_count(const DpMsgNames *names);
guint16 dp_msg_names_string(const DpMsgNames *names, const guint8 guid[16], const char *name);
guint16 dp_msg_names_lid(const DpMsgNames *names, const guint8 guid[16], guint32 lid);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DpMsgNames, dp_msg_names_free)

/* An Outlook message: DOC's record, then its attachments as parts. */
gboolean dp_ole_msg(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error);

#endif
