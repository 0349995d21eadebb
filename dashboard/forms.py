"""Forms of the policy pages: their query strings, parsed so a malformed value is ignored, never a 500."""

from django import forms


class TaskDetailQueryForm(forms.Form):
    """`?sector=<slug>` narrows a task's commitments to one sector; NUL bytes, markup and long text are dropped."""

    sector = forms.SlugField(required=False, max_length=50, allow_unicode=False)

    def sector_slug(self) -> str:
        return self.cleaned_data["sector"] if self.is_valid() else ""
