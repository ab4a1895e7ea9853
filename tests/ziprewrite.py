# ziprewrite.py: the office and EPUB tests' way to make a damaged or odd
# package from a good one (import it with PYTHONPATH="$TEST_DIR").
#
#   with ziprewrite.rewrite(src, dst, drop="mimetype") as b:
#       b.writestr("mimetype", "application/epub+zip")
#
# rewrite() copies SRC's members into a new zip DST, in SRC's order, each
# with its own name, date and compression: without the member named DROP,
# and with the bytes EDIT(name, data) returns.  It returns DST still open
# (a zipfile.ZipFile, which is its own context manager), so that the test
# adds its members after the copies; members it adds are compressed with
# COMPRESSION.
import zipfile


def rewrite(src, dst, drop=None, edit=None, compression=zipfile.ZIP_STORED):
    out = zipfile.ZipFile(dst, "w", compression)
    with zipfile.ZipFile(src) as a:
        for info in a.infolist():
            if info.filename == drop:
                continue
            data = a.read(info.filename)
            out.writestr(info, edit(info.filename, data) if edit else data)
    return out
