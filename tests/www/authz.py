from tests.authz import LOGGED_IN, Access

PUBLIC_GET = Access(public=True)
MANAGERS = Access(allowed=frozenset({"coordinator", "admin"}))

RULES = {
    "www:home": Access(),
    "www:legal": Access(public=True, kwargs=lambda w: {"page": "mentions-legales"}),
    "www:brand_css": PUBLIC_GET,
    "accounts:login": Access(public=True, overrides={p: 302 for p in LOGGED_IN}),
    "accounts:logout": Access(method="post", ok=302, public=True),
    "accounts:account": Access(),
    "accounts:otp_setup": Access(),
    "accounts:otp_verify": Access(),
    # Removing a device needs a session that passed the second factor (403 otherwise), then one's own device (404).
    "accounts:otp_device_remove": Access(
        allowed=frozenset({"coordinator", "admin"}), method="post", ok=404, kwargs=lambda w: {"pk": 999999}
    ),
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
    "manage:structure_list": MANAGERS,
    "manage:structure_create": MANAGERS,
    "manage:structure_detail": Access(allowed=MANAGERS.allowed, kwargs=lambda w: {"public_id": w.relais.public_id}),
    "manage:structure_edit": Access(allowed=MANAGERS.allowed, kwargs=lambda w: {"public_id": w.relais.public_id}),
    "manage:member_second_factor_reset": Access(
        allowed=frozenset({"admin"}),
        method="post",
        ok=302,
        kwargs=lambda w: {"public_id": w.users["referent"].public_id},
    ),
    "manage:membership_deactivate": Access(
        allowed=MANAGERS.allowed,
        method="post",
        ok=302,
        kwargs=lambda w: {"pk": w.users["colleague"].active_memberships[0].pk},
    ),
}
