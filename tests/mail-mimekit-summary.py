#!/usr/bin/python3
# mail-mimekit-summary.py: the message list ("N<TAB>subject") of a MimeKit
# mbox summary (ground_truth/mimekit/*.summary.txt): one block per message,
# opened by a "From " line; the block's unindented Subject: line.
import sys

msgs = []
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.rstrip("\n")
    if line.startswith("From "):
        msgs.append("")
    elif line.startswith("Subject: ") and msgs and msgs[-1] == "":
        msgs[-1] = " ".join(line[len("Subject: "):].split())
for n, s in enumerate(msgs, 1):
    print(f"{n}\t{s}")
