from tests.authz import Access

VIEWERS = frozenset({"referent", "colleague", "outsider", "coordinator", "state_copilot", "steering_member"})
COORDINATION = frozenset({"coordinator"})

RULES = {
    "evaluation:dashboard": Access(allowed=VIEWERS),
    "evaluation:export": Access(allowed=VIEWERS),
    "evaluation:funnel": Access(allowed=VIEWERS),
    # Without an indicator the coordinator gets « indicateur inconnu » (404); the others are refused first.
    "evaluation:people": Access(allowed=COORDINATION, ok=404),
    # Without ``from`` and ``to`` a viewer gets the French « indiquez une date » (400).
    "api:indicators": Access(allowed=VIEWERS, ok=400, overrides={"anonymous": 401}),
    "evaluation:snapshot": Access(
        allowed=COORDINATION, method="post", ok=302, data=lambda w: {"start": "2025-01-01", "end": "2025-03-31"}
    ),
}
