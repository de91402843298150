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


def test_the_devcontainer_and_every_workflow_job_that_builds_use_one_python_image():
    image = devcontainer()["image"]
    assert image.startswith(f"python:{python_minor()}-")
    containers = {}
    for workflow in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
        containers.update({f"{workflow.name}:{name}": job.get("container") for name, job in jobs.items()})
    assert containers == {
        "ci.yml:test": image,
        "ci.yml:deploy": None,  # deploys the uploaded site, builds nothing
        "ci.yml:plain": None,  # macOS and Windows runners, which run no Linux container
        "release.yml:release": image,
        "reproducibility.yml:reproduce": image,
    }


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
