#!/bin/sh
# t2156: Word 6 and 95 documents in the double-byte East Asian code pages
# (extract/ole-word.c): the FIB's lid (or its chse, a Windows character
# set number, when it has one) selects code page 932, 936, 950 or 949,
# whose lead and trail bytes iconv decodes piece by piece; a byte
# that starts no valid character, and a lead byte at a piece's end, is
# U+FFFD, and the next byte reads on its own.  Samples from
# scripts/make-samples-word95, which writes the FIB and the text directly.
. "$(dirname "$0")/test-lib.sh"

S=$TRASH/samples
/usr/bin/python3 "$TOP/scripts/make-samples-word95" "$S" 2>/dev/null ||
	test_skip_all "cannot make the Word 95 samples (python3-gi, gir1.2-gsf-1)"

test_expect_success 'Japanese (lid 0x0411): code page 932, half-width katakana, the footnote' '
	docpipe convert --xml --no-redact "$S/word95-ja.doc" >x.xml &&
	test_grep "type=\"application/msword\" status=\"ok\"" x.xml &&
	docpipe convert --no-redact "$S/word95-ja.doc" >out &&
	printf "日本語の文書です。ｶﾀｶﾅ and ASCII.\n\n脚注：東京\n" >expect &&
	test_cmp expect out
'

test_expect_success 'Simplified Chinese (lid 0x0804): code page 936' '
	docpipe convert --no-redact "$S/word95-zh-cn.doc" >out &&
	printf "简体中文文档：北京。\n" >expect &&
	test_cmp expect out
'

test_expect_success 'Traditional Chinese (lid 0x0404): code page 950' '
	docpipe convert --no-redact "$S/word95-zh-tw.doc" >out &&
	printf "繁體中文文件：臺北。\n" >expect &&
	test_cmp expect out
'

test_expect_success 'Korean (lid 0x0412): code page 949' '
	docpipe convert --no-redact "$S/word95-ko.doc" >out &&
	printf "한국어 문서입니다: 서울.\n" >expect &&
	test_cmp expect out
'

test_expect_success 'the FIB'"'"'s chse over its lid: Shift-JIS (128) in an English document, Macintosh Roman (256)' '
	docpipe convert --no-redact "$S/word95-chse-ja.doc" >out &&
	printf "英語の文書、日本語の文字。\n" >expect &&
	test_cmp expect out &&
	docpipe convert --no-redact "$S/word95-mac.doc" >out &&
	printf "Café “quoted” © 1995 • naïve.\n" >expect &&
	test_cmp expect out
'

test_expect_success 'fast-saved Japanese: pieces in order, field code left out, bad bytes U+FFFD' '
	docpipe convert --xml --no-redact "$S/word95-ja-fast.doc" >x.xml &&
	test_grep "status=\"ok\"" x.xml &&
	docpipe convert --no-redact "$S/word95-ja-fast.doc" >out &&
	printf "ファイルリンクの\357\277\275 ok 二番目\357\277\275\\\\。最後\n" >expect &&
	test_cmp expect out &&
	! grep HYPERLINK out
'

test_expect_success 'bytes that are not text in code page 932: U+FFFD each, valid UTF-8, bounded' '
	docpipe convert --xml --no-redact "$S/word95-ja-junk.doc" >x.xml &&
	test_grep "status=\"ok\"" x.xml &&
	docpipe convert --no-redact "$S/word95-ja-junk.doc" >out &&
	iconv -f UTF-8 -t UTF-8 out >/dev/null &&
	grep -q "$(printf "\357\277\275")" out &&
	grep -q "ABC" out &&
	test $(wc -m <out) -le $((224 * 64 + 1))
'

test_done
