"""Who may use the territory screens (DOMAIN.md §3).

- Checking addresses and files: the roles that handle people's addresses — the coordination and the caseworkers
  (relais agents, partner referents). Not the State co-pilot, steering members or the admin, who see no personal
  record.
- The territory map and the QPV perimeters (public geography): every logged-in user.
"""

from __future__ import annotations

import rules

from citemploi.accounts.permissions import is_admin, is_caseworker, is_coordinator, is_state_copilot, is_steering_member

#: "Vérifier une adresse" and "Vérifier un fichier".
can_check_addresses = is_coordinator | is_caseworker
#: The territory map and its data (QPV perimeters are public geography).
can_view_territory_map = is_coordinator | is_caseworker | is_state_copilot | is_steering_member | is_admin

rules.add_perm("territory.check_addresses", can_check_addresses)
rules.add_perm("territory.view_map", can_view_territory_map)
