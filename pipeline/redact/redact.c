/*
 * NAME
 *	redact.c - the redaction engine: rules, one compiled database, one
 *	pass per text
 *
 * DESCRIPTION
 *	Rules are the built-in detectors that are on (redact/detectors.c),
 *	term lists and custom regular expressions ([rule NAME] groups).
 *	Everything is compiled ONCE, when the redactor is built, into one
 *	Hyperscan database; a text is then handled in one pass:
 *
 *	  1. build the normalized view of the text (redact/view.c);
 *	  2. one Hyperscan scan of the view finds the candidates of every
 *	     rule, term and allow-list entry at once (PCRE2 runs only for a
 *	     custom pattern Hyperscan cannot compile, such as one with a
 *	     look-behind); the number-shaped detectors share one trigger
 *	     instead, the start of every run of digits (dp_view_digit_runs,
 *	     a vector scan);
 *	  3. in text order, each detector's refine (or at_digit) function
 *	     fixes the extent and validates;
 *	  3b. on text that came from OCR ([redact] ocr-tolerant; see
 *	     dp_redact_record() for how a record's OCR'd text is known), the
 *	     OCR-tolerant scans (redact/ocrtol.c) add the damaged e-mail
 *	     addresses and the numbers whose digits OCR read as letters;
 *	     born-digital text never reaches them, so its matches are those
 *	     of the steps above alone;
 *	  3c. around each word of a listed name found (an anchor), the
 *	     variants and OCR damage of that name (redact/names.c);
 *	  4. overlaps are resolved: leftmost first, then the longest, then an
 *	     allow-list match, then the rule first in rule order (built-ins in
 *	     the order email, ssn, card, iban, ip, phone; then [rule NAME]
 *	     groups sorted by name);
 *	  5. each chosen span of the view is mapped back to the original
 *	     text, and that original span is replaced by the rule's operator.
 *	     With [redact] header-names, the display names of the redacted
 *	     addresses in headers (redact/headers.c, redact/names.c) are
 *	     replaced too, as the rule "person", where no match overlaps them.
 *
 *	Building is the costly part (a database from the cache, or a
 *	compilation; term lists; the pseudonym key), so it happens once per
 *	process.  With [redact] enabled=false (--no-redact) nothing of it
 *	happens: the redactor has no rules and passes every text through.
 *
 * SECURITY
 *	The text is untrusted: it is what the extraction made of an input.
 *	The redactor runs after the sandboxed child, in the process that
 *	writes the outputs (convert, a run worker, docpipe-redact), and never
 *	parses an input's raw bytes (the body of a record that carries them
 *	is left alone).  Hyperscan's scan never backtracks; the refine functions
 *	parse around their triggers and are fuzzed on arbitrary text
 *	(tests/fuzz/fuzz-redact.c).  A custom pattern handed to PCRE2 runs
 *	under PCRE2's default match limit.  The configuration, its term
 *	lists and its key are trusted, and so is the compiled-database cache
 *	($DOCPIPE_CACHE_DIR, or docpipe/ in the user's cache directory,
 *	created 0700): a file there is used only when its header's length
 *	and the sum of its ids match, and hs_deserialize_database() checks
 *	its version, platform, length and CRC (damage, not forgery).  Nothing
 *	here ever prints or records a matched value: a record says which
 *	rule matched where ("redacted: RULE FIELD COUNT OFF+LEN ..."), in
 *	offsets of the new text.
 *
 *	The words OCR read with their boxes ([ocr] words, ocr-words lines,
 *	core/ocrwords.h) are text too, and must not give back what the body
 *	lost.  Redacting each word alone would miss every span that crosses
 *	words (a name, a phone number in groups), so each page's words are
 *	joined again as Tesseract's text joins them (spaces, line and
 *	paragraph breaks), the rules matched on that, and every word a span
 *	touches is withheld: its text goes, its box stays, and it names the
 *	rule.  Each word is also matched alone, so that a word no longer in
 *	the context it had in the body cannot slip through.
 */
#define _GNU_SOURCE 1 /* memmem */
#include "redact/redact.h"

#include "core/config.h"
#include "core/detect.h"
#include "core/emit.h"
#include "core/ocrwords.h"
#include "core/record.h"
#include "redact/headers.h"
#include "redact/ids.h"
#include "redact/internal.h"
#include "redact/phone.h"
#include "util/cachedir.h"
#include "util/exitcode.h"
#include "util/hash.h"

#include <glib/gstdio.h>
#include <hs/hs.h>
#include <sys/mman.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "util/banned.h"

typedef struct {
	char *name;
	char *label;
	DpOperator op;
	char *mask; /* one character, UTF-8 */
	const DpDetector *det;
	pcre2_code *re; /* a custom pattern Hyperscan could not compile */
} Rule;

/*
 * What a Hyperscan expression id stands for: a rule's pattern, a term, an
 * allow-list entry, or a word of a listed name around which names.c looks
 * for the name's variants.
 */
enum { PK_REGEX, PK_LITERAL, PK_ALLOW, PK_ANCHOR };
#define ALLOW_RULE G_MAXUINT

typedef struct {
	guint rule;
	guint8 kind;
	guint8 word_start, word_end; /* whole-word checks for terms */
	guint32 len;                 /* literal length in view bytes; 0: SOM given */
	guint32 term;                /* a term's entry in names.c + 1; 0: none */
} Pat;

/* A candidate match in view offsets. */
typedef struct {
	guint rule;
	gsize vs, ve;
	gboolean allowed;
	guint term;      /* the term-list entry matched + 1 (its pseudonym key); 0: none */
	gboolean anchor; /* a word of a listed name: names.c decides the match */
	gboolean covers; /* phone numbers inside it were not looked for (dp_cands_covered) */
} Cand;

/*
 * [redact] ocr-tolerant: where the OCR-tolerant scans (ocrtol.c) run.
 * AUTO: on the text that came from OCR (see record_scope()); ALWAYS: on
 * every text; NEVER: nowhere.
 */
typedef enum { OCR_AUTO, OCR_ALWAYS, OCR_NEVER } OcrMode;

/* A range of original bytes, [s, e). */
typedef struct {
	gsize s, e;
} OcrRange;

/*
 * The part of a text the OCR-tolerant scans apply to: all of it, or the
 * original byte ranges in RANGES (of OcrRange, sorted, not overlapping).
 */
typedef struct {
	gboolean all;
	const GArray *ranges;
} OcrScope;

struct DpCands {
	guint rule;
	GArray *out;
	gsize *horizon;
	const DpPhone *phone;
	/* The view being matched and its original text (for dp_cands_crosses_line). */
	DpView *view;
	const char *orig;
	/* Whether dp_cands_covered may say yes: only in the main scan's runs of digits. */
	gboolean may_cover;
};

struct DpRedactor {
	GPtrArray *rules; /* of Rule* */
	GArray *pats;     /* of Pat, by Hyperscan id */
	hs_database_t *db;
	/* A database read from the cache lives in this mapping (db_cache_load()), else Hyperscan's heap. */
	void *db_map;
	gsize db_map_len;
	hs_scratch_t *scratch;
	pcre2_match_data *md;
	GHashTable *allow; /* folded, casefolded values never redacted */
	GBytes *key;
	DpIds *ids; /* ids and hashes of records, sources (redact/ids.c) */
	guint digits;
	gboolean validate;
	/* Scratch state reused across calls (the redactor is single-threaded). */
	DpView view;
	GArray *raw;         /* of Cand, straight from the scan */
	guint nraw;          /* during the scan, the candidates in RAW: its length is the room (raw_push()) */
	GArray *refined;     /* of Cand, refined and validated */
	GArray *cands;       /* of Cand, chosen */
	GArray *last;        /* of guint: per rule (then allow), index+1 of its last raw candidate */
	GArray *runs;        /* of gsize: the view offsets where runs of digits start */
	GArray *horizon;     /* of gsize: per rule, see dp_cands_horizon */
	GArray *digit_rules; /* of guint: the rules with an at_digit function, in rule order */
	DpPhone *phone;      /* [redact] phone-regions beyond North America (phone.c), or NULL */
	/*
	 * Names (names.c): the entries of the term lists, and the display names
	 * of redacted addresses in headers ([redact] header-names), which go
	 * to PERSON_RULE.
	 */
	DpNames *names;
	gboolean header_names;
	/* A custom pattern may match a paragraph break (dp_redactor_spans_paragraphs()). */
	gboolean spans_paragraphs;
	guint person_rule;
	GArray *addrs; /* of DpRange: the redacted addresses of one header */
	GArray *found; /* of DpRange: the names found in one text */
	/* The names found in a record and its parent's (headers.c). */
	DpHeaderNames hnames;
	/* The OCR-tolerant scans: the mode, and the rules they add to. */
	OcrMode ocr_mode;
	guint ocr_email;         /* the email rule, or G_MAXUINT when it is off */
	GArray *ocr_digit_rules; /* of guint: ssn, card and phone, those that are on */
	GString *fixed;          /* the view with OCR's letters made digits */
	/*
	 * The last record whose body came from OCR (its id, all of it or its
	 * "ocr" pages): the printed messages on those pages are its parts,
	 * which follow it, and their bodies came from OCR too.
	 */
	char *ocr_parent;
	gboolean ocr_parent_all;
	char *ocr_parent_pages;
	/* DOCPIPE_REDACT_NO_COVER, a test knob: never skip a phone region (dp_cands_covered). */
	gboolean no_cover;
};

void
dp_cands_add(DpCands *c, gsize vs, gsize ve)
{
	if (ve <= vs)
		return;
	Cand k = { c->rule, vs, ve, FALSE, 0, FALSE, FALSE };
	g_array_append_val(c->out, k);
}

gsize
dp_cands_horizon(const DpCands *c)
{
	return *c->horizon;
}

void
dp_cands_set_horizon(DpCands *c, gsize h)
{
	*c->horizon = MAX(*c->horizon, h);
}

const DpPhone *
dp_cands_phone(const DpCands *c)
{
	return c->phone;
}

gboolean
dp_cands_crosses_line(const DpCands *c, gsize vs, gsize ve)
{
	if (c->view == NULL || ve <= vs)
		return FALSE;
	gsize os, oe;
	dp_view_span(c->view, c->orig, vs, ve, &os, &oe);
	return memchr(c->orig + os, '\n', oe - os) != NULL;
}

gboolean
dp_cands_covered(DpCands *c, gsize vs, gsize ve)
{
	if (!c->may_cover)
		return FALSE;
	const char *v = c->view->text;
	/* The last few candidates found: those of this run, or one this run lies inside (an IBAN's groups). */
	guint n = c->out->len, from = n > 4 ? n - 4 : 0;
	for (guint i = from; i < n; i++) {
		Cand *x = &g_array_index(c->out, Cand, i);
		/* An earlier rule wins a tie of the same span (cmp_cand). */
		if (x->rule >= c->rule || x->anchor || x->vs > vs || x->ve <= vs)
			continue;
		gsize p = x->ve;
		while (p < ve && !g_ascii_isdigit(v[p]) && v[p] != ')')
			p++;
		if (p >= ve) {
			x->covers = TRUE;
			return TRUE;
		}
	}
	return FALSE;
}

static void
rule_free(gpointer p)
{
	Rule *r = p;
	g_free(r->name);
	g_free(r->label);
	g_free(r->mask);
	if (r->re)
		pcre2_code_free(r->re);
	g_free(r);
}

void
dp_redactor_free(DpRedactor *rd)
{
	if (rd == NULL)
		return;
	/* A redactor without rules (redaction off) has only its rule array. */
	g_ptr_array_unref(rd->rules);
	GArray **arrays[] = { &rd->pats, &rd->raw,     &rd->refined,     &rd->cands,          &rd->last,
		              &rd->runs, &rd->horizon, &rd->digit_rules, &rd->ocr_digit_rules };
	for (guint i = 0; i < G_N_ELEMENTS(arrays); i++)
		g_clear_pointer(arrays[i], g_array_unref);
	g_clear_pointer(&rd->scratch, hs_free_scratch);
	if (rd->db_map != NULL)
		munmap(rd->db_map, rd->db_map_len);
	else
		g_clear_pointer(&rd->db, hs_free_database);
	g_clear_pointer(&rd->md, pcre2_match_data_free);
	g_clear_pointer(&rd->allow, g_hash_table_unref);
	g_clear_pointer(&rd->key, g_bytes_unref);
	g_clear_pointer(&rd->ids, dp_ids_free);
	g_clear_pointer(&rd->phone, dp_phone_free);
	g_clear_pointer(&rd->names, dp_names_free);
	g_clear_pointer(&rd->addrs, g_array_unref);
	g_clear_pointer(&rd->found, g_array_unref);
	dp_header_names_clear(&rd->hnames);
	if (rd->fixed != NULL)
		g_string_free(rd->fixed, TRUE);
	g_free(rd->ocr_parent);
	g_free(rd->ocr_parent_pages);
	dp_view_clear(&rd->view);
	g_free(rd);
}

guint
dp_redactor_n_rules(const DpRedactor *rd)
{
	return rd->rules->len;
}

gboolean
dp_redactor_spans_paragraphs(const DpRedactor *rd)
{
	return rd->spans_paragraphs;
}

const char *
dp_redactor_rule_name(const DpRedactor *rd, guint i)
{
	return ((Rule *)rd->rules->pdata[i])->name;
}

/* ---- building ------------------------------------------------------------ */

/* The expressions handed to Hyperscan, built up with the rules. */
typedef struct {
	GPtrArray *expr; /* of char* */
	GArray *flags;   /* of unsigned */
	/*
	 * The runs of expressions term lists made, in order (of Run), and
	 * their lists' names cache keys, "names START END KEY\n" each: the
	 * database's key hashes these instead of those expressions.
	 */
	GArray *runs;
	GString *keyed;
	/*
	 * The expressions' bytes: one chunk, not an allocation per
	 * expression (a names list has 15,000 of them), and TMP, where a
	 * literal is escaped before it is copied in.
	 */
	GStringChunk *strs;
	GString *tmp;
	/*
	 * The base names of the cache files this configuration uses, and
	 * whether it wrote one (then the others may be pruned: cache_prune()).
	 */
	GPtrArray *cached;
	gboolean wrote;
	/*
	 * What the raw literals of term lists point into (their lists, of
	 * GPtrArray, and the cache files' mappings, of GMappedFile), kept
	 * until the database is built.
	 */
	GPtrArray *lists, *maps;
} Exprs;

/*
 * A flag of EX->flags, never handed to Hyperscan: the expression is a
 * term list's literal as it is, escaped only if the database is compiled
 * (escape_raw()).  A database read from the cache never needs the 15,000
 * escaped literals of a 10,000-name list, which cost 6 M instructions.
 */
#define EXPR_RAW (1u << 31)

/* Expressions [start, end) of EX, made from one term list. */
typedef struct {
	guint start, end;
} Run;

/* Add expression E (in EX->strs). */
static void
exprs_push(DpRedactor *rd, Exprs *ex, const char *e, unsigned flags, Pat pat)
{
	g_ptr_array_add(ex->expr, (char *)e);
	g_array_append_val(ex->flags, flags);
	g_array_append_val(rd->pats, pat);
}

static void
exprs_add(DpRedactor *rd, Exprs *ex, const char *e, unsigned flags, Pat pat)
{
	exprs_push(rd, ex, g_string_chunk_insert(ex->strs, e), flags, pat);
}

/*
 * Literal S of N bytes as a Hyperscan expression in EX->strs, ASCII
 * punctuation escaped; *ASCII: whether S is all ASCII.
 */
static const char *
escape_literal(Exprs *ex, const char *s, gsize n, gboolean *ascii)
{
	/*
	 * By hand, not printf, in one pass into a buffer kept for every
	 * literal, then copied into the chunk: a list of names has a space to
	 * escape in every entry, and an allocation per literal, freed again
	 * at the end, was a third of the literals' cost at start.
	 */
	static const char hex[] = "0123456789abcdef";
	g_string_set_size(ex->tmp, 4 * n);
	char *out = ex->tmp->str, *o = out;
	guchar any = 0;
	for (gsize i = 0; i < n; i++) {
		guchar c = (guchar)s[i];
		any |= c;
		if (c >= 0x80 || g_ascii_isalnum(c)) {
			*o++ = (char)c;
		} else {
			o[0] = '\\';
			o[1] = 'x';
			o[2] = hex[c >> 4];
			o[3] = hex[c & 15];
			o += 4;
		}
	}
	*ascii = any < 0x80;
	return g_string_chunk_insert_len(ex->strs, out, o - out);
}

/*
 * Add term T (already folded) for RULE (its entry TERM + 1, or 0), or for
 * the allow list; RAW: as it is (EXPR_RAW), T living as long as EX.
 */
static void
add_literal(DpRedactor *rd, Exprs *ex, guint rule, guint8 kind, const char *t, guint term, gboolean raw)
{
	gsize n = strlen(t);
	gboolean ascii = TRUE;
	const char *e = t;
	if (raw) {
		for (gsize i = 0; i < n; i++)
			ascii &= (guchar)t[i] < 0x80;
	} else {
		e = escape_literal(ex, t, n, &ascii);
	}
	Pat pat = { rule,
		    kind,
		    g_ascii_isalnum(t[0]) || (guchar)t[0] >= 0x80,
		    g_ascii_isalnum(t[n - 1]) || (guchar)t[n - 1] >= 0x80,
		    0,
		    term };
	unsigned flags = HS_FLAG_CASELESS;
	if (ascii)
		pat.len = (guint32)n; /* the match has the literal's length: no SOM needed */
	else
		flags |= HS_FLAG_UTF8 | HS_FLAG_UCP | HS_FLAG_SOM_LEFTMOST;
	exprs_push(rd, ex, e, flags | (raw ? EXPR_RAW : 0), pat);
}

/* Escape the raw literals of EX (EXPR_RAW), before compiling. */
static void
escape_raw(Exprs *ex)
{
	for (guint i = 0; i < ex->expr->len; i++) {
		unsigned *fl = &g_array_index(ex->flags, unsigned, i);
		if (!(*fl & EXPR_RAW))
			continue;
		const char *t = ex->expr->pdata[i];
		gboolean ascii;
		ex->expr->pdata[i] = (char *)escape_literal(ex, t, strlen(t), &ascii);
		*fl &= ~EXPR_RAW;
	}
}

static char *
canonical_value(const Rule *r, const char *v, gsize n)
{
	if (r != NULL && r->det != NULL && r->det->canon_alnum) {
		GString *s = g_string_new(NULL);
		for (gsize i = 0; i < n; i++)
			if (g_ascii_isalnum(v[i]))
				g_string_append_c(s, g_ascii_toupper(v[i]));
		return g_string_free(s, FALSE);
	}
	return dp_view_casefold(v, (gssize)n);
}

static gboolean config_error(GError **error, const DpConfig *cfg, const char *group, const char *fmt, ...)
    G_GNUC_PRINTF(4, 5);

/* Set a configuration error naming the file and group; returns FALSE. */
static gboolean
config_error(GError **error, const DpConfig *cfg, const char *group, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s: [%s] %s",
	            dp_config_file(cfg) ? dp_config_file(cfg) : "configuration", group, msg);
	return FALSE;
}

/* Operator, label and mask of a rule: its group's values over [redact]'s. */
static gboolean
rule_setup(Rule *r, const DpConfig *cfg, const char *group, const char *deflabel, GError **error)
{
	g_autofree char *op = NULL, *mask = NULL, *label = NULL;
	if (group != NULL) {
		op = dp_config_get_string(cfg, group, "operator");
		mask = dp_config_get_string(cfg, group, "mask-char");
		label = dp_config_get_string(cfg, group, "label");
	}
	if (op == NULL)
		op = dp_config_get_string(cfg, "redact", "operator");
	if (mask == NULL)
		mask = dp_config_get_string(cfg, "redact", "mask-char");
	if (!dp_operator_parse(op, &r->op))
		return config_error(error, cfg, group ? group : "redact", "unknown operator '%s'", op);
	if (!g_utf8_validate(mask, -1, NULL) || g_utf8_strlen(mask, -1) != 1 ||
	    g_unichar_iscntrl(g_utf8_get_char(mask)))
		return config_error(error, cfg, group ? group : "redact", "mask-char must be one printable character");
	r->mask = g_steal_pointer(&mask);
	r->label = label ? g_steal_pointer(&label) : g_strdup(deflabel);
	return TRUE;
}

static gboolean
load_allow(DpRedactor *rd, const DpConfig *cfg, Exprs *ex, GError **error)
{
	g_autoptr(GPtrArray) vals = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) list = dp_config_get_list(cfg, "redact", "allow");
	for (guint i = 0; list[i]; i++)
		g_ptr_array_add(vals, dp_view_fold(list[i]));
	g_autofree char *file = dp_config_get_string(cfg, "redact", "allow-file");
	if (file != NULL) {
		g_autofree char *path = dp_config_resolve_path(cfg, file);
		g_autoptr(GPtrArray) terms = dp_terms_load(path, error);
		if (terms == NULL)
			return FALSE;
		for (guint i = 0; i < terms->len; i++)
			g_ptr_array_add(vals, g_strdup(terms->pdata[i]));
	}
	rd->allow = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < vals->len; i++) {
		const char *v = vals->pdata[i];
		if (*v == '\0')
			continue;
		char *key = dp_view_casefold(v, -1);
		if (g_hash_table_contains(rd->allow, key)) {
			g_free(key);
			continue;
		}
		g_hash_table_add(rd->allow, key);
		/* Also scanned for, so an allowed phrase shields what it contains. */
		add_literal(rd, ex, ALLOW_RULE, PK_ALLOW, v, 0, FALSE);
	}
	return TRUE;
}

/*
 * Compiled databases are cached on disk: compiling the built-in detectors
 * costs ~10 ms, a list of 100,000 names seconds, and both would otherwise be
 * paid by every `docpipe convert`.  The key covers the format, the
 * Hyperscan version, the platform and every expression with its flags and
 * id (a term list's expressions through the list's key, see
 * db_cache_path()); the file holds a header (CACHE_MAGIC and the length of the rest),
 * the ids PCRE2 took over, then the serialized database.  Any problem with
 * the cache (unwritable, truncated, corrupt, another version) just means
 * compiling, and writing the file again.  $DOCPIPE_CACHE_DIR overrides the
 * directory; "off" disables the cache.
 *
 * A file is read only if its length is the header's, and
 * hs_deserialize_database() checks the database's own length and CRC, so
 * a file cut short or damaged is refused.  It is mapped, not read (see
 * db_cache_load()); a mapped file that shrank under us would raise SIGBUS,
 * but no file is ever cut in place: docpipe writes a new one beside it and
 * renames it over (dp_write_atomic()), which leaves a mapping of the old
 * one intact, and the directory is the user's own (0700).
 */
#define CACHE_MAGIC "docpipe-hs-2\n\n\n"
#define CACHE_HEADER (sizeof CACHE_MAGIC - 1 + 16)

/*
 * FNV-1a of the ids PCRE2 took over, kept in the header: the database's
 * CRC does not cover them, and a damaged id would hand a term to PCRE2.
 */
static guint64
ids_sum(const char *p, gsize n)
{
	guint64 h = G_GUINT64_CONSTANT(14695981039346656037);
	for (gsize i = 0; i < n; i++)
		h = (h ^ (guchar)p[i]) * G_GUINT64_CONSTANT(1099511628211);
	return h;
}
/*
 * The sum of a names index file: 8 bytes a step, not ids_sum()'s one, which
 * cost 6 M instructions over a 10,000-name list's megabyte at every start.
 * Each step (xor, multiply by an odd number, xor-shift) is a bijection of
 * the state, so any one damaged word changes the sum.
 */
static guint64
names_sum(const char *p, gsize n)
{
	guint64 h = G_GUINT64_CONSTANT(14695981039346656037);
	gsize i = 0;
	for (; i + 8 <= n; i += 8) {
		guint64 w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * G_GUINT64_CONSTANT(1099511628211);
		h ^= h >> 32;
	}
	for (; i < n; i++)
		h = (h ^ (guchar)p[i]) * G_GUINT64_CONSTANT(1099511628211);
	return h;
}

/* Write DATA to the cache file PATH (its directory the user's own); failure is no error.  Whether it wrote it. */
static gboolean
cache_write(const char *path, const guint8 *data, gsize len)
{
	g_autofree char *dir = g_path_get_dirname(path);
	return g_mkdir_with_parents(dir, 0700) == 0 && dp_write_atomic(path, (const char *)data, len, NULL);
}

/*
 * Cache files are named by keys, so a changed list, configuration or
 * build leaves its old files behind for good.  Whenever a run writes a
 * new one, the cache files of the two schemes (names-*.idx, hs-*.db) that
 * this configuration does not use go when they are older than
 * CACHE_MAX_AGE, and the oldest of the rest beyond CACHE_KEEP.  Removing
 * one another process has mapped is harmless (its mapping stays), and
 * one removed too early is only compiled again.
 */
#define CACHE_MAX_AGE (30 * 24 * 3600)
#define CACHE_KEEP 64

typedef struct {
	char *name;
	gint64 mtime;
} CacheEntry;

/* Newest first; the name settles ties, so the order never depends on the directory's. */
static int
cache_entry_cmp(gconstpointer a, gconstpointer b)
{
	const CacheEntry *x = a, *y = b;
	if (x->mtime != y->mtime)
		return x->mtime > y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Whether NAME is a cache file of one of our schemes. */
static gboolean
cache_name(const char *name)
{
	return (g_str_has_prefix(name, "names-") && g_str_has_suffix(name, ".idx")) ||
	       (g_str_has_prefix(name, "hs-") && g_str_has_suffix(name, ".db"));
}

/* Remove the stale cache files (see above); USED: the base names this configuration uses. */
static void
cache_prune(GPtrArray *used)
{
	g_autofree char *probe = dp_cache_file("x");
	if (probe == NULL)
		return;
	g_autofree char *dir = g_path_get_dirname(probe);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	if (d == NULL)
		return;
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;
	g_autoptr(GArray) keep = g_array_new(FALSE, FALSE, sizeof(CacheEntry));
	for (const char *name; (name = g_dir_read_name(d)) != NULL;) {
		if (!cache_name(name) || g_ptr_array_find_with_equal_func(used, name, g_str_equal, NULL))
			continue;
		g_autofree char *path = g_build_filename(dir, name, NULL);
		GStatBuf st;
		if (g_lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (now - (gint64)st.st_mtime > CACHE_MAX_AGE) {
			(void)g_unlink(path);
			continue;
		}
		CacheEntry e = { g_strdup(name), (gint64)st.st_mtime };
		g_array_append_val(keep, e);
	}
	g_array_sort(keep, cache_entry_cmp);
	for (guint i = 0; i < keep->len; i++) {
		CacheEntry *e = &g_array_index(keep, CacheEntry, i);
		if (i + used->len >= CACHE_KEEP) {
			g_autofree char *path = g_build_filename(dir, e->name, NULL);
			(void)g_unlink(path);
		}
		g_free(e->name);
	}
}

/*
 * The expressions of a term list are not hashed one by one for the key:
 * with 10,000 names' literals and anchors that was a fifth of a start.
 * Each run of them is keyed by the names cache key of its list instead
 * (EX->keyed), which covers everything they are made from: the list file's
 * bytes, the fuzzy setting and this executable, whose code folds, escapes
 * and flags them; the runs of earlier lists (whose anchors a later list's
 * merge leaves out) come before it in the same key.  Every other
 * expression is hashed with its flags as before.
 */
static char *
db_cache_path(const Exprs *ex)
{
	if (dp_cache_off())
		return NULL;
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, (const guchar *)CACHE_MAGIC, sizeof CACHE_MAGIC - 1);
	const char *v = hs_version();
	g_checksum_update(sum, (const guchar *)v, (gssize)strlen(v) + 1);
	hs_platform_info_t plat;
	if (hs_populate_platform(&plat) == HS_SUCCESS)
		g_checksum_update(sum, (const guchar *)&plat, sizeof plat);
	guint32 n = ex->expr->len;
	g_checksum_update(sum, (const guchar *)&n, sizeof n);
	g_checksum_update(sum, (const guchar *)ex->keyed->str, (gssize)ex->keyed->len + 1);
	/*
	 * The same bytes as one update per expression and per flag word, fed
	 * through a buffer: many small calls cost more than the hashing.
	 */
	g_autoptr(GByteArray) buf = g_byte_array_sized_new(64 * 1024);
	guint r = 0;
	for (guint i = 0; i < n; i++) {
		if (r < ex->runs->len && i == g_array_index(ex->runs, Run, r).start) {
			i = g_array_index(ex->runs, Run, r++).end - 1;
			continue;
		}
		const char *e = ex->expr->pdata[i];
		unsigned fl = g_array_index(ex->flags, unsigned, i);
		g_byte_array_append(buf, (const guint8 *)e, (guint)strlen(e) + 1);
		g_byte_array_append(buf, (const guint8 *)&fl, sizeof fl);
		if (buf->len >= 60 * 1024) {
			g_checksum_update(sum, buf->data, buf->len);
			g_byte_array_set_size(buf, 0);
		}
	}
	g_checksum_update(sum, buf->data, buf->len);
	g_autofree char *base = g_strdup_printf("hs-%s.db", g_checksum_get_string(sum));
	return dp_cache_file(base);
}

/* Check a cached database's header and ids; its dropped ids go to DROPPED.  *OFF: where the database starts. */
static gboolean
db_cache_ids(const char *data, gsize len, guint n, gboolean *dropped, gsize *off)
{
	guint64 rest, sum;
	guint32 nd;
	if (len < CACHE_HEADER + 4 || memcmp(data, CACHE_MAGIC, sizeof CACHE_MAGIC - 1) != 0)
		return FALSE;
	memcpy(&rest, data + sizeof CACHE_MAGIC - 1, 8);
	memcpy(&sum, data + sizeof CACHE_MAGIC - 1 + 8, 8);
	memcpy(&nd, data + CACHE_HEADER, 4);
	if (rest != len - CACHE_HEADER || nd > n || len - CACHE_HEADER < 4 + (gsize)nd * 4 ||
	    sum != ids_sum(data + CACHE_HEADER, 4 + (gsize)nd * 4))
		return FALSE;
	for (guint32 i = 0; i < nd; i++) {
		guint32 id;
		memcpy(&id, data + CACHE_HEADER + 4 + i * 4, 4);
		if (id >= n)
			return FALSE;
		dropped[id] = TRUE;
	}
	*off = CACHE_HEADER + 4 + (gsize)nd * 4;
	return TRUE;
}

/* Load a cached database: its dropped ids go to DROPPED (all FALSE when it cannot be used). */
static gboolean
db_cache_load(DpRedactor *rd, const char *path, guint n, gboolean *dropped)
{
	/*
	 * Mapped, not read: hs_deserialize_database() copies it anyway, and a
	 * heap copy of a names list's database (megabytes) first cost as many
	 * page faults again at every start.  Why a mapping is safe here: see
	 * above.
	 */
	if (path == NULL)
		return FALSE;
	g_autoptr(GMappedFile) map = g_mapped_file_new(path, FALSE, NULL);
	if (map == NULL)
		return FALSE;
	const char *data = g_mapped_file_get_contents(map);
	gsize len = g_mapped_file_get_length(map), off;
	size_t size;
	if (data == NULL || !db_cache_ids(data, len, n, dropped, &off) ||
	    hs_serialized_database_size(data + off, len - off, &size) != HS_SUCCESS)
		goto fail;
	/*
	 * Into memory mapped populated: the copy would otherwise fault in each
	 * of its pages one by one (a names list's database is 2 MB, 470
	 * faults, most of the system time of a start).
	 */
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (mem == MAP_FAILED)
		goto fail;
	if (hs_deserialize_database_at(data + off, len - off, mem) != HS_SUCCESS) {
		munmap(mem, size);
		goto fail;
	}
	rd->db = mem;
	rd->db_map = mem;
	rd->db_map_len = size;
	return TRUE;
fail:
	memset(dropped, 0, n * sizeof *dropped);
	rd->db = NULL;
	return FALSE;
}

/* Whether it wrote the file. */
static gboolean
db_cache_save(const DpRedactor *rd, const char *path, guint n, const gboolean *dropped)
{
	char *ser = NULL;
	size_t slen = 0;
	if (path == NULL || hs_serialize_database(rd->db, &ser, &slen) != HS_SUCCESS)
		return FALSE;
	g_autoptr(GByteArray) out = g_byte_array_new();
	guint32 nd = 0;
	for (guint i = 0; i < n; i++)
		nd += dropped[i] != 0;
	guint64 rest = 4 + (guint64)nd * 4 + slen, sum = 0;
	g_byte_array_append(out, (const guint8 *)CACHE_MAGIC, sizeof CACHE_MAGIC - 1);
	g_byte_array_append(out, (const guint8 *)&rest, 8);
	g_byte_array_append(out, (const guint8 *)&sum, 8);
	g_byte_array_append(out, (const guint8 *)&nd, 4);
	for (guint32 i = 0; i < n; i++)
		if (dropped[i])
			g_byte_array_append(out, (const guint8 *)&i, 4);
	sum = ids_sum((const char *)out->data + CACHE_HEADER, out->len - CACHE_HEADER);
	memcpy(out->data + sizeof CACHE_MAGIC - 1 + 8, &sum, 8);
	g_byte_array_append(out, (const guint8 *)ser, (guint)slen);
	free(ser);
	return cache_write(path, out->data, out->len);
}

/*
 * A term list's part of the names index (names.c: its folded terms, the
 * variants' words and skeletons, the sorted index of pairs, the anchors)
 * is cached beside the databases: with 10,000 names, folding the list and
 * building the index again cost as much as the rest of a start.  The key
 * is the list file's bytes, the fuzzy option and this executable (its
 * device, inode, size and time: the index is what this build's code makes
 * of the list, and a rebuilt docpipe makes it again); the file holds
 * NAMES_MAGIC, the length of the rest and its sum (names_sum()), then
 * dp_names_pack()'s bytes.  A file whose length or sum is wrong, or whose
 * contents do not add up (dp_names_unpack()), is ignored and the part
 * built and written again; the part is merged the same way either way,
 * so results never depend on the cache.
 */
#define NAMES_MAGIC "docpipe-names-2\n"
#define NAMES_HEADER (sizeof NAMES_MAGIC - 1 + 16)

/*
 * The names cache key of a list's bytes DATA[0, LEN) (hex), or NULL.  The
 * caller parses the same buffer on a miss: reading the file a second time
 * could store the index of an edited list under the old list's key.
 */
static char *
names_cache_key(const char *data, gsize len, gboolean fuzzy)
{
	GStatBuf st;
	if (g_stat("/proc/self/exe", &st) != 0)
		return NULL;
	/*
	 * SHA-256 by util/hash.c (Nettle, the CPU's SHA instructions), not
	 * GChecksum, which cost 7 M instructions on a 10,000-name list at
	 * every start; the same bytes in one buffer give the same key.
	 */
	g_autoptr(GByteArray) in = g_byte_array_sized_new((guint)(sizeof NAMES_MAGIC + 33 + len));
	g_byte_array_append(in, (const guint8 *)NAMES_MAGIC, sizeof NAMES_MAGIC - 1);
	guint64 exe[4] = { (guint64)st.st_dev, (guint64)st.st_ino, (guint64)st.st_size, (guint64)st.st_mtime };
	g_byte_array_append(in, (const guint8 *)exe, sizeof exe);
	guint8 fz = fuzzy ? 1 : 0;
	g_byte_array_append(in, &fz, 1);
	g_byte_array_append(in, (const guint8 *)data, (guint)len);
	return dp_sha256_hex(in->data, in->len);
}

/*
 * The cached part of list file PATH (NULL when none or unusable); its
 * terms and anchors go to TERMS, ANCHORS, pointing into *MAP.
 */
static DpNames *
names_cache_load(const char *path, GPtrArray *terms, GPtrArray *anchors, GMappedFile **mapp)
{
	if (path == NULL)
		return NULL;
	GMappedFile *map = *mapp = g_mapped_file_new(path, FALSE, NULL);
	if (map == NULL)
		return NULL;
	const char *data = g_mapped_file_get_contents(map);
	gsize len = g_mapped_file_get_length(map);
	guint64 rest, sum;
	if (data == NULL || len < NAMES_HEADER || memcmp(data, NAMES_MAGIC, sizeof NAMES_MAGIC - 1) != 0)
		return NULL;
	memcpy(&rest, data + sizeof NAMES_MAGIC - 1, 8);
	memcpy(&sum, data + sizeof NAMES_MAGIC - 1 + 8, 8);
	if (rest != len - NAMES_HEADER || sum != names_sum(data + NAMES_HEADER, len - NAMES_HEADER))
		return NULL;
	return dp_names_unpack(data + NAMES_HEADER, len - NAMES_HEADER, terms, anchors);
}

/* Whether it wrote the file. */
static gboolean
names_cache_save(const char *path, const DpNames *part, const GPtrArray *terms, const GPtrArray *anchors)
{
	if (path == NULL)
		return FALSE;
	g_autoptr(GByteArray) out = g_byte_array_new();
	guint64 zero = 0;
	g_byte_array_append(out, (const guint8 *)NAMES_MAGIC, sizeof NAMES_MAGIC - 1);
	g_byte_array_append(out, (const guint8 *)&zero, 8);
	g_byte_array_append(out, (const guint8 *)&zero, 8);
	dp_names_pack(part, terms, anchors, out);
	guint64 rest = out->len - NAMES_HEADER;
	guint64 sum = names_sum((const char *)out->data + NAMES_HEADER, rest);
	memcpy(out->data + sizeof NAMES_MAGIC - 1, &rest, 8);
	memcpy(out->data + sizeof NAMES_MAGIC - 1 + 8, &sum, 8);
	return cache_write(path, out->data, out->len);
}

/* Hand pattern ID to PCRE2 (Hyperscan cannot compile it). */
static gboolean
pcre2_takes(DpRedactor *rd, Exprs *ex, guint id, const DpConfig *cfg, const char *hs_msg, GError **error)
{
	const Pat *pat = &g_array_index(rd->pats, Pat, id);
	Rule *r = pat->rule == ALLOW_RULE ? NULL : rd->rules->pdata[pat->rule];
	if (r == NULL || r->det != NULL || pat->kind != PK_REGEX) {
		g_set_error(error, DP_ERROR, DP_EXIT_SOFTWARE, "cannot compile the redaction rules: %s", hs_msg);
		return FALSE;
	}
	int err;
	PCRE2_SIZE off;
	guint32 opts = PCRE2_UTF | PCRE2_UCP;
	if (g_array_index(ex->flags, unsigned, id) & HS_FLAG_CASELESS)
		opts |= PCRE2_CASELESS;
	r->re = pcre2_compile((PCRE2_SPTR)ex->expr->pdata[id], PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);
	if (r->re == NULL) {
		PCRE2_UCHAR m2[256];
		pcre2_get_error_message(err, m2, sizeof m2);
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s: rule '%s': bad pattern at offset %zu: %s",
		            dp_config_file(cfg) ? dp_config_file(cfg) : "configuration", r->name, (size_t)off,
		            (const char *)m2);
		return FALSE;
	}
	pcre2_jit_compile(r->re, PCRE2_JIT_COMPLETE);
	return TRUE;
}

/* Compile EX; a custom pattern Hyperscan refuses falls back to PCRE2. */
static gboolean
compile_db(DpRedactor *rd, Exprs *ex, const DpConfig *cfg, GError **error)
{
	guint n = ex->expr->len;
	if (n == 0)
		return TRUE;
	g_autofree unsigned *ids = g_new(unsigned, n);
	g_autofree gboolean *dropped = g_new0(gboolean, n);
	g_autofree char *cache = db_cache_path(ex);
	if (cache != NULL)
		g_ptr_array_add(ex->cached, g_path_get_basename(cache));
	if (db_cache_load(rd, cache, n, dropped)) {
		for (guint id = 0; id < n; id++)
			if (dropped[id] && !pcre2_takes(rd, ex, id, cfg, "", error))
				return FALSE;
		goto scratch;
	}
	escape_raw(ex);
	for (;;) {
		g_autoptr(GPtrArray) e = g_ptr_array_new();
		g_autoptr(GArray) f = g_array_new(FALSE, FALSE, sizeof(unsigned));
		guint m = 0;
		for (guint i = 0; i < n; i++) {
			if (dropped[i])
				continue;
			g_ptr_array_add(e, ex->expr->pdata[i]);
			g_array_append_val(f, g_array_index(ex->flags, unsigned, i));
			ids[m++] = i;
		}
		if (m == 0)
			return TRUE;
		hs_compile_error_t *ce = NULL;
		hs_error_t rc = hs_compile_multi((const char *const *)e->pdata, (const unsigned *)(void *)f->data, ids,
		                                 m, HS_MODE_BLOCK, NULL, &rd->db, &ce);
		if (rc == HS_SUCCESS)
			break;
		int bad = ce->expression;
		g_autofree char *msg = g_strdup(ce->message);
		hs_free_compile_error(ce);
		if (bad < 0 || (guint)bad >= m) {
			g_set_error(error, DP_ERROR, DP_EXIT_SOFTWARE, "cannot compile the redaction rules: %s", msg);
			return FALSE;
		}
		if (!pcre2_takes(rd, ex, ids[bad], cfg, msg, error))
			return FALSE;
		dropped[ids[bad]] = TRUE;
	}
	ex->wrote |= db_cache_save(rd, cache, n, dropped);
scratch:
	if (hs_alloc_scratch(rd->db, &rd->scratch) != HS_SUCCESS) {
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot allocate Hyperscan scratch space");
		return FALSE;
	}
	return TRUE;
}

static void
exprs_init(Exprs *ex)
{
	ex->expr = g_ptr_array_new();
	ex->flags = g_array_new(FALSE, FALSE, sizeof(unsigned));
	ex->runs = g_array_new(FALSE, FALSE, sizeof(Run));
	ex->keyed = g_string_new(NULL);
	ex->strs = g_string_chunk_new(64 * 1024);
	ex->tmp = g_string_new(NULL);
	ex->cached = g_ptr_array_new_with_free_func(g_free);
	ex->lists = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	ex->maps = g_ptr_array_new_with_free_func((GDestroyNotify)g_mapped_file_unref);
}

static void
exprs_clear(Exprs *ex)
{
	g_ptr_array_unref(ex->expr);
	g_array_unref(ex->flags);
	g_array_unref(ex->runs);
	g_string_free(ex->keyed, TRUE);
	g_string_chunk_free(ex->strs);
	g_string_free(ex->tmp, TRUE);
	g_ptr_array_unref(ex->cached);
	g_ptr_array_unref(ex->lists);
	g_ptr_array_unref(ex->maps);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Exprs, exprs_clear)

/* The expressions of DET, the built-in rule just added, and its digit trigger. */
static void
add_builtin_rule(DpRedactor *rd, Exprs *ex, const DpDetector *det)
{
	guint ri = rd->rules->len - 1;
	for (const DpPattern *p = det->patterns; p->expr; p++) {
		Pat pat = { ri, PK_REGEX, 0, 0, p->len, 0 };
		exprs_add(rd, ex, p->expr, (p->len ? 0 : HS_FLAG_SOM_LEFTMOST) | det->flags, pat);
	}
	if (det->at_digit != NULL)
		g_array_append_val(rd->digit_rules, ri);
}

/*
 * The built-in detectors that are on, in rule order: [redact] detectors
 * names them, and a [rule NAME] group of a built-in may turn it on or off
 * and set its operator, label and mask (never a pattern or terms).
 */
static gboolean
add_builtin_rules(DpRedactor *rd, const DpConfig *cfg, Exprs *ex, GError **error)
{
	g_auto(GStrv) on = dp_config_get_list(cfg, "redact", "detectors");
	for (guint i = 0; on[i]; i++)
		if (dp_detector_find(on[i]) == NULL)
			return config_error(error, cfg, "redact", "unknown detector '%s' in detectors", on[i]);
	guint ndet;
	const DpDetector *dets = dp_detectors(&ndet);
	for (guint d = 0; d < ndet; d++) {
		g_autofree char *group = g_strdup_printf("rule %s", dets[d].name);
		gboolean enabled = g_strv_contains((const char *const *)on, dets[d].name);
		if (dp_config_has(cfg, group, "enabled"))
			enabled = dp_config_get_bool(cfg, group, "enabled");
		if (dp_config_has(cfg, group, "pattern") || dp_config_has(cfg, group, "terms"))
			return config_error(error, cfg, group,
			                    "'%s' is a built-in detector: it takes no pattern or terms", dets[d].name);
		if (!enabled)
			continue;
		Rule *r = g_new0(Rule, 1);
		r->name = g_strdup(dets[d].name);
		r->det = &dets[d];
		g_ptr_array_add(rd->rules, r);
		if (!rule_setup(r, cfg, group, dets[d].label, error))
			return FALSE;
		add_builtin_rule(rd, ex, &dets[d]);
		/* Numbers of other plans are validated, never taken on shape alone. */
		if (&dets[d] == dp_detector_find("phone") && rd->validate && !dp_phone_new(cfg, &rd->phone, error))
			return FALSE;
	}
	return TRUE;
}

/* The expressions of custom rule RI (group GROUP): its pattern, or every term of its list. */
static gboolean
add_custom_exprs(DpRedactor *rd, const DpConfig *cfg, Exprs *ex, guint ri, const char *group, const char *pattern,
                 const char *terms, GError **error)
{
	if (pattern != NULL) {
		unsigned flags = HS_FLAG_SOM_LEFTMOST | HS_FLAG_UTF8 | HS_FLAG_UCP;
		if (dp_config_get_bool(cfg, group, "case-insensitive"))
			flags |= HS_FLAG_CASELESS;
		Pat pat = { ri, PK_REGEX, 0, 0, 0, 0 };
		exprs_add(rd, ex, pattern, flags, pat);
		rd->spans_paragraphs |= dp_pattern_may_match_lf(pattern);
		return TRUE;
	}
	g_autofree char *path = dp_config_resolve_path(cfg, terms);
	/* fuzzy: the rule's own, else [redact]'s. */
	gboolean fuzzy = dp_config_get_int(cfg, "redact", "fuzzy") > 0;
	if (dp_config_has(cfg, group, "fuzzy"))
		fuzzy = dp_config_get_int(cfg, group, "fuzzy") > 0;
	/*
	 * The list's part of the names index: from the cache (its terms and
	 * anchors in the file's mapping), else built alone and cached.
	 */
	g_autoptr(GPtrArray) list = g_ptr_array_new();
	g_autoptr(GPtrArray) own = g_ptr_array_new();
	g_autoptr(GMappedFile) map = NULL;
	gsize len = 0;
	g_autofree char *data = dp_terms_read(path, &len, error);
	if (data == NULL)
		return FALSE;
	g_autofree char *key = dp_cache_off() ? NULL : names_cache_key(data, len, fuzzy);
	g_autofree char *base = key ? g_strdup_printf("names-%s.idx", key) : NULL;
	g_autofree char *cache = base ? dp_cache_file(base) : NULL;
	if (cache != NULL)
		g_ptr_array_add(ex->cached, g_strdup(base));
	DpNames *part = names_cache_load(cache, list, own, &map);
	if (part == NULL) {
		g_ptr_array_unref(list);
		g_ptr_array_unref(own);
		list = dp_terms_parse(path, data, len, error);
		if (list == NULL)
			return FALSE;
		own = g_ptr_array_new_with_free_func(g_free);
		part = dp_names_new();
		for (guint t = 0; t < list->len; t++)
			dp_names_add(part, ri, list->pdata[t], fuzzy, own);
		dp_names_seal(part);
		ex->wrote |= names_cache_save(cache, part, list, own);
	}
	/* Of strings that NAMES holds. */
	g_autoptr(GPtrArray) anchors = g_ptr_array_new();
	guint first = dp_names_merge(rd->names, part, ri, own, anchors);
	dp_names_free(part);
	Run run = { ex->expr->len, 0 };
	for (guint t = 0; t < list->len; t++)
		add_literal(rd, ex, ri, PK_LITERAL, list->pdata[t], first + t + 1, TRUE);
	/* The words of the names, from which names.c finds their variants. */
	for (guint a = 0; a < anchors->len; a++)
		add_literal(rd, ex, ri, PK_ANCHOR, anchors->pdata[a], 0, TRUE);
	/* The raw literals point into these. */
	g_ptr_array_add(ex->lists, g_steal_pointer(&list));
	g_ptr_array_add(ex->lists, g_steal_pointer(&own));
	if (map != NULL)
		g_ptr_array_add(ex->maps, g_steal_pointer(&map));
	/* The database's key takes the list's key for these (db_cache_path()). */
	run.end = ex->expr->len;
	if (key != NULL && run.end > run.start) {
		g_array_append_val(ex->runs, run);
		g_string_append_printf(ex->keyed, "names %u %u %s\n", run.start, run.end, key);
	}
	return TRUE;
}

/* Custom rules, after the built-ins: [rule NAME] groups with a pattern or a term list each. */
static gboolean
add_custom_rules(DpRedactor *rd, const DpConfig *cfg, Exprs *ex, GError **error)
{
	g_auto(GStrv) groups = dp_config_groups_with_prefix(cfg, "rule ");
	for (guint i = 0; groups[i]; i++) {
		const char *name = groups[i] + 5;
		if (dp_detector_find(name) != NULL)
			continue;
		if (dp_config_has(cfg, groups[i], "enabled") && !dp_config_get_bool(cfg, groups[i], "enabled"))
			continue;
		g_autofree char *pattern = dp_config_get_string(cfg, groups[i], "pattern");
		g_autofree char *terms = dp_config_get_string(cfg, groups[i], "terms");
		if ((pattern == NULL) == (terms == NULL))
			return config_error(error, cfg, groups[i], "needs exactly one of pattern or terms");
		if (*name == '\0' || strpbrk(name, " \t") != NULL)
			return config_error(error, cfg, groups[i], "a rule name is one word");
		Rule *r = g_new0(Rule, 1);
		r->name = g_strdup(name);
		g_ptr_array_add(rd->rules, r);
		g_autofree char *up = g_ascii_strup(name, -1);
		g_autofree char *deflabel = g_strdup_printf("[%s]", up);
		if (!rule_setup(r, cfg, groups[i], deflabel, error))
			return FALSE;
		if (!add_custom_exprs(rd, cfg, ex, rd->rules->len - 1, groups[i], pattern, terms, error))
			return FALSE;
	}
	return TRUE;
}

/*
 * [redact] header-names: the display names of redacted addresses go to the
 * rule named "person" (a [rule person] term list, say, so that its label,
 * operator and pseudonyms apply), or else to a rule of that name added here,
 * with the label [PERSON] and [redact]'s operator.  Nothing without the
 * email detector, which finds the addresses.
 */
static gboolean
add_person_rule(DpRedactor *rd, const DpConfig *cfg, GError **error)
{
	rd->person_rule = G_MAXUINT;
	gboolean email = FALSE;
	for (guint i = 0; i < rd->rules->len; i++) {
		const Rule *r = rd->rules->pdata[i];
		email |= r->det != NULL && g_str_equal(r->det->name, "email");
	}
	if (!email || !dp_config_get_bool(cfg, "redact", "header-names"))
		return TRUE;
	for (guint i = 0; i < rd->rules->len; i++)
		if (g_str_equal(((Rule *)rd->rules->pdata[i])->name, "person")) {
			rd->person_rule = i;
			return TRUE;
		}
	Rule *r = g_new0(Rule, 1);
	r->name = g_strdup("person");
	g_ptr_array_add(rd->rules, r);
	rd->person_rule = rd->rules->len - 1;
	return rule_setup(r, cfg, NULL, "[PERSON]", error);
}

/*
 * The pseudonym key, read once, and only when a rule's operator is
 * pseudonym or ids_setup() needs it.
 */
static gboolean
load_key(DpRedactor *rd, const DpConfig *cfg, GError **error)
{
	if (rd->key != NULL)
		return TRUE;
	for (guint i = 0; i < rd->rules->len; i++) {
		const Rule *r = rd->rules->pdata[i];
		if (r->op != DP_OP_PSEUDONYM)
			continue;
		g_autofree char *kf = dp_config_get_string(cfg, "redact", "key-file");
		g_autofree char *ke = dp_config_get_string(cfg, "redact", "key-env");
		g_autofree char *path = kf ? dp_config_resolve_path(cfg, kf) : NULL;
		g_autoptr(GError) local = NULL;
		rd->key = dp_key_load(path, ke, &local);
		if (rd->key == NULL)
			return config_error(error, cfg, "redact", "rule '%s': %s", r->name, local->message);
		return TRUE;
	}
	return TRUE;
}

/*
 * [output] hashes: keyed when a key is configured ([redact] key-file or
 * key-env), plain otherwise; keyed without a key is a configuration error.
 * With redaction off, only an explicit hashes=keyed reads the key.
 */
static gboolean
ids_setup(DpRedactor *rd, const DpConfig *cfg, gboolean enabled, GError **error)
{
	g_autofree char *h = dp_config_get_string(cfg, "output", "hashes");
	gboolean has_key = dp_config_has(cfg, "redact", "key-file") || dp_config_has(cfg, "redact", "key-env");
	DpHashes mode = DP_HASHES_PLAIN;
	if (h != NULL && g_str_equal(h, "none"))
		mode = DP_HASHES_NONE;
	else if ((h != NULL && g_str_equal(h, "keyed")) || (h == NULL && has_key && enabled))
		mode = DP_HASHES_KEYED;
	if (mode == DP_HASHES_KEYED && rd->key == NULL) {
		g_autofree char *kf = dp_config_get_string(cfg, "redact", "key-file");
		g_autofree char *ke = dp_config_get_string(cfg, "redact", "key-env");
		g_autofree char *path = kf ? dp_config_resolve_path(cfg, kf) : NULL;
		g_autoptr(GError) local = NULL;
		if (kf == NULL && ke == NULL)
			return config_error(error, cfg, "output", "hashes=keyed needs [redact] key-file or key-env");
		rd->key = dp_key_load(path, ke, &local);
		if (rd->key == NULL)
			return config_error(error, cfg, "output", "hashes=keyed: %s", local->message);
	}
	rd->ids = dp_ids_new(mode, mode == DP_HASHES_KEYED ? rd->key : NULL);
	return TRUE;
}

/* The state the matching reuses from one text to the next, sized for the rules. */
static void
scratch_init(DpRedactor *rd)
{
	rd->raw = g_array_new(FALSE, FALSE, sizeof(Cand));
	rd->refined = g_array_new(FALSE, FALSE, sizeof(Cand));
	rd->cands = g_array_new(FALSE, FALSE, sizeof(Cand));
	rd->last = g_array_sized_new(FALSE, TRUE, sizeof(guint), rd->rules->len + 1);
	g_array_set_size(rd->last, rd->rules->len + 1);
	rd->horizon = g_array_sized_new(FALSE, TRUE, sizeof(gsize), rd->rules->len);
	g_array_set_size(rd->horizon, rd->rules->len);
	rd->runs = g_array_new(FALSE, FALSE, sizeof(gsize));
	dp_view_init(&rd->view);
	rd->md = pcre2_match_data_create(4, NULL);
	rd->fixed = g_string_new(NULL);
	rd->ocr_email = G_MAXUINT;
	rd->addrs = g_array_new(FALSE, FALSE, sizeof(DpRange));
	rd->found = g_array_new(FALSE, FALSE, sizeof(DpRange));
	dp_header_names_init(&rd->hnames);
	rd->ocr_digit_rules = g_array_new(FALSE, FALSE, sizeof(guint));
	for (guint i = 0; i < rd->rules->len; i++) {
		const Rule *r = rd->rules->pdata[i];
		if (r->det == NULL)
			continue;
		if (g_str_equal(r->det->name, "email"))
			rd->ocr_email = i;
		else if (g_str_equal(r->det->name, "ssn") || g_str_equal(r->det->name, "card") ||
		         g_str_equal(r->det->name, "phone"))
			g_array_append_val(rd->ocr_digit_rules, i);
	}
}

/*
 * With [redact] enabled=false (--no-redact) the redactor has no rules and
 * passes every text through: nothing else is read, checked or compiled (no
 * term lists, no key, no Hyperscan database or its cache), so that a run
 * without redaction pays nothing for it.  Otherwise: the built-in rules,
 * the custom ones, the allow list, the key, then one database for all.
 */
DpRedactor *
dp_redactor_new(DpConfig *cfg, GError **error)
{
	g_autoptr(DpRedactor) rd = g_new0(DpRedactor, 1);
	rd->rules = g_ptr_array_new_with_free_func(rule_free);
	if (!dp_config_get_bool(cfg, "redact", "enabled"))
		return ids_setup(rd, cfg, FALSE, error) ? g_steal_pointer(&rd) : NULL;
	rd->validate = dp_config_get_bool(cfg, "redact", "validate");
	rd->no_cover = g_getenv("DOCPIPE_REDACT_NO_COVER") != NULL;
	rd->digits = (guint)dp_config_get_int(cfg, "redact", "pseudonym-digits");
	g_autofree char *ocr = dp_config_get_string(cfg, "redact", "ocr-tolerant");
	rd->ocr_mode = g_strcmp0(ocr, "always") == 0 ? OCR_ALWAYS : g_strcmp0(ocr, "never") == 0 ? OCR_NEVER : OCR_AUTO;
	rd->pats = g_array_new(FALSE, FALSE, sizeof(Pat));
	rd->digit_rules = g_array_new(FALSE, FALSE, sizeof(guint));
	g_auto(Exprs) ex = { 0 };
	exprs_init(&ex);

	rd->names = dp_names_new();
	if (!add_builtin_rules(rd, cfg, &ex, error) || !add_custom_rules(rd, cfg, &ex, error) ||
	    !add_person_rule(rd, cfg, error) || !load_allow(rd, cfg, &ex, error) || !load_key(rd, cfg, error) ||
	    !ids_setup(rd, cfg, TRUE, error) || !compile_db(rd, &ex, cfg, error))
		return NULL;
	if (ex.wrote)
		cache_prune(ex.cached);
	dp_names_seal(rd->names);
	scratch_init(rd);
	rd->header_names = rd->person_rule != G_MAXUINT && rd->ocr_email != G_MAXUINT;
	return g_steal_pointer(&rd);
}

/* ---- matching ------------------------------------------------------------ */

/* A letter or digit: terms are whole words; "_" separates words in file names. */
/*
 * Add C to rd->raw during the scan: written in place, the array grown by
 * doubling and cut to rd->nraw after it, since a g_array_append_val() call
 * per match (60,000 in 20 MB of the bench text) cost more than the write.
 */
static inline void
raw_push(DpRedactor *rd, const Cand *c)
{
	if (rd->nraw == rd->raw->len)
		g_array_set_size(rd->raw, MAX(2 * rd->raw->len, 256));
	g_array_index(rd->raw, Cand, rd->nraw++) = *c;
}

static gboolean
word_byte(const char *v, gsize vlen, gsize pos)
{
	guchar c = (guchar)v[pos];
	if (c < 0x80)
		return g_ascii_isalnum(c);
	const char *start = g_utf8_find_prev_char(v, v + pos + 1);
	if (start == NULL)
		return FALSE;
	gunichar ch = g_utf8_get_char_validated(start, (gssize)(vlen - (gsize)(start - v)));
	return ch != (gunichar)-1 && ch != (gunichar)-2 && g_unichar_isalnum(ch);
}

static int
on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx)
{
	DpRedactor *rd = ctx;
	const Pat *pat = &g_array_index(rd->pats, Pat, id);
	const char *v = rd->view.text;
	gsize vlen = rd->view.len;
	if (pat->len > 0)
		from = to - pat->len;
	if (pat->kind != PK_REGEX) {
		/* Terms and allow entries are whole words. */
		if (pat->word_start && from > 0 && word_byte(v, vlen, from - 1))
			return 0;
		if (pat->word_end && to < vlen && word_byte(v, vlen, to))
			return 0;
	}
	if (pat->kind == PK_ANCHOR) {
		Cand c = { .rule = pat->rule, .vs = (gsize)from, .ve = (gsize)to, .anchor = TRUE };
		raw_push(rd, &c);
		return 0;
	}
	guint slot = pat->rule == ALLOW_RULE ? rd->rules->len : pat->rule;
	guint *last = &g_array_index(rd->last, guint, slot);
	if (*last > 0) {
		/* Same rule, same start, a later end: keep the longest. */
		Cand *c = &g_array_index(rd->raw, Cand, *last - 1);
		if (c->vs == from) {
			c->ve = MAX(c->ve, (gsize)to);
			return 0;
		}
	}
	Cand c = { pat->rule, (gsize)from, (gsize)to, pat->kind == PK_ALLOW, pat->term, FALSE, FALSE };
	raw_push(rd, &c);
	*last = rd->nraw;
	return 0;
}

static void
pcre_scan(DpRedactor *rd, guint ri, const Rule *r)
{
	const char *v = rd->view.text;
	gsize len = rd->view.len;
	PCRE2_SIZE start = 0;
	while (start <= len) {
		int rc = pcre2_match(r->re, (PCRE2_SPTR)v, len, start, 0, rd->md, NULL);
		if (rc < 0)
			break;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rd->md);
		if (ov[1] > ov[0]) {
			Cand c = { ri, ov[0], ov[1], FALSE, 0, FALSE, FALSE };
			g_array_append_val(rd->raw, c);
			start = ov[1];
		} else {
			start = ov[1] + 1;
			while (start < len && ((guchar)v[start] & 0xC0) == 0x80)
				start++;
		}
	}
}

static inline int
cmp_cand(gconstpointer a, gconstpointer b)
{
	const Cand *x = a, *y = b;
	if (x->vs != y->vs)
		return x->vs < y->vs ? -1 : 1;
	if (x->ve != y->ve)
		return x->ve > y->ve ? -1 : 1;
	if (x->allowed != y->allowed)
		return x->allowed ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/*
 * Sort candidates.  They come nearly sorted (Hyperscan reports matches in
 * the order they end, and every trigger is short), so an insertion sort is
 * linear in practice; when the input is far from sorted (PCRE2 matches
 * appended after the scan's, say), it gives up and merge-sorts.
 */
static void
sort_cands(GArray *a)
{
	Cand *c = (Cand *)(void *)a->data;
	guint n = a->len;
	guint64 budget = 8 * (guint64)n + 1024;
	for (guint i = 1; i < n; i++) {
		if (cmp_cand(&c[i - 1], &c[i]) <= 0)
			continue;
		Cand x = c[i];
		guint j = i;
		while (j > 0 && cmp_cand(&c[j - 1], &x) > 0) {
			c[j] = c[j - 1];
			j--;
			if (--budget == 0) {
				c[j] = x;
				g_array_sort(a, cmp_cand);
				return;
			}
		}
		c[j] = x;
	}
}

/* Does the view span [VS, VE) of TEXT start in SCOPE? */
static gboolean
in_scope(DpRedactor *rd, const char *text, const OcrScope *scope, gsize vs, gsize ve)
{
	if (scope->all)
		return TRUE;
	gsize os, oe;
	dp_view_span(&rd->view, text, vs, ve, &os, &oe);
	/* The last range that starts at or before OS. */
	const OcrRange *r = (const OcrRange *)(void *)scope->ranges->data;
	guint lo = 0, hi = scope->ranges->len;
	while (hi - lo > 1) {
		guint mid = (lo + hi) / 2;
		if (r[mid].s <= os)
			lo = mid;
		else
			hi = mid;
	}
	return hi > 0 && os >= r[lo].s && os < r[lo].e;
}

/*
 * The OCR-tolerant candidates of TEXT (ocrtol.c), added to REFINED: the
 * damaged e-mail addresses, and the numbers the ssn, card and phone
 * detectors find and validate once OCR's letters are made digits (only
 * those that hold such a letter: the others the normal pass has seen).
 * Only the candidates that start in SCOPE are kept.
 */
static void
ocr_find(DpRedactor *rd, const char *text, const OcrScope *scope, GArray *refined)
{
	const char *v = rd->view.text;
	gsize vlen = rd->view.len;
	guint first = refined->len;
	if (rd->ocr_email != G_MAXUINT) {
		gsize h = 0;
		DpCands dc = { rd->ocr_email, refined, &h, NULL, NULL, NULL, FALSE };
		dp_ocr_emails(v, vlen, &dc);
	}
	if (rd->ocr_digit_rules->len > 0 && dp_ocr_fix_digits(v, vlen, rd->fixed)) {
		const char *f = rd->fixed->str;
		DpView fv = rd->view;
		fv.text = rd->fixed->str;
		g_array_set_size(rd->runs, 0);
		dp_view_digit_runs(&fv, rd->runs);
		gsize *horizon = (gsize *)(void *)rd->horizon->data;
		memset(horizon, 0, sizeof(gsize) * rd->rules->len);
		guint mark = refined->len;
		for (guint k = 0; k < rd->runs->len; k++) {
			gsize d = g_array_index(rd->runs, gsize, k);
			for (guint j = 0; j < rd->ocr_digit_rules->len; j++) {
				guint ri = g_array_index(rd->ocr_digit_rules, guint, j);
				const Rule *r = rd->rules->pdata[ri];
				DpCands dc = { ri, refined, &horizon[ri], rd->phone, &rd->view, text, FALSE };
				r->det->at_digit(f, vlen, d, rd->validate, &dc);
			}
		}
		/* Keep the numbers that needed a letter made a digit. */
		guint w = mark;
		for (guint i = mark; i < refined->len; i++) {
			const Cand *c = &g_array_index(refined, Cand, i);
			if (memcmp(v + c->vs, f + c->vs, c->ve - c->vs) != 0)
				g_array_index(refined, Cand, w++) = *c;
		}
		g_array_set_size(refined, w);
	}
	guint w = first;
	for (guint i = first; i < refined->len; i++) {
		const Cand *c = &g_array_index(refined, Cand, i);
		if (in_scope(rd, text, scope, c->vs, c->ve))
			g_array_index(refined, Cand, w++) = *c;
	}
	g_array_set_size(refined, w);
}

/*
 * The variant of a listed name around the anchor word C, added to REFINED
 * with its entry; an anchor inside the last name found (*HORIZON) is
 * already part of it.
 */
static void
name_at_anchor(DpRedactor *rd, const Cand *c, gsize *horizon, GArray *refined)
{
	gsize ms, me;
	guint entry;
	if (c->vs < *horizon || !dp_names_match(rd->names, rd->view.text, rd->view.len, c->vs, c->ve, &ms, &me, &entry))
		return;
	Cand n = { dp_names_rule(rd->names, entry), ms, me, FALSE, entry + 1, FALSE, FALSE };
	g_array_append_val(refined, n);
	*horizon = me;
}

/*
 * The candidates of the view of TEXT, chosen into rd->cands (see find()).
 * With COVER, a phone number is not looked for inside a number an earlier
 * rule found at the same run of digits (dp_cands_covered): a third of the
 * scan's time went to parsing SSNs, cards, IBANs and IPv4 addresses as
 * phone numbers that could only lose to them.  Returns FALSE when such a
 * number was not chosen after all, and the choice must be made again
 * without COVER.
 */
static gboolean
choose(DpRedactor *rd, const char *text, const OcrScope *scope, gboolean cover)
{
	g_array_set_size(rd->raw, 0);
	g_array_set_size(rd->cands, 0);
	memset(rd->last->data, 0, sizeof(guint) * rd->last->len);
	rd->nraw = 0;
	if (rd->db != NULL)
		hs_scan(rd->db, rd->view.text, (unsigned int)MIN(rd->view.len, G_MAXUINT), 0, rd->scratch, on_match,
		        rd);
	g_array_set_size(rd->raw, rd->nraw);
	for (guint i = 0; i < rd->rules->len; i++) {
		const Rule *r = rd->rules->pdata[i];
		if (r->re != NULL)
			pcre_scan(rd, i, r);
	}
	/* Refine and validate, in text order (the horizons need it). */
	sort_cands(rd->raw);
	GArray *refined = rd->refined;
	g_array_set_size(refined, 0);
	gsize *horizon = (gsize *)(void *)rd->horizon->data;
	memset(horizon, 0, sizeof(gsize) * rd->rules->len);
	/*
	 * Two streams in text order: the scan's candidates and the starts of
	 * the runs of digits (for the number-shaped detectors).  Each rule
	 * sees its own triggers in order; merging keeps REFINED nearly sorted.
	 */
	const guint *digit_rules = (const guint *)(void *)rd->digit_rules->data;
	g_array_set_size(rd->runs, 0);
	if (rd->digit_rules->len > 0)
		dp_view_digit_runs(&rd->view, rd->runs);
	const gsize *digits = (const gsize *)(void *)rd->runs->data;
	guint nd = rd->runs->len, k = 0;
	/* Filled once: only the rule and its horizon change from call to call. */
	DpCands dc = { 0, refined, NULL, rd->phone, &rd->view, text, FALSE };
	gsize names_horizon = 0;
	for (guint i = 0; i <= rd->raw->len; i++) {
		const Cand *c = i < rd->raw->len ? &g_array_index(rd->raw, Cand, i) : NULL;
		for (; k < nd && (c == NULL || digits[k] <= c->vs); k++) {
			if (dp_digits_alone(rd->view.text, rd->view.len, digits[k]))
				continue;
			dc.may_cover = cover;
			for (guint d = 0; d < rd->digit_rules->len; d++) {
				guint ri = digit_rules[d];
				const Rule *r = rd->rules->pdata[ri];
				dc.rule = ri;
				dc.horizon = &horizon[ri];
				r->det->at_digit(rd->view.text, rd->view.len, digits[k], rd->validate, &dc);
			}
		}
		if (c == NULL)
			break;
		if (c->anchor) {
			name_at_anchor(rd, c, &names_horizon, refined);
			continue;
		}
		/* A listed name found as written needs no variant: its words are not tried. */
		if (c->term > 0)
			names_horizon = MAX(names_horizon, c->ve);
		const Rule *r = c->rule == ALLOW_RULE ? NULL : rd->rules->pdata[c->rule];
		if (r != NULL && r->det != NULL) {
			dc.may_cover = FALSE;
			dc.rule = c->rule;
			dc.horizon = &horizon[c->rule];
			r->det->refine(rd->view.text, rd->view.len, c->vs, c->ve, rd->validate, &dc);
		} else {
			g_array_append_val(refined, *c);
		}
	}
	if (scope != NULL)
		ocr_find(rd, text, scope, refined);
	/* A value on the allow list is never redacted, whichever rule found it. */
	if (rd->allow != NULL && g_hash_table_size(rd->allow) > 0) {
		for (guint i = 0; i < refined->len; i++) {
			Cand *c = &g_array_index(refined, Cand, i);
			if (c->allowed)
				continue;
			g_autofree char *key = dp_view_casefold(rd->view.text + c->vs, (gssize)(c->ve - c->vs));
			c->allowed = g_hash_table_contains(rd->allow, key);
		}
	}
	sort_cands(refined);
	/* Written in place and cut to length after: an append call each cost 1% of a run. */
	g_array_set_size(rd->cands, refined->len);
	Cand *chosen = (Cand *)(void *)rd->cands->data;
	guint w = 0;
	gsize pos = 0;
	for (guint i = 0; i < refined->len; i++) {
		const Cand *c = &g_array_index(refined, Cand, i);
		if (c->vs < pos) {
			/* Overlaps a span already taken; what it covered must be looked for after all. */
			if (c->covers) {
				g_array_set_size(rd->cands, 0);
				return FALSE;
			}
			continue;
		}
		chosen[w++] = *c;
		pos = c->ve;
	}
	g_array_set_size(rd->cands, w);
	return TRUE;
}

/*
 * Find the matches of TEXT: fills rd->cands with the chosen,
 * non-overlapping candidates in view offsets (allowed ones included, marked).
 * With SCOPE (not NULL), the OCR-tolerant scans add their candidates too.
 */
static void
find(DpRedactor *rd, const char *text, gsize len, const OcrScope *scope)
{
	g_array_set_size(rd->raw, 0);
	g_array_set_size(rd->cands, 0);
	dp_view_build(&rd->view, text, len);
	if (rd->view.len == 0)
		return;
	if (rd->no_cover || !choose(rd, text, scope, TRUE))
		(void)choose(rd, text, scope, FALSE);
}

/*
 * The next chosen candidate from *I on that is redacted, with its span
 * [*OS, *OE) in the original TEXT, starting at FROM or later (two view
 * spans can map to overlapping original bytes); NULL after the last.
 * The spans come in text order, as dp_view_span is fastest with.
 */
static const Cand *
next_span(DpRedactor *rd, const char *text, guint *i, gsize from, gsize *os, gsize *oe)
{
	while (*i < rd->cands->len) {
		const Cand *c = &g_array_index(rd->cands, Cand, *i);
		(*i)++;
		if (c->allowed)
			continue;
		dp_view_span(&rd->view, text, c->vs, c->ve, os, oe);
		*os = MAX(*os, from);
		if (*oe > *os)
			return c;
	}
	return NULL;
}

/* The scope of a text nothing is known about: all of it with ocr-tolerant=always. */
static const OcrScope *
default_scope(const DpRedactor *rd)
{
	static const OcrScope all = { TRUE, NULL };
	return rd->ocr_mode == OCR_ALWAYS ? &all : NULL;
}

static void
find_spans(DpRedactor *rd, const char *text, gsize len, const OcrScope *scope, GArray *matches)
{
	if (rd->rules->len == 0)
		return;
	find(rd, text, len, scope);
	guint i = 0;
	gsize prev = 0, os, oe;
	const Cand *c;
	while ((c = next_span(rd, text, &i, prev, &os, &oe)) != NULL) {
		DpSpan s = { c->rule, os, oe - os, oe - os };
		g_array_append_val(matches, s);
		prev = oe;
	}
}

void
dp_redactor_find(DpRedactor *rd, const char *text, gsize len, GArray *matches)
{
	find_spans(rd, text, len, default_scope(rd), matches);
}

/*
 * Append N bytes at P to OUT: a copy when they fit, as they nearly always
 * do (OUT is sized for the whole text and replacements are mostly shorter
 * than what they replace); g_string_append_len() was 2% of a run for its
 * checks alone.
 */
static inline void
out_append(GString *out, const char *p, gsize n)
{
	if (G_UNLIKELY(out->len + n >= out->allocated_len)) {
		g_string_append_len(out, p, (gssize)n);
		return;
	}
	memcpy(out->str + out->len, p, n);
	out->len += n;
	out->str[out->len] = '\0';
}

/*
 * Append to OUT what replaces the original span [OS, OE) of TEXT matched
 * by RULE: the candidate C, or (C NULL) a display name.  A pseudonym is
 * keyed by the term-list entry when there is one, else by the value.
 */
static void
replace(DpRedactor *rd, GString *out, guint rule, const Cand *c, const char *text, gsize os, gsize oe, GArray *spans)
{
	const Rule *r = rd->rules->pdata[rule];
	gsize at = out->len;
	switch (r->op) {
	case DP_OP_LABEL: out_append(out, r->label, strlen(r->label)); break;
	case DP_OP_MASK: dp_mask_append(out, text + os, oe - os, r->mask); break;
	case DP_OP_PSEUDONYM: {
		g_autofree char *canon = NULL;
		if (c == NULL)
			canon = dp_names_key(text + os, oe - os);
		else if (c->term > 0)
			canon = g_strdup(dp_names_canon(rd->names, c->term - 1));
		else
			canon = canonical_value(r, rd->view.text + c->vs, c->ve - c->vs);
		g_autofree char *tok = dp_pseudonym(rd->key, r->label, canon, strlen(canon), rd->digits);
		g_string_append(out, tok);
		break;
	}
	case DP_OP_REMOVE: break;
	}
	if (spans) {
		DpSpan s = { rule, at, out->len - at, oe - os };
		g_array_append_val(spans, s);
	}
}

/*
 * The display names of the redacted addresses in TEXT, into rd->found
 * (headers.c): the addresses are the email rule's chosen matches, in
 * rd->cands from find().
 */
static void
find_header_names(DpRedactor *rd, const char *text, gsize len, gboolean header, gboolean all_items)
{
	g_array_set_size(rd->addrs, 0);
	for (guint i = 0; i < rd->cands->len; i++) {
		const Cand *c = &g_array_index(rd->cands, Cand, i);
		if (c->rule != rd->ocr_email || c->allowed)
			continue;
		DpRange a;
		dp_view_span(&rd->view, text, c->vs, c->ve, &a.s, &a.e);
		g_array_append_val(rd->addrs, a);
	}
	dp_header_names_find(&rd->hnames, text, len, (const DpRange *)(void *)rd->addrs->data, rd->addrs->len, header,
	                     all_items, rd->found);
}

/*
 * Redact TEXT with SCOPE (the OCR-tolerant scans), adding its DpSpans to
 * SPANS; HEADER: TEXT is an address header's value, and ALL_ITEMS its
 * every item a name (see find_header_names()).
 */
static GString *
apply(DpRedactor *rd, const char *text, gsize len, const OcrScope *scope, gboolean header, gboolean all_items,
      GArray *spans)
{
	GString *out = g_string_sized_new(len + 16);
	dp_prefault(out->str, len + 16);
	if (rd->rules->len == 0) {
		g_string_append_len(out, text, (gssize)len);
		return out;
	}
	find(rd, text, len, scope);
	g_array_set_size(rd->found, 0);
	if (rd->header_names)
		find_header_names(rd, text, len, header, all_items);
	/*
	 * Two streams in text order: the chosen matches and the names.  A name
	 * that overlaps a match gives way to it (a listed name, whose
	 * pseudonym is its entry's).
	 */
	const DpRange *nr = (const DpRange *)(void *)rd->found->data;
	guint nn = rd->found->len, ni = 0;
	guint i = 0;
	gsize pos = 0, os = 0, oe = 0;
	for (;;) {
		const Cand *c = next_span(rd, text, &i, pos, &os, &oe);
		for (; ni < nn && (c == NULL || nr[ni].e <= os); ni++) {
			if (nr[ni].s < pos)
				continue;
			out_append(out, text + pos, nr[ni].s - pos);
			replace(rd, out, rd->person_rule, NULL, text, nr[ni].s, nr[ni].e, spans);
			pos = nr[ni].e;
		}
		while (ni < nn && c != NULL && nr[ni].s < oe)
			ni++;
		if (c == NULL)
			break;
		out_append(out, text + pos, os - pos);
		replace(rd, out, c->rule, c, text, os, oe, spans);
		pos = oe;
	}
	out_append(out, text + pos, len - pos);
	return out;
}

GString *
dp_redactor_apply(DpRedactor *rd, const char *text, gsize len, GArray *spans)
{
	return apply(rd, text, len, default_scope(rd), FALSE, FALSE, spans);
}

/* ---- records ------------------------------------------------------------- */

/* Add "redacted: RULE FIELD COUNT OFF+LEN ..." lines for SPANS. */
static void
note_spans(DpRedactor *rd, DpRecord *rec, const char *field, GArray *spans)
{
	/* Most fields and bodies have nothing redacted. */
	if (spans->len == 0)
		return;
	/* One pass over the spans, one line per rule that has some, in rule order. */
	guint nrules = rd->rules->len;
	g_autofree guint *count = g_new0(guint, nrules);
	g_autofree GString **pos = g_new0(GString *, nrules);
	for (guint i = 0; i < spans->len; i++) {
		const DpSpan *sp = &g_array_index(spans, DpSpan, i);
		if (sp->rule >= nrules)
			continue;
		if (pos[sp->rule] == NULL)
			pos[sp->rule] = g_string_sized_new(64);
		count[sp->rule]++;
		/* " OFF+LEN", without printf (a mailbox has many of these). */
		char buf[2 * 24 + 3], *e = buf + sizeof buf, *q = e;
		gsize v = sp->length;
		do
			*--q = (char)('0' + v % 10);
		while ((v /= 10) > 0);
		*--q = '+';
		v = sp->offset;
		do
			*--q = (char)('0' + v % 10);
		while ((v /= 10) > 0);
		*--q = ' ';
		g_string_append_len(pos[sp->rule], q, e - q);
	}
	for (guint rule = 0; rule < nrules; rule++) {
		if (pos[rule] == NULL)
			continue;
		g_autofree char *v =
		    g_strdup_printf("%s %s %u%s", dp_redactor_rule_name(rd, rule), field, count[rule], pos[rule]->str);
		dp_record_add(rec, DP_F_REDACTED, v);
		g_string_free(pos[rule], TRUE);
	}
}

/*
 * Carrying positions in FIELD before SPANS replaced what they did over to
 * FIELD after: each is shifted by the growth or shrinking of every
 * replacement that ended before it.  Positions come in increasing order,
 * so the walk over SPANS goes on where the last one stopped (it starts
 * again when one does not).
 */
typedef struct {
	GArray *spans;
	guint next;   /* the first span not yet passed */
	gssize delta; /* the shift of the spans before it */
	gsize last;   /* the last position asked */
} Shift;

static gsize
shift_offset(Shift *sh, gsize off)
{
	if (off < sh->last) {
		sh->next = 0;
		sh->delta = 0;
	}
	sh->last = off;
	for (; sh->next < sh->spans->len; sh->next++) {
		const DpSpan *sp = &g_array_index(sh->spans, DpSpan, sh->next);
		gsize src_off = (gsize)((gssize)sp->offset - sh->delta);
		if (src_off + sp->src_length > off)
			break;
		sh->delta += (gssize)sp->length - (gssize)sp->src_length;
	}
	return (gsize)((gssize)off + sh->delta);
}

/*
 * The "redacted" lines REC had for FIELD before this pass (the PDF
 * extractor's covered labels, an earlier redaction's) give positions in
 * the text SPANS has just rewritten: carry them over, or a label found
 * after an e-mail address that was shortened would point past it.
 */
static void
shift_noted(DpRecord *rec, const char *field, GArray *spans)
{
	if (spans->len == 0)
		return;
	for (guint i = 0; i < rec->fields->len; i++) {
		DpField *f = rec->fields->pdata[i];
		if (!g_str_equal(f->key, DP_F_REDACTED))
			continue;
		g_auto(GStrv) w = g_strsplit(f->value, " ", -1);
		if (g_strv_length(w) < 4 || !g_str_equal(w[1], field))
			continue;
		Shift sh = { spans, 0, 0, 0 };
		GString *v = g_string_new(NULL);
		g_string_append_printf(v, "%s %s %s", w[0], w[1], w[2]);
		for (guint k = 3; w[k] != NULL; k++) {
			char *plus = NULL;
			guint64 off = g_ascii_strtoull(w[k], &plus, 10);
			if (plus == NULL || *plus != '+' || plus == w[k])
				g_string_append_printf(v, " %s", w[k]);
			else
				g_string_append_printf(v, " %" G_GSIZE_FORMAT "%s", shift_offset(&sh, (gsize)off),
				                       plus);
		}
		g_free(f->value);
		f->value = g_string_free(v, FALSE);
	}
}

/* Withhold WORD, which rule RULE matched. */
static void
withhold(DpRedactor *rd, DpWord *word, guint rule)
{
	if (word->text == NULL)
		return;
	g_clear_pointer(&word->text, g_free);
	word->rule = g_strdup(dp_redactor_rule_name(rd, rule));
}

/* Withhold every word of one page's WORDS that a rule matches (see the top of this file). */
static void
withhold_words(DpRedactor *rd, GArray *words, const OcrScope *scope)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autofree gsize *start = g_new(gsize, words->len + 1);
	static const char *const sep[] = { " ", "\n", "\n\n" };
	for (guint i = 0; i < words->len; i++) {
		const DpWord *w = &g_array_index(words, DpWord, i);
		if (i > 0)
			g_string_append(text, sep[w->brk]);
		start[i] = text->len;
		if (w->text != NULL)
			g_string_append(text, w->text);
	}
	/* Where each word ends; a withheld word is empty. */
	g_autofree gsize *stop = g_new(gsize, words->len + 1);
	for (guint i = 0; i < words->len; i++) {
		const DpWord *w = &g_array_index(words, DpWord, i);
		stop[i] = start[i] + (w->text != NULL ? strlen(w->text) : 0);
	}
	g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(DpSpan));
	find_spans(rd, text->str, text->len, scope, spans);
	/* Spans come in text order, as the words do. */
	guint k = 0;
	for (guint s = 0; s < spans->len; s++) {
		const DpSpan *sp = &g_array_index(spans, DpSpan, s);
		gsize end = sp->offset + sp->length;
		while (k < words->len && stop[k] <= sp->offset)
			k++;
		for (guint i = k; i < words->len && start[i] < end; i++)
			withhold(rd, &g_array_index(words, DpWord, i), sp->rule);
	}
	for (guint i = 0; i < words->len; i++) {
		DpWord *w = &g_array_index(words, DpWord, i);
		if (w->text == NULL)
			continue;
		g_array_set_size(spans, 0);
		find_spans(rd, w->text, strlen(w->text), scope, spans);
		if (spans->len > 0)
			withhold(rd, w, g_array_index(spans, DpSpan, 0).rule);
	}
}

/*
 * The ocr-words lines of REC, page by page, with the words rules match
 * withheld.  They are written again at the end of the record, in the same
 * order; a line that does not parse is dropped, not passed on unread.
 */
static void
redact_words(DpRedactor *rd, DpRecord *rec)
{
	/* The words were read by OCR: the tolerant scans apply unless they are off. */
	static const OcrScope all = { TRUE, NULL };
	const OcrScope *scope = rd->ocr_mode == OCR_NEVER ? NULL : &all;
	g_autoptr(GPtrArray) in = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *f = rec->fields->pdata[i];
		if (g_str_equal(f->key, DP_F_OCR_WORDS))
			g_ptr_array_add(in, g_strdup(f->value));
	}
	if (in->len == 0)
		return;
	dp_record_set(rec, DP_F_OCR_WORDS, NULL);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	guint i = 0;
	while (i < in->len) {
		g_autoptr(GArray) words = dp_words_new();
		guint page = 0;
		const char *unit = NULL;
		if (!dp_words_decode(in->pdata[i++], &page, &unit, words))
			continue;
		/* The page's other lines, which follow it. */
		while (i < in->len && g_ascii_strtoull(in->pdata[i], NULL, 10) == page) {
			guint same = 0;
			const char *u = NULL;
			(void)dp_words_decode(in->pdata[i++], &same, &u, words);
		}
		withhold_words(rd, words, scope);
		dp_words_encode(out, page, unit, words);
	}
	for (guint j = 0; j < out->len && j < DP_WORDS_MAX_LINES; j++)
		dp_record_add(rec, DP_F_OCR_WORDS, out->pdata[j]);
}

/*
 * Does a PDF's producer or creator name OCR software?  Such a text layer
 * was made by OCR, whatever its pages say ("ABBYY FineReader", "OmniPage",
 * "Tesseract", "ocrmypdf", "Adobe Acrobat 9.0 Paper Capture Plug-in").
 */
static gboolean
ocr_producer(const char *s)
{
	static const char *const names[] = { "abbyy",      "finereader",    "omnipage",           "tesseract",
		                             "ocrmypdf",   "paper capture", "readiris",           "clearscan",
		                             "textbridge", "scansoft",      "recognition server", NULL };
	if (s == NULL)
		return FALSE;
	g_autofree char *low = g_ascii_strdown(s, -1);
	for (guint i = 0; names[i]; i++)
		if (strstr(low, names[i]) != NULL)
			return TRUE;
	/* "OCR" as a word of its own. */
	for (const char *p = low; (p = strstr(p, "ocr")) != NULL; p++)
		if ((p == low || !g_ascii_isalnum(p[-1])) && !g_ascii_isalnum(p[3]))
			return TRUE;
	return FALSE;
}

/*
 * The pages of REC whose text came from OCR, as one list ("PAGE[:CONF]
 * ..."), or NULL: those its "ocr" field names (read by OCR here), then
 * those of meta.ocr-layer-pages (a text layer OCR software made, laid
 * invisibly over a scan: extract/pdf-ocr.c).
 */
static char *
ocr_pages(const DpRecord *rec)
{
	const char *read = dp_record_get(rec, DP_F_OCR);
	const char *layer = dp_record_get(rec, DP_META_PREFIX "ocr-layer-pages");
	if (read == NULL && layer == NULL)
		return NULL;
	return g_strjoin(" ", read ? read : layer, read ? layer : NULL, NULL);
}

/*
 * The original byte ranges of REC's body on the pages ocr_pages() names:
 * the body's pages are separated by form feeds, and the first is page 1,
 * or the first of meta.page-range.
 */
static void
ocr_page_ranges(const DpRecord *rec, GArray *ranges)
{
	g_autofree char *list = ocr_pages(rec);
	if (list == NULL)
		return;
	guint64 first = 1;
	const char *range = dp_record_get(rec, DP_META_PREFIX "page-range");
	if (range != NULL)
		first = MAX(g_ascii_strtoull(range, NULL, 10), 1);
	/* The start of every page of the body. */
	g_autoptr(GArray) starts = g_array_new(FALSE, FALSE, sizeof(gsize));
	const char *b = rec->body->str, *e = b + rec->body->len;
	gsize zero = 0;
	g_array_append_val(starts, zero);
	for (const char *p = b; (p = memchr(p, '\f', (gsize)(e - p))) != NULL; p++) {
		gsize at = (gsize)(p - b) + 1;
		g_array_append_val(starts, at);
	}
	/* A page listed twice counts once: the ranges are kept sorted and apart. */
	g_autofree gboolean *seen = g_new0(gboolean, starts->len);
	g_auto(GStrv) pages = g_strsplit(list, " ", -1);
	for (guint i = 0; pages[i]; i++) {
		guint64 pg = g_ascii_strtoull(pages[i], NULL, 10);
		if (pg < first || pg - first >= starts->len)
			continue;
		seen[pg - first] = TRUE;
	}
	for (guint k = 0; k < starts->len; k++) {
		if (!seen[k])
			continue;
		OcrRange r = { g_array_index(starts, gsize, k),
			       k + 1 < starts->len ? g_array_index(starts, gsize, k + 1) : rec->body->len };
		g_array_append_val(ranges, r);
	}
}

/* Is header field KEY of a printed message one that holds addresses? */
static gboolean
printed_address_field(const char *key)
{
	static const char *const f[] = { DP_META_PREFIX "from", DP_META_PREFIX "to", DP_META_PREFIX "cc",
		                         DP_META_PREFIX "bcc", NULL };
	return g_strv_contains(f, key);
}

/* Is KEY a message's address header (real or printed), whose display names are names? */
static gboolean
address_field(const char *key)
{
	static const char *const f[] = { DP_META_PREFIX "from",
		                         DP_META_PREFIX "to",
		                         DP_META_PREFIX "cc",
		                         DP_META_PREFIX "bcc",
		                         DP_META_PREFIX "reply-to",
		                         DP_META_PREFIX "sender",
		                         NULL };
	return g_strv_contains(f, key);
}

/* Does LIST ("PAGE:CONF ...", the "ocr" field) name PAGE? */
static gboolean
page_listed(const char *list, guint64 page)
{
	for (const char *p = list; p != NULL && *p != '\0';) {
		char *end;
		guint64 pg = g_ascii_strtoull(p, &end, 10);
		if (end != p && pg == page)
			return TRUE;
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	return FALSE;
}

/*
 * Is REC, a printed message, a part of the OCR'd record before it, from a
 * page OCR read?  Then its body came from OCR as well.
 */
static gboolean
printed_from_ocr(const DpRedactor *rd, const DpRecord *rec)
{
	const char *parent = dp_record_get(rec, DP_F_PARENT);
	if (rd->ocr_parent == NULL || parent == NULL || !g_str_equal(parent, rd->ocr_parent))
		return FALSE;
	if (rd->ocr_parent_all)
		return TRUE;
	const char *page = dp_record_get(rec, DP_META_PREFIX "page");
	return page != NULL && rd->ocr_parent_pages != NULL &&
	       page_listed(rd->ocr_parent_pages, g_ascii_strtoull(page, NULL, 10));
}

/*
 * Remember REC when its body came from OCR (SCOPE), for its printed
 * messages that follow; forget the last one when REC is neither one of
 * its parts nor OCR'd itself.
 */
static void
remember_ocr_parent(DpRedactor *rd, const DpRecord *rec, const OcrScope *scope)
{
	const char *id = dp_record_get(rec, DP_F_ID);
	if (scope == NULL || id == NULL) {
		const char *parent = dp_record_get(rec, DP_F_PARENT);
		if (rd->ocr_parent != NULL && parent != NULL && g_str_equal(parent, rd->ocr_parent))
			return;
		g_clear_pointer(&rd->ocr_parent, g_free);
		g_clear_pointer(&rd->ocr_parent_pages, g_free);
		return;
	}
	g_free(rd->ocr_parent);
	g_free(rd->ocr_parent_pages);
	rd->ocr_parent = g_strdup(id);
	rd->ocr_parent_all = scope->all;
	rd->ocr_parent_pages = ocr_pages(rec);
}

/* Is REC a printed message with an address in its From, To, Cc or Bcc? */
static gboolean
printed_with_address(DpRedactor *rd, const DpRecord *rec)
{
	if (!rd->header_names || g_strcmp0(dp_record_get(rec, DP_F_TYPE), DP_TYPE_PRINTED) != 0)
		return FALSE;
	static const OcrScope all = { TRUE, NULL };
	g_autoptr(GArray) m = g_array_new(FALSE, FALSE, sizeof(DpSpan));
	for (guint i = 0; i < rec->fields->len; i++) {
		const DpField *f = rec->fields->pdata[i];
		if (!printed_address_field(f->key))
			continue;
		/* As dp_redact_record() will scan it: the address fields of printed messages are OCR's. */
		find_spans(rd, f->value, strlen(f->value), rd->ocr_mode == OCR_NEVER ? NULL : &all, m);
		for (guint k = 0; k < m->len; k++)
			if (g_array_index(m, DpSpan, k).rule == rd->ocr_email)
				return TRUE;
	}
	return FALSE;
}

void
dp_redact_record(DpRedactor *rd, DpRecord *rec)
{
	/* The ids and hashes follow [output] hashes even with redaction off. */
	if (rd->rules->len == 0) {
		dp_ids_record(rd->ids, rd, rec, NULL);
		return;
	}
	const char *p = dp_record_get(rec, DP_F_PATH);
	g_autofree char *orig_path = p ? g_strdup(p) : NULL;
	/*
	 * What came from OCR ([redact] ocr-tolerant=auto): the body of a
	 * text layer OCR software made (by its producer's name), the pages OCR
	 * read or whose text layer lies invisibly over a scan, and the address
	 * fields of a printed message (read off paper, by OCR as often as
	 * not), and the whole of a printed message found on a page OCR read.
	 * Decided before anything is redacted.
	 */
	static const OcrScope all = { TRUE, NULL };
	g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(OcrRange));
	OcrScope body_scope = { FALSE, ranges };
	const OcrScope *body_ocr = NULL;
	gboolean printed = FALSE;
	if (rd->ocr_mode == OCR_ALWAYS) {
		body_ocr = &all;
	} else if (rd->ocr_mode == OCR_AUTO) {
		printed = g_strcmp0(dp_record_get(rec, DP_F_TYPE), DP_TYPE_PRINTED) == 0;
		if (ocr_producer(dp_record_get(rec, DP_META_PREFIX "producer")) ||
		    ocr_producer(dp_record_get(rec, DP_META_PREFIX "creator"))) {
			body_ocr = &all;
		} else {
			ocr_page_ranges(rec, ranges);
			if (ranges->len > 0)
				body_ocr = &body_scope;
		}
		if (printed && printed_from_ocr(rd, rec))
			body_ocr = &all;
		else
			remember_ocr_parent(rd, rec, body_ocr);
	}
	redact_words(rd, rec);
	dp_header_names_begin(&rd->hnames, rec, rd->header_names);
	/* A printed message's header is one block: with an address anywhere, all its items are names. */
	gboolean all_items = printed_with_address(rd, rec);
	g_autoptr(GArray) spans = g_array_new(FALSE, FALSE, sizeof(DpSpan));
	/* Header values first, in record order, then the body. */
	guint nfields = rec->fields->len;
	for (guint i = 0; i < nfields; i++) {
		DpField *f = rec->fields->pdata[i];
		if (!g_str_has_prefix(f->key, DP_META_PREFIX) && !g_str_equal(f->key, DP_F_PATH) &&
		    !g_str_equal(f->key, DP_F_ERROR))
			continue;
		g_array_set_size(spans, 0);
		const OcrScope *scope = default_scope(rd);
		if (printed && printed_address_field(f->key))
			scope = &all;
		gboolean header = address_field(f->key);
		GString *v = apply(rd, f->value, strlen(f->value), scope, header, header && all_items, spans);
		g_free(f->value);
		f->value = g_string_free(v, FALSE);
		if (spans->len > 0) {
			g_autofree char *key = g_strdup(f->key);
			note_spans(rd, rec, key, spans);
		}
	}
	dp_ids_record(rd->ids, rd, rec, orig_path);
	if (dp_record_get(rec, DP_F_DATA) == NULL) {
		g_array_set_size(spans, 0);
		GString *body = apply(rd, rec->body->str, rec->body->len, body_ocr, FALSE, FALSE, spans);
		g_string_free(rec->body, TRUE);
		rec->body = body;
		shift_noted(rec, "body", spans);
		note_spans(rd, rec, "body", spans);
	}
	dp_header_names_end(&rd->hnames, rec);
}

/* ---- identifiers (redact/ids.c) ---------------------------------------- */

const char *
dp_redactor_input_sha256(const DpRedactor *rd)
{
	return dp_ids_input_sha256(rd->ids);
}

char *
dp_redactor_hash(const DpRedactor *rd, const char *tag, const char *data)
{
	GBytes *key = rd != NULL ? dp_ids_key(rd->ids) : NULL;
	if (key != NULL)
		return dp_ids_hmac(key, tag, data);
	g_autoptr(GString) s = g_string_new(tag);
	g_string_append_c(s, '\0');
	g_string_append(s, data);
	return dp_sha256_hex(s->str, s->len);
}

char *
dp_redactor_output_name(DpRedactor *rd, const char *source, GBytes *name_key, gboolean *changed, gboolean *suffixed)
{
	g_autoptr(GString) out = dp_redactor_apply(rd, source, strlen(source), NULL);
	*changed = !g_str_equal(out->str, source);
	GBytes *key = rd->key != NULL ? rd->key : name_key;
	*suffixed = *changed && key != NULL;
	if (*suffixed) {
		g_autofree char *h = dp_ids_hmac(key, "docpipe-output-name", source);
		g_string_append_printf(out, "~%.8s", h);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}
