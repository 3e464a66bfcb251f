"""``coresponse triage``: decide a call by a protocol, list the protocols, and the questions to ask."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click


def _read_call(raw: str) -> Any:
    text = sys.stdin.read() if raw == "-" else raw
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise click.BadParameter(
            f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})",
            param_hint="--json",
        ) from error


def _load(protocol_name: str) -> Any:
    from coresponse.triage import ProtocolError, load_protocol

    try:
        return load_protocol(protocol_name)
    except ProtocolError as error:
        raise click.ClickException(str(error)) from error


def _facts(raw: str) -> Any:
    from coresponse.triage.calls import InvalidCall, call_facts

    try:
        return call_facts(_read_call(raw))
    except InvalidCall as error:
        lines = "\n".join(f"  {problem.field}: {problem.message}" for problem in error.problems)
        raise click.ClickException(f"the call cannot be triaged as sent:\n{lines}") from error


# The protocol a command decides by; shared by every command that takes one.
protocol_option = click.option(
    "--protocol",
    "protocol_name",
    default="civilian-first",
    show_default=True,
    help="A shipped protocol's name or the path of a protocol .yaml file.",
)


@click.group()
def triage() -> None:
    """Decide who goes to a call, by a triage protocol written as data."""


@triage.command()
@protocol_option
@click.option(
    "--json",
    "call_json",
    required=True,
    help="The call as a JSON object ('-' reads it from standard input).",
)
def decide(protocol_name: str, call_json: str) -> None:
    """Decide one call and print the decision as JSON.

    The decision gives the route, the priority, the reasons in plain words, the rules
    that fired, the protocol's name, version and content hash, and the screening
    questions still worth asking. A call that cannot be read is refused with every
    field at fault named.

    \b
    Example:
      coresponse triage decide --protocol civilian-first --json '{"city": "seattle",
        "call_type": "--CRISIS COMPLAINT - GENERAL", "remarks": "EDP yelling, no weapons",
        "priority": 3, "source": "911", "received_at": "2025-03-01T14:15:00-08:00",
        "answers": {"weapon": false, "violence": false}}'
    """
    from coresponse.triage import decide as decide_call

    protocol = _load(protocol_name)
    facts = _facts(call_json)
    if facts.category is None and facts.apco_code is None:
        # Decided anyway (safely: no category rule can send a team), but say so, on standard
        # error so the JSON on standard output stays clean: a typo in the city or the code
        # otherwise looks like a real "stays with police".
        click.echo(
            f"note: call type {facts.call_type!r} is not in the city's call-type mapping and "
            "the call gives no category or apco_code, so rules on them could not apply",
            err=True,
        )
    decision = decide_call(protocol, facts)
    click.echo(json.dumps(decision.to_dict(), indent=2, ensure_ascii=False))


@triage.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def protocols(as_json: bool) -> None:
    """List the shipped protocols with their version, content hash and sources.

    \b
    Example:
      coresponse triage protocols
      coresponse triage protocols --json
    """
    from coresponse.triage import list_protocols

    loaded = [_load(name) for name in list_protocols()]
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "name": protocol.name,
                        "version": protocol.version,
                        "title": protocol.title,
                        "protocol_hash": protocol.content_hash,
                        "rules": [rule.id for rule in protocol.rules],
                        "sources": list(protocol.sources),
                    }
                    for protocol in loaded
                ],
                indent=2,
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Triage protocols")
    for column in ("name", "version", "title", "rules", "hash"):
        table.add_column(column)
    for protocol in loaded:
        table.add_row(
            protocol.name,
            protocol.version,
            protocol.title,
            str(len(protocol.rules)),
            protocol.content_hash[:12],
        )
    Console().print(table)


@triage.command()
@protocol_option
@click.option(
    "--json",
    "call_json",
    default=None,
    help="What is known of the call so far, as JSON; without it, a call with no answers yet.",
)
def questions(protocol_name: str, call_json: str | None) -> None:
    """Print the screening questions to ask next, in the protocol's order.

    Questions whose answer could no longer change the route are left out, so the list
    shortens as answers come in.

    \b
    Example:
      coresponse triage questions --protocol counsellor-first
      coresponse triage questions --protocol civilian-first --json '{"city": "seattle",
        "call_type": "SERVICE - WELFARE CHECK", "answers": {"weapon": false}}'
    """
    from coresponse.triage import CallFacts, questions_to_ask

    protocol = _load(protocol_name)
    facts = _facts(call_json) if call_json is not None else CallFacts()
    asked = questions_to_ask(protocol, facts)
    if not asked:
        click.echo("No question left could change the route.")
    for number, question in enumerate(asked, start=1):
        click.echo(f"{number}. {question.text}  [{question.answer}]")


@triage.command(name="train-remarks")
@click.argument("labelled", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    required=True,
    help="Where to write the model (JSON).",
)
@click.option(
    "--tuned-split",
    "tuned_splits",
    multiple=True,
    help="A split the remarks patterns were tuned on (repeat for more): thresholds are "
    "chosen on the other rows, where the patterns make the mistakes they will make on new text.",
)
@click.option(
    "--exclude-split",
    "excluded_splits",
    multiple=True,
    help="A split held out to measure on, never trained on (repeat for more).",
)
@click.option(
    "--shipped-splits",
    is_flag=True,
    help="The split roles of the labelled set shipped with CoResponse (the splits its patterns "
    "were tuned on, and its blind splits, held out): how `make remarks-model` retrains the "
    "shipped model.",
)
def train_remarks(
    labelled: Path,
    out: Path,
    tuned_splits: tuple[str, ...],
    excluded_splits: tuple[str, ...],
    shipped_splits: bool,
) -> None:
    """Train the remarks reader's learned model on labelled remarks.

    LABELLED is a CSV with a `remarks` column and a 0/1 column per signal (weapon,
    violence, threat, self_harm, intoxication, medical, mental_health), optionally a
    `split` column. Prints, per signal, the out-of-fold precision and recall of the
    patterns alone and with the model. Use the model with CORESPONSE_REMARKS_MODEL=PATH.

    \b
    Example:
      coresponse triage train-remarks our_remarks.csv --out var/remarks_model.json
      CORESPONSE_REMARKS_MODEL=var/remarks_model.json coresponse triage replay
    """
    from rich.console import Console
    from rich.table import Table

    from coresponse.triage.remarks_model import (
        BLIND_SPLITS,
        PATTERNS_TUNED_SPLITS,
        RemarksModelError,
        read_labelled,
        train,
    )

    if shipped_splits:
        tuned_splits += PATTERNS_TUNED_SPLITS
        excluded_splits += BLIND_SPLITS
    console = Console(stderr=True)
    try:
        rows = read_labelled(labelled, reader_tuned=tuned_splits, exclude=excluded_splits)
        with console.status("Training...") as status:
            model, report = train(
                rows, progress=lambda name: status.update(f"Training: {name}")
            )
    except RemarksModelError as error:
        raise click.ClickException(str(error)) from error
    model.save(out)
    table = Table(
        title=f"Trained on {report.rows:,} remarks; thresholds chosen out of fold on "
        f"{report.selection_rows:,} (precision / recall)"
    )
    for column in ("signal", "combined", "patterns alone", "with the model", "target met"):
        table.add_column(column, justify="left" if column in ("signal", "combined") else "right")
    for name, figures in report.figures.items():
        met = figures.get("target_met")
        table.add_row(
            name,
            model.signals[name].mode,
            f"{figures['reader']['precision']:.3f} / {figures['reader']['recall']:.3f}",
            f"{figures['combined']['precision']:.3f} / {figures['combined']['recall']:.3f}",
            "-" if met is None else ("yes" if met else "no"),
        )
    Console().print(table)
    click.echo(f"Model written to {out} ({len(model.weights):,} fragments).")


from coresponse.cli.triage_replay import replay  # noqa: E402 - registered last, owned by the replay

triage.add_command(replay)
