"""The project's one way to fingerprint a file or bytes: the hex sha256.

Data files (``datapackage.json``'s hashes), outputs (``figures/manifest.json``), the build's
records and the reproducibility appendix all compare these digests, so they are made here.
Digests over several named parts (cache keys, module hashes, page keys) build on ``hashlib``
where they are made, each with its own separators, so that recorded keys keep their value.
"""

import hashlib


def sha256_bytes(data):
    """The hex sha256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def sha256_of(path):
    """The hex sha256 of a file's content."""
    return sha256_bytes(path.read_bytes())
