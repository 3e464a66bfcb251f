"""Signals read from a call's free-text CAD remarks: weapon, violence, threat, self-harm,
intoxication, medical distress and mental-health indicators.

One reader, two evaluators with one answer:

- ``read_signals(text)`` in pure Python for the live console (precompiled regexes);
- ``signal_expressions(column)`` as Ibis expressions for historical calls, run on DuckDB
  or Spark.

Both are built from the same patterns (``data/remark_patterns.yaml``), written so that
RE2 (DuckDB, and the Python reader) and Java (Spark) read them alike, and the same learned
model (``remarks_model``), which every engine runs as the same Python function. A signal is
read in four steps: normalise the text (printable ASCII, lower case, ``w/`` -> ``with``,
clause breaks); remove the signal's negated spans ("no weapons seen", "denies SI", "wpns:
neg") and its excluded look-alikes ("flu shot", "heart attack", "LOC: 3rd Ave"); the
patterns find the signal when one of its terms remains; that finding is combined with the
learned model's vote.

Weapon and violence lean to recall: a weapon mentioned in the past or as a possibility
("knife last week", "may have a gun") fires, and only a closed list of words may sit
between a negator and the term they negate, so "no answer rp says gun" still fires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

if TYPE_CHECKING:
    import ibis.expr.types as ir

from coresponse.triage.remarks_model import (
    SIGNALS,
    RemarksModel,
    combine,
    default_model,
)

PATTERNS_PATH = Path(__file__).with_name("data") / "remark_patterns.yaml"
# The hand-labelled remarks the reader is measured on (see docs/remarks.md).
LABELLED_PATH = Path(__file__).with_name("data") / "remarks_labelled.csv"


class RemarkPatternError(ValueError):
    """The patterns file is malformed (missing signal, bad regex, unknown key)."""


@dataclass(frozen=True)
class RemarkSignals:
    """One flag per signal, and the phrase that fired each flag that is set."""

    weapon: bool = False
    violence: bool = False
    threat: bool = False
    self_harm: bool = False
    intoxication: bool = False
    medical: bool = False
    mental_health: bool = False
    evidence: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, bool]:
        return {name: bool(getattr(self, name)) for name in SIGNALS}

    @property
    def any(self) -> bool:
        return any(self.as_dict().values())


@dataclass(frozen=True)
class SignalPattern:
    """The regexes that decide one signal, as source text (for Ibis) and compiled (for Python)."""

    name: str
    terms: str  # matches a term that fires the signal
    # The same terms as one regex per kind of term (the items of a ``terms`` list): RE2 runs
    # several small regexes much faster than their union, whose automaton outgrows its memory.
    term_parts: tuple[str, ...]
    removal: str  # matches the spans to remove first (exclusions and negations)
    includes: tuple[str, ...]  # other signals that also fire this one
    terms_re: Matcher
    removal_re: Matcher
    exclude: str | None  # the exclusion part of ``removal`` alone
    exclude_re: Matcher | None


@dataclass(frozen=True)
class RemarkPatterns:
    version: int
    normalise: tuple[tuple[str, str], ...]
    signals: dict[str, SignalPattern]
    normalise_res: tuple[tuple[re.Pattern[str], str], ...]
    # Any of the normalisation steps after the first: where none matches, all are no-ops.
    later_steps_re: re.Pattern[str]
    # Matches wherever any negation could start or end; where it matches nowhere, only a
    # signal's exclusions can change the text, so the removal pass can often be skipped.
    negation_hint: str
    negation_hint_re: Matcher


_VOCABULARY_REFERENCE = re.compile(r"<<([a-z_]+)>>")


def _alternation(value: Any, where: str, vocabulary: dict[str, str] | None = None) -> str:
    """A folded YAML block of alternatives (or a list of them, one per kind of term), with the
    spaces folding put after each ``|`` removed and each ``<<name>>`` replaced by that
    vocabulary entry as a group."""
    parts = value if isinstance(value, list) else [value]
    if not parts or not all(isinstance(part, str) and part.strip() for part in parts):
        raise RemarkPatternError(f"{where}: expected a non-empty regex string or a list of them")
    text = "|".join(re.sub(r"\|\s+", "|", part.strip()) for part in parts)
    if "" in _top_level_alternatives(text):
        # An empty alternative matches everywhere: as a term it would fire on every remark,
        # in a removal it would cut every remark apart. Usually a "|" left at a block's end.
        raise RemarkPatternError(
            f"{where}: an empty alternative (a '|' at the start or end of a line, or '||')"
        )

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if vocabulary is None or name not in vocabulary:
            raise RemarkPatternError(f"{where}: unknown vocabulary <<{name}>>")
        return f"(?:{vocabulary[name]})"

    return _VOCABULARY_REFERENCE.sub(expand, text)


# A vocabulary alternative made only of letters, each maybe optional (``machett?es?``).
_LETTERS_ONLY = re.compile(r"(?:[a-z]\??)+")
# Typing slips are read only in words this long: shorter ones have too many real-word neighbours.
TYPO_MIN_LENGTH = 5


def _top_level_alternatives(pattern: str) -> list[str]:
    """The alternatives of ``pattern`` outside any group: ``a|b(?:c|d)|e`` -> a, b(?:c|d), e."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(pattern):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:index])
            start = index + 1
    parts.append(pattern[start:])
    return parts


def typo_variants(word: str) -> set[str]:
    """The slips fast typing makes in ``word`` while keeping its first and last letters: one
    inner letter dropped ("hndgun", "waistbnd"), two inner letters swapped ("kinfe"), or every
    inner vowel dropped ("hndgn")."""
    inner = range(1, len(word) - 1)
    dropped = {word[:i] + word[i + 1 :] for i in inner}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in inner if i + 2 < len(word)}
    # CAD shorthand: every inner vowel typed away ("hndgn", "pstl", "mchte" -> "mcht").
    skeleton = {word[0] + re.sub("[aeiou]", "", word[1:-1]) + word[-1]}
    return (dropped | swapped | skeleton) - {word}


def _trie_pattern(words: set[str]) -> str:
    """One regex for a set of literal words, factored by common prefix (``hnd(?:gun|gn)``), so
    that Python's backtracking engine tries one branch per letter instead of every word."""
    if not words:
        return ""
    if words == {""}:
        return ""
    branches = []
    optional = "" in words
    by_first: dict[str, set[str]] = {}
    for word in sorted(words - {""}):
        by_first.setdefault(word[0], set()).add(word[1:])
    for first, rests in by_first.items():
        branches.append(re.escape(first) + _trie_pattern(rests))
    body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
    return body + ("?" if optional else "")


def _spellings(alternative: str) -> set[str]:
    """Every word a letters-only alternative matches: ``knives?`` -> knive, knives."""
    words = {""}
    for letter, optional in re.findall(r"([a-z])(\??)", alternative):
        words = {word + letter for word in words} | (words if optional else set())
    return words


def _typo_steps(
    vocabulary_raw: dict[str, str], typo_tolerant: Any, not_words: Any, path: Path
) -> list[tuple[str, str]]:
    """Normalisation steps that read the typing slips of the letters-only words of some
    vocabulary entries as one word of that entry: ``typo_tolerant: {firearm: gun}`` turns
    "hndgun" and "pstl" into "gun". A slip of two entries' words, a word of any entry, and the
    real words listed in ``typo_not_words`` are left alone. Done in the normalisation, not in
    the terms, so the terms (and RE2's automata for them) stay as small as before."""
    if typo_tolerant is None:
        return []
    if not isinstance(typo_tolerant, dict):
        raise RemarkPatternError(
            f"{path}: typo_tolerant: expected a mapping of vocabulary entry to the word its slips read as"
        )
    unknown = sorted(set(map(str, typo_tolerant)) - set(vocabulary_raw))
    if unknown:
        raise RemarkPatternError(
            f"{path}: typo_tolerant: no vocabulary entry named {', '.join(unknown)}"
        )
    words_of: dict[str, set[str]] = {}
    for name in typo_tolerant:
        words_of[name] = set()
        for alternative in _top_level_alternatives(vocabulary_raw[name]):
            if _LETTERS_ONLY.fullmatch(alternative):
                words_of[name] |= _spellings(alternative)
    every_word = set().union(*words_of.values())
    excluded = {str(word) for word in (not_words or ())} | every_word
    slips_of = {
        name: {
            slip
            for word in words
            if len(word) >= TYPO_MIN_LENGTH
            for slip in typo_variants(word)
            if len(slip) >= TYPO_MIN_LENGTH - 1 and slip not in excluded
        }
        for name, words in words_of.items()
    }
    steps = []
    for name, slips in slips_of.items():
        shared = set().union(
            *(other for other_name, other in slips_of.items() if other_name != name)
        )
        canonical = str(typo_tolerant[name])
        if not re.fullmatch(r"[a-z]+", canonical):
            raise RemarkPatternError(
                f"{path}: typo_tolerant.{name}: {canonical!r} is not one lower-case word"
            )
        if slips - shared:
            steps.append((rf"\b{_trie_pattern(slips - shared)}\b", canonical))
    return steps


def _vocabulary(raw: Any, path: Path) -> dict[str, str]:
    """Named word classes (weapon nouns, people...), each usable as ``<<name>>`` in the terms
    and exclusions; an entry may use the entries listed before it."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RemarkPatternError(f"{path}: vocabulary: expected a mapping of name to regex")
    vocabulary: dict[str, str] = {}
    for name, value in raw.items():
        vocabulary[str(name)] = _alternation(value, f"{path}: vocabulary.{name}", vocabulary)
        _compile(vocabulary[str(name)], f"{path}: vocabulary.{name}")
    return vocabulary


def _compile(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.ASCII)
    except re.error as error:
        raise RemarkPatternError(f"{where}: bad regex ({error}): {pattern[:80]}...") from error


class Matcher(Protocol):
    """A compiled pattern as the reader uses it (RE2's Python binding)."""

    def search(self, text: str) -> Any: ...

    def subn(self, replacement: str, text: str) -> tuple[str, int]: ...


def _matcher(pattern: str, where: str) -> Matcher:
    """The pattern compiled by RE2, the engine DuckDB runs it with: the Python reader then
    reads as DuckDB does by construction, in linear time, and 3-5 times faster than ``re``
    on these patterns. Checked by ``re`` first, for its clearer messages."""
    import re2  # here, not at import: only reading remarks needs it

    _compile(pattern, where)
    options = re2.Options()
    # RE2's default 8 MB is too little for the violence removal pattern's automaton.
    options.max_mem = 256 << 20
    try:
        return re2.compile(pattern, options)  # type: ignore[no-any-return]
    except re2.error as error:
        raise RemarkPatternError(f"{where}: RE2 (DuckDB's engine) cannot compile it ({error})") from error


def load_patterns(path: Path = PATTERNS_PATH) -> RemarkPatterns:
    """Read and check a patterns file; every regex is compiled so a typo fails here, not mid-replay."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RemarkPatternError(f"{path}: cannot be read: {error}") from error
    if not isinstance(raw, dict):
        raise RemarkPatternError(f"{path}: expected a mapping at the top level")
    normalise = tuple((str(pair[0]), str(pair[1])) for pair in raw.get("normalise", []))
    negators = _alternation(raw.get("negators"), f"{path}: negators")
    safe_filler = _alternation(raw.get("safe_filler"), f"{path}: safe_filler")
    post_negators = _alternation(raw.get("post_negators"), f"{path}: post_negators")
    soft_negators = _alternation(raw.get("soft_negators"), f"{path}: soft_negators")
    vocabulary = _vocabulary(raw.get("vocabulary"), path)
    own_words = {
        name: _alternation(value, f"{path}: vocabulary.{name}")
        for name, value in (raw.get("vocabulary") or {}).items()
        if "<<" not in str(value)
    }
    # The slips of fast typing ("hndgun") read as a word the terms know, after the file's steps.
    normalise += tuple(
        _typo_steps(own_words, raw.get("typo_tolerant"), raw.get("typo_not_words"), path)
    )
    declared = raw.get("signals") or {}
    missing = [name for name in SIGNALS if name not in declared]
    unknown = [name for name in declared if name not in SIGNALS]
    if missing or unknown:
        raise RemarkPatternError(f"{path}: signals missing {missing}, unknown {unknown}")
    signals: dict[str, SignalPattern] = {}
    for name in SIGNALS:
        spec = declared[name]
        where = f"{path}: signals.{name}"
        extra = set(spec) - {"terms", "exclude", "safety", "includes"}
        if extra:
            raise RemarkPatternError(f"{where}: unknown keys {sorted(extra)}")
        terms = _alternation(spec.get("terms"), f"{where}.terms", vocabulary)
        raw_terms = spec.get("terms")
        term_parts = tuple(
            rf"\b(?:{_alternation(item, f'{where}.terms', vocabulary)})\b"
            for item in (raw_terms if isinstance(raw_terms, list) else [raw_terms])
        )
        if spec.get("safety"):
            # Weapon and violence lean to recall: doubt does not negate them, only listed
            # words may stand between negator and term, and a comma ends the negation.
            signal_negators = negators
            filler = rf"(?:(?:{safe_filler})[ /]+){{0,3}}?"
            trailing = ""
            # A negation reaches along a list joined by "or"/"nor"/"/" ("no knives or guns"),
            # never across "and" or a comma, which often start a new fact.
            listed = rf"(?:(?:[ ]+(?:or|nor)[ ]+|[ ]*/[ ]*){filler}(?:{terms}))*"
        else:
            signal_negators = f"{negators}|{soft_negators}"
            # Either a list of short items right after the negator ("denies si, hi, etoh"),
            # or up to three words with no comma ("denies any thoughts of suicide").
            filler = (
                r"(?:(?:[a-z0-9/'-]{1,6}[ /]*,[ ]?(?:and |or |nor )?){1,4}?"
                r"|(?:[a-z0-9'-]+[ /]+){0,3}?)"
            )
            trailing = r"(?:[ /]+[a-z0-9'-]+){0,2}?"
            listed = ""
        parts = [
            rf"\b(?:{signal_negators})[ :/-]+{filler}(?:{terms}){listed}\b",
            rf"\b(?:{terms}){trailing}(?:{post_negators})\b",
        ]
        exclude = None
        if spec.get("exclude"):
            exclude = rf"\b(?:{_alternation(spec['exclude'], f'{where}.exclude', vocabulary)})"
            parts.insert(0, exclude)
        removal = "|".join(f"(?:{part})" for part in parts)
        term_pattern = rf"\b(?:{terms})\b"
        includes = tuple(spec.get("includes") or ())
        for included in includes:
            if included not in SIGNALS or SIGNALS.index(included) >= SIGNALS.index(name):
                raise RemarkPatternError(
                    f"{where}.includes: {included!r} must be a signal listed before it"
                )
        signals[name] = SignalPattern(
            name=name,
            terms=term_pattern,
            term_parts=term_parts,
            removal=removal,
            includes=includes,
            terms_re=_matcher(term_pattern, f"{where}.terms"),
            removal_re=_matcher(removal, f"{where} (negation/exclusion)"),
            exclude=exclude,
            exclude_re=_matcher(exclude, f"{where}.exclude") if exclude else None,
        )
    negation_hint = rf"\b(?:{negators}|{soft_negators})[ :/-]|(?:{post_negators})\b"
    normalise_res = tuple(
        (_compile(pattern, f"{path}: normalise[{index}]"), replacement)
        for index, (pattern, replacement) in enumerate(normalise)
    )
    return RemarkPatterns(
        version=int(raw.get("version", 0)),
        normalise=normalise,
        signals=signals,
        normalise_res=normalise_res,
        later_steps_re=_compile(
            "|".join(f"(?:{pattern})" for pattern, _ in normalise[1:]) or "(?!)",
            f"{path}: normalise",
        ),
        negation_hint=negation_hint,
        negation_hint_re=_matcher(negation_hint, f"{path}: negators"),
    )


@cache
def default_patterns() -> RemarkPatterns:
    return load_patterns()


def normalise(text: str, patterns: RemarkPatterns | None = None) -> str:
    """The text as the patterns see it: printable ASCII, lower case, shorthand expanded."""
    patterns = patterns or default_patterns()
    first, *rest = patterns.normalise_res
    # Strip to ASCII before lower-casing: lower() of some non-ASCII letters gives ASCII
    # ("K" Kelvin sign -> "k") differently in Python, DuckDB and Java.
    text = first[0].sub(first[1], text).lower()
    if patterns.later_steps_re.search(text):
        for pattern, replacement in rest:
            text = pattern.sub(replacement, text)
    return text


def read_signals(
    text: str | None,
    patterns: RemarkPatterns | None = None,
    *,
    model: RemarksModel | None = None,
    learned: bool = True,
) -> RemarkSignals:
    """The signals in one call's remarks; ``None`` or empty text has none.

    Each signal is the patterns' finding combined with the learned model's vote
    (``remarks_model.PLAN``: either of them for weapon and violence, both for the other five);
    ``learned=False`` reads the patterns alone. ``model`` defaults to the one configured
    (``CORESPONSE_REMARKS_MODEL``: the shipped one unless it says ``off``, when the patterns
    alone are read).
    """
    if not text:
        return RemarkSignals()
    patterns = patterns or default_patterns()
    clean = normalise(text, patterns)
    flags: dict[str, bool] = {}
    evidence: dict[str, str] = {}
    votes: dict[str, bool] | None = None
    if learned:
        model = model or default_model()
        votes = model.votes(clean) if model is not None else None
    # The same answer as "remove negated and excluded spans, then search", with the
    # removal pass skipped where it provably changes nothing.
    negation_possible = patterns.negation_hint_re.search(clean) is not None
    for name in SIGNALS:
        signal = patterns.signals[name]
        found = signal.terms_re.search(clean)
        if found and (negation_possible or (signal.exclude_re and signal.exclude_re.search(clean))):
            kept, removed = signal.removal_re.subn(" ", clean)
            if removed:
                found = signal.terms_re.search(kept)
        fires = found is not None
        if votes is not None and model is not None:
            fires = combine(model.signals[name].mode, fires, votes[name])
            if fires and found is None:
                learned_from = " or ".join(model.signals[name].trained_for)
                words = ", ".join(model.strongest(clean, name))
                evidence[name] = f"learned ({learned_from}): {words}"
        if fires:
            flags[name] = True
            evidence.setdefault(name, found.group(0) if found else "")
        else:
            fired_by = next((other for other in signal.includes if flags.get(other)), None)
            flags[name] = fired_by is not None
            if fired_by is not None:
                evidence[name] = evidence[fired_by]
    return RemarkSignals(**flags, evidence=evidence)


def read_patterns(text: str | None, patterns: RemarkPatterns | None = None) -> RemarkSignals:
    """The signals the hand-written patterns alone find, without the learned model."""
    return read_signals(text, patterns, learned=False)


def normalised_expression(
    remarks: ir.StringValue, patterns: RemarkPatterns | None = None
) -> ir.StringValue:
    """``normalise`` as an Ibis expression."""
    patterns = patterns or default_patterns()
    first, *rest = patterns.normalise
    clean = remarks.re_replace(first[0], first[1]).lower()
    for pattern, replacement in rest:
        clean = clean.re_replace(pattern, replacement)
    return clean


def _any_term(text: ir.StringValue, parts: tuple[str, ...]) -> ir.BooleanValue:
    """Whether any of the term regexes matches: the same as searching their union."""
    first, *rest = parts
    found: ir.BooleanValue = text.re_search(first).fill_null(False)
    for part in rest:
        found = found | text.re_search(part).fill_null(False)
    return found


_VOTE_FUNCTIONS: dict[str, Any] = {}


def _votes_function(model: RemarksModel) -> Any:
    """The model's votes as an Ibis scalar UDF (one integer of bits per remark), run in
    Python by DuckDB and Spark alike. One per model content and process, so its SQL name
    (``coresponse_remarks_votes_<digest>_0``) is the same in every run."""
    import ibis

    if model.digest not in _VOTE_FUNCTIONS:

        def votes(clean: str) -> int:
            return model.vote_bits(clean)

        votes.__name__ = f"coresponse_remarks_votes_{model.digest}"
        _VOTE_FUNCTIONS[model.digest] = ibis.udf.scalar.python(votes)
    return _VOTE_FUNCTIONS[model.digest]


def signal_expressions(
    remarks: ir.StringValue,
    patterns: RemarkPatterns | None = None,
    *,
    model: RemarksModel | None = None,
    learned: bool = True,
) -> dict[str, ir.BooleanValue]:
    """The same reader as Ibis boolean expressions, one per signal, never null
    (null remarks read as no signal). Runs on DuckDB and Spark."""
    import ibis

    patterns = patterns or default_patterns()
    clean = normalised_expression(remarks, patterns)
    bits: ir.IntegerValue | None = None
    if learned:
        model = model or default_model()
        if model is not None:
            bits = _votes_function(model)(clean).fill_null(0)
    # As in read_signals, the removal pass runs only where a term was found and a negation
    # or exclusion could apply (CASE evaluates a branch only for the rows that reach it).
    negation_possible = clean.re_search(patterns.negation_hint).fill_null(False)
    expressions: dict[str, ir.BooleanValue] = {}
    for index, name in enumerate(SIGNALS):
        signal = patterns.signals[name]
        found = _any_term(clean, signal.term_parts)
        removal_needed = negation_possible
        if signal.exclude:
            removal_needed = removal_needed | clean.re_search(signal.exclude).fill_null(False)
        # One search of the union here: the removal must not be repeated once per part.
        kept = clean.re_replace(signal.removal, " ").re_search(signal.terms).fill_null(False)
        fires: ir.BooleanValue = ibis.cases((~found, False), (~removal_needed, True), else_=kept)  # type: ignore[assignment]
        mode = model.signals[name].mode if bits is not None and model is not None else None
        if bits is not None and mode in ("either", "both"):
            vote = ((bits // (1 << index)) % 2) == 1
            fires = (fires | vote) if mode == "either" else (fires & vote)
        for included in signal.includes:
            fires = fires | expressions[included]
        expressions[name] = fires
    return expressions
