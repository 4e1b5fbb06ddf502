"""Read and write Pabulib ``.pb`` files (https://pabulib.org/format).

A file has three sections in this order, each a marker line then ``;``-separated rows with a header row::

    META                PROJECTS                          VOTES
    key;value           project_id;cost;votes;name;...    voter_id;vote;points;age;...
    budget;8000000      12;4000;38;Abris;...              9;12,13;2,1;43;...

Rows are parsed with Python's ``csv`` rules (delimiter ``;``, quote ``"``, doubled quotes inside quoted
fields), exactly as pabutools and pabulib-checker read them, so a name may contain ``;`` or ``"`` when
quoted. Every row of PROJECTS and VOTES must have as many columns as its header. Values are kept as read
(``Project.fields``, ``Vote.fields``, ``Election.meta``); ids, costs and points are interpreted with
surrounding whitespace stripped. ``vote`` is a comma-separated list of project ids (the ranking, best first,
for ordinal ballots); ``points`` (cumulative / scoring) a comma-separated list of integers aligned with it.

``dump`` writes the election back with minimal quoting; reading its output gives an equal ``Election``.
It is byte-identical to the original file when the original used minimal quoting and the chosen line
ending (``newline``, ``final_newline``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

from . import profile
from .model import VOTE_TYPES, Election, PbFormatError, Project, Vote

SECTIONS = ("meta", "projects", "votes")
_POINTS_TYPES = ("cumulative", "scoring")


class _Rows:
    """csv rows with their (1-based, physical) line numbers."""

    def __init__(self, text: str) -> None:
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
        self.line = 0

    def __iter__(self) -> Iterator[list[str]]:
        for row in self._reader:
            self.line = self._reader.line_num
            yield row


def _integer(text: str, *, what: str, line: int) -> int:
    value = text.strip().replace(",", ".")
    try:
        number = Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise PbFormatError(f"{what} {text!r} is not a number", line=line) from None
    if number.denominator != 1:
        raise PbFormatError(f"{what} {text!r} is not a whole number", line=line)
    return int(number)


class _Parser:
    def __init__(self, text: str) -> None:
        self.rows = _Rows(text)
        self.meta: dict[str, str] = {}
        self.projects: dict[str, Project] = {}
        self.votes: list[Vote] = []
        self.columns: dict[str, list[str]] = {}
        self.header_line: dict[str, int] = {}
        self.voter_ids: set[str] = set()

    def parse(self) -> Election:
        section = ""
        rows = iter(self.rows)
        for row in rows:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            marker = row[0].strip().lower()
            if len(row) == 1 and marker in SECTIONS:
                section = self._start_section(marker, rows)
            elif section == "meta":
                self._meta_row(row)
            elif section == "projects":
                self._project_row(row)
            elif section == "votes":
                self._vote_row(row)
            else:
                raise PbFormatError("data before the META section", line=self.rows.line)
        missing = [name.upper() for name in SECTIONS if name not in self.columns]
        if missing:
            raise PbFormatError(f"missing section {', '.join(missing)}", line=self.rows.line)
        return Election(
            meta=self.meta,
            projects=self.projects,
            votes=self.votes,
            project_columns=self.columns["projects"],
            vote_columns=self.columns["votes"],
        )

    def _start_section(self, marker: str, rows: Iterator[list[str]]) -> str:
        line = self.rows.line
        expected = SECTIONS[len(self.columns)] if len(self.columns) < len(SECTIONS) else None
        if marker in self.columns:
            raise PbFormatError(f"section {marker.upper()} appears twice", line=line)
        if marker != expected:
            raise PbFormatError(
                f"section {marker.upper()} found where {str(expected).upper()} was expected", line=line
            )
        if marker == "projects":
            self._check_meta(line)
        header = [cell.strip() for cell in next(rows, [])]
        self.header_line[marker] = self.rows.line
        self._check_header(marker, header)
        self.columns[marker] = header
        return marker

    def _check_header(self, marker: str, header: list[str]) -> None:
        line = self.rows.line
        required = {
            "meta": ["key", "value"],
            "projects": ["project_id", "cost"],
            "votes": ["voter_id", "vote"],
        }
        needed = required[marker]
        if not header or header[0] != needed[0] or any(name not in header for name in needed):
            raise PbFormatError(
                f"{marker.upper()} header must start with {needed[0]!r} and contain {', '.join(needed)}",
                line=line,
            )
        if len(set(header)) != len(header):
            raise PbFormatError(f"{marker.upper()} header repeats a column name", line=line)
        if marker == "votes" and self._vote_type() in _POINTS_TYPES and "points" not in header:
            raise PbFormatError(f"VOTES of a {self._vote_type()} election need a 'points' column", line=line)

    def _check_meta(self, line: int) -> None:
        at = self.header_line.get("meta", line)
        for key in ("budget", "vote_type"):
            if key not in self.meta:
                raise PbFormatError(f"META has no {key!r}", line=at)
        if self._vote_type() not in VOTE_TYPES:
            raise PbFormatError(f"unknown vote_type {self.meta['vote_type']!r}", line=at)
        budget = self.meta["budget"].strip().replace(",", ".")
        try:
            if Fraction(budget) < 0:
                raise ValueError(budget)
        except (ValueError, ZeroDivisionError):
            raise PbFormatError(f"budget {self.meta['budget']!r} is not a number ≥ 0", line=at) from None

    def _vote_type(self) -> str:
        value = self.meta.get("vote_type", "").strip()
        return "approval" if value == "choose-1" else value

    def _meta_row(self, row: list[str]) -> None:
        key = row[0].strip()
        if len(row) != 2:
            raise PbFormatError(f"META row {key!r} has {len(row)} columns instead of 2", line=self.rows.line)
        if key in self.meta:
            raise PbFormatError(f"META key {key!r} appears twice", line=self.rows.line)
        self.meta[key] = row[1]

    def _fields(self, section: str, row: list[str]) -> dict[str, str]:
        header = self.columns[section]
        if len(row) != len(header):
            raise PbFormatError(
                f"{section.upper()} row has {len(row)} columns but the header has {len(header)}",
                line=self.rows.line,
            )
        return dict(zip(header, row, strict=True))

    def _project_row(self, row: list[str]) -> None:
        line = self.rows.line
        fields = self._fields("projects", row)
        pid = fields["project_id"].strip()
        if not pid:
            raise PbFormatError("empty project_id", line=line)
        if pid in self.projects:
            raise PbFormatError(f"project {pid!r} appears twice", line=line)
        cost = _integer(fields["cost"], what=f"cost of project {pid!r}", line=line)
        if cost < 0:
            raise PbFormatError(f"cost of project {pid!r} is negative", line=line)
        self.projects[pid] = Project(id=pid, cost=cost, fields=fields)

    def _vote_row(self, row: list[str]) -> None:
        line = self.rows.line
        fields = self._fields("votes", row)
        voter_id = fields["voter_id"].strip()
        if voter_id in self.voter_ids:
            raise PbFormatError(f"voter {voter_id!r} appears twice", line=line)
        self.voter_ids.add(voter_id)
        ids = _split(fields["vote"])
        unknown = [pid for pid in ids if pid not in self.projects]
        if unknown:
            raise PbFormatError(f"vote of voter {voter_id!r} names unknown project {unknown[0]!r}", line=line)
        if len(set(ids)) != len(ids):
            raise PbFormatError(f"vote of voter {voter_id!r} names a project twice", line=line)
        points = self._points(fields, len(ids), voter_id) if self._vote_type() in _POINTS_TYPES else None
        self.votes.append(Vote(voter_id=voter_id, projects=ids, points=points, fields=fields))

    def _points(self, fields: dict[str, str], count: int, voter_id: str) -> tuple[int, ...]:
        line = self.rows.line
        texts = _split(fields["points"])
        if len(texts) != count:
            raise PbFormatError(f"voter {voter_id!r} has {count} projects but {len(texts)} points", line=line)
        return tuple(_integer(text, what=f"points of voter {voter_id!r}", line=line) for text in texts)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def loads(text: str) -> Election:
    """Parse the text of a ``.pb`` file (a leading byte-order mark is ignored). The election's NumPy arrays
    (``profile.of``) are built here too, so that solving it does not pay for them."""
    election = _Parser(text.removeprefix("\ufeff")).parse()
    profile.of(election)
    return election


def load(path: str | Path) -> Election:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return loads(handle.read())


def _project_row(project: Project, columns: list[str]) -> list[str]:
    fields = project.fields
    row = [fields.get(name, "") for name in columns]
    raw_cost = fields.get("cost", "")
    try:
        same_cost = Fraction(raw_cost.strip().replace(",", ".")) == project.cost
    except (ValueError, ZeroDivisionError):
        same_cost = False
    for position, name in enumerate(columns):
        if name == "project_id" and fields.get(name, "").strip() != project.id:
            row[position] = project.id
        elif name == "cost" and not same_cost:
            row[position] = str(project.cost)
    return row


def _vote_row(vote: Vote, columns: list[str]) -> list[str]:
    fields = vote.fields
    row = [fields.get(name, "") for name in columns]
    for position, name in enumerate(columns):
        if name == "voter_id" and fields.get(name, "").strip() != vote.voter_id:
            row[position] = vote.voter_id
        elif name == "vote" and _split(fields.get(name, "")) != vote.projects:
            row[position] = ",".join(vote.projects)
        elif name == "points" and vote.points is not None and fields.get(name) is None:
            row[position] = ",".join(str(p) for p in vote.points)
    return row


def _columns(election: Election) -> tuple[list[str], list[str]]:
    project_columns = list(election.project_columns) or ["project_id", "cost"]
    vote_columns = list(election.vote_columns) or ["voter_id", "vote"]
    if election.vote_type in _POINTS_TYPES and "points" not in vote_columns:
        vote_columns.insert(vote_columns.index("vote") + 1, "points")
    return project_columns, vote_columns


def dump(election: Election, *, newline: str = "\n", final_newline: bool = True) -> str:
    """The ``.pb`` text of ``election`` (minimal csv quoting)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    project_columns, vote_columns = _columns(election)
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    writer.writerows([key, value] for key, value in election.meta.items())
    writer.writerow(["PROJECTS"])
    writer.writerow(project_columns)
    writer.writerows(_project_row(project, project_columns) for project in election.projects.values())
    writer.writerow(["VOTES"])
    writer.writerow(vote_columns)
    writer.writerows(_vote_row(vote, vote_columns) for vote in election.votes)
    text = out.getvalue()
    return text if final_newline else text.removesuffix(newline)


def save(election: Election, path: str | Path, *, newline: str = "\n") -> None:
    Path(path).write_text(dump(election, newline=newline), encoding="utf-8", newline="")
