"""Where the project's folders are, wherever the code runs from."""

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("NHSREPORT_ROOT", Path(__file__).resolve().parents[2]))
DATA_DIR = Path(os.environ.get("NHSREPORT_DATA", PROJECT_ROOT / "data"))
FIGURES_DIR = Path(os.environ.get("NHSREPORT_FIGURES", PROJECT_ROOT / "figures"))
CHAPTERS_DIR = PROJECT_ROOT / "chapters"
