"""The software a result was made with: Python and every package pinned in requirements.txt.

One definition shared by the reproducibility appendix (which tabulates it) and the build (which
records it beside each output and in ``build-record.json``).
"""

import platform
import re
from importlib import metadata
from pathlib import Path

from packaging.markers import Marker

from . import paths

# name==version, then the lock's environment marker if any (``; sys_platform == 'darwin'``).
REQUIREMENT = re.compile(
    r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#\\]+)\s*(?:;\s*([^#\\]+?))?\s*(?:[\\#]|$)"
)


def pinned_requirements(path=None):
    """(name, pinned version) of every ``name==version`` line of requirements.txt that applies
    here (the lock also pins, under a marker, what only macOS, Windows or PyPy need), in file order."""
    path = Path(path or paths.PROJECT_ROOT / "requirements.txt")
    pins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = REQUIREMENT.match(line)
        if match and (not match.group(3) or Marker(match.group(3)).evaluate()):
            pins.append((match.group(1), match.group(2)))
    return pins


def installed_version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def python_version():
    return platform.python_version()


def package_versions(requirements=None):
    """Installed version of every pinned package (None if not installed), plus Python itself."""
    versions = {"python": python_version()}
    versions.update({name: installed_version(name) for name, _ in pinned_requirements(requirements)})
    return versions
