"""polkg: a knowledge graph of political events from French and English news."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("polkg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
