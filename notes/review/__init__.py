"""The review page: a day's cards beside their envelopes, approved, held back or changed in a
browser, then written (or printed) in place of the run's files.

recipe (what `notes day` leaves for it), session (decisions and their journal), finish (the
new files, manifest and ledger), web (the Starlette app), server (uvicorn on 127.0.0.1).
"""
