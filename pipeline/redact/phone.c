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
 *	extractor modules (extract/module.c): $DOCPIPE_MODULE_DIR, beside the
 *	program, then MODULE_DIR; those directories are trusted like the
 *	programs themselves.
 */
#include "redact/phone.h"

#include "util/exitcode.h"

#include <gmodule.h>
#include <string.h>

#include "util/banned.h"

#ifndef DP_MODULE_DIR
#define DP_MODULE_DIR "/usr/local/lib/docpipe"
#endif

#define PHONE_MODULE "docpipe-phone"
/* At most this many runs of digits in one candidate. */
#define MAX_RUNS 8

struct DpPhone {
	GPtrArray *regions; /* of char*, "GB" */
	int (*valid)(const char *number, const char *region);
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

/* The directories a module is looked for in, first first (as extract/module.c). */
static GPtrArray *
module_dirs(void)
{
	GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
	const char *env = g_getenv("DOCPIPE_MODULE_DIR");
	if (env != NULL && *env != '\0')
		g_ptr_array_add(dirs, g_strdup(env));
	g_autofree char *exe = g_file_read_link("/proc/self/exe", NULL);
	if (exe != NULL) {
		g_autofree char *dir = g_path_get_dirname(exe);
		g_autofree char *lib = g_build_filename(dir, "..", "lib", "docpipe", NULL);
		g_autofree char *up = g_build_filename(dir, "..", NULL);
		g_ptr_array_add(dirs, g_strdup(dir));
		g_ptr_array_add(dirs, g_canonicalize_filename(lib, NULL));
		g_ptr_array_add(dirs, g_canonicalize_filename(up, NULL));
	}
	g_ptr_array_add(dirs, g_strdup(DP_MODULE_DIR));
	return dirs;
}

/* Load docpipe-phone.so (once per process; it stays) and find its two entry points. */
static gboolean
load_module(DpPhone *ph, int (**known)(const char *), GError **error)
{
	g_autoptr(GPtrArray) dirs = module_dirs();
	g_autoptr(GString) tried = g_string_new(NULL);
	for (guint i = 0; i < dirs->len; i++) {
		g_autofree char *path = g_strdup_printf("%s/%s.so", (char *)dirs->pdata[i], PHONE_MODULE);
		if (!g_file_test(path, G_FILE_TEST_EXISTS))
			continue;
		GModule *m = g_module_open(path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
		gpointer v = NULL, k = NULL;
		if (m != NULL && g_module_symbol(m, DP_PHONELIB_VALID, &v) && g_module_symbol(m, DP_PHONELIB_REGION_KNOWN, &k)) {
			g_module_make_resident(m);
			ph->valid = (int (*)(const char *, const char *))v;
			*known = (int (*)(const char *))k;
			return TRUE;
		}
		g_string_append_printf(tried, "%s%s", tried->len ? "; " : "", g_module_error());
		if (m != NULL)
			g_module_close(m);
	}
	g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s", tried->len ? tried->str : PHONE_MODULE ".so not found");
	return FALSE;
}

void
dp_phone_free(DpPhone *ph)
{
	if (ph == NULL)
		return;
	g_ptr_array_unref(ph->regions);
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
	g_autoptr(GError) local = NULL;
	if (!load_module(ph, &known, &local)) {
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
	}
	*out = ph;
	return TRUE;
}

/* ---- candidates ------------------------------------------------------------ */

/* The runs of digits of a candidate, and what joins them. */
typedef struct {
	gsize s[MAX_RUNS], e[MAX_RUNS];
	char sep[MAX_RUNS]; /* the punctuation before run i ('-', '.', '/', ' ', or '(' for "(12)") */
	guint n;
} Runs;

/*
 * Is the text between two runs, [P, Q), phone punctuation: at most three
 * characters of " -./()", with at most one of "-./"?  *SEP receives the
 * kind: the punctuation mark, '(' for an opening parenthesis, or ' '.
 */
static gboolean
joiner(const char *v, gsize p, gsize q, char *sep)
{
	if (q == p || q - p > 3)
		return FALSE;
	guint marks = 0;
	*sep = ' ';
	for (gsize k = p; k < q; k++) {
		if (v[k] == '-' || v[k] == '.' || v[k] == '/') {
			marks++;
			*sep = v[k];
		} else if (v[k] == '(') {
			*sep = '(';
		} else if (v[k] != ' ' && v[k] != ')') {
			return FALSE;
		}
	}
	return marks <= 1;
}

static gboolean
is_year(const char *d)
{
	return (d[0] == '1' && d[1] == '9') || (d[0] == '2' && d[1] == '0');
}

/* Eight digits that read as a date, YYYYMMDD or DDMMYYYY. */
static gboolean
date8(const char *d)
{
	int a = (d[0] - '0') * 10 + (d[1] - '0'), b = (d[2] - '0') * 10 + (d[3] - '0');
	int y = (d[4] - '0') * 10 + (d[5] - '0'), z = (d[6] - '0') * 10 + (d[7] - '0');
	if (is_year(d) && b >= 1 && b <= 12 && z >= 1 && z <= 31)
		return TRUE;
	return is_year(d + 4) && a >= 1 && a <= 31 && b >= 1 && b <= 12 && (y == 19 || y == 20);
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

/* A currency sign or code just before S or just after E: an amount. */
static gboolean
currency_near(const char *v, gsize vlen, gsize s, gsize e)
{
	static const char *const signs[] = { "$", "\302\243", "\342\202\254", "\302\245", "EUR", "USD",
		                             "GBP", "CHF", "JPY", "INR", "Rs",         "R$" };
	gsize b = s > 0 && v[s - 1] == ' ' ? s - 1 : s;
	gsize a = e < vlen && v[e] == ' ' ? e + 1 : e;
	for (guint i = 0; i < G_N_ELEMENTS(signs); i++) {
		gsize n = strlen(signs[i]);
		if (b >= n && memcmp(v + b - n, signs[i], n) == 0)
			return TRUE;
		if (a + n <= vlen && memcmp(v + a, signs[i], n) == 0)
			return TRUE;
	}
	return FALSE;
}

/*
 * Does the candidate (runs R[I..J], digits D, N of them) have the shape of
 * something that is not a phone number?  Dates (2021-03-04, 04.03.2021,
 * 20210304), thousands (1.234.567), IPv4 addresses, ZIP+4 codes
 * (90740-5600), decimals, ISBNs, page and year ranges (1412-1427).
 */
static gboolean
lookalike(const char *v, const Runs *r, guint i, guint j, const char *d, guint n, gboolean intl)
{
	guint k = j - i + 1;
	gsize len[MAX_RUNS];
	char mark = 0;
	for (guint g = i; g <= j; g++) {
		len[g - i] = r->e[g] - r->s[g];
		if (g > i && r->sep[g] != ' ' && r->sep[g] != '(')
			mark = mark ? mark : r->sep[g];
	}
	if (intl)
		return FALSE; /* "+CC": the prefix says what it is */
	/* Dates: a year with a day and a month, or dd.mm.yy. */
	if (k == 3) {
		for (guint g = 0; g < 3; g++)
			if (len[g] == 4 && is_year(v + r->s[i + g]) && len[(g + 1) % 3] <= 2 && len[(g + 2) % 3] <= 2)
				return TRUE;
		if (len[0] == 2 && len[1] == 2 && len[2] == 2 && mark != 0)
			return TRUE;
	}
	if (k == 1 && n == 8 && date8(d))
		return TRUE;
	/* Thousands and IPv4 addresses: dot-separated groups of three. */
	if (mark == '.') {
		gboolean threes = len[0] <= 3;
		for (guint g = 1; g < k; g++)
			threes = threes && len[g] == 3;
		if (threes)
			return TRUE;
		if (k == 4 && len[0] <= 3 && len[1] <= 3 && len[2] <= 3 && len[3] <= 3)
			return TRUE;
	}
	/*
	 * Two groups: a national number keeps its trunk 0 ("06-10446904",
	 * "030/901820") or its area code in parentheses; otherwise only two
	 * long groups apart by a space ("98765 43210").  Not a ZIP+4, a
	 * decimal, a range.
	 */
	if (k == 2 && d[0] != '0' && r->sep[i] != '(' && !(mark == 0 && len[0] >= 4 && len[1] >= 4))
		return TRUE;
	if (k == 2 && len[0] == 5 && len[1] == 4 && mark == '-')
		return TRUE;
	/* One run of digits: only with its trunk 0 ("07866572626"). */
	if (k == 1 && (d[0] != '0' || d[1] == '0'))
		return TRUE;
	/* ISBNs, hyphenated or spaced in four or five groups. */
	if ((k == 4 || k == 5) && isbn_ok(d, n))
		return TRUE;
	return FALSE;
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
		if (*intl && g == i + 1 && len == 1 && v[r->s[g]] == '0' && r->sep[g] == '(')
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

/* Is any configured region's national form, or (INTL) any country's, valid for NUMBER? */
static gboolean
valid(const DpPhone *ph, const char *number, gboolean intl)
{
	if (intl)
		return ph->valid(number, "ZZ") != 0;
	for (guint i = 0; i < ph->regions->len; i++)
		if (ph->valid(number + 1, ph->regions->pdata[i]))
			return TRUE;
	return FALSE;
}

/* Collect the runs of digits of [VS, VE) and what joins each to the one before. */
static void
collect_runs(const char *v, gsize vs, gsize ve, Runs *r, gsize *next)
{
	r->n = 0;
	gsize p = vs;
	while (p < ve && !g_ascii_isdigit(v[p]))
		p++;
	*next = ve;
	while (p < ve && r->n < MAX_RUNS) {
		gsize s = p;
		while (p < ve && g_ascii_isdigit(v[p]))
			p++;
		char sep = 0;
		if (r->n > 0 && !joiner(v, r->e[r->n - 1], s, &sep)) {
			*next = s;
			return; /* the rest is another candidate region */
		}
		r->s[r->n] = s;
		r->e[r->n] = p;
		r->sep[r->n] = sep;
		/* "(12) 345": the run is an area code in parentheses. */
		if (s > 0 && v[s - 1] == '(' && p < ve && v[p] == ')')
			r->sep[r->n] = '(';
		r->n++;
		gsize q = p;
		while (q < ve && !g_ascii_isdigit(v[q]))
			q++;
		p = q;
	}
	*next = p;
}

/* Where the candidate starting with run I starts: at a "+", "+(" or "(" before it. */
static gsize
candidate_start(const char *v, gsize vs, const Runs *r, guint i)
{
	gsize s = r->s[i];
	if (s > vs && v[s - 1] == '(')
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
		if (i > 0 && (r.sep[i] == '-' || r.sep[i] == '.' || r.sep[i] == '/'))
			continue;
		gsize s = candidate_start(v, vs, &r, i);
		for (guint j = r.n; j-- > i;) {
			gboolean intl;
			guint n = digits_of(v, &r, i, j, s, buf, &intl);
			if (n < 7 || n > (intl ? 15u : 12u))
				continue;
			/* A parenthesized group is an area code, never the last one. */
			if (r.sep[j] == '(' || lookalike(v, &r, i, j, buf + 1, n, intl) ||
			    currency_near(v, vlen, s, r.e[j]) || !sink->bounded(sink->ctx, s, r.e[j]) ||
			    !valid(ph, buf, intl))
				continue;
			sink->add(sink->ctx, s, r.e[j]);
			i = j;
			break;
		}
	}
	return next;
}
