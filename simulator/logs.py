"""One redaction for every log line: no secrets, emails or session ids, and one line per record.

`install()` wraps the logging module's record factory, so every record, from any logger
(ours, Flask, Flask-Limiter, gunicorn, SQLAlchemy) and for any handler (including handlers
added later, by a library or a test), is scrubbed once, where it is made. A filter on chosen
handlers would miss handlers someone adds afterwards. `RedactingFilter` applies the same
scrubbing to records made some other way (`logging.makeLogRecord`) on handlers we own.

The message is formatted when the record is made, then redacted, and control characters in it
are escaped, so a request path holding `%0a` cannot forge a second log line. Tracebacks keep
their line breaks but are redacted too. Redaction is by pattern: it catches the secrets the app
hands out where they travel (links, session ids, limiter keys) and, as a last net, long
random-looking strings; docs/privacy.md says what is logged.
"""

from __future__ import annotations

import logging
import re

LINK_MASK = "[token]"
REDACTED = "[redacted]"
EMAIL = "[email]"
SESSION = "[session]"

# One-time links carry their secret as the path segment after these prefixes.
_LINK = re.compile(r"(/(?:set-password|join|invitations?|reset|reset-password)/)"
                   r"[^/?#\s\"'<>\\\[\]]+")  # not "[token]" again, nor an escaped "\n"
# key=value pairs whose value is a secret: query strings, cookies, limiter keys, reprs.
_HIDDEN_KEYS = r"[\w-]*(?:token|secret|password|passwd|session|api[_-]?key|signature)"
_PAIR = re.compile(rf"(?i)\b({_HIDDEN_KEYS}=)[^&\s;,\"'<>)]+")
_QUOTED_PAIR = re.compile(rf"(?i)([\"']{_HIDDEN_KEYS}[\"']\s*:\s*[\"'])[^\"']*")
_BEARER = re.compile(r"(?i)\b(authorization:\s*(?:bearer|basic|token)?|bearer)\s*[^\s,;\"']{8,}")
_URL_PASSWORD = re.compile(r"(://[^:/\s@]+:)[^@\s/]+@")
_NOT_IN_EMAIL = r"\s@\"<>()\[\]{},;:/?#&=\\"  # the local part may hold ' (o'neil@...)
_EMAIL = re.compile(rf"[^{_NOT_IN_EMAIL}'][^{_NOT_IN_EMAIL}]*(?:@|%40)"
                    rf"(?:[^{_NOT_IN_EMAIL}'.]+\.)+[^{_NOT_IN_EMAIL}'.]+")
# Flask-Login's id in the session: "<user id>:<session token>" (simulator/auth/session.py).
_SESSION_ID = re.compile(r"(?<![\w.-])\d{1,10}:[A-Za-z0-9_-]{16,}")
_URLSAFE_RUN = re.compile(r"[A-Za-z0-9_-]{24,}")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_FORMATTER = logging.Formatter()


def _looks_random(run: str) -> bool:
    """A long url-safe string that is a token rather than a word, identifier or hex digest."""
    upper = sum(c.isupper() for c in run)
    lower = sum(c.islower() for c in run)
    if not upper or not lower:
        return False  # hex digests, kebab-case ids, snake_case names
    return any(c.isdigit() for c in run) or 4 * upper >= len(run)


def _random_run(match: re.Match) -> str:
    return REDACTED if _looks_random(match.group(0)) else match.group(0)


def redact(text: str) -> str:
    """`text` with secret links, key=value secrets, emails, session ids and tokens replaced."""
    text = _LINK.sub(rf"\1{LINK_MASK}", text)
    text = _PAIR.sub(rf"\1{REDACTED}", text)
    text = _QUOTED_PAIR.sub(rf"\1{REDACTED}", text)
    text = _BEARER.sub(rf"\1 {REDACTED}", text)
    text = _URL_PASSWORD.sub(rf"\1{REDACTED}@", text)
    text = _EMAIL.sub(EMAIL, text)
    text = _SESSION_ID.sub(SESSION, text)
    return _URLSAFE_RUN.sub(_random_run, text)


def _escape(match: re.Match) -> str:
    char = match.group(0)
    named = {"\n": "\\n", "\r": "\\r"}
    if char in named:
        return named[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def escape_controls(text: str) -> str:
    """`text` on one line: newlines and other control characters written as escapes."""
    return _CONTROL.sub(_escape, text)


def scrub(record: logging.LogRecord) -> logging.LogRecord:
    """Format, redact and flatten the record's message; redact its traceback. Idempotent."""
    if getattr(record, "redacted", False):
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 (a bad format string must not lose the line)
        message = f"{record.msg!s} {record.args!r}"
    record.msg, record.args = escape_controls(redact(message)), ()
    if record.exc_info and not record.exc_text:
        record.exc_text = _FORMATTER.formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record.redacted = True
    return record


class RedactingFilter(logging.Filter):
    """A handler filter that scrubs each record it passes (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        scrub(record)
        return True


def install(*handlers: logging.Handler) -> None:
    """Scrub every record from now on; also put the filter on `handlers` and the root's."""
    previous = logging.getLogRecordFactory()
    if not getattr(previous, "redacting", False):
        def factory(*args, **kwargs) -> logging.LogRecord:
            return scrub(previous(*args, **kwargs))

        factory.redacting = True  # type: ignore[attr-defined]
        logging.setLogRecordFactory(factory)
    for handler in (*logging.getLogger().handlers, *handlers):
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
