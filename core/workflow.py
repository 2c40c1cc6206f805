"""One primitive for records that move through states: hardship files today, the claims,
applications and placements of the coming programs next.

A record's :class:`Workflow` declares its states and :class:`Transition` s: from which states,
to which, the action (permission) required, and whether the people who made the record (took
its earlier steps) may take the move (maker-checker). :meth:`Workflow.move` is the only way a
record changes state. In one transaction it locks the record's row (``SELECT … FOR UPDATE``),
refuses a stale version (``CONFLICT``), an illegal move (``INVALID_TRANSITION``) and a maker
checking their own work, writes the new state with the next version, appends a
:class:`WorkflowStep` to the history (append-only in the database) and the audit entry. Two
racing moves on one record queue on the row lock: the second sees the first's state and
version."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any

import strawberry
from tortoise.models import Model
from tortoise.transactions import in_transaction

from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.models.workflow import WorkflowStep
from unionaid.core.policy import Action, require
from unionaid.core.principal import Principal
from unionaid.core.services import audit

Values = Mapping[str, Any] | Callable[[Model | None], Mapping[str, Any]]


@dataclass(frozen=True)
class Transition:
    """A move from any of ``sources`` to ``target``. A source of ``None`` means the move creates
    the record, and starts its life: maker-checker looks at the steps since the latest such
    move (a file closed and registered again has new makers)."""

    name: str
    sources: tuple[str | None, ...]
    target: str
    action: Action | str  # a core Action, or a program's action name ("mutualaid.approve")
    words: Words  # the move, in words: "当前状态为已关闭，不能核实"
    makers_may_take: bool = True
    # Whose earlier steps make them a maker (transition names); empty: every earlier step.
    makers: tuple[str, ...] = ()
    refusal: Code = Code.MAKER_CANNOT_CHECK  # the code a maker taking it is refused with
    operation: str | None = None  # the audit trail's operation; the name by default

    @property
    def starts(self) -> bool:
        return None in self.sources


@dataclass(frozen=True)
class Workflow:
    """The states of one kind of record and the moves between them. ``model`` keeps the state
    in ``state_field`` and an integer ``version`` that every move increments."""

    name: str  # the history's record_type and the audit trail's object_type
    model: type[Model]
    states: Mapping[str, Words]
    transitions: tuple[Transition, ...]
    what: Words  # the record, in words, for NOT_FOUND
    state_field: str = "status"
    _by_name: dict[str, Transition] = field(default_factory=dict, init=False, repr=False)
    _enums: dict[str, type[StrEnum]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for t in self.transitions:
            unknown = {s for s in (*t.sources, t.target) if s is not None} - set(self.states)
            if unknown or t.name in self._by_name:
                raise ValueError(f"workflow {self.name}: transition {t.name} is ill-declared")
            self._by_name[t.name] = t

    def transition(self, name: str) -> Transition:
        return self._by_name[name]

    def state_enum(self, name: str, description: str | None = None) -> type[StrEnum]:
        """The states as a GraphQL enum named ``name`` (made once per workflow and name): each
        state ``"verified"`` is the member ``VERIFIED = "verified"``, so a record exposes
        ``status: XState!`` and a resolver returns ``XState(record.status)``."""
        if name not in self._enums:
            states = StrEnum(name, {state.upper(): state for state in self.states})
            words = ", ".join(f"{s.upper()} ({w.en})" for s, w in self.states.items())
            self._enums[name] = strawberry.enum(
                states, name=name, description=description or f"States: {words}"
            )
        return self._enums[name]

    def moves_from(self, state: str | None) -> list[str]:
        """The transitions legal from ``state`` (None: no record yet)."""
        return [t.name for t in self.transitions if state in t.sources]

    async def history(self, record_id: int) -> list[WorkflowStep]:
        """Every step of one record, oldest first."""
        return (await self.histories([record_id]))[record_id]

    async def histories(self, record_ids: list[int]) -> dict[int, list[WorkflowStep]]:
        """Every step of each of ``record_ids``, oldest first, in one statement (a page of
        records costs what one does)."""
        found: dict[int, list[WorkflowStep]] = {pk: [] for pk in record_ids}
        steps = WorkflowStep.filter(record_type=self.name, record_id__in=list(found))
        for step in await steps.order_by("id"):
            found[step.record_id].append(step)
        return found

    async def move(
        self,
        who: Principal,
        name: str,
        *,
        now: dt.datetime,
        where: Mapping[str, Any],
        district_code: str | None,
        object_id: str,
        version: int | None = None,
        note: str | None = None,
        values: Values = (),
        audited: Iterable[str] = (),
        field: str | None = None,
        then: Callable[[Model, dict[str, list]], Awaitable[None]] | None = None,
    ) -> Model:
        """Take transition ``name`` on the record ``where`` selects (created if the move starts
        it), writing ``values`` (or what ``values(record)`` returns, under the lock) with it.
        ``version``: the version the caller read (None: not checked). ``audited``: the fields
        whose before and after the audit entry keeps, beside the state. ``then(record,
        changes)``: the record's own further writes, in the same transaction. ``now``: when
        the step is taken (the request's clock, never the machine's), stamped on the history
        step and the audit entry. Raises
        :class:`DomainError` (NOT_FOUND, CONFLICT, INVALID_TRANSITION, FORBIDDEN, or the
        transition's maker-checker refusal); nothing is written then. Runs in its own
        transaction, a savepoint when the caller has one: join the caller's writes to it by
        opening a transaction around this call."""
        t = self._by_name[name]
        require(who, t.action, district_code, field, self.what)
        kept = (self.state_field, *audited)
        async with in_transaction():
            record = await self.model.filter(**where).select_for_update().first()
            if record is None and not t.starts:
                raise DomainError(Code.NOT_FOUND, field, what=self.what)
            if record is not None and version is not None and record.version != version:
                raise DomainError(Code.CONFLICT, "version")
            state = None if record is None else _text(getattr(record, self.state_field))
            if state not in t.sources:
                words = self.states[state]
                raise DomainError(Code.INVALID_TRANSITION, field, status=words, action=t.words)
            checked = record is not None and not t.makers_may_take
            if checked and who.username in await self._makers(record.pk, t):
                raise DomainError(t.refusal, field)
            changes = dict(values(record) if callable(values) else values)
            changes[self.state_field] = t.target
            before = None if record is None else {k: _text(getattr(record, k)) for k in kept}
            if record is None:
                record = await self.model.create(**where, **changes, version=1)
            else:
                await self.model.filter(pk=record.pk).update(**changes, version=record.version + 1)
                record = await self.model.get(pk=record.pk)
            await WorkflowStep.create(
                record_type=self.name,
                record_id=record.pk,
                transition=t.name,
                from_state=state,
                to_state=t.target,
                actor=who.username,
                actor_id=who.user_id,
                note=note,
                at=now,
            )
            diff = audit.diff(before, {k: _text(getattr(record, k)) for k in kept})
            await audit.record(
                who,
                t.operation or t.name,
                object_type=self.name,
                object_id=object_id,
                district_code=district_code,
                changes=diff,
                at=now,
            )
            if then is not None:
                await then(record, diff)
        return record

    async def _makers(self, record_id: int, t: Transition) -> set[str]:
        """Who took the steps of the record's current life that make a maker for ``t``."""
        steps = await self.history(record_id)
        starts = [i for i, s in enumerate(steps) if self._by_name[s.transition].starts]
        current = steps[starts[-1] :] if starts else steps
        return {s.actor for s in current if not t.makers or s.transition in t.makers}


def _text(value: Any) -> Any:
    """Enum members as their values (a state is compared and stored as text)."""
    return value.value if isinstance(value, Enum) else value
