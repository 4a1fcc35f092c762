import pytest
from django.core import mail
pytestmark = pytest.mark.django_db
from shop.tests.test_confirmation_downloads import *  # noqa
def test_show(client, stripe_signer):
    test_guest_buying_the_ebook_gets_a_working_download_link_by_email(client, stripe_signer)
    print(mail.outbox[0].body)
    open("/tmp/shopb_email.html","w").write(mail.outbox[0].alternatives[0][0])
