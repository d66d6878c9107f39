"""Whose catalog a question searches: the district's one shared catalog, or only its own workspace's.

With ``KINDRED_CATALOG_SCOPE=workspace`` a resource a teacher shared is suggested only in the workspace it was
shared in (kept on the resource, so it stays there after the sharer is forgotten); resources nobody shared
(imported district resources, the sample catalog) stay visible to all. Applied to the candidates the
suggester loads, so the over-fetch simply looks further when some are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from bot.domain.resources import Resource

CatalogScope = Literal["shared", "workspace"]
SHARED: CatalogScope = "shared"
WORKSPACE: CatalogScope = "workspace"


def in_scope(
    resources: Mapping[int, Resource], scope: CatalogScope, workspace_id: str | None
) -> dict[int, Resource]:
    """The candidates an asker in ``workspace_id`` may be shown under ``scope``."""
    if scope == SHARED:
        return dict(resources)
    return {
        resource_id: resource
        for resource_id, resource in resources.items()
        if resource.workspace_id in (None, workspace_id)
    }
