from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Overleggen"

    def ready(self) -> None:
        # "Mijn werk" lives in ipgar.core, which may not import this app: give it the section.
        from django.utils import timezone

        from ipgar.core.my_work import register_section
        from meetings.selectors import my_open_actions

        def my_actions(request) -> dict:
            return {"actions": my_open_actions(request.user), "today": timezone.localdate()}

        register_section("acties", "meetings/_my_work.html", my_actions, order=20)

        # Choosing a regisseur (cases) shows their open agenda items, which live here.
        from cases.selectors import register_open_item_counter
        from meetings.selectors import open_case_items_per_regisseur

        register_open_item_counter(open_case_items_per_regisseur)
