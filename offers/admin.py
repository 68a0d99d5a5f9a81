"""Where staff keep the terms: versions (drafts, publishing, history, terms files),
the Old Notes and tender reports. Every save asks for a reason and is refused when the
form is stale; nothing holders relied on can be hard-deleted."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import update_change_reason

from lexp_site.staff_session import form_with_typing
from offers import services
from offers.adapter import OldNotesMismatch, save_terms, stored_problems, terms_from_version
from offers.admin_forms import (
    CopyAsDraftForm,
    OfferVersionForm,
    TermsFileUploadForm,
    TrackedChangeForm,
    field_label,
    field_text,
)
from offers.core.issue import percent_of
from offers.core.termsfile import TermsFileError, dump_terms, terms_from_dict
from offers.core.versions import version_in_force
from offers.formatting import new_york, percent
from offers.holder_effect import effect_of
from offers.models import OfferVersion, OldNotes, TenderReport

admin.site.site_header = "Exchange Outcome staff"
admin.site.site_title = "Exchange Outcome staff"
admin.site.index_title = "Offer terms"

Status = OfferVersion.Status
REASON_FIELDSET = ("Recorded in the history", {"fields": ("change_reason", "loaded_updated_at")})


class TrackedAdmin(SimpleHistoryAdmin):
    """History with the reason the form asks for; the history list shows field changes, not timestamps."""

    object_history_list_template = "admin/offers/object_history_list.html"
    history_delta_excluded = ("updated_at",)
    # The browser's own date and time inputs, not the admin's calendar widgets: those add
    # "Note: You are N hours ahead of server time" under every date, and the times here are
    # New York times whatever the browser's clock. Numbers are typed as text: a number input
    # sends nothing for a value it cannot hold (1e400), and the message would be "required".
    formfield_overrides = {
        models.DateField: {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")},
        models.DateTimeField: {"widget": forms.SplitDateTimeWidget(
            date_attrs={"type": "date"}, time_attrs={"type": "time"}, date_format="%Y-%m-%d", time_format="%H:%M")},
        models.DecimalField: {"widget": forms.TextInput(attrs={"inputmode": "decimal"})},
    }

    class Media:
        css = {"all": ("offers/admin.css",)}

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list:
        fieldsets = list(super().get_fieldsets(request, obj))
        if self.has_change_permission(request, obj) or (obj is None and self.has_add_permission(request)):
            return [*fieldsets, REASON_FIELDSET]
        return fieldsets

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj._change_reason = form.history_change_reason(change=change)
        super().save_model(request, obj, form, change)

    # The revert page: what the revert changes, then the form, confirmed with "Confirm: revert".
    object_history_form_template = "admin/offers/object_history_form.html"
    revert_keeps: tuple[str, ...] = ()  # fields a revert leaves as they are now

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a revert for anyone who may view the history: only editors may.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        current = get_object_or_404(self.model, pk=object_id)
        record = get_object_or_404(self.model.history.model, id=object_id, history_id=version_id)
        extra = {"differences": self.revert_differences(current, record.instance),
                 "record_when": field_text(record._meta.get_field("history_date"), record.history_date),
                 "record_reason": record.history_change_reason}
        return super().history_form_view(request, object_id, version_id, {**extra, **(extra_context or {})})

    def revert_differences(self, current: Any, state: Any) -> list[tuple[str, str, str]]:
        """(field label, now, after the revert) for each field the revert would change."""
        skip = {"id", "updated_at", *self.revert_keeps}
        return [(field_label(self.model, field.name), field_text(field, getattr(current, field.name)),
                 field_text(field, getattr(state, field.name)))
                for field in self.model._meta.concrete_fields
                if field.name not in skip and getattr(current, field.attname) != getattr(state, field.attname)]

    def response_change(self, request: HttpRequest, obj: Any) -> HttpResponse:
        record = getattr(obj, "_history", None)  # set by simple_history on the state a revert restores
        if record is None:
            return super().response_change(request, obj)
        saved = obj.history.first()  # the revert itself, against the state just before it
        restored = []
        if saved is not None and saved.prev_record is not None:
            restored = saved.diff_against(saved.prev_record, excluded_fields=["updated_at"]).changed_fields
        labels = [field_label(self.model, name) for name in restored]
        when = field_text(record._meta.get_field("history_date"), record.history_date)
        what = " Nothing differed from that state."
        if labels:
            what = f" {len(labels)} field{'s' if len(labels) != 1 else ''} restored: {', '.join(labels)}."
        self.message_user(request, f"{obj} was reverted to its state of {when}.{what}", messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryValues(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(current, excluded_fields=self.history_delta_excluded,
                                              foreign_keys_are_objs=foreign_keys_are_objs)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    # A save that changes what holders see first shows them the change and asks to confirm ----------
    def reaches_holders(self, current: Any) -> bool:
        """Whether saving ``current`` can change what holders see (then the save asks first)."""
        return False

    BACK_TO_FORM = "_back_to_form"

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict | None = None) -> HttpResponse:
        if request.method == "POST" and self.BACK_TO_FORM in request.POST:
            return self._back_to_form(request, object_id, form_url, extra_context)
        if request.method == "POST" and (merged := self._on_top_of_theirs(request, object_id)) is not None:
            return self._show_merged(request, object_id, form_url, extra_context, merged)
        if request.method == "POST" and request.POST.get("confirmed") != "yes":
            confirming = self._confirm_save(request, object_id)
            if confirming is not None:
                return confirming
        return super().change_view(request, object_id, form_url, extra_context)

    def _back_to_form(self, request: HttpRequest, object_id: str, form_url: str,
                      extra_context: dict | None) -> HttpResponse:
        """The change form again, filled with what was typed (from the confirmation page), nothing saved."""
        typed = request.POST.copy()
        for name in (self.BACK_TO_FORM, "confirmed"):
            typed.pop(name, None)
        request._typed = typed  # read by get_form: the form is shown bound to the typing
        request.method = "GET"  # the admin's own change form, shown, not saved
        self.message_user(request, "Nothing was saved. Your changes are still in the form: change them, or save "
                          "again to see what holders will see.", messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def _on_top_of_theirs(self, request: HttpRequest, object_id: str) -> tuple[Any, list[str], str, str] | None:
        """For a save refused as stale (someone saved after this form was opened): the row as it is now with
        the fields this person changed on top, their labels, the reason typed and the refusal; otherwise None."""
        current = self.get_object(request, unquote(object_id))
        loaded = request.POST.get("loaded_updated_at", "")
        if current is None or not loaded or current.updated_at.isoformat() == loaded \
                or not self.has_change_permission(request, current):
            return None
        try:
            opened_at = datetime.fromisoformat(loaded)
        except ValueError:
            return None
        record = self.model.history.filter(id=current.pk, updated_at=opened_at).first()
        if record is None:
            return None
        opened = record.instance
        opened._state.adding = False  # the same row, as it was: not a new one (unique fields compare with others)
        form_class = self.get_form(request, current, change=True)
        refusal = form_class(request.POST, request.FILES, instance=current)
        typed = form_class(request.POST, request.FILES, instance=opened)  # against the form as it was opened
        if refusal.is_valid() or not typed.is_bound or set(typed.errors) - {NON_FIELD_ERRORS}:
            return None  # not stale after all, or something typed is refused: the form says what
        yours = [name for name in typed.changed_data if name not in ("change_reason", "loaded_updated_at")]
        row = self.get_object(request, unquote(object_id))  # afresh: validating a form writes into its instance
        for name in yours:
            setattr(row, name, typed.cleaned_data[name])
        labels = [str(typed.fields[name].label) for name in yours]
        return row, labels, typed.cleaned_data.get("change_reason", ""), " ".join(refusal.non_field_errors())

    def _show_merged(self, request: HttpRequest, object_id: str, form_url: str, extra_context: dict | None,
                     merged: tuple[Any, list[str], str, str]) -> HttpResponse:
        """The form again, unsaved: their version with this person's changes on top, ready to save again."""
        row, labels, reason, refusal = merged
        request._merged, request._initial = row, {"change_reason": reason}
        request.method = "GET"
        yours = f"your changes on top ({', '.join(labels)})" if labels else "no changes of yours to keep"
        self.message_user(request, f"{refusal} Nothing was lost: the form now shows their version with {yours}. "
                          "Check it, then save again.", messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> Any:
        merged = getattr(request, "_merged", None)
        if merged is not None and str(merged.pk) == str(object_id):
            return merged
        return super().get_object(request, object_id, from_field)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # A save refused because the session had ended comes back with what was typed (lexp_site/staff_session.py);
        # Cancel, a refusal or a conflict on the confirmation page come back with it too (below).
        form = form_with_typing(request, super().get_form(request, obj, change=change, **kwargs))
        typed, initial = getattr(request, "_typed", None), getattr(request, "_initial", None)
        if typed is None and initial is None:
            return form

        class Typed(form):
            """Shown again with what was typed (bound to it), or with the reason typed (after a merge)."""

            def __init__(self, *args: Any, **kw: Any) -> None:
                if typed is not None and not args and "data" not in kw:
                    kw["data"] = typed
                if initial:
                    kw["initial"] = {**(kw.get("initial") or {}), **initial}
                super().__init__(*args, **kw)

        return Typed

    def _confirm_save(self, request: HttpRequest, object_id: str) -> HttpResponse | None:
        """The confirmation page, or None: nothing holders see, the form has errors (the change form
        shows them), or the user may not change it."""
        current = self.get_object(request, unquote(object_id))
        if current is None or not self.has_change_permission(request, current):
            return None
        changed = self.get_object(request, unquote(object_id))
        form = self.get_form(request, changed, change=True)(request.POST, request.FILES, instance=changed)
        if not self.reaches_holders(current) or not form.is_valid():
            return None
        changed_fields = [str(form.fields[name].label) for name in form.changed_data
                          if name not in ("change_reason", "loaded_updated_at")]
        hidden = [(name, value) for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"
                  for value in values]
        opts = self.model._meta
        return self._confirmation(
            request, title=f"Save the change to {current}? Holders see it at once.",
            effect=effect_of(form.instance.save), changed_fields=changed_fields,
            hidden=[*hidden, ("confirmed", "yes")], confirm_label="Confirm: save", back_to_form=True,
            cancel_url=reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[current.pk]))

    def _confirmation(self, request: HttpRequest, *, title: str, effect: Any, hidden: list[tuple[str, str]],
                      confirm_label: str, cancel_url: str, notes: list[str] | None = None,
                      changed_fields: list[str] | None = None, back_to_form: bool = False,
                      reason: dict | None = None) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "effect": effect,
            "notes": notes or [],
            "changed_fields": changed_fields or [],
            "hidden": hidden,
            "confirm_label": confirm_label,
            "cancel_url": cancel_url,
            "back_to_form": self.BACK_TO_FORM if back_to_form else "",
            "reason": reason,
        }
        return TemplateResponse(request, "admin/offers/confirm_change.html", context)


class HistoryValues(HistoricalRecordContextHelper):
    """History values as staff read them: ``12.5`` not ``12.500000``, "(empty)" not None, choices by
    their label, times in New York."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return field_text(self.model._meta.get_field(change.field), value)


def _last_changed_by(model: type) -> Subquery:
    return Subquery(
        model.history.filter(id=OuterRef("pk")).order_by("-history_date", "-history_id")
        .values("history_user__username")[:1]
    )


class MaturityYearFilter(admin.SimpleListFilter):
    """The years the New Notes mature in (a date filter would offer "today" and "past 7 days")."""

    title = "New Notes maturity"
    parameter_name = "maturity_year"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        years = model_admin.get_queryset(request).dates("maturity", "year")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(maturity__year=self.value()) if self.value() else queryset


@admin.register(OfferVersion)
class OfferVersionAdmin(TrackedAdmin):
    form = OfferVersionForm
    change_form_template = "admin/offers/offerversion/change_form.html"
    change_list_template = "admin/offers/offerversion/change_list.html"
    # The slug is searchable and on the form; the list keeps to what fits at 1400 px.
    list_display = ("name", "announced", "status", "in_force_today", "rate", "maturity", "expires_at", "last_change")
    list_filter = ("status", MaturityYearFilter, "fee_basis", "fractions")
    search_fields = ("name", "slug", "source")
    readonly_fields = ("status", "old_notes_terms")
    revert_keeps = ("status",)  # a revert restores the terms; publishing is its own recorded step
    actions = ("publish", "unpublish", "archive", "copy_as_new_draft")

    class Media:
        js = ("offers/admin-unsaved-changes.js",)
    fieldsets = (
        ("The version", {"fields": ("name", "slug", "source", "announced", "status")}),
        ("Old Notes accrual", {
            "fields": ("old_notes", "old_notes_terms", "accrual_end"),
            "description": "The Old Notes principal plus interest accrued on it becomes the New Notes principal.",
        }),
        ("New Notes", {"fields": ("new_rate_percent", "interest_from", "first_payment", "payment_months",
                                  "payment_day", "maturity", "new_day_count", "increment", "fractions")}),
        ("Participation fee", {
            "fields": ("fee_basis", "fee_percent", "fee_per_1000", "fee_paid_on"),
            "description": "Leave the basis empty when these terms pay no participation fee.",
        }),
        ("Warrants", {"fields": ("shares_per_1000", "exercise_price", "detachable_from", "exercisable_from",
                                 "warrant_expires", "warrants_may_outlive_notes", "warrant_fractions")}),
        ("Dates and conditions", {"fields": ("expires_at", "expected_consummation", "minimum_tender_percent")}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        current = version_in_force(services.published_versions().terms, timezone.localdate())
        return super().get_queryset(request).select_related("old_notes").annotate(
            last_changed_by=_last_changed_by(OfferVersion),
            in_force_slug=models.Value(current.slug if current else ""))

    def reaches_holders(self, current: OfferVersion) -> bool:
        return current.status == Status.PUBLISHED

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        # There is one Old Notes security; should an unused second one exist (added before that rule, to be
        # deleted), the one the versions describe is still the one to start with.
        in_use = (OldNotes.objects.filter(versions__isnull=False).values_list("pk", flat=True).first()
                  or OldNotes.objects.values_list("pk", flat=True).first())
        if in_use is not None:
            initial.setdefault("old_notes", in_use)
        return initial

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        extra = {"revert_keeps_note": "A revert restores the terms, not the status: publishing is its own step."}
        current = OfferVersion.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        record = OfferVersion.history.filter(id=object_id, history_id=version_id).first() if current else None
        if request.method == "GET" and record is not None and current.status == Status.PUBLISHED:
            state = record.instance
            state.status = current.status
            extra["effect"] = effect_of(state.save)
        return super().history_form_view(request, object_id, version_id, {**extra, **(extra_context or {})})

    def save_model(self, request: HttpRequest, obj: OfferVersion, form: Any, change: bool) -> None:
        if getattr(obj, "_history", None) is not None:
            # A revert restores the terms, not the status: publishing is always its own recorded step.
            obj.status = OfferVersion.objects.values_list("status", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)

    @admin.display(description="in force today")
    def in_force_today(self, obj: OfferVersion) -> str:
        """Rule 11 for today's date (from the core, via get_queryset): the version holders get, or not."""
        if problems := stored_problems(obj)[1]:
            return f"LEFT OUT of the holder pages, its terms break the rules: {'; '.join(problems)}"
        if obj.status != Status.PUBLISHED:
            return "not published"
        return "in force" if obj.slug == obj.in_force_slug else "replaced"

    @admin.display(description="New Notes rate", ordering="new_rate_percent")
    def rate(self, obj: OfferVersion) -> str:
        return percent(obj.new_rate_percent)

    @admin.display(description="last change", ordering="updated_at")
    def last_change(self, obj: OfferVersion) -> str:
        by = getattr(obj, "last_changed_by", None)
        when = new_york(obj.updated_at)
        return f"{when} by {by}" if by else when

    @admin.display(description="Old Notes terms")
    def old_notes_terms(self, obj: OfferVersion | None) -> str:
        if obj is None or obj.old_notes_id is None:
            return "Shown once saved."
        old = obj.old_notes
        return (f"{old.rate_percent.normalize()}% a year from {old.accrual_start:%b} {old.accrual_start.day}, "
                f"{old.accrual_start.year}, {old.day_count}; ${old.outstanding:,} outstanding "
                "(change them on the Old Notes page).")

    # No data loss: published versions and versions with history are archived, never deleted.
    def has_delete_permission(self, request: HttpRequest, obj: OfferVersion | None = None) -> bool:
        if obj is not None and obj.deletion_refused_reason():
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> dict:
        # One version at a time, from its own page: a refusal can then say why and point to Archive.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        version = OfferVersion.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if version is None or not self.has_view_permission(request, version):
            return super().delete_view(request, object_id, extra_context)
        reason = version.deletion_refused_reason()
        if reason is None and not self.has_delete_permission(request, version):
            reason = ("Only a superuser can delete a version, and only a draft that was never changed "
                      f"(a copy made by mistake). Archive {version.name} instead: holders stop seeing it and "
                      "it is kept with its history.")
        if reason is None:
            return super().delete_view(request, object_id, extra_context)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{version.name} was not deleted",
            "original": version,
            "reason": reason,
            "archive_url": reverse("admin:offers_offerversion_status", args=[version.pk, "archive"])
            if version.status != Status.ARCHIVED and self.has_change_permission(request, version) else "",
        }
        return TemplateResponse(request, "admin/offers/offerversion/delete_refused.html", context, status=403)

    # Publishing ------------------------------------------------------------------------------
    # Publish, unpublish and archive first show what holders will see change and ask to confirm;
    # only a POST that says "confirmed" acts.
    STATUS_BUTTONS = {"publish": (Status.PUBLISHED, "Published"), "unpublish": (Status.DRAFT, "Unpublished"),
                      "archive": (Status.ARCHIVED, "Archived")}

    @staticmethod
    def _publish_problems(version: OfferVersion) -> str:
        """Why ``version`` may not be published ("" if it may), checked as it would be once published."""
        candidate = OfferVersion.objects.select_related("old_notes").get(pk=version.pk)
        candidate.status = Status.PUBLISHED
        try:
            candidate.full_clean()
        except ValidationError as exc:
            return "; ".join(f"{field_label(OfferVersion, field)}: {' '.join(msgs)}"
                             for field, msgs in exc.message_dict.items())
        return ""

    def _set_status(self, request: HttpRequest, version: OfferVersion, status: str, reason: str) -> bool:
        if version.status == status:
            self.message_user(request, f"{version.name} is already {version.get_status_display().lower()}.",
                              messages.WARNING)
            return False
        if status == Status.PUBLISHED and (problems := self._publish_problems(version)):
            self.message_user(request, f"{version.name} was not published: {problems}", messages.ERROR)
            return False
        version._history_user = request.user
        version.set_status(status, reason)
        done, _, why = reason.partition(": ")
        self.message_user(request, f"{version.name}: {done.lower()}{f' ({why})' if why else ''}.", messages.SUCCESS)
        return True

    STATUS_REASON = "status_reason"
    STATUS_REASON_MAX = 80  # the history keeps 100 characters: "Unpublished: " and the reason

    def _change_status(self, request: HttpRequest, versions: list[OfferVersion], action: str,
                       hidden: list[tuple[str, str]], cancel_url: str) -> HttpResponse | None:
        """Act if the POST confirms it with a reason; otherwise the confirmation page (None: done, back to the
        list). Versions the action would refuse are named and left out; if none is left, nothing is offered."""
        status, done = self.STATUS_BUTTONS[action]
        notes = [f"{v.name} is already {v.get_status_display().lower()}: nothing changes." for v in versions
                 if v.status == status]
        changing = [v for v in versions if v.status != status]
        if status == Status.PUBLISHED:
            refused = {v.pk: problems for v in changing if (problems := self._publish_problems(v))}
            notes += [f"{v.name} will not be published: {refused[v.pk]}" for v in changing if v.pk in refused]
            changing = [v for v in changing if v.pk not in refused]
        reason = " ".join(request.POST.get(self.STATUS_REASON, "").split())[:self.STATUS_REASON_MAX]
        reason_error = ""
        if request.method == "POST" and request.POST.get("confirmed") == "yes" and changing:
            if reason:
                for version in changing:
                    self._set_status(request, version, status, f"{done}: {reason}")
                return None
            reason_error = (f"Reason: say why, such as \"{self.REASON_EXAMPLES[action]}\"; it is recorded in the "
                            "history with your name.")
        title = f"{action.capitalize()} {', '.join(v.name for v in versions)}?"
        if not changing:
            title = f"{action.capitalize()}: nothing can be done"
        return self._confirmation(
            request, title=title, notes=notes, confirm_label=f"Confirm: {action}" if changing else "",
            effect=effect_of(lambda: OfferVersion.objects.filter(pk__in=[v.pk for v in changing])
                             .update(status=status)) if changing else None,
            hidden=[*hidden, ("confirmed", "yes")], cancel_url=cancel_url,
            reason={"name": self.STATUS_REASON, "value": reason, "error": reason_error,
                    "max": self.STATUS_REASON_MAX, "example": self.REASON_EXAMPLES[action]} if changing else None)

    REASON_EXAMPLES = {"publish": "Amendment announced by the Sep 18, 2003 press release",
                       "unpublish": "Published by mistake: the amendment is not announced yet",
                       "archive": "Withdrawn: replaced by the October supplement"}

    def _list_action(self, request: HttpRequest, queryset: QuerySet, action: str) -> HttpResponse | None:
        versions = list(queryset)
        hidden = [("action", action), *((ACTION_CHECKBOX_NAME, str(v.pk)) for v in versions)]
        return self._change_status(request, versions, action, hidden, request.get_full_path())

    @admin.action(description="Publish: show to holders", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._list_action(request, queryset, "publish")

    @admin.action(description="Unpublish: back to draft, hidden from holders", permissions=["change"])
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._list_action(request, queryset, "unpublish")

    @admin.action(description="Archive: hide from holders, keep for the record", permissions=["change"])
    def archive(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._list_action(request, queryset, "archive")

    @admin.action(description="Copy as new draft (asks for the announcement date)", permissions=["add"])
    def copy_as_new_draft(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        if queryset.count() != 1:
            self.message_user(request, "Choose one version to copy: each copy asks for its own announcement date.",
                              messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("admin:offers_offerversion_copy", args=[queryset.get().pk]))

    def copy_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Copy a version as a new draft, asking when the new terms were announced (rule 11)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        version = get_object_or_404(OfferVersion, pk=object_id)
        form = CopyAsDraftForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            copy = version.copy_as_draft(form.cleaned_data["announced"])
            self.log_addition(request, copy, f"Copied from {version.slug}")
            self.message_user(request, f"{copy.name} ({copy.slug}) is a new draft: change it, preview it, then "
                              "publish.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:offers_offerversion_change", args=[copy.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Copy {version.name} as a new draft",
            "original": version,
            "form": form,
        }
        return TemplateResponse(request, "admin/offers/offerversion/copy.html", context)

    # One-version buttons and terms files -----------------------------------------------------
    def get_urls(self) -> list:
        view = self.admin_site.admin_view
        return [
            path("upload-terms/", view(self.upload_terms_view), name="offers_offerversion_upload"),
            path("<int:object_id>/terms-file/", view(self.terms_file_view), name="offers_offerversion_terms_file"),
            path("<int:object_id>/do/<slug:action>/", view(self.status_view), name="offers_offerversion_status"),
            path("<int:object_id>/copy/", view(self.copy_view), name="offers_offerversion_copy"),
            *super().get_urls(),
        ]

    def status_view(self, request: HttpRequest, object_id: int, action: str) -> HttpResponse:
        version = get_object_or_404(OfferVersion, pk=object_id)
        change_page = reverse("admin:offers_offerversion_change", args=[version.pk])
        if action not in self.STATUS_BUTTONS:
            raise PermissionDenied
        if not self.has_change_permission(request, version):
            raise PermissionDenied
        confirming = self._change_status(request, [version], action, [], change_page)
        return confirming or HttpResponseRedirect(change_page)

    def terms_file_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        version = get_object_or_404(OfferVersion.objects.select_related("old_notes"), pk=object_id)
        if not self.has_view_permission(request, version):
            raise PermissionDenied
        response = HttpResponse(dump_terms(terms_from_version(version)), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{version.slug}.json"'
        return response

    def upload_terms_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TermsFileUploadForm(request.POST or None, request.FILES or None)
        problems: dict[str, list[str]] = {}
        if request.method == "POST" and form.is_valid():
            problems, version = self._import(form.cleaned_data["terms_file"], request.FILES["terms_file"].name)
            if version is not None:
                self.log_addition(request, version, "Uploaded from a terms file")
                self.message_user(request, f"{version.name} ({version.slug}) was uploaded as a draft.",
                                  messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:offers_offerversion_change", args=[version.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Upload a terms file",
            "form": form,
            "problems": sorted(problems.items()),
        }
        return TemplateResponse(request, "admin/offers/offerversion/upload_terms.html", context)

    def _import(self, text: str, filename: str) -> tuple[dict[str, list[str]], OfferVersion | None]:
        """The file's problems by field path, or the new draft."""
        try:
            terms = terms_from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            return {"file": [f"is not valid JSON ({exc})."]}, None
        except TermsFileError as exc:
            return exc.errors, None
        if OfferVersion.objects.filter(slug=terms.slug).exists():
            return {"slug": [f"\"{terms.slug}\" is already taken by another version; change the slug in the "
                             "file (such as " + f"{terms.slug}-2) to upload it as a new draft."]}, None
        try:
            with transaction.atomic():
                version = save_terms(terms, status=Status.DRAFT)
        except OldNotesMismatch as exc:
            return {"old_notes": [str(exc).removeprefix("old_notes: ")]}, None
        except ValidationError as exc:
            return dict(exc.message_dict), None
        update_change_reason(version, f"Uploaded from terms file {filename}"[:100])
        return {}, version

    def holder_url(self, version: OfferVersion, *, preview: bool) -> str:
        """The holder page at this version's expected consummation for $1,000; a draft needs ``preview``."""
        query = {"preview": version.slug} if preview else {}
        query |= {"principal": "1000", "consummation": version.expected_consummation.isoformat()}
        return f"{reverse('offers-compare')}?{urlencode(query)}"

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "",
                    extra_context: dict | None = None) -> HttpResponse:
        version = OfferVersion.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        published = version is not None and version.status == Status.PUBLISHED
        extra = {
            "preview_url": self.holder_url(version, preview=True) if version and not published else "",
            "holder_url": self.holder_url(version, preview=False) if published else "",
            "terms_file_url": reverse("admin:offers_offerversion_terms_file", args=[version.pk]) if version else "",
            "can_change_status": version is not None and self.has_change_permission(request, version),
            # A publish that would be refused is not offered: the page says why instead.
            "publish_problems": self._publish_problems(version) if version and not published else "",
            "can_copy": self.has_add_permission(request),
        }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        extra = {"upload_url": reverse("admin:offers_offerversion_upload") if self.has_add_permission(request)
                 else ""}
        return super().changelist_view(request, {**extra, **(extra_context or {})})


@admin.register(OldNotes)
class OldNotesAdmin(TrackedAdmin):
    form = TrackedChangeForm
    list_display = ("name", "rate_percent", "accrual_start", "outstanding", "day_count", "last_change")
    fieldsets = ((None, {"fields": ("name", "rate_percent", "accrual_start", "day_count", "outstanding",
                                    "shares_outstanding")}),)

    @admin.display(description="updated at", ordering="updated_at")
    def last_change(self, obj: OldNotes) -> str:
        return new_york(obj.updated_at)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # One security: a second Old Notes would split the versions and tender reports between two.
        return super().has_add_permission(request) and not OldNotes.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: OldNotes | None = None) -> bool:
        # Only the superuser, only Old Notes nothing uses (added by mistake), from its own page with a reason.
        return request.user.is_superuser and (obj is None or obj.deletion_refused_reason() is None)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, from its page, with a reason
        return actions

    DELETE_REASON = "reason"

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        old_notes = OldNotes.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if old_notes is None or not self.has_view_permission(request, old_notes):
            return super().delete_view(request, object_id, extra_context)
        refused = old_notes.deletion_refused_reason()
        if refused is None and not request.user.is_superuser:
            refused = (f"Only a superuser can delete Old Notes, and only Old Notes nothing uses (added by mistake). "
                       f"Change {old_notes.name} on its page instead.")
        reason = " ".join(request.POST.get(self.DELETE_REASON, "").split())[:80]
        error = ""
        if refused is None and request.method == "POST":
            if reason:
                old_notes._change_reason = f"Deleted: {reason}"
                self.log_deletions(request, [old_notes])
                old_notes.delete()
                self.message_user(request, f"{old_notes.name} was deleted ({reason}).", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:offers_oldnotes_changelist"))
            error = ("Reason: say why these Old Notes are deleted, such as \"Added by mistake\"; it is recorded in "
                     "the history with your name.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Delete {old_notes.name}?" if refused is None else f"{old_notes.name} cannot be deleted",
            "original": old_notes,
            "refused": refused,
            "reason": {"name": self.DELETE_REASON, "value": reason, "error": error, "max": 80,
                       "example": "Added by mistake"},
        }
        return TemplateResponse(request, "admin/offers/oldnotes/delete.html", context,
                                status=403 if refused else 200)

    def reaches_holders(self, current: OldNotes) -> bool:
        # Every published version accrues on the Old Notes: a change reaches holders under each of them.
        return OfferVersion.objects.published().exists()


@admin.register(TenderReport)
class TenderReportAdmin(TrackedAdmin):
    form = TrackedChangeForm
    list_display = ("as_of", "tendered", "percent_of_outstanding", "largest_holders", "note")
    search_fields = ("note",)
    date_hierarchy = "as_of"  # by year and month (a date list filter would offer "today" and "past 7 days")
    fieldsets = ((None, {"fields": ("old_notes", "as_of", "amount_tendered", "note")}),
                 ("The largest holders (if reported)", {"fields": ("largest_holders_count",
                                                                   "largest_holders_amount")}))

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("old_notes")

    @admin.display(description="principal tendered", ordering="amount_tendered")
    def tendered(self, obj: TenderReport) -> str:
        return f"${obj.amount_tendered:,}"

    @admin.display(description="% of outstanding")
    def percent_of_outstanding(self, obj: TenderReport) -> str:
        return f"{percent_of(obj.amount_tendered, obj.old_notes.outstanding)}%"

    @admin.display(description="largest holders")
    def largest_holders(self, obj: TenderReport) -> str:
        if obj.largest_holders_amount is None:
            return "-"
        share = percent_of(obj.largest_holders_amount, obj.old_notes.outstanding)
        return f"{obj.largest_holders_count}: ${obj.largest_holders_amount:,} ({share}%)"
