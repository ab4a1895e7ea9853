#!/usr/bin/python3
# report-fixture.py VARIANT DB: write a corpus database (the tables `docpipe
# run` fills, as `docpipe report` reads them) for the report tests, with
# hostile values: markup, quotes, ampersands, control characters, invalid
# UTF-8, very long names, non-ASCII.  Deterministic: no randomness, no
# clock.  Variants:
#   full     every table, a few hundred rows, known counts (tests assert them)
#   many     thousands of rows, messages over 20 years (counted per year)
#   empty    every table, no row
#   missing  only documents, a few rows: the other tables are missing
import sqlite3
import sys

SCHEMA = """
CREATE TABLE documents(doc_id INTEGER PRIMARY KEY, source TEXT NOT NULL, part TEXT NOT NULL DEFAULT '',
  type TEXT, status TEXT, error TEXT, pages INTEGER, ocr_pages INTEGER, ocr_confidences TEXT, chars INTEGER,
  redactions TEXT, exemptions TEXT, date TEXT, text_hash TEXT, extra_column TEXT, UNIQUE(source, part));
CREATE TABLE messages(msg_id INTEGER PRIMARY KEY, doc_id INTEGER, source TEXT, part TEXT, kind TEXT,
  "from" TEXT, "to" TEXT, cc TEXT, date TEXT, subject TEXT, thread_id INTEGER, parent_id INTEGER, depth INTEGER);
CREATE TABLE dup_groups(group_id INTEGER PRIMARY KEY, kind TEXT, representative INTEGER, members INTEGER);
CREATE TABLE dup_members(group_id INTEGER, doc_id INTEGER, similarity REAL, PRIMARY KEY(group_id, doc_id));
CREATE TABLE threads(thread_id INTEGER PRIMARY KEY, root_msg INTEGER, subject TEXT, messages INTEGER,
  depth INTEGER, participants TEXT, first_date TEXT, last_date TEXT);
"""

LONG = "very-long-name-" * 40 + "END.pdf"
HOSTILE_ERRORS = [
    "<script>alert(1)</script>",
    "a & b \"quoted\" 'single'",
    "\u00dcberpr\u00fcfung fehlgeschlagen \u2014 \u6771\u4eac",
    "bell\x07 and escape\x1b[31m",
]
TYPES = ["application/pdf", "text/html", "message/rfc822", "text/plain", "image/png"]


def doc(db, source, part="", type_="application/pdf", status="ok", error=None, pages=1, ocr_pages=0,
        conf="", chars=100, red="", ex="", date=None):
    db.execute("INSERT INTO documents(source, part, type, status, error, pages, ocr_pages, ocr_confidences,"
               " chars, redactions, exemptions, date, text_hash, extra_column)"
               " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
               (source, part, type_, status, error, pages, ocr_pages, conf, chars, red, ex, date, "h", "x"))


def full(db, scale):
    # Inputs: 100*scale ok ones spread over TYPES, then known failures.
    for i in range(100 * scale):
        doc(db, "inbox/doc-%05d.pdf" % i, type_=TYPES[i % len(TYPES)], pages=2, chars=1000,
            red="email.body=1 email.header=1" if i % 10 == 0 else "")
    doc(db, "inbox/<b>bold</b> & co.pdf", status="error", error=HOSTILE_ERRORS[0])
    doc(db, "inbox/M\u00fcller & S\u00f6hne \"AG\".pdf", status="partial", error=HOSTILE_ERRORS[1])
    doc(db, "inbox/" + LONG, status="timeout", error=HOSTILE_ERRORS[2])
    doc(db, "inbox/ctrl.pdf", status="encrypted", error=HOSTILE_ERRORS[3])
    doc(db, "inbox/<script>type.bin", type_='<script>alert("type")</script>', status="unsupported")
    # Invalid UTF-8, stored as a blob the way a careless writer would.
    db.execute("INSERT INTO documents(source, part, type, status, error) VALUES (?, '', 'text/plain', 'error', ?)",
               (b"inbox/bad-\xff\xfe.txt", b"broken \xc3\x28 utf-8"))
    # A mailbox with parts, one failed part.
    doc(db, "inbox/box.mbox", type_="application/mbox")
    doc(db, "inbox/box.mbox", part="1", type_="message/rfc822")
    doc(db, "inbox/box.mbox", part="2/att.zip", type_="application/zip", status="limit", error="too deep")
    # OCR: confidences 95 97.5 91 | 45.5 50 | 100 0 abc 150 -> bins 0:1 4:1 5:1 9:4, 2 bad.
    doc(db, "scans/a.pdf", ocr_pages=3, conf="95 97.5 91", pages=3)
    doc(db, "scans/b.pdf", ocr_pages=2, conf="45.5 50", pages=2)
    doc(db, "scans/c.pdf", ocr_pages=4, conf="100 0 abc 150", pages=4)
    # Redactions: phone 2+3 in body, a rule total only, a hostile rule.
    doc(db, "red/1.txt", type_="text/plain", red="phone.body=2 phone.metadata=1 ssn=7")
    doc(db, "red/2.txt", type_="text/plain", red="phone.body=3 <img onerror=alert(1)>.body=4")
    # Exemptions: b6 in three documents (once counted), b7(c) in two, a hostile code.
    doc(db, "foia/C1.txt", type_="text/plain", ex="b6 b7(c) b6")
    doc(db, "foia/C2.txt", type_="text/plain", ex="b6")
    doc(db, "foia/C3.txt", type_="text/plain", ex="b6 b7(c) <b>x</b>")
    # Messages: 2014-01 .. 2014-06, 10 mail each month; printed 3 in 2014-02; 4 undated.
    mid = 0
    for m in range(1, 7):
        for k in range(10):
            mid += 1
            db.execute("INSERT INTO messages(msg_id, doc_id, source, part, kind, \"from\", date, subject, thread_id,"
                       " depth) VALUES (?,?,?,?,?,?,?,?,?,?)",
                       (mid, 1, "inbox/box.mbox", str(mid), "mail", "a@b", "2014-%02d-%02dT10:00:00Z" % (m, k + 1),
                        "<script>subj</script> %d" % k, 1 + mid % 25, k % 3))
    for k in range(3):
        mid += 1
        db.execute("INSERT INTO messages(msg_id, kind, date, subject) VALUES (?,?,?,?)",
                   (mid, "printed", "2014-02-1%dT09:00:00Z" % k, "printed & \"quoted\""))
    for k in range(4):
        mid += 1
        db.execute("INSERT INTO messages(msg_id, kind, date, subject) VALUES (?,?,?,?)",
                   (mid, "mail", "" if k % 2 else None, "no date"))
    if scale > 1:
        for i in range(40 * scale):
            mid += 1
            db.execute("INSERT INTO messages(msg_id, kind, date) VALUES (?,?,?)",
                       (mid, "mail" if i % 4 else "printed", "%04d-%02d-01" % (2000 + i % 21, 1 + i % 12)))
    # Duplicate groups 1..20: group g has g+1 members; exact when even.
    for g in range(1, 21):
        db.execute("INSERT INTO dup_groups VALUES (?,?,?,?)", (g, "exact" if g % 2 == 0 else "near", g, g + 1))
        for k in range(g + 1):
            db.execute("INSERT INTO dup_members VALUES (?,?,?)", (g, g * 100 + k, 1.0 if g % 2 == 0 else 0.9 + k / 1000))
    # Threads 1..25: thread t has t messages; hostile subjects.
    for t in range(1, 25 * scale + 1):
        db.execute("INSERT INTO threads VALUES (?,?,?,?,?,?,?,?)",
                   (t, t, "Re: <i>plan</i> & \"budget\" %d" % t if t != 25 else "Fwd: \u00e9t\u00e9 \u2014 \u6771\u4eac " + "x" * 300,
                    t, t % 5, "[redacted-1], [redacted-2]", "2014-01-01", "2014-06-30"))


def main():
    variant, path = sys.argv[1], sys.argv[2]
    db = sqlite3.connect(path)
    if variant == "missing":
        db.executescript(SCHEMA.split(";")[0] + ";")
        doc(db, "only/one.pdf")
        doc(db, "only/two.html", type_="text/html", status="error", error="bad & broken")
    else:
        db.executescript(SCHEMA)
        if variant == "full":
            full(db, 1)
        elif variant == "many":
            full(db, 50)
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


main()
