"""Placeholder: filled in by the accounts issue."""

import click


@click.group()
def user() -> None:
    """(not yet)"""
