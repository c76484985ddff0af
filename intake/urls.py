from django.urls import path  # noqa: F401  (report views arrive with the intake issue)

app_name = "intake"

urlpatterns: list = []
