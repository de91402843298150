"""The gate in front of ``data/``: only what ``datapackage.json`` lists, inside the folder, is read.

File names and symlinks are untrusted input (git stores a symlink as readily as a file), so every
path is resolved and checked before a byte of the file is read: it must stay inside ``data/`` and
name a regular file no larger than :data:`MAX_FILE_BYTES`. The read itself is bounded too, so a
file swapped for a device or a growing file between the check and the read is refused, not read
whole. Refusals name the file and the rule and never quote the file's content.
"""

import os
import re
import stat
from pathlib import Path

from .errors import DataError

# The largest file data/ may hold. The largest today (datapackage.json) is under 150 KB; anything
# far larger is a mistake or a path aimed at a device or a log, refused before it is read.
MAX_FILE_BYTES = 8 * 2**20

# What data/ holds besides the resources (all published in the data zip with them).
PACKAGE_FILES = ("datapackage.json", "README.md", "TRANSCRIPTION.md")

# Folders that Jupyter and Python leave beside files they open (both in .gitignore): never read,
# never published, so not worth stopping a build for.
TOOL_FOLDERS = (".ipynb_checkpoints", "__pycache__")


# A file name is shown in pages, downloads, the catalogue and the provenance: letters, digits,
# dot, dash and underscore only, in each folder of the path (no markup, role, quote or space).
PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def checked_path(data_dir, relative):
    """The real path of ``data_dir/relative``, or a DataError naming the rule it breaks.

    Nothing is opened: the path is resolved (following symlinks), its name checked and its
    status read."""
    folder = Path(data_dir).resolve()
    path = folder / relative
    try:
        real = path.resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL in the name
        raise DataError(relative, "inside data/", "the path cannot be resolved") from None
    if not real.is_relative_to(folder):
        how = "is a symlink to a file" if path.is_symlink() else "names a file"
        raise DataError(
            relative, "inside data/", f"the path {how} outside data/; only files in data/ are read"
        )
    if not all(PLAIN_NAME.fullmatch(part) for part in str(relative).split("/")):
        raise DataError(
            ascii(str(relative)),
            "plain file name",
            "a data file's path may hold only letters, digits, '.', '-', '_' and '/'",
        )
    try:
        status = real.stat()
    except FileNotFoundError:
        raise DataError(relative, "file exists", "no such file in data/") from None
    except OSError as error:
        raise DataError(relative, "readable file", f"cannot read the file: {error.strerror}") from None
    refuse_irregular(relative, status)
    return real


def refuse_irregular(relative, status):
    if not stat.S_ISREG(status.st_mode):
        raise DataError(relative, "regular file", "not a regular file (a folder, device or pipe)")
    refuse_oversized(relative, status.st_size)


def refuse_oversized(relative, size):
    if size > MAX_FILE_BYTES:
        raise DataError(
            relative,
            "size limit",
            f"{size} bytes; a data file may hold at most {MAX_FILE_BYTES} (MAX_FILE_BYTES)",
        )


def read_checked(data_dir, relative):
    """The bytes of ``data_dir/relative`` once :func:`checked_path` accepts it, read with a bound."""
    real = checked_path(data_dir, relative)
    try:  # no symlink may appear since the check, and opening a pipe must not wait for a writer
        descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        raise DataError(relative, "readable file", f"cannot read the file: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as handle:
        refuse_irregular(relative, os.fstat(handle.fileno()))
        content = handle.read(MAX_FILE_BYTES + 1)
    refuse_oversized(relative, len(content))  # it may have grown since the check
    return content


def listed(package):
    """The relative paths data/ may hold: every resource's and the package's own files."""
    return {os.path.normpath(r["path"]) for r in package["resources"]} | set(PACKAGE_FILES)


def unlisted_errors(package, data_dir):
    """A DataError for each file (or symlink) in data/ that the package does not list.

    Symlinked folders are named, not entered: nothing outside data/ is even listed."""
    allowed, errors = listed(package), []
    for folder, subfolders, names in os.walk(data_dir):
        here = Path(folder)
        subfolders[:] = [s for s in subfolders if s not in TOOL_FOLDERS]
        entries = names + [s for s in subfolders if (here / s).is_symlink()]
        for name in sorted(entries):
            relative = os.path.relpath(here / name, data_dir)
            if relative not in allowed:
                errors.append(
                    DataError(
                        relative,
                        "listed in datapackage.json",
                        "the file is in data/ but datapackage.json does not list it: "
                        "add it as a resource (then `make datapackage`) or remove it",
                    )
                )
    return errors
