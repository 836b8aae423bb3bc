"""Commands for coaches and admins: cohorts, coaches, cadences, skip days, pauses, sends and
reports. Permissions are checked before these run (see :mod:`bot.core.commands`)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core import catalogue as say
from bot.core import grammar as g
from bot.core.config import CoreConfig
from bot.core.directory import Actor, Directory
from bot.core.errors import Conflict
from bot.core.messages import Inbound
from bot.core.model import Cohort, Person
from bot.core.outcome import Outcome
from bot.core.ports import Calendar, CalendarError, PromptLibrary, Selector
from bot.core.reports import cohort_report, triage_list
from bot.core.resolve import label, resolve_person
from bot.core.store import Store

DAY_NAMES = ("", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class AdminCommands:
    def __init__(self, store: Store, directory: Directory, prompts: PromptLibrary, selector: Selector,
                 calendar: Calendar | None = None):
        self.calendar = calendar
        self.store = store
        self.directory = directory
        self.config: CoreConfig = directory.config
        self.prompts = prompts
        self.selector = selector

    def cohort(self, actor: Actor, ref: g.CohortRef) -> Cohort | None:
        return self.store.find_cohort(actor.workspace.id, ref.key)

    def run(self, actor: Actor, command: g.Command, inbound: Inbound, now: datetime) -> Outcome:
        ws = actor.workspace.id
        match command:
            case g.CohortCreate(cohort=ref, tz=tz):
                try:
                    self.store.create_cohort(ws, ref.name, tz or self.config.default_tz, at=now)
                except Conflict:
                    return Outcome.refuse(f"There's already a cohort called {ref.name}.")
                return Outcome.say(f"Created cohort {ref.name} ({tz or self.config.default_tz}). Next: `cohort coach {ref.name} @coach`, `cadence set {ref.name} mon,wed 07:45`, `cohort add {ref.name} @teacher`.")
            case g.CohortList():
                cohorts = self.store.list_cohorts(ws)
                if not cohorts:
                    return Outcome.say("No cohorts yet. Create one with `cohort create <name> [zone]`.")
                return Outcome.say("\n".join(self._describe(c) for c in cohorts))
            case g.CadenceShow(cohort=ref):
                cohort = self.cohort(actor, ref)
                if cohort is None:
                    return Outcome.refuse(say.unknown_cohort(ref.name))
                return Outcome.say(self._describe(cohort))
        cohort_ref = getattr(command, "cohort", None) or getattr(command, "target", None)
        cohort = self.cohort(actor, cohort_ref) if isinstance(cohort_ref, g.CohortRef) else None
        if isinstance(cohort_ref, g.CohortRef) and cohort is None:
            return Outcome.refuse(say.unknown_cohort(cohort_ref.name))
        match command:
            case g.CohortTerm(start=start, end=end):
                self.store.update_cohort(cohort.id, term_start=start, term_end=end)
                self._replan_cohort(cohort, now)
                return Outcome.say(f"{cohort.name} runs {start:%b %-d, %Y} to {end:%b %-d, %Y}; prompts outside it are skipped.")
            case g.CohortCoach(coach=coach_ref):
                coach = resolve_person(self.store, ws, coach_ref, inbound)
                if coach is None:
                    return Outcome.refuse(say.unresolved([label(coach_ref)]))
                self.store.grant_role(coach.id, "coach", by=actor.person.id, at=now)
                self.store.update_cohort(cohort.id, coach_id=coach.id)
                for enrollment in self.store.enrollments_of_cohort(cohort.id):
                    if enrollment.coach_id is None and cohort.coach_id != coach.id:
                        self._tell(enrollment.teacher_id, say.coach_changed(self.directory.name(coach)), now, f"coach:{cohort.id}:{coach.id}")
                return Outcome.say(f"{self.directory.name(coach)} now coaches {cohort.name}.")
            case g.CoachAssign(teacher=teacher_ref, coach=coach_ref):
                teacher = resolve_person(self.store, ws, teacher_ref, inbound)
                coach = resolve_person(self.store, ws, coach_ref, inbound)
                missing = [label(r) for r, p in ((teacher_ref, teacher), (coach_ref, coach)) if p is None]
                if missing:
                    return Outcome.refuse(say.unresolved(missing))
                enrollments = self.store.enrollments_of_teacher(teacher.id)
                if not enrollments:
                    return Outcome.refuse(f"{self.directory.name(teacher)} isn't in a cohort yet; add them first.")
                self.store.grant_role(coach.id, "coach", by=actor.person.id, at=now)
                for enrollment in enrollments:
                    self.store.update_enrollment(enrollment.id, coach_id=coach.id)
                self._tell(teacher.id, say.coach_changed(self.directory.name(coach)), now, f"assign:{teacher.id}:{coach.id}:{now.isoformat()}")
                return Outcome.say(f"{self.directory.name(coach)} now coaches {self.directory.name(teacher)}; they've been told.")
            case g.CohortAdd(targets=targets):
                return self._add(actor, cohort, targets, inbound, now)
            case g.CohortRemove(teachers=refs):
                removed, missing = [], []
                for ref in refs:
                    teacher = resolve_person(self.store, ws, ref, inbound)
                    enrollment = self.store.find_enrollment(cohort.id, teacher.id) if teacher else None
                    if enrollment is None or not enrollment.active:
                        missing.append(label(ref))
                        continue
                    self.store.update_enrollment(enrollment.id, active=False)
                    self.store.replan([enrollment.id], now)
                    removed.append(self.directory.name(teacher))
                if not removed:
                    return Outcome.refuse(say.unresolved(missing))
                return Outcome.say(f"Removed from {cohort.name}: {', '.join(removed)}.", say.unresolved(missing) if missing else "")
            case g.CadenceSet(days=days, at=at):
                if not self.config.in_quiet_window(at):
                    return Outcome.refuse(say.quiet_refusal(at, self.config.quiet_start, self.config.quiet_end))
                self.store.set_cadence(cohort.id, ",".join(str(d) for d in days), at, at=now)
                self._replan_cohort(cohort, now)
                return Outcome.say(f"{cohort.name}: prompts on {_days(days)} at {at:%H:%M}, in each teacher's own time zone.")
            case g.Skip(start=start, end=end, reason=reason):
                self.store.add_skip(cohort.id, start, end, reason, at=now)
                self._replan_cohort(cohort, now)
                span = f"{start:%b %-d}" if start == end else f"{start:%b %-d}–{end:%b %-d}"
                return Outcome.say(f"{cohort.name} skips {span}{f' ({reason})' if reason else ''}.")
            case g.SkipImport(source=source):
                return self._import_calendar(cohort, source, now)
            case g.Pause(target=g.CohortRef(), until=until):
                self.store.update_cohort(cohort.id, paused=until is None, paused_until=until)
                self._replan_cohort(cohort, now)
                return Outcome.say(f"{cohort.name}: " + say.paused_until(until))
            case g.Resume(target=g.CohortRef()):
                self.store.update_cohort(cohort.id, paused=False, paused_until=None)
                self._replan_cohort(cohort, now)
                return Outcome.say(f"{cohort.name} resumed.")
            case g.Pause(target=g.PersonRef() as ref) | g.Resume(target=g.PersonRef() as ref):
                teacher = resolve_person(self.store, ws, ref, inbound)
                if teacher is None:
                    return Outcome.refuse(say.unresolved([label(ref)]))
                pausing = isinstance(command, g.Pause)
                until = command.until if isinstance(command, g.Pause) else None
                self.store.update_teacher_enrollments(teacher.id, paused=pausing and until is None, paused_until=until if pausing else None)
                self.store.replan([e.id for e in self.store.enrollments_of_teacher(teacher.id)], now)
                return Outcome.say(f"{self.directory.name(teacher)}: " + (say.paused_until(until) if pausing else "resumed."))
            case g.SendNow():
                return self._send_now(cohort, now)
            case g.Report():
                return Outcome.say(cohort_report(self.store, cohort, self.store.enrollments_of_cohort(cohort.id, active_only=False)))
            case g.TestSend(prompt_id=prompt_id):
                if self.prompts.get(prompt_id) is None or not self._usable_here(ws, prompt_id):
                    return Outcome.refuse(f"There's no prompt with id {prompt_id}.")
                self.store.enqueue(key=f"test-send:{actor.person.id}:{prompt_id}:{now.isoformat()}", workspace_id=ws,
                                   person_id=actor.person.id, kind="test_prompt", payload={"prompt_id": prompt_id},
                                   not_before=now, at=now)
                return Outcome.say(f"Sending {prompt_id} to you now, exactly as teachers will see it.")
            case g.Voice(text=text):
                self.store.update_person(actor.person.id, voice=text)
                return Outcome.say("Noted — drafts for your teachers will lean toward that voice.")
            case g.Triage():
                return Outcome.say(triage_list(self.store, actor.person.id))
            case g.Llm(on=on):
                self.store.update_workspace(ws, llm_enabled=on)
                state = "on" if on else "off"
                note = "" if self.config.llm_available else " (no model is configured, so the offline drafter writes drafts either way)"
                return Outcome.say(f"AI drafting is {state} for this workspace{note}.")
            case g.AdminAdd(person=ref):
                person = resolve_person(self.store, ws, ref, inbound)
                if person is None:
                    return Outcome.refuse(say.unresolved([label(ref)]))
                self.store.grant_role(person.id, "admin", by=actor.person.id, at=now)
                return Outcome.say(f"{self.directory.name(person)} is now an admin.")
        return Outcome.refuse(f"`{command.name}` isn't available yet.")

    # Helpers -------------------------------------------------------------------------------

    def _add(self, actor: Actor, cohort: Cohort, targets: tuple[g.Target, ...], inbound: Inbound, now: datetime) -> Outcome:
        added, already, missing = [], [], []
        groups = dict(inbound.members)
        teachers: list[Person] = []
        for target in targets:
            if not isinstance(target, g.PersonRef):
                members = groups.get(_group_key(target))
                if members is None:
                    missing.append(_target_label(target))
                    continue
                teachers += [self.store.ensure_person(actor.workspace.id, user, display_name=name or None, at=now)
                             for user, name in members]
                continue
            teacher = resolve_person(self.store, actor.workspace.id, target, inbound)
            if teacher is None:
                missing.append(label(target))
                continue
            teachers.append(teacher)
        for teacher in teachers:
            enrollment, changed = self.store.enroll(cohort.id, teacher.id, at=now)
            if not changed:
                already.append(self.directory.name(teacher))
                continue
            self.store.replan([enrollment.id], now)
            added.append(self.directory.name(teacher))
            self._welcome(teacher, cohort, now)
        if not added and not already:
            return Outcome.refuse(say.unresolved(missing))
        lines = []
        if added:
            lines.append(f"Added to {cohort.name}: {', '.join(added)}. Each gets a welcome during their day.")
        if already:
            lines.append(f"Already in {cohort.name}: {', '.join(already)}.")
        if missing:
            lines.append(say.unresolved(missing))
        return Outcome.say(*lines)

    def _welcome(self, teacher: Person, cohort: Cohort, now: datetime) -> None:
        coach = self.store.get_person(cohort.coach_id) if cohort.coach_id else None
        text = say.welcome(self.directory.name(coach) if coach else None, cohort.name, self.directory.ai_on_for(teacher))
        self.store.enqueue(key=f"welcome:{cohort.id}:{teacher.id}", workspace_id=teacher.workspace_id, person_id=teacher.id,
                           kind="welcome", payload={"text": text, "quiet": True}, not_before=now, at=now)

    def _tell(self, person_id: int, text: str, now: datetime, key: str, quiet: bool = True) -> None:
        person = self.store.get_person(person_id)
        if person is not None:
            self.store.enqueue(key=key, workspace_id=person.workspace_id, person_id=person_id, kind="notice",
                               payload={"text": text, "quiet": quiet}, not_before=now, at=now)

    def _replan_cohort(self, cohort: Cohort, now: datetime) -> None:
        self.store.replan([e.id for e in self.store.enrollments_of_cohort(cohort.id, active_only=False)], now)
        self.store.drop_peer_posts(cohort.id, now)

    def _usable_here(self, workspace_id: int, prompt_id: str) -> bool:
        """A pack item anywhere; a coach's own item only in its own workspace."""
        own = self.store.own_prompt(prompt_id)
        return own is None or own[0] == workspace_id

    def _send_now(self, cohort: Cohort, now: datetime) -> Outcome:
        """The next prompt now for each active teacher, at most one a local day; a teacher whose
        day has not started (or has ended) gets it when their day starts."""
        now_count, later, already = 0, [], 0
        for enrollment in self.store.enrollments_of_cohort(cohort.id):
            teacher = self.store.get_person(enrollment.teacher_id)
            if teacher is None or teacher.status != "active" or enrollment.paused or enrollment.paused_until:
                continue
            tz = teacher.tz or cohort.tz
            slot = self.config.window_opens(now, tz) or now
            local = slot.astimezone(ZoneInfo(tz)).date()
            existing = self.store.live_delivery_on(teacher.id, local)
            if existing is not None and (existing.status != "planned" or existing.slot_utc <= slot):
                already += 1
                continue
            if existing is not None:
                if not self.store.bring_forward(existing.id, slot):
                    already += 1
                    continue
            else:
                up = self.selector.next_up(enrollment.id, local)
                if up is None or not self.store.plan_deliveries([{
                    "enrollment_id": enrollment.id, "person_id": teacher.id, "workspace_id": cohort.workspace_id,
                    "cohort_id": cohort.id, "slot_utc": slot, "local_date": local, "prompt_id": up.prompt_id,
                    "kind": up.kind, "status": "planned", "attempts": 0, "created_at": now,
                }]):
                    already += 1
                    continue
            if slot == now:
                now_count += 1
            else:
                later.append(f"{self.directory.name(teacher)} ({slot.astimezone(ZoneInfo(tz)):%a %H:%M} their time)")
        lines = [f"Sending the next prompt to {now_count} teacher(s) in {cohort.name} now."]
        if later:
            lines.append("Outside their day right now, so it goes when their day starts: " + ", ".join(later) + ".")
        if already:
            lines.append(say.already_sent_today(already))
        return Outcome.say(*lines)

    def _import_calendar(self, cohort: Cohort, source: str, now: datetime) -> Outcome:
        """Every event of the district's calendar in the cohort's term (or the next year) becomes
        a skip range, read in the cohort's local dates."""
        if self.calendar is None:
            return Outcome.refuse("Calendar import isn't available here.")
        today = now.astimezone(ZoneInfo(cohort.tz)).date()
        start = max(today, cohort.term_start) if cohort.term_start else today
        end = cohort.term_end or today.replace(year=today.year + 1)
        try:
            skips = self.calendar.skip_days(source, tz=cohort.tz, start=start, end=end)
        except CalendarError as exc:
            return Outcome.refuse(exc.message)
        for skip in skips:
            self.store.add_skip(cohort.id, skip.start, skip.end, skip.reason, at=now, source="ics")
        self._replan_cohort(cohort, now)
        if not skips:
            return Outcome.say(f"That calendar has no events between {start:%b %-d, %Y} and {end:%b %-d, %Y}; nothing to skip.")
        listed = "; ".join(f"{s.start:%b %-d}{'' if s.start == s.end else f'–{s.end:%b %-d}'} {s.reason}" for s in skips[:8])
        more = f" and {len(skips) - 8} more" if len(skips) > 8 else ""
        return Outcome.say(f"{cohort.name} now skips {len(skips)} calendar event(s): {listed}{more}.")

    def _describe(self, cohort: Cohort) -> str:
        coach = self.store.get_person(cohort.coach_id) if cohort.coach_id else None
        teachers = len(self.store.enrollments_of_cohort(cohort.id))
        cadence = f"{_days(tuple(int(d) for d in cohort.days.split(',')))} at {cohort.send_time:%H:%M}" if cohort.days and cohort.send_time else "no cadence yet"
        state = " · paused" if cohort.paused or cohort.paused_until else ""
        return f"*{cohort.name}* — {cohort.tz} · coach {self.directory.name(coach) if coach else 'not set'} · {teachers} teacher(s) · {cadence}{state}"


def _days(days: tuple[int, ...]) -> str:
    if days == (1, 2, 3, 4, 5):
        return "weekdays"
    if len(days) == 7:
        return "every day"
    return ", ".join(DAY_NAMES[d] for d in days)


def _group_key(target: g.Target) -> str:
    if isinstance(target, g.TeamRef):
        return f"team:{target.name}"
    return target.id  # type: ignore[union-attr]


def _target_label(target: g.Target) -> str:
    if isinstance(target, g.TeamRef):
        return f"team:{target.name}"
    return target.label or target.id
