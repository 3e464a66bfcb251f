"""The directory is maintained through Django admin: services, their places, hours and need
tags. Editing a service's need tags by hand locks them, so a later import keeps them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from coresponse.directory.models import (
    Eligibility,
    ImportRun,
    Location,
    Organization,
    Phone,
    PhysicalAddress,
    QuarantinedRow,
    RegularSchedule,
    Service,
    ServiceAtLocation,
    ServiceNeed,
    ServiceTaxonomy,
    Taxonomy,
)


class ServiceNeedInline(admin.TabularInline):
    model = ServiceNeed
    extra = 1
    fields = ["need", "source", "reason"]
    readonly_fields = ["source", "reason"]


class EligibilityInline(admin.TabularInline):
    model = Eligibility
    extra = 0


class ServiceScheduleInline(admin.TabularInline):
    model = RegularSchedule
    fk_name = "service"
    extra = 0
    fields = ["id", "weekday", "opens_at", "closes_at", "location"]


class ServiceAtLocationInline(admin.TabularInline):
    model = ServiceAtLocation
    extra = 0
    autocomplete_fields = ["location"]


class ServiceTaxonomyInline(admin.TabularInline):
    model = ServiceTaxonomy
    extra = 0
    autocomplete_fields = ["taxonomy"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "status", "tags", "needs_locked"]
    list_filter = ["status", "need_tags__need", "needs_locked"]
    search_fields = ["id", "name", "alternate_name", "description", "organization__name"]
    autocomplete_fields = ["organization"]
    inlines = [
        ServiceNeedInline,
        ServiceAtLocationInline,
        ServiceScheduleInline,
        EligibilityInline,
        ServiceTaxonomyInline,
    ]

    @admin.display(description="needs")
    def tags(self, service: Service) -> str:
        return ", ".join(service.needs)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("need_tags")

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool
    ) -> None:
        if formset.model is ServiceNeed and formset.has_changed():
            for tag_form in formset.forms:
                if tag_form.has_changed():
                    tag_form.instance.source = ServiceNeed.Source.ADMIN
                    tag_form.instance.reason = f"set by {request.user}"
            formset.save()
            service = form.instance
            if not service.needs_locked:
                service.needs_locked = True
                service.save(update_fields=["needs_locked"])
            return
        super().save_formset(request, form, formset, change)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "url"]
    search_fields = ["id", "name", "alternate_name"]


class PhysicalAddressInline(admin.StackedInline):
    model = PhysicalAddress
    extra = 0


class LocationScheduleInline(admin.TabularInline):
    model = RegularSchedule
    fk_name = "location"
    extra = 0
    fields = ["id", "weekday", "opens_at", "closes_at", "service"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "latitude", "longitude"]
    search_fields = ["id", "name", "alternate_name", "addresses__postal_code", "addresses__region"]
    autocomplete_fields = ["organization"]
    inlines = [PhysicalAddressInline, LocationScheduleInline]


@admin.register(Phone)
class PhoneAdmin(admin.ModelAdmin):
    list_display = ["number", "extension", "type", "description", "service", "organization"]
    search_fields = ["number", "description"]
    autocomplete_fields = ["service", "organization", "location"]


@admin.register(Taxonomy)
class TaxonomyAdmin(admin.ModelAdmin):
    list_display = ["name", "vocabulary", "parent"]
    list_filter = ["vocabulary"]
    search_fields = ["id", "name"]


@admin.register(ServiceAtLocation)
class ServiceAtLocationAdmin(admin.ModelAdmin):
    list_display = ["id", "service", "location"]
    search_fields = ["id", "service__name", "location__name"]


class QuarantinedRowInline(admin.TabularInline):
    model = QuarantinedRow
    extra = 0
    can_delete = False
    readonly_fields = ["file", "row", "field", "reason", "record"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["source", "started_at", "finished_at"]
    readonly_fields = ["source", "started_at", "finished_at", "counts", "skipped_tables"]
    inlines = [QuarantinedRowInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
