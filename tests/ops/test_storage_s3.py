"""Uploaded files on S3-compatible storage: the real django-storages S3
backend, configured from the PARCOURS_S3_* variables, talking over HTTP to
moto's S3 server on 127.0.0.1. A protocol uploaded through its page lands in
the bucket (private, never on the local disk) and comes back only through the
checked download view; an import file is stored, read and removed there; a
backup carries the bucket's objects and a restore writes them back."""

import sqlite3
import uuid
from datetime import timedelta

import boto3
import pytest
from django.core.files.storage import storages
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer

from parcours.cases.models import Protocol
from parcours.imports import services as imports
from parcours.imports.models import ImportBatch
from parcours.imports.readers import ImportFileError
from parcours.lib.storage_config import S3_BACKEND, default_storage
from parcours.ops import backup
from parcours.people.models import Person
from tests.imports.conftest import MANO_PERSON_HEADER, mano_person, write_xlsx

KEY_ID, SECRET = "parcours-test", "parcours-test-secret"  # moto accepts any
PDF = b"%PDF-1.7\n% protocol PEP on a bucket\n" + b"0" * 4000


@pytest.fixture(scope="module")
def endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def _client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=KEY_ID,
        aws_secret_access_key=SECRET,
        region_name="eu-west-3",
    )


def _use_bucket(endpoint, settings, monkeypatch, bucket, *, create=True):
    # The machine's own AWS profile or HTTP proxy must not get in the way.
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    if create:
        _client(endpoint).create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
        )
    for name, value in {
        "PARCOURS_STORAGE": "s3",
        "PARCOURS_S3_BUCKET": bucket,
        "PARCOURS_S3_ENDPOINT_URL": endpoint,
        "PARCOURS_S3_REGION": "eu-west-3",
        "PARCOURS_S3_ACCESS_KEY_ID": KEY_ID,
        "PARCOURS_S3_SECRET_ACCESS_KEY": SECRET,
        "PARCOURS_S3_PREFIX": "parcours",
        "PARCOURS_S3_ADDRESSING_STYLE": "path",
    }.items():
        monkeypatch.setenv(name, value)
    # Changing STORAGES resets Django's storage handler: the next use builds
    # the S3 backend from these variables, as settings.py does at start-up.
    settings.STORAGES = {**settings.STORAGES, "default": default_storage()}


@pytest.fixture
def bucket(endpoint, settings, monkeypatch, tmp_path):
    # Nothing may reach the local uploads folder.
    settings.MEDIA_ROOT = tmp_path / "media"
    name = f"parcours-{uuid.uuid4().hex[:12]}"
    _use_bucket(endpoint, settings, monkeypatch, name)
    assert storages["default"].__class__.__module__ + ".S3Storage" == S3_BACKEND
    yield name
    assert not settings.MEDIA_ROOT.exists()


def objects(endpoint, bucket) -> dict[str, bytes]:
    client = _client(endpoint)
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listed}


def _post_protocol(login, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    today = timezone.localdate()
    return login(world.referent).post(
        reverse("cases:protocol_new"),
        {
            "code": "pep-s3",
            "title": "PEP protocol",
            "owner": world.referent.pk,
            "valid_from": today.isoformat(),
            "review_on": (today + timedelta(days=365)).isoformat(),
            "file": SimpleUploadedFile("PEP.pdf", PDF, content_type="application/pdf"),
        },
    )


def _upload_protocol(login, world):
    response = _post_protocol(login, world)
    assert response.status_code == 302, response.content[:500]
    return Protocol.objects.get(code="pep-s3").current


@pytest.mark.django_db
def test_a_protocol_file_goes_to_the_bucket_and_back_through_the_checked_view(
    endpoint, bucket, world, login, client
):
    version = _upload_protocol(login, world)
    stored = objects(endpoint, bucket)
    assert stored == {f"parcours/{version.file}": PDF}
    assert version.file.startswith("protocols/")
    # Private: the object grants nothing to everyone (no public ACL).
    acl = _client(endpoint).get_object_acl(Bucket=bucket, Key=f"parcours/{version.file}")
    assert all("URI" not in grant["Grantee"] for grant in acl["Grants"])

    url = reverse("cases:protocol_download", args=[version.pk])
    response = login(world.doctor).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF
    # Not a redirect to the bucket: the bytes came through the app.
    assert "Location" not in response

    assert login(world.nobody).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db
def test_a_missing_object_is_a_404_not_a_500(endpoint, bucket, world, login):
    version = _upload_protocol(login, world)
    _client(endpoint).delete_object(Bucket=bucket, Key=f"parcours/{version.file}")
    url = reverse("cases:protocol_download", args=[version.pk])
    assert login(world.doctor).get(url).status_code == 404


@pytest.mark.django_db
def test_a_bucket_that_refuses_the_file_is_a_clear_message_and_nothing_is_kept(
    endpoint, settings, monkeypatch, world, login, tmp_path
):
    settings.LANGUAGE_CODE = "en"
    _use_bucket(endpoint, settings, monkeypatch, "no-such-bucket", create=False)
    response = _post_protocol(login, world)
    assert response.status_code == 200
    assert "could not be stored just now" in response.content.decode()
    assert not Protocol.objects.exists()
    with pytest.raises(ImportFileError, match="could not be stored"):
        imports.batch_create(
            actor=world.coordinator,
            project=world.calais,
            name="data.csv",
            chunks=[b"name;birthdate\nSelam;1990-01-01\n"],
            size=30,
        )
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_an_import_file_is_stored_read_and_removed_in_the_bucket(endpoint, bucket, world, tmp_path):
    source = write_xlsx(
        tmp_path / "data.xlsx",
        {"personnes suivies": [MANO_PERSON_HEADER, mano_person(name="Selam Bekele")]},
    )
    batch = imports.batch_create(
        actor=world.coordinator,
        project=world.calais,
        name="data.xlsx",
        chunks=[source.read_bytes()],
        size=source.stat().st_size,
    )
    assert batch.stored_path.startswith("imports/")
    assert objects(endpoint, bucket) == {f"parcours/{batch.stored_path}": source.read_bytes()}
    assert "name" in imports.batch_headers(batch)[0][1]

    dry = imports.batch_run(actor=world.coordinator, batch=batch, dry_run=True)
    assert dry.counts == {"imported": 1} and not Person.objects.exists()
    # A second run works on its own copy of the file, in the bucket too.
    done = imports.batch_run(actor=world.coordinator, batch=dry, dry_run=False)
    assert done.pk != dry.pk and done.counts == {"imported": 1}
    assert Person.objects.count() == 1
    assert ImportBatch.objects.get(pk=done.pk).stored_path == ""
    # The real run's copy is removed; the dry run's upload stays for a re-run.
    assert list(objects(endpoint, bucket)) == [f"parcours/{dry.stored_path}"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite round trip")
@pytest.mark.django_db(transaction=True)
def test_backup_carries_the_bucket_and_restore_writes_it_back(
    endpoint, bucket, world, login, settings, monkeypatch, tmp_path
):
    version = _upload_protocol(login, world)
    archive = tmp_path / "parcours.pcbk"
    manifest = backup.create(archive)
    assert f"media/{version.file}" in manifest["files"]

    restored = f"restored-{uuid.uuid4().hex[:12]}"
    _use_bucket(endpoint, settings, monkeypatch, restored)
    target = backup.Database("sqlite", {"NAME": str(tmp_path / "restored.sqlite3")})
    backup.restore(archive, database=target)
    assert objects(endpoint, restored) == {f"parcours/{version.file}": PDF}
    with sqlite3.connect(tmp_path / "restored.sqlite3") as db:
        (name,) = db.execute(
            "SELECT file FROM cases_protocolversion WHERE id = ?", (version.pk,)
        ).fetchone()
    assert name == version.file

    # Into a bucket that is not empty: refused unless forced.
    other = tmp_path / "again.sqlite3"
    with pytest.raises(backup.RestoreError, match="not empty"):
        backup.restore(archive, database=backup.Database("sqlite", {"NAME": str(other)}))
    assert not other.exists()
