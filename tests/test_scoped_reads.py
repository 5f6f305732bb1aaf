"""Reads of personal data are scoped by QuerySet methods only (issue 9 §20): no page nor API module queries the
manager of a personal model directly (``<Model>.objects`` must be followed by ``.visible_to(user)``), and none writes
the access log itself (the selector ``pathways.selectors.person_for_viewer`` does)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parent.parent / "citemploi"
#: The web layer (every module, at any depth) and the API.
MODULES = sorted([*(ROOT / "www").rglob("*.py"), *(ROOT / "api").glob("*.py")])


def personal_models() -> set[str]:
    """The pathways models that hold a person's data: Person, and every model that reaches it by foreign keys."""
    person = apps.get_model("pathways", "Person")
    found = {person}
    pathways = list(apps.get_app_config("pathways").get_models())
    grew = True
    while grew:
        grew = False
        for model in pathways:
            if model in found:
                continue
            targets = {f.related_model for f in model._meta.get_fields() if isinstance(f, models.ForeignKey)}
            if targets & found:
                found.add(model)
                grew = True
    return {m.__name__ for m in found}


def unscoped_reads(source: str, names: set[str]) -> list[tuple[int, str]]:
    """``(line, text)`` of each ``<Name>.objects`` in ``source`` not directly followed by ``.visible_to(``."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in names
        ):
            continue
        parent, grandparent = parents.get(node), parents.get(parents.get(node))  # type: ignore[arg-type]
        scoped = (
            isinstance(parent, ast.Attribute)
            and parent.attr == "visible_to"
            and isinstance(grandparent, ast.Call)
            and grandparent.func is parent
        )
        if not scoped:
            found.append((node.lineno, ast.unparse(parent or node)))
    return sorted(found)


def test_the_personal_models_are_found_from_the_registry(db):
    names = personal_models()
    assert {"Person", "Pathway", "Handoff", "Mobilisation", "Contact", "Frein", "FollowUp", "Exit"} <= names
    assert "RomeCode" not in names and "NotificationPreference" not in names


def test_the_lint_sees_an_unscoped_read_and_accepts_a_scoped_one():
    names = {"Person", "Handoff"}
    source = (
        "a = Person.objects.filter(pk=1)\n"
        "b = Person.objects.visible_to(user).get(pk=1)\n"
        "c = get_object_or_404(Handoff.objects, pk=1)\n"
        "d = Handoff.objects.visible_to\n"
        "e = Other.objects.all()\n"
    )
    assert [line for line, _text in unscoped_reads(source, names)] == [1, 3, 4]


def test_no_page_nor_api_module_reads_a_personal_model_unscoped(db):
    names = personal_models()
    offenders = [
        f"{path.relative_to(ROOT.parent)}:{line}: {text}"
        for path in MODULES
        for line, text in unscoped_reads(path.read_text(encoding="utf-8"), names)
    ]
    assert not offenders, "lecture non filtrée par visible_to(user) :\n" + "\n".join(offenders)


def test_no_page_nor_api_module_writes_the_access_log():
    writers = [
        f"{path.relative_to(ROOT.parent)}"
        for path in MODULES
        if "log_access" in (text := path.read_text(encoding="utf-8")) or "AccessLog(" in text
    ]
    assert not writers
