#!/usr/bin/python3
# mail-python-summary.py: the same listing as mail-xml-summary.py, made by
# Python's mailbox and email modules, as an independent reference.
import mailbox
import sys
from email.header import decode_header, make_header

box = mailbox.mbox(sys.argv[1], create=False)
for n, msg in enumerate(box, 1):
    raw = msg.get("subject")
    subj = ""
    if raw is not None:
        try:
            subj = str(make_header(decode_header(str(raw))))
        except Exception:
            subj = str(raw)
    print(f"{n}\t{' '.join(subj.split())}")
