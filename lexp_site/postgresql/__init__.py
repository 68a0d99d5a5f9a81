"""Django's PostgreSQL backend, with a deadline on the check before a kept connection is reused."""
