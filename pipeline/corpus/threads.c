/*
 * NAME
 *	threads.c - messages into threads: JWZ over ids, printed chains,
 *	one node per message wherever it appears
 *
 * DESCRIPTION
 *	dp_threads_build() works in four passes over nodes, a node being one
 *	message however many times it was found:
 *
 *	1. Nodes.  A real message is the node of its Message-ID (the same
 *	   message in two mailboxes is one node); one without an id is a
 *	   node of its own.  A printed message is the node of its key
 *	   (normalized sender, date to the minute, subject, hashed by the
 *	   worker): the same message re-released or quoted in a longer chain
 *	   prints the same header.  Among several nodes with the key, the
 *	   body's signature picks the most similar; it refuses the only one
 *	   just when the bodies are clearly different.  A message with no
 *	   node under its key (OCR damaged the subject) joins one with the
 *	   same sender and minute whose body is near the same.
 *	2. Links.  JWZ: each id in a message's References (then its
 *	   In-Reply-To) is the parent of the next, an id never seen being an
 *	   empty container; the message's own parent is its last reference.
 *	   A printed chain prints the newest message first, each one's parent
 *	   below it.  A link that would close a cycle is dropped; a link given
 *	   by an earlier message wins over a later one's, but a message's own
 *	   References override what others guessed for it.
 *	3. Subjects.  A root that is a reply (Re:, Fwd:) and has no
 *	   References or In-Reply-To (or is printed) joins the latest earlier
 *	   message with the same subject: JWZ's fallback, taken only for
 *	   replies so that two threads that merely share a subject stay apart.
 *	4. Empty containers go: a message under one takes its nearest real
 *	   ancestor; messages left at the top of one component (siblings
 *	   whose parent was never found) hang under the earliest of them, so
 *	   every message is in exactly one thread, under one root.
 *
 *	Every pass visits the messages in the caller's order, and ties are
 *	broken by that order, so the result depends on the data only.
 */
#include "corpus/threads.h"

#include "util/order.h"

#include <string.h>

#include "util/banned.h"

typedef struct {
	gssize msg;        /* the first message of the node, -1 for an empty container */
	gssize parent;     /* node index, -1: none */
	gboolean own_refs; /* its parent came from its own References */
	guint depth;
	gboolean depth_done;
} Node;

typedef struct {
	const DpThreadMsg *msgs;
	GArray *nodes;      /* of Node */
	GHashTable *by_mid; /* mid -> node index + 1 */
	gssize *node_of;    /* message -> node index */
} Graph;

#define NODE(g, i) (&g_array_index((g)->nodes, Node, (i)))

static gssize
new_node(Graph *g, gssize msg)
{
	Node n = { msg, -1, FALSE, 0, FALSE };
	g_array_append_val(g->nodes, n);
	return (gssize)g->nodes->len - 1;
}

static gssize
mid_node(Graph *g, const char *mid)
{
	gpointer v = g_hash_table_lookup(g->by_mid, mid);
	if (v != NULL)
		return GPOINTER_TO_SIZE(v) - 1;
	gssize i = new_node(g, -1);
	g_hash_table_insert(g->by_mid, (gpointer)mid, GSIZE_TO_POINTER((gsize)i + 1));
	return i;
}

/* Whether linking CHILD under PARENT makes a cycle: CHILD is PARENT or one of its ancestors. */
static gboolean
makes_cycle(Graph *g, gssize child, gssize parent)
{
	for (gssize p = parent, steps = 0; p >= 0; p = NODE(g, p)->parent, steps++) {
		if (p == child || steps > (gssize)g->nodes->len)
			return TRUE;
	}
	return FALSE;
}

static void
link(Graph *g, gssize child, gssize parent, gboolean own)
{
	if (child == parent || child < 0 || parent < 0)
		return;
	Node *c = NODE(g, child);
	if (c->parent == parent)
		return;
	if (c->parent >= 0 && (c->own_refs || !own))
		return;
	gssize old = c->parent;
	c->parent = -1;
	if (makes_cycle(g, child, parent)) {
		c->parent = old;
		return;
	}
	c->parent = parent;
	c->own_refs = own;
}

/*
 * The node in LIST (nodes, by their first message) whose text is most
 * like MSG's, -1 when LIST is NULL; *SIM gets its similarity, UNKNOWN
 * for a node compared without a signature on either side.
 */
static gssize
most_similar(Graph *g, GArray *list, const DpThreadMsg *msg, double unknown, double *sim)
{
	gssize best = -1;
	*sim = -1;
	for (guint k = 0; list != NULL && k < list->len; k++) {
		gssize node = g_array_index(list, gssize, k);
		const DpThreadMsg *first = &g->msgs[NODE(g, node)->msg];
		double s =
		    first->sig != NULL && msg->sig != NULL ? dp_minhash_similarity(first->sig, msg->sig) : unknown;
		/* Strictly greater: of equals, the earliest node wins, so the result follows the input order. */
		if (s > *sim) {
			best = node;
			*sim = s;
		}
	}
	return best;
}

/* NODE into the list of KEY in BY_KEY (once). */
static void
index_node(GHashTable *by_key, const char *key, gssize node)
{
	if (key == NULL)
		return;
	GArray *list = g_hash_table_lookup(by_key, key);
	if (list == NULL) {
		list = g_array_new(FALSE, FALSE, sizeof(gssize));
		g_hash_table_insert(by_key, (gpointer)key, list);
	}
	for (guint k = 0; k < list->len; k++)
		if (g_array_index(list, gssize, k) == node)
			return;
	g_array_append_val(list, node);
}

/*
 * Pass 1: the node of every message.  A printed message's key (sender,
 * minute, subject) finds its candidates; the body's signature only breaks
 * ties among them, and turns one down only when clearly different
 * (DP_THREADS_DIFFERENT).  When no candidate shares the key, OCR may have
 * damaged the subject ("Re: PDS" for "Re: PDB"): one with the same sender
 * and minute is taken, but only on the evidence of a body at least SAME
 * similar, since one person often sends two messages in a minute.
 */
static void
assign_nodes(Graph *g, gsize n, double same)
{
	const DpThreadMsg *m = g->msgs;
	g_autoptr(GHashTable) by_key =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_array_unref);
	g_autoptr(GHashTable) by_minute =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_array_unref);
	for (gsize i = 0; i < n; i++) {
		if (!m[i].printed && m[i].mid != NULL) {
			gssize k = mid_node(g, m[i].mid);
			if (NODE(g, k)->msg < 0)
				NODE(g, k)->msg = (gssize)i;
			g->node_of[i] = k;
			continue;
		}
		if (!m[i].printed || m[i].node_key == NULL) {
			g->node_of[i] = new_node(g, (gssize)i);
			continue;
		}
		double sim;
		gssize found =
		    most_similar(g, g_hash_table_lookup(by_key, m[i].node_key), &m[i], DP_THREADS_DIFFERENT, &sim);
		if (found >= 0 && sim < DP_THREADS_DIFFERENT)
			found = -1;
		if (found < 0 && m[i].minute_key != NULL) {
			found = most_similar(g, g_hash_table_lookup(by_minute, m[i].minute_key), &m[i], -1, &sim);
			if (found >= 0 && sim < same)
				found = -1;
		}
		if (found < 0)
			found = new_node(g, (gssize)i);
		index_node(by_key, m[i].node_key, found);
		index_node(by_minute, m[i].minute_key, found);
		g->node_of[i] = found;
	}
}

/* Pass 2: the links given by ids and by print order. */
static void
link_messages(Graph *g, gsize n)
{
	const DpThreadMsg *m = g->msgs;
	for (gsize i = 0; i < n; i++) {
		if (m[i].printed || m[i].refs == NULL || m[i].refs[0] == NULL)
			continue;
		gssize prev = -1;
		for (const char *const *r = m[i].refs; *r != NULL; r++) {
			if (m[i].mid != NULL && g_str_equal(*r, m[i].mid))
				continue;
			gssize node = mid_node(g, *r);
			if (prev >= 0)
				link(g, node, prev, FALSE);
			prev = node;
		}
		link(g, g->node_of[i], prev, TRUE);
	}
	/* Printed chains: the messages of one document by place; each one's parent is printed below it. */
	for (gsize i = 0; i < n; i++) {
		if (!m[i].printed || m[i].doc == NULL)
			continue;
		/* The message printed next in the same document: the caller's order keeps a document's together. */
		gssize below = -1;
		for (gsize j = i + 1; j < n && m[j].printed && g_strcmp0(m[j].doc, m[i].doc) == 0; j++) {
			if (m[j].seq == m[i].seq + 1) {
				below = (gssize)j;
				break;
			}
		}
		if (below >= 0)
			link(g, g->node_of[i], g->node_of[below], FALSE);
	}
}

/* Message indexes by date, then input order (the messages of one subject). */
static int
cmp_by_date(gconstpointer a, gconstpointer b, gpointer user)
{
	const DpThreadMsg *m = user;
	gsize x = *(const gsize *)a, y = *(const gsize *)b;
	int c = strcmp(m[x].date, m[y].date);
	return c != 0 ? c : DP_CMP(x, y);
}

/* In LIST (sorted by date), the first message of the latest date before DATE; -1: none. */
static gssize
latest_before(const DpThreadMsg *m, GArray *list, const char *date)
{
	/* Binary search: the number of messages dated before DATE. */
	guint lo = 0, hi = list->len;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (strcmp(m[g_array_index(list, gsize, mid)].date, date) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return -1;
	guint k = lo - 1;
	const char *best = m[g_array_index(list, gsize, k)].date;
	while (k > 0 && strcmp(m[g_array_index(list, gsize, k - 1)].date, best) == 0)
		k--;
	return (gssize)g_array_index(list, gsize, k);
}

/*
 * Pass 3: a reply with nothing to go by joins the latest earlier message
 * with its subject (the first of them in input order when several share
 * that date).  Each subject's messages are sorted by date once: a lookup
 * is a binary search, so a subject shared by many messages costs
 * O(N log N), not N squared.
 */
static void
link_subjects(Graph *g, gsize n)
{
	const DpThreadMsg *m = g->msgs;
	/* subject key -> the dated first occurrences of messages with that subject */
	g_autoptr(GHashTable) by_subject =
	    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_array_unref);
	for (gsize i = 0; i < n; i++) {
		if (m[i].subject_key == NULL || m[i].date == NULL || NODE(g, g->node_of[i])->msg != (gssize)i)
			continue;
		GArray *list = g_hash_table_lookup(by_subject, m[i].subject_key);
		if (list == NULL) {
			list = g_array_new(FALSE, FALSE, sizeof(gsize));
			g_hash_table_insert(by_subject, (gpointer)m[i].subject_key, list);
		}
		g_array_append_val(list, i);
	}
	GHashTableIter it;
	gpointer key, value;
	g_hash_table_iter_init(&it, by_subject);
	while (g_hash_table_iter_next(&it, &key, &value))
		g_array_sort_with_data(value, cmp_by_date, (gpointer)m);
	for (gsize i = 0; i < n; i++) {
		gssize node = g->node_of[i];
		if (!m[i].reply || m[i].subject_key == NULL || m[i].date == NULL || NODE(g, node)->msg != (gssize)i ||
		    NODE(g, node)->parent >= 0)
			continue;
		if (!m[i].printed && m[i].refs != NULL && m[i].refs[0] != NULL)
			continue;
		gssize best = latest_before(m, g_hash_table_lookup(by_subject, m[i].subject_key), m[i].date);
		if (best >= 0)
			link(g, node, g->node_of[best], FALSE);
	}
}

/* The nearest ancestor of NODE that holds a message; -1: none. */
static gssize
real_parent(Graph *g, gssize node)
{
	gssize p = NODE(g, node)->parent;
	while (p >= 0 && NODE(g, p)->msg < 0)
		p = NODE(g, p)->parent;
	return p;
}

/* The top of NODE's tree, empty containers included. */
static gssize
top_of(Graph *g, gssize node)
{
	while (NODE(g, node)->parent >= 0)
		node = NODE(g, node)->parent;
	return node;
}

static guint
depth_of(Graph *g, gssize node)
{
	Node *x = NODE(g, node);
	if (x->depth_done)
		return x->depth;
	/* Iteratively: walk up to a node whose depth is known, then back down. */
	g_autoptr(GArray) path = g_array_new(FALSE, FALSE, sizeof(gssize));
	gssize p = node;
	while (p >= 0 && !NODE(g, p)->depth_done) {
		g_array_append_val(path, p);
		p = NODE(g, p)->parent;
	}
	guint d = p >= 0 ? NODE(g, p)->depth + 1 : 0;
	for (guint i = path->len; i-- > 0; d++) {
		Node *y = NODE(g, g_array_index(path, gssize, i));
		y->depth = d;
		y->depth_done = TRUE;
	}
	return x->depth;
}

/* Order of two messages' dates, unknown dates last, then input order. */
static gboolean
earlier(const DpThreadMsg *m, gsize a, gsize b)
{
	int c = m[a].date && m[b].date ? strcmp(m[a].date, m[b].date) : m[a].date ? -1 : m[b].date ? 1 : 0;
	return c < 0 || (c == 0 && a < b);
}

GArray *
dp_threads_build(const DpThreadMsg *msgs, gsize n, double same, DpThreadPlace *places)
{
	Graph g = { msgs, g_array_new(FALSE, FALSE, sizeof(Node)), g_hash_table_new(g_str_hash, g_str_equal),
		    g_new(gssize, n + 1) };
	assign_nodes(&g, n, same);
	link_messages(&g, n);
	link_subjects(&g, n);

	/* Pass 4: empty containers out; the tops of one component under its earliest message. */
	gsize nn = g.nodes->len;
	gssize *rp = g_new(gssize, nn + 1);
	gssize *top_msg = g_new(gssize, nn + 1); /* container top -> its earliest top-level message node */
	for (gsize k = 0; k < nn; k++)
		top_msg[k] = -1;
	for (gsize k = 0; k < nn; k++) {
		rp[k] = NODE(&g, k)->msg >= 0 ? real_parent(&g, (gssize)k) : -1;
		if (NODE(&g, k)->msg < 0 || rp[k] >= 0)
			continue;
		gssize t = top_of(&g, (gssize)k);
		if (top_msg[t] < 0 || earlier(msgs, (gsize)NODE(&g, k)->msg, (gsize)NODE(&g, top_msg[t])->msg))
			top_msg[t] = (gssize)k;
	}
	for (gsize k = 0; k < nn; k++) {
		Node *x = NODE(&g, k);
		if (x->msg < 0)
			continue;
		if (rp[k] < 0) {
			gssize root = top_msg[top_of(&g, (gssize)k)];
			rp[k] = root == (gssize)k ? -1 : root;
		}
	}
	for (gsize k = 0; k < nn; k++) {
		NODE(&g, k)->parent = rp[k];
		NODE(&g, k)->depth_done = FALSE;
	}

	/* Threads in the order their roots' first messages come. */
	GArray *threads = g_array_new(FALSE, FALSE, sizeof(DpThread));
	gssize *thread_of_root = g_new(gssize, nn + 1);
	for (gsize k = 0; k < nn; k++)
		thread_of_root[k] = -1;
	for (gsize i = 0; i < n; i++) {
		gssize node = g.node_of[i];
		gssize root = node;
		while (NODE(&g, root)->parent >= 0)
			root = NODE(&g, root)->parent;
		if (thread_of_root[root] < 0) {
			DpThread t = { msgs[NODE(&g, root)->msg].id, 0, 0, (guint)NODE(&g, root)->msg };
			thread_of_root[root] = (gssize)threads->len;
			g_array_append_val(threads, t);
		}
		DpThread *t = &g_array_index(threads, DpThread, thread_of_root[root]);
		guint d = depth_of(&g, node);
		t->depth = MAX(t->depth, d);
		if (NODE(&g, node)->msg == (gssize)i)
			t->nodes++;
		gssize parent = NODE(&g, node)->parent;
		places[i] =
		    (DpThreadPlace){ msgs[NODE(&g, node)->msg].id, parent >= 0 ? msgs[NODE(&g, parent)->msg].id : -1, d,
			             (guint)thread_of_root[root] };
	}
	g_free(thread_of_root);
	g_free(top_msg);
	g_free(rp);
	g_free(g.node_of);
	g_hash_table_unref(g.by_mid);
	g_array_unref(g.nodes);
	return threads;
}

/* The length of a reply or forward prefix at P ("Re:", "FW:", "Re[2]:", "AW:"), 0 if none. */
static gsize
prefix_len(const char *p)
{
	static const char *const words[] = { "re", "fwd", "fw", "aw", "wg", "tr", "sv", "vs" };
	for (guint i = 0; i < G_N_ELEMENTS(words); i++) {
		gsize w = strlen(words[i]);
		if (g_ascii_strncasecmp(p, words[i], w) != 0)
			continue;
		const char *q = p + w;
		if (*q == '[') {
			while (g_ascii_isdigit(*++q))
				;
			if (*q != ']')
				continue;
			q++;
		}
		if (*q == ':')
			return (gsize)(q + 1 - p);
	}
	return 0;
}

char *
dp_threads_subject(const char *subject, gboolean *reply)
{
	*reply = FALSE;
	if (subject == NULL)
		return NULL;
	const char *p = subject;
	for (;;) {
		while (g_ascii_isspace(*p))
			p++;
		gsize n = prefix_len(p);
		if (n == 0)
			break;
		*reply = TRUE;
		p += n;
	}
	GString *out = g_string_new(NULL);
	for (const char *q = p; *q; q++) {
		if (g_ascii_isspace(*q)) {
			if (out->len > 0 && out->str[out->len - 1] != ' ')
				g_string_append_c(out, ' ');
		} else {
			g_string_append_c(out, *q);
		}
	}
	if (out->len > 0 && out->str[out->len - 1] == ' ')
		g_string_truncate(out, out->len - 1);
	g_autofree char *folded = g_utf8_casefold(out->str, (gssize)out->len);
	g_string_free(out, TRUE);
	return g_strdup(folded);
}
