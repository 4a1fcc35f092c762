"""Plain-text helpers for meta descriptions and structured data (no project imports)."""

from django.utils.html import strip_tags
from django.utils.text import Truncator

#: Google shows about 155–160 characters of a meta description; longer ones are cut mid-word.
DESCRIPTION_LENGTH = 155


def plain(html) -> str:
    """The text of a rich-text fragment or plain string, whitespace collapsed (``""`` for None)."""
    return " ".join(strip_tags(str(html or "")).split())


def trim(text, length: int = DESCRIPTION_LENGTH) -> str:
    """``text`` as plain text cut at a word boundary to at most ``length`` characters, "…" appended
    when cut."""
    return Truncator(plain(text)).chars(length, truncate="…")


def stream_text(stream_value) -> str:
    """The first text an editor wrote in a StreamField (a paragraph, or a hero/CTA/heading text),
    read from the stored JSON without converting any block (no query)."""
    for raw in getattr(stream_value, "raw_data", None) or []:
        value = raw.get("value") if isinstance(raw, dict) else None
        if isinstance(value, str) and raw.get("type") == "paragraph":
            text = plain(value)
        elif isinstance(value, dict):
            text = plain(value.get("text") or value.get("quote") or "")
        else:
            text = ""
        if text:
            return text
    return ""
