"""PostgreSQL concurrency: real threads, each with its own database connection, racing through
the shop's real checkout (``place_order`` → ``lock`` → ``hold``).

- 30 simultaneous attempts at one teacher slot → exactly 1 booking, 29 ``SlotTaken``.
- 30 simultaneous attempts at the last 2 seats of a session → exactly 2 seats sold.
- The exclusion constraint itself refuses an overlapping lesson written past the app checks.
Only the typed checkout errors may be raised; anything else fails the test.
"""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction

from learning.models import Booking, BookingStatus
from learning.tests.helpers import (
    first_free_slot,
    lesson_line_key,
    make_course,
    make_teacher,
    pay,
    place_cart,
)
from shop.exceptions import CheckoutError, SeatsUnavailable, SlotTaken

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 30


def race(attempt, n=N):
    """Run ``attempt(i)`` in ``n`` threads released together; return (results, unexpected errors)."""
    barrier = threading.Barrier(n)
    results, unexpected = [], []
    lock = threading.Lock()

    def run(i):
        close_old_connections()
        try:
            barrier.wait(timeout=30)
            outcome = attempt(i)
        except CheckoutError as exc:
            outcome = exc
        except Exception as exc:
            with lock:
                unexpected.append(repr(exc))
            outcome = exc
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results, unexpected


def test_thirty_customers_one_slot(postgres):
    teacher = make_teacher()
    slot = first_free_slot(teacher)
    key = lesson_line_key(teacher, slot)
    results, unexpected = race(lambda i: place_cart([("lesson", key, 1, {})], email=f"c{i}@example.com"))
    assert unexpected == []
    assert sum(1 for r in results if not isinstance(r, Exception)) == 1
    assert sum(1 for r in results if isinstance(r, SlotTaken)) == N - 1
    assert Booking.objects.filter(teacher=teacher, status=BookingStatus.HELD).count() == 1


def test_thirty_customers_last_two_seats(postgres):
    course = make_course(sessions=[(5, 6)])
    session = course.sessions.get()
    pay(place_cart([("session_seat", str(session.pk), 4, {})], email="early@example.com"))
    results, unexpected = race(
        lambda i: place_cart([("session_seat", str(session.pk), 1, {})], email=f"s{i}@example.com")
    )
    assert unexpected == []
    assert sum(1 for r in results if not isinstance(r, Exception)) == 2
    assert sum(1 for r in results if isinstance(r, SeatsUnavailable)) == N - 2
    assert session.seats_taken() == 6


def test_exclusion_constraint_refuses_overlaps_the_app_did_not_check(postgres):
    teacher = make_teacher()
    slot = first_free_slot(teacher)
    common = dict(kind="lesson", teacher=teacher, title="x", start=slot.start, end=slot.end, status=BookingStatus.PAID)
    Booking.objects.create(customer_email="a@example.com", **common)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            customer_email="b@example.com",
            **{**common, "start": slot.start + timedelta(minutes=30), "end": slot.end + timedelta(minutes=30)},
        )
    other = make_teacher("Other")
    with pytest.raises(IntegrityError), transaction.atomic():  # same customer, another teacher
        Booking.objects.create(customer_email="a@example.com", **{**common, "teacher": other})
    # a cancelled booking does not count; back-to-back lessons do not overlap ('[)' ranges)
    Booking.objects.create(customer_email="c@example.com", **{**common, "status": BookingStatus.CANCELLED})
    Booking.objects.create(
        customer_email="d@example.com", **{**common, "start": slot.end, "end": slot.end + timedelta(hours=1)}
    )
