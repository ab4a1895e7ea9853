#!/bin/sh
# Identifiers that give nothing away (issue #16): input names with PII are
# redacted in sources, part paths, entry names, output file names, the
# message index and docpipe status; part ids derive from the redacted
# path; [output] hashes=plain|keyed|none; the run's redaction summary
# counts each rule by channel.  The ledger (OUT/.docpipe) keeps the real
# input paths: it is the operator's, and the only place they are.
. "$(dirname "$0")/test-lib.sh"

SSN=123-45-6789
MAIL=john.doe@example.com
KEY=$TOP/tests/redact-test.key

# no_pii FILE...: none of the files holds either match.
no_pii() {
	! grep -l -e "$SSN" -e "$MAIL" "$@"
}

cd "$TRASH" || exit 1
mkdir in
printf 'hello world\n' >"in/Smith_John_SSN_$SSN.txt"
printf 'hello world\n' >"in/Smith_John_SSN_$SSN.md"
printf 'contact list\n' >"in/to_$MAIL.txt"
printf 'nothing personal\n' >in/notes.txt
# A zip whose entry names hold an SSN and an address.
/usr/bin/python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("Smith_John_SSN_" + sys.argv[2] + ".txt", "inner text\n")
    z.writestr("letters/to_" + sys.argv[3] + ".txt", "a letter\n")
' in/archive.zip "$SSN" "$MAIL"
# A mailbox named after a person's SSN: the message index names its source.
cp "$SAMPLES/mail/mboxo.mbox" "in/box_$SSN.mbox"

test_expect_success 'convert --xml: no attribute or element holds the match' '
	docpipe convert --xml "in/Smith_John_SSN_$SSN.txt" in/archive.zip >x.xml &&
	no_pii x.xml &&
	test_grep "source=\"in/Smith_John_SSN_\[SSN\].txt\"" x.xml &&
	test_grep "path=\"entry Smith_John_SSN_\[SSN\].txt\"" x.xml &&
	test_grep "<redaction rule=\"ssn\" field=\"source\" count=\"1\"" x.xml &&
	test_grep "<meta name=\"name\">letters/\[EMAIL\]</meta>" x.xml
'

test_expect_success 'convert -o: output names redacted, colliding names kept apart' '
	docpipe convert -o o in/Smith_John_SSN_* in/notes.txt &&
	find o -type f >names && no_pii names &&
	find o -type f | xargs cat >all && no_pii all &&
	test -f "o/in/Smith_John_SSN_[SSN].txt.txt" &&
	test -f "o/in/Smith_John_SSN_[SSN].md.txt" &&
	test -f o/in/notes.txt.txt && test -f o/in/notes.txt.xml
'

test_expect_success 'convert -o: two inputs with the same redacted name both have outputs' '
	mkdir same && printf "a\n" >"same/x_$SSN.txt" && printf "b\n" >"same/x_078-05-1120.txt" &&
	docpipe convert -o o2 same/x_078-05-1120.txt "same/x_$SSN.txt" &&
	test "$(cat "o2/same/x_[SSN].txt.txt")" = b &&
	test "$(cat "o2/same/x_[SSN].txt~2.txt")" = a
'

test_expect_success 'docpipe-emit -o: two documents with the same redacted name both have outputs, as convert -o' '
	docpipe-detect same/x_078-05-1120.txt "same/x_$SSN.txt" same/x_078-05-1120.txt |
		docpipe-extract | docpipe-redact | docpipe-emit -o o3 &&
	test "$(cat "o3/same/x_[SSN].txt.txt")" = b &&
	test "$(cat "o3/same/x_[SSN].txt~2.txt")" = a &&
	test "$(cat "o3/same/x_[SSN].txt~3.txt")" = b &&
	test -f "o3/same/x_[SSN].txt~3.xml" &&
	find o3 -type f | sort >names && no_pii names &&
	test $(wc -l <names) = 6
'

test_expect_success 'docpipe-emit -o: a name without redactions is written once, as convert -o' '
	docpipe-detect in/notes.txt in/notes.txt | docpipe-extract | docpipe-redact | docpipe-emit -o o4 &&
	find o4 -type f | sort >names &&
	printf "o4/in/notes.txt.txt\no4/in/notes.txt.xml\n" >expect &&
	test_cmp expect names
'

test_expect_success 'names without PII: outputs and ids as before' '
	docpipe convert --xml in/notes.txt >n.xml &&
	sha=$(sha256sum in/notes.txt | cut -c1-64) &&
	test_grep "<document id=\"$(echo $sha | cut -c1-16)\" .*sha256=\"$sha\" source=\"in/notes.txt\"" n.xml
'

# The id of the zip's first part, and what it would be from the raw path.
part_ids() {
	/usr/bin/python3 - "$1" "$2" <<-\EOF
	import hashlib, re, sys
	x = open(sys.argv[1]).read()
	root = re.search(r"<document id=\"([0-9a-f]{16})\"[^>]*application/zip", x).group(1)
	part = re.search(r"<document id=\"([0-9a-f]{16})\" path=\"entry Smith", x).group(1)
	def child(p, path):
	    return hashlib.sha256(p.encode() + b"\0" + path.encode()).hexdigest()[:16]
	raw = child(root, "entry Smith_John_SSN_" + sys.argv[2] + ".txt")
	red = child(root, "entry Smith_John_SSN_[SSN].txt")
	print(part, raw, red)
	EOF
}

test_expect_success 'part ids derive from the redacted path, not the real one' '
	docpipe convert --xml in/archive.zip >z.xml &&
	part_ids z.xml "$SSN" >ids && read part raw red <ids &&
	test "$part" != "$raw" && test "$part" = "$red"
'

test_expect_success 'hashes=keyed (the default with a key): differs from plain, stable for the key' '
	printf "[redact]\nkey-file=%s\n" "$KEY" >k.conf &&
	docpipe convert -c k.conf --xml in/archive.zip >k1.xml &&
	docpipe convert -c k.conf --xml in/archive.zip >k2.xml &&
	test_cmp k1.xml k2.xml && no_pii k1.xml &&
	sha=$(sha256sum in/archive.zip | cut -c1-64) &&
	test_grep "sha256=\"$sha\"" z.xml &&
	! grep -e "$sha" -e "$(echo $sha | cut -c1-16)" k1.xml &&
	grep -o "sha256=\"[0-9a-f]\{64\}\"" k1.xml >k.sums && test $(wc -l <k.sums) = 3 &&
	grep -o "sha256=\"[0-9a-f]\{64\}\"" z.xml >p.sums && ! grep -F -f p.sums k.sums &&
	part_ids k1.xml "$SSN" >kids && read part raw red <kids &&
	test "$part" != "$raw" && test "$part" != "$red" &&
	printf "another-secret-key-for-the-test\n" >k2 &&
	printf "[redact]\nkey-file=k2\n" >k2.conf &&
	docpipe convert -c k2.conf --xml in/archive.zip >k3.xml &&
	! cmp -s k1.xml k3.xml &&
	printf "[redact]\nkey-file=%s\n[output]\nhashes=plain\n" "$KEY" >kp.conf &&
	docpipe convert -c kp.conf --xml in/archive.zip >kp.xml && test_cmp z.xml kp.xml
'

test_expect_success 'hashes=none: no sha256, and ids that are not the content hash' '
	printf "[output]\nhashes=none\n" >none.conf &&
	docpipe convert -c none.conf --xml in/archive.zip in/notes.txt >none.xml &&
	! grep "sha256=" none.xml &&
	sha=$(sha256sum in/notes.txt | cut -c1-16) && ! grep "$sha" none.xml &&
	test $(grep -c "<document id=\"[0-9a-f]\{16\}\"" none.xml) = 4
'

test_expect_code 78 'hashes=keyed without a key is a configuration error' '
	printf "[output]\nhashes=keyed\n" >bad.conf &&
	docpipe convert -c bad.conf in/notes.txt
'

test_expect_success 'docpipe run: nothing under OUT but the ledger holds the match' '
	docpipe run in out 2>err &&
	find out -path out/.docpipe -prune -o -type f -print >names &&
	no_pii names &&
	find out -path out/.docpipe -prune -o -type f -print | xargs cat >all &&
	no_pii all &&
	test -f out/messages.tsv && test_grep "box_\[SSN\].mbox" out/messages.tsv &&
	ls out | grep "^Smith_John_SSN_\[SSN\].txt~[0-9a-f]\{8\}.txt$" &&
	ls out | grep "^Smith_John_SSN_\[SSN\].md~[0-9a-f]\{8\}.xml$" &&
	test -f out/notes.txt.txt &&
	sqlite3 out/.docpipe/ledger.sqlite "SELECT path FROM inputs ORDER BY path" >paths &&
	test_grep "Smith_John_SSN_$SSN.txt" paths
'

test_expect_success 'docpipe run: a second run finds the redacted outputs, converts nothing' '
	docpipe run --json in out >again.json 2>err &&
	test_json again.json "d[\"unchanged\"]==6"
'

test_expect_success 'docpipe run: the redaction summary counts rules by channel' '
	sqlite3 out/.docpipe/ledger.sqlite "SELECT redactions FROM inputs WHERE path=\"Smith_John_SSN_$SSN.txt\"" >red &&
	test_grep "^ssn=1 ssn.path=1$" red &&
	sqlite3 out/.docpipe/ledger.sqlite "SELECT redactions FROM inputs WHERE path=\"archive.zip\"" >zred &&
	test_grep "ssn.path=" zred && test_grep "email.path=" zred &&
	docpipe status out >st && test_grep "^  ssn  *[0-9]* (path [0-9]*)$" st &&
	docpipe status --json out >sj &&
	test_json sj "d[\"redactions\"][\"ssn\"][\"path\"]>=4" "d[\"redactions\"][\"email\"][\"total\"]==d[\"redactions\"][\"email\"][\"path\"]+d[\"redactions\"][\"email\"].get(\"body\",0)+d[\"redactions\"][\"email\"].get(\"header\",0)+d[\"redactions\"][\"email\"].get(\"metadata\",0)"
'

test_expect_success 'docpipe status, run and convert warnings: a failed input named with PII is shown redacted' '
	mkdir in2 && printf "%%PDF-1.4 broken" >"in2/bad_$SSN.pdf" &&
	{ docpipe run --json in2 out2 >rj2 2>re2; true; } &&
	test_grep "bad_\[SSN\].pdf" re2 && no_pii re2 rj2 &&
	{ docpipe convert in2/*.pdf >/dev/null 2>ce2; true; } && test_grep "bad_\[SSN\].pdf" ce2 && no_pii ce2 &&
	{ docpipe status out2 >st2; true; } && test_grep "bad_\[SSN\].pdf" st2 && no_pii st2 &&
	{ docpipe status --json out2 >sj2; true; } && no_pii sj2 &&
	find out2 -path out2/.docpipe -prune -o -type f -print | xargs cat >all2 && no_pii all2
'

test_expect_success 'docpipe run: inputs whose redacted names collide keep their own outputs' '
	docpipe run same out3 &&
	ls out3 | grep -c "^x_\[SSN\].txt~[0-9a-f]\{8\}.txt$" >n && test "$(cat n)" = 2 &&
	cat out3/x_*.txt | sort >both && printf "a\nb\n" >want && test_cmp want both
'

test_done
