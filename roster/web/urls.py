from django.urls import path

from roster.web.views import activation, auth, finish, imports, portal, review, users, welcome

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
    path("o/<slug:slug>/users/add-multiple/", imports.add_users, name="add-users"),
    path("o/<slug:slug>/imports/", imports.history, name="imports"),
    path("o/<slug:slug>/imports/<int:job_id>/", review.review, name="import-review"),
    path("o/<slug:slug>/imports/<int:job_id>/discard/", imports.discard, name="import-discard"),
    path("o/<slug:slug>/imports/<int:job_id>/cell/", review.edit_cell, name="import-cell"),
    path("o/<slug:slug>/imports/<int:job_id>/column/", review.map_column, name="import-column"),
    path("o/<slug:slug>/imports/<int:job_id>/delete/", review.delete_rows, name="import-delete"),
    path("o/<slug:slug>/imports/<int:job_id>/role/", review.choose_role, name="import-role"),
    path("o/<slug:slug>/imports/<int:job_id>/forget/", review.forget_mapping, name="import-forget"),
    path("o/<slug:slug>/imports/<int:job_id>/invite/", review.answer_invite, name="import-invite"),
    path("o/<slug:slug>/imports/<int:job_id>/finish/", finish.finish, name="import-finish"),
    path("o/<slug:slug>/imports/<int:job_id>/confirm/", finish.confirm, name="import-confirm"),
    path("o/<slug:slug>/imports/<int:job_id>/apply/", finish.apply, name="import-apply"),
    path("o/<slug:slug>/imports/<int:job_id>/progress/", finish.progress, name="import-progress"),
    path("o/<slug:slug>/imports/<int:job_id>/result/", finish.result, name="import-result"),
    path(
        "o/<slug:slug>/imports/<int:job_id>/issues.xlsx",
        finish.report,
        {"kind": "xlsx"},
        name="import-report-xlsx",
    ),
    path(
        "o/<slug:slug>/imports/<int:job_id>/issues.csv",
        finish.report,
        {"kind": "csv"},
        name="import-report-csv",
    ),
    path("o/<slug:slug>/outbox/", portal.outbox, name="outbox"),
    path("o/<slug:slug>/outbox/<int:message_id>/", portal.outbox_message, name="outbox-message"),
]
