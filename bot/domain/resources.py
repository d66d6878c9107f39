"""Resources in the shared catalog."""

from __future__ import annotations

from dataclasses import dataclass

RESOURCE_KINDS: tuple[str, ...] = (
    "lesson",
    "activity",
    "game",
    "video",
    "article",
    "template",
    "assessment",
    "tool",
    "book",
    "routine",
    "link",
)


@dataclass(frozen=True)
class Resource:
    """A grab n' go resource: something a teacher can open and use today."""

    id: int
    title: str
    url: str | None = None
    description: str = ""
    subjects: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kind: str = "link"
    shared_by: int | None = None
    workspace_id: str | None = None  # where it was shared; None for the district's imported catalog

    @property
    def behaves_as(self) -> str:
        """The built-in kind logic uses: a district's own kind ("lesson plan", "protocol") acts as a link."""
        return self.kind if self.kind in RESOURCE_KINDS else "link"

    @property
    def own_kind(self) -> str | None:
        """The kind as the district wrote it, when it is not a built-in one (shown on the card)."""
        return None if self.kind in RESOURCE_KINDS else self.kind

    def embedding_text(self) -> str:
        """The text embedded for semantic search."""
        parts = [self.title, self.description]
        if self.tags:
            parts.append("Topics: " + ", ".join(self.tags))
        return ". ".join(p for p in parts if p)
