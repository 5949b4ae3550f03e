"""Report files → blocks of text (qa.cleaning.Block), one reader per format:

- `.txt`/`.md`: formats/text.py (UTF-8 or GB18030; markdown headings);
- `.pdf`: formats/pdf.py (the text layer, read with PDFium: lines put back into paragraphs,
  running headers, footers and page numbers dropped, pages kept);
- `.docx`: formats/word.py (python-docx: heading styles and bold run-in headings, and the pages
  as Word last laid them out).

A file that cannot be read raises `UnreadableFileError` with one line saying why and what to do:
a scanned PDF without text, an encrypted file, a corrupt or truncated one, one over the size
limit, a .docx that unpacks to far more than it should (a zip bomb), an old .doc.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..cleaning import Block
from ..errors import UnreadableFileError

SUFFIXES = (".txt", ".md", ".pdf", ".docx")
# Report files people have that cannot be read: listed so that they are named, not ignored.
UNSUPPORTED = {".doc": "这是旧版 Word（.doc）文件：请在 Word 或 WPS 中另存为 .docx 后再添加",
               ".wps": "这是 WPS 文字（.wps）文件：请在 WPS 中另存为 .docx 后再添加"}
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How large a file may be, and how far a .docx may unpack (Config.max_file_mb)."""
    max_bytes: int = 50 * MB
    max_unpacked_bytes: int = 500 * MB   # a .docx's parts, unpacked: text compresses ~10x
    max_ratio: int = 100                 # a part that unpacks more than this is a bomb

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(int(config.max_file_mb * MB), int(config.max_file_mb * MB * 10))


@dataclass
class Extracted:
    blocks: list[Block]
    page_count: int = 0                 # 0 for a file without pages
    notes: list[str] = field(default_factory=list)   # worth saying about a file that was read


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise UnreadableFileError(
            f"文件有 {size / MB:.1f} MB，超过上限 {limits.max_bytes / MB:.0f} MB：请拆分文件，"
            f"或调高上限（环境变量 QA_MAX_FILE_MB）")


# What a file is by its first bytes, whatever its name says.
_SIGNATURES = ((b"%PDF-", ".pdf"), (b"PK\x03\x04", ".docx"),
               (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc"))


def sniff(data: bytes) -> str | None:
    """The suffix a file's content calls for (.pdf, .docx, .doc), or None for anything else."""
    head = data[:1024].lstrip()
    return next((suffix for magic, suffix in _SIGNATURES if head.startswith(magic)), None)


def read_file(name: str, data: bytes, limits: Limits = Limits()) -> Extracted:
    """The blocks of one file, by its suffix; UnreadableFileError if it cannot be read."""
    suffix = Path(name).suffix.lower()
    check_size(len(data), limits)
    if suffix in UNSUPPORTED:
        raise UnreadableFileError(UNSUPPORTED[suffix])
    content = sniff(data)
    if content and content != suffix and not (content == ".doc" and suffix == ".docx"):
        raise UnreadableFileError(
            f"文件内容是 {content} 格式，扩展名却是 {suffix or '（无）'}：请把扩展名改为 {content} 后再添加")
    if suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(data)
    if suffix == ".docx":
        from .word import read_docx

        return read_docx(data, limits)
    if suffix in (".txt", ".md"):
        from .text import decode_text, text_blocks

        try:
            return Extracted(text_blocks(decode_text(data)))
        except ValueError as exc:
            raise UnreadableFileError(
                f"不是可读的文本文件（{exc}）：请另存为 UTF-8 编码的 .txt") from None
    raise UnreadableFileError(f"不支持 {suffix or '无扩展名'} 格式：请提供 .txt、.md、.pdf 或 .docx 文件")
