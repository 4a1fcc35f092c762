from django.urls import path

from . import views

app_name = "learning"
urlpatterns = [
    path("cart/seats/", views.add_seats, name="add_seats"),
    path("cart/lesson/", views.add_lesson, name="add_lesson"),
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/<int:pk>/cancel/", views.cancel_booking, name="cancel_booking"),
    path("bookings/<int:pk>/ics/", views.booking_ics_view, name="booking_ics"),
    path("teach/", views.teacher_dashboard, name="teacher_dashboard"),
    path("teach/availability/", views.teacher_availability, name="teacher_availability"),
    path("teach/bookings/<int:pk>/confirm/", views.teacher_confirm, name="teacher_confirm"),
    path("teach/bookings/<int:pk>/decline/", views.teacher_decline, name="teacher_decline"),
]
