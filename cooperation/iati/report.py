"""What an IATI import did: per activity created / updated / unchanged / skipped (with why), and
every problem with its activity, element, line and reason; as plain data for the admin's page,
and as text for the command."""

from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy

from cooperation.iati.data import Problem

CREATED, UPDATED, UNCHANGED, SKIPPED = "created", "updated", "unchanged", "skipped"
ACTIONS = {
    CREATED: gettext_lazy("Created (draft)"),
    UPDATED: gettext_lazy("Updated"),
    UNCHANGED: gettext_lazy("Unchanged"),
    SKIPPED: gettext_lazy("Skipped"),
}


@dataclass
class ActivityResult:
    identifier: str
    line: int | None
    action: str
    reason: str = ""  # why it was skipped (a conflict names the fields staff changed)
    project_id: int | None = None
    title: str = ""

    @property
    def label(self) -> str:
        return str(ACTIONS[self.action])


@dataclass
class ImportReport:
    file_name: str
    results: list[ActivityResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refused: str = ""  # the file as a whole could not be read: why

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for result in self.results:
            counts[result.action] += 1
        return counts

    @property
    def conflicts(self) -> list[ActivityResult]:
        return [result for result in self.results if result.action == SKIPPED and result.reason]

    def summary(self) -> str:
        if self.refused:
            return gettext("%(file)s: not imported. %(reason)s") % {"file": self.file_name, "reason": self.refused}
        counts = self.counts()
        return gettext(
            "%(file)s: %(activities)s activities: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged, %(skipped)s skipped; %(problems)s problems."
        ) % {
            "file": self.file_name,
            "activities": len(self.results),
            "created": counts[CREATED],
            "updated": counts[UPDATED],
            "unchanged": counts[UNCHANGED],
            "skipped": counts[SKIPPED],
            "problems": len(self.problems),
        }

    def lines(self) -> list[str]:
        """The report as text, a line each: the activities, then the problems, then the summary."""
        lines = []
        for result in self.results:
            where = f" (line {result.line})" if result.line else ""
            why = f": {result.reason}" if result.reason else ""
            lines.append(f"{result.action.upper():9} {result.identifier or '(no identifier)'}{where}{why}")
        for problem in self.problems:
            line = f"line {problem.line}" if problem.line else "line ?"
            lines.append(f"PROBLEM   {problem.activity or '(file)'}, <{problem.element}>, {line}: {problem.reason}")
        lines.append(self.summary())
        return lines
