"""System checks of the deployment (``citemploi check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode_off_in_deployment(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """Demo mode (fictitious data, demo accounts without a second factor) never runs in a deployment."""
    if not settings.DEMO_MODE:
        return []
    return [
        Error(
            "DEMO_MODE est activé : le mode démonstration (comptes fictifs dispensés de double authentification) "
            "est interdit en déploiement.",
            hint="Retirez DEMO_MODE de l'environnement (ou mettez DEMO_MODE=false).",
            id="citemploi.E001",
        )
    ]
