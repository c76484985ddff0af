from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [path("", views.body_list, name="body_list")]
