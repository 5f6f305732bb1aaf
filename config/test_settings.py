"""Test overrides: fast hashing, in-memory e-mail, strict templates, temporary files."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_ENV", "test")

from config.settings import *  # noqa: E402,F403
from config.settings import STORAGES, TEMPLATES  # noqa: E402


class InvalidTemplateVariable(str):
    """Undefined template variables fail the test instead of rendering as an empty string."""

    def __mod__(self, other: object) -> str:
        raise NameError(f"Variable de gabarit indéfinie : {other!r}")

    def __bool__(self) -> bool:  # `{% if undefined %}` must not silently be false either
        return False


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")  # type: ignore[index]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="citemploi-media-"))
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": TASK_QUEUES}}
DEMO_MODE = False
AXES_ENABLED = True
SITE_URL = "http://testserver"

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Tests need no durable commits: not waiting for the WAL flush speeds up the commit-heavy tests (browser, races).
    DATABASES["default"]["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], "options": "-c synchronous_commit=off"}  # type: ignore[dict-item]  # noqa: F405
