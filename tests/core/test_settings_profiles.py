"""The production profile refuses to start without its secrets and passes Django's deployment checks."""

import os
import secrets
import subprocess
import sys

import pytest


def run_check(env_overrides, *args):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a real deployment never has it.
    excluded = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in excluded}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "citemploi", "check", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {"DJANGO_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "cite.example.org"}
    env[missing] = ""
    result = run_check(env)
    assert result.returncode != 0
    assert f"{missing} est obligatoire" in result.stderr


def test_production_profile_passes_check_deploy_without_any_warning():
    env = {"DJANGO_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "cite.example.org"}
    result = run_check(env, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_malformed_boolean_stops_the_start_with_its_name():
    result = run_check({"DEMO_MODE": "peut-être"})
    assert result.returncode != 0
    assert "DEMO_MODE" in result.stderr


def test_check_deploy_fails_with_demo_mode_on():
    env = {
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "cite.example.org",
        "DEMO_MODE": "true",
    }
    result = run_check(env, "--deploy")
    assert result.returncode != 0
    assert "citemploi.E001" in result.stderr and "DEMO_MODE est activé" in result.stderr
