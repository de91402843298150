"""``make datazip``: the data package as one versioned, reproducible zip for download.

It holds every CSV, ``datapackage.json``, the codebook, the transcription rules and the data
licence, under a folder named after the version, with fixed timestamps so the same data always
give the same bytes.

    python -m nhsreport.build.datazip    # -> _build/nhsreport-data-<version>.zip
"""

import sys
import zipfile

from .. import paths
from ..presentation.citation import load_metadata
from . import research_object

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
EXTRA_FILES = ("README.md", "TRANSCRIPTION.md", "datapackage.json")


def members(data_dir=None):
    """(path on disk, name in the zip) for everything the zip holds, in name order."""
    data = data_dir or paths.DATA_DIR
    files = [*sorted(data.glob("*.csv")), *(data / name for name in EXTRA_FILES)]
    licence = data.parent / "LICENSE-DATA"
    files.append(licence if licence.exists() else paths.PROJECT_ROOT / "LICENSE-DATA")
    return sorted(((f, f.name) for f in files), key=lambda pair: pair[1])


def write(destination=None, data_dir=None):
    version = load_metadata()["version"]
    destination = destination or paths.PROJECT_ROOT / "_build" / f"nhsreport-data-{version}.zip"
    destination.parent.mkdir(parents=True, exist_ok=True)
    folder = f"nhsreport-data-{version}"
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, name in [*members(data_dir), *research_object.zip_members(data_dir)]:
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
    return destination


if __name__ == "__main__":
    print(write().relative_to(paths.PROJECT_ROOT), file=sys.stdout)
