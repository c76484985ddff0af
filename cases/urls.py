from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("interventiepallet/", views.catalogue_list, name="catalogue_list"),
    path("interventiepallet/nieuw/", views.catalogue_edit, name="catalogue_create"),
    path("interventiepallet/<int:pk>/", views.catalogue_edit, name="catalogue_update"),
]
