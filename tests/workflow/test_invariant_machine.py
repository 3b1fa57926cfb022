"""Issue 12 — the invariants, hardened: only approved bytes leave, paused means paused.

A hypothesis state machine drives one item per example through the real interfaces — the content,
review, publishing, channel and org actions, the staff edit form over HTTP and the delivery worker —
against the fake WeChat and Weibo servers (with timeouts, 5xx, platform errors and replies lost after
the platform already created the object), and after every step checks what the platforms received:

1. every title, body, digest, status text, image and cover any platform ever received is derived from
   a revision all of whose review steps approved that exact content hash;
2. nothing was sent to a channel while it was paused or closed, or while its unit was suspended;
3. no remote object outlives a withdrawal the worker has marked done;
4. every publication creates at most one object per platform (lost replies are not re-posted);
5. the audit chain verifies (`govpub audit verify`).

Each example runs inside a savepoint that is rolled back afterwards, with its own fake servers, so
channel pauses and unit suspensions never leak into the next example. On-commit callbacks are executed
as in production (immediate Huey), so a publish sends at once and the worker step retries what is due.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import threading
import time
import zlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, settings, strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition, rule,
                                 run_state_machine_as_test)

from govpub.audit.log import verify_chain
from govpub.audit.models import AuditEvent
from govpub.channels import actions as channel_actions
from govpub.channels.models import Channel, ChannelKind, ChannelStatus
from govpub.content import actions as content_actions
from govpub.content.files import stored_path
from govpub.content.models import Attachment, Item, ItemState, Revision
from govpub.fakeplatforms import FakeWeChat, FakeWeibo
from govpub.fakeplatforms.base import Reply
from govpub.orgs import actions as org_actions
from govpub.orgs.models import Person, Unit
from govpub.publishing import actions as publishing_actions
from govpub.publishing import delivery
from govpub.publishing.connectors import adapt
from govpub.publishing.connectors.wechat import TOKENS
from govpub.publishing.connectors.weibo import status_text
from govpub.publishing.actions import set_credentials
from govpub.publishing.models import Publication, PublicationStatus, WithdrawState
from govpub.review import actions as review_actions
from govpub.review.evidence import acknowledged
from govpub.review.models import CHECKLIST_KEYS, Decision, ReviewRun, RunStatus

APPID, SECRET, WEIBO_TOKEN = "wx_machine_appid", "machine-Wx-AppSecret-51", "weibo-machine-tok"
UNIT = "区党政办公室"
EXPECTED = (PermissionDenied, ValidationError)
PASS = {key: True for key in CHECKLIST_KEYS}

TITLES = ["全区政务公开工作推进会召开", "区政务服务中心延长周末办理时间", "临空经济区春季义务植树活动启动"]
SENTENCES = ["区党政办公室召开全区政务公开工作推进会，部署下一阶段重点任务。",
             "区政务服务中心自下周一起延长周末办理时间，方便群众办事。",
             "临空经济区春季义务植树活动在航空港公园启动，机关干部和志愿者共植树一千余株。"]
LONG_TAIL = "推进会要求各单位落实政务公开主体责任，按时更新政府网站和政务新媒体内容，做好政策解读和回应关切工作。"
SUMMARIES = ["", "推进会部署下一阶段政务公开重点任务。"]

# Calls that carry content to the platform; reads, token calls and deletions are not "sending".
SENDS = {"wechat": {"/cgi-bin/media/uploadimg", "/cgi-bin/material/add_material", "/cgi-bin/draft/add",
                    "/cgi-bin/freepublish/submit"},
         "weibo": {"/2/statuses/share.json", "/proxy/article/publish.json"}}
FAILURES = {
    "wechat": {"/cgi-bin/media/uploadimg": ["http_503", -1, "lost"],
               "/cgi-bin/material/add_material": [45009, "hang", "lost"],
               "/cgi-bin/draft/add": [-1, "http_502", "hang", "lost"],
               "/cgi-bin/freepublish/submit": [45011, "http_503", "hang", "lost"],
               "/cgi-bin/freepublish/get": [-1, "lost"],
               "/cgi-bin/freepublish/delete": ["http_503", "lost"]},
    "weibo": {"/2/statuses/share.json": [10023, "http_503", "hang", "lost"],
              "/proxy/article/publish.json": [10001, "lost"],
              "/2/statuses/destroy.json": [10001, "http_502", "lost"]},
}
KEY = re.compile(r"key=(\d+)-[0-9a-f]{16}")
ARTICLE_URL = re.compile(r"https://weibo\.com/ttarticle/p/show\?id=\d+")


def png_bytes(seed: int) -> bytes:
    """A small valid PNG whose colour (so bytes and hash) differ per seed."""
    rgb = bytes([(seed * 37) % 256, (seed * 91) % 256, (seed * 53 + 7) % 256])
    raw = zlib.compress((b"\x00" + rgb * 4) * 4, 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def jpeg_bytes(seed: int) -> bytes:
    """A tiny real JPEG (≤ 64 KB, so WeChat takes it as a thumb; images are decoded in full at upload) whose
    colour differs per seed."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), ((seed * 37) % 256, (seed * 91) % 256, (seed * 53 + 7) % 256)).save(out, "JPEG")
    return out.getvalue()


def form_errors(response) -> dict:
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    return {k: list(v) for k, v in form.errors.items()} if form is not None else {"status": response.status_code}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the fakes, recording everything they receive ---------------------------------------------------
class Recording:
    """Mixed into a fake: logs every API request (with the machine's view of whether the channel may
    receive anything at that moment) and can lose the reply of a call after the platform handled it."""

    def setup_recording(self, blocked):
        self.received: list[dict] = []
        self.lose_next: dict[str, int] = {}
        self.blocked_now = blocked

    def dispatch(self, request):
        if request.path.startswith("/__admin__/"):
            return super().dispatch(request)
        ctype = request.headers.get("Content-Type", "")
        entry = {"path": request.path, "blocked": self.blocked_now(), "query": dict(request.query),
                 "json": request.json() if "json" in ctype else {},
                 "form": request.form if ("multipart" in ctype or "urlencoded" in ctype) else {},
                 "status": None, "data": None}
        with self.lock:
            self.received.append(entry)  # before handling: a hung call still counts as received
            lose = self.lose_next.get(request.path, 0) > 0
            if lose:
                self.lose_next[request.path] -= 1
        reply = super().dispatch(request)
        entry["status"], entry["data"] = reply.status, reply.data
        if lose and reply.status == 200:  # the platform did the work; the answer never arrives
            entry["lost"] = True
            return Reply(raw=b"<html>502 Bad Gateway</html>", status=502, content_type="text/html")
        return reply


class RecordingWeChat(Recording, FakeWeChat):
    pass


class RecordingWeibo(Recording, FakeWeibo):
    pass


# --- what the database says was approved -------------------------------------------------------------
def required_steps(major: bool) -> set[str]:
    # Written out here rather than taken from review.policy: the test states the rule (第六条).
    return {"first_review", "second_review", "final_review"} | ({"principal_review"} if major else set())


def approved_revisions(item_id: int) -> list[Revision]:
    """Revisions for which one review run holds an approval of every required step for that exact hash."""
    approved = []
    for revision in Revision.objects.filter(item_id=item_id).select_related("cover").prefetch_related("attachments"):
        for run in ReviewRun.objects.filter(revision=revision, revision_hash=revision.content_hash):
            steps = set(Decision.objects.filter(run=run, decision=Decision.Outcome.APPROVE,
                                                revision_hash=revision.content_hash).values_list("step", flat=True))
            if required_steps(revision.major) <= steps:
                approved.append(revision)
                break
    return approved


def revision_images(revision: Revision) -> set[str]:
    hashes = {a.sha256 for a in revision.attachments.all()}
    if revision.cover is not None:
        hashes.add(revision.cover.sha256)
    return hashes


def weibo_text_matches(text: str, revision: Revision) -> bool:
    head, _, link = text.rpartition(" ")
    summaries = {adapt.plain_text(revision.body_html), adapt.digest(revision.summary, revision.body_html, 120)}
    for summary in summaries:
        try:
            if status_text(revision.title, summary, link) == text:
                return True
        except Exception:
            continue
    return False


# --- the machine ---------------------------------------------------------------------------------------
class InvariantMachine(RuleBasedStateMachine):
    capture = None  # django_capture_on_commit_callbacks, set by the test
    stats: dict = {}

    def __init__(self):
        super().__init__()
        # The example's own savepoint, rolled back in teardown. Marked like TestCase's own atomic so the
        # actions' durable transactions run inside it, as they do inside pytest-django's test transaction.
        self._atomic = transaction.atomic()
        self._atomic._from_testcase = True
        self._atomic.__enter__()
        TOKENS._tokens.clear()
        self.people = {p.username: p for p in Person.objects.filter(username__in=[
            "demo-editor", "demo-editor2", "demo-office-head", "demo-deputy", "demo-principal", "demo-supervisor",
            "demo-admin"])}
        self.unit = Unit.objects.get(name=UNIT)
        self.channels = {"wechat": Channel.objects.get(kind=ChannelKind.WECHAT, name="临空经济区发布"),
                         "weibo": Channel.objects.get(kind=ChannelKind.WEIBO, name="临空经济区发布"),
                         "website": Channel.objects.get(kind=ChannelKind.WEBSITE)}
        self.column = self.channels["website"].columns.get(slug="gzdt")
        self.status = {name: channel.status for name, channel in self.channels.items()}
        self.suspended = self.unit.is_suspended
        self.fakes = {"wechat": RecordingWeChat(accounts={APPID: SECRET}, seed=12, hang=0.5),
                      "weibo": RecordingWeibo(tokens=[WEIBO_TOKEN], seed=12, hang=0.5)}
        for name, fake in self.fakes.items():
            fake.setup_recording(lambda name=name: self.blocked(name))
            fake.start()
        admin = self.people["demo-admin"]
        set_credentials(self.channels["wechat"], acting_user=admin, app_id=APPID, app_secret=SECRET,
                        callback_token="cb-machine", api_base=self.fakes["wechat"].url)
        set_credentials(self.channels["weibo"], acting_user=admin, app_id="weibo-app", access_token=WEIBO_TOKEN,
                        api_base=self.fakes["weibo"].url)
        self.checked = {name: 0 for name in self.fakes}
        self.seed = 0
        self.refused_hashes: set[str] = set()
        self.item = None
        self.audit_head = None

    def teardown(self):
        self.count("examples")
        for fake in self.fakes.values():
            # shutdown() waits for the server loop's 0.5 s poll; nothing needs to wait for it.
            threading.Thread(target=fake.stop, daemon=True).start()
        TOKENS._tokens.clear()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers --------------------------------------------------------------------------------------
    def blocked(self, platform: str) -> str | None:
        if self.status[platform] != ChannelStatus.RUNNING:
            return f"channel {platform} is {self.status[platform]}"
        if self.suspended:
            return "unit suspended"
        return None

    def act(self, fn, *args, _deliver=True, **kwargs):
        """Call an entry point as production does: its on-commit callbacks (deliveries) run afterwards —
        unless _deliver is False: then the enqueued task is late and only the worker step picks the row up."""
        with self.capture(execute=_deliver):
            try:
                return fn(*args, **kwargs)
            except EXPECTED as error:
                self.count(f"refused {fn.__name__}: {' '.join(getattr(error, 'messages', [str(error)]))[:60]}")
                return None

    def fresh(self) -> Item:
        return Item.objects.select_related("current_revision", "current_revision__cover").get(pk=self.item.pk)

    def count(self, what: str) -> None:
        self.stats[what] = self.stats.get(what, 0) + 1

    def next_seed(self) -> int:
        self.seed += 1
        return self.seed

    def body(self, first: int, long: bool) -> str:
        text = f"<p>{SENTENCES[first % len(SENTENCES)]}</p>"
        return text + (f"<p>{LONG_TAIL}</p>" if long else "")

    def correction(self, item) -> dict:
        """What every edit carries: the correction note once live, and only targets still offered to the
        editor (a closed channel is no longer a target; the editor has to untick it)."""
        changes = {"correction_note": "更正：修改了部分表述。"} if item.live_revision_id else {}
        closed = {f"channel:{c.pk}" for name, c in self.channels.items() if self.status[name] == ChannelStatus.CLOSED}
        if self.status["website"] == ChannelStatus.CLOSED:
            closed.add(f"column:{self.column.pk}")
        if closed & set(item.current_revision.targets):
            changes["targets"] = [t for t in item.current_revision.targets if t not in closed]
        return changes

    def client(self, username: str) -> Client:
        from support.twofactor import pass_second_factor

        client = Client()
        person = self.people[username]
        client.force_login(person)
        pass_second_factor(client, person)
        return client

    def form_data(self, item, **changes) -> dict:
        revision = item.current_revision
        data = {"title": revision.title, "body_html": revision.body_html, "summary": revision.summary,
                "targets": list(revision.targets), "source_kind": revision.source_kind,
                "source_name": revision.source_name, "source_url": revision.source_url,
                "major_reason": revision.major_reason, "index_no": revision.index_no,
                "keep_attachments": [str(pk) for pk in revision.attachments.values_list("pk", flat=True)],
                "cover_id": str(revision.cover_id or "")}
        if revision.major:
            data["major"] = "on"
        data.update(self.correction(item))
        data.update(changes)
        return data

    # --- rules ----------------------------------------------------------------------------------------
    @initialize(major=st.booleans(), long=st.booleans(), title=st.integers(0, 2),
                reach=st.sampled_from(["all", "all", "wechat", "weibo"]),
                start=st.sampled_from(["approved", "draft", "approved"]))
    def create(self, major, long, title, reach, start):
        """One new item; often already through the three reviews, so runs spend their steps after approval."""
        keys = [f"column:{self.column.pk}"]
        if reach in ("all", "wechat"):
            keys.append(f"channel:{self.channels['wechat'].pk}")
        if reach in ("all", "weibo"):
            keys.append(f"channel:{self.channels['weibo'].pk}")
        extra = {"major": True, "major_reason": "涉及全区重大部署"} if major else {}
        self.item = self.act(content_actions.create_item, acting_user=self.people["demo-editor"], unit=self.unit,
                             title=TITLES[title], body_html=self.body(title, long), targets=keys, **extra)
        assert self.item is not None
        if start == "approved":
            while self.state() != ItemState.APPROVED:
                self.advance(pick=1)

    def state(self) -> str | None:
        return Item.objects.filter(pk=self.item.pk).values_list("state", flat=True).first() if self.item else None

    # Editing: four ways, one rule, so that edits (which void reviews) do not crowd out progress.
    @rule(how=st.sampled_from(["text", "attachment", "reuse", "form", "refused", "attachment", "text"]),
          pick=st.integers(0, 11), flag=st.booleans(), kind=st.sampled_from(["png", "jpeg", "pdf"]))
    def edit(self, how, pick, flag, kind):
        if how == "text":
            self.edit_text(title=pick % 3, sentence=(pick // 3) % 3, long=flag, summary=pick % 2)
        elif how == "attachment":
            self.edit_with_attachment(kind=kind, in_body=pick % 2 == 0, as_cover=flag)
        elif how == "reuse":
            self.reuse_uploaded_image(pick)
        elif how == "form":
            self.accepted_form_edit(sentence=pick % 3, with_cover=flag)
        else:
            self.refused_form_edit(bad_url=["不是网址", "ftp://www.example.gov.cn/notice", "javascript:alert(1)"][pick % 3],
                                   with_cover=flag)

    def edit_text(self, title, sentence, long, summary):
        item = self.fresh()
        self.act(content_actions.save_revision, item, acting_user=self.people["demo-editor"], title=TITLES[title],
                 body_html=self.body(sentence, long), summary=SUMMARIES[summary], **self.correction(item))

    def edit_with_attachment(self, kind, in_body, as_cover):
        """A new image (in the body and/or as cover) or file joins the item's next revision."""
        item = self.fresh()
        seed = self.next_seed()
        data = {"png": png_bytes, "jpeg": jpeg_bytes}.get(kind, lambda s: b"%PDF-1.4\n%" + str(s).encode() +
                                                          b"\n%%EOF\n")(seed)
        name = {"png": "现场.png", "jpeg": "封面.jpg", "pdf": "通知.pdf"}[kind]
        image = kind != "pdf"
        attachment = self.act(content_actions.add_attachment, item, SimpleUploadedFile(name, data),
                              acting_user=self.people["demo-editor"],
                              kind=Attachment.Kind.IMAGE if image else Attachment.Kind.FILE)
        if attachment is None:
            return
        # an image is stored as re-encoded at upload (metadata stripped): its hash is that of the stored bytes
        assert attachment.sha256 == sha(stored_path(attachment.storage_name).read_bytes() if image else data)
        changes = {}
        item = self.fresh()
        if image and in_body:
            changes["body_html"] = (item.current_revision.body_html +
                                    f'<p><img src="/staff/attachments/{attachment.pk}/download/" alt="现场图片"></p>')
        if image and as_cover:
            changes["cover_id"] = attachment.pk
        changes.update(self.correction(item))  # add_attachment's own revision carries no correction note
        self.act(content_actions.save_revision, item, acting_user=self.people["demo-editor"], **changes)

    def reuse_uploaded_image(self, pick):
        """The editor puts into the body an image uploaded to the item earlier (e.g. in a refused edit)
        that is not one of the current revision's attachments."""
        item = self.fresh()
        attached = set(item.current_revision.attachments.values_list("pk", flat=True))
        images = list(Attachment.objects.filter(item=item, kind=Attachment.Kind.IMAGE).exclude(pk__in=attached)
                      .order_by("pk").values_list("pk", flat=True))
        if not images:
            return
        body = (item.current_revision.body_html +
                f'<p><img src="/staff/attachments/{images[pick % len(images)]}/download/" alt="现场图片"></p>')
        self.act(content_actions.save_revision, item, acting_user=self.people["demo-editor"], body_html=body,
                 **self.correction(item))

    def accepted_form_edit(self, sentence, with_cover):
        """The staff edit page: new text, a new file and maybe a new cover, all valid."""
        item = self.fresh()
        seed = self.next_seed()
        files = {"attachments": [SimpleUploadedFile("附件.pdf", b"%PDF-1.4\n%" + str(seed).encode() + b"\n%%EOF\n")]}
        if with_cover:
            files["cover"] = SimpleUploadedFile("封面.png", png_bytes(seed))
        data = self.form_data(item, body_html=self.body(sentence, False) + f"<p>第{seed}期。</p>",
                              source_url="https://www.example.gov.cn/notice", **files)
        with self.capture(execute=True):
            response = self.client("demo-editor").post(f"/staff/items/{item.pk}/edit/", data)
        if item.state not in (ItemState.WITHDRAWN, ItemState.REJECTED):
            assert response.status_code == 302, form_errors(response)

    def refused_form_edit(self, bad_url, with_cover):
        """The edit page with a new attachment (and cover) but an invalid 来源网址: refused, nothing changes."""
        item = self.fresh()
        if item.state in (ItemState.WITHDRAWN, ItemState.REJECTED):
            return
        seed = self.next_seed()
        cover = png_bytes(seed + 500)
        files = {"attachments": [SimpleUploadedFile("未通过.pdf", b"%PDF-1.4\n%refused" + str(seed).encode() +
                                                    b"\n%%EOF\n")]}
        if with_cover:
            files["cover"] = SimpleUploadedFile("未通过.png", cover)
            self.refused_hashes.add(sha(cover))
        before = (item.current_revision_id, item.state)
        data = self.form_data(item, title=item.current_revision.title + "（改）", source_kind="reprint",
                              source_name="某网站", source_url=bad_url, **files)
        with self.capture(execute=True):
            response = self.client("demo-editor").post(f"/staff/items/{item.pk}/edit/", data)
        assert response.status_code == 200, f"an invalid source URL {bad_url!r} was accepted ({response.status_code})"
        item = self.fresh()
        assert (item.current_revision_id, item.state) == before, "a refused edit changed the item"

    @precondition(lambda self: self.state() in (ItemState.DRAFT, ItemState.RETURNED))
    @rule()
    def check_and_submit(self):
        item = self.fresh()
        self.act(review_actions.check_current_revision, item, acting_user=self.people["demo-editor"])
        self.act(review_actions.submit_for_review, item, acting_user=self.people["demo-editor"])

    @precondition(lambda self: self.state() == ItemState.IN_REVIEW)
    @rule(author_first=st.booleans(), outcome=st.sampled_from(["approve"] * 7 + ["return"]))
    def decide(self, author_first, outcome):
        """The next step, decided by the person whose role it is (初审 by a colleague or the author)."""
        item = self.fresh()
        run = ReviewRun.objects.filter(item=item, status=RunStatus.ACTIVE).first()
        if item.state != ItemState.IN_REVIEW or run is None:
            return
        step = run.next_step
        who = {"first_review": "demo-editor" if author_first else "demo-editor2",
               "second_review": "demo-office-head", "final_review": "demo-deputy",
               "principal_review": "demo-principal"}[step]
        decision = self.act(review_actions.record_decision, item, acting_user=self.people[who],
                            revision_hash=item.current_revision.content_hash, decision=outcome, checklist=dict(PASS),
                            confidentiality_ok=True, proofread_ok=True, comment="同意" if outcome == "approve" else "请修改",
                            point_notes=acknowledged(item.current_revision))
        assert decision is not None, f"{who} could not decide {step}"
        self.count("decision")

    @precondition(lambda self: self.state() in (ItemState.APPROVED, ItemState.PUBLISHED))
    @rule(now=st.booleans())
    def publish(self, now=True):
        """Publish; with now=False the delivery task is late (a busy or lost queue) and the worker sends it."""
        self.count("publish_try")
        item = self.fresh()
        done = self.act(publishing_actions.publish_item, item, acting_user=self.people["demo-editor"],
                        revision_hash=item.current_revision.content_hash, _deliver=now)
        if done:
            self.count("publish")

    def _advance(self, pick):
        """The legitimate next step, so that random runs reach approval and publication often."""
        state = self.state()
        if state in (ItemState.DRAFT, ItemState.RETURNED):
            self.check_and_submit()
        elif state == ItemState.IN_REVIEW:
            self.decide(author_first=pick == 0, outcome="approve")
        elif state == ItemState.APPROVED:
            self.publish(now=pick % 2 == 0)

    # Hypothesis switches a random subset of rules off in each example (swarm testing); the progress
    # rules come twice so that few examples lose them altogether.
    advance = rule(pick=st.integers(0, 3))(_advance)
    advance_again = rule(pick=st.integers(0, 3))(_advance)

    # Supervision: pause / resume / close a channel, suspend / lift the unit.
    def _supervise(self, what, channel):
        if what == "suspend":
            if self.act(org_actions.suspend_unit, self.unit, acting_user=self.people["demo-supervisor"],
                        reason="未按要求整改") is not None:
                self.suspended = True
                self.count("suspend")
            return
        if what == "lift":
            if self.act(org_actions.lift_suspension, self.unit, acting_user=self.people["demo-supervisor"],
                        reason="已完成整改") is not None:
                self.suspended = False
            return
        if what == "close" and channel == "website":
            what = "pause"  # a closed website would stop every publication for the rest of the run
        status = {"pause": ChannelStatus.PAUSED, "resume": ChannelStatus.RUNNING, "close": ChannelStatus.CLOSED}[what]
        done = self.act(channel_actions.change_channel_status, self.channels[channel],
                        acting_user=self.people["demo-supervisor"], status=status, reason="督查发现问题，责令整改")
        if done is not None:
            self.status[channel] = done.status
            self.count(what)

    # Hypothesis favours the ends of a list: the final "close" sits in the middle.
    SUPERVISION = st.sampled_from(["pause", "resume", "suspend", "lift", "resume", "close", "lift", "suspend",
                                   "resume", "pause"])
    supervise = rule(what=SUPERVISION, channel=st.sampled_from(["wechat", "weibo", "website"]))(_supervise)

    def pending(self) -> bool:
        return self.item is not None and Publication.objects.filter(
            item_id=self.item.pk, channel__kind__in=delivery.API_KINDS,
            status__in=[PublicationStatus.QUEUED, PublicationStatus.SENDING, PublicationStatus.FAILED]).exists()

    @precondition(pending)
    @rule(what=st.sampled_from(["pause", "suspend"]), channel=st.sampled_from(["wechat", "weibo"]))
    def supervise_while_pending(self, what, channel):
        """The supervisor steps in while a publication still waits for the worker (or for a resend)."""
        self._supervise(what, channel)

    @rule(platform=st.sampled_from(["wechat", "weibo"]), pick=st.integers(0, 20))
    def platform_failure(self, platform, pick):
        """The next call to one endpoint fails: a platform error, a 5xx, a timeout, or a lost reply."""
        paths = sorted(FAILURES[platform])
        path = paths[pick % len(paths)]
        codes = FAILURES[platform][path]
        code = codes[(pick // len(paths)) % len(codes)]
        fake = self.fakes[platform]
        if code == "lost":
            with fake.lock:
                fake.lose_next[path] = fake.lose_next.get(path, 0) + 1
        else:
            fake.fail_next(path, code)
        self.count(f"failure:{code}")

    def _run_worker(self, rounds):
        """The delivery worker picks up what is due (retries after backoff, withdrawals)."""
        for _ in range(rounds):
            time.sleep(0.02)  # the test backoff is at most 20 ms
            with self.capture(execute=True):
                delivery.run_due(delivery.PUBLISH)
                delivery.run_due(delivery.WITHDRAW)

    run_worker = rule(rounds=st.integers(1, 3))(_run_worker)
    run_worker_again = rule(rounds=st.integers(1, 3))(_run_worker)

    def pending_while_blocked(self) -> bool:
        return any(self.blocked(name) for name in self.fakes) and self.pending()

    @precondition(pending_while_blocked)
    @rule()
    def run_worker_while_blocked(self):
        """The worker comes round while a channel is paused or the unit suspended, with rows still to send."""
        self._run_worker(1)

    @rule()
    def resend_failed(self):
        for publication in Publication.objects.filter(item_id=self.item.pk).filter(
                status=PublicationStatus.FAILED) | Publication.objects.filter(
                item_id=self.item.pk, withdraw_state=WithdrawState.FAILED):
            self.act(publishing_actions.resend, publication, acting_user=self.people["demo-editor"])

    def _withdraw(self, now):
        item = self.fresh()
        if self.act(publishing_actions.withdraw_item, item, acting_user=self.people["demo-editor"],
                    reason="内容需要更新，先行撤下", _deliver=now) is not None:
            self.count("withdraw")

    withdraw = precondition(lambda self: self.state() == ItemState.PUBLISHED)(rule(now=st.booleans())(_withdraw))
    withdraw_again = precondition(lambda self: self.state() == ItemState.PUBLISHED)(
        rule(now=st.booleans())(_withdraw))

    # --- invariants ----------------------------------------------------------------------------------
    @invariant()
    def only_approved_content_left(self):
        if self.item is None:
            return
        approved = approved_revisions(self.item.pk)
        images = set().union(*(revision_images(r) for r in approved)) if approved else set()
        covers = images | {sha(adapt.default_cover_png())}
        for platform, fake in self.fakes.items():
            with fake.lock:
                new = fake.received[self.checked[platform]:]
                self.checked[platform] = len(fake.received)
            for entry in new:
                path, form = entry["path"], entry["form"]
                what = f"{platform} {path}"
                if path == "/cgi-bin/media/uploadimg":
                    digest = sha(form["media"][1])
                    assert digest in images, f"{what}: image {digest[:12]} is not in any approved revision" + (
                        " (it came from a refused edit)" if digest in self.refused_hashes else "")
                elif path == "/cgi-bin/material/add_material":
                    digest = sha(form["media"][1])
                    assert digest in covers, f"{what}: cover {digest[:12]} is not an approved revision's cover"
                elif path == "/cgi-bin/draft/add":
                    for article in entry["json"].get("articles") or []:
                        assert any(article.get("title") == r.title
                                   and article.get("digest") == adapt.digest(r.summary, r.body_html, 120)
                                   and adapt.plain_text(article.get("content", ""))
                                   == adapt.plain_text(adapt.wechat_html(r.body_html, {}))
                                   for r in approved), f"{what}: article {article.get('title')!r} is no approved revision"
                elif path == "/2/statuses/share.json":
                    text = form.get("status", "")
                    assert any(weibo_text_matches(text, r) for r in approved), \
                        f"{what}: status {text!r} is not derived from an approved revision"
                elif path == "/proxy/article/publish.json":
                    assert any(form.get("title") == r.title and form.get("content") == adapt.wechat_html(r.body_html, {})
                               for r in approved), f"{what}: article {form.get('title')!r} is no approved revision"

    @invariant()
    def nothing_sent_while_paused_or_suspended(self):
        self.count("steps")
        for platform, fake in self.fakes.items():
            with fake.lock:
                sent = [(e["path"], e["blocked"]) for e in fake.received if e["path"] in SENDS[platform]]
            for path, blocked in sent:
                assert blocked is None, f"{platform} {path} received content while {blocked}"

    def _remote_objects(self) -> list[tuple[str, str, bool, int | None]]:
        """(platform, remote id, live, publication pk) of every object the platforms ever created."""
        objects = []
        for post in self.fakes["wechat"].posts:
            match = KEY.search(post.get("content_source_url", ""))
            objects.append(("wechat", post["article_id"], not post["deleted"], int(match.group(1)) if match else None))
        weibo = self.fakes["weibo"]
        with weibo.lock:
            article_key = {}
            for entry in weibo.received:
                if entry["path"] == "/proxy/article/publish.json" and entry["status"] == 200:
                    url = ((entry["data"] or {}).get("data") or {}).get("url", "")
                    match = KEY.search(entry["form"].get("source_url", ""))
                    if url and match:
                        article_key[url] = int(match.group(1))
        for post in weibo.posts:
            match = KEY.search(post["text"])
            article = ARTICLE_URL.search(post["text"])
            pk = int(match.group(1)) if match else article_key.get(article.group(0)) if article else None
            objects.append(("weibo", post["idstr"], not post["deleted"], pk))
        with weibo.lock:  # the headline articles are public objects too, and a withdrawal deletes them
            for object_id, article in weibo.articles.items():
                match = KEY.search(article.get("source_url", ""))
                objects.append(("weibo-article", object_id, not article["deleted"], int(match.group(1)) if match else None))
        return objects

    @invariant()
    def no_remote_object_outlives_a_withdrawal(self):
        if self.item is None:
            return
        done = {p.pk for p in Publication.objects.filter(item_id=self.item.pk, withdraw_state=WithdrawState.DONE)}
        mine = set(Publication.objects.filter(item_id=self.item.pk).values_list("pk", flat=True))
        for platform, remote_id, live, pk in self._remote_objects():
            assert pk in mine, f"{platform} object {remote_id} belongs to no publication of the item"
            if live:
                assert pk not in done, (f"{platform} object {remote_id} of publication {pk} is still live "
                                        f"after its withdrawal was recorded as done")

    @invariant()
    def one_remote_object_per_publication(self):
        seen = {}
        for platform, remote_id, _live, pk in self._remote_objects():
            key = (platform, pk)
            assert key not in seen, f"publication {pk} was posted twice to {platform}: {seen[key]} and {remote_id}"
            seen[key] = remote_id

    @invariant()
    def audit_chain_verifies(self):
        # The whole chain once per example (what `govpub audit verify` runs), then each step's new events
        # the same way: the table is append-only, so a verified prefix stays verified.
        if self.audit_head is None:
            result = verify_chain()
            assert result.ok, f"audit chain broken at #{result.bad_seq}: {result.problem}"
            last = AuditEvent.objects.order_by("-seq").first()
            self.audit_head = (last.seq, last.hash)
            return
        seq, prev_hash = self.audit_head
        for event in AuditEvent.objects.filter(seq__gt=seq).order_by("seq"):
            assert event.seq == seq + 1, f"audit chain broken: event #{seq + 1} missing"
            assert event.prev_hash == prev_hash, f"audit chain broken at #{event.seq}: previous hash does not fit"
            assert event.compute_hash() == event.hash, f"audit chain broken at #{event.seq}: content does not fit hash"
            seq, prev_hash = event.seq, event.hash
        self.audit_head = (seq, prev_hash)


@pytest.fixture
def fast_delivery(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")
    settings.GOVPUB_DELIVERY_BACKOFF_BASE = 0.005
    settings.GOVPUB_DELIVERY_BACKOFF_MAX = 0.02
    settings.GOVPUB_DELIVERY_POLL_SECONDS = 0
    settings.GOVPUB_DELIVERY_MAX_ATTEMPTS = 40
    settings.GOVPUB_WECHAT_POLL_INTERVAL = 0.005
    settings.GOVPUB_CONNECTOR_TIMEOUT = 0.25  # the fakes' "hang" sleeps 0.5 s: a timeout
    settings.GOVPUB_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]


@pytest.mark.django_db
def test_only_approved_bytes_leave_and_paused_means_paused(fast_delivery, django_capture_on_commit_callbacks):
    InvariantMachine.capture = staticmethod(django_capture_on_commit_callbacks)
    InvariantMachine.stats = {}
    run_state_machine_as_test(InvariantMachine, settings=settings(
        max_examples=40, stateful_step_count=20, deadline=None, derandomize=True, database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.filter_too_much]))
    stats = InvariantMachine.stats
    print(stats)
    # The run must have exercised what it claims to check, or it proves nothing.
    assert stats.get("publish", 0) > 0 and stats.get("withdraw", 0) > 0, stats
    assert stats.get("pause", 0) > 0 and stats.get("suspend", 0) > 0, stats
