"""Every clause id RULES.md uses maps to its document and original sentence(s)."""

import re

from doudi.policy import clauses

ID = re.compile(r"`((?:NAT|JX|HE|SD|PZH|CQ)-\d{4}-\d+(?:/[\d.]+)?)`")
DOC_FILE = {
    "JX-2017-58": "jiangxi-gan-renshefa-2017-58.txt",
    "HE-2018-3": "hebei-ji-renshefa-2018-3-via-tangshan-2018-58.txt",
    "SD-2017-37": "shandong-lu-renshefa-2017-37.txt",
    "PZH-2018-195": "panzhihua-pan-renshefa-2018-195.txt",
    "CQ-2018-82": "chongqing-yu-renshefa-2018-82.txt",
}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_clause_id_in_rules_md_is_registered(shared):
    rules = (shared / "spec" / "RULES.md").read_text("utf-8")
    bare_docs = {
        "NAT-2017-59",
        "JX-2017-58",
        "HE-2018-3",
        "SD-2017-37",
        "PZH-2018-195",
        "CQ-2018-82",
    }
    cited = {cid for cid in ID.findall(rules)} - (bare_docs - {"NAT-2017-59"})
    missing = sorted(cited - set(clauses.registry()))
    assert not missing, f"clause ids of RULES.md without a registry entry: {missing}"


def test_every_verbatim_sentence_is_in_its_document(shared):
    docs = {
        k: _squash((shared / "policy-documents" / f).read_text("utf-8"))
        for k, f in DOC_FILE.items()
    }
    checked = 0
    for clause in clauses.registry().values():
        if not clause.verbatim:
            assert clause.note, f"{clause.id} is not verbatim and says nothing about why"
            continue
        assert clause.document.file == DOC_FILE[clause.document.id]
        for topic, text in clause.sentences:
            assert _squash(text) in docs[clause.document.id], f"{clause.id} [{topic}] not verbatim"
            checked += 1
    assert checked > 100


def test_clause_lookup_gives_section_and_sentence():
    c = clauses.get("CQ-2018-82/2.1.1")
    assert c.document.number == "渝人社发〔2018〕82号"
    assert "最低档次标准的70%代缴" in c.sentence("amount")
    assert c.citation() == "渝人社发〔2018〕82号 二、（一）1"
