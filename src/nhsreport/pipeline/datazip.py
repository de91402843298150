"""``make datazip``: the data package as one versioned, reproducible zip for download.

It holds the files ``datapackage.json`` lists, the package itself, the codebook, the transcription
rules and the data licence, under a folder named after the version, with fixed timestamps so the
same data always give the same bytes. Its contents come from the package's resource list, never
from a glob, and every file passes the gate of :mod:`nhsreport.data.files` first: a file in data/
that the package does not list, or a listed path that leaves data/, stops it with the file named.

    python -m nhsreport.pipeline.datazip    # -> _build/nhsreport-data-<version>.zip
"""

import os
import sys
import zipfile
from pathlib import Path

from .. import paths
from ..data.errors import DataError, DataErrors
from ..data.files import PACKAGE_FILES, checked_path, read_checked, unlisted_errors
from ..data.load import read_package
from ..presentation.citation import load_metadata
from . import research_object

FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def members(data_dir=None):
    """(path on disk, name in the zip) for everything the zip holds, in name order.

    Raises :class:`~nhsreport.data.errors.DataErrors` naming every file that may not be published."""
    data = Path(data_dir or paths.DATA_DIR)
    package = read_package(data)
    licence = data.parent / "LICENSE-DATA"
    licence = licence if licence.exists() else paths.PROJECT_ROOT / "LICENSE-DATA"
    wanted = [(data, r["path"]) for r in package["resources"]]
    wanted += [(data, name) for name in PACKAGE_FILES] + [(licence.parent, licence.name)]
    errors = unlisted_errors(package, data)
    for folder, name in wanted:
        try:
            checked_path(folder, name)
        except DataError as error:
            errors.append(error)
    if errors:
        raise DataErrors(errors)
    return sorted(((folder / name, name) for folder, name in wanted), key=lambda pair: pair[1])


def add_member(archive, name, content):
    """One file in the zip, with a fixed time and mode, so the same data give the same bytes."""
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.external_attr = 0o644 << 16
    archive.writestr(info, content, compress_type=zipfile.ZIP_DEFLATED)


def write(destination=None, data_dir=None):
    version = load_metadata()["version"]
    destination = destination or paths.PROJECT_ROOT / "_build" / f"nhsreport-data-{version}.zip"
    destination.parent.mkdir(parents=True, exist_ok=True)
    folder = f"nhsreport-data-{version}"
    files = members(data_dir)  # before anything is written: a refused file leaves no zip
    crate_files = research_object.zip_members(data_dir)  # the crate and the outputs it lists
    partial = destination.with_name(destination.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path, name in files:
                content = read_checked(path.parent, path.name)  # bounded, and checked again
                add_member(archive, f"{folder}/{name}", content)
            for path, name in crate_files:
                add_member(archive, f"{folder}/{name}", path.read_bytes())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, destination)
    return destination


def main():
    try:
        print(write().relative_to(paths.PROJECT_ROOT), file=sys.stdout)
    except DataErrors as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
