"""The shared code lists and their display labels, read from the data package so they are defined
once: ``trusts.csv`` and ``cohorts.csv`` hold the codes (in the order the book prints them) and
their labels. Nothing here runs at import; every function reads the validated data when called,
so the read is recorded like any other.
"""

from .load import load_data


def _frame(resource, data=None):
    return (load_data() if data is None else data)[resource]


def codes(resource, data=None):
    """The codes of a code list such as ``trusts`` or ``cohorts``, in file order.

    ``data`` is anything that gives the validated tables by name (a Dataset or a Chapter); by
    default the project's data package."""
    return tuple(_frame(resource, data)["code"])


def labels(resource, data=None):
    """code -> label mapping of a code list such as ``trusts`` or ``cohorts``."""
    frame = _frame(resource, data)
    return dict(zip(frame["code"], frame["label"]))


def trust_codes(data=None):
    """('acute', 'care', 'specialist') as ``trusts.csv`` lists them."""
    return codes("trusts", data)


def cohort_codes(data=None):
    """('clinical', 'functional', 'general') as ``cohorts.csv`` lists them."""
    return codes("cohorts", data)


def trust_labels(data=None):
    return labels("trusts", data)


def cohort_labels(data=None):
    return labels("cohorts", data)
