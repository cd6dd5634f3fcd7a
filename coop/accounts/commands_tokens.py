"""Placeholder: filled in by the accounts issue."""

import click


@click.group()
def token() -> None:
    """(not yet)"""
