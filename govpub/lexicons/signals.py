"""What the lexicons tell the apps above them (which they may not import)."""

from django.dispatch import Signal

# Sent after a commit that changed the active lexicon rows: what was checked before may read differently
# now (supervision rescans the published archive).
lexicon_changed = Signal()
