"""Plan-revision digests: the ones sent to me, and how often I want them."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue.models import Digest, Sector, User
from dialogue.services.users import digest_preferences_update
from dialogue.views.access import official_required


@official_required
def digest_list(request):
    digests = Digest.objects.visible_to(request.user).select_related("since_revision")
    page = Paginator(digests, 25).get_page(request.GET.get("page"))
    return render(request, "dialogue/digests/list.html", {"page": page, "title": _("Digests")})


@official_required
def digest_detail(request, pk: int):
    digest = get_object_or_404(
        Digest.objects.visible_to(request.user).select_related("since_revision"), pk=pk
    )
    sectors = {s.code: s.name for s in Sector.objects.all()}
    return render(
        request,
        "dialogue/digests/detail.html",
        {"digest": digest, "content": digest.content, "sectors": sectors, "title": str(digest)},
    )


class DigestPreferencesForm(forms.ModelForm):
    digest_sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Sectors"),
        help_text=gettext_lazy("Leave all unticked for every sector you may see."),
    )

    class Meta:
        model = User
        fields = ["digest_frequency", "digest_sectors"]
        widgets = {"digest_frequency": forms.RadioSelect}

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, instance=user, **kwargs)
        self.fields["digest_sectors"].queryset = Sector.objects.visible_to(user)


@official_required
def digest_preferences(request):
    # Bound on any POST, even an empty one: it then says what is missing.
    data = request.POST if request.method == "POST" else None
    form = DigestPreferencesForm(data, user=request.user)
    if request.method == "POST" and form.is_valid():
        digest_preferences_update(
            user=request.user,
            frequency=form.cleaned_data["digest_frequency"],
            sectors=list(form.cleaned_data["digest_sectors"]),
        )
        messages.success(request, _("Your digest settings are saved."))
        return redirect("workspace:digest-list")
    return render(
        request, "dialogue/digests/preferences.html", {"form": form, "title": _("Digest settings")}
    )
