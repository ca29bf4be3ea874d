"""ASGI entry point for Ralph 5.1 (the LRS of France Université Numérique) with its file backend.

Workarounds for two upstream defects of Ralph 4.0 to 5.1's `FSLRSBackend`:

1. It writes with the CREATE operation type, so every write after the first answers 500 ("file
   already exists"). Appending is what a statement log needs: this module sets APPEND.
2. `GET /statements?verb=…` and `?activity=…` never match: the filters compare the parsed IRI
   object with the statement's string. This module hands them the IRI as a string.

Then it serves Ralph's own application unchanged:

    RALPH_RUNSERVER_BACKEND=fs uvicorn --app-dir scripts ralph_fs_fix:app --host 127.0.0.1 --port N

`PARCOURS_RALPH_KEEP_FILTER_DEFECT=1` leaves defect 2 in place: the tests use it to check that
`parcours report` is right with an LRS that ignores those filters. tests/e2e/test_lrs.py checks
that consecutive writes succeed and that the filters match with the fix.
"""

import os

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if os.environ.get("PARCOURS_RALPH_KEEP_FILTER_DEFECT") != "1":
    _filter_by_verb = FSLRSBackend._add_filter_by_verb
    _filter_by_activity = FSLRSBackend._add_filter_by_activity

    def _as_text(iri):
        return str(iri) if iri is not None else None

    FSLRSBackend._add_filter_by_verb = staticmethod(
        lambda filters, verb_id: _filter_by_verb(filters, _as_text(verb_id)))
    FSLRSBackend._add_filter_by_activity = staticmethod(
        lambda filters, object_id, related: _filter_by_activity(filters, _as_text(object_id), related))

from ralph.api import app  # noqa: E402  (imported after the fixes on purpose)

__all__ = ["app"]
