"""`make lock`: compile the hand-edited top-level lists into hash-locked requirement files.

    python -m nhsreport.pipeline.lock      # after editing requirements*.in (needs the package index)

Each ``requirements*.in`` names only what the project imports or runs itself, pinned exactly;
``uv pip compile --generate-hashes`` turns it into the ``requirements*.txt`` that the Makefile
installs with ``--require-hashes``: every package, each with the sha256 of every file the index
has for its version. A version already in a lock is kept unless the list asks for another (uv
prefers the versions of the existing output file), so a new dependency moves nothing else.

Each lock's header records the sha256 of its list and of the compile options
(:func:`input_stamp`), so ``tests/test_lock.py`` can tell, offline, that a list was edited or the
options changed without running ``make lock``. ``binder/requirements.txt`` is a copy of
``requirements.txt``: Binder builds from the same lock.
"""

import hashlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import environment, paths

# Every Python 3.11 from 3.11.5 on (soupsieve, a dependency of beautifulsoup4, needs 3.11.5), on
# any platform (--universal: markers for macOS and Windows, hashes of every wheel), so the lock
# serves the devcontainer, Binder and a reader's own machine alike.
COMMON_OPTIONS = ("--generate-hashes", "--universal", "--python-version", "3.11.5")
STAMP_PREFIX = "# compiled from "
HASH = re.compile(r"--hash=sha256:([0-9a-f]{64})\b")


@dataclass(frozen=True)
class Lock:
    source: str  # the hand-edited list
    target: str  # the compiled lock
    options: tuple = ()

    def compile_options(self):
        return (*COMMON_OPTIONS, *self.options)


LOCKS = (
    Lock("requirements-pip.in", "requirements-pip.txt"),
    Lock("requirements.in", "requirements.txt"),
    # Installed with --no-deps (the list says why), so compiled without dependencies.
    Lock("requirements-nodeps.in", "requirements-nodeps.txt", ("--no-deps",)),
)
BINDER_COPY = Path("binder") / "requirements.txt"


def input_stamp(lock, root=None):
    """The header line naming the list and the sha256 of its text and of the compile options."""
    root = Path(root or paths.PROJECT_ROOT)
    digest = hashlib.sha256((root / lock.source).read_bytes())
    digest.update("\0".join(lock.compile_options()).encode())
    return f"{STAMP_PREFIX}{lock.source}, sha256 of list and options: {digest.hexdigest()}"


def recorded_stamp(lock, root=None):
    """The stamp line that a lock file carries (None if it has none)."""
    root = Path(root or paths.PROJECT_ROOT)
    for line in (root / lock.target).read_text(encoding="utf-8").splitlines():
        if line.startswith(STAMP_PREFIX):
            return line
    return None


def requirements(text):
    """(name, version or None, hashes) of each requirement in a requirements file's text, the
    ``--hash`` continuation lines counted with the requirement above; names normalised (PEP 503)."""
    entries = []
    for line in text.splitlines():
        content = line.split("#", 1)[0].strip()
        if content.startswith("--hash=") and entries:
            entries[-1][2].extend(HASH.findall(content))
        elif content:
            match = environment.REQUIREMENT.match(line)
            name = canonical_name(match.group(1)) if match else content
            entries.append((name, match and match.group(2), HASH.findall(content)))
    return entries


def canonical_name(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def unhashed(lock, root=None):
    """The requirements of a lock that carry no sha256 hash, or are not pinned with ==."""
    root = Path(root or paths.PROJECT_ROOT)
    text = (root / lock.target).read_text(encoding="utf-8")
    return [name for name, version, hashes in requirements(text) if not (version and hashes)]


def unlocked_pins(lock, root=None):
    """The list's name==version pins that the lock does not pin to the same version."""
    root = Path(root or paths.PROJECT_ROOT)
    locked = {name: version for name, version, _ in requirements((root / lock.target).read_text("utf-8"))}
    wanted = requirements((root / lock.source).read_text(encoding="utf-8"))
    return [f"{name}=={version}" for name, version, _ in wanted if locked.get(name) != version]


def stale(root=None):
    """The locks whose recorded stamp differs from their list's and options' current one."""
    return [lock.target for lock in LOCKS if recorded_stamp(lock, root) != input_stamp(lock, root)]


def compile_lock(lock, root=None):
    """Run uv pip compile for one list, then put the input stamp under uv's header."""
    root = Path(root or paths.PROJECT_ROOT)
    command = [
        sys.executable, "-m", "uv", "pip", "compile", lock.source, "--output-file", lock.target,
        *lock.compile_options(), "--quiet", "--custom-compile-command", "make lock",
    ]  # fmt: skip
    subprocess.run(command, cwd=root, check=True)
    target = root / lock.target
    header, found, body = target.read_text(encoding="utf-8").partition("\n#    make lock\n")
    if not found:
        raise RuntimeError(f"{lock.target}: uv wrote no '#    make lock' header line")
    target.write_text(f"{header}\n#    make lock\n{input_stamp(lock, root)}\n{body}", encoding="utf-8")


def main():
    root = paths.PROJECT_ROOT
    for lock in LOCKS:
        compile_lock(lock, root)
    (root / BINDER_COPY).parent.mkdir(exist_ok=True)
    shutil.copyfile(root / "requirements.txt", root / BINDER_COPY)


if __name__ == "__main__":
    main()
