"""Who may do what in the catalogue and the veille.

- every logged-in role reads the catalogue, the published veille and the good practices;
- the coordination changes rule parameters, writes and publishes the veille, and sees drafts;
- the coordination and the caseworkers share good practices (the library is fed by the field); a practice is
  edited by its author (while still allowed to share practices) or by the coordination.
"""

from __future__ import annotations

import rules

from citemploi.accounts.permissions import is_caseworker, is_coordinator


@rules.predicate
def is_logged_in(user: object) -> bool:
    """Any authenticated account."""
    return bool(getattr(user, "is_authenticated", False))


#: Read the catalogue, its rules and their history.
can_view_catalogue = is_logged_in
#: Change a dated rule parameter (no deployment needed).
can_edit_parameters = is_coordinator
#: Write, edit, publish veille entries and see the drafts.
can_manage_veille = is_coordinator
#: Read published veille entries and the good practices library.
can_view_veille = is_logged_in
#: Change the validity dates of a scheme (its opening and closing).
can_edit_scheme_validity = is_coordinator
#: Add a good practice to the library.
can_add_good_practice = is_coordinator | is_caseworker


@rules.predicate
def is_practice_author(user: object, practice: object) -> bool:
    """The account that shared the practice (a practice imported without an author has none)."""
    author_id = getattr(practice, "author_id", None)
    return author_id is not None and author_id == getattr(user, "pk", None)


#: Edit a good practice (its text and thématiques; add attachments).
can_edit_good_practice = is_coordinator | (can_add_good_practice & is_practice_author)

rules.add_perm("schemes.view_scheme", can_view_catalogue)
rules.add_perm("schemes.change_schemeparameter", can_edit_parameters)
rules.add_perm("schemes.change_veilleentry", can_manage_veille)
rules.add_perm("schemes.add_goodpractice", can_add_good_practice)
rules.add_perm("schemes.change_goodpractice", can_edit_good_practice)
rules.add_perm("schemes.change_scheme", can_edit_scheme_validity)
