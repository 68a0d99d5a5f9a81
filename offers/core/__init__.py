"""The calculation core: pure Python, no Django. Frozen dataclasses in, frozen dataclasses out.

- :mod:`.daycount`: the five day-count conventions.
- :mod:`.terms`: one version of the offer terms; :mod:`.termsfile` reads and writes terms files.
- :mod:`.validation`: the consistency rules staff are held to.
- :mod:`.outcome`: what a holding receives under one version (accrued interest, New Notes,
  coupons, fee, warrants, totals) and :mod:`.compare` the side-by-side lines and differences.
- :mod:`.inputs`: parsing what a holder types; :mod:`.contract`: the JSON contract.
"""
