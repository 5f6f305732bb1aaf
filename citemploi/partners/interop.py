"""data·inclusion interoperability: export of structures and services, idempotent import (e.g. from DORA).

Records are validated with the pinned package's pydantic models (`data_inclusion.schema.v1`), both ways.
Import: each row in its own savepoint (nothing half-written), valid rows kept, every other row reported with
its reason. Records without coordinates are not geocoded here (batch geocoding is the territory's job).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
from data_inclusion.schema import v1
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from citemploi.accounts.models import Structure, StructureKind
from citemploi.core.uploads import FileRefused, UploadLimits
from citemploi.partners.hours import osm_to_slots
from citemploi.partners.models import Service, StructureProfile
from citemploi.partners.services import ProfileChanges, place_locate, profile_save

R = v1.ReseauPorteur
KIND_BY_RESEAU = {
    R.MISSION_LOCALE: StructureKind.MISSION_LOCALE,
    R.FRANCE_TRAVAIL: StructureKind.FRANCE_TRAVAIL,
    R.CAP_EMPLOI_RESEAU_CHEOPS: StructureKind.CAP_EMPLOI,
    R.PLIE: StructureKind.PLIE,
    R.CCAS_CIAS: StructureKind.CCAS,
    R.AI: StructureKind.SIAE_AI,
    R.ACI: StructureKind.SIAE_ACI,
    R.EI: StructureKind.SIAE_EI,
    R.ETTI: StructureKind.SIAE_ETTI,
    R.EITI: StructureKind.SIAE_EITI,
    R.GEIQ: StructureKind.GEIQ,
    R.ECOLES_DE_LA_DEUXIEME_CHANCE: StructureKind.E2C,
    R.EPIDE: StructureKind.EPIDE,
    R.COMMUNES: StructureKind.COMMUNE,
    R.DEPARTEMENTS: StructureKind.DEPARTEMENT,
    R.FCSF: StructureKind.CENTRE_SOCIAL,
}
RESEAU_BY_KIND = {kind: reseau.value for reseau, kind in KIND_BY_RESEAU.items()}


def _none(value: Any) -> Any:
    return None if value in ("", [], None) else value


def _source() -> str:
    return str(settings.PARTNERS_DATA_INCLUSION_SOURCE)


def structure_id(structure: Structure, profile: StructureProfile | None) -> str:
    """The data·inclusion id: kept from the source when imported, `<source>--<public id>` otherwise."""
    if profile is not None and profile.source_id:
        return profile.source_id
    return f"{_source()}--{structure.public_id}"


def _place(obj: Any) -> dict[str, Any]:
    return {
        "adresse": _none(obj.address),
        "complement_adresse": _none(obj.complement_adresse),
        "code_postal": _none(obj.postcode),
        "commune": _none(obj.city),
        "code_insee": _none(obj.insee_code),
        "longitude": obj.longitude,
        "latitude": obj.latitude,
    }


def structure_record(structure: Structure, profile: StructureProfile | None) -> dict[str, Any]:
    """One structure as a data·inclusion record (not yet validated)."""
    updated = (profile.date_maj if profile else None) or structure.updated_at.date()
    record = {
        "source": (profile.source if profile and profile.source else _source()),
        "id": structure_id(structure, profile),
        "nom": structure.name,
        "date_maj": updated.isoformat(),
        "siret": _none(structure.siret),
        "description": _none(profile.description) if profile else None,
        "lien_source": _none(profile.lien_source) if profile else None,
        "telephone": _none(profile.contact_phone if profile else structure.phone),
        "courriel": _none(profile.contact_email if profile else structure.email),
        "site_web": _none(profile.website) if profile else None,
        "horaires_accueil": _none(profile.opening_hours) if profile else None,
        "accessibilite_lieu": _none(profile.accessibility_url) if profile else None,
        "reseaux_porteurs": _none(sorted(profile.reseaux_porteurs)) if profile else None,
    }
    if profile is not None:
        record.update(_place(profile))
    else:
        record.update({"adresse": _none(structure.address), "code_postal": _none(structure.postcode),
                       "commune": _none(structure.city), "code_insee": _none(structure.insee_code)})  # fmt: skip
    return record


def service_record(service: Service, structure_di_id: str) -> dict[str, Any]:
    """One service as a data·inclusion record (not yet validated)."""
    return {
        "source": service.source or _source(),
        "structure_id": structure_di_id,
        "id": service.source_id or f"{_source()}--{service.public_id}",
        "nom": service.name,
        "description": service.description,
        "lien_source": _none(service.lien_source),
        "date_maj": (service.date_maj or service.updated_at.date()).isoformat(),
        "type": _none(service.type),
        "thematiques": _none(sorted(service.thematiques)),
        "frais": _none(service.frais),
        "frais_precisions": _none(service.frais_precisions),
        "publics": _none(sorted(service.publics)),
        "publics_precisions": _none(service.publics_precisions),
        "conditions_acces": _none(service.conditions_acces),
        **_place(service),
        "telephone": _none(service.telephone),
        "courriel": _none(service.courriel),
        "modes_accueil": _none(sorted(service.modes_accueil)),
        "zone_eligibilite": _none(list(service.zone_eligibilite)),
        "contact_nom_prenom": _none(service.contact_nom_prenom),
        "lien_mobilisation": _none(service.lien_mobilisation),
        "modes_mobilisation": _none(sorted(service.modes_mobilisation)),
        "mobilisable_par": _none(sorted(service.mobilisable_par)),
        "mobilisation_precisions": _none(service.mobilisation_precisions),
        "volume_horaire_hebdomadaire": service.volume_horaire_hebdomadaire,
        "nombre_semaines": service.nombre_semaines,
        "horaires_accueil": _none(service.horaires_accueil),
    }


def normalise(model: type[pydantic.BaseModel], record: dict[str, Any]) -> dict[str, Any]:
    """The validated record as JSON data (sets sorted), so two records compare equal when they mean the same."""
    data = model.model_validate(record).model_dump(mode="json")
    return {k: sorted(v) if isinstance(v, list) and k != "zone_eligibilite" else v for k, v in data.items()}


# --- Export ---------------------------------------------------------------------------------------------------


@dataclass
class ExportReport:
    structures: int = 0
    services: int = 0
    skipped: list[str] = field(default_factory=list)


def export_records() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Validated structure and service records of the published offer (records that fail are skipped, named)."""
    services = list(Service.objects.filter(is_published=True, structure__is_active=True).order_by("id"))
    with_services = {s.structure_id for s in services}
    structures = Structure.objects.filter(is_active=True).select_related("profile").order_by("sort_name", "id")
    structures = structures.filter(Q(profile__is_published=True) | Q(pk__in=with_services))
    ids: dict[int, str] = {}
    out_structures, out_services, skipped = [], [], []
    for structure in structures:
        profile = getattr(structure, "profile", None)
        try:
            out_structures.append(normalise(v1.Structure, structure_record(structure, profile)))
            ids[structure.pk] = structure_id(structure, profile)
        except pydantic.ValidationError as error:
            skipped.append(f"structure « {structure} » : {describe_errors(error)}")
    for service in services:
        if service.structure_id not in ids:
            continue
        try:
            out_services.append(normalise(v1.Service, service_record(service, ids[service.structure_id])))
        except pydantic.ValidationError as error:
            skipped.append(f"service « {service} » : {describe_errors(error)}")
    return out_structures, out_services, skipped


def export_to(outdir: Path) -> ExportReport:
    """Write structures.json and services.json into ``outdir``."""
    structures, services, skipped = export_records()
    outdir.mkdir(parents=True, exist_ok=True)
    for name, records in (("structures.json", structures), ("services.json", services)):
        (outdir / name).write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    return ExportReport(len(structures), len(services), skipped)


# --- Import ---------------------------------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file cannot be read at all (not JSON, wrong shape)."""


@dataclass
class RowResult:
    row: int
    kind: str  # "structure" | "service"
    id: str
    outcome: str  # "créé" | "mis à jour" | "inchangé" | "rejeté"
    reason: str = ""


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)


def describe_errors(error: pydantic.ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "enregistrement"
        value = item.get("input")
        shown = f" (valeur : {value!r})" if isinstance(value, str | int | float) and item["type"] != "missing" else ""
        message = "champ obligatoire manquant" if item["type"] == "missing" else item["msg"]
        parts.append(f"{where} : {message}{shown}")
    return " ; ".join(parts)


def read_records(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(structures, services) from a JSON file: {"structures": [...], "services": [...]} or a list of records
    (services are the records carrying a `structure_id`). A file over the upload limits (size, number of
    records) is refused before it is parsed, or right after."""
    limits = UploadLimits.current()
    try:
        limits.check_size(path.stat().st_size)
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileRefused as error:
        raise ImportFileError(error.message) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"Impossible de lire {path} : {error}") from error
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"{path} n'est pas un JSON valide (ligne {error.lineno}, colonne {error.colno}) : {error.msg}."
        ) from error
    if isinstance(data, dict) and ("structures" in data or "services" in data):
        structures, services = data.get("structures") or [], data.get("services") or []
    elif isinstance(data, list):
        structures = [r for r in data if not (isinstance(r, dict) and "structure_id" in r)]
        services = [r for r in data if isinstance(r, dict) and "structure_id" in r]
    else:
        raise ImportFileError(
            "Le fichier doit contenir une liste d'enregistrements ou un objet {structures, services}."
        )
    if not isinstance(structures, list) or not isinstance(services, list):
        raise ImportFileError("« structures » et « services » doivent être des listes.")
    try:
        limits.check_rows(len(structures) + len(services))
    except FileRefused as error:
        raise ImportFileError(error.message) from error
    return structures, services


def import_file(path: Path, *, dry_run: bool = False) -> ImportReport:
    """Import a data·inclusion file; raises ImportFileError when the file itself is unreadable."""
    structures, services = read_records(path)
    report = ImportReport()
    with transaction.atomic():
        _import_rows(report, "structure", structures, _import_structure)
        _import_rows(report, "service", services, _import_service)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import_rows(report: ImportReport, kind: str, records: list[Any], handler: Any) -> None:
    seen: set[str] = set()
    for n, record in enumerate(records, start=1):
        rid = str(record.get("id", "")) if isinstance(record, dict) else ""
        if not isinstance(record, dict):
            report.rows.append(RowResult(n, kind, "", "rejeté", "l'enregistrement n'est pas un objet JSON"))
            continue
        if rid and rid in seen:
            report.rows.append(RowResult(n, kind, rid, "rejeté", "identifiant en double dans le fichier"))
            continue
        seen.add(rid)
        try:
            with transaction.atomic():  # one savepoint per row: a failing row leaves nothing behind
                outcome = handler(record)
        except pydantic.ValidationError as error:
            report.rows.append(RowResult(n, kind, rid, "rejeté", describe_errors(error)))
        except RowError as error:
            report.rows.append(RowResult(n, kind, rid, "rejeté", str(error)))
        else:
            report.rows.append(RowResult(n, kind, rid, outcome))


class RowError(Exception):
    pass


def _structure_by_di_id(di_id: str) -> tuple[Structure, StructureProfile | None] | None:
    profile = StructureProfile.objects.select_related("structure").filter(source_id=di_id).first()
    if profile is not None:
        return profile.structure, profile
    prefix = f"{_source()}--"
    if di_id.startswith(prefix):  # our own export coming back
        structure = Structure.objects.filter(public_id=_uuid(di_id[len(prefix) :])).first()
        if structure is not None:
            return structure, getattr(structure, "profile", None)
    return None


def _uuid(text: str) -> str:
    import uuid

    try:
        return str(uuid.UUID(text))
    except ValueError:
        return "00000000-0000-0000-0000-000000000000"  # matches nothing


def _import_structure(record: dict[str, Any]) -> str:
    model = v1.Structure.model_validate(record)
    wanted = normalise(v1.Structure, record)
    found = _structure_by_di_id(model.id)
    if found is None and model.siret:
        structure = Structure.objects.filter(siret=model.siret).first()
        found = (structure, getattr(structure, "profile", None)) if structure else None
    if found is not None and normalise(v1.Structure, structure_record(*found)) == wanted:
        return "inchangé"
    reseaux = sorted(r.value for r in model.reseaux_porteurs or [])
    kind = next((KIND_BY_RESEAU[R(r)] for r in reseaux if R(r) in KIND_BY_RESEAU), StructureKind.OTHER)
    structure = found[0] if found else Structure(kind=kind)
    structure.name, structure.siret = model.nom, model.siret or structure.siret
    structure.address, structure.postcode = model.adresse or "", model.code_postal or ""
    structure.city, structure.insee_code = model.commune or "", model.code_insee or ""
    structure.full_clean()
    structure.save()
    data = {
        "source": model.source, "source_id": model.id, "lien_source": str(model.lien_source or ""),
        "date_maj": model.date_maj, "description": model.description or "", "website": str(model.site_web or ""),
        "accessibility_url": str(model.accessibilite_lieu or ""), "contact_email": model.courriel or "",
        "contact_phone": model.telephone or "", "reseaux_porteurs": reseaux, "address": model.adresse or "",
        "complement_adresse": model.complement_adresse or "", "postcode": model.code_postal or "",
        "city": model.commune or "", "insee_code": model.code_insee or "", "longitude": model.longitude,
        "latitude": model.latitude, "opening_hours": model.horaires_accueil or "",
    }  # fmt: skip
    profile_save(
        actor=None,
        structure=structure,
        changes=ProfileChanges.of(data),
        slots=osm_to_slots(model.horaires_accueil or ""),
        geocode=False,
    )
    return "mis à jour" if found else "créé"


SERVICE_MAP = {
    "nom": "name", "description": "description", "lien_source": "lien_source", "date_maj": "date_maj",
    "type": "type", "thematiques": "thematiques", "frais": "frais", "frais_precisions": "frais_precisions",
    "publics": "publics", "publics_precisions": "publics_precisions", "conditions_acces": "conditions_acces",
    "adresse": "address", "complement_adresse": "complement_adresse", "code_postal": "postcode",
    "commune": "city", "code_insee": "insee_code", "longitude": "longitude", "latitude": "latitude",
    "telephone": "telephone", "courriel": "courriel", "modes_accueil": "modes_accueil",
    "zone_eligibilite": "zone_eligibilite", "contact_nom_prenom": "contact_nom_prenom",
    "lien_mobilisation": "lien_mobilisation", "modes_mobilisation": "modes_mobilisation",
    "mobilisable_par": "mobilisable_par", "mobilisation_precisions": "mobilisation_precisions",
    "volume_horaire_hebdomadaire": "volume_horaire_hebdomadaire", "nombre_semaines": "nombre_semaines",
    "horaires_accueil": "horaires_accueil",
}  # fmt: skip


def _service_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, set | frozenset | list):
        return sorted(getattr(v, "value", v) for v in value)
    if isinstance(value, dt.date):
        return value
    return str(value) if hasattr(value, "value") or type(value).__name__ in {"HttpUrl", "Url"} else value


def _import_service(record: dict[str, Any]) -> str:
    model = v1.Service.model_validate(record)
    found = _structure_by_di_id(model.structure_id)
    if found is None:
        raise RowError(f"structure « {model.structure_id} » inconnue (ni dans le fichier, ni dans la base)")
    structure, _profile = found
    service = Service.objects.filter(source=model.source, source_id=model.id).first()
    if service is None and model.id.startswith(f"{_source()}--"):
        service = Service.objects.filter(public_id=_uuid(model.id[len(_source()) + 2 :])).first()
    if service is not None and normalise(v1.Service, service_record(service, model.structure_id)) == normalise(
        v1.Service, record
    ):
        return "inchangé"
    created = service is None
    service = service or Service(structure=structure, source=model.source, source_id=model.id)
    for key, attr in SERVICE_MAP.items():
        value = getattr(model, key)
        setattr(
            service,
            attr,
            None
            if value is None
            and attr in {"longitude", "latitude", "volume_horaire_hebdomadaire", "nombre_semaines", "date_maj"}
            else _service_value(value),
        )
    service.structure, service.is_published = structure, True
    if service.has_point:
        place_locate(service)
    service.full_clean()
    service.save()
    return "créé" if created else "mis à jour"
