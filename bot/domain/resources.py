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

    def embedding_text(self) -> str:
        """The text embedded for semantic search."""
        parts = [self.title, self.description]
        if self.tags:
            parts.append("Topics: " + ", ".join(self.tags))
        return ". ".join(p for p in parts if p)
