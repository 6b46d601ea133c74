"""Which clause decides each work-injury check, per document (RULES.md §5).

The five documents say the same few things in their own words, and not all of them
say everything: every document asks that projects insure per project (the check of
项目先参保、再开工 cites each one's own sentence, and its explanation quotes that
document's words, so a Hebei caseworker reads Hebei's 确保新开工项目全部参保, not
Jiangxi's slogan); advance payment to poor workers is ordered by Jiangxi, Shandong and
Panzhihua only, and its conditions are the Social Insurance Law's (``SIL-2010-35/41``,
which every jurisdiction is bound by) with the ministry's rule that the injury be
recognised first (``SIF-2011-15/6``); Chongqing alone asks that poor workers' benefits
be paid first; Jiangxi, Hebei and Shandong name pneumoconiosis. A check a document does
not order is not run for its jurisdiction (``None`` here): no finding without a clause.
"""

from __future__ import annotations

from dataclasses import dataclass

from doudi.policy.jurisdictions import Jurisdiction

#: The Social Insurance Law, art. 41: the conditions of advance payment and its recovery.
LAW = "SIL-2010-35/41"
#: The ministry's rules on advance payment, art. 6: the worker applies once the injury is
#: recognised (职工被认定为工伤后) — the law itself does not say when.
RECOGNITION = "SIF-2011-15/6"


@dataclass(frozen=True)
class Basis:
    """The clauses of one document's work-injury checks.

    ``projects`` decides both project checks, the poor workers on uncovered projects and
    the outreach list; ``breach`` is how an explanation names its violation, quoting
    the words of that clause (a test checks the quote is in the clause's sentences).
    """

    projects: str
    breach: str
    advance_payment: str | None
    priority: str | None
    pneumoconiosis: str | None


BY_DOCUMENT: dict[str, Basis] = {
    "JX-2017-58": Basis(
        "JX-2017-58/2.1.3",
        "违反“先参保、再开工”",
        advance_payment="JX-2017-58/2.3.8",
        priority=None,
        pneumoconiosis="JX-2017-58/2.2.6",
    ),
    "HE-2018-3": Basis(
        "HE-2018-3/2.3.1",
        "未做到“确保新开工项目全部参保”",
        advance_payment=None,
        priority=None,
        pneumoconiosis="HE-2018-3/2.3.2",
    ),
    "SD-2017-37": Basis(
        "SD-2017-37/2.3",
        "未做到开工前“按项目参加工伤保险”",
        advance_payment="SD-2017-37/2.3",
        priority=None,
        pneumoconiosis="SD-2017-37/2.3",
    ),
    "PZH-2018-195": Basis(
        "PZH-2018-195/3",
        "未做到开工前“按项目参加工伤保险”",
        advance_payment="PZH-2018-195/3",
        priority=None,
        pneumoconiosis=None,
    ),
    "CQ-2018-82": Basis(
        "CQ-2018-82/2.2.2",
        "未做到开工前“按工程建设项目参加工伤保险”",
        advance_payment=None,
        priority="CQ-2018-82/2.2.2",
        pneumoconiosis=None,
    ),
    "NAT-2017-59": Basis(
        "NAT-2017-59/2.1",
        "未做到开工前“按项目参加工伤保险”",
        advance_payment=None,
        priority=None,
        pneumoconiosis=None,
    ),
}


def basis_of(jurisdiction: Jurisdiction) -> Basis:
    """The clauses for ``jurisdiction``: those of the document it follows."""
    return BY_DOCUMENT[jurisdiction.document]


def advance_payment_clauses(basis: Basis) -> tuple[str, ...]:
    """The law and the ministry's rules always; the document's own order of advance
    payment where it has one."""
    national = (LAW, RECOGNITION)
    return (*national, basis.advance_payment) if basis.advance_payment else national
