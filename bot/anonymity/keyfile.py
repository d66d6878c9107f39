"""The identity key: ``KINDRED_IDENTITY_KEY`` when set, else a key file Kindred creates in the data dir.

Anonymous asking then works out of the box. The file sits beside the data: whoever can read both can open
escrowed identities, and losing the file loses them — see docs/anonymity-key.md for the trade-off.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from cryptography.fernet import Fernet

log = logging.getLogger(__name__)
KEY_FILE = "identity.key"


def key_path(data_dir: Path) -> Path:
    return Path(data_dir) / KEY_FILE


def resolve_identity_key(env_key: str | None, data_dir: Path | None) -> str | None:
    """The key to use: the environment's (always wins), else the data dir's file, made on first start."""
    if env_key:
        return env_key
    if data_dir is None:
        return None
    path = key_path(data_dir)
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    try:
        write_key_file(path, Fernet.generate_key().decode(), exclusive=True)
    except FileExistsError:  # another process started at the same moment and made it
        return _read(path)
    except OSError as exc:
        log.error("identity key file not created; anonymous asking is off", extra={"error": str(exc)})
        return None
    log.warning(
        "created the identity key for anonymous asking at %s — back it up together with the database: "
        "without it no escrowed identity can be opened (set KINDRED_IDENTITY_KEY to keep it elsewhere)",
        path,
    )
    return _read(path)


def write_key_file(path: Path, key: str, exclusive: bool = False) -> None:
    """Write ``key`` readable by this user only (0600), replacing atomically unless ``exclusive``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    target = path if exclusive else path.with_name(path.name + ".tmp")
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(target, flags, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(target, 0o600)
    if not exclusive:
        os.replace(target, path)


def _read(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("identity key file is readable by others; chmod 600 it", extra={"path": str(path)})
    return path.read_text().strip()
