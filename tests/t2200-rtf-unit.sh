#!/bin/sh
# t2200: compressed RTF (MS-OXRTFCP) and the RTF reader (extract/rtf.c,
# extract/rtf-lzfu.c): text, code pages, Unicode, tables, Outlook's
# HTML-encapsulated RTF, \info, embedded objects, and hostile input
# (deep nesting, a giant \bin, every truncation) (tests/unit/rtf-test.c).
. "$(dirname "$0")/test-lib.sh"

test_unit "$DOCPIPE_BUILD/tests/rtf-test"

test_done
