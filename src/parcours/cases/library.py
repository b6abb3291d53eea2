"""Protocols and SOPs (Markdown written here, or PDF / DOCX uploaded), and
the lessons-learned log of each project.

Uploaded files are stored in the default storage (a folder or an S3 bucket:
lib/stored_files.py) under protocols/ with a random name and served only by
the checked download view, never by a URL of the storage; their type is checked from their
content (a PDF starts with %PDF-, a DOCX is a zip holding word/document.xml),
not from the name a browser sends.
"""

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from parcours.access.module_scopes import lessons_projects, protocol_editor
from parcours.audit import services as audit
from parcours.audit.events import Event
from parcours.cases.models import Lesson, Protocol, ProtocolVersion
from parcours.lib import stored_files

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_MARKDOWN = 100_000
UPLOAD_DIR = "protocols"
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
TAG = re.compile(r"^[\w-]{1,30}$")
STORED_NAME = re.compile(rf"^{UPLOAD_DIR}/[0-9a-f]{{32}}\.(pdf|docx)$")

# HTML in the source is not allowed (shown as text), links are checked by
# markdown-it (no javascript:), and the result goes through a sanitiser.
_markdown = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})
_markdown.enable("table")
ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code",
    "pre", "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "br",
}  # fmt: skip


def render_markdown(text: str) -> str:
    html = _markdown.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised just above


def sniff(head: bytes, data: bytes) -> str | None:
    """'pdf', 'docx' or None, from the file's content."""
    if head.startswith(b"%PDF-"):
        return ProtocolVersion.Format.PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return ProtocolVersion.Format.DOCX
        except zipfile.BadZipFile:
            return None
    return None


def _store(upload) -> tuple[str, str, int, str]:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": [_("The file is larger than 10 MB.")]})
    data = upload.read()
    kind = sniff(data[:8], data)
    suffix = Path(upload.name or "").suffix.lower()
    if kind is None or suffix != f".{kind}":
        raise ValidationError({"file": [_("Upload a PDF or a Word (DOCX) file.")]})
    try:
        relative = stored_files.save(UPLOAD_DIR, f".{kind}", data)
    except OSError:
        raise ValidationError(
            {"file": [_("The file could not be stored just now: try again in a moment.")]}
        ) from None
    name = re.sub(r"[^\w.\- ]", "_", Path(upload.name).name)[:200]
    return relative, name, len(data), kind


def open_file(version: ProtocolVersion):
    """The version's uploaded file, opened for streaming (OSError when it is
    missing). Only names this module wrote are opened (protocols/<hex>.<kind>)."""
    if not STORED_NAME.match(version.file or ""):
        raise FileNotFoundError(version.file)
    return stored_files.open_file(version.file)


def _check_header(code, title, valid_from, review_on, errors, *, creating=True):
    if creating and not CODE.match(code or ""):
        errors["code"] = [_("A short code: lower-case letters, digits and hyphens.")]
    elif creating and Protocol.objects.filter(code=code).exists():
        errors["code"] = [_("This code is taken.")]
    if not (title or "").strip():
        errors["title"] = [_("Give a title.")]
    if not isinstance(valid_from, date):
        errors["valid_from"] = [_("Give the date it is valid from.")]
    if not isinstance(review_on, date):
        errors["review_on"] = [_("Give the date of its next review.")]
    elif isinstance(valid_from, date) and review_on <= valid_from:
        errors["review_on"] = [_("The review comes after the date it is valid from.")]


def _version(protocol, *, actor, body, upload, change_note):
    errors = {}
    if upload is None and not (body or "").strip():
        errors["body"] = [_("Write the text or upload a file.")]
    if len(body or "") > MAX_MARKDOWN:
        errors["body"] = [_("The text is too long.")]
    if errors:
        raise ValidationError(errors)
    fields = {"format": ProtocolVersion.Format.MARKDOWN, "body": body or ""}
    if upload is not None:
        relative, name, size, kind = _store(upload)
        fields = {"format": kind, "file": relative, "file_name": name, "file_size": size}
    number = (
        protocol.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    return ProtocolVersion.objects.create(
        protocol=protocol,
        number=number,
        created_by=actor,
        change_note=(change_note or "")[:255],
        **fields,
    )


def protocol_create(
    *, actor, code, title, owner, valid_from, review_on, body="", upload=None, change_note=""
) -> Protocol:
    if not protocol_editor(actor):
        raise PermissionDenied(_("Only coordinators and medical referents write protocols."))
    errors: dict = {}
    _check_header(code, title, valid_from, review_on, errors)
    if owner is None or not protocol_editor(owner):
        errors["owner"] = [_("The owner is a coordinator or a medical referent.")]
    if upload is None and not (body or "").strip():
        errors["body"] = [_("Write the text or upload a file.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        protocol = Protocol.objects.create(
            code=code, title=title.strip(), owner=owner, valid_from=valid_from, review_on=review_on
        )
        _version(protocol, actor=actor, body=body, upload=upload, change_note=change_note)
        audit.record(
            actor=actor, event=Event.PROTOCOL_CREATE, subject=protocol, extra={"code": code}
        )
    return protocol


def protocol_new_version(
    *, actor, protocol, version: int, valid_from, review_on, body="", upload=None, change_note=""
) -> ProtocolVersion:
    """A new version (the old ones stay readable), with its validity and next review."""
    if not protocol_editor(actor):
        raise PermissionDenied(_("Only coordinators and medical referents write protocols."))
    errors: dict = {}
    _check_header(None, protocol.title, valid_from, review_on, errors, creating=False)
    if not (change_note or "").strip():
        errors["change_note"] = [_("Say what changed.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Protocol.objects.select_for_update(of=("self",)).get(pk=protocol.pk)
        if locked.version != version:
            raise ValidationError(
                _("Someone else changed this protocol since you opened it: reload the page.")
            )
        row = _version(locked, actor=actor, body=body, upload=upload, change_note=change_note)
        locked.valid_from = valid_from
        locked.review_on = review_on
        locked.version += 1
        locked.save()
        audit.record(
            actor=actor,
            event=Event.PROTOCOL_VERSION,
            subject=locked,
            extra={"number": row.number, "format": row.format},
        )
    return row


def reviews_due(user, today=None):
    """Protocols the user owns whose review date has passed (home-page flag)."""
    today = today or timezone.localdate()
    return Protocol.objects.filter(owner=user, review_on__lt=today).order_by("review_on")


def clean_tags(raw) -> list[str]:
    if isinstance(raw, str):
        raw = re.split(r"[,;]", raw)
    tags = [t.strip().lower() for t in raw or [] if t and t.strip()]
    if any(not TAG.match(t) for t in tags):
        raise ValidationError({"tags": [_("Tags are single words, separated by commas.")]})
    return list(dict.fromkeys(tags))[:12]


def lesson_add(*, actor, project, data: dict) -> Lesson:
    if project.pk not in lessons_projects(actor):
        raise PermissionDenied(_("You do not work in this project."))
    errors = {}
    if not isinstance(data.get("date"), date):
        errors["date"] = [_("Give a date.")]
    elif data["date"] > timezone.localdate():
        errors["date"] = [_("A lesson is learned from the past: the date cannot be in the future.")]
    for name in ("context", "lesson"):
        if not (data.get(name) or "").strip():
            errors[name] = [_("This field is required.")]
    for name in ("context", "lesson", "recommendation"):
        if len(data.get(name) or "") > 3000:
            errors[name] = [_("Keep this under 3000 characters.")]
    try:
        tags = clean_tags(data.get("tags"))
    except ValidationError as e:
        errors.update(e.message_dict)
        tags = []
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        lesson = Lesson.objects.create(
            project=project,
            date=data["date"],
            context=data["context"].strip(),
            lesson=data["lesson"].strip(),
            recommendation=(data.get("recommendation") or "").strip(),
            tags=tags,
            written_by=actor,
        )
        audit.record(actor=actor, event=Event.LESSON_ADD, subject=lesson, project=project)
    return lesson
