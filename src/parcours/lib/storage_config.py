"""The ``default`` entry of STORAGES: where uploaded files are kept.

``PARCOURS_STORAGE=local`` (the default): the folder ``PARCOURS_MEDIA_ROOT``.
``PARCOURS_STORAGE=s3``: an S3-compatible bucket through django-storages,
named by

- ``PARCOURS_S3_BUCKET`` (required),
- ``PARCOURS_S3_ENDPOINT_URL`` (MinIO, Ceph, Scaleway, OVH…; empty for AWS),
- ``PARCOURS_S3_REGION``,
- ``PARCOURS_S3_ACCESS_KEY_ID`` and ``PARCOURS_S3_SECRET_ACCESS_KEY`` (each
  may come from a ``…_FILE``; empty: boto3's own chain, e.g. an instance role),
- ``PARCOURS_S3_PREFIX`` (a folder inside the bucket, optional),
- ``PARCOURS_S3_ADDRESSING_STYLE`` (``path`` for most self-hosted servers),
- ``PARCOURS_S3_SSE`` (server-side encryption asked of the bucket, e.g.
  ``AES256`` or ``aws:kms``; empty: the bucket's default).

The files are private: objects are written without a public ACL, and the app
never hands out a URL of the storage (downloads go through its checked views).
"""

from django.core.exceptions import ImproperlyConfigured

from parcours.lib.env import env_str

LOCAL = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_BACKEND = "storages.backends.s3.S3Storage"


def default_storage() -> dict:
    kind = (env_str("PARCOURS_STORAGE", "local") or "local").strip().lower()
    if kind == "local":
        return dict(LOCAL)
    if kind != "s3":
        raise ImproperlyConfigured("PARCOURS_STORAGE: local or s3")
    bucket = env_str("PARCOURS_S3_BUCKET")
    if not bucket:
        raise ImproperlyConfigured("PARCOURS_STORAGE=s3 needs PARCOURS_S3_BUCKET")
    sse = env_str("PARCOURS_S3_SSE", "")
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("PARCOURS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("PARCOURS_S3_REGION") or None,
            "access_key": env_str("PARCOURS_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("PARCOURS_S3_SECRET_ACCESS_KEY") or None,
            "location": (env_str("PARCOURS_S3_PREFIX", "") or "").strip("/"),
            "addressing_style": env_str("PARCOURS_S3_ADDRESSING_STYLE") or None,
            "default_acl": "private",
            # Names are random (lib/stored_files.py): no existence check before
            # each write; a restore writes objects back under their own names.
            "file_overwrite": True,
            # Never a public URL; a signed one is not handed out either.
            "querystring_auth": True,
            "custom_domain": None,
            "object_parameters": {"ServerSideEncryption": sse} if sse else {},
        },
    }
