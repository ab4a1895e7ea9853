#!/usr/bin/python3
# corpus-score.py: score OUT/corpus.sqlite against the answer key of
# scripts/make-corpus-dups.
#
#   tests/corpus-score.py TRUTH OUT/corpus.sqlite
#
# Duplicates: over the top-level inputs, the pairs that the key puts in one
# group against the pairs the database puts in one group: precision and
# recall (printed).  Threads: every message of the key must be found, the
# key's threads must be exactly the database's threads (same partition),
# the key's nodes exactly its nodes (a message printed in three documents
# is one), and each node's parent and depth as the key says.  Prints one
# line per figure and each mismatch; exits 1 on a mismatch in threads, or
# when precision or recall is under the MIN given by --min (default 0.98).
import itertools
import sqlite3
import sys

args = sys.argv[1:]
minimum = 0.98
if args[0] == "--min":
    minimum = float(args[1])
    args = args[2:]
truth_path, db_path = args
groups, msgs = [], []
with open(truth_path, encoding="utf-8") as f:
    for line in f:
        row = line.rstrip("\n").split("\t")
        if row[0] == "group":
            groups.append(row[1:])
        elif row[0] == "msg":
            msgs.append(row[1:])

db = sqlite3.connect(db_path)
bad = []


def pairs(sets):
    out = set()
    for s in sets:
        for a, b in itertools.combinations(sorted(set(s)), 2):
            out.add((a, b))
    return out


want = pairs(groups)
found_groups = {}
for gid, source in db.execute("SELECT m.group_id, d.source FROM dup_members m JOIN documents d USING (doc_id)"
                              " WHERE d.part = ''"):
    found_groups.setdefault(gid, []).append(source)
got = pairs(found_groups.values())
tp = len(want & got)
precision = tp / len(got) if got else 1.0
recall = tp / len(want) if want else 1.0
print("duplicate pairs: %d expected, %d found, %d right" % (len(want), len(got), tp))
print("precision %.3f recall %.3f" % (precision, recall))
for a, b in sorted(want - got):
    print("missed: %s ~ %s" % (a, b))
for a, b in sorted(got - want):
    print("wrong: %s ~ %s" % (a, b))
if precision < minimum or recall < minimum:
    bad.append("precision or recall under %.2f" % minimum)

# Threads.
rows = {}
for msg_id, source, part, thread, parent, depth, node in db.execute(
        "SELECT msg_id, source, part, thread_id, parent_id, depth, node_id FROM messages"):
    rows[(source, part)] = (msg_id, thread, parent, depth, node)
by_id = {r[0]: k for k, r in rows.items()}
label_of_node = {}
thread_of_label, label_of_thread = {}, {}
for name, part, thread, node, parent, depth in msgs:
    r = rows.get((name, part))
    if r is None:
        bad.append("message not found: %s %s" % (name, part))
        continue
    msg_id, t, p, d, n = r
    # The key's threads and the database's are the same partition.
    if thread_of_label.setdefault(thread, t) != t or label_of_thread.setdefault(t, thread) != thread:
        bad.append("%s %s: thread %s is not the key's %s" % (name, part, t, thread))
    if label_of_node.setdefault(n, node) != node:
        bad.append("%s %s: node %s is also %s" % (name, part, node, label_of_node[n]))
    if str(d) != depth:
        bad.append("%s %s: depth %s, not %s" % (name, part, d, depth))
    if (p is None) != (parent == "-"):
        bad.append("%s %s: parent %s, not %s" % (name, part, p, parent))
    msgs_parent = (name, part, p, parent)
nodes_of_label = {}
for n, label in label_of_node.items():
    nodes_of_label.setdefault(label, set()).add(n)
for label, ns in sorted(nodes_of_label.items()):
    if len(ns) > 1:
        bad.append("message %s is %d nodes" % (label, len(ns)))
for name, part, thread, node, parent, depth in msgs:
    r = rows.get((name, part))
    if r is None or r[2] is None or parent == "-":
        continue
    if label_of_node.get(r[2]) != parent:
        bad.append("%s %s: parent is %s, not %s" % (name, part, label_of_node.get(r[2]), parent))
n_threads = len(set(m[2] for m in msgs))
print("threads: %d messages of the key in %d threads; database: %d threads, %d messages" %
      (len(msgs), n_threads, db.execute("SELECT count(*) FROM threads").fetchone()[0],
       db.execute("SELECT count(*) FROM messages").fetchone()[0]))
for b in bad:
    print("MISMATCH: " + b)
sys.exit(1 if bad else 0)
