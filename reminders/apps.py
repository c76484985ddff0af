from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Termijnen en herinneringen"

    def ready(self) -> None:
        # "Mijn werk" lives in ipgar.core, which may not import this app: give it the section.
        from ipgar.core.my_work import register_section
        from reminders.my_work import my_work_section

        register_section("termijnen", "reminders/_my_work.html", my_work_section, order=10)
