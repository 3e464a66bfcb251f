"""The service directory in the shape of Open Referral HSDS 1.1.

Every HSDS record keeps its HSDS id as its primary key, so a re-import updates in place and
an export writes the same ids back. Field names follow the HSDS tables; what HSDS does not
have (need tags, the import quarantine) is kept in separate tables so the HSDS shape stays
clean.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from coresponse.directory.needs import NEED_LABELS

HSDS_ID_LENGTH = 128

NEED_CHOICES = [(need.value, label) for need, label in NEED_LABELS.items()]


def hsds_id(**kwargs: Any) -> models.CharField[str, str]:
    return models.CharField(primary_key=True, max_length=HSDS_ID_LENGTH, **kwargs)


class Organization(models.Model):
    id = hsds_id()
    name = models.CharField(max_length=500)
    alternate_name = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    email = models.CharField(max_length=254, blank=True)
    url = models.CharField(max_length=500, blank=True)
    tax_status = models.CharField(max_length=200, blank=True)
    tax_id = models.CharField(max_length=200, blank=True)
    year_incorporated = models.PositiveSmallIntegerField(null=True, blank=True)
    legal_status = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Taxonomy(models.Model):
    """A term of a service taxonomy (AIRS/211, Open Eligibility, or a local one)."""

    id = hsds_id()
    name = models.CharField(max_length=500)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    vocabulary = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["vocabulary", "name"]
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return f"{self.name} ({self.vocabulary})" if self.vocabulary else self.name


class Service(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    id = hsds_id()
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="services"
    )
    program_id = models.CharField(max_length=HSDS_ID_LENGTH, blank=True)
    name = models.CharField(max_length=500)
    alternate_name = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    email = models.CharField(max_length=254, blank=True)
    status = models.CharField(max_length=40, choices=Status.choices, default=Status.ACTIVE)
    interpretation_services = models.TextField(blank=True)
    application_process = models.TextField(blank=True)
    wait_time = models.TextField(blank=True)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    licenses = models.TextField(blank=True)
    # HSDS 1.1's free "taxonomy_ids" column, kept verbatim; service_taxonomy is the table form.
    taxonomy_ids = models.TextField(blank=True)
    keywords = models.TextField(blank=True)
    taxonomies = models.ManyToManyField(
        Taxonomy, through="ServiceTaxonomy", related_name="services", blank=True
    )
    # Set when an administrator edits the need tags by hand: a re-import then leaves them.
    needs_locked = models.BooleanField(
        default=False,
        help_text="Need tags were edited by hand; imports do not recompute them.",
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def needs(self) -> list[str]:
        return sorted(tag.need for tag in self.need_tags.all())


class ServiceTaxonomy(models.Model):
    id = hsds_id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE)
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE)
    taxonomy_detail = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "service taxonomies"


class ServiceNeed(models.Model):
    """A need a service meets, in casework's vocabulary, with why it was tagged."""

    class Source(models.TextChoices):
        TAXONOMY = "taxonomy", "Taxonomy term"
        KEYWORD = "keyword", "Keyword"
        DESCRIPTION = "description", "Name or description"
        ADMIN = "admin", "Set by an administrator"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="need_tags")
    need = models.CharField(max_length=40, choices=NEED_CHOICES)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ADMIN)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["service", "need"]
        constraints = [
            models.UniqueConstraint(fields=["service", "need"], name="directory_one_tag_per_need")
        ]

    def __str__(self) -> str:
        return f"{self.service_id}: {self.need}"


class Location(models.Model):
    id = hsds_id()
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(max_length=500, blank=True)
    alternate_name = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True)
    transportation = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    services = models.ManyToManyField(
        Service, through="ServiceAtLocation", related_name="locations", blank=True
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name or self.id


class PhysicalAddress(models.Model):
    id = hsds_id()
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="addresses")
    attention = models.CharField(max_length=500, blank=True)
    address_1 = models.CharField(max_length=500)
    address_2 = models.CharField(max_length=500, blank=True)
    address_3 = models.CharField(max_length=500, blank=True)
    address_4 = models.CharField(max_length=500, blank=True)
    city = models.CharField(max_length=200)
    # HSDS "region": the neighbourhood or district a search by place matches.
    region = models.CharField(max_length=200, blank=True)
    state_province = models.CharField(max_length=200)
    postal_code = models.CharField(max_length=40)
    country = models.CharField(max_length=2)

    class Meta:
        verbose_name_plural = "physical addresses"

    def __str__(self) -> str:
        return ", ".join(p for p in (self.address_1, self.city, self.postal_code) if p)


class ServiceAtLocation(models.Model):
    id = hsds_id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE)
    location = models.ForeignKey(Location, on_delete=models.CASCADE)
    description = models.TextField(blank=True)

    class Meta:
        verbose_name = "service at location"
        verbose_name_plural = "services at locations"

    def __str__(self) -> str:
        return f"{self.service_id} @ {self.location_id}"


class Phone(models.Model):
    id = hsds_id()
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    contact_id = models.CharField(max_length=HSDS_ID_LENGTH, blank=True)
    service_at_location = models.ForeignKey(
        ServiceAtLocation, null=True, blank=True, on_delete=models.CASCADE, related_name="phones"
    )
    number = models.CharField(max_length=100)
    extension = models.CharField(max_length=20, blank=True)
    type = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    department = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class RegularSchedule(models.Model):
    """Weekly opening hours, in the directory's local time zone.

    weekday is ISO (1 = Monday ... 7 = Sunday). A closing time earlier than the opening time
    runs past midnight into the next day; equal times mean open all day.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 1
        TUESDAY = 2
        WEDNESDAY = 3
        THURSDAY = 4
        FRIDAY = 5
        SATURDAY = 6
        SUNDAY = 7

    id = hsds_id()
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.CASCADE, related_name="schedules"
    )
    service_at_location = models.ForeignKey(
        ServiceAtLocation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="schedules",
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField()
    closes_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens_at"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class Eligibility(models.Model):
    id = hsds_id()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="eligibility")
    eligibility = models.TextField()

    class Meta:
        verbose_name_plural = "eligibility"

    def __str__(self) -> str:
        return self.eligibility


class ImportRun(models.Model):
    """One import of an HSDS package: what came in, what was kept out, and the counts."""

    source = models.CharField(max_length=1000)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # {table: {"rows": n, "created": n, "updated": n, "unchanged": n, "quarantined": n}}
    counts = models.JSONField(default=dict)
    # Tables in the package that the directory does not model, kept as names and row counts.
    skipped_tables = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.source} at {self.started_at:%Y-%m-%d %H:%M}"


class QuarantinedRow(models.Model):
    """A row an import refused, kept whole with where it came from and why."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="quarantined")
    file = models.CharField(max_length=500)
    row = models.PositiveIntegerField(help_text="CSV record number in the file, the header being row 1.")
    field = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    record = models.JSONField(default=dict)

    class Meta:
        ordering = ["run", "file", "row"]

    def __str__(self) -> str:
        return f"{self.file}:{self.row} {self.field}: {self.reason}"
