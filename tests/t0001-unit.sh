#!/bin/sh
# The C unit tests of the shared library: record stream, text, config,
# the words of OCR'd pages in the record stream (ocrwords-test needs no OCR).
# MinHash signatures against the first, scalar version (minhash-test).
# SHA-256 and the document ids against GLib's GChecksum (hash-test).
# A mapped input that shrinks while it is read (fileio-test).
# Spreadsheet number formats as Excel shows them (numfmt-test).
# Each g_test case is one test here.
test_description='library unit tests'
. "$(dirname "$0")/test-lib.sh"

for t in record-test text-test config-test ocrwords-test minhash-test hash-test fileio-test numfmt-test; do
	test_unit "$DOCPIPE_BUILD/tests/$t"
done

test_done
