/*
 * NAME
 *	mail.c - RFC 822 / MIME messages through GMime 3 (the loadable
 *	module docpipe-mail.so)
 *
 * DESCRIPTION
 *	GMime does all the MIME work (header folding, RFC 2047 words, raw
 *	8-bit headers with fallback charsets, transfer encodings, multipart
 *	boundaries); this file only decides what becomes the message's text
 *	and what becomes a part.  The layout of one message:
 *
 *	  message/rfc822 record   meta.from/to/cc/bcc/reply-to/sender/date/date-iso/
 *	                          subject/message-id/in-reply-to/references,
 *	                          meta.defects; body: the inline text/plain parts
 *	    "body N"              an inline text/html part (HTML-only bodies)
 *	    "alternative N"       the other renderings of a multipart/alternative
 *	    "attachment N"        every other part, through the same dispatch as
 *	                          a loose file (PDF, zip, a nested message, ...)
 *
 *	Parts are numbered in document order.  A message GMime cannot make
 *	sense of is never lost: what it parsed is kept, the problems it
 *	reported are recorded in meta.defects, and a message it cannot parse
 *	at all is read as plain text with status "partial".
 *
 * SECURITY
 *	Every byte is untrusted.  GMime parses in the child of
 *	sandbox/isolate.c (no file writes, network or programs: the seccomp
 *	filter of sandbox/sandbox.c; [limits] memory, cpu-time and timeout),
 *	on the message where it lies, without a copy.  Nesting is bounded
 *	three ways: GMime stops descending at its own limit (defect
 *	nesting-overflow, status "limit"; t5100 mime-deep.eml, 10,000
 *	levels, gets a clean status); the walk here descends at most
 *	MAX_NESTING (64) multipart levels and says so with status "limit"
 *	when it stops; a message/rfc822 part is a child record through
 *	dp_doc_child(), bounded by [limits] max-depth.  Parts count against
 *	[limits] max-children, the text against max-text-size.  At most
 *	MAX_DEFECTS (32) defects are named (meta.defect-count has them all)
 *	and as many renderings not read, so a hostile message cannot make
 *	its metadata large.  Header values and file names are metadata, made
 *	one line; a file name never becomes a path on disk.  Tests: t2010
 *	"garbage and truncated mail never crash", t2000 "malformed MIME
 *	keeps what is there and records the defects", t5100 "a 100 MB header
 *	line: the body after it is still read".
 */
#include "core/detect.h"
#include "core/record.h"
#include "core/text.h"
#include "extract/extract.h"
#include "util/exitcode.h"

#include <gmime/gmime.h>

#include "util/banned.h"

/* GMime 3 declares no autoptr cleanups for its classes. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(GMimeMessage, g_object_unref)

/*
 * A GByteArray that borrows the message's bytes for GMime's memory
 * stream, so that the message is not copied: GMime only ever reads its
 * input stream, and the stream does not own the array (owner FALSE).
 * Declared before the stream, it is cleaned up after it, after every
 * GMime object: the bytes are taken back (never freed by GLib), then the
 * array itself goes.
 */
typedef GByteArray BorrowedBytes;

static void
borrowed_bytes_free(BorrowedBytes *arr)
{
	gsize n;
	(void)g_byte_array_steal(arr, &n);
	g_byte_array_unref(arr);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(BorrowedBytes, borrowed_bytes_free)

/* GMime keeps global tables; initialise them once per process. */
static gpointer
gmime_init_once(gpointer unused)
{
	g_mime_init();
	return NULL;
}

static void
mail_init(void)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, gmime_init_once, NULL);
}

static const char *
warning_name(GMimeParserWarning w)
{
	switch (w) {
	case GMIME_WARN_DUPLICATED_HEADER: return "duplicated-header";
	case GMIME_WARN_DUPLICATED_PARAMETER: return "duplicated-parameter";
	case GMIME_WARN_UNENCODED_8BIT_HEADER: return "unencoded-8bit-header";
	case GMIME_WARN_INVALID_CONTENT_TYPE: return "invalid-content-type";
	case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE: return "invalid-rfc2047-header";
	case GMIME_WARN_MALFORMED_MULTIPART: return "malformed-multipart";
	case GMIME_WARN_TRUNCATED_MESSAGE: return "truncated-message";
	case GMIME_WARN_MALFORMED_MESSAGE: return "malformed-message";
	case GMIME_CRIT_INVALID_HEADER_NAME: return "invalid-header-name";
	case GMIME_CRIT_CONFLICTING_HEADER: return "conflicting-header";
	case GMIME_CRIT_CONFLICTING_PARAMETER: return "conflicting-parameter";
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY: return "multipart-without-boundary";
	case GMIME_WARN_INVALID_PARAMETER: return "invalid-parameter";
	case GMIME_WARN_INVALID_ADDRESS_LIST: return "invalid-address-list";
	case GMIME_CRIT_NESTING_OVERFLOW: return "nesting-overflow";
	case GMIME_WARN_PART_WITHOUT_CONTENT: return "part-without-content";
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT: return "part-without-headers-or-content";
	}
	return "unknown";
}

/*
 * At most this many defects (and renderings not read) are listed; a
 * hostile message may have many.
 */
#define MAX_DEFECTS 32

typedef struct {
	GPtrArray *list; /* "name@offset" strings, in order */
	guint count;
	gboolean overflow; /* GMime stopped descending: inner parts are lost */
} Defects;

static void
on_warning(gint64 offset, GMimeParserWarning errcode, const gchar *item, gpointer user)
{
	Defects *d = user;
	d->count++;
	if (errcode == GMIME_CRIT_NESTING_OVERFLOW)
		d->overflow = TRUE;
	if (d->list->len >= MAX_DEFECTS)
		return;
	/* The item is document text (a header name): only the class is kept. */
	g_ptr_array_add(d->list, g_strdup_printf("%s@%" G_GINT64_FORMAT, warning_name(errcode), offset));
}

/* A part waiting to become a child record once the message is emitted. */
typedef struct {
	GMimeObject *obj;
	char *path;
} PendingPart;

static void
pending_free(gpointer p)
{
	PendingPart *pp = p;
	g_object_unref(pp->obj);
	g_free(pp->path);
	g_free(pp);
}

typedef struct {
	DpExtractCtx *ctx;
	DpDoc *doc;
	GString *body;
	GPtrArray *pending;  /* of PendingPart */
	GPtrArray *charsets; /* charsets used for the inline text, in order */
	guint n_attach, n_body, n_alt;
	const char *fallback;
	GPtrArray *skipped; /* [mail] alternatives=preferred: types not read */
	gboolean too_deep;  /* parts below MAX_NESTING levels were not read */
} Walk;

/* Multipart levels the walk descends into (GMime's own limit is far deeper). */
#define MAX_NESTING 64

static void
add_pending(Walk *w, GMimeObject *obj, const char *kind, guint *counter)
{
	PendingPart *pp = g_new0(PendingPart, 1);
	pp->obj = g_object_ref(obj);
	pp->path = g_strdup_printf("%s %u", kind, ++*counter);
	g_ptr_array_add(w->pending, pp);
}

/* The bytes written to a memory stream, taken over without a copy. */
static GBytes *
mem_stream_steal(GMimeStream *mem)
{
	GByteArray *arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	return g_byte_array_free_to_bytes(arr);
}

/*
 * The bytes of a memory stream (the parser hands out parts of the
 * message's stream as substreams sharing its buffer) without a copy, kept
 * alive by a reference to the buffer; NULL for other streams.
 */
static GBytes *
mem_stream_bytes(GMimeStream *stream)
{
	if (!GMIME_IS_STREAM_MEM(stream))
		return NULL;
	GByteArray *arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	if (arr == NULL)
		return NULL;
	gint64 start = MAX(stream->bound_start, 0);
	gint64 end = stream->bound_end < 0 ? (gint64)arr->len : MIN(stream->bound_end, (gint64)arr->len);
	if (start > end)
		return NULL;
	return g_bytes_new_with_free_func(arr->data + start, (gsize)(end - start), (GDestroyNotify)g_byte_array_unref,
	                                  g_byte_array_ref(arr));
}

/* The decoded content of a leaf part (transfer encoding undone). */
static GBytes *
part_bytes(GMimePart *part)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	if (content == NULL)
		return g_bytes_new(NULL, 0);
	/*
	 * Straight from the message's buffer: no encoding, the bytes as they
	 * are; base64 and quoted-printable decoded in one GMime step into a
	 * buffer of the right size.  Anything else (uuencode, a stream that
	 * is not in memory) through GMime's filter stream.
	 */
	GMimeContentEncoding enc = g_mime_data_wrapper_get_encoding(content);
	GMimeStream *stream = g_mime_data_wrapper_get_stream(content);
	gboolean identity = enc == GMIME_CONTENT_ENCODING_DEFAULT || enc == GMIME_CONTENT_ENCODING_7BIT ||
	                    enc == GMIME_CONTENT_ENCODING_8BIT || enc == GMIME_CONTENT_ENCODING_BINARY;
	if (stream != NULL &&
	    (identity || enc == GMIME_CONTENT_ENCODING_BASE64 || enc == GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE)) {
		g_autoptr(GBytes) raw = mem_stream_bytes(stream);
		if (raw != NULL && identity)
			return g_steal_pointer(&raw);
		if (raw != NULL) {
			gsize len;
			const char *in = g_bytes_get_data(raw, &len);
			GMimeEncoding state;
			g_mime_encoding_init_decode(&state, enc);
			char *out = g_malloc(g_mime_encoding_outlen(&state, len) + 4);
			gsize n = g_mime_encoding_step(&state, in, len, out);
			n += g_mime_encoding_flush(&state, NULL, 0, out + n);
			return g_bytes_new_take(out, n);
		}
	}
	g_autoptr(GMimeStream) mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(content, mem);
	return mem_stream_steal(mem);
}

static gboolean
is_attachment(GMimeObject *obj)
{
	GMimeContentDisposition *disp = g_mime_object_get_content_disposition(obj);
	if (disp != NULL && g_mime_content_disposition_is_attachment(disp))
		return TRUE;
	/* A named non-text part is an attachment even when inline. */
	return GMIME_IS_PART(obj) && g_mime_part_get_filename(GMIME_PART(obj)) != NULL &&
	       !g_mime_content_type_is_type(g_mime_object_get_content_type(obj), "text", "*");
}

/* Append an inline text/plain part to the message's text. */
static void
append_text(Walk *w, GMimePart *part)
{
	g_autoptr(GBytes) b = part_bytes(part);
	gsize len;
	const guint8 *d = g_bytes_get_data(b, &len);
	const char *declared = g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
	g_autofree char *used = NULL;
	GString *text = dp_text_decode_string(d, len, declared, w->fallback, &used);
	if (w->body->len == 0) {
		/* The first text part (most often the only one) becomes the body. */
		g_string_free(w->body, TRUE);
		w->body = text;
	} else {
		if (text->len > 0)
			g_string_append(w->body, "\n\n");
		g_string_append_len(w->body, text->str, (gssize)text->len);
		g_string_free(text, TRUE);
	}
	if (used != NULL && !g_ptr_array_find_with_equal_func(w->charsets, used, g_str_equal, NULL))
		g_ptr_array_add(w->charsets, g_steal_pointer(&used));
}

static void walk(Walk *w, GMimeObject *obj, gboolean as_parts, guint level);

/*
 * [mail] alternatives=preferred: a text part of a rendering that was not
 * chosen (the HTML beside the plain text) is named in meta, not read;
 * TRUE when OBJ was one.  Anything else there (an image, a PDF that Apple
 * Mail puts inside the HTML rendering) is still a part.
 */
static gboolean
skip_rendering(Walk *w, GMimeObject *obj)
{
	if (!w->ctx->preferred_only || !GMIME_IS_PART(obj) || is_attachment(obj))
		return FALSE;
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	if (ct == NULL || !g_mime_content_type_is_type(ct, "text", "*"))
		return FALSE;
	/* A hostile message may have thousands: the first few are named. */
	if (w->skipped->len < MAX_DEFECTS)
		g_ptr_array_add(w->skipped, g_mime_content_type_get_mime_type(ct));
	return TRUE;
}

/* Which rendering of a multipart/alternative is the text: plain first. */
static int
preferred_alternative(GMimeMultipart *mp)
{
	int n = g_mime_multipart_get_count(mp), html = -1;
	for (int i = 0; i < n; i++) {
		GMimeObject *c = g_mime_multipart_get_part(mp, i);
		GMimeContentType *ct = g_mime_object_get_content_type(c);
		if (is_attachment(c))
			continue;
		if (g_mime_content_type_is_type(ct, "text", "plain"))
			return i;
		if (html < 0 && g_mime_content_type_is_type(ct, "text", "html"))
			html = i;
		if (html < 0 && GMIME_IS_MULTIPART(c))
			html = i; /* multipart/related around an HTML body */
	}
	return html >= 0 ? html : (n > 0 ? 0 : -1);
}

/*
 * Walk the MIME tree in document order.  AS_PARTS: everything found is a
 * part of its own (the renderings of an alternative not chosen as text).
 */
static void
walk(Walk *w, GMimeObject *obj, gboolean as_parts, guint level)
{
	if (level > MAX_NESTING) {
		/* Our own recursion stays bounded; the record says what was left. */
		w->too_deep = TRUE;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		GMimeContentType *ct = g_mime_object_get_content_type(obj);
		if (g_mime_content_type_is_type(ct, "multipart", "alternative") && !as_parts) {
			int pref = preferred_alternative(mp);
			for (int i = 0; i < n; i++) {
				GMimeObject *c = g_mime_multipart_get_part(mp, i);
				if (i == pref)
					walk(w, c, FALSE, level + 1);
				else if (GMIME_IS_MULTIPART(c))
					walk(w, c, TRUE, level + 1);
				else if (!skip_rendering(w, c))
					add_pending(w, c, "alternative", &w->n_alt);
			}
			return;
		}
		for (int i = 0; i < n; i++)
			walk(w, g_mime_multipart_get_part(mp, i), as_parts, level + 1);
		return;
	}
	if (GMIME_IS_MESSAGE_PART(obj) || !GMIME_IS_PART(obj)) {
		add_pending(w, obj, "attachment", &w->n_attach);
		return;
	}
	if (as_parts && skip_rendering(w, obj))
		return;
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	if (!as_parts && !is_attachment(obj)) {
		if (g_mime_content_type_is_type(ct, "text", "plain")) {
			append_text(w, GMIME_PART(obj));
			return;
		}
		if (g_mime_content_type_is_type(ct, "text", "html")) {
			add_pending(w, obj, "body", &w->n_body);
			return;
		}
	}
	add_pending(w, obj, as_parts ? "alternative" : "attachment", as_parts ? &w->n_alt : &w->n_attach);
}

/*
 * An address list as internet_address_list_to_string(list, NULL, FALSE)
 * formats it: "name <addr>" (the name quoted as GMime quotes it) or
 * "addr", joined with ", ".  Done here for plain mailboxes because GMime
 * runs every domain through libidn2 (IDNA lookup and NFC), which was 4%
 * of a mailbox run; for an ASCII domain that returns it unchanged.  Lists
 * with a group, and non-ASCII addresses, are still GMime's to format.
 */
static char *
format_addresses(InternetAddressList *list)
{
	int n = internet_address_list_length(list);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia) ||
		    !g_str_is_ascii(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia))))
			return internet_address_list_to_string(list, NULL, FALSE);
	}
	GString *out = g_string_new(NULL);
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
		const char *name = internet_address_get_name(ia);
		if (i > 0)
			g_string_append(out, ", ");
		if (name != NULL && *name != '\0') {
			g_autofree char *quoted = g_mime_utils_quote_string(name);
			g_string_append_printf(out, "%s <%s>", quoted, addr);
		} else {
			g_string_append(out, addr);
		}
	}
	return g_string_free(out, FALSE);
}

/* Format an address list header, decoded, as one line. */
static void
meta_addresses(DpDoc *doc, const char *name, InternetAddressList *list)
{
	if (list == NULL || internet_address_list_length(list) == 0)
		return;
	g_autofree char *s = format_addresses(list);
	dp_doc_meta(doc, name, s);
}

/* A raw header, unfolded and with RFC 2047 words decoded. */
static void
meta_header(DpDoc *doc, GMimeObject *obj, const char *name, const char *header, GMimeParserOptions *opts)
{
	const char *raw = g_mime_object_get_header(obj, header);
	if (raw == NULL)
		return;
	g_autofree char *v = g_mime_utils_header_decode_text(opts, raw);
	dp_doc_meta(doc, name, v);
}

static void
message_meta(DpDoc *doc, GMimeMessage *msg, GMimeParserOptions *opts)
{
	GMimeObject *obj = GMIME_OBJECT(msg);
	meta_addresses(doc, "from", g_mime_message_get_from(msg));
	meta_addresses(doc, "to", g_mime_message_get_to(msg));
	meta_addresses(doc, "cc", g_mime_message_get_cc(msg));
	meta_addresses(doc, "bcc", g_mime_message_get_bcc(msg));
	meta_addresses(doc, "reply-to", g_mime_message_get_reply_to(msg));
	/* Sender too: its display name is redacted like From's (redact/names.c). */
	meta_addresses(doc, "sender", g_mime_message_get_sender(msg));
	meta_header(doc, obj, "date", "Date", opts);
	GDateTime *date = g_mime_message_get_date(msg);
	if (date != NULL) {
		g_autoptr(GDateTime) utc = g_date_time_to_utc(date);
		g_autofree char *iso = utc ? g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ") : NULL;
		dp_doc_meta(doc, "date-iso", iso);
	}
	dp_doc_meta(doc, "subject", g_mime_message_get_subject(msg));
	meta_header(doc, obj, "message-id", "Message-ID", opts);
	meta_header(doc, obj, "in-reply-to", "In-Reply-To", opts);
	meta_header(doc, obj, "references", "References", opts);
}

/* Serialize a nested message (message/rfc822 part) back to bytes. */
static GBytes *
message_part_bytes(GMimeMessagePart *mp)
{
	GMimeMessage *inner = g_mime_message_part_get_message(mp);
	if (inner == NULL)
		return g_bytes_new(NULL, 0);
	g_autoptr(GMimeStream) mem = g_mime_stream_mem_new();
	g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, mem);
	return mem_stream_steal(mem);
}

/* Hand one pending part to the dispatch as a child of the message. */
static gboolean
emit_part(Walk *w, PendingPart *pp, GError **error)
{
	GMimeObject *obj = pp->obj;
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	g_autofree char *mime = ct ? g_mime_content_type_get_mime_type(ct) : g_strdup(DP_TYPE_UNKNOWN);
	g_autoptr(GBytes) data = NULL;
	const char *filename = NULL;
	const char *type_hint = mime;
	if (GMIME_IS_MESSAGE_PART(obj)) {
		data = message_part_bytes(GMIME_MESSAGE_PART(obj));
		type_hint = DP_TYPE_RFC822;
	} else if (GMIME_IS_PART(obj)) {
		data = part_bytes(GMIME_PART(obj));
		filename = g_mime_part_get_filename(GMIME_PART(obj));
	} else {
		/* An encrypted or unknown container: its raw form. */
		g_autoptr(GMimeStream) mem = g_mime_stream_mem_new();
		g_mime_object_write_to_stream(obj, NULL, mem);
		data = mem_stream_steal(mem);
	}
	const char *charset = g_mime_object_get_content_type_parameter(obj, "charset");
	g_autofree char *fname = filename ? dp_text_one_line(filename) : NULL;
	GMimeContentDisposition *disp = g_mime_object_get_content_disposition(obj);
	/* Name and value pairs, a pair a line. */
	/* clang-format off */
	const char *meta[] = { "meta.filename",    fname,
			       "meta.content-type", mime,
			       "meta.disposition", disp ? g_mime_content_disposition_get_disposition(disp) : NULL,
			       DP_F_CHARSET,        charset,
			       NULL };
	/* clang-format on */
	/*
	 * The bytes win over the part's label when they say something
	 * specific: a "zip" attachment that is really HTML is read as HTML.
	 * Generic labels are checked by dp_doc_child itself.  Only our own
	 * sniffers are asked (no libmagic): they know every format we read.
	 */
	if (!g_str_equal(type_hint, DP_TYPE_UNKNOWN) && !g_str_equal(type_hint, DP_TYPE_TEXT) &&
	    !g_str_equal(type_hint, DP_TYPE_RFC822)) {
		gsize dlen;
		const guint8 *dd = g_bytes_get_data(data, &dlen);
		const char *sniffed = dp_detect_sniff(dd, MIN(dlen, 65536));
		if (sniffed != NULL && !g_str_equal(sniffed, DP_TYPE_TEXT) && !g_str_equal(sniffed, DP_TYPE_EMPTY))
			type_hint = sniffed;
	}
	return dp_doc_child(w->ctx, w->doc, pp->path, type_hint, data, meta, error);
}

static GMimeParserOptions *
mail_parser_options(const char *fallback)
{
	mail_init();
	GMimeParserOptions *opts = g_mime_parser_options_new();
	/* Raw 8-bit headers: UTF-8 when valid, else the configured fallback. */
	const char *charsets[] = { "utf-8", fallback ? fallback : "windows-1252", NULL };
	g_mime_parser_options_set_fallback_charsets(opts, charsets);
	g_mime_parser_options_set_address_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(opts, GMIME_RFC_COMPLIANCE_LOOSE);
	return opts;
}

/*
 * One GMime parser and one set of parser options per thread, reused for
 * every message the thread reads: a mailbox has thousands, and making and
 * freeing them for each was 2-3% of a mailbox run.  Between messages the
 * parser holds an empty stream, never a message's (see BorrowedBytes).
 */
typedef struct {
	GMimeParser *parser;
	GMimeParserOptions *opts;
	GMimeStream *idle;
	char *fallback;
} MailThread;

/* Drop MT's parser options and the fallback charset they were made for. */
static void
mail_thread_drop_options(MailThread *mt)
{
	g_clear_pointer(&mt->opts, g_mime_parser_options_free);
	g_clear_pointer(&mt->fallback, g_free);
}

static void
mail_thread_free(gpointer p)
{
	MailThread *mt = p;
	mail_thread_drop_options(mt);
	g_object_unref(mt->parser);
	g_object_unref(mt->idle);
	g_free(mt);
}

static GPrivate mail_thread = G_PRIVATE_INIT(mail_thread_free);

static MailThread *
mail_thread_get(const char *fallback)
{
	MailThread *mt = g_private_get(&mail_thread);
	if (mt != NULL && g_strcmp0(mt->fallback, fallback) == 0)
		return mt;
	if (mt == NULL) {
		/* Before any GMime object: GMime registers its types there. */
		mail_init();
		mt = g_new0(MailThread, 1);
		mt->idle = g_mime_stream_mem_new();
		mt->parser = g_mime_parser_new_with_stream(mt->idle);
		g_private_set(&mail_thread, mt);
	} else {
		mail_thread_drop_options(mt);
	}
	mt->opts = mail_parser_options(fallback);
	mt->fallback = g_strdup(fallback);
	return mt;
}

/* The strings of LIST joined with SEP (LIST itself is left as it was). */
static char *
join_strings(GPtrArray *list, const char *sep)
{
	g_ptr_array_add(list, NULL);
	char *s = g_strjoinv(sep, (char **)list->pdata);
	g_ptr_array_remove_index(list, list->len - 1);
	return s;
}

/*
 * An Outlook message's transport headers (extract/msg.c) read exactly as
 * an RFC 822 message's own: the header block alone is parsed as a message
 * with no body, and its fields become the same meta keys.
 */
void
dp_mail_headers_meta(DpExtractCtx *ctx, DpDoc *doc, const char *headers, gsize len)
{
	MailThread *mt = mail_thread_get(ctx->fallback_charset);
	/* The last message's defect list is gone: no warnings are collected here. */
	g_mime_parser_options_set_warning_callback(mt->opts, NULL, NULL);
	g_autoptr(GMimeStream) stream = g_mime_stream_mem_new_with_buffer(headers, len);
	g_mime_parser_init_with_stream(mt->parser, stream);
	g_mime_parser_set_format(mt->parser, GMIME_FORMAT_MESSAGE);
	g_autoptr(GMimeMessage) msg = g_mime_parser_construct_message(mt->parser, mt->opts);
	g_mime_parser_init_with_stream(mt->parser, mt->idle);
	if (msg != NULL)
		message_meta(doc, msg, mt->opts);
}

gboolean
dp_extract_mail_module(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len;
	const guint8 *d = g_bytes_get_data(doc->data, &len);
	if (len == 0)
		return TRUE; /* an empty message part: nothing to read, nothing wrong */
	const char *fallback = ctx->fallback_charset;
	MailThread *mt = mail_thread_get(fallback);
	GMimeParserOptions *opts = mt->opts;
	Defects defects = { g_ptr_array_new_with_free_func(g_free), 0, FALSE };
	g_mime_parser_options_set_warning_callback(opts, on_warning, &defects);

	/* GMime parses the message where it lies (see BorrowedBytes). */
	g_autoptr(BorrowedBytes) borrowed = NULL;
	g_autoptr(GMimeStream) stream = NULL;
	if (len <= G_MAXUINT) {
		borrowed = g_byte_array_new_take((guint8 *)d, len);
		stream = g_mime_stream_mem_new_with_byte_array(borrowed);
		g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(stream), FALSE);
	} else {
		stream = g_mime_stream_mem_new_with_buffer((const char *)d, len);
	}
	g_mime_parser_init_with_stream(mt->parser, stream);
	g_mime_parser_set_format(mt->parser, GMIME_FORMAT_MESSAGE);
	g_autoptr(GMimeMessage) msg = g_mime_parser_construct_message(mt->parser, opts);
	g_mime_parser_init_with_stream(mt->parser, mt->idle);

	Walk w = { ctx,
		   doc,
		   g_string_new(NULL),
		   g_ptr_array_new_with_free_func(pending_free),
		   g_ptr_array_new_with_free_func(g_free),
		   0,
		   0,
		   0,
		   fallback,
		   g_ptr_array_new_with_free_func(g_free),
		   FALSE };
	if (msg == NULL) {
		/* Not even a header block: keep the bytes as text. */
		gsize outlen;
		g_autofree char *used = NULL;
		g_autofree char *text = dp_text_decode(d, len, NULL, fallback, &outlen, &used);
		g_string_append_len(w.body, text, (gssize)outlen);
		dp_record_set(doc->rec, DP_F_CHARSET, used);
		dp_doc_fail(doc, DP_STATUS_PARTIAL, "not a parsable message; read as plain text");
	} else {
		message_meta(doc, msg, opts);
		GMimeObject *root = g_mime_message_get_mime_part(msg);
		if (root != NULL)
			walk(&w, root, FALSE, 0);
		if (w.charsets->len > 0) {
			g_autofree char *cs = join_strings(w.charsets, ";");
			dp_record_set(doc->rec, DP_F_CHARSET, cs);
		}
		if (w.skipped->len > 0) {
			g_autofree char *sk = join_strings(w.skipped, " ");
			dp_doc_meta(doc, "alternatives-not-read", sk);
		}
	}
	if (defects.count > 0) {
		g_autofree char *s = join_strings(defects.list, " ");
		dp_doc_meta(doc, "defects", s);
		dp_record_setf(doc->rec, DP_META_PREFIX "defect-count", "%u", defects.count);
	}
	/* Nothing is dropped silently: say that the innermost parts are missing. */
	if (defects.overflow && dp_record_get(doc->rec, DP_F_STATUS) == NULL)
		dp_doc_fail(doc, DP_STATUS_LIMIT,
		            "MIME parts nested deeper than the parser allows; the innermost were not read");
	if (w.too_deep && dp_record_get(doc->rec, DP_F_STATUS) == NULL)
		dp_doc_fail(doc, DP_STATUS_LIMIT,
		            "MIME parts nested deeper than %d levels; the innermost were not read", MAX_NESTING);
	dp_doc_take_text(ctx, doc, g_steal_pointer(&w.body));
	g_ptr_array_unref(defects.list);

	gboolean ok = dp_doc_emit(ctx, doc, error);
	for (guint i = 0; ok && i < w.pending->len; i++)
		ok = emit_part(&w, w.pending->pdata[i], error);
	g_ptr_array_unref(w.pending);
	g_ptr_array_unref(w.charsets);
	g_ptr_array_unref(w.skipped);
	return ok;
}
