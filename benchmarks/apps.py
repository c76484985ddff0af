from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """`make bench`: the scale data and the measurements (issues 10 and 19). Above every app:
    it writes every app's tables and reads every page; nothing imports it."""

    name = "benchmarks"
    verbose_name = "Prestatiemeting"
