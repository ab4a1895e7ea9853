#!/usr/bin/python3
# mail-xml-summary.py: list the messages of an mbox as docpipe's XML shows
# them: one line per top-level message, "N<TAB>subject" (subject with
# whitespace collapsed, "" when absent).  Used by tests/t2xxx scripts.
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
top = root.find("document")
n = 0
for doc in top.findall("document"):
    if not (doc.get("path") or "").startswith("message "):
        continue
    n += 1
    subj = ""
    for m in doc.findall("meta"):
        if m.get("name") == "subject":
            subj = " ".join((m.text or "").split())
    print(f"{n}\t{subj}")
