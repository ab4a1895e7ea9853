/*
 * detect.c: content sniffing over libmagic.
 *
 * libmagic alone gets several of our inputs wrong (a PDF with bytes before
 * its header is "application/octet-stream", an mbox or a message that
 * contains HTML is "text/html"), so the formats docpipe extracts are
 * recognised by their own structure first.
 */
#include "docpipe.h"

#include <magic.h>

static GMutex magic_lock;
static magic_t magic_cookie;

/* libmagic is loaded once, on first use: its database costs milliseconds. */
static const char *
magic_type(const guint8 *data, gsize len)
{
	const char *t = NULL;
	g_mutex_lock(&magic_lock);
	if (magic_cookie == NULL) {
		magic_cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_ERROR);
		if (magic_cookie != NULL && magic_load(magic_cookie, NULL) != 0) {
			magic_close(magic_cookie);
			magic_cookie = NULL;
		}
	}
	if (magic_cookie != NULL)
		t = magic_buffer(magic_cookie, data, len);
	/* Interned: the set of MIME type names is small and bounded. */
	const char *res = g_intern_string(t ? t : DP_TYPE_UNKNOWN);
	g_mutex_unlock(&magic_lock);
	return res;
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
	static const char *names[] = { "received", "from", "to", "subject", "date", "message-id", "return-path",
				       "mime-version", "delivered-to", "reply-to", "x-mailer", "content-type",
				       "sender", "cc", "x-original-to", "dkim-signature", "arc-seal",
				       "x-mozilla-status", "x-account-key", "in-reply-to", "references",
				       "thread-topic", "user-agent", "envelope-to", "authentication-results" };
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

static const char *html_tags[] = { "<!doctype html", "<html", "<head", "<body", "<title", "<meta ", "<table",
				   "<div", "<p>", "<h1", "<script", "<iframe", "<br" };

/* HTML markup near the start of ASCII-compatible text. */
static gboolean
looks_like_html(const guint8 *d, gsize len)
{
	gsize n = MIN(len, 8192);
	for (gsize i = 0; i < n; i++) {
		if (d[i] != '<')
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
	gsize n = MIN(len, 65536);
	for (gsize i = 0; i < n; i++) {
		guint8 c = d[i];
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
	for (gsize i = 0; i + 5 <= n; i++)
		if (d[i] == '%' && memcmp(d + i, "%PDF-", 5) == 0)
			return TRUE;
	return FALSE;
}

char *
dp_detect_type(const guint8 *data, gsize len, const char *name)
{
	if (len == 0)
		return g_strdup(DP_TYPE_EMPTY);
	if (find_pdf_header(data, len))
		return g_strdup(DP_TYPE_PDF);
	if (len >= 4 && data[0] == 'P' && data[1] == 'K' &&
	    ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6)))
		return g_strdup(DP_TYPE_ZIP);

	gsize bom;
	const char *bomcs = dp_text_bom_charset(data, len, &bom);
	if (bomcs != NULL && !g_str_equal(bomcs, "utf-8")) {
		/* UTF-16/32 text: decode the start and look again. */
		gsize dlen;
		g_autofree char *head = dp_text_decode(data, MIN(len, 16384), NULL, NULL, &dlen, NULL);
		return g_strdup(looks_like_html((const guint8 *)head, dlen) ? DP_TYPE_HTML : DP_TYPE_TEXT);
	}
	const guint8 *d = data + bom;
	gsize dl = len - bom;
	if (looks_like_mbox(d, dl))
		return g_strdup(DP_TYPE_MBOX);
	if (looks_like_message(d, dl))
		return g_strdup(DP_TYPE_RFC822);
	if (looks_like_html(d, dl))
		return g_strdup(DP_TYPE_HTML);

	/*
	 * Text without control bytes is plain text to us whatever libmagic
	 * would call it (source code, CSV, JSON): answering here spares the
	 * milliseconds libmagic spends compiling its regular expressions for
	 * text.  PostScript and SVG look like text but are not ours to read.
	 */
	if (looks_like_text(d, dl) && !has_prefix_ci(d, dl, "%!") && !has_prefix_ci(d, dl, "<?xml") &&
	    !has_prefix_ci(d, dl, "<svg"))
		return g_strdup(DP_TYPE_TEXT);

	const char *m = magic_type(data, len);
	if (g_str_equal(m, "application/xhtml+xml"))
		return g_strdup(DP_TYPE_HTML);
	if (g_str_has_prefix(m, "text/") && !g_str_equal(m, DP_TYPE_HTML)) {
		/* Source code, CSV and friends are all plain text to us. */
		(void)name;
		return g_strdup(DP_TYPE_TEXT);
	}
	if (g_str_equal(m, DP_TYPE_UNKNOWN) && g_utf8_validate((const char *)d, (gssize)MIN(dl, 65536), NULL) &&
	    memchr(d, '\0', MIN(dl, 65536)) == NULL)
		return g_strdup(DP_TYPE_TEXT);
	return g_strdup(m);
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
