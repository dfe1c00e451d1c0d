"""One email message to the fields Latido keeps: sender, subject, plain-text body, date and threading ids.

Pure functions over `email.message.EmailMessage` (parsed with `email.policy.default`), so the mbox
importer and IMAP fetching read messages the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage, Message
from html.parser import HTMLParser

_MSG_ID = re.compile(r"<[^<>\s]+>")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\f\v]+")

# Elements whose end starts a new line of text when HTML is flattened.
_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption"),
        *("figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav"),
        *("ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"),
    }
)
# Elements whose content is never text a person wrote.
_HIDDEN = frozenset({"script", "style", "head", "title", "template"})


@dataclass(frozen=True)
class MailFields:
    """What Latido keeps from one email."""

    sender_address: str
    """The From address, lowercased ("" when the message has none)."""
    sender_name: str
    subject: str
    body: str
    occurred_at: datetime | None
    """The Date header in UTC, or None when it is missing or unreadable."""
    message_id: str
    """The Message-ID with its angle brackets, or ""."""
    in_reply_to: str
    references: tuple[str, ...]
    recipients: tuple[str, ...]


class _TextExtractor(HTMLParser):
    """Collects the visible text of an HTML document; never fetches or renders anything."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML body: tags dropped, entities decoded, blocks on their own lines."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parser.parts).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _part_text(part: Message) -> str:
    """A text part's content; an unknown or lying charset degrades to replacement characters."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]  # EmailMessage parts under policy.default
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""


def message_body(message: EmailMessage) -> str:
    """The text/plain body, or the HTML body flattened to text when there is no plain part."""
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        return _part_text(plain).replace("\r\n", "\n").strip("\n")
    html = message.get_body(preferencelist=("html",))
    if html is not None:
        return html_to_text(_part_text(html))
    return ""


def first_message_id(value: str) -> str:
    """The first `<id>` in a header value such as In-Reply-To ("" if there is none)."""
    found = _MSG_ID.search(value)
    return found.group(0) if found else value.strip()


def _header(message: EmailMessage, name: str) -> str:
    """A header as text; a header the parser cannot make sense of reads as empty."""
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):
        return ""
    return "" if value is None else " ".join(str(value).split())


def _sender(message: EmailMessage) -> tuple[str, str]:
    try:
        header = message.get("from")
        addresses: tuple[Address, ...] = tuple(getattr(header, "addresses", ()) or ())
    except (ValueError, IndexError, TypeError):
        return "", ""
    for address in addresses:
        if address.addr_spec and "@" in address.addr_spec:
            return address.addr_spec.lower(), address.display_name.strip()
    return "", ""


def _recipients(message: EmailMessage) -> tuple[str, ...]:
    found: list[str] = []
    for name in ("to", "cc"):
        try:
            header = message.get(name)
            addresses: tuple[Address, ...] = tuple(getattr(header, "addresses", ()) or ())
        except (ValueError, IndexError, TypeError):
            continue
        found.extend(a.addr_spec.lower() for a in addresses if a.addr_spec)
    return tuple(found)


def _date(message: EmailMessage) -> datetime | None:
    try:
        header = message.get("date")
        value = getattr(header, "datetime", None)
    except (ValueError, IndexError, TypeError, OverflowError):
        return None
    if not isinstance(value, datetime):
        return None
    # RFC 5322 "-0000" means "offset unknown"; the parser returns it naive and UTC is the honest reading.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_message(message: EmailMessage) -> MailFields:
    """The fields Latido keeps from one message parsed with `email.policy.default`."""
    address, name = _sender(message)
    references = tuple(_MSG_ID.findall(_header(message, "references")))
    return MailFields(
        sender_address=address,
        sender_name=name,
        subject=_header(message, "subject"),
        body=message_body(message),
        occurred_at=_date(message),
        message_id=first_message_id(_header(message, "message-id")),
        in_reply_to=first_message_id(_header(message, "in-reply-to")),
        references=references,
        recipients=_recipients(message),
    )
