"""The outbox: mail written in the caller's transaction, delivered by a background sender."""
