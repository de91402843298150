"""Files written whole or not at all.

Each write goes to a temporary file in the destination's own folder, which is then renamed over
the destination: a rename within one folder is atomic, so a reader (or a build killed mid-write,
or a full disk) sees the old file or the new one, never half of one. No fsync: the guard is
against a process that stops, not against the machine losing power.
"""

import os
import tempfile
from pathlib import Path

#: Mode of a file written here when there is no old file to take it from (as umask 022 gives).
NEW_FILE_MODE = 0o644


def write_bytes(path, data):
    """Replace ``path`` with ``data`` in one step (keeping the old file's permissions)."""
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else NEW_FILE_MODE
    handle = tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(data)
        os.chmod(handle.name, mode)
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_text(path, text):
    """Replace ``path`` with ``text`` in UTF-8, newlines as given, in one step."""
    write_bytes(path, text.encode("utf-8"))
