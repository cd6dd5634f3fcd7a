"""Stored self-scans: the web flow, the public API, the peer benchmark and demo data."""
