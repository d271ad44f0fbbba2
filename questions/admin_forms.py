"""The forms of the questions admin: question and options editing, import, export, resolving reports."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from . import types as question_types
from .formats.base import Hints, OptionData, QuestionData
from .models import Language, ProblemReport, Question, TaskStatement
from .validation import validate_question


def type_help() -> str:
    """The type field's help: which columns of the options table each type uses."""
    parts = [_("Which columns of the options table count:")]
    parts += [str(question_type.admin_help) for question_type in question_types.all()]
    parts.append(
        _("Drafts may be incomplete; pilot and published questions need an explanation and a rationale for every row.")
    )
    return " ".join(str(part) for part in parts)


class ReferencesField(forms.CharField):
    """A JSON list of URLs, edited as one URL per line."""

    widget = forms.Textarea(attrs={"rows": 3})
    default_error_messages = {"invalid_url": _("Line %(line)d is not an http(s) URL: %(url)s")}

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        urls = [line.strip() for line in (value or "").splitlines() if line.strip()]
        validate = URLValidator(schemes=["http", "https"])
        for number, url in enumerate(urls, start=1):
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(
                    self.error_messages["invalid_url"], code="invalid_url", params={"line": number, "url": url}
                ) from None
        return urls

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


class QuestionAdminForm(forms.ModelForm):
    references = ReferencesField(
        required=False, help_text=_("Documentation that supports the key, one URL per line."), label=_("References")
    )

    class Meta:
        model = Question
        fields = [
            "type",
            "uid",
            "language",
            "status",
            "task",
            "difficulty",
            "stem",
            "select",
            "explanation",
            "references",
            "tags",
            "guides",
            "case_study",
        ]
        widgets = {
            "stem": forms.Textarea(attrs={"rows": 6}),
            "explanation": forms.Textarea(attrs={"rows": 4}),
            # A handful of guide revisions: checkboxes, not the filter widget (whose JS
            # puts aria-label on a span, an axe-core "serious" violation).
            "guides": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].help_text = type_help()
        # admin-options.js hides the option columns a type does not use and names the text
        # column after the type (in the user's language).
        columns = {
            question_type.value: {"text": str(question_type.row_noun()), "hide": question_type.unused_columns()}
            for question_type in question_types.all()
        }
        self.fields["type"].widget.attrs["data-type-columns"] = json.dumps(columns)
        # The admin gives this form's instance to the options formset, which validates the
        # question as a whole and reports question-level problems on this form's fields.
        self.instance._admin_form = self


class OptionInlineFormSet(BaseInlineFormSet):
    """Validates the question with its options through ``validate_question``.

    Problems about one row go next to that row's field, problems about the question next
    to the question's field (found through the shared instance), the rest above the table.
    """

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            (index, form)
            for index, form in enumerate(self.forms)
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        rows.sort(key=lambda row: (row[1].cleaned_data.get("position") or 0, row[0]))
        question = self.instance
        data = QuestionData(
            uid=question.uid,
            type=question.type,
            stem=question.stem or "",
            language=question.language,
            status=question.status,
            select=question.select,
            explanation=question.explanation or "",
            options=[
                OptionData(
                    text=form.cleaned_data.get("text", ""),
                    match=form.cleaned_data.get("match", ""),
                    correct=form.cleaned_data.get("is_correct", False),
                    rationale=form.cleaned_data.get("rationale", ""),
                )
                for _index, form in rows
            ],
        )
        problems = validate_question(data)
        question_form = getattr(question, "_admin_form", None)
        general = []
        for problem in problems:
            if problem.option is not None:
                form = rows[problem.option][1]
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
            elif question_form is not None and problem.field in question_form.fields:
                question_form.add_error(problem.field, problem.message)
            else:
                general.append(problem.message)
        if problems:
            raise ValidationError(general or [_("Fix the problems marked on the question and its options.")])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".json,.gift,.txt,.xml"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"), help_text=_("Native JSON (.json), GIFT (.gift or .txt) or Moodle XML (.xml).")
    )
    dry_run = forms.BooleanField(label=_("Dry run: check only, write nothing"), required=False, initial=True)
    task = forms.ModelChoiceField(
        TaskStatement.objects.all(),
        to_field_name="code",
        required=False,
        label=_("Task statement"),
        help_text=_("For questions whose file or category names none."),
    )
    skip_unsupported = forms.BooleanField(
        label=_("Skip unsupported question types (essay, numerical, short answer…) and list them"), required=False
    )
    skip_invalid = forms.BooleanField(
        label=_("Skip questions with errors, list them with the reason, and import the rest"), required=False
    )

    def hints(self) -> Hints:
        """Messages name this form's fields, not the command's options."""
        return Hints(
            skip_unsupported=_("tick “%(field)s” to skip them") % {"field": self.fields["skip_unsupported"].label},
            task=_("choose a “%(field)s” above") % {"field": self.fields["task"].label},
        )


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("json", _("Native JSON (lossless)")), ("gift", "GIFT"), ("xml", "Moodle XML")], label=_("Format")
    )
    status = forms.MultipleChoiceField(
        choices=Question.Status.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("Status")
    )
    language = forms.MultipleChoiceField(
        choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple, label=_("Language")
    )


class ResolveForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(ProblemReport.Status.FIXED, _("Fixed")), (ProblemReport.Status.REJECTED, _("Rejected"))],
        widget=forms.RadioSelect,
        label=_("Resolve as"),
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=_("Resolution note"), max_length=2000)
