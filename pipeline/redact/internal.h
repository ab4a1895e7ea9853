/*
 * internal.h: the modules of the redaction engine (not part of the
 * public API in redact.h).
 *
 *   view.c           the normalized view of a text and its map back to the
 *                    original byte offsets;
 *   detectors.c      the built-in detectors: Hyperscan patterns and the
 *                    validators that decide the exact extent of a match;
 *   terms.c          term-list files, folded like the view;
 *   ocrtol.c         the OCR-tolerant scans for text that came from OCR;
 *   phone.c          phone numbers of other plans, checked by libphonenumber
 *                    (the module docpipe-phone.so, redact/phone-lib.cc);
 *   names.c          display names in address headers, and the variants
 *                    and OCR damage of the names on term lists;
 *   ops.c            the operators (label, mask, keyed pseudonym, remove).
 */
#ifndef DOCPIPE_REDACT_INTERNAL_H
#define DOCPIPE_REDACT_INTERNAL_H

#include <glib.h>

/* ---- the normalized view ---------------------------------------------- */

/*
 * From view offset V on, original offset = O + (V - mark.v) until the next
 * mark.  Marks are few: only where the view drops, folds or collapses.
 */
typedef struct {
	gsize v, o;
} DpViewMark;

typedef struct {
	char *text; /* the view, valid UTF-8, NUL-terminated */
	gsize len, cap;
	GArray *marks; /* of DpViewMark, v strictly increasing, first is {0,0} */
	gsize orig_len;
	guint hint; /* the mark of the last lookup: spans come in text order */
} DpView;

void dp_view_init(DpView *view);
void dp_view_clear(DpView *view);
/*
 * Build the view of IN: soft hyphens and zero-width characters dropped;
 * compatibility forms folded (NFKD: full-width letters and digits, ligatures)
 * and combining marks dropped (so diacritics do not matter); Unicode spaces
 * and dashes folded to ASCII; whitespace runs collapsed to one space, or to
 * one newline at a paragraph break; a line break joined away after a
 * hyphen, '@', a soft hyphen or an inner '.'.  Case is kept.
 */
void dp_view_build(DpView *view, const char *in, gsize len);
/* The original span [*OS, *OE) of the view span [VS, VE) (fastest in text order). */
void dp_view_span(DpView *view, const char *orig, gsize vs, gsize ve, gsize *os, gsize *oe);
/* Append to OUT (of gsize) the view offset of the first digit of every run of ASCII digits. */
void dp_view_digit_runs(const DpView *view, GArray *out);
/* Fold a whole string the way the view does (for terms and allow entries). */
char *dp_view_fold(const char *s);
/* g_utf8_casefold(S, LEN), without its cost on ASCII (every term and name is folded so at start). */
char *dp_view_casefold(const char *s, gssize len);
/*
 * Fault in the pages of [P, P + N) at once (Linux's MADV_POPULATE_WRITE),
 * for a large buffer about to be written from start to end; nothing below
 * DP_PREFAULT_MIN bytes or where the kernel cannot.
 */
#define DP_PREFAULT_MIN (256u << 10)
void dp_prefault(void *p, gsize n);

/* ---- built-in detectors ------------------------------------------------- */

typedef struct DpCands DpCands;
/* Add a validated match [VS, VE) of the rule being refined. */
void dp_cands_add(DpCands *c, gsize vs, gsize ve);
/*
 * The view offset up to which this rule has already examined the text in
 * this scan (triggers inside a region already parsed can be skipped).
 */
gsize dp_cands_horizon(const DpCands *c);
void dp_cands_set_horizon(DpCands *c, gsize h);
/*
 * The validator of [redact] phone-regions outside the North American plan
 * (redact/phone.h), NULL when the built-in phone rules are all there is.
 */
const struct DpPhone *dp_cands_phone(const DpCands *c);
/*
 * Does the view span [VS, VE) come from original text that holds a line
 * break?  (The view makes a single line break a space; a number read
 * across one is most often a column of a table.)
 */
gboolean dp_cands_crosses_line(const DpCands *c, gsize vs, gsize ve);
/*
 * Does a candidate of an earlier rule, among the last few found, start at
 * or before VS and leave no digit and no ')' of [VS, VE) after
 * its end?  Then a value that starts in [VS, VE), ends in it and ends
 * with a digit or ')' (a phone number) lies inside that candidate and can
 * only lose to it, as long as the candidate is chosen: it is marked, and
 * find() looks again without this shortcut when it is not (a match
 * overlapping it from the left took its place).  Always FALSE outside the
 * main scan's runs of digits.
 */
gboolean dp_cands_covered(DpCands *c, gsize vs, gsize ve);

/*
 * A Hyperscan expression.  LEN > 0: every match is exactly LEN bytes long,
 * so no start-of-match tracking is needed (the fast case: a short trigger
 * whose refine function parses the value itself); LEN 0: compiled with
 * HS_FLAG_SOM_LEFTMOST.
 */
typedef struct {
	const char *expr;
	guint len;
} DpPattern;

typedef struct {
	const char *name;          /* rule name in the configuration */
	const char *label;         /* default label */
	const DpPattern *patterns; /* Hyperscan expressions, ending with { NULL } */
	unsigned flags;            /* extra Hyperscan flags (HS_FLAG_CASELESS) */
	/*
	 * Decide the exact match(es) from the trigger [VS, VE) in the view V
	 * (VLEN bytes): parse the value around it, check boundaries and, when
	 * VALIDATE, the checksums and ranges.  Adds zero or more spans to C.
	 */
	void (*refine)(const char *v, gsize vlen, gsize vs, gsize ve, gboolean validate, DpCands *c);
	/*
	 * For number-shaped values: called at the first digit D of every run
	 * of digits in the view (dp_view_digit_runs: one vector scan shared by
	 * all these detectors instead of Hyperscan triggers per detector), in
	 * text order.  Same contract as refine.
	 */
	void (*at_digit)(const char *v, gsize vlen, gsize d, gboolean validate, DpCands *c);
	/* Pseudonyms are computed over letters and digits only (phone, card). */
	gboolean canon_alnum;
} DpDetector;

const DpDetector *dp_detector_find(const char *name);
/*
 * Whether the run of digits at D in the view V is a number alone, which no
 * at_digit function can take: then find() calls none of them there.
 */
gboolean dp_digits_alone(const char *v, gsize vlen, gsize d);
/* The built-ins in rule order; *N receives their number. */
const DpDetector *dp_detectors(guint *n);

/* Validators, exposed for the unit tests. */
gboolean dp_luhn_ok(const char *digits, gsize n);
gboolean dp_iban_ok(const char *iban, gsize n);
int dp_iban_length(const char *country);
gboolean dp_ssn_ok(const char *area, const char *group, const char *serial);

/* ---- OCR-tolerant detection (ocrtol.c) ----------------------------------- */

/*
 * Add to C (the email rule's) every e-mail address in the view V whose
 * shape OCR damaged, whole: spaces around "@" and ".", "," for ".", a
 * doubled "@" or "©" for it, a space inside the top-level domain, a local
 * part glued to the token before it by ";" or ":".
 */
void dp_ocr_emails(const char *v, gsize vlen, DpCands *c);
/*
 * Copy V to OUT (same length) with the letters OCR confuses with digits
 * (O o l I S B) made digits in every token that also holds real digits and
 * no other letters.  Returns whether anything was replaced.
 */
gboolean dp_ocr_fix_digits(const char *v, gsize vlen, GString *out);

/* ---- term lists --------------------------------------------------------- */

/* Read PATH: one term per line, '#' comments; folded, deduplicated, sorted. */
GPtrArray *dp_terms_load(const char *path, GError **error);
/* The bytes of term list PATH (NUL-terminated, *LEN long), or NULL and an error. */
char *dp_terms_read(const char *path, gsize *len, GError **error);
/*
 * DATA[0, LEN), the bytes dp_terms_read() gave, as dp_terms_load() makes
 * them (DATA is cut into lines in place); PATH only names it in errors.
 */
GPtrArray *dp_terms_parse(const char *path, char *data, gsize len, GError **error);

/* ---- custom patterns (pattern.c) ---------------------------------------- */

/*
 * Whether a custom rule's PATTERN may match a line feed (in the view, a
 * paragraph break): conservatively, TRUE unless its syntax rules it out.
 */
gboolean dp_pattern_may_match_lf(const char *pattern);

/* ---- names (names.c) ----------------------------------------------------- */

/* A range of bytes, [s, e). */
typedef struct {
	gsize s, e;
} DpRange;

/*
 * Add to OUT (of DpRange) the names in the address header value [VS, VE)
 * of T whose addresses a rule redacted, ADDR[0..NADDR) (sorted, inside
 * the value): each address's display name, and, when there is any such
 * address or ALL_ITEMS, the items of the list that have no address.
 */
void dp_names_in_header(const char *t, gsize vs, gsize ve, const DpRange *addr, guint naddr, gboolean all_items,
                        GArray *out);
/* Does the line [LS, LE) of T start with a label of a printed header block (From, Sent, Subject, ...)? */
gboolean dp_names_block_line(const char *t, gsize ls, gsize le);
/*
 * Does the line [LS, LE) of T start with an address header label (From,
 * To, Cc, Bcc, Reply-To, Sender, then ':')?  *VS receives where its value starts.
 */
gboolean dp_names_header_line(const char *t, gsize ls, gsize le, gsize *vs);
/*
 * Outside a header: the name written just before the redacted address at
 * AS of T (back to FLOOR), when the address is in brackets ("Andris Reinman
 * <...>", "Mills, Cheryl D [mailto:...]", "\"Mills, Cheryl D\" <...>"):
 * up to four capitalised words, or a quoted name.
 */
gboolean dp_names_before_address(const char *t, gsize floor, gsize as, DpRange *out);
/* The pseudonym key of a display name: folded, lower case, "Last, First M" as "first last". */
char *dp_names_key(const char *s, gsize n);

typedef struct DpNames DpNames;
DpNames *dp_names_new(void);
void dp_names_free(DpNames *nm);
/*
 * Add term TERM (folded) of RULE; returns its entry number.  A name of two
 * or more words also gets its variants (and OCR damage when FUZZY): its
 * words not yet anchors are appended to ANCHORS, to be scanned for.
 */
guint dp_names_add(DpNames *nm, guint rule, const char *term, gboolean fuzzy, GPtrArray *anchors);
/* After the last dp_names_add(), before the first dp_names_match(). */
void dp_names_seal(DpNames *nm);
/*
 * The cache of a list's index (redact.c): PART, a DpNames that holds one
 * list alone (sealed), with that list's folded TERMS and the ANCHORS
 * dp_names_add() gave, appended to OUT; and back.  dp_names_unpack()
 * returns NULL (and adds nothing) when DATA does not add up.
 */
void dp_names_pack(const DpNames *part, const GPtrArray *terms, const GPtrArray *anchors, GByteArray *out);
DpNames *dp_names_unpack(const char *data, gsize len, GPtrArray *terms, GPtrArray *anchors);
/*
 * Move PART's entries into NM as RULE's, after NM's own; PART_ANCHORS not
 * yet anchors of NM are appended to ANCHORS.  Returns the entry number
 * PART's first entry now has.
 */
guint dp_names_merge(DpNames *nm, DpNames *part, guint rule, const GPtrArray *part_anchors, GPtrArray *anchors);
/* The key of entry ENTRY's pseudonyms. */
const char *dp_names_canon(const DpNames *nm, guint entry);
/* The rule of entry ENTRY. */
guint dp_names_rule(const DpNames *nm, guint entry);
/*
 * The longest variant of a listed name around the anchor word [AS, AE) of
 * the view V: its span [*MS, *ME) and its entry.  FALSE when none.
 */
gboolean dp_names_match(const DpNames *nm, const char *v, gsize vlen, gsize as, gsize ae, gsize *ms, gsize *me,
                        guint *entry);

/* ---- operators ---------------------------------------------------------- */

typedef enum { DP_OP_LABEL, DP_OP_MASK, DP_OP_PSEUDONYM, DP_OP_REMOVE } DpOperator;

gboolean dp_operator_parse(const char *s, DpOperator *op);
/*
 * The pseudonym token of VALUE under KEY: LABEL with "-" and the first
 * DIGITS hex digits of HMAC-SHA256(KEY, VALUE) inserted before its closing
 * bracket ("[PERSON]" -> "[PERSON-5f2a9c]").
 */
char *dp_pseudonym(const GBytes *key, const char *label, const char *value, gsize len, guint digits);
/* Append SPAN (LEN bytes of UTF-8) masked with MASK: one per character, line breaks kept. */
void dp_mask_append(GString *out, const char *span, gsize len, const char *mask);
/* Read the pseudonym key from FILE or the environment variable ENV. */
GBytes *dp_key_load(const char *file, const char *env, GError **error);

#endif
