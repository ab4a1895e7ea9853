#!/bin/sh
test_description='PDF: damaged and hostile PDFs give a clean status, never a crash'
. "$(dirname "$0")/test-lib.sh"

K=$SAMPLES/pdf/known-text.pdf

# status_of FILE: run docpipe-extract, require a clean exit and print the status.
status_of() {
	docpipe-extract "$1" >"$1.rec" 2>"$1.err"; rc=$?
	case $rc in 0|65|77) ;; *) echo "$1: exit $rc" >&2; cat "$1.err" >&2; return 1 ;; esac
	sed -n "s/^status: //p" "$1.rec" | head -n 1
}

test_expect_success 'truncated PDFs: recovered text or a clean error' '
	size=$(wc -c <"$K") &&
	for n in 9 100 1000 4000 $((size / 2)) $((size - 200)) $((size - 10)); do
		head -c $n "$K" >cut-$n.pdf &&
		st=$(status_of cut-$n.pdf) || return 1
		case $st in ok|partial|error) ;; *) echo "cut at $n: status $st"; return 1 ;; esac
		echo "cut at $n: $st"
	done
'

test_expect_success 'a PDF header followed by garbage' '
	{ printf "%%PDF-1.7\n"; head -c 20000 /dev/urandom; } >junk.pdf &&
	st=$(status_of junk.pdf) && test "$st" = error &&
	test_grep "^error: cannot read PDF" junk.pdf.rec
'

test_expect_success 'a page tree that contains itself' '
	cat >loop.pdf <<-\EOF &&
	%PDF-1.4
	1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
	2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 3 >> endobj
	3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj
	4 0 obj << /Length 44 >> stream
	BT /F1 12 Tf 72 720 Td (loop page) Tj ET
	endstream endobj
	trailer << /Root 1 0 R >>
	%%EOF
	EOF
	st=$(status_of loop.pdf) &&
	case $st in ok|partial|error) ;; *) false ;; esac
'

test_expect_success 'a page with an absurd media box and a huge image is not rendered' '
	cat >huge.pdf <<-\EOF &&
	%PDF-1.4
	1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
	2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
	3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /Contents 4 0 R
	   /Resources << /XObject << /Im 5 0 R >> >> >> endobj
	4 0 obj << /Length 35 >> stream
	q 14400 0 0 14400 0 0 cm /Im Do Q
	endstream endobj
	5 0 obj << /Type /XObject /Subtype /Image /Width 100000 /Height 100000
	   /ColorSpace /DeviceRGB /BitsPerComponent 8 /Length 0 >> stream
	endstream endobj
	trailer << /Root 1 0 R >>
	%%EOF
	EOF
	( [ -n "${DOCPIPE_ASAN:-}" ] || ulimit -v 1000000; ulimit -t 20; status_of huge.pdf ) >st &&
	test_grep "^ok$" st &&
	test_grep "^meta.pages-without-text: 1" huge.pdf.rec
'

test_expect_success 'a bad PDF does not stop the next input' '
	head -c 500 "$K" >bad.pdf &&
	docpipe convert --no-redact bad.pdf "$K" >t 2>err; rc=$?
	test $rc = 65 && test_grep "bad.pdf" err && test_grep "Last line of the document" t
'

test_expect_success 'an embedded file that is itself damaged is a child with a status' '
	head -c 3000 "$SAMPLES/pdf/two-columns.pdf" >part.pdf &&
	qpdf "$SAMPLES/pdf/known-text.pdf" --add-attachment part.pdf --key=part.pdf -- outer.pdf &&
	docpipe-extract outer.pdf >r; rc=$?
	case $rc in 0|65) ;; *) false ;; esac &&
	test_grep "^path: attachment 1/part.pdf" r
'

test_done
