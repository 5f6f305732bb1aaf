"""Evaluation: the indicator registry, per-QPV funnels, dashboards by role, statistical secrecy and exports."""
