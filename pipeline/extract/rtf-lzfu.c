/*
 * NAME
 *	rtf-lzfu.c: compressed RTF (MS-OXRTFCP), as Outlook stores message
 *	bodies in .msg, TNEF and PST files.
 *
 * DESCRIPTION
 *	A 16-byte header (compressed size, raw size, "LZFu" or "MELA", CRC)
 *	precedes the data.  "MELA" data is the RTF itself.  "LZFu" data is a
 *	run of runs: a control byte whose bits, lowest first, say whether each
 *	of the next eight tokens is a literal byte (0) or a two-byte reference
 *	(1: a 12-bit offset and a 4-bit length less two) into a 4096-byte
 *	circular dictionary that starts with a fixed 207-byte RTF prologue.
 *	A reference to the write position itself ends the data.
 *
 * SECURITY
 *	The bytes are untrusted.  Every read is checked against the length,
 *	the output stops at MAX_OUT bytes (a reference can repeat at most 17
 *	bytes for two read, so the output is bounded by the input in any
 *	case), and the CRC must match before a byte is given back.
 */
#include "extract/rtf.h"

#include "util/exitcode.h"

#include <string.h>

#include "util/banned.h"

#define LZFU_HEADER 16
#define LZFU_DICT 4096
#define LZFU_MAGIC_COMPRESSED 0x75465a4cu /* "LZFu" */
#define LZFU_MAGIC_RAW 0x414c454du        /* "MELA" */

/* MS-OXRTFCP 2.1.2.1: the dictionary's first 207 bytes. */
static const char lzfu_prologue[] = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}"
                                    "{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript "
                                    "\\fdecor MS Sans SerifSymbolArialTimes New RomanCourier"
                                    "{\\colortbl\\red0\\green0\\blue0\r\n\\par "
                                    "\\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";
G_STATIC_ASSERT(sizeof lzfu_prologue - 1 == 207);

static guint32
le32(const guint8 *p)
{
	return (guint32)p[0] | (guint32)p[1] << 8 | (guint32)p[2] << 16 | (guint32)p[3] << 24;
}

/* The CRC-32 of MS-OXRTFCP 3.1.3.2: the usual polynomial, no pre- or post-inversion. */
static guint32
lzfu_crc(const guint8 *p, gsize len)
{
	static guint32 table[256];
	static gsize once;
	if (g_once_init_enter(&once)) {
		for (guint32 i = 0; i < 256; i++) {
			guint32 c = i;
			for (int k = 0; k < 8; k++)
				c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		g_once_init_leave(&once, 1);
	}
	guint32 crc = 0;
	for (gsize i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc;
}

/* The LZFu tokens of P (LEN bytes after the header) into OUT. */
static gboolean
lzfu_expand(const guint8 *p, gsize len, gsize max_out, GByteArray *out, GError **error)
{
	guint8 dict[LZFU_DICT];
	memcpy(dict, lzfu_prologue, sizeof lzfu_prologue - 1);
	guint wpos = sizeof lzfu_prologue - 1;
	gsize i = 0;

	while (i < len) {
		guint8 control = p[i++];
		for (int bit = 0; bit < 8; bit++) {
			if (i >= len)
				return TRUE; /* the last run may be short */
			if (!(control & (1u << bit))) {
				if (out->len >= max_out)
					goto too_big;
				dict[wpos] = p[i];
				wpos = (wpos + 1) % LZFU_DICT;
				g_byte_array_append(out, &p[i], 1);
				i++;
				continue;
			}
			if (len - i < 2) {
				g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "compressed RTF ends inside a reference");
				return FALSE;
			}
			guint ref = (guint)p[i] << 8 | p[i + 1];
			i += 2;
			guint offset = ref >> 4, count = (ref & 0xf) + 2;
			if (offset == wpos)
				return TRUE;
			/* Byte by byte: a reference may overlap the bytes it writes. */
			for (guint k = 0; k < count; k++) {
				if (out->len >= max_out)
					goto too_big;
				guint8 c = dict[(offset + k) % LZFU_DICT];
				dict[wpos] = c;
				wpos = (wpos + 1) % LZFU_DICT;
				g_byte_array_append(out, &c, 1);
			}
		}
	}
	return TRUE;
too_big:
	g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "compressed RTF expands past %" G_GSIZE_FORMAT " bytes", max_out);
	return FALSE;
}

gboolean
dp_rtf_decompress(const guint8 *data, gsize len, gsize max_out, GByteArray **out, GError **error)
{
	*out = NULL;
	if (len < LZFU_HEADER) {
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "compressed RTF shorter than its header");
		return FALSE;
	}
	guint32 comp_size = le32(data), raw_size = le32(data + 4), magic = le32(data + 8), crc = le32(data + 12);
	/* COMPSIZE counts the bytes after itself; some writers pad after them. */
	if (comp_size < LZFU_HEADER - 4 || comp_size > len - 4) {
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR,
		            "compressed RTF size %u past its %" G_GSIZE_FORMAT " bytes", comp_size, len);
		return FALSE;
	}
	const guint8 *body = data + LZFU_HEADER;
	gsize body_len = (gsize)comp_size + 4 - LZFU_HEADER;
	/*
	 * RAWSIZE is the writer's claim: room is made for at most what BODY can
	 * give (a control byte and eight 2-byte references make 8 x 17 bytes
	 * from 17), and the array grows past that if it must.
	 */
	gsize room = MIN(MIN((gsize)raw_size, max_out), body_len * 9 + 64);
	g_autoptr(GByteArray) buf = g_byte_array_sized_new(room + 1);

	if (magic == LZFU_MAGIC_RAW) {
		gsize n = MIN((gsize)raw_size, body_len);
		if (n > max_out) {
			g_set_error(error, DP_ERROR, DP_EXIT_DATAERR,
			            "uncompressed RTF longer than %" G_GSIZE_FORMAT " bytes", max_out);
			return FALSE;
		}
		g_byte_array_append(buf, body, n);
	} else if (magic == LZFU_MAGIC_COMPRESSED) {
		if (lzfu_crc(body, body_len) != crc) {
			g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "compressed RTF fails its CRC");
			return FALSE;
		}
		if (!lzfu_expand(body, body_len, max_out, buf, error))
			return FALSE;
	} else {
		g_set_error(error, DP_ERROR, DP_EXIT_DATAERR, "compressed RTF of unknown kind 0x%08x", magic);
		return FALSE;
	}
	*out = g_steal_pointer(&buf);
	return TRUE;
}
