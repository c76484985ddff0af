from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from ipgar.accounts.constants import Role
from ipgar.accounts.models import Organisation, User
from ipgar.lib.forms import ModelForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Gebruikersnaam of wachtwoord is onjuist.",
        "inactive": "Dit account is niet actief. Neem contact op met functioneel beheer.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Gebruikersnaam"
        self.fields["password"].label = "Wachtwoord"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code uit uw authenticator-app",
        min_length=6,
        max_length=14,
        help_text="Geen toegang tot de app? Vul een van uw herstelcodes in.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        error_messages={
            "required": "Vul de zescijferige code in.",
            "min_length": "De code bestaat uit zes cijfers.",
            "max_length": "De code bestaat uit zes cijfers (of een herstelcode van tien tekens).",
        },
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if len(token) == 6 and not token.isdigit():
            raise forms.ValidationError("De code bestaat uit zes cijfers.")
        return token

    @property
    def is_recovery_code(self) -> bool:
        return not self.cleaned_data["token"].isdigit()


class ActivationForm(forms.Form):
    activation_code = forms.CharField(
        label="Activeringscode",
        max_length=20,
        help_text="De code die u van functioneel beheer kreeg (12 tekens, 72 uur geldig).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
        error_messages={"required": "Vul de activeringscode in."},
    )


class UserForm(ModelForm):
    roles = forms.MultipleChoiceField(
        label="Rollen",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Een gebruiker kan meerdere rollen hebben.",
    )
    password = forms.CharField(
        label="Beginwachtwoord",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        required=False,
        help_text="Ten minste 12 tekens. Alleen bij een nieuw account.",
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "organisation",
            "job_title",
            "phone",
            "fte",
            "is_active",
        ]
        labels = {
            "username": "Gebruikersnaam",
            "first_name": "Voornaam",
            "last_name": "Achternaam",
            "email": "E-mailadres",
            "is_active": "Actief",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(is_active=True)
        self.fields["organisation"].required = True
        self.fields["organisation"].error_messages["required"] = "Kies de organisatie."
        self.fields["email"].required = True
        if self.instance.pk:
            del self.fields["password"]
            self.initial["roles"] = sorted(self.instance.role_names)
        else:
            self.fields["password"].required = True

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if password:
            password_validation.validate_password(password, self.instance)
        return password


class OrganisationForm(ModelForm):
    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "email", "phone", "is_active"]
