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
 *	  categories as meta.keywords; a meeting's start, end and location,
 *	  a task's start and due dates, the follow-up flag, billing,
 *	  companies, contacts and the sending account (named_props below).
 *	  the attachments, in order, "attachment N" (PR_ATTACH_DATA_BIN with
 *	  meta.filename and meta.content-type) through the same dispatch as
 *	  a loose file; an attached message (a PR_ATTACH_DATA_OBJ storage)
 *	  is copied out into a .msg of its own and read as one.
 *
 * SECURITY
 *	Every stream is untrusted and read with dp_ole_stream()'s checks
 *	(dp_ole_input_bytes()), never larger than the file.  Streams may
 *	share sectors, so all the reads of one message (and copies of
 *	attached messages) stop at READ_BUDGET times the file's size (status
 *	"partial").  Strings are decoded, made one line for metadata, and
 *	never used as paths.  The root's entries are listed once into an
 *	index (name -> position) that every lookup in the root goes
 *	through, so thousands of recipient and attachment storages cost no
 *	search by name each (libgsf's own open still sorts the entries into
 *	a list, quadratic in their number: extract/ole.c refuses a storage
 *	of more than [limits] max-ole-entries before libgsf opens the file);
 *	at most MAX_ENTRIES (4,096) of each are read, and the status is
 *	then "partial", naming how many there are; parts count against
 *	[limits] max-children and nest within max-depth (an attached
 *	message is a child record).  Copying an attached message out
 *	(dp_ole_storage_file()) costs at most the file's own size in bytes
 *	and DP_OLE_COPY_DEPTH levels of storages; past either it is a part
 *	with status "limit".
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
	/*
	 * Bytes of streams left to read (READ_BUDGET times the file): streams
	 * may share sectors, so thousands of recipients can each name the same
	 * big stream; OVER once a stream was refused for it.
	 */
	gsize budget;
	gboolean over;
	/*
	 * The root's children, listed once: name -> index.  libgsf finds a
	 * child by name by comparing it with every entry of its storage, and
	 * a message's root holds one storage per recipient and attachment,
	 * so every lookup there goes through this index instead.
	 */
	GHashTable *root_index;
	/* The recipient and attachment storages (Child), in name order. */
	GArray *recips, *attachs;
	/* How many of each the root holds, those past MAX_ENTRIES included. */
	guint n_recips, n_attachs;
	/* The root's __properties_version1.0, once read. */
	GBytes *root_props;
} Msg;

/* A child of the root: its name and its index among the root's children. */
typedef struct {
	char *name;
	int index;
} Child;

#define READ_BUDGET 4

/* The child NAME of DIR, through the root's index when DIR is the root; NULL when not there. */
static GsfInput *
msg_child(Msg *m, GsfInfile *dir, const char *name)
{
	if (dir != m->root || m->root_index == NULL)
		return gsf_infile_child_by_name(dir, name);
	gpointer i;
	if (!g_hash_table_lookup_extended(m->root_index, name, NULL, &i))
		return NULL;
	return gsf_infile_child_by_index(dir, GPOINTER_TO_INT(i));
}

/* The stream NAME of DIR read whole, at most MAX bytes; NULL when not there, with *BAD when not readable. */
static GBytes *
msg_read(Msg *m, GsfInfile *dir, const char *name, gsize max, const char **bad)
{
	g_autoptr(GsfInput) in = msg_child(m, dir, name);
	return in != NULL ? dp_ole_input_bytes(in, max, bad) : NULL;
}

/* The stream NAME of DIR, read whole, within the message's read budget; NULL when not there. */
static GBytes *
msg_stream(Msg *m, GsfInfile *dir, const char *name)
{
	const char *bad = NULL;
	gsize allow = MIN(m->max, m->budget);
	GBytes *b = msg_read(m, dir, name, allow, &bad);
	if (b == NULL && bad != NULL && allow < m->max)
		m->over = TRUE;
	if (b != NULL)
		m->budget -= g_bytes_get_size(b);
	return b;
}

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
	return msg_stream(m, dir, name);
}

/* The string property ID of DIR (UTF-16, else 8-bit in the message's code page), or NULL. */
static char *
prop_string(Msg *m, GsfInfile *dir, guint16 id)
{
	char name[32];
	g_snprintf(name, sizeof name, "__substg1.0_%04X001F", id);
	g_autoptr(GBytes) w = msg_stream(m, dir, name);
	GString *s = g_string_new(NULL);
	if (w != NULL) {
		gsize n;
		const guint8 *p = g_bytes_get_data(w, &n);
		dp_ole_append_utf16(s, p, n / 2);
	} else {
		g_snprintf(name, sizeof name, "__substg1.0_%04X001E", id);
		g_autoptr(GBytes) b = msg_stream(m, dir, name);
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
	/* The root's property stream is read once: each of a dozen properties is looked up in it. */
	if (dir == m->root && m->root_props == NULL)
		m->root_props = msg_stream(m, dir, "__properties_version1.0");
	g_autoptr(GBytes) props = dir == m->root ? (m->root_props ? g_bytes_ref(m->root_props) : NULL)
	                                         : msg_stream(m, dir, "__properties_version1.0");
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
		g_autoptr(GBytes) w = msg_read(m, dir, name, m->max, &bad);
		g_autoptr(GString) v = g_string_new(NULL);
		if (w != NULL) {
			gsize n;
			const guint8 *p = g_bytes_get_data(w, &n);
			dp_ole_append_utf16(v, p, n / 2);
		} else {
			g_snprintf(name, sizeof name, "__substg1.0_%04X101E-%08X", id, i);
			g_autoptr(GBytes) b = msg_read(m, dir, name, m->max, &bad);
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

/* PSETID_Appointment {00062002-...} and PSETID_Task {00062003-...}, in their stored byte order. */
static const guint8 psetid_appointment[16] = { 0x02, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	                                       0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
static const guint8 psetid_task[16] = { 0x03, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	                                0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };

enum { NAMED_STRING, NAMED_STRINGS, NAMED_TIME };

/*
 * The named properties ([MS-OXPROPS]) recorded, in this order: what a
 * reviewer asks of a meeting, a task or a flagged message.  A key set by
 * an earlier row is kept (the appointment's own times win over
 * PidLidCommonStart and End, which Outlook also sets on tasks).
 */
static const struct {
	const guint8 *set;
	guint32 lid;
	guint kind;
	const char *key;
} named_props[] = {
	{ psetid_appointment, 0x820D, NAMED_TIME, "start" },      /* PidLidAppointmentStartWhole */
	{ psetid_appointment, 0x820E, NAMED_TIME, "end" },        /* PidLidAppointmentEndWhole */
	{ dp_psetid_common, 0x8516, NAMED_TIME, "start" },        /* PidLidCommonStart */
	{ dp_psetid_common, 0x8517, NAMED_TIME, "end" },          /* PidLidCommonEnd */
	{ psetid_appointment, 0x8208, NAMED_STRING, "location" }, /* PidLidLocation */
	{ psetid_task, 0x8104, NAMED_TIME, "task-start" },        /* PidLidTaskStartDate */
	{ psetid_task, 0x8105, NAMED_TIME, "task-due" },          /* PidLidTaskDueDate */
	{ dp_psetid_common, 0x8530, NAMED_STRING, "follow-up" },  /* PidLidFlagRequest */
	{ dp_psetid_common, 0x8535, NAMED_STRING, "billing" },    /* PidLidBilling */
	{ dp_psetid_common, 0x8539, NAMED_STRINGS, "companies" }, /* PidLidCompanies */
	{ dp_psetid_common, 0x853A, NAMED_STRINGS, "contacts" },  /* PidLidContacts */
	{ dp_psetid_common, 0x8580, NAMED_STRING, "account" },    /* PidLidInternetAccountName */
};

/*
 * A FILETIME (100 ns since 1601) as ISO 8601 in UTC; NULL for none, and
 * for Outlook's "no date" (4501-01-01) and anything past it.
 */
static char *
filetime_iso(guint64 filetime)
{
	gint64 unix_time = (gint64)(filetime / 10000000u) - G_GINT64_CONSTANT(11644473600);
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(unix_time);
	if (dt == NULL || g_date_time_get_year(dt) >= 4500)
		return NULL;
	return g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* The value of the named property ID of the message, as KIND says; NULL when it has none. */
static char *
named_value(Msg *m, guint16 id, guint kind)
{
	if (kind == NAMED_TIME) {
		guint64 t;
		return prop_fixed(m, m->root, m->header, id, PT_SYSTIME, &t) ? filetime_iso(t) : NULL;
	}
	if (kind == NAMED_STRINGS)
		return prop_strings(m, m->root, id);
	g_autofree char *v = prop_string(m, m->root, id);
	return v && *v ? dp_text_one_line(v) : NULL;
}

/*
 * What the named properties hold that a reader expects (msg-nameid.c
 * maps their names to ids): the categories (PS_PUBLIC_STRINGS
 * "Keywords") as meta.keywords, then the rows of named_props.
 */
static void
named_meta(Msg *m)
{
	g_autoptr(DpMsgNames) names = dp_msg_names_read(m->root, m->max);
	guint16 id = dp_msg_names_string(names, dp_ps_public_strings, "Keywords");
	g_autofree char *keywords = id ? prop_strings(m, m->root, id) : NULL;
	dp_doc_meta(m->doc, "keywords", keywords);
	for (guint i = 0; i < G_N_ELEMENTS(named_props); i++) {
		g_autofree char *key = g_strconcat(DP_META_PREFIX, named_props[i].key, NULL);
		if (dp_record_get(m->doc->rec, key) != NULL)
			continue;
		id = dp_msg_names_lid(names, named_props[i].set, named_props[i].lid);
		g_autofree char *value = id ? named_value(m, id, named_props[i].kind) : NULL;
		dp_doc_meta(m->doc, named_props[i].key, value);
	}
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
child_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(((const Child *)a)->name, ((const Child *)b)->name);
}

static void
child_clear(gpointer p)
{
	g_free(((Child *)p)->name);
}

/*
 * The root's children in one pass: the name index (the first of two
 * entries with one name wins, as a search by name finds it), and the
 * recipient and attachment storages, at most MAX_ENTRIES of each, sorted
 * by name (the number after '#' orders them).
 */
static void
index_root(Msg *m)
{
	m->root_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	m->recips = g_array_new(FALSE, FALSE, sizeof(Child));
	m->attachs = g_array_new(FALSE, FALSE, sizeof(Child));
	g_array_set_clear_func(m->recips, child_clear);
	g_array_set_clear_func(m->attachs, child_clear);
	int n = gsf_infile_num_children(m->root);
	for (int i = 0; i < n; i++) {
		const char *name = gsf_infile_name_by_index(m->root, i);
		if (name == NULL || g_hash_table_contains(m->root_index, name))
			continue;
		g_hash_table_insert(m->root_index, g_strdup(name), GINT_TO_POINTER(i));
		GArray *list = g_str_has_prefix(name, "__recip_version1.0_#")    ? m->recips
		               : g_str_has_prefix(name, "__attach_version1.0_#") ? m->attachs
		                                                                 : NULL;
		if (list == m->recips)
			m->n_recips++;
		else if (list == m->attachs)
			m->n_attachs++;
		if (list != NULL && list->len < MAX_ENTRIES) {
			Child c = { g_strdup(name), i };
			g_array_append_val(list, c);
		}
	}
	g_array_sort(m->recips, child_cmp);
	g_array_sort(m->attachs, child_cmp);
}

/* The storage C of the root, or NULL when it is a stream or cannot be opened. */
static GsfInput *
root_storage(Msg *m, const Child *c)
{
	GsfInput *in = gsf_infile_child_by_index(m->root, c->index);
	if (in != NULL && !GSF_IS_INFILE(in))
		g_clear_object(&in);
	return in;
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
	GString *lists[4] = { NULL, g_string_new(NULL), g_string_new(NULL), g_string_new(NULL) };
	for (guint i = 0; i < m->recips->len; i++) {
		g_autoptr(GsfInput) in = root_storage(m, &g_array_index(m->recips, Child, i));
		if (in == NULL)
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
	if (m->over)
		return dp_doc_child_problem(m->ctx, m->doc, path, NULL, meta, DP_STATUS_LIMIT, error,
		                            "attachment not read: the message's streams share sectors");
	g_autoptr(GsfInput) obj = gsf_infile_child_by_name(a, "__substg1.0_3701000D");
	if (obj != NULL && GSF_IS_INFILE(obj) && gsf_infile_num_children(GSF_INFILE(obj)) >= 0) {
		/* The copy counts against the message's read budget, as its streams do. */
		gsize start = MIN(m->max, m->budget), budget = start;
		g_autoptr(GBytes) msg = dp_ole_storage_file(GSF_INFILE(obj), &budget);
		m->budget -= start - budget;
		if (msg == NULL)
			return dp_doc_child_problem(m->ctx, m->doc, path, DP_TYPE_MSG, meta, DP_STATUS_LIMIT, error,
			                            "attached message larger, deeper or wider (a storage of more than "
			                            "1,024 entries) than a copy allows");
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

/* The message's record, its HTML rendering and its attachments. */
static gboolean
read_message(Msg *m, GError **error)
{
	guint64 cp = 0;
	if (prop_fixed(m, m->root, m->header, PR_MESSAGE_CODEPAGE, PT_LONG, &cp))
		m->codepage = (guint32)cp;
	if (prop_fixed(m, m->root, m->header, PR_INTERNET_CPID, PT_LONG, &cp))
		m->html_codepage = (guint32)cp;
	if (m->codepage == 0)
		m->codepage = m->html_codepage;
	message_meta(m);
	named_meta(m);

	g_autofree char *plain = prop_string(m, m->root, PR_BODY);
	g_autofree char *html_charset = NULL;
	g_autoptr(GBytes) html = html_body(m, &html_charset);
	gboolean rtf = g_hash_table_contains(m->root_index, "__substg1.0_10090102");
	g_autoptr(GString) skipped = g_string_new(NULL);
	gboolean has_plain = plain != NULL && *plain != '\0';
	gboolean html_part = html != NULL && (!has_plain || !m->ctx->preferred_only);
	if (html != NULL && !html_part)
		g_string_append(skipped, "text/html");
	gboolean rtf_text = rtf && !has_plain && html == NULL;
	if (rtf && !rtf_text)
		g_string_append_printf(skipped, "%stext/rtf", skipped->len ? " " : "");
	dp_doc_meta(m->doc, "alternatives-not-read", skipped->str);
	if (rtf_text)
		rtf_body(m);
	else
		dp_doc_set_text(m->ctx, m->doc, has_plain ? plain : "", has_plain ? strlen(plain) : 0);
	/* The recipients and attachments past MAX_ENTRIES are left out, and the status says so. */
	if (m->n_recips > MAX_ENTRIES || m->n_attachs > MAX_ENTRIES)
		dp_doc_fail(m->doc, DP_STATUS_PARTIAL,
		            "Outlook message of %u recipients and %u attachments: only the first %d of each were read",
		            m->n_recips, m->n_attachs, MAX_ENTRIES);
	if (m->over)
		dp_doc_fail(m->doc, DP_STATUS_PARTIAL,
		            "Outlook message: its streams read more than %d times the file's size (they share "
		            "sectors); the rest was not read",
		            READ_BUDGET);
	if (!dp_doc_emit(m->ctx, m->doc, error))
		return FALSE;

	if (html_part) {
		const char *meta[] = { "meta.content-type", DP_TYPE_HTML, DP_F_CHARSET, html_charset, NULL };
		if (!dp_doc_child(m->ctx, m->doc, has_plain ? "alternative 1" : "body 1", DP_TYPE_HTML, html, meta,
		                  error))
			return FALSE;
	}
	for (guint i = 0; i < m->attachs->len; i++) {
		g_autoptr(GsfInput) in = root_storage(m, &g_array_index(m->attachs, Child, i));
		if (in == NULL)
			continue;
		g_autofree char *path = g_strdup_printf("attachment %u", i + 1);
		if (!read_attachment(m, GSF_INFILE(in), path, error))
			return FALSE;
	}
	return TRUE;
}

gboolean
dp_ole_msg(DpExtractCtx *ctx, DpDoc *doc, GsfInfile *root, gsize max, GError **error)
{
	Msg m = { .ctx = ctx, .doc = doc, .root = root, .max = max };
	index_root(&m);
	m.header = g_hash_table_contains(m.root_index, "__nameid_version1.0") ? 32 : 24;
	m.budget = max > G_MAXSIZE / (2 * READ_BUDGET) ? G_MAXSIZE : READ_BUDGET * max + 65536;
	gboolean ok = read_message(&m, error);
	g_hash_table_unref(m.root_index);
	g_array_free(m.recips, TRUE);
	g_array_free(m.attachs, TRUE);
	g_clear_pointer(&m.root_props, g_bytes_unref);
	return ok;
}
