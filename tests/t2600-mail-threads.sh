#!/bin/sh
# t2600: the messages of a mailbox extracted on worker threads
# ([extract] threads, pipeline/extract/pool.c) give exactly the output of
# one thread: record order, the part limit falling at the same record,
# large messages, attachments of every kind, the corpus mailboxes.
. "$(dirname "$0")/test-lib.sh"

MAIL=$SAMPLES/mail

# An mbox of NAME: the sample messages (a PDF, a zip, a nested message,
# HTML-only, Latin-1, broken MIME) over and over, with a message of more
# than 2 MiB (extracted on the calling thread) in the middle.
make_mbox() {
	: >"$1"
	for round in 1 2 3 4 5 6; do
		for m in report html-only latin1 broken; do
			printf 'From sender@example.com Mon Jan  1 00:00:0%s 2024\n' "$round" >>"$1"
			cat "$MAIL/$m.eml" >>"$1"
			printf '\n' >>"$1"
		done
		if [ "$round" = 3 ]; then
			printf 'From big@example.com Mon Jan  1 00:00:00 2024\nFrom: big@example.com\nSubject: big\n\n' >>"$1"
			awk 'BEGIN { for (i = 0; i < 50000; i++) printf "line %d of a long body, call 555-0100 or mail x%d@example.org\n", i, i }' >>"$1"
			printf '\n' >>"$1"
		fi
	done
}

conf() {
	printf '[extract]\nthreads=%s\n[limits]\nmax-children=%s\n' "$1" "$2" >"$3"
}

test_expect_success 'setup: a mailbox of varied messages' '
	make_mbox "$TRASH/box.mbox" &&
	test "$(wc -c <"$TRASH/box.mbox")" -gt 3000000
'

test_expect_success 'three threads give the output of one, text and XML' '
	conf 1 0 one.conf && conf 3 0 three.conf &&
	docpipe convert -c one.conf --xml "$TRASH/box.mbox" >one.xml &&
	docpipe convert -c three.conf --xml "$TRASH/box.mbox" >three.xml &&
	test_cmp one.xml three.xml &&
	docpipe convert -c one.conf "$TRASH/box.mbox" >one.txt &&
	docpipe convert -c three.conf "$TRASH/box.mbox" >three.txt &&
	test_cmp one.txt three.txt &&
	test "$(grep -c "<document id=\"[0-9a-f]*\" path=\"message [0-9]*\"" three.xml)" = 25 &&
	test_grep "application/pdf" three.xml && test_grep "application/zip" three.xml
'

# GMime registers its types in g_mime_init(), not thread-safely on first
# use: a thread that made a GMime object before calling it raced the other
# threads (a broken class cast, then a crash, in about one run in ten of
# this mailbox; 40 runs catch it with 95% odds).
test_expect_success 'threads start cleanly: no GLib warning, no crash, run after run' '
	conf 2 0 two.conf &&
	"$TOP/scripts/make-bench-mbox" start.mbox 2 >/dev/null &&
	i=0 &&
	while [ $i -lt 40 ]; do
		i=$((i + 1))
		docpipe convert -c two.conf start.mbox >start.txt 2>start.err || { echo "run $i failed"; cat start.err; return 1; }
		test ! -s start.err || { echo "run $i said:"; cat start.err; return 1; }
	done
'

test_expect_success 'the part limit falls at the same record with threads' '
	for limit in 1 2 7 19 40 55; do
		conf 1 $limit one.conf && conf 4 $limit four.conf &&
		{ docpipe convert -c one.conf --xml "$TRASH/box.mbox" >one.xml 2>one.err; echo $? >one.rc; } &&
		{ docpipe convert -c four.conf --xml "$TRASH/box.mbox" >four.xml 2>four.err; echo $? >four.rc; } &&
		test_cmp one.xml four.xml && test_cmp one.rc four.rc && test_cmp one.err four.err &&
		test_grep "more parts than the limit of $limit" four.xml || return 1
	done
'

test_expect_success 'small messages that expand past a job budget: the same, in bounded memory' '
	# Messages well under 2 MiB whose zip of text expands to more than
	# the 8 MiB a job may keep: the workers give them up and the calling
	# thread extracts them in order, streaming.
	/usr/bin/python3 - "$TRASH/expand.mbox" <<-\PY &&
	import base64, io, sys, zipfile
	buf = io.BytesIO()
	with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
	    for e in range(3):
	        z.writestr("doc%d.txt" % e, " ".join("minutes %d " % k + "report " * 40 for k in range(12000)))
	b64 = base64.encodebytes(buf.getvalue()).decode()
	with open(sys.argv[1], "w") as f:
	    for i in range(8):
	        f.write("From a@example.com Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nSubject: m%d\n"
	                "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\n"
	                "Content-Type: text/plain\n\nnote %d\n--zz\nContent-Type: application/zip; name=a.zip\n"
	                "Content-Transfer-Encoding: base64\n\n%s\n--zz--\n\n" % (i, i, b64))
	PY
	test "$(wc -c <"$TRASH/expand.mbox")" -lt 2000000 &&
	conf 1 0 one.conf && conf 2 0 two.conf &&
	docpipe convert -c one.conf --no-redact "$TRASH/expand.mbox" >one.txt &&
	docpipe convert -c two.conf --no-redact "$TRASH/expand.mbox" >two.txt &&
	test "$(wc -c <one.txt)" -gt 50000000 &&
	test_cmp one.txt two.txt
'

test_expect_success 'every sample mailbox: the same with threads' '
	for f in "$MAIL"/*.mbox "$MAIL"/*.mmdf; do
		conf 1 0 one.conf && conf 2 0 two.conf &&
		docpipe convert -c one.conf --xml "$f" >one.xml &&
		docpipe convert -c two.conf --xml "$f" >two.xml &&
		test_cmp one.xml two.xml || return 1
	done
'

# docpipe run with several workers gives a mailbox one thread, except a big
# one (16 MiB and up), which gets one per CPU so that it is not the batch's
# single-threaded tail: the outputs are those of one worker.
test_expect_success 'run -j2 with a big mailbox among small inputs: the output of -j1' '
	mkdir big-in && "$TOP/scripts/make-bench-mbox" big-in/big.mbox 17 >/dev/null &&
	cp "$MAIL/report.eml" "$MAIL/mboxrd.mbox" big-in/ &&
	docpipe run -q -j1 big-in out1 && docpipe run -q -j2 big-in out2 &&
	test -s out2/big.mbox.xml &&
	diff -r -x .docpipe -x corpus.sqlite out1 out2
'

test_expect_success 'the thread count is not part of the configuration fingerprint' '
	mkdir in && cp "$MAIL/mboxo.mbox" in/ &&
	docpipe run -q in out &&
	conf 3 1000000 three.conf &&
	docpipe run -c three.conf in out >log 2>&1 &&
	test_grep "0 converted, 1 unchanged" log
'

test_expect_success CORPUS 'corpus mailboxes: the same with threads' '
	conf 1 0 one.conf && conf 3 0 three.conf &&
	{ find "$CORPUS" -name "*.mbox" -o -name "*.mbox.txt" -o -name "*.box"; find "$CORPUS/sisimai/mbox" -type f; } | sort >list &&
	test -s list &&
	while read -r f; do
		docpipe convert -c one.conf --xml "$f" >one.xml 2>/dev/null
		docpipe convert -c three.conf --xml "$f" >three.xml 2>/dev/null
		test_cmp one.xml three.xml || return 1
	done <list
'

test_done
