"""Tell a file's type from its content, never from its name."""

from __future__ import annotations

import io
import re
import zipfile

from ..errors import SourceError

SUPPORTED = "支持的格式:网页(.html/.htm)、PDF(.pdf)、Word(.docx)和纯文本(.txt/.md)"
DOCX_PART = "word/document.xml"
SNIFF_BYTES = 2048
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 text as Windows Notepad saves it

_IMAGES = {
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"BM": "BMP",
    b"II*\x00": "TIFF",
    b"MM\x00*": "TIFF",
}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .doc/.xls/.ppt
_HTML_DOC_RE = re.compile(rb"<!doctype\s+html|<html[\s>]", re.IGNORECASE)
_HTML_TAG_RE = re.compile(rb"<(?:head|body|p|div|article|section|meta|title)[\s>/]", re.IGNORECASE)
_LEADING_RE = re.compile(rb"^(?:\xef\xbb\xbf)?(?:\s|<!--.*?-->|<\?xml[^>]*>)*", re.DOTALL)


def detect_format(data: bytes, name: str) -> str:
    """'pdf', 'docx', 'html' or 'text'; SourceError for anything else (images, other zips, binary)."""
    head = data[:SNIFF_BYTES]
    if head.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_format(data, name)
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise SourceError(f"文件 {name} 是图片(WEBP),不是文章,无法读取文字。{SUPPORTED}。")
    for magic, kind in _IMAGES.items():
        if head.startswith(magic) and (kind != "BMP" or b"\x00" in head[:32]):
            raise SourceError(f"文件 {name} 是图片({kind}),不是文章,无法读取文字。{SUPPORTED}。")
    if head.startswith(_OLE):
        raise SourceError(f"文件 {name} 是旧版 Office 文件(如 .doc),无法读取。请在 Word 中另存为 .docx 后重试。")
    if head.startswith(UTF16_BOMS):
        return "text"
    if b"\x00" in data[: 64 * 1024]:
        raise SourceError(f"文件 {name} 是二进制文件,不是文章,无法读取文字。{SUPPORTED}。")
    return "html" if looks_like_html(head) else "text"


def looks_like_html(head: bytes) -> bool:
    """An HTML declaration or <html> tag near the start, or text that opens with markup like <div>/<p>."""
    if _HTML_DOC_RE.search(head):
        return True
    rest = head[_LEADING_RE.match(head).end() :]
    return bool(_HTML_TAG_RE.match(rest))


def _zip_format(data: bytes, name: str) -> str:
    """'docx' for a Word package; other zips are refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise SourceError(
            f"文件 {name} 是损坏的压缩包(或不完整的 Word 文件),无法打开。请重新保存或下载后重试。"
        ) from exc
    if DOCX_PART in names:
        return "docx"
    if "xl/workbook.xml" in names or "ppt/presentation.xml" in names:
        what = "Excel 表格" if "xl/workbook.xml" in names else "PowerPoint 演示文稿"
        raise SourceError(f"不支持的文件类型:{name} 是{what}。{SUPPORTED}。")
    raise SourceError(f"不支持的文件类型:{name} 是压缩包,不是 Word 文件。请解压后分别上传其中的文章。{SUPPORTED}。")
