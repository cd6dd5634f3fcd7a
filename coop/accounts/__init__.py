"""Users, roles, login, sessions, the second factor and API tokens."""
