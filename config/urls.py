from django.contrib import admin
from django.urls import include, path

from roster.api.main import urls as api_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api_urls),
    path("", include("roster.web.urls", namespace="web")),
]

handler400 = "roster.web.views.errors.bad_request"
