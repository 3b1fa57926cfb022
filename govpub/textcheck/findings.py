"""The Finding record shared by the CLI, the API and the UI (DESIGN.md §4)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

CATEGORIES = (
    "secret", "privacy", "political", "prohibited", "sensitive", "typo",
    "wording", "advertising", "opinion", "link", "source",
)
CATEGORY_LABELS = {
    "secret": "涉密", "privacy": "个人隐私", "political": "政治性表述错误",
    "prohibited": "第十条禁止内容", "sensitive": "敏感性问题", "typo": "错别字",
    "wording": "表述不规范/格式", "advertising": "商业广告", "opinion": "情绪化个人观点",
    "link": "链接问题", "source": "来源问题",
}
SEVERITIES = ("block", "warn", "info")
SEVERITY_LABELS = {"block": "阻断", "warn": "警告", "info": "提示"}
SEVERITY_RANK = {"info": 0, "warn": 1, "block": 2}


@dataclass(frozen=True, slots=True)
class Finding:
    category: str
    rule: str
    severity: str
    start: int
    end: int
    text: str
    message: str
    suggestion: str | None = None
    basis: str | None = None
    location: str | None = None

    def to_dict(self) -> dict:
        return {
            "category": self.category, "rule": self.rule, "severity": self.severity,
            "start": self.start, "end": self.end, "text": self.text,
            "message": self.message, "suggestion": self.suggestion,
            "basis": self.basis, "location": self.location,
        }

    def with_(self, **kw) -> "Finding":
        return replace(self, **kw)


def max_severity(a: str, b: str) -> str:
    return a if SEVERITY_RANK[a] >= SEVERITY_RANK[b] else b


@dataclass(slots=True)
class CheckResult:
    """Result of checking one input: the plain text that offsets refer to, and findings.

    For HTML ``text`` is the visible text; for attachments it is the extracted text
    (segments joined by newlines) and each finding's ``location`` names the part.
    """

    text: str
    findings: list[Finding] = field(default_factory=list)
    source: str | None = None

    @property
    def has_block(self) -> bool:
        return any(f.severity == "block" for f in self.findings)

    def to_dict(self) -> dict:
        return {"source": self.source, "findings": [f.to_dict() for f in self.findings]}
