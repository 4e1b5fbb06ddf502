"""The sample participatory budget: a finished process of the Sayram district with proposals,
reviews, about 60 sample voters' approval ballots, the count (Equal Shares, completed by greedy) and
published results with commitments. Idempotent: found by its English title among samples."""

import datetime
import random
from typing import Any

from django.db import transaction

from kenes.accounts.models import User
from kenes.audit import services as audit
from kenes.budgeting import services as budgeting
from kenes.budgeting.models import Ballot, BallotChoice, Process, Proposal
from kenes.notifications.models import Preference
from kenes.obligations import services as obligations
from kenes.obligations.models import Kind, Response
from kenes.organizations.models import Membership, Organization
from kenes.territories.models import Territory

TITLE_EN = "People's budget of Sayram District 2026"
TERRITORY_CODE = "615200000"
ORGANIZATION_EN = "Akimat of Sayram District"
OFFICIAL_EMAIL = "sayram-official@sample.kenes.local"
VOTERS = 60
SEED = 2026
UTC = datetime.UTC

#: (language, title, description, estimated cost, official cost or None, rejection reasons or "")
PROPOSALS: list[tuple[str, str, str, int, int | None, str]] = [
    (
        "ru",
        "Детская площадка в Аксукенте",
        "Площадка с качелями и мягким покрытием во дворе домов по улице Абая.",
        8_500_000,
        9_000_000,
        "",
    ),
    (
        "ru",
        "Уличное освещение на улице Жибек жолы",
        "Сорок светодиодных фонарей на тёмном участке улицы.",
        12_000_000,
        None,
        "",
    ),
    (
        "kk",
        "Мектепке спорт алаңы",
        "Қарабұлақ ауылындағы мектеп жанынан жабық спорт алаңын салу.",
        15_000_000,
        None,
        "",
    ),
    (
        "ru",
        "Ремонт тротуаров у поликлиники",
        "Новые тротуары и пандусы от остановки до районной поликлиники.",
        9_800_000,
        None,
        "",
    ),
    (
        "kk",
        "Саябаққа орындықтар мен қоқыс жәшіктері",
        "Орталық саябаққа отыз орындық пен қоқыс жәшіктерін орнату.",
        3_200_000,
        None,
        "",
    ),
    (
        "ru",
        "Остановки с навесами",
        "Шесть остановок общественного транспорта с навесами и скамейками.",
        6_400_000,
        None,
        "",
    ),
    (
        "kk",
        "Кітапханаға компьютерлер",
        "Аудандық кітапханаға он компьютер және интернет қосылымы.",
        4_500_000,
        None,
        "",
    ),
    (
        "ru",
        "Велодорожка вдоль арыка",
        "Велодорожка длиной два километра вдоль главного арыка.",
        21_000_000,
        None,
        "",
    ),
    (
        "ru",
        "Фонтан на центральной площади",
        "Светомузыкальный фонтан на площади перед акиматом.",
        30_000_000,
        None,
        "Содержание фонтана не предусмотрено бюджетом района, а водопровод площади не выдержит нагрузку.",
    ),
    (
        "kk",
        "Жаңа мешіт ғимараты",
        "Ауылда жаңа мешіт салу.",
        25_000_000,
        None,
        "Діни ғимараттарды салу жергілікті бюджеттен қаржыландырылмайды, бұл заң бойынша мүмкін емес.",
    ),
]
#: How much the sample voters like each proposal on the ballot (deterministic ballots).
POPULARITY = [0.55, 0.6, 0.45, 0.5, 0.35, 0.4, 0.3, 0.25]
APPROVED = "Участок принадлежит району, смета проверена и соответствует нормативам; проект реализуем."


def _dates() -> dict[str, datetime.datetime]:
    return {
        "proposals_open": datetime.datetime(2026, 3, 2, 4, 0, tzinfo=UTC),
        "proposals_close": datetime.datetime(2026, 3, 31, 18, 0, tzinfo=UTC),
        "review_close": datetime.datetime(2026, 4, 30, 18, 0, tzinfo=UTC),
        "voting_open": datetime.datetime(2026, 5, 11, 4, 0, tzinfo=UTC),
        "voting_close": datetime.datetime(2026, 5, 31, 18, 0, tzinfo=UTC),
    }


def _sample_users(territory: Territory) -> list[User]:
    """The sample voters (and authors): found by e-mail, created with unusable passwords and e-mail off."""
    emails = [f"voter-{n:02d}@sample.kenes.local" for n in range(1, VOTERS + 1)]
    existing = {u.email: u for u in User.objects.filter(email__in=emails)}
    new = []
    for n, email in enumerate(emails, 1):
        if email not in existing:
            user = User(
                email=email,
                display_name=f"Sample voter {n:02d}",
                language="ru" if n % 2 else "kk",
                home_territory=territory,
                verification_level=1,
            )
            user.set_unusable_password()
            new.append(user)
    User.objects.bulk_create(new)
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    Preference.objects.bulk_create(
        [Preference(user=u, email_enabled=False, digest_enabled=False) for u in users], ignore_conflicts=True
    )
    return users


def _person(email: str, name: str, organization: Organization | None = None) -> User:
    """A sample user (unusable password, no e-mail), optionally an officer of ``organization``."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, display_name=name, language="ru")
        user.set_unusable_password()
        user.save()
        Preference.objects.create(user=user, email_enabled=False, digest_enabled=False)
    if organization is not None:
        Membership.objects.get_or_create(
            organization=organization, user=user, defaults={"role": Membership.Role.OFFICER}
        )
    return user


def _official(organization: Organization) -> User:
    return _person(OFFICIAL_EMAIL, "Sample official of the Sayram akimat", organization)


def _proposals(process: Process, authors: list[User], official: User) -> list[Proposal]:
    """Submitted and reviewed through the hearing loop (a review obligation, a reasoned response)."""
    on_ballot = []
    for index, (language, title, description, cost, official_cost, rejection) in enumerate(PROPOSALS):
        proposal = Proposal.objects.create(
            process=process,
            author=authors[index * 5],
            title=title,
            description=description,
            estimated_cost=cost,
            language=language,
        )
        obligation = obligations.obligation_open(
            actor=proposal.author,
            subject=proposal,
            organization=process.organization,
            kind=Kind.BUDGET_REVIEW,
            title=title,
            author=proposal.author,
        )
        decision = Response.Decision.REJECTED if rejection else Response.Decision.ACCEPTED
        obligations.obligation_respond(
            actor=official, obligation=obligation, decision=decision, reasons=rejection or APPROVED
        )
        proposal.status = Proposal.Status.REJECTED if rejection else Proposal.Status.ON_BALLOT
        proposal.official_cost = None if rejection else (official_cost or cost)
        proposal.save(update_fields=["status", "official_cost", "updated_at"])
        if not rejection:
            on_ballot.append(proposal)
    return on_ballot


def _ballots(process: Process, voters: list[User], on_ballot: list[Proposal]) -> None:
    """Deterministic approval ballots within the budget (RELIABILITY L4 holds for samples too)."""
    rng = random.Random(SEED)
    choices = []
    ballots = Ballot.objects.bulk_create([Ballot(process=process, voter=v) for v in voters])
    for ballot in ballots:
        chosen, spent = [], 0
        for proposal, liking in zip(on_ballot, POPULARITY, strict=False):
            if rng.random() < liking and spent + proposal.cost <= process.budget:
                chosen.append(proposal)
                spent += proposal.cost
        if not chosen:
            chosen = [on_ballot[rng.randrange(len(on_ballot))]]
        choices += [BallotChoice(ballot=ballot, proposal=p) for p in chosen]
    BallotChoice.objects.bulk_create(choices)


def demo_budgeting_ensure(*, admin: Any) -> bool:
    """Create the finished sample process unless it exists; True when created."""
    if Process.objects.filter(is_sample=True, title_en=TITLE_EN).exists():
        return False
    organization = Organization.objects.filter(is_sample=True, name_en=ORGANIZATION_EN).first()
    territory = Territory.objects.filter(code=TERRITORY_CODE).first()
    if organization is None or territory is None:
        return False
    with transaction.atomic():
        official = _official(organization)
        process = budgeting.process_create(
            actor=admin,
            organization=organization,
            territory=territory,
            title=TITLE_EN,
            title_en=TITLE_EN,
            title_ru="Народный бюджет Сайрамского района 2026",
            title_kk="Сайрам ауданының халықтық бюджеті 2026",
            description_en="Residents of Sayram District decide how to spend 50 million tenge. Sample data.",
            description_ru="Жители Сайрамского района решают, как потратить 50 миллионов тенге. Пример.",
            description_kk="Сайрам ауданының тұрғындары 50 миллион теңгені қалай жұмсауды шешеді. Үлгі.",
            budget=50_000_000,
            currency="KZT",
            rule=Process.Rule.MES_COST_ADD1_GREEDY,
            min_verification_level=1,
            is_sample=True,
            **_dates(),  # type: ignore[arg-type]
        )
        voters = _sample_users(territory)
        on_ballot = _proposals(process, voters, official)
        _ballots(process, voters, on_ballot)
        budgeting.process_count(actor=official, process=process)
        budgeting.results_publish(actor=official, process=process)
        audit.record(
            event="demo.budgeting.loaded", obj=process, data={"voters": len(voters)}, actor_label="demo"
        )
    return True
