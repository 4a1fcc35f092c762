from django.urls import path
from wagtail.contrib.sitemaps.views import sitemap

from marketing import views as marketing_views

urlpatterns = [
    # -- marketing (newsletter, testimonials, sitemap, robots) --
    path("newsletter/signup/", marketing_views.newsletter_signup, name="newsletter_signup"),
    path("newsletter/confirm/<str:token>/", marketing_views.newsletter_confirm, name="newsletter_confirm"),
    path("newsletter/unsubscribe/<str:token>/", marketing_views.newsletter_unsubscribe, name="newsletter_unsubscribe"),
    path("testimonials/new/", marketing_views.testimonial_submit, name="testimonial_submit"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", marketing_views.robots_txt, name="robots_txt"),
]
