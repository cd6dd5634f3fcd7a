"""The monitor: the cooperative's figures for a period and a region, their exports, and the
yearly report."""
