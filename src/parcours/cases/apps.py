from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "parcours.cases"
    label = "cases"
    verbose_name = "Care pathways, case management and protocols"

    def ready(self) -> None:
        # Steps complete themselves from the encounters that record them: the
        # receivers of care's encounter signals (see receivers.py).
        from parcours.care.extensions import register_form_part
        from parcours.cases import receivers  # noqa: F401
        from parcours.cases.protocol_part import parts

        # The pathways' protocols are linked from the encounter forms.
        for part in parts():
            register_form_part(part)
