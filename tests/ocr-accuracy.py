#!/usr/bin/python3
# ocr-accuracy.py REFERENCE TEXT [MIN]: print the word accuracy of TEXT
# against REFERENCE and exit 1 when it is below MIN (default 0.95): the share of the reference's words that TEXT has in the same
# order (difflib's longest matching blocks over lowercased words stripped
# of punctuation).  Words of TEXT that are not in REFERENCE (a stamp, page
# furniture) do not count against it.
import difflib
import re
import sys


def words(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return [w for w in (re.sub(r"[^\w]", "", t.lower()) for t in f.read().split()) if w]


ref, hyp = words(sys.argv[1]), words(sys.argv[2])
m = difflib.SequenceMatcher(None, ref, hyp, autojunk=False)
same = sum(b.size for b in m.get_matching_blocks())
acc = same / len(ref) if ref else 1.0
minimum = float(sys.argv[3]) if len(sys.argv) > 3 else 0.95
print("word accuracy %.3f (%s; at least %.2f)" % (acc, sys.argv[2], minimum))
sys.exit(0 if acc >= minimum else 1)
