/*
 * NAME
 *	pdf-streams.c - what a PDF's pages draw, from its bytes
 *
 * DESCRIPTION
 *	Two questions are cheaper to answer from the raw file than through
 *	Poppler, which would run every page's graphics: where does a page
 *	paint a dark area over text it has shown (the gate of
 *	pdf-covered.c: a page whose text meets none is not rendered to look
 *	for text under black boxes), and does any stream draw text
 *	invisibly, in render mode 3 (or 7), as OCR software lays its text
 *	layer over a scan (pdf-ocr.c then looks at the pages).
 *
 *	The file's objects are indexed by their "N G obj" headers and
 *	those of its object streams (a later definition of a number wins,
 *	as in an incremental update), without the cross-reference table,
 *	which damaged files get wrong.  The page tree is walked from the
 *	catalog in order, with the inheritable /Resources, /MediaBox,
 *	/CropBox and /Rotate, and each page's content streams, inflated
 *	when Flate, go in order through a small lexer that keeps numbers
 *	(where they are: one is converted only when the operator after it
 *	reads it) and the last name as operands, skips strings, arrays and
 *	dictionaries, and follows the operators that set the fill colour,
 *	the CTM, the clip, the graphics state stack, build and fill paths,
 *	show text, paint images and shadings and run XObjects.  A dark area
 *	is, once the page has shown some text (what is painted before any
 *	text is under it and hides nothing; but a fill in a colour known to
 *	be dark counts when dark, visible text starts on it later: black on
 *	black hides as well):
 *	  - a filled path at least GATE_MIN_RECT points a side in a dark
 *	    colour, a pattern or a colour space of its own: each rectangle
 *	    on its own, the other segments by their bounding box;
 *	  - a shading (sh), as large as the clip;
 *	  - an image XObject or inline image, its unit square under the
 *	    CTM: an image pasted over text is the classic failed redaction,
 *	    and its pixels are not decoded here;
 *	  - whatever a form XObject draws (Do), run with its /Matrix, its
 *	    /BBox as clip and its own /Resources, nested up to FORM_DEPTH,
 *	    never into a form it is already in;
 *	  - an annotation's /Rect when its normal appearance draws one
 *	    (annotations are painted after the page).
 *	Each is placed in default user space as the bounding box of its
 *	corners under the CTM (a turned rectangle becomes the box around
 *	it, more than it covers: a page is rendered, then its pixels
 *	decide), clipped, and kept with its page, with the page's crop box
 *	and rotation, so that pdf-covered.c compares it with the text of
 *	that page only.  A page whose content cannot be read (another
 *	filter, encryption) may have a dark area anywhere: that page only is
 *	rendered.  Streams no walked page reaches (a damaged page tree) are
 *	scanned as before, file order, their boxes kept for every page;
 *	forms and Type 3 glyphs among them make every page a candidate: the
 *	fallback, which pdf-covered.c counts.
 *
 * SECURITY
 *	The bytes are untrusted; this runs in the sandboxed child with the
 *	rest of pdf.c.  The index holds at most MAX_OBJECTS objects; a
 *	dictionary is read through at most DICT_MAX bytes and NEST_MAX
 *	levels of nesting; at most GATE_MAX_INFLATE bytes are inflated in
 *	all (a zlib bomb stops the inflating and opens the gate, no more),
 *	and at most GATE_MAX_SCAN bytes of content are lexed in all, forms
 *	run once per Do counted again, and MAX_RUNS XObjects are run; the lexer never reads past a
 *	stream's end, the q stack is GATE_DEPTH deep, forms nest FORM_DEPTH
 *	deep and a form already running is not run again (a cycle), at
 *	most MAX_UNDER areas painted before the text are set aside, the
 *	page tree is walked TREE_DEPTH deep and MAX_PAGES pages, each node
 *	once.  Past any limit the page, or the file, is unplaced: the cost
 *	is a render, never a missed box.  The invisible-text fact may then
 *	stay unset: the OCR-tolerant detectors stay off for that file, as
 *	for any born-digital text.
 */
#define _GNU_SOURCE /* memmem */
#include "extract/pdf-streams.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "util/banned.h"

/*
 * The gate: a fill colour whose brightest channel is under GATE_DARK (0-1)
 * is dark; an area smaller than GATE_MIN_RECT points on either side (a
 * table rule, an underline) hides no word.  At most GATE_DEPTH levels of
 * q, GATE_MAX_INFLATE bytes inflated and GATE_MAX_SCAN bytes lexed in all.
 */
#define GATE_DARK 0.4
#define GATE_MIN_RECT 4.0
#define GATE_DEPTH 32
#define GATE_MAX_INFLATE ((gsize)64 << 20)
#define GATE_MAX_SCAN ((gsize)256 << 20)
/*
 * A path keeps at most PATH_RECTS rectangles, a page (or the streams of a
 * file without a page tree) GATE_MAX_BOXES dark areas: past that, the page's are no longer
 * told apart by place.
 */
#define PATH_RECTS 16
#define GATE_MAX_BOXES 4096
/*
 * A page keeps at most MAX_UNDER areas painted before its text aside
 * (past that, they count at once); text starting within UNDER_MARGIN
 * points of one is on it.
 */
#define MAX_UNDER 512
#define UNDER_MARGIN 2.0
/* The object index and the walk. */
#define MAX_OBJECTS (1u << 20)
#define MAX_OBJNUM 99999999u
#define DICT_MAX ((gsize)256 << 10)
#define NEST_MAX 64
#define FORM_DEPTH 12
#define TREE_DEPTH 32
#define MAX_PAGES 100000u
#define MAX_KIDS 100000u
/*
 * XObjects run (Do) in all: a form that runs another ten times, twelve
 * deep, is 10^12 runs.  Each costs a few microseconds of dictionary
 * lookups.
 */
#define MAX_RUNS 50000u
/* No area: a clip that is the whole plane. */
#define FAR_PT 1e30

/* ------------------------------------------------------------------ */
/* Objects: the index, and reading a dictionary's values.               */
/* ------------------------------------------------------------------ */

/* A run of bytes of the file or of an inflated object stream. */
typedef struct {
	const char *s;
	gsize len;
} Span;

typedef struct {
	GHashTable *objs;    /* object number -> Span * (to the end of its buffer) */
	GPtrArray *bufs;     /* of GByteArray: the inflated object streams */
	GHashTable *decoded; /* object number -> GByteArray: inflated forms, run once per Do */
	gsize inflated;      /* bytes inflated so far */
	gsize scanned;       /* bytes of content lexed so far */
	guint runs;          /* XObjects run so far */
	const char *file;
	gsize file_len;
} Objects;

/*
 * The lexers' byte classes, looked up instead of tested one by one: they
 * run over every byte of every content stream.  A space is what
 * g_ascii_isspace() accepts, and NUL; a delimiter is a space or one of
 * "/[]<>(){}%"; a number is made of digits, signs and points.
 */
enum { C_SPACE = 1, C_DELIM = 2, C_NUMBER = 4 };
#define SP (C_SPACE | C_DELIM)
static const guint8 byte_class[256] = {
	['\0'] = SP,      ['\t'] = SP,      ['\n'] = SP,      ['\v'] = SP,      ['\f'] = SP,      ['\r'] = SP,
	[' '] = SP,       ['/'] = C_DELIM,  ['['] = C_DELIM,  [']'] = C_DELIM,  ['<'] = C_DELIM,  ['>'] = C_DELIM,
	['('] = C_DELIM,  [')'] = C_DELIM,  ['{'] = C_DELIM,  ['}'] = C_DELIM,  ['%'] = C_DELIM,  ['0'] = C_NUMBER,
	['1'] = C_NUMBER, ['2'] = C_NUMBER, ['3'] = C_NUMBER, ['4'] = C_NUMBER, ['5'] = C_NUMBER, ['6'] = C_NUMBER,
	['7'] = C_NUMBER, ['8'] = C_NUMBER, ['9'] = C_NUMBER, ['+'] = C_NUMBER, ['-'] = C_NUMBER, ['.'] = C_NUMBER,
};
#undef SP

static gboolean
is_space(char c)
{
	return (byte_class[(guchar)c] & C_SPACE) != 0;
}

static gboolean
is_delim(char c)
{
	return (byte_class[(guchar)c] & C_DELIM) != 0;
}

static gboolean
is_number_byte(char c)
{
	return (byte_class[(guchar)c] & C_NUMBER) != 0;
}

/* The first byte at or after I that is no space or comment. */
static gsize
skip_space(const char *s, gsize len, gsize i)
{
	while (i < len) {
		if (is_space(s[i]))
			i++;
		else if (s[i] == '%')
			while (i < len && s[i] != '\n' && s[i] != '\r')
				i++;
		else
			break;
	}
	return i;
}

/* The byte after the literal string that opens at I. */
static gsize
string_end(const char *s, gsize len, gsize i)
{
	int nest = 0;
	for (; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '(')
			nest++;
		else if (s[i] == ')' && --nest == 0)
			return i + 1;
	}
	return len;
}

/*
 * The byte after the value (a dictionary, array, string, name or one
 * token) that starts at or after I; I itself when a closing bracket is
 * there.  LEN when it is cut short or nested deeper than NEST_MAX.
 */
static gsize
value_end(const char *s, gsize len, gsize i)
{
	guint depth = 0;
	for (;;) {
		i = skip_space(s, len, i);
		if (i >= len)
			return len;
		char c = s[i];
		if ((c == '<' && i + 1 < len && s[i + 1] == '<') || c == '[') {
			if (++depth > NEST_MAX)
				return len;
			i += c == '[' ? 1 : 2;
			continue;
		}
		if ((c == '>' && i + 1 < len && s[i + 1] == '>') || c == ']') {
			if (depth == 0)
				return i;
			i += c == ']' ? 1 : 2;
			if (--depth == 0)
				return i;
			continue;
		}
		if (c == '(') {
			i = string_end(s, len, i);
		} else if (c == '<') {
			const char *gt = memchr(s + i, '>', len - i);
			i = gt ? (gsize)(gt - s) + 1 : len;
		} else if (c == '/') {
			for (i++; i < len && !is_delim(s[i]); i++)
				;
		} else {
			gsize j = i;
			while (j < len && !is_delim(s[j]))
				j++;
			i = j > i ? j : i + 1;
		}
		if (depth == 0)
			return i;
	}
}

/* Whether an indirect reference "N G R" starts at I: its number in *NUM, its end in *END. */
static gboolean
ref_at(const char *s, gsize len, gsize i, guint *num, gsize *end)
{
	guint64 n = 0;
	gsize j = i;
	while (j < len && g_ascii_isdigit(s[j]) && n <= MAX_OBJNUM)
		n = n * 10 + (guint64)(s[j++] - '0');
	if (j == i || n > MAX_OBJNUM || j >= len || !is_space(s[j]))
		return FALSE;
	j = skip_space(s, len, j);
	gsize g = j;
	while (j < len && g_ascii_isdigit(s[j]) && j - g < 6)
		j++;
	if (j == g || j >= len || !is_space(s[j]))
		return FALSE;
	j = skip_space(s, len, j);
	if (j >= len || s[j] != 'R' || (j + 1 < len && !is_delim(s[j + 1])))
		return FALSE;
	*num = (guint)n;
	*end = j + 1;
	return TRUE;
}

/* A value that is one indirect reference: its number. */
static gboolean
span_ref(Span v, guint *num)
{
	gsize i = skip_space(v.s, v.len, 0), end = 0;
	return ref_at(v.s, v.len, i, num, &end);
}

/* A dictionary's bytes are read through at most DICT_MAX. */
static Span
bounded(Span v)
{
	v.len = MIN(v.len, DICT_MAX);
	return v;
}

/* The value of KEY (a name with its slash) in dictionary D, a reference "N G R" whole. */
static gboolean
dict_get(Span d, const char *key, Span *val)
{
	d = bounded(d);
	gsize i = skip_space(d.s, d.len, 0), klen = strlen(key);
	if (i + 1 >= d.len || d.s[i] != '<' || d.s[i + 1] != '<')
		return FALSE;
	i += 2;
	for (;;) {
		i = skip_space(d.s, d.len, i);
		if (i >= d.len || d.s[i] == '>')
			return FALSE;
		gsize k = i;
		if (d.s[i] == '/')
			for (i++; i < d.len && !is_delim(d.s[i]); i++)
				;
		gsize kend = i;
		gsize v = skip_space(d.s, d.len, i);
		guint num = 0;
		gsize ve = 0;
		if (!ref_at(d.s, d.len, v, &num, &ve))
			ve = value_end(d.s, d.len, v);
		if (ve <= k)
			return FALSE; /* no progress: a stray closing bracket */
		if (kend - k == klen && memcmp(d.s + k, key, klen) == 0) {
			*val = (Span){ d.s + v, ve - v };
			return TRUE;
		}
		i = ve;
	}
}

/* Whether the value V is the name NAME (with its slash). */
static gboolean
is_name(Span v, const char *name)
{
	gsize i = skip_space(v.s, v.len, 0), n = strlen(name);
	return i + n <= v.len && memcmp(v.s + i, name, n) == 0 && (i + n == v.len || is_delim(v.s[i + n]));
}

/* Whether dictionary D has KEY with the name NAME. */
static gboolean
dict_is(Span d, const char *key, const char *name)
{
	Span v;
	return dict_get(d, key, &v) && is_name(v, name);
}

/* The most bytes of a number token read (as g_ascii_strtod() reads them). */
#define NUMBER_MAX 31

/*
 * A number token's value, as g_ascii_strtod() reads its first NUMBER_MAX bytes.
 * The usual token, a sign, at most 15 digits and a point, is converted
 * here: its digits make an integer below 2^53 and its scale a power of
 * ten below 10^23, both exact doubles, so one division rounds the same
 * as strtod() does (correctly).  Anything else goes to g_ascii_strtod().
 */
static double
number_value(const char *s, gsize len)
{
	static const double scale[] = { 1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
		                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15 };
	gsize i = len > 0 && (s[0] == '-' || s[0] == '+');
	guint64 m = 0;
	guint digits = 0, frac = 0;
	gboolean point = FALSE;
	for (; i < len && digits <= 15; i++) {
		if (g_ascii_isdigit(s[i])) {
			m = m * 10 + (guint64)(s[i] - '0');
			digits++;
			frac += point;
		} else if (s[i] == '.' && !point) {
			point = TRUE;
		} else {
			break;
		}
	}
	if (i == len && digits > 0 && digits <= 15) {
		double v = (double)m / scale[frac];
		return s[0] == '-' ? -v : v;
	}
	char buf[NUMBER_MAX + 1];
	gsize n = MIN(len, sizeof buf - 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	return g_ascii_strtod(buf, NULL);
}

/* Up to MAX numbers of the array (or single number) V, into OUT: how many. */
static guint
numbers(Span v, double *out, guint max)
{
	guint n = 0;
	gsize i = 0;
	while (n < max) {
		i = skip_space(v.s, v.len, i);
		if (i < v.len && v.s[i] == '[')
			i++;
		i = skip_space(v.s, v.len, i);
		if (i >= v.len || !(g_ascii_isdigit(v.s[i]) || strchr("+-.", v.s[i])))
			break;
		gsize j = i;
		while (j < v.len && (g_ascii_isdigit(v.s[j]) || strchr("+-.", v.s[j])) && j - i < NUMBER_MAX)
			j++;
		out[n++] = number_value(v.s + i, j - i);
		i = j;
	}
	return n;
}

/* The object numbered NUM: from after its "obj" to the end of its buffer. */
static gboolean
object(Objects *o, guint num, Span *out)
{
	Span *s = g_hash_table_lookup(o->objs, GUINT_TO_POINTER(num));
	if (s == NULL)
		return FALSE;
	*out = *s;
	return TRUE;
}

/* V, or the object it refers to. */
static Span
resolve(Objects *o, Span v)
{
	guint num = 0;
	Span r;
	if (span_ref(v, &num) && object(o, num, &r))
		return r;
	return v;
}

static void
index_put(Objects *o, guint num, const char *s, gsize len, gboolean replace)
{
	if (g_hash_table_size(o->objs) >= MAX_OBJECTS ||
	    (!replace && g_hash_table_contains(o->objs, GUINT_TO_POINTER(num))))
		return;
	Span *v = g_new(Span, 1);
	*v = (Span){ s, len };
	g_hash_table_insert(o->objs, GUINT_TO_POINTER(num), v);
}

/* Index the "N G obj" headers of the file: a later one of a number replaces an earlier. */
static void
index_file(Objects *o)
{
	const char *d = o->file, *end = d + o->file_len;
	for (const char *p = d; (p = memmem(p, (gsize)(end - p), "obj", 3)) != NULL; p += 3) {
		if ((p + 3 < end && !is_delim(p[3])) || p == d || !is_space(p[-1]))
			continue;
		const char *q = p;
		while (q > d && is_space(q[-1]))
			q--;
		const char *gen_end = q;
		while (q > d && g_ascii_isdigit(q[-1]) && gen_end - q < 6)
			q--;
		if (q == gen_end || q == d || !is_space(q[-1]))
			continue;
		while (q > d && is_space(q[-1]))
			q--;
		const char *num_end = q;
		while (q > d && g_ascii_isdigit(q[-1]) && num_end - q < 9)
			q--;
		if (q == num_end || (q > d && !is_delim(q[-1])))
			continue;
		guint num = 0;
		for (const char *k = q; k < num_end; k++)
			num = num * 10 + (guint)(*k - '0');
		index_put(o, num, p + 3, (gsize)(end - p - 3), TRUE);
	}
}

/* The dictionary and the raw data of the stream object OBJ. */
static gboolean
stream_parts(Span obj, Span *dict, Span *body)
{
	gsize i = skip_space(obj.s, MIN(obj.len, DICT_MAX), 0);
	gsize e = value_end(obj.s, MIN(obj.len, DICT_MAX), i);
	if (e >= MIN(obj.len, DICT_MAX) || i + 2 > e || obj.s[i] != '<')
		return FALSE;
	*dict = (Span){ obj.s + i, e - i };
	gsize k = skip_space(obj.s, obj.len, e);
	if (k + 6 > obj.len || memcmp(obj.s + k, "stream", 6) != 0)
		return FALSE;
	k += 6;
	if (k < obj.len && obj.s[k] == '\r')
		k++;
	if (k < obj.len && obj.s[k] == '\n')
		k++;
	const char *stop = memmem(obj.s + k, obj.len - k, "endstream", 9);
	*body = (Span){ obj.s + k, stop ? (gsize)(stop - obj.s) - k : obj.len - k };
	return TRUE;
}

/*
 * Inflate zlib data IN (LEN bytes) into OUT, at most LIMIT bytes: FALSE
 * when it cannot.  zlib itself, not GIO's GZlibDecompressor, so that
 * docpipe-pdftext.so, which shares this file, needs neither GIO nor
 * GObject; it behaves as that converter did (for the same facts): output
 * in pieces of at most a buffer, and a piece that ends in an error is
 * dropped, the pieces before it kept.
 */
/* The room made in the output for each call of inflate(). */
#define INFLATE_STEP 65536u

static gboolean
inflate_stream(const char *in, gsize len, GByteArray *out, gsize limit)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit(&z) != Z_OK)
		return FALSE;
	/*
	 * Straight into OUT, INFLATE_STEP bytes of room at a time: no copy
	 * through a buffer of its own.
	 */
	gsize done = 0;
	gboolean ok = FALSE;
	for (;;) {
		gsize avail = MIN(len - done, (gsize)G_MAXUINT), had = out->len;
		g_byte_array_set_size(out, (guint)(had + INFLATE_STEP));
		z.next_in = (Bytef *)(in + done);
		z.avail_in = (uInt)avail;
		z.next_out = out->data + had;
		z.avail_out = INFLATE_STEP;
		int r = inflate(&z, Z_NO_FLUSH);
		if (r != Z_OK && r != Z_STREAM_END) {
			g_byte_array_set_size(out, (guint)had);
			ok = out->len > 0; /* a damaged tail: what came out before it is still scanned */
			break;
		}
		gsize read = avail - z.avail_in, written = INFLATE_STEP - z.avail_out;
		done += read;
		g_byte_array_set_size(out, (guint)(had + written));
		if (out->len > limit)
			break;
		if (r == Z_STREAM_END) {
			ok = TRUE;
			break;
		}
		if (read == 0 && written == 0) {
			ok = out->len > 0;
			break;
		}
	}
	inflateEnd(&z);
	return ok;
}

/*
 * The data of a stream with dictionary DICT and raw bytes BODY into *DATA:
 * as is without a filter, inflated (into a new array, *BUF) with Flate.
 * FALSE for a stream that cannot be read: another filter, predictors, an
 * inflate budget spent.
 */
static gboolean
stream_data(Objects *o, Span dict, Span body, GByteArray **buf, Span *data)
{
	Span filter, parms;
	*buf = NULL;
	if (!dict_get(dict, "/Filter", &filter)) {
		*data = body;
		return TRUE;
	}
	/* One Flate filter, alone or alone in an array; no predictor. */
	gsize i = skip_space(filter.s, filter.len, 0);
	if (i < filter.len && filter.s[i] == '[') {
		i = skip_space(filter.s, filter.len, i + 1);
		gsize e = value_end(filter.s, filter.len, i);
		if (skip_space(filter.s, filter.len, e) >= filter.len ||
		    filter.s[skip_space(filter.s, filter.len, e)] != ']')
			return FALSE;
		filter = (Span){ filter.s + i, e - i };
	}
	if (!(is_name(filter, "/FlateDecode") || is_name(filter, "/Fl")) || dict_get(dict, "/DecodeParms", &parms) ||
	    dict_get(dict, "/DP", &parms) || o->inflated >= GATE_MAX_INFLATE)
		return FALSE;
	GByteArray *out = g_byte_array_new();
	if (!inflate_stream(body.s, body.len, out, GATE_MAX_INFLATE - o->inflated)) {
		o->inflated = GATE_MAX_INFLATE;
		g_byte_array_unref(out);
		return FALSE;
	}
	o->inflated += out->len;
	*buf = out;
	*data = (Span){ (const char *)out->data, out->len };
	return TRUE;
}

/* Index the objects of object stream NUM (its header: pairs of number and offset after /First). */
static void
index_objstm(Objects *o, Span dict, Span body)
{
	double n = 0, first = 0;
	Span v;
	if (!dict_get(dict, "/N", &v) || numbers(v, &n, 1) != 1 || !dict_get(dict, "/First", &v) ||
	    numbers(v, &first, 1) != 1 || !(n >= 0 && n <= MAX_OBJECTS && first >= 0))
		return;
	GByteArray *buf = NULL;
	Span data;
	if (!stream_data(o, dict, body, &buf, &data) || buf == NULL) {
		if (buf)
			g_byte_array_unref(buf);
		return;
	}
	g_ptr_array_add(o->bufs, buf);
	if ((gsize)first > data.len)
		return;
	Span head = { data.s, (gsize)first };
	g_autofree double *pairs = g_new(double, (gsize)n * 2 + 1);
	guint got = numbers(head, pairs, (guint)n * 2);
	for (guint k = 0; k + 1 < got; k += 2) {
		double num = pairs[k], off = pairs[k + 1];
		double next = k + 3 < got ? pairs[k + 3] : (double)(data.len - (gsize)first);
		if (!(num >= 0 && num <= MAX_OBJNUM && off >= 0 && off <= next &&
		      (gsize)first + (gsize)next <= data.len))
			continue;
		index_put(o, (guint)num, data.s + (gsize)first + (gsize)off, (gsize)(next - off), FALSE);
	}
}

static gint
compare_uint(gconstpointer a, gconstpointer b)
{
	guint x = *(const guint *)a, y = *(const guint *)b;
	return x < y ? -1 : x > y;
}

/* Sorted object numbers of the index, for a walk in a fixed order. */
static GArray *
object_numbers(Objects *o)
{
	GArray *nums = g_array_sized_new(FALSE, FALSE, sizeof(guint), g_hash_table_size(o->objs));
	GHashTableIter it;
	gpointer key;
	g_hash_table_iter_init(&it, o->objs);
	while (g_hash_table_iter_next(&it, &key, NULL)) {
		guint num = GPOINTER_TO_UINT(key);
		g_array_append_val(nums, num);
	}
	g_array_sort(nums, compare_uint);
	return nums;
}

/* ------------------------------------------------------------------ */
/* Content: the graphics the gate follows.                              */
/* ------------------------------------------------------------------ */

/* The graphics state the gate follows: whether the fill colour is dark, the CTM, the clip. */
typedef struct {
	gboolean dark;
	double m[6];      /* a b c d e f: user space to default user space */
	DpPdfBox clip;    /* default user space; FAR_PT: none */
	int tr;           /* the text render mode */
	gboolean pattern; /* the fill is a pattern or of a colour space of its own: maybe dark */
} GateState;

/* The q stack of one content sequence: a page's streams share one, a form has its own. */
typedef struct {
	GateState st[GATE_DEPTH];
	guint depth;
} Gs;

/* Where a content sequence's dark areas go, and what it knows of their order. */
typedef struct {
	DpPdfStreamFacts *f;
	Objects *o;
	GArray *boxes;      /* of DpPdfBox */
	gboolean *unplaced; /* a dark area may be anywhere */
	gboolean ordered;   /* a page's content, in order: an area painted before any text hides none */
	gboolean text_shown;
	/*
	 * UNDER: the dark areas a page painted before any text (of ORDERED
	 * scans); one counts when dark text is shown on it later (black on
	 * black: a highlighter used as a redaction).  The text matrix and
	 * line matrix, and the leading, place that text.
	 */
	GArray *under;
	double tm[6], tlm[6], leading;
	gboolean glyph;          /* a Type 3 glyph (d0, d1): glyph space, placed nowhere */
	guint forms[FORM_DEPTH]; /* the forms being run, outermost first */
	guint n_forms;
} Scan;

static void
gs_init(Gs *g)
{
	g->depth = 0;
	g->st[0] = (GateState){ TRUE, { 1, 0, 0, 1, 0, 0 }, { -FAR_PT, -FAR_PT, FAR_PT, FAR_PT }, 0, FALSE };
}

/* Whether colour operands V[0..N-1] of an operator setting N components are dark. */
static gboolean
dark_colour(const double *v, guint n)
{
	switch (n) {
	case 1: return v[0] < GATE_DARK;
	case 3: return MAX(v[0], MAX(v[1], v[2])) < GATE_DARK;
	case 4: {
		double k = 1 - v[3];
		return MAX((1 - v[0]) * k, MAX((1 - v[1]) * k, (1 - v[2]) * k)) < GATE_DARK;
	}
	default: return TRUE; /* a pattern or a colour space of its own: maybe dark */
	}
}

/* M := N x M, the PDF order of "N cm" on a CTM of M. */
static void
concat(double *m, const double *n)
{
	double r[6] = {
		n[0] * m[0] + n[1] * m[2], n[0] * m[1] + n[1] * m[3],        n[2] * m[0] + n[3] * m[2],
		n[2] * m[1] + n[3] * m[3], n[4] * m[0] + n[5] * m[2] + m[4], n[4] * m[1] + n[5] * m[3] + m[5],
	};
	memcpy(m, r, sizeof r);
}

/* The box, in default user space, of rectangle X Y W H under CTM M: the bounding box of its corners. */
static DpPdfBox
place(const double *m, double x, double y, double w, double h)
{
	DpPdfBox b = { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
	const double cx[4] = { x, x + w, x, x + w }, cy[4] = { y, y, y + h, y + h };
	for (guint k = 0; k < 4; k++) {
		double px = m[0] * cx[k] + m[2] * cy[k] + m[4], py = m[1] * cx[k] + m[3] * cy[k] + m[5];
		b.x1 = MIN(b.x1, px), b.x2 = MAX(b.x2, px);
		b.y1 = MIN(b.y1, py), b.y2 = MAX(b.y2, py);
	}
	return b;
}

static DpPdfBox
intersect(DpPdfBox a, DpPdfBox b)
{
	return (DpPdfBox){ MAX(a.x1, b.x1), MAX(a.y1, b.y1), MIN(a.x2, b.x2), MIN(a.y2, b.y2) };
}

static void
grow(DpPdfBox *b, double x, double y)
{
	b->x1 = MIN(b->x1, x), b->x2 = MAX(b->x2, x);
	b->y1 = MIN(b->y1, y), b->y2 = MAX(b->y2, y);
}

/*
 * A dark area B painted under state G: kept when it is at least
 * GATE_MIN_RECT points a side and meets the clip, unless the page has
 * shown no text yet; in a Type 3 glyph, or past GATE_MAX_BOXES, unplaced.
 */
static void
keep_area(Scan *sc, const DpPdfBox *b)
{
	if (!sc->glyph && sc->boxes->len < GATE_MAX_BOXES)
		g_array_append_val(sc->boxes, *b);
	else
		*sc->unplaced = TRUE;
}

static void
dark_area(Scan *sc, const GateState *g, DpPdfBox b, gboolean solid)
{
	if (!(b.x2 - b.x1 >= GATE_MIN_RECT && b.y2 - b.y1 >= GATE_MIN_RECT))
		return; /* a table rule, an underline, or NaN */
	b = intersect(b, g->clip);
	if (!(b.x2 >= b.x1 && b.y2 >= b.y1))
		return;
	/*
	 * Under everything the page shows; unless, SOLID (a fill known to be
	 * dark), dark text is shown on it later.  An image, a shading or a
	 * pattern under dark text is a background, most often light.
	 */
	if (!sc->ordered || sc->text_shown)
		keep_area(sc, &b);
	else if (solid && sc->under != NULL && sc->under->len < MAX_UNDER)
		g_array_append_val(sc->under, b);
	else if (solid)
		keep_area(sc, &b);
}

/*
 * Text is shown in state G at the text matrix: dark text (filled, not
 * invisible) whose origin lies on an area painted before any text (its
 * line: within the area's height, starting left of its right edge, since
 * the text's width is not followed) makes that area count.  Turned text
 * makes every such area count.
 */
static void
text_on_under(Scan *sc, const GateState *g)
{
	if (sc->under == NULL || sc->under->len == 0 || !g->dark || g->tr == 3 || g->tr == 7)
		return;
	double r[6];
	memcpy(r, g->m, sizeof r);
	concat(r, sc->tm);
	gboolean turned = fabs(r[1]) > 1e-6 * fabs(r[0]) || fabs(r[2]) > 1e-6 * fabs(r[3]) || r[0] <= 0 || r[3] <= 0;
	for (guint k = 0; k < sc->under->len;) {
		DpPdfBox b = g_array_index(sc->under, DpPdfBox, k);
		gboolean on = turned || (r[5] >= b.y1 - UNDER_MARGIN && r[5] <= b.y2 + UNDER_MARGIN &&
		                         r[4] <= b.x2 + UNDER_MARGIN);
		if (!on) {
			k++;
			continue;
		}
		keep_area(sc, &b);
		g_array_remove_index(sc->under, k);
	}
}

/* The path being built, in default user space. */
typedef struct {
	DpPdfBox rects[PATH_RECTS]; /* its rectangles */
	guint n_rects;
	DpPdfBox other; /* the bounding box of its other segments */
	gboolean has_other;
	gboolean clip; /* W or W* seen: the path clips when it ends */
} Path;

static void
path_clear(Path *p)
{
	p->n_rects = 0;
	p->has_other = FALSE;
	p->clip = FALSE;
	p->other = (DpPdfBox){ G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
}

/* The path ends: FILL (dark in G) paints it; a pending clip narrows G's. */
static void
path_end(Scan *sc, GateState *g, Path *p, gboolean fill)
{
	if (fill && g->dark) {
		for (guint k = 0; k < p->n_rects; k++)
			dark_area(sc, g, p->rects[k], !g->pattern);
		if (p->has_other)
			dark_area(sc, g, p->other, !g->pattern);
	}
	if (p->clip) {
		DpPdfBox all = p->other;
		for (guint k = 0; k < p->n_rects; k++) {
			grow(&all, p->rects[k].x1, p->rects[k].y1);
			grow(&all, p->rects[k].x2, p->rects[k].y2);
		}
		if (p->n_rects > 0 || p->has_other)
			g->clip = intersect(g->clip, all);
	}
	path_clear(p);
}

static void run_xobject(Scan *sc, const GateState *g, Span resources, const char *name);

/* Skip inline image data at I (after BI's dictionary and ID): the byte after its EI. */
static gsize
inline_image_end(const char *s, gsize len, gsize i)
{
	for (gsize j = i; j + 2 <= len; j++)
		if (s[j] == 'E' && s[j + 1] == 'I' && j > i && is_space(s[j - 1]) &&
		    (j + 2 == len || is_delim(s[j + 2])))
			return j + 2;
	return len;
}

/*
 * An operator's name as a number, its up to three bytes in order: the
 * operators are told apart by comparing one integer, not strings.
 */
#define OP(a, b, c) ((guint32)(guchar)(a) | (guint32)(guchar)(b) << 8 | (guint32)(guchar)(c) << 16)

/*
 * How many of the last numbers before the operator CODE it reads; all of
 * them (8) for sc and scn.  Only those are converted: most numbers of a
 * page are text positions and spacing in TJ arrays, which no operator
 * here reads, and converting each cost more than the rest of the scan.
 */
static guint
op_operands(guint32 code)
{
	switch (code) {
	case OP('c', 'm', 0):
	case OP('c', 0, 0):
	case OP('T', 'm', 0): return 6;
	case OP('r', 'e', 0):
	case OP('k', 0, 0):
	case OP('v', 0, 0):
	case OP('y', 0, 0): return 4;
	case OP('r', 'g', 0): return 3;
	case OP('m', 0, 0):
	case OP('l', 0, 0):
	case OP('T', 'd', 0):
	case OP('T', 'D', 0): return 2;
	case OP('g', 0, 0):
	case OP('T', 'L', 0):
	case OP('T', 'r', 0): return 1;
	case OP('s', 'c', 0):
	case OP('s', 'c', 'n'): return 8;
	default: return 0;
	}
}

/*
 * Run content S (LEN bytes) with resources RESOURCES on the q stack GS.
 * Numbers are operands (the last 8), and so is the last name.  A number
 * is kept as where its token is (AT, AT_LEN) and converted into NUM when
 * the operator after it reads it.
 */
static void
stream_scan(Scan *sc, Gs *gs, const char *s, gsize len, Span resources)
{
	double num[8];
	gsize at[8], at_len[8]; /* a ring: the oldest number's token at FIRST */
	guint nnum = 0, first = 0;
	char name[128] = "";
	Path path;
	path_clear(&path);
	if (sc->o->scanned + len > GATE_MAX_SCAN) {
		*sc->unplaced = TRUE;
		return;
	}
	sc->o->scanned += len;
	gsize i = 0;
	while (i < len) {
		char c = s[i];
		guint8 cls = byte_class[(guchar)c];
		if (cls & C_SPACE) {
			i++;
		} else if (cls & C_NUMBER) {
			gsize j = i + 1;
			while (j < len && is_number_byte(s[j]))
				j++;
			if (nnum == G_N_ELEMENTS(num)) {
				first = (first + 1) % G_N_ELEMENTS(at);
				nnum--;
			}
			guint slot = (first + nnum++) % G_N_ELEMENTS(at);
			at[slot] = i;
			at_len[slot] = j - i;
			i = j;
		} else if (c == '%') {
			while (i < len && s[i] != '\n' && s[i] != '\r')
				i++;
		} else if (c == '(') {
			i = string_end(s, len, i);
			nnum = 0;
		} else if (c == '/') {
			gsize j = i + 1;
			while (j < len && !is_delim(s[j]))
				j++;
			gsize n = MIN(j - i, sizeof name - 1);
			memcpy(name, s + i, n);
			name[n] = '\0';
			i = j;
		} else if (cls & C_DELIM) {
			/* Hex strings, arrays and dictionaries: skipped; they end an operand list. */
			if (c == '<' && i + 1 < len && s[i + 1] != '<') {
				const char *gt = memchr(s + i, '>', len - i);
				i = gt ? (gsize)(gt - s) + 1 : len;
			} else {
				i++;
			}
			if (c != '[' && c != ']')
				nnum = 0;
		} else {
			gsize j = i + 1;
			while (j < len && !is_delim(s[j]))
				j++;
			/* Up to three bytes; a longer word is no operator followed here. */
			char op[4] = { 0 };
			if (j - i < sizeof op)
				for (gsize k = 0; k < j - i; k++)
					op[k] = s[i + k];
			i = j;
			guint32 code = OP(op[0], op[1], op[2]);
			for (guint k = nnum - MIN(nnum, op_operands(code)); k < nnum; k++) {
				guint slot = (first + k) % G_N_ELEMENTS(at);
				num[k] = number_value(s + at[slot], at_len[slot]);
			}
			GateState *g = &gs->st[gs->depth];
			if (code == OP('q', 0, 0)) {
				if (gs->depth + 1 < GATE_DEPTH) {
					gs->st[gs->depth + 1] = *g;
					gs->depth++;
				}
			} else if (code == OP('Q', 0, 0)) {
				gs->depth -= gs->depth > 0;
			} else if (code == OP('c', 'm', 0) && nnum >= 6) {
				concat(g->m, num + nnum - 6);
			} else if (code == OP('d', '0', 0) || code == OP('d', '1', 0)) {
				sc->glyph = TRUE;
			} else if (code == OP('g', 0, 0) || code == OP('r', 'g', 0) || code == OP('k', 0, 0)) {
				guint want = op[0] == 'g' ? 1 : op[0] == 'r' ? 3 : 4;
				g->dark = nnum >= want ? dark_colour(num + nnum - want, want) : TRUE;
				g->pattern = FALSE;
			} else if (code == OP('s', 'c', 0) || code == OP('s', 'c', 'n')) {
				g->dark = dark_colour(num, nnum);
				g->pattern = nnum != 1 && nnum != 3 && nnum != 4;
			} else if (code == OP('c', 's', 0)) {
				g->dark = TRUE; /* a colour space's initial colour is black */
				g->pattern = TRUE;
			} else if (code == OP('r', 'e', 0) && nnum >= 4) {
				DpPdfBox b = place(g->m, num[nnum - 4], num[nnum - 3], num[nnum - 2], num[nnum - 1]);
				if (path.n_rects < PATH_RECTS) {
					path.rects[path.n_rects++] = b;
				} else {
					grow(&path.other, b.x1, b.y1);
					grow(&path.other, b.x2, b.y2);
					path.has_other = TRUE;
				}
			} else if ((code == OP('m', 0, 0) || code == OP('l', 0, 0)) && nnum >= 2) {
				grow(&path.other, g->m[0] * num[nnum - 2] + g->m[2] * num[nnum - 1] + g->m[4],
				     g->m[1] * num[nnum - 2] + g->m[3] * num[nnum - 1] + g->m[5]);
				path.has_other = TRUE;
			} else if ((code == OP('c', 0, 0) || code == OP('v', 0, 0) || code == OP('y', 0, 0)) &&
			           nnum >= (op[0] == 'c' ? 6u : 4u)) {
				/* The control points bound the curve. */
				for (guint k = nnum - (op[0] == 'c' ? 6 : 4); k + 1 < nnum; k += 2)
					grow(&path.other, g->m[0] * num[k] + g->m[2] * num[k + 1] + g->m[4],
					     g->m[1] * num[k] + g->m[3] * num[k + 1] + g->m[5]);
				path.has_other = TRUE;
			} else if (code == OP('W', 0, 0) || code == OP('W', '*', 0)) {
				path.clip = TRUE;
			} else if (op[0] != '\0' && strchr("fFbB", op[0]) != NULL &&
			           (op[1] == '\0' || (op[1] == '*' && op[2] == '\0'))) {
				path_end(sc, g, &path, TRUE);
			} else if (code == OP('n', 0, 0) || code == OP('S', 0, 0) || code == OP('s', 0, 0)) {
				path_end(sc, g, &path, FALSE);
			} else if (code == OP('s', 'h', 0)) {
				/* A shading fills the clip: it may be dark. */
				dark_area(sc, g, g->clip, FALSE);
			} else if (code == OP('B', 'T', 0)) {
				memcpy(sc->tm, (double[6]){ 1, 0, 0, 1, 0, 0 }, sizeof sc->tm);
				memcpy(sc->tlm, sc->tm, sizeof sc->tm);
			} else if (code == OP('T', 'm', 0) && nnum >= 6) {
				memcpy(sc->tlm, num + nnum - 6, sizeof sc->tlm);
				memcpy(sc->tm, sc->tlm, sizeof sc->tm);
			} else if ((code == OP('T', 'd', 0) || code == OP('T', 'D', 0)) && nnum >= 2) {
				if (op[1] == 'D')
					sc->leading = -num[nnum - 1];
				concat(sc->tlm, (double[6]){ 1, 0, 0, 1, num[nnum - 2], num[nnum - 1] });
				memcpy(sc->tm, sc->tlm, sizeof sc->tm);
			} else if (code == OP('T', 'L', 0) && nnum >= 1) {
				sc->leading = num[nnum - 1];
			} else if (code == OP('T', '*', 0) || code == OP('\'', 0, 0) || code == OP('"', 0, 0) ||
			           code == OP('T', 'j', 0) || code == OP('T', 'J', 0)) {
				/* T*, and ' and " start a new line first. */
				if (op[0] != 'T' || op[1] == '*') {
					concat(sc->tlm, (double[6]){ 1, 0, 0, 1, 0, -sc->leading });
					memcpy(sc->tm, sc->tlm, sizeof sc->tm);
				}
				if (op[1] != '*') {
					text_on_under(sc, g);
					sc->text_shown = TRUE;
				}
			} else if (code == OP('T', 'r', 0) && nnum >= 1) {
				g->tr = (int)num[nnum - 1];
				/* 3: neither fill nor stroke; 7: the same, added to the clip. */
				sc->f->invisible_text =
				    sc->f->invisible_text || num[nnum - 1] == 3 || num[nnum - 1] == 7;
			} else if (code == OP('B', 'I', 0)) {
				/* An inline image: its dictionary, then its data, which no lexer may read. */
				const char *id = NULL;
				for (gsize k = i; k + 2 <= len && id == NULL; k++)
					if (s[k] == 'I' && s[k + 1] == 'D' && k > 0 && is_space(s[k - 1]) &&
					    (k + 2 == len || is_space(s[k + 2])))
						id = s + k;
				i = id ? inline_image_end(s, len, (gsize)(id - s) + 3) : len;
				dark_area(sc, g, place(g->m, 0, 0, 1, 1), FALSE);
			} else if (code == OP('D', 'o', 0) && name[0] == '/') {
				run_xobject(sc, g, resources, name);
			}
			nnum = 0;
			name[0] = '\0';
		}
	}
}

/* The stream object NUM's dictionary and data (*BUF: to free), or FALSE. */
static gboolean
stream_object(Objects *o, guint num, Span *dict, GByteArray **buf, Span *data)
{
	Span obj, body;
	*buf = NULL;
	return object(o, num, &obj) && stream_parts(obj, dict, &body) && stream_data(o, *dict, body, buf, data);
}

/*
 * Run form NUM (dictionary DICT, content DATA) from state G: its /Matrix
 * after the CTM, its /BBox as a clip, its own /Resources or RESOURCES.
 */
static void
run_form(Scan *sc, const GateState *g, guint num, Span dict, Span data, Span resources)
{
	for (guint k = 0; k < sc->n_forms; k++)
		if (sc->forms[k] == num)
			return; /* a form that draws itself draws nothing more */
	if (sc->n_forms == FORM_DEPTH) {
		*sc->unplaced = TRUE;
		return;
	}
	Gs gs;
	gs_init(&gs);
	gs.st[0] = *g;
	Span v;
	double mx[6], bbox[4];
	if (dict_get(dict, "/Matrix", &v) && numbers(v, mx, 6) == 6)
		concat(gs.st[0].m, mx);
	if (dict_get(dict, "/BBox", &v) && numbers(v, bbox, 4) == 4) {
		double x1 = MIN(bbox[0], bbox[2]), y1 = MIN(bbox[1], bbox[3]);
		DpPdfBox b = place(gs.st[0].m, x1, y1, fabs(bbox[2] - bbox[0]), fabs(bbox[3] - bbox[1]));
		gs.st[0].clip = intersect(gs.st[0].clip, b);
	}
	Span own;
	if (dict_get(dict, "/Resources", &own))
		resources = resolve(sc->o, own);
	sc->forms[sc->n_forms++] = num;
	stream_scan(sc, &gs, data.s, data.len, resources);
	sc->n_forms--;
}

/* "NAME Do" in state G: an image is a dark area, a form is run. */
static void
run_xobject(Scan *sc, const GateState *g, Span resources, const char *name)
{
	Span xobjects, ref;
	guint num = 0;
	if (sc->o->runs >= MAX_RUNS) {
		*sc->unplaced = TRUE;
		return;
	}
	sc->o->runs++;
	if (!dict_get(resolve(sc->o, resources), "/XObject", &xobjects) ||
	    !dict_get(resolve(sc->o, xobjects), name, &ref) || !span_ref(ref, &num)) {
		/* Not found: Poppler draws nothing for it, but the scan may have missed the dictionary. */
		if (!sc->ordered || sc->text_shown)
			*sc->unplaced = TRUE;
		return;
	}
	Span obj, dict, body;
	if (!object(sc->o, num, &obj) || !stream_parts(obj, &dict, &body))
		return; /* no such stream: nothing is drawn */
	if (dict_is(dict, "/Subtype", "/Image")) {
		dark_area(sc, g, place(g->m, 0, 0, 1, 1), FALSE);
		return;
	}
	if (!dict_is(dict, "/Subtype", "/Form"))
		return;
	GByteArray *cached = g_hash_table_lookup(sc->o->decoded, GUINT_TO_POINTER(num));
	if (cached == NULL) {
		Span data;
		if (!stream_data(sc->o, dict, body, &cached, &data)) {
			*sc->unplaced = TRUE;
			return;
		}
		if (cached == NULL)
			cached = g_byte_array_append(g_byte_array_new(), (const guint8 *)data.s, (guint)data.len);
		g_hash_table_insert(sc->o->decoded, GUINT_TO_POINTER(num), cached);
	}
	run_form(sc, g, num, dict, (Span){ (const char *)cached->data, cached->len }, resources);
}

/* ------------------------------------------------------------------ */
/* Pages: the tree, in order, and each page's content and annotations.  */
/* ------------------------------------------------------------------ */

/* What a page inherits from the nodes above it. */
typedef struct {
	Span resources;
	gboolean has_resources;
	double media[4], crop[4];
	gboolean has_media, has_crop;
	double rotate;
} Inherit;

/* The walk of the page tree. */
typedef struct {
	Objects *o;
	DpPdfStreamFacts *f;
	GArray *pages;    /* of DpPdfPageFacts */
	GHashTable *seen; /* the tree's nodes, so that each is walked once */
	gboolean broken;  /* the tree could not all be walked */
} Walk;

/* Each element of V (an array, or one value) as a Span: the references in it resolved. */
static GPtrArray *
elements(Objects *o, Span v, guint max)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	v = bounded(resolve(o, v));
	gsize i = skip_space(v.s, v.len, 0);
	gboolean array = i < v.len && v.s[i] == '[';
	if (array)
		i++;
	while (out->len < max) {
		i = skip_space(v.s, v.len, i);
		if (i >= v.len || v.s[i] == ']')
			break;
		guint num = 0;
		gsize e = 0;
		if (!ref_at(v.s, v.len, i, &num, &e))
			e = value_end(v.s, v.len, i);
		if (e <= i)
			break;
		Span *el = g_new(Span, 1);
		*el = resolve(o, (Span){ v.s + i, e - i });
		g_ptr_array_add(out, el);
		i = e;
		if (!array)
			break;
	}
	return out;
}

/*
 * The value at I of an array or dictionary S (LEN bytes): its object
 * number appended to OUT (of guint) when it is a reference.  The byte
 * after the value, at least I + 1.
 */
static gsize
ref_or_skip(const char *s, gsize len, gsize i, GArray *out)
{
	guint num = 0;
	gsize e = 0;
	if (ref_at(s, len, i, &num, &e))
		g_array_append_val(out, num);
	else
		e = MAX(value_end(s, len, i), i + 1);
	return e;
}

/* The references of array V (or V itself when one reference), up to MAX: their numbers. */
static GArray *
refs(Objects *o, Span v, guint max)
{
	GArray *out = g_array_new(FALSE, FALSE, sizeof(guint));
	guint num = 0;
	if (span_ref(v, &num)) {
		Span obj;
		/* A reference to an array of references (a page's /Contents may be one). */
		if (object(o, num, &obj)) {
			gsize i = skip_space(obj.s, obj.len, 0);
			if (i < obj.len && obj.s[i] == '[')
				v = obj;
		}
	}
	v = bounded(v);
	gsize i = skip_space(v.s, v.len, 0);
	if (i < v.len && v.s[i] != '[') {
		if (span_ref(v, &num))
			g_array_append_val(out, num);
		return out;
	}
	for (i++; out->len < max;) {
		i = skip_space(v.s, v.len, i);
		if (i >= v.len || v.s[i] == ']')
			break;
		i = ref_or_skip(v.s, v.len, i, out);
	}
	return out;
}

/*
 * The annotations of page P (dictionary PAGE): the /Rect of each whose
 * normal appearance draws a dark area, since annotations are painted over
 * the page's content.
 */
static void
page_annotations(Walk *w, DpPdfPageFacts *p, Span page, Span resources)
{
	Span annots;
	if (!dict_get(page, "/Annots", &annots))
		return;
	g_autoptr(GPtrArray) list = elements(w->o, annots, MAX_KIDS);
	for (guint k = 0; k < list->len; k++) {
		Span annot = *(Span *)g_ptr_array_index(list, k), ap, n, rect;
		double r[4];
		if (!dict_get(annot, "/AP", &ap) || !dict_get(resolve(w->o, ap), "/N", &n) ||
		    !dict_get(annot, "/Rect", &rect) || numbers(rect, r, 4) != 4)
			continue;
		/* The normal appearance: one stream, or one for each state. */
		g_autoptr(GArray) forms = g_array_new(FALSE, FALSE, sizeof(guint));
		guint num = 0;
		if (span_ref(n, &num)) {
			g_array_append_val(forms, num);
		} else {
			Span d = bounded(n);
			gsize i = skip_space(d.s, d.len, 0) + 2;
			while (forms->len < 64) {
				i = skip_space(d.s, d.len, i);
				if (i >= d.len || d.s[i] != '/')
					break;
				i = value_end(d.s, d.len, i);
				i = skip_space(d.s, d.len, i);
				i = ref_or_skip(d.s, d.len, i, forms);
			}
		}
		g_autoptr(GArray) boxes = g_array_new(FALSE, FALSE, sizeof(DpPdfBox));
		gboolean unplaced = FALSE;
		Scan sc = { .f = w->f, .o = w->o, .boxes = boxes, .unplaced = &unplaced };
		GateState g = { TRUE, { 1, 0, 0, 1, 0, 0 }, { -FAR_PT, -FAR_PT, FAR_PT, FAR_PT }, 0, FALSE };
		for (guint j = 0; j < forms->len; j++) {
			Span dict, data;
			g_autoptr(GByteArray) buf = NULL;
			guint fnum = g_array_index(forms, guint, j);
			if (!stream_object(w->o, fnum, &dict, &buf, &data)) {
				unplaced = unplaced || object(w->o, fnum, &dict);
				continue;
			}
			run_form(&sc, &g, fnum, dict, data, resources);
		}
		if (unplaced || boxes->len > 0) {
			DpPdfBox b = { MIN(r[0], r[2]), MIN(r[1], r[3]), MAX(r[0], r[2]), MAX(r[1], r[3]) };
			if (p->dark_boxes->len < GATE_MAX_BOXES)
				g_array_append_val(p->dark_boxes, b);
			else
				p->unplaced = TRUE;
		}
	}
}

/*
 * Whether RESOURCES name a Type 3 font: its glyphs are content streams
 * painted where the text goes, and one of them may be a black box over
 * text shown before.  Where the text goes is not followed here.
 */
static gboolean
type3_fonts(Objects *o, Span resources)
{
	Span fonts;
	if (!dict_get(resolve(o, resources), "/Font", &fonts))
		return FALSE;
	fonts = bounded(resolve(o, fonts));
	gsize i = skip_space(fonts.s, fonts.len, 0) + 2;
	for (guint n = 0; n < 1024; n++) {
		i = skip_space(fonts.s, fonts.len, i);
		if (i >= fonts.len || fonts.s[i] != '/')
			return FALSE;
		i = skip_space(fonts.s, fonts.len, value_end(fonts.s, fonts.len, i));
		guint num = 0;
		gsize e = 0;
		Span font = { fonts.s + i, 0 };
		if (ref_at(fonts.s, fonts.len, i, &num, &e)) {
			if (!object(o, num, &font))
				font.len = 0;
		} else {
			e = MAX(value_end(fonts.s, fonts.len, i), i + 1);
			font.len = e - i;
		}
		if (font.len > 0 && dict_is(font, "/Subtype", "/Type3"))
			return TRUE;
		i = e;
	}
	return FALSE;
}

/* A page, dictionary PAGE, with what it inherits: its content and annotations run. */
static void
walk_page(Walk *w, Span page, const Inherit *in)
{
	DpPdfPageFacts p = { .dark_boxes = g_array_new(FALSE, FALSE, sizeof(DpPdfBox)) };
	const double *box = in->has_crop ? in->crop : in->has_media ? in->media : (const double[4]){ 0, 0, 612, 792 };
	p.crop = (DpPdfBox){ MIN(box[0], box[2]), MIN(box[1], box[3]), MAX(box[0], box[2]), MAX(box[1], box[3]) };
	if (in->has_crop && in->has_media) {
		DpPdfBox m = { MIN(in->media[0], in->media[2]), MIN(in->media[1], in->media[3]),
			       MAX(in->media[0], in->media[2]), MAX(in->media[1], in->media[3]) };
		p.crop = intersect(p.crop, m);
	}
	/* As Poppler: a rotation that is no multiple of 90 is none. */
	double r = fmod(in->rotate, 360);
	if (r < 0)
		r += 360;
	p.rotate = (r == 90 || r == 180 || r == 270) ? (int)r : 0;

	Span contents;
	g_autoptr(GArray) under = g_array_new(FALSE, FALSE, sizeof(DpPdfBox));
	Scan sc = {
		.f = w->f, .o = w->o, .boxes = p.dark_boxes, .unplaced = &p.unplaced, .ordered = TRUE, .under = under
	};
	Gs gs;
	gs_init(&gs);
	if (dict_get(page, "/Contents", &contents)) {
		g_autoptr(GArray) streams = refs(w->o, contents, MAX_KIDS);
		for (guint k = 0; k < streams->len; k++) {
			guint num = g_array_index(streams, guint, k);
			Span dict, data;
			g_autoptr(GByteArray) buf = NULL;
			if (stream_object(w->o, num, &dict, &buf, &data))
				stream_scan(&sc, &gs, data.s, data.len, in->resources);
			else if (object(w->o, num, &dict))
				p.unplaced = TRUE; /* there, but not readable: the page is rendered */
		}
	}
	page_annotations(w, &p, page, in->resources);
	if (type3_fonts(w->o, in->resources))
		p.unplaced = TRUE;
	g_array_append_val(w->pages, p);
}

/* The page tree node NUM, DEPTH levels down, with what its parents give. */
static void
walk_node(Walk *w, guint num, guint depth, const Inherit *parent)
{
	Span node, v;
	if (depth > TREE_DEPTH || w->pages->len >= MAX_PAGES) {
		w->broken = TRUE;
		return;
	}
	if (g_hash_table_contains(w->seen, GUINT_TO_POINTER(num)))
		return; /* a cycle, or a page listed twice: Poppler does not draw it twice either */
	g_hash_table_add(w->seen, GUINT_TO_POINTER(num));
	if (!object(w->o, num, &node)) {
		w->broken = TRUE;
		return;
	}
	node = bounded(node);
	Inherit in = *parent;
	if (dict_get(node, "/Resources", &v)) {
		in.resources = resolve(w->o, v);
		in.has_resources = TRUE;
	}
	if (dict_get(node, "/MediaBox", &v) && numbers(resolve(w->o, v), in.media, 4) == 4)
		in.has_media = TRUE;
	if (dict_get(node, "/CropBox", &v) && numbers(resolve(w->o, v), in.crop, 4) == 4)
		in.has_crop = TRUE;
	if (dict_get(node, "/Rotate", &v))
		numbers(resolve(w->o, v), &in.rotate, 1);
	Span kids;
	if (!dict_is(node, "/Type", "/Page") && dict_get(node, "/Kids", &kids)) {
		g_autoptr(GArray) list = refs(w->o, kids, MAX_KIDS);
		for (guint k = 0; k < list->len; k++)
			walk_node(w, g_array_index(list, guint, k), depth + 1, &in);
		return;
	}
	if (!dict_is(node, "/Type", "/Pages"))
		walk_page(w, node, &in);
}

/* The catalog: the object the last /Root of the file names. */
static gboolean
catalog(Objects *o, Span *out)
{
	const char *d = o->file, *end = d + o->file_len, *last = NULL;
	for (const char *p = d; (p = memmem(p, (gsize)(end - p), "/Root", 5)) != NULL; p += 5)
		last = p;
	guint num = 0;
	gsize e = 0;
	if (last != NULL) {
		gsize i = skip_space(last, (gsize)(end - last), 5);
		if (ref_at(last, (gsize)(end - last), i, &num, &e) && object(o, num, out))
			return TRUE;
	}
	return FALSE;
}

/* Walk the page tree into F->pages: FALSE when it cannot be found. */
static gboolean
walk_pages(Objects *o, DpPdfStreamFacts *f)
{
	Span root, pages;
	guint num = 0;
	if (!catalog(o, &root) || !dict_get(bounded(root), "/Pages", &pages) || !span_ref(pages, &num))
		return FALSE;
	g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);
	Walk w = { .o = o, .f = f, .pages = g_array_new(FALSE, FALSE, sizeof(DpPdfPageFacts)), .seen = seen };
	Inherit in = { .resources = { "", 0 } };
	walk_node(&w, num, 0, &in);
	f->n_pages = w.pages->len;
	f->pages = (DpPdfPageFacts *)(void *)g_array_free(w.pages, FALSE);
	if (w.broken)
		f->dark_unplaced = TRUE;
	return f->n_pages > 0;
}

/* ------------------------------------------------------------------ */
/* Without a page tree: every stream, in file order, as before.         */
/* ------------------------------------------------------------------ */

/*
 * Whether S (LEN bytes: the file, or an object stream's objects) gives a
 * page a /Rotate other than 0, or a /UserUnit: the page's text is then
 * not laid out in default user space turned upside down.
 */
static gboolean
turned(const char *s, gsize len)
{
	if (memmem(s, len, "/UserUnit", 9) != NULL)
		return TRUE;
	for (const char *p = s, *end = s + len; (p = memmem(p, (gsize)(end - p), "/Rotate", 7)) != NULL;) {
		p += 7;
		while (p < end && g_ascii_isspace(*p))
			p++;
		gint64 deg = 0;
		while (p < end && g_ascii_isdigit(*p) && deg < 1000)
			deg = deg * 10 + (*p++ - '0');
		if (deg % 360 != 0 || (p < end && *p == '-'))
			return TRUE;
	}
	return FALSE;
}

/* Keep the CTM M a page-like stream left changed, for the next stream of its page. */
static void
leak(DpPdfStreamFacts *f, const double *m)
{
	if (m[0] == 1 && m[1] == 0 && m[2] == 0 && m[3] == 1 && m[4] == 0 && m[5] == 0)
		return;
	for (guint k = 0; k < MIN(f->n_leaks, G_N_ELEMENTS(f->leaks)); k++)
		if (memcmp(f->leaks[k], m, sizeof f->leaks[k]) == 0)
			return;
	if (f->n_leaks < G_N_ELEMENTS(f->leaks))
		memcpy(f->leaks[f->n_leaks], m, sizeof f->leaks[0]);
	f->n_leaks++;
}

/*
 * No page tree: each stream of the file is scanned on its own, in the
 * order of object numbers, its dark boxes kept for every page.  A stream
 * that cannot be read, or a form, pattern or Type 3 glyph that paints a
 * dark area, makes every page a candidate.
 */
static void
scan_every_stream(Objects *o, DpPdfStreamFacts *f, const GArray *nums)
{
	gboolean rotated = turned(o->file, o->file_len);
	for (guint k = 0; k < nums->len; k++) {
		guint num = g_array_index(nums, guint, k);
		Span obj, dict, body, data;
		if (!object(o, num, &obj) || !stream_parts(obj, &dict, &body))
			continue;
		Span sub;
		gboolean image = dict_get(dict, "/Subtype", &sub) && is_name(sub, "/Image");
		if (image || dict_is(dict, "/Type", "/XRef") || dict_is(dict, "/Type", "/Metadata") ||
		    dict_is(dict, "/Type", "/EmbeddedFile") || dict_get(dict, "/Length1", &sub) ||
		    dict_get(dict, "/Subtype", &sub))
			continue; /* images, fonts and files: no content */
		g_autoptr(GByteArray) buf = NULL;
		if (!stream_data(o, dict, body, &buf, &data)) {
			f->dark_unplaced = TRUE; /* another filter, encryption: the gate cannot say no */
			continue;
		}
		if (dict_is(dict, "/Type", "/ObjStm")) {
			rotated = rotated || turned(data.s, data.len);
			continue;
		}
		/* A form, a pattern or an annotation's appearance draws in a space of its own. */
		gboolean own_space = dict_get(dict, "/BBox", &sub) || dict_get(dict, "/PatternType", &sub);
		Scan sc = { .f = f, .o = o, .boxes = f->dark_boxes, .unplaced = &f->dark_unplaced, .glyph = own_space };
		Gs gs;
		gs_init(&gs);
		stream_scan(&sc, &gs, data.s, data.len, (Span){ "", 0 });
		if (!own_space && !sc.glyph)
			leak(f, gs.st[gs.depth].m);
	}
	/*
	 * A page's content may be several streams, each starting where the one
	 * before left the CTM, and this scan does not know which stream is
	 * whose: each box is also placed as if its stream began at each CTM a
	 * stream left behind (a superset of where it is); past a few of them,
	 * it may be anywhere.
	 */
	if (f->n_leaks > G_N_ELEMENTS(f->leaks) && f->dark_boxes->len > 0)
		f->dark_unplaced = TRUE;
	guint placed_boxes = f->dark_boxes->len;
	for (guint k = 0; k < MIN(f->n_leaks, G_N_ELEMENTS(f->leaks)) && !f->dark_unplaced; k++) {
		for (guint b = 0; b < placed_boxes; b++) {
			DpPdfBox a = g_array_index(f->dark_boxes, DpPdfBox, b);
			DpPdfBox moved = place(f->leaks[k], a.x1, a.y1, a.x2 - a.x1, a.y2 - a.y1);
			g_array_append_val(f->dark_boxes, moved);
		}
	}
	/* Boxes on a turned page are not where the text layout says. */
	if (rotated && f->dark_boxes->len > 0)
		f->dark_unplaced = TRUE;
}

/* ------------------------------------------------------------------ */

void
dp_pdf_stream_facts(GBytes *data, DpPdfStreamFacts *f)
{
	memset(f, 0, sizeof *f);
	f->dark_boxes = g_array_new(FALSE, FALSE, sizeof(DpPdfBox));
	gsize len = 0;
	const char *d = g_bytes_get_data(data, &len);
	if (d == NULL)
		return;
	Objects o = {
		.objs = g_hash_table_new_full(NULL, NULL, NULL, g_free),
		.bufs = g_ptr_array_new_with_free_func((GDestroyNotify)g_byte_array_unref),
		.decoded = g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_byte_array_unref),
		.file = d,
		.file_len = len,
	};
	index_file(&o);
	g_autoptr(GArray) nums = object_numbers(&o);
	for (guint k = 0; k < nums->len; k++) {
		Span obj, dict, body;
		if (object(&o, g_array_index(nums, guint, k), &obj) && stream_parts(obj, &dict, &body) &&
		    dict_is(dict, "/Type", "/ObjStm"))
			index_objstm(&o, dict, body);
	}
	if (!walk_pages(&o, f)) {
		g_autoptr(GArray) all = object_numbers(&o);
		scan_every_stream(&o, f, all);
	}
	f->dark_fill = f->dark_unplaced || f->dark_boxes->len > 0;
	for (guint k = 0; k < f->n_pages && !f->dark_fill; k++)
		f->dark_fill = f->pages[k].unplaced || f->pages[k].dark_boxes->len > 0;
	g_hash_table_destroy(o.objs);
	g_ptr_array_unref(o.bufs);
	g_hash_table_destroy(o.decoded);
}

void
dp_pdf_stream_facts_clear(DpPdfStreamFacts *f)
{
	for (guint k = 0; k < f->n_pages; k++)
		g_clear_pointer(&f->pages[k].dark_boxes, g_array_unref);
	g_clear_pointer(&f->pages, g_free);
	f->n_pages = 0;
	g_clear_pointer(&f->dark_boxes, g_array_unref);
}
