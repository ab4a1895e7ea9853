#!/bin/sh
# t4100: the corpus database of `docpipe run` (OUT/corpus.sqlite) on a
# generated corpus with a known answer (scripts/make-corpus-dups): exact
# and near duplicate groups (copies, re-releases under another document
# number, the same text OCR'd twice) with precision and recall of at least
# 0.98 and no hard negative grouped (e-mails sharing a long signature);
# threads exactly as the key says (real chains by ids and by subject,
# printed chains, a message printed in three documents as one node, two
# threads with the same subject apart); incremental updates equal to a
# fresh run; shards merged equal to one run; only redacted values stored.
test_description='docpipe run: duplicates and threads in the corpus database'
. "$(dirname "$0")/test-lib.sh"

score() { /usr/bin/python3 "$TOP/tests/corpus-score.py" "$@"; }

test_expect_success 'set-up: a corpus with known groups and threads' '
	"$TOP/scripts/make-corpus-dups" in truth.tsv &&
	test "$(find in -type f | wc -l)" -gt 90 &&
	docpipe run -q -j2 in out &&
	test -f out/corpus.sqlite &&
	test "$(sqlite3 out/corpus.sqlite "PRAGMA user_version")" = 1
'

test_expect_success 'duplicate groups: precision and recall at least 0.98' '
	score truth.tsv out/corpus.sqlite >score.txt || { cat score.txt; false; } &&
	cat score.txt &&
	test_grep "^precision 1.000 recall 1.000" score.txt
'

test_expect_success 'OCR noise gives near groups, copies exact ones; signatures group nothing' '
	docpipe dups out >dups.txt &&
	test "$(grep -c "scans/scan-" dups.txt)" = 16 &&
	! grep "scans/" dups.txt | grep -v "	near	" &&
	grep "copies/copy-of-a.txt" dups.txt | grep "	exact	1.000	" &&
	! grep "signed/" dups.txt &&
	test "$(awk -F "\t" "{ print NF }" dups.txt | sort -u)" = 5
'

test_expect_success 'threads: the exact structure of the key' '
	score truth.tsv out/corpus.sqlite >score.txt || { cat score.txt; false; } &&
	test_grep "^threads: 38 messages of the key in 18 threads; database: 18 threads" score.txt &&
	docpipe threads out >threads.txt &&
	test "$(awk -F "\t" "{ print NF }" threads.txt | sort -u)" = 7 &&
	test "$(sqlite3 out/corpus.sqlite "SELECT t.messages, t.depth FROM threads t WHERE t.thread_id = (SELECT thread_id FROM messages WHERE source = \"printed/C05811003.txt\")")" = "3|2" &&
	# The chain printed again with OCR damage to a subject and to addresses: one thread of 4 messages.
	test "$(sqlite3 out/corpus.sqlite "SELECT t.messages, t.depth FROM threads t WHERE t.thread_id = (SELECT thread_id FROM messages WHERE source = \"printed/C05739675.txt\" AND part = \"message 1\")")" = "4|3"
'

test_expect_success 'every message in exactly one thread; threads know root, depth, participants' '
	test "$(sqlite3 out/corpus.sqlite "SELECT count(*) FROM messages WHERE thread_id IS NULL OR thread_id NOT IN (SELECT thread_id FROM threads)")" = 0 &&
	test "$(sqlite3 out/corpus.sqlite "SELECT count(*) FROM threads t WHERE (SELECT depth FROM messages WHERE msg_id = t.root_msg) != 0")" = 0 &&
	sqlite3 out/corpus.sqlite "SELECT participants FROM threads WHERE subject = \"Budget\" ORDER BY thread_id" >people &&
	printf "[PERSON]\n[PERSON]\n" >want &&
	test_cmp want people
'

test_expect_success 'participants: the display names as redaction leaves them ([redact] header-names=false)' '
	printf "[redact]\nheader-names=false\n" >names.conf &&
	docpipe run -q -j2 -c names.conf in names &&
	sqlite3 names/corpus.sqlite "SELECT participants FROM threads WHERE subject = \"Budget\" ORDER BY thread_id" >people &&
	printf "Ann Lee; Bo Diaz; Cy Park\nAnn Lee; Bo Diaz; Cy Park\n" >want &&
	test_cmp want people
'

test_expect_success '--json: the same lines as objects' '
	docpipe dups --json out >dups.json &&
	test_json dups.json "len(d[\"members\"]) == $(wc -l <dups.txt)" \
		"all(m[\"kind\"] in (\"exact\", \"near\") for m in d[\"members\"])" &&
	docpipe threads --json out >threads.json &&
	test_json threads.json "len(d[\"messages\"]) == $(wc -l <threads.txt)" &&
	! ls out | grep -e "-wal$" -e "-shm$"
'

test_expect_success 'only redacted values and hashes are stored' '
	sqlite3 out/corpus.sqlite .dump >dump.sql &&
	! grep -i "example.org" dump.sql && ! grep -i "MillsCD" dump.sql &&
	! grep "t1r@" dump.sql &&
	grep -q "\[EMAIL\]" dump.sql
'

test_expect_success 'with a key, ids and text hashes are keyed; groups and threads the same' '
	printf "[redact]\nkey-file=%s\n" "$TOP/tests/redact-test.key" >k.conf &&
	docpipe run -q -j2 -c k.conf in keyed &&
	sqlite3 out/corpus.sqlite "SELECT mid FROM messages WHERE mid IS NOT NULL ORDER BY source" >plain.mids &&
	sqlite3 keyed/corpus.sqlite "SELECT mid FROM messages WHERE mid IS NOT NULL ORDER BY source" >keyed.mids &&
	test -s plain.mids && test "$(wc -l <plain.mids)" = "$(wc -l <keyed.mids)" &&
	! grep -F -x -f plain.mids keyed.mids &&
	printf "message-id\000t1r@example.org" | sha256sum | cut -c1-64 >t1r.plain &&
	grep -F -x -f t1r.plain plain.mids &&
	docpipe dups out >a.txt && docpipe dups keyed >b.txt && test_cmp a.txt b.txt &&
	docpipe threads out >a.txt && docpipe threads keyed >b.txt && test_cmp a.txt b.txt
'

test_expect_success 'incremental: added and removed inputs give what a fresh run gives' '
	cp -r in in2 &&
	cp in2/memos/memo-u.txt in2/copies/late-copy.txt &&
	cp in2/mail/t1/b.eml in2/mail/b-again.eml &&
	rm in2/copies/copy-of-b.txt in2/scans/scan-m-2.txt &&
	cp -r out out2 &&
	docpipe run -q -j2 --prune in2 out2 &&
	docpipe run -q -j2 in2 fresh &&
	docpipe dups out2 >inc.txt && docpipe dups fresh >fresh.txt && test_cmp fresh.txt inc.txt &&
	docpipe threads out2 >inc.txt && docpipe threads fresh >fresh.txt && test_cmp fresh.txt inc.txt &&
	docpipe dups out2 | grep -q "copies/late-copy.txt" &&
	! docpipe dups out2 | grep -q "copy-of-b"
'

test_expect_success 'a rerun with nothing new leaves the database as it was' '
	sqlite3 out2/corpus.sqlite .dump >before.sql &&
	docpipe run -q -j2 in2 out2 &&
	sqlite3 out2/corpus.sqlite .dump >after.sql &&
	test_cmp before.sql after.sql
'

test_expect_success 'merge of two shards equals one run over both' '
	docpipe run -q -j2 --shard 1/2 in s1 &&
	docpipe run -q -j2 --shard 2/2 in s2 &&
	test "$(sqlite3 s1/corpus.sqlite "SELECT count(*) FROM documents WHERE part = \"\"")" -gt 10 &&
	docpipe merge -q s1 s2 merged &&
	docpipe dups out >one.txt && docpipe dups merged >two.txt && test_cmp one.txt two.txt &&
	docpipe threads out >one.txt && docpipe threads merged >two.txt && test_cmp one.txt two.txt &&
	score truth.tsv merged/corpus.sqlite
'

test_expect_success '[corpus] near-threshold=100: near copies are not grouped, exact ones are' '
	printf "[corpus]\nnear-threshold=100\n" >strict.conf &&
	docpipe run -q -j2 -c strict.conf in strict &&
	docpipe dups strict >strict.txt &&
	! grep -q "	near	" strict.txt &&
	grep -q "copies/copy-of-a.txt" strict.txt
'

test_expect_success '[corpus] near-threshold: a change regroups without converting again' '
	cp -r out thr &&
	docpipe run --json -j2 -c strict.conf in thr >thr.json &&
	test_json thr.json "d[\"converted\"] == 0" &&
	docpipe dups thr >thr.txt && test_cmp strict.txt thr.txt
'

test_expect_success '[corpus] enabled=false: no database' '
	printf "[corpus]\nenabled=false\n" >off.conf &&
	docpipe run -q -j2 -c off.conf in off &&
	test ! -e off/corpus.sqlite
'

test_expect_code 66 'dups: an OUT without a corpus database' '
	mkdir empty && docpipe dups empty
'

test_expect_code 64 'merge: OUT must not be one of the shards' '
	docpipe merge -q s1 s2 s1
'

test_done
