/*
 * NAME
 *	office-zip.c - zip-based office documents (the loadable module
 *	docpipe-office.so): the package, its XML parts and what the readers
 *	share
 *
 * DESCRIPTION
 *	DOCX, XLSX, PPTX (ooxml-*.c), OpenDocument (odf.c) and EPUB (epub.c)
 *	are zip packages of XML parts.  This file opens the package with
 *	libzip, streams each XML part through libxml2's reader as it is
 *	inflated (constant memory whatever the size of the part), reads
 *	relationships and property parts into metadata, and hands embedded
 *	files (images, objects) back to the dispatch as parts, "entry NAME"
 *	as extract/zip.c names them.  dp_extract_office_module() picks the
 *	reader by the type detect gave (core/detect.c tells them apart by
 *	their entries).
 *
 * SECURITY
 *	Every byte is untrusted: the central directory, the XML, the
 *	relationship targets.  The module runs in the sandboxed child like
 *	every extractor.  The [zip] limits hold for the package as for any
 *	zip: max-total-size for all that is inflated (XML parts included),
 *	max-ratio once a part passes 1 MiB, checked both on the sizes the
 *	central directory declares and on the bytes as they come; [limits]
 *	max-depth and max-children bound embedded files through
 *	dp_doc_child().  libxml2 parses with XML_PARSE_NONET, without
 *	XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE: no DTD or
 *	external entity is loaded, no entity a part declares is expanded (a
 *	billion-laughs part stops on libxml2's entity checks: status error,
 *	t2110), and libxml2's own limits on names and text nodes stay on.
 *	Lists kept while a part is read (sheets, slides, comments, shared
 *	strings, relationships) are bounded (OFFICE_MAX_ITEMS), so that
 *	millions of tiny elements cost no memory without end; an embedded
 *	file identical to its package is not read again.  Text is collected up to
 *	a little past [limits] max-text-size and no further.  Relationship
 *	targets and EPUB hrefs are only looked up as entry names, never
 *	opened as files or URLs.
 */
#include "extract/office-zip.h"

#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "core/text.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

#define RATIO_MIN_SIZE (1u << 20)

void
office_zip_problem(OfficeZip *oz, const char *status, const char *fmt, ...)
{
	if (oz->status != NULL)
		return;
	va_list ap;
	va_start(ap, fmt);
	oz->why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	oz->status = g_strdup(status);
}

gboolean
office_zip_open(OfficeZip *oz, DpExtractCtx *ctx, DpDoc *doc)
{
	memset(oz, 0, sizeof *oz);
	oz->ctx = ctx;
	oz->doc = doc;
	gsize len;
	const guint8 *d = g_bytes_get_data(doc->data, &len);
	zip_error_t zerr;
	zip_error_init(&zerr);
	zip_source_t *src = zip_source_buffer_create(d, len, 0, &zerr);
	oz->za = src ? zip_open_from_source(src, ZIP_RDONLY, &zerr) : NULL;
	if (oz->za == NULL) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "not a readable zip package: %s", zip_error_strerror(&zerr));
		if (src != NULL)
			zip_source_free(src);
		zip_error_fini(&zerr);
		return FALSE;
	}
	zip_error_fini(&zerr);
	oz->max_total = dp_config_get_size(ctx->cfg, "zip", "max-total-size");
	oz->max_ratio = (guint64)dp_config_get_int(ctx->cfg, "zip", "max-ratio");
	if (oz->max_total == 0)
		oz->max_total = G_MAXUINT64;
	return TRUE;
}

gboolean
office_zip_emit(OfficeZip *oz, GError **error)
{
	if (oz->status != NULL)
		dp_doc_fail(oz->doc, oz->status, "%s", oz->why);
	/* Problems met from now on belong to the parts that meet them. */
	g_clear_pointer(&oz->status, g_free);
	g_clear_pointer(&oz->why, g_free);
	return dp_doc_emit(oz->ctx, oz->doc, error);
}

gboolean
office_part(OfficeZip *oz, const char *path, const char *type, const char *const *meta, const char *text, gsize len,
            GError **error)
{
	if (oz->status == NULL)
		return dp_doc_child_text(oz->ctx, oz->doc, path, type, meta, text, len, error);
	g_autofree char *status = g_steal_pointer(&oz->status);
	g_autofree char *why = g_steal_pointer(&oz->why);
	return dp_doc_child_problem(oz->ctx, oz->doc, path, type, meta, status, error, "%s", why);
}

void
office_zip_close(OfficeZip *oz)
{
	if (oz->za != NULL)
		zip_discard(oz->za);
	oz->za = NULL;
	g_clear_pointer(&oz->status, g_free);
	g_clear_pointer(&oz->why, g_free);
	g_clear_pointer(&oz->xml_error, g_free);
}

gboolean
office_room(OfficeZip *oz, guint n, const char *what)
{
	if (n < OFFICE_MAX_ITEMS)
		return TRUE;
	office_zip_problem(oz, DP_STATUS_LIMIT, "more than %u %s; the rest are not read", OFFICE_MAX_ITEMS, what);
	return FALSE;
}

gboolean
office_zip_has(OfficeZip *oz, const char *name)
{
	return zip_name_locate(oz->za, name, 0) >= 0;
}

/* One part being inflated, with the limits checked as bytes come. */
typedef struct {
	OfficeZip *oz;
	zip_file_t *zf;
	char *name;
	guint64 csize, got;
	gboolean failed;
} Stream;

/*
 * Open the entry NAME after checking what the central directory declares
 * against the limits; NULL when it is missing (noted when REQUIRED) or
 * over a limit (noted).
 */
static Stream *
stream_open_at(OfficeZip *oz, zip_int64_t i, const char *name)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(oz->za, (zip_uint64_t)i, 0, &st) != 0) {
		office_zip_problem(oz, DP_STATUS_ERROR, "unreadable part %s: %s", name, zip_strerror(oz->za));
		return NULL;
	}
	guint64 size = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
	guint64 csize = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	if (size > oz->max_total - oz->total) {
		office_zip_problem(oz, DP_STATUS_LIMIT,
		                   "part %s of %" G_GUINT64_FORMAT " bytes would pass the limit of %" G_GUINT64_FORMAT
		                   " bytes uncompressed",
		                   name, size, oz->max_total);
		return NULL;
	}
	if (oz->max_ratio > 0 && size > RATIO_MIN_SIZE && size / MAX(csize, 1) > oz->max_ratio) {
		office_zip_problem(oz, DP_STATUS_LIMIT,
		                   "part %s expands %" G_GUINT64_FORMAT
		                   " times, more than the limit of %" G_GUINT64_FORMAT,
		                   name, size / MAX(csize, 1), oz->max_ratio);
		return NULL;
	}
	zip_file_t *zf = zip_fopen_index(oz->za, (zip_uint64_t)i, 0);
	if (zf == NULL) {
		office_zip_problem(oz, DP_STATUS_ERROR, "cannot open part %s: %s", name, zip_strerror(oz->za));
		return NULL;
	}
	Stream *s = g_new0(Stream, 1);
	s->oz = oz;
	s->zf = zf;
	s->name = g_strdup(name);
	s->csize = csize;
	return s;
}

/* The same for the entry named NAME (the first, if a hostile package has two). */
static Stream *
stream_open(OfficeZip *oz, const char *name, gboolean required)
{
	zip_int64_t i = zip_name_locate(oz->za, name, 0);
	if (i < 0) {
		if (required)
			office_zip_problem(oz, DP_STATUS_ERROR, "no part %s in the package", name);
		return NULL;
	}
	return stream_open_at(oz, i, name);
}

/* Up to LEN more bytes of S; -1 on a damaged entry or a limit (noted). */
static int
stream_read(void *user, char *buf, int len)
{
	Stream *s = user;
	OfficeZip *oz = s->oz;
	if (s->failed || len <= 0)
		return s->failed ? -1 : 0;
	zip_int64_t n = zip_fread(s->zf, buf, (zip_uint64_t)len);
	if (n < 0) {
		office_zip_problem(oz, DP_STATUS_ERROR, "damaged part %s: %s", s->name, zip_file_strerror(s->zf));
		s->failed = TRUE;
		return -1;
	}
	s->got += (guint64)n;
	oz->total += (guint64)n;
	if (oz->total > oz->max_total) {
		office_zip_problem(oz, DP_STATUS_LIMIT,
		                   "part %s passes the limit of %" G_GUINT64_FORMAT " bytes uncompressed", s->name,
		                   oz->max_total);
		s->failed = TRUE;
		return -1;
	}
	if (s->got > RATIO_MIN_SIZE && oz->max_ratio > 0 && s->got / MAX(s->csize, 1) > oz->max_ratio) {
		office_zip_problem(oz, DP_STATUS_LIMIT, "part %s expands more than %" G_GUINT64_FORMAT " times",
		                   s->name, oz->max_ratio);
		s->failed = TRUE;
		return -1;
	}
	return (int)n;
}

static int
stream_close(void *user)
{
	Stream *s = user;
	zip_fclose(s->zf);
	g_free(s->name);
	g_free(s);
	return 0;
}

/* libxml2's messages would go to stderr: the first is kept for the status message. */
static void
keep_error(void *user, xmlErrorPtr err)
{
	OfficeZip *oz = user;
	if (oz->xml_error == NULL && err != NULL && err->message != NULL && err->level >= XML_ERR_ERROR)
		oz->xml_error = g_strstrip(g_strndup(err->message, 200));
}

void
office_xml_failed(OfficeZip *oz, const char *name)
{
	office_zip_problem(oz, DP_STATUS_ERROR, "part %s is not well-formed XML (%s); its text is cut there", name,
	                   oz->xml_error ? oz->xml_error : "unreadable");
}

xmlTextReaderPtr
office_zip_xml(OfficeZip *oz, const char *name, gboolean required)
{
	Stream *s = stream_open(oz, name, required);
	if (s == NULL)
		return NULL;
	/*
	 * No NOENT (entities stay references), no DTDLOAD, no HUGE; NONET in
	 * case anything would still reach for a URL.  The reader owns S and
	 * closes it, also when it cannot be made.
	 */
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
	xmlTextReaderPtr r = xmlReaderForIO(stream_read, stream_close, s, name, NULL, opts);
	if (r == NULL) {
		office_zip_problem(oz, DP_STATUS_ERROR, "cannot parse part %s", name);
		return NULL;
	}
	g_clear_pointer(&oz->xml_error, g_free);
	xmlTextReaderSetStructuredErrorHandler(r, keep_error, oz);
	return r;
}

gboolean
office_xml_next(OfficeZip *oz, xmlTextReaderPtr r, const char *name)
{
	int rc = xmlTextReaderRead(r);
	if (rc < 0)
		office_xml_failed(oz, name);
	return rc == 1;
}

char *
office_xml_attr(xmlTextReaderPtr r, const char *local)
{
	if (xmlTextReaderMoveToFirstAttribute(r) != 1)
		return NULL;
	char *value = NULL;
	do {
		const char *ln = (const char *)xmlTextReaderConstLocalName(r);
		if (ln != NULL && g_str_equal(ln, local)) {
			xmlChar *v = xmlTextReaderValue(r);
			value = g_strdup((const char *)v);
			xmlFree(v);
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(r) == 1);
	xmlTextReaderMoveToElement(r);
	return value;
}

char *
office_xml_rel_id(xmlTextReaderPtr r)
{
	/* Strict OOXML uses another namespace for the same attribute. */
	static const char *ns[] = { "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
		                    "http://purl.oclc.org/ooxml/officeDocument/relationships" };
	for (guint i = 0; i < G_N_ELEMENTS(ns); i++) {
		xmlChar *v = xmlTextReaderGetAttributeNs(r, (const xmlChar *)"id", (const xmlChar *)ns[i]);
		if (v != NULL) {
			char *id = g_strdup((const char *)v);
			xmlFree(v);
			return id;
		}
	}
	return NULL;
}

/* The whole entry S streams (named NAME), within the limits, or NULL (noted). */
static GBytes *
read_whole(OfficeZip *oz, Stream *s, const char *name)
{
	if (s == NULL)
		return NULL;
	GByteArray *buf = g_byte_array_new();
	char chunk[65536];
	int n;
	/* A file held whole is bounded by [limits] max-input-size too, as a zip entry is. */
	guint64 max = oz->ctx->max_input > 0 ? oz->ctx->max_input : G_MAXUINT64;
	while ((n = stream_read(s, chunk, sizeof chunk)) > 0) {
		if ((guint64)buf->len + (guint64)n > max) {
			office_zip_problem(oz, DP_STATUS_LIMIT,
			                   "part %s is larger than the limit of %" G_GUINT64_FORMAT " bytes", name,
			                   max);
			n = -1;
			break;
		}
		g_byte_array_append(buf, (const guint8 *)chunk, (guint)n);
	}
	gboolean failed = n < 0;
	stream_close(s);
	if (failed) {
		g_byte_array_unref(buf);
		return NULL;
	}
	return g_byte_array_free_to_bytes(buf);
}

GBytes *
office_zip_bytes(OfficeZip *oz, const char *name, gboolean required)
{
	return read_whole(oz, stream_open(oz, name, required), name);
}

char *
office_resolve(const char *base, const char *target)
{
	/* An absolute target is from the package root; else from BASE's folder. */
	g_autofree char *joined = NULL;
	if (target[0] == '/') {
		joined = g_strdup(target + 1);
	} else {
		const char *slash = strrchr(base, '/');
		joined = slash ? g_strdup_printf("%.*s/%s", (int)(slash - base), base, target) : g_strdup(target);
	}
	/* Fold "." and ".." segments; ".." past the root stays at the root. */
	g_auto(GStrv) segs = g_strsplit(joined, "/", -1);
	g_autoptr(GPtrArray) out = g_ptr_array_new();
	for (guint i = 0; segs[i] != NULL; i++) {
		if (segs[i][0] == '\0' || g_str_equal(segs[i], "."))
			continue;
		if (g_str_equal(segs[i], "..")) {
			if (out->len > 0)
				g_ptr_array_remove_index(out, out->len - 1);
			continue;
		}
		g_ptr_array_add(out, segs[i]);
	}
	g_ptr_array_add(out, NULL);
	return g_strjoinv("/", (char **)out->pdata);
}

GHashTable *
office_rels(OfficeZip *oz, const char *part, GHashTable **types)
{
	GHashTable *rels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (types != NULL)
		*types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	const char *slash = strrchr(part, '/');
	g_autofree char *name = slash ? g_strdup_printf("%.*s/_rels/%s.rels", (int)(slash - part), part, slash + 1)
	                              : g_strdup_printf("_rels/%s.rels", part);
	xmlTextReaderPtr r = office_zip_xml(oz, name, FALSE);
	if (r == NULL)
		return rels;
	while (office_xml_next(oz, r, name)) {
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
		    !g_str_equal((const char *)xmlTextReaderConstLocalName(r), "Relationship"))
			continue;
		g_autofree char *id = office_xml_attr(r, "Id");
		g_autofree char *target = office_xml_attr(r, "Target");
		g_autofree char *mode = office_xml_attr(r, "TargetMode");
		g_autofree char *type = office_xml_attr(r, "Type");
		/* External targets (hyperlinks) name no entry. */
		if (id == NULL || target == NULL || (mode != NULL && g_str_equal(mode, "External")))
			continue;
		if (!office_room(oz, g_hash_table_size(rels), "relationships"))
			break;
		if (types != NULL && type != NULL)
			g_hash_table_replace(*types, g_strdup(id), g_strdup(type));
		g_hash_table_replace(rels, g_steal_pointer(&id), office_resolve(part, target));
	}
	xmlFreeTextReader(r);
	return rels;
}

void
office_props(OfficeZip *oz, const char *name, const char *const *map)
{
	xmlTextReaderPtr r = office_zip_xml(oz, name, FALSE);
	if (r == NULL)
		return;
	const char *want = NULL;
	g_autoptr(GString) value = g_string_new(NULL);
	while (office_xml_next(oz, r, name)) {
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_ELEMENT) {
			const char *ln = (const char *)xmlTextReaderConstLocalName(r);
			want = NULL;
			for (guint i = 0; map[i] != NULL; i += 2)
				if (g_str_equal(ln, map[i]))
					want = map[i + 1];
			g_string_truncate(value, 0);
			if (xmlTextReaderIsEmptyElement(r))
				want = NULL;
		} else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
		           want != NULL && value->len < 65536) {
			g_string_append(value, (const char *)xmlTextReaderConstValue(r));
		} else if (type == XML_READER_TYPE_END_ELEMENT && want != NULL) {
			/* The first value wins: meta.xml may repeat keywords. */
			g_autofree char *key = g_strconcat(DP_META_PREFIX, want, NULL);
			if (dp_record_get(oz->doc->rec, key) == NULL)
				dp_doc_meta(oz->doc, want, value->str);
			want = NULL;
		}
	}
	xmlFreeTextReader(r);
}

/* docProps/core.xml and app.xml: local element name, then meta name. */
/* clang-format off */
static const char *const ooxml_props_map[] = {
	"title",          "title",
	"subject",        "subject",
	"creator",        "author",
	"keywords",       "keywords",
	"description",    "description",
	"lastModifiedBy", "last-modified-by",
	"created",        "created",
	"modified",       "modified",
	"category",       "category",
	"Application",    "application",
	"Company",        "company",
	"Manager",        "manager",
	"Template",       "template",
	NULL
};
/* clang-format on */

void
office_ooxml_props(OfficeZip *oz)
{
	office_props(oz, "docProps/core.xml", ooxml_props_map);
	office_props(oz, "docProps/app.xml", ooxml_props_map);
}

gboolean
office_name_in(const char *name, const char *const *list, gsize n)
{
	for (gsize i = 0; i < n; i++)
		if (g_str_equal(name, list[i]))
			return TRUE;
	return FALSE;
}

gboolean
office_embedded(OfficeZip *oz, const char *const *prefixes, GError **error)
{
	zip_int64_t n = zip_get_num_entries(oz->za, 0);
	guint64 max_entries = (guint64)dp_config_get_int(oz->ctx->cfg, "zip", "max-entries");
	g_autoptr(GHashTable) paths = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (zip_int64_t i = 0; i < n; i++) {
		if (max_entries > 0 && (guint64)i >= max_entries)
			break;
		if (oz->ctx->max_children > 0 && oz->ctx->n_children > oz->ctx->max_children)
			break;
		const char *name = zip_get_name(oz->za, (zip_uint64_t)i, 0);
		if (name == NULL || *name == '\0' || name[strlen(name) - 1] == '/')
			continue;
		gboolean match = FALSE;
		for (guint p = 0; prefixes[p] != NULL && !match; p++)
			match = g_str_has_prefix(name, prefixes[p]);
		if (!match)
			continue;
		g_autofree char *clean = dp_text_one_line(name);
		/* Paths name parts, and make their ids: a name twice in a hostile package gets " (2)". */
		g_autofree char *path = g_strdup_printf("entry %s", clean);
		for (guint k = 2; g_hash_table_contains(paths, path); k++) {
			g_free(path);
			path = g_strdup_printf("entry %s (%u)", clean, k);
		}
		g_hash_table_add(paths, g_strdup(path));
		const char *meta[] = { "meta.name", clean, NULL };
		/* A problem with one embedded file is that file's status, not the document's. */
		g_autofree char *saved_status = g_steal_pointer(&oz->status);
		g_autofree char *saved_why = g_steal_pointer(&oz->why);
		g_autoptr(GBytes) data = read_whole(oz, stream_open_at(oz, i, name), name);
		g_autofree char *status = g_steal_pointer(&oz->status);
		g_autofree char *why = g_steal_pointer(&oz->why);
		oz->status = g_steal_pointer(&saved_status);
		oz->why = g_steal_pointer(&saved_why);
		/* A package that holds itself would be read again down to the depth limit. */
		if (data != NULL && g_bytes_equal(data, oz->doc->data)) {
			if (!dp_doc_child_problem(oz->ctx, oz->doc, path, NULL, meta, DP_STATUS_LIMIT, error,
			                          "the entry is the package itself; not read again"))
				return FALSE;
			continue;
		}
		gboolean ok = data != NULL ? dp_doc_child(oz->ctx, oz->doc, path, NULL, data, meta, error)
		                           : dp_doc_child_problem(oz->ctx, oz->doc, path, NULL, meta,
		                                                  status ? status : DP_STATUS_ERROR, error, "%s",
		                                                  why ? why : "unreadable entry");
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

/* The part every package of TYPE has, or NULL. */
static const char *
main_part(const char *type)
{
	if (g_str_equal(type, DP_TYPE_DOCX))
		return "word/document.xml";
	if (g_str_equal(type, DP_TYPE_XLSX))
		return "xl/workbook.xml";
	if (g_str_equal(type, DP_TYPE_PPTX))
		return "ppt/presentation.xml";
	if (g_str_equal(type, DP_TYPE_EPUB))
		return "META-INF/container.xml";
	return "content.xml";
}

gboolean
dp_extract_office_module(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	/*
	 * A container's label (an attachment's Content-Type) may be wrong:
	 * the bytes decide which package this is.  meta.retyped-from keeps
	 * the label, and stops the zip module sending the document back.
	 */
	const char *type = dp_record_get(doc->rec, DP_F_TYPE);
	gsize len;
	const guint8 *d = g_bytes_get_data(doc->data, &len);
	const char *sniffed = dp_detect_sniff(d, len);
	gboolean retyped = dp_record_get(doc->rec, DP_META_PREFIX "retyped-from") != NULL;
	if (sniffed != NULL && !g_str_equal(sniffed, type) && dp_extract_module_of(sniffed) == DP_MODULE_OFFICE &&
	    !retyped) {
		dp_record_set(doc->rec, DP_META_PREFIX "retyped-from", type);
		dp_record_set(doc->rec, DP_F_TYPE, sniffed);
		type = sniffed;
		retyped = TRUE;
	}
	OfficeZip oz;
	if (!office_zip_open(&oz, ctx, doc))
		return dp_doc_emit(ctx, doc, error);
	if (!office_zip_has(&oz, main_part(type))) {
		/* Not the package it was said to be: the zip it is. */
		office_zip_close(&oz);
		if (!retyped)
			dp_record_set(doc->rec, DP_META_PREFIX "retyped-from", type);
		dp_record_set(doc->rec, DP_F_TYPE, DP_TYPE_ZIP);
		return dp_module_extract(DP_MODULE_ZIP, ctx, doc, error);
	}
	gboolean ok;
	if (g_str_equal(type, DP_TYPE_DOCX))
		ok = office_docx(&oz, error);
	else if (g_str_equal(type, DP_TYPE_XLSX))
		ok = office_xlsx(&oz, error);
	else if (g_str_equal(type, DP_TYPE_PPTX))
		ok = office_pptx(&oz, error);
	else if (g_str_equal(type, DP_TYPE_EPUB))
		ok = office_epub(&oz, error);
	else
		ok = office_odf(&oz, error);
	office_zip_close(&oz);
	return ok;
}
