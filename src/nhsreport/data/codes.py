"""Display labels for the shared codes, read from the data package so they are defined once."""

from .load import load_data


def labels(resource):
    """code -> label mapping of a code list such as ``trusts`` or ``cohorts``."""
    frame = load_data()[resource]
    return dict(zip(frame["code"], frame["label"]))


def trust_labels():
    return labels("trusts")


def cohort_labels():
    return labels("cohorts")
