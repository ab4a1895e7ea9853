#!/usr/bin/python3
# foia-score.py: field-level accuracy of docpipe's page furniture and
# printed messages against an answer key (issue #15).
#
#   tests/foia-score.py [OPTIONS] TRUTH.json XML...
#
# TRUTH.json is written by scripts/make-releases or scripts/print-eml.
# XML is docpipe's XML output (`docpipe convert --no-redact -x -o DIR`):
# directories are searched for *.xml, and each top-level <document> is
# matched to the answer key by the file name of its source attribute (else
# by the XML file's name less ".xml").  Run docpipe with --no-redact: the
# key holds the addresses as printed, not [EMAIL].
#
# What is compared (the contract of config/docpipe.rng and issue #15):
#   furniture   <meta name="foia.case|doc|date|release|exemptions|
#               classification|bates|stamp"> on the top <document>;
#   messages    every <document type="message/x-printed"> under it, in
#               document order, with <meta> from, to, cc, bcc, subject,
#               date, sent, attachments.
# Furniture accuracy = fields right / (fields in the key + fields docpipe
# gave that the key does not have).  Messages are aligned to the key in
# order (the alignment that gets the most fields right); message accuracy =
# fields right / (fields of the key's messages + fields docpipe gave that
# the key's message does not have + the fields of messages docpipe found
# that the key does not have, on documents that have messages).  Messages
# found in a negative document (news article, memo, banner-only page) are
# false messages, counted on their own.
# Comparison: whitespace collapsed everywhere; names, furniture values and
# the printed date case-insensitive, dashes unified; subject
# case-sensitive; recipients ("; "-separated) compared as a multiset, each
# as its address when it has one ("Name <a@b>", "Name [mailto:a@b]" and
# "'a@b'" are all a@b), else as its name; exemptions, stamps and
# attachments as sets; foia.bates "X" is "X;X"; date as ISO 8601 to the
# second, a zone suffix (Z, +01:00) ignored and ":00" added when the
# seconds are missing (the key holds the printed wall-clock time).
#
# Options:
#   --min-furniture F    exit 1 when furniture accuracy is below F
#   --min-messages M     exit 1 when message accuracy is below M
#   --max-false-messages N   exit 1 when more than N false messages (0)
#   --kind text|scan     score only the documents of that kind
#   -v, --verbose        list every wrong field
# Exit status: 0 at or above the thresholds, 1 below, 2 bad usage or key.
import argparse
import json
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

FURNITURE = ["foia.case", "foia.doc", "foia.date", "foia.release", "foia.exemptions",
             "foia.classification", "foia.bates", "foia.stamp"]
MESSAGE = ["from", "to", "cc", "bcc", "subject", "date", "sent", "attachments"]
PRINTED = "message/x-printed"
ADDR = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*")
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")


def ws(s):
    return " ".join((s or "").split())


def canon(s):
    """S for a case-insensitive comparison: NFKC, dashes as '-', spaces
    collapsed and none around punctuation (OCR breaks spacing)."""
    s = unicodedata.normalize("NFKC", s or "").translate(DASHES)
    s = ws(s).casefold()
    return re.sub(r"\s*([,;:\-/()&.])\s*", r"\1", s)


def parts(s, seps=";"):
    return [p for p in (canon(x) for x in re.split("[%s]" % seps, s or "")) if p]


def recipients(s):
    """The recipients of S as a sorted list of ("a", address) or ("n", name)."""
    out = []
    for piece in (s or "").split(";"):
        addrs = [a.strip(".").lower() for a in ADDR.findall(piece)]
        if addrs:
            out += [("a", a) for a in addrs]
            continue
        name = re.sub(r"\[?mailto:[^\]]*\]?", " ", piece, flags=re.I)
        name = canon(name.replace("<", " ").replace(">", " ")).strip("'\"`,.:; ")
        if name:
            out.append(("n", name))
    return sorted(out)


def iso(s):
    s = ws(s)
    s = re.sub(r"(Z|[+-]\d\d:?\d\d)$", "", s)
    if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", s):
        s += ":00"
    return s[:19]


def same_message_field(name, truth, got):
    if name in ("from", "to", "cc", "bcc"):
        return recipients(truth) == recipients(got)
    if name == "subject":
        return ws(truth) == ws(got)
    if name == "date":
        return iso(truth) == iso(got)
    if name == "attachments":
        return sorted(parts(truth)) == sorted(parts(got))
    return canon(truth) == canon(got)


def same_furniture(name, truth, got):
    if name == "foia.exemptions":
        return set(parts(truth, ";,")) == set(parts(got, ";,"))
    if name == "foia.stamp":
        return set(parts(truth)) == set(parts(got))
    if name == "foia.bates":
        t, g = parts(truth), parts(got)
        return t == (g * 2 if len(g) == 1 else g)
    return canon(truth) == canon(got)


# -- reading docpipe's XML ----------------------------------------------------

def metas(doc):
    """The document's own <meta> values: name -> value (the first of a name)."""
    out = {}
    for m in doc.findall("meta"):
        name = m.get("name")
        if name and name not in out and ws(m.text):
            out[name] = m.text
    return out


def text_of(doc):
    t = doc.find("text")
    pages = [t] if t is not None else doc.findall("page")
    return "\n".join(p.text or "" for p in pages)


def printed_messages(top):
    """The printed messages under TOP, in document order."""
    out = []
    for d in top.iter("document"):
        if d is top or d.get("type") != PRINTED:
            continue
        m = metas(d)
        if "date" in m and not re.match(r"\d{4}-\d\d-\d\dT", ws(m["date"])) and "date-iso" in m:
            m["date"] = m["date-iso"]
        out.append({k: m[k] for k in MESSAGE if k in m})
    return out


def load_xml(paths):
    """Top-level documents by file name: name -> element."""
    files = []
    for p in paths:
        if os.path.isdir(p):
            for dirpath, dirs, names in os.walk(p):
                dirs.sort()
                files += [os.path.join(dirpath, n) for n in sorted(names) if n.endswith(".xml")]
        else:
            files.append(p)
    docs = {}
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            data = f.read()
        # Several <docpipe> roots (XML written to one stream) read as one.
        data = re.sub(r"<\?xml[^>]*\?>", "", data)
        try:
            root = ET.fromstring("<all>" + data + "</all>")
        except ET.ParseError as e:
            print("foia-score: %s: %s" % (path, e), file=sys.stderr)
            continue
        base = os.path.basename(path)
        base = base[:-4] if base.endswith(".xml") else base
        for dp in root.findall("docpipe"):
            for top in dp.findall("document"):
                name = os.path.basename(top.get("source") or "") or base
                docs.setdefault(name, top)
    return docs


# -- scoring ------------------------------------------------------------------

def fields(m):
    return [k for k in MESSAGE if ws(m.get(k))]


def pair_score(t, o):
    return sum(1 for k in fields(t) if ws(o.get(k)) and same_message_field(k, t[k], o[k]))


def align(truth, got):
    """Pairs (i, j) of truth and output messages, in order, that get the
    most fields right (a message pairs only when one field is right)."""
    n, m = len(truth), len(got)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            s = pair_score(truth[i], got[j])
            best[i][j] = max(best[i + 1][j], best[i][j + 1],
                             best[i + 1][j + 1] + s if s else 0)
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        s = pair_score(truth[i], got[j])
        if s and best[i][j] == best[i + 1][j + 1] + s:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


class Tally:
    def __init__(self):
        self.fr = self.ft = self.mr = self.mt = 0
        self.false_msgs = self.extra_msgs = self.missed_msgs = self.missing = 0
        self.docs = 0
        self.left_in_text = 0
        self.unsorted = 0


def score_doc(d, top, tally, wrong):
    name = d["file"]
    tally.docs += 1
    got_f = metas(top) if top is not None else {}
    if top is None:
        tally.missing += 1
        wrong.append("%s: no XML output" % name)
    truth_f = d.get("furniture") or {}
    for k in FURNITURE:
        t, g = truth_f.get(k), got_f.get(k)
        if t:
            tally.ft += 1
            if g and same_furniture(k, t, g):
                tally.fr += 1
            else:
                wrong.append("%s: %s: want %r, got %r" % (name, k, t, g))
        elif g:
            tally.ft += 1
            wrong.append("%s: %s: want none, got %r" % (name, k, g))
    ex = got_f.get("foia.exemptions")
    if ex:
        codes = [c.strip() for c in ex.split(";")]
        if codes != sorted(set(codes)):
            tally.unsorted += 1
            wrong.append("%s: foia.exemptions not sorted and unique: %r" % (name, ex))
    if top is not None and truth_f.get("foia.doc") and truth_f["foia.doc"] in text_of(top):
        tally.left_in_text += 1

    truth_m = d.get("messages") or []
    got_m = printed_messages(top) if top is not None else []
    if d.get("negative") or not truth_m:
        tally.false_msgs += len(got_m)
        for o in got_m:
            wrong.append("%s: false message %r" % (name, {k: ws(v) for k, v in o.items()}))
        return
    pairs = align(truth_m, got_m)
    paired_t = {i for i, _ in pairs}
    paired_o = {j for _, j in pairs}
    for i, j in pairs:
        t, o = truth_m[i], got_m[j]
        for k in MESSAGE:
            tv, gv = ws(t.get(k)), ws(o.get(k))
            if tv:
                tally.mt += 1
                if gv and same_message_field(k, t[k], o[k]):
                    tally.mr += 1
                else:
                    wrong.append("%s: message %d: %s: want %r, got %r" % (name, i + 1, k, tv, gv or None))
            elif gv:
                tally.mt += 1
                wrong.append("%s: message %d: %s: want none, got %r" % (name, i + 1, k, gv))
    for i, t in enumerate(truth_m):
        if i not in paired_t:
            tally.missed_msgs += 1
            tally.mt += len(fields(t))
            wrong.append("%s: message %d not found (%s)" % (name, i + 1, ws(t.get("subject") or t.get("sent"))))
    for j, o in enumerate(got_m):
        if j not in paired_o and not IGNORE_EXTRA:
            tally.extra_msgs += 1
            tally.mt += len(fields(o))
            wrong.append("%s: extra message %d (%s)" % (name, j + 1, ws(o.get("subject") or o.get("sent"))))


IGNORE_EXTRA = False


def ratio(a, b):
    return a / b if b else 1.0


def main():
    ap = argparse.ArgumentParser(description="Score docpipe's FOIA furniture and printed messages.")
    ap.add_argument("truth")
    ap.add_argument("xml", nargs="+")
    ap.add_argument("--min-furniture", type=float, default=0.0)
    ap.add_argument("--min-messages", type=float, default=0.0)
    ap.add_argument("--max-false-messages", type=int, default=0)
    ap.add_argument("--kind", choices=("text", "scan"))
    ap.add_argument("--ignore-extra", action="store_true",
                    help="messages the key does not list are not wrong (a printed .eml quoting "
                         "earlier messages: the key holds its own headers only)")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    global IGNORE_EXTRA
    IGNORE_EXTRA = a.ignore_extra
    try:
        with open(a.truth, encoding="utf-8") as f:
            key = json.load(f)
    except (OSError, ValueError) as e:
        print("foia-score: %s: %s" % (a.truth, e), file=sys.stderr)
        return 2
    truth = key["documents"] if isinstance(key, dict) and "documents" in key else key
    if isinstance(truth, dict):
        truth = [dict(v, file=k) for k, v in sorted(truth.items())]
    xml = load_xml(a.xml)
    total, kinds, wrong = Tally(), {}, []
    for d in truth:
        if a.kind and d.get("kind") != a.kind:
            continue
        top = xml.get(d["file"])
        for t in (total, kinds.setdefault(d.get("kind", "text"), Tally())):
            score_doc(d, top, t, wrong if t is total else [])
    fa, ma = ratio(total.fr, total.ft), ratio(total.mr, total.mt)
    print("foia-score: %d documents (%s)" % (total.docs, ", ".join(
        "%d %s" % (t.docs, k) for k, t in sorted(kinds.items()))))
    print("furniture fields: %d/%d = %.3f%s" % (total.fr, total.ft, fa, "".join(
        "  %s %.3f" % (k, ratio(t.fr, t.ft)) for k, t in sorted(kinds.items()))))
    print("message fields:   %d/%d = %.3f%s" % (total.mr, total.mt, ma, "".join(
        "  %s %.3f" % (k, ratio(t.mr, t.mt)) for k, t in sorted(kinds.items()))))
    print("messages missed %d, extra %d; false messages on negative documents %d" % (
        total.missed_msgs, total.extra_msgs, total.false_msgs))
    print("no output %d; exemptions unsorted %d; document number left in the text %d" % (
        total.missing, total.unsorted, total.left_in_text))
    if a.verbose:
        for w in wrong:
            print("  " + w)
    ok = fa >= a.min_furniture and ma >= a.min_messages and total.false_msgs <= a.max_false_messages
    if not ok:
        print("foia-score: below the thresholds (furniture %.2f, messages %.2f, false messages %d)" % (
            a.min_furniture, a.min_messages, a.max_false_messages))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
