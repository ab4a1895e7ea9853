#!/usr/bin/python3
# ocr-accuracy.py REFERENCE TEXT: print the word accuracy of TEXT against
# REFERENCE, the share of the reference's words that TEXT has in the same
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
print("%.3f" % (same / len(ref) if ref else 1.0))
