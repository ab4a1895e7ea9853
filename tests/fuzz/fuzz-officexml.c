/*
 * fuzz-officexml.c: libFuzzer target for the XML readers of the office
 * packages (extract/ooxml-docx.c, ooxml-xlsx.c, ooxml-pptx.c, odf.c,
 * epub.c and their helpers in office-zip.c and office-text.c).
 *
 * The office targets of fuzz-extract.c mutate the zip's bytes, and almost
 * every mutation breaks a CRC or the central directory, so the XML inside
 * is seldom parsed.  Here the input is the XML: its first byte chooses one
 * part of one package (the table below), the rest of it is that part, and
 * the target writes a small valid package around it with libzip (in
 * memory, entries stored) from fixed minimal parts, then runs dp_extract()
 * on it with the package's type, as fuzz-extract.c does.  Only parts the
 * readers read are in the table.
 */
#include "fuzz-common.h"
#include "chain/chain.h"
#include "core/detect.h"
#include "core/record.h"
#include "extract/extract.h"
#include "util/hash.h"

#include <string.h>
#include <zip.h>

#include "util/banned.h"

/* One entry of a package: its name and its fixed content. */
typedef struct {
	const char *name;
	const char *xml;
} Entry;

#define OOXML_TYPES                                                                                                    \
	"<?xml version=\"1.0\"?><Types "                                                                               \
	"xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" "           \
	"ContentType=\"application/xml\"/></Types>"
#define RELS_OPEN                                                                                                      \
	"<?xml version=\"1.0\"?><Relationships "                                                                       \
	"xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define W_NS "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
#define P_NS                                                                                                           \
	"xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "                                           \
	"xmlns:p=\"http://schemas.openxmlformats.org/presentationml/2006/main\" "                                      \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define S_NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define CORE_XML                                                                                                       \
	"<?xml version=\"1.0\"?><cp:coreProperties "                                                                   \
	"xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "                        \
	"xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>T</dc:title><dc:creator>A</dc:creator>"               \
	"</cp:coreProperties>"
#define ODF_NS                                                                                                         \
	"xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "                                           \
	"xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "                                               \
	"xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "                                             \
	"xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\""

static const Entry docx[] = {
	{ "[Content_Types].xml", OOXML_TYPES },
	{ "word/document.xml", "<?xml version=\"1.0\"?><w:document " W_NS "><w:body><w:p><w:r><w:t>Body</w:t></w:r>"
	                       "</w:p></w:body></w:document>" },
	{ "word/footnotes.xml", "<?xml version=\"1.0\"?><w:footnotes " W_NS "><w:footnote w:id=\"1\"><w:p><w:r>"
	                        "<w:t>Note</w:t></w:r></w:p></w:footnote></w:footnotes>" },
	{ "word/comments.xml", "<?xml version=\"1.0\"?><w:comments " W_NS "><w:comment w:id=\"0\" w:author=\"C\" "
	                       "w:date=\"2024-03-01T09:30:00Z\"><w:p><w:r><w:t>Comment</w:t></w:r></w:p></w:comment>"
	                       "</w:comments>" },
	{ "word/header1.xml",
	  "<?xml version=\"1.0\"?><w:hdr " W_NS "><w:p><w:r><w:t>Header</w:t></w:r></w:p></w:hdr>" },
	{ "docProps/core.xml", CORE_XML },
	{ NULL, NULL },
};

static const Entry xlsx[] = {
	{ "[Content_Types].xml", OOXML_TYPES },
	{ "xl/workbook.xml", "<?xml version=\"1.0\"?><workbook " S_NS " xmlns:r=\"http://schemas.openxmlformats.org/"
	                     "officeDocument/2006/relationships\"><workbookPr/><sheets><sheet name=\"S\" sheetId=\"1\" "
	                     "r:id=\"rId1\"/></sheets></workbook>" },
	{ "xl/_rels/workbook.xml.rels",
	  RELS_OPEN "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
	            "<Relationship Id=\"rId2\" Type=\"" REL_TYPE "styles\" Target=\"styles.xml\"/>"
	            "<Relationship Id=\"rId3\" Type=\"" REL_TYPE "sharedStrings\" Target=\"sharedStrings.xml\"/>"
	            "</Relationships>" },
	{ "xl/sharedStrings.xml", "<?xml version=\"1.0\"?><sst " S_NS "><si><t>Shared</t></si></sst>" },
	{ "xl/worksheets/sheet1.xml", "<?xml version=\"1.0\"?><worksheet " S_NS "><sheetData><row r=\"1\"><c r=\"A1\" "
	                              "t=\"s\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>45000.5</v></c></row></sheetData>"
	                              "</worksheet>" },
	{ "xl/styles.xml", "<?xml version=\"1.0\"?><styleSheet " S_NS "><numFmts><numFmt numFmtId=\"164\" "
	                   "formatCode=\"yyyy-mm-dd\"/></numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/>"
	                   "</cellXfs></styleSheet>" },
	{ "docProps/core.xml", CORE_XML },
	{ NULL, NULL },
};

static const Entry pptx[] = {
	{ "[Content_Types].xml", OOXML_TYPES },
	{ "ppt/presentation.xml", "<?xml version=\"1.0\"?><p:presentation " P_NS "><p:sldIdLst><p:sldId id=\"256\" "
	                          "r:id=\"rId1\"/></p:sldIdLst></p:presentation>" },
	{ "ppt/_rels/presentation.xml.rels", RELS_OPEN "<Relationship Id=\"rId1\" Type=\"" REL_TYPE
	                                               "slide\" Target=\"slides/slide1.xml\"/></Relationships>" },
	{ "ppt/slides/slide1.xml", "<?xml version=\"1.0\"?><p:sld " P_NS "><p:cSld><p:spTree><p:sp><p:txBody><a:p>"
	                           "<a:r><a:t>Slide</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>" },
	{ "ppt/slides/_rels/slide1.xml.rels", RELS_OPEN
	  "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "notesSlide\" Target=\"../notesSlides/notesSlide1.xml\"/>"
	  "<Relationship Id=\"rId2\" Type=\"" REL_TYPE "comments\" Target=\"../comments/comment1.xml\"/>"
	  "</Relationships>" },
	{ "ppt/notesSlides/notesSlide1.xml",
	  "<?xml version=\"1.0\"?><p:notes " P_NS "><p:cSld><p:spTree><p:sp><p:txBody>"
	  "<a:p><a:r><a:t>Notes</a:t></a:r></a:p></p:txBody></p:sp></p:spTree>"
	  "</p:cSld></p:notes>" },
	{ "ppt/comments/comment1.xml", "<?xml version=\"1.0\"?><p:cmLst " P_NS "><p:cm authorId=\"0\" idx=\"1\">"
	                               "<p:text>Comment</p:text></p:cm></p:cmLst>" },
	{ "docProps/core.xml", CORE_XML },
	{ NULL, NULL },
};

static const Entry odt[] = {
	{ "mimetype", "application/vnd.oasis.opendocument.text" },
	{ "content.xml", "<?xml version=\"1.0\"?><office:document-content " ODF_NS "><office:body><office:text>"
	                 "<text:p>Body</text:p></office:text></office:body></office:document-content>" },
	{ "meta.xml", "<?xml version=\"1.0\"?><office:document-meta " ODF_NS "><office:meta><dc:title>T</dc:title>"
	              "</office:meta></office:document-meta>" },
	{ NULL, NULL },
};

static const Entry epub[] = {
	{ "mimetype", "application/epub+zip" },
	{ "META-INF/container.xml", "<?xml version=\"1.0\"?><container version=\"1.0\" "
	                            "xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\"><rootfiles><rootfile "
	                            "full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>"
	                            "</rootfiles></container>" },
	{ "OEBPS/content.opf", "<?xml version=\"1.0\"?><package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\">"
	                       "<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>T</dc:title>"
	                       "</metadata><manifest><item id=\"c1\" href=\"text/c1.xhtml\" "
	                       "media-type=\"application/xhtml+xml\"/></manifest><spine><itemref idref=\"c1\"/>"
	                       "</spine></package>" },
	{ "OEBPS/text/c1.xhtml", "<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><head><title>C"
	                         "</title></head><body><p>Chapter</p></body></html>" },
	{ NULL, NULL },
};

/* What the first byte chooses: a package, and which of its entries the rest of the input replaces. */
typedef struct {
	const char *type;
	const Entry *package;
	const char *part;
} Slot;

static const Slot slots[] = {
	{ DP_TYPE_DOCX, docx, "word/document.xml" },
	{ DP_TYPE_DOCX, docx, "word/footnotes.xml" },
	{ DP_TYPE_DOCX, docx, "word/comments.xml" },
	{ DP_TYPE_DOCX, docx, "word/header1.xml" },
	{ DP_TYPE_DOCX, docx, "docProps/core.xml" },
	{ DP_TYPE_XLSX, xlsx, "xl/workbook.xml" },
	{ DP_TYPE_XLSX, xlsx, "xl/_rels/workbook.xml.rels" },
	{ DP_TYPE_XLSX, xlsx, "xl/sharedStrings.xml" },
	{ DP_TYPE_XLSX, xlsx, "xl/worksheets/sheet1.xml" },
	{ DP_TYPE_XLSX, xlsx, "xl/styles.xml" },
	{ DP_TYPE_PPTX, pptx, "ppt/presentation.xml" },
	{ DP_TYPE_PPTX, pptx, "ppt/_rels/presentation.xml.rels" },
	{ DP_TYPE_PPTX, pptx, "ppt/slides/slide1.xml" },
	{ DP_TYPE_PPTX, pptx, "ppt/slides/_rels/slide1.xml.rels" },
	{ DP_TYPE_PPTX, pptx, "ppt/notesSlides/notesSlide1.xml" },
	{ DP_TYPE_PPTX, pptx, "ppt/comments/comment1.xml" },
	{ DP_TYPE_ODT, odt, "content.xml" },
	{ DP_TYPE_ODT, odt, "meta.xml" },
	{ DP_TYPE_EPUB, epub, "META-INF/container.xml" },
	{ DP_TYPE_EPUB, epub, "OEBPS/content.opf" },
	{ DP_TYPE_EPUB, epub, "OEBPS/text/c1.xhtml" },
};

/* Add NAME (LEN bytes of DATA, not copied: they outlive the archive) to ZA, stored. */
static void
add_entry(zip_t *za, const char *name, const void *data, size_t len)
{
	zip_source_t *s = zip_source_buffer(za, data, len, 0);
	g_assert(s != NULL);
	zip_int64_t i = zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8);
	g_assert(i >= 0);
	/* Stored entries: deflating every package would cost most of a run. */
	g_assert(zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0) == 0);
}

/* The package of SLOT with its part replaced by PART (LEN bytes), as bytes. */
static GBytes *
build_package(const Slot *slot, const uint8_t *part, size_t len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	g_assert(src != NULL);
	/* The source outlives the archive: its buffer is the package written. */
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	g_assert(za != NULL);
	for (const Entry *e = slot->package; e->name != NULL; e++) {
		if (g_str_equal(e->name, slot->part))
			add_entry(za, e->name, part, len);
		else
			add_entry(za, e->name, e->xml, strlen(e->xml));
	}
	g_assert(zip_close(za) == 0);
	zip_stat_t st;
	g_assert(zip_source_open(src) == 0);
	g_assert(zip_source_stat(src, &st) == 0 && (st.valid & ZIP_STAT_SIZE));
	guint8 *buf = g_malloc(st.size);
	g_assert(zip_source_read(src, buf, st.size) == (zip_int64_t)st.size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	return g_bytes_new_take(buf, st.size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const Slot *slot = &slots[data[0] % G_N_ELEMENTS(slots)];
	g_autoptr(GBytes) bytes = build_package(slot, data + 1, size - 1);
	gsize len;
	const guint8 *pkg = g_bytes_get_data(bytes, &len);

	DpExtractCtx ctx;
	dp_extract_ctx_init(&ctx, fuzz_config(), fuzz_emit, NULL);
	/* As fuzz-extract.c: odd inputs run without hashes, as `convert` on standard output does. */
	ctx.hash_parts = size % 2 == 0;
	g_autoptr(DpRecord) in = dp_record_new();
	g_autofree char *sha = ctx.hash_parts ? dp_sha256_hex(pkg, len) : g_strdup(DP_HASH_PENDING);
	g_autofree char *id = ctx.hash_parts ? dp_id_root(sha) : g_strdup(DP_HASH_PENDING);
	dp_record_set(in, DP_F_ID, id);
	dp_record_set(in, DP_F_SOURCE, "fuzz-input");
	dp_record_set(in, DP_F_TYPE, slot->type);
	dp_record_set(in, DP_F_SHA256, sha);
	dp_record_setf(in, DP_F_SIZE, "%zu", len);
	g_autoptr(GError) error = NULL;
	g_assert(dp_extract(&ctx, in, bytes, &error));
	dp_extract_ctx_clear(&ctx);
	return 0;
}
