/*
 * NAME
 *	msg-nameid.c - the named properties of an Outlook .msg
 *	([MS-OXMSG] 2.2.3, the __nameid_version1.0 storage)
 *
 * DESCRIPTION
 *	Properties with ids 0x8000 and up have no fixed meaning: each
 *	message says which property set (a GUID) and which name (a string,
 *	or a number, the LID) each one stands for, in three streams of the
 *	storage __nameid_version1.0:
 *	  __substg1.0_00020102  the GUIDs, 16 bytes each; index 1 and 2 are
 *	                        PS_MAPI and PS_PUBLIC_STRINGS, never stored,
 *	                        index 3 the stream's first
 *	  __substg1.0_00030102  the entries, 8 bytes each: the LID or the
 *	                        name's offset in the string stream (u32),
 *	                        then u16 whose bit 0 says a string name and
 *	                        whose other bits are the GUID's index, then
 *	                        u16 the property's index (id 0x8000 + it)
 *	  __substg1.0_00040102  the names: a u32 byte length, UTF-16LE, padded
 *	                        to 4 bytes
 *	msg.c asks the map for the id of the properties it reads by name:
 *	the keywords (categories) of PS_PUBLIC_STRINGS "Keywords", and by
 *	LID those of PSETID_Common, PSETID_Appointment and PSETID_Task it
 *	records (its table named_props: the account, a meeting's times and
 *	place, a task's dates, companies, contacts, ...).
 *
 * SECURITY
 *	The streams are untrusted and read through dp_ole_stream(), never
 *	larger than the file.  Every entry's GUID index and string offset is
 *	checked against its stream, a name's length against the bytes left
 *	in the string stream and MAX_NAME; at most MAX_NAMED entries are
 *	kept (a property index takes 15 bits: 32,768 at most anyway).
 */
#include "extract/extract.h"
#include "extract/ole.h"

#include <string.h>

#include "util/banned.h"

/* Ids 0x8000-0xFFFE: at most this many named properties. */
#define MAX_NAMED 32767
/* A longer name is no name Outlook writes: the entry is skipped. */
#define MAX_NAME 1024

typedef struct {
	guint8 guid[16];
	guint32 lid; /* when name is NULL */
	char *name;  /* UTF-8, or NULL for a numbered one */
	guint16 id;  /* 0x8000 + the property index */
} Named;

struct DpMsgNames {
	GArray *named; /* of Named */
};

/* PS_MAPI and PS_PUBLIC_STRINGS, the GUIDs of indexes 1 and 2. */
static const guint8 ps_mapi[16] = { 0x28, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	                            0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
const guint8 dp_ps_public_strings[16] = { 0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	                                  0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
/* PSETID_Common {00062008-0000-0000-C000-000000000046}, in its stored byte order. */
const guint8 dp_psetid_common[16] = { 0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	                              0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };

static void
named_clear(gpointer p)
{
	g_free(((Named *)p)->name);
}

void
dp_msg_names_free(DpMsgNames *names)
{
	if (names == NULL)
		return;
	g_array_free(names->named, TRUE);
	g_free(names);
}

/* The GUID of index I (1, 2, or 3 and up from the GUID stream G of N bytes); FALSE when there is none. */
static gboolean
guid_of(guint i, const guint8 *g, gsize n, guint8 out[16])
{
	if (i == 1 || i == 2) {
		memcpy(out, i == 1 ? ps_mapi : dp_ps_public_strings, 16);
		return TRUE;
	}
	if (i < 3 || (gsize)(i - 3) >= n / 16)
		return FALSE;
	memcpy(out, g + 16 * (gsize)(i - 3), 16);
	return TRUE;
}

/* The name at OFF of the string stream S (N bytes) as UTF-8, or NULL when it does not fit. */
static char *
name_at(const guint8 *s, gsize n, guint32 off)
{
	if (s == NULL || off > n || n - off < 4)
		return NULL;
	guint32 len = dp_le32(s + off);
	if (len > n - off - 4 || len > 2 * MAX_NAME || len % 2 != 0)
		return NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	dp_ole_append_utf16(out, s + off + 4, len / 2);
	return g_strdup(out->str);
}

DpMsgNames *
dp_msg_names_read(GsfInfile *root, gsize max)
{
	DpMsgNames *names = g_new0(DpMsgNames, 1);
	names->named = g_array_new(FALSE, FALSE, sizeof(Named));
	g_array_set_clear_func(names->named, named_clear);
	g_autoptr(GsfInput) dir = gsf_infile_child_by_name(root, "__nameid_version1.0");
	if (dir == NULL || !dp_ole_is_storage(dir))
		return names;
	const char *bad = NULL;
	g_autoptr(GBytes) guids = dp_ole_stream(GSF_INFILE(dir), "__substg1.0_00020102", max, &bad);
	g_autoptr(GBytes) entries = dp_ole_stream(GSF_INFILE(dir), "__substg1.0_00030102", max, &bad);
	g_autoptr(GBytes) strings = dp_ole_stream(GSF_INFILE(dir), "__substg1.0_00040102", max, &bad);
	if (entries == NULL)
		return names;
	gsize gn = 0, en = 0, sn = 0;
	const guint8 *g = guids ? g_bytes_get_data(guids, &gn) : NULL;
	const guint8 *e = g_bytes_get_data(entries, &en);
	const guint8 *s = strings ? g_bytes_get_data(strings, &sn) : NULL;
	for (gsize off = 0; off + 8 <= en && names->named->len < MAX_NAMED; off += 8) {
		guint16 kind = dp_le16(e + off + 4), index = dp_le16(e + off + 6);
		Named nm = { .id = (guint16)(0x8000 + (index & 0x7FFF)) };
		if (index > 0x7FFE || !guid_of(kind >> 1, g, gn, nm.guid))
			continue;
		if (kind & 1) {
			nm.name = name_at(s, sn, dp_le32(e + off));
			if (nm.name == NULL)
				continue;
		} else {
			nm.lid = dp_le32(e + off);
		}
		g_array_append_val(names->named, nm);
	}
	return names;
}

guint
dp_msg_names_count(const DpMsgNames *names)
{
	return names->named->len;
}

guint16
dp_msg_names_string(const DpMsgNames *names, const guint8 guid[16], const char *name)
{
	for (guint i = 0; i < names->named->len; i++) {
		const Named *nm = &g_array_index(names->named, Named, i);
		if (nm->name != NULL && memcmp(nm->guid, guid, 16) == 0 && g_ascii_strcasecmp(nm->name, name) == 0)
			return nm->id;
	}
	return 0;
}

guint16
dp_msg_names_lid(const DpMsgNames *names, const guint8 guid[16], guint32 lid)
{
	for (guint i = 0; i < names->named->len; i++) {
		const Named *nm = &g_array_index(names->named, Named, i);
		if (nm->name == NULL && nm->lid == lid && memcmp(nm->guid, guid, 16) == 0)
			return nm->id;
	}
	return 0;
}
