from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("roster.web.urls", namespace="web")),
]

handler400 = "roster.web.views.errors.bad_request"
