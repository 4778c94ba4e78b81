"""The sign-in form of the workspace, the portal and the admin."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class UsernameLengthMixin:
    """For Django's sign-in forms: the user name's length enforced, not only hinted.

    Django sets the field's max_length after building it, which adds no validator: a
    longer name was checked against the passwords and then written to the failed
    sign-in log (django-axes), whose column PostgreSQL refuses it for.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(UsernameLengthMixin, AuthenticationForm):
    """The sign-in form of the workspace and (as PortalAuthenticationForm) the portal."""
