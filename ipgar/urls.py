from django.urls import include, path

urlpatterns = [
    path("", include("ipgar.core.urls")),
    path("", include("ipgar.accounts.urls")),
    path("toegangslog/", include("ipgar.audit.urls")),
    path("meldingen/", include("intake.urls")),
    path("casussen/", include("cases.urls")),
    path("overleggen/", include("meetings.urls")),
    path("termijnen/", include("reminders.urls")),
    path("monitor/", include("monitor.urls")),
    path("privacy/", include("privacy.urls")),
    path("zoeken/", include("search.urls")),
]

handler400 = "ipgar.core.views.error_400"
handler403 = "ipgar.core.views.error_403"
handler404 = "ipgar.core.views.error_404"
handler500 = "ipgar.core.views.error_500"
