"""The cooperative's own PDF documents (contribution statements, the yearly report).

Rendered on the same worker pool as the self-scan's report (``selfscan.report``), with
its safe URL fetcher and its shipped fonts: see :mod:`coop.documents.service`.
"""
