"""Times Django itself shows staff (the login attempts list, users, read-only fields) carry their
zone: ``Oct. 7, 2003, 5 p.m. EDT``. Our own pages write ``New York time`` (offers/formatting.py)."""

DATETIME_FORMAT = "N j, Y, P T"
SHORT_DATETIME_FORMAT = "m/d/Y P T"
