"""The notification settings form: one choice per kind that concerns the user's role."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice

from consult.forms import Form
from consult.models import Channel, NotificationKind, User


class PreferencesForm(Form):
    digest = BooleanField(
        _l("Send me one e-mail a day with everything new, instead of one e-mail each time"),
    )

    def kind_fields(self):
        return [
            self[f"kind_{kind.value}"] for kind in NotificationKind if f"kind_{kind.value}" in self
        ]


def preferences_form(user: User, **kwargs) -> PreferencesForm:
    """A form class with a field for each kind this user can receive."""

    class UserPreferencesForm(PreferencesForm):
        pass

    for kind in NotificationKind:
        if kind.concerns(user):
            setattr(
                UserPreferencesForm,
                f"kind_{kind.value}",
                RadioField(
                    kind.label,
                    choices=[SelectChoice(c.value, c.label) for c in Channel],
                    default=Channel.EMAIL.value,
                ),
            )
    return UserPreferencesForm(**kwargs)
