"""The S3 path of digital downloads against a local S3 server (moto in server mode).

The private storage is built from the *production* settings (read in a subprocess with
``AWS_STORAGE_BUCKET_NAME`` and ``AWS_S3_ENDPOINT_URL`` set), so this checks the real
configuration: files land under the ``private/`` prefix with a private ACL, and a download
redirects to a presigned URL whose expiry is short. Moto checks neither signatures nor expiry,
so the presigned URL's parameters are asserted.
"""

from urllib.parse import parse_qs, urlsplit
from urllib.request import urlopen

import boto3
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.module_loading import import_string

from shop.models import DigitalAsset, Entitlement
from shop.tests.factories import make_product
from shop.tests.offer_helpers import paid_order
from tests.settings_probe import PRODUCTION_ENV, read_settings
from tests.stripe_fixtures import free_port

BUCKET = "comptoir-test"
PDF = b"%PDF-1.4\n% e-book on S3\n%%EOF\n"


@pytest.fixture(scope="module")
def s3_endpoint():
    moto_server = pytest.importorskip("moto.server")
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_private_storage(s3_endpoint, monkeypatch):
    """The production ``private`` storage pointed at moto, swapped into DigitalAsset.file."""

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    config = read_settings(
        "config.settings.production",
        ["STORAGES"],
        env={
            **PRODUCTION_ENV,
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "DATABASE_URL": "sqlite:////tmp/unused.sqlite3",
        },
    )["STORAGES"]["private"]
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["location"] == "private" and config["OPTIONS"]["querystring_auth"] is True
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
    storage = import_string(config["BACKEND"])(**config["OPTIONS"])
    field = DigitalAsset._meta.get_field("file")
    monkeypatch.setattr(field, "storage", storage)
    return storage


@pytest.mark.django_db
def test_s3_file_is_private_and_download_redirects_to_short_presigned_url(client, s3_private_storage, s3_endpoint):
    product = make_product("Macaron recipe e-book", kind="digital", variants=[{"price": 1200, "stock": None}])
    asset = DigitalAsset(product=product, title="Recipe e-book (PDF)")
    asset.file.save("macarons.pdf", ContentFile(PDF), save=False)
    asset.save()

    s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    keys = [obj["Key"] for obj in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"private/{asset.file.name}"] and asset.file.name.startswith("downloads/")
    grants = s3.get_object_acl(Bucket=BUCKET, Key=keys[0])["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers / AuthenticatedUsers grant

    user = get_user_model().objects.create_user("owner", "owner@example.com", "pw")
    order = paid_order([(product.variants.get(), 1)], user=user, email=user.email)
    entitlement = order.lines.get().entitlement
    client.force_login(user)

    response = client.get(reverse("shop:download", args=[entitlement.pk, asset.pk]))

    assert response.status_code == 302
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}" == s3_endpoint
    assert url.path == f"/{BUCKET}/private/{asset.file.name}"
    assert 0 < int(query["X-Amz-Expires"][0]) <= 600
    assert query["X-Amz-Signature"][0] and query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["response-content-disposition"] == ['attachment; filename="macarons.pdf"']
    assert response["Cache-Control"] == "private, no-store"
    assert urlopen(response["Location"], timeout=5).read() == PDF
    assert Entitlement.objects.get(pk=entitlement.pk).download_count == 1

    # Someone else gets no URL at all.
    client.force_login(get_user_model().objects.create_user("other", "other@example.com", "pw"))
    refused = client.get(reverse("shop:download", args=[entitlement.pk, asset.pk]))
    assert refused.status_code == 404 and "Location" not in refused
