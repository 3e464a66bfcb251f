"""A protocol compiled to one columnar Ibis expression, for replaying history at scale.

``compile(protocol).decide(table)`` adds ``route`` and ``rule_id`` to a table of calls.
It runs wherever Ibis does (DuckDB by default, PySpark for a state's data) and follows
exactly the semantics of ``engine.decide``: every leaf is two-valued (a null value makes
it false, except ``is: null``), rules are tried in order, the default applies when none
holds, then the same safety check overrides a route that sends no officer.
``rule_id`` is the rule that decided: the last entry of ``Decision.rules_fired``.

Input columns: category, apco_code, call_type, priority, source, received_local,
repeat_address_calls, ``sig_<signal>`` and ``answer_<name>``. A missing ``sig_`` or
``answer_`` column counts as all null (historical data has no screening answers);
any other column the protocol reads must be present. An optional
``received_local_minute`` (the local minute of the day) is read for team hours instead of
the timestamp when the table has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from coresponse.triage.engine import SAFETY_BY_ID, SAFETY_CHECKS, UNGUARDED_ROUTES, SafetyCheck
from coresponse.triage.protocol import (
    AllOf,
    AnswerIs,
    AnyOf,
    Condition,
    FieldEquals,
    FieldIn,
    FieldIs,
    Not,
    PriorityAtMost,
    Protocol,
    ProtocolError,
    RepeatAddressAtLeast,
    SignalIs,
    WithinTeamHours,
    condition_inputs,
)

if TYPE_CHECKING:
    import ibis.expr.types as ir

TIME_COLUMN = "received_local"
# Optional: the local minute of the day (hour * 60 + minute of TIME_COLUMN), worked out once
# by whoever stores the calls (the replay's call_signals does); read instead of the time.
MINUTE_COLUMN = "received_local_minute"


def column_for(input_name: str) -> str:
    """The table column holding a protocol input (``answers.weapon`` -> ``answer_weapon``)."""
    if input_name.startswith("answers."):
        return "answer_" + input_name.removeprefix("answers.")
    if input_name.startswith("signals."):
        return "sig_" + input_name.removeprefix("signals.")
    if input_name == "local_time":
        return TIME_COLUMN
    return input_name


def _optional(column: str) -> bool:
    return column.startswith(("answer_", "sig_"))


class _Builder:
    def __init__(self, protocol: Protocol, table: ir.Table) -> None:
        self.protocol = protocol
        self.table = table
        self.present = set(table.columns)

    def column(self, name: str) -> ir.Value | None:
        if name in self.present:
            return self.table[name]
        if _optional(name):
            return None
        raise ProtocolError(
            f"protocol {self.protocol.name!r} reads column {name!r}, which the calls table lacks "
            f"(it has: {', '.join(sorted(self.present))})"
        )

    def state_is(self, name: str, state: bool | None) -> ir.BooleanValue:
        value = self.column(name)
        if value is None:  # the whole column is null
            import ibis

            return ibis.literal(state is None)
        flag = value.cast("boolean")
        if state is None:
            return flag.isnull()
        test = flag if state else ~flag
        return test.fill_null(False)

    def condition(self, condition: Condition) -> ir.BooleanValue:
        match condition:
            case FieldEquals(field=name, value=value):
                column = self.column(name)
                assert column is not None
                return (column == value).fill_null(False)
            case FieldIn(field=name, values=values):
                column = self.column(name)
                assert column is not None
                return column.isin(list(values)).fill_null(False)
            case FieldIs(field=name):
                column = self.column(name)
                assert column is not None
                return column.isnull()
            case AnswerIs(answer=answer, state=state):
                return self.state_is(f"answer_{answer}", state)
            case SignalIs(signal=signal, state=state):
                return self.state_is(f"sig_{signal}", state)
            case PriorityAtMost(priority=most):
                column = self.column("priority")
                assert column is not None
                return (column <= most).fill_null(False)
            case WithinTeamHours(team=team):
                hours = self.protocol.team_hours[team]
                minute = (
                    self.table[MINUTE_COLUMN]
                    if MINUTE_COLUMN in self.present
                    else minute_of_day(self.column(TIME_COLUMN))
                )
                if hours.start_minute <= hours.end_minute:
                    inside = (minute >= hours.start_minute) & (minute < hours.end_minute)
                else:
                    inside = (minute >= hours.start_minute) | (minute < hours.end_minute)
                return inside.fill_null(False)
            case RepeatAddressAtLeast(calls=least):
                column = self.column("repeat_address_calls")
                assert column is not None
                return (column >= least).fill_null(False)
            case AllOf(conditions=items):
                result = self.condition(items[0])
                for item in items[1:]:
                    result = result & self.condition(item)
                return result
            case AnyOf(conditions=items):
                result = self.condition(items[0])
                for item in items[1:]:
                    result = result | self.condition(item)
                return result
            case Not(condition=inner):
                return ~self.condition(inner)
        raise TypeError(f"not a condition: {condition!r}")


@dataclass(frozen=True)
class CompiledProtocol:
    protocol: Protocol
    columns_read: tuple[str, ...]

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Every rule id ``decide`` can give, indexed by ``rule_code`` (see ``decide_codes``).

        The rules whose route sends no officer come first, so that "the safety check may
        override this rule" is one integer comparison (``rule_code < guarded_rules``).
        """
        rules = (*self.protocol.rules, self.protocol.default)
        ordered = [rule.id for rule in rules if rule.route in UNGUARDED_ROUTES]
        ordered += [rule.id for rule in rules if rule.route not in UNGUARDED_ROUTES]
        ordered += list(SAFETY_BY_ID)
        return tuple(dict.fromkeys(ordered))

    @property
    def guarded_rules(self) -> int:
        """How many of ``rule_ids`` (the first ones) lead to a route that sends no officer."""
        rules = (*self.protocol.rules, self.protocol.default)
        return len({rule.id for rule in rules if rule.route in UNGUARDED_ROUTES})

    def rule_routes(self) -> dict[str, str]:
        """The route each of ``rule_ids`` leads to."""
        routes = {check_id: check.route for check_id, check in SAFETY_BY_ID.items()}
        for rule in (*self.protocol.rules, self.protocol.default):
            routes[rule.id] = rule.route
        return {rule_id: routes[rule_id] for rule_id in self.rule_ids}

    def decide_codes(self, table: ir.Table, name: str = "rule_code") -> ir.Table:
        """``table`` with ``name`` added: the index in ``rule_ids`` of the rule that decided (int16).

        The same decision as ``decide`` as a small integer, which is cheaper to compute and
        to group by on millions of rows than the rule's id; ``decide`` is built on it.
        """
        import ibis  # here, not at the top: a replay of known protocols never builds one

        builder = _Builder(self.protocol, table)
        codes = {rule_id: code for code, rule_id in enumerate(self.rule_ids)}

        def code(rule_id: str) -> ir.IntegerValue:
            return ibis.literal(codes[rule_id], type="int16")

        branches = [
            (builder.condition(rule.when), code(rule.id))
            for rule in self.protocol.rules
            if rule.when is not None
        ]
        default = code(self.protocol.default.id)
        protocol_rule: ir.IntegerValue = (
            ibis.cases(*branches, else_=default) if branches else default
        )
        staged = table.mutate(**{name: protocol_rule})
        chosen = staged[name]
        safety_branches = [
            (builder.state_is(_safety_column(check), True), code(check.id))
            for check in SAFETY_CHECKS
            if _safety_column(check) in builder.present
        ]
        if self.guarded_rules and safety_branches:
            # A route with an officer stands; otherwise the first safety check that holds wins.
            staged = staged.mutate(
                **{
                    name: ibis.cases(
                        (chosen >= self.guarded_rules, chosen), *safety_branches, else_=chosen
                    )
                }
            )
        return staged.mutate(**{name: staged[name].cast("int16")})

    def decide(self, table: ir.Table) -> ir.Table:
        """``table`` with ``route`` and ``rule_id`` added (replacing any of the same name)."""
        import ibis

        staged = self.decide_codes(table, "_triage_rule")
        code = staged["_triage_rule"]
        by_route: dict[str, list[int]] = {}
        for index, (rule_id, route_name) in enumerate(self.rule_routes().items()):
            assert self.rule_ids[index] == rule_id
            by_route.setdefault(route_name, []).append(index)
        route = ibis.cases(
            *((code.isin(codes), route_name) for route_name, codes in by_route.items()),
            else_=ibis.null("string"),
        )
        rule_id = ibis.cases(
            *((code == index, rule_id) for index, rule_id in enumerate(self.rule_ids)),
            else_=ibis.null("string"),
        )
        decided = staged.mutate(route=route.cast("string"), rule_id=rule_id.cast("string"))
        return decided.drop("_triage_rule")


def minute_of_day(moment: ir.Value | None) -> Any:
    """The minute of the day of a timestamp column: hour * 60 + minute."""
    assert moment is not None
    timestamp: Any = moment
    return timestamp.hour() * 60 + timestamp.minute()


def _safety_column(check: SafetyCheck) -> str:
    return f"{'answer' if check.kind == 'answer' else 'sig'}_{check.name}"


def compile(protocol: Protocol) -> CompiledProtocol:  # noqa: A001 - the contract's name
    """Compile ``protocol`` once; the result decides any number of tables."""
    inputs: set[str] = set()
    for rule in protocol.rules:
        if rule.when is not None:
            inputs |= condition_inputs(rule.when)
    columns = {column_for(name) for name in inputs}
    columns |= {_safety_column(check) for check in SAFETY_CHECKS}
    return CompiledProtocol(protocol=protocol, columns_read=tuple(sorted(columns)))
