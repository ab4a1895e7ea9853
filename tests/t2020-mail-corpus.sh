#!/bin/sh
# t2020: every mail and zip file of the public corpus converts without a
# crash; the expectations.tsv rows for them are found; the MimeKit mbox
# matches its ground truth; mbox counts and subjects agree with Python's
# mailbox module.
. "$(dirname "$0")/test-lib.sh"
test_require_corpus

mail_files() {
	(cd "$CORPUS" && find enmime mailparser mimekit/mbox sisimai tika/mail tika/zip assembled-zips \
		tika/integration -type f \( -path 'tika/integration/*' -a ! -name '*.eml' -a ! -name '*.box' \
		-prune -o -print \) | LC_ALL=C sort; echo notmuch/maildir-default)
}

test_expect_success 'every mail and zip file converts: no crash, well-formed XML' '
	mail_files >list &&
	test "$(wc -l <list)" -gt 80 &&
	while read -r f; do
		(cd "$CORPUS" && docpipe convert --xml "$f") >x.xml 2>err; rc=$?
		# 0 ok, 65 a malformed part, 77 an encrypted part; anything else
		# (70 software error, 128+ a signal) is a crash.
		case $rc in 0 | 65 | 77) ;; *) echo "$f: exit $rc"; cat err; exit 1 ;; esac
		xmllint --noout x.xml || { echo "$f: bad XML"; exit 1; }
	done <list
'

# A row is met when its string is in the text output.  Every row must be
# met: the Word, Excel and PowerPoint files of test-documents.zip are read
# since docpipe-ole.so (t2153 checks them one by one), its RTF file since
# extract/rtf-doc.c; the count of rows is checked too (54 with the corpus
# as it is).
test_expect_success 'every expectations.tsv row for mail and zip files is found' '
	mail_files >list &&
	n=0 &&
	while IFS="	" read -r f want; do
		grep -qxF "$f" list || continue
		n=$((n + 1))
		(cd "$CORPUS" && docpipe convert --no-redact "$f") >out 2>/dev/null
		grep -qF -- "$want" out && continue
		echo "missing in $f: $want"; exit 1
	done <"$CORPUS/expectations.tsv" &&
	say "$n of $n rows met" &&
	test $n -gt 50
'

test_expect_success 'MimeKit mbox: message count and subjects match the ground truth' '
	docpipe convert --xml --no-redact "$CORPUS/mimekit/mbox/content-length.mbox.txt" >x.xml &&
	"$TEST_DIR/mail-xml-summary.py" x.xml >ours &&
	"$TEST_DIR/mail-mimekit-summary.py" "$CORPUS/ground_truth/mimekit/content-length.mbox.txt.summary.txt" >truth &&
	test "$(wc -l <ours)" = 29 &&
	test_cmp truth ours
'

test_expect_success 'corpus mboxes: counts and subjects agree with Python mailbox' '
	for f in mimekit/mbox/content-length.mbox.txt sisimai/mbox/mbox-0 sisimai/mbox/mbox-1 \
		tika/mail/*.mbox; do
		(cd "$CORPUS" && for g in $f; do echo "$g"; done)
	done | sort -u >boxes &&
	while read -r f; do
		docpipe convert --xml --no-redact "$CORPUS/$f" >x.xml 2>/dev/null
		"$TEST_DIR/mail-xml-summary.py" x.xml >ours
		/usr/bin/python3 "$TEST_DIR/mail-python-summary.py" "$CORPUS/$f" >py
		test "$(wc -l <ours)" = "$(wc -l <py)" || { echo "$f: count differs"; diff py ours; exit 1; }
		# Python leaves undecodable subjects as U+FFFD: compare only the rest.
		paste py ours | awk -F"\t" -v f="$f" "index(\$2, \"\357\277\275\") == 0 && \$2 != \$4 { print f \": \" \$0; bad = 1 } END { exit bad }" || exit 1
	done <boxes
'

test_expect_success 'droste.zip (a zip quine) stops cleanly with the reason' '
	docpipe convert --xml "$CORPUS/tika/zip/droste.zip" >x.xml 2>err; rc=$?;
	test $rc = 65 && test_grep "status=\"limit\"" x.xml && test_grep "zip quine" x.xml
'

test_expect_success 'an encrypted entry is reported, the rest is read' '
	docpipe convert --xml "$CORPUS/tika/zip/testZipEncrypted.zip" >x.xml 2>err; rc=$?;
	test $rc = 77 && test_grep "status=\"encrypted\"" x.xml && test_grep "hello world" x.xml
'

test_expect_success 'the notmuch maildir: 53 messages in a stable order' '
	docpipe convert --xml --no-redact "$CORPUS/notmuch/maildir-default" >x.xml &&
	"$TEST_DIR/mail-xml-summary.py" x.xml >msgs &&
	test "$(wc -l <msgs)" = 53 &&
	grep -o "path=\"message [^\"]*\"" x.xml >order1 &&
	docpipe convert --xml --no-redact "$CORPUS/notmuch/maildir-default" | grep -o "path=\"message [^\"]*\"" >order2 &&
	test_cmp order1 order2
'

test_done
