"""Key-project workbench for a county DRC."""

__version__ = "0.1.0"
