"""One-time set-password links. Only a SHA-256 hash of each token is stored; nothing commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from simulator.audit import record
from simulator.models import SetPasswordToken, User, utcnow
from simulator.users import UserError, check_new_password, set_password

TOKEN_BYTES = 32
DEFAULT_TTL = timedelta(days=7)
# Far longer than any token we issue; anything longer is refused before it is hashed.
MAX_TOKEN_LENGTH = 200
INVALID_LINK = ("This link can no longer be used: it has expired, it was already used, or a newer "
                "link replaced it.")
INACTIVE = "{email} is switched off, so a link would not work. Switch the account on first."


class TokenError(ValueError):
    """A link cannot be used. One message for every reason, so a guess learns nothing."""

    def __init__(self) -> None:
        super().__init__(INVALID_LINK)


def hash_token(raw: str) -> str:
    """The stored form of a token: its SHA-256 digest in hex."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def set_password_path(raw: str) -> str:
    """The site-relative path of the page that redeems `raw`."""
    return f"/set-password/{raw}"


def issue_token(*, session: Session, user: User, ttl: timedelta = DEFAULT_TTL) -> str:
    """Store a new link for `user` (not committed), revoking older unused ones; return the token."""
    if ttl <= timedelta(0):
        raise ValueError("A link must live for some time; give a positive ttl.")
    if user.id is None:
        session.flush()
    session.exec(delete(SetPasswordToken).where(
        col(SetPasswordToken.user_id) == user.id, col(SetPasswordToken.used_at).is_(None)
    ))
    raw, now = secrets.token_urlsafe(TOKEN_BYTES), utcnow()
    session.add(SetPasswordToken(
        user_id=user.id, token_hash=hash_token(raw), created_at=now, expires_at=now + ttl,
    ))
    return raw


def reissue_token(*, session: Session, user: User, actor_id: int | None, via: str) -> str:
    """A fresh link for an existing account, for recovery (not committed); earlier ones die.

    Raises UserError for a switched-off account. The audit event never holds the token.
    """
    if not user.active:
        raise UserError(INACTIVE.format(email=user.email))
    raw = issue_token(session=session, user=user)
    record(session, actor_id=actor_id, action="user.reset_link", object_type="user",
           object_id=str(user.id), via=via)
    return raw


def _usable(session: Session, raw: str) -> tuple[SetPasswordToken, User]:
    """The unused, unexpired token and its active user; TokenError otherwise."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        raise TokenError()
    token = session.exec(
        select(SetPasswordToken).where(SetPasswordToken.token_hash == hash_token(raw))
    ).first()
    if token is None or token.used_at is not None or token.expires_at <= utcnow():
        raise TokenError()
    user = session.get(User, token.user_id)
    if user is None or not user.active:
        raise TokenError()
    return token, user


def user_for_token(*, session: Session, raw: str) -> User:
    """The user a still-usable link belongs to; raises TokenError otherwise."""
    return _usable(session, raw)[1]


def redeem_token(*, session: Session, raw: str, password: str) -> User:
    """Set the password through a link and use the link up (not committed).

    Raises TokenError for an unusable link and UserError for an unacceptable password.
    """
    token, user = _usable(session, raw)
    check_new_password(password)  # before the claim, so a short password leaves the link usable
    # Claim the token with a conditional update so two simultaneous uses cannot both succeed.
    claimed = session.exec(
        update(SetPasswordToken)
        .where(col(SetPasswordToken.id) == token.id, col(SetPasswordToken.used_at).is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        raise TokenError()
    set_password(user, password)
    session.add(user)
    record(session, actor_id=user.id, action="user.set_password", object_type="user",
           object_id=str(user.id), via="link")
    return user
