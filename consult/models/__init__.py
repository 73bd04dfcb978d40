"""All models, imported here so Alembic and the app see the whole schema."""

from consult.models.accounts import Department, DepartmentKind, Role, User

__all__ = ["Department", "DepartmentKind", "Role", "User"]
