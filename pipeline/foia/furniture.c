/*
 * NAME
 *	furniture.c - the page furniture of FOIA releases made metadata
 *
 * DESCRIPTION
 *	A release prints the same furniture on every page: the banner
 *	("UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No.
 *	C05739545 Date: 05/13/2015"), the release stamp ("RELEASE IN PART
 *	B6"), exemption codes beside the blacked-out areas, the classification
 *	block, production stamps and Bates numbers.  The patterns that
 *	recognise them are regular expressions in config/furniture.conf
 *	(compiled into the program; its header documents the format) and in
 *	extra files of the same format.
 *
 *	dp_furniture_apply() reads the body page by page and line by line.
 *	Each line is tried whole, then column by column (pdftotext -layout
 *	puts a stamp in the right margin of a text line, three or more spaces
 *	away); a line whose every column is furniture is furniture.  The
 *	values go to meta.foia.* and one "exemption" field per code; unless
 *	the caller keeps it, the furniture leaves the text, which is then
 *	normalized again (dp_text_normalize keeps the form feeds between
 *	pages and collapses the blank lines the removal leaves).
 *
 *	Exemption codes are normalized ("b7 (c)", "(b)(7)(C)" and "B7(C)" are
 *	B7(C); "BG" is B6), and B3's statute goes into the meaning of its
 *	exemption field ("B3 2 Specifically exempted ... 552(b)(3) (statute:
 *	CIA PERS/ORG)"), so that a code never holds a space.  A document with
 *	codes but no readable release stamp was released in part.  The pages
 *	of a code are counted from the body's first page (a PDF read from
 *	page N on starts at 1).
 *
 *	The stamps of lines one under the other (or beside each other) are
 *	one stamp: a production stamp is printed over two or three lines.
 *	Stamps are recorded once each, compared by their letters and digits.
 *
 *	The summary of the classification block (meta.foia.classification)
 *	is its parts in a fixed order, each the first printed, separated by
 *	"; ": the level ("CONFIDENTIAL", "SECRET/NOFORN"), "Classified by:
 *	...", "Reason: 1.4(B), 1.4(D)", "Declassify on: 2034-03-12" (ISO when
 *	the printed date reads as M/D/Y), "Derived from: ...".  A level above
 *	UNCLASSIFIED wins over UNCLASSIFIED (a message's own marking).
 *
 *	The patterns are compiled by PCRE2 as GRegex would (UTF-8, Unicode
 *	properties, any line end) and matched into one match data per call.
 *	Nearly every line is text, so a pattern is tried on a piece only when
 *	the piece can start it, is long enough and holds what every match
 *	holds: what PCRE2 knows of the regex (its start bitmap, first and
 *	required code units) and the texts of its needs= key.
 *
 *	A built-in pattern is compiled the first time a piece passes the
 *	screens that need no compiling (its needs=, after=, indent, weak,
 *	beside-text, continues): compiling all of them was a third of a
 *	one-off conversion of a short text, whose lines ask for a few.  The
 *	screens only leave out what the regex would refuse, so what is
 *	compiled when never changes a result.  A user's file is compiled as it
 *	is read, so that its mistakes are configuration errors; a process
 *	that forks a sandboxed child per document compiles them all first
 *	(dp_furniture_compile_all()), or each child would compile them again.
 *
 *	A long body (ACCEL_BYTES) is matched by JIT-compiled copies of the
 *	patterns, built once: compiling them costs more than the interpreter
 *	spends on a short document, and a sandboxed extraction compiles the
 *	patterns once per document.  After the furniture goes, the body is
 *	normalized only when dropping its misplaced empty lines does not leave
 *	it normal.
 *
 *	dp_furniture_apply() only reads the DpFurniture (each call has its
 *	own match data; each pattern's compiling and the JIT copies are done
 *	under g_once_init_enter()), so threads may share one.
 *
 *	Bare exemption codes are weak patterns: they count only in a
 *	document where other furniture gives a value, so that a table's "84"
 *	is not exemption B4.  A document with weak matches and nothing else
 *	is read a second time without them (the first pass already changed
 *	nothing but its own buffers).
 *
 *	A value printed on every page (case, document number, date) is the
 *	one printed most often, the first on a tie: a banner cut at the page
 *	edge gives a partial value once, the whole value on the other pages.
 *
 * SECURITY
 *	The body is untrusted.  Every regular expression is anchored and
 *	tried only on one line (at most MAX_LINE bytes) or one column of it
 *	(at most MAX_PIECE bytes), each line once, so the work is linear in
 *	the body's size whatever it holds.  Lines that are not valid UTF-8
 *	are never furniture.  A JIT match that fails on a limit (its stack,
 *	the match limit, which the JIT counts its own way) is run again by the
 *	interpreter, so that the JIT never changes what matches.  The screens
 *	before a match only leave out pieces that PCRE2 would refuse (needs=
 *	is the pattern author's word for it).  The values kept are bounded in
 *	number and size (MAX_CODES, MAX_PAGES_LISTED, MAX_STAMPS, MAX_VOTES,
 *	MAX_PIECE).
 *	The pattern files are configuration, trusted as such.
 */
#include "foia/furniture.h"

#include "core/text.h"
#include "util/exitcode.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>

#include "util/banned.h"

/* The built-in patterns: config/furniture.conf as a C string, generated
 * by the Makefile into the build tree. */
static const char builtin_conf[] =
#include "foia/furniture-conf.h"
    ;

#ifndef DP_F_EXEMPTION
#define DP_F_EXEMPTION "exemption"
#endif

#define MAX_PATTERNS 64
#define MAX_LINE 1000         /* longer lines are text, never furniture */
#define MAX_PIECE 300         /* nor are longer columns */
#define MAX_COLUMNS 32        /* columns tried per line */
#define MAX_CODES 64          /* distinct exemption codes kept */
#define MAX_PAGES_LISTED 1000 /* pages listed per code; then "..." */
#define MAX_STAMPS 16
#define MAX_VOTES 64             /* distinct values counted per voted field */
#define ACCEL_BYTES (256 * 1024) /* a body this long is matched by the JIT (see Accel) */

/* The fields a pattern's named groups can give. */
typedef enum {
	FLD_CASE,
	FLD_DOC,
	FLD_DATE,
	FLD_RELEASE,
	FLD_EXEMPTIONS,
	FLD_CLASS,
	FLD_CLASSIFIED_BY,
	FLD_REASON,
	FLD_DECLASSIFY,
	FLD_DERIVED,
	FLD_STAMP,
	FLD_BATES,
	FLD_N
} FieldId;

static const char *const field_names[FLD_N] = { "case",       "doc",     "date",          "release",
	                                        "exemptions", "class",   "classified-by", "reason",
	                                        "declassify", "derived", "stamp",         "bates" };

typedef struct {
	char *name;
	char *source; /* the regex, macros expanded, as written */
	/*
	 * Compiled on first use (pattern_code()), under ONCE: a document
	 * tries only the patterns its lines can need, and compiling them all
	 * was most of a short one-off conversion.  NULL after that when the
	 * regex does not compile (a built-in one, which the tests compile).
	 */
	gsize once;
	pcre2_code *re;
	char *group_names[FLD_N]; /* the group giving each field, as written; NULL: none */
	int group[FLD_N];         /* its number, once compiled; 0: none */
	gboolean any_field;
	gboolean codes_only; /* its only field is exemptions: a margin mark */
	char *after_names;   /* as written; resolved into after once all files are read */
	guint64 after;       /* mask of patterns the previous line must have matched; 0: any */
	guint min_indent;
	gboolean weak;        /* counts only beside furniture that is not weak */
	gboolean beside_text; /* tried only on a column of a line with others */
	gboolean continues;   /* tried only under a stamp that is not finished */
	char *file;           /* for errors about after= */
	guint line;
	/*
	 * What any match holds, from PCRE2's study of the regex: the bytes
	 * it may start with (BITMAP, 256 bits, or NULL: unknown), its first
	 * byte (FIRST) and a byte it must hold after that (NEED), each in
	 * either case (0: unknown), its least length.  A piece without them
	 * is not tried: PCRE2 would refuse it too, but only after the cost of
	 * a call, and nearly every line of a release is text that no pattern
	 * could match.
	 */
	const uint8_t *bitmap;
	char first[2], need[2];
	uint32_t min_len;
	GStrv needs; /* needs=: a piece holds one of these, or is not tried; NULL: any */
} Pattern;

/*
 * What makes a long document fast, built the first time one comes (see
 * accel_get()): each pattern again, compiled by the JIT.  A short
 * document never pays for it: the JIT takes milliseconds to compile the
 * patterns, more than the interpreter spends on dozens of pages, and a
 * sandboxed extraction compiles them once per document.
 */
typedef struct {
	pcre2_code *jit[MAX_PATTERNS]; /* each pattern, JIT compiled when the platform can */
} Accel;

struct DpFurniture {
	GPtrArray *patterns; /* of Pattern*, in the order tried */
	GHashTable *macros;  /* name -> expanded text */
	/*
	 * The ovector pairs enough for every pattern: one more than the most
	 * parentheses in one regex, as every capturing group opens with one
	 * (the patterns are compiled later, see Pattern).
	 */
	guint32 max_pairs;
	/*
	 * Built once, on the first long document, by whichever thread comes
	 * first (g_once_init_enter() orders it for the others): the only part
	 * of a DpFurniture that dp_furniture_apply() writes.
	 */
	gsize accel_once;
	Accel *accel;
};

/*
 * Exemption meanings: 5 U.S.C. 552(b) and the classification categories
 * of Executive Order 13526, section 1.4, which B1 withholdings cite.
 */
static const struct {
	const char *code;
	const char *meaning;
} meanings[] = {
	{ "1.4(A)", "Military plans, weapons systems, or operations: E.O. 13526 sec. 1.4(a)" },
	{ "1.4(B)", "Foreign government information: E.O. 13526 sec. 1.4(b)" },
	{ "1.4(C)", "Intelligence activities (including covert action), intelligence sources or methods, or "
	            "cryptology: E.O. 13526 sec. 1.4(c)" },
	{ "1.4(D)", "Foreign relations or foreign activities of the United States, including confidential sources: "
	            "E.O. 13526 sec. 1.4(d)" },
	{ "1.4(E)", "Scientific, technological, or economic matters relating to the national security: E.O. 13526 "
	            "sec. 1.4(e)" },
	{ "1.4(F)", "United States Government programs for safeguarding nuclear materials or facilities: E.O. 13526 "
	            "sec. 1.4(f)" },
	{ "1.4(G)", "Vulnerabilities or capabilities of systems, installations, infrastructures, projects, plans, or "
	            "protection services relating to the national security: E.O. 13526 sec. 1.4(g)" },
	{ "1.4(H)", "The development, production, or use of weapons of mass destruction: E.O. 13526 sec. 1.4(h)" },
	{ "B1", "Classified national defense or foreign policy information: 5 U.S.C. 552(b)(1)" },
	{ "B2", "Internal personnel rules and practices of an agency: 5 U.S.C. 552(b)(2)" },
	{ "B3", "Specifically exempted from disclosure by statute: 5 U.S.C. 552(b)(3)" },
	{ "B4", "Trade secrets and commercial or financial information, privileged or confidential: 5 U.S.C. "
	        "552(b)(4)" },
	{ "B5", "Inter-agency or intra-agency memoranda or letters, privileged (deliberative process, attorney work "
	        "product, attorney-client): 5 U.S.C. 552(b)(5)" },
	{ "B6", "Personal privacy: 5 U.S.C. 552(b)(6)" },
	{ "B7", "Records or information compiled for law enforcement purposes: 5 U.S.C. 552(b)(7)" },
	{ "B7(A)", "Law enforcement: could reasonably be expected to interfere with enforcement proceedings: 5 U.S.C. "
	           "552(b)(7)(A)" },
	{ "B7(B)", "Law enforcement: would deprive a person of a right to a fair trial or an impartial adjudication: "
	           "5 U.S.C. 552(b)(7)(B)" },
	{ "B7(C)", "Law enforcement: personal privacy, an unwarranted invasion of personal privacy: 5 U.S.C. "
	           "552(b)(7)(C)" },
	{ "B7(D)", "Law enforcement: could disclose a confidential source or information it furnished: 5 U.S.C. "
	           "552(b)(7)(D)" },
	{ "B7(E)", "Law enforcement: techniques and procedures or guidelines for investigations or prosecutions: 5 "
	           "U.S.C. 552(b)(7)(E)" },
	{ "B7(F)", "Law enforcement: could endanger the life or physical safety of any individual: 5 U.S.C. "
	           "552(b)(7)(F)" },
	{ "B8", "Examination, operating or condition reports about financial institutions: 5 U.S.C. 552(b)(8)" },
	{ "B9", "Geological and geophysical information and data, including maps, concerning wells: 5 U.S.C. "
	        "552(b)(9)" },
};

const char *
dp_furniture_exemption_meaning(const char *code)
{
	if (code == NULL)
		return NULL;
	for (gsize i = 0; i < G_N_ELEMENTS(meanings); i++)
		if (g_ascii_strcasecmp(meanings[i].code, code) == 0)
			return meanings[i].meaning;
	return NULL;
}

/* ---- Loading the patterns ---- */

static void
pattern_free(gpointer p)
{
	Pattern *pat = p;
	g_free(pat->name);
	g_free(pat->source);
	if (pat->re != NULL)
		pcre2_code_free(pat->re);
	for (int k = 0; k < FLD_N; k++)
		g_free(pat->group_names[k]);
	g_free(pat->after_names);
	g_strfreev(pat->needs);
	g_free(pat->file);
	g_free(pat);
}

void
dp_furniture_free(DpFurniture *f)
{
	if (f == NULL)
		return;
	g_ptr_array_unref(f->patterns);
	g_hash_table_unref(f->macros);
	if (f->accel != NULL) {
		for (guint i = 0; i < MAX_PATTERNS; i++)
			if (f->accel->jit[i] != NULL)
				pcre2_code_free(f->accel->jit[i]);
		g_free(f->accel);
	}
	g_free(f);
}

/*
 * The line of TEXT where the header [GROUP] is, looked for from *POS (the
 * start of line *LINE) on, which then move to it: GKeyFile lists the
 * groups in the order of their first headers, so that the lines of all
 * the groups are found in one pass over the file (find_line() for each
 * would go over it once per pattern, in every document's extraction).
 * 0 when not found.
 */
static guint
header_line(const char *text, gsize len, const char *group, gsize *pos, guint *line)
{
	g_autofree char *header = g_strdup_printf("[%s]", group);
	gsize hlen = strlen(header);
	const char *p = text + *pos, *end = text + len;
	guint n = *line;
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *e = nl ? nl : end;
		const char *q = p;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if ((gsize)(e - q) >= hlen && memcmp(q, header, hlen) == 0) {
			*pos = (gsize)(p - text);
			*line = n;
			return n;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
		n++;
	}
	return 0;
}

/*
 * The line of FILE's TEXT where [GROUP] starts, or where KEY is set in it
 * (KEY NULL: the group's header), for error messages: GKeyFile keeps no
 * line numbers.  0 when not found.
 */
static guint
find_line(const char *text, gsize len, const char *group, const char *key)
{
	g_autofree char *header = g_strdup_printf("[%s]", group);
	gsize hlen = strlen(header), klen = key ? strlen(key) : 0;
	gboolean in_group = FALSE;
	guint line = 1, group_line = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (gsize)(end - p));
		const char *e = nl ? nl : end;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		gsize n = (gsize)(e - p);
		if (n > 0 && *p == '[') {
			in_group = n >= hlen && memcmp(p, header, hlen) == 0;
			if (in_group) {
				group_line = line;
				if (key == NULL)
					return line;
			}
		} else if (in_group && key != NULL && n > klen && memcmp(p, key, klen) == 0) {
			const char *q = p + klen;
			while (q < e && (*q == ' ' || *q == '\t'))
				q++;
			if (q < e && *q == '=')
				return line;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
		line++;
	}
	return group_line;
}

/*
 * Compile PATTERN anchored at its start, as GRegex compiled the patterns
 * before (UTF-8; \s, \d, \w and the POSIX classes by Unicode
 * properties; any Unicode line end).  GRegex would make a GMatchInfo, a
 * match context and match data on every match; PCRE2 used directly
 * matches into the caller's one match data.  NULL with a message in MSG
 * when it does not compile.
 */
static pcre2_code *
compile_anchored(const char *pattern, guint32 options, char *msg, gsize msg_size)
{
	pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
	pcre2_set_newline(cc, PCRE2_NEWLINE_ANY);
	int err = 0;
	PCRE2_SIZE off = 0;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                               PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED | options, &err, &off, cc);
	pcre2_compile_context_free(cc);
	if (re == NULL) {
		PCRE2_UCHAR m[256];
		pcre2_get_error_message(err, m, sizeof m);
		g_snprintf(msg, msg_size, "%s (at offset %zu)", (const char *)m, (size_t)off);
		return NULL;
	}
	return re;
}

/*
 * Match RE against the LEN bytes at S (valid UTF-8) into MD; PCRE2's
 * return code.  A JIT match that fails on a limit (the JIT's stack; the
 * match limit, which the JIT counts its own way) is run again by the
 * interpreter, which keeps its backtracking on the heap, so that the JIT
 * never changes what matches (an interpreted one that failed so fails
 * again, on hostile text only).
 */
static int
match_at(const pcre2_code *re, const char *s, gsize len, pcre2_match_data *md)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, md, NULL);
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH)
		rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, md, NULL);
	return rc;
}

/* RAW with each {NAME} of a defined macro replaced by its text. */
static char *
expand_macros(GHashTable *macros, const char *raw)
{
	GString *out = g_string_sized_new(strlen(raw) + 16);
	const char *p = raw;
	while (*p != '\0') {
		if (*p == '{' && g_ascii_isupper(p[1])) {
			const char *q = p + 1;
			while (g_ascii_isupper(*q) || g_ascii_isdigit(*q) || *q == '_')
				q++;
			if (*q == '}') {
				g_autofree char *name = g_strndup(p + 1, (gsize)(q - p - 1));
				const char *text = g_hash_table_lookup(macros, name);
				if (text != NULL) {
					g_string_append(out, text);
					p = q + 1;
					continue;
				}
			}
		}
		g_string_append_c(out, *p++);
	}
	return g_string_free(out, FALSE);
}

static int
field_by_name(const char *key)
{
	for (int i = 0; i < FLD_N; i++)
		if (g_str_equal(field_names[i], key))
			return i;
	return -1;
}

/*
 * Compile PAT's regex, anchored at both ends (a pattern describes a whole
 * line or column), and number its fields' groups.  FALSE when it cannot
 * be used, PAT->re left NULL: *BAD_FIELD is the field whose group the
 * regex lacks, or -1 when the regex does not compile (MSG says why).
 */
static gboolean
pattern_compile(Pattern *pat, char *msg, gsize msg_size, int *bad_field)
{
	*bad_field = -1;
	g_autofree char *full = g_strdup_printf("(?:%s)\\z", pat->source);
	pcre2_code *re = compile_anchored(full, 0, msg, msg_size);
	if (re == NULL)
		return FALSE;
	for (int k = 0; k < FLD_N; k++) {
		if (pat->group_names[k] == NULL)
			continue;
		int n = pcre2_substring_number_from_name(re, (PCRE2_SPTR)pat->group_names[k]);
		if (n < 1) {
			*bad_field = k;
			pcre2_code_free(re);
			return FALSE;
		}
		pat->group[k] = n;
	}
	pat->re = re;
	return TRUE;
}

/* The most capturing groups REGEX can have: its opening parentheses. */
static guint32
max_groups(const char *regex)
{
	guint32 n = 0;
	for (const char *p = regex; (p = strchr(p, '(')) != NULL; p++)
		n++;
	return n;
}

/*
 * Read one pattern.  Unless NOW, its regex is compiled on first use (see
 * Pattern): the built-in patterns, which the tests compile.  A user's
 * file is compiled NOW, so that its errors are configuration errors.
 */
static Pattern *
pattern_load(DpFurniture *f, GKeyFile *kf, const char *group, const char *file, const char *text, gsize len, guint line,
             gboolean now, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
	g_autofree char *regex = NULL;
	Pattern *pat = g_new0(Pattern, 1);
	pat->name = g_strdup(group);
	pat->file = g_strdup(file);
	pat->line = line;
	const char *groups[FLD_N] = { NULL };
	for (gsize i = 0; keys != NULL && keys[i] != NULL; i++) {
		const char *key = keys[i];
		/* Raw values: a backslash belongs to the regular expression. */
		g_autofree char *v = g_key_file_get_value(kf, group, key, NULL);
		g_strstrip(v);
		int fld = field_by_name(key);
		if (g_str_equal(key, "regex")) {
			g_free(regex);
			regex = expand_macros(f->macros, v);
		} else if (g_str_equal(key, "after")) {
			g_free(pat->after_names);
			pat->after_names = g_strdup(v);
		} else if (g_str_equal(key, "min-indent")) {
			guint64 n = 0;
			if (!g_ascii_string_to_unsigned(v, 10, 0, MAX_LINE, &n, NULL)) {
				g_set_error(error, DP_ERROR, DP_EXIT_CONFIG,
				            "%s:%u: [%s] min-indent: not a number 0..%d: '%s'", file,
				            find_line(text, len, group, key), group, MAX_LINE, v);
				pattern_free(pat);
				return NULL;
			}
			pat->min_indent = (guint)n;
		} else if (g_str_equal(key, "weak") || g_str_equal(key, "beside-text") ||
		           g_str_equal(key, "continues")) {
			if (!g_str_equal(v, "true") && !g_str_equal(v, "false")) {
				g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: [%s] %s: not true or false: '%s'",
				            file, find_line(text, len, group, key), group, key, v);
				pattern_free(pat);
				return NULL;
			}
			gboolean on = g_str_equal(v, "true");
			if (g_str_equal(key, "weak"))
				pat->weak = on;
			else if (g_str_equal(key, "beside-text"))
				pat->beside_text = on;
			else
				pat->continues = on;
		} else if (g_str_equal(key, "needs")) {
			g_auto(GStrv) words = g_strsplit(v, ";", -1);
			g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func(g_free);
			for (gsize w = 0; words[w] != NULL; w++)
				if (*g_strstrip(words[w]) != '\0')
					g_ptr_array_add(kept, g_strdup(words[w]));
			if (kept->len == 0) {
				g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: [%s] needs: no text", file,
				            find_line(text, len, group, key), group);
				pattern_free(pat);
				return NULL;
			}
			g_ptr_array_add(kept, NULL);
			g_strfreev(pat->needs);
			pat->needs = (GStrv)g_ptr_array_free(g_steal_pointer(&kept), FALSE);
		} else if (fld >= 0) {
			groups[fld] = g_key_file_get_value(kf, group, key, NULL);
		} else {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: [%s] unknown key '%s'", file,
			            find_line(text, len, group, key), group, key);
			for (int k = 0; k < FLD_N; k++)
				g_free((char *)groups[k]);
			pattern_free(pat);
			return NULL;
		}
	}
	int nfields = 0;
	for (int k = 0; k < FLD_N; k++) {
		if (groups[k] == NULL)
			continue;
		pat->group_names[k] = g_strstrip(g_strdup(groups[k]));
		g_free((char *)groups[k]);
		nfields++;
	}
	if (regex == NULL || *regex == '\0') {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: [%s] has no regex", file, pat->line, group);
		pattern_free(pat);
		return NULL;
	}
	pat->source = g_steal_pointer(&regex);
	f->max_pairs = MAX(f->max_pairs, max_groups(pat->source) + 1);
	char msg[300];
	int bad = -1;
	if (now && !pattern_compile(pat, msg, sizeof msg, &bad)) {
		if (bad < 0)
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: [%s] regex: %s", file,
			            find_line(text, len, group, "regex"), group, msg);
		else
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG,
			            "%s:%u: [%s] %s: the regex has no group named '%s'", file,
			            find_line(text, len, group, field_names[bad]), group, field_names[bad],
			            pat->group_names[bad]);
		pattern_free(pat);
		return NULL;
	}
	pat->any_field = nfields > 0;
	pat->codes_only = nfields == 1 && pat->group_names[FLD_EXEMPTIONS] != NULL;
	return pat;
}

/* Add the macros and patterns of one file's TEXT (FILE names it in errors; NOW: see pattern_load()). */
static gboolean
load_text(DpFurniture *f, const char *text, gsize len, const char *file, gboolean now, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) local = NULL;
	if (!g_key_file_load_from_data(kf, text, len, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s: %s", file, local->message);
		return FALSE;
	}
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);
	gsize pos = 0;
	guint line = 1;
	for (gsize i = 0; groups[i] != NULL; i++) {
		const char *group = groups[i];
		if (g_str_equal(group, "macros")) {
			g_auto(GStrv) keys = g_key_file_get_keys(kf, group, NULL, NULL);
			for (gsize k = 0; keys != NULL && keys[k] != NULL; k++) {
				g_autofree char *v = g_key_file_get_value(kf, group, keys[k], NULL);
				g_strstrip(v);
				g_hash_table_replace(f->macros, g_strdup(keys[k]), expand_macros(f->macros, v));
			}
			continue;
		}
		Pattern *pat =
		    pattern_load(f, kf, group, file, text, len, header_line(text, len, group, &pos, &line), now, error);
		if (pat == NULL)
			return FALSE;
		/* A pattern named like an earlier one replaces it, in its place. */
		gboolean replaced = FALSE;
		for (guint k = 0; k < f->patterns->len && !replaced; k++) {
			Pattern *old = f->patterns->pdata[k];
			if (g_str_equal(old->name, pat->name)) {
				pattern_free(old);
				f->patterns->pdata[k] = pat;
				replaced = TRUE;
			}
		}
		if (replaced)
			continue;
		if (f->patterns->len >= MAX_PATTERNS) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: [%s] more than %d furniture patterns",
			            file, pat->line, group, MAX_PATTERNS);
			pattern_free(pat);
			return FALSE;
		}
		g_ptr_array_add(f->patterns, pat);
	}
	return TRUE;
}

/* Resolve every after= into a mask of pattern indexes. */
static gboolean
resolve_after(DpFurniture *f, GError **error)
{
	for (guint i = 0; i < f->patterns->len; i++) {
		Pattern *pat = f->patterns->pdata[i];
		pat->after = 0;
		if (pat->after_names == NULL)
			continue;
		g_auto(GStrv) names = g_strsplit(pat->after_names, ";", -1);
		for (gsize n = 0; names[n] != NULL; n++) {
			const char *name = g_strstrip(names[n]);
			if (*name == '\0')
				continue;
			guint k = 0;
			while (k < f->patterns->len && !g_str_equal(((Pattern *)f->patterns->pdata[k])->name, name))
				k++;
			if (k == f->patterns->len) {
				g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: [%s] after: no pattern [%s]",
				            pat->file, pat->line, pat->name, name);
				return FALSE;
			}
			pat->after |= G_GUINT64_CONSTANT(1) << k;
		}
	}
	return TRUE;
}

/*
 * TRUE when SOURCE may match a letter in either case: it sets the i
 * option somewhere ("(?i)", "(?i:", "(?mi)").  PCRE2 does not tell
 * whether the code unit it reports is caseless; a pattern without the
 * option has none.
 */
static gboolean
maybe_caseless(const char *source)
{
	for (const char *p = strstr(source, "(?"); p != NULL; p = strstr(p + 2, "(?")) {
		const char *q = p + 2;
		while (g_ascii_isalpha(*q) || *q == '-' || *q == '^') {
			if (*q == 'i')
				return TRUE;
			q++;
		}
	}
	return FALSE;
}

/*
 * The code unit PCRE2 found that every match of RE holds (FIRST: its
 * first, else one after it) as the bytes to look for, when it is ASCII.
 * When the pattern may be caseless, both cases are looked for, and none
 * for K or S, which a caseless Unicode pattern also matches as the Kelvin
 * sign and the long s.  FALSE when there is none to use.
 */
static gboolean
known_byte(const pcre2_code *re, const char *source, gboolean first, char out[2])
{
	uint32_t type = 0, unit = 0;
	if (pcre2_pattern_info(re, first ? PCRE2_INFO_FIRSTCODETYPE : PCRE2_INFO_LASTCODETYPE, &type) != 0 ||
	    type != 1 ||
	    pcre2_pattern_info(re, first ? PCRE2_INFO_FIRSTCODEUNIT : PCRE2_INFO_LASTCODEUNIT, &unit) != 0 ||
	    unit == 0 || unit >= 0x80)
		return FALSE;
	out[0] = out[1] = (char)unit;
	if (maybe_caseless(source)) {
		if (g_ascii_tolower((char)unit) == 'k' || g_ascii_tolower((char)unit) == 's')
			return FALSE;
		out[0] = g_ascii_tolower((char)unit);
		out[1] = g_ascii_toupper((char)unit);
	}
	return TRUE;
}

/* What PCRE2 knows of every match of PAT (see Pattern). */
static void
pattern_study(Pattern *pat)
{
	if (!known_byte(pat->re, pat->source, TRUE, pat->first))
		pat->first[0] = pat->first[1] = 0;
	if (!known_byte(pat->re, pat->source, FALSE, pat->need))
		pat->need[0] = pat->need[1] = 0;
	if (pcre2_pattern_info(pat->re, PCRE2_INFO_FIRSTBITMAP, &pat->bitmap) != 0)
		pat->bitmap = NULL;
	if (pcre2_pattern_info(pat->re, PCRE2_INFO_MINLENGTH, &pat->min_len) != 0)
		pat->min_len = 0;
}

/*
 * PAT's compiled regex, compiled and studied by whichever thread asks
 * first (g_once_init_enter() orders it for the others), or NULL when it
 * does not compile.  Compiling is no part of the value, as for Accel.
 */
static const pcre2_code *
pattern_code(const Pattern *cpat)
{
	Pattern *pat = (Pattern *)cpat;
	if (g_once_init_enter(&pat->once)) {
		char msg[300];
		int bad = -1;
		if (pat->re != NULL || pattern_compile(pat, msg, sizeof msg, &bad))
			pattern_study(pat);
		g_once_init_leave(&pat->once, 1);
	}
	return pat->re;
}

/* The accelerator of F (see Accel), built on the first call. */
static const Accel *
accel_get(const DpFurniture *cf)
{
	/* The lazily built part is no part of the value: const as seen from outside. */
	DpFurniture *f = (DpFurniture *)cf;
	if (!g_once_init_enter(&f->accel_once))
		return f->accel;
	Accel *a = g_new0(Accel, 1);
	for (guint i = 0; i < f->patterns->len; i++) {
		const pcre2_code *re = pattern_code(f->patterns->pdata[i]);
		a->jit[i] = re != NULL ? pcre2_code_copy(re) : NULL;
		if (a->jit[i] != NULL)
			(void)pcre2_jit_compile(a->jit[i], PCRE2_JIT_COMPLETE);
	}
	f->accel = a;
	g_once_init_leave(&f->accel_once, 1);
	return a;
}

DpFurniture *
dp_furniture_new(const char *const *extra, GError **error)
{
	g_autoptr(DpFurniture) f = g_new0(DpFurniture, 1);
	f->patterns = g_ptr_array_new_with_free_func(pattern_free);
	f->macros = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	f->max_pairs = 1;
	if (!load_text(f, builtin_conf, sizeof builtin_conf - 1, "furniture.conf (built-in)", FALSE, error))
		return NULL;
	for (gsize i = 0; extra != NULL && extra[i] != NULL; i++) {
		g_autofree char *data = NULL;
		gsize len = 0;
		g_autoptr(GError) local = NULL;
		if (!g_file_get_contents(extra[i], &data, &len, &local)) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "cannot read furniture patterns '%s': %s",
			            extra[i], local->message);
			return NULL;
		}
		if (!load_text(f, data, len, extra[i], TRUE, error))
			return NULL;
	}
	if (!resolve_after(f, error))
		return NULL;
	return g_steal_pointer(&f);
}

gboolean
dp_furniture_compile_all(const DpFurniture *f, GError **error)
{
	for (guint i = 0; i < f->patterns->len; i++) {
		const Pattern *pat = f->patterns->pdata[i];
		if (pattern_code(pat) == NULL) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: [%s] regex does not compile", pat->file,
			            pat->line, pat->name);
			return FALSE;
		}
	}
	return TRUE;
}

/* ---- What a document's furniture says ---- */

typedef struct {
	char *value;
	guint count;
} Vote;

typedef struct {
	char *code; /* "B6", "B7(C)", "1.4(D)" */
	char *statute;
	GArray *pages; /* of guint, ascending */
	gboolean more; /* pages beyond MAX_PAGES_LISTED */
} Code;

typedef struct {
	gboolean any;          /* a value found or a line taken out */
	gboolean strong, weak; /* a value found by a pattern (not) weak */
	gboolean allow_weak;   /* weak patterns are tried */
	GPtrArray *votes[3];   /* case, doc, date: of Vote* */
	gboolean full, part, withheld;
	GPtrArray *codes;    /* of Code* */
	char *class_part[5]; /* class, classified-by, reason, declassify, derived */
	GPtrArray *stamps;   /* of char* */
	GString *stamp;      /* the stamp being read, over lines; NULL: none */
	gboolean stamp_line; /* this line has a stamp */
	gboolean stamp_last; /* the previous non-blank line had one */
	char *bates_first, *bates_last;
	pcre2_match_data *md; /* this call's matches: a DpFurniture is shared */
	const Accel *accel;   /* NULL: a short document, interpreted */
	gboolean body_valid;  /* the whole body is valid UTF-8 */
} Found;

static void
vote_free(gpointer p)
{
	Vote *v = p;
	g_free(v->value);
	g_free(v);
}

static void
code_free(gpointer p)
{
	Code *c = p;
	g_free(c->code);
	g_free(c->statute);
	g_array_unref(c->pages);
	g_free(c);
}

static void
found_init(Found *fd)
{
	memset(fd, 0, sizeof *fd);
	for (int i = 0; i < 3; i++)
		fd->votes[i] = g_ptr_array_new_with_free_func(vote_free);
	fd->codes = g_ptr_array_new_with_free_func(code_free);
	fd->stamps = g_ptr_array_new_with_free_func(g_free);
}

static void
found_clear(Found *fd)
{
	for (int i = 0; i < 3; i++)
		g_ptr_array_unref(fd->votes[i]);
	g_ptr_array_unref(fd->codes);
	g_ptr_array_unref(fd->stamps);
	if (fd->stamp != NULL)
		g_string_free(fd->stamp, TRUE);
	for (int i = 0; i < 5; i++)
		g_free(fd->class_part[i]);
	g_free(fd->bates_first);
	g_free(fd->bates_last);
}

static void
vote(GPtrArray *votes, const char *value)
{
	if (*value == '\0')
		return;
	for (guint i = 0; i < votes->len; i++) {
		Vote *v = votes->pdata[i];
		if (g_str_equal(v->value, value)) {
			v->count++;
			return;
		}
	}
	if (votes->len >= MAX_VOTES)
		return;
	Vote *v = g_new0(Vote, 1);
	v->value = g_strdup(value);
	v->count = 1;
	g_ptr_array_add(votes, v);
}

static const char *
vote_winner(GPtrArray *votes)
{
	const Vote *best = NULL;
	for (guint i = 0; i < votes->len; i++) {
		const Vote *v = votes->pdata[i];
		if (best == NULL || v->count > best->count)
			best = v;
	}
	return best ? best->value : NULL;
}

/*
 * An identifier as OCR prints it, cleaned: no blanks, and O, o, I, l read
 * as 0 and 1 where a digit stands beside them ("F-2O14-2O439"), but for a
 * first letter when PREFIX (the C of C05739545).
 */
static char *
clean_identifier(const char *s, gsize len, gboolean prefix)
{
	GString *t = g_string_sized_new(len + 1);
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isspace(s[i]))
			g_string_append_c(t, s[i]);
	for (gsize i = 0; i < t->len; i++) {
		char c = t->str[i];
		if (c != 'O' && c != 'o' && c != 'I' && c != 'l')
			continue;
		gboolean prev = i > 0 && g_ascii_isdigit(t->str[i - 1]);
		gboolean next = i + 1 < t->len && g_ascii_isdigit(t->str[i + 1]);
		if ((prev || next) && (i > 0 || !prefix))
			t->str[i] = (c == 'O' || c == 'o') ? '0' : '1';
	}
	return g_string_free(t, FALSE);
}

/* A printed M/D/Y (or ISO) date as YYYY-MM-DD, or NULL. */
static char *
iso_date(const char *s, gsize len)
{
	g_autofree char *t = clean_identifier(s, len, FALSE);
	guint64 m = 0, d = 0, y = 0;
	char sep = 0;
	const char *p = t;
	guint64 a, b, c;
	char *end;
	a = g_ascii_strtoull(p, &end, 10);
	if (end == p || (*end != '/' && *end != '-'))
		return NULL;
	sep = *end;
	p = end + 1;
	b = g_ascii_strtoull(p, &end, 10);
	if (end == p || *end != sep)
		return NULL;
	p = end + 1;
	c = g_ascii_strtoull(p, &end, 10);
	if (end == p || *end != '\0')
		return NULL;
	if (sep == '-' && a >= 1000) {
		y = a, m = b, d = c;
	} else if (sep == '/' && c >= 1000) {
		m = a, d = b, y = c;
	} else {
		return NULL;
	}
	/* In range before the casts, which would wrap. */
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
		return NULL;
	return g_strdup_printf("%04u-%02u-%02u", (guint)y, (guint)m, (guint)d);
}

static Code *
code_get(Found *fd, const char *code)
{
	for (guint i = 0; i < fd->codes->len; i++) {
		Code *c = fd->codes->pdata[i];
		if (g_str_equal(c->code, code))
			return c;
	}
	if (fd->codes->len >= MAX_CODES)
		return NULL;
	Code *c = g_new0(Code, 1);
	c->code = g_strdup(code);
	c->pages = g_array_new(FALSE, FALSE, sizeof(guint));
	g_ptr_array_add(fd->codes, c);
	return c;
}

static void
code_add(Found *fd, const char *code, const char *statute, guint page)
{
	Code *c = code_get(fd, code);
	if (c == NULL)
		return;
	if (statute != NULL && c->statute == NULL)
		c->statute = g_strdup(statute);
	guint n = c->pages->len;
	if (n > 0 && g_array_index(c->pages, guint, n - 1) == page)
		return;
	if (n >= MAX_PAGES_LISTED)
		c->more = TRUE;
	else
		g_array_append_val(c->pages, page);
}

static gboolean
ascii_alnum_at(const char *s, gsize len, gsize i)
{
	return i < len && g_ascii_isalnum(s[i]);
}

/* Skip blanks from I; the new index. */
static gsize
skip_blank(const char *s, gsize len, gsize i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/*
 * A sub-code "(C)" (or a bare letter "c" directly after the digit) at I,
 * among the letters FIRST..LAST; *END past it.  0 when none.
 */
static char
sub_code(const char *s, gsize len, gsize i, char first, char last, gsize *end)
{
	gsize k = skip_blank(s, len, i);
	gboolean paren = k < len && s[k] == '(';
	if (paren)
		k = skip_blank(s, len, k + 1);
	else if (k != i)
		return 0;
	if (k >= len)
		return 0;
	char c = g_ascii_toupper(s[k]);
	if (c < first || c > last)
		return 0;
	k++;
	if (paren) {
		k = skip_blank(s, len, k);
		if (k >= len || s[k] != ')')
			return 0;
		k++;
	} else if (ascii_alnum_at(s, len, k)) {
		return 0;
	}
	*end = k;
	return c;
}

/*
 * Into CODE (SIZE bytes) the exemption of digit D whose code ends at
 * *NEXT in S: "B6", or "B7(C)" with the sub-code that follows a 7, then
 * *NEXT past it.
 */
static void
exemption_code(char *code, gsize size, const char *s, gsize len, char d, gsize *next)
{
	g_snprintf(code, size, "B%c", d);
	gsize end = *next;
	char sub = d == '7' ? sub_code(s, len, *next, 'A', 'F', &end) : 0;
	if (sub != 0) {
		g_snprintf(code, size, "B7(%c)", sub);
		*next = end;
	}
}

/*
 * Read the exemption codes in S (a column the patterns called codes, so
 * OCR's 8 for B and G for 6 are read as such) and record each on PAGE.
 * Writes the normalized codes, ", "-separated, to LIST when not NULL
 * (the reasons of a classification block).
 */
static void
scan_codes(Found *fd, const char *s, gsize len, guint page, GString *list)
{
	gsize i = 0;
	while (i < len) {
		char code[16] = "";
		g_autofree char *statute = NULL;
		gsize next = i + 1;
		char c = s[i];
		gboolean boundary = i == 0 || !g_ascii_isalnum(s[i - 1]);
		if (boundary && (c == 'B' || c == 'b' || c == '8')) {
			gsize k = i + 1;
			if (k < len && s[k] == ' ')
				k++;
			char d = k < len ? s[k] : 0;
			if (d == 'G')
				d = '6';
			if (d >= '1' && d <= '9' && !ascii_alnum_at(s, len, k + 1)) {
				next = k + 1;
				exemption_code(code, sizeof code, s, len, d, &next);
				if (d == '3') {
					/* The statute: up to three words in capitals after B3. */
					gsize w = next;
					GString *st = g_string_new(NULL);
					for (int words = 0; words < 3; words++) {
						gsize a = skip_blank(s, len, w);
						gsize b = a;
						while (b < len &&
						       (g_ascii_isupper(s[b]) || strchr("/.&-", s[b]) != NULL) &&
						       s[b] != '\0')
							b++;
						if (b - a < 2 || !g_ascii_isupper(s[a]) || ascii_alnum_at(s, len, b))
							break;
						if (st->len > 0)
							g_string_append_c(st, ' ');
						g_string_append_len(st, s + a, (gssize)(b - a));
						w = b;
					}
					if (st->len > 0) {
						statute = g_string_free(st, FALSE);
						next = w;
					} else {
						g_string_free(st, TRUE);
					}
				}
			}
		} else if (c == '(' && i + 2 < len && (s[i + 1] == 'b' || s[i + 1] == 'B') && s[i + 2] == ')') {
			/* (b)(6), (b)(7)(C) */
			gsize k = skip_blank(s, len, i + 3);
			if (k + 2 < len && s[k] == '(' && s[k + 1] >= '1' && s[k + 1] <= '9' && s[k + 2] == ')') {
				next = k + 3;
				exemption_code(code, sizeof code, s, len, s[k + 1], &next);
			}
		} else if (boundary && c == '1' && i + 2 < len && s[i + 1] == '.' && s[i + 2] == '4') {
			gsize end = i + 3;
			char sub = sub_code(s, len, skip_blank(s, len, i + 3), 'A', 'H', &end);
			if (sub != 0) {
				g_snprintf(code, sizeof code, "1.4(%c)", sub);
				next = end;
			}
		}
		if (code[0] != '\0') {
			if (list != NULL) {
				if (list->len > 0)
					g_string_append(list, ", ");
				g_string_append(list, code);
			} else {
				code_add(fd, code, statute, page);
			}
		}
		i = next;
	}
}

/* S's letters and digits, upper-case: stamps compared through OCR's lost dots. */
static char *
stamp_key(const char *s)
{
	GString *k = g_string_new(NULL);
	for (; *s != '\0'; s++)
		if (g_ascii_isalnum(*s))
			g_string_append_c(k, g_ascii_toupper(*s));
	return g_string_free(k, FALSE);
}

/*
 * Record the stamp read so far, once: a stamp cut at the page edge, or
 * printed again with other specks, is the same stamp.
 */
static void
stamp_flush(Found *fd)
{
	if (fd->stamp == NULL)
		return;
	g_autofree char *v = dp_text_one_line(fd->stamp->str);
	g_string_free(fd->stamp, TRUE);
	fd->stamp = NULL;
	g_strdelimit(v, ";", ',');
	if (*v == '\0')
		return;
	g_autofree char *key = stamp_key(v);
	if (*key == '\0')
		return;
	for (guint i = 0; i < fd->stamps->len; i++) {
		char *old = fd->stamps->pdata[i];
		g_autofree char *old_key = stamp_key(old);
		if (strstr(old_key, key) != NULL)
			return;
		if (strstr(key, old_key) != NULL) {
			g_free(old);
			fd->stamps->pdata[i] = g_steal_pointer(&v);
			return;
		}
	}
	if (fd->stamps->len < MAX_STAMPS)
		g_ptr_array_add(fd->stamps, g_steal_pointer(&v));
}

/*
 * A piece of a stamp: a stamp printed over several lines (or columns of
 * one line), one under the other, is one stamp.
 */
static void
stamp_piece(Found *fd, const char *s, gsize len)
{
	if (fd->stamp != NULL && (fd->stamp_line || fd->stamp_last) && fd->stamp->len + len < MAX_PIECE * 4) {
		g_string_append_c(fd->stamp, ' ');
		g_string_append_len(fd->stamp, s, (gssize)len);
	} else {
		stamp_flush(fd);
		fd->stamp = g_string_new_len(s, (gssize)len);
	}
	fd->stamp_line = TRUE;
}

static void
set_first(char **slot, char *value)
{
	if (*slot == NULL && value != NULL && *value != '\0')
		*slot = value;
	else
		g_free(value);
}

/* Record the values PAT's match (in FD->md, RC its return code) found in S on PAGE. */
static void
collect(Found *fd, const Pattern *pat, int rc, const char *s, guint page)
{
	const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(fd->md);
	for (int k = 0; k < FLD_N; k++) {
		int g = pat->group[k];
		if (g == 0 || g >= rc || ov[2 * g] == PCRE2_UNSET || ov[2 * g + 1] <= ov[2 * g])
			continue;
		gsize start = ov[2 * g], end = ov[2 * g + 1];
		const char *v = s + start;
		gsize n = (gsize)(end - start);
		g_autofree char *raw = g_strndup(v, n);
		fd->any = TRUE;
		if (pat->weak)
			fd->weak = TRUE;
		else
			fd->strong = TRUE;
		switch ((FieldId)k) {
		case FLD_CASE:
		case FLD_DOC: {
			g_autofree char *t = clean_identifier(v, n, TRUE);
			vote(fd->votes[k], t);
			break;
		}
		case FLD_DATE: {
			g_autofree char *t = iso_date(v, n);
			if (t != NULL)
				vote(fd->votes[FLD_DATE], t);
			break;
		}
		case FLD_RELEASE: {
			g_autofree char *up = g_ascii_strup(v, (gssize)n);
			if (strstr(up, "WITHHELD") != NULL || strstr(up, "DENIED") != NULL)
				fd->withheld = TRUE;
			else if (strstr(up, "PART") != NULL)
				fd->part = TRUE;
			else if (strstr(up, "FULL") != NULL)
				fd->full = TRUE;
			break;
		}
		case FLD_EXEMPTIONS: scan_codes(fd, v, n, page, NULL); break;
		case FLD_REASON: {
			GString *list = g_string_new(NULL);
			scan_codes(fd, v, n, page, list);
			set_first(&fd->class_part[2], g_string_free(list, FALSE));
			break;
		}
		case FLD_DECLASSIFY: {
			char *t = iso_date(v, n);
			set_first(&fd->class_part[3], t ? t : dp_text_one_line(raw));
			break;
		}
		case FLD_CLASS: {
			/* "SECRET / NOFORN" as "SECRET/NOFORN". */
			GString *t = g_string_new(NULL);
			for (gsize i = 0; i < n; i++)
				if (v[i] != ' ' ||
				    (i > 0 && v[i - 1] != '/' && i + 1 < n && v[i + 1] != '/' && v[i + 1] != ' '))
					g_string_append_c(t, v[i]);
			g_autofree char *up = g_string_free(t, FALSE);
			/* A level above UNCLASSIFIED (a marking inside a message) wins. */
			if (g_strcmp0(fd->class_part[0], "UNCLASSIFIED") == 0)
				g_clear_pointer(&fd->class_part[0], g_free);
			set_first(&fd->class_part[0], g_ascii_strup(up, -1));
			break;
		}
		case FLD_CLASSIFIED_BY: set_first(&fd->class_part[1], dp_text_one_line(raw)); break;
		case FLD_DERIVED: set_first(&fd->class_part[4], dp_text_one_line(raw)); break;
		case FLD_STAMP: stamp_piece(fd, v, n); break;
		case FLD_BATES: {
			g_autofree char *t = clean_identifier(v, n, TRUE);
			char *up = g_ascii_strup(t, -1);
			if (fd->bates_first == NULL)
				fd->bates_first = g_strdup(up);
			g_free(fd->bates_last);
			fd->bates_last = up;
			break;
		}
		case FLD_N: break;
		}
	}
}

/* ---- Matching lines ---- */

/*
 * TRUE when the stamp being read was on this line or the one before and
 * does not end a sentence ("... SUBJECT TO AGREEMENT ON"): the next line
 * may go on with it.
 */
static gboolean
stamp_unfinished(const Found *fd)
{
	if (fd->stamp == NULL || fd->stamp->len == 0 || !(fd->stamp_line || fd->stamp_last))
		return FALSE;
	gsize n = fd->stamp->len;
	while (n > 0 && g_ascii_isspace(fd->stamp->str[n - 1]))
		n--;
	return n > 0 && fd->stamp->str[n - 1] != '.';
}

/*
 * TRUE when the LEN bytes at S hold one of WORDS.  memchr() for the first
 * byte, then memcmp(): memmem() prepares more than a line is worth.
 */
static gboolean
holds_one(const char *s, gsize len, const GStrv words)
{
	for (gsize i = 0; words[i] != NULL; i++) {
		gsize n = strlen(words[i]);
		const char *p = s, *end = s + len;
		while ((gsize)(end - p) >= n && (p = memchr(p, words[i][0], (gsize)(end - p) - n + 1)) != NULL) {
			if (memcmp(p, words[i], n) == 0)
				return TRUE;
			p++;
		}
	}
	return FALSE;
}

/*
 * The first pattern that matches the whole of S (LEN bytes, starting at
 * column COL; WHOLE when it is a whole line), given the patterns PREV the
 * previous lines matched, or -1.  The match is left in FD->md, and
 * PCRE2's return code in *RC.
 */
static int
match_piece(const DpFurniture *f, const Found *fd, const char *s, gsize len, guint col, gboolean whole, guint64 prev,
            int *rc)
{
	if (len == 0 || len > MAX_PIECE)
		return -1;
	const Accel *a = fd->accel;
	guchar c0 = (guchar)s[0];
	for (guint i = 0; i < f->patterns->len; i++) {
		const Pattern *pat = f->patterns->pdata[i];
		if (col < pat->min_indent || (pat->after != 0 && (pat->after & prev) == 0) ||
		    (pat->weak && !fd->allow_weak) || (pat->beside_text && whole) ||
		    (pat->continues && !stamp_unfinished(fd)))
			continue;
		/* needs= first: it is known without compiling the regex. */
		if (pat->needs != NULL && !holds_one(s, len, pat->needs))
			continue;
		const pcre2_code *re = pattern_code(pat);
		if (re == NULL)
			continue;
		if (len < pat->min_len || (pat->bitmap != NULL && (pat->bitmap[c0 / 8] & (1u << (c0 % 8))) == 0) ||
		    (pat->first[0] != 0 && s[0] != pat->first[0] && s[0] != pat->first[1]))
			continue;
		if (pat->need[0] != 0 && memchr(s + 1, pat->need[0], len - 1) == NULL &&
		    (pat->need[1] == pat->need[0] || memchr(s + 1, pat->need[1], len - 1) == NULL))
			continue;
		*rc = match_at(a != NULL && a->jit[i] != NULL ? a->jit[i] : re, s, len, fd->md);
		if (*rc > 0)
			return (int)i;
	}
	return -1;
}

typedef struct {
	gboolean furniture; /* the whole line goes */
	gsize cut;          /* else the line is kept up to here (its length: all of it) */
	guint64 mask;       /* the patterns it matched */
} LineResult;

/*
 * Look at one line, S..S+LEN (no line end), on PAGE; PREV is what the
 * previous non-blank line matched.  Values found go to FD.
 */
static LineResult
scan_line(const DpFurniture *f, Found *fd, const char *s, gsize len, guint page, guint64 prev)
{
	LineResult r = { FALSE, len, 0 };
	if (len > MAX_LINE || (!fd->body_valid && !g_utf8_validate(s, (gssize)len, NULL)))
		return r;
	/* The column of the first character (tabs to multiples of 8). */
	gsize a = 0;
	guint col = 0;
	while (a < len && (s[a] == ' ' || s[a] == '\t')) {
		col = s[a] == '\t' ? (col / 8 + 1) * 8 : col + 1;
		a++;
	}
	gsize b = len;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	if (a == b)
		return r;

	int rc = 0;
	int p = match_piece(f, fd, s + a, b - a, col, TRUE, prev, &rc);
	if (p >= 0) {
		collect(fd, f->patterns->pdata[p], rc, s + a, page);
		r.furniture = TRUE;
		r.mask = G_GUINT64_CONSTANT(1) << p;
		return r;
	}

	/* The columns: pieces apart by three blanks or a tab. */
	gsize starts[MAX_COLUMNS], ends[MAX_COLUMNS];
	guint n = 0;
	gsize i = a;
	while (i < b && n < MAX_COLUMNS) {
		gsize st = i, e = i;
		while (e < b) {
			if (s[e] == '\t' || (s[e] == ' ' && e + 2 < b && s[e + 1] == ' ' && s[e + 2] == ' '))
				break;
			e++;
		}
		starts[n] = st;
		ends[n] = e;
		n++;
		i = e;
		while (i < b && (s[i] == ' ' || s[i] == '\t'))
			i++;
	}
	if (n < 2 || i < b)
		return r;
	int pat_of[MAX_COLUMNS];
	guint matched = 0;
	for (guint c = 0; c < n; c++) {
		pat_of[c] = match_piece(f, fd, s + starts[c], ends[c] - starts[c], (guint)(col + starts[c] - a), FALSE,
		                        prev, &rc);
		if (pat_of[c] >= 0) {
			collect(fd, f->patterns->pdata[pat_of[c]], rc, s + starts[c], page);
			r.mask |= G_GUINT64_CONSTANT(1) << pat_of[c];
			matched++;
		}
	}
	if (matched == n) {
		r.furniture = TRUE;
		return r;
	}
	/*
	 * Text with furniture at its right: the trailing columns that carry
	 * values go, unless they are bare exemption codes (the mark of a
	 * redaction in that line, which the e-mail parser reads).
	 */
	guint k = n;
	while (k > 0 && pat_of[k - 1] >= 0) {
		const Pattern *pat = f->patterns->pdata[pat_of[k - 1]];
		if (!pat->any_field || pat->codes_only)
			break;
		k--;
	}
	if (k < n && k > 0)
		r.cut = ends[k - 1];
	return r;
}

/* ---- The metadata ---- */

static int
code_cmp(gconstpointer a, gconstpointer b)
{
	const Code *x = *(Code *const *)a, *y = *(Code *const *)b;
	return strcmp(x->code, y->code);
}

static void
set_metadata(DpRecord *rec, Found *fd)
{
	static const char *const voted[3] = { "meta.foia.case", "meta.foia.doc", "meta.foia.date" };
	for (int i = 0; i < 3; i++) {
		const char *v = vote_winner(fd->votes[i]);
		if (v != NULL)
			dp_record_set(rec, voted[i], v);
	}
	/* Any page released in part, or pages released and others withheld: in part. */
	const char *release = NULL;
	if (fd->part || (fd->withheld && fd->full))
		release = "part";
	else if (fd->withheld)
		release = "withheld";
	else if (fd->full)
		release = "full";
	else if (fd->codes->len > 0)
		release = "part"; /* codes mark what was withheld; the stamp did not read */
	if (release != NULL)
		dp_record_set(rec, "meta.foia.release", release);

	if (fd->codes->len > 0) {
		g_ptr_array_sort(fd->codes, code_cmp);
		g_autoptr(GString) list = g_string_new(NULL);
		dp_record_set(rec, DP_F_EXEMPTION, NULL);
		for (guint i = 0; i < fd->codes->len; i++) {
			const Code *c = fd->codes->pdata[i];
			if (list->len > 0)
				g_string_append_c(list, ';');
			g_string_append(list, c->code);
			g_autoptr(GString) v = g_string_new(c->code);
			g_string_append_c(v, ' ');
			for (guint k = 0; k < c->pages->len; k++)
				g_string_append_printf(v, "%s%u", k ? "," : "", g_array_index(c->pages, guint, k));
			if (c->more)
				g_string_append(v, ",...");
			const char *meaning = dp_furniture_exemption_meaning(c->code);
			g_string_append_printf(v, " %s", meaning ? meaning : "unknown exemption");
			if (c->statute != NULL)
				g_string_append_printf(v, " (statute: %s)", c->statute);
			dp_record_add(rec, DP_F_EXEMPTION, v->str);
		}
		dp_record_set(rec, "meta.foia.exemptions", list->str);
	}

	static const char *const class_label[5] = { "", "Classified by: ", "Reason: ", "Declassify on: ",
		                                    "Derived from: " };
	g_autoptr(GString) cls = g_string_new(NULL);
	for (int i = 0; i < 5; i++) {
		if (fd->class_part[i] == NULL)
			continue;
		if (cls->len > 0)
			g_string_append(cls, "; ");
		g_string_append_printf(cls, "%s%s", class_label[i], fd->class_part[i]);
	}
	if (cls->len > 0)
		dp_record_set(rec, "meta.foia.classification", cls->str);

	if (fd->bates_first != NULL)
		dp_record_setf(rec, "meta.foia.bates", "%s;%s", fd->bates_first, fd->bates_last);
	if (fd->stamps->len > 0) {
		g_ptr_array_add(fd->stamps, NULL);
		g_autofree char *s = g_strjoinv(";", (char **)fd->stamps->pdata);
		g_ptr_array_remove_index(fd->stamps, fd->stamps->len - 1);
		dp_record_set(rec, "meta.foia.stamp", s);
	}
}

/*
 * One pass over BODY: the values into FD, and unless KEEP the body
 * without its furniture into *OUT (left NULL when nothing goes).
 */
static void
scan_body(const DpFurniture *f, const GString *body, gboolean keep, Found *fd, GString **out)
{
	const char *s = body->str, *end = body->str + body->len;
	const char *copied = s; /* what is before this is in OUT already */
	guint page = 1;
	/*
	 * What the last two non-blank lines of the page matched: a banner
	 * over several lines may have another stamp's line in between
	 * ("RELEASE IN", "Date: 05/13/2015", "FULL").
	 */
	guint64 last = 0, prev = 0;
	const char *p = s;
	/* The next form feed, looked for once per page rather than on every byte. */
	const char *ff = memchr(s, '\f', body->len);
	while (p < end) {
		if (ff != NULL && ff < p)
			ff = memchr(p, '\f', (gsize)(end - p));
		const char *stop = ff != NULL ? ff : end;
		const char *e = memchr(p, '\n', (gsize)(stop - p));
		if (e == NULL)
			e = stop;
		LineResult r = scan_line(f, fd, p, (gsize)(e - p), page, prev);
		gboolean blank = TRUE;
		for (const char *q = p; q < e && blank; q++)
			blank = *q == ' ' || *q == '\t';
		if (!blank) {
			prev = last | r.mask;
			last = r.mask;
			fd->stamp_last = fd->stamp_line;
			fd->stamp_line = FALSE;
		}
		if (r.furniture || r.cut < (gsize)(e - p))
			fd->any = TRUE;
		if (!keep && (r.furniture || r.cut < (gsize)(e - p))) {
			if (*out == NULL)
				*out = g_string_sized_new(body->len);
			g_string_append_len(*out, copied, p - copied);
			if (!r.furniture)
				g_string_append_len(*out, p, (gssize)r.cut);
			/* A removed line takes its newline with it; a form feed stays. */
			if (r.furniture && e < end && *e == '\n')
				copied = e + 1;
			else
				copied = e;
		}
		if (e < end && *e == '\f') {
			page++;
			prev = last = 0;
			stamp_flush(fd);
			fd->stamp_last = FALSE;
		}
		p = e < end ? e + 1 : e;
	}
	stamp_flush(fd);
	if (*out != NULL)
		g_string_append_len(*out, copied, end - copied);
}

/*
 * TRUE when S is valid UTF-8, as g_utf8_validate_len() says, faster on
 * text that is nearly all ASCII: eight bytes at a time, and only the runs
 * of other bytes validated (an ASCII byte never continues a character).
 */
static gboolean
utf8_valid(const char *s, gsize len)
{
	gsize i = 0;
	while (i < len) {
		if (len - i >= 8) {
			guint64 w;
			memcpy(&w, s + i, 8);
			if ((w & G_GUINT64_CONSTANT(0x8080808080808080)) == 0) {
				i += 8;
				continue;
			}
		}
		if ((guchar)s[i] < 0x80) {
			i++;
			continue;
		}
		gsize j = i;
		while (j < len && (guchar)s[j] >= 0x80)
			j++;
		if (!g_utf8_validate_len(s + i, j - i, NULL))
			return FALSE;
		i = j;
	}
	return TRUE;
}

/*
 * TRUE when dp_text_normalize() would return the LEN bytes at S as they
 * are.  dp_text_is_normal() says FALSE on any form feed, so the text is
 * checked page by page: dp_text_normalize() starts every page afresh
 * (no blank line at its start) and ends it with one line end and no blank
 * line, which is what dp_text_is_normal() asks of a whole text, so a text
 * whose pages each pass it (an empty page too) is normal; the last page
 * ends the text, and may also be a lone line end after a form feed.
 * Conservative: FALSE only costs a normalization.
 */
static gboolean
paged_is_normal(const char *s, gsize len)
{
	const char *p = s, *end = s + len;
	for (;;) {
		const char *ff = memchr(p, '\f', (gsize)(end - p));
		if (ff == NULL) {
			if (p == s)
				return dp_text_is_normal(s, len);
			/* The last page: not empty (one line end ends the text). */
			return (end - p == 1 && *p == '\n') || (end > p && dp_text_is_normal(p, (gsize)(end - p)));
		}
		if (ff > p && !dp_text_is_normal(p, (gsize)(ff - p)))
			return FALSE;
		p = ff + 1;
	}
}

/*
 * Drop the empty lines of T that dp_text_normalize() drops: at the start
 * of the text and of each page, at the end of a page and of the text, and
 * all but the first of a run (and end a text that ends with a form feed
 * with the line end dp_text_normalize() gives it).  dp_text_normalize() gives the same for T
 * before and after (lines of blanks are its own business), so that this
 * only saves it work.
 */
static void
drop_empty_lines(GString *t)
{
	gsize r = 0, w = 0;
	gboolean page_start = TRUE, prev_empty = FALSE;
	while (r < t->len) {
		char c = t->str[r];
		if (c == '\n' && (page_start || prev_empty)) {
			r++;
			continue;
		}
		if (c == '\n') {
			prev_empty = TRUE;
			t->str[w++] = t->str[r++];
			continue;
		}
		if (c == '\f') {
			while (w >= 2 && t->str[w - 1] == '\n' && t->str[w - 2] == '\n')
				w--;
			t->str[w++] = t->str[r++];
			page_start = TRUE;
			prev_empty = FALSE;
			continue;
		}
		/* A line with text: copied up to its end, which is looked at next. */
		const char *e = t->str + r;
		while (e < t->str + t->len && *e != '\n' && *e != '\f')
			e++;
		gsize n = (gsize)(e - (t->str + r));
		memmove(t->str + w, t->str + r, n);
		w += n;
		r += n;
		if (r < t->len && t->str[r] == '\n')
			t->str[w++] = t->str[r++];
		page_start = prev_empty = FALSE;
	}
	while (w >= 2 && t->str[w - 1] == '\n' && t->str[w - 2] == '\n')
		w--;
	g_string_truncate(t, w);
	/* A text ends with a line end, after a last form feed too ("\f\n"). */
	if (w > 0 && t->str[w - 1] == '\f')
		g_string_append_c(t, '\n');
}

gboolean
dp_furniture_apply(const DpFurniture *f, DpRecord *rec, gboolean keep)
{
	g_return_val_if_fail(f != NULL && rec != NULL, FALSE);
	if (rec->body == NULL || rec->body->len == 0)
		return FALSE;
	/* One match data for the whole body: a match allocates nothing. */
	pcre2_match_data *md = pcre2_match_data_create(f->max_pairs, NULL);
	/* Valid as a whole, each line is (lines and columns end at ASCII bytes). */
	gboolean valid = utf8_valid(rec->body->str, rec->body->len);
	const Accel *accel = rec->body->len >= ACCEL_BYTES ? accel_get(f) : NULL;
	Found fd;
	found_init(&fd);
	fd.allow_weak = TRUE;
	fd.md = md;
	fd.accel = accel;
	fd.body_valid = valid;
	g_autoptr(GString) out = NULL;
	scan_body(f, rec->body, keep, &fd, &out);
	/*
	 * Weak patterns (a bare "84" in the margin) only count in a document
	 * with other furniture: in any other they would make a table's
	 * numbers exemption codes.  Such a document is read again without
	 * them (rare: it needs a weak match and nothing else).
	 */
	if (fd.weak && !fd.strong) {
		found_clear(&fd);
		found_init(&fd);
		fd.allow_weak = FALSE;
		fd.md = md;
		fd.accel = accel;
		fd.body_valid = valid;
		if (out != NULL)
			g_string_free(g_steal_pointer(&out), TRUE);
		scan_body(f, rec->body, keep, &fd, &out);
	}
	gboolean any = fd.any;
	if (any) {
		set_metadata(rec, &fd);
		if (out != NULL) {
			/*
			 * The body was normalized: what the removal leaves to do
			 * is only empty lines, done here; should the text still
			 * not be normal, dp_text_normalize() does it all.
			 */
			drop_empty_lines(out);
			GString *norm = paged_is_normal(out->str, out->len) ? g_steal_pointer(&out)
			                                                    : dp_text_normalize(out->str, out->len);
			g_string_free(rec->body, TRUE);
			rec->body = norm;
		}
	}
	found_clear(&fd);
	pcre2_match_data_free(md);
	return any;
}
