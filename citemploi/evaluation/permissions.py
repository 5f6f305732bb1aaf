"""Who reads which figures (DESIGN.md §4, issue 13 §4).

- the coordinator: every figure unmasked, and the people behind a number (drill-down, within ``visible_to``);
- the State co-pilot and the steering members: the territory's figures, masked (statistical secrecy), no name,
  no drill-down;
- a relais or a partner (caseworker): their own caseload's figures beside the territory's, both masked;
- nobody else (the admin reads no figure about people).
"""

from __future__ import annotations

from citemploi.accounts.permissions import is_caseworker, is_coordinator, is_state_copilot, is_steering_member

can_view_indicators = is_coordinator | is_state_copilot | is_steering_member | is_caseworker
#: Unmasked figures and the list of the people behind a number.
can_drill_down = is_coordinator
#: Figures below the coordinator go through the statistical secrecy once (evaluation.outputs.mask).
needs_masking = ~is_coordinator
can_take_snapshot = is_coordinator
#: RQTH is a sensitive fact: its breakdown group is the coordinator's only.
can_see_sensitive_groups = is_coordinator
