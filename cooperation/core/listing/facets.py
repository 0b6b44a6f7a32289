"""What a list's filter form shows of one filter: its options (value, label, rows, ticked) and
how many were left out. The FilterSets that compute them are in filters.py."""

from dataclasses import dataclass, field

from cooperation.core.text import name_key


@dataclass
class Option:
    value: str
    label: str
    count: int = 0
    selected: bool = False
    other_names: str = ""  # what the option is also called ("IOM"), for the form's find box


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)
    more: int = 0  # options with rows left out (see filters.FACET_OPTIONS)
    total: int = 0  # options with rows, those left out included
    complete: bool = False  # every option listed where it would have been cut (``?all=<name>``)
    fixed: bool = False  # a fixed set of choices (kinds, statuses), every one always listed
    noun: str = "value"  # what one option is: "partner", "year"

    @property
    def selected_count(self) -> int:
        return sum(1 for option in self.options if option.selected)

    @property
    def visible_options(self) -> list[Option]:
        """Options with rows, and selected ones even when the other filters leave none."""
        return [option for option in self.options if option.count or option.selected]

    @property
    def shown_options(self) -> list[Option]:
        """What the filter form lists: a fixed set of choices whole (those without rows can't be
        ticked, but hold their place), otherwise the visible options."""
        return list(self.options) if self.fixed else self.visible_options


def top_options(options: list[Option], limit: int) -> tuple[list[Option], int]:
    """(the ``limit`` options with the most rows plus every selected one, in the order given, how
    many with rows were left out). Ties at the limit go to the option given first."""
    ranked = sorted(range(len(options)), key=lambda number: -options[number].count)  # stable
    kept = set(ranked[:limit]) | {number for number, option in enumerate(options) if option.selected}
    shown = [option for number, option in enumerate(options) if number in kept]
    return shown, sum(1 for option in options if option.count) - sum(1 for option in shown if option.count)


def by_label(options: list[Option]) -> list[Option]:
    """Options in the order of their labels, case and accents folded ("Türkiye" beside "Tunisia")."""
    return sorted(options, key=lambda option: (name_key(option.label), option.label, option.value))
