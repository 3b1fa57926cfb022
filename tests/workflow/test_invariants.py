"""Hypothesis stateful test of the workflow invariants (DESIGN.md §2: 1–4, 8)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from govpub.audit.log import verify_chain
from govpub.content import actions as content_actions
from govpub.content.models import Item
from govpub.orgs import actions as org_actions
from govpub.orgs.models import Person, Role, Unit
from govpub.publishing import actions as publishing_actions
from govpub.publishing.models import Publication
from govpub.review import actions as review_actions
from govpub.review.evidence import acknowledged
from govpub.review.models import CHECKLIST_KEYS, Decision, ReviewRun, RunStatus
from govpub.review.policy import SEPARATED_STEPS, STEP_ROLE, required_steps

PEOPLE = ["demo-editor", "demo-editor2", "demo-office-head", "demo-deputy", "demo-principal", "yanji-office-head",
          "demo-supervisor", "demo-multi"]
EXPECTED_REFUSALS = (PermissionDenied, ValidationError)
STATS = {"published": 0}


def _answers(all_pass: bool):
    answers = {key: True for key in CHECKLIST_KEYS}
    if not all_pass:
        answers["political"] = False
    return answers


class Workflow(RuleBasedStateMachine):
    """Random edits, submits, decisions (eligible or not, current or stale hash) and publishes on one item."""

    def __init__(self):
        super().__init__()
        self.people = {name: Person.objects.get(username=name) for name in PEOPLE}
        self.unit = Unit.objects.get(name="区党政办公室")
        self.hashes_seen = []

    @initialize(major=st.booleans())
    def create(self, major):
        target = [t.key for t in __import__("govpub.channels.targets", fromlist=["x"]).allowed_targets(self.unit)
                  if t.key.startswith("column:")][0]
        extra = {"major": True, "major_reason": "重大部署"} if major else {}
        self.item = content_actions.create_item(
            acting_user=self.people["demo-editor"], unit=self.unit, title="推进会召开", targets=[target],
            body_html="<p>区党政办公室召开推进会。</p>", **extra)
        self.hashes_seen.append(self.item.current_revision.content_hash)

    def _item(self) -> Item:
        return Item.objects.select_related("current_revision").get(pk=self.item.pk)

    @rule(who=st.sampled_from(PEOPLE), text=st.sampled_from(["一", "二", "三"]), major=st.booleans())
    def edit(self, who, text, major):
        changes = {"body_html": f"<p>区党政办公室召开推进会{text}。</p>"}
        if major:
            changes.update(major=True, major_reason="重大部署")
        try:
            revision, _ = content_actions.save_revision(self.item, acting_user=self.people[who], **changes)
            self.hashes_seen.append(revision.content_hash)
        except EXPECTED_REFUSALS:
            pass

    @rule(who=st.sampled_from(PEOPLE))
    def submit(self, who):
        try:
            review_actions.submit_for_review(self.item, acting_user=self.people[who])
        except EXPECTED_REFUSALS:
            pass

    @rule(who=st.sampled_from(PEOPLE), outcome=st.sampled_from(["approve", "approve", "approve", "return", "reject"]),
          stale=st.booleans(), all_pass=st.booleans())
    def decide(self, who, outcome, stale, all_pass):
        item = self._item()
        digest = self.hashes_seen[0] if stale else item.current_revision.content_hash
        try:
            review_actions.record_decision(item, acting_user=self.people[who], revision_hash=digest, decision=outcome,
                                           checklist=_answers(all_pass), confidentiality_ok=True, proofread_ok=True,
                                           comment="意见", point_notes=acknowledged(item.current_revision))
        except EXPECTED_REFUSALS:
            pass

    @rule(who=st.sampled_from(PEOPLE), stale=st.booleans())
    def publish(self, who, stale):
        item = self._item()
        digest = self.hashes_seen[0] if stale else item.current_revision.content_hash
        try:
            publishing_actions.publish_item(item, acting_user=self.people[who], revision_hash=digest)
        except EXPECTED_REFUSALS:
            pass

    @rule(pick=st.integers(min_value=0, max_value=10))
    def advance(self, pick):
        """Take the legitimate next step, so that random runs do reach approval and publication."""
        from govpub.review.policy import eligible_reviewers

        item = self._item()
        try:
            if item.state in ("draft", "returned"):
                review_actions.submit_for_review(item, acting_user=self.people["demo-editor"])
            elif item.state == "in_review":
                run = ReviewRun.objects.get(item=item, status=RunStatus.ACTIVE)
                candidates = [p for p in eligible_reviewers(item, run, run.next_step) if p.username in PEOPLE]
                if candidates:
                    review_actions.record_decision(
                        item, acting_user=candidates[pick % len(candidates)],
                        revision_hash=item.current_revision.content_hash, decision="approve",
                        checklist=_answers(True), confidentiality_ok=True, proofread_ok=True,
                        point_notes=acknowledged(item.current_revision))
            elif item.state == "approved":
                publishing_actions.publish_item(item, acting_user=self.people["demo-editor2"],
                                                revision_hash=item.current_revision.content_hash)
                STATS["published"] += 1
        except EXPECTED_REFUSALS:
            pass

    @invariant()
    def nothing_published_without_every_approval_of_that_revision(self):
        for publication in Publication.objects.filter(item_id=getattr(self, "item", Item()).pk):
            revision = publication.revision
            assert publication.revision_hash == revision.content_hash
            runs = ReviewRun.objects.filter(revision=revision, status=RunStatus.APPROVED)
            assert any(
                set(run.steps) == set(required_steps(revision.major))
                and all(run.decisions.filter(step=step, decision="approve", revision_hash=revision.content_hash).exists()
                        for step in run.steps)
                for run in runs
            ), "published without every required approval of the exact revision"

    @invariant()
    def every_decision_by_an_eligible_person(self):
        if not hasattr(self, "item"):
            return
        for decision in Decision.objects.filter(run__item=self.item).select_related("reviewer", "run"):
            held = set(decision.reviewer.roles.active().filter(unit=self.unit).values_list("role", flat=True))
            assert STEP_ROLE[decision.step] in held
            if decision.step in SEPARATED_STEPS:
                assert decision.reviewer_id != self.item.author_id
            assert decision.revision_hash == decision.run.revision_hash

    @invariant()
    def no_person_approves_two_separated_steps(self):
        if not hasattr(self, "item"):
            return
        for run in ReviewRun.objects.filter(item=self.item):
            approvers = [d.reviewer_id for d in run.decisions.filter(decision="approve", step__in=SEPARATED_STEPS)]
            assert len(approvers) == len(set(approvers))

    @invariant()
    def audit_chain_verifies(self):
        assert verify_chain().ok


@pytest.mark.django_db
def test_workflow_invariants_hold_under_random_operations():
    admin = Person.objects.get(username="demo-admin")
    unit = Unit.objects.get(name="区党政办公室")
    # One person holding every reviewing role tempts the separation-of-duties rule.
    multi = org_actions.create_person(acting_user=admin, username="demo-multi", full_name="多角色",
                                      password="Multi-role-2026")
    for role in (Role.EDITOR, Role.OFFICE_HEAD, Role.DEPUTY, Role.PRINCIPAL):
        org_actions.grant_role(acting_user=admin, person=multi, unit=unit, role=role)
    runner = Workflow.TestCase()
    runner.settings = settings(max_examples=30, stateful_step_count=25, deadline=None,
                               suppress_health_check=list(HealthCheck))
    runner.runTest()
    assert STATS["published"] > 0, "the random runs never reached publication: the test would prove nothing"


@pytest.mark.django_db
def test_whoever_wrote_part_of_the_revision_may_not_approve_it_at_second_review(make_item):
    """Issue 12 item 3: the office head also holds the editor role, edits the item, then cannot do 复审."""
    from govpub.orgs.models import RoleAssignment
    from govpub.review.models import Step
    from govpub.review.policy import eligible_reviewers

    from .conftest import decide, people

    head = people("demo-office-head")
    RoleAssignment.objects.create(person=head, unit=Unit.objects.get(name="区党政办公室"), role=Role.EDITOR)
    item = make_item()
    content_actions.save_revision(item, acting_user=head, body_html="<p>承办机构负责人改写的一段正文。</p>")
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    decide(item, "first_review")
    with pytest.raises(PermissionDenied, match="撰稿人"):
        decide(item, "second_review")
    item.refresh_from_db()
    run = item.review_runs.get(status="active")
    assert head not in eligible_reviewers(item, run, Step.SECOND)
