"""Django's PostgreSQL backend, with bounds on every wait for a database that is down or frozen."""
