"""The protocols of the care pathways, linked from the new-encounter form of
each discipline that runs one of their steps (a medical consultation links
the PEP protocol and the safe-abortion SOP). Read-only: the part saves
nothing. Registered in care's form registry by CasesConfig.ready()."""

from parcours.access.module_scopes import protocol_reader
from parcours.cases.definitions import DISCIPLINES, pathways
from parcours.cases.models import Protocol


def protocol_codes(discipline: str) -> set[str]:
    codes = set()
    for pathway in pathways().values():
        steps = [s for s in pathway.steps if s.discipline == discipline]
        codes |= {s.protocol for s in steps if s.protocol}
        if steps and pathway.protocol:
            codes.add(pathway.protocol)
    return codes


class ProtocolLinksPart:
    discipline = ""
    disciplines: frozenset[str] = frozenset()
    template_name = "cases/_protocol_links.html"

    def __init__(self, protocols):
        self.protocols = protocols

    @classmethod
    def build(cls, *, user, sites, data, person):
        if not protocol_reader(user):
            return None
        protocols = list(Protocol.objects.filter(code__in=protocol_codes(cls.discipline)))
        return cls(protocols) if protocols else None

    def is_valid(self) -> bool:
        return True

    def save(self, *, actor, encounter) -> None:
        return None


def parts() -> list[type]:
    """One part per discipline (the registry asks a part for its disciplines)."""
    return [
        type(
            f"ProtocolLinks_{discipline}",
            (ProtocolLinksPart,),
            {"discipline": discipline, "disciplines": frozenset({discipline})},
        )
        for discipline in DISCIPLINES
    ]
