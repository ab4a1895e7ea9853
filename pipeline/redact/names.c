/*
 * NAME
 *	names.c - person names: the display names of redacted addresses in
 *	headers, and the variants of the names on a term list
 *
 * DESCRIPTION
 *	Header names.  An address's owner is as identifying as the address,
 *	so in an address header (From, To, Cc, Bcc, Reply-To, Sender: a
 *	message's meta field, or such a line in a text) the display name of
 *	every address a rule redacted is a name too: "Mills, Cheryl D"
 *	<CD@state.gov>, Cheryl Mills <cd@state.gov>, Mills, Cheryl D
 *	[mailto:MillsCD@state.gov], x@y.org (Cheryl Mills).  The value is cut
 *	at each address (with its brackets, a "mailto:" and a comment after
 *	it) and at each ';' outside quotes: the text before an address, back
 *	to the previous cut, is its name.  A comma does not cut, because a
 *	printed header writes "Last, First" without quotes.  In a header
 *	that holds a redacted address, the items without one ("H" in "To: H;
 *	Abedin, Huma <x@state.gov>", where a release withheld the other
 *	addresses) are names as well, and so are all the items of the From,
 *	To, Cc and Bcc of a printed header block (lines of From, Sent, To,
 *	Subject, ..., or a message/x-printed record) that holds a redacted
 *	address anywhere; a header block without any redacted address (a
 *	memo's "TO: All staff") is left to the term lists.  Exemption codes
 *	("B6") are not names.  Outside such headers, the words written as a
 *	name (capitalised, "Last, First M", or quoted) just before an address
 *	in <...> or [mailto:...] are its display name: the column form of a
 *	printed header, "John Smith <...> wrote:".  redact.c also redacts a
 *	name of two words found so wherever the same record repeats it.
 *
 *	Term-list names.  An entry of two or more words ("Cheryl Mills")
 *	also matches "Mills, Cheryl", "Mills, Cheryl D", "Cheryl D. Mills",
 *	"C. Mills", "CD Mills" and "C.D. Mills", and the OCR damage of
 *	each full word: the confusions "rn"/"m", "cl"/"d", "li"/"h"
 *	and "l"/"1"/"!"/"I"/"i" at no cost, then one edit in a word of 5 or
 *	more letters, two in one of 9 or more.  Every word of 3 letters or
 *	more is looked up as an exact literal in the one Hyperscan scan (an
 *	anchor); only around an anchor is the rest compared, so at least one
 *	full word of the name must be read exactly (up to the confusions),
 *	and the damaged one is accepted only next to it, in one of the shapes
 *	above, written with a capital (or what OCR makes of one).  The
 *	entries tried at an anchor are those whose first or last word begins
 *	or ends as a word beside it does (one edit leaves one end intact),
 *	so a common first name does not lead to every entry that has it.  A name of one
 *	word is matched exactly, as before: alone, a damaged word is as
 *	likely a dictionary word ("Mills" at one edit is "Hills", "Mile").
 *	With fuzzy=0 ([redact] or the rule's) a list matches as written.
 *	Each match carries its entry, so a pseudonym is keyed by the entry,
 *	not by the text: "Chery! Mills" and "Mills, Cheryl D" get the token
 *	of "Cheryl Mills".
 *
 * SECURITY
 *	The text is untrusted; everything here walks it with bounds (a name
 *	is looked for within MAX_TOKENS words of an anchor, a word is at most
 *	MAX_SKEL bytes) and never allocates per byte of input.  Term lists
 *	are trusted configuration.
 */
#include "redact/internal.h"

#include <string.h>

#include "util/banned.h"

/* Words looked at on each side of an anchor, and the longest word compared. */
#define MAX_TOKENS 3
#define MAX_SKEL 96
#define MAX_ENTRY_TOKENS 8

/* ---- header names ------------------------------------------------------- */

static gboolean
ispunct_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ';' || c == ':' || c == '"' ||
	       c == '\'' || c == '`';
}

/* An exemption code standing in for a withheld name: "B6", "(b)(6)", "b7(C)". */
static gboolean
exemption_code(const char *s, gsize n)
{
	gsize letters = 0;
	for (gsize i = 0; i < n; i++) {
		char c = s[i];
		if (g_ascii_isalpha(c))
			letters++;
		else if (!g_ascii_isdigit(c) && !strchr("()[] ", c))
			return FALSE;
	}
	return letters <= 2 && n <= 10 && (s[0] == 'B' || s[0] == 'b' || s[0] == '(');
}

/* Add the trimmed item [S, E) of T to OUT when it holds a letter and is no exemption code. */
static void
add_item(const char *t, gsize s, gsize e, GArray *out)
{
	while (s < e && (ispunct_sep(t[s]) || t[s] == '.'))
		s++;
	/* A wide gap is a column of the page (an exemption code in the margin), not the name's. */
	for (gsize i = s; i + 2 < e; i++)
		if (t[i] == ' ' && t[i + 1] == ' ' && t[i + 2] == ' ') {
			e = i;
			break;
		}
	while (e > s && ispunct_sep(t[e - 1]))
		e--;
	gboolean letter = FALSE;
	for (gsize i = s; i < e && !letter; i++)
		letter = g_ascii_isalpha(t[i]) || (guchar)t[i] >= 0x80;
	if (!letter || exemption_code(t + s, e - s))
		return;
	DpRange r = { s, e };
	g_array_append_val(out, r);
}

/* Split [S, E) of T at ';' outside double quotes into items. */
static void
add_items(const char *t, gsize s, gsize e, GArray *out)
{
	gboolean quoted = FALSE;
	gsize from = s;
	for (gsize i = s; i < e; i++) {
		if (t[i] == '"')
			quoted = !quoted;
		else if (t[i] == ';' && !quoted) {
			add_item(t, from, i, out);
			from = i + 1;
		}
	}
	add_item(t, from, e, out);
}

static guint edits(const char *a, const char *b, guint k);

/*
 * Is [S, E) of T "mailto" as OCR may have read it, with the bracket
 * before it too ("maitto", "rnailto", "imailto", "jrnailto")?
 */
static gboolean
mailto_word(const char *t, gsize s, gsize e)
{
	/* A bracket read as a letter in front: "imailto", "jrnailto". */
	while (e - s > 6 && strchr("ijl1|", g_ascii_tolower(t[s])) != NULL)
		s++;
	if (e - s < 4 || e - s > 9)
		return FALSE;
	char w[10];
	for (gsize i = s; i < e; i++)
		w[i - s] = g_ascii_tolower(t[i]);
	w[e - s] = '\0';
	return edits(w, "mailto", 2) <= 2;
}

/*
 * The start of the unit of the address at [AS, ...) of T, searching back
 * to FLOOR: an opening bracket and a "mailto:" (however OCR spelt it)
 * before it belong to the address, not to the name.
 */
static gsize
unit_start(const char *t, gsize floor, gsize as)
{
	gsize p = as;
	while (p > floor && t[p - 1] == ' ')
		p--;
	if (p > floor && t[p - 1] == ':') {
		gsize q = p - 1;
		while (q > floor && p - q < 12 && g_ascii_isalpha(t[q - 1]))
			q--;
		if (mailto_word(t, q, p - 1))
			p = q;
	}
	while (p > floor && t[p - 1] == ' ')
		p--;
	if (p > floor && strchr("<[({", t[p - 1]) != NULL)
		p--;
	return p;
}

/* The end of the unit of the address ending at AE: closing brackets and a comment after it. */
static gsize
unit_end(const char *t, gsize ae, gsize ceil, gsize *cs, gsize *ce)
{
	gsize p = ae;
	*cs = *ce = 0;
	while (p < ceil && (t[p] == ' ' || strchr(">])}'\"", t[p]) != NULL))
		p++;
	/* An old-style comment: "x@y.org (Cheryl Mills)". */
	if (p < ceil && t[p] == '(') {
		const char *close = memchr(t + p, ')', ceil - p);
		if (close != NULL) {
			*cs = p + 1;
			*ce = (gsize)(close - t);
			p = *ce + 1;
		}
	}
	return p;
}

void
dp_names_in_header(const char *t, gsize vs, gsize ve, const DpRange *addr, guint naddr, gboolean all_items, GArray *out)
{
	if (naddr == 0 && !all_items)
		return;
	gsize pos = vs;
	for (guint i = 0; i < naddr; i++) {
		if (addr[i].s < pos || addr[i].e > ve)
			continue;
		gsize us = unit_start(t, pos, addr[i].s);
		add_items(t, pos, us, out);
		gsize cs, ce;
		pos = unit_end(t, addr[i].e, ve, &cs, &ce);
		if (ce > cs)
			add_item(t, cs, ce, out);
	}
	add_items(t, pos, ve, out);
}

/*
 * A word of a name as it is written: "Mills", "D", "D.", "O'Brien",
 * "MILLS"; not the capitalised words that open a line before a name.
 */
static gboolean
name_word(const char *t, gsize s, gsize e)
{
	static const char *const not_names[] = { "hello", "hi",     "dear", "thanks",  "thank",  "regards",
		                                 "best",  "cheers", "attn", "contact", "write",  "mail",
		                                 "email", "e-mail", "call", "ask",     "please", "sincerely",
		                                 "from",  "to",     "cc",   "bcc",     "sent",   "by",
		                                 "and",   "or",     "with", "for",     "via",    "reply",
		                                 "the",   "of",     "on",   "at",      "wrote",  NULL };
	gsize n = e - s;
	if (n > 0 && t[e - 1] == '.')
		n--;
	if (n == 0 || n > 40)
		return FALSE;
	for (guint i = 0; not_names[i]; i++)
		if (strlen(not_names[i]) == n && g_ascii_strncasecmp(t + s, not_names[i], n) == 0)
			return FALSE;
	gunichar first = g_utf8_get_char_validated(t + s, (gssize)n);
	if (first == (gunichar)-1 || first == (gunichar)-2 || !g_unichar_isupper(first))
		return FALSE;
	if (n == 1)
		return TRUE; /* an initial */
	/* Capitalised, or in capitals from 3 letters on ("AM", "CC" are not names). */
	gboolean lower = FALSE;
	for (gsize i = s + 1; i < s + n; i++)
		lower |= g_ascii_islower(t[i]) || (guchar)t[i] >= 0x80;
	return lower || n >= 3;
}

/* The start of the word ending at E (letters, "-", "'", "."), back to FLOOR. */
static gsize
word_back(const char *t, gsize floor, gsize e)
{
	gsize p = e;
	while (p > floor && e - p < 40 &&
	       (g_ascii_isalpha(t[p - 1]) || (guchar)t[p - 1] >= 0x80 || strchr("-'.", t[p - 1]) != NULL))
		p--;
	return p;
}

gboolean
dp_names_before_address(const char *t, gsize floor, gsize as, DpRange *out)
{
	gsize p = unit_start(t, floor, as);
	/* Display-name syntax only: "Name (x@y.org)" in prose is often no owner. */
	if (p == as || (t[p] != '<' && t[p] != '['))
		return FALSE;
	while (p > floor && (t[p - 1] == ' ' || t[p - 1] == '\t'))
		p--;
	/* A quoted name: "Mills, Cheryl D" <...>. */
	if (p > floor && t[p - 1] == '"') {
		gsize q = p - 1;
		while (q > floor && p - q < 80 && t[q - 1] != '"' && t[q - 1] != '\n')
			q--;
		if (q == floor || t[q - 1] != '"' || q >= p - 1)
			return FALSE;
		*out = (DpRange){ q, p - 1 };
		return TRUE;
	}
	/* An address that opens its line: its name may end the line before ("André Pirard\n<...>"). */
	if (p > floor && t[p - 1] == '\n') {
		p--;
		while (p > floor && (t[p - 1] == ' ' || t[p - 1] == '\t'))
			p--;
	}
	/* Up to four words written as a name, and "Last," before "First M"; never past a line's start. */
	gsize end = p, start = p;
	guint words = 0, letters = 0;
	while (words < 4) {
		gsize w = word_back(t, floor, p);
		gboolean line_start = w == floor || t[w - 1] == '\n';
		if (w == p || !name_word(t, w, p) || (!line_start && t[w - 1] != ' ' && t[w - 1] != '\t'))
			break;
		letters = MAX(letters, (guint)(p - w));
		start = w;
		words++;
		p = w;
		if (line_start)
			break;
		while (p > floor && (t[p - 1] == ' ' || t[p - 1] == '\t'))
			p--;
		if (p > floor && t[p - 1] == ',') {
			gsize c = p - 1;
			while (c > floor && t[c - 1] == ' ')
				c--;
			gsize l = word_back(t, floor, c);
			if (words <= 2 && l < c && name_word(t, l, c) && c - l >= 2)
				start = l;
			break;
		}
	}
	if (words == 0 || letters < 2)
		return FALSE;
	*out = (DpRange){ start, end };
	return TRUE;
}

/* Does the line [LS, LE) of T start with one of LABELS and ':'?  *VS: where its value starts. */
static gboolean
labelled(const char *t, gsize ls, gsize le, const char *const *labels, gsize *vs)
{
	gsize p = ls;
	while (p < le && (t[p] == ' ' || t[p] == '\t' || t[p] == '>'))
		p++;
	gsize w = p;
	while (p < le && (g_ascii_isalpha(t[p]) || t[p] == '-'))
		p++;
	gsize wl = p - w;
	while (p < le && t[p] == ' ')
		p++;
	if (wl == 0 || wl > 11 || p >= le || t[p] != ':')
		return FALSE;
	for (guint i = 0; labels[i]; i++)
		if (strlen(labels[i]) == wl && g_ascii_strncasecmp(t + w, labels[i], wl) == 0) {
			*vs = p + 1;
			return TRUE;
		}
	return FALSE;
}

gboolean
dp_names_header_line(const char *t, gsize ls, gsize le, gsize *vs)
{
	static const char *const labels[] = { "from", "to", "cc", "bcc", "reply-to", "sender", NULL };
	return labelled(t, ls, le, labels, vs);
}

gboolean
dp_names_block_line(const char *t, gsize ls, gsize le)
{
	static const char *const labels[] = { "from", "to",   "cc",      "bcc",         "reply-to",   "sender",
		                              "sent", "date", "subject", "attachments", "importance", NULL };
	gsize vs;
	return labelled(t, ls, le, labels, &vs);
}

/* ---- the key of a name --------------------------------------------------- */

char *
dp_names_key(const char *s, gsize n)
{
	g_autofree char *raw = g_strndup(s, n);
	g_autofree char *folded = dp_view_fold(raw);
	g_autofree char *low = dp_view_casefold(folded, -1);
	/* Words, without quotes; "Last, First M" is put in the order "first last". */
	g_auto(GStrv) parts = g_strsplit_set(low, " \t\n\"'", -1);
	g_autoptr(GPtrArray) words = g_ptr_array_new();
	gint comma = -1;
	for (guint i = 0; parts[i]; i++) {
		char *w = parts[i];
		if (*w == '\0')
			continue;
		gsize l = strlen(w);
		if (w[l - 1] == ',') {
			w[--l] = '\0';
			if (comma < 0 && words->len == 0)
				comma = 0;
		}
		if (l > 0)
			g_ptr_array_add(words, w);
	}
	GString *out = g_string_new(NULL);
	if (comma == 0 && words->len >= 2) {
		guint last = words->len;
		/* A trailing middle initial ("d", "d.") is dropped from that form. */
		if (last >= 3 && strlen(words->pdata[last - 1]) <= 2 &&
		    g_ascii_isalpha(((char *)words->pdata[last - 1])[0]))
			last--;
		for (guint i = 1; i < last; i++)
			g_string_append_printf(out, "%s ", (char *)words->pdata[i]);
		g_string_append(out, words->pdata[0]);
	} else {
		for (guint i = 0; i < words->len; i++)
			g_string_append_printf(out, "%s%s", i ? " " : "", (char *)words->pdata[i]);
	}
	return g_string_free(out, FALSE);
}

/* ---- term-list names ------------------------------------------------------ */

typedef struct {
	/*
	 * In DpNames's SKELS: a skeleton is most often under 16 bytes, and
	 * room for MAX_SKEL in every word made 10,000 entries 8 MB, paid in
	 * page faults at every start.
	 */
	const char *skel;
	guint letters; /* of the word as written: decides the edits allowed */
	char initial;  /* its first letter, lower case */
} Word;

/*
 * Its words are N in a row in DpNames's WORDS from FIRST: room for
 * MAX_ENTRY_TOKENS in every entry (most have two) made 10,000 entries
 * 1.4 MB, as many page faults again at every start.
 */
typedef struct {
	guint rule;
	guint n;
	guint first;
} Entry;

typedef struct {
	gint64 key;
	guint id;
} Pair;

struct DpNames {
	GPtrArray *canon; /* of char*: per entry, the key of its pseudonym (in SKELS or BLOCKS) */
	GArray *entries;  /* of Entry, or NULL slots for exact-only entries */
	GArray *words;    /* of Word: the entries' words */
	GArray *index;    /* of guint: per entry, its slot in ENTRIES */
	/*
	 * The entries to try at an anchor, by the anchor word and one end of
	 * another word of the name: Pair {pair_key(skeleton of the anchor
	 * word, first or last byte of the skeleton of the entry's first or last
	 * word), entry}, sorted by dp_names_seal() (one array: a hash table of
	 * lists cost more to build, for a large list, than the scan it saves).  One edit leaves one end of a word as it
	 * was, so a damaged word still finds its entry, and a common first name ("John", in hundreds of entries) leads
	 * only to the few whose surname could be the word beside it.
	 */
	GArray *pairs;
	gboolean sealed;
	GHashTable *anchors;   /* casefolded words already handed out as anchors */
	GStringChunk *skels;   /* the skeletons of the entries' words */
	GPtrArray *more_skels; /* of GStringChunk: those of the parts merged in (dp_names_merge()) */
	GPtrArray *blocks;     /* of g_malloc()ed strings read from the cache (dp_names_unpack()) */
	/*
	 * Anchors handed out but not yet in ANCHORS: with a single list, the
	 * set of its anchors is never needed, so its keys are made only when
	 * a second list is added (flush_pending()).
	 */
	GPtrArray *pending;
};

/*
 * The skeleton of the word [S, S+N): lower case, every letter OCR
 * confuses with "l" made "l", and "m", "d", "h" written as the pairs OCR
 * reads them as ("rn", "cl", "li" -> "ll").  Both sides of a comparison go
 * through it, so a confusion costs nothing.  Returns FALSE when too long.
 */
static gboolean
skeleton(const char *s, gsize n, char *out, guint *letters)
{
	/* ASCII, the usual case, without an allocation. */
	char buf[MAX_SKEL];
	g_autofree char *heap = NULL;
	const char *low = buf;
	gboolean ascii = n < sizeof buf;
	for (gsize i = 0; ascii && i < n; i++) {
		ascii = (guchar)s[i] < 0x80;
		buf[i] = g_ascii_tolower(s[i]);
	}
	if (ascii)
		buf[n] = '\0';
	else
		low = heap = g_utf8_casefold(s, (gssize)n);
	gsize o = 0;
	*letters = 0;
	for (const char *p = low; *p; p++) {
		char c = *p;
		const char *rep = NULL;
		if (c == '.')
			continue; /* "D." and "D" are one initial */
		switch (c) {
		case 'i':
		case '1':
		case '!':
		case '|': rep = "l"; break;
		case 'm': rep = "rn"; break;
		case 'd': rep = "cl"; break;
		case 'h': rep = "ll"; break;
		default: break;
		}
		if (g_ascii_isalpha(c) || (guchar)c >= 0x80)
			(*letters)++;
		gsize rl = rep ? strlen(rep) : 1;
		if (o + rl >= MAX_SKEL)
			return FALSE;
		if (rep != NULL)
			memcpy(out + o, rep, rl);
		else
			out[o] = c;
		o += rl;
	}
	out[o] = '\0';
	return TRUE;
}

DpNames *
dp_names_new(void)
{
	DpNames *nm = g_new0(DpNames, 1);
	nm->canon = g_ptr_array_new();
	nm->entries = g_array_new(FALSE, FALSE, sizeof(Entry));
	nm->words = g_array_new(FALSE, FALSE, sizeof(Word));
	nm->index = g_array_new(FALSE, FALSE, sizeof(guint));
	nm->pairs = g_array_new(FALSE, FALSE, sizeof(Pair));
	nm->anchors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	nm->skels = g_string_chunk_new(64 * 1024);
	nm->more_skels = g_ptr_array_new_with_free_func((GDestroyNotify)g_string_chunk_free);
	nm->blocks = g_ptr_array_new_with_free_func(g_free);
	nm->pending = g_ptr_array_new();
	return nm;
}

void
dp_names_free(DpNames *nm)
{
	if (nm == NULL)
		return;
	g_ptr_array_unref(nm->canon);
	g_array_unref(nm->entries);
	g_array_unref(nm->words);
	g_array_unref(nm->index);
	g_array_unref(nm->pairs);
	g_hash_table_unref(nm->anchors);
	g_string_chunk_free(nm->skels);
	g_ptr_array_unref(nm->more_skels);
	g_ptr_array_unref(nm->blocks);
	g_ptr_array_unref(nm->pending);
	g_free(nm);
}

const char *
dp_names_canon(const DpNames *nm, guint entry)
{
	return nm->canon->pdata[entry];
}

guint
dp_names_rule(const DpNames *nm, guint entry)
{
	guint slot = g_array_index(nm->index, guint, entry);
	return slot == G_MAXUINT ? G_MAXUINT : g_array_index(nm->entries, Entry, slot).rule;
}

/* The key of an anchor word whose g_str_hash() is H and an end byte of another word. */
static gint64
pair_key_hashed(guint h, char end)
{
	return (gint64)(((guint64)h << 8) | (guchar)end);
}

static gint64
pair_key(const char *anchor, char end)
{
	return pair_key_hashed(g_str_hash(anchor), end);
}

static int
cmp_pair(gconstpointer a, gconstpointer b)
{
	const Pair *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Sort PAIRS by key, stably: a byte at a time from the lowest (LSD radix),
 * skipping the bytes every key shares.  For a list of 10,000 names this is
 * several times cheaper than qsort() calling cmp_pair().  Keys are compared
 * as signed numbers, hence the flipped top bit.
 */
static void
sort_pairs_by_key(GArray *pairs)
{
	guint n = pairs->len;
	Pair *a = (Pair *)(void *)pairs->data;
	g_autofree Pair *tmp = g_new(Pair, n);
	Pair *src = a, *dst = tmp;
	for (guint byte = 0; byte < 8; byte++) {
		guint count[257] = { 0 };
		guint shift = byte * 8;
		for (guint i = 0; i < n; i++)
			count[(((guint64)src[i].key ^ G_GUINT64_CONSTANT(0x8000000000000000)) >> shift & 0xFF) + 1]++;
		/* Every key has this byte in common: nothing to move. */
		gboolean same = FALSE;
		for (guint b = 1; b <= 256 && !same; b++)
			same = count[b] == n;
		if (same)
			continue;
		for (guint b = 1; b <= 256; b++)
			count[b] += count[b - 1];
		for (guint i = 0; i < n; i++)
			dst[count[((guint64)src[i].key ^ G_GUINT64_CONSTANT(0x8000000000000000)) >> shift & 0xFF]++] =
			    src[i];
		Pair *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
}

void
dp_names_seal(DpNames *nm)
{
	/*
	 * Pairs are added in entry order, so a stable sort by key alone is
	 * the order of cmp_pair(); should that not hold, qsort() settles it.
	 */
	gboolean sorted = TRUE, dups = FALSE;
	for (guint i = 1; i < nm->pairs->len && sorted; i++) {
		int r = cmp_pair(&g_array_index(nm->pairs, Pair, i - 1), &g_array_index(nm->pairs, Pair, i));
		sorted = r <= 0;
		dups |= r == 0;
	}
	/*
	 * A part read from the cache comes sealed: a list alone needs no sort,
	 * and, with no two pairs alike, no pass to drop the copies either
	 * (the two were two thirds of a start's sealing).
	 */
	if (sorted && !dups) {
		nm->sealed = TRUE;
		return;
	}
	if (!sorted)
		sort_pairs_by_key(nm->pairs);
	for (guint i = 1; i < nm->pairs->len && !sorted; i++)
		if (cmp_pair(&g_array_index(nm->pairs, Pair, i - 1), &g_array_index(nm->pairs, Pair, i)) > 0) {
			g_array_sort(nm->pairs, cmp_pair);
			break;
		}
	guint w = 0;
	for (guint i = 0; i < nm->pairs->len; i++) {
		const Pair *p = &g_array_index(nm->pairs, Pair, i);
		if (w > 0 && cmp_pair(p, &g_array_index(nm->pairs, Pair, w - 1)) == 0)
			continue;
		g_array_index(nm->pairs, Pair, w++) = *p;
	}
	g_array_set_size(nm->pairs, w);
	nm->sealed = TRUE;
}

/* The first pair with KEY, or the number of pairs. */
static guint
pair_find(const DpNames *nm, gint64 key)
{
	const Pair *p = (const Pair *)(void *)nm->pairs->data;
	guint lo = 0, hi = nm->pairs->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (p[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A word of an entry: letters (and "-", "'" inside), at least two letters. */
static gboolean
entry_word(const char *w)
{
	guint letters = 0;
	for (const char *p = w; *p; p++) {
		if (g_ascii_isalpha(*p) || (guchar)*p >= 0x80)
			letters++;
		else if (*p != '-' && *p != '\'' && *p != '.')
			return FALSE;
	}
	return letters >= 1;
}

/* Put the anchors handed out by dp_names_merge() into the set of anchors. */
static void
flush_pending(DpNames *nm)
{
	for (guint i = 0; i < nm->pending->len; i++)
		g_hash_table_add(nm->anchors, dp_view_casefold(nm->pending->pdata[i], -1));
	g_ptr_array_set_size(nm->pending, 0);
}

guint
dp_names_add(DpNames *nm, guint rule, const char *term, gboolean fuzzy, GPtrArray *anchors)
{
	guint id = nm->canon->len;
	g_autofree char *canon = dp_view_casefold(term, -1);
	g_ptr_array_add(nm->canon, g_string_chunk_insert(nm->skels, canon));
	flush_pending(nm);
	guint none = G_MAXUINT;
	g_array_append_val(nm->index, none);
	/* "Mills, Cheryl D" on a list is the name Cheryl D Mills. */
	g_autofree char *natural = NULL;
	const char *comma = strchr(term, ',');
	if (comma != NULL && strchr(comma + 1, ',') == NULL) {
		g_autofree char *last = g_strstrip(g_strndup(term, (gsize)(comma - term)));
		g_autofree char *rest = g_strstrip(g_strdup(comma + 1));
		natural = g_strdup_printf("%s %s", rest, last);
	}
	/* fuzzy=0: the list as written, as a plain literal (redact.c) finds it. */
	if (!fuzzy)
		return id;
	/*
	 * Its words, cut at every space in place, as g_strsplit() would cut
	 * them (which cost more than all the rest here, for a long list), in
	 * a copy on the stack unless the name is long.
	 */
	const char *src = natural ? natural : term;
	gsize srclen = strlen(src);
	char local[256];
	g_autofree char *heap = srclen < sizeof local ? NULL : g_strdup(src);
	char *buf = heap;
	if (buf == NULL) {
		memcpy(local, src, srclen + 1);
		buf = local;
	}
	char *words[MAX_ENTRY_TOKENS];
	guint n = 0;
	for (char *p = buf, *w = buf;; p++) {
		if (*p != ' ' && *p != '\0')
			continue;
		gboolean last = *p == '\0';
		*p = '\0';
		if (n < MAX_ENTRY_TOKENS)
			words[n] = w;
		n++;
		if (last)
			break;
		w = p + 1;
	}
	if (n < 2 || n > MAX_ENTRY_TOKENS)
		return id;
	Entry e = { .rule = rule, .n = n, .first = nm->words->len };
	Word ew[MAX_ENTRY_TOKENS];
	char skel[MAX_ENTRY_TOKENS][MAX_SKEL];
	for (guint i = 0; i < n; i++) {
		if (!entry_word(words[i]) || !skeleton(words[i], strlen(words[i]), skel[i], &ew[i].letters))
			return id;
		/* Not the skeleton's first byte: "m", "d", "h" start theirs with another letter. */
		ew[i].initial = (char)g_ascii_tolower(words[i][0]);
	}
	for (guint i = 0; i < n; i++)
		ew[i].skel = g_string_chunk_insert(nm->skels, skel[i]);
	g_array_index(nm->index, guint, id) = nm->entries->len;
	g_array_append_val(nm->entries, e);
	g_array_append_vals(nm->words, ew, n);
	for (guint i = 0; i < n; i++) {
		/*
		 * Words of one or two letters are no anchors: as literals they hit
		 * inside every other word ("Jo" in "major"), for nothing.
		 */
		if (ew[i].letters < 3)
			continue;
		/* Every variant holds the first and the last word (the first maybe as an initial). */
		guint ends[2] = { 0, n - 1 };
		guint h = g_str_hash(ew[i].skel);
		/* Appended together: one call per word instead of one per pair. */
		Pair add[4];
		guint np = 0;
		for (guint k = 0; k < 2; k++) {
			const char *o = ew[ends[k]].skel;
			if (ends[k] == i || *o == '\0')
				continue;
			add[np++] = (Pair){ pair_key_hashed(h, o[0]), id };
			add[np++] = (Pair){ pair_key_hashed(h, o[strlen(o) - 1]), id };
		}
		if (np > 0) {
			g_array_append_vals(nm->pairs, add, np);
			nm->sealed = FALSE;
		}
		/*
		 * Most words of a long list are anchors already ("John"): an
		 * ASCII word is looked up lowered in place, and only a new one
		 * is copied into the set.
		 */
		const char *w = words[i];
		char low[MAX_SKEL];
		gsize k = 0;
		for (; k < sizeof low - 1 && w[k] != '\0' && (guchar)w[k] < 0x80; k++)
			low[k] = (char)(w[k] >= 'A' && w[k] <= 'Z' ? w[k] + ('a' - 'A') : w[k]);
		low[k] = '\0';
		g_autofree char *key = w[k] != '\0' ? dp_view_casefold(w, -1) : NULL;
		const char *probe = key ? key : low;
		if (g_hash_table_contains(nm->anchors, probe))
			continue;
		g_hash_table_add(nm->anchors, key ? g_steal_pointer(&key) : g_strdup(low));
		g_ptr_array_add(anchors, g_strdup(words[i]));
	}
	return id;
}

/* A word of the text near an anchor. */
typedef struct {
	gsize s, e;
	gboolean comma, dot; /* followed by "," / "." */
	guint letters;
	char skel[MAX_SKEL];
	gboolean ok; /* the skeleton fitted */
} Tok;

static gboolean
tok_byte(const char *v, gsize vlen, gsize i)
{
	guchar c = (guchar)v[i];
	if (g_ascii_isalpha(c) || c >= 0x80 || c == '!' || c == '|' || c == '1')
		return TRUE;
	/* "C.D. Mills": the dot between two initials. */
	if (c == '.' && i > 0 && i + 1 < vlen && g_ascii_isupper(v[i - 1]) && g_ascii_isupper(v[i + 1]))
		return TRUE;
	/* "O'Brien", "Jean-Pierre": inside a word only. */
	return (c == '\'' || c == '-') && i > 0 && i + 1 < vlen && g_ascii_isalpha(v[i - 1]) &&
	       g_ascii_isalpha(v[i + 1]);
}

static void
tok_fill(const char *v, Tok *t)
{
	t->ok = skeleton(v + t->s, t->e - t->s, t->skel, &t->letters);
}

/* The word ending at or before E (the separator between must be a space, ", " or ". "); FALSE if none. */
static gboolean
tok_before(const char *v, gsize vlen, gsize e, Tok *t)
{
	gsize p = e;
	gboolean comma = FALSE, dot = FALSE;
	/* A name never spans a paragraph break (a newline in the view). */
	if (p > 0 && v[p - 1] == ' ')
		p--;
	else
		return FALSE;
	if (p > 0 && v[p - 1] == ',')
		comma = TRUE, p--;
	else if (p > 0 && v[p - 1] == '.')
		dot = TRUE, p--;
	gsize end = p;
	while (p > 0 && end - p < MAX_SKEL / 2 && tok_byte(v, vlen, p - 1))
		p--;
	if (p == end || (p > 0 && g_ascii_isalnum(v[p - 1])))
		return FALSE;
	/* The skeleton is filled later, only when a name may be there. */
	*t = (Tok){ .s = p, .e = end, .comma = comma, .dot = dot };
	return TRUE;
}

/* The word starting after the one ending at E (with PREV's comma or dot). */
static gboolean
tok_after(const char *v, gsize vlen, gsize e, Tok *t)
{
	gsize p = e;
	if (p < vlen && (v[p] == ',' || v[p] == '.'))
		p++;
	if (p < vlen && v[p] == ' ')
		p++;
	else
		return FALSE;
	gsize s = p;
	while (p < vlen && p - s < MAX_SKEL / 2 && tok_byte(v, vlen, p))
		p++;
	if (p == s || (p < vlen && g_ascii_isalnum(v[p])))
		return FALSE;
	*t = (Tok){ .s = s, .e = p, .comma = p < vlen && v[p] == ',', .dot = p < vlen && v[p] == '.' };
	return TRUE;
}

/* Levenshtein distance of A and B, or K+1 when above K. */
static guint
edits(const char *a, const char *b, guint k)
{
	gsize la = strlen(a), lb = strlen(b);
	if ((la > lb ? la - lb : lb - la) > k)
		return k + 1;
	guint row[MAX_SKEL + 1];
	for (gsize j = 0; j <= lb; j++)
		row[j] = (guint)j;
	for (gsize i = 1; i <= la; i++) {
		guint diag = row[0], best;
		row[0] = (guint)i;
		best = row[0];
		for (gsize j = 1; j <= lb; j++) {
			guint up = row[j];
			guint v = MIN(MIN(row[j] + 1, row[j - 1] + 1), diag + (a[i - 1] != b[j - 1]));
			row[j] = v;
			diag = up;
			best = MIN(best, v);
		}
		if (best > k)
			return k + 1;
	}
	return row[lb];
}

/* How a text word matched a word of an entry. */
enum { M_NO, M_FUZZY, M_EXACT };

static int
word_match(const Tok *t, const Word *w, gboolean fuzzy)
{
	if (!t->ok)
		return M_NO;
	if (strcmp(t->skel, w->skel) == 0)
		return M_EXACT;
	if (!fuzzy || w->letters < 5 || t->letters < 3)
		return M_NO;
	guint k = w->letters >= 9 ? 2 : 1;
	return edits(t->skel, w->skel, k) <= k ? M_FUZZY : M_NO;
}

/* An initial: one capital (or two or three: "CD"), the first being W's. */
static guint
initials(const char *v, const Tok *t, const Word *w)
{
	gsize n = t->e - t->s;
	guint caps = 0;
	if (n == 0 || n > 5 || g_ascii_tolower(v[t->s]) != w->initial)
		return 0;
	for (gsize i = 0; i < n; i++) {
		if (g_ascii_isupper(v[t->s + i]))
			caps++;
		else if (v[t->s + i] != '.')
			return 0;
	}
	return caps <= 3 ? caps : 0;
}

/* One capital letter, maybe with a dot: a middle initial the entry does not have. */
static gboolean
extra_initial(const char *v, const Tok *t)
{
	return t->e - t->s == 1 && g_ascii_isupper(v[t->s]);
}

/*
 * Match the entry of the N words W against the words T[I..NT) in the form FORM: 0 "First M.
 * Last", 1 "Last, First M", 2 "F. M. Last" / "FM Last".  Returns the
 * index past the last word used, or 0.
 */
static guint
form_match(const char *v, const Word *w, guint n, const Tok *t, guint i, guint nt, int form)
{
	guint exact = 0;
	int m;
#define FULL(k, word)                                                                                                  \
	do {                                                                                                           \
		if ((k) >= nt || (m = word_match(&t[k], (word), TRUE)) == M_NO)                                        \
			return 0;                                                                                      \
		exact += m == M_EXACT;                                                                                 \
	} while (0)
	if (form == 0) {
		FULL(i, &w[0]);
		if (t[i].comma || t[i].dot)
			return 0;
		i++;
		for (guint j = 1; j + 1 < n; j++, i++) {
			if (i >= nt)
				return 0;
			if (initials(v, &t[i], &w[j]) != 1) {
				FULL(i, &w[j]);
				if (t[i].comma || t[i].dot)
					return 0;
			}
		}
		if (i + 1 < nt && extra_initial(v, &t[i]) && !t[i].comma)
			i++;
		FULL(i, &w[n - 1]);
		return exact > 0 ? i + 1 : 0;
	}
	if (form == 1) {
		FULL(i, &w[n - 1]);
		if (!t[i].comma)
			return 0;
		i++;
		if (i < nt && initials(v, &t[i], &w[0]) == 1 && exact > 0)
			return i + 1;
		FULL(i, &w[0]);
		i++;
		for (guint j = 1; j + 1 < n && i < nt; j++) {
			if (initials(v, &t[i], &w[j]) == 1 || word_match(&t[i], &w[j], TRUE) != M_NO)
				i++;
			else
				break;
		}
		if (i < nt && !t[i - 1].comma && extra_initial(v, &t[i]))
			i++;
		return exact > 0 ? i : 0;
	}
	/* Initials first: the last name must be read as it is written. */
	if (i >= nt)
		return 0;
	guint ni = initials(v, &t[i], &w[0]);
	/* One letter needs its dot: "C Mills" is too often something else. */
	if (ni == 0 || (ni == 1 && !t[i].dot))
		return 0;
	i++;
	if (ni == 1 && i < nt && extra_initial(v, &t[i]))
		i++;
	if (i >= nt || word_match(&t[i], &w[n - 1], FALSE) != M_EXACT)
		return 0;
	return i + 1;
#undef FULL
}

/*
 * A name's other words are written with a capital, or what OCR makes of
 * one ("liuma" for "Huma", "rnills" for "Mills", "1sabel" for "Isabel"):
 * the words around that are not cannot be one, and are not tried.
 */
static gboolean
capital(const char *v, const Tok *t)
{
	const char *w = v + t->s;
	gsize n = t->e - t->s;
	return g_ascii_isupper(w[0]) || (guchar)w[0] >= 0x80 || strchr("1|!", w[0]) != NULL ||
	       (n >= 2 &&
	        ((w[0] == 'l' && w[1] == 'i') || (w[0] == 'r' && w[1] == 'n') || (w[0] == 'c' && w[1] == 'l')));
}

gboolean
dp_names_match(const DpNames *nm, const char *v, gsize vlen, gsize as, gsize ae, gsize *ms, gsize *me, guint *entry)
{
	g_assert(nm->sealed || nm->pairs->len == 0);
	/* The words around the anchor: up to MAX_TOKENS before it and after it. */
	Tok t[2 * MAX_TOKENS + 1];
	Tok before[MAX_TOKENS];
	guint nb = 0;
	gsize at = as;
	while (nb < MAX_TOKENS && tok_before(v, vlen, at, &before[nb]))
		at = before[nb++].s;
	guint nt = 0;
	for (guint k = nb; k > 0; k--)
		t[nt++] = before[k - 1];
	guint a = nt;
	t[nt] = (Tok){ .s = as, .e = ae, .comma = ae < vlen && v[ae] == ',', .dot = ae < vlen && v[ae] == '.' };
	nt++;
	while (nt < 2 * MAX_TOKENS + 1 && nt - a <= MAX_TOKENS && tok_after(v, vlen, t[nt - 1].e, &t[nt]))
		nt++;
	/* Most anchors stand among words that cannot be a name's: done before any skeleton. */
	gboolean any = FALSE;
	for (guint k = 0; k < nt && !any; k++)
		any = k != a && capital(v, &t[k]);
	if (!any)
		return FALSE;
	/* A word too long for a skeleton matches nothing (word_match). */
	for (guint k = 0; k < nt; k++)
		tok_fill(v, &t[k]);
	if (!t[a].ok)
		return FALSE;
	/* The entries whose other words could be the words around. */
	guint tried[256], ntried = 0;
	for (guint k = 0; k < nt; k++) {
		gsize sl = strlen(t[k].skel);
		if (k == a || sl == 0 || !capital(v, &t[k]))
			continue;
		char ends[2] = { t[k].skel[0], t[k].skel[sl - 1] };
		for (guint x = 0; x < 2; x++) {
			gint64 key = pair_key(t[a].skel, ends[x]);
			const Pair *pairs = (const Pair *)(void *)nm->pairs->data;
			for (guint l = pair_find(nm, key);
			     l < nm->pairs->len && pairs[l].key == key && ntried < G_N_ELEMENTS(tried); l++) {
				guint id = pairs[l].id, d = 0;
				while (d < ntried && tried[d] != id)
					d++;
				if (d == ntried)
					tried[ntried++] = id;
			}
		}
	}
	gboolean found = FALSE;
	for (guint l = 0; l < ntried; l++) {
		guint id = tried[l];
		const Entry *e = &g_array_index(nm->entries, Entry, g_array_index(nm->index, guint, id));
		const Word *w = &g_array_index(nm->words, Word, e->first);
		for (int form = 0; form < 3; form++) {
			for (guint s = a >= e->n + 1 ? a - e->n - 1 : 0; s <= a; s++) {
				guint end = form_match(v, w, e->n, t, s, nt, form);
				if (end == 0 || end <= a)
					continue;
				gsize vs = t[s].s, ve = t[end - 1].e;
				/* A dot ends an initial: "C.D. Mills", "Mills, Cheryl D." */
				if (end - 1 > a && t[end - 1].dot && t[end - 1].e - t[end - 1].s == 1)
					ve++;
				if (!found || vs < *ms || (vs == *ms && ve > *me)) {
					*ms = vs;
					*me = ve;
					*entry = id;
					found = TRUE;
				}
			}
		}
	}
	return found;
}

/* ---- a list's index, packed for the cache ---------------------------------- */

/*
 * A list's part of the index (built alone in its own DpNames) is packed
 * for redact.c's cache with the folded terms of the list and its anchors,
 * so that a start reads it instead of folding the list and building the
 * variants again.  Strings go in blocks of NUL-terminated strings, read
 * with one copy per block; numbers in native byte order (the cache is the
 * user's, on one machine).  Every count, length and index is checked on
 * reading; a file that does not add up is refused as a whole.
 */
static void
put_u32(GByteArray *b, guint32 v)
{
	g_byte_array_append(b, (const guint8 *)&v, sizeof v);
}

/* A block of the N strings S[0..N): its length, then each with its NUL. */
static void
put_block(GByteArray *b, char *const *s, guint n)
{
	gsize len = 0;
	for (guint i = 0; i < n; i++)
		len += strlen(s[i]) + 1;
	put_u32(b, (guint32)len);
	for (guint i = 0; i < n; i++)
		g_byte_array_append(b, (const guint8 *)s[i], (guint)strlen(s[i]) + 1);
}

void
dp_names_pack(const DpNames *part, const GPtrArray *terms, const GPtrArray *anchors, GByteArray *out)
{
	guint nw = part->words->len;
	put_u32(out, terms->len);
	put_u32(out, part->entries->len);
	put_u32(out, nw);
	put_u32(out, part->pairs->len);
	put_u32(out, anchors->len);
	put_block(out, (char *const *)terms->pdata, terms->len);
	put_block(out, (char *const *)part->canon->pdata, part->canon->len);
	put_block(out, (char *const *)anchors->pdata, anchors->len);
	g_autofree char **skels = g_new(char *, nw + 1);
	for (guint i = 0; i < nw; i++)
		skels[i] = (char *)g_array_index(part->words, Word, i).skel;
	put_block(out, skels, nw);
	for (guint i = 0; i < terms->len; i++)
		put_u32(out, g_array_index(part->index, guint, i));
	for (guint i = 0; i < part->entries->len; i++) {
		const Entry *e = &g_array_index(part->entries, Entry, i);
		put_u32(out, e->n);
		put_u32(out, e->first);
	}
	for (guint i = 0; i < nw; i++) {
		const Word *w = &g_array_index(part->words, Word, i);
		put_u32(out, w->letters | (guint32)(guchar)w->initial << 24);
	}
	/* Field by field: a Pair's padding would make the file's bytes vary. */
	for (guint i = 0; i < part->pairs->len; i++) {
		const Pair *p = &g_array_index(part->pairs, Pair, i);
		g_byte_array_append(out, (const guint8 *)&p->key, sizeof p->key);
		put_u32(out, p->id);
	}
}

/* A reader of packed bytes: OK turns FALSE at the first read past the end. */
typedef struct {
	const char *p, *end;
	gboolean ok;
} Unpack;

static guint32
get_u32(Unpack *u)
{
	guint32 v = 0;
	if (!u->ok || (gsize)(u->end - u->p) < sizeof v) {
		u->ok = FALSE;
		return 0;
	}
	memcpy(&v, u->p, sizeof v);
	u->p += sizeof v;
	return v;
}

/* A count of records of at least MIN bytes each that the rest can hold. */
static guint32
get_count(Unpack *u, gsize min)
{
	guint32 n = get_u32(u);
	if (u->ok && (gsize)n > (gsize)(u->end - u->p) / min)
		u->ok = FALSE;
	return u->ok ? n : 0;
}

/*
 * A block of N strings, each at most MAX bytes and none empty: their
 * starts go to OUT (in place, or in a copy added to BLOCKS when BLOCKS).
 */
static gboolean
get_block(Unpack *u, guint n, gsize max, GPtrArray *blocks, const char **out)
{
	guint32 len = get_u32(u);
	if (!u->ok || (gsize)(u->end - u->p) < len || (len > 0 && u->p[len - 1] != '\0'))
		return u->ok = FALSE;
	const char *b = u->p;
	if (blocks != NULL && len > 0) {
		b = g_memdup2(u->p, len);
		g_ptr_array_add(blocks, (gpointer)b);
	}
	u->p += len;
	const char *p = b, *end = b + len;
	for (guint i = 0; i < n; i++) {
		if (p >= end)
			return u->ok = FALSE;
		gsize l = strlen(p);
		if (l == 0 || l > max)
			return u->ok = FALSE;
		out[i] = p;
		p += l + 1;
	}
	return u->ok = p == end;
}

static gboolean
unpack_numbers(Unpack *u, DpNames *part, guint nterms, const char **skels)
{
	guint ne = part->entries->len, nw = part->words->len;
	for (guint i = 0; i < nterms; i++) {
		guint slot = get_u32(u);
		if (!u->ok || (slot != G_MAXUINT && slot >= ne))
			return FALSE;
		g_array_index(part->index, guint, i) = slot;
	}
	for (guint i = 0; i < ne; i++) {
		Entry *e = &g_array_index(part->entries, Entry, i);
		e->rule = 0;
		e->n = get_u32(u);
		e->first = get_u32(u);
		if (!u->ok || e->n < 2 || e->n > MAX_ENTRY_TOKENS || e->first > nw || nw - e->first < e->n)
			return FALSE;
	}
	for (guint i = 0; i < nw; i++) {
		guint32 v = get_u32(u);
		Word *w = &g_array_index(part->words, Word, i);
		w->skel = skels[i];
		w->letters = v & 0xFFFFFF;
		w->initial = (char)(v >> 24);
	}
	for (guint i = 0; i < part->pairs->len && u->ok; i++) {
		Pair *p = &g_array_index(part->pairs, Pair, i);
		if ((gsize)(u->end - u->p) < sizeof p->key)
			return u->ok = FALSE;
		memcpy(&p->key, u->p, sizeof p->key);
		u->p += sizeof p->key;
		p->id = get_u32(u);
		if (p->id >= nterms)
			return FALSE;
	}
	return u->ok;
}

DpNames *
dp_names_unpack(const char *data, gsize len, GPtrArray *terms, GPtrArray *anchors)
{
	Unpack u = { data, data + len, TRUE };
	guint nterms = get_count(&u, 6), nentries = get_count(&u, 8), nwords = get_count(&u, 6);
	guint npairs = get_count(&u, 12), nanchors = get_count(&u, 2);
	if (!u.ok)
		return NULL;
	DpNames *part = dp_names_new();
	g_autofree const char **t = g_new(const char *, nterms + 1);
	g_autofree const char **a = g_new(const char *, nanchors + 1);
	g_autofree const char **sk = g_new(const char *, nwords + 1);
	g_ptr_array_set_size(part->canon, nterms);
	g_array_set_size(part->index, nterms);
	g_array_set_size(part->entries, nentries);
	g_array_set_size(part->words, nwords);
	g_array_set_size(part->pairs, npairs);
	if (!get_block(&u, nterms, G_MAXSIZE, NULL, t) ||
	    !get_block(&u, nterms, G_MAXSIZE, part->blocks, (const char **)part->canon->pdata) ||
	    !get_block(&u, nanchors, MAX_SKEL - 1, NULL, a) || !get_block(&u, nwords, MAX_SKEL - 1, part->blocks, sk) ||
	    !unpack_numbers(&u, part, nterms, sk) || u.p != u.end) {
		dp_names_free(part);
		return NULL;
	}
	/* The terms and anchors point into DATA. */
	g_ptr_array_set_size(terms, 0);
	for (guint i = 0; i < nterms; i++)
		g_ptr_array_add(terms, (gpointer)t[i]);
	for (guint i = 0; i < nanchors; i++)
		g_ptr_array_add(anchors, (gpointer)a[i]);
	return part;
}

/* Swap two pointers of one type. */
#define SWAP(a, b)                                                                                                     \
	do {                                                                                                           \
		__typeof__(a) t_ = (a);                                                                                \
		(a) = (b);                                                                                             \
		(b) = t_;                                                                                              \
	} while (0)

guint
dp_names_merge(DpNames *nm, DpNames *part, guint rule, const GPtrArray *part_anchors, GPtrArray *anchors)
{
	guint base = nm->canon->len, eb = nm->entries->len, wb = nm->words->len;
	/* The first list: its arrays become NM's as they are. */
	if (base == 0 && eb == 0 && wb == 0 && nm->pairs->len == 0) {
		SWAP(nm->canon, part->canon);
		SWAP(nm->index, part->index);
		SWAP(nm->entries, part->entries);
		SWAP(nm->words, part->words);
		SWAP(nm->pairs, part->pairs);
	} else {
		for (guint i = 0; i < part->canon->len; i++) {
			g_ptr_array_add(nm->canon, part->canon->pdata[i]);
			guint slot = g_array_index(part->index, guint, i);
			if (slot != G_MAXUINT)
				slot += eb;
			g_array_append_val(nm->index, slot);
		}
		g_array_append_vals(nm->entries, part->entries->data, part->entries->len);
		g_array_append_vals(nm->words, part->words->data, part->words->len);
		guint np = nm->pairs->len;
		g_array_append_vals(nm->pairs, part->pairs->data, part->pairs->len);
		for (guint i = np; i < nm->pairs->len; i++)
			g_array_index(nm->pairs, Pair, i).id += base;
	}
	for (guint i = eb; i < nm->entries->len; i++) {
		Entry *e = &g_array_index(nm->entries, Entry, i);
		e->rule = rule;
		e->first += wb;
	}
	if (nm->pairs->len > 0)
		nm->sealed = FALSE;
	/* The strings move here with the words and names that point into them. */
	g_ptr_array_add(nm->more_skels, part->skels);
	part->skels = g_string_chunk_new(64);
	g_ptr_array_extend_and_steal(nm->blocks, g_steal_pointer(&part->blocks));
	part->blocks = g_ptr_array_new_with_free_func(g_free);
	/*
	 * The part's anchors are its words in their first order; those an
	 * earlier list handed out already are left out, as dp_names_add()
	 * would have left them out.  They are copied into a block of NM: the
	 * part's may point into a cache file's mapping.
	 */
	gboolean first = g_hash_table_size(nm->anchors) == 0 && nm->pending->len == 0;
	if (!first)
		flush_pending(nm);
	for (guint i = 0; i < part_anchors->len; i++) {
		const char *w = part_anchors->pdata[i];
		if (!first) {
			char *key = dp_view_casefold(w, -1);
			if (g_hash_table_contains(nm->anchors, key)) {
				g_free(key);
				continue;
			}
			g_hash_table_add(nm->anchors, key);
		}
		char *copy = g_string_chunk_insert(nm->skels, w);
		g_ptr_array_add(anchors, copy);
		if (first)
			g_ptr_array_add(nm->pending, copy);
	}
	return base;
}
