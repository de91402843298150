"""The ready environments: the devcontainer (Codespaces, VS Code) and Binder build the same
Python 3.11 with the same lock as `make`, and the devcontainer has Chromium for the browser tests.

No devcontainer JSON schema ships in a pinned package, so the file is parsed and its keys checked.
"""

import json
import os
import re
import tomllib

import yaml

from nhsreport import paths

ROOT = paths.PROJECT_ROOT


def devcontainer():
    return json.loads((ROOT / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8"))


def python_minor():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return re.fullmatch(r"==(3\.\d+)\.\*", pyproject["project"]["requires-python"]).group(1)


def test_the_devcontainer_is_the_reproducibility_checks_python_image():
    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "reproducibility.yml").read_text(encoding="utf-8")
    )
    image = devcontainer()["image"]
    assert image == workflow["jobs"]["reproduce"]["container"]
    assert image.startswith(f"python:{python_minor()}-")


def test_the_devcontainer_installs_chromium_then_the_makefiles_locked_environment():
    config = devcontainer()
    assert re.search(r"apt-get install .*\bchromium\b", config["onCreateCommand"])
    assert config["postCreateCommand"] == "make .venv/.installed"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "STAMP  := $(VENV)/.installed" in makefile and "VENV   := .venv" in makefile
    assert (
        config["customizations"]["vscode"]["settings"]["python.defaultInterpreterPath"] == ".venv/bin/python"
    )


def test_binder_builds_the_same_python_and_installs_the_project_without_dependencies():
    binder = ROOT / "binder"
    assert (binder / "runtime.txt").read_text(encoding="utf-8").strip() == f"python-{python_minor()}"
    post_build = (binder / "postBuild").read_text(encoding="utf-8")
    assert post_build.startswith("#!/bin/bash\n") and os.access(binder / "postBuild", os.X_OK)
    assert "pip install --quiet --no-deps --no-build-isolation -e ." in post_build
    assert sorted(p.name for p in binder.iterdir()) == ["postBuild", "requirements.txt", "runtime.txt"]
