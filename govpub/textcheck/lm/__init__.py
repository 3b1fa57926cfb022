"""Offline statistical typo (错别字) detector for official Chinese prose.

    from govpub.textcheck.lm import TypoDetector
    det = TypoDetector.default()
    for h in det.detect(text):
        h.start, h.end, h.original, h.suggestion, h.score

Pure Python + numpy; no Django.  See README.md in this folder.
"""
from .detector import Hit, Params, TypoDetector

__all__ = ["TypoDetector", "Hit", "Params"]
