import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from tests.testapp.factories import SubmissionFactory

from kenes.accounts.tests.factories import UserFactory
from kenes.audit.models import Event
from kenes.notifications.models import Notification
from kenes.obligations import services, uploads
from kenes.obligations.models import (
    Commitment,
    Evidence,
    Kind,
    Milestone,
    Obligation,
    Rating,
    Response,
    ResponseAttachment,
    Step,
)
from kenes.obligations.tests.factories import (
    CommitmentFactory,
    ObligationFactory,
    ResponseFactory,
    member,
    staffed_body,
)
from kenes.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 4, 1)  # a Wednesday
REASONS = "The request is justified and the works are funded this year."


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 4, 1, 6, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def supervisor(db):
    return staffed_body()


@pytest.fixture
def body(supervisor):
    return staffed_body(supervising_body=supervisor)


@pytest.fixture
def officer(body):
    return member(body, "officer")


@pytest.fixture
def head(body):
    return member(body, "head")


@pytest.fixture
def obligation(body, alice):
    submission = SubmissionFactory(author=alice, organization=body)
    return ObligationFactory(submission=submission, opened_on=TODAY, deadline=D(2026, 4, 22))


@pytest.fixture
def response(obligation, officer):
    return services.obligation_respond(
        actor=officer, obligation=obligation, decision=Response.Decision.ACCEPTED, reasons=REASONS
    )


def actions():
    return list(Event.objects.filter(action__startswith="obligations.").values_list("action", flat=True))


def pdf(name="answer.pdf", content=b"%PDF-1.7\n1 0 obj\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- open ----------------------------------------------------------------------------------------


def test_it_opens_with_the_deadline_from_the_rule_a_step_an_event_and_an_acknowledgement(body, alice):
    submission = SubmissionFactory(author=alice, organization=body)
    obligation = services.obligation_open(
        actor=None, subject=submission, organization=body, kind=Kind.APPEAL, title="Bridge", author=alice
    )
    assert (obligation.country, obligation.opened_on, obligation.deadline) == ("KZ", TODAY, D(2026, 4, 22))
    assert obligation.subject == submission
    assert list(obligation.steps.values_list("kind", flat=True)) == [Step.Kind.OPENED]
    assert actions() == ["obligations.obligation.opened"]
    [notice] = Notification.objects.filter(recipient=alice)
    assert f"No. {obligation.pk}" in notice.title
    assert "22" in notice.body


def test_it_refuses_a_second_live_obligation_of_the_same_kind_for_the_same_subject(obligation):
    with pytest.raises(ValidationError, match="already has an open obligation"):
        services.obligation_open(
            actor=None,
            subject=obligation.subject,
            organization=obligation.organization,
            kind=Kind.APPEAL,
            title="Again",
        )


def test_it_refuses_an_unknown_kind(body, alice):
    with pytest.raises(ValidationError):
        services.obligation_open(
            actor=None, subject=SubmissionFactory(), organization=body, kind="nonsense", title="X"
        )


# --- reasons ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reasons", ["", "   \n ", "Rejected.", "No money now", "Not our problem at all"[:19]]
)
def test_it_refuses_a_trivial_reason(obligation, officer, reasons):
    with pytest.raises(ValidationError) as error:
        services.obligation_respond(
            actor=officer, obligation=obligation, decision="rejected", reasons=reasons
        )
    assert error.value.code == "trivial_reason"
    obligation.refresh_from_db()
    assert obligation.state == Obligation.State.OPEN
    assert not Response.objects.exists()


def test_it_accepts_the_shortest_reason_the_rule_allows():
    assert services.check_reason("  Funds are not there.  ") == "Funds are not there."  # 3+ words, 20 chars
    with pytest.raises(ValidationError):
        services.check_reason("Funds not there")  # 15 characters


# --- respond ---------------------------------------------------------------------------------------


def test_it_records_a_reasoned_response_on_time_with_working_days_taken(obligation, officer, alice):
    with time_machine.travel(datetime.datetime(2026, 4, 8, 6, tzinfo=datetime.UTC), tick=False):
        response = services.obligation_respond(
            actor=officer, obligation=obligation, decision="accepted", reasons=REASONS, attachments=[pdf()]
        )
    obligation.refresh_from_db()
    assert obligation.state == Obligation.State.ANSWERED
    assert obligation.answered_at is not None and obligation.closed_at is not None
    assert (response.on_time, response.working_days_taken, response.organization) == (
        True,
        5,
        obligation.organization,
    )
    [attachment] = ResponseAttachment.objects.all()
    assert (attachment.name, attachment.content_type) == ("answer.pdf", "application/pdf")
    assert Notification.objects.filter(recipient=alice, event="obligations.answered").count() == 1
    assert "obligations.response.created" in actions()


def test_it_marks_a_late_response_as_not_on_time(obligation, officer):
    with time_machine.travel(datetime.datetime(2026, 4, 23, 6, tzinfo=datetime.UTC), tick=False):
        response = services.obligation_respond(
            actor=officer, obligation=obligation, decision="rejected", reasons=REASONS
        )
    assert response.on_time is False


def test_it_refuses_to_answer_twice_or_an_obligation_that_is_not_live(obligation, officer, response):
    with pytest.raises(PermissionDenied):  # the perm covers live obligations only
        services.obligation_respond(
            actor=officer, obligation=obligation, decision="accepted", reasons=REASONS
        )
    assert Response.objects.count() == 1


def test_it_refuses_when_the_obligation_closed_after_the_permission_check(obligation, officer):
    stale, also_stale = Obligation.objects.get(pk=obligation.pk), Obligation.objects.get(pk=obligation.pk)
    Obligation.objects.filter(pk=obligation.pk).update(state=Obligation.State.WITHDRAWN)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.obligation_extend(
            actor=officer, obligation=stale, new_deadline=D(2026, 5, 4), reason=REASONS
        )
    with pytest.raises(ValidationError, match="withdrawn"):
        services.obligation_respond(
            actor=officer, obligation=also_stale, decision="accepted", reasons=REASONS
        )
    assert not obligation.extensions.exists() and not Response.objects.exists()


def test_it_keeps_one_response_per_obligation_in_the_database(response):
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponseFactory(obligation=response.obligation)


def test_it_refuses_a_response_from_an_outsider_or_an_ordinary_member(obligation, charlie, body):
    ordinary = MembershipFactory(organization=body).user
    for actor in (charlie, ordinary, obligation.author):
        with pytest.raises(PermissionDenied):
            services.obligation_respond(
                actor=actor, obligation=obligation, decision="accepted", reasons=REASONS
            )


def test_it_records_not_competent_as_a_reasoned_response(obligation, officer):
    response = services.obligation_respond(
        actor=officer,
        obligation=obligation,
        decision="not_competent",
        reasons="Only the court can decide this dispute.",
    )
    assert response.decision == Response.Decision.NOT_COMPETENT


def test_it_refuses_an_unknown_decision(obligation, officer):
    with pytest.raises(ValidationError):
        services.obligation_respond(actor=officer, obligation=obligation, decision="maybe", reasons=REASONS)


# --- uploads ---------------------------------------------------------------------------------------


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", b"%PDF-1.4 x", "application/pdf"),
        ("a.PNG", b"\x89PNG\r\n\x1a\nrest", "image/png"),
        ("a.jpeg", b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        ("a.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("a.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("a.txt", "Жауап мәтіні".encode(), "text/plain"),
    ],
)
def test_it_accepts_the_allowed_file_types(name, content, content_type):
    assert uploads.check_upload(SimpleUploadedFile(name, content)).content_type == content_type


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.exe", b"MZ\x90\x00"),
        ("a.pdf", b"MZ\x90\x00 not a pdf"),
        ("a.docx", b"PK\x03\x04 broken zip"),
        ("a.odt", docx_bytes()),
        ("a.txt", b"\x00\x01\x02binary"),
        ("a.html", b"<script>alert(1)</script>"),
        ("a.pdf", b""),
    ],
)
def test_it_refuses_files_by_extension_and_by_content(name, content):
    with pytest.raises(ValidationError):
        uploads.check_upload(SimpleUploadedFile(name, content))


def test_it_refuses_big_files_and_too_many_files(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ValidationError, match="larger"):
        uploads.check_upload(pdf(content=b"%PDF-" + b"x" * 10))
    with pytest.raises(ValidationError, match="At most 5"):
        uploads.check_uploads([pdf() for _ in range(6)])


def test_it_reduces_file_names_to_a_safe_slug():
    assert uploads.safe_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert uploads.safe_name("..\\..\\Отчёт за 2026.PDF") == "отчёт-за-2026.pdf"
    assert uploads.safe_name("???.pdf") == "file.pdf"
    assert uploads.safe_name("report.exe") == "report"


def test_it_stores_nothing_when_an_attachment_is_refused(obligation, officer):
    with pytest.raises(ValidationError):
        services.obligation_respond(
            actor=officer,
            obligation=obligation,
            decision="accepted",
            reasons=REASONS,
            attachments=[pdf("x.pdf", b"nope")],
        )
    assert not Response.objects.exists()
    obligation.refresh_from_db()
    assert obligation.is_live


# --- assign ----------------------------------------------------------------------------------------


def test_it_lets_the_head_assign_a_member_who_is_told(obligation, head, officer):
    services.obligation_assign(actor=head, obligation=obligation, officer=officer)
    obligation.refresh_from_db()
    assert obligation.assigned_to == officer
    assert Notification.objects.filter(recipient=officer, event="obligations.assigned").count() == 1
    assert obligation.steps.filter(kind=Step.Kind.ASSIGNED).exists()


def test_it_refuses_assignment_to_a_non_member_or_by_a_non_head(obligation, head, officer, charlie):
    with pytest.raises(ValidationError, match="member"):
        services.obligation_assign(actor=head, obligation=obligation, officer=charlie)
    with pytest.raises(PermissionDenied):
        services.obligation_assign(actor=officer, obligation=obligation, officer=officer)


# --- extend ----------------------------------------------------------------------------------------


def test_it_extends_once_within_the_limit_and_tells_the_author(obligation, officer, alice):
    extension = services.obligation_extend(
        actor=officer,
        obligation=obligation,
        new_deadline=D(2026, 5, 29),
        reason="An expert survey of the bridge is needed.",
    )
    obligation.refresh_from_db()
    assert (obligation.state, obligation.deadline, obligation.original_deadline) == (
        "extended",
        D(2026, 5, 29),
        D(2026, 4, 22),
    )
    assert (extension.old_deadline, extension.decided_by) == (D(2026, 4, 22), officer)
    assert Notification.objects.filter(recipient=alice, event="obligations.extended").count() == 1
    with pytest.raises(ValidationError, match="only 1 time"):
        services.obligation_extend(
            actor=officer, obligation=obligation, new_deadline=D(2026, 5, 29), reason=REASONS
        )


def test_it_refuses_an_extension_beyond_the_limit_and_says_the_limit(obligation, officer):
    # opened 1 April 2026: two months in all → 1 June 2026 (a Monday)
    with pytest.raises(ValidationError) as error:
        services.obligation_extend(
            actor=officer, obligation=obligation, new_deadline=D(2026, 6, 2), reason=REASONS
        )
    assert error.value.code == "beyond_limit"
    assert "June 1, 2026" in error.value.messages[0]
    services.obligation_extend(
        actor=officer, obligation=obligation, new_deadline=D(2026, 6, 1), reason=REASONS
    )


@pytest.mark.parametrize(
    ("new_deadline", "code"),
    [(D(2026, 4, 22), "not_later"), (D(2026, 4, 10), "not_later"), (D(2026, 5, 30), "day_off")],
)
def test_it_refuses_an_extension_that_does_not_move_forward_or_ends_on_a_day_off(
    obligation, officer, new_deadline, code
):
    with pytest.raises(ValidationError) as error:
        services.obligation_extend(
            actor=officer, obligation=obligation, new_deadline=new_deadline, reason=REASONS
        )
    assert error.value.code == code
    assert not obligation.extensions.exists()


def test_it_refuses_an_extension_without_reasons_by_an_outsider_or_once_overdue(obligation, officer, charlie):
    with pytest.raises(ValidationError):
        services.obligation_extend(
            actor=officer, obligation=obligation, new_deadline=D(2026, 5, 4), reason="later"
        )
    with pytest.raises(PermissionDenied):
        services.obligation_extend(
            actor=charlie, obligation=obligation, new_deadline=D(2026, 5, 4), reason=REASONS
        )
    Obligation.objects.filter(pk=obligation.pk).update(
        state=Obligation.State.OVERDUE, opened_on=D(2026, 3, 2), deadline=D(2026, 3, 31)
    )
    obligation.refresh_from_db()
    with pytest.raises(ValidationError, match="passed"):
        services.obligation_extend(
            actor=officer, obligation=obligation, new_deadline=D(2026, 5, 4), reason=REASONS
        )


def test_it_refuses_an_extension_when_the_rule_allows_none(obligation, officer):
    from kenes.obligations.models import DeadlineRule

    DeadlineRule.objects.filter(country="KZ", kind=Kind.APPEAL).update(max_extensions=0)
    with pytest.raises(ValidationError, match="no extension"):
        services.obligation_extend(
            actor=officer, obligation=obligation, new_deadline=D(2026, 5, 4), reason=REASONS
        )


# --- redirect --------------------------------------------------------------------------------------


def test_it_redirects_to_the_competent_body_with_a_fresh_deadline(obligation, officer, alice):
    competent = staffed_body()
    with time_machine.travel(datetime.datetime(2026, 4, 3, 6, tzinfo=datetime.UTC), tick=False):
        new = services.obligation_redirect(
            actor=officer, obligation=obligation, to_organization=competent, reason=REASONS
        )
    obligation.refresh_from_db()
    assert (obligation.state, obligation.redirection.to_organization) == (
        Obligation.State.REDIRECTED,
        competent,
    )
    assert (new.organization, new.redirected_from, new.opened_on, new.state) == (
        competent,
        obligation,
        D(2026, 4, 3),
        "open",
    )
    assert new.deadline == D(2026, 4, 24)  # 15 working days from Friday 3 April
    assert (new.subject, new.author, new.kind) == (obligation.subject, alice, obligation.kind)
    assert Notification.objects.filter(recipient=alice, event="obligations.redirected").count() == 1


def test_it_refuses_a_redirect_to_the_same_body_or_another_country_or_without_reasons(
    obligation, officer, body
):
    with pytest.raises(ValidationError, match="another body"):
        services.obligation_redirect(
            actor=officer, obligation=obligation, to_organization=body, reason=REASONS
        )
    with pytest.raises(ValidationError, match="same country"):
        services.obligation_redirect(
            actor=officer, obligation=obligation, to_organization=staffed_body(country="KG"), reason=REASONS
        )
    with pytest.raises(ValidationError):
        services.obligation_redirect(
            actor=officer, obligation=obligation, to_organization=staffed_body(), reason="wrong"
        )
    obligation.refresh_from_db()
    assert obligation.state == Obligation.State.OPEN
    assert Obligation.objects.count() == 1


# --- withdraw --------------------------------------------------------------------------------------


def test_it_lets_the_author_withdraw_a_live_obligation(obligation, alice, officer):
    services.obligation_withdraw(actor=alice, obligation=obligation, reason="Solved")
    obligation.refresh_from_db()
    assert (obligation.state, obligation.closed_at is not None) == (Obligation.State.WITHDRAWN, True)
    with pytest.raises(PermissionDenied):
        services.obligation_withdraw(actor=alice, obligation=obligation, reason="Again")


def test_it_refuses_a_withdrawal_by_someone_else_or_without_a_reason(obligation, officer, alice):
    with pytest.raises(PermissionDenied):
        services.obligation_withdraw(actor=officer, obligation=obligation, reason="Solved")
    with pytest.raises(ValidationError):
        services.obligation_withdraw(actor=alice, obligation=obligation, reason="  ")


# --- rating and contest ----------------------------------------------------------------------------


def test_it_lets_the_author_rate_and_change_the_rating(response, alice):
    services.response_rate(actor=alice, response=response, score=2, comment="Vague")
    rating = services.response_rate(actor=alice, response=response, score=4)
    assert (Rating.objects.count(), rating.score) == (1, 4)
    assert actions()[-2:] == ["obligations.rating.created", "obligations.rating.updated"]


@pytest.mark.parametrize("score", [0, 6])
def test_it_refuses_a_score_outside_one_to_five(response, alice, score):
    with pytest.raises(ValidationError):
        services.response_rate(actor=alice, response=response, score=score)


def test_it_keeps_scores_in_range_in_the_database(response, alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(response=response, author=alice, score=9)


def test_it_refuses_a_rating_by_anyone_but_the_author(response, officer, charlie):
    for actor in (officer, charlie):
        with pytest.raises(PermissionDenied):
            services.response_rate(actor=actor, response=response, score=5)


def test_it_opens_a_contest_at_the_supervising_body_once(response, alice, supervisor):
    contest = services.response_contest(
        actor=alice, response=response, reason="The answer ignores the safety report I attached."
    )
    assert (contest.kind, contest.organization, contest.contest_of, contest.author) == (
        Kind.CONTEST,
        supervisor,
        response,
        alice,
    )
    assert contest.subject == response.obligation.subject
    assert contest.steps.get().kind == Step.Kind.CONTESTED
    assert (
        Notification.objects.filter(
            event="obligations.contested", recipient=member(supervisor, "head")
        ).count()
        == 1
    )
    with pytest.raises(PermissionDenied):
        services.response_contest(
            actor=alice, response=response, reason="The answer ignores the safety report again."
        )


def test_it_refuses_a_contest_without_a_supervising_body_or_by_another_person(alice, charlie):
    lonely = staffed_body()
    obligation = ObligationFactory(submission=SubmissionFactory(author=alice, organization=lonely))
    response = ResponseFactory(obligation=obligation, organization=lonely)
    with pytest.raises(PermissionDenied):
        services.response_contest(actor=charlie, response=response, reason=REASONS)
    with pytest.raises(ValidationError, match="no supervising body"):
        services.response_contest(actor=alice, response=response, reason=REASONS)


# --- commitments -----------------------------------------------------------------------------------


def test_it_creates_a_commitment_with_milestones_from_an_accepted_response(response, officer, alice):
    commitment = services.commitment_create(
        actor=officer,
        response=response,
        title="Repair",
        milestones=[("Design", D(2026, 5, 1)), ("Works", D(2026, 7, 1))],
    )
    assert list(commitment.milestones.values_list("title", flat=True)) == ["Design", "Works"]
    assert commitment.status == Commitment.Status.PLANNED
    assert Notification.objects.filter(recipient=alice, event="obligations.commitment").count() == 1


def test_it_refuses_a_commitment_from_a_rejected_response_or_by_an_outsider(obligation, officer, charlie):
    rejected = services.obligation_respond(
        actor=officer, obligation=obligation, decision="rejected", reasons=REASONS
    )
    with pytest.raises(ValidationError, match="accepted"):
        services.commitment_create(actor=officer, response=rejected, title="Nothing")
    with pytest.raises(PermissionDenied):
        services.commitment_create(actor=charlie, response=rejected, title="Nothing")


def test_it_delivers_milestones_and_then_the_commitment(response, officer):
    commitment = services.commitment_create(
        actor=officer,
        response=response,
        title="Repair",
        milestones=[("Design", D(2026, 3, 30)), ("Works", D(2026, 7, 1))],
    )
    first, second = commitment.milestones.all()
    late = services.milestone_deliver(actor=officer, milestone=first)
    commitment.refresh_from_db()
    assert (late.delivered_on_time, commitment.status) == (False, Commitment.Status.IN_PROGRESS)
    on_time = services.milestone_deliver(actor=officer, milestone=second)
    commitment.refresh_from_db()
    assert (on_time.delivered_on_time, commitment.status) == (True, Commitment.Status.DELIVERED)
    assert commitment.delivered_at is not None
    with pytest.raises(ValidationError, match="already been delivered"):
        services.milestone_deliver(actor=officer, milestone=second)
    with pytest.raises(ValidationError, match="delivered"):
        services.milestone_add(actor=officer, commitment=commitment, title="More", due_on=D(2026, 8, 1))


def test_it_adds_milestones_and_evidence_only_for_the_body(officer, charlie):
    commitment = CommitmentFactory(response__obligation__organization=officer.memberships.get().organization)
    commitment.organization = commitment.response.obligation.organization
    commitment.save()
    milestone = services.milestone_add(
        actor=officer, commitment=commitment, title="Design", due_on=D(2026, 5, 1)
    )
    evidence = services.evidence_add(
        actor=officer, milestone=milestone, description="Signed design", file=pdf("design.pdf")
    )
    assert (evidence.name, evidence.content_type, Evidence.objects.count()) == (
        "design.pdf",
        "application/pdf",
        1,
    )
    with pytest.raises(ValidationError):
        services.evidence_add(actor=officer, milestone=milestone, description=" ")
    with pytest.raises(PermissionDenied):
        services.milestone_add(actor=charlie, commitment=commitment, title="X", due_on=D(2026, 5, 1))
    with pytest.raises(PermissionDenied):
        services.milestone_deliver(actor=charlie, milestone=milestone)
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.PENDING


def test_it_records_who_acted_in_every_step(obligation, officer):
    services.obligation_respond(actor=officer, obligation=obligation, decision="explained", reasons=REASONS)
    step = obligation.steps.get(kind=Step.Kind.ANSWERED)
    assert (step.actor, step.organization, step.subject_id) == (
        officer,
        obligation.organization,
        obligation.subject_id,
    )


def test_it_tells_followers_of_a_public_subject_but_not_of_a_private_one(body, officer, charlie, alice):
    from tests.testapp.models import Submission

    from kenes.notifications.registry import register_followable, unregister_followable
    from kenes.notifications.services import follow

    register_followable(Submission)
    try:
        public = ObligationFactory(submission=SubmissionFactory(author=alice, organization=body))
        private = ObligationFactory(
            submission=SubmissionFactory(author=alice, organization=body), is_private=True
        )
        follow(actor=charlie, subject=public.subject)
        follow(actor=charlie, subject=private.subject)
        for obligation in (public, private):
            services.obligation_respond(
                actor=officer, obligation=obligation, decision="explained", reasons=REASONS
            )
    finally:
        unregister_followable(Submission)
    notices = Notification.objects.filter(recipient=charlie, event="obligations.answered")
    assert list(notices.values_list("subject_id", flat=True)) == [public.subject.pk]
    assert UserFactory  # the factory module stays importable for helpers
