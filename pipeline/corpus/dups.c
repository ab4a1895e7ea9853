/*
 * NAME
 *	dups.c - exact and near-duplicate groups
 *
 * DESCRIPTION
 *	dp_dups_group() first sorts the items by text hash: a run of the
 *	same hash is one exact class, and only its best-ranked item (its
 *	head) takes part in the near-duplicate search.  For each LSH band
 *	(corpus/minhash.c) the heads' bucket values are sorted; heads that
 *	share a bucket are candidates, compared by estimated similarity and
 *	joined (union-find) when it reaches the threshold.  A bucket of M
 *	heads costs at most M times BUCKET_PEERS comparisons, and pairs
 *	already joined are not compared again, so the whole search is
 *	O(N log N) for the sorts plus the candidates, never all pairs.
 *
 *	A group is a connected set of classes: "exact" when it is one class,
 *	"near" otherwise.  Its representative is its member of lowest rank
 *	(the caller's order: one with a text layer, then the earliest); each
 *	member's similarity is measured against the representative.
 */
#include "corpus/dups.h"

#include "util/order.h"

#include <string.h>

#include "util/banned.h"

/* In a large bucket, each head is compared with this many heads before it, at most. */
#define BUCKET_PEERS 32

void
dp_dup_group_free(DpDupGroup *g)
{
	if (g == NULL)
		return;
	g_array_unref(g->members);
	g_free(g);
}

/* Item indexes ordered by rank, then position: the better representative first. */
static int
cmp_member_rank(gconstpointer a, gconstpointer b, gpointer user)
{
	const DpDupItem *items = user;
	gsize x = *(const gsize *)a, y = *(const gsize *)b;
	int c = DP_CMP(items[x].rank, items[y].rank);
	return c != 0 ? c : DP_CMP(x, y);
}

/* Item indexes ordered by text hash, then as cmp_member_rank(). */
static int
cmp_by_hash(gconstpointer a, gconstpointer b, gpointer user)
{
	const DpDupItem *items = user;
	int c = strcmp(items[*(const gsize *)a].text_hash, items[*(const gsize *)b].text_hash);
	return c != 0 ? c : cmp_member_rank(a, b, user);
}

static gsize
uf_find(gsize *parent, gsize x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

/* Join the sets of A and B; the root is the one of lower index (a stable choice). */
static void
uf_union(gsize *parent, gsize a, gsize b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	if (a < b)
		parent[b] = a;
	else if (b < a)
		parent[a] = b;
}

typedef struct {
	guint64 bucket;
	gsize head; /* index into the heads */
} Entry;

static int
cmp_entry(gconstpointer a, gconstpointer b)
{
	const Entry *x = a, *y = b;
	int c = DP_CMP(x->bucket, y->bucket);
	return c != 0 ? c : DP_CMP(x->head, y->head);
}

/* Whether X contains Y or Y contains X: the same input, one part inside the other. */
static gboolean
nested(const DpDupItem *x, const DpDupItem *y)
{
	if (x->source == NULL || y->source == NULL || !g_str_equal(x->source, y->source))
		return FALSE;
	const DpDupItem *outer = strlen(x->part) <= strlen(y->part) ? x : y;
	const DpDupItem *inner = outer == x ? y : x;
	gsize n = strlen(outer->part);
	return n == 0 || (strncmp(inner->part, outer->part, n) == 0 && inner->part[n] == '/');
}

/* Candidates from the LSH bands of the heads that have signatures; joined in PARENT. */
static void
near_search(const DpDupItem *items, const gsize *heads, gsize nh, gsize *parent, double threshold, guint64 *compared)
{
	Entry *e = g_new(Entry, nh);
	for (guint b = 0; b < DP_MINHASH_BANDS; b++) {
		gsize ne = 0;
		for (gsize h = 0; h < nh; h++)
			if (items[heads[h]].sig != NULL)
				e[ne++] = (Entry){ dp_minhash_band(items[heads[h]].sig, b), h };
		/* Fewer than two signatures make no pair (and E is NULL when NH is 0). */
		if (ne < 2)
			continue;
		qsort(e, ne, sizeof *e, cmp_entry);
		for (gsize i = 0; i < ne;) {
			gsize j = i;
			while (j < ne && e[j].bucket == e[i].bucket)
				j++;
			for (gsize k = i + 1; k < j; k++) {
				gsize lo = k > i + BUCKET_PEERS ? k - BUCKET_PEERS : i;
				for (gsize m = lo; m < k; m++) {
					gsize x = e[m].head, y = e[k].head;
					if (uf_find(parent, x) == uf_find(parent, y))
						continue;
					(*compared)++;
					const DpDupItem *ix = &items[heads[x]], *iy = &items[heads[y]];
					if (!nested(ix, iy) && dp_minhash_similarity(ix->sig, iy->sig) >= threshold)
						uf_union(parent, x, y);
				}
			}
			i = j;
		}
	}
	g_free(e);
}

static int
cmp_group(gconstpointer a, gconstpointer b, gpointer user)
{
	const GArray *const *x = a, *const *y = b;
	return cmp_member_rank(&g_array_index(*x, gsize, 0), &g_array_index(*y, gsize, 0), user);
}

/* The group of the item indexes in IDX (sorted by rank). */
static DpDupGroup *
make_group(const DpDupItem *items, GArray *idx)
{
	DpDupGroup *g = g_new0(DpDupGroup, 1);
	g->members = g_array_sized_new(FALSE, FALSE, sizeof(DpDupMember), idx->len);
	const DpDupItem *rep = &items[g_array_index(idx, gsize, 0)];
	g->rep = rep->id;
	for (guint i = 0; i < idx->len; i++) {
		const DpDupItem *it = &items[g_array_index(idx, gsize, i)];
		DpDupMember m = { it->id, 1.0 };
		if (!g_str_equal(it->text_hash, rep->text_hash)) {
			g->near = TRUE;
			m.similarity = it->sig && rep->sig ? dp_minhash_similarity(it->sig, rep->sig) : 0.0;
		}
		g_array_append_val(g->members, m);
	}
	return g;
}

GPtrArray *
dp_dups_group(const DpDupItem *items, gsize n, double threshold, guint64 *compared)
{
	guint64 dummy = 0;
	if (compared == NULL)
		compared = &dummy;
	*compared = 0;
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)dp_dup_group_free);
	/* The items with text, sorted by hash: runs are exact classes. */
	gsize *order = g_new(gsize, n + 1);
	gsize no = 0;
	for (gsize i = 0; i < n; i++)
		if (items[i].text_hash != NULL)
			order[no++] = i;
	g_qsort_with_data(order, (gint)no, sizeof *order, cmp_by_hash, (gpointer)items);
	gsize *heads = g_new(gsize, no + 1);
	gsize *class_of = g_new(gsize, no + 1); /* position in ORDER -> head index */
	gsize nh = 0;
	for (gsize i = 0; i < no; i++) {
		if (i == 0 || !g_str_equal(items[order[i]].text_hash, items[order[i - 1]].text_hash))
			heads[nh++] = order[i];
		class_of[i] = nh - 1;
	}
	gsize *parent = g_new(gsize, nh + 1);
	for (gsize h = 0; h < nh; h++)
		parent[h] = h;
	near_search(items, heads, nh, parent, threshold, compared);

	/* The members of each set, by root. */
	GArray **sets = g_new0(GArray *, nh + 1);
	for (gsize i = 0; i < no; i++) {
		gsize root = uf_find(parent, class_of[i]);
		if (sets[root] == NULL)
			sets[root] = g_array_new(FALSE, FALSE, sizeof(gsize));
		g_array_append_val(sets[root], order[i]);
	}
	g_autoptr(GPtrArray) groups = g_ptr_array_new();
	for (gsize h = 0; h < nh; h++) {
		if (sets[h] == NULL)
			continue;
		if (sets[h]->len < 2) {
			g_array_unref(sets[h]);
			continue;
		}
		g_array_sort_with_data(sets[h], cmp_member_rank, (gpointer)items);
		g_ptr_array_add(groups, sets[h]);
	}
	g_ptr_array_sort_with_data(groups, cmp_group, (gpointer)items);
	for (guint i = 0; i < groups->len; i++) {
		g_ptr_array_add(out, make_group(items, groups->pdata[i]));
		g_array_unref(groups->pdata[i]);
	}
	g_free(sets);
	g_free(parent);
	g_free(class_of);
	g_free(heads);
	g_free(order);
	return out;
}
