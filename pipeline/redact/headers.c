/*
 * NAME
 *	headers.c - the display names beside redacted addresses in headers
 *
 * DESCRIPTION
 *	With [redact] header-names, the display names of the addresses the
 *	email rule redacted go too, as the rule "person" (redact/redact.c
 *	replaces them where no match overlaps them).  Found here: in an
 *	address header's value (From, To, Cc, ...), in the blocks of header
 *	lines of a printed or forwarded message, and just before an address
 *	in brackets elsewhere ("John Smith <...> wrote:"); the shapes of the
 *	names themselves are redact/names.c's.  A name of two words or more
 *	found so is then a name wherever the same text, the rest of its
 *	record or the record's parts repeat it.
 *
 * SECURITY
 *	The text is untrusted.  Every look back for the start of a line or a
 *	name is bounded (4096 bytes, 32 lines), names remembered are at most
 *	MAX_LEARNED of at most 80 bytes each, and nothing here prints or
 *	records a name.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "redact/headers.h"

#include <string.h>

#include "util/banned.h"

/* Names remembered from one record (and its parent) for the rest of it. */
#define MAX_LEARNED 64

void
dp_header_names_init(DpHeaderNames *hn)
{
	hn->in_record = FALSE;
	hn->learned = g_ptr_array_new_with_free_func(g_free);
	hn->carried = g_ptr_array_new_with_free_func(g_free);
	hn->carried_parent = NULL;
}

void
dp_header_names_clear(DpHeaderNames *hn)
{
	g_clear_pointer(&hn->learned, g_ptr_array_unref);
	g_clear_pointer(&hn->carried, g_ptr_array_unref);
	g_clear_pointer(&hn->carried_parent, g_free);
}

static int
cmp_range(gconstpointer a, gconstpointer b)
{
	const DpRange *x = a, *y = b;
	return x->s < y->s ? -1 : x->s > y->s;
}

/* Is [S, E) of TEXT a whole run of words (no letter or digit just outside)? */
static gboolean
whole_words(const char *text, gsize len, gsize s, gsize e)
{
	return (s == 0 || !g_ascii_isalnum(text[s - 1])) && (e >= len || !g_ascii_isalnum(text[e]));
}

/* Add to FOUND every whole-word occurrence of NAME in TEXT. */
static void
add_occurrences(const char *text, gsize len, const char *name, GArray *found)
{
	gsize nl = strlen(name);
	for (const char *p = text; (p = memmem(p, len - (gsize)(p - text), name, nl)) != NULL; p += nl) {
		DpRange m = { (gsize)(p - text), (gsize)(p - text) + nl };
		if (whole_words(text, len, m.s, m.e))
			g_array_append_val(found, m);
	}
}

/*
 * Remember NAME, found beside an address in the record being redacted, for
 * the rest of it and its parts (see dp_redact_record()).
 */
static void
learn_name(DpHeaderNames *hn, const char *name)
{
	if (!hn->in_record || hn->learned->len >= MAX_LEARNED)
		return;
	for (guint i = 0; i < hn->learned->len; i++)
		if (g_str_equal(hn->learned->pdata[i], name))
			return;
	g_ptr_array_add(hn->learned, g_strdup(name));
}

/*
 * A display name found beside an address is a name wherever the same text
 * repeats it: the mailbox owner Outlook prints above the header, "To:
 * Mills, Cheryl D" in an earlier message of the chain.  Only names of two
 * words or more (a one-word name, "Papertrail", is as often a word), at
 * most MAX_LEARNED of them, as written.  Inside a record, the names found
 * in its earlier fields, and in the record its parts belong to, count too.
 * FOUND is sorted and made disjoint again.
 */
static void
repeat_names(DpHeaderNames *hn, const char *text, gsize len, GArray *found)
{
	guint n = found->len;
	for (guint i = 0; i < n; i++) {
		DpRange r = g_array_index(found, DpRange, i);
		gsize nl = r.e - r.s;
		if (nl < 4 || nl > 80 || memchr(text + r.s, ' ', nl) == NULL || memchr(text + r.s, '\n', nl) != NULL)
			continue;
		g_autofree char *name = g_strndup(text + r.s, nl);
		learn_name(hn, name);
		if (!hn->in_record)
			add_occurrences(text, len, name, found);
	}
	if (hn->in_record) {
		for (guint i = 0; i < hn->learned->len; i++)
			add_occurrences(text, len, hn->learned->pdata[i], found);
		for (guint i = 0; i < hn->carried->len; i++)
			add_occurrences(text, len, hn->carried->pdata[i], found);
	}
	if (found->len == n)
		return;
	g_array_sort(found, cmp_range);
	guint w = 0;
	for (guint i = 0; i < found->len; i++) {
		DpRange r = g_array_index(found, DpRange, i);
		if (w > 0 && r.s < g_array_index(found, DpRange, w - 1).e)
			continue;
		g_array_index(found, DpRange, w++) = r;
	}
	g_array_set_size(found, w);
}

/* The start of the line holding offset AT of TEXT, looked for back to FLOOR and 4096 bytes at most. */
static gsize
line_start(const char *text, gsize at, gsize floor)
{
	gsize ls = at;
	while (ls > floor && text[ls - 1] != '\n' && at - ls < 4096)
		ls--;
	return ls;
}

/* The name before each address A[*I..J) in brackets; *FLOOR: the end of the last one seen. */
static void
names_before(GArray *found, const char *text, const DpRange *a, guint *i, guint j, gsize *floor)
{
	for (; *i < j; (*i)++) {
		DpRange r;
		gsize s = a[*i].s;
		if (dp_names_before_address(text, MAX(*floor, s > 4096 ? s - 4096 : 0), s, &r))
			g_array_append_val(found, r);
		*floor = a[*i].e;
	}
}

/*
 * The names of the block of header lines starting at LS of TEXT: every
 * line of it that is an address header gives the names beside its
 * addresses, and all its items when the block holds an address anywhere
 * (a printed header whose other addresses were withheld).  Addresses
 * from *I on are consumed up to the end of the block, which is returned.
 */
static gsize
names_in_block(GArray *found, const char *text, gsize len, gsize ls, const DpRange *a, guint n, guint *i, gsize *floor)
{
	/* The block: consecutive labelled lines. */
	gsize be = ls;
	for (gsize p = ls; p < len;) {
		const char *nl = memchr(text + p, '\n', len - p);
		gsize le = nl ? (gsize)(nl - text) : len;
		if (!dp_names_block_line(text, p, le))
			break;
		be = le;
		p = le + 1;
	}
	while (*i < n && a[*i].s < ls)
		names_before(found, text, a, i, *i + 1, floor);
	guint k = *i;
	while (k < n && a[k].s < be)
		k++;
	gboolean has_addr = k > *i;
	for (gsize p = ls; p < be;) {
		const char *nl = memchr(text + p, '\n', be - p);
		gsize le = nl ? (gsize)(nl - text) : be, vs;
		guint j = *i;
		while (j < k && a[j].s < le)
			j++;
		if (dp_names_header_line(text, p, le, &vs)) {
			dp_names_in_header(text, vs, le, a + *i, j - *i, has_addr, found);
			*i = j;
			*floor = le;
		} else {
			names_before(found, text, a, i, j, floor);
		}
		p = le + 1;
	}
	return be;
}

/*
 * The display names of the redacted addresses A[0..N) in TEXT, into FOUND, in
 * text order: of the whole of TEXT when it is an address header's value
 * (HEADER; ALL_ITEMS for a printed message that holds an address); else
 * of its blocks of header lines ("From: ..." in a printed or forwarded
 * message), and the names written just before an address in brackets
 * elsewhere (a printed header in column form, "John Smith <...> wrote:").
 */
void
dp_header_names_find(DpHeaderNames *hn, const char *text, gsize len, const DpRange *a, guint n, gboolean header,
                     gboolean all_items, GArray *found)
{
	g_array_set_size(found, 0);
	guint i = 0;
	if (header) {
		dp_names_in_header(text, 0, len, a, n, all_items, found);
	} else {
		/*
		 * Address by address (a block of header lines without one gives no
		 * name, so only the lines of addresses are looked at): the block
		 * of header lines around it, else the name just before it.
		 */
		gsize floor = 0, done = 0;
		while (i < n) {
			gsize ls = line_start(text, a[i].s, done);
			const char *nl = memchr(text + a[i].s, '\n', len - a[i].s);
			gsize le = nl ? (gsize)(nl - text) : len;
			if ((ls == 0 || text[ls - 1] == '\n') && dp_names_block_line(text, ls, le)) {
				/* Up to the block's first line. */
				for (guint up = 0; up < 32 && ls > done && ls > 0; up++) {
					gsize pls = line_start(text, ls - 1, done);
					if ((pls > 0 && text[pls - 1] != '\n') ||
					    !dp_names_block_line(text, pls, ls - 1))
						break;
					ls = pls;
				}
				done = names_in_block(found, text, len, ls, a, n, &i, &floor);
				continue;
			}
			names_before(found, text, a, &i, i + 1, &floor);
		}
	}
	if (found->len > 0 || hn->in_record)
		repeat_names(hn, text, len, found);
}

/*
 * A name found beside an address in a record is a name in the rest of it
 * (its fields come first, then its body) and in its parts, which follow
 * it: the printed messages of a release, the attachments of a message.
 * Forgotten at the first record that is neither.
 */
void
dp_header_names_begin(DpHeaderNames *hn, const DpRecord *rec, gboolean enabled)
{
	const char *parent = dp_record_get(rec, DP_F_PARENT);
	if (hn->carried_parent == NULL || parent == NULL || !g_str_equal(parent, hn->carried_parent)) {
		g_ptr_array_set_size(hn->carried, 0);
		g_clear_pointer(&hn->carried_parent, g_free);
	}
	g_ptr_array_set_size(hn->learned, 0);
	hn->in_record = enabled;
}

void
dp_header_names_end(DpHeaderNames *hn, const DpRecord *rec)
{
	const char *id = dp_record_get(rec, DP_F_ID);
	hn->in_record = FALSE;
	if (hn->learned->len == 0 || id == NULL)
		return;
	if (hn->carried_parent == NULL) {
		hn->carried_parent = g_strdup(id);
		g_ptr_array_set_size(hn->carried, 0);
	}
	/* A part's names join its parent's, for the parts after it. */
	for (guint i = 0; i < hn->learned->len && hn->carried->len < MAX_LEARNED; i++)
		g_ptr_array_add(hn->carried, g_strdup(hn->learned->pdata[i]));
}
