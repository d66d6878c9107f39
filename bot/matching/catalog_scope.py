"""Whose catalog a question searches: the district's one shared catalog, or only its own workspace's.

With ``KINDRED_CATALOG_SCOPE=workspace`` a resource a teacher shared is suggested only in the sharer's
workspace; resources nobody shared (imported district resources, the sample catalog) stay visible to all.
Applied to the candidates the suggester loads, so the over-fetch simply looks further when some are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.domain.resources import Resource
from bot.storage.models import TeacherRow

CatalogScope = Literal["shared", "workspace"]
SHARED: CatalogScope = "shared"
WORKSPACE: CatalogScope = "workspace"


def in_scope(
    session: Session, resources: Mapping[int, Resource], scope: CatalogScope, workspace_id: str | None
) -> dict[int, Resource]:
    """The candidates an asker in ``workspace_id`` may be shown under ``scope``."""
    if scope == SHARED:
        return dict(resources)
    sharers = {r.shared_by for r in resources.values() if r.shared_by is not None}
    homes: dict[int, str | None] = {}
    if sharers:
        query = select(TeacherRow.id, TeacherRow.workspace_id).where(TeacherRow.id.in_(sharers))
        homes = {int(teacher_id): workspace for teacher_id, workspace in session.execute(query)}
    return {
        resource_id: resource
        for resource_id, resource in resources.items()
        if resource.shared_by is None or homes.get(resource.shared_by) in (None, workspace_id)
    }
