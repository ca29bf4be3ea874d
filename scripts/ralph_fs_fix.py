"""ASGI entry point for Ralph 5.1 (the LRS of France Université Numérique) with its file backend.

Workaround for an upstream defect of Ralph 4.0 to 5.1: `FSLRSBackend` writes with the CREATE
operation type, so every write after the first answers 500 ("file already exists"). Appending is
what a statement log needs. This module sets APPEND, then serves Ralph's own application unchanged:

    RALPH_RUNSERVER_BACKEND=fs uvicorn --app-dir scripts ralph_fs_fix:app --host 127.0.0.1 --port N

tests/e2e/test_lrs.py checks that consecutive writes succeed with this fix.
"""

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

from ralph.api import app  # noqa: E402  (imported after the fix on purpose)

__all__ = ["app"]
