"""Write or check the release files generated from metadata.yml: CITATION.cff and .zenodo.json.

    python -m nhsreport.pipeline.release_files write     # after editing metadata.yml
    python -m nhsreport.pipeline.release_files check     # exit 1 when a committed file is stale
    python -m nhsreport.pipeline.release_files version   # print the version (the release workflow
                                                      # compares it with the tag)

Zenodo's GitHub integration reads ``.zenodo.json`` from the tagged commit, so both files are
committed; the release workflow runs ``check`` so a tag can only be released when they agree with
metadata.yml.
"""

import argparse
import sys
from pathlib import Path

from .. import paths
from ..presentation import citation


def generated(root=None):
    """{file name: text} for every file generated from metadata.yml."""
    root = Path(root or paths.PROJECT_ROOT)
    metadata = citation.load_metadata(root)
    return {"CITATION.cff": citation.cff_text(metadata), ".zenodo.json": citation.zenodo_text(metadata)}


def stale(root=None):
    """Names of the generated files whose committed text differs from what metadata.yml gives."""
    root = Path(root or paths.PROJECT_ROOT)
    return [
        name
        for name, text in generated(root).items()
        if not (root / name).exists() or (root / name).read_text(encoding="utf-8") != text
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["write", "check", "version"])
    parser.add_argument("--root", default=None, help="project folder (default: this project)")
    args = parser.parse_args(argv)
    root = Path(args.root or paths.PROJECT_ROOT)
    if args.command == "version":
        print(citation.load_metadata(root)["version"])
        return 0
    if args.command == "write":
        for name, text in generated(root).items():
            (root / name).write_text(text, encoding="utf-8")
            print(f"wrote {name}")
        return 0
    names = stale(root)
    for name in names:
        print(f"{name} is stale: run python -m nhsreport.pipeline.release_files write", file=sys.stderr)
    return 1 if names else 0


if __name__ == "__main__":
    sys.exit(main())
