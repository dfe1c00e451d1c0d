"""Who works in Latido: the small queries about users."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import User


def user_by_name(session: Session, *, name: str) -> User | None:
    """The user called `name`, or None."""
    return session.exec(select(User).where(User.name == name)).first()
