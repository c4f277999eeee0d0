"""A workload's results (rows of timings, targets), their rich tables, JSON and markdown."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterable

from rich import box
from rich.console import Console
from rich.table import Table

from .harness import Timing


@dataclass
class Row:
    """One line of a table: a system's time on a case, or a derived ratio (no time)."""

    system: str
    case: str = ""
    timing: Timing | None = None
    ops: int | None = None  # for a per-op column
    ratio: float | None = None  # time / the reference's time on the same case
    target: str = ""  # e.g. "≤ 1.25x NumPy"
    measured: float | None = None  # the quantity the target is about
    passed: bool | None = None  # None: no target, or its peer is missing

    @property
    def seconds(self) -> float | None:
        return None if self.timing is None else self.timing.best

    def as_dict(self) -> dict[str, Any]:
        return {"system": self.system, "case": self.case, "ops": self.ops, "ratio": self.ratio,
                "target": self.target, "measured": self.measured, "passed": self.passed,
                "timing": None if self.timing is None else self.timing.as_dict()}


@dataclass
class Report:
    name: str
    title: str
    reference: str  # the system the ratio column divides by
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    elapsed: float = 0.0  # seconds the workload took, checks and calibration included

    def add(self, system: str, case: str = "", timing: Timing | None = None,
            ops: int | None = None) -> Row:
        row = Row(system, case, timing, ops)
        self.rows.append(row)
        return row

    def find(self, system: str, case: str = "") -> Row | None:
        return next((r for r in self.rows if r.system == system and r.case == case), None)

    def fill_ratios(self) -> None:
        """Divide every timed row by the reference's time on the same case."""
        for row in self.rows:
            ref = self.find(self.reference, row.case)
            if row.seconds is not None and ref is not None and ref.seconds:
                row.ratio = row.seconds / ref.seconds

    def caption(self) -> str:
        case = " on the same case" if len({r.case for r in self.rows}) > 1 else ""
        return f"ratio = time / time of {self.reference}{case}"

    @property
    def targets(self) -> list[Row]:
        return [r for r in self.rows if r.target]

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "reference": self.reference, "notes": self.notes,
                "elapsed_s": self.elapsed,
                "rows": [r.as_dict() for r in self.rows]}


def check(row: Row, measured: float | None, limit: float, text: str, *,
          at_least: bool = False) -> None:
    """Attach a target to ``row``: ``measured <= limit`` (or ``>=`` with ``at_least``)."""
    row.target, row.measured = text, measured
    if measured is not None:
        row.passed = measured >= limit if at_least else measured <= limit


def add_growth(report: Report, timings: dict, systems: Iterable[str], small: int, large: int,
               limit: float) -> None:
    """A row per system with t(N=large) / t(N=small); jaxlite's is checked against ``limit``."""
    for name in systems:
        row = report.add(name, "growth")
        row.measured = timings[name, large].best / timings[name, small].best
        if name == "jaxlite":
            check(row, row.measured, limit, f"≤ {limit:g}")
    report.notes.append(f"growth = t(N={large}) / t(N={small}): {large / small:g} if linear")


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return ""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _status(passed: bool | None, target: str) -> str:
    if not target:
        return ""
    return {True: "[green]PASS[/]", False: "[bold red]FAIL[/]", None: "[yellow]n/a[/]"}[passed]


def render(report: Report, console: Console) -> None:
    """The report as a rich table; the case column only when the cases differ."""
    cases = len({r.case for r in report.rows}) > 1
    per_op = any(r.ops for r in report.rows)
    table = Table(title=report.title, title_justify="left", caption=report.caption(),
                  caption_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1))
    columns = ["system"] + ["case"] * cases + ["time"] + ["per op"] * per_op
    for name in columns + ["ratio", "target", "value", ""]:
        table.add_column(name, justify="left" if name in ("system", "case", "target")
                         else "right", no_wrap=True)
    for r in report.rows:
        cells = [r.system] + [r.case] * cases + [format_seconds(r.seconds)]
        if per_op:
            cells.append(format_seconds(r.seconds / r.ops) if r.ops and r.seconds else "")
        cells += ["" if r.ratio is None else f"{r.ratio:.2f}x", r.target, _number(r.measured),
                  _status(r.passed, r.target)]
        table.add_row(*cells)
    console.print(table)
    for note in report.notes:
        console.print(f"  [dim]{note}[/]")
    console.print(f"  [dim]({report.elapsed:.1f} s)[/]\n")


def write_json(path: str, reports: list[Report], meta: dict[str, Any]) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = {"meta": meta, "workloads": {r.name: r.as_dict() for r in reports}}
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")


def write_summary(path: str, reports: list[Report], meta: dict[str, Any]) -> None:
    """A short markdown page: the environment, every target, and every timed row."""
    peers = ", ".join(f"{k} {v}" for k, v in meta["peers"].items()) or "none installed"
    lines = [
        "# Benchmark summary",
        "",
        f"`python -m benchmarks` on {meta['date']}: Python {meta['python']}, "
        f"NumPy {meta['numpy']}, peers: {peers}; {meta['machine']}. BLAS and XLA are pinned "
        "to one thread; a time is the best of interleaved samples' median calls "
        "(`benchmarks/harness.py`). All numbers: `benchmarks/results/latest.json` (not committed).",
        "",
        "## Targets",
        "",
        "| workload | system | case | measured | target | result |",
        "|---|---|---|---:|---|---|",
    ]
    for rep in reports:
        for r in rep.rows:
            if r.measured is not None or r.target:
                lines.append(f"| {rep.name} | {r.system} | {r.case} | {_number(r.measured)} "
                             f"| {r.target} | {_RESULT[r.passed] if r.target else ''} |")
    for rep in reports:
        lines += ["", f"## {rep.title}", "", rep.caption() + ".", ""] + _markdown_table(rep)
        if rep.notes:
            lines += [""] + [f"- {note}" for note in rep.notes]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


_RESULT = {True: "PASS", False: "**FAIL**", None: "n/a"}


def _number(x: float | None) -> str:
    return "" if x is None else f"{x:.3g}"


def _markdown_table(rep: Report) -> list[str]:
    timed = [r for r in rep.rows if r.timing is not None]
    per_op = any(r.ops for r in timed)
    head = ["system", "case", "time"] + ["per op"] * per_op + ["ratio"]
    lines = ["| " + " | ".join(head) + " |", "|---|---|" + "---:|" * (len(head) - 2)]
    for r in timed:
        cells = [r.system, r.case, format_seconds(r.seconds)]
        if per_op:
            cells.append(format_seconds(r.seconds / r.ops) if r.ops else "")
        cells.append("" if r.ratio is None else f"{r.ratio:.2f}x")
        lines.append("| " + " | ".join(cells) + " |")
    return lines
