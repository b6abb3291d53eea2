"""The persons sheet: each row parsed, checked for duplicates (against the
registry and the earlier rows of the file) and sorted into creations and
updates, written one row group at a time (``person_write``)."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parcours.imports import mano
from parcours.imports.mapping import MappingError
from parcours.imports.matching import DuplicateIndex, person_keys
from parcours.imports.readers import Sheet
from parcours.imports.rows import (
    Outcome,
    PersonRow,
    Result,
    fingerprint,
)
from parcours.imports.values import (
    ValueProblem,
    split_multi,
    to_bool,
    to_country,
    to_date,
    to_exit_reason,
    to_sex,
)
from parcours.people.validation import clean_person_data


class PersonSheet:
    # --- persons ---------------------------------------------------------------

    def _sheet_persons(self, sheet: Sheet) -> None:
        columns = mano.person_columns(sheet.header, self.mapping)
        if not any(
            f in ("full_name", "given_name", "family_name")
            for f in columns.values()
            if isinstance(f, str)
        ):
            raise MappingError(
                _("No column of the sheet “%(sheet)s” is mapped to a name: nothing was imported.")
                % {"sheet": sheet.name}
            )
        if self.index is None:
            self.index = DuplicateIndex.of_projects(
                {self.batch.project.pk}
                | {
                    p
                    for p, _s in filter(
                        None, (self.teams.resolve(t) for t in self.mapping["teams"])
                    )
                }
            )
        known = self._known("persons")
        template = mano.is_template(sheet)
        for group in self._groups(sheet):
            creates, updates = [], []
            for number, cells in group:
                self._tick()
                if template and number == 2 and mano.is_template_example(sheet.header, cells):
                    self._report(
                        sheet.name,
                        number,
                        "",
                        Result(Outcome.SKIPPED, _("The example row of Mano's import template.")),
                    )
                    continue
                parsed = self._parse_person(sheet, columns, number, cells)
                if isinstance(parsed, Result):
                    self._report(sheet.name, number, "", parsed)
                    continue
                note = "; ".join(parsed.notes)
                existing = known.get(parsed.key)
                if existing is None and parsed.key in self.person_ids:
                    self._report(
                        sheet.name,
                        number,
                        parsed.key,
                        Result(
                            Outcome.SKIPPED,
                            _("The same key appears earlier in the file."),
                            column="",
                            value=parsed.key,
                        ),
                    )
                    continue
                if existing is not None:
                    _pk, person_id, fp, version = existing
                    if fp == parsed.fingerprint:
                        self.person_ids[parsed.key] = person_id
                        self._report(
                            sheet.name, number, parsed.key, Result(Outcome.UNCHANGED, note)
                        )
                        continue
                    updates.append((parsed, existing))
                    continue
                keys = person_keys(
                    parsed.data.get("given_name", ""),
                    parsed.data.get("family_name", ""),
                    parsed.data.get("name_original", ""),
                )
                suspect = self.index.find(keys, parsed.data.get("birth_date"))
                if suspect is not None:
                    person_id, row = suspect
                    if person_id is None and row is not None:
                        # An earlier row of this file: the person it became, if written yet.
                        person_id = self.row_persons.get((sheet.name, row))
                    pending = json.dumps(
                        {
                            "key": parsed.key,
                            "data": parsed.data,
                            "aliases": parsed.aliases,
                            "projects": parsed.projects,
                            "exit": parsed.exit,
                            "fields": parsed.fields,
                            "fingerprint": parsed.fingerprint,
                        },
                        default=str,
                        ensure_ascii=False,
                    )
                    self._report(
                        sheet.name,
                        number,
                        parsed.key,
                        Result(
                            Outcome.DUPLICATE,
                            _(
                                "Same name as an existing person, date of birth not contradicting: decide."
                            )
                            if row is None
                            else _(
                                "Same name as an earlier row of the file, date of birth not contradicting: decide."
                            ),
                            candidate=person_id,
                            candidate_row=row
                            if row is not None
                            else self.person_rows.get(person_id),
                            pending=pending,
                        ),
                    )
                    continue
                self.index.add(keys, parsed.data.get("birth_date"), row=number)
                creates.append(parsed)
            self._write_group(sheet.name, creates, updates)

    def _converted(self, convert, raw):
        """``convert(raw)``, remembered per distinct cell value for the run
        (dates, sexes, countries and teams repeat across 100,000 rows); a
        value that raises ValueProblem is not remembered (raises each time)."""
        memo = self.__dict__.setdefault("_conversions", {}).setdefault(convert, {})
        try:
            return memo[raw]
        except KeyError:
            pass
        # to_date reads two-digit years against the import's day.
        value = convert(raw, today=self.today) if convert is to_date else convert(raw)
        if len(memo) < 200_000:
            memo[raw] = value
        return value

    def _column_plan(self, sheet, columns) -> list[tuple]:
        """(position, label, target, field, value map) of each mapped column,
        worked out once per sheet rather than per row."""
        plans = self.__dict__.setdefault("_column_plans", {})
        key = (sheet.name, id(columns))
        if key not in plans:
            values = self.mapping["values"]
            plan = []
            for position, label in enumerate(sheet.header):
                target = columns.get(label)
                if target is None or target == "ignore":
                    continue
                field_name = target if isinstance(target, str) else target["field"]
                plan.append((position, label, target, field_name, values.get(field_name) or {}))
            plans[key] = (columns, plan)  # columns kept: its id stays its own
        return plans[key][1]

    def _parse_person(self, sheet, columns, number, cells) -> PersonRow | Result:
        data: dict = {}
        aliases: list[str] = []
        teams: list[str] = []
        exit: dict = {}
        fields: list[tuple[str, str, str]] = []
        notes: list[str] = []
        key = None
        for position, label, target, field_name, value_map in self._column_plan(sheet, columns):
            raw = cells[position] if position < len(cells) else None
            if raw is not None and raw.startswith("="):
                notes.append(
                    _("The cell “%(column)s” starts with “=”: kept as text, never run.")
                    % {"column": label}
                )
            if value_map and isinstance(raw, str) and raw in value_map:
                raw = value_map[raw]
            try:
                if field_name == "source_key":
                    key = raw.strip() if raw else None
                elif field_name == "full_name":
                    if raw:
                        data["given_name"] = raw.strip()[:100]
                        if len(raw.strip()) > 100:
                            notes.append(_("The name was cut to 100 characters."))
                elif field_name in ("given_name", "family_name", "name_original", "phone"):
                    if raw:
                        data[field_name] = raw.strip()
                elif field_name == "other_names":
                    aliases += split_multi(raw)
                elif field_name == "sex":
                    data["sex"] = self._converted(to_sex, raw)
                elif field_name == "birth_date":
                    data["birth_date"] = self._converted(to_date, raw)
                elif field_name == "nationality":
                    if raw:
                        code = self._converted(to_country, raw)
                        if code is None:
                            raise ValueProblem(_("Unknown country “%(value)s”.") % {"value": raw})
                        if code:
                            data["nationality"] = code
                        else:
                            fields.append((mano.SOCIAL, label, raw))
                elif field_name == "languages":
                    data["languages"] = [v.lower() for v in split_multi(raw)]
                elif field_name == "teams":
                    teams += self._converted(split_multi, raw)
                elif field_name == "out_of_active_list" and to_bool(raw):
                    exit["out"] = True
                elif field_name == "exit_date":
                    exit["date"] = to_date(raw, today=self.today)
                elif field_name == "exit_reasons":
                    exit["reasons"] = split_multi(raw)
                elif field_name == "imported" and raw is not None:
                    fields.append((target["category"], label, mano.readable(raw)))
            except ValueProblem as problem:
                return Result(Outcome.ERROR, problem.message, column=label, value=raw or "")
        if not data.get("given_name") and data.get("family_name"):
            data["given_name"], data["family_name"] = data["family_name"], ""
        if not data.get("given_name"):
            return Result(Outcome.ERROR, _("This row has no name."), column="", value="")
        if aliases:
            data["aliases"] = aliases
        # Nationality and sex are known values already (to_country, to_sex).
        nationality = data.pop("nationality", None)
        sex = data.pop("sex", None)
        try:
            cleaned = clean_person_data(data, today=self.today)
        except ValidationError as error:
            field_name, messages = next(iter(error.message_dict.items()))
            column = next(
                (
                    c
                    for c, t in columns.items()
                    if t == field_name or (field_name == "given_name" and t == "full_name")
                ),
                field_name,
            )
            return Result(
                Outcome.ERROR,
                "; ".join(messages),
                column=column,
                value=str(data.get(field_name, ""))[:255],
            )
        aliases = cleaned.pop("aliases", [])
        if nationality:
            cleaned["nationality"] = nationality
        if sex:
            cleaned["sex"] = sex
        projects: list[int] = []
        for team in teams:
            found = self.teams.resolve(team)
            if found is None:
                return Result(
                    Outcome.ERROR, _("This team maps to no project."), column="teams", value=team
                )
            if found[0] not in projects:
                projects.append(found[0])
        if not projects:
            projects = [self.batch.project.pk]
        if exit.get("out") or exit.get("date"):
            reasons = exit.get("reasons", [])
            exit = {
                "out": True,
                "date": exit.get("date") or self.today,
                "reason": to_exit_reason(reasons),
                "note": ", ".join(reasons)[:255],
            }
        else:
            exit = {}
        if key is None:
            key = (
                "row:"
                + fingerprint(
                    cleaned.get("given_name"), cleaned.get("family_name"), cleaned.get("birth_date")
                )[:40]
            )
        return PersonRow(
            number=number,
            key=key,
            data=cleaned,
            aliases=aliases,
            projects=projects,
            exit=exit,
            fields=fields,
            # Plain values only: their repr is stable, and cheaper than JSON.
            fingerprint=hashlib.sha256(
                repr(
                    (sorted(cleaned.items()), aliases, projects, sorted(exit.items()), fields)
                ).encode()
            ).hexdigest(),
            notes=notes,
        )
