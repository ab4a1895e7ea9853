/*
 * NAME
 *	phone.c - phone numbers of the regions in [redact] phone-regions,
 *	validated with libphonenumber (docpipe-phone.so)
 *
 * DESCRIPTION
 *	The built-in phone detector (redact/detectors.c) reads numbers by
 *	their grouping, which is what North American numbers and most
 *	international "+CC" numbers look like.  National forms of other
 *	plans ("06-10446904", "030/901820", "07866572626") have groupings it
 *	must refuse, because dates, amounts and reference numbers have them
 *	too.  For the regions configured here, the stretches of a digit
 *	region the detector left alone come to dp_phone_scan(): it cuts them
 *	into candidate spans (runs of digits joined by phone punctuation,
 *	with an optional "+CC", "00CC" or "+CC (0)" prefix), drops the
 *	look-alikes by their shape, and asks libphonenumber whether what is
 *	left is a valid number of a configured region (national form) or of
 *	any country (international form).  Nothing here scans text: the
 *	candidates come from the shared digit-run scan, and libphonenumber
 *	is only called on regions where the built-in detector found nothing.
 *
 *	The module is loaded only when a configured region lies outside the
 *	North American plan, which the built-in detector covers: a program
 *	that does not need libphonenumber, ICU and protobuf does not pay for
 *	loading them.
 *
 * SECURITY
 *	The text is untrusted; every span is bounded by the region the
 *	caller passes, and what goes to the module is at most 24 ASCII
 *	digits with an optional '+'.  The module file is found like the
 *	extractor modules (util/moddir.c): $DOCPIPE_MODULE_DIR, beside the
 *	program, then MODULE_DIR; those directories are trusted like the
 *	programs themselves.
 */
#include "redact/phone.h"

#include "util/exitcode.h"
#include "util/moddir.h"

#include <string.h>

#include "util/banned.h"

#define PHONE_MODULE "docpipe-phone"
/* At most this many runs of digits in one candidate. */
#define MAX_RUNS 8

/* Answers kept, so that a number repeated through a text is asked about once. */
#define CACHE_MAX 65536

struct DpPhone {
	GPtrArray *regions; /* of char*, "GB" */
	GPtrArray *trunks;  /* of char*: each region's trunk prefix, "" for none */
	int (*valid)(const char *number, const char *region);
	/* "REGION NUMBER" (region "ZZ" for international) -> answer + 1 */
	GHashTable *cache;
};

/*
 * The regions of the North American numbering plan: the built-in
 * detector reads their numbers, so they alone never load the module.
 */
static const char *const nanp[] = {
	"US", "CA", "AG", "AI", "AS", "BB", "BM", "BS", "DM", "DO", "GD", "GU", "JM",
	"KN", "KY", "LC", "MP", "MS", "PR", "SX", "TC", "TT", "VC", "VG", "VI",
};

static gboolean
is_nanp(const char *region)
{
	for (guint i = 0; i < G_N_ELEMENTS(nanp); i++)
		if (g_str_equal(region, nanp[i]))
			return TRUE;
	return FALSE;
}

/* Load docpipe-phone.so (once per process; it stays) and find its three entry points. */
static gboolean
load_module(DpPhone *ph, int (**known)(const char *), void (**trunk)(const char *, char *, int), GError **error)
{
	const char *const symbols[] = { DP_PHONELIB_VALID, DP_PHONELIB_REGION_KNOWN, DP_PHONELIB_TRUNK_PREFIX, NULL };
	gpointer addrs[G_N_ELEMENTS(symbols)] = { NULL };
	g_autofree char *why = NULL;
	if (dp_moddir_open(PHONE_MODULE, symbols, addrs, &why) == NULL) {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s", why);
		return FALSE;
	}
	ph->valid = (int (*)(const char *, const char *))addrs[0];
	*known = (int (*)(const char *))addrs[1];
	*trunk = (void (*)(const char *, char *, int))addrs[2];
	return TRUE;
}

void
dp_phone_free(DpPhone *ph)
{
	if (ph == NULL)
		return;
	g_ptr_array_unref(ph->regions);
	g_ptr_array_unref(ph->trunks);
	g_clear_pointer(&ph->cache, g_hash_table_unref);
	g_free(ph);
}

gboolean
dp_phone_new(const DpConfig *cfg, DpPhone **out, GError **error)
{
	*out = NULL;
	g_auto(GStrv) list = dp_config_get_list(cfg, "redact", "phone-regions");
	const char *file = dp_config_file(cfg) ? dp_config_file(cfg) : "configuration";
	DpPhone *ph = g_new0(DpPhone, 1);
	ph->regions = g_ptr_array_new_with_free_func(g_free);
	ph->trunks = g_ptr_array_new_with_free_func(g_free);
	gboolean need = FALSE;
	for (guint i = 0; list[i]; i++) {
		char *r = g_ascii_strup(g_strstrip(list[i]), -1);
		if (strlen(r) != 2 || !g_ascii_isalpha(r[0]) || !g_ascii_isalpha(r[1])) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG,
			            "%s: [redact] phone-regions: '%s' is not a two-letter region code", file, list[i]);
			g_free(r);
			dp_phone_free(ph);
			return FALSE;
		}
		need = need || !is_nanp(r);
		g_ptr_array_add(ph->regions, r);
	}
	if (!need) {
		dp_phone_free(ph);
		return TRUE;
	}
	int (*known)(const char *) = NULL;
	void (*trunk)(const char *, char *, int) = NULL;
	g_autoptr(GError) local = NULL;
	if (!load_module(ph, &known, &trunk, &local)) {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG,
		            "%s: [redact] phone-regions needs libphonenumber's module " PHONE_MODULE ".so: %s", file,
		            local->message);
		dp_phone_free(ph);
		return FALSE;
	}
	for (guint i = 0; i < ph->regions->len; i++) {
		if (!known(ph->regions->pdata[i])) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s: [redact] phone-regions: unknown region '%s'",
			            file, (char *)ph->regions->pdata[i]);
			dp_phone_free(ph);
			return FALSE;
		}
		char t[8];
		trunk(ph->regions->pdata[i], t, sizeof t);
		g_ptr_array_add(ph->trunks, g_strdup(t));
	}
	ph->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	*out = ph;
	return TRUE;
}

/* ---- candidates ------------------------------------------------------------ */

/* The runs of digits of a chain, and what joins each to the one before. */
typedef struct {
	gsize s[MAX_RUNS], e[MAX_RUNS];
	char sep[MAX_RUNS];       /* the mark before run i: '-', '.', '/', or ' ' for none */
	gboolean paren[MAX_RUNS]; /* run i is in parentheses: "(030)" */
	guint n;
} Runs;

/*
 * Is the text between two runs, [P, Q), phone punctuation?  A ")" that
 * closes the run before (PREV_PAREN) and a "(" that opens the next
 * (NEXT_PAREN) aside, it is one of "", " ", "-", ".", "/", " - ", " / ",
 * and empty only after a ")": "37(2)" is a citation.  *SEP receives the
 * mark, or ' '.
 */
static gboolean
joiner(const char *v, gsize p, gsize q, gboolean prev_paren, gboolean next_paren, char *sep)
{
	if (prev_paren) {
		if (p >= q || v[p] != ')')
			return FALSE;
		p++;
	}
	if (next_paren)
		q--; /* the "(" */
	*sep = ' ';
	gsize n = q - p;
	if (n == 0)
		return prev_paren;
	if (n == 1) {
		if (v[p] == ' ')
			return TRUE;
		*sep = v[p];
		return v[p] == '-' || v[p] == '.' || v[p] == '/';
	}
	if (n == 3 && v[p] == ' ' && v[p + 2] == ' ' && (v[p + 1] == '-' || v[p + 1] == '/')) {
		*sep = v[p + 1];
		return TRUE;
	}
	return FALSE;
}

static gboolean
is_year(const char *d)
{
	return (d[0] == '1' && d[1] == '9') || (d[0] == '2' && d[1] == '0');
}

/* Eight digits that read as a date: YYYYMMDD, DDMMYYYY or MMDDYYYY. */
static gboolean
date8(const char *d)
{
	int a = (d[0] - '0') * 10 + (d[1] - '0'), b = (d[2] - '0') * 10 + (d[3] - '0');
	int z = (d[6] - '0') * 10 + (d[7] - '0');
	if (is_year(d) && b >= 1 && b <= 12 && z >= 1 && z <= 31)
		return TRUE;
	return is_year(d + 4) && a >= 1 && b >= 1 && ((a <= 31 && b <= 12) || (a <= 12 && b <= 31));
}

/* ISBN-10 (mod 11) or ISBN-13 (978/979, mod 10) check over N digits D. */
static gboolean
isbn_ok(const char *d, guint n)
{
	guint sum = 0;
	if (n == 10) {
		for (guint i = 0; i < 10; i++)
			sum += (10 - i) * (guint)(d[i] - '0');
		return sum % 11 == 0;
	}
	if (n == 13 && d[0] == '9' && d[1] == '7' && (d[2] == '8' || d[2] == '9')) {
		for (guint i = 0; i < 13; i++)
			sum += (i % 2 ? 3 : 1) * (guint)(d[i] - '0');
		return sum % 10 == 0;
	}
	return FALSE;
}

gboolean
dp_phone_is_amount(const char *v, gsize vlen, gsize s, gsize e)
{
	/* The signs read as prose; the formatter would make them a grid. */
	/* clang-format off */
#define SIGN(x) { x, sizeof x - 1 }
	static const struct {
		const char *s;
		gsize n;
	} signs[] = {
		SIGN("$"), SIGN("\302\243"), SIGN("\342\202\254"), SIGN("\302\245"), SIGN("EUR"), SIGN("USD"),
		SIGN("GBP"), SIGN("CHF"), SIGN("JPY"), SIGN("INR"), SIGN("R$"),
	};
#undef SIGN
	/* clang-format on */
	gsize b = s > 0 && v[s - 1] == ' ' ? s - 1 : s;
	gsize a = e < vlen && v[e] == ' ' ? e + 1 : e;
	/* The usual case, asked for every number the built-in detector takes: no sign there. */
	guchar cb = b > 0 ? (guchar)v[b - 1] : 0, ca = a < vlen ? (guchar)v[a] : 0;
	if (cb != '$' && cb < 0x80 && !g_ascii_isupper(cb) && ca != '$' && ca < 0x80 && !g_ascii_isupper(ca))
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(signs); i++) {
		gsize n = signs[i].n;
		if (b >= n && memcmp(v + b - n, signs[i].s, n) == 0)
			return TRUE;
		if (a + n <= vlen && memcmp(v + a, signs[i].s, n) == 0)
			return TRUE;
	}
	return FALSE;
}

/*
 * Three runs from G that make a date (2021-03-04, 04.03.2021, 04/03/21,
 * "2009 11 12") or a US social security number (123-45-6789).
 */
static gboolean
date_at(const char *v, const Runs *r, guint g)
{
	gsize a = r->e[g] - r->s[g], b = r->e[g + 1] - r->s[g + 1], c = r->e[g + 2] - r->s[g + 2];
	if (a == 4 && b <= 2 && c <= 2 && is_year(v + r->s[g]))
		return TRUE;
	if (a <= 2 && b <= 2 && c == 4 && is_year(v + r->s[g + 2]))
		return TRUE;
	if (a == 3 && b == 2 && c == 4 && r->sep[g + 1] == '-' && r->sep[g + 2] == '-')
		return TRUE; /* an SSN, the ssn detector's */
	return a == 2 && b == 2 && c == 2 && r->sep[g + 1] != ' ' && r->sep[g + 1] == r->sep[g + 2];
}

/*
 * Runs R[I..J] of one length that count up ("330 340 350", "010 100 110"):
 * an axis or a column of a table.  Not "01 23 45 67 89", the French
 * grouping of a number with its trunk 0.
 */
static gboolean
counting(const char *v, const Runs *r, guint i, guint j)
{
	gsize len = r->e[i] - r->s[i];
	if (len == 2 && v[r->s[i]] == '0')
		return FALSE;
	for (guint g = i + 1; g <= j; g++)
		if (r->e[g] - r->s[g] != len || memcmp(v + r->s[g], v + r->s[g - 1], len) <= 0)
			return FALSE;
	return TRUE;
}

/*
 * Is the grouping of runs R[I..J] not a phone number's, or the shape of
 * something else?  Groups of one digit (table columns, "554 5.7.0"; only
 * a country code or the "+33 6" after one), more than one kind of mark,
 * dates anywhere in it, dot-separated threes (thousands, IPv4), ZIP+4
 * (90740-5600), decimals (0.123456789), ISBNs, and two plain groups
 * without a trunk 0 or an area code in parentheses (page and year
 * ranges: 1412-1427).
 */
static gboolean
lookalike(const char *v, const Runs *r, guint i, guint j, const char *d, guint n, gboolean intl)
{
	guint k = j - i + 1;
	gsize len[MAX_RUNS];
	char mark = 0;
	for (guint g = i; g <= j; g++) {
		len[g - i] = r->e[g] - r->s[g];
		if (len[g - i] == 1 && !(intl && g <= i + 1) && !r->paren[g])
			return TRUE;
		if (g > i && r->sep[g] != ' ') {
			if (mark != 0 && r->sep[g] != mark)
				return TRUE;
			mark = r->sep[g];
		}
		if (r->paren[g] && len[g - i] == 4 && is_year(v + r->s[g]))
			return TRUE; /* "48 (1960) 398-407" */
	}
	if (k > (intl ? 6u : 5u))
		return TRUE;
	if (k >= 3 && counting(v, r, i, j))
		return TRUE;
	for (guint g = i; g + 2 <= j; g++)
		if (date_at(v, r, g))
			return TRUE;
	if (intl)
		return FALSE; /* "+CC": the prefix says what it is */
	if (k == 1 && n == 8 && date8(d))
		return TRUE;
	if (mark == '.') {
		gboolean threes = len[0] <= 3;
		for (guint g = 1; g < k; g++)
			threes = threes && len[g] == 3;
		if (threes || (k == 4 && len[0] <= 3 && len[1] <= 3 && len[2] <= 3 && len[3] <= 3))
			return TRUE;
	}
	if (k == 2 && d[0] != '0' && !r->paren[i] && !(mark == 0 && len[0] >= 4 && len[1] >= 4))
		return TRUE;
	if (k == 2 && len[0] == 5 && len[1] == 4 && mark == '-')
		return TRUE;
	/* One run of digits: only with its trunk 0 ("07866572626"). */
	if (k == 1 && (d[0] != '0' || d[1] == '0'))
		return TRUE;
	return (k == 4 || k == 5) && isbn_ok(d, n);
}

/*
 * The number to hand to libphonenumber for runs R[I..J] starting at S:
 * "+" and the digits for the international forms ("+CC", "00CC", with a
 * "(0)" after the country code left out), the digits otherwise.  Returns
 * the number of digits, 0 when the candidate cannot be a number.
 */
static guint
digits_of(const char *v, const Runs *r, guint i, guint j, gsize s, char *buf, gboolean *intl)
{
	guint n = 0;
	*intl = v[s] == '+';
	for (guint g = i; g <= j; g++) {
		gsize len = r->e[g] - r->s[g];
		/* "+44 (0)20": the trunk prefix is not dialled from abroad. */
		if (*intl && g == i + 1 && len == 1 && v[r->s[g]] == '0' && r->paren[g])
			continue;
		if (n + len > 17)
			return 0;
		memcpy(buf + 1 + n, v + r->s[g], len);
		n += (guint)len;
	}
	buf[1 + n] = '\0';
	if (!*intl && n >= 10 && buf[1] == '0' && buf[2] == '0') {
		/* "0049 30 901820": the international prefix of most of the world. */
		memmove(buf + 1, buf + 3, n - 1);
		n -= 2;
		*intl = TRUE;
	}
	buf[0] = '+';
	return n;
}

/*
 * Is NUMBER valid: with INTL, for any country; otherwise in the national
 * form of a configured region, written with the region's trunk prefix
 * unless TRUNK_OPTIONAL (an area code in parentheses: "(11) 98765-4321").
 */
static gboolean
ask(const DpPhone *ph, const char *number, const char *region)
{
	char key[40];
	g_snprintf(key, sizeof key, "%s %s", region, number);
	gpointer hit = g_hash_table_lookup(ph->cache, key);
	if (hit != NULL)
		return GPOINTER_TO_INT(hit) - 1;
	int ok = ph->valid(number, region) != 0;
	if (g_hash_table_size(ph->cache) >= CACHE_MAX)
		g_hash_table_remove_all(ph->cache);
	g_hash_table_insert(ph->cache, g_strdup(key), GINT_TO_POINTER(ok + 1));
	return ok;
}

static gboolean
valid(const DpPhone *ph, const char *number, gboolean intl, gboolean trunk_optional)
{
	if (intl)
		return ask(ph, number, "ZZ");
	for (guint i = 0; i < ph->regions->len; i++) {
		/* Table columns and counts parse as numbers without their trunk 0. */
		const char *t = ph->trunks->pdata[i];
		if (!trunk_optional && !g_str_has_prefix(number + 1, t))
			continue;
		if (ask(ph, number + 1, ph->regions->pdata[i]))
			return TRUE;
	}
	return FALSE;
}

/* Is the run of digits [S, E) in parentheses, with nothing glued before them? */
static gboolean
in_parens(const char *v, gsize vs, gsize ve, gsize s, gsize e)
{
	return s > vs && v[s - 1] == '(' && e < ve && v[e] == ')' && !(s >= 2 && g_ascii_isdigit(v[s - 2]));
}

/* Collect the chain of runs from the first digit of [VS, VE) on; *NEXT: where the next chain starts. */
static void
collect_runs(const char *v, gsize vs, gsize ve, Runs *r, gsize *next)
{
	r->n = 0;
	gsize p = vs;
	while (p < ve && !g_ascii_isdigit(v[p]))
		p++;
	while (p < ve && r->n < MAX_RUNS) {
		gsize s = p;
		while (p < ve && g_ascii_isdigit(v[p]))
			p++;
		gboolean paren = in_parens(v, vs, ve, s, p);
		char sep = ' ';
		if (r->n > 0 && !joiner(v, r->e[r->n - 1], s, r->paren[r->n - 1], paren, &sep)) {
			*next = s;
			return; /* the rest is another chain */
		}
		r->s[r->n] = s;
		r->e[r->n] = p;
		r->sep[r->n] = sep;
		r->paren[r->n] = paren;
		r->n++;
		while (p < ve && !g_ascii_isdigit(v[p]))
			p++;
	}
	*next = p;
}

/* Where the candidate starting with run I starts: at a "+", "+(" or "(" before it. */
static gsize
candidate_start(const char *v, gsize vs, const Runs *r, guint i)
{
	gsize s = r->s[i];
	if (r->paren[i])
		s--;
	if (s > vs && v[s - 1] == '+')
		s--;
	return s;
}

gsize
dp_phone_scan(const DpPhone *ph, const char *v, gsize vlen, gsize vs, gsize ve, const DpPhoneSink *sink)
{
	Runs r;
	gsize next;
	collect_runs(v, vs, ve, &r, &next);
	char buf[24];
	for (guint i = 0; i < r.n; i++) {
		/* A number does not start after a "-", "." or "/" that glues it to digits. */
		if (i > 0 && r.sep[i] != ' ')
			continue;
		gsize s = candidate_start(v, vs, &r, i);
		for (guint j = r.n; j-- > i;) {
			gboolean intl;
			guint n = digits_of(v, &r, i, j, s, buf, &intl);
			if (n < 7 || n > (intl ? 15u : 12u))
				continue;
			/* A parenthesized group is an area code, never the last one. */
			if (r.paren[j] || lookalike(v, &r, i, j, buf + 1, n, intl) ||
			    dp_phone_is_amount(v, vlen, s, r.e[j]) || !sink->bounded(sink->ctx, s, r.e[j]) ||
			    !valid(ph, buf, intl, r.paren[i]))
				continue;
			sink->add(sink->ctx, s, r.e[j]);
			i = j;
			break;
		}
	}
	return next;
}
