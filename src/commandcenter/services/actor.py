"""The acting user, as every service call receives it."""

from __future__ import annotations

from dataclasses import dataclass

from commandcenter.db.models import Role, User


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    display_name: str
    role: Role | None

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username, user.display_name, user.role)

    @property
    def label(self) -> str:
        role = f"（{self.role.label}）" if self.role else ""
        return f"{self.display_name}{role}"


# The application itself, for work no person does: first-run setup, migrations, demo data.
SYSTEM = Actor(user_id=None, username="system", display_name="系统", role=None)
