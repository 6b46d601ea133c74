"""The clause registry: every clause id → document, section, original sentences.

Data: ``policy/clauses/<DOC>.yaml``, one file per document, extracted from
``shared/policy-documents`` (verbatim: each sentence is found in the document
once whitespace is removed; the test suite checks this). National documents
that are not in that folder are marked ``verbatim: false`` with a note.
Explanations quote these sentences, never a paraphrase.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from doudi.policy.parameters import SAFE_LOADER


class UnknownClause(KeyError):
    def __str__(self) -> str:
        return f"条款编号不存在：{self.args[0]!r}"


@dataclass(frozen=True)
class Document:
    id: str
    number: str
    title: str
    file: str | None
    jurisdiction: str


@dataclass(frozen=True)
class Clause:
    id: str
    document: Document
    section: str
    heading: str | None
    sentences: tuple[tuple[str, str], ...]  # (topic, text)
    verbatim: bool
    note: str | None

    def sentence(self, topic: str | None = None) -> str:
        """The sentence on ``topic`` (or all sentences joined, if no topic)."""
        if topic is None:
            return "".join(text for _, text in self.sentences)
        for t, text in self.sentences:
            if t == topic:
                return text
        raise KeyError(f"条款 {self.id} 没有主题为 {topic!r} 的句子")

    def citation(self) -> str:
        """E.g. 渝人社发〔2018〕82号 二、（一）1."""
        return f"{self.document.number} {self.section}"


@cache
def registry() -> dict[str, Clause]:
    out: dict[str, Clause] = {}
    root = resources.files("doudi.policy").joinpath("clauses")
    for f in sorted(root.iterdir(), key=lambda p: p.name):
        if not f.name.endswith(".yaml"):
            continue
        data = yaml.load(f.read_text("utf-8"), Loader=SAFE_LOADER)
        d = data["document"]
        doc = Document(d["id"], d["number"], d["title"], d.get("file"), str(d["jurisdiction"]))
        for cid, c in data["clauses"].items():
            out[cid] = Clause(
                id=cid,
                document=doc,
                section=str(c["section"]),
                heading=c.get("heading"),
                sentences=tuple((s["topic"], s["text"]) for s in c["sentences"]),
                verbatim=bool(c.get("verbatim", True)),
                note=c.get("note"),
            )
    return out


def get(clause_id: str) -> Clause:
    try:
        return registry()[clause_id]
    except KeyError:
        raise UnknownClause(clause_id) from None
