"""Access rules of the network pages (service directory, referrals), for
the authorisation-matrix test, and the objects their URLs point to.

"login": every signed-in user (the directory holds no personal data);
"directory_edit": coordinators and the care disciplines
(access.scope.may_edit_directory); "refers": who records a care category
for the person (medical, mental health, social, legal) in one of their
projects; "needs": who counts the social category in the project
(aggregate or view); "referral_medical": the target referral was made by
the doctor (medical category): the doctor and the medical referent see and
follow it, nobody else.
"""

NETWORK_ROUTES = {
    "network:service_list": "login",
    "network:service_map": "login",
    "network:service_detail": "login",
    "network:service_export": "login",
    "network:service_new": "directory_edit",
    "network:service_edit": "directory_edit",
    "network:service_import": "directory_edit",
    "network:needs": "needs",
    "network:person_referrals": "identity.view",
    "network:referral_new": "refers",
    "network:mine": "login",
    "network:referral_detail": "referral_medical",
    "network:referral_status": "referral_medical",
    "network:referral_letter": "referral_medical",
}

NETWORK_CONDITIONAL_RULES = {
    "directory_edit": {
        "coordinator",
        "doctor",
        "psychologist",
        "social_worker",
        "lawyer",
        "referent",
        "dunkerque_doctor",
    },
    "refers": {"doctor", "psychologist", "social_worker", "lawyer", "referent"},
    "needs": {"coordinator", "social_worker", "meal"},
    "referral_medical": {"doctor", "referent"},
}

ORGANISATION = "PASS du Centre hospitalier de Calais"


def give_referral_consent(world, person, organisation=ORGANISATION, status="given"):
    from parcours.access.services import consent_record

    return consent_record(
        actor=world.doctor,
        person=person,
        kind="external_referral",
        status=status,
        method="oral_interpreter",
        scope=organisation,
    )


def make_service(**extra):
    from parcours.network.models import Service

    values = {
        "name": ORGANISATION,
        "type": "pass",
        "city": "Calais",
        "latitude": "50.94800",
        "longitude": "1.87000",
        "eligibility": ["everyone"],
        "languages": ["fr", "en"],
    }
    values.update(extra)
    return Service.objects.create(**values)


def network_targets(world, person) -> dict:
    """The service and the (external, medical) referral the routes open."""
    from parcours.network.services import referral_send

    service = make_service()
    give_referral_consent(world, person)
    referral = referral_send(
        actor=world.doctor,
        person=person,
        data={"kind": "external", "service": service.pk, "reason": "Dental pain"},
        confirm_warnings=True,
    )
    return {"service_id": service.pk, "referral_id": referral.pk}


def referral_id_for_api(world, person) -> int:
    return network_targets(world, person)["referral_id"]
