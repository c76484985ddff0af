from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`seed_demo`, the local demo's data: the one command that calls every app's demo
    builders, so it sits above them all (the privacy app included); nothing imports it."""

    name = "demo"
    verbose_name = "Demogegevens"
