"""The declared layering of GovPub's apps, written down once.

Bottom layer first. A module may import from its own app and from apps in lower layers,
never from an app in its own layer or above (tests/test_architecture.py enforces it, with an
allowlist of today's known violations that may only shrink).

Why this order (DESIGN.md §3): data flows content → review → publishing → channels, so the
imports run the other way — publishing reads review's gate and content's revisions, review
reads content, and all of them read the channel a thing is aimed at; supervision reads
channels and publications, so it sits above publishing; the REST API drives every app's actions
(supervision's included), so it sits over them. textcheck knows nothing of the
others. ops, audit, jobs and notifications are infrastructure every app uses (a notification points at a
page by its address, so it knows no app above it); ui holds the helpers every app's views
use. web is the staff UI shell
(home, navigation, demo) over all apps; the project modules and the CLI sit on top.

Apps in one layer are peers: independent of each other.
Pure data, no imports: the architecture test reads it without Django.
"""

LAYERS: tuple[tuple[str, ...], ...] = (
    ("textcheck", "layers"),  # 机审 engine, pure Python; this file
    ("ops",),  # infrastructure helpers: client details, text, file modes, net guard, logs
    ("ui",),  # shared view helpers: paging, form errors, re-authentication
    ("audit", "jobs", "notifications"),  # hash-chained audit log; durable chunked job runner; notifications
    ("orgs",),  # units, people, roles, suspension
    ("channels", "lexicons", "twofactor"),  # targets; word lists for textcheck; TOTP sign-in
    ("content",),  # items, revisions, attachments
    ("review",),  # 三审三校 and the publish gate
    ("publishing",),  # outbox, connectors, withdraw/correct
    ("portal", "fakeplatforms", "supervision"),  # readers of publications; outside faces
    ("api",),  # the REST API: the same actions as the staff UI, supervision's included
    ("web",),  # staff UI shell: home, navigation, demo district
    # project modules; backup is the operator's tool over the whole database (audit chain, credentials),
    # so it sits above every app it copies and checks, under the CLI that runs it
    ("settings", "urls", "wsgi", "__init__", "backup"),
    ("cli",),  # the `govpub` command
    ("__main__",),
)


def layer_of(app: str) -> int:
    """Index of the app's layer (0 = bottom); KeyError for an app not declared here."""
    for index, layer in enumerate(LAYERS):
        if app in layer:
            return index
    raise KeyError(app)
