#!/bin/sh
# t2100: DOCX, XLSX, PPTX, ODT, ODS, ODP and EPUB written by
# scripts/make-samples-office (python3-docx, -openpyxl, -odf, zipfile):
# detection by content, the text in order, tracked changes, comments,
# notes, headers and footers, hidden sheets, rows and columns, embedded
# images, metadata; well-formed, valid and deterministic XML.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-office" "$S" >/dev/null 2>&1 ||
	test_skip_all "cannot make the office samples (python3-docx, python3-openpyxl, python3-odf)"

test_expect_success 'each format is detected by content, whatever its name' '
	for f in docx xlsx pptx odt ods odp epub; do
		cp "$S/known.$f" "$f.bin" &&
		docpipe convert --xml --no-redact "$f.bin" >x.xml || return 1
		case $f in
		docx) t=application/vnd.openxmlformats-officedocument.wordprocessingml.document ;;
		xlsx) t=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet ;;
		pptx) t=application/vnd.openxmlformats-officedocument.presentationml.presentation ;;
		odt) t=application/vnd.oasis.opendocument.text ;;
		ods) t=application/vnd.oasis.opendocument.spreadsheet ;;
		odp) t=application/vnd.oasis.opendocument.presentation ;;
		epub) t=application/epub+zip ;;
		esac
		test "$(sed -n "2,3s/.* type=\"\([^\"]*\)\".*/\1/p" x.xml | head -n 1)" = "$t" || return 1
	done
'

test_expect_success 'DOCX: body text in order, table rows tab-separated, text box once' '
	docpipe convert --no-redact "$S/known.docx" >out &&
	sed -n "1,8p" out >body &&
	printf "Known heading\nFirst paragraph of body text.\nKept words, inserted words deleted words bob.secret@example.com end.\nName\tAmount\nWidgets\t42\nCommented sentence. See note\nText box words\n\n" >expect &&
	test_cmp expect body &&
	test "$(grep -c "Text box words" out)" = 1 &&
	test_grep "^Last paragraph of body text.$" out
'

test_expect_success 'DOCX: header, footer, footnote and comment are parts' '
	docpipe convert --xml --no-redact "$S/known.docx" >x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	test_grep "path=\"header 1\" type=\"text/plain\"" x.xml &&
	test_grep "<text>Header text of the known document$" x.xml &&
	test_grep "path=\"footer 1\"" x.xml &&
	test_grep "Footer text of the known document" x.xml &&
	test_grep "path=\"footnotes\"" x.xml &&
	test_grep "Footnote text of the known document." x.xml &&
	! grep -q "separator" x.xml &&
	test_grep "path=\"comment 1\"" x.xml &&
	test_meta author "Carol Reviewer" &&
	test_grep "Please check this figure." x.xml
'

test_expect_success 'DOCX: tracked changes are text and listed as meta' '
	docpipe convert --xml --no-redact "$S/known.docx" >x.xml &&
	test_meta inserted "inserted words" &&
	test_meta deleted "deleted words bob.secret@example.com" &&
	test_meta insertions 1 &&
	test_meta deletions 1
'

test_expect_success 'DOCX: a deleted revision is redacted like the text' '
	docpipe convert --xml "$S/known.docx" >x.xml &&
	! grep -q "bob.secret@example.com" x.xml &&
	test_grep "<meta name=\"deleted\">deleted words " x.xml &&
	test_grep "field=\"meta.deleted\"" x.xml
'

test_expect_success 'DOCX: properties are metadata, the image a part' '
	docpipe convert --xml --no-redact "$S/known.docx" >x.xml &&
	test_meta title "Known DOCX" &&
	test_meta author "Alice Author" &&
	test_meta last-modified-by "Bob Editor" &&
	test_meta created "2024-03-01T09:30:00Z" &&
	test_grep "path=\"entry word/media/image1.png\" type=\"image/png\"" x.xml
'

test_expect_success 'XLSX: each sheet a part with shared, inline, cached and boolean values' '
	docpipe convert --no-redact "$S/known.xlsx" >out &&
	printf "Data\nSecret\nNotes\n" >expect &&
	sed -n "1,3p" out >names && test_cmp expect names &&
	sed -n "/^==> sheet 1 /,/^==> sheet 2 /p" out | sed "1d;\$d" | sed "/^\$/d" >sheet1 &&
	printf "Item\tCount\tDouble\tHidden column text\nWidgets rich\t21\t42\nHidden row text\t5\nGadgets shared\t7\t\t\tFar cell\n" >expect &&
	test_cmp expect sheet1 &&
	! grep -q PHONETIC out &&
	test_grep "^TRUE	3.5$" out
'

test_expect_success 'XLSX: hidden sheet, rows and columns are read and marked' '
	docpipe convert --xml --no-redact "$S/known.xlsx" >x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	test_meta sheets 3 &&
	test_meta sheet-name Data &&
	test_meta hidden-rows 3 &&
	test_meta hidden-columns D &&
	test_meta hidden hidden &&
	test_grep "Secret sheet text" x.xml &&
	test "$(grep -c "<meta name=\"hidden\">" x.xml)" = 1
'

test_expect_success 'PPTX: slides in list order as pages, notes and comments as parts' '
	docpipe convert --xml --no-redact "$S/known.pptx" >x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	test_meta slides 2 &&
	test_meta hidden-slides 2 &&
	test_meta title "Known PPTX" &&
	test_grep "<page n=\"1\">Opening slide title" x.xml &&
	test_grep "<page n=\"2\">Closing slide title" x.xml &&
	test_grep "path=\"notes 1\"" x.xml &&
	test_grep "Speaker notes of the opening slide" x.xml &&
	test_grep "path=\"comments 1\"" x.xml &&
	test_grep "Slide comment from a reviewer" x.xml &&
	test_grep "path=\"entry ppt/media/image1.png\"" x.xml
'

test_expect_success 'ODT: text, table, tracked changes, footnote and annotation' '
	docpipe convert --no-redact "$S/known.odt" >out &&
	sed -n "1,7p" out >body &&
	printf "Known heading\nFirst paragraph of body text.\nKept words, added phraseremoved phrase end.\nAnnotated sentence.\nName\tAmount\nWidgets\t42\nLast paragraph of body text.\n" >expect &&
	test_cmp expect body &&
	docpipe convert --xml --no-redact "$S/known.odt" >x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	test_meta title "Known ODT" &&
	test_meta author "Alice Author" &&
	test_meta inserted "added phrase" &&
	test_meta deleted "removed phrase" &&
	test_grep "path=\"footnotes\"" x.xml &&
	test_grep "Footnote of the ODT" x.xml &&
	test_grep "path=\"comment 1\"" x.xml &&
	test_meta author "Carol Reviewer" &&
	test_grep "Annotation body text" x.xml
'

test_expect_success 'ODS: sheets as parts, hidden row and column marked' '
	docpipe convert --xml --no-redact "$S/known.ods" >x.xml &&
	xmllint --noout --relaxng "$TOP/config/docpipe.rng" x.xml &&
	test_meta sheet-name Data &&
	test_meta sheet-name Other &&
	test_meta hidden-rows 3 &&
	test_meta hidden-columns C &&
	test_grep "^Hidden row text	5	y$" x.xml &&
	test_grep "Second sheet cell" x.xml &&
	test_grep "<text>same	same	same			last$" x.xml &&
	sed -n "/<meta name=\"sheet-name\">Hidden</,/<\/document>/p" x.xml >hidden &&
	test_grep "<meta name=\"hidden\">hidden</meta>" hidden &&
	test_grep "Hidden sheet cell" hidden &&
	test "$(grep -c "<meta name=\"hidden\">" x.xml)" = 1 &&
	test_meta hidden-rows "2 3 4"
'

test_expect_success 'ODP: slides as pages, notes as a part' '
	docpipe convert --xml --no-redact "$S/known.odp" >x.xml &&
	test_meta slides 2 &&
	test_grep "<page n=\"2\">Closing slide of the ODP" x.xml &&
	test_grep "path=\"notes 1\"" x.xml &&
	test_grep "Notes of slide one" x.xml
'

test_expect_success 'EPUB: chapters in spine order through the HTML extractor' '
	docpipe convert --no-redact "$S/known.epub" >out &&
	test_grep "^Known EPUB$" out &&
	test "$(grep -n "The first chapter in spine order" out | cut -d: -f1)" -lt \
	     "$(grep -n "The second chapter in spine order" out | cut -d: -f1)" &&
	docpipe convert --xml --no-redact "$S/known.epub" >x.xml &&
	test_grep "path=\"chapter 1\" type=\"application/xhtml+xml\"" x.xml &&
	test_meta name "OEBPS/text/b first.xhtml" &&
	test_meta author "Alice Author" &&
	test_meta language en
'

test_expect_success 'an EPUB whose mimetype is compressed and last is still an EPUB' '
	PYTHONPATH="$TEST_DIR" /usr/bin/python3 - "$S/known.epub" sloppy.bin <<-\EOF &&
	import sys, zipfile, ziprewrite
	with ziprewrite.rewrite(*sys.argv[1:], drop="mimetype", compression=zipfile.ZIP_DEFLATED) as b:
	    b.writestr("mimetype", "application/epub+zip")
	EOF
	docpipe convert --no-redact sloppy.bin >out &&
	test_grep "^==> chapter 1 \[application/xhtml+xml\] <==$" out &&
	test_grep "The first chapter in spine order." out
'

test_expect_success 'an embedded object is a part read through the dispatch' '
	/usr/bin/python3 - "$S/known.docx" "$S/known.xlsx" nest.docx <<-\EOF &&
	import sys, zipfile
	outer, inner, dst = sys.argv[1:]
	with zipfile.ZipFile(outer) as a, zipfile.ZipFile(dst, "w") as b:
	    for i in a.infolist():
	        b.writestr(i, a.read(i.filename))
	    b.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", open(inner, "rb").read())
	EOF
	docpipe convert --xml --no-redact nest.docx >x.xml &&
	test_grep "path=\"entry word/embeddings/Microsoft_Excel_Worksheet.xlsx\" type=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"" x.xml &&
	test_grep "Secret sheet text" x.xml
'

test_expect_success 'an office file inside a zip is read as one' '
	(cd "$S" && zip -q -X "$TRASH/outer.zip" known.docx known.ods) &&
	docpipe convert --no-redact outer.zip >out &&
	test_grep "^==> entry known.docx \[application/vnd.openxmlformats-officedocument.wordprocessingml.document\] <==$" out &&
	test_grep "^Widgets	42$" out &&
	test_grep "^==> sheet 1 \[text/tab-separated-values\] <==$" out
'

# Extract FILE as if its container had labelled it TYPE, to x.xml.
extract_as() {
	docpipe-detect "$1" | sed "s|^type: .*|type: $2|" | docpipe-extract | docpipe-emit --xml >x.xml
}

test_expect_success 'a wrong label gives way to the bytes, and says so' '
	extract_as "$S/known.ods" application/vnd.oasis.opendocument.text &&
	test_grep "type=\"application/vnd.oasis.opendocument.spreadsheet\"" x.xml &&
	test_meta retyped-from application/vnd.oasis.opendocument.text &&
	test_grep "path=\"sheet 1\"" x.xml &&
	extract_as "$S/known.docx" application/zip &&
	test_grep "type=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document\"" x.xml &&
	test_grep "^Widgets	42$" x.xml &&
	extract_as "$S/nodoc.docx" application/vnd.openxmlformats-officedocument.wordprocessingml.document &&
	test_grep "type=\"application/zip\" status=\"ok\"" x.xml &&
	test_meta retyped-from application/vnd.openxmlformats-officedocument.wordprocessingml.document &&
	test_grep "path=\"entry word/styles.xml\"" x.xml
'

test_expect_success 'the XML is the same from run to run' '
	for f in docx xlsx pptx odt ods odp epub; do
		docpipe convert --xml "$S/known.$f" >a.xml &&
		docpipe convert --xml "$S/known.$f" >b.xml &&
		cmp a.xml b.xml || return 1
	done
'

test_done
