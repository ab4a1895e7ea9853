#!/usr/bin/python3
# redact-names-check.py: display names left in docpipe's output, for t3071.
#
#   redact-names-check.py fields XML...
#       every From/To/Cc/Bcc/Reply-To/Sender value that holds a redacted
#       address: prints those with a letter outside [PERSON] and [EMAIL].
#   redact-names-check.py printed TRUTH OUTDIR
#       for the printed messages of scripts/make-releases or print-eml
#       (TRUTH: their truth.json; OUTDIR: docpipe convert --xml -o and -o
#       of the text-layer PDFs), every display name of two or more letters
#       written beside an address: prints those still in an output.
# The last line counts; the exit status is 0 either way.
import html
import json
import re
import sys

ADDRESS_FIELDS = re.compile(r'<meta name="(from|to|cc|bcc|reply-to|sender)">([^<]*)</meta>')


def fields(paths):
    checked = left = 0
    for p in paths:
        for m in ADDRESS_FIELDS.finditer(open(p, encoding="utf-8").read()):
            v = html.unescape(m.group(2))
            if "[EMAIL]" not in v:
                continue
            checked += 1
            rest = re.sub(r"\[PERSON\]|\[EMAIL\]|\b[a-z]*ai[a-z]*to\b|\bB\d\b", "", v)
            if re.search(r"[^\W\d_]", rest):
                left += 1
                print("left: %s %s" % (m.group(1), v))
    print("fields %d left %d" % (checked, left))


def printed(truth, outdir):
    checked = left = 0
    for doc in json.load(open(truth, encoding="utf-8"))["documents"]:
        if doc.get("kind") != "text":
            continue
        out = ""
        for ext in (".txt", ".xml"):
            out += html.unescape(open("%s/%s%s" % (outdir, doc["file"], ext), encoding="utf-8").read())
        for msg in doc.get("messages", []):
            for f in ("from", "to", "cc", "bcc"):
                for item in re.split(r";\s*", msg.get(f) or ""):
                    m = re.match(r"(.*?)\s*[<\[]", item)
                    if not m or "@" not in item:
                        continue
                    name = m.group(1).strip().strip("\"'")
                    if len(name) < 2:
                        continue
                    checked += 1
                    if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", out):
                        left += 1
                        print("left: %s %s %s" % (doc["file"], f, name))
    print("names %d left %d" % (checked, left))


if sys.argv[1] == "fields":
    fields(sys.argv[2:])
else:
    printed(sys.argv[2], sys.argv[3])
