"""Participatory budgeting engine: Pabulib I/O and voting rules (no Django). See ``docs/pb.md``."""

from .io import dump, load, loads, save
from .model import Election, Outcome, PbFormatError, Project, ProjectExplanation, Vote
from .rules import RULES, solve

__all__ = [
    "RULES",
    "Election",
    "Outcome",
    "PbFormatError",
    "Project",
    "ProjectExplanation",
    "Vote",
    "dump",
    "load",
    "loads",
    "save",
    "solve",
]
