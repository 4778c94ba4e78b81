"""HTML forms of the officials' workspace, one module per page family (as dialogue/views/).

Forms parse and validate input; they never save. Views hand `cleaned_data`
to a service (dialogue/services/), which validates again, checks permissions and
writes. Choices are limited to what the user may see, and the sector to the
sectors the user may manage.

Edits are optimistic: a hidden `version` goes back to the service as
`expected_version`, so an edit based on an old read is refused (StaleVersionError)
instead of silently overwriting someone else's change.
"""

from dialogue.forms.actions import (
    ActionBulkStatusForm,
    ActionEditForm,
    ActionForm,
    ActionStatusForm,
)
from dialogue.forms.auth import SignInForm, UsernameLengthMixin
from dialogue.forms.choices import (
    BLANK_CHOICE,
    ONE_TO_FIVE_CHOICES,
    manageable_sectors,
    official_choices,
    threat_code_choices,
)
from dialogue.forms.chokepoints import ChokepointForm
from dialogue.forms.concerns import (
    ConcernAssignForm,
    ConcernLinkThreatForm,
    ConcernMessageForm,
    ConcernStatusForm,
)
from dialogue.forms.errors import add_service_errors
from dialogue.forms.fields import (
    ChokepointMultipleChoiceField,
    DateInput,
    OrganizationChoiceField,
    PersonChoiceField,
    PersonMultipleChoiceField,
    SectorChoiceField,
    SectorMultipleChoiceField,
    ThreatMultipleChoiceField,
)
from dialogue.forms.referrals import ConcernMeasuresForm, ReferralProposeForm, ReferralStatusForm
from dialogue.forms.registers import RegisterForm
from dialogue.forms.sessions import (
    EMPTY_ROWS,
    AgendaItemForm,
    ParticipantForm,
    SessionActionRowForm,
    SessionForm,
    SessionStatusForm,
    SessionThreatRowForm,
    agenda_link_choices,
    formset_rows,
    session_formset,
)
from dialogue.forms.status import WorkflowStatusForm
from dialogue.forms.threats import ThreatForm, ThreatStatusForm

__all__ = [
    "BLANK_CHOICE",
    "EMPTY_ROWS",
    "ONE_TO_FIVE_CHOICES",
    "ActionBulkStatusForm",
    "ActionEditForm",
    "ActionForm",
    "ActionStatusForm",
    "AgendaItemForm",
    "ChokepointForm",
    "ChokepointMultipleChoiceField",
    "ConcernAssignForm",
    "ConcernLinkThreatForm",
    "ConcernMeasuresForm",
    "ConcernMessageForm",
    "ConcernStatusForm",
    "DateInput",
    "OrganizationChoiceField",
    "ParticipantForm",
    "PersonChoiceField",
    "PersonMultipleChoiceField",
    "ReferralProposeForm",
    "ReferralStatusForm",
    "RegisterForm",
    "SectorChoiceField",
    "SectorMultipleChoiceField",
    "SessionActionRowForm",
    "SessionForm",
    "SessionStatusForm",
    "SessionThreatRowForm",
    "SignInForm",
    "ThreatForm",
    "ThreatMultipleChoiceField",
    "ThreatStatusForm",
    "UsernameLengthMixin",
    "WorkflowStatusForm",
    "add_service_errors",
    "agenda_link_choices",
    "formset_rows",
    "manageable_sectors",
    "official_choices",
    "session_formset",
    "threat_code_choices",
]
