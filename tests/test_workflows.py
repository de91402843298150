"""The GitHub workflows are valid and do what the README says: test every push, deploy main, release
tags, and rebuild the report every week to check that it still reproduces.

Validation uses check-jsonschema's vendored copy of the GitHub workflow schema
(``--builtin-schema vendor.github-workflows``), so it needs no network: the test runs it with
proxies pointing nowhere to prove that.
"""

import os
import re
import subprocess
import sys

import pytest
import yaml

from nhsreport import paths

WORKFLOWS = paths.PROJECT_ROOT / ".github" / "workflows"
MAIN_ONLY = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


def check_workflows(*files):
    """check-jsonschema against the vendored GitHub workflow schema, offline: (exit code, output)."""
    unreachable = "http://127.0.0.1:9"
    env = {**os.environ, "HTTP_PROXY": unreachable, "HTTPS_PROXY": unreachable, "NO_PROXY": ""}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def load(name):
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as true
    return workflow


def steps(job):
    return job["steps"]


def runs(job):
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job, action):
    found = [step for step in steps(job) if step.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"{action} used {len(found)} times"
    return found[0]


def test_every_workflow_is_a_valid_github_workflow():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["ci.yml", "release.yml", "reproducibility.yml"]
    code, output = check_workflows(*files)
    assert code == 0, output


@pytest.mark.parametrize(
    "text",
    [
        "name: broken\non: push\njobs:\n  test:\n    steps:\n      - run: echo no runner\n",
        "name: broken\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: run this\n",
        "name: broken\non: [pushed]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n",
    ],
    ids=["no-runs-on", "steps-not-a-list", "unknown-event"],
)
def test_the_schema_check_rejects_a_broken_workflow(tmp_path, text):
    broken = tmp_path / "broken.yml"
    broken.write_text(text, encoding="utf-8")
    code, output = check_workflows(broken)
    assert code == 1, output
    assert "broken.yml" in output


def test_ci_runs_the_ci_script_on_every_push_and_pull_request():
    ci = load("ci.yml")
    assert set(ci["on"]) >= {"push", "pull_request"}
    assert ci["on"]["push"] is None and ci["on"]["pull_request"] is None  # no branch filters
    test = ci["jobs"]["test"]
    assert ".ci/run" in runs(test)
    assert "if" not in test


def test_ci_deploys_the_built_site_to_pages_from_main_only():
    ci = load("ci.yml")
    assert ci["permissions"] == {"contents": "read"}
    test, deploy = ci["jobs"]["test"], ci["jobs"]["deploy"]
    upload = uses(test, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_build/html" and upload["if"] == MAIN_ONLY
    assert any(step.get("run") == "make book" and step.get("if") == MAIN_ONLY for step in steps(test))
    assert deploy["needs"] == "test" and deploy["if"] == MAIN_ONLY
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy, "actions/deploy-pages")["id"] == "deployment"


def test_every_workflow_publishes_the_site_a_local_make_book_builds():
    """No workflow builds the PDF in a step of its own: `make book` puts it into the site, so the
    published site and release are the local one. The release attaches the site's own PDF."""
    for workflow in sorted(WORKFLOWS.glob("*.yml")):
        for job in load(workflow.name)["jobs"].values():
            assert "make pdf" not in runs(job) if "steps" in job else True, workflow.name
    release = load("release.yml")["jobs"]["release"]
    files = uses(release, "softprops/action-gh-release")["with"]["files"].strip().splitlines()
    assert "_build/html/nhsreport-${{ steps.version.outputs.version }}.pdf" in files
    plain = runs(load("ci.yml")["jobs"]["plain"])
    assert plain.index("playwright install chromium") < plain.index("nhsreport.pipeline.book --plain")


def test_release_validates_the_citation_writes_zenodo_json_and_attaches_the_data_zip():
    release = load("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    job = release["jobs"]["release"]
    assert job["permissions"] == {"contents": "write"}
    commands = runs(job)
    assert "cffconvert --validate --infile CITATION.cff" in commands
    assert "nhsreport.pipeline.release_files write" in commands
    assert "git diff --exit-code -- .zenodo.json CITATION.cff" in commands
    assert 'test "${GITHUB_REF_NAME}" = "v${version}"' in commands
    assert commands.index("make book") < commands.index("make datazip")
    files = uses(job, "softprops/action-gh-release")["with"]["files"].strip().splitlines()
    assert "_build/nhsreport-data-${{ steps.version.outputs.version }}.zip" in files
    assert ".zenodo.json" in files


def test_the_release_installs_the_cffconvert_version_pinned_in_the_project():
    """The release's command that reads the pin from the hash lock gives exactly name==version."""
    from nhsreport.pipeline.lock import requirements

    pins = (paths.PROJECT_ROOT / "requirements-nodeps.txt").read_text(encoding="utf-8")
    [version] = [version for name, version, _ in requirements(pins) if name == "cffconvert"]
    commands = runs(load("release.yml")["jobs"]["release"])
    [pin_command] = re.findall(r'pip install --quiet "\$\((grep [^)]*requirements-nodeps\.txt)\)"', commands)
    result = subprocess.run(
        ["bash", "-c", pin_command], cwd=paths.PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout == f"cffconvert=={version}\n", result.stdout


def readme_commands():
    """The commands of the README's "The two commands" block."""
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## The two commands", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


def test_the_reproducibility_check_runs_weekly_and_on_demand():
    workflow = load("reproducibility.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    [schedule] = workflow["on"]["schedule"]
    minute, hour, day_of_month, month, day_of_week = schedule["cron"].split()
    assert (day_of_month, month) == ("*", "*") and day_of_week.isdigit() and hour.isdigit()


def test_the_reproducibility_check_runs_the_readmes_two_commands_on_a_fresh_checkout_with_chromium():
    job = load("reproducibility.yml")["jobs"]["reproduce"]
    commands = runs(job)
    assert readme_commands() == ["make book", "make test"]
    assert [step.get("run") for step in steps(job) if step.get("id") in ("book", "test")] == readme_commands()
    assert "apt-get install" in commands and "chromium" in commands.split("make book")[0]
    assert steps(job).index(uses(job, "actions/checkout")) < [s.get("id") for s in steps(job)].index("book")


def test_the_reproducibility_check_compares_the_outputs_with_the_commit_the_manifest_and_the_crate():
    job = load("reproducibility.yml")["jobs"]["reproduce"]
    commands = runs(job)
    assert "git status --porcelain -- chapters figures" in commands
    assert ".venv/bin/python -m nhsreport.pipeline.verify_outputs --site _build/html" in commands
    for step in steps(job)[-4:-1]:  # the three checks run even when `make test` failed
        assert step["if"] == "${{ !cancelled() && steps.book.outcome == 'success' }}", step["name"]
    assert commands.count('>> "$GITHUB_STEP_SUMMARY"') == 2


def test_the_reproducibility_check_checks_the_sites_external_links_with_lychee():
    job = load("reproducibility.yml")["jobs"]["reproduce"]
    links = uses(job, "lycheeverse/lychee-action")
    assert links["uses"].split("@")[1] == "v2"
    assert "'_build/html/**/*.html'" in links["with"]["args"] and links["with"]["fail"] is True


def test_the_reproducibility_check_opens_an_issue_when_it_fails():
    workflow = load("reproducibility.yml")
    assert workflow["permissions"] == {"contents": "read"}
    job = workflow["jobs"]["reproduce"]
    assert job["permissions"] == {"contents": "read", "issues": "write"}
    report = uses(job, "actions/github-script")
    assert report is steps(job)[-1] and report["if"] == "${{ failure() }}"
    assert "github.rest.issues.create" in report["with"]["script"]
    assert "_build/report/summary.md" in report["with"]["script"]


def test_ci_runs_the_plain_build_and_the_data_tests_on_macos_and_windows():
    job = load("ci.yml")["jobs"]["plain"]
    assert job["runs-on"] == "${{ matrix.os }}"
    assert sorted(job["strategy"]["matrix"]["os"]) == ["macos-latest", "windows-latest"]
    setup = uses(job, "actions/setup-python")
    assert str(setup["with"]["python-version"]) == "3.11"
    installs = [line for line in runs(job).splitlines() if "pip install" in line and " -r " in line]
    assert len(installs) == 3 and all("--require-hashes" in line for line in installs)
    assert "python -m nhsreport.pipeline.book --plain" in runs(job)
    tests = next(line for line in runs(job).splitlines() if "pytest" in line)
    assert "-p no:nbval" in tests and "--nbval" not in tests
    assert "tests/test_data_validation.py tests/test_hostile_data.py" in tests
