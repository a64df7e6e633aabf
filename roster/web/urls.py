from django.urls import path

from roster.web.views import activation, auth, portal, users, welcome

app_name = "web"

urlpatterns = [
    path("", auth.home, name="home"),
    path("o/<slug:slug>/login/", auth.login_view, name="login"),
    path("o/<slug:slug>/logout/", auth.logout_view, name="logout"),
    path("o/<slug:slug>/", portal.dashboard, name="dashboard"),
    path("o/<slug:slug>/users/", users.user_list, name="users"),
    path("o/<slug:slug>/users/new/", users.user_create, name="user-create"),
    path("o/<slug:slug>/users/template.xlsx", users.template_download, name="template"),
    path("o/<slug:slug>/users/<int:account_id>/", users.user_detail, name="user-detail"),
    path("o/<slug:slug>/users/<int:account_id>/edit/", users.user_edit, name="user-edit"),
    path("o/<slug:slug>/users/resend/", welcome.resend_many, name="resend-many"),
    path("o/<slug:slug>/users/<int:account_id>/resend/", welcome.resend_one, name="resend-one"),
    path("o/<slug:slug>/activate/<str:token>/", activation.activate, name="activate"),
    path("o/<slug:slug>/my-students/", welcome.my_students, name="my-students"),
    path(
        "o/<slug:slug>/my-students/<int:account_id>/password/",
        welcome.set_student_password,
        name="student-password",
    ),
    path("o/<slug:slug>/outbox/", portal.outbox, name="outbox"),
    path("o/<slug:slug>/outbox/<int:message_id>/", portal.outbox_message, name="outbox-message"),
]
