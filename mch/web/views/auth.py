from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = gettext_lazy("User name")
        self.fields["password"].label = gettext_lazy("Password")

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(
            _(
                "The user name or password is not correct. After %(limit)s failed attempts "
                "log-in is locked for a while."
            )
            % {"limit": settings.AXES_FAILURE_LIMIT},
            code="invalid_login",
        )


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True
