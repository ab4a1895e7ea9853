#!/bin/sh
# t2154: objects embedded in legacy Word (ObjectPool), Excel (MBD*
# storages) and PowerPoint (ExOleObjStg records, deflated or not) files
# are parts read through the same dispatch
# (extract/ole-embed.c): a packaged file (\001Ole10Native) by its own
# name, a CONTENTS stream, an embedded workbook or document copied out
# into a compound file of its own; a picture-only object is no part; the
# zip limits hold (entries, depth).  Samples from scripts/make-samples-ole.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-ole" "$S" 2>/dev/null ||
	test_skip_all "cannot make the OLE2 samples (python3-gi, gir1.2-gsf-1)"

# object_parts_are <<EOT: the object parts in x.xml, each as the path, type
# and status of its part element, are the lines on standard input, in order.
object_parts_are() {
	grep -o "path=\"object [^\"]*\" type=\"[^\"]*\" status=\"[^\"]*\"" x.xml >got &&
		cat >expect &&
		test_cmp expect got
}

test_expect_success 'Word: a packaged file, an embedded workbook, a damaged package; no picture-only part' '
	docpipe convert --xml --no-redact "$S/word-objects.doc" >x.xml 2>err;
	test_grep "path=\"object _1000\" type=\"text/plain\" status=\"ok\"" x.xml &&
	test_meta filename "notes été.txt" &&
	test_grep "the code word is PLOVER" x.xml &&
	test_grep "path=\"object _1001\" type=\"application/vnd.ms-excel\" status=\"ok\"" x.xml &&
	test_grep "Hidden sheet secret" x.xml &&
	! grep -q "object _1002" x.xml &&
	test_grep "path=\"object _1003\" .*status=\"error\"" x.xml &&
	test_grep "packaged file.s header does not fit" x.xml &&
	test_grep "word-objects.doc.: object _1003: error" err &&
	grep "<document " x.xml | head -n 1 | grep -q "type=\"application/msword\" status=\"ok\""
'

test_expect_success 'Word: the document text is unchanged by its objects' '
	docpipe convert --no-redact "$S/word.doc" >plain.txt &&
	docpipe convert --xml --no-redact "$S/word-objects.doc" >x.xml 2>err;
	test_grep "Hello from Word" plain.txt &&
	test_grep "Hello from Word" x.xml
'

test_expect_success 'Excel: MBD storages, a packaged file, a Word document, a CONTENTS stream, in name order' '
	docpipe convert --xml --no-redact "$S/book-objects.xls" >x.xml &&
	object_parts_are <<-\EOT &&
	path="object MBD00000001" type="text/plain" status="ok"
	path="object MBD00000002" type="application/msword" status="ok"
	path="object MBD00000003" type="text/plain" status="ok"
	EOT
	test_grep "embedded,CSV-77" x.xml &&
	test_meta filename "inner.csv" &&
	test_grep "The CONTENTS stream of an object" x.xml &&
	test "$(grep -c "Hello from Word" x.xml)" = 1
'

test_expect_success 'a storage nested deeper than the copy allows: status limit, the document still read' '
	docpipe convert --xml --no-redact "$S/deep-objects.doc" >x.xml 2>err;
	test_grep "deep-objects.doc.: object _2000: limit" err &&
	test_grep "path=\"object _2000\" type=\"application/x-ole-storage\" status=\"limit\"" x.xml &&
	test_grep "Hello from Word" x.xml
'

test_expect_success '[zip] max-entries bounds the objects of one file' '
	printf "[zip]\nmax-entries=1\n" >one.conf &&
	docpipe convert -c one.conf --xml --no-redact "$S/book-objects.xls" >x.xml 2>err;
	test_grep "path=\"object MBD00000001\" type=\"text/plain\" status=\"ok\"" x.xml &&
	test_grep "path=\"object MBD00000002\" .*status=\"limit\"" x.xml &&
	! grep -q "The CONTENTS stream" x.xml
'

test_expect_success '[limits] max-depth: the objects of a document in a zip are one level further down' '
	printf "[limits]\nmax-depth=1\n" >shallow.conf &&
	cp "$S/word-objects.doc" . && zip -q -X w.zip word-objects.doc &&
	docpipe convert -c shallow.conf --xml --no-redact w.zip >x.xml 2>err;
	test_grep "Hello from Word" x.xml &&
	test_grep "path=\"object _1001\" .*status=\"limit\"" x.xml &&
	! grep -q "Hidden sheet secret" x.xml &&
	! grep -q PLOVER x.xml
'

test_expect_success 'an encrypted Word document: no objects read' '
	docpipe convert --xml "$S/word-encrypted.doc" >x.xml 2>err;
	test_grep "status=\"encrypted\"" x.xml && ! grep -q "path=\"object" x.xml
'

test_expect_success 'PowerPoint: deflated and stored ExOleObjStg records, a damaged one, an empty one (no part); the slides still read' '
	docpipe convert --xml --no-redact "$S/slides-objects.ppt" >x.xml 2>err;
	object_parts_are <<-\EOT &&
	path="object 1" type="application/x-ole-storage" status="ok"
	path="object content" type="text/plain" status="ok"
	path="object 2" type="application/vnd.ms-excel" status="ok"
	path="object 3" type="application/x-ole-storage" status="error"
	EOT
	! grep -q "path=\"object 4\"" x.xml &&
	test_grep "the code word is TANGO" x.xml &&
	test_meta filename "slide-notes.txt" &&
	test_grep "Hidden sheet secret" x.xml &&
	test_grep "Slide one title" x.xml &&
	test_grep "slides-objects.ppt.: object 3: error: embedded object: its compressed data is damaged" err
'

test_expect_success 'PowerPoint: an object that would inflate past [zip] max-total-size is not inflated' '
	printf "[zip]\nmax-total-size=1000\n" >small.conf &&
	docpipe convert -c small.conf --xml --no-redact "$S/slides-objects.ppt" >x.xml 2>err;
	test_grep "path=\"object 1\" type=\"application/x-ole-storage\" status=\"limit\"" x.xml &&
	test_grep "inflates to more than \[zip\] max-total-size" x.xml &&
	! grep -q TANGO x.xml
'

test_done
