"""Reliable delivery of publications to external platforms: a transactional outbox.

- The publication row (status QUEUED) is written in the publish transaction; a task is enqueued
  only on commit (schedule_publications / request_withdrawal, called from publishing.actions).
- A worker *claims* a row with one conditional UPDATE (lease: claim_token + claimed_until), so two
  workers never send the same row; every platform object is saved on the row as it is created,
  under the lease, so a retry resumes instead of posting twice (connectors check the platform for
  an earlier post before re-posting).
- Transient errors: the claim is released with next_attempt_at = now + exponential backoff (with
  jitter) and a delayed task; permanent errors: FAILED, the plain-Chinese message shown and notified.
- Every call is a DeliveryAttempt row. A periodic sweeper re-queues rows whose lease expired
  (a crashed worker) or whose retry is due (a lost task).
- Withdrawal runs the same way in reverse (withdraw_state pending → done / failed).
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from govpub.audit import log as audit
from govpub.channels.models import ChannelKind
from govpub.notifications.notify import notify

from .connectors import DeliveryError, PermanentError, StillProcessing, TransientError, connector_for
from .connectors.manual import ManualWithdrawal
from .gate import send_problems
from .models import DeliveryAttempt, Publication, PublicationStatus, WithdrawState

logger = logging.getLogger(__name__)
API_KINDS = (ChannelKind.WECHAT, ChannelKind.WEIBO)
Outcome = DeliveryAttempt.Outcome
PUBLISH, WITHDRAW = DeliveryAttempt.Kind.PUBLISH, DeliveryAttempt.Kind.WITHDRAW


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def lease_seconds() -> float:
    return _setting("GOVPUB_DELIVERY_LEASE_SECONDS", 300)


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with jitter: base·2^(n-1), capped, scaled by 0.5–1.0 so retries spread out."""
    base = _setting("GOVPUB_DELIVERY_BACKOFF_BASE", 30)
    cap = _setting("GOVPUB_DELIVERY_BACKOFF_MAX", 3600)
    return min(cap, base * 2 ** max(attempt - 1, 0)) * random.uniform(0.5, 1.0)


def max_attempts() -> int:
    return int(_setting("GOVPUB_DELIVERY_MAX_ATTEMPTS", 12))


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


# --- enqueueing (called inside the publishing transactions) -------------------------------------
def enqueue_on_commit(pub_ids: list[int], kind: str) -> None:
    if not pub_ids:
        return

    def send():
        from .tasks import deliver_publication

        for pub_id in pub_ids:
            try:
                deliver_publication(pub_id, kind)
            except Exception:  # the queue being down loses nothing: the sweeper finds the row
                logger.exception("could not enqueue delivery of publication %s", pub_id)

    transaction.on_commit(send)


def schedule_publications(publications) -> None:
    """After the publish transaction commits, deliver the queued (new-media) publications."""
    enqueue_on_commit([p.pk for p in publications if p.status == PublicationStatus.QUEUED and p.column_id is None],
                       PUBLISH)


def request_withdrawal(publications) -> None:
    """Inside withdraw_item: what may be on a platform gets a pending withdrawal, run after commit."""
    status_before = {p.pk: p.status for p in publications}  # the caller may have marked them withdrawn since
    rows = Publication.objects.filter(pk__in=list(status_before)).select_related("channel")
    api = [p.pk for p in rows if p.column_id is None and p.channel.kind in API_KINDS]
    manual = [p.pk for p in rows if p.column_id is None and p.channel.kind not in API_KINDS
              and status_before[p.pk] == PublicationStatus.LIVE]
    Publication.objects.filter(pk__in=api + manual).update(
        withdraw_state=WithdrawState.PENDING, attempts=0, next_attempt_at=None, last_error="", last_error_code="")
    enqueue_on_commit(api, WITHDRAW)


# --- claiming ----------------------------------------------------------------------------------
def _needs_work(kind: str) -> Q:
    if kind == PUBLISH:
        return Q(status__in=[PublicationStatus.QUEUED, PublicationStatus.SENDING])
    return Q(status=PublicationStatus.WITHDRAWN, withdraw_state=WithdrawState.PENDING)


def _free(now) -> Q:
    return (Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)) & \
        (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def claim(pub_id: int, kind: str) -> Publication | None:
    """Take the lease on one row with a single conditional UPDATE (atomic on SQLite and PostgreSQL)."""
    now = timezone.now()
    token = uuid.uuid4().hex
    updates = {"claimed_until": now + timedelta(seconds=lease_seconds()), "claim_token": token,
               "attempts": F("attempts") + 1}
    if kind == PUBLISH:
        updates["status"] = PublicationStatus.SENDING
    won = Publication.objects.filter(_needs_work(kind) & _free(now), pk=pub_id).update(**updates)
    if not won:
        return None
    return Publication.objects.select_related("channel", "item__unit", "revision", "revision__cover").get(pk=pub_id)


class LeaseLost(Exception):
    """Another worker took the row over after our lease expired; stop touching it."""


# --- one attempt --------------------------------------------------------------------------------
def run(pub_id: int, kind: str = PUBLISH) -> str:
    """Claim and deliver (or withdraw) one publication once. Returns the attempt's outcome, or "skipped"."""
    outcome = _attempt(pub_id, kind)
    if kind == PUBLISH and outcome != "skipped":
        _withdraw_if_pending(pub_id)
    return outcome


def _attempt(pub_id: int, kind: str) -> str:
    clock = time.monotonic()
    with transaction.atomic():  # the claim and its attempt record commit together
        publication = claim(pub_id, kind)
        if publication is None:
            return "skipped"
        attempt = DeliveryAttempt.objects.create(publication=publication, kind=kind, number=publication.attempts,
                                                 started_at=timezone.now(), worker=_worker_name()[:80])
    token = publication.claim_token

    def save_state(state: dict, commit: bool = True) -> None:
        """Connectors report platform objects as they appear. commit=True writes at once (needed before a
        call that must never be repeated blindly, e.g. a submit); otherwise the state is written with the
        attempt's outcome, and a crash in between only costs a harmless duplicate draft or upload."""
        publication.remote_state = dict(state)
        if not commit:
            return
        done = Publication.objects.filter(pk=pub_id, claim_token=token).update(
            remote_state=publication.remote_state, claimed_until=timezone.now() + timedelta(seconds=lease_seconds()))
        if not done:
            raise LeaseLost()

    def finish(outcome: str, code: str = "", message: str = "") -> str:
        DeliveryAttempt.objects.filter(pk=attempt.pk).update(
            ended_at=timezone.now(), outcome=outcome, code=str(code)[:40], message=message[:500],
            duration_ms=int((time.monotonic() - clock) * 1000))
        return outcome

    result = _send_refusal(publication) if kind == PUBLISH else None
    if result is None:
        try:
            result = _call_connector(publication, kind, save_state)
        except Exception as error:  # (a dying worker's BaseException passes: the row stays claimed for the sweeper)
            result = error
    with transaction.atomic():  # the outcome, the row and the attempt record commit together
        return _settle(publication, token, kind, result, finish)


class NotSendable(PermanentError):
    """The channel was paused or closed, or the unit suspended, after the publication was queued."""


# remote_state keys by which a connector records that something may already exist on the platform.
REMOTE_OBJECT_KEYS = {"submitting", "publish_id", "article_id", "posting", "mid", "article_posting", "article_url"}


def _send_refusal(publication) -> NotSendable | None:
    """The gate's unit and channel conditions, asked again at every attempt: paused means paused."""
    problems = send_problems(publication.item.unit, [publication.channel])
    if not problems:
        return None
    return NotSendable("未发送：" + "；".join(problems) + "。恢复后可在发布记录中重新发送。", code="not_sendable")


def _call_connector(publication, kind, save_state):
    connector = connector_for(publication.channel)
    if kind == PUBLISH:
        return connector.publish(publication, save_state=save_state)
    connector.withdraw(publication, save_state=save_state)
    return None


def _settle(publication, token, kind, result, finish) -> str:
    pub_id = publication.pk
    try:
        if isinstance(result, Exception):
            raise result
    except LeaseLost:
        return finish(Outcome.TRANSIENT, "lease_lost", "处理时间过长，已由其他任务进程接手。")
    except ManualWithdrawal:
        _release(pub_id, token)
        return finish(Outcome.MANUAL, "", "该平台无接口，等待承办单位人工删除后确认。")
    except StillProcessing as error:
        _retry_later(publication, token, error, delay=_setting("GOVPUB_DELIVERY_POLL_SECONDS", 30), count=False)
        return finish(Outcome.PENDING, error.code, error.message)
    except TransientError as error:
        if publication.attempts >= max_attempts():
            _fail(publication, token, kind, PermanentError(
                f"已重试 {publication.attempts} 次仍未成功：{error.message}", code=error.code))
            return finish(Outcome.PERMANENT, error.code, error.message)
        _retry_later(publication, token, error, delay=backoff_seconds(publication.attempts))
        return finish(Outcome.TRANSIENT, error.code, error.message)
    except NotSendable as error:
        _hold_back(publication, token, error)
        return finish(Outcome.PERMANENT, error.code, error.message)
    except (PermanentError, ValidationError) as error:
        if isinstance(error, ValidationError):
            error = PermanentError("；".join(error.messages), code="invalid")
        _fail(publication, token, kind, error)
        return finish(Outcome.PERMANENT, error.code, error.message)
    except Exception as error:  # a bug must not lose the row: retried like a transient error, and logged
        logger.exception("delivery of publication %s failed unexpectedly", pub_id)
        wrapped = TransientError("系统内部错误，稍后将自动重试；如反复出现请联系系统管理员。", code="internal",
                                 detail=type(error).__name__)
        _retry_later(publication, token, wrapped, delay=backoff_seconds(publication.attempts))
        return finish(Outcome.TRANSIENT, wrapped.code, wrapped.message)
    if kind == PUBLISH:
        if result.manual:
            _release(pub_id, token, status=PublicationStatus.QUEUED)
            return finish(Outcome.MANUAL, "", "该平台无接口，已转为承办单位的人工发布任务。")
        _succeed_publish(publication, token, result)
    else:
        _succeed_withdraw(publication, token)
    return finish(Outcome.OK)


def _withdraw_if_pending(pub_id: int) -> None:
    """A withdrawal requested while this row was being sent found it busy; start it now the send has ended."""
    if Publication.objects.filter(pk=pub_id, status=PublicationStatus.WITHDRAWN,
                                  withdraw_state=WithdrawState.PENDING, channel__kind__in=API_KINDS).exists():
        _enqueue_now(pub_id, WITHDRAW)


def _release(pub_id: int, token: str, **extra) -> int:
    return Publication.objects.filter(pk=pub_id, claim_token=token).update(
        claimed_until=None, claim_token="", **extra)


def _state(publication) -> dict:
    return {"remote_state": publication.remote_state}


def _retry_later(publication, token: str, error: DeliveryError, *, delay: float, count: bool = True) -> None:
    due = timezone.now() + timedelta(seconds=delay)
    extra = {"next_attempt_at": due, "last_error": error.message[:500], "last_error_code": error.code[:40],
             **_state(publication)}
    if publication.status == PublicationStatus.SENDING:
        extra["status"] = PublicationStatus.QUEUED
    # Only rows still in SENDING go back to QUEUED: a withdrawal that landed meanwhile keeps its status.
    Publication.objects.filter(pk=publication.pk, claim_token=token, status=PublicationStatus.SENDING).update(
        claimed_until=None, claim_token="", **extra)
    extra.pop("status", None)
    _release(publication.pk, token, **extra)
    kind = PUBLISH if publication.status in (PublicationStatus.SENDING, PublicationStatus.QUEUED) else WITHDRAW

    from huey.contrib.djhuey import HUEY

    if not HUEY.immediate:  # immediate mode (tests) would run it now, recursively; the sweeper covers it
        from .tasks import deliver_publication

        def schedule():
            try:
                deliver_publication.schedule((publication.pk, kind), delay=delay)
            except Exception:  # the sweeper finds the row anyway
                logger.exception("could not schedule retry of publication %s", publication.pk)

        transaction.on_commit(schedule)


@transaction.atomic
def _fail(publication, token: str, kind: str, error: PermanentError) -> None:
    fields = {"last_error": error.message[:500], "last_error_code": error.code[:40], "next_attempt_at": None,
              **_state(publication)}
    if kind == PUBLISH:
        changed = Publication.objects.filter(pk=publication.pk, claim_token=token,
                                             status=PublicationStatus.SENDING).update(
            status=PublicationStatus.FAILED, **fields)
    else:
        changed = Publication.objects.filter(pk=publication.pk, claim_token=token).update(
            withdraw_state=WithdrawState.FAILED, **fields)
    _release(publication.pk, token, **({} if changed else fields))
    what = "发送到" if kind == PUBLISH else "从平台撤下"
    message = f"{what}“{publication.channel.name}”失败：{error.message}"
    audit.record(f"publication.{kind}_failed", obj=publication, unit=publication.item.unit_id,
                 details={"code": error.code, "message": error.message, "attempts": publication.attempts})
    item = publication.item
    notify([publication.published_by, item.author], item, f"{kind}_failed", message)


@transaction.atomic
def _hold_back(publication, token: str, error: NotSendable) -> None:
    """Fail the send; if an earlier attempt may have left something on the platform, take it down too."""
    if not REMOTE_OBJECT_KEYS & set(publication.remote_state or {}):
        _fail(publication, token, PUBLISH, error)
        return
    Publication.objects.filter(pk=publication.pk, claim_token=token, status=PublicationStatus.SENDING).update(
        status=PublicationStatus.WITHDRAWN, withdrawn_at=timezone.now(), withdraw_state=WithdrawState.PENDING,
        attempts=0, next_attempt_at=None, last_error=error.message[:500], last_error_code=error.code,
        **_state(publication))
    _release(publication.pk, token)
    audit.record("publication.held_back", obj=publication, unit=publication.item.unit_id,
                 details={"code": error.code, "message": error.message})
    item = publication.item
    notify([publication.published_by, item.author], item, "publish_failed",
           f"“{publication.channel.name}”{error.message}已提交到平台的部分将被撤下。")
    enqueue_on_commit([publication.pk], WITHDRAW)


@transaction.atomic
def _succeed_publish(publication, token: str, result) -> None:
    now = timezone.now()
    fields = {"remote_id": result.remote_id[:200], "url": (result.url or "")[:500], "last_error": "",
              "last_error_code": "", "next_attempt_at": None, **_state(publication)}
    went_live = Publication.objects.filter(pk=publication.pk, claim_token=token,
                                           status=PublicationStatus.SENDING).update(
        status=PublicationStatus.LIVE, live_at=now, **fields)
    # Withdrawn (or superseded) while sending: keep what the platform holds, so the withdrawal removes it.
    _release(publication.pk, token, **({} if went_live else fields))
    if went_live:
        audit.record("publication.delivered", obj=publication, unit=publication.item.unit_id,
                     details={"remote_id": result.remote_id, "url": result.url, "attempts": publication.attempts})


@transaction.atomic
def _succeed_withdraw(publication, token: str) -> None:
    Publication.objects.filter(pk=publication.pk, claim_token=token).update(
        withdraw_state=WithdrawState.DONE, last_error="", last_error_code="", next_attempt_at=None,
        **_state(publication))
    _release(publication.pk, token)
    audit.record("publication.remote_withdrawn", obj=publication, unit=publication.item.unit_id,
                 details={"remote_id": publication.remote_id})


# --- the sweeper and helpers ---------------------------------------------------------------------
def due(kind: str, limit: int = 500) -> list[int]:
    """Rows that need a worker now: never tried, retry due, or lease expired (a crashed worker)."""
    now = timezone.now()
    return list(Publication.objects.filter(_needs_work(kind) & _free(now), channel__kind__in=API_KINDS,
                                           column__isnull=True)
                .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])


def sweep(limit: int = 500) -> int:
    """Re-queue every due delivery. Double enqueueing is harmless: only one claim can win."""
    from .tasks import deliver_publication

    count = 0
    for kind in (PUBLISH, WITHDRAW):
        for pub_id in due(kind, limit):
            deliver_publication(pub_id, kind)
            count += 1
    return count


def run_due(kind: str = PUBLISH, limit: int = 500) -> dict[str, int]:
    """Run due deliveries in this thread (tests, benchmarks, `manage` use)."""
    counts: dict[str, int] = {}
    for pub_id in due(kind, limit):
        outcome = run(pub_id, kind)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def apply_wechat_publish_event(channel_id: int, publish_id: str, status: int, article_id: str, url: str) -> int:
    """The PUBLISHJOBFINISH push: record the outcome on the row and let a worker finish it now."""
    rows = Publication.objects.filter(channel_id=channel_id, remote_state__publish_id=str(publish_id))
    count = 0
    for publication in rows:
        state = dict(publication.remote_state)
        if status == 0 and article_id:
            state.update(article_id=article_id, url=url)
        Publication.objects.filter(pk=publication.pk).update(remote_state=state, next_attempt_at=None)
        kind = PUBLISH if publication.status in (PublicationStatus.QUEUED, PublicationStatus.SENDING) else WITHDRAW
        enqueue_on_commit([publication.pk], kind) if transaction.get_connection().in_atomic_block else \
            _enqueue_now(publication.pk, kind)
        count += 1
    return count


def _enqueue_now(pub_id: int, kind: str) -> None:
    from .tasks import deliver_publication

    deliver_publication(pub_id, kind)
