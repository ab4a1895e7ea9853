#!/bin/sh
# Leak test: secrets planted in generated documents (body text, title,
# meta author/description, reflowed and obfuscated forms) must not appear in
# any output byte: text, XML, record streams, output file names, stderr.
# HTML and text documents are written here; PDF, mail and zip samples by
# tests/redact-leak-samples.py (cairo, at test time).
. "$(dirname "$0")/test-lib.sh"

cat >"$TRASH/secrets" <<'EOS'
john.smith@example.com
leaked.person@corp.example.org
202-555-0143
2025550143
123-45-6789
4111111111111111
4111 1111 1111 1111
GB82WEST12345698765432
GB82 WEST 1234 5698 7654 32
192.168.77.12
2001:db8::7
Bouteflika
EOS
printf 'Bouteflika\nMokhtar ben Mokhtar\n' >"$TRASH/names.txt"
cat >"$TRASH/leak.conf" <<'EOF2'
[redact]
detectors=email;phone;ssn;card;iban;ip
[rule person]
terms=names.txt
EOF2

# The documents: each secret in several places and shapes.
cat >"$TRASH/page.html" <<'EOF2'
<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Contact john.smith@example.com about Bouteflika</title>
<meta name="author" content="leaked.person@corp.example.org">
<meta name="description" content="call 202-555-0143, SSN 123-45-6789">
<meta name="keywords" content="4111111111111111, GB82WEST12345698765432">
</head><body>
<p>Mail john.smith@exam-<br>ple.com or JOHN.SMITH@EXAMPLE.COM today.</p>
<p>Phone (202) 555-0143, 202.555.0143 or 2025550143; SSN 123-45-<br>6789.</p>
<p>Card 4111 1111 1111 1111 and 4111-1111-1111-1111. IBAN GB82 WEST 1234 5698 7654 32.</p>
<p>Server 192.168.77.12 and 2001:db8::7. BOUTEFLIKA and Bout&eacute;flika.</p>
<p>Soft: john&shy;.smith@example.com; zero&#8203;width: leaked.person@corp.exam&#8203;ple.org</p>
<table><tr><td>leaked.person@corp.example.org</td><td>202-555-0143</td></tr></table>
</body></html>
EOF2
cat >"$TRASH/notes.txt" <<'EOF2'
Notes for Mokhtar ben
Mokhtar: write john.smith@example.com, call 202-555-
0143, SSN 123-45-6789, card 4111 1111 1111 1111,
IBAN GB82 WEST 1234 5698 7654 32, host 192.168.77.12.
EOF2

# Every secret, and its digits-only form for numbers, against FILES.
no_secret_in() {
	status=0
	while IFS= read -r s; do
		[ -n "$s" ] || continue
		for f in "$@"; do
			if grep -F -i -q -- "$s" "$f"; then
				echo "LEAK: a secret found in $f"
				status=1
			fi
		done
	done <secrets
	return $status
}

test_expect_success 'convert HTML and text: text output has no secret' '
	docpipe convert -c leak.conf page.html notes.txt >out.txt 2>err.txt &&
	test -s out.txt && no_secret_in out.txt err.txt
'
test_expect_success 'XML output (attributes, meta, redaction elements) has no secret' '
	docpipe convert --xml -c leak.conf page.html notes.txt >out.xml 2>err.xml &&
	test_grep "<redaction" out.xml && no_secret_in out.xml err.xml
'
test_expect_success 'output tree has no secret' '
	docpipe convert -c leak.conf -o tree page.html notes.txt 2>err.tree; rc=$?;
	test $rc = 0 && no_secret_in $(find tree -type f) err.tree
'
test_expect_success 'stage by stage: the redacted record stream has no secret' '
	docpipe-detect page.html notes.txt | docpipe-extract >rec 2>err1 &&
	docpipe-redact -c leak.conf <rec >red 2>err2 &&
	docpipe-emit --xml <red >emit.xml 2>err3 &&
	no_secret_in red emit.xml err1 err2 err3
'
test_expect_success 'the extracted stream did carry the secrets (the test is real)' '
	docpipe-detect page.html | docpipe-extract >rec &&
	grep -q "Bouteflika" rec && grep -q "leaked.person@corp.example.org" rec
'
test_expect_success 'redacted records say what was redacted, never the value' '
	grep "^redacted: " red >lines && test_grep "^redacted: email body" lines &&
	test_grep "^redacted: email meta" lines && no_secret_in lines
'
test_expect_success 'pseudonyms and masks do not leak either' '
	printf "[redact]\ndetectors=email;phone;ssn;card;iban;ip\noperator=pseudonym\nkey-env=LEAK_KEY\n[rule person]\nterms=names.txt\noperator=mask\n" >p.conf &&
	LEAK_KEY=leak-test-key-0123456789 docpipe convert --xml -c p.conf page.html notes.txt >p.xml 2>p.err &&
	grep -q "\[EMAIL-[0-9a-f]\{6\}\]" p.xml && no_secret_in p.xml p.err
'
# PDF, mail and zip: secrets in PDF text and metadata, mail headers (one
# RFC 2047 encoded) and bodies, attachment file names, zip entry names,
# attachments inside attachments (tests/redact-leak-samples.py).
printf 'Mokhtar\n' >>"$TRASH/secrets"
if ! /usr/bin/python3 -c 'import cairo' 2>/dev/null; then
	test_skip "PDF, mail and zip leak tests: /usr/bin/python3 has no cairo (python3-cairo)"
	test_done
fi
test_expect_success 'generate the PDF, mail and zip samples' '
	/usr/bin/python3 "$TOP/tests/redact-leak-samples.py" docs &&
	test -s docs/leak.pdf && test -s docs/leak.eml && test -s docs/leak.zip
'
test_expect_success 'the extracted stream carries the secrets (the test is real)' '
	(cd docs && docpipe-detect leak.pdf leak.zip leak.eml | docpipe-extract >../raw 2>../raw.err) &&
	for s in "meta.title: Dossier of Bouteflika" "meta.author: leaked.person@corp.example.org" \
		"meta.filename: Bouteflika 123-45-6789.txt" "meta.filename: john.smith@example.com.zip" \
		"meta.name: cards/4111111111111111.txt" "meta.subject: Réunion: Bouteflika 202-555-0143" \
		"123-45-" "GB82WEST12345698765432"; do
		grep -q -F -- "$s" raw || { echo "not in the extracted stream: $s"; return 1; }
	done
'
test_expect_success 'PDF, mail, zip: text, XML and stderr have no secret' '
	(cd docs && docpipe convert -c ../leak.conf leak.pdf leak.zip leak.eml >../m.txt 2>../m.err &&
	 docpipe convert --xml -c ../leak.conf leak.pdf leak.zip leak.eml >../m.xml 2>../m.xerr) &&
	test_grep "<meta name=\"filename\">\[PERSON\] \[SSN\].txt</meta>" m.xml &&
	test_grep "<meta name=\"title\">Dossier of \[PERSON\], \[EMAIL\]</meta>" m.xml &&
	test_grep "path=\"entry cards/\[CARD\].txt\"" m.xml &&
	no_secret_in m.txt m.err m.xml m.xerr
'
test_expect_success 'PDF, mail, zip: output tree (files and their names) has no secret' '
	(cd docs && docpipe convert -c ../leak.conf -o ../mtree leak.pdf leak.zip leak.eml 2>../mtree.err) &&
	find mtree >mtree.list && no_secret_in mtree.list mtree.err $(find mtree -type f)
'
test_expect_success 'PDF, mail, zip stage by stage: records, XML, stderr have no secret' '
	docpipe-redact -c leak.conf <raw >mred 2>mred.err &&
	docpipe-emit --xml <mred >memit.xml 2>memit.err &&
	docpipe-emit <mred >memit.txt 2>>memit.err &&
	no_secret_in mred memit.xml memit.txt mred.err memit.err
'
test_expect_success 'PDF, mail, zip with pseudonyms and masks: no secret' '
	(cd docs && LEAK_KEY=leak-test-key-0123456789 docpipe convert --xml -c ../p.conf leak.pdf leak.zip leak.eml \
		>../mp.xml 2>../mp.err) &&
	grep -q "\[IBAN-[0-9a-f]\{6\}\]" mp.xml && no_secret_in mp.xml mp.err
'
test_expect_success 'docpipe run: outputs, ledger, status, --json and stderr have no secret' '
	mkdir -p runin && cp docs/leak.pdf docs/leak.eml docs/leak.zip page.html runin/ &&
	docpipe run -c leak.conf --json runin runout >run.json 2>run.err; rc=$?
	test $rc = 0 -o $rc = 65 &&
	test -s runout/.docpipe/ledger.sqlite &&
	sqlite3 runout/.docpipe/ledger.sqlite .dump >ledger.sql &&
	test_grep "leak.eml" ledger.sql &&
	docpipe status --json runout >status.json 2>status.err &&
	docpipe status runout >status.txt 2>>status.err &&
	find runout >runout.list &&
	no_secret_in run.json run.err ledger.sql status.json status.txt status.err runout.list \
		$(find runout -type f)
'
test_done
