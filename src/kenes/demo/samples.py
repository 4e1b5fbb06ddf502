"""Sample organisations for the demo. They are marked `is_sample` and shown with a "Sample"
badge: the names describe the kinds of bodies Kenes serves, the registration numbers are
made up (with valid check digits) and none of it is official data."""

from typing import Any

from kenes.common.identifiers import kz_check_digit


def sample_bin(serial: int) -> str:
    """A made-up 12-digit BIN (registered 2010-01, legal entity) with a valid check digit."""
    for bump in range(10):
        first = f"1001400{serial + bump * 1000:04d}"
        check = kz_check_digit(first)
        if check is not None:
            return f"{first}{check}"
    raise ValueError(serial)


ORGANIZATIONS: list[dict[str, Any]] = [
    {
        "key": "committee",
        "kind": "state_body",
        "country": "KZ",
        "territory": "710000000",
        "names": {
            "en": "Committee for Civil Society Affairs",
            "ru": "Комитет по делам гражданского общества",
            "kk": "Азаматтық қоғам істері комитеті",
            "ky": "Жарандык коом иштери боюнча комитет",
        },
        "sectors": [],
    },
    {
        "key": "turkistan-akimat",
        "kind": "local_executive",
        "country": "KZ",
        "territory": "610000000",
        "names": {
            "en": "Akimat of Turkistan Region",
            "ru": "Акимат Туркестанской области",
            "kk": "Түркістан облысының әкімдігі",
            "ky": "Түркістан облусунун акимчилиги",
        },
        "sectors": [],
    },
    {
        "key": "sayram-akimat",
        "kind": "local_executive",
        "country": "KZ",
        "territory": "615200000",
        "supervisor": "turkistan-akimat",
        "names": {
            "en": "Akimat of Sayram District",
            "ru": "Акимат Сайрамского района",
            "kk": "Сайрам ауданының әкімдігі",
            "ky": "Сайрам районунун акимчилиги",
        },
        "sectors": [],
    },
    {
        "key": "turkistan-maslikhat",
        "kind": "local_representative",
        "country": "KZ",
        "territory": "610000000",
        "names": {
            "en": "Maslikhat of Turkistan Region",
            "ru": "Маслихат Туркестанской области",
            "kk": "Түркістан облыстық мәслихаты",
            "ky": "Түркістан облустук маслихаты",
        },
        "sectors": [],
    },
    {
        "key": "turkistan-council",
        "kind": "public_council",
        "country": "KZ",
        "territory": "610000000",
        "names": {
            "en": "Public Council of Turkistan Region",
            "ru": "Общественный совет Туркестанской области",
            "kk": "Түркістан облысының қоғамдық кеңесі",
            "ky": "Түркістан облусунун коомдук кеңеши",
        },
        "sectors": [],
    },
    {
        "key": "jasyl-dala",
        "kind": "ngo",
        "country": "KZ",
        "territory": "615200000",
        "registration_number": sample_bin(1),
        "names": {
            "en": "Jasyl Dala Environmental Union",
            "ru": "Экологический союз «Жасыл Дала»",
            "kk": "«Жасыл Дала» экологиялық одағы",
            "ky": "«Жасыл Дала» экологиялык бирлиги",
        },
        "sectors": ["environment"],
    },
    {
        "key": "bolashak",
        "kind": "ngo",
        "country": "KZ",
        "territory": "750000000",
        "registration_number": sample_bin(2),
        "names": {
            "en": "Bolashak Youth Initiatives Centre",
            "ru": "Центр молодёжных инициатив «Болашак»",
            "kk": "«Болашақ» жастар бастамалары орталығы",
            "ky": "«Болашак» жаштар демилгелери борбору",
        },
        "sectors": ["youth_children"],
    },
    {
        "key": "meyirim",
        "kind": "ngo",
        "country": "KZ",
        "territory": "710000000",
        "status": "non_operating",
        "registration_number": sample_bin(3),
        "names": {
            "en": "Meyirim Support Network",
            "ru": "Сеть поддержки «Мейірім»",
            "kk": "«Мейірім» қолдау желісі",
            "ky": "«Мейирим» колдоо тармагы",
        },
        "sectors": ["vulnerable_groups", "health"],
    },
    {
        "key": "tauke-khan",
        "kind": "initiative_group",
        "country": "KZ",
        "territory": "611000000",
        "names": {
            "en": "Residents of Tauke Khan Avenue",
            "ru": "Жители проспекта Тауке хана",
            "kk": "Тәуке хан даңғылының тұрғындары",
            "ky": "Тауке хан проспектисинин тургундары",
        },
        "sectors": [],
    },
    {
        "key": "chui-kenesh",
        "kind": "local_representative",
        "country": "KG",
        "territory": "41708000000000",
        "names": {
            "en": "Chui Regional Kenesh",
            "ru": "Чуйский областной кенеш",
            "kk": "Шу облыстық кеңесі",
            "ky": "Чүй облустук кеңеши",
        },
        "sectors": [],
    },
    {
        "key": "alamudun-okmotu",
        "kind": "local_self_government",
        "country": "KG",
        "territory": "41708203000000",
        "names": {
            "en": "Alamudun Ayil Okmotu",
            "ru": "Аламудунский айыл окмоту",
            "kk": "Аламүдүн айыл өкметі",
            "ky": "Аламүдүн айыл өкмөтү",
        },
        "sectors": [],
    },
    {
        "key": "alamudun-jamaat",
        "kind": "jamaat",
        "country": "KG",
        "territory": "41708203000000",
        "names": {
            "en": "Alamudun Village Jamaat",
            "ru": "Джамаат села Аламудун",
            "kk": "Аламүдүн ауылының жамағаты",
            "ky": "Аламүдүн айылынын жамааты",
        },
        "sectors": ["public_accord"],
    },
    {
        "key": "bishkek-civic",
        "kind": "ngo",
        "country": "KG",
        "territory": "41711000000000",
        "registration_number": "02010201010017",
        "names": {
            "en": "Bishkek Civic Initiatives Foundation",
            "ru": "Фонд гражданских инициатив Бишкека",
            "kk": "Бішкек азаматтық бастамалар қоры",
            "ky": "Бишкек жарандык демилгелер фонду",
        },
        "sectors": ["rights_protection", "education_science_sport_culture"],
    },
]
