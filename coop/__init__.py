"""The employer cooperative for the inclusive labour market."""

__version__ = "0.1.0"
