from tests.authz import LOGGED_IN, Access

PUBLIC_GET = Access(public=True)

RULES = {
    "www:home": Access(),
    "www:legal": Access(public=True, kwargs=lambda w: {"page": "mentions-legales"}),
    "www:brand_css": PUBLIC_GET,
    "accounts:login": Access(public=True, overrides={p: 302 for p in LOGGED_IN}),
    "accounts:logout": Access(method="post", ok=302, public=True),
    "accounts:account": Access(),
    "accounts:otp_setup": Access(),
    "accounts:otp_verify": Access(),
    "accounts:password_reset": PUBLIC_GET,
    "accounts:password_reset_done": PUBLIC_GET,
    "accounts:password_reset_confirm": Access(public=True, kwargs=lambda w: {"uidb64": "MQ", "token": "invalide"}),
    "accounts:password_reset_complete": PUBLIC_GET,
    # ProConnect is off by default: its routes answer 404 to everyone (tests/accounts/test_proconnect.py turns it on).
    "proconnect:authenticate": Access(public=True, ok=404, denied=404),
    "proconnect:callback": Access(public=True, ok=404, denied=404),
    "proconnect:logout": Access(public=True, ok=404, denied=404, method="post"),
    "audit:changes": Access(allowed=frozenset({"coordinator", "admin"})),
    "audit:accesses": Access(allowed=frozenset({"coordinator", "admin"})),
    "api:schema": PUBLIC_GET,
}
