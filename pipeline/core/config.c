/*
 * NAME
 *	config.c - the configuration: schema, loading, validation, printing
 *
 * DESCRIPTION
 *	The schema below names every key once, with its type, its default
 *	and its range; config/docpipe.conf documents the same keys.  Values
 *	live in a GKeyFile.  A key the schema does not know, or a value
 *	outside its type or range, is a configuration error (exit 78) that
 *	names the file and the line: GKeyFile does not report line numbers,
 *	so the loader scans the text once more to tell the user where a bad
 *	key is.  dp_config_dump() prints every effective value with where it
 *	came from (`docpipe config`); dp_config_fingerprint() sums the values
 *	that decide what is written, so that a batch run knows which outputs
 *	are stale (fingerprint_one() says what it leaves out).
 *
 *	The configuration is trusted: it comes from the user, never from an
 *	input, and is read once per process, before the first input.
 */
#include "core/config.h"

#include "util/exitcode.h"

#include <errno.h>
#include <string.h>

#include "util/banned.h"

/* T_LANGS: Tesseract languages ("eng+deu"), each with its data installed. */
typedef enum { T_BOOL, T_INT, T_SIZE, T_STRING, T_LIST, T_ENUM, T_LANGS } ValueType;

typedef struct {
	const char *group; /* "rule *" matches every group "rule NAME" */
	const char *key;
	ValueType type;
	const char *def;     /* NULL: no default (unset) */
	const char *allowed; /* T_ENUM: ";"-separated values; T_INT: "min;max" */
} SchemaEntry;

/*
 * The schema.  config/docpipe.conf documents each entry; keep the two in
 * step (tests/t0040-config.sh checks that every key here appears there).
 */
static const SchemaEntry schema[] = {
	{ "limits", "max-depth", T_INT, "10", "0;1000" },
	{ "limits", "max-input-size", T_SIZE, "2G", NULL },
	{ "limits", "max-text-size", T_SIZE, "256M", NULL },
	{ "limits", "max-children", T_INT, "1000000", "0;100000000" },
	{ "limits", "max-ole-entries", T_INT, "6144", "0;100000000" },
	/*
	 * The processes that handle one input: the sandboxed parsing child
	 * (sandbox/isolate.c, sandbox.c) and, in `docpipe run`, the worker
	 * (batch/run.c, worker.c); 0 turns a limit off.
	 */
	{ "limits", "timeout", T_INT, "300", "0;604800" },
	{ "limits", "cpu-time", T_INT, "120", "0;604800" },
	{ "limits", "memory", T_SIZE, "2G", NULL },
	{ "limits", "open-files", T_INT, "64", "16;1048576" },
	{ "limits", "file-size", T_SIZE, "1G", NULL },
	{ "sandbox", "enabled", T_BOOL, "true", NULL },
	{ "extract", "fallback-charset", T_STRING, "windows-1252", NULL },
	{ "extract", "html-drop", T_LIST, "script;style;noscript;template;head", NULL },
	{ "extract", "identify-parts", T_BOOL, "true", NULL },
	{ "extract", "threads", T_INT, "0", "0;256" },
	{ "pdf", "passwords", T_LIST, "", NULL },
	{ "pdf", "first-page", T_INT, "0", "0;2147483647" },
	{ "pdf", "last-page", T_INT, "0", "0;2147483647" },
	{ "pdf", "max-pages", T_INT, "10000", "0;2147483647" },
	{ "pdf", "time-limit", T_INT, "120", "0;86400" },
	{ "pdf", "covered-text", T_ENUM, "redact", "redact;report;keep" },
	/* OCR (extract/ocr.h): which pages, at what resolution, in which languages. */
	{ "ocr", "mode", T_ENUM, "auto", "auto;always;never" },
	{ "ocr", "dpi", T_INT, "300", "70;1200" },
	{ "ocr", "languages", T_LANGS, "eng", NULL },
	{ "ocr", "page-time-limit", T_INT, "60", "0;86400" },
	{ "ocr", "words", T_BOOL, "false", NULL },
	/* FOIA releases and printed e-mail (pipeline/foia/). */
	{ "foia", "furniture", T_BOOL, "true", NULL },
	{ "foia", "keep-furniture", T_BOOL, "false", NULL },
	{ "foia", "patterns", T_LIST, "", NULL },
	{ "foia", "messages", T_BOOL, "true", NULL },
	{ "foia", "time-zone", T_STRING, NULL, NULL },
	{ "redact", "enabled", T_BOOL, "true", NULL },
	{ "redact", "detectors", T_LIST, "email;phone;ssn;card;iban;ip", NULL },
	{ "redact", "operator", T_ENUM, "label", "label;mask;pseudonym;remove" },
	{ "redact", "mask-char", T_STRING, "*", NULL },
	{ "redact", "key-file", T_STRING, NULL, NULL },
	{ "redact", "key-env", T_STRING, NULL, NULL },
	{ "redact", "pseudonym-digits", T_INT, "6", "4;64" },
	{ "redact", "validate", T_BOOL, "true", NULL },
	{ "redact", "ocr-tolerant", T_ENUM, "auto", "auto;always;never" },
	/* Phone numbering plans (redact/phone.c): outside North America, libphonenumber's module. */
	{ "redact", "phone-regions", T_LIST, "US", NULL },
	{ "redact", "allow", T_LIST, NULL, NULL },
	{ "redact", "allow-file", T_STRING, NULL, NULL },
	/* Names (redact/names.c): display names of redacted addresses; variants and OCR damage of listed names. */
	{ "redact", "header-names", T_BOOL, "true", NULL },
	{ "redact", "fuzzy", T_INT, "1", "0;1" },
	/* Identifiers in the outputs (redact/ids.c); unset: keyed with a [redact] key, else plain. */
	{ "output", "hashes", T_ENUM, NULL, "plain;keyed;none" },
	{ "rule *", "enabled", T_BOOL, NULL, NULL },
	{ "rule *", "pattern", T_STRING, NULL, NULL },
	{ "rule *", "terms", T_STRING, NULL, NULL },
	{ "rule *", "case-insensitive", T_BOOL, NULL, NULL },
	{ "rule *", "label", T_STRING, NULL, NULL },
	{ "rule *", "operator", T_ENUM, NULL, "label;mask;pseudonym;remove" },
	{ "rule *", "mask-char", T_STRING, NULL, NULL },
	{ "rule *", "fuzzy", T_INT, NULL, "0;1" },
	{ "mail", "mbox-variant", T_ENUM, "auto", "auto;mboxo;mboxrd;mboxcl;mboxcl2;mmdf" },
	{ "mail", "alternatives", T_ENUM, "all", "all;preferred" },
	{ "zip", "max-entries", T_INT, "10000", "0;100000000" },
	{ "zip", "max-total-size", T_SIZE, "1G", NULL },
	{ "zip", "max-ratio", T_INT, "100", "0;100000000" },
	{ "zip", "name-charsets", T_LIST, "gb18030", NULL },
	/* docpipe run: how many workers (0: the number of CPUs); their limits are [limits]. */
	{ "run", "jobs", T_INT, "0", "0;1024" },
	/* Duplicates across documents (corpus/dups.c): percent of estimated Jaccard, words per shingle. */
	{ "corpus", "enabled", T_BOOL, "true", NULL },
	{ "corpus", "near-threshold", T_INT, "90", "50;100" },
	{ "corpus", "shingle", T_INT, "5", "1;50" },
};

/*
 * Keys that were renamed.  A file that still sets one fails like any
 * unknown key, but the message names the key to use instead.
 */
typedef struct {
	const char *group, *key;
	const char *now_group, *now_key;
} RenamedKey;

/* clang-format off */
static const RenamedKey renamed[] = {
	{ "run", "timeout", "limits", "timeout" },
	{ "run", "cpu-limit", "limits", "cpu-time" },
	{ "run", "memory-limit", "limits", "memory" },
	{ "run", "file-size-limit", "limits", "file-size" },
	{ "run", "open-files", "limits", "open-files" },
};
/* clang-format on */

/*
 * Where one value came from: a file and line, or the command line (FILE
 * NULL).  The file name is interned: a configuration has many values from
 * a few files, so an Origin is freed with g_free() alone.
 */
typedef struct {
	const char *file;
	guint line;
} Origin;

static Origin *
origin_new(const char *file, guint line)
{
	Origin *o = g_new(Origin, 1);
	o->file = g_intern_string(file);
	o->line = line;
	return o;
}

/*
 * The configuration is built in layers (dp_config_load): the system file,
 * then the user's, each value replacing the one below it key by key.  A
 * value remembers its own origin, so `docpipe config` can say which file
 * set it; FILE is the last file loaded, the one errors are reported
 * against.
 */
struct DpConfig {
	gint ref;
	GKeyFile *kf;
	char *file;
	char *system_file;   /* the system file, when it is one of the layers */
	GPtrArray *files;    /* every file loaded, lowest layer first */
	GHashTable *lines;   /* "group\nkey" -> line number in FILE, while it is parsed */
	GHashTable *origins; /* "group\nkey" -> Origin of the value in KF */
};

static gboolean
group_matches(const char *pattern, const char *group)
{
	gsize n = strlen(pattern);
	if (n >= 1 && pattern[n - 1] == '*')
		return strncmp(group, pattern, n - 1) == 0 && group[n - 1] != '\0';
	return g_str_equal(pattern, group);
}

static const SchemaEntry *
schema_find(const char *group, const char *key)
{
	for (guint i = 0; i < G_N_ELEMENTS(schema); i++)
		if (group_matches(schema[i].group, group) && g_str_equal(schema[i].key, key))
			return &schema[i];
	return NULL;
}

static gboolean
schema_has_group(const char *group)
{
	for (guint i = 0; i < G_N_ELEMENTS(schema); i++)
		if (group_matches(schema[i].group, group))
			return TRUE;
	return FALSE;
}

gboolean
dp_parse_size(const char *s, guint64 *out)
{
	char *end;
	errno = 0;
	double v = g_ascii_strtod(s, &end);
	if (end == s || errno != 0 || v < 0)
		return FALSE;
	double mul = 1;
	switch (g_ascii_toupper(*end)) {
	case 'K':
		mul = 1024.0;
		end++;
		break;
	case 'M':
		mul = 1024.0 * 1024;
		end++;
		break;
	case 'G':
		mul = 1024.0 * 1024 * 1024;
		end++;
		break;
	case 'T':
		mul = 1024.0 * 1024 * 1024 * 1024;
		end++;
		break;
	default: break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end != '\0' || v * mul > 1.8e19)
		return FALSE;
	*out = (guint64)(v * mul);
	return TRUE;
}

char *
dp_config_tessdata_dir(void)
{
	/* Tesseract 5 takes TESSDATA_PREFIX as the directory of the data itself. */
	const char *env = g_getenv("TESSDATA_PREFIX");
	if (env != NULL && *env != '\0')
		return g_strdup(env);
	static const char *const dirs[] = { "/usr/share/tesseract-ocr/5/tessdata",
		                            "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/local/share/tessdata",
		                            "/usr/share/tessdata" };
	for (guint i = 0; i < G_N_ELEMENTS(dirs); i++)
		if (g_file_test(dirs[i], G_FILE_TEST_IS_DIR))
			return g_strdup(dirs[i]);
	return g_strdup(dirs[0]);
}

char *
dp_config_tessdata_missing(const char *languages)
{
	g_autofree char *dir = dp_config_tessdata_dir();
	g_auto(GStrv) langs = g_strsplit(languages, "+", -1);
	for (guint i = 0; langs[i] != NULL; i++) {
		g_autofree char *file = g_strdup_printf("%s/%s.traineddata", dir, langs[i]);
		if (g_file_test(file, G_FILE_TEST_IS_REGULAR))
			continue;
		/* Debian names the packages tesseract-ocr-chi-sim for chi_sim. */
		g_autofree char *pkg = g_ascii_strdown(langs[i], -1);
		g_strdelimit(pkg, "_", '-');
		return g_strdup_printf("no Tesseract data for the language '%s' (%s): install the Debian package "
		                       "tesseract-ocr-%s",
		                       langs[i], file, pkg);
	}
	return NULL;
}

/* "eng", "eng+deu": names of letters, digits and '_' only (they become file names). */
static gboolean
langs_valid(const char *value, char **why)
{
	g_auto(GStrv) langs = g_strsplit(value, "+", -1);
	for (guint i = 0; langs[i] != NULL; i++) {
		gboolean ok = langs[i][0] != '\0' && strlen(langs[i]) <= 64;
		for (const char *p = langs[i]; ok && *p; p++)
			ok = g_ascii_isalnum(*p) || *p == '_';
		if (!ok) {
			*why = g_strdup("expected languages such as eng or eng+deu");
			return FALSE;
		}
	}
	*why = dp_config_tessdata_missing(value);
	return *why == NULL;
}

static gboolean
value_valid(const SchemaEntry *e, const char *value, char **why)
{
	switch (e->type) {
	case T_BOOL:
		if (g_str_equal(value, "true") || g_str_equal(value, "false"))
			return TRUE;
		*why = g_strdup("expected true or false");
		return FALSE;
	case T_INT: {
		gint64 v;
		if (!g_ascii_string_to_signed(value, 10, G_MININT64, G_MAXINT64, &v, NULL)) {
			*why = g_strdup("expected an integer");
			return FALSE;
		}
		if (e->allowed) {
			gint64 lo = 0, hi = 0;
			g_auto(GStrv) r = g_strsplit(e->allowed, ";", 2);
			lo = g_ascii_strtoll(r[0], NULL, 10);
			hi = g_ascii_strtoll(r[1], NULL, 10);
			if (v < lo || v > hi) {
				*why = g_strdup_printf("expected an integer from %s to %s", r[0], r[1]);
				return FALSE;
			}
		}
		return TRUE;
	}
	case T_SIZE: {
		guint64 v;
		if (dp_parse_size(value, &v))
			return TRUE;
		*why = g_strdup("expected a size such as 4096, 64K, 16M or 2G");
		return FALSE;
	}
	case T_ENUM: {
		g_auto(GStrv) allowed = g_strsplit(e->allowed, ";", -1);
		if (g_strv_contains((const char *const *)allowed, value))
			return TRUE;
		g_autofree char *list = g_strjoinv(", ", allowed);
		*why = g_strdup_printf("expected one of %s", list);
		return FALSE;
	}
	case T_LANGS: return langs_valid(value, why);
	case T_STRING:
	case T_LIST: return TRUE;
	}
	return TRUE;
}

static DpConfig *
config_new(void)
{
	DpConfig *cfg = g_new0(DpConfig, 1);
	cfg->ref = 1;
	cfg->kf = g_key_file_new();
	cfg->lines = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	cfg->origins = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	cfg->files = g_ptr_array_new_with_free_func(g_free);
	return cfg;
}

DpConfig *
dp_config_new_default(void)
{
	return config_new();
}

DpConfig *
dp_config_ref(DpConfig *cfg)
{
	g_atomic_int_inc(&cfg->ref);
	return cfg;
}

void
dp_config_unref(DpConfig *cfg)
{
	if (cfg == NULL || !g_atomic_int_dec_and_test(&cfg->ref))
		return;
	g_key_file_free(cfg->kf);
	g_hash_table_unref(cfg->lines);
	g_hash_table_unref(cfg->origins);
	g_ptr_array_unref(cfg->files);
	g_free(cfg->file);
	g_free(cfg->system_file);
	g_free(cfg);
}

/* Record the line of every "key=" in DATA, by group. */
static void
index_lines(DpConfig *cfg, const char *data)
{
	g_auto(GStrv) lines = g_strsplit(data, "\n", -1);
	g_autofree char *group = g_strdup("");
	for (guint i = 0; lines[i]; i++) {
		char *l = g_strstrip(lines[i]);
		if (l[0] == '[') {
			char *close = strchr(l, ']');
			g_free(group);
			group = close ? g_strndup(l + 1, close - l - 1) : g_strdup(l + 1);
			g_hash_table_insert(cfg->lines, g_strdup_printf("%s\n", group), GUINT_TO_POINTER(i + 1));
		} else if (l[0] != '#' && l[0] != '\0') {
			char *eq = strchr(l, '=');
			if (eq == NULL)
				continue;
			g_autofree char *key = g_strstrip(g_strndup(l, eq - l));
			g_hash_table_insert(cfg->lines, g_strdup_printf("%s\n%s", group, key), GUINT_TO_POINTER(i + 1));
		}
	}
}

static guint
line_of(const DpConfig *cfg, const char *group, const char *key)
{
	g_autofree char *k = g_strdup_printf("%s\n%s", group, key ? key : "");
	return GPOINTER_TO_UINT(g_hash_table_lookup(cfg->lines, k));
}

/* The error for GROUP/KEY, which is not in the schema: where it is, and what replaced it if it was renamed. */
static void
unknown_key_error(const DpConfig *cfg, const char *group, const char *key, GError **error)
{
	guint line = line_of(cfg, group, key);
	for (guint i = 0; i < G_N_ELEMENTS(renamed); i++) {
		const RenamedKey *r = &renamed[i];
		if (g_str_equal(r->group, group) && g_str_equal(r->key, key)) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: [%s] %s is now [%s] %s", cfg->file, line,
			            group, key, r->now_group, r->now_key);
			return;
		}
	}
	g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: unknown key '%s' in [%s]", cfg->file, line, key, group);
}

static gboolean
config_validate(DpConfig *cfg, GError **error)
{
	g_auto(GStrv) groups = g_key_file_get_groups(cfg->kf, NULL);
	for (guint g = 0; groups[g]; g++) {
		if (!schema_has_group(groups[g])) {
			g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: unknown group [%s]", cfg->file,
			            line_of(cfg, groups[g], NULL), groups[g]);
			return FALSE;
		}
		g_auto(GStrv) keys = g_key_file_get_keys(cfg->kf, groups[g], NULL, NULL);
		for (guint k = 0; keys[k]; k++) {
			const SchemaEntry *e = schema_find(groups[g], keys[k]);
			if (e == NULL) {
				unknown_key_error(cfg, groups[g], keys[k], error);
				return FALSE;
			}
			g_autofree char *v = g_key_file_get_string(cfg->kf, groups[g], keys[k], NULL);
			g_autofree char *why = NULL;
			if (v == NULL || !value_valid(e, v, &why)) {
				g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s:%u: bad value for '%s' in [%s]: %s",
				            cfg->file, line_of(cfg, groups[g], keys[k]), keys[k], groups[g],
				            why ? why : "not a valid string");
				return FALSE;
			}
		}
	}
	return TRUE;
}

DpConfig *
dp_config_load_data(const char *data, const char *name, GError **error)
{
	g_autoptr(DpConfig) cfg = config_new();
	g_autoptr(GError) local = NULL;
	cfg->file = g_strdup(name);
	index_lines(cfg, data);
	if (!g_key_file_load_from_data(cfg->kf, data, (gsize)-1, G_KEY_FILE_NONE, &local)) {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "%s: %s", name, local->message);
		return NULL;
	}
	if (!config_validate(cfg, error))
		return NULL;
	g_ptr_array_add(cfg->files, g_strdup(name));
	g_auto(GStrv) groups = g_key_file_get_groups(cfg->kf, NULL);
	for (guint g = 0; groups[g]; g++) {
		g_auto(GStrv) keys = g_key_file_get_keys(cfg->kf, groups[g], NULL, NULL);
		for (guint k = 0; keys[k]; k++)
			g_hash_table_insert(cfg->origins, g_strdup_printf("%s\n%s", groups[g], keys[k]),
			                    origin_new(name, line_of(cfg, groups[g], keys[k])));
	}
	return g_steal_pointer(&cfg);
}

static DpConfig *
load_file(const char *path, GError **error)
{
	g_autofree char *data = NULL;
	g_autoptr(GError) local = NULL;
	if (!g_file_get_contents(path, &data, NULL, &local)) {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "cannot read config '%s': %s", path, local->message);
		return NULL;
	}
	return dp_config_load_data(data, path, error);
}

/*
 * Lay UPPER over CFG: every value UPPER sets replaces CFG's, with its
 * origin.  Raw values are copied, so that escapes are read once, later.
 */
static void
config_layer(DpConfig *cfg, const DpConfig *upper)
{
	g_auto(GStrv) groups = g_key_file_get_groups(upper->kf, NULL);
	for (guint g = 0; groups[g]; g++) {
		g_auto(GStrv) keys = g_key_file_get_keys(upper->kf, groups[g], NULL, NULL);
		for (guint k = 0; keys[k]; k++) {
			g_autofree char *v = g_key_file_get_value(upper->kf, groups[g], keys[k], NULL);
			g_autofree char *id = g_strdup_printf("%s\n%s", groups[g], keys[k]);
			const Origin *o = g_hash_table_lookup(upper->origins, id);
			g_key_file_set_value(cfg->kf, groups[g], keys[k], v);
			g_hash_table_replace(cfg->origins, g_steal_pointer(&id),
			                     origin_new(o ? o->file : NULL, o ? o->line : 0));
		}
	}
	for (guint i = 0; i < upper->files->len; i++)
		g_ptr_array_add(cfg->files, g_strdup(upper->files->pdata[i]));
	g_free(cfg->file);
	cfg->file = g_strdup(upper->file);
}

/*
 * The system file: $DOCPIPE_SYSCONFIG when it is set (empty: none, which
 * the tests use so that the machine's /etc never reaches them), else
 * SYSCONFDIR/docpipe/docpipe.conf, SYSCONFDIR being given by the Makefile
 * (/etc unless told otherwise).
 */
#ifndef DP_SYSCONFDIR
#define DP_SYSCONFDIR "/etc"
#endif

static char *
system_file(void)
{
	const char *env = g_getenv("DOCPIPE_SYSCONFIG");
	if (env != NULL)
		return *env != '\0' ? g_strdup(env) : NULL;
	return g_build_filename(DP_SYSCONFDIR, "docpipe", "docpipe.conf", NULL);
}

/* Load PATH and lay it over CFG. */
static gboolean
load_layer(DpConfig *cfg, const char *path, GError **error)
{
	g_autoptr(DpConfig) layer = load_file(path, error);
	if (layer == NULL)
		return FALSE;
	config_layer(cfg, layer);
	return TRUE;
}

DpConfig *
dp_config_load(const char *explicit_path, GError **error)
{
	g_autoptr(DpConfig) cfg = config_new();
	/*
	 * The system file first, so that a site sets its policy once for
	 * every user; then the user's own file over it.  A system file that
	 * is there but cannot be read or is wrong is an error like any other:
	 * skipping it would silently run without the site's policy.
	 */
	g_autofree char *sys = system_file();
	if (sys != NULL && g_file_test(sys, G_FILE_TEST_EXISTS)) {
		if (!load_layer(cfg, sys, error))
			return NULL;
		cfg->system_file = g_strdup(sys);
	}
	const char *env = g_getenv("DOCPIPE_CONFIG");
	g_autofree char *xdg = g_build_filename(g_get_user_config_dir(), "docpipe", "docpipe.conf", NULL);
	const char *user = NULL;
	if (explicit_path != NULL)
		user = explicit_path;
	else if (env != NULL && *env != '\0')
		user = env;
	else if (g_file_test(xdg, G_FILE_TEST_EXISTS))
		user = xdg;
	if (user != NULL && !load_layer(cfg, user, error))
		return NULL;
	return g_steal_pointer(&cfg);
}

gboolean
dp_config_set(DpConfig *cfg, const char *group, const char *key, const char *value, GError **error)
{
	const SchemaEntry *e = schema_find(group, key);
	g_autofree char *why = NULL;
	if (e == NULL) {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "unknown configuration key '%s' in [%s]", key, group);
		return FALSE;
	}
	if (!value_valid(e, value, &why)) {
		g_set_error(error, DP_ERROR, DP_EXIT_CONFIG, "bad value for '%s' in [%s]: %s", key, group, why);
		return FALSE;
	}
	g_key_file_set_string(cfg->kf, group, key, value);
	g_hash_table_replace(cfg->origins, g_strdup_printf("%s\n%s", group, key), origin_new(NULL, 0));
	return TRUE;
}

/* The effective value of GROUP/KEY as a string, or NULL when unset. */
static char *
raw_value(const DpConfig *cfg, const char *group, const char *key)
{
	const SchemaEntry *e = schema_find(group, key);
	g_assert(e != NULL);
	char *v = g_key_file_get_string(cfg->kf, group, key, NULL);
	if (v != NULL)
		return v;
	return g_strdup(e->def);
}

gboolean
dp_config_get_bool(const DpConfig *cfg, const char *group, const char *key)
{
	g_autofree char *v = raw_value(cfg, group, key);
	return v != NULL && g_str_equal(v, "true");
}

gint64
dp_config_get_int(const DpConfig *cfg, const char *group, const char *key)
{
	g_autofree char *v = raw_value(cfg, group, key);
	return v ? g_ascii_strtoll(v, NULL, 10) : 0;
}

guint64
dp_config_get_size(const DpConfig *cfg, const char *group, const char *key)
{
	g_autofree char *v = raw_value(cfg, group, key);
	guint64 n = 0;
	if (v != NULL)
		dp_parse_size(v, &n);
	return n;
}

char *
dp_config_get_string(const DpConfig *cfg, const char *group, const char *key)
{
	return raw_value(cfg, group, key);
}

char **
dp_config_get_list(const DpConfig *cfg, const char *group, const char *key)
{
	g_autofree char *v = raw_value(cfg, group, key);
	GPtrArray *out = g_ptr_array_new();
	if (v != NULL) {
		g_auto(GStrv) parts = g_strsplit(v, ";", -1);
		for (guint i = 0; parts[i]; i++) {
			char *p = g_strstrip(parts[i]);
			if (*p != '\0')
				g_ptr_array_add(out, g_strdup(p));
		}
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

static int
cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
dp_config_groups_with_prefix(const DpConfig *cfg, const char *prefix)
{
	g_auto(GStrv) groups = g_key_file_get_groups(cfg->kf, NULL);
	GPtrArray *out = g_ptr_array_new();
	for (guint i = 0; groups[i]; i++)
		if (g_str_has_prefix(groups[i], prefix))
			g_ptr_array_add(out, g_strdup(groups[i]));
	g_ptr_array_sort(out, cmp_str);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

gboolean
dp_config_has(const DpConfig *cfg, const char *group, const char *key)
{
	return g_key_file_has_key(cfg->kf, group, key, NULL);
}

const char *
dp_config_file(const DpConfig *cfg)
{
	return cfg->file;
}

char *
dp_config_resolve_path(const DpConfig *cfg, const char *path)
{
	if (g_path_is_absolute(path) || cfg->file == NULL)
		return g_strdup(path);
	g_autofree char *dir = g_path_get_dirname(cfg->file);
	return g_build_filename(dir, path, NULL);
}

/* "FILE:LINE", "command line" or "built-in": where GROUP/KEY's value came from. */
static char *
origin_of(const DpConfig *cfg, const char *group, const char *key)
{
	g_autofree char *id = g_strdup_printf("%s\n%s", group, key);
	const Origin *o = g_hash_table_lookup(cfg->origins, id);
	if (o == NULL)
		return g_strdup("built-in");
	if (o->file == NULL)
		return g_strdup("command line");
	return g_strdup_printf("%s:%u", o->file, o->line);
}

/* Visit every effective (group, key, value, origin) in a stable order. */
typedef void (*VisitFn)(const char *group, const char *key, const char *value, const char *origin, gpointer user);

static void
config_visit(const DpConfig *cfg, VisitFn fn, gpointer user)
{
	/* Fixed groups in schema order, then the dynamic groups sorted. */
	for (guint i = 0; i < G_N_ELEMENTS(schema); i++) {
		const SchemaEntry *e = &schema[i];
		if (strchr(e->group, '*'))
			continue;
		g_autofree char *v = raw_value(cfg, e->group, e->key);
		g_autofree char *origin = origin_of(cfg, e->group, e->key);
		if (v != NULL)
			fn(e->group, e->key, v, origin, user);
	}
	g_auto(GStrv) groups = g_key_file_get_groups(cfg->kf, NULL);
	g_autoptr(GPtrArray) dyn = g_ptr_array_new();
	for (guint g = 0; groups[g]; g++)
		if (strchr(groups[g], ' '))
			g_ptr_array_add(dyn, groups[g]);
	g_ptr_array_sort(dyn, cmp_str);
	for (guint g = 0; g < dyn->len; g++) {
		const char *group = dyn->pdata[g];
		g_auto(GStrv) keys = g_key_file_get_keys(cfg->kf, group, NULL, NULL);
		gsize nkeys = g_strv_length(keys);
		qsort(keys, nkeys, sizeof *keys, cmp_str);
		for (guint k = 0; keys[k]; k++) {
			g_autofree char *v = g_key_file_get_string(cfg->kf, group, keys[k], NULL);
			g_autofree char *origin = origin_of(cfg, group, keys[k]);
			fn(group, keys[k], v ? v : "", origin, user);
		}
	}
}

static void
fingerprint_one(const char *group, const char *key, const char *value, const char *origin, gpointer user)
{
	GChecksum *sum = user;
	/*
	 * [run] says how a batch runs (workers, limits), not what it writes:
	 * changing it must not make the next run reprocess everything.
	 */
	if (g_str_equal(group, "run"))
		return;
	/* Nor how many threads extract with: the output is the same. */
	if (g_str_equal(group, "extract") && g_str_equal(key, "threads"))
		return;
	/* Nor the threshold of near duplicates: the parent regroups, the workers' rows are the same. */
	if (g_str_equal(group, "corpus") && g_str_equal(key, "near-threshold"))
		return;
	/* NUL separators keep "a","bc" and "ab","c" apart. */
	g_checksum_update(sum, (const guchar *)group, (gssize)strlen(group) + 1);
	g_checksum_update(sum, (const guchar *)key, (gssize)strlen(key) + 1);
	g_checksum_update(sum, (const guchar *)value, (gssize)strlen(value) + 1);
}

char *
dp_config_fingerprint(const DpConfig *cfg)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	config_visit(cfg, fingerprint_one, sum);
	return g_strdup(g_checksum_get_string(sum));
}

typedef struct {
	GString *out;
	char *group;
} DumpState;

static void
dump_one(const char *group, const char *key, const char *value, const char *origin, gpointer user)
{
	DumpState *st = user;
	if (st->group == NULL || !g_str_equal(st->group, group)) {
		g_string_append_printf(st->out, "%s[%s]\n", st->group ? "\n" : "", group);
		g_free(st->group);
		st->group = g_strdup(group);
	}
	g_string_append_printf(st->out, "%s=%s  # %s\n", key, value, origin);
}

void
dp_config_dump(const DpConfig *cfg, GString *out)
{
	DumpState st = { out, NULL };
	/* The files in the order they were laid, the system file named as such. */
	g_string_append(out, "# configuration: ");
	if (cfg->files->len == 0)
		g_string_append(out, "built-in defaults");
	for (guint i = 0; i < cfg->files->len; i++) {
		const char *f = cfg->files->pdata[i];
		g_string_append_printf(out, "%s%s%s", i ? ", then " : "", f,
		                       cfg->system_file && g_str_equal(f, cfg->system_file) ? " (system)" : "");
	}
	g_string_append_c(out, '\n');
	config_visit(cfg, dump_one, &st);
	g_free(st.group);
}
