"""The report as an RO-Crate: ``ro-crate-metadata.json`` in the site root and in the data zip.

The crate (RO-Crate 1.3, Process Run Crate 0.5) says what the report is (the root dataset: title,
version, licences and authors from ``metadata.yml``), lists every data file (with its sha256,
licence and description from ``data/datapackage.json``) and every figure and table file, and
gives one ``CreateAction`` per chapter run: the chapter notebook with its code hashes as
instrument, the data files it read as objects, the files it made as results, and the package
versions it ran with. It is derived in one function, :func:`crate`, from the records the build
keeps already (``figures/manifest.json``, written by :mod:`nhsreport.pipeline.provenance`, and
``datapackage.json``); nothing is tracked twice, and no clock time goes in, so the same records
give the same bytes.

The site's crate is written by this module as a Sphinx extension, when the HTML build finishes;
the zip's by :mod:`nhsreport.pipeline.datazip`, through :func:`zip_members`. An RO-Crate holds its
files: the site gets ``data/``, ``figures/`` and the chapter notebooks
(``chapters/*.ipynb``) beside the crate, and the zip (whose data files sit at its top) gets
``figures/`` and ``chapters/``. A file whose bytes differ from its record stops the build with one
line naming the file and the record.

    python -m nhsreport.pipeline.research_object validate _build/html    # offline, by roc-validator
"""

import argparse
import contextlib
import functools
import io
import json
import re
import shutil
import sys
from pathlib import Path

from .. import paths
from ..presentation.citation import LICENCE_URLS, load_metadata
from . import provenance

CRATE_FILE = "ro-crate-metadata.json"
PROCESS_RUN_CRATE = "https://w3id.org/ro/wfrun/process/0.5"
#: The profiles a crate is validated against (roc-validator's names), and whether the rules a
#: profile inherits are reported with it. roc-validator's Process Run Crate profile builds on
#: RO-Crate 1.1, whose rules demand a crate that says it is 1.1; this one is 1.3, checked in full by
#: the first profile, so the second reports only the Process Run Crate's own rules.
PROFILES = {"ro-crate-1.3": True, "process-run-crate-0.5": False}
#: The JSON-LD contexts the validator resolves, and the copy each is read from offline: the one
#: the ``rocrate`` package ships.
CONTEXT_URL = "https://w3id.org/ro/crate/1.3/context"
PLAIN_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MEDIA_TYPES = {
    ".csv": "text/csv",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
VARIANTS = {
    ".values.csv": "values drawn (CSV)",
    ".thumb.png": "thumbnail (PNG)",
    ".svg": "SVG",
    ".png": "PNG, 300 dpi",
    ".pdf": "PDF",
    ".csv": "CSV",
}


class CrateError(ValueError):
    """A record the crate is made from is malformed, or a file differs from its record."""


# --- the records ------------------------------------------------------------------------------


def plain_name(name, where):
    """A file name as the records give it: no folder, nothing hidden (untrusted input)."""
    if not isinstance(name, str) or not PLAIN_NAME.match(name) or ".." in name:
        raise CrateError(f"{where}: file name {name!r} is not a plain file name")
    return name


def data_resources(data_dir):
    """(file name, resource) of every resource of ``datapackage.json``, with its sha256."""
    package = json.loads((Path(data_dir) / "datapackage.json").read_text(encoding="utf-8"))
    resources = []
    for number, resource in enumerate(package.get("resources", [])):
        where = f"datapackage.json: resources[{number}]"
        name = plain_name(resource.get("path"), where)
        digest = str(resource.get("hash", "")).removeprefix("sha256:")
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise CrateError(f"{where} ({name}): hash is not a sha256")
        licences = resource.get("licenses") or package.get("licenses") or []
        resources.append((name, {**resource, "sha256": digest, "licenses": licences}))
    return package, resources


def chapter_runs(manifest):
    """The chapter runs the manifest records, one per notebook, in notebook order. The outputs of
    one notebook come from one run, so they agree on code and package versions; if they do not,
    an entry outlived the output it describes, and the crate would give the run the wrong code."""
    runs = {}
    for label, entry in sorted(manifest.items()):
        run = runs.setdefault(
            entry["notebook"],
            {
                "notebook": entry["notebook"],
                "code": entry["code"],
                "packages": entry["packages"],
                "first": label,
            },
        )
        for key in ("code", "packages"):
            if entry[key] != run[key]:
                raise CrateError(
                    f"figures/manifest.json: {run['first']} and {label} of {entry['notebook']} were made "
                    f"by different runs ({key} differ): run make execute"
                )
        run.setdefault("labels", []).append((label, entry["kind"], entry["caption"]))
        run.setdefault("data", {}).update(entry["data"])
        run.setdefault("files", {}).update(
            {name: (label, entry, digest) for name, digest in entry["files"].items()}
        )
    return [runs[notebook] for notebook in sorted(runs)]


def check_data_hashes(manifest, resources):
    """Each output was made from today's data files: else the manifest describes other data (a
    chapter left stale), and the crate would name the wrong bytes."""
    recorded = {name: resource["sha256"] for name, resource in resources}
    for label, entry in sorted(manifest.items()):
        for name, digest in entry["data"].items():
            if recorded.get(name) != digest:
                raise CrateError(
                    f"figures/manifest.json: {label} ({entry['notebook']}) was made from data/{name} with "
                    f"sha256 {digest[:12]}, but datapackage.json records {str(recorded.get(name))[:12]}: "
                    "run make book"
                )


# --- the crate --------------------------------------------------------------------------------


def contextual(crate, identifier, properties):
    """A contextual entity (one with the same @id is replaced)."""
    from rocrate.model import ContextEntity  # imported when a crate is made, not with the module

    return crate.add(ContextEntity(crate, identifier, properties=properties))


def one_or_many(values):
    """RO-Crate 1.3 writes a single value bare, not as a list of one."""
    return values[0] if len(values) == 1 else values


def licence_entity(crate, url, name, description):
    """The licence at ``url``, described once (the first description given stays)."""
    existing = crate.dereference(url)
    if existing is not None:
        return existing
    properties = {"@type": "CreativeWork", "name": name, "description": description}
    return contextual(crate, url, properties)


def file_properties(path, shown, sha256, **properties):
    """A file's properties with its sha256 and size (the file must be there: the crate holds it)."""
    if not Path(path).is_file():
        raise CrateError(f"{shown}: missing ({path})")
    return {**properties, "sha256": sha256, "contentSize": str(Path(path).stat().st_size)}


def author_entities(crate, metadata):
    """The authors of ``metadata.yml``: a person where family names are given, else a group."""
    authors = []
    for number, author in enumerate(metadata["authors"], start=1):
        kind = "Person" if author.get("family-names") else "Organization"
        authors.append(contextual(crate, f"#author-{number}", {"@type": kind, "name": author["name"]}))
    return authors


def describe_root(crate, metadata, authors):
    root = crate.root_dataset
    root["name"] = metadata["title"]
    root["alternateName"] = metadata["short-title"]
    root["description"] = metadata.get("abstract") or metadata["title"]
    root["version"] = metadata["version"]
    root["datePublished"] = metadata["date-released"]
    root["keywords"] = list(metadata.get("keywords") or [])
    root["author"] = one_or_many(authors)
    root["license"] = one_or_many(
        [
            licence_entity(
                crate, LICENCE_URLS[spdx], spdx, f"The licence of the report's {part.replace('-', ' ')}"
            )
            for part, spdx in sorted(metadata["licenses"].items())
        ]
    )
    if metadata["url"]:
        root["url"] = metadata["url"]
    profile = contextual(
        crate,
        PROCESS_RUN_CRATE,
        {"@type": ["CreativeWork", "Profile"], "name": "Process Run Crate", "version": "0.5"},
    )
    root["conformsTo"] = profile


def add_data_files(crate, package, resources, data_dir, prefix):
    """A File for each data resource and one for ``datapackage.json`` (the schemas)."""
    files = {}
    for name, resource in resources:
        if not all(
            isinstance(item, dict) and item.get("path") and item.get("name") for item in resource["licenses"]
        ):
            raise CrateError(f"datapackage.json: {name}: a licence lacks its path or name")
        licences = [
            licence_entity(crate, item["path"], item["name"], item.get("title", item["name"]))
            for item in resource["licenses"]
        ]
        properties = file_properties(
            Path(data_dir) / name,
            f"{prefix}{name}",
            resource["sha256"],
            name=resource.get("title", name),
            description=resource.get("description", ""),
            encodingFormat=MEDIA_TYPES[".csv"],
            license=one_or_many(licences),
        )
        files[name] = crate.add_file(Path(data_dir) / name, f"{prefix}{name}", properties=properties)
    schema = Path(data_dir) / "datapackage.json"
    properties = file_properties(
        schema,
        f"{prefix}datapackage.json",
        provenance.sha256_of(schema),
        name="datapackage.json",
        description=f"Frictionless data package: {package.get('title', '')}",
        encodingFormat=MEDIA_TYPES[".json"],
    )
    crate.add_file(schema, f"{prefix}datapackage.json", properties=properties)
    return files


def variant(name):
    return next((text for suffix, text in VARIANTS.items() if name.endswith(suffix)), Path(name).suffix)


def add_output_files(crate, runs, figures_dir, licence):
    """A File for every figure and table file the manifest records, under ``figures/``."""
    files = {}
    for run in runs:
        for name, (label, entry, digest) in sorted(run["files"].items()):
            plain_name(name, f"figures/manifest.json: {label}")
            properties = file_properties(
                Path(figures_dir) / name,
                f"figures/{name}",
                digest,
                name=name,
                description=f"{entry['kind'].capitalize()} {label}, {variant(name)}: {entry['caption']}",
                encodingFormat=MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream"),
                license=licence,
            )
            files[name] = crate.add_file(Path(figures_dir) / name, f"figures/{name}", properties=properties)
    return files


def software(crate, name, version):
    url = f"https://pypi.org/project/{name}/{version}/"
    properties = {"@type": "SoftwareApplication", "name": name, "version": version, "url": url}
    return contextual(crate, url, properties)


def code_hashes(crate, stem, code):
    """The run's code hashes as PropertyValues: the notebook's code cells, the modules it imported."""
    return [
        contextual(
            crate, f"#notebook-{stem}-{part}", {"@type": "PropertyValue", "name": part, "value": code[part]}
        )
        for part in ("notebook_sha256", "modules_sha256")
    ]


def add_run(crate, run, project_root, data_files, output_files, authors, repository):
    """The run of one chapter notebook: a CreateAction with the notebook as instrument (a file
    of the crate, its ``version`` the sha256 of its code cells)."""
    notebook = run["notebook"]
    folder, _, name = notebook.partition("/")
    if folder != "chapters":
        raise CrateError(f"figures/manifest.json: notebook {notebook!r} is not in chapters/")
    stem = Path(plain_name(name, "figures/manifest.json")).stem
    code = run["code"]
    source = Path(project_root) / "chapters" / name
    if not source.is_file():
        raise CrateError(f"chapters/{name}: missing ({source})")
    properties = file_properties(
        source,
        f"chapters/{name}",
        provenance.sha256_of(source),
        name=notebook,
        encodingFormat="application/x-ipynb+json",
        version=code["notebook_sha256"],
        description=(
            f"The chapter notebook {notebook}. Its version is the sha256 of its code cells; "
            f"the project modules it imported hash to sha256 {code['modules_sha256']}."
        ),
        identifier=code_hashes(crate, stem, code),
    )
    properties["@type"] = ["File", "SoftwareSourceCode"]
    if repository:
        properties["codeRepository"] = repository
    packages = [
        software(crate, package, version) for package, version in sorted(run["packages"].items()) if version
    ]
    if packages:
        properties["softwareRequirements"] = packages
    instrument = crate.add_file(source, f"chapters/{name}", properties=properties)
    made = ", ".join(label for label, _, _ in run["labels"])
    return crate.add_action(
        instrument,
        identifier=f"#run-{stem}",
        object=[data_files[file] for file in sorted(run["data"])],
        result=[output_files[file] for file in sorted(run["files"])],
        properties={
            "name": f"Run of {notebook}",
            "description": f"{notebook} executed; it made {made}.",
            "agent": one_or_many(authors),
        },
    )


def crate(project_root=None, data_dir=None, figures_dir=None, data_prefix="data/"):
    """The report's RO-Crate, from ``metadata.yml``, ``datapackage.json`` and the figures
    manifest; its data files at ``data_prefix`` (``"data/"`` in the site, ``""`` in the zip)."""
    root = Path(project_root or paths.PROJECT_ROOT)
    data_dir = Path(data_dir or paths.DATA_DIR)
    figures_dir = Path(figures_dir or paths.FIGURES_DIR)
    metadata = load_metadata(root)
    package, resources = data_resources(data_dir)
    manifest = provenance.read_manifest(figures_dir, as_input=False)
    check_data_hashes(manifest, resources)
    runs = chapter_runs(manifest)

    from rocrate.rocrate import ROCrate  # here, not at the top: make book imports this module

    research_object = ROCrate()
    authors = author_entities(research_object, metadata)
    describe_root(research_object, metadata, authors)
    text_licence = research_object.dereference(LICENCE_URLS[metadata["licenses"]["data-and-text"]])
    data_files = add_data_files(research_object, package, resources, data_dir, data_prefix)
    output_files = add_output_files(research_object, runs, figures_dir, text_licence)
    actions = [
        add_run(research_object, run, root, data_files, output_files, authors, metadata["repository"])
        for run in runs
    ]
    research_object.root_dataset["mentions"] = actions
    return research_object


# --- writing and checking ---------------------------------------------------------------------


def check_payload(research_object):
    """Every file the crate lists exists with the sha256 it records."""
    for entity in research_object.data_entities:
        source, recorded = Path(entity.source), entity.get("sha256")
        if not source.exists():
            raise CrateError(f"{entity.id}: missing ({source})")
        if recorded and provenance.sha256_of(source) != recorded:
            raise CrateError(f"{entity.id}: sha256 on disk differs from the record ({recorded[:12]}...)")


def write(folder, project_root=None, data_dir=None, figures_dir=None, data_prefix="data/"):
    """Write the crate and its files into ``folder``; return the metadata file's path."""
    research_object = crate(project_root, data_dir, figures_dir, data_prefix)
    check_payload(research_object)
    research_object.write(folder)
    return Path(folder) / CRATE_FILE


def with_crate(site, project_root=None):
    """The built site with its crate written in. A site folder is built into again and again (the
    staging site of ``make book``), so the files of the last crate go first: a figure no chapter
    makes any more must not linger beside the crate."""
    site = Path(site)
    for folder in ("data", "figures"):
        shutil.rmtree(site / folder, ignore_errors=True)
    for notebook in (site / "chapters").glob("*.ipynb"):
        notebook.unlink()
    root = Path(project_root) if project_root else None
    write(site, root, root and root / "data", root and root / "figures")
    return site


def write_site_crate(app, exception):
    """Sphinx ``build-finished``: the HTML site gets its crate, however it was built (``make
    book``, or a test's build), once every notebook and the manifest are final. Not the single
    page of ``make pdf``."""
    if exception is None and app.builder.name == "html":
        with_crate(app.outdir, app.srcdir)


def setup(app):
    """Sphinx extension (listed in ``_config.yml``)."""
    app.connect("build-finished", write_site_crate)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}


class Generated:
    """A zip member made in memory: it answers ``read_bytes()``, all the zip asks of a file."""

    def __init__(self, content):
        self.content = content

    def read_bytes(self):
        return self.content


def zip_members(data_dir=None):
    """(path on disk, name in the zip) the data zip adds for its crate: the chapter notebooks,
    the figure and table files, and the crate itself (made in memory, so builds and tests writing
    zips side by side share no file). The zip's data files sit at its top: the crate names them
    there."""
    research_object = crate(data_dir=data_dir, data_prefix="")
    check_payload(research_object)
    ((_, metadata),) = research_object.metadata.stream()
    made = [
        (Path(entity.source), entity.id)
        for entity in research_object.data_entities
        if entity.id.startswith(("figures/", "chapters/"))
    ]
    return [(Generated(metadata), CRATE_FILE), *sorted(made, key=lambda pair: pair[1])]


# --- validation (offline) ---------------------------------------------------------------------


def context_document():
    """The RO-Crate 1.3 JSON-LD context as the ``rocrate`` package ships it."""
    from rocrate.model.metadata import Metadata

    shipped = Path(sys.modules[Metadata.__module__].__file__).parent.parent / "data" / "ro-crate.jsonld"
    return shipped.read_bytes()


def seed_http_cache(cache_name):
    """An HTTP cache (requests-cache, SQLite, as roc-validator keeps it) holding the RO-Crate
    context, so the validator can run with ``offline`` on: it then asks the network nothing."""
    import requests
    from requests_cache import CachedSession
    from urllib3 import HTTPResponse

    class ShippedContext(requests.adapters.HTTPAdapter):
        def send(self, request, **kwargs):
            headers = {"Content-Type": "application/ld+json"}
            raw = HTTPResponse(
                body=io.BytesIO(context_document()),
                headers=headers,
                status=200,
                request_url=request.url,
                preload_content=False,
            )
            return self.build_response(request, raw)

    with CachedSession(
        cache_name=str(cache_name), backend="sqlite", expire_after=-1, allowable_codes=(200, 302, 404)
    ) as session:
        session.mount(CONTEXT_URL, ShippedContext())
        session.get(CONTEXT_URL, headers={"Accept": "application/ld+json, application/json, */*;q=0.1"})
    return cache_name


@functools.lru_cache(maxsize=1024)
def prepared_query(text, namespaces, base):
    """A SPARQL query parsed and translated once (rdflib's ``prepareQuery``, whose result is made
    to be run again with other bindings); ``namespaces`` as sorted (prefix, namespace) pairs."""
    from rdflib.plugins.sparql.processor import prepareQuery

    return prepareQuery(text, dict(namespaces), base)


class SparqlParsedOnce:
    """rdflib's SPARQL processor, but each query text is parsed once. pyshacl sends the same text
    for every node a SPARQL constraint checks (the node goes in as a binding), and parsing it again
    each time is most of a validation's work. Installed by :func:`sparql_parsed_once` as rdflib's
    ``sparql`` query processor plugin (rdflib 7.6: a processor is made with the graph and asked
    ``query``); not a subclass, so that this module imports rdflib only when it validates."""

    def __init__(self, graph):
        from rdflib.plugins.sparql.processor import SPARQLProcessor

        self.processor = SPARQLProcessor(graph)

    def query(self, query, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(query, str):
            query = prepared_query(query, tuple(sorted((initNs or {}).items())), base)
        return self.processor.query(query, initBindings, initNs, base, DEBUG)


@contextlib.contextmanager
def sparql_parsed_once():
    """While validating, rdflib's ``sparql`` plugin is :class:`SparqlParsedOnce`; then rdflib's
    own again (registered through rdflib's public plugin functions, nothing patched)."""
    from rdflib import plugin
    from rdflib.query import Processor

    (stock,) = plugin.plugins("sparql", Processor)
    plugin.register("sparql", Processor, __name__, SparqlParsedOnce.__name__)
    try:
        yield
    finally:
        plugin.register("sparql", Processor, stock.module_path, stock.class_name)


def validate(folder, profile, cache_name, severity="REQUIRED"):
    """roc-validator's issues (severity, check, message) for the crate in ``folder``, offline,
    against one of :data:`PROFILES`."""
    from rocrate_validator import services
    from rocrate_validator.models import ValidationSettings

    settings = ValidationSettings(
        rocrate_uri=str(Path(folder).resolve()),
        profile_identifier=profile,
        requirement_severity=severity,
        offline=True,
        cache_path=Path(cache_name),
        disable_inherited_profiles_issue_reporting=not PROFILES[profile],
    )
    with sparql_parsed_once():
        result = services.validate(settings)
    return [(issue.severity.name, issue.check.identifier, issue.message) for issue in result.get_issues()]


def main(arguments=None):
    parser = argparse.ArgumentParser(description="Validate the report's RO-Crate offline.")
    parser.add_argument("command", choices=["validate"])
    parser.add_argument("folder", type=Path, help="the folder holding ro-crate-metadata.json")
    parser.add_argument("--severity", default="REQUIRED", choices=["REQUIRED", "RECOMMENDED", "OPTIONAL"])
    options = parser.parse_args(arguments)
    cache = seed_http_cache(paths.PROJECT_ROOT / "_build" / "ro-crate-http-cache")
    failed = False
    for profile in PROFILES:
        issues = validate(options.folder, profile, cache, options.severity)
        print(f"{profile}: {'valid' if not issues else f'{len(issues)} issue(s)'}")
        for severity, check, message in issues:
            print(f"  {severity} {check}: {message}")
        failed = failed or any(severity == "REQUIRED" for severity, _, _ in issues)
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
