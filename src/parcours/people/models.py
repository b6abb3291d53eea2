"""The people registry: persons, their names, flags, enrolments and groups."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from parcours.access.terms import Category
from parcours.people.ages import age_on


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class DatePrecision(models.TextChoices):
    EXACT = "exact", _("Exact (document)")
    DECLARED = "declared", _("Declared by the person")
    ESTIMATED = "estimated", _("Estimated")


class MinorityAppeal(models.TextChoices):
    NONE = "", _("Not concerned")
    PENDING = "pending", _("Appeal pending before the juvenile judge")
    RECOGNISED = "recognised", _("Recognised as a minor")
    REJECTED = "rejected", _("Appeal rejected")


class ExitReason(models.TextChoices):
    MOVED_ON = "moved_on", _("Moved on / left the area")
    CROSSED = "crossed", _("Crossed to the United Kingdom")
    PLACED = "placed", _("Taken in charge (ASE, housing, institution)")
    TRANSFERRED = "transferred", _("Transferred to another project")
    LOST_CONTACT = "lost_contact", _("Lost to follow-up")
    NO_LONGER_NEEDED = "no_longer_needed", _("No further need")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class Flag(models.TextChoices):
    UNACCOMPANIED_MINOR = "unaccompanied_minor", _("Unaccompanied minor")
    PREGNANT = "pregnant", _("Pregnant")
    SV_SURVIVOR = "sv_survivor", _("Survivor of sexual violence")
    TRAFFICKING = "trafficking", _("Trafficking")
    TORTURE = "torture", _("Torture survivor")
    SHIPWRECK = "shipwreck", _("Shipwreck survivor")
    DISABILITY = "disability", _("Disability")
    SINGLE_WOMAN = "single_woman", _("Single woman")
    SINGLE_PARENT = "single_parent", _("Single parent")
    CHRONIC_ILLNESS = "chronic_illness", _("Chronic illness")
    ELDERLY = "elderly", _("Elderly person")


# The fields of a person that belong to the contact category.
CONTACT_FIELDS = frozenset({"phone", "contact_notes"})


class PersonQuerySet(models.QuerySet):
    def in_projects(self, project_ids) -> "PersonQuerySet":
        enrolled = Enrolment.objects.filter(person=OuterRef("pk"), project_id__in=project_ids)
        return self.filter(Exists(enrolled))

    def counted_in_projects(self, project_ids) -> "PersonQuerySet":
        """Same rows as in_projects(); the IN form counts 3× faster on SQLite,
        the EXISTS form pages faster along the alphabetical index."""
        return self.filter(
            pk__in=Enrolment.objects.filter(project_id__in=project_ids).values("person_id")
        )

    def current(self) -> "PersonQuerySet":
        """Records not merged into another one."""
        return self.filter(merged_into__isnull=True)


class Person(models.Model):
    ACCESS_CATEGORY = Category.IDENTITY
    # Fields that belong to another category than the model's own.
    FIELD_CATEGORIES = {"phone": Category.CONTACT, "contact_notes": Category.CONTACT}

    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    name_original = models.CharField(
        _("name in original script"),
        max_length=200,
        blank=True,
        help_text=_("As the person writes it, e.g. محمد or ኣማኑኤል."),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("date of birth is"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DECLARED,
    )
    minority_appeal = models.CharField(
        _("minority-recognition appeal"),
        max_length=12,
        choices=MinorityAppeal.choices,
        default=MinorityAppeal.NONE,
        blank=True,
    )
    assessed_age = models.PositiveSmallIntegerField(
        _("age assessed by the authorities"), null=True, blank=True
    )
    assessed_on = models.DateField(_("assessment date"), null=True, blank=True)
    nationality = CountryField(_("nationality"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), default=False)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_notes = models.CharField(_("how to reach"), max_length=255, blank=True)
    is_active = models.BooleanField(_("on the active list"), default=True)
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_note = models.CharField(_("exit note"), max_length=255, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    # Optimistic locking: every save through the services increments it.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("person")
        indexes = [
            # The people list: alphabetical pages of current records.
            models.Index(
                fields=["family_name", "given_name", "id"],
                name="person_alphabetical_current",
                condition=models.Q(merged_into__isnull=True),
            ),
            models.Index(fields=["birth_date"]),
            models.Index(fields=["nationality"]),
            models.Index(fields=["is_active", "sex"]),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name.upper()) if p)

    def age(self, on: date | None = None) -> int | None:
        return age_on(self.birth_date, on or date.today())

    @property
    def age_is_approximate(self) -> bool:
        return self.birth_date_precision != DatePrecision.EXACT

    def declared_age_at_assessment(self) -> int | None:
        if self.assessed_on is None:
            return None
        return self.age(self.assessed_on)


class Enrolment(models.Model):
    """A person's presence in a project, with the code they are known by there."""

    ACCESS_CATEGORY = Category.IDENTITY

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enrolments")
    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("person code"), max_length=16, unique=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrolled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="one_enrolment_per_project")
        ]

    def __str__(self) -> str:
        return self.code


class CodeCounter(models.Model):
    """Next person number of a project; locked while a code is handed out."""

    project = models.OneToOneField("org.Project", on_delete=models.CASCADE, primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Alias(models.Model):
    ACCESS_CATEGORY = Category.IDENTITY

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alias"), max_length=200)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PersonFlag(models.Model):
    ACCESS_CATEGORY = Category.IDENTITY

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="flags")
    flag = models.CharField(max_length=24, choices=Flag.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "flag"], name="flag_once")]
        indexes = [models.Index(fields=["flag", "person"])]


class NameKey(models.Model):
    """Phonetic skeletons of every name a person is known by, for search.

    Rebuilt by the services whenever a name or alias changes; never edited
    by hand.
    """

    ACCESS_CATEGORY = Category.IDENTITY

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["key", "person"])]


class Group(models.Model):
    """A family or a group travelling together."""

    ACCESS_CATEGORY = Category.IDENTITY

    class Kind(models.TextChoices):
        FAMILY = "family", _("Family")
        GROUP = "group", _("Group travelling together")

    project = models.ForeignKey("org.Project", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.FAMILY)
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    ACCESS_CATEGORY = Category.IDENTITY

    class Relation(models.TextChoices):
        HEAD = "head", _("Head of family / referent")
        SPOUSE = "spouse", _("Spouse / partner")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        RELATIVE = "relative", _("Other relative")
        COMPANION = "companion", _("Travel companion")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="group_links")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="member_once_per_group")
        ]


class MergeRecord(models.Model):
    """What a merge moved, so that it can be read in history and undone."""

    ACCESS_CATEGORY = Category.IDENTITY

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )


class NotDuplicate(models.Model):
    """Two records a merger checked and found to be two different persons:
    the suspected-duplicates queue no longer proposes the pair."""

    ACCESS_CATEGORY = Category.IDENTITY

    # The pair in id order (first < second), so that it is stored once.
    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_duplicate_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")), name="not_duplicate_in_order"
            ),
        ]
