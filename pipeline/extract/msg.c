/*
 * NAME
 *	msg.c - Outlook .msg messages ([MS-OXMSG]) in the OLE2 module
 *
 * DESCRIPTION
 *	A .msg file is a compound file of MAPI properties: a variable-size
 *	property is a stream __substg1.0_IIIITTTT (IIII the property id,
 *	TTTT its type: 001F UTF-16, 001E 8-bit, 0102 binary, 000D a
 *	storage), a fixed-size one an entry of __properties_version1.0.
 *	Recipients and attachments are storages __recip_version1.0_#N and
 *	__attach_version1.0_#N with properties of their own.
 *
 *	The record is made like an RFC 822 message's (extract/mail.c), with
 *	the same meta keys, so that redaction, the message index and
 *	threading treat both alike:
 *	  the transport headers (PR_TRANSPORT_MESSAGE_HEADERS), when the
 *	  message has them, read by docpipe-mail.so's own header code; the
 *	  keys they leave unset from the properties: subject, from (sender
 *	  name and SMTP address), to/cc/bcc (the recipients table: display
 *	  name, address, type), date and date-iso (client submit time,
 *	  else delivery time), message-id, in-reply-to, references.
 *	  the body: PR_BODY as the text; a PR_HTML rendering is the part
 *	  "alternative 1" (text/html, through the HTML extractor), or "body
 *	  1" when there is no plain body; the compressed RTF rendering
 *	  (PR_RTF_COMPRESSED) is the text only when there is neither
 *	  (decompressed and read by extract/rtf.c), else it is named in
 *	  meta.alternatives-not-read as text/rtf, as the HTML one is under
 *	  [mail] alternatives=preferred.
 *	  the named properties (their map read by msg-nameid.c): the
 *	  categories as meta.keywords, the sending account as meta.account.
 *	  the attachments, in order, "attachment N" (PR_ATTACH_DATA_BIN with
 *	  meta.filename and meta.content-type) through the same dispatch as
 *	  a loose file; an attached message (a PR_ATTACH_DATA_OBJ storage)
 *	  is copied out into a .msg of its own and read as one.
 *
 * SECURITY
 *	Every stream is untrusted and read through dp_ole_stream(), never
 *	larger than the file.  Strings are decoded, made one line for
 *	metadata, and never used as paths.  Recipients and attachments are
 *	looked up by their storages' names, at most MAX_ENTRIES of each;
 *	parts count against [limits] max-children and nest within
 *	max-depth (an attached message is a child record).  Copying an
 *	attached message out (dp_ole_storage_file()) costs at most the file's
 *	own size in bytes and DP_OLE_COPY_DEPTH levels of storages; past
 *	either it is a part with status "limit".
 */
#include "core/detect.h"
#include "core/record.h"
#include "core/text.h"
#include "extract/extract.h"
#include "extract/ole.h"
#include "extract/rtf.h"
#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

#define MAX_ENTRIES 4096

/* The MAPI property ids read here. */
enum {
	PR_SUBJECT = 0x0037,
	PR_CLIENT_SUBMIT_TIME = 0x0039,
	PR_SENT_REPRESENTING_NAME = 0x0042,
	PR_SENT_REPRESENTING_EMAIL = 0x0065,
	PR_TRANSPORT_MESSAGE_HEADERS = 0x007D,
	PR_RECIPIENT_TYPE = 0x0C15,
	PR_SENDER_NAME = 0x0C1A,
	PR_SENDER_EMAIL = 0x0C1F,
	PR_MESSAGE_DELIVERY_TIME = 0x0E06,
	PR_BODY = 0x1000,
	PR_RTF_COMPRESSED = 0x1009,
	PR_HTML = 0x1013,
	PR_INTERNET_MESSAGE_ID = 0x1035,
	PR_INTERNET_REFERENCES = 0x1039,
	PR_IN_REPLY_TO = 0x1042,
	PR_DISPLAY_NAME = 0x3001,
	PR_EMAIL_ADDRESS = 0x3003,
	PR_ATTACH_DATA = 0x3701,
	PR_ATTACH_FILENAME = 0x3704,
	PR_ATTACH_LONG_FILENAME = 0x3707,
	PR_ATTACH_MIME_TAG = 0x370E,
	PR_SMTP_ADDRESS = 0x39FE,
	PR_INTERNET_CPID = 0x3FDE,
	PR_MESSAGE_CODEPAGE = 0x3FFD,
	PR_SENDER_SMTP_ADDRESS = 0x5D01,
	PR_SENT_REPRESENTING_SMTP = 0x5D02,
};

enum { PT_LONG = 0x0003, PT_SYSTIME = 0x0040 };

typedef struct {
	DpExtractCtx *ctx;
	DpDoc *doc;
	GsfInfile *root;
	gsize max;
	/* The 8-bit strings' code page (PR_MESSAGE_CODEPAGE), or 0. */
	guint32 codepage;
	/* The HTML body's code page (PR_INTERNET_CPID), or 0. */
	guint32 html_codepage;
	/* The size of the message's property stream header: 32, or 24 for an attached message. */
	gsize header;
} Msg;

/* The charset name of the Windows code page CP, as iconv knows it. */
static char *
codepage_name(guint32 cp)
{
	switch (cp) {
	case 65001: return g_strdup("utf-8");
	case 20127: return g_strdup("us-ascii");
	case 28591: return g_strdup("iso-8859-1");
	case 1200: return g_strdup("utf-16le");
	default: return cp ? g_strdup_printf("CP%u", cp) : NULL;
	}
}

/* The binary property ID (type 0102) of DIR, or NULL. */
static GBytes *
prop_binary(Msg *m, GsfInfile *dir, guint16 id)
{
	char name[32];
	g_snprintf(name, sizeof name, "__substg1.0_%04X0102", id);
	const char *bad = NULL;
	return dp_ole_stream(dir, name, m->max, &bad);
}

/* The string property ID of DIR (UTF-16, else 8-bit in the message's code page), or NULL. */
static char *
prop_string(Msg *m, GsfInfile *dir, guint16 id)
{
	char name[32];
	const char *bad = NULL;
	g_snprintf(name, sizeof name, "__substg1.0_%04X001F", id);
	g_autoptr(GBytes) w = dp_ole_stream(dir, name, m->max, &bad);
	GString *s = g_string_new(NULL);
	if (w != NULL) {
		gsize n;
		const guint8 *p = g_bytes_get_data(w, &n);
		dp_ole_append_utf16(s, p, n / 2);
	} else {
		g_snprintf(name, sizeof name, "__substg1.0_%04X001E", id);
		g_autoptr(GBytes) b = dp_ole_stream(dir, name, m->max, &bad);
		if (b == NULL)
			return g_string_free(s, TRUE);
		gsize n;
		const guint8 *p = g_bytes_get_data(b, &n);
		g_autofree char *cs = codepage_name(m->codepage);
		g_autoptr(GString) t = dp_text_decode_string(p, n, cs, m->ctx->fallback_charset, NULL);
		g_string_append_len(s, t->str, (gssize)t->len);
	}
	/* Strings are stored with their terminating NUL. */
	while (s->len > 0 && s->str[s->len - 1] == '\0')
		g_string_truncate(s, s->len - 1);
	return g_string_free(s, FALSE);
}

/* The fixed-size property ID of type TYPE in DIR's property stream (header HEADER bytes). */
static gboolean
prop_fixed(Msg *m, GsfInfile *dir, gsize header, guint16 id, guint16 type, guint64 *value)
{
	const char *bad = NULL;
	g_autoptr(GBytes) props = dp_ole_stream(dir, "__properties_version1.0", m->max, &bad);
	gsize n = 0;
	const guint8 *p = props ? g_bytes_get_data(props, &n) : NULL;
	for (gsize off = header; p != NULL && off + 16 <= n; off += 16) {
		guint32 tag = dp_le32(p + off);
		if (tag == ((guint32)id << 16 | type)) {
			*value = (guint64)dp_le32(p + off + 8) | (guint64)dp_le32(p + off + 12) << 32;
			return TRUE;
		}
	}
	return FALSE;
}

/*
 * The values of the multi-valued string property ID of DIR
 * (__substg1.0_IIII101F-00000000, -00000001, ...; 101E for 8-bit ones),
 * or its single value, joined by ", "; NULL when it has none.
 */
static char *
prop_strings(Msg *m, GsfInfile *dir, guint16 id)
{
	g_autoptr(GString) out = g_string_new(NULL);
	for (guint i = 0; i < MAX_ENTRIES; i++) {
		char name[48];
		const char *bad = NULL;
		g_snprintf(name, sizeof name, "__substg1.0_%04X101F-%08X", id, i);
		g_autoptr(GBytes) w = dp_ole_stream(dir, name, m->max, &bad);
		g_autoptr(GString) v = g_string_new(NULL);
		if (w != NULL) {
			gsize n;
			const guint8 *p = g_bytes_get_data(w, &n);
			dp_ole_append_utf16(v, p, n / 2);
		} else {
			g_snprintf(name, sizeof name, "__substg1.0_%04X101E-%08X", id, i);
			g_autoptr(GBytes) b = dp_ole_stream(dir, name, m->max, &bad);
			if (b == NULL)
				break;
			gsize n;
			const guint8 *p = g_bytes_get_data(b, &n);
			g_autofree char *cs = codepage_name(m->codepage);
			g_autoptr(GString) t = dp_text_decode_string(p, n, cs, m->ctx->fallback_charset, NULL);
			g_string_append_len(v, t->str, (gssize)t->len);
		}
		g_autofree char *one = dp_text_one_line(v->str);
		if (*one != '\0')
			g_string_append_printf(out, "%s%s", out->len ? ", " : "", one);
	}
	if (out->len == 0) {
		g_autofree char *single = prop_string(m, dir, id);
		return single && *single ? dp_text_one_line(single) : NULL;
	}
	return g_strdup(out->str);
}

/*
 * What the named properties hold that a reader expects (msg-nameid.c
 * maps their names to ids): the categories (PS_PUBLIC_STRINGS
 * "Keywords") as meta.keywords, the sending account
 * (PidLidInternetAccountName) as meta.account.
 */
static void
named_meta(Msg *m)
{
	g_autoptr(DpMsgNames) names = dp_msg_names_read(m->root, m->max);
	guint16 id = dp_msg_names_string(names, dp_ps_public_strings, "Keywords");
	g_autofree char *keywords = id ? prop_strings(m, m->root, id) : NULL;
	dp_doc_meta(m->doc, "keywords", keywords);
	id = dp_msg_names_lid(names, dp_psetid_common, 0x8580);
	g_autofree char *account = id ? prop_string(m, m->root, id) : NULL;
	g_autofree char *account1 = account && *account ? dp_text_one_line(account) : NULL;
	dp_doc_meta(m->doc, "account", account1);
}

/* Set meta.NAME to VALUE unless the transport headers set it already. */
static void
meta_unset(Msg *m, const char *name, const char *value)
{
	g_autofree char *key = g_strconcat(DP_META_PREFIX, name, NULL);
	if (dp_record_get(m->doc->rec, key) == NULL)
		dp_doc_meta(m->doc, name, value);
}

/* "Name <addr>" as mail.c writes an address, the name quoted when it holds specials. */
static void
append_address(GString *out, const char *name, const char *addr)
{
	if (out->len > 0)
		g_string_append(out, ", ");
	gboolean has_name = name != NULL && *name != '\0' && g_strcmp0(name, addr) != 0;
	if (!has_name) {
		g_string_append(out, addr ? addr : "");
		return;
	}
	if (name[strcspn(name, "()<>[]:;@\\,.\"")] != '\0') {
		g_string_append_c(out, '"');
		for (const char *c = name; *c; c++) {
			if (*c == '"' || *c == '\\')
				g_string_append_c(out, '\\');
			g_string_append_c(out, *c);
		}
		g_string_append_c(out, '"');
	} else {
		g_string_append(out, name);
	}
	if (addr != NULL && *addr != '\0')
		g_string_append_printf(out, " <%s>", addr);
}

static int
name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names of DIR's children that start with PREFIX, sorted (the number after '#' orders them). */
static GPtrArray *
children_named(GsfInfile *dir, const char *prefix)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	int n = gsf_infile_num_children(dir);
	for (int i = 0; i < n && names->len < MAX_ENTRIES; i++) {
		const char *name = gsf_infile_name_by_index(dir, i);
		if (name != NULL && g_str_has_prefix(name, prefix))
			g_ptr_array_add(names, g_strdup(name));
	}
	g_ptr_array_sort(names, name_cmp);
	return names;
}

/* An address: the SMTP one when the message has it, else the native one (maybe an Exchange DN). */
static char *
address_of(Msg *m, GsfInfile *dir, guint16 smtp, guint16 native)
{
	char *a = prop_string(m, dir, smtp);
	if (a == NULL || *a == '\0') {
		g_free(a);
		a = prop_string(m, dir, native);
	}
	return a;
}

/* The recipients table as meta.to, meta.cc and meta.bcc. */
static void
recipients_meta(Msg *m)
{
	g_autoptr(GPtrArray) names = children_named(m->root, "__recip_version1.0_#");
	GString *lists[4] = { NULL, g_string_new(NULL), g_string_new(NULL), g_string_new(NULL) };
	for (guint i = 0; i < names->len; i++) {
		g_autoptr(GsfInput) in = gsf_infile_child_by_name(m->root, names->pdata[i]);
		if (in == NULL || !GSF_IS_INFILE(in))
			continue;
		GsfInfile *r = GSF_INFILE(in);
		guint64 type = 1;
		(void)prop_fixed(m, r, 8, PR_RECIPIENT_TYPE, PT_LONG, &type);
		type &= 0xFFFFFFFFu;
		g_autofree char *name = prop_string(m, r, PR_DISPLAY_NAME);
		g_autofree char *addr = address_of(m, r, PR_SMTP_ADDRESS, PR_EMAIL_ADDRESS);
		if ((name == NULL || *name == '\0') && (addr == NULL || *addr == '\0'))
			continue;
		append_address(lists[type >= 1 && type <= 3 ? type : 1], name, addr);
	}
	static const char *keys[4] = { NULL, "to", "cc", "bcc" };
	for (guint k = 1; k < 4; k++) {
		meta_unset(m, keys[k], lists[k]->str);
		g_string_free(lists[k], TRUE);
	}
}

/* A FILETIME (100 ns since 1601) as the date and date-iso keys. */
static void
date_meta(Msg *m, guint64 filetime)
{
	gint64 unix_time = (gint64)(filetime / 10000000u) - G_GINT64_CONSTANT(11644473600);
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(unix_time);
	if (dt == NULL)
		return;
	g_autofree char *date = g_date_time_format(dt, "%a, %d %b %Y %H:%M:%S +0000");
	g_autofree char *iso = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
	meta_unset(m, "date", date);
	meta_unset(m, "date-iso", iso);
}

/* The transport headers through docpipe-mail.so's header reading, when both are there. */
static void
transport_headers_meta(Msg *m)
{
	g_autofree char *headers = prop_string(m, m->root, PR_TRANSPORT_MESSAGE_HEADERS);
	if (headers == NULL || *headers == '\0')
		return;
	g_autofree char *why = NULL;
	DpMailHeadersFn fn = (DpMailHeadersFn)dp_module_symbol(DP_MODULE_MAIL, DP_MAIL_HEADERS_SYMBOL, &why);
	if (fn == NULL)
		return; /* the properties below give the same keys */
	/* The block ends with a blank line, so that nothing after it is read as a header. */
	g_autofree char *block = g_strconcat(headers, "\r\n\r\n", NULL);
	fn(m->ctx, m->doc, block, strlen(block));
}

static void
message_meta(Msg *m)
{
	transport_headers_meta(m);
	g_autofree char *subject = prop_string(m, m->root, PR_SUBJECT);
	meta_unset(m, "subject", subject);

	g_autofree char *name = prop_string(m, m->root, PR_SENDER_NAME);
	g_autofree char *addr = address_of(m, m->root, PR_SENDER_SMTP_ADDRESS, PR_SENDER_EMAIL);
	if ((name == NULL || *name == '\0') && (addr == NULL || *addr == '\0')) {
		g_free(name);
		g_free(addr);
		name = prop_string(m, m->root, PR_SENT_REPRESENTING_NAME);
		addr = address_of(m, m->root, PR_SENT_REPRESENTING_SMTP, PR_SENT_REPRESENTING_EMAIL);
	}
	g_autoptr(GString) from = g_string_new(NULL);
	if ((name && *name) || (addr && *addr))
		append_address(from, name, addr);
	meta_unset(m, "from", from->str);
	recipients_meta(m);

	guint64 t;
	if (prop_fixed(m, m->root, m->header, PR_CLIENT_SUBMIT_TIME, PT_SYSTIME, &t) ||
	    prop_fixed(m, m->root, m->header, PR_MESSAGE_DELIVERY_TIME, PT_SYSTIME, &t))
		date_meta(m, t);

	static const struct {
		guint16 id;
		const char *key;
	} ids[] = { { PR_INTERNET_MESSAGE_ID, "message-id" },
		    { PR_IN_REPLY_TO, "in-reply-to" },
		    { PR_INTERNET_REFERENCES, "references" } };
	for (guint i = 0; i < G_N_ELEMENTS(ids); i++) {
		g_autofree char *v = prop_string(m, m->root, ids[i].id);
		meta_unset(m, ids[i].key, v);
	}
}

/*
 * The HTML rendering's bytes: binary, in the code page *CHARSET names
 * (PR_INTERNET_CPID, when the message says), or a UTF-16 string made UTF-8.
 */
static GBytes *
html_body(Msg *m, char **charset)
{
	GBytes *b = prop_binary(m, m->root, PR_HTML);
	if (b != NULL) {
		*charset = codepage_name(m->html_codepage);
		return b;
	}
	char *s = prop_string(m, m->root, PR_HTML);
	*charset = s ? g_strdup("utf-8") : NULL;
	return s ? g_bytes_new_take(s, strlen(s)) : NULL;
}

/* One attachment storage: its data as the part PATH. */
static gboolean
read_attachment(Msg *m, GsfInfile *a, const char *path, GError **error)
{
	g_autofree char *lname = prop_string(m, a, PR_ATTACH_LONG_FILENAME);
	g_autofree char *sname = lname && *lname ? NULL : prop_string(m, a, PR_ATTACH_FILENAME);
	g_autofree char *dname = (lname && *lname) || (sname && *sname) ? NULL : prop_string(m, a, PR_DISPLAY_NAME);
	const char *fname = lname && *lname ? lname : sname && *sname ? sname : dname;
	g_autofree char *fname1 = fname ? dp_text_one_line(fname) : NULL;
	g_autofree char *mime = prop_string(m, a, PR_ATTACH_MIME_TAG);
	const char *meta[] = { "meta.filename", fname1, "meta.content-type", mime, NULL };

	g_autoptr(GBytes) data = prop_binary(m, a, PR_ATTACH_DATA);
	if (data != NULL)
		return dp_doc_child(m->ctx, m->doc, path, mime && *mime ? mime : NULL, data, meta, error);
	g_autoptr(GsfInput) obj = gsf_infile_child_by_name(a, "__substg1.0_3701000D");
	if (obj != NULL && GSF_IS_INFILE(obj) && gsf_infile_num_children(GSF_INFILE(obj)) >= 0) {
		gsize budget = m->max;
		g_autoptr(GBytes) msg = dp_ole_storage_file(GSF_INFILE(obj), &budget);
		if (msg == NULL)
			return dp_doc_child_problem(m->ctx, m->doc, path, DP_TYPE_MSG, meta, DP_STATUS_LIMIT, error,
			                            "attached message larger or deeper than its container allows");
		return dp_doc_child(m->ctx, m->doc, path, DP_TYPE_OLE2, msg, meta, error);
	}
	/* A link to a file elsewhere, or an attachment with no data: nothing to read. */
	return dp_doc_child_problem(m->ctx, m->doc, path, NULL, meta, DP_STATUS_UNSUPPORTED, error,
	                            "attachment without data (a link or an unknown method)");
}

/* The compressed RTF body as text, when it is the only rendering; the status says why not. */
static void
rtf_body(Msg *m)
{
	g_autoptr(GBytes) rtf = prop_binary(m, m->root, PR_RTF_COMPRESSED);
	gsize n = 0;
	const guint8 *p = rtf ? g_bytes_get_data(rtf, &n) : NULL;
	/*
	 * A 2-byte reference gives at most 17 bytes: the RTF is never more
	 * than 9 times its compressed form, whatever its header declares
	 * (dp_rtf_decompress allocates what the header says, up to MAX_OUT).
	 */
	gsize max_out = 9 * n + 4096;
	if (m->ctx->max_input > 0)
		max_out = MIN(max_out, (gsize)m->ctx->max_input);
	g_autoptr(GByteArray) raw = NULL;
	g_autoptr(GError) err = NULL;
	GString *text = NULL;
	if (p != NULL && dp_rtf_decompress(p, n, max_out, &raw, &err)) {
		gsize max_text = m->ctx->max_text > 0 ? (gsize)m->ctx->max_text + 1 : G_MAXSIZE;
		text = dp_rtf_to_text((const char *)raw->data, raw->len, max_text, &err);
	}
	if (text == NULL) {
		dp_doc_fail(m->doc, DP_STATUS_PARTIAL, "the compressed RTF body cannot be read: %s",
		            err ? err->message : "no data");
		return;
	}
	dp_doc_take_text(m->ctx, m->doc, text);
}

gboolean
dp_ole_msg(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error)
{
	Msg m = { ctx, doc, root, max, 0, 0, dp_ole_has(root, "__nameid_version1.0") ? 32 : 24 };
	guint64 cp = 0;
	if (prop_fixed(&m, root, m.header, PR_MESSAGE_CODEPAGE, PT_LONG, &cp))
		m.codepage = (guint32)cp;
	if (prop_fixed(&m, root, m.header, PR_INTERNET_CPID, PT_LONG, &cp))
		m.html_codepage = (guint32)cp;
	if (m.codepage == 0)
		m.codepage = m.html_codepage;
	message_meta(&m);
	named_meta(&m);

	g_autofree char *plain = prop_string(&m, root, PR_BODY);
	g_autofree char *html_charset = NULL;
	g_autoptr(GBytes) html = html_body(&m, &html_charset);
	gboolean rtf = dp_ole_has(root, "__substg1.0_10090102");
	g_autoptr(GString) skipped = g_string_new(NULL);
	gboolean has_plain = plain != NULL && *plain != '\0';
	gboolean html_part = html != NULL && (!has_plain || !ctx->preferred_only);
	if (html != NULL && !html_part)
		g_string_append(skipped, "text/html");
	gboolean rtf_text = rtf && !has_plain && html == NULL;
	if (rtf && !rtf_text)
		g_string_append_printf(skipped, "%stext/rtf", skipped->len ? " " : "");
	dp_doc_meta(doc, "alternatives-not-read", skipped->str);
	if (rtf_text)
		rtf_body(&m);
	else
		dp_doc_set_text(ctx, doc, has_plain ? plain : "", has_plain ? strlen(plain) : 0);
	if (!dp_doc_emit(ctx, doc, error))
		return FALSE;

	if (html_part) {
		const char *meta[] = { "meta.content-type", DP_TYPE_HTML, DP_F_CHARSET, html_charset, NULL };
		if (!dp_doc_child(ctx, doc, has_plain ? "alternative 1" : "body 1", DP_TYPE_HTML, html, meta, error))
			return FALSE;
	}
	g_autoptr(GPtrArray) names = children_named(root, "__attach_version1.0_#");
	for (guint i = 0; i < names->len; i++) {
		g_autoptr(GsfInput) in = gsf_infile_child_by_name(root, names->pdata[i]);
		if (in == NULL || !GSF_IS_INFILE(in))
			continue;
		g_autofree char *path = g_strdup_printf("attachment %u", i + 1);
		if (!read_attachment(&m, GSF_INFILE(in), path, error))
			return FALSE;
	}
	return TRUE;
}
