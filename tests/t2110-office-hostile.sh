#!/bin/sh
# t2110: hostile office packages from scripts/make-samples-office: a
# billion-laughs document.xml, a document.xml of 1 GiB deflated to a few
# MiB, a document.xml that is not XML, a package without document.xml, a
# truncated package: a clean status naming the file, no crash, bounded
# memory (under a ulimit), the [zip] limits in force.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-office" "$S" --big >/dev/null 2>&1 ||
	test_skip_all "cannot make the office samples (python3-docx, python3-openpyxl, python3-odf)"

# convert_bounded [-t SECONDS] [OPTION...] FILE: run docpipe convert --xml
# on FILE with at most 1 GB of address space (not under ASan, which
# reserves far more) and SECONDS (20 by default) of CPU; the exit code
# goes to rc, the XML to x.xml, the messages to err.
convert_bounded() {
	cpu_=20
	if [ "$1" = -t ]; then
		cpu_=$2
		shift 2
	fi
	( [ -n "${DOCPIPE_ASAN:-}" ] || ulimit -v 1000000; ulimit -t "$cpu_"
	  docpipe convert --xml --no-redact "$@" >x.xml 2>err; echo $? >rc )
}

test_expect_success 'billion laughs: status error with the reason, no expansion' '
	convert_bounded "$S/laughs.docx" &&
	test "$(cat rc)" = 65 &&
	xmllint --noout x.xml &&
	test_grep "status=\"error\"" x.xml &&
	test_grep "entity" x.xml &&
	! grep -q "lollollol" x.xml &&
	test "$(wc -c <x.xml)" -lt 4096 &&
	test_grep "laughs.docx" err &&
	test "$(wc -l <err)" = 1
'

test_expect_success 'a 1 GiB document.xml stops on the expansion ratio, before inflating' '
	test "$(wc -c <"$S/big.docx")" -lt 20000000 &&
	convert_bounded "$S/big.docx" &&
	test "$(cat rc)" = 65 &&
	test_grep "status=\"limit\"" x.xml &&
	test_grep "expands [0-9]* times, more than the limit of 100" x.xml &&
	test_grep "big.docx" err
'

test_expect_success 'with the ratio off, the total size limit stops it while inflating' '
	printf "[zip]\nmax-ratio=0\nmax-total-size=64M\n" >c.conf &&
	convert_bounded -c c.conf "$S/big.docx" &&
	test "$(cat rc)" = 65 &&
	test_grep "status=\"limit\"" x.xml &&
	test_grep "limit of 67108864 bytes uncompressed" x.xml
'

test_expect_success 'with the size limits raised, the text limit cuts a huge body' '
	printf "[zip]\nmax-ratio=0\nmax-total-size=2G\n[limits]\nmax-text-size=1M\n" >c.conf &&
	convert_bounded -t 60 -c c.conf "$S/big.docx" &&
	test "$(cat rc)" = 65 &&
	test_grep "text longer than the limit of 1048576 bytes; cut" x.xml &&
	test "$(wc -c <x.xml)" -lt 1200000
'

test_expect_success 'a document.xml that is not XML: status error, one line naming the file' '
	convert_bounded "$S/notxml.docx" &&
	test "$(cat rc)" = 65 &&
	test_grep "status=\"error\"" x.xml &&
	test_grep "part word/document.xml is not well-formed XML" x.xml &&
	test_grep "notxml.docx" err && test "$(wc -l <err)" = 1
'

test_expect_success 'a package without document.xml is read as the zip it is' '
	convert_bounded "$S/nodoc.docx" &&
	test "$(cat rc)" = 0 &&
	test_grep "type=\"application/zip\"" x.xml &&
	test_grep "path=\"entry word/styles.xml\"" x.xml
'

test_expect_success 'truncated packages of every format: a status, never a crash' '
	for f in docx xlsx pptx odt ods odp epub; do
		for n in 200 1000 3000; do
			head -c $n "$S/known.$f" >cut.$f &&
			convert_bounded cut.$f || return 1
			case $(cat rc) in 0 | 65) ;; *) echo "known.$f cut at $n: exit $(cat rc)"; cat err; return 1 ;; esac
			xmllint --noout x.xml || return 1
		done
	done
'

test_expect_success 'a damaged part inside a good package: a status, the rest read' '
	PYTHONPATH="$TEST_DIR" /usr/bin/python3 - "$S/known.xlsx" bad.xlsx <<-\EOF &&
	import sys, ziprewrite
	def half(name, data):
	    return data[: len(data) // 2] if name == "xl/worksheets/sheet2.xml" else data
	ziprewrite.rewrite(*sys.argv[1:], edit=half).close()
	EOF
	convert_bounded bad.xlsx &&
	test "$(cat rc)" = 65 &&
	test_grep "path=\"sheet 2\" type=\"text/tab-separated-values\" status=\"error\"" x.xml &&
	test_grep "Widgets rich" x.xml &&
	test_grep "TRUE	3.5" x.xml
'

test_expect_success 'an embedded name twice: two parts, each its own bytes and path' '
	PYTHONPATH="$TEST_DIR" /usr/bin/python3 - "$S/known.docx" dup.docx <<-\EOF &&
	import sys, warnings, ziprewrite
	warnings.simplefilter("ignore")
	with ziprewrite.rewrite(*sys.argv[1:]) as b:
	    b.writestr("word/media/x.txt", "first copy")
	    b.writestr("word/media/x.txt", "second copy")
	EOF
	docpipe convert --no-redact dup.docx >out &&
	test_grep "^==> entry word/media/x.txt \[text/plain\] <==$" out &&
	test_grep "^==> entry word/media/x.txt (2) \[text/plain\] <==$" out &&
	test_grep "^first copy$" out &&
	test_grep "^second copy$" out
'

test_expect_success 'millions of tiny shared strings: a limit, bounded memory' '
	PYTHONPATH="$TEST_DIR" /usr/bin/python3 - "$S/known.xlsx" many.xlsx <<-\EOF &&
	import sys, zipfile, ziprewrite
	b = ziprewrite.rewrite(*sys.argv[1:], drop="xl/sharedStrings.xml", compression=zipfile.ZIP_DEFLATED)
	with b, b.open("xl/sharedStrings.xml", "w") as f:
	    f.write(b"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">")
	    for _ in range(90):
	        f.write(b"<si/>" * 100000)
	    f.write(b"</sst>")
	EOF
	printf "[zip]\nmax-ratio=0\n" >c.conf &&
	convert_bounded -t 60 -c c.conf many.xlsx &&
	test "$(cat rc)" = 65 &&
	test_grep "status=\"limit\"" x.xml &&
	test_grep "more shared strings than the limits allow" x.xml &&
	test_grep "Secret sheet text" x.xml
'

test_expect_success 'one slide listed 20,000 times: read 8 times, status partial' '
	convert_bounded "$S/repeat.pptx" &&
	test "$(cat rc)" = 65 &&
	test_grep "status=\"partial\"" x.xml &&
	test_grep "part ppt/slides/slide1.xml is listed more than 8 times; read 8 times only" x.xml &&
	test "$(grep -c "^Repeated slide 1999\$" x.xml)" = 8 &&
	test_meta slides "20000"
'

test_done
