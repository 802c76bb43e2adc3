"""The historical data of Stalin's Shadow: layers, events, sources and claims, validated on load.

This package knows nothing of Streamlit or maps: it reads, checks and derives data.
"""

from geodata.dates import PartialDate
from geodata.loader import DATA_DIR, Dataset, load_dataset, validate_dir
from geodata.validate import DataError, Problem

__all__ = [
    "DATA_DIR",
    "DataError",
    "Dataset",
    "PartialDate",
    "Problem",
    "load_dataset",
    "validate_dir",
]
