/*
 * NAME
 *	detect.c - what an input is: content sniffing over libmagic, and the
 *	detect record of an input path
 *
 * DESCRIPTION
 *	libmagic alone gets several of our inputs wrong (a PDF with bytes
 *	before its header is "application/octet-stream", an mbox or a
 *	message that contains HTML is "text/html"), so the formats docpipe
 *	extracts are recognised by their own structure first
 *	(dp_detect_sniff()), and libmagic (dp_detect_magic()) asked only for
 *	the rest.  dp_detect_input() makes an input path's detect record and
 *	dp_detect_record_bytes() the bytes an extractor is given for a
 *	record; `docpipe convert`, the batch workers and the stage
 *	executables all use these two.
 *
 * SECURITY
 *	The sniffers read at most the first 64 KiB of untrusted bytes (and,
 *	for a zip, the last 64 KiB and the central directory they point to,
 *	at most 65,536 names), with bounds checked at every step, and may run
 *	in any process.  libmagic
 *	is a large parser of the same bytes: where the sandbox is on it runs
 *	only in the sandboxed child (the callers then leave out
 *	DP_DETECT_MAGIC, and dp_extract() asks it there).  Special files are
 *	never opened, so never waited on.
 */
#include "core/detect.h"

#include "core/record.h"
#include "core/text.h"
#include "util/exitcode.h"
#include "util/fileio.h"
#include "util/hash.h"

#include <errno.h>
#include <magic.h>
#include <sys/stat.h>
#include <string.h>

#include "util/banned.h"

static void
magic_free(gpointer cookie)
{
	if (cookie != NULL)
		magic_close(cookie);
}

/*
 * A libmagic handle per thread (the threads extracting a mailbox's
 * messages each ask it), opened on first use.  Its database is a mapping
 * of the compiled magic file, shared between them.
 */
static GPrivate magic_cookie = G_PRIVATE_INIT(magic_free);

static magic_t
magic_cookie_get(void)
{
	magic_t cookie = g_private_get(&magic_cookie);
	if (cookie == NULL) {
		cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
		if (cookie != NULL && magic_load(cookie, NULL) != 0) {
			magic_close(cookie);
			cookie = NULL;
		}
		g_private_set(&magic_cookie, cookie);
	}
	return cookie;
}

void
dp_detect_magic_prepare(void)
{
	(void)magic_cookie_get();
}

static const char *
magic_type(const guint8 *data, gsize len)
{
	magic_t cookie = magic_cookie_get();
	const char *t = cookie != NULL ? magic_buffer(cookie, data, len) : NULL;
	/* Interned: the set of MIME type names is small and bounded. */
	return g_intern_string(t ? t : DP_TYPE_UNKNOWN);
}

/*
 * libmagic's answers by content.  Its cost is fixed by its ~3,000 tests,
 * not by the size of the data: about half a millisecond for bytes it
 * cannot name, whatever their length.  In a mailbox the same attachment
 * comes back again and again (forwarded files, a logo in every
 * signature), and the dispatch has its SHA-256 already, so the answer for
 * those bytes is looked up instead.  The answer depends on the bytes
 * alone, so output is the same with or without the cache.  Bounded: past
 * MAGIC_CACHE_MAX distinct contents nothing more is added.  Shared by the
 * threads of a mailbox; lives as long as the process (the sandboxed
 * parser: one input).
 */
#define MAGIC_CACHE_MAX 4096
static GMutex magic_cache_lock;
static GHashTable *magic_cache; /* "<sha256>:<length>" -> interned type */

static const char *
magic_type_keyed(const guint8 *data, gsize len, const char *sha256)
{
	if (sha256 == NULL)
		return magic_type(data, len);
	g_autofree char *key = g_strdup_printf("%s:%" G_GSIZE_FORMAT, sha256, len);
	g_mutex_lock(&magic_cache_lock);
	const char *t = magic_cache ? g_hash_table_lookup(magic_cache, key) : NULL;
	g_mutex_unlock(&magic_cache_lock);
	if (t != NULL)
		return t;
	t = magic_type(data, len);
	g_mutex_lock(&magic_cache_lock);
	if (magic_cache == NULL)
		magic_cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	if (g_hash_table_size(magic_cache) < MAGIC_CACHE_MAX)
		g_hash_table_insert(magic_cache, g_steal_pointer(&key), (gpointer)t);
	g_mutex_unlock(&magic_cache_lock);
	return t;
}

static gboolean
has_prefix_ci(const guint8 *d, gsize len, const char *s)
{
	gsize n = strlen(s);
	return len >= n && g_ascii_strncasecmp((const char *)d, s, n) == 0;
}

/* A mail header line: a field name of printable ASCII, then a colon. */
static gsize
header_name_len(const guint8 *d, gsize len)
{
	gsize i = 0;
	while (i < len && i < 80 && d[i] > 32 && d[i] < 127 && d[i] != ':')
		i++;
	return (i > 0 && i < len && d[i] == ':') ? i : 0;
}

static gboolean
known_mail_header(const guint8 *d, gsize n)
{
	static const char *names[] = { "received",
		                       "from",
		                       "to",
		                       "subject",
		                       "date",
		                       "message-id",
		                       "return-path",
		                       "mime-version",
		                       "delivered-to",
		                       "reply-to",
		                       "x-mailer",
		                       "content-type",
		                       "sender",
		                       "cc",
		                       "x-original-to",
		                       "dkim-signature",
		                       "arc-seal",
		                       "x-mozilla-status",
		                       "x-account-key",
		                       "in-reply-to",
		                       "references",
		                       "thread-topic",
		                       "user-agent",
		                       "envelope-to",
		                       "authentication-results" };
	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		if (strlen(names[i]) == n && g_ascii_strncasecmp((const char *)d, names[i], n) == 0)
			return TRUE;
	return FALSE;
}

/*
 * An RFC 822 message starts with a header block: header lines (with folded
 * continuations) up to a blank line, with at least two fields and at least
 * one that mail always has.
 */
static gboolean
looks_like_message(const guint8 *d, gsize len)
{
	gsize pos = 0, fields = 0, known = 0;
	len = MIN(len, 65536);
	while (pos < len) {
		const guint8 *nl = memchr(d + pos, '\n', len - pos);
		gsize end = nl ? (gsize)(nl - d) : len;
		gsize llen = end - pos;
		if (llen > 0 && d[end - 1] == '\r')
			llen--;
		if (llen == 0)
			break; /* the blank line that ends the header */
		if (d[pos] == ' ' || d[pos] == '\t') {
			if (fields == 0)
				return FALSE;
		} else {
			gsize n = header_name_len(d + pos, llen);
			if (n == 0)
				return FALSE;
			fields++;
			known += known_mail_header(d + pos, n);
		}
		if (nl == NULL)
			break;
		pos = end + 1;
	}
	return fields >= 2 && known >= 1;
}

/* "From " line of an mbox: "From " then a sender, then a date. */
static gboolean
looks_like_mbox(const guint8 *d, gsize len)
{
	if (len >= 5 && memcmp(d, "\x01\x01\x01\x01\n", 5) == 0)
		return TRUE; /* MMDF */
	if (!has_prefix_ci(d, len, "From ") || memcmp(d, "From ", 5) != 0)
		return FALSE;
	const guint8 *nl = memchr(d, '\n', MIN(len, 1024));
	if (nl == NULL)
		return FALSE;
	gsize next = (gsize)(nl - d) + 1;
	if (looks_like_message(d + next, len - next))
		return TRUE;
	/*
	 * A short message may have one header or none ("From a@b Mon Jun 1
	 * 10:00:00 2009", a blank line, a body): then the From_ line itself
	 * must carry the envelope's time of day.
	 */
	for (gsize i = 5; i + 5 <= next; i++)
		if (g_ascii_isdigit(d[i]) && g_ascii_isdigit(d[i + 1]) && d[i + 2] == ':' &&
		    g_ascii_isdigit(d[i + 3]) && g_ascii_isdigit(d[i + 4]))
			return TRUE;
	return FALSE;
}

static const char *html_tags[] = { "<!doctype html", "<html", "<head", "<body",   "<title",  "<meta ", "<table",
	                           "<div",           "<p>",   "<h1",   "<script", "<iframe", "<br" };

/* HTML markup near the start of ASCII-compatible text. */
static gboolean
looks_like_html(const guint8 *d, gsize len)
{
	gsize n = MIN(len, 8192);
	for (gsize i = 0; i < n; i++) {
		const guint8 *lt = memchr(d + i, '<', n - i);
		if (lt == NULL)
			break;
		i = (gsize)(lt - d);
		/* Most '<' in binary data or text start no tag of the list. */
		if (i + 1 >= n || strchr("!hbtmdpsiHBTMDPSI", d[i + 1]) == NULL || d[i + 1] == '\0')
			continue;
		for (guint t = 0; t < G_N_ELEMENTS(html_tags); t++)
			if (has_prefix_ci(d + i, n - i, html_tags[t]))
				return TRUE;
	}
	return FALSE;
}

/* No NULs and no control bytes but whitespace, ESC and form feed. */
static gboolean
looks_like_text(const guint8 *d, gsize len)
{
	const guint64 ones = G_GUINT64_CONSTANT(0x0101010101010101), high = ones * 0x80;
	gsize n = MIN(len, 65536);
	for (gsize i = 0; i < n;) {
		if (n - i >= 8) {
			/* Eight bytes at a time past those with no byte < 0x20 and no DEL. */
			guint64 w, x;
			memcpy(&w, d + i, 8);
			x = w ^ (ones * 0x7f);
			if ((((w - ones * 0x20) & ~w) | ((x - ones) & ~x)) & high) {
				for (gsize k = i; k < i + 8; k++) {
					guint8 c = d[k];
					if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' &&
					     c != 0x1b) ||
					    c == 0x7f)
						return FALSE;
				}
			}
			i += 8;
			continue;
		}
		guint8 c = d[i++];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) || c == 0x7f)
			return FALSE;
	}
	return TRUE;
}

static gboolean
find_pdf_header(const guint8 *d, gsize len)
{
	/* Readers accept the header anywhere in the first kilobyte. */
	gsize n = MIN(len, 1024);
	for (gsize i = 0; i + 5 <= n; i++) {
		const guint8 *pc = memchr(d + i, '%', n - 4 - i);
		if (pc == NULL)
			return FALSE;
		i = (gsize)(pc - d);
		if (memcmp(d + i, "%PDF-", 5) == 0)
			return TRUE;
	}
	return FALSE;
}

/*
 * The image formats OCR reads, by their magic bytes at offset 0.  A BMP
 * has only "BM", so its header must also hold a plausible size of the
 * info header (12, 40, 52, 56, 64, 108 or 124 bytes) and a zero reserved
 * field, or text starting with "BM" would be taken for an image.
 */
static const char *
sniff_image(const guint8 *d, gsize len)
{
	if (len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
		return DP_TYPE_PNG;
	if (len >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
		return DP_TYPE_JPEG;
	if (len >= 4 && (memcmp(d, "II*\0", 4) == 0 || memcmp(d, "MM\0*", 4) == 0))
		return DP_TYPE_TIFF;
	if (len >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
		return DP_TYPE_GIF;
	if (len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
		return DP_TYPE_WEBP;
	if (len >= 18 && d[0] == 'B' && d[1] == 'M' && d[6] == 0 && d[7] == 0 && d[8] == 0 && d[9] == 0) {
		guint32 info = (guint32)d[14] | (guint32)d[15] << 8 | (guint32)d[16] << 16 | (guint32)d[17] << 24;
		if (info == 12 || info == 40 || info == 52 || info == 56 || info == 64 || info == 108 || info == 124)
			return DP_TYPE_BMP;
	}
	return NULL;
}

/*
 * RTF ("{\rtf", which would pass for text), TNEF (winmail.dat: the
 * signature 0x223E9F78, little-endian) and PST/OST ("!BDN"), each by its
 * bytes at offset 0.
 */
static const char *
sniff_outlook(const guint8 *d, gsize len)
{
	if (len >= 5 && memcmp(d, "{\\rtf", 5) == 0)
		return DP_TYPE_RTF;
	if (len >= 4 && memcmp(d, "\x78\x9f\x3e\x22", 4) == 0)
		return DP_TYPE_TNEF;
	if (len >= 4 && memcmp(d, "!BDN", 4) == 0)
		return DP_TYPE_PST;
	return NULL;
}

static guint
le16(const guint8 *p)
{
	return (guint)p[0] | (guint)p[1] << 8;
}

static guint32
le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/*
 * OpenDocument and EPUB: a first entry named "mimetype", stored, whose
 * bytes are the type (the format's rule, so that this check works).
 */
static const char *
sniff_mimetype_entry(const guint8 *d, gsize len)
{
	static const char *types[] = { DP_TYPE_ODT, DP_TYPE_ODS, DP_TYPE_ODP, DP_TYPE_EPUB };
	if (len < 30 || memcmp(d, "PK\3\4", 4) != 0 || le16(d + 8) != 0)
		return NULL;
	gsize nlen = le16(d + 26), elen = le16(d + 28), clen = le32(d + 18);
	if (nlen != 8 || 30 + nlen > len || memcmp(d + 30, "mimetype", 8) != 0)
		return NULL;
	gsize off = 30 + nlen + elen;
	if (clen > 100 || off > len || clen > len - off)
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS(types); i++)
		if (clen == strlen(types[i]) && memcmp(d + off, types[i], clen) == 0)
			return types[i];
	return NULL;
}

/*
 * Office Open XML: [Content_Types].xml and the main part among the names
 * of the central directory (an EPUB: META-INF/container.xml), found from the end-of-directory record at the
 * end of the bytes, as libmagic does.  Bounded: the last 64 KiB are
 * searched for that record, and at most 65,536 names are looked at.
 */
static const char *
sniff_ooxml(const guint8 *d, gsize len)
{
	if (len < 22)
		return NULL;
	gsize stop = len > 22 + 65535 ? len - 22 - 65535 : 0;
	gsize eocd = len - 22;
	while (memcmp(d + eocd, "PK\5\6", 4) != 0) {
		if (eocd == stop)
			return NULL;
		eocd--;
	}
	gsize count = le16(d + eocd + 10), off = le32(d + eocd + 16);
	gboolean types = FALSE, epub = FALSE;
	const char *main = NULL;
	for (gsize i = 0; i < count && i < 65536; i++) {
		if (off > len || len - off < 46 || memcmp(d + off, "PK\1\2", 4) != 0)
			break;
		gsize nlen = le16(d + off + 28), rest = nlen + le16(d + off + 30) + le16(d + off + 32);
		if (len - off - 46 < nlen)
			break;
		const guint8 *name = d + off + 46;
#define NAME_IS(s) (nlen == sizeof(s) - 1 && memcmp(name, s, nlen) == 0)
		if (NAME_IS("[Content_Types].xml"))
			types = TRUE;
		else if (NAME_IS("word/document.xml"))
			main = DP_TYPE_DOCX;
		else if (NAME_IS("xl/workbook.xml"))
			main = DP_TYPE_XLSX;
		else if (NAME_IS("ppt/presentation.xml"))
			main = DP_TYPE_PPTX;
		else if (NAME_IS("META-INF/container.xml"))
			epub = TRUE;
#undef NAME_IS
		if (types && main != NULL)
			return main;
		off += 46 + rest;
	}
	/*
	 * An EPUB whose mimetype entry is not first or is compressed (some
	 * tools write them so) still has its container; no OOXML has one.
	 */
	return epub && !types ? DP_TYPE_EPUB : NULL;
}

/* A zip, or one of the office packages that are zips. */
static const char *
sniff_zip(const guint8 *d, gsize len)
{
	const char *t = sniff_mimetype_entry(d, len);
	if (t == NULL)
		t = sniff_ooxml(d, len);
	return t != NULL ? t : DP_TYPE_ZIP;
}

const char *
dp_detect_sniff(const guint8 *data, gsize len)
{
	if (len == 0)
		return DP_TYPE_EMPTY;
	if (find_pdf_header(data, len))
		return DP_TYPE_PDF;
	if (len >= 4 && data[0] == 'P' && data[1] == 'K' &&
	    ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6)))
		return sniff_zip(data, len);
	/* The OLE2 signature; extract/ole.c tells Word from Excel by the root entries. */
	if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return DP_TYPE_OLE2;
	const char *image = sniff_image(data, len);
	if (image != NULL)
		return image;
	const char *outlook = sniff_outlook(data, len);
	if (outlook != NULL)
		return outlook;

	gsize bom;
	const char *bomcs = dp_text_bom_charset(data, len, &bom);
	if (bomcs != NULL && !g_str_equal(bomcs, "utf-8")) {
		/* UTF-16/32 text: decode the start and look again. */
		gsize dlen;
		g_autofree char *head = dp_text_decode(data, MIN(len, 16384), NULL, NULL, &dlen, NULL);
		return looks_like_html((const guint8 *)head, dlen) ? DP_TYPE_HTML : DP_TYPE_TEXT;
	}
	const guint8 *d = data + bom;
	gsize dl = len - bom;
	if (looks_like_mbox(d, dl))
		return DP_TYPE_MBOX;
	if (looks_like_message(d, dl))
		return DP_TYPE_RFC822;
	if (looks_like_html(d, dl))
		return DP_TYPE_HTML;

	/*
	 * Text without control bytes is plain text to us whatever libmagic
	 * would call it (source code, CSV, JSON): answering here spares the
	 * milliseconds libmagic spends compiling its regular expressions for
	 * text.  PostScript and SVG look like text but are not ours to read.
	 */
	if (looks_like_text(d, dl) && !has_prefix_ci(d, dl, "%!") && !has_prefix_ci(d, dl, "<?xml") &&
	    !has_prefix_ci(d, dl, "<svg"))
		return DP_TYPE_TEXT;
	return NULL;
}

char *
dp_detect_type(const guint8 *data, gsize len, const char *sha256)
{
	const char *sniffed = dp_detect_sniff(data, len);
	if (sniffed != NULL)
		return g_strdup(sniffed);
	return dp_detect_magic(data, len, sha256);
}

char *
dp_detect_magic(const guint8 *data, gsize len, const char *sha256)
{
	gsize bom;
	dp_text_bom_charset(data, len, &bom);
	const guint8 *d = data + bom;
	gsize dl = len - bom;

	const char *m = magic_type_keyed(data, len, sha256);
	if (g_str_equal(m, "application/xhtml+xml"))
		return g_strdup(DP_TYPE_HTML);
	if (g_str_has_prefix(m, "text/") && !g_str_equal(m, DP_TYPE_HTML)) {
		/* Source code, CSV and friends are all plain text to us. */
		return g_strdup(DP_TYPE_TEXT);
	}
	if (g_str_equal(m, DP_TYPE_UNKNOWN) && g_utf8_validate((const char *)d, (gssize)MIN(dl, 65536), NULL) &&
	    memchr(d, '\0', MIN(dl, 65536)) == NULL)
		return g_strdup(DP_TYPE_TEXT);
	return g_strdup(m);
}

gboolean
dp_type_is_message(const char *type)
{
	return type != NULL && (g_str_equal(type, DP_TYPE_RFC822) || g_str_equal(type, DP_TYPE_MSG) ||
	                        g_str_equal(type, DP_TYPE_PRINTED));
}

const char *
dp_detect_directory(const char *path)
{
	static const char *subs[] = { "cur", "new", "tmp" };
	guint found = 0;
	for (guint i = 0; i < G_N_ELEMENTS(subs); i++) {
		g_autofree char *p = g_build_filename(path, subs[i], NULL);
		found += g_file_test(p, G_FILE_TEST_IS_DIR);
	}
	/* Some exports drop the empty tmp/; cur/ and new/ are enough. */
	return found >= 2 ? DP_TYPE_MAILDIR : "inode/directory";
}

/* The record of a path that is not read: a directory, a FIFO, a device. */
static void
set_path_id(DpRecord *rec, const char *path)
{
	g_autofree char *sum = dp_sha256_hex(path, strlen(path));
	g_autofree char *id = dp_id_root(sum);
	dp_record_set(rec, DP_F_ID, id);
}

DpRecord *
dp_detect_input(const char *path, guint64 max, DpDetectFlags flags, GBytes **data, GError **error)
{
	g_autoptr(DpRecord) rec = dp_record_new();
	g_autoptr(GBytes) bytes = NULL;
	*data = NULL;
	dp_record_set(rec, DP_F_SOURCE, path);
	if (g_str_equal(path, "-")) {
		bytes = dp_read_fd(0, "<stdin>", max, error);
		if (bytes == NULL)
			return NULL;
	} else {
		struct stat st;
		if (stat(path, &st) != 0) {
			int e = errno;
			g_set_error(error, DP_ERROR, DP_EXIT_NOINPUT, "cannot open '%s': %s", path, g_strerror(e));
			return NULL;
		}
		if (S_ISDIR(st.st_mode)) {
			set_path_id(rec, path);
			dp_record_set(rec, DP_F_TYPE, dp_detect_directory(path));
			return g_steal_pointer(&rec);
		}
		if (!S_ISREG(st.st_mode)) {
			/* Reading a FIFO or a device could block forever. */
			set_path_id(rec, path);
			dp_record_set(rec, DP_F_TYPE, "inode/x-special");
			dp_record_set(rec, DP_F_STATUS, DP_STATUS_SKIPPED);
			dp_record_set(rec, DP_F_ERROR, "not a regular file");
			return g_steal_pointer(&rec);
		}
		bytes = dp_read_file(path, max, error);
		if (bytes == NULL)
			return NULL;
	}
	gsize len;
	const guint8 *d = g_bytes_get_data(bytes, &len);
	/* The hash of a large input is a good part of its conversion: see dp_isolate_extract(). */
	gboolean defer = (flags & DP_DETECT_DEFER_HASH) != 0;
	g_autofree char *sha = defer ? g_strdup(DP_HASH_PENDING) : dp_sha256_bytes(bytes);
	g_autofree char *id = defer ? g_strdup(DP_HASH_PENDING) : dp_id_root(sha);
	g_autofree char *type = NULL;
	if (flags & DP_DETECT_MAGIC) {
		type = dp_detect_type(d, len, NULL);
	} else {
		const char *sniffed = dp_detect_sniff(d, len);
		type = g_strdup(sniffed ? sniffed : DP_TYPE_UNKNOWN);
		/* libmagic parses hostile bytes: the sandboxed child runs it. */
		if (sniffed == NULL)
			dp_record_set(rec, DP_F_DETECT, "deferred");
	}
	/* A file that shrank under its mapping read as zeros past the cut. */
	if (!dp_bytes_check(bytes, path, error))
		return NULL;
	dp_record_set(rec, DP_F_ID, id);
	dp_record_set(rec, DP_F_TYPE, type);
	dp_record_set(rec, DP_F_SHA256, sha);
	dp_record_setf(rec, DP_F_SIZE, "%" G_GSIZE_FORMAT, len);
	*data = g_steal_pointer(&bytes);
	return g_steal_pointer(&rec);
}

GBytes *
dp_detect_record_bytes(DpRecord *rec, GBytes *data, guint64 max, GError **error)
{
	if (data != NULL)
		return g_bytes_ref(data);
	if (dp_record_get(rec, DP_F_STATUS) != NULL)
		return NULL; /* settled by detect (skipped) */
	const char *type = dp_record_get(rec, DP_F_TYPE);
	if (type != NULL && g_str_equal(type, DP_TYPE_MAILDIR))
		return g_bytes_new(NULL, 0); /* its extractor reads the directory (source) */
	if (type != NULL && g_str_equal(type, "inode/directory")) {
		dp_record_set(rec, DP_F_STATUS, DP_STATUS_UNSUPPORTED);
		return NULL;
	}
	if (dp_record_get(rec, DP_F_DATA) != NULL)
		return g_bytes_new(rec->body->str, rec->body->len);
	const char *source = dp_record_get(rec, DP_F_SOURCE);
	return dp_read_file(source ? source : "", max, error);
}
