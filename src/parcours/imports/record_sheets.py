"""What each Mano sheet of records becomes: consultations, treatments and
medical files, passages, rencontres, territories and observations, actions
and comments. Each ``build`` turns one row into a record (or a Result)."""

from django.utils.translation import gettext as _

from parcours.care import models as care
from parcours.care.choices import Discipline
from parcours.imports import mano
from parcours.imports.models import (
    ImportedNote,
)
from parcours.imports.readers import Sheet
from parcours.imports.rows import (
    Outcome,
    Result,
)
from parcours.imports.values import (
    PARIS,
)


class RecordSheets:
    def _sheet_consultations(self, sheet: Sheet) -> None:
        types = self.mapping["consultation_types"]

        def build(row):
            status = row.get("status") or row.get("Statut") or ""
            if status.strip().upper() == "ANNULEE":
                return Result(Outcome.SKIPPED, _("Cancelled in Mano (ANNULEE)."))
            if status.strip().upper() == "A FAIRE":
                return Result(
                    Outcome.SKIPPED,
                    _("Not done yet in Mano (A FAIRE): an appointment, not an encounter."),
                )
            kind = (row.get("type") or row.get("Type") or "").strip()
            discipline = types.get(kind)
            if discipline is None:
                return Result(
                    Outcome.ERROR,
                    _(
                        "This consultation type maps to no discipline: add it to the mapping's consultation_types."
                    ),
                    column="type",
                    value=kind,
                )
            person = self._person_of(row, "person", "Personne suivie - id")
            if isinstance(person, Result):
                return person
            if person is None:
                return Result(
                    Outcome.ERROR, _("This consultation names no person."), column="person"
                )
            where = self._where(row, mano.present(row, "teams", "Équipe"))
            if isinstance(where, Result):
                return where
            moment = self._moment(
                row, "completedAt", "Complétée le", "dueAt", "À faire le", "createdAt", "Créée le"
            )
            if moment is None:
                return Result(
                    Outcome.ERROR, _("This consultation has no date."), column="completedAt"
                )
            notes, problems = mano.consultation_text(row, kind)
            details = {}
            if discipline == Discipline.MEDICAL:
                details[care.MedicalDetails] = mano.vitals(row)
            return {
                "kind": "encounter",
                "encounter": {
                    "discipline": discipline,
                    "person_id": person,
                    "project_id": where[0],
                    "site_id": where[1],
                    "occurred_at": moment,
                    "confidential_note": notes,
                },
                "details": details,
                "_notes": problems,
            }

        self._records(sheet, "consultations", build)

    def _sheet_treatments(self, sheet: Sheet) -> None:
        def build(row):
            person = self._person_of(row, "person")
            if isinstance(person, Result):
                return person
            if person is None:
                return Result(Outcome.ERROR, _("This treatment names no person."), column="person")
            start = self._moment(row, "startDate", "createdAt")
            if start is None:
                return Result(Outcome.ERROR, _("This treatment has no date."), column="startDate")
            end = self._moment(row, "endDate")
            where = self._where(row, [])
            if isinstance(where, Result):
                return where
            days = (end.date() - start.date()).days if end else None
            dose = ", ".join(filter(None, [row.get("dosage"), row.get("frequency")]))[:120]
            comments, problems = mano.embedded_comments(row.get("comments"))
            note = "\n".join(
                filter(
                    None,
                    [row.get("indication") and f"{_('Indication')}: {row['indication']}", comments],
                )
            )
            return {
                "kind": "encounter",
                "encounter": {
                    "discipline": Discipline.MEDICAL,
                    "person_id": person,
                    "project_id": where[0],
                    "site_id": where[1],
                    "occurred_at": start,
                    "confidential_note": note,
                },
                "details": {
                    care.MedicalDetails: {
                        "treatments": (row.get("name") or "")[:255],
                        "treatment_dose": dose,
                        "treatment_days": days if days and 0 < days < 32767 else None,
                    }
                },
                "_notes": problems,
            }

        self._records(sheet, "treatments", build)

    def _sheet_medical_files(self, sheet: Sheet) -> None:
        def build(row):
            person = self._person_of(row, "person", "id")
            if isinstance(person, Result):
                return person
            if person is None:
                return Result(
                    Outcome.ERROR, _("This medical file names no person."), column="person"
                )
            fields = [
                (mano.MEDICAL, label, mano.readable(value))
                for label, value in row.items()
                if value and label not in mano.MEDICAL_FILE_TECHNICAL
            ]
            return {"kind": "fields", "person": person, "fields": fields}

        self._records(sheet, "medical_files", build)

    def _activity(self, sheet: Sheet, entity: str, discipline: str, needs_person: bool) -> None:
        def build(row):
            person = self._person_of(row, "person", "Personne suivie - id")
            if isinstance(person, Result):
                return person
            if person is None and needs_person:
                return Result(Outcome.ERROR, _("This row names no person."), column="person")
            where = self._where(row, mano.present(row, "team", "teams", "Équipe"))
            if isinstance(where, Result):
                return where
            moment = self._moment(row, "date", "Date", "createdAt")
            if moment is None:
                return Result(Outcome.ERROR, _("This row has no date."), column="date")
            built = {
                "kind": "encounter",
                "encounter": {
                    "discipline": discipline,
                    "person_id": person,
                    "project_id": where[0],
                    "site_id": where[1],
                    "occurred_at": moment,
                    "confidential_note": row.get("comment") or row.get("Commentaire") or "",
                },
                "details": {care.ActivityDetails: {}},
            }
            if person is None:
                built["tallies"] = [("unknown", 1)]
            return built

        self._records(sheet, entity, build)

    def _sheet_passages(self, sheet: Sheet) -> None:
        self._activity(sheet, "passages", Discipline.DAY_CENTRE, needs_person=False)

    def _sheet_rencontres(self, sheet: Sheet) -> None:
        self._activity(sheet, "rencontres", Discipline.OUTREACH, needs_person=True)

    def _sheet_territories(self, sheet: Sheet) -> None:
        for number, cells in sheet.rows:
            row = dict(zip(sheet.header, cells, strict=False))
            key = row.get("_id") or ""
            self.territories[key] = (row.get("name") or "")[:120]
            self._tick()
            self._report(
                sheet.name,
                number,
                key,
                Result(
                    Outcome.SKIPPED,
                    _("A territory: its name becomes the place of its observations."),
                ),
            )

    def _sheet_observations(self, sheet: Sheet) -> None:
        def build(row):
            where = self._where(row, mano.present(row, "team", "Équipe"))
            if isinstance(where, Result):
                return where
            moment = self._moment(row, "observedAt", "Observé le", "createdAt")
            if moment is None:
                return Result(
                    Outcome.ERROR, _("This observation has no date."), column="observedAt"
                )
            place = (
                self.territories.get(row.get("territory") or "", "")
                or (row.get("Territoire - Nom") or "")[:120]
            )
            tallies, text = mano.observation_figures(row)
            return {
                "kind": "encounter",
                "encounter": {
                    "discipline": Discipline.OUTREACH,
                    "person_id": None,
                    "project_id": where[0],
                    "site_id": where[1],
                    "occurred_at": moment,
                    "confidential_note": text,
                },
                "details": {care.ActivityDetails: {"place": place}},
                "tallies": tallies or [("unknown", 0)],
            }

        self._records(sheet, "observations", build)

    def _sheet_actions(self, sheet: Sheet) -> None:
        def build(row):
            person = self._person_of(row, "person", "Personne suivie - id")
            if isinstance(person, Result):
                return person
            if person is None:
                return Result(Outcome.ERROR, _("This action names no person."), column="person")
            due = self._moment(row, "dueAt", "À faire le")
            done = self._moment(row, "completedAt", "Complétée le")
            categories = row.get("categories") or row.get("Catégories") or row.get("category") or ""
            text = "\n".join(
                filter(
                    None,
                    [
                        row.get("name") or row.get("Nom"),
                        categories and f"{_('Categories')}: {categories}",
                        row.get("description") or row.get("Description"),
                    ],
                )
            )
            return {
                "kind": "note",
                "fields": {
                    "person_id": person,
                    "category": mano.SOCIAL,
                    "kind": ImportedNote.Kind.ACTION,
                    "written_on": done.astimezone(PARIS).date() if done else None,
                    "due_on": due.astimezone(PARIS).date() if due else None,
                    "status": mano.action_status(row.get("status") or row.get("Statut")),
                    "text": text,
                },
            }

        self._records(sheet, "actions", build)

    def _sheet_comments(self, sheet: Sheet) -> None:
        def build(row):
            person = self._person_of(row, "person")
            if isinstance(person, Result):
                return person
            if person is None and row.get("action"):
                person = self.action_persons.get(row["action"]) or self._action_person(
                    row["action"]
                )
            if person is None:
                return Result(
                    Outcome.ERROR,
                    _("This comment names no person or known action."),
                    column="person",
                )
            moment = self._moment(row, "date", "createdAt")
            return {
                "kind": "note",
                "fields": {
                    "person_id": person,
                    "category": mano.SOCIAL,
                    "kind": ImportedNote.Kind.COMMENT,
                    "written_on": moment.astimezone(PARIS).date() if moment else None,
                    "text": row.get("comment") or "",
                },
            }

        self._records(sheet, "comments", build)

    def _action_person(self, key: str) -> int | None:
        """The person of an action imported by an earlier run: the persons of
        all such actions loaded at the first need, not one query per comment."""
        if self._earlier_actions is None:
            notes = {pk: key for key, (_r, pk, _f, _v) in self._known("actions").items()}
            self._earlier_actions = {}
            ids = list(notes)
            for start in range(0, len(ids), 5000):
                for pk, person_id in ImportedNote.objects.filter(
                    pk__in=ids[start : start + 5000]
                ).values_list("pk", "person_id"):
                    self._earlier_actions[notes[pk]] = person_id
        return self._earlier_actions.get(key)
