#!/bin/sh
# t2150: legacy Word, Excel and PowerPoint files (OLE2 compound files read
# by docpipe-ole.so, extract/ole*.c): detected by content, named by their
# root entries, their text read from the formats' own records; summary
# properties as metadata; encrypted files get status "encrypted".  The
# samples come from scripts/make-samples-ole, which writes the records
# directly from known text.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" 2>/dev/null ||
	test_skip_all "cannot make the OLE2 samples (python3-gi, gir1.2-gsf-1)"

test_expect_success 'the type comes from the root entries, not the name' '
	cp "$S/book.xls" looks-like.doc &&
	cp "$S/word.doc" no-extension &&
	cp "$S/slides.ppt" slides.txt &&
	docpipe convert --xml --no-redact looks-like.doc no-extension slides.txt >x.xml &&
	test_grep "type=\"application/vnd.ms-excel\" status=\"ok\"" x.xml &&
	test_grep "type=\"application/msword\" status=\"ok\"" x.xml &&
	test_grep "type=\"application/vnd.ms-powerpoint\" status=\"ok\"" x.xml
'

test_expect_success 'Word: both kinds of piece, fields without their code, cells, the footnote' '
	docpipe convert --no-redact "$S/word.doc" >out &&
	cat >expect <<-\EOT &&
	Hello from Word — café déjà vu.
	Unicode Ünïcödé 日本. visible link done.
	cell one	cell two

	Footnote text here.
	EOT
	test_cmp expect out &&
	! grep HYPERLINK out
'

test_expect_success 'Word 6: 8-bit text in the code page of its language (Russian: Windows-1251), the footnote' '
	docpipe convert --xml --no-redact "$S/word6.doc" >x.xml &&
	test_grep "type=\"application/msword\" status=\"ok\"" x.xml &&
	test_convert_text "$S/word6.doc" "Привет из Word 6: текст.\n\nFootnote сноска.\n"
'

test_expect_success 'Word 95 fast-saved: the pieces of its own CLX in character order, Windows-1252' '
	test_convert_text "$S/word95.doc" "Fast-saved Word 95: café “quoted”.\nSecond piece, stored first.\n"
'

test_expect_success 'Excel: shared strings across CONTINUE, numbers, dates, formulas, sheets in order' '
	test_convert_text "$S/book.xls" "[Numbers]\nAlpha\t\tBeta\n3.5\t42\n7\t8\t9\nFormula result text\nLabel cell été\nSplit string starts here and ends über CONTINUE\n2024-03-01\t2024-03-01\n2024-03-01 12:00:00\n\n[Secret]\nHidden sheet secret\n" &&
	docpipe convert --xml --no-redact "$S/book.xls" >x.xml &&
	test_meta hidden-sheets "Secret" &&
	test_meta sheets "2"
'

test_expect_success 'PowerPoint: the current version through the persist directory, no master text, the title once' '
	test_convert_text "$S/slides.ppt" "Slide one title – café\nFirst bullet\nSecond bullet\nFree text box\n"
'

test_expect_success 'PowerPoint without Current User: every version in stream order, still no master text' '
	test_convert_text "$S/slides-linear.ppt" "Slide one title – café\nFirst bullet\nSecond bullet\nOld slide text\nFree text box\nSlide one title – café\n"
'

test_expect_code 77 'an encrypted Word document: status encrypted' '
	docpipe convert --xml "$S/word-encrypted.doc" >x.xml 2>err;
	rc=$?; test_grep "status=\"encrypted\"" x.xml && test_grep "word-encrypted.doc" err && ! grep -q Hello x.xml && exit $rc
'

test_expect_code 77 'an encrypted Excel workbook (FILEPASS): status encrypted' '
	docpipe convert --xml "$S/book-encrypted.xls" >x.xml 2>err;
	rc=$?; test_grep "status=\"encrypted\"" x.xml && ! grep -q Alpha x.xml && exit $rc
'

test_expect_code 77 'an encrypted OOXML file (EncryptedPackage): status encrypted' '
	docpipe convert --xml "$S/encrypted.docx" >x.xml 2>err;
	rc=$?; test_grep "type=\"application/x-tika-ooxml-protected\" status=\"encrypted\"" x.xml && exit $rc
'

test_expect_success 'a compound file of another kind is unsupported, naming its entries' '
	docpipe convert --xml "$S/other.ole" >x.xml 2>err;
	test_grep "type=\"application/x-ole-storage\" status=\"unsupported\"" x.xml &&
	test_grep "Contents" x.xml
'

test_expect_success 'an OLE2 attachment in a zip is read through the same dispatch' '
	cp "$S/word.doc" "$S/book.xls" . && zip -q -X office.zip word.doc book.xls &&
	docpipe convert --no-redact office.zip >out &&
	test_grep "Hello from Word" out && test_grep "Hidden sheet secret" out
'

test_expect_success 'the text is cut at max-text-size with status limit' '
	printf "[limits]\nmax-text-size=20\n" >small.conf &&
	docpipe convert -c small.conf --xml --no-redact "$S/book.xls" >x.xml 2>err;
	test_grep "status=\"limit\"" x.xml && ! grep -q Hidden x.xml
'

test_done
