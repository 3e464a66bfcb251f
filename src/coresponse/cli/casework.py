"""``coresponse casework``: the repeat-caller outreach list, enrolment, and the demo casework."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from coresponse import config
from coresponse.analytics import repeat_callers

STORE_HELP = "The DuckDB call store (default: the data directory's calls.duckdb)."


def _store(path: Path | None) -> Path:
    return path or config.calls_store_path()


def _as_of(store: Path, value: datetime | None) -> datetime:
    if value is not None:
        return value.replace(tzinfo=None)
    try:
        latest = repeat_callers.latest_call(store)
    except repeat_callers.CallStoreError as error:
        raise click.ClickException(str(error)) from error
    if latest is None:
        raise click.ClickException(f"the call store {store} holds no calls")
    return latest


@click.group()
def casework() -> None:
    """Casework from the command line: repeat callers, enrolment, demo data."""


@casework.command("repeat-callers")
@click.option("--store", type=click.Path(path_type=Path), default=None, help=STORE_HELP)
@click.option("--as-of", type=click.DateTime(), default=None,
              help="End of the 12-month window, UTC (default: the newest call in the store).")
@click.option("--min-calls", default=5, show_default=True, type=click.IntRange(min=1))
@click.option("--limit", default=25, show_default=True, type=click.IntRange(min=1))
@click.option("--addresses", is_flag=True, help="Rank addresses instead of people.")
def repeat_callers_command(
    store: Path | None, as_of: datetime | None, min_calls: int, limit: int, addresses: bool
) -> None:
    """Rank the people (by keyed hash) or addresses with the most calls in 12 months.

    Also prints how many people had 5, 10, 20 and 40 or more calls. People already
    enrolled show their client id.

    \b
    Example:
      coresponse casework repeat-callers --min-calls 10 --limit 20
      coresponse casework repeat-callers --addresses --as-of 2024-12-31
    """
    path = _store(store)
    end = _as_of(path, as_of)
    rank = repeat_callers.rank_addresses if addresses else repeat_callers.rank_people
    try:
        rows = rank(path, as_of=end, min_calls=min_calls, limit=limit)
        bands = repeat_callers.contact_bands(path, as_of=end)
    except repeat_callers.CallStoreError as error:
        raise click.ClickException(str(error)) from error
    enrolled: dict[str, str] = {}
    if not addresses and rows:
        from coresponse.web.bootstrap import setup_django

        setup_django(migrate=True)
        from coresponse.casework.models import ClientPersonKey

        enrolled = dict(
            ClientPersonKey.objects.filter(person_key__in=[r.key for r in rows])
            .values_list("person_key", "client__public_id")
        )
    console = Console()
    table = Table(title=f"{'Addresses' if addresses else 'People'} with {min_calls}+ calls in the 12 months to {end:%Y-%m-%d}")
    table.add_column("#", justify="right")
    table.add_column("address" if addresses else "person key")
    table.add_column("calls", justify="right")
    table.add_column("outreach line")
    table.add_column("most common call type")
    if not addresses:
        table.add_column("client")
    for rank_number, row in enumerate(rows, start=1):
        cells = [str(rank_number), row.key if addresses else row.key[:16], str(row.calls), row.describe(end),
                 row.top_call_type or ""]
        if not addresses:
            cells.append(enrolled.get(row.key, ""))
        table.add_row(*cells)
    console.print(table)
    console.print("People by calls in 12 months: " + ", ".join(f"{band}+: {count}" for band, count in bands.items()))
    if not rows:
        console.print("No one reaches that many calls; lower --min-calls or check --as-of.")


@casework.command("enrol")
@click.argument("person_key")
@click.option("--worker", required=True, help="Username of the social worker who will own the case.")
@click.option("--store", type=click.Path(path_type=Path), default=None, help=STORE_HELP)
@click.option("--name", default="", help="The name the person uses, if known.")
def enrol(person_key: str, worker: str, store: Path | None, name: str) -> None:
    """Enrol a repeat caller: open a case owned by WORKER, linked to their last 12 months of calls.

    PERSON_KEY is the keyed hash from the repeat-caller list (a unique prefix of 6+
    characters is enough). The enrolment is audited under the worker's name.

    \b
    Example:
      coresponse casework enrol 3f9a1c22 --worker demo_social_worker
    """
    from coresponse.web.bootstrap import setup_django

    setup_django(migrate=True)
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from coresponse.casework import services
    from coresponse.casework.errors import CaseworkError

    path = _store(store)
    try:
        key = repeat_callers.resolve_person_key(path, person_key)
    except (ValueError, repeat_callers.CallStoreError) as error:
        raise click.ClickException(str(error)) from error
    user = get_user_model().objects.filter(username=worker).first()
    if user is None:
        raise click.ClickException(f"no user named {worker!r}")
    try:
        case = services.enrol_repeat_caller(key, worker=user, by=user, clock=timezone.now, store=path,
                                            preferred_name=name)
    except CaseworkError as error:
        raise click.ClickException(str(error)) from error
    figures = services.case_before_after(case, store=path, by=user, clock=timezone.now)
    click.echo(
        f"Enrolled {case.client.public_id}: case {case.pk} owned by {worker}, "
        f"{case.call_links.count()} calls linked; {figures.before} calls in the 12 months before enrolment."
    )


@casework.command("link-calls")
@click.option("--store", type=click.Path(path_type=Path), default=None, help=STORE_HELP)
@click.option("--since", type=click.DateTime(), default=None, help="Only calls received after this (UTC).")
def link_calls(store: Path | None, since: datetime | None) -> None:
    """Link calls in the store to clients by the import's person key (run after each import).

    This is how new calls about enrolled people reach their case and the worker's home
    page. Calls already linked are skipped, so running it twice links nothing new.

    \b
    Example:
      coresponse cad import var/seattle_week.csv --profile seattle
      coresponse casework link-calls --since 2025-01-01
    """
    path = _store(store)
    if not path.exists():
        # Without clients the service never opens the store, so a mistyped --store would
        # otherwise report "0 new calls linked" as if all were well.
        raise click.ClickException(
            f"no call store at {path}: import calls first (coresponse cad import)"
        )
    from coresponse.web.bootstrap import setup_django

    setup_django(migrate=True)
    from datetime import UTC

    from django.utils import timezone

    from coresponse.casework import services

    try:
        made = services.link_calls_by_person_key(
            store=path, by=services.SystemJob("casework link-calls"), clock=timezone.now,
            since=since.replace(tzinfo=UTC) if since else None,
        )
    except repeat_callers.CallStoreError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{made} new calls linked to clients.")


@casework.command("seed-demo")
@click.option("--store", type=click.Path(path_type=Path), default=None, help=STORE_HELP)
@click.option("--clients", default=300, show_default=True, type=click.IntRange(min=1))
@click.option("--seed", "seed_value", default=2025, show_default=True, type=int)
@click.option("--password", default=None, help="Password of the demo users (default: coresponse-demo).")
def seed_demo(store: Path | None, clients: int, seed_value: int, password: str | None) -> None:
    """Seed realistic casework from the imported calls' repeat callers, and one demo user per role.

    Clients are the store's top repeat callers, enrolled over its last year, with
    encounters, assessments, consents, referrals to directory services (a few demo
    services are made if the directory is empty) and follow-ups. Demo users are
    demo_call_taker, demo_dispatcher, demo_police, demo_social_worker (_2, _3),
    demo_supervisor, demo_analyst and demo_admin, password "coresponse-demo".
    Running it again adds nothing.

    \b
    Example:
      coresponse casework seed-demo --clients 300 --seed 2025
    """
    from coresponse.web.bootstrap import setup_django

    setup_django(migrate=True)
    from coresponse.casework import demo

    path = _store(store)
    console = Console()
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Seeding casework", total=clients)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            report = demo.seed(path, clients=clients, seed_value=seed_value,
                               password=password or demo.DEMO_PASSWORD, progress=advance)
        except repeat_callers.CallStoreError as error:
            raise click.ClickException(str(error)) from error
    if report.skipped:
        console.print(report.skipped)
        return
    table = Table(title=f"Demo casework, year to {report.as_of:%Y-%m-%d}" if report.as_of else "Demo casework")
    table.add_column("records")
    table.add_column("count", justify="right")
    for label, value in (
        ("clients enrolled from repeat callers", report.clients),
        ("cases open / closed", f"{report.cases_open} / {report.cases_closed}"),
        ("calls linked", report.calls_linked),
        ("encounters", report.encounters),
        ("assessments", report.assessments),
        ("referrals", report.referrals),
        ("follow-ups", report.follow_ups),
        ("demo directory services created", report.services_created),
    ):
        table.add_row(label, str(value))
    console.print(table)
    console.print(f"Demo users ({', '.join(report.users)}) sign in with password "
                  f"{'(as given)' if password else demo.DEMO_PASSWORD!r}.")
