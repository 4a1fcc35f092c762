"""S3 media: an image uploaded through the Wagtail admin lands in the bucket under ``media/``
and its rendition URL serves the image.

A real S3 API is played by moto's server mode, started here in a subprocess on a free
127.0.0.1 port; the site talks to it through django-storages and boto3 exactly as it would talk
to AWS (only ``endpoint_url`` differs, which is what ``AWS_S3_ENDPOINT_URL`` sets).
"""

import io
import json
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage, storages
from django.test import override_settings
from django.urls import reverse
from PIL import Image as PILImage
from storages.backends.s3 import S3Storage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

BUCKET = "petitfour-media-test"
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}  # moto accepts any key


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """Start ``moto.server`` on 127.0.0.1 and yield its URL; stopped after the module."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("moto server did not start")
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint):

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(Bucket=BUCKET)
    # Public media are readable by anyone, as the README's S3 section asks of the real bucket;
    # private files (location "private") are not covered by this policy.
    client.put_bucket_policy(
        Bucket=BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "PublicMedia",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{BUCKET}/media/*",
                    }
                ],
            }
        ),
    )
    yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


@pytest.fixture
def s3_media(settings, bucket, s3_endpoint):
    """The site's media storage switched to the S3 bucket, as base.py configures it."""
    storages = dict(settings.STORAGES)
    storages["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": s3_endpoint,
            "region_name": "us-east-1",
            "location": "media",
            "querystring_auth": False,
            "file_overwrite": False,
            **CREDENTIALS,
        },
    }
    # override_settings fires setting_changed, which resets django.core.files.storage.storages
    # and default_storage; Wagtail's Image/Rendition file fields use default_storage lazily.
    with override_settings(STORAGES=storages):
        yield bucket


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user(username="editor", email="editor@example.com", password="x")
    user.groups.add(Group.objects.get(name="Editors"))  # created by Wagtail's migrations
    return user


def png_bytes(width=320, height=200):
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (178, 74, 107)).save(buf, "PNG")
    return buf.getvalue()


def test_admin_image_upload_lands_in_s3_and_rendition_url_serves_it(client, s3_media, editor):

    # Wagtail's image file field stores through default_storage, which now resolves to the bucket.
    assert get_image_model()._meta.get_field("file").storage is default_storage
    assert isinstance(storages["default"], S3Storage) and default_storage.bucket_name == BUCKET

    client.force_login(editor)
    upload = io.BytesIO(png_bytes())
    upload.name = "macarons.png"
    response = client.post(reverse("wagtailimages:add"), {"title": "Macarons", "file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]

    image = get_image_model().objects.get(title="Macarons")
    keys = [o["Key"] for o in s3_media.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert image.file.name.startswith("original_images/")
    assert f"media/{image.file.name}" in keys
    assert (image.width, image.height) == (320, 200)

    rendition = image.get_rendition("fill-100x80")
    keys = [o["Key"] for o in s3_media.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert f"media/{rendition.file.name}" in keys
    assert rendition.url.startswith(f"{s3_media.meta.endpoint_url}/{BUCKET}/media/images/")

    with urllib.request.urlopen(rendition.url, timeout=10) as resp:
        assert resp.status == 200
        body = resp.read()
    served = PILImage.open(io.BytesIO(body))
    assert served.format == "WEBP"  # WAGTAILIMAGES_FORMAT_CONVERSIONS: png -> webp
    assert served.size == (100, 80)
