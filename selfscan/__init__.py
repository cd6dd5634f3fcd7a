"""The readiness self-scan. Imports nothing from ``coop``; only ``regulations``."""
