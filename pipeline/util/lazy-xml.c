/*
 * lazy-xml.c: libxml2, loaded by the first XML record written or HTML
 * document read.
 *
 * A `docpipe convert` to text of a text, PDF or mail input never calls
 * libxml2, but linking it has the dynamic linker load and relocate it,
 * ICU behind it (libicuuc, libicudata) and the libstdc++ ICU needs,
 * liblzma and zlib at every start: 0.7 million instructions with
 * libstdc++ linked anyway, 2.3 million once nothing else needs libstdc++
 * (callgrind of a program linked with the same libraries).  So the
 * programs are not linked with it; the functions core/emit.c (the XML
 * record writer), extract/html.c and extract/pool.c call are wrappers
 * here over util/lazylib.c.  The format modules that parse XML
 * (docpipe-office.so) link libxml2 themselves; the dynamic linker keeps
 * one copy when both open it.
 *
 * The library is opened in whichever process first needs it, the
 * sandboxed child included: the child may open files read-only and map
 * them, as it does for the format modules.
 *
 * When the library cannot be opened, the constructors return NULL as
 * libxml2 does when it cannot allocate (the HTML reader then reports the
 * document unreadable), except xmlBufferCreate(): an XML record writer
 * that could not write would lose records silently, so a missing libxml2
 * ends the program with a message naming it, as a missing symbol does
 * (util/lazylib.c).  The wrappers are hidden, as in util/lazy-sqlite.c:
 * libxml2's calls of its own functions must not come back here.
 *
 * Add a wrapper here when the code calls a libxml2 function it does not
 * call yet: the link fails until then.
 */
#pragma GCC visibility push(hidden)
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlwriter.h>
#pragma GCC visibility pop

#include "util/lazylib.h"

#include "util/banned.h"

static DpLazyLib libxml = DP_LAZYLIB_INIT("libxml2.so.2");

/* extract/pool.c: the globals, before two threads parse at once. */
DP_LAZY_VOID(libxml, xmlInitParser, (void), ())

/* extract/html.c: the HTML reader. */
DP_LAZY_FN(libxml, htmlParserCtxtPtr, htmlCreateMemoryParserCtxt, (const char *buffer, int size), (buffer, size), NULL)
DP_LAZY_FN(libxml, int, htmlCtxtUseOptions, (htmlParserCtxtPtr ctxt, int options), (ctxt, options), -1)
DP_LAZY_VOID(libxml, htmlFreeParserCtxt, (htmlParserCtxtPtr ctxt), (ctxt))
DP_LAZY_FN(libxml, int, htmlParseDocument, (htmlParserCtxtPtr ctxt), (ctxt), -1)
DP_LAZY_FN(libxml, int, xmlStrEqual, (const xmlChar *str1, const xmlChar *str2), (str1, str2), 0)
DP_LAZY_FN(libxml, int, xmlStrcasecmp, (const xmlChar *str1, const xmlChar *str2), (str1, str2), -1)
DP_LAZY_FN(libxml, int, xmlSwitchEncoding, (xmlParserCtxtPtr ctxt, xmlCharEncoding enc), (ctxt, enc), -1)

/* core/emit.c: the XML record writer. */
xmlBufferPtr
xmlBufferCreate(void)
{
	static xmlBufferPtr (*volatile fn)(void);
	if (fn == NULL)
		fn = (xmlBufferPtr(*)(void))dp_lazylib_sym(&libxml, "xmlBufferCreate");
	if (fn == NULL)
		g_error("cannot write XML records: %s", dp_lazylib_message(&libxml));
	return fn();
}

DP_LAZY_FN(libxml, const xmlChar *, xmlBufferContent, (const xmlBuffer *buf), (buf), NULL)
DP_LAZY_VOID(libxml, xmlBufferEmpty, (xmlBufferPtr buf), (buf))
DP_LAZY_VOID(libxml, xmlBufferFree, (xmlBufferPtr buf), (buf))
DP_LAZY_FN(libxml, int, xmlBufferLength, (const xmlBuffer *buf), (buf), 0)
DP_LAZY_VOID(libxml, xmlFreeTextWriter, (xmlTextWriterPtr writer), (writer))
DP_LAZY_FN(libxml, xmlTextWriterPtr, xmlNewTextWriterMemory, (xmlBufferPtr buf, int compression), (buf, compression),
           NULL)
DP_LAZY_FN(libxml, int, xmlTextWriterEndDocument, (xmlTextWriterPtr writer), (writer), -1)
DP_LAZY_FN(libxml, int, xmlTextWriterEndElement, (xmlTextWriterPtr writer), (writer), -1)
DP_LAZY_FN(libxml, int, xmlTextWriterFlush, (xmlTextWriterPtr writer), (writer), -1)
DP_LAZY_FN(libxml, int, xmlTextWriterSetIndent, (xmlTextWriterPtr writer, int indent), (writer, indent), -1)
DP_LAZY_FN(libxml, int, xmlTextWriterSetIndentString, (xmlTextWriterPtr writer, const xmlChar *str), (writer, str), -1)
DP_LAZY_FN(libxml, int, xmlTextWriterStartDocument,
           (xmlTextWriterPtr writer, const char *version, const char *encoding, const char *standalone),
           (writer, version, encoding, standalone), -1)
DP_LAZY_FN(libxml, int, xmlTextWriterStartElement, (xmlTextWriterPtr writer, const xmlChar *name), (writer, name), -1)
DP_LAZY_FN(libxml, int, xmlTextWriterWriteAttribute,
           (xmlTextWriterPtr writer, const xmlChar *name, const xmlChar *content), (writer, name, content), -1)
DP_LAZY_FN(libxml, int, xmlTextWriterWriteRawLen, (xmlTextWriterPtr writer, const xmlChar *content, int len),
           (writer, content, len), -1)
DP_LAZY_FN(libxml, int, xmlTextWriterWriteString, (xmlTextWriterPtr writer, const xmlChar *content), (writer, content),
           -1)
