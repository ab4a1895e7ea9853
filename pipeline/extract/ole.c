/*
 * NAME
 *	ole.c - OLE2 compound files through libgsf (the loadable module
 *	docpipe-ole.so): which kind of document, its summary properties,
 *	and the reader for its kind
 *
 * DESCRIPTION
 *	core/detect.c knows a compound file only by its signature
 *	(application/x-ole-storage).  Here the root entries say what it is,
 *	never the file name or a container's claim:
 *	  WordDocument                      application/msword (ole-word.c)
 *	  Workbook, Book                    application/vnd.ms-excel (ole-excel.c)
 *	  PowerPoint Document               application/vnd.ms-powerpoint (ole-ppt.c)
 *	  __properties_version1.0 and
 *	  __substg1.0_*                     application/vnd.ms-outlook (msg.c)
 *	  EncryptionInfo, EncryptedPackage  an encrypted OOXML file (DOCX,
 *	                                    XLSX, PPTX under a password):
 *	                                    status "encrypted"
 *	The record's type is set to the kind found; a bare embedded object
 *	(a root with \001Ole10Native, Package or CONTENTS, as PowerPoint
 *	stores objects) keeps the generic type and its content is a part
 *	(extract/ole-embed.c); any other compound file
 *	(Visio, an installer, Thumbs.db) keeps the generic type with status
 *	"unsupported", naming its root entries.  The title, author,
 *	subject, keywords and dates of the SummaryInformation streams are
 *	meta.title, meta.author, ... as for a PDF.
 *
 * SECURITY
 *	Every byte is untrusted: the header, the sector tables, the
 *	directory and every stream.  libgsf reads the file from memory in
 *	the child of sandbox/isolate.c (seccomp filter, [limits] memory,
 *	cpu-time and timeout).  It checks sector chains as it builds them
 *	(a chain that loops or runs out of the file is an error; t2152 "a
 *	FAT sector loop ..."); a stream is read whole only when it declares
 *	no more bytes than the file holds (dp_ole_stream), so a huge
 *	declared size costs nothing.  libgsf's warnings about damaged files
 *	are dropped: the record's status says what could not be read.
 *	libgsf's open costs time quadratic in the entries of one storage
 *	(it sorts them into a list, one insertion each), so the directory
 *	is measured here first (measure_directory: the header, the FAT
 *	through the DIFAT, the directory's chain, each sector once and
 *	nothing past the file) and a storage of more than [limits]
 *	max-ole-entries children makes the file status "limit", unopened;
 *	so does a directory whose walk would take libgsf's recursion deeper
 *	than OLE_MAX_WALK_DEPTH (walk_directory makes the same walk without
 *	recursion).
 */
#include "core/config.h"
#include "core/detect.h"
#include "core/record.h"
#include "extract/extract.h"
#include "extract/ole.h"
#include "util/exitcode.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-meta-names.h>
#include <gsf/gsf-msole-utils.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-timestamp.h>
#include <string.h>

#include "util/banned.h"

#define DP_TYPE_OOXML_ENCRYPTED "application/x-tika-ooxml-protected"

/* libgsf's complaints about a damaged file: the record's status says it once. */
static void
quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer unused)
{
}

/*
 * Set on a thread while it runs this module.  Some of libgsf's messages
 * have no log domain (its assertions, "msole_prop_parse: assertion 'len <
 * 0x10000' failed"; "Unable to get child['WordDocument'] ...
 * insufficient blocks"): on such a thread those are dropped as above,
 * since the record's status says what failed; on every other thread, and
 * for messages with a domain, GLib's default handler runs as before.
 */
static GPrivate in_ole;

static void
gsf_nodomain_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer unused)
{
	if (g_private_get(&in_ole) != NULL)
		return;
	g_log_default_handler(domain, level, message, unused);
}

static gpointer
ole_init_once(gpointer unused)
{
	gsf_init();
	GLogLevelFlags levels =
	    G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_CRITICAL;
	g_log_set_handler("libgsf:msole", levels, quiet_log, NULL);
	g_log_set_handler("libgsf", levels, quiet_log, NULL);
	g_log_set_handler(NULL, G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING, gsf_nodomain_log, NULL);
	return NULL;
}

gboolean
dp_ole_has(GsfInfile *dir, const char *name)
{
	g_autoptr(GsfInput) c = gsf_infile_child_by_name(dir, name);
	return c != NULL;
}

gboolean
dp_ole_is_storage(GsfInput *in)
{
	return GSF_IS_INFILE(in) && gsf_infile_num_children(GSF_INFILE(in)) >= 0;
}

/*
 * Copy the storage FROM into TO, streams and storages, spending at most
 * *BUDGET bytes; FALSE when the budget, the depth or the width runs out,
 * or a stream cannot be read.
 */
static gboolean
copy_storage(GsfInfile *from, GsfOutfile *to, gsize *budget, guint depth)
{
	if (depth > DP_OLE_COPY_DEPTH)
		return FALSE;
	int n = gsf_infile_num_children(from);
	if (n > DP_OLE_COPY_WIDTH)
		return FALSE;
	for (int i = 0; i < n; i++) {
		const char *name = gsf_infile_name_by_index(from, i);
		g_autoptr(GsfInput) in = gsf_infile_child_by_index(from, i);
		if (name == NULL || in == NULL)
			return FALSE;
		gboolean dir = dp_ole_is_storage(in);
		g_autoptr(GsfOutput) out = gsf_outfile_new_child(to, name, dir);
		if (out == NULL)
			return FALSE;
		gboolean ok;
		if (dir) {
			ok = copy_storage(GSF_INFILE(in), GSF_OUTFILE(out), budget, depth + 1);
		} else {
			gsf_off_t size = gsf_input_size(in);
			ok = size >= 0 && (guint64)size <= *budget;
			if (ok) {
				*budget -= (gsize)size;
				const guint8 *d =
				    size > 0 ? gsf_input_read(in, (size_t)size, NULL) : (const guint8 *)"";
				ok = d != NULL && gsf_output_write(out, (size_t)size, d);
			}
		}
		gsf_output_close(out);
		if (!ok)
			return FALSE;
	}
	return TRUE;
}

GBytes *
dp_ole_storage_file(GsfInfile *dir, gsize *budget)
{
	g_autoptr(GsfOutput) mem = gsf_output_memory_new();
	g_autoptr(GsfOutfile) out = gsf_outfile_msole_new(mem);
	gboolean ok = out != NULL && copy_storage(dir, out, budget, 0);
	if (out != NULL)
		gsf_output_close(GSF_OUTPUT(out));
	if (!ok)
		return NULL;
	/* Closing the compound file closes its sink too, with libgsf's writer as it is. */
	if (!gsf_output_is_closed(mem))
		gsf_output_close(mem);
	const guint8 *d = gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(mem));
	gsf_off_t size = gsf_output_size(mem);
	return d != NULL && size > 0 ? g_bytes_new(d, (gsize)size) : NULL;
}

GBytes *
dp_ole_stream(GsfInfile *dir, const char *name, gsize max, const char **bad)
{
	g_autoptr(GsfInput) s = gsf_infile_child_by_name(dir, name);
	return s != NULL ? dp_ole_input_bytes(s, max, bad) : NULL;
}

GBytes *
dp_ole_main_stream(DpDoc *doc, GsfInfile *root, const char *name, const char *what, gsize max)
{
	const char *bad = "is missing";
	GBytes *s = dp_ole_stream(root, name, max, &bad);
	if (s == NULL)
		dp_doc_fail(doc, DP_STATUS_ERROR, "%s: the %s stream %s", what, name, bad);
	return s;
}

GBytes *
dp_ole_input_bytes(GsfInput *s, gsize max, const char **bad)
{
	if (dp_ole_is_storage(s)) {
		*bad = "is a storage, not a stream";
		return NULL;
	}
	gsf_off_t size = gsf_input_size(s);
	if (size < 0 || (guint64)size > max) {
		*bad = "declares more bytes than the file holds";
		return NULL;
	}
	guint8 *buf = g_malloc(size > 0 ? (gsize)size : 1);
	if (size > 0 && gsf_input_read(s, (size_t)size, buf) == NULL) {
		g_free(buf);
		*bad = "cannot be read (a damaged sector chain)";
		return NULL;
	}
	return g_bytes_new_take(buf, (gsize)size);
}

/* Windows-1252's characters 0x80..0x9F; 0 for the five it leaves undefined. */
static const guint16 cp1252_high[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

gunichar
dp_ole_cp1252(guint8 b)
{
	return b >= 0x80 && b < 0xA0 ? cp1252_high[b - 0x80] : b;
}

void
dp_ole_append_8bit(GString *out, const guint8 *p, gsize n, gboolean cp1252)
{
	for (gsize i = 0; i < n; i++) {
		gunichar c = p[i];
		if (c < 0x80) {
			g_string_append_c(out, (char)c);
			continue;
		}
		if (cp1252 && (c = dp_ole_cp1252(p[i])) == 0)
			continue;
		g_string_append_unichar(out, c);
	}
}

void
dp_ole_append_utf16(GString *out, const guint8 *p, gsize n)
{
	for (gsize i = 0; i < n; i++) {
		gunichar c = dp_le16(p + 2 * i);
		if (c < 0x80) {
			g_string_append_c(out, (char)c);
			continue;
		}
		if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) {
			gunichar lo = dp_le16(p + 2 * (i + 1));
			if (lo >= 0xDC00 && lo < 0xE000) {
				g_string_append_unichar(out, 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00));
				i++;
				continue;
			}
		}
		if (c >= 0xD800 && c < 0xE000)
			c = 0xFFFD;
		g_string_append_unichar(out, c);
	}
}

/* The kinds of compound file, told by their root entries. */
typedef enum { OLE_OTHER, OLE_WORD, OLE_EXCEL, OLE_PPT, OLE_MSG, OLE_OOXML_ENCRYPTED } OleKind;

static OleKind
classify(GsfInfile *root)
{
	if (dp_ole_has(root, "EncryptionInfo") && dp_ole_has(root, "EncryptedPackage"))
		return OLE_OOXML_ENCRYPTED;
	if (dp_ole_has(root, "WordDocument"))
		return OLE_WORD;
	if (dp_ole_has(root, "Workbook") || dp_ole_has(root, "Book"))
		return OLE_EXCEL;
	if (dp_ole_has(root, "PowerPoint Document"))
		return OLE_PPT;
	if (dp_ole_has(root, "__properties_version1.0")) {
		int n = gsf_infile_num_children(root);
		for (int i = 0; i < n && i < 65536; i++) {
			const char *name = gsf_infile_name_by_index(root, i);
			if (name != NULL && g_str_has_prefix(name, "__substg1.0_"))
				return OLE_MSG;
		}
	}
	return OLE_OTHER;
}

/* One summary property, a string or a date, as meta.NAME. */
static void
meta_prop(DpDoc *doc, GsfDocMetaData *md, const char *gsf_name, const char *name)
{
	GsfDocProp *prop = gsf_doc_meta_data_lookup(md, gsf_name);
	const GValue *v = prop ? gsf_doc_prop_get_val(prop) : NULL;
	if (v == NULL)
		return;
	if (G_VALUE_HOLDS_STRING(v)) {
		dp_doc_meta(doc, name, g_value_get_string(v));
	} else if (G_VALUE_HOLDS(v, GSF_TIMESTAMP_TYPE)) {
		GsfTimestamp *ts = g_value_get_boxed(v);
		g_autofree char *s = ts ? gsf_timestamp_as_string(ts) : NULL;
		dp_doc_meta(doc, name, s);
	}
}

/* The summary properties of both SummaryInformation streams, when there. */
static void
summary_meta(DpDoc *doc, GsfInfile *root)
{
	static const char *streams[] = { "\005SummaryInformation", "\005DocumentSummaryInformation" };
	g_autoptr(GsfDocMetaData) md = gsf_doc_meta_data_new();
	for (guint i = 0; i < G_N_ELEMENTS(streams); i++) {
		g_autoptr(GsfInput) s = gsf_infile_child_by_name(root, streams[i]);
		if (s == NULL)
			continue;
		GError *err = gsf_doc_meta_data_read_from_msole(md, s);
		/* A damaged property set costs its properties, not the document. */
		g_clear_error(&err);
	}
	meta_prop(doc, md, GSF_META_NAME_TITLE, "title");
	meta_prop(doc, md, GSF_META_NAME_CREATOR, "author");
	meta_prop(doc, md, GSF_META_NAME_SUBJECT, "subject");
	meta_prop(doc, md, GSF_META_NAME_KEYWORDS, "keywords");
	meta_prop(doc, md, GSF_META_NAME_GENERATOR, "creator");
	meta_prop(doc, md, GSF_META_NAME_DATE_CREATED, "created");
	meta_prop(doc, md, GSF_META_NAME_DATE_MODIFIED, "modified");
}

/* The root entries' names, for the message about a compound file of no known kind. */
static char *
root_names(GsfInfile *root)
{
	g_autoptr(GString) s = g_string_new(NULL);
	int n = gsf_infile_num_children(root);
	for (int i = 0; i < n && i < 8; i++) {
		const char *name = gsf_infile_name_by_index(root, i);
		g_autofree char *clean = g_strdup(name ? name : "");
		g_strcanon(clean, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_. ", '?');
		g_string_append_printf(s, "%s'%s'", i ? ", " : "", clean);
	}
	if (n > 8)
		g_string_append(s, ", ...");
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* [MS-CFB]'s special sector numbers: every value from MAXREGSECT up ends or marks a chain. */
#define CFB_MAXREGSECT 0xFFFFFFFAu
#define CFB_ENDOFCHAIN 0xFFFFFFFEu
/* The header's place of the first 109 FAT sector numbers. */
#define CFB_HEADER_DIFAT 76
#define CFB_HEADER_DIFAT_N 109

/* A compound file's sectors, as its header lays them out. */
typedef struct {
	const guint8 *d;
	gsize len;
	gsize size;  /* bytes per sector: 512 or 4096 */
	guint32 n;   /* whole sectors after the header */
	GArray *fat; /* the FAT's sector numbers, in order (guint32) */
} Cfb;

/* Sector SECT's bytes, or NULL when it lies past the file. */
static const guint8 *
cfb_sector(const Cfb *c, guint32 sect)
{
	return sect < c->n ? c->d + (gsize)(sect + 1) * c->size : NULL;
}

/*
 * The FAT's sector numbers: the header's 109, then the DIFAT chain's,
 * each DIFAT sector holding SIZE/4 - 1 and the next one's number.  The
 * chain is followed at most once around the file (a loop or a number
 * past the file ends it); FALSE when the FAT cannot be listed whole.
 */
static gboolean
cfb_fat(Cfb *c)
{
	guint32 want = dp_le32(c->d + 44);
	if (want > c->n)
		return FALSE;
	c->fat = g_array_sized_new(FALSE, FALSE, sizeof(guint32), want);
	for (guint i = 0; i < CFB_HEADER_DIFAT_N && c->fat->len < want; i++) {
		guint32 s = dp_le32(c->d + CFB_HEADER_DIFAT + 4 * i);
		g_array_append_val(c->fat, s);
	}
	guint32 next = dp_le32(c->d + 68);
	gsize per = c->size / 4 - 1;
	for (guint32 hops = 0; c->fat->len < want; hops++) {
		const guint8 *p = cfb_sector(c, next);
		if (p == NULL || hops >= c->n)
			return FALSE;
		for (gsize i = 0; i < per && c->fat->len < want; i++) {
			guint32 s = dp_le32(p + 4 * i);
			g_array_append_val(c->fat, s);
		}
		next = dp_le32(p + 4 * per);
	}
	return TRUE;
}

/* The sector after SECT in its chain, or CFB_ENDOFCHAIN also when the FAT cannot say. */
static guint32
cfb_next(const Cfb *c, guint32 sect)
{
	gsize per = c->size / 4;
	gsize k = sect / per;
	const guint8 *p = k < c->fat->len ? cfb_sector(c, g_array_index(c->fat, guint32, k)) : NULL;
	return p != NULL ? dp_le32(p + 4 * (sect % per)) : CFB_ENDOFCHAIN;
}

/* NOSTREAM: no sibling or child. */
#define CFB_NOSTREAM 0xFFFFFFFFu

/*
 * How deep libgsf's walk of a directory may go (walk_directory): twice
 * the default [limits] max-ole-entries, 20,000 measured safe on an
 * 8 MiB stack.
 */
#define OLE_MAX_WALK_DEPTH 12288

/* One step of the directory walk: an entry, the storage it is a child of, how deep libgsf would be. */
typedef struct {
	guint32 entry, parent, depth;
} Visit;

/*
 * The walk libgsf makes of the directory ENTRIES (N of 128 bytes each)
 * as it opens the file, made here without recursion and without libgsf:
 * from the root entry, each entry then its left sibling's tree, its
 * right sibling's, and for a storage its child's, each entry at most
 * once (libgsf skips an entry seen before, so links that loop or that
 * two storages share cost nothing more), an entry of no known type not
 * followed.  *WIDEST is the most children one storage gets, *DEEPEST how
 * deep libgsf's recursion goes.  Each entry is taken once and pushes at
 * most three steps: 3 N + 1 slots do.
 */
static void
walk_directory(const guint8 *const *entries, guint32 n, guint64 *widest, guint64 *deepest)
{
	*widest = *deepest = 0;
	if (n == 0)
		return;
	g_autofree guint8 *seen = g_malloc0(n / 8 + 1);
	g_autofree guint32 *width = g_new0(guint32, n);
	g_autofree Visit *stack = g_new(Visit, 3 * (gsize)n + 1);
	gsize top = 0;
	stack[top++] = (Visit){ 0, CFB_NOSTREAM, 1 };
	while (top > 0) {
		Visit v = stack[--top];
		if (v.entry >= n || (seen[v.entry / 8] & (1u << (v.entry % 8))) != 0)
			continue;
		seen[v.entry / 8] |= (guint8)(1u << (v.entry % 8));
		const guint8 *e = entries[v.entry];
		guint8 type = e[66];
		if (type != 1 && type != 2 && type != 5)
			continue;
		*deepest = MAX(*deepest, v.depth);
		if (v.parent != CFB_NOSTREAM) {
			width[v.parent]++;
			*widest = MAX(*widest, width[v.parent]);
		}
		/* Pushed in reverse: the left sibling's tree is walked first, the child's last. */
		/* libgsf takes the first entry for the root whatever its type says. */
		if (type != 2 || v.parent == CFB_NOSTREAM)
			stack[top++] = (Visit){ dp_le32(e + 76), v.entry, v.depth + 1 };
		stack[top++] = (Visit){ dp_le32(e + 72), v.parent, v.depth + 1 };
		stack[top++] = (Visit){ dp_le32(e + 68), v.parent, v.depth + 1 };
	}
}

/*
 * The directory of the compound file D (LEN bytes) measured without
 * libgsf: *ENTRIES the entries in use, *WIDEST the most children of one
 * storage and *DEEPEST the depth of libgsf's walk (walk_directory),
 * found by following the directory's sector chain through the
 * FAT ([MS-CFB] 2.2, 2.5, 2.6).  Each sector is read once: the chain
 * stops at a sector seen before (a loop), a number past the file or a
 * FAT that cannot be read, which libgsf then meets and reports on its own
 * terms.  Time and memory are linear in the file's size, whatever the
 * header declares.
 */
static void
measure_directory(const guint8 *d, gsize len, guint64 *entries, guint64 *widest, guint64 *deepest)
{
	*entries = *widest = *deepest = 0;
	if (len < 1024)
		return;
	guint shift = dp_le16(d + 30);
	if (shift != 9 && shift != 12)
		return;
	Cfb c = { .d = d, .len = len, .size = (gsize)1 << shift };
	if (len / c.size - 1 > G_MAXUINT32 / 32)
		return;
	c.n = (guint32)(len / c.size - 1);
	if (c.n == 0 || !cfb_fat(&c)) {
		if (c.fat != NULL)
			g_array_free(c.fat, TRUE);
		return;
	}
	g_autofree guint8 *seen = g_malloc0(c.n / 8 + 1);
	g_autoptr(GPtrArray) all = g_ptr_array_new();
	for (guint32 s = dp_le32(d + 48); s < CFB_MAXREGSECT; s = cfb_next(&c, s)) {
		const guint8 *p = cfb_sector(&c, s);
		if (p == NULL || (seen[s / 8] & (1u << (s % 8))) != 0)
			break;
		seen[s / 8] |= (guint8)(1u << (s % 8));
		for (gsize off = 0; off + 128 <= c.size; off += 128) {
			g_ptr_array_add(all, (gpointer)(p + off));
			/* An entry's object type (byte 66) is 0 when the entry is unused. */
			*entries += p[off + 66] != 0;
		}
	}
	g_array_free(c.fat, TRUE);
	walk_directory((const guint8 *const *)all->pdata, all->len, widest, deepest);
}

static gboolean
extract_ole(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(doc->data, &len);
	/*
	 * libgsf sorts each storage's entries into a list as it opens the
	 * file (a sorted insertion each) and finds a child by walking that
	 * list: time quadratic in the children of one storage.  The
	 * directory is measured first, in linear time, and a file with a
	 * storage of more than [limits] max-ole-entries children is never
	 * handed to libgsf.
	 */
	guint64 max_entries = (guint64)dp_config_get_int(ctx->cfg, "limits", "max-ole-entries");
	guint64 entries, widest, deepest;
	measure_directory(d, len, &entries, &widest, &deepest);
	if (max_entries > 0 && widest > max_entries) {
		dp_doc_fail(doc, DP_STATUS_LIMIT,
		            "OLE2 compound file with a storage of %" G_GUINT64_FORMAT " entries (%" G_GUINT64_FORMAT
		            " in all), over the limit of %" G_GUINT64_FORMAT " ([limits] max-ole-entries); not read",
		            widest, entries, max_entries);
		return TRUE;
	}
	/*
	 * libgsf also walks the directory by recursion, one call deeper for
	 * each sibling of a storage whose tree is a chain (as its own writer
	 * leaves them: 6,009 deep for a root of 6,006) and for each storage
	 * nested in another; 40,000 deep overflows an 8 MiB stack.
	 */
	if (deepest > OLE_MAX_WALK_DEPTH) {
		dp_doc_fail(doc, DP_STATUS_LIMIT,
		            "OLE2 compound file whose directory is %" G_GUINT64_FORMAT
		            " entries deep, over the limit of %d; not read",
		            deepest, OLE_MAX_WALK_DEPTH);
		return TRUE;
	}
	g_autoptr(GsfInput) in = gsf_input_memory_new(d, (gsf_off_t)len, FALSE);
	g_autoptr(GError) err = NULL;
	g_autoptr(GsfInfile) root = in ? gsf_infile_msole_new(in, &err) : NULL;
	if (root == NULL) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "not a readable OLE2 compound file: %s",
		            err ? err->message : "too short");
		return TRUE;
	}
	if (gsf_infile_num_children(root) <= 0) {
		dp_doc_fail(doc, DP_STATUS_ERROR,
		            "OLE2 compound file with no readable root entries (a damaged directory)");
		return TRUE;
	}
	OleKind kind = classify(root);
	switch (kind) {
	case OLE_WORD:
		dp_record_set(doc->rec, DP_F_TYPE, DP_TYPE_MSWORD);
		summary_meta(doc, root);
		return dp_ole_word(ctx, doc, root, len, error) && dp_ole_objects(ctx, doc, root, len, error);
	case OLE_EXCEL:
		dp_record_set(doc->rec, DP_F_TYPE, DP_TYPE_MSEXCEL);
		summary_meta(doc, root);
		return dp_ole_excel(ctx, doc, root, len, error) && dp_ole_objects(ctx, doc, root, len, error);
	case OLE_PPT:
		dp_record_set(doc->rec, DP_F_TYPE, DP_TYPE_MSPOWERPOINT);
		summary_meta(doc, root);
		return dp_ole_ppt(ctx, doc, root, len, error) && dp_ole_objects(ctx, doc, root, len, error);
	case OLE_MSG: dp_record_set(doc->rec, DP_F_TYPE, DP_TYPE_MSG); return dp_ole_msg(ctx, doc, root, len, error);
	case OLE_OOXML_ENCRYPTED:
		dp_record_set(doc->rec, DP_F_TYPE, DP_TYPE_OOXML_ENCRYPTED);
		dp_doc_fail(doc, DP_STATUS_ENCRYPTED,
		            "encrypted Office Open XML document (EncryptedPackage); not decrypted");
		return TRUE;
	case OLE_OTHER: break;
	}
	dp_record_set(doc->rec, DP_F_TYPE, DP_TYPE_OLE2);
	gboolean object = FALSE;
	if (!dp_ole_bare_object(ctx, doc, root, len, &object, error))
		return FALSE;
	if (object)
		return TRUE;
	g_autofree char *names = root_names(root);
	dp_doc_fail(doc, DP_STATUS_UNSUPPORTED, "OLE2 compound file of no kind docpipe reads (root entries %s)", names);
	return TRUE;
}

gboolean
dp_extract_ole_module(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, ole_init_once, NULL);
	/* An attached message is read inside its parent's call: keep the outer setting. */
	gpointer outer = g_private_get(&in_ole);
	g_private_set(&in_ole, GINT_TO_POINTER(1));
	gboolean ok = extract_ole(ctx, doc, error);
	g_private_set(&in_ole, outer);
	return ok;
}
