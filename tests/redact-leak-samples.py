#!/usr/bin/python3
"""redact-leak-samples.py: documents with secrets planted everywhere, for
tests/t3020-redact-leak.sh (run with Debian's /usr/bin/python3: cairo).

usage: redact-leak-samples.py OUTDIR

  leak.pdf    secrets in the page text (one SSN split across a line end)
              and in every metadata field cairo can set (title, author,
              subject, keywords, creator)
  leak.zip    secrets in entry names (directories too) and in the entries
  leak.eml    secrets in From/To/Cc/Reply-To/Subject (one RFC 2047
              encoded), in a text and an HTML body, in attachment file names
              (filename= and RFC 2231 filename*=), inside the attachments
              (a text file, leak.zip, leak.pdf) and in a forwarded message
Nothing is random and every date is fixed.
"""
import base64
import io
import os
import sys
import zipfile

import cairo

FIXED = (2024, 3, 1, 9, 30, 0)


def pdf(path):
    surf = cairo.PDFSurface(path, 595, 842)
    md = cairo.PDFMetadata
    surf.set_metadata(md.TITLE, "Dossier of Bouteflika, john.smith@example.com")
    surf.set_metadata(md.AUTHOR, "leaked.person@corp.example.org")
    surf.set_metadata(md.SUBJECT, "SSN 123-45-6789, phone 202-555-0143")
    surf.set_metadata(md.KEYWORDS, "4111 1111 1111 1111, GB82 WEST 1234 5698 7654 32, 192.168.77.12")
    surf.set_metadata(md.CREATOR, "Mokhtar ben Mokhtar")
    surf.set_metadata(md.CREATE_DATE, "2024-03-01T09:30:00Z")
    surf.set_metadata(md.MOD_DATE, "2024-03-01T09:30:00Z")
    ctx = cairo.Context(surf)
    ctx.select_font_face("DejaVu Sans")
    ctx.set_font_size(12)
    y = 72
    for t in ["Report on Bouteflika and Mokhtar ben",
              "Mokhtar; write to john.smith@example.com or",
              "call (202) 555-0143. The SSN is 123-45-",
              "6789 and the card 4111 1111 1111 1111.",
              "IBAN GB82WEST12345698765432, host 2001:db8::7."]:
        ctx.move_to(72, y)
        ctx.show_text(t)
        y += 16
    surf.finish()


def zip_bytes(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(name, FIXED), data)
    return buf.getvalue()


def b64(data):
    s = base64.b64encode(data).decode()
    return "\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    pdf(os.path.join(out, "leak.pdf"))
    with open(os.path.join(out, "leak.pdf"), "rb") as f:
        pdf_data = f.read()
    zdata = zip_bytes([
        ("Bouteflika/notes for john.smith@example.com.txt", b"call 202-555-0143\n"),
        ("cards/4111111111111111.txt", b"SSN 123-45-6789 and GB82 WEST 1234 5698 7654 32\n"),
        ("hosts/192.168.77.12.txt", b"leaked.person@corp.example.org uses 2001:db8::7\n"),
    ])
    with open(os.path.join(out, "leak.zip"), "wb") as f:
        f.write(zdata)
    subj = base64.b64encode("Réunion: Bouteflika 202-555-0143".encode()).decode()
    fwd = """From: Mokhtar ben Mokhtar <leaked.person@corp.example.org>
To: john.smith@example.com
Subject: forwarded, card 4111-1111-1111-1111
Date: Fri, 01 Mar 2024 09:00:00 +0000

The forwarded body names Bouteflika and 192.168.77.12.
"""
    eml = f"""From: John Smith <john.smith@example.com>
To: "Bouteflika" <leaked.person@corp.example.org>
Cc: 202-555-0143 <fax@example.net>
Reply-To: john.smith@example.com
Subject: =?UTF-8?B?{subj}?=
X-Account: GB82WEST12345698765432
Date: Fri, 01 Mar 2024 09:30:00 +0000
Message-ID: <leak-1@example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=utf-8

Dear Mokhtar ben
Mokhtar, the SSN is 123-45-6789, the card 4111 1111 1111 1111,
the IBAN GB82 WEST 1234 5698 7654 32, the host 192.168.77.12.
Write to john.smith@exam-
ple.com or call 202-555-
0143.
--alt
Content-Type: text/html; charset=utf-8

<p>BOUTEFLIKA at <a href="mailto:john.smith@example.com">john.smith@example.com</a>,
phone (202) 555-0143, server 2001:db8::7.</p>
--alt--

--outer
Content-Type: text/plain; name="Bouteflika 123-45-6789.txt"
Content-Disposition: attachment; filename="Bouteflika 123-45-6789.txt"

Attachment text: leaked.person@corp.example.org, 2025550143.

--outer
Content-Type: application/zip; name="leak.zip"
Content-Disposition: attachment; filename*=UTF-8''john.smith%40example.com.zip
Content-Transfer-Encoding: base64

{b64(zdata)}

--outer
Content-Type: application/pdf; name="GB82WEST12345698765432.pdf"
Content-Disposition: attachment; filename="GB82WEST12345698765432.pdf"
Content-Transfer-Encoding: base64

{b64(pdf_data)}

--outer
Content-Type: message/rfc822

{fwd}
--outer--
"""
    with open(os.path.join(out, "leak.eml"), "w", newline="\n") as f:
        f.write(eml)


main()
