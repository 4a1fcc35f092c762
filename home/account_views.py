"""The customer's account home at ``/accounts/`` (allauth serves the rest of ``/accounts/``).

It only greets the signed-in customer and links to the places that belong to them (orders,
bookings, downloads, email and password, and for teachers their dashboard); each app owns the page behind its link.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

TEACHERS_GROUP = "Teachers"


@login_required
def account_home(request):
    """Render ``account/home.html`` for the signed-in user; anonymous visitors go to sign-in.

    The template resolves its links with ``{% url ... as var %}`` so a page another app has not
    built yet is simply left out instead of raising ``NoReverseMatch``.
    """
    # The learning app puts teachers in this group; home only reads the name (no import of learning).
    is_teacher = request.user.groups.filter(name=TEACHERS_GROUP).exists()
    return render(request, "account/home.html", {"email": request.user.email, "is_teacher": is_teacher})
