/*
 * NAME
 *	ole-ppt.c - PowerPoint 97-2003 text atoms ([MS-PPT])
 *
 * DESCRIPTION
 *	The "PowerPoint Document" stream is a tree of records (an 8-byte
 *	header: version and instance, type, length; version 0xF marks a
 *	container).  The text is in TextCharsAtom (UTF-16LE) and
 *	TextBytesAtom (the low bytes of UTF-16) records: the outline text
 *	of the slides (titles, bullets) in the document's SlideListWithText
 *	in slide order, then the text of other shapes and of the notes,
 *	slide by slide as the file stores them; comments' text is in
 *	CString records under Comment10 containers.  The masters' sample
 *	text ("Click to edit Master title style") is left out.  Each atom
 *	is a paragraph; its carriage returns and vertical tabs are line
 *	ends.  A CryptSession10Container, or an EncryptedSummary stream
 *	beside the document, gives status "encrypted".
 *
 *	The current version of each record is found through the persist
 *	directory, as PowerPoint reads it: the Current User stream points
 *	at the last UserEditAtom, each of which points at a
 *	PersistDirectoryAtom and at the edit before it; the newest offset of
 *	each persist id wins, and the newest edit names the document.  So a
 *	file saved incrementally ("fast save") gives only its current text:
 *	a slide edited or deleted since keeps its older versions in the
 *	stream, and their text is not read (it may be exactly what was
 *	meant to go); meta.superseded-versions counts the slide, notes,
 *	document and embedded-object records left behind that way.  Slides are read in the
 *	order of the current document's SlideListWithText, its outline text
 *	first, then the slide's own shapes; then the notes.  A file whose
 *	persist directory cannot be followed (no Current User stream, no
 *	edit where it points, no document in the directory) is read in
 *	stream order instead (masters left out), every version's text, and
 *	meta.stream-order says why.
 *
 * SECURITY
 *	Every record's length is checked against its container; a record
 *	running past it is cut there and the status is "partial".  The
 *	walk descends at most MAX_DEPTH containers and reads at most
 *	MAX_RECORDS records in all.  The edit chain is followed at most
 *	MAX_EDITS steps and stops at an edit seen before (a loop); the
 *	persist directories give at most a stream's worth of entries across
 *	edits; an offset is used only inside the stream.  Each persist
 *	offset is walked once, however many slides or ids name it (status
 *	"partial" when some did), so the work is linear in the stream.  The
 *	text stops growing past [limits] max-text-size, or past twice the
 *	stream's size, status "partial".
 */
#include "core/record.h"
#include "extract/extract.h"
#include "extract/ole.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

#define MAX_DEPTH 32
#define MAX_RECORDS (8u << 20)

/* Edits followed back through the UserEditAtom chain, at most. */
#define MAX_EDITS 4096

enum {
	RT_DOCUMENT = 0x03E8,
	RT_SLIDE = 0x03EE,
	RT_NOTES = 0x03F0,
	RT_SLIDE_PERSIST = 0x03F3,
	RT_MAIN_MASTER = 0x03F8,
	RT_SLIDE_LIST = 0x0FF0,
	RT_USER_EDIT = 0x0FF5,
	RT_PERSIST_DIR = 0x1772,
	RT_TEXT_CHARS = 0x0FA0,
	RT_TEXT_BYTES = 0x0FA8,
	RT_CSTRING = 0x0FBA,
	RT_COMMENT10 = 0x2EE0,
	RT_CRYPT_SESSION = 0x2F14,
	RT_EX_OLE_OBJ_STG = 0x1011,
};

typedef struct {
	GString *out;
	guint64 records, limit;
	gboolean encrypted, damaged, over;
	/*
	 * The current slide's outline paragraphs, from the slide list (when
	 * COLLECT), which its own shapes do not repeat: some writers keep a
	 * placeholder's text in both places.  Looked up only, never walked.
	 */
	GHashTable *outline;
	gboolean collect;
	/* The persist offsets walked already (each container's text once). */
	GHashTable *walked;
	/* Slides named by the slide list but not in the directory; older versions left in the stream. */
	guint lost, superseded;
	/* Slides named again (their text read the first time only). */
	guint repeated;
} Ppt;

/* One text atom as a paragraph: its line ends made newlines. */
static void
add_text(Ppt *pp, const guint8 *p, gsize n, gboolean wide)
{
	if (pp->over)
		return;
	gsize start = pp->out->len;
	if (wide)
		dp_ole_append_utf16(pp->out, p, n / 2);
	else
		dp_ole_append_8bit(pp->out, p, n, FALSE);
	for (gsize i = start; i < pp->out->len; i++) {
		char c = pp->out->str[i];
		if (c == '\r' || c == '\v')
			pp->out->str[i] = '\n';
		else if ((guchar)c < 0x20 && c != '\t' && c != '\n')
			pp->out->str[i] = ' ';
	}
	if (pp->outline != NULL && pp->out->len > start) {
		const char *para = pp->out->str + start;
		if (pp->collect) {
			g_hash_table_add(pp->outline, g_strndup(para, pp->out->len - start));
		} else if (g_hash_table_contains(pp->outline, para)) {
			g_string_truncate(pp->out, start);
			return;
		}
	}
	if (pp->out->len > start)
		g_string_append_c(pp->out, '\n');
	if (pp->out->len > pp->limit)
		pp->over = TRUE;
}

static void
walk(Ppt *pp, const guint8 *p, gsize n, guint depth, gboolean in_comment)
{
	gsize pos = 0;
	while (pos + 8 <= n && !pp->encrypted && !pp->over) {
		guint16 ver = dp_le16(p + pos) & 0xF, type = dp_le16(p + pos + 2);
		gsize len = dp_le32(p + pos + 4);
		pos += 8;
		if (len > n - pos) {
			pp->damaged = TRUE;
			len = n - pos;
		}
		if (++pp->records > MAX_RECORDS || pp->out->len > pp->limit) {
			pp->over = TRUE;
			return;
		}
		if (type == RT_CRYPT_SESSION) {
			pp->encrypted = TRUE;
		} else if (ver == 0xF) {
			if (type != RT_MAIN_MASTER && depth < MAX_DEPTH)
				walk(pp, p + pos, len, depth + 1, in_comment || type == RT_COMMENT10);
		} else if (type == RT_TEXT_CHARS) {
			add_text(pp, p + pos, len, TRUE);
		} else if (type == RT_TEXT_BYTES) {
			add_text(pp, p + pos, len, FALSE);
		} else if (type == RT_CSTRING && in_comment) {
			add_text(pp, p + pos, len, TRUE);
		}
		pos += len;
	}
}

/*
 * The persist directory (persist id -> stream offset, the newest edit's
 * entry winning) through the Current User stream CU; NULL with *WHY when
 * it cannot be followed to a document.
 */
static GHashTable *
persist_map(const guint8 *p, gsize n, const guint8 *cu, gsize cun, guint32 *doc_ref, const char **why)
{
	/*
	 * Entries read in all, across edits: a stream's worth, so that edits
	 * sharing one directory cannot make the work quadratic.
	 */
	gsize budget = n / 4 + 1;
	*doc_ref = 0;
	if (cun < 20) {
		*why = "its Current User stream is cut short";
		return NULL;
	}
	guint32 edit = dp_le32(cu + 16);
	g_autoptr(GHashTable) map = g_hash_table_new(NULL, NULL);
	g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
	guint k;
	for (k = 0; k < MAX_EDITS && edit != 0 && (gsize)edit + 8 + 20 <= n; k++) {
		/* A chain of edits that comes back to one already read is a loop. */
		if (!g_hash_table_add(seen, GUINT_TO_POINTER(edit)) || dp_le16(p + edit + 2) != RT_USER_EDIT)
			break;
		const guint8 *ue = p + edit + 8;
		if (*doc_ref == 0)
			*doc_ref = dp_le32(ue + 16);
		guint32 dir = dp_le32(ue + 12);
		if (dir < n && n - dir >= 8 && dp_le16(p + dir + 2) == RT_PERSIST_DIR) {
			gsize len = MIN((gsize)dp_le32(p + dir + 4), n - dir - 8);
			const guint8 *d = p + dir + 8;
			for (gsize pos = 0; pos + 4 <= len && budget > 0;) {
				guint32 head = dp_le32(d + pos);
				guint32 id = head & 0xFFFFF, count = head >> 20;
				pos += 4;
				for (guint32 i = 0; i < count && pos + 4 <= len && budget > 0;
				     i++, pos += 4, budget--) {
					gpointer key = GUINT_TO_POINTER(id + i);
					if (!g_hash_table_contains(map, key))
						g_hash_table_insert(map, key, GUINT_TO_POINTER(dp_le32(d + pos)));
				}
			}
		}
		edit = dp_le32(ue + 8);
	}
	if (k == 0)
		*why = "Current User does not point at a UserEditAtom";
	else if (*doc_ref == 0 || !g_hash_table_contains(map, GUINT_TO_POINTER(*doc_ref)))
		*why = "the persist directory has no entry for the document";
	else
		return g_steal_pointer(&map);
	return NULL;
}

/* The persist directory of the stream P (N bytes) through ROOT's Current User stream, or NULL with *WHY. */
static GHashTable *
persist_read(const guint8 *p, gsize n, GsfInfile *root, gsize max, guint32 *doc_ref, const char **why)
{
	const char *bad = NULL;
	g_autoptr(GBytes) cub = dp_ole_stream(root, "Current User", max, &bad);
	if (cub == NULL) {
		*why = "it has no readable Current User stream";
		return NULL;
	}
	gsize cun = 0;
	const guint8 *cu = g_bytes_get_data(cub, &cun);
	return persist_map(p, n, cu, cun, doc_ref, why);
}

GHashTable *
dp_ole_ppt_current(const guint8 *p, gsize n, GsfInfile *root, gsize max)
{
	guint32 doc_ref = 0;
	const char *why = NULL;
	g_autoptr(GHashTable) map = persist_read(p, n, root, max, &doc_ref, &why);
	if (map == NULL)
		return NULL;
	GHashTable *offsets = g_hash_table_new(NULL, NULL);
	GHashTableIter it;
	gpointer off;
	g_hash_table_iter_init(&it, map);
	while (g_hash_table_iter_next(&it, NULL, &off))
		g_hash_table_add(offsets, off);
	return offsets;
}

/*
 * The container at persist id REF, walked for its text once: a slide
 * list that names one slide (or ids that share one offset) again and
 * again gets its text once, so the work stays linear in the stream.
 * FALSE when the directory has no container there.
 */
static gboolean
walk_persist(Ppt *pp, const guint8 *p, gsize n, GHashTable *map, guint32 ref)
{
	gpointer off;
	if (!g_hash_table_lookup_extended(map, GUINT_TO_POINTER(ref), NULL, &off))
		return FALSE;
	gsize o = GPOINTER_TO_UINT(off);
	if (o > n || n - o < 8 || (dp_le16(p + o) & 0xF) != 0xF)
		return FALSE;
	if (!g_hash_table_add(pp->walked, off)) {
		pp->repeated++;
		return TRUE;
	}
	walk(pp, p + o + 8, MIN((gsize)dp_le32(p + o + 4), n - o - 8), 1, FALSE);
	return TRUE;
}

/* The shapes of slide REF (0: none), without its outline text again; then the next slide's outline. */
static void
slide_shapes(Ppt *pp, const guint8 *p, gsize n, GHashTable *map, guint32 ref)
{
	pp->collect = FALSE;
	if (ref != 0 && !walk_persist(pp, p, n, map, ref))
		pp->lost++;
	g_hash_table_remove_all(pp->outline);
	pp->collect = TRUE;
}

/*
 * The slides (instance 0 of SlideListWithText) and then the notes
 * (instance 2), in their list's order: each one's outline text from
 * the list, then its own container's.
 */
static void
read_lists(Ppt *pp, const guint8 *p, gsize n, GHashTable *map, const guint8 *doc, gsize dn)
{
	static const guint instances[] = { 0, 2 };
	for (guint k = 0; k < G_N_ELEMENTS(instances); k++) {
		for (gsize pos = 0; pos + 8 <= dn;) {
			guint16 vi = dp_le16(doc + pos), type = dp_le16(doc + pos + 2);
			gsize len = MIN((gsize)dp_le32(doc + pos + 4), dn - pos - 8);
			const guint8 *list = doc + pos + 8;
			pos += 8 + len;
			if (type != RT_SLIDE_LIST || (guint)(vi >> 4) != instances[k])
				continue;
			guint32 pending = 0;
			for (gsize q = 0; q + 8 <= len && !pp->over;) {
				guint16 t = dp_le16(list + q + 2);
				gsize l = MIN((gsize)dp_le32(list + q + 4), len - q - 8);
				if (t == RT_SLIDE_PERSIST && l >= 4) {
					slide_shapes(pp, p, n, map, pending);
					pending = dp_le32(list + q + 8);
				} else if (t == RT_TEXT_CHARS || t == RT_TEXT_BYTES) {
					add_text(pp, list + q + 8, l, t == RT_TEXT_CHARS);
				}
				q += 8 + l;
			}
			slide_shapes(pp, p, n, map, pending);
		}
	}
}

/*
 * The slides, notes, documents and embedded objects that earlier saves
 * left in the stream and the current version no longer points at (their
 * text is not read, the objects are no parts): the top records in
 * stream order, their offsets against the directory's.
 */
static guint
superseded(const guint8 *p, gsize n, GHashTable *map)
{
	g_autoptr(GHashTable) current = g_hash_table_new(NULL, NULL);
	GHashTableIter it;
	gpointer off;
	g_hash_table_iter_init(&it, map);
	while (g_hash_table_iter_next(&it, NULL, &off))
		g_hash_table_add(current, off);
	guint count = 0;
	for (gsize pos = 0; pos + 8 <= n && pos <= G_MAXUINT32;) {
		guint16 type = dp_le16(p + pos + 2);
		gsize len = dp_le32(p + pos + 4);
		if ((type == RT_DOCUMENT || type == RT_SLIDE || type == RT_NOTES || type == RT_EX_OLE_OBJ_STG) &&
		    !g_hash_table_contains(current, GSIZE_TO_POINTER(pos)))
			count++;
		if (len > n - pos - 8)
			break;
		pos += 8 + len;
	}
	return count;
}

/* The text through the persist directory; FALSE with *WHY when it cannot be followed. */
static gboolean
read_persist(Ppt *pp, const guint8 *p, gsize n, GsfInfile *root, gsize max, const char **why)
{
	guint32 doc_ref = 0;
	g_autoptr(GHashTable) map = persist_read(p, n, root, max, &doc_ref, why);
	if (map == NULL)
		return FALSE;
	gsize o = GPOINTER_TO_UINT(g_hash_table_lookup(map, GUINT_TO_POINTER(doc_ref)));
	if (o > n || n - o < 8 || dp_le16(p + o + 2) != RT_DOCUMENT) {
		*why = "the persist directory does not point at a document";
		return FALSE;
	}
	const guint8 *doc = p + o + 8;
	gsize dn = MIN((gsize)dp_le32(p + o + 4), n - o - 8);
	/* An encrypted file says so in its document container. */
	for (gsize pos = 0; pos + 8 <= dn;) {
		gsize len = MIN((gsize)dp_le32(doc + pos + 4), dn - pos - 8);
		if (dp_le16(doc + pos + 2) == RT_CRYPT_SESSION)
			pp->encrypted = TRUE;
		pos += 8 + len;
	}
	if (!pp->encrypted) {
		pp->outline = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		pp->walked = g_hash_table_new(NULL, NULL);
		read_lists(pp, p, n, map, doc, dn);
		g_clear_pointer(&pp->outline, g_hash_table_unref);
		g_clear_pointer(&pp->walked, g_hash_table_unref);
		pp->superseded = superseded(p, n, map);
	}
	return TRUE;
}

gboolean
dp_ole_ppt(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error)
{
	if (dp_ole_has(root, "EncryptedSummary")) {
		dp_doc_fail(doc, DP_STATUS_ENCRYPTED,
		            "PowerPoint presentation is encrypted; docpipe does not decrypt Office files");
		return TRUE;
	}
	g_autoptr(GBytes) s = dp_ole_main_stream(doc, root, "PowerPoint Document", "PowerPoint presentation", max);
	if (s == NULL)
		return TRUE;
	gsize n;
	const guint8 *p = g_bytes_get_data(s, &n);
	/*
	 * The text of a real presentation is at most about the stream's size
	 * (UTF-16 grows by half as UTF-8): slides listed again and again are
	 * cut there, whatever max-text-size allows.
	 */
	guint64 cap = 2 * (guint64)n + 65536;
	guint64 limit = ctx->max_text > 0 ? MIN(ctx->max_text, cap) : cap;
	Ppt pp = { .out = g_string_new(NULL), .limit = limit };
	const char *why = NULL;
	if (!read_persist(&pp, p, n, root, max, &why)) {
		/* Older versions' text may come again in stream order: the record says which way it was read. */
		g_string_truncate(pp.out, 0);
		pp.records = 0;
		pp.over = pp.damaged = FALSE;
		walk(&pp, p, n, 0, FALSE);
		g_autofree char *note = g_strdup_printf("%s; every version's text, older ones too", why);
		dp_doc_meta(doc, "stream-order", note);
	}
	if (pp.encrypted) {
		g_string_free(pp.out, TRUE);
		dp_doc_fail(doc, DP_STATUS_ENCRYPTED,
		            "PowerPoint presentation is encrypted; docpipe does not decrypt Office files");
		return TRUE;
	}
	if (pp.superseded > 0) {
		g_autofree char *count = g_strdup_printf("%u", pp.superseded);
		dp_doc_meta(doc, "superseded-versions", count);
	}
	if (pp.over && pp.records > MAX_RECORDS)
		dp_doc_fail(doc, DP_STATUS_LIMIT,
		            "PowerPoint presentation: more than %u records; the rest were not read", MAX_RECORDS);
	else if (pp.over && limit == cap)
		dp_doc_fail(doc, DP_STATUS_PARTIAL,
		            "PowerPoint presentation: more text than the stream holds (slides listed again); cut");
	else if (pp.damaged)
		dp_doc_fail(doc, DP_STATUS_PARTIAL, "PowerPoint presentation: a record runs past its container");
	else if (pp.repeated > 0)
		dp_doc_fail(doc, DP_STATUS_PARTIAL,
		            "PowerPoint presentation: %u slides listed again; the text of each read once", pp.repeated);
	else if (pp.lost > 0)
		dp_doc_fail(doc, DP_STATUS_PARTIAL,
		            "PowerPoint presentation: %u slides or notes not found through the persist directory",
		            pp.lost);
	dp_doc_take_text(ctx, doc, pp.out);
	return TRUE;
}
