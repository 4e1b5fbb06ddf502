"""The petition pages over HTTP: who may see and do what (200, 403, 404, login), forms that keep
the input, likely duplicates before a draft is saved, signing and withdrawing, the e-mail
confirmation (GET shows a button and changes nothing, POST confirms), moderation, held-back
signatures, the answer, Russian pages, and pinned query counts on the lists and the detail page."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from kenes.obligations.models import Commitment, Kind, Milestone, Obligation, Response
from kenes.organizations.models import Organization
from kenes.organizations.tests.factories import OrganizationFactory
from kenes.petitions.models import CountWatermark, Petition, RegionCount, Signature
from kenes.petitions.tests.factories import (
    PetitionFactory,
    SignatureFactory,
    TopicFactory,
    confirmation_token,
)
from kenes.territories.tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db

REASON = "The petition asks the body for something that is not within its powers at all."


@pytest.fixture(autouse=True)
def english():
    """Pages in English unless a test asks for another language (a request to /ru/ leaves Russian
    active in the thread)."""
    with translation.override("en"):
        yield


def url(name, *args):
    return reverse(f"petitions:{name}", args=args)


def html_of(response):
    return response.content.decode()


@pytest.fixture
def draft(alice, body, region, topic):
    return PetitionFactory(author=alice, addressee=body, territory=region, topic=topic, state="draft")


@pytest.fixture
def pending(alice, body, region, topic):
    return PetitionFactory(author=alice, addressee=body, territory=region, topic=topic, state="pending")


@pytest.fixture
def signer(client, make_signer):
    user = make_signer(email="signer@example.org", display_name="Signer")
    client.force_login(user)
    return user


def form_data(body, region, topic, **overrides):
    data = {
        "title": "Light the path along the river embankment",
        "text": "The embankment path is dark after six and people have fallen on the steps.",
        "demand": "Install street lights along the whole embankment path before winter.",
        "addressee": str(body.pk),
        "territory": region.code,
        "topic": str(topic.pk),
        "level": "regional",
        "language": "en",
    }
    data.update(overrides)
    return data


# --- list -------------------------------------------------------------------------------------


def test_the_list_shows_public_petitions_only(client, open_petition, draft, pending, body):
    closed = PetitionFactory(state="closed", addressee=body, title="A closed one")
    hidden = PetitionFactory(addressee=body, title="A hidden one", is_hidden=True)
    response = client.get(url("list"))
    assert response.status_code == 200
    html = html_of(response)
    assert open_petition.title in html and closed.title in html
    assert draft.title not in html and pending.title not in html and hidden.title not in html
    assert re.search(r'<progress[^>]*max="100"', html)


def test_the_list_searches_and_filters(client, open_petition, body, topic, elsewhere):
    other_body = OrganizationFactory(
        territory=elsewhere, kind=Organization.Kind.STATE_BODY, name="Other akimat"
    )
    other = PetitionFactory(
        title="Plant trees in the park",
        addressee=other_body,
        territory=elsewhere,
        topic=TopicFactory(code="environment"),
        level="local",
        state="closed",
    )
    assert other.title in html_of(client.get(url("list")))
    cases = [
        {"q": "trees park"},
        {"state": "closed"},
        {"topic": "environment"},
        {"level": "local"},
        {"territory": elsewhere.code},
        {"addressee": str(other_body.pk)},
    ]
    for params in cases:
        html = html_of(client.get(url("list"), params))
        assert other.title in html, params
        assert open_petition.title not in html, params


def test_the_list_has_an_empty_state(client, db):
    html = html_of(client.get(url("list"), {"q": "nothing like this"}))
    assert "No petition matches this search." in html


def test_the_list_takes_a_fixed_number_of_queries(client, body, alice, django_assert_max_num_queries):
    client.force_login(alice)
    PetitionFactory.create_batch(2, addressee=body)
    with django_assert_max_num_queries(12):
        client.get(url("list"))
    PetitionFactory.create_batch(15, addressee=body)
    with django_assert_max_num_queries(12):
        response = client.get(url("list"), {"per_page": 10})
    assert response.context["page"].paginator.num_pages == 2


# --- detail -----------------------------------------------------------------------------------


def test_the_detail_shows_the_petition_count_and_interval(client, open_petition, settings):
    settings.PETITIONS_COUNT_INTERVAL_SECONDS = 7
    Petition.objects.filter(pk=open_petition.pk).update(signature_count=42)
    response = client.get(url("detail", open_petition.pk))
    assert response.status_code == 200
    html = html_of(response)
    assert open_petition.text in html and open_petition.demand in html
    assert open_petition.addressee.name in html and open_petition.topic.name in html
    assert re.search(r'<progress[^>]*max="100" value="42"', html)
    assert "42 signatures of 100 needed" in html
    assert "The count is updated every 7 seconds" in html
    assert "Log in to sign this petition." in html


def test_the_detail_shows_counts_by_region(client, open_petition, region, elsewhere):
    RegionCount.objects.create(petition=open_petition, region=region, count=30)
    RegionCount.objects.create(petition=open_petition, region=elsewhere, count=5)
    RegionCount.objects.create(petition=open_petition, region=None, count=2)
    html = html_of(client.get(url("detail", open_petition.pk)))
    assert "Signatures by region" in html
    assert re.search(r"Region</th>\s*<td>30</td>", html)
    assert re.search(r"Elsewhere</th>\s*<td>5</td>", html)
    assert "No home region given" in html


def test_non_public_petitions_are_404_to_others(client, draft, pending, charlie, body):
    hidden = PetitionFactory(addressee=body, is_hidden=True)
    for petition in (draft, pending, hidden):
        assert client.get(url("detail", petition.pk)).status_code == 404
    client.force_login(charlie)
    for petition in (draft, pending, hidden):
        assert client.get(url("detail", petition.pk)).status_code == 404
        assert client.get(url("signers", petition.pk)).status_code == 404
    assert client.get(url("detail", 99999)).status_code == 404


def test_the_author_sees_a_draft_with_similar_petitions_and_a_submit_button(client, alice, draft, body):
    twin = PetitionFactory(addressee=body, title=draft.title + " soon", text=draft.text)
    client.force_login(alice)
    html = html_of(client.get(url("detail", draft.pk)))
    assert "This is a draft" in html
    assert url("submit", draft.pk) in html and url("edit", draft.pk) in html
    assert f'data-petition="{twin.pk}"' in html


def test_the_moderator_sees_a_pending_petition_with_pending_duplicates(client, moderator, pending, body):
    twin = PetitionFactory(addressee=body, state="pending", title=pending.title + " again", text=pending.text)
    client.force_login(moderator)
    response = client.get(url("detail", pending.pk))
    assert response.status_code == 200
    html = html_of(response)
    assert url("moderation") in html
    assert f'data-petition="{twin.pk}"' in html


def test_others_may_report_a_petition_but_not_its_author(client, open_petition, alice, charlie):
    report = reverse("moderation:report", args=["petitions.petition", str(open_petition.pk)])
    client.force_login(charlie)
    assert report in html_of(client.get(url("detail", open_petition.pk)))
    client.force_login(alice)
    assert report not in html_of(client.get(url("detail", open_petition.pk)))


def test_the_detail_takes_a_fixed_number_of_queries(
    client, open_petition, signer, django_assert_max_num_queries, elsewhere, region
):
    SignatureFactory(petition=open_petition, user=signer)
    RegionCount.objects.create(petition=open_petition, region=region, count=1)
    with django_assert_max_num_queries(12):
        client.get(url("detail", open_petition.pk))
    for n in range(5):
        RegionCount.objects.create(
            petition=open_petition, region=TerritoryFactory(code=f"7{n + 2}0000000"), count=n + 1
        )
    SignatureFactory.create_batch(5, petition=open_petition)
    with django_assert_max_num_queries(12):
        response = client.get(url("detail", open_petition.pk))
    assert len(response.context["region_counts"]) == 6


def answer(petition, organization, responder):
    obligation = Obligation.objects.create(
        subject=petition,
        title=petition.title,
        kind=Kind.PETITION,
        country="KZ",
        organization=organization,
        author=petition.author,
        opened_on=timezone.localdate(),
        deadline=timezone.localdate(),
        original_deadline=timezone.localdate(),
        state=Obligation.State.ANSWERED,
        answered_at=timezone.now(),
    )
    response = Response.objects.create(
        obligation=obligation,
        decision=Response.Decision.ACCEPTED,
        reasons="We agree: lights will be installed along the embankment.",
        organization=organization,
        responder=responder,
        on_time=True,
        working_days_taken=3,
    )
    commitment = Commitment.objects.create(
        response=response, organization=organization, title="Install 40 street lights", created_by=responder
    )
    Milestone.objects.create(commitment=commitment, title="Tender announced", due_on=timezone.localdate())
    return obligation


def test_the_detail_shows_the_answer_and_commitments(client, open_petition, body, officer):
    Petition.objects.filter(pk=open_petition.pk).update(
        threshold_reached_at=timezone.now(), signature_count=100
    )
    obligation = answer(open_petition, body, officer)
    html = html_of(client.get(url("detail", open_petition.pk)))
    assert "We agree: lights will be installed along the embankment." in html
    assert 'data-on-time="1"' in html
    assert "Install 40 street lights" in html and "Tender announced" in html
    assert reverse("obligations:detail", args=[obligation.pk]) in html


# --- writing ----------------------------------------------------------------------------------


def test_writing_needs_a_login(client, db):
    response = client.get(url("create"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_failed_form_keeps_the_input(client, alice, body, region, topic):
    client.force_login(alice)
    assert client.get(url("create")).status_code == 200
    data = form_data(body, region, topic, title="", demand="Fix the lights on Abai street please")
    response = client.post(url("create"), data)
    assert response.status_code == 400
    html = html_of(response)
    assert "There is a problem" in html
    assert "Fix the lights on Abai street please" in html
    assert not Petition.objects.exists()


def test_the_addressee_must_be_a_state_body(client, alice, region, topic):
    ngo = OrganizationFactory(territory=region, kind=Organization.Kind.NGO)
    client.force_login(alice)
    response = client.post(url("create"), form_data(ngo, region, topic))
    assert response.status_code == 400
    assert response.context["form"].errors["addressee"]


def test_creating_checks_for_duplicates_before_saving_a_draft(client, alice, body, region, topic):
    twin = PetitionFactory(
        addressee=body,
        title="Light the path along the river embankment at night",
        text="The embankment path is dark after six and people have fallen on the steps.",
    )
    client.force_login(alice)
    data = form_data(body, region, topic)
    response = client.post(url("create"), {**data, "action": "check"})
    assert response.status_code == 200
    html = html_of(response)
    assert f'data-petition="{twin.pk}"' in html and "Similar petitions" in html
    assert 'value="save"' in html and data["title"] in html
    assert Petition.objects.filter(author=alice).count() == 0

    response = client.post(url("create"), {**data, "action": "save"})
    petition = Petition.objects.get(author=alice)
    assert response.status_code == 302 and response["Location"] == url("detail", petition.pk)
    assert petition.state == Petition.State.DRAFT and petition.title == data["title"]


def test_the_language_defaults_to_the_page_language(client, alice):
    client.force_login(alice)
    response = client.get("/ru/petitions/new/")
    assert response.status_code == 200
    assert response.context["form"]["language"].value() == "ru"


def test_the_author_edits_and_submits_a_draft(client, alice, draft, body, region, topic):
    client.force_login(alice)
    assert client.get(url("edit", draft.pk)).status_code == 200
    data = form_data(body, region, topic, title="A better title for the petition", action="save")
    response = client.post(url("edit", draft.pk), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "A better title for the petition"
    response = client.post(url("submit", draft.pk), follow=True)
    draft.refresh_from_db()
    assert draft.state == Petition.State.PENDING
    assert "sent to the moderators" in html_of(response)


def test_others_cannot_edit_or_submit(client, alice, charlie, draft, open_petition):
    client.force_login(charlie)
    assert client.get(url("edit", draft.pk)).status_code == 404
    assert client.post(url("submit", draft.pk)).status_code == 404
    assert client.get(url("edit", open_petition.pk)).status_code == 403
    client.force_login(alice)
    assert client.get(url("edit", open_petition.pk)).status_code == 403
    assert client.post(url("submit", open_petition.pk)).status_code == 403


# --- signing ----------------------------------------------------------------------------------


def test_signing_and_withdrawing_through_the_pages(client, open_petition, signer):
    html = html_of(client.get(url("detail", open_petition.pk)))
    assert url("sign", open_petition.pk) in html and 'name="show_name"' in html
    response = client.post(url("sign", open_petition.pk), {"show_name": "on"}, follow=True)
    signature = Signature.objects.get(petition=open_petition, user=signer)
    assert signature.is_counted and signature.show_name
    html = html_of(response)
    assert "Thank you for signing" in html
    assert 'data-signature-state="signed"' in html
    assert url("withdraw", open_petition.pk) in html and url("sign", open_petition.pk) not in html

    response = client.post(url("withdraw", open_petition.pk), follow=True)
    signature.refresh_from_db()
    assert signature.withdrawn_at is not None
    assert "Your signature has been withdrawn" in html_of(response)
    assert url("sign", open_petition.pk) in html_of(response)


def test_a_signature_in_the_count_reads_as_counted(client, open_petition, signer):
    SignatureFactory(petition=open_petition, user=signer)
    CountWatermark.objects.create(pk=1, counted_until=timezone.now() + timezone.timedelta(seconds=1))
    html = html_of(client.get(url("detail", open_petition.pk)))
    assert 'data-signature-state="counted"' in html


def test_signing_twice_says_why(client, open_petition, signer):
    client.post(url("sign", open_petition.pk))
    response = client.post(url("sign", open_petition.pk), follow=True)
    assert Signature.objects.filter(petition=open_petition).count() == 1
    assert 'class="message message-error"' in html_of(response)


def test_signing_needs_a_login_and_the_level(client, open_petition, make_signer):
    response = client.post(url("sign", open_petition.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_signer(verification_level=0))
    assert "not verified enough" in html_of(client.get(url("detail", open_petition.pk)))
    assert client.post(url("sign", open_petition.pk)).status_code == 403
    assert not Signature.objects.exists()


def test_a_closed_petition_cannot_be_signed(client, body, signer):
    closed = PetitionFactory(addressee=body, state="closed")
    html = html_of(client.get(url("detail", closed.pk)))
    assert "This petition is closed" in html and url("sign", closed.pk) not in html
    response = client.post(url("sign", closed.pk), follow=True)
    assert not Signature.objects.exists()
    assert 'class="message message-error"' in html_of(response)


def test_the_confirmation_link_confirms_only_on_post(
    client, body, make_signer, django_capture_on_commit_callbacks
):
    petition = PetitionFactory(addressee=body, min_verification_level=0)
    user = make_signer(verification_level=0, email="new@example.org")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("sign", petition.pk), follow=True)
    assert "we have sent you an e-mail" in html_of(response)
    signature = Signature.objects.get(petition=petition, user=user)
    assert signature.confirmed_at is None
    assert 'data-signature-state="confirming"' in html_of(client.get(url("detail", petition.pk)))

    token = confirmation_token()
    client.logout()  # the link works from any browser
    response = client.get(url("signature_confirm", token))
    assert response.status_code == 200
    assert url("signature_confirm", token) in html_of(response)
    signature.refresh_from_db()
    assert signature.confirmed_at is None

    response = client.post(url("signature_confirm", token))
    assert response.status_code == 302 and response["Location"] == url("detail", petition.pk)
    signature.refresh_from_db()
    assert signature.confirmed_at is not None


def test_a_wrong_confirmation_token_is_refused(client, db):
    response = client.post(url("signature_confirm", "not-a-real-token"))
    assert response.status_code == 400
    assert "There is a problem" in html_of(response)


# --- moderation -------------------------------------------------------------------------------


def test_the_queue_is_for_moderators(client, moderator, charlie, pending, open_petition):
    assert client.get(url("moderation")).status_code == 302
    client.force_login(charlie)
    assert client.get(url("moderation")).status_code == 403
    assert client.post(url("moderate", pending.pk), {"decision": "approve"}).status_code == 404
    assert client.get(url("held")).status_code == 403
    client.force_login(moderator)
    response = client.get(url("moderation"))
    assert response.status_code == 200
    html = html_of(response)
    assert f'data-petition="{pending.pk}"' in html and f'data-petition="{open_petition.pk}"' not in html


def test_the_queue_takes_a_fixed_number_of_queries(client, moderator, body, django_assert_max_num_queries):
    client.force_login(moderator)
    PetitionFactory.create_batch(2, addressee=body, state="pending")
    with django_assert_max_num_queries(8):
        client.get(url("moderation"))
    PetitionFactory.create_batch(8, addressee=body, state="pending")
    with django_assert_max_num_queries(8):
        response = client.get(url("moderation"))
    assert len(response.context["rows"]) == 10


def test_a_moderator_approves(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(url("moderate", pending.pk), {"decision": "approve"}, follow=True)
    pending.refresh_from_db()
    assert pending.state == Petition.State.OPEN
    assert "is open for signatures" in html_of(response)


def test_rejecting_needs_a_reason_and_keeps_the_input(client, moderator, pending):
    client.force_login(moderator)
    response = client.post(url("moderate", pending.pk), {"decision": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Give the reason for rejecting the petition." in html_of(response)
    response = client.post(url("moderate", pending.pk), {"decision": "reject", "reason": "Too short"})
    assert response.status_code == 400 and "Too short" in html_of(response)
    pending.refresh_from_db()
    assert pending.state == Petition.State.PENDING
    response = client.post(url("moderate", pending.pk), {"decision": "reject", "reason": REASON})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.state == Petition.State.REJECTED and pending.moderation_reason == REASON


def test_a_petition_decided_meanwhile_gives_a_message(client, moderator, pending, staff):
    client.force_login(staff)
    client.post(url("moderate", pending.pk), {"decision": "approve"})
    client.force_login(moderator)
    response = client.post(url("moderate", pending.pk), {"decision": "reject", "reason": REASON}, follow=True)
    assert response.redirect_chain[-1][0] == url("moderation")
    assert 'class="message message-error"' in html_of(response)
    pending.refresh_from_db()
    assert pending.state == Petition.State.OPEN


def test_the_author_does_not_moderate_their_own_petition(client, body, moderator, region, topic):
    own = PetitionFactory(author=moderator, addressee=body, territory=region, topic=topic, state="pending")
    client.force_login(moderator)
    assert client.post(url("moderate", own.pk), {"decision": "approve"}).status_code == 403


def test_a_moderator_clears_a_held_back_signature(
    client, moderator, open_petition, make_signer, django_assert_max_num_queries
):
    user = make_signer(email="fast@example.org", display_name="Fast signer")
    held = SignatureFactory(
        petition=open_petition, user=user, confirmed_at=None, flagged_at=timezone.now(), flag_reason="account"
    )
    client.force_login(moderator)
    with django_assert_max_num_queries(6):
        html = html_of(client.get(url("held")))
    assert f'data-signature="{held.pk}"' in html and "Fast signer" in html
    for _ in range(4):
        SignatureFactory(
            petition=open_petition, user=make_signer(), confirmed_at=None, flagged_at=timezone.now()
        )
    with django_assert_max_num_queries(6):
        response = client.get(url("held"))
    assert len(response.context["page"].object_list) == 5
    response = client.post(url("held"), {"signature": str(held.pk)}, follow=True)
    held.refresh_from_db()
    assert held.confirmed_at is not None
    assert "The signature has been cleared" in html_of(response)
    assert client.post(url("held"), {"signature": str(held.pk)}).status_code == 404


# --- people -----------------------------------------------------------------------------------


def test_the_signers_page_lists_public_names_only(
    client, open_petition, make_signer, django_assert_max_num_queries
):
    SignatureFactory(petition=open_petition, user=make_signer(display_name="Public Person"), show_name=True)
    SignatureFactory(petition=open_petition, user=make_signer(display_name="Quiet Person"))
    with django_assert_max_num_queries(5):
        html = html_of(client.get(url("signers", open_petition.pk)))
    assert "Public Person" in html and "Quiet Person" not in html
    for _ in range(5):
        SignatureFactory(petition=open_petition, user=make_signer(), show_name=True)
    with django_assert_max_num_queries(5):
        client.get(url("signers", open_petition.pk))


def test_my_petitions_lists_every_state(
    client, alice, draft, pending, open_petition, charlie, body, django_assert_max_num_queries
):
    assert client.get(url("mine")).status_code == 302
    client.force_login(alice)
    with django_assert_max_num_queries(6):
        html = html_of(client.get(url("mine")))
    for petition in (draft, pending, open_petition):
        assert f'data-petition="{petition.pk}"' in html
    PetitionFactory.create_batch(6, author=alice, addressee=body, state="rejected")
    with django_assert_max_num_queries(6):
        client.get(url("mine"))
    client.force_login(charlie)
    assert "You have not started a petition yet." in html_of(client.get(url("mine")))


# --- languages --------------------------------------------------------------------------------


def test_the_pages_render_in_russian(client, open_petition, alice):
    for path in (
        "/ru/petitions/",
        f"/ru/petitions/{open_petition.pk}/",
        f"/ru/petitions/{open_petition.pk}/signers/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="ru">' in html_of(response)
    with translation.override("ru"):
        assert reverse("petitions:detail", args=[open_petition.pk]).startswith("/ru/")
