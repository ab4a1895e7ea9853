/*
 * NAME
 *	ole-embed.c - objects embedded in legacy Word and Excel files, as
 *	parts ([MS-OLEDS], [MS-DOC] 2.1.8 ObjectPool, [MS-XLS] 2.1.7.7)
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
 *	storage stops at DP_OLE_COPY_DEPTH levels.  Parts count against
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

#include <string.h>

#include "util/banned.h"

/* Storages looked at in one container, at most (whatever [zip] max-entries says). */
#define MAX_OBJECTS 4096

typedef struct {
	DpExtractCtx *ctx;
	DpDoc *doc;
	gsize max;
	/* Bytes all objects may still take. */
	gsize budget;
	guint64 max_entries;
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

gboolean
dp_ole_objects(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error)
{
	const char *status = dp_record_get(doc->rec, DP_F_STATUS);
	if (status != NULL && g_str_equal(status, DP_STATUS_ENCRYPTED))
		return TRUE;
	guint64 total = (guint64)dp_config_get_size(ctx->cfg, "zip", "max-total-size");
	Objects o = { .ctx = ctx,
		      .doc = doc,
		      .max = max,
		      .budget = total > 0 && total < max ? (gsize)total : max,
		      .max_entries = (guint64)dp_config_get_int(ctx->cfg, "zip", "max-entries") };
	g_autoptr(GsfInput) pool = gsf_infile_child_by_name(root, "ObjectPool");
	if (pool != NULL && dp_ole_is_storage(pool) && !read_objects(&o, GSF_INFILE(pool), "_", error))
		return FALSE;
	return read_objects(&o, root, "MBD", error);
}
