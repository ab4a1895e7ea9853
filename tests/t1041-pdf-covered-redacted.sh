#!/bin/sh
# t1041: the positions of the covered labels (a "redacted: covered body"
# line the PDF extractor writes, extract/pdf-covered.c) after the redact
# stage has changed the length of earlier text: they must still point at
# the labels in the redacted body, as the redactor's own positions do.
# The sample comes from scripts/make-samples-covered (after-email.pdf).
test_description='covered-text positions carried over by the redactor'
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-covered" "$S" || test_skip_all "cannot make the samples (python3-cairo)"

# check_positions REC: every OFF+LEN of every "redacted" line of REC's
# body is its rule's label in the body; prints "RULE OFF+LEN" per position.
check_positions() {
	/usr/bin/python3 - "$1" <<-\EOF
	import sys
	data = open(sys.argv[1], "rb").read()
	head, _, rest = data.partition(b"\nbody: ")
	size, _, rest = rest.partition(b"\n")
	body = rest[:int(size)]
	fields = [l.split(b": ", 1) for l in head.split(b"\n")[1:]]
	label = {b"covered": b"[COVERED]", b"email": b"[EMAIL]"}
	for k, v in fields:
	    if k != b"redacted":
	        continue
	    w = v.split()
	    if w[1] != b"body":
	        continue
	    for p in w[3:]:
	        off, n = map(int, p.split(b"+"))
	        got = body[off:off + n]
	        assert got == label[w[0]], (v, p, got)
	        print(w[0].decode(), p.decode())
	EOF
}

test_expect_success 'extracted: the covered label where the line says' '
	docpipe-extract "$S/after-email.pdf" >rec &&
	check_positions rec >pos &&
	grep "^covered " pos
'

test_expect_success 'redacted: the address shortened, the covered label still where the line says' '
	docpipe-extract "$S/after-email.pdf" | docpipe-redact >red &&
	check_positions red >pos &&
	grep "^email " pos &&
	grep "^covered " pos &&
	! grep -q "example.org" red
'

test_expect_success 'docpipe convert --xml gives the shifted positions' '
	docpipe convert --xml "$S/after-email.pdf" >x.xml &&
	docpipe-extract "$S/after-email.pdf" | docpipe-redact >red &&
	covered=$(sed -n "s/^redacted: covered body 1 //p" red) &&
	test -n "$covered" &&
	test_grep "<redaction rule=\"covered\" field=\"body\" count=\"1\" positions=\"$covered\"" x.xml
'

test_done
