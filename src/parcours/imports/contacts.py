"""Mano's contacts (its "Structures" directory: the contacts.xlsx template,
sheet ``contacts``, or the same columns by their technical names) into the
service directory of the network app, through its own service
(``network.services.service_save``: validated, versioned, audited).

Each row is remembered as an imported row like every other record, so a
re-run changes nothing and a corrected file updates what changed (unless the
entry was edited in Parcours since). A row without Mano's id is known again
by its name, postcode and city."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parcours.access.scope import may_edit_directory
from parcours.imports.models import ImportedRow
from parcours.imports.readers import Sheet
from parcours.imports.rows import Outcome, Result, fingerprint
from parcours.imports.values import norm, split_multi
from parcours.network.choices import ServiceType
from parcours.network.models import Service
from parcours.network.services import Stale, service_save
from parcours.network.validation import FIELDS as SERVICE_FIELDS

# Each directory value: Mano's label in the template, then its technical name.
CONTACT_COLUMNS = {
    "name": ("Nom", "name"),
    "description": ("Description", "description"),
    "address": ("Adresse", "adresse"),
    "postcode": ("Code postal", "postcode"),
    "city": ("Ville", "city"),
    "phone": ("Téléphone", "phone"),
    "email": ("Email", "email"),
    "categories": ("Catégories", "categories"),
}
# Words of Mano's (organisation-defined) contact categories → directory type;
# the first match wins, so the more specific words come first. The mapping's
# ``values: {service_type: {<category>: <type>}}`` overrides them.
TYPE_WORDS = [
    ("pass", ServiceType.PASS),
    ("psy", ServiceType.MENTAL_HEALTH),
    ("115", ServiceType.SHELTER),
    ("heberg", ServiceType.SHELTER),
    ("logement", ServiceType.SHELTER),
    ("mise a l abri", ServiceType.SHELTER),
    ("jurid", ServiceType.LEGAL_AID),
    ("droit", ServiceType.LEGAL_AID),
    ("avocat", ServiceType.LEGAL_AID),
    ("asile", ServiceType.ASYLUM),
    ("ofpra", ServiceType.ASYLUM),
    ("domicil", ServiceType.DOMICILIATION),
    ("aliment", ServiceType.FOOD),
    ("repas", ServiceType.FOOD),
    ("douche", ServiceType.SHOWERS),
    ("hygiene", ServiceType.SHOWERS),
    ("vestiaire", ServiceType.CLOTHING),
    ("vetement", ServiceType.CLOTHING),
    ("accueil de jour", ServiceType.DAY_CENTRE),
    ("mineur", ServiceType.ASE),
    ("enfance", ServiceType.ASE),
    ("femme", ServiceType.WOMEN),
    ("liens familiaux", ServiceType.FAMILY_LINKS),
    ("sante", ServiceType.HEALTH),
    ("medic", ServiceType.HEALTH),
    ("soin", ServiceType.HEALTH),
    ("hopital", ServiceType.HEALTH),
]


def contact_values(row: dict) -> dict:
    return {
        name: (next((row[c] for c in columns if row.get(c)), None) or "").strip()
        for name, columns in CONTACT_COLUMNS.items()
    }


def service_type(categories: list[str], overrides: dict) -> str:
    for category in categories:
        if category in overrides:
            return str(overrides[category])
    for category in categories:
        words = f" {norm(category)} "
        for word, kind in TYPE_WORDS:
            if word in words:
                return kind.value
    return ServiceType.OTHER.value


def directory_data(values: dict, overrides: dict) -> dict:
    """What ``service_save`` takes, from a contact's values."""
    categories = split_multi(values["categories"])
    notes = "\n".join(
        filter(
            None,
            [
                values["description"],
                categories and _("Mano categories: %(c)s") % {"c": ", ".join(categories)},
            ],
        )
    )
    return {
        "name": values["name"],
        "type": service_type(categories, overrides),
        "address": ", ".join(filter(None, [values["address"], values["postcode"]])),
        "city": values["city"],
        "phone": values["phone"],
        "email": values["email"],
        "notes": notes,
    }


def current_data(service: Service) -> dict:
    return {name: getattr(service, name) for name in SERVICE_FIELDS}


class ContactSheet:
    def _sheet_contacts(self, sheet: Sheet) -> None:
        known = self._known("contacts")
        may_edit = may_edit_directory(self.actor)
        overrides = self.mapping["values"].get("service_type") or {}
        for number, cells in sheet.rows:
            self._tick()
            row = dict(zip(sheet.header, cells, strict=False))
            values = contact_values(row)
            key = row.get("_id") or (
                "row:"
                + fingerprint(norm(values["name"]), values["postcode"], norm(values["city"]))[:40]
            )
            if not may_edit:
                result = Result(
                    Outcome.SKIPPED,
                    _("Your role does not keep the service directory: contacts are not imported."),
                )
            elif not values["name"]:
                result = Result(Outcome.ERROR, _("This contact has no name."), column="Nom")
            else:
                result = self._contact(key, directory_data(values, overrides), known.get(key))
            self._report(sheet.name, number, key, result)

    def _contact(self, key: str, data: dict, existing) -> Result:
        fp = fingerprint(data)
        if existing is not None and existing[2] == fp:
            return Result(Outcome.UNCHANGED)
        try:
            with transaction.atomic():
                result, service = self._save_contact(key, data, fp, existing)
        except ValidationError as error:
            field_name, messages = next(iter(error.message_dict.items()))
            return Result(
                Outcome.ERROR,
                "; ".join(messages),
                column=field_name,
                value=str(data.get(field_name, ""))[:255],
            )
        except PermissionDenied as error:
            return Result(Outcome.SKIPPED, str(error))
        if service is not None:
            self._known("contacts")[key] = (
                existing[0] if existing else None,
                service.pk,
                fp,
                service.version,
            )
        return result

    def _save_contact(self, key, data, fp, existing) -> tuple[Result, Service | None]:
        if existing is None:
            service = service_save(actor=self.actor, data=data)
            ImportedRow.objects.create(
                source=self.source,
                entity="contacts",
                source_key=key,
                target_type="network.service",
                target_id=service.pk,
                fingerprint=fp,
                version=service.version,
                created_batch=self.batch,
            )
            return Result(Outcome.IMPORTED), service
        row_pk, service_id, _fp, version = existing
        service = Service.objects.filter(pk=service_id).first()
        if service is None:
            return Result(
                Outcome.SKIPPED, _("The directory entry of this row no longer exists.")
            ), None
        # Values Parcours keeps that Mano has not (hours, languages…) stay.
        merged = {**current_data(service), **data, "is_active": service.is_active}
        try:
            service = service_save(actor=self.actor, data=merged, service=service, version=version)
        except Stale:
            return Result(
                Outcome.SKIPPED,
                _("Edited in Parcours since the last import: the file does not overwrite it."),
            ), None
        if row_pk:
            ImportedRow.objects.filter(pk=row_pk).update(
                fingerprint=fp, version=service.version, updated_batch=self.batch
            )
        return Result(Outcome.UPDATED), service
