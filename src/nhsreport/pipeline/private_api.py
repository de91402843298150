"""Every use of a private API of jupyter_client or Sphinx, in one module.

Written against the versions pinned in requirements.txt: **jupyter-client 8.10.0** and
**Sphinx 7.4.7** (with jupyter-book 1.0.4.post1). tests/test_private_api.py checks the shape of
every name used here (that it exists, and its signature) and fails, naming it, when an upgrade
changes one: then run the plain build (``make book PLAIN=1``, which uses none of this module),
and fix or drop the speed layer that broke (:mod:`nhsreport.pipeline.layers`).

Used by the speed layers only:

* warm kernels (:mod:`nhsreport.pipeline.warm_kernels`): ``KernelManager._async_launch_kernel``
  overridden, the provisioner's ``process``, ``pid``, ``pgid`` and ``cwd`` set, and
  ``_reconcile_connection_info`` called, as jupyter_client's own launch does;
* Sphinx set up ahead (:mod:`nhsreport.pipeline.sphinx_process`): ``Sphinx.build`` wrapped
  class-wide, so that the application, once set up, waits to be told to build;
* shared doctrees (:func:`share_doctrees`): ``StandardDomain._resolve_numref_xref`` overridden
  and ``env.get_doctree`` replaced while figures are numbered.
"""

# --- jupyter_client 8.10.0 ----------------------------------------------------------------------


def launching_with(manager_base, launch):
    """A subclass of ``manager_base`` (an ``AsyncKernelManager``) whose kernels are started by
    ``launch(kernel_cmd, env, cwd)``, which returns a ``subprocess.Popen``-like process, or None
    to let jupyter_client start that kernel itself."""

    class LaunchingManager(manager_base):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            cwd = kw.get("cwd")
            process = launch(kernel_cmd, kw.get("env"), cwd)
            if process is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            # What LocalProvisioner.launch_kernel records of the process it starts.
            provisioner = self.provisioner
            provisioner.process, provisioner.pid, provisioner.pgid = process, process.pid, process.pid
            provisioner.cwd = cwd
            self._reconcile_connection_info(provisioner.connection_info)

    return LaunchingManager


def kernel_process(manager):
    """The process (``subprocess.Popen`` or alike) a kernel manager's provisioner started, or None."""
    provisioner = manager.provisioner
    return getattr(provisioner, "process", None) if provisioner else None


# --- Sphinx 7.4.7: Sphinx set up ahead ------------------------------------------------------


def replace_sphinx_build(wrap):
    """Replace ``Sphinx.build`` for every application of this process by ``wrap(Sphinx.build)``."""
    from sphinx.application import Sphinx

    Sphinx.build = wrap(Sphinx.build)


# --- Sphinx 7.4.7: shared doctrees --------------------------------------------------------------


class SharedDoctrees:
    """The build environment, except that each document's doctree is unpickled once and shared.

    Sphinx unpickles a whole document to number its figures, and again to resolve each
    ``{numref}`` to it, only to read a few nodes. Numbering and references only read those
    nodes, and doctrees do not change once reading is over, so both are given the same copies
    (kept with the standard domain, one per build)."""

    def __init__(self, env):
        self._env = env
        self._doctrees = env.domains["std"].__dict__.setdefault("_shared_doctrees", {})

    def __getattr__(self, name):
        return getattr(self._env, name)

    def get_doctree(self, docname):
        from sphinx.environment import BuildEnvironment

        if docname not in self._doctrees:
            self._doctrees[docname] = BuildEnvironment.get_doctree(self._env, docname)
        return self._doctrees[docname]


def sharing_domain():
    """The standard domain, resolving numbered references against shared read-only doctrees."""
    from sphinx.domains.std import StandardDomain

    class StandardDomainSharingDoctrees(StandardDomain):
        def _resolve_numref_xref(self, env, *arguments):
            return super()._resolve_numref_xref(SharedDoctrees(env), *arguments)

    return StandardDomainSharingDoctrees


def share_doctrees_while_numbering(app, env):
    """Sphinx numbers the figures (its toctree collector, listening at the default priority)
    when every page has been read: let it read the shared doctrees."""
    env.get_doctree = SharedDoctrees(env).get_doctree
    return []


def stop_sharing_doctrees(app, env):
    """Writing a page changes its doctree: from here on each reader unpickles its own."""
    env.__dict__.pop("get_doctree", None)
    return []


def share_doctrees(app):
    """Set up the shared doctrees in a Sphinx application (a Sphinx extension's ``setup``)."""
    app.add_domain(sharing_domain(), override=True)
    app.connect("env-get-updated", share_doctrees_while_numbering, priority=100)
    app.connect("env-get-updated", stop_sharing_doctrees, priority=900)
