/*
 * NAME
 *	tnef.c: TNEF (winmail.dat, application/vnd.ms-tnef), the module
 *	docpipe-tnef.so, through libytnef.
 *
 * DESCRIPTION
 *	Outlook sends a message's rich parts as one TNEF attachment: an
 *	attribute stream (MS-OXTNEF) with the subject, the body (plain, or
 *	compressed RTF), MAPI properties and the real attachments.  The
 *	document's record gets the message's metadata (subject, from, to,
 *	cc, date, message-id, message class) and its text: the plain body,
 *	else the compressed RTF body (extract/rtf-lzfu.c and extract/rtf.c);
 *	with neither, the HTML body is the part "body 1".
 *	Each attachment is a part, "attachment N", with its file name
 *	(the long MAPI name, else the 8.3 title) in meta.filename; an
 *	attached message (PR_ATTACH_DATA_OBJ) is its own TNEF stream, read
 *	the same way through dispatch.
 *
 * SECURITY
 *	The bytes are untrusted, and libytnef trusts attribute lengths (it
 *	allocates what a header claims before reading it).  So the stream is
 *	walked here first: every attribute's length is checked against the
 *	bytes left and its checksum against its bytes, and the attributes
 *	whose fixed size libytnef assumes are checked for it.  libytnef only
 *	ever sees the longest prefix that passes; what follows a bad
 *	attribute is reported (status partial), not read.  libytnef prints
 *	its complaints about malformed MAPI blocks to stdout, which in the
 *	sandboxed child is /dev/null; without the sandbox the parse runs with
 *	stdout silenced (quiet_begin()).  Strings are decoded to valid UTF-8
 *	here; file names are metadata, never paths.
 */
#include "core/detect.h"
#include "core/text.h"
#include "extract/extract.h"
#include "extract/rtf.h"
#include "util/exitcode.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ytnef.h>

#include "util/banned.h"

#define TNEF_SIGNATURE 0x223E9F78u
/* The fixed part of an attribute: level, id, length; the checksum after. */
#define ATTR_HEAD 9
#define ATTR_SUM 2

/* The 16-byte IID before an attached message's own TNEF stream. */
#define IID_LEN 16

static guint32
le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* The smallest size libytnef reads from an attribute without checking. */
static guint32
attr_min_size(guint32 id)
{
	switch (id) {
	case attTnefVersion: return 4;
	case attDateSent:
	case attDateRecd:
	case attDateModified:
	case attAttachCreateDate:
	case attAttachModifyDate:
	case attDateStart:
	case attDateEnd: return 14;
	default: return 1;
	}
}

/*
 * Walk the attribute stream of DATA: the length of its longest valid
 * prefix (signature, key and whole attributes), and in *WHY what stopped
 * the walk, or NULL when the whole stream is valid.
 */
static gsize
tnef_valid_prefix(const guint8 *data, gsize len, char **why)
{
	*why = NULL;
	gsize at = 6;
	guint n = 0;
	while (len - at >= ATTR_HEAD) {
		guint32 id = le32(data + at + 1), size = le32(data + at + 5);
		n++;
		if (size > len - at - ATTR_HEAD || len - at - ATTR_HEAD - size < ATTR_SUM) {
			*why = g_strdup_printf("attribute %u (0x%08x) at offset %" G_GSIZE_FORMAT
			                       ": length %u runs past the end",
			                       n, id, at, size);
			return at;
		}
		if (size < attr_min_size(id)) {
			*why =
			    g_strdup_printf("attribute %u (0x%08x) at offset %" G_GSIZE_FORMAT ": length %u too short",
			                    n, id, at, size);
			return at;
		}
		const guint8 *d = data + at + ATTR_HEAD;
		guint16 sum = 0;
		for (guint32 i = 0; i < size; i++)
			sum = (guint16)(sum + d[i]);
		guint16 want = (guint16)(d[size] | d[size + 1] << 8);
		if (sum != want) {
			*why = g_strdup_printf("attribute %u (0x%08x) at offset %" G_GSIZE_FORMAT ": bad checksum", n,
			                       id, at);
			return at;
		}
		at += ATTR_HEAD + size + ATTR_SUM;
	}
	if (at < len)
		*why = g_strdup_printf("%" G_GSIZE_FORMAT " bytes of junk after the last attribute", len - at);
	return at;
}

/* The message's OEM code page (attOemCodepage), as a charset name, or NULL. */
static char *
tnef_charset(TNEFStruct *t)
{
	if (t->CodePage.size < 4 || t->CodePage.data == NULL)
		return NULL;
	guint32 cp = le32(t->CodePage.data);
	if (cp == 0 || cp > 65535)
		return NULL;
	return cp == 65001 ? g_strdup("utf-8") : g_strdup_printf("cp%u", cp);
}

/* An 8-bit string of SIZE bytes, trailing NULs dropped, as UTF-8. */
static char *
decode8(const guint8 *data, gsize size, const char *charset)
{
	while (size > 0 && data[size - 1] == '\0')
		size--;
	gsize n;
	char *s = dp_text_decode(data, size, charset, "windows-1252", &n, NULL);
	return s;
}

/*
 * MAPIFindProperty() answers MAPI_UNDEFINED when the property is absent,
 * and NULL on some damaged property lists (fuzz-tnef): both are "none".
 */
static variableLength *
find_prop(MAPIProps *props, unsigned int tag)
{
	variableLength *v = MAPIFindProperty(props, tag);
	return v == MAPI_UNDEFINED ? NULL : v;
}
/*
 * A MAPI string property ID of PROPS, as UTF-8: PT_UNICODE (which
 * libytnef has made UTF-8 already, NUL-terminated) or PT_STRING8 (bytes in
 * the message's code page).  NULL when absent.
 */
static char *
mapi_string(MAPIProps *props, unsigned int id, const char *charset)
{
	variableLength *v = find_prop(props, PROP_TAG(PT_UNICODE, id));
	if (v != NULL && v->data != NULL && v->size > 0) {
		gsize max = (gsize)v->size * 3 / 2 + 1;
		gsize n = strnlen((const char *)v->data, max);
		return g_utf8_make_valid((const char *)v->data, (gssize)n);
	}
	v = find_prop(props, PROP_TAG(PT_STRING8, id));
	if (v != NULL && v->data != NULL && v->size > 0)
		return decode8(v->data, (gsize)v->size, charset);
	return NULL;
}

/* A FILETIME property as ISO 8601 UTC, or NULL. */
static char *
mapi_time(MAPIProps *props, unsigned int id)
{
	variableLength *v = find_prop(props, PROP_TAG(PT_SYSTIME, id));
	if (v == NULL || v->data == NULL || v->size < 8)
		return NULL;
	guint64 ft;
	memcpy(&ft, v->data, 8);
	gint64 unix_secs = (gint64)(ft / 10000000u) - G_GINT64_CONSTANT(11644473600);
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(unix_secs);
	return dt != NULL ? g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

static void
set_meta(DpDoc *doc, TNEFStruct *t, const char *charset)
{
	MAPIProps *p = &t->MapiProperties;
	g_autofree char *subject = mapi_string(p, PR_SUBJECT, charset);
	if (subject == NULL && t->subject.data != NULL && t->subject.size > 0)
		subject = decode8(t->subject.data, (gsize)t->subject.size, charset);
	dp_doc_meta(doc, "subject", subject);

	g_autofree char *name = mapi_string(p, PR_SENDER_NAME, charset);
	g_autofree char *addr = mapi_string(p, PR_SENDER_EMAIL_ADDRESS, charset);
	g_autofree char *from = name != NULL && addr != NULL ? g_strdup_printf("%s <%s>", name, addr)
	                                                     : g_strdup(name != NULL ? name : addr);
	dp_doc_meta(doc, "from", from);
	g_autofree char *to = mapi_string(p, PR_DISPLAY_TO, charset);
	dp_doc_meta(doc, "to", to);
	g_autofree char *cc = mapi_string(p, PR_DISPLAY_CC, charset);
	dp_doc_meta(doc, "cc", cc);
	g_autofree char *date = mapi_time(p, PR_CLIENT_SUBMIT_TIME);
	dp_doc_meta(doc, "date-iso", date);
	g_autofree char *mid = mapi_string(p, PR_INTERNET_MESSAGE_ID, charset);
	dp_doc_meta(doc, "message-id", mid);
	g_autofree char *cls =
	    g_utf8_make_valid(t->messageClass, (gssize)strnlen(t->messageClass, sizeof t->messageClass));
	dp_doc_meta(doc, "message-class", cls);
}

/* The compressed RTF body as text, or NULL; a broken one is said in *PROBLEM. */
static GString *
rtf_body(DpExtractCtx *ctx, TNEFStruct *t, char **problem)
{
	variableLength *v = find_prop(&t->MapiProperties, PROP_TAG(PT_BINARY, PR_RTF_COMPRESSED));
	if (v == NULL || v->data == NULL || v->size <= 0)
		return NULL;
	/*
	 * A 2-byte reference gives at most 17 bytes: the RTF is never more
	 * than 9 times its compressed form, whatever its header declares
	 * (dp_rtf_decompress allocates what the header says, up to MAX).
	 */
	gsize max = 9 * (gsize)v->size + 4096;
	if (ctx->max_input > 0)
		max = MIN(max, (gsize)ctx->max_input);
	g_autoptr(GByteArray) raw = NULL;
	g_autoptr(GError) err = NULL;
	if (!dp_rtf_decompress(v->data, (gsize)v->size, max, &raw, &err)) {
		*problem = g_strdup_printf("RTF body: %s", err->message);
		return NULL;
	}
	gsize max_text = ctx->max_text > 0 ? (gsize)ctx->max_text + 1 : G_MAXSIZE;
	GString *text = dp_rtf_to_text((const char *)raw->data, raw->len, max_text, &err);
	if (text == NULL)
		*problem = g_strdup_printf("RTF body: %s", err->message);
	return text;
}

/*
 * The text of the message: the plain body, else the compressed RTF body.
 * FALSE when there is neither: the HTML body, if any, is then a part.
 */
static gboolean
set_body(DpExtractCtx *ctx, DpDoc *doc, TNEFStruct *t, const char *charset, char **problem)
{
	g_autofree char *body = mapi_string(&t->MapiProperties, PR_BODY, charset);
	if (body == NULL && t->body.data != NULL && t->body.size > 0)
		body = decode8(t->body.data, (gsize)t->body.size, charset);
	if (body != NULL && *body != '\0') {
		dp_doc_set_text(ctx, doc, body, strlen(body));
		return TRUE;
	}
	GString *text = rtf_body(ctx, t, problem);
	if (text == NULL)
		return FALSE;
	dp_doc_meta(doc, "body-format", "rtf");
	dp_doc_take_text(ctx, doc, text);
	return TRUE;
}

/* The HTML body (PR_BODY_HTML, binary or 8-bit) as the part "body 1". */
static gboolean
emit_html_body(DpExtractCtx *ctx, DpDoc *doc, TNEFStruct *t, GError **error)
{
	variableLength *v = find_prop(&t->MapiProperties, PROP_TAG(PT_BINARY, PR_BODY_HTML));
	if (v == NULL)
		v = find_prop(&t->MapiProperties, PROP_TAG(PT_STRING8, PR_BODY_HTML));
	if (v == NULL || v->data == NULL || v->size <= 0)
		return TRUE;
	g_autoptr(GBytes) bytes = g_bytes_new(v->data, (gsize)v->size);
	return dp_doc_child(ctx, doc, "body 1", DP_TYPE_HTML, bytes, NULL, error);
}

/* One attachment: its bytes (file data, else the attached object) as a part. */
static gboolean
emit_attachment(DpExtractCtx *ctx, DpDoc *doc, Attachment *a, guint n, const char *charset, GError **error)
{
	g_autofree char *path = g_strdup_printf("attachment %u", n);
	g_autofree char *name = mapi_string(&a->MAPI, PR_ATTACH_LONG_FILENAME, charset);
	if (name == NULL && a->Title.data != NULL && a->Title.size > 0)
		name = decode8(a->Title.data, (gsize)a->Title.size, charset);
	const char *meta[] = { "meta.filename", name, NULL };

	const guint8 *data = a->FileData.data;
	gsize len = a->FileData.size > 0 ? (gsize)a->FileData.size : 0;
	if (len == 0) {
		variableLength *v = find_prop(&a->MAPI, PROP_TAG(PT_OBJECT, PR_ATTACH_DATA_OBJ));
		if (v == NULL)
			v = find_prop(&a->MAPI, PROP_TAG(PT_BINARY, PR_ATTACH_DATA_OBJ));
		if (v != NULL && v->data != NULL && v->size > 0) {
			data = v->data;
			len = (gsize)v->size;
			/* An attached message: an IID, then its own TNEF stream. */
			if (len > IID_LEN + 4 && le32(data + IID_LEN) == TNEF_SIGNATURE) {
				data += IID_LEN;
				len -= IID_LEN;
			}
		}
	}
	if (data == NULL || len == 0)
		return dp_doc_child_problem(ctx, doc, path, NULL, meta, DP_STATUS_UNSUPPORTED, error,
		                            "attachment without data (a link, or a kind TNEF does not carry)");
	g_autoptr(GBytes) bytes = g_bytes_new(data, len);
	return dp_doc_child(ctx, doc, path, NULL, bytes, meta, error);
}

/* Whether FD is closed or /dev/null: nothing written to it is seen. */
static gboolean
fd_discards(int fd)
{
	struct stat st, null;
	if (fstat(fd, &st) != 0)
		return TRUE;
	return S_ISCHR(st.st_mode) && stat("/dev/null", &null) == 0 && st.st_rdev == null.st_rdev;
}

/*
 * libytnef printf()s its complaints ("ERROR Parsing MAPI block").  In the
 * sandboxed child stdout is /dev/null and nothing is done here (the
 * filter would not let it open /dev/null for writing anyway).  Without
 * the sandbox ([sandbox] enabled=false) the parse runs in the process
 * whose stdout carries the output (convert's text, docpipe-extract's
 * records), so for the parse: stdout's lock is held, so that no other
 * thread writes output meanwhile (the records of a mailbox's earlier
 * messages are written by the caller's thread while a worker's thread
 * parses an attachment); what is buffered goes out; fd 1 is /dev/null;
 * and what the parser printed is flushed there before fd 1 comes back.
 * Returns the saved fd 1 for quiet_end(), or -1 when nothing was moved.
 */
static int
quiet_begin(void)
{
	flockfile(stdout);
	if (fd_discards(STDOUT_FILENO))
		return -1;
	fflush(stdout);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int saved = null >= 0 ? fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3) : -1;
	if (saved >= 0 && dup2(null, STDOUT_FILENO) < 0) {
		close(saved);
		saved = -1;
	}
	if (null >= 0)
		close(null);
	return saved;
}

static void
quiet_end(int saved)
{
	if (saved >= 0) {
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	funlockfile(stdout);
}

gboolean
dp_extract_tnef_module(DpExtractCtx *ctx, DpDoc *doc, GError **error)
{
	gsize len;
	const guint8 *data = g_bytes_get_data(doc->data, &len);
	if (len < 6 || le32(data) != TNEF_SIGNATURE) {
		dp_doc_fail(doc, DP_STATUS_ERROR, "not TNEF: no signature 0x223E9F78");
		return TRUE;
	}
	g_autofree char *why = NULL;
	gsize valid = tnef_valid_prefix(data, len, &why);

	TNEFStruct t;
	TNEFInitialize(&t);
	t.Debug = 0;
	/* libytnef only reads the buffer, though its prototype does not say so. */
	int quiet = quiet_begin();
	int rc = TNEFParseMemory((unsigned char *)data, (long)valid, &t);
	quiet_end(quiet);
	if (rc != 0 && why == NULL)
		why = g_strdup_printf("libytnef could not read the stream (error %d)", rc);

	g_autofree char *charset = tnef_charset(&t);
	g_autofree char *problem = NULL;
	set_meta(doc, &t, charset);
	gboolean has_body = set_body(ctx, doc, &t, charset, &problem);
	if (why != NULL)
		dp_doc_fail(doc, DP_STATUS_PARTIAL, "%s", why);
	else if (problem != NULL)
		dp_doc_fail(doc, DP_STATUS_PARTIAL, "%s", problem);

	gboolean ok = dp_doc_emit(ctx, doc, error);
	if (ok && !has_body)
		ok = emit_html_body(ctx, doc, &t, error);
	guint n = 0;
	for (Attachment *a = t.starting_attach.next; ok && a != NULL; a = a->next)
		ok = emit_attachment(ctx, doc, a, ++n, charset, error);
	TNEFFree(&t);
	return ok;
}
