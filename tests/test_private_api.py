"""The private APIs of jupyter_client and Sphinx that the speed layers use are all in one module,
nhsreport.pipeline.private_api, and still have the shape it was written against.

When one of these fails after an upgrade, the message names what changed: run the plain build
(`make book PLAIN=1`, which uses none of them), then fix or drop the layer (README, "Speed layers").
"""

import inspect
import re
from pathlib import Path

import pytest

from nhsreport import paths
from nhsreport.pipeline import private_api

MODULE = Path(private_api.__file__)
#: Every private name the module uses, as it is written in the source.
PRIVATE_NAMES = (
    "_async_launch_kernel",
    "_reconcile_connection_info",
    "provisioner.process",
    "provisioner.pid",
    "provisioner.pgid",
    "Sphinx.build",
    "_resolve_numref_xref",
    "get_doctree",
)


def pinned(distribution):
    """The version requirements.txt pins for a distribution."""
    text = (paths.PROJECT_ROOT / "requirements.txt").read_text(encoding="utf-8")
    return re.search(rf"^{re.escape(distribution)}==(\S+)", text, re.M | re.I).group(1)


def parameters(function):
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]


def assert_shape(owner, name, expected, version):
    """``owner.name`` exists and takes exactly the ``expected`` parameters (name, kind)."""
    function = getattr(owner, name, None)
    assert function is not None, (
        f"{owner.__module__}.{owner.__qualname__}.{name} is gone (nhsreport.pipeline.private_api was "
        f"written against {version}): run `make book PLAIN=1`, then fix or drop the speed layer"
    )
    assert parameters(function) == expected, (
        f"{owner.__module__}.{owner.__qualname__}.{name} changed its signature to "
        f"{inspect.signature(function)} (nhsreport.pipeline.private_api was written against {version}): "
        "run `make book PLAIN=1`, then fix or drop the speed layer"
    )


P, KW, VAR_KW = (
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.KEYWORD_ONLY,
    inspect.Parameter.VAR_KEYWORD,
)
JUPYTER_CLIENT = f"jupyter-client {pinned('jupyter-client')}"
SPHINX = f"Sphinx {pinned('sphinx')}"


def test_the_module_names_the_pinned_versions_it_was_written_against():
    for version in (JUPYTER_CLIENT, SPHINX):
        assert version in MODULE.read_text(encoding="utf-8"), (
            f"requirements.txt pins {version}, which nhsreport.pipeline.private_api does not name: "
            "check the shapes this test checks, then update its docstring"
        )


def project_modules():
    return sorted((paths.PROJECT_ROOT / "src" / "nhsreport").rglob("*.py"))


@pytest.mark.parametrize("name", PRIVATE_NAMES)
def test_no_other_module_reaches_into_a_private_api(name):
    elsewhere = [
        str(module.relative_to(paths.PROJECT_ROOT))
        for module in project_modules()
        if module != MODULE and name in module.read_text(encoding="utf-8")
    ]
    assert not elsewhere, f"{name} is used outside nhsreport.pipeline.private_api: {elsewhere}"
    assert name in MODULE.read_text(encoding="utf-8"), f"{name} is no longer used: drop it from this test"


def test_jupyter_client_launches_kernels_as_the_warm_kernels_expect():
    from jupyter_client.connect import ConnectionFileMixin
    from jupyter_client.manager import AsyncKernelManager

    assert_shape(
        AsyncKernelManager,
        "_async_launch_kernel",
        [("self", P), ("kernel_cmd", P), ("kw", VAR_KW)],
        JUPYTER_CLIENT,
    )
    assert inspect.iscoroutinefunction(AsyncKernelManager._async_launch_kernel), (
        f"AsyncKernelManager._async_launch_kernel is no longer a coroutine ({JUPYTER_CLIENT} expected)"
    )
    assert_shape(
        ConnectionFileMixin, "_reconcile_connection_info", [("self", P), ("info", P)], JUPYTER_CLIENT
    )
    launch = inspect.getsource(AsyncKernelManager._async_launch_kernel)
    assert "provisioner.launch_kernel" in launch and "_reconcile_connection_info" in launch, (
        f"AsyncKernelManager._async_launch_kernel no longer launches through the provisioner and "
        f"reconciles the connection info, as nhsreport.pipeline.private_api.launching_with does ({JUPYTER_CLIENT})"
    )


def test_the_local_provisioner_records_its_process_where_the_warm_kernels_set_it():
    from jupyter_client.provisioning import LocalProvisioner

    recorded = inspect.getsource(LocalProvisioner.launch_kernel)
    for attribute in ("process", "pid", "pgid", "cwd"):
        assert hasattr(LocalProvisioner, attribute) and f"self.{attribute} = " in recorded, (
            f"LocalProvisioner.launch_kernel no longer records self.{attribute} "
            f"(nhsreport.pipeline.private_api was written against {JUPYTER_CLIENT})"
        )


def test_sphinx_builds_as_the_setup_ahead_expects():
    """The wrapped ``Sphinx.build`` takes what jupyter-book passes it."""
    from sphinx.application import Sphinx

    assert_shape(Sphinx, "build", [("self", P), ("force_all", P), ("filenames", P)], SPHINX)


def test_sphinx_numbers_and_resolves_references_as_shared_doctrees_expect():
    from sphinx.domains.std import StandardDomain
    from sphinx.environment import BuildEnvironment

    names = ["self", "env", "fromdocname", "builder", "typ", "target", "node", "contnode"]
    assert_shape(StandardDomain, "_resolve_numref_xref", [(name, P) for name in names], SPHINX)
    assert_shape(BuildEnvironment, "get_doctree", [("self", P), ("docname", P)], SPHINX)
    assert "get_doctree" in inspect.getsource(StandardDomain._resolve_numref_xref), (
        f"StandardDomain._resolve_numref_xref no longer reads doctrees through env.get_doctree ({SPHINX}): "
        "sharing them would change nothing"
    )
