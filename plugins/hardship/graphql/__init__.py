"""The hardship program on the API, thin: each resolver parses its input, calls one service
(``..services``) and shapes the answer. ``files``: ``Member.hardship``, the files and their
mutations; ``visits``: visits and ``recordVisit``; ``reports``: the program's reports."""

from __future__ import annotations

from strawberry.tools import merge_types

from unionaid.core import GraphQLContribution
from unionaid.plugins.hardship.graphql.files import (
    FILE_NODE,
    FileMutation,
    FileQuery,
    HardshipMemberFields,
)
from unionaid.plugins.hardship.graphql.reports import ReportQuery
from unionaid.plugins.hardship.graphql.visits import VISIT_NODE, VisitMutation, VisitQuery

# The types node(id:) resolves (the core checks who may read them).
NODE_TYPES = [FILE_NODE, VISIT_NODE]


def contribution() -> GraphQLContribution:
    return GraphQLContribution(
        query=merge_types("HardshipQueries", (ReportQuery, FileQuery, VisitQuery)),
        mutation=merge_types("HardshipMutations", (FileMutation, VisitMutation)),
        member_fields=HardshipMemberFields,
    )
