/*
 * NAME
 *	rtf-doc.c: RTF documents (text/rtf), built in.
 *
 * DESCRIPTION
 *	extract/rtf.c reads the text, the \info metadata (title, author,
 *	subject, keywords, dates) and the embedded objects and pictures.
 *	The text and metadata make the document's record; each part whose
 *	data is a file becomes a part through dp_doc_child(), typed by
 *	dispatch from its bytes: a picture as it is ("picture 2", PNG or
 *	JPEG), an object's OLE1 native data ("object 1", often an OLE2
 *	compound file: a Word or Excel document), and for the Packager's
 *	objects (a file dragged into the document) the file itself, under
 *	its own name ("object 1/report.pdf").  Linked objects and empty ones
 *	have no data and no part.
 *
 * SECURITY
 *	The bytes are untrusted.  extract/rtf.c bounds the text, the nesting
 *	and the parts' bytes (at most the input's size in all); the OLE1 and
 *	Packager headers here are read with every length checked against
 *	the bytes that are there.
 */
#include "core/detect.h"
#include "extract/extract.h"
#include "extract/rtf.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

/* A cursor over untrusted bytes: every read checks the bytes left. */
typedef struct {
	const guint8 *p;
	gsize left;
} Cursor;

static gboolean
read_u32(Cursor *c, guint32 *v)
{
	if (c->left < 4)
		return FALSE;
	*v = (guint32)c->p[0] | (guint32)c->p[1] << 8 | (guint32)c->p[2] << 16 | (guint32)c->p[3] << 24;
	c->p += 4;
	c->left -= 4;
	return TRUE;
}

static gboolean
skip(Cursor *c, gsize n)
{
	if (c->left < n)
		return FALSE;
	c->p += n;
	c->left -= n;
	return TRUE;
}

/* MS-OLEDS LengthPrefixedAnsiString: a 32-bit length (with the NUL), then the bytes. */
static gboolean
read_lpstr(Cursor *c, char **s)
{
	guint32 n;
	if (!read_u32(c, &n) || n > c->left)
		return FALSE;
	if (s != NULL)
		*s = n > 0 ? g_strndup((const char *)c->p, n) : g_strdup("");
	return skip(c, n);
}

/* A NUL-terminated string of the Packager's header. */
static gboolean
read_cstr(Cursor *c, char **s)
{
	const guint8 *nul = memchr(c->p, 0, c->left);
	if (nul == NULL)
		return FALSE;
	gsize n = (gsize)(nul - c->p);
	if (s != NULL)
		*s = g_strndup((const char *)c->p, n);
	return skip(c, n + 1);
}

/*
 * The native data of an embedded OLE1 object (MS-OLEDS 2.2.4
 * ObjectHeader, then NativeDataSize and NativeData), or FALSE for a linked
 * object or a header that does not fit.
 */
static gboolean
ole1_native(const guint8 *data, gsize len, Cursor *native, char **class_name)
{
	Cursor c = { data, len };
	guint32 version, format, size;
	if (!read_u32(&c, &version) || !read_u32(&c, &format) || format != 2)
		return FALSE;
	if (!read_lpstr(&c, class_name) || !read_lpstr(&c, NULL) || !read_lpstr(&c, NULL))
		return FALSE;
	if (!read_u32(&c, &size) || size > c.left)
		return FALSE;
	native->p = c.p;
	native->left = size;
	return TRUE;
}

/*
 * The file inside a Packager object: a signature, the label, the source
 * path, two 16-bit fields, the temporary path (32-bit length), then the
 * file's size and bytes.  FALSE when the native data is not that.
 */
static gboolean
package_file(Cursor native, char **name, Cursor *file)
{
	Cursor c = native;
	g_autofree char *label = NULL, *src = NULL;
	guint32 n, size;
	if (!skip(&c, 2) || !read_cstr(&c, &label) || !read_cstr(&c, &src) || !skip(&c, 4) || !read_u32(&c, &n) ||
	    !skip(&c, n) || !read_u32(&c, &size) || size > c.left)
		return FALSE;
	/* The name is the last component of the source path, else the label. */
	const char *base = src;
	for (const char *s = src; *s != '\0'; s++)
		if (*s == '\\' || *s == '/')
			base = s + 1;
	*name = g_strdup(*base != '\0' ? base : label);
	file->p = c.p;
	file->left = size;
	return TRUE;
}

/* A file name from a hostile header as one safe path component. */
static char *
safe_name(const char *name)
{
	g_autofree char *valid = g_utf8_make_valid(name, -1);
	GString *s = g_string_new(NULL);
	for (const char *p = valid; *p != '\0' && s->len < 200; p++)
		g_string_append_c(s, (*p == '/' || (guchar)*p < 0x20) ? '_' : *p);
	if (s->len == 0 || strcmp(s->str, ".") == 0 || strcmp(s->str, "..") == 0)
		g_string_assign(s, "file");
	return g_string_free(s, FALSE);
}

static gboolean
emit_object(DpExtractCtx *ctx, DpDoc *doc, guint n, DpRtfPart *part, GError **error)
{
	Cursor native, file;
	g_autofree char *ole_class = NULL, *name = NULL;
	g_autofree char *path = g_strdup_printf("object %u", n);
	if (!ole1_native(part->data->data, part->data->len, &native, &ole_class) || native.left == 0)
		return dp_doc_child_problem(ctx, doc, path, NULL, NULL, DP_STATUS_UNSUPPORTED, error,
		                            "embedded object with no embedded data (linked, or not OLE1)");
	const char *cls = part->class_name != NULL ? part->class_name : ole_class;
	g_autofree char *cls_valid = cls != NULL ? g_utf8_make_valid(cls, -1) : NULL;
	if (cls != NULL && g_str_has_prefix(cls, "Package") && package_file(native, &name, &file)) {
		g_autofree char *safe = safe_name(name);
		g_autofree char *fpath = g_strdup_printf("object %u/%s", n, safe);
		g_autoptr(GBytes) bytes = g_bytes_new(file.p, file.left);
		const char *meta[] = { "meta.name", safe, "meta.ole-class", cls_valid, NULL };
		return dp_doc_child(ctx, doc, fpath, NULL, bytes, meta, error);
	}
	g_autoptr(GBytes) bytes = g_bytes_new(native.p, native.left);
	const char *meta[] = { "meta.ole-class", cls_valid, NULL };
	return dp_doc_child(ctx, doc, path, NULL, bytes, meta, error);
}

static gboolean
emit_parts(DpExtractCtx *ctx, DpDoc *doc, DpRtfDoc *rtf, GError **error)
{
	guint n_object = 0, n_picture = 0;
	for (guint i = 0; i < rtf->parts->len; i++) {
		DpRtfPart *part = g_ptr_array_index(rtf->parts, i);
		if (strcmp(part->kind, "object") == 0) {
			if (!emit_object(ctx, doc, ++n_object, part, error))
				return FALSE;
			continue;
		}
		/* Only pictures in a format of their own (PNG, JPEG) are files. */
		n_picture++;
		if (part->type == NULL ||
		    (strcmp(part->type, DP_TYPE_PNG) != 0 && strcmp(part->type, DP_TYPE_JPEG) != 0))
			continue;
		g_autofree char *path = g_strdup_printf("picture %u", n_picture);
		g_autoptr(GBytes) bytes = g_bytes_new(part->data->data, part->data->len);
		if (!dp_doc_child(ctx, doc, path, part->type, bytes, NULL, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
dp_extract_rtf(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len;
	const char *data = g_bytes_get_data(doc->data, &len);
	/* One byte over the limit lets dp_doc_take_text() see the cut and say so. */
	gsize max_text = ctx->max_text > 0 ? (gsize)ctx->max_text + 1 : G_MAXSIZE;
	g_autoptr(GError) err = NULL;
	g_autoptr(DpRtfDoc) rtf = dp_rtf_parse(data, len, max_text, len, &err);
	if (rtf == NULL) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "%s", err->message);
		return TRUE;
	}
	for (guint i = 0; i + 1 < rtf->meta->len; i += 2)
		dp_doc_meta(doc, g_ptr_array_index(rtf->meta, i), g_ptr_array_index(rtf->meta, i + 1));
	if (rtf->from_html)
		dp_doc_meta(doc, "rtf-from-html", "yes");
	dp_doc_take_text(ctx, doc, g_steal_pointer(&rtf->text));
	if (rtf->cut != NULL && dp_record_get(doc->rec, DP_F_STATUS) == NULL)
		dp_doc_fail(doc, DP_STATUS_LIMIT, "%s", rtf->cut);
	if (!dp_doc_emit(ctx, doc, error))
		return FALSE;
	return emit_parts(ctx, doc, rtf, error);
}
