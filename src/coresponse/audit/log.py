"""Writing to and checking the audit chain.

Each entry's hash is SHA-256 over its own fields and the previous entry's hash, so
changing, removing or reordering any entry breaks every link after it. Writers take
the chain head row with an UPDATE before reading it: on PostgreSQL that row lock
serialises concurrent writers, on SQLite the UPDATE takes the database write lock;
either way no two entries can extend the chain from the same predecessor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import transaction
from django.db.models import F

from coresponse.audit.models import Action, AuditEntry, ChainHead

GENESIS_HASH = "0" * 64
Clock = Callable[[], datetime]


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    actor_roles: str,
    action: str,
    record_type: str,
    record_id: str,
    client_ref: str,
    reason: str,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    """The hash of one entry: canonical JSON of every field, the previous hash included."""
    body = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "actor_roles": actor_roles,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "client_ref": client_ref,
        "reason": reason,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        actor_roles=entry.actor_roles,
        action=entry.action,
        record_type=entry.record_type,
        record_id=entry.record_id,
        client_ref=entry.client_ref,
        reason=entry.reason,
        detail=entry.detail,
        prev_hash=entry.prev_hash,
    )


def _actor_name(actor: Any) -> tuple[str, str]:
    if actor is None:
        return "(anonymous)", ""
    if isinstance(actor, str):
        return actor, "system"
    if not getattr(actor, "is_authenticated", False):
        return "(anonymous)", ""
    from coresponse.accounts.permissions import roles_of

    roles = ",".join(sorted(role.value for role in roles_of(actor)))
    return str(actor.get_username()), roles


def record(
    actor: Any,
    action: Action | str,
    *,
    record_type: str,
    record_id: object = "",
    client_ref: str = "",
    reason: str,
    clock: Clock,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain: who (a user, or a job's name), what, when, why.

    The reason is required: an entry that cannot say why the record was opened is the
    entry an investigation needs most.
    """
    if not reason or not reason.strip():
        raise ValueError("an audit entry needs a reason")
    actor_name, actor_roles = _actor_name(actor)
    clean_detail = json.loads(json.dumps(detail or {}, default=str))
    at = clock().astimezone(UTC)
    with transaction.atomic():
        updated = ChainHead.objects.filter(pk=1).update(last_seq=F("last_seq") + 1)
        if not updated:
            ChainHead.objects.get_or_create(pk=1)
            ChainHead.objects.filter(pk=1).update(last_seq=F("last_seq") + 1)
        head = ChainHead.objects.get(pk=1)
        fields = {
            "seq": head.last_seq,
            "at": at,
            "actor": actor_name[:150],
            "actor_roles": actor_roles[:200],
            "action": str(action),
            "record_type": record_type[:60],
            "record_id": str(record_id)[:60],
            "client_ref": client_ref[:40],
            "reason": reason.strip()[:300],
            "detail": clean_detail,
            "prev_hash": head.last_hash,
        }
        digest = entry_hash(**fields)
        entry = AuditEntry.objects.create(hash=digest, **fields)
        ChainHead.objects.filter(pk=1).update(last_hash=digest)
    return entry


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries_checked: int
    broken_seq: int | None = None
    problem: str | None = None

    def summary(self) -> str:
        if self.ok:
            return f"OK: {self.entries_checked} audit entries, chain intact"
        return f"BROKEN at entry #{self.broken_seq}: {self.problem}"


def verify(entries: Iterable[AuditEntry] | None = None) -> Verification:
    """Walk the chain from the first entry; report the first entry that does not fit.

    Checked: positions run 1, 2, 3... with no gap (a removed entry), each entry names its
    predecessor's hash, each stored hash matches the entry's content (an edited entry),
    and the chain head agrees with the last entry (entries removed from the end).
    """
    rows = entries if entries is not None else AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
    expected_seq = 1
    expected_prev = GENESIS_HASH
    checked = 0
    for entry in rows:
        if entry.seq != expected_seq:
            return Verification(False, checked, expected_seq, f"entry #{expected_seq} is missing (next is #{entry.seq})")
        if entry.prev_hash != expected_prev:
            return Verification(False, checked, entry.seq, "does not link to the previous entry's hash")
        if _hash_of(entry) != entry.hash:
            return Verification(False, checked, entry.seq, "its content no longer matches its hash (edited)")
        checked += 1
        expected_seq += 1
        expected_prev = entry.hash
    head = ChainHead.objects.filter(pk=1).first()
    last_seq = expected_seq - 1
    if head is not None and (head.last_seq != last_seq or (last_seq and head.last_hash != expected_prev)):
        return Verification(
            False,
            checked,
            last_seq + 1,
            f"the chain head records {head.last_seq} entries but {last_seq} remain (entries removed from the end)",
        )
    return Verification(True, checked)


def trail(client_ref: str) -> list[AuditEntry]:
    """Every entry about one client, oldest first (supervisors read it through casework.services)."""
    return list(AuditEntry.objects.filter(client_ref=client_ref).order_by("seq"))
