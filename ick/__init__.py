"""ick: a terminal front end for Jupyter kernels."""

__version__ = "0.1.0"
