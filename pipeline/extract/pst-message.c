/*
 * NAME
 *	pst-message.c: one message of a PST/OST file as an RFC 822 message.
 *
 * DESCRIPTION
 *	docpipe reads e-mail with GMime (extract/mail.c); a PST message made
 *	into RFC 822 goes through the same extractor and gets the same record
 *	(from, to, cc, subject, date, date-iso, message-id, the body as text,
 *	the attachments as parts) as the same message saved as .eml.  The
 *	headers are the message's transport headers when it came from the
 *	Internet (their own MIME headers dropped, ours put instead), else
 *	made from its MAPI properties.  The body is the plain-text body, else
 *	the text of the RTF body (extract/rtf.c), else the HTML body.  A
 *	part's bytes go in as they are (binary), so that GMime reads them in
 *	place, unless they hold the prefix of our boundaries: those are base64,
 *	so that no content can be read as a boundary.
 *
 * SECURITY
 *	Every value comes from the untrusted file through libpff.  Header
 *	values lose their line breaks and non-ASCII ones are RFC 2047 words;
 *	transport header lines that could pass for a boundary are dropped;
 *	an attachment larger than the part limit is not copied; attached
 *	messages nest to a fixed depth.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "extract/pst.h"

#include "extract/rtf.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

/* MAPI property ids (MS-OXPROPS) read here. */
#define PID_SUBJECT 0x0037
#define PID_SENDER_NAME 0x0C1A
#define PID_SENDER_EMAIL 0x0C1F
#define PID_SENDER_SMTP 0x5D01
#define PID_DISPLAY_TO 0x0E04
#define PID_DISPLAY_CC 0x0E03
#define PID_MESSAGE_ID 0x1035
#define PID_TRANSPORT_HEADERS 0x007D
#define PID_RECIPIENT_TYPE 0x0C15
#define PID_DISPLAY_NAME 0x3001
#define PID_EMAIL_ADDRESS 0x3003
#define PID_SMTP_ADDRESS 0x39FE
#define PID_ATTACH_FILENAME 0x3704
#define PID_ATTACH_LONG_FILENAME 0x3707
#define PID_ATTACH_MIME_TAG 0x370E
#define PID_RTF_COMPRESSED 0x1009

/* Attached messages in attached messages: deeper ones are not copied. */
#define MAX_NESTING 4
/* The largest header string and attachment property kept, with its NUL. */
#define MAX_MESSAGE_STRING (16 * 1024 * 1024)
#define MAX_ITEM_STRING (1024 * 1024)
#define PID_BODY 0x1000

char *
dp_pst_error_take(libpff_error_t **error)
{
	char buf[512] = "";
	if (error != NULL && *error != NULL) {
		(void)libpff_error_sprint(*error, buf, sizeof buf);
		libpff_error_free(error);
	}
	/* libpff's message is a backtrace of lines: the last says what failed. */
	g_strstrip(buf);
	const char *last = strrchr(buf, '\n');
	g_autofree char *line = g_strdup(last != NULL ? last + 1 : buf);
	return g_utf8_make_valid(*line != '\0' ? line : "libpff error", -1);
}

/* The entry ID of record set SET of ITEM (recipients, an attachment), or NULL. */
static libpff_record_entry_t *
item_entry(libpff_item_t *item, int set, uint32_t id)
{
	libpff_record_set_t *rs = NULL;
	libpff_record_entry_t *entry = NULL;
	libpff_error_t *err = NULL;
	if (libpff_item_get_record_set_by_index(item, set, &rs, &err) != 1 ||
	    libpff_record_set_get_entry_by_type(rs, id, 0, &entry, LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE,
	                                        &err) != 1)
		entry = NULL;
	libpff_error_free(&err);
	libpff_record_set_free(&rs, NULL);
	return entry;
}

/* PT_UNICODE: a string value in UTF-16LE (MS-OXCDATA 2.11.1). */
#define VALUE_TYPE_UNICODE 0x001F

/* A little-endian 16-bit value. */
static guint
le16(const guint8 *p)
{
	return (guint)p[0] | (guint)p[1] << 8;
}

/*
 * The character at *AT in the UTF-16LE bytes DATA (SIZE of them), *AT
 * moved past it; FALSE for a surrogate out of its pair.
 */
static gboolean
utf16le_next(const guint8 *data, gsize size, gsize *at, gunichar *c)
{
	gunichar hi = le16(data + *at);
	*at += 2;
	if (hi >= 0xDC00 && hi <= 0xDFFF)
		return FALSE;
	if (hi < 0xD800 || hi > 0xDBFF) {
		*c = hi;
		return TRUE;
	}
	gunichar lo = *at + 1 < size ? le16(data + *at) : 0;
	if (lo < 0xDC00 || lo > 0xDFFF)
		return FALSE;
	*at += 2;
	*c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
	return TRUE;
}

/*
 * The UTF-8 of the UTF-16LE bytes DATA (SIZE of them, even) up to the
 * first NUL, or NULL when they hold a byte order mark or a surrogate out
 * of its pair (libpff's own conversion then decides what they are), or
 * when the UTF-8 would be MAX bytes or more.  Two passes, the first to
 * size the result exactly: a value may be as large as a part.
 */
static char *
utf16le_to_utf8(const guint8 *data, gsize size, gsize max, gboolean *too_large)
{
	*too_large = FALSE;
	if (size >= 2 && (le16(data) == 0xFEFF || le16(data) == 0xFFFE))
		return NULL;
	gsize len = 0;
	gunichar c = 0;
	for (gsize i = 0; i + 1 < size;) {
		if (!utf16le_next(data, size, &i, &c))
			return NULL;
		if (c == 0)
			break;
		len += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
	}
	if (len >= max) {
		*too_large = TRUE;
		return NULL;
	}
	char *out = g_malloc(len + 1);
	char *o = out;
	for (gsize i = 0; i + 1 < size;) {
		(void)utf16le_next(data, size, &i, &c);
		if (c == 0)
			break;
		if (c < 0x80)
			*o++ = (char)c;
		else
			o += g_unichar_to_utf8(c, o);
	}
	*o = '\0';
	return out;
}

/*
 * The string property ID of record set SET of ITEM, converted in one pass
 * when it is UTF-16LE.  libpff converts a value twice (once for its size,
 * once for its bytes), a character at a time: 7% of docpipe's CPU on a
 * mailbox, most of it the bodies.  Its libuna (20180714) also decodes
 * surrogate pairs wrong (U+1F600 comes out as U+1F201): characters
 * outside the BMP are now those of the file, as readpst gives them.  TRUE when that decided: *OUT is the
 * string, or NULL when it is MAX bytes or more (as libpff's size with the
 * NUL would be over MAX); FALSE for anything else (no such property,
 * another type, empty, odd or not well formed), which libpff's own
 * functions then read as before, with the same result.
 */
static gboolean
unicode_value(libpff_item_t *item, int set, uint32_t id, gsize max, char **out)
{
	/* For tests only: every string through libpff, to compare the records. */
	static int libpff_only = -1;
	if (libpff_only < 0)
		libpff_only = g_getenv("DOCPIPE_PST_LIBPFF_STRINGS") != NULL;
	libpff_record_entry_t *entry = libpff_only ? NULL : item_entry(item, set, id);
	if (entry == NULL)
		return FALSE;
	uint32_t type = 0;
	size_t size = 0;
	libpff_error_t *err = NULL;
	g_autofree uint8_t *buf = NULL;
	/* A value of more than 4 bytes a character of MAX: libpff decides, as before. */
	if (libpff_record_entry_get_value_type(entry, &type, &err) == 1 && type == VALUE_TYPE_UNICODE &&
	    libpff_record_entry_get_data_size(entry, &size, &err) == 1 && size > 0 && size % 2 == 0 &&
	    size / 4 <= max) {
		buf = g_malloc(size);
		if (libpff_record_entry_get_data(entry, buf, size, &err) != 1)
			g_clear_pointer(&buf, g_free);
	}
	libpff_error_free(&err);
	libpff_record_entry_free(&entry, NULL);
	gboolean too_large = FALSE;
	*out = buf != NULL ? utf16le_to_utf8(buf, size, max, &too_large) : NULL;
	return *out != NULL || too_large;
}

/* A string property of MESSAGE, or NULL. */
static char *
message_string(libpff_item_t *message, uint32_t id)
{
	char *fast = NULL;
	if (unicode_value(message, 0, id, MAX_MESSAGE_STRING, &fast))
		return fast; /* well formed: what g_utf8_make_valid would give */
	size_t size = 0;
	libpff_error_t *err = NULL;
	if (libpff_message_get_entry_value_utf8_string_size(message, id, &size, &err) != 1 || size == 0 ||
	    size > MAX_MESSAGE_STRING) {
		libpff_error_free(&err);
		return NULL;
	}
	g_autofree uint8_t *buf = g_malloc0(size + 1);
	if (libpff_message_get_entry_value_utf8_string(message, id, buf, size, &err) != 1) {
		libpff_error_free(&err);
		return NULL;
	}
	return g_utf8_make_valid((const char *)buf, -1);
}

/* A string property of record set SET of ITEM, or NULL. */
static char *
item_string(libpff_item_t *item, int set, uint32_t id)
{
	char *fast = NULL;
	if (unicode_value(item, set, id, MAX_ITEM_STRING, &fast))
		return fast;
	libpff_record_entry_t *entry = item_entry(item, set, id);
	if (entry == NULL)
		return NULL;
	size_t size = 0;
	char *s = NULL;
	libpff_error_t *err = NULL;
	if (libpff_record_entry_get_data_as_utf8_string_size(entry, &size, &err) == 1 && size > 0 &&
	    size <= MAX_ITEM_STRING) {
		g_autofree uint8_t *buf = g_malloc0(size + 1);
		if (libpff_record_entry_get_data_as_utf8_string(entry, buf, size, &err) == 1)
			s = g_utf8_make_valid((const char *)buf, -1);
	}
	libpff_error_free(&err);
	libpff_record_entry_free(&entry, NULL);
	return s;
}

/* A 32-bit property of record set SET of ITEM, or FALSE. */
static gboolean
item_u32(libpff_item_t *item, int set, uint32_t id, uint32_t *value)
{
	libpff_record_entry_t *entry = item_entry(item, set, id);
	if (entry == NULL)
		return FALSE;
	libpff_error_t *err = NULL;
	gboolean ok = libpff_record_entry_get_data_as_32bit_integer(entry, value, &err) == 1;
	libpff_error_free(&err);
	libpff_record_entry_free(&entry, NULL);
	return ok;
}

/* One header line: NAME: VALUE, line breaks gone, non-ASCII as an RFC 2047 word. */
static void
add_header(GString *out, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	g_autofree char *v = g_strdup(value);
	g_strdelimit(v, "\r\n", ' ');
	gboolean ascii = TRUE;
	for (const char *p = v; *p != '\0'; p++)
		if ((guchar)*p >= 0x80)
			ascii = FALSE;
	if (ascii) {
		g_string_append_printf(out, "%s: %s\r\n", name, v);
		return;
	}
	g_autofree char *b64 = g_base64_encode((const guchar *)v, strlen(v));
	g_string_append_printf(out, "%s: =?UTF-8?B?%s?=\r\n", name, b64);
}

/*
 * NAME as the display name of an address: quoted when it is ASCII, else
 * one RFC 2047 word.  A word must stand for the name alone: one that
 * held the address too (add_header's, for a whole value) is an atom to
 * GMime's address parser, which then kept it undecoded as the name.
 */
static char *
display_phrase(const char *name)
{
	gboolean ascii = TRUE;
	for (const char *p = name; *p != '\0'; p++)
		if ((guchar)*p >= 0x80)
			ascii = FALSE;
	if (ascii)
		return g_strdup_printf("\"%s\"", name);
	g_autofree char *v = g_strdup(name);
	g_strdelimit(v, "\r\n", ' ');
	g_autofree char *b64 = g_base64_encode((const guchar *)v, strlen(v));
	return g_strdup_printf("=?UTF-8?B?%s?=", b64);
}

/* "Name <address>", or whichever of the two there is. */
static char *
mailbox(const char *name, const char *address)
{
	if (name != NULL && address != NULL && strcmp(name, address) != 0) {
		g_autofree char *phrase = display_phrase(name);
		return g_strdup_printf("%s <%s>", phrase, address);
	}
	return g_strdup(address != NULL ? address : name);
}

/*
 * Display names without addresses (PR_DISPLAY_TO: "Ann; Bob") as empty
 * groups ("Ann:;, Bob:;"), which RFC 5322 allows and GMime reads as names.
 */
static char *
display_names(const char *names)
{
	if (names == NULL || strchr(names, '@') != NULL)
		return g_strdup(names);
	g_auto(GStrv) parts = g_strsplit(names, ";", -1);
	GString *out = g_string_new(NULL);
	for (guint i = 0; parts[i] != NULL; i++) {
		g_strstrip(parts[i]);
		g_strdelimit(parts[i], ":,;<>\"()", ' ');
		if (*parts[i] != '\0')
			g_string_append_printf(out, "%s%s:;", out->len ? ", " : "", parts[i]);
	}
	return g_string_free(out, FALSE);
}

/* To and Cc from the recipient table (type 1 To, 2 Cc, 3 Bcc). */
static void
recipients(libpff_item_t *message, GString *lists[3])
{
	libpff_item_t *r = NULL;
	libpff_error_t *err = NULL;
	int n = 0;
	if (libpff_message_get_recipients(message, &r, &err) != 1 ||
	    libpff_item_get_number_of_record_sets(r, &n, &err) != 1) {
		libpff_error_free(&err);
		libpff_item_free(&r, NULL);
		return;
	}
	for (int i = 0; i < n && i < 10000; i++) {
		uint32_t type = 1;
		(void)item_u32(r, i, PID_RECIPIENT_TYPE, &type);
		if (type < 1 || type > 3)
			continue;
		g_autofree char *name = item_string(r, i, PID_DISPLAY_NAME);
		g_autofree char *addr = item_string(r, i, PID_SMTP_ADDRESS);
		if (addr == NULL)
			addr = item_string(r, i, PID_EMAIL_ADDRESS);
		g_autofree char *mb = mailbox(name, addr);
		if (mb == NULL)
			continue;
		GString *l = lists[type - 1];
		g_string_append_printf(l, "%s%s", l->len ? ", " : "", mb);
	}
	libpff_item_free(&r, NULL);
}

/*
 * The transport headers without their MIME headers (ours replace them)
 * and without lines that start like a boundary.
 */
static void
transport_headers(GString *out, const char *headers)
{
	static const char *const drop[] = { "content-", "mime-version" };
	g_auto(GStrv) lines = g_strsplit(headers, "\n", -1);
	gboolean skipping = FALSE;
	for (guint i = 0; lines[i] != NULL; i++) {
		char *l = lines[i];
		gsize n = strlen(l);
		if (n > 0 && l[n - 1] == '\r')
			l[--n] = '\0';
		if (n == 0)
			break; /* the end of the header block */
		if (l[0] == ' ' || l[0] == '\t') {
			if (!skipping)
				g_string_append_printf(out, "%s\r\n", l);
			continue;
		}
		skipping = g_str_has_prefix(l, "--") || strchr(l, ':') == NULL;
		for (gsize k = 0; k < G_N_ELEMENTS(drop); k++)
			if (g_ascii_strncasecmp(l, drop[k], strlen(drop[k])) == 0)
				skipping = TRUE;
		if (!skipping)
			g_string_append_printf(out, "%s\r\n", l);
	}
}

static void
made_headers(GString *out, libpff_item_t *message)
{
	g_autofree char *subject = message_string(message, PID_SUBJECT);
	g_autofree char *name = message_string(message, PID_SENDER_NAME);
	g_autofree char *addr = message_string(message, PID_SENDER_SMTP);
	if (addr == NULL)
		addr = message_string(message, PID_SENDER_EMAIL);
	g_autofree char *from = mailbox(name, addr);
	GString *lists[3] = { g_string_new(NULL), g_string_new(NULL), g_string_new(NULL) };
	recipients(message, lists);
	if (lists[0]->len == 0) {
		g_autofree char *to = message_string(message, PID_DISPLAY_TO);
		g_autofree char *names = display_names(to);
		if (names != NULL)
			g_string_assign(lists[0], names);
	}
	if (lists[1]->len == 0) {
		g_autofree char *cc = message_string(message, PID_DISPLAY_CC);
		g_autofree char *names = display_names(cc);
		if (names != NULL)
			g_string_assign(lists[1], names);
	}
	add_header(out, "From", from);
	add_header(out, "To", lists[0]->str);
	add_header(out, "Cc", lists[1]->str);
	add_header(out, "Bcc", lists[2]->str);
	for (int i = 0; i < 3; i++)
		g_string_free(lists[i], TRUE);
	add_header(out, "Subject", subject);
	uint64_t ft = 0;
	libpff_error_t *err = NULL;
	if (libpff_message_get_client_submit_time(message, &ft, &err) == 1 && ft > 0) {
		gint64 secs = (gint64)(ft / 10000000u) - G_GINT64_CONSTANT(11644473600);
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(secs);
		g_autofree char *date = dt != NULL ? g_date_time_format(dt, "%a, %d %b %Y %H:%M:%S +0000") : NULL;
		add_header(out, "Date", date);
	}
	libpff_error_free(&err);
	g_autofree char *mid = message_string(message, PID_MESSAGE_ID);
	add_header(out, "Message-ID", mid);
}

/* Every boundary of ours starts so: content without it cannot end a part. */
#define BOUNDARY_PREFIX "=_docpipe-pst-"

/*
 * DATA as a part's body, after its other headers: as it is (binary) when
 * it cannot be read as one of our boundaries, so that GMime takes the
 * bytes straight from the message's buffer; else as base64 lines of 76
 * characters.  Either way the part's content is DATA, byte for byte: GMime
 * gives the CRLF before the next boundary line to the boundary.
 */
static void
append_content(GString *out, const guint8 *data, gsize len)
{
	if (memmem(data, len, BOUNDARY_PREFIX, strlen(BOUNDARY_PREFIX)) == NULL) {
		g_string_append(out, "Content-Transfer-Encoding: binary\r\n\r\n");
		g_string_append_len(out, (const char *)data, (gssize)len);
		return;
	}
	g_string_append(out, "Content-Transfer-Encoding: base64\r\n\r\n");
	g_autofree char *b64 = g_base64_encode(data, len);
	gsize n = strlen(b64);
	for (gsize i = 0; i < n; i += 76) {
		g_string_append_len(out, b64 + i, (gssize)MIN(76, n - i));
		g_string_append(out, "\r\n");
	}
}

typedef int (*BodyFn)(libpff_item_t *, uint8_t *, size_t, libpff_error_t **);
typedef int (*BodySizeFn)(libpff_item_t *, size_t *, libpff_error_t **);

/* A body of MESSAGE (plain, RTF or HTML) as bytes, or NULL. */
static GBytes *
body_bytes(libpff_item_t *message, BodySizeFn size_fn, BodyFn fn, gsize max)
{
	size_t size = 0;
	libpff_error_t *err = NULL;
	if (size_fn(message, &size, &err) != 1 || size == 0 || size > max) {
		libpff_error_free(&err);
		return NULL;
	}
	guint8 *buf = g_malloc0(size + 1);
	if (fn(message, buf, size, &err) != 1) {
		libpff_error_free(&err);
		g_free(buf);
		return NULL;
	}
	/* The sizes count a final NUL. */
	gsize n = strnlen((const char *)buf, size);
	return g_bytes_new_take(buf, n);
}

/*
 * The text of MESSAGE's compressed RTF body, or NULL.  It is decompressed
 * here, not by libpff, so that the output is bounded as for .msg: a
 * 2-byte reference gives at most 17 bytes, so the RTF is never more than
 * 9 times its compressed form, whatever its header declares.
 */
static GString *
rtf_text(libpff_item_t *message, gsize max)
{
	libpff_record_entry_t *entry = item_entry(message, 0, PID_RTF_COMPRESSED);
	if (entry == NULL)
		return NULL;
	size_t size = 0;
	libpff_error_t *err = NULL;
	g_autofree uint8_t *buf = NULL;
	if (libpff_record_entry_get_data_size(entry, &size, &err) == 1 && size > 0 && size <= max) {
		buf = g_malloc(size);
		if (libpff_record_entry_get_data(entry, buf, size, &err) != 1)
			g_clear_pointer(&buf, g_free);
	}
	libpff_error_free(&err);
	libpff_record_entry_free(&entry, NULL);
	if (buf == NULL)
		return NULL;
	gsize max_out = MIN(9 * (gsize)size + 4096, max);
	g_autoptr(GByteArray) raw = NULL;
	if (!dp_rtf_decompress(buf, size, max_out, &raw, NULL))
		return NULL;
	return dp_rtf_to_text((const char *)raw->data, raw->len, max, NULL);
}

/* The body part: plain text, else the RTF body's text, else HTML. */
static void
body_part(GString *out, libpff_item_t *message, gsize max)
{
	const char *type = "text/plain";
	g_autoptr(GBytes) body = NULL;
	char *plain = NULL;
	if (unicode_value(message, 0, PID_BODY, max, &plain)) {
		if (plain != NULL)
			body = g_bytes_new_take(plain, strlen(plain));
	} else {
		body = body_bytes(message, libpff_message_get_plain_text_body_size, libpff_message_get_plain_text_body,
		                  max);
	}
	if (body == NULL) {
		g_autoptr(GString) text = rtf_text(message, max);
		if (text != NULL)
			body = g_bytes_new(text->str, text->len);
	}
	if (body == NULL) {
		body = body_bytes(message, libpff_message_get_html_body_size, libpff_message_get_html_body, max);
		type = "text/html";
	}
	if (body == NULL)
		return;
	gsize n;
	const guint8 *d = g_bytes_get_data(body, &n);
	g_string_append_printf(out, "Content-Type: %s; charset=utf-8\r\n", type);
	append_content(out, d, n);
}

/*
 * A file name parameter: quoted when it is printable ASCII, else RFC 2231
 * (both at once would be a duplicated parameter to GMime).
 */
static void
filename_params(GString *out, const char *name)
{
	gboolean plain = TRUE;
	for (const char *p = name; *p != '\0'; p++)
		if ((guchar)*p < 0x20 || (guchar)*p >= 0x7f || *p == '"' || *p == '\\')
			plain = FALSE;
	if (plain) {
		g_string_append_printf(out, "; filename=\"%s\"", name);
		return;
	}
	g_autofree char *pct = g_uri_escape_string(name, NULL, FALSE);
	g_string_append_printf(out, "; filename*=UTF-8''%s", pct);
}

/*
 * The SIZE bytes of attachment ATT as a part's body (as append_content),
 * read by libpff straight into OUT: one copy fewer than through a buffer
 * of their own, and no buffer to map and unmap for each attachment.
 */
static gboolean
read_content(GString *out, libpff_item_t *att, gsize size, libpff_error_t **err)
{
	gsize start = out->len;
	g_string_append(out, "Content-Transfer-Encoding: binary\r\n\r\n");
	gsize at = out->len;
	g_string_set_size(out, at + size);
	ssize_t got = 0;
	if (size > 0 && (libpff_attachment_data_seek_offset(att, 0, SEEK_SET, err) < 0 ||
	                 (got = libpff_attachment_data_read_buffer(att, (uint8_t *)out->str + at, size, err)) < 0))
		return FALSE;
	g_string_truncate(out, at + (gsize)got);
	if (memmem(out->str + at, (gsize)got, BOUNDARY_PREFIX, strlen(BOUNDARY_PREFIX)) != NULL) {
		/* Bytes that could end the part: base64 after all (rare). */
		g_autofree guint8 *data = g_memdup2(out->str + at, (gsize)got);
		g_string_truncate(out, start);
		append_content(out, data, (gsize)got);
	}
	return TRUE;
}

static gboolean append_message(GString *out, libpff_item_t *message, guint depth, gsize max_part, GError **error);

/* One attachment of MESSAGE as a MIME part; FALSE with *ERROR when libpff fails on it. */
static gboolean
attachment_part(GString *out, libpff_item_t *att, guint depth, gsize max_part, GError **error)
{
	libpff_error_t *err = NULL;
	int type = 0;
	if (libpff_attachment_get_type(att, &type, &err) != 1) {
		g_autofree char *why = dp_pst_error_take(&err);
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "attachment: %s", why);
		return FALSE;
	}
	g_autofree char *name = item_string(att, 0, PID_ATTACH_LONG_FILENAME);
	if (name == NULL)
		name = item_string(att, 0, PID_ATTACH_FILENAME);
	g_autofree char *mime = item_string(att, 0, PID_ATTACH_MIME_TAG);
	if (type == LIBPFF_ATTACHMENT_TYPE_ITEM) {
		libpff_item_t *inner = NULL;
		if (depth >= MAX_NESTING || libpff_attachment_get_item(att, &inner, &err) != 1) {
			libpff_error_free(&err);
			g_string_append(out, "Content-Type: text/plain\r\nX-Docpipe-Skipped: attached message nested "
			                     "too deep or unreadable\r\n\r\n");
			return TRUE;
		}
		g_string_append(out, "Content-Type: message/rfc822\r\nContent-Disposition: attachment");
		if (name != NULL)
			filename_params(out, name);
		g_string_append(out, "\r\n\r\n");
		gboolean ok = append_message(out, inner, depth + 1, max_part, error);
		libpff_item_free(&inner, NULL);
		return ok;
	}
	size64_t size = 0;
	if (type != LIBPFF_ATTACHMENT_TYPE_DATA || libpff_attachment_get_data_size(att, &size, &err) != 1 ||
	    size > max_part) {
		libpff_error_free(&err);
		g_string_append_printf(out, "Content-Type: text/plain\r\nX-Docpipe-Skipped: %s\r\n\r\n",
		                       type == LIBPFF_ATTACHMENT_TYPE_REFERENCE ? "a reference to a file elsewhere"
		                       : size > max_part                        ? "larger than the part limit"
		                                                                : "no data");
		return TRUE;
	}
	/* The label is a hint: dispatch checks it against the bytes. */
	gboolean mime_ok = mime != NULL && strchr(mime, '/') != NULL && strpbrk(mime, "\";\\ ") == NULL;
	g_string_append_printf(out, "Content-Type: %s\r\nContent-Disposition: attachment",
	                       mime_ok ? mime : "application/octet-stream");
	if (name != NULL)
		filename_params(out, name);
	g_string_append(out, "\r\n");
	if (!read_content(out, att, (gsize)size, &err)) {
		g_autofree char *why = dp_pst_error_take(&err);
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "attachment %s: %s", name ? name : "", why);
		return FALSE;
	}
	return TRUE;
}

static gboolean
append_message(GString *out, libpff_item_t *message, guint depth, gsize max_part, GError **error)
{
	g_autofree char *headers = message_string(message, PID_TRANSPORT_HEADERS);
	if (headers != NULL)
		transport_headers(out, headers);
	else
		made_headers(out, message);

	libpff_error_t *err = NULL;
	int n_att = 0;
	if (libpff_message_get_number_of_attachments(message, &n_att, &err) != 1) {
		libpff_error_free(&err);
		n_att = 0;
	}
	/* A boundary per level, which no content can contain (append_content). */
	g_autofree char *boundary = g_strdup_printf(BOUNDARY_PREFIX "%u", depth);
	g_string_append_printf(out, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n",
	                       boundary);
	g_string_append_printf(out, "--%s\r\n", boundary);
	body_part(out, message, max_part);
	for (int i = 0; i < n_att; i++) {
		libpff_item_t *att = NULL;
		g_string_append_printf(out, "\r\n--%s\r\n", boundary);
		if (libpff_message_get_attachment(message, i, &att, &err) != 1) {
			g_autofree char *why = dp_pst_error_take(&err);
			g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "attachment %d: %s", i + 1, why);
			return FALSE;
		}
		gboolean ok = attachment_part(out, att, depth, max_part, error);
		libpff_item_free(&att, NULL);
		if (!ok)
			return FALSE;
	}
	g_string_append_printf(out, "\r\n--%s--\r\n", boundary);
	return TRUE;
}

GBytes *
dp_pst_message_mime(libpff_item_t *message, guint depth, gsize max_part, GError **error)
{
	g_autoptr(GString) out = g_string_sized_new(4096);
	if (!append_message(out, message, depth, max_part, error))
		return NULL;
	return g_string_free_to_bytes(g_steal_pointer(&out));
}
