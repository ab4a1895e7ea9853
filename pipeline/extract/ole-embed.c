/*
 * NAME
 *	ole-embed.c - objects embedded in legacy Word, Excel and PowerPoint
 *	files, as parts ([MS-OLEDS], [MS-DOC] 2.1.8 ObjectPool, [MS-XLS]
 *	2.1.7.7, [MS-PPT] ExOleObjStg)
 *
 * DESCRIPTION
 *	Word keeps each embedded object in a storage _NNNN of the root's
 *	ObjectPool storage; Excel keeps each in a root storage MBDxxxxxxxx.
 *	The storage holds the object as its server wrote it, and each
 *	becomes a part "object NAME" (NAME the storage's name) read through
 *	the same dispatch as any file:
 *	  \001Ole10Native  a packaged file (Packager): the header names the
 *	                   file (meta.filename) and gives its bytes
 *	  Package          an Office Open XML file (DOCX, XLSX, PPTX)
 *	  CONTENTS         the object's own file (a PDF from Acrobat)
 *	  anything else    the storage itself is a compound file (an
 *	                   embedded Excel sheet, Word document, PowerPoint
 *	                   show): it is copied out into a compound file of
 *	                   its own (dp_ole_storage_file) and read as one
 *	A storage holding only OLE's own streams but the packaged file
 *	(names starting with \001, \002 or \003: the class, the link, the
 *	picture shown in place) has no data of its own, a link or a picture: it is not a
 *	part.
 *
 *	PowerPoint keeps each object's storage as a compound file of its
 *	own in an ExOleObjStg record of the PowerPoint Document stream,
 *	deflated (zlib) when its instance is 1: each is a part "object N"
 *	in stream order, but only the versions the persist directory
 *	points at (dp_ole_ppt_current(): an older version of an object
 *	that a fast save left in the stream is not read, unless the
 *	directory cannot be followed); one whose compound file holds no
 *	entries of its own data (PowerPoint writes empty ones) is no part.
 *	A compound file that is itself a bare object (its root holds \001Ole10Native, Package or CONTENTS
 *	and no document) is read by dp_ole_bare_object().
 *
 * SECURITY
 *	Every stream and header is untrusted.  Streams are read through
 *	dp_ole_stream(), never larger than the file.  The packaged file's
 *	header is walked with every string and length checked against the
 *	bytes left; a header that does not fit makes the part status
 *	"error".  The limits of a zip's entries hold: at most [zip]
 *	max-entries objects, and all objects together at most the
 *	container's own size in bytes (an object lies inside its container;
 *	more means streams sharing sectors), and at most [zip]
 *	max-total-size: past either the part has status "limit".  Copying a
 *	storage stops at DP_OLE_COPY_DEPTH levels.  A deflated PowerPoint
 *	object is inflated into a buffer of the size it declares, once that
 *	size passes what [zip] max-total-size leaves for all of them and,
 *	past 1 MiB, [zip] max-ratio to the compressed bytes: zlib never writes past the buffer, and output of
 *	another size than declared is status "error".  Parts count against
 *	[limits] max-children and nest within max-depth (an embedded
 *	workbook with objects of its own is read one level down), through
 *	dp_doc_child().
 */
#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "core/text.h"
#include "extract/extract.h"
#include "extract/ole.h"
#include "util/exitcode.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <string.h>
#include <zlib.h>

#include "util/banned.h"

/* Storages looked at in one container, at most (whatever [zip] max-entries says). */
#define MAX_OBJECTS 4096
/* PowerPoint's ExOleObjStg record: an object's storage as a compound file, maybe deflated. */
#define RT_EX_OLE_OBJ_STG 0x1011
/* The [zip] max-ratio holds once an object inflates past this, as for a zip's entries. */
#define RATIO_MIN_SIZE (1u << 20)

typedef struct {
	DpExtractCtx *ctx;
	DpDoc *doc;
	gsize max;
	/* Bytes all objects may still take of the file (an object lies inside its container). */
	gsize budget;
	/* Bytes that deflated objects may still inflate to ([zip] max-total-size). */
	guint64 inflate_left;
	guint64 max_entries, max_ratio;
	guint n;
	gboolean emitted;
} Objects;

/* A name from the file made safe for a path or metadata: one line, no control characters. */
static char *
clean_name(const char *name)
{
	g_autoptr(GString) s = g_string_new(NULL);
	for (const char *p = name; *p != '\0'; p++)
		g_string_append_c(s, (guchar)*p < 0x20 ? '?' : *p);
	g_autofree char *valid = g_utf8_make_valid(s->str, (gssize)s->len);
	return dp_text_one_line(valid);
}

/* An 8-bit string (the packager's, in the system's code page) as UTF-8, one line. */
static char *
ansi_name(const guint8 *p, gsize n)
{
	g_autoptr(GString) s = g_string_new(NULL);
	dp_ole_append_8bit(s, p, n, TRUE);
	return clean_name(s->str);
}

/* A NUL-ended string at *POS of P (N bytes); FALSE when it runs past the end. */
static gboolean
take_z(const guint8 *p, gsize n, gsize *pos, const guint8 **s, gsize *len)
{
	const guint8 *end = *pos < n ? memchr(p + *pos, 0, n - *pos) : NULL;
	if (end == NULL)
		return FALSE;
	*s = p + *pos;
	*len = (gsize)(end - *s);
	*pos += *len + 1;
	return TRUE;
}

/*
 * The packaged file of an \001Ole10Native stream: its total size (u32),
 * flags (u16), label and source path (NUL-ended 8-bit strings), two u16s,
 * the temporary path (u32 length, then bytes), the data (u32 size, then
 * bytes).  NULL with *WHY when the header does not fit the stream.
 */
static GBytes *
packaged_file(GBytes *stream, char **name, const char **why)
{
	gsize n;
	const guint8 *p = g_bytes_get_data(stream, &n);
	gsize pos = 6;
	const guint8 *label, *path;
	gsize label_len, path_len;
	*why = "its packaged file's header does not fit the stream";
	if (n < pos || !take_z(p, n, &pos, &label, &label_len) || !take_z(p, n, &pos, &path, &path_len))
		return NULL;
	if (n - pos < 8)
		return NULL;
	guint32 temp_len = dp_le32(p + pos + 4);
	pos += 8;
	if (temp_len > n - pos || n - pos - temp_len < 4)
		return NULL;
	pos += temp_len;
	guint32 size = dp_le32(p + pos);
	pos += 4;
	if (size > n - pos)
		return NULL;
	/* The label is the file's name; an empty one leaves the last component of its path. */
	if (label_len > 0) {
		*name = ansi_name(label, label_len);
	} else {
		gsize start = path_len;
		while (start > 0 && path[start - 1] != '\\' && path[start - 1] != '/')
			start--;
		*name = ansi_name(path + start, path_len - start);
	}
	return g_bytes_new_from_bytes(stream, pos, size);
}

/*
 * Has the storage S a packaged file, or any entry besides OLE's own
 * (\001CompObj, \002OlePres000, \003ObjInfo, ...)?
 */
static gboolean
has_own_data(GsfInfile *s)
{
	if (dp_ole_has(s, "\001Ole10Native"))
		return TRUE;
	int n = gsf_infile_num_children(s);
	for (int i = 0; i < n; i++) {
		const char *name = gsf_infile_name_by_index(s, i);
		if (name != NULL && (guchar)name[0] > 3)
			return TRUE;
	}
	return FALSE;
}

/*
 * Has the compound file B entries of its own data?  PowerPoint writes an
 * empty storage for some objects (a link, a picture alone): no part,
 * as for Word's and Excel's.  A file libgsf cannot open is a part, so
 * that the dispatch says what is wrong with it.
 */
static gboolean
file_has_data(GBytes *b)
{
	gsize n;
	const guint8 *d = g_bytes_get_data(b, &n);
	g_autoptr(GsfInput) in = gsf_input_memory_new(d, (gsf_off_t)n, FALSE);
	g_autoptr(GsfInfile) root = in ? gsf_infile_msole_new(in, NULL) : NULL;
	return root == NULL || has_own_data(root);
}

/* Emit DOC before its first part. */
static gboolean
ensure_emitted(Objects *o, GError **error)
{
	if (o->emitted)
		return TRUE;
	o->emitted = TRUE;
	return dp_doc_emit(o->ctx, o->doc, error);
}

/*
 * The object's bytes: the stream a packaged file, Package or CONTENTS
 * gives, else the storage as a compound file.  NULL with *STATUS and
 * *WHY (static) when it cannot be had; *NAME the packaged file's name.
 */
static GBytes *
object_bytes(Objects *o, GsfInfile *s, char **name, const char **type, const char **status, const char **why)
{
	static const char *const streams[] = { "\001Ole10Native", "Package", "CONTENTS" };
	*status = DP_STATUS_ERROR;
	for (guint i = 0; i < G_N_ELEMENTS(streams); i++) {
		if (!dp_ole_has(s, streams[i]))
			continue;
		const char *bad = "cannot be read";
		g_autoptr(GBytes) data = dp_ole_stream(s, streams[i], o->max, &bad);
		if (data == NULL) {
			*why = bad;
			return NULL;
		}
		if (i == 0)
			return packaged_file(data, name, why);
		return g_steal_pointer(&data);
	}
	*type = DP_TYPE_OLE2;
	gsize budget = o->budget;
	GBytes *file = dp_ole_storage_file(s, &budget);
	if (file == NULL) {
		*status = DP_STATUS_LIMIT;
		*why = "the object's storage is larger or deeper than its container allows";
	}
	return file;
}

/* The object in storage S (named NAME) as a part. */
static gboolean
read_object(Objects *o, GsfInfile *s, const char *name, GError **error)
{
	if (!has_own_data(s))
		return TRUE;
	if (!ensure_emitted(o, error))
		return FALSE;
	o->n++;
	g_autofree char *clean = clean_name(name);
	g_autofree char *path = g_strdup_printf("object %s", clean);
	g_autofree char *filename = NULL;
	const char *type = NULL, *status = DP_STATUS_ERROR, *why = "cannot be read";
	if (o->max_entries > 0 && o->n > o->max_entries)
		return dp_doc_child_problem(o->ctx, o->doc, path, NULL, NULL, DP_STATUS_LIMIT, error,
		                            "more than %" G_GUINT64_FORMAT " embedded objects ([zip] max-entries)",
		                            o->max_entries);
	g_autoptr(GBytes) data = object_bytes(o, s, &filename, &type, &status, &why);
	const char *meta[] = { "meta.filename", filename, NULL };
	if (data == NULL)
		return dp_doc_child_problem(o->ctx, o->doc, path, type, meta, status, error, "embedded object: %s",
		                            why);
	gsize size = g_bytes_get_size(data);
	if (size > o->budget)
		return dp_doc_child_problem(o->ctx, o->doc, path, type, meta, DP_STATUS_LIMIT, error,
		                            "embedded objects larger in all than their container allows");
	o->budget -= size;
	return dp_doc_child(o->ctx, o->doc, path, type, data, meta, error);
}

static gint
compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every storage of DIR whose name starts with PREFIX, as an object; in name order. */
static gboolean
read_objects(Objects *o, GsfInfile *dir, const char *prefix, GError **error)
{
	int n = gsf_infile_num_children(dir);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; i < n && names->len < MAX_OBJECTS; i++) {
		const char *name = gsf_infile_name_by_index(dir, i);
		if (name != NULL && g_str_has_prefix(name, prefix))
			g_ptr_array_add(names, g_strdup(name));
	}
	/* The directory's order is the file's red-black tree: sorted, the parts' order is the names'. */
	g_ptr_array_sort(names, compare_names);
	for (guint i = 0; i < names->len; i++) {
		if (o->ctx->max_children > 0 && o->ctx->n_children > o->ctx->max_children)
			break;
		g_autoptr(GsfInput) in = gsf_infile_child_by_name(dir, names->pdata[i]);
		if (in == NULL || !dp_ole_is_storage(in))
			continue;
		if (!read_object(o, GSF_INFILE(in), names->pdata[i], error))
			return FALSE;
	}
	return TRUE;
}

/*
 * An ExOleObjStg record's data P (N bytes): instance 0 the compound file
 * as is, instance 1 its size (u32) then the file deflated with zlib.
 * NULL with *STATUS and *WHY when it cannot be had within the limits.
 */
static GBytes *
ppt_object_bytes(Objects *o, const guint8 *p, gsize n, guint inst, const char **status, const char **why)
{
	*status = DP_STATUS_LIMIT;
	if (inst == 0) {
		if (n > o->budget) {
			*why = "embedded objects larger in all than their container allows";
			return NULL;
		}
		return g_bytes_new(p, n);
	}
	if (n < 4) {
		*status = DP_STATUS_ERROR;
		*why = "a compressed object without its size";
		return NULL;
	}
	guint32 size = dp_le32(p);
	if (n > o->budget || size > o->inflate_left) {
		*why = "the object inflates to more than [zip] max-total-size allows";
		return NULL;
	}
	if (size > RATIO_MIN_SIZE && o->max_ratio > 0 && size / MAX(n - 4, (gsize)1) > o->max_ratio) {
		*why = "the object inflates more than [zip] max-ratio allows";
		return NULL;
	}
	/* The declared size is the output buffer: zlib never writes past it, whatever the stream says. */
	guint8 *out = g_malloc(size > 0 ? size : 1);
	z_stream z = { 0 };
	int rc = inflateInit(&z);
	if (rc == Z_OK) {
		z.next_in = (Bytef *)(p + 4);
		z.avail_in = (uInt)MIN(n - 4, (gsize)G_MAXUINT32);
		z.next_out = out;
		z.avail_out = size;
		rc = inflate(&z, Z_FINISH);
		inflateEnd(&z);
	}
	if (rc != Z_STREAM_END || z.total_out != size) {
		g_free(out);
		*status = DP_STATUS_ERROR;
		*why = "its compressed data is damaged, or not the size it declares";
		return NULL;
	}
	return g_bytes_new_take(out, size);
}

/*
 * PowerPoint's embedded objects: every ExOleObjStg record among the top
 * records of the PowerPoint Document stream, in stream order, as a part
 * "object N" (a compound file, read through the dispatch); when the
 * persist directory can be followed, only those it points at (the
 * current versions).
 */
static gboolean
ppt_objects(Objects *o, GsfInfile *root, GError **error)
{
	const char *bad = NULL;
	g_autoptr(GBytes) stream = dp_ole_stream(root, "PowerPoint Document", o->max, &bad);
	gsize n = 0;
	const guint8 *p = stream ? g_bytes_get_data(stream, &n) : NULL;
	/* A fast save leaves older versions of an object in the stream: only the current ones are read. */
	g_autoptr(GHashTable) current = p != NULL ? dp_ole_ppt_current(p, n, root, o->max) : NULL;
	guint k = 0;
	for (gsize pos = 0; p != NULL && n - pos >= 8 && k < MAX_OBJECTS;) {
		guint16 verinst = dp_le16(p + pos), type = dp_le16(p + pos + 2);
		guint32 len = dp_le32(p + pos + 4);
		if (len > n - pos - 8)
			break;
		const guint8 *d = p + pos + 8;
		gpointer at = GSIZE_TO_POINTER(pos);
		pos += 8 + (gsize)len;
		if (type != RT_EX_OLE_OBJ_STG || (current != NULL && !g_hash_table_contains(current, at)))
			continue;
		if (o->ctx->max_children > 0 && o->ctx->n_children > o->ctx->max_children)
			break;
		g_autofree char *path = g_strdup_printf("object %u", ++k);
		o->n++;
		if (o->max_entries > 0 && o->n > o->max_entries) {
			if (!ensure_emitted(o, error) ||
			    !dp_doc_child_problem(
			        o->ctx, o->doc, path, NULL, NULL, DP_STATUS_LIMIT, error,
			        "more than %" G_GUINT64_FORMAT " embedded objects ([zip] max-entries)", o->max_entries))
				return FALSE;
			continue;
		}
		const char *status = NULL, *why = NULL;
		g_autoptr(GBytes) data = ppt_object_bytes(o, d, len, verinst >> 4, &status, &why);
		if (data != NULL && !file_has_data(data))
			continue;
		if (!ensure_emitted(o, error))
			return FALSE;
		gboolean ok;
		if (data == NULL) {
			ok = dp_doc_child_problem(o->ctx, o->doc, path, DP_TYPE_OLE2, NULL, status, error,
			                          "embedded object: %s", why);
		} else {
			/* The record's bytes are of the file; what they inflate to counts against max-total-size. */
			o->budget -= len;
			if (verinst >> 4)
				o->inflate_left -= g_bytes_get_size(data);
			ok = dp_doc_child(o->ctx, o->doc, path, DP_TYPE_OLE2, data, NULL, error);
		}
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

/* The limits on DOC's objects, from [zip]; encrypted documents have none to read (FALSE). */
static gboolean
objects_init(Objects *o, DpExtractCtx *ctx, DpDoc *doc, gsize max)
{
	const char *status = dp_record_get(doc->rec, DP_F_STATUS);
	if (status != NULL && g_str_equal(status, DP_STATUS_ENCRYPTED))
		return FALSE;
	guint64 total = (guint64)dp_config_get_size(ctx->cfg, "zip", "max-total-size");
	*o = (Objects){ .ctx = ctx,
		        .doc = doc,
		        .max = max,
		        .budget = total > 0 && total < max ? (gsize)total : max,
		        .inflate_left = total > 0 ? total : G_MAXUINT64,
		        .max_entries = (guint64)dp_config_get_int(ctx->cfg, "zip", "max-entries"),
		        .max_ratio = (guint64)dp_config_get_int(ctx->cfg, "zip", "max-ratio") };
	return TRUE;
}

gboolean
dp_ole_objects(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error)
{
	Objects o;
	if (!objects_init(&o, ctx, doc, max))
		return TRUE;
	g_autoptr(GsfInput) pool = gsf_infile_child_by_name(root, "ObjectPool");
	if (pool != NULL && dp_ole_is_storage(pool) && !read_objects(&o, GSF_INFILE(pool), "_", error))
		return FALSE;
	if (!read_objects(&o, root, "MBD", error))
		return FALSE;
	return ppt_objects(&o, root, error);
}

gboolean
dp_ole_bare_object(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, gboolean *handled, GError **error)
{
	*handled = dp_ole_has(root, "\001Ole10Native") || dp_ole_has(root, "Package") || dp_ole_has(root, "CONTENTS");
	Objects o;
	if (!*handled || !objects_init(&o, ctx, doc, max))
		return TRUE;
	return read_object(&o, root, "content", error);
}
