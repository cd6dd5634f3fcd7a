"""The member registry: organisations, contacts, memberships, applications."""
