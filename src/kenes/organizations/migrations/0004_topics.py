"""The topics of petitions and appeals, in the four languages (administrators may add more)."""

from django.db import migrations

# code, position, en, ru, kk, ky
TOPICS = [
    (
        "roads_transport",
        1,
        "Roads and transport",
        "Дороги и транспорт",
        "Жолдар және көлік",
        "Жолдор жана транспорт",
    ),
    (
        "housing_utilities",
        2,
        "Housing and utilities",
        "Жилье и коммунальные услуги",
        "Тұрғын үй және коммуналдық қызметтер",
        "Турак жай жана коммуналдык кызматтар",
    ),
    ("education", 3, "Education", "Образование", "Білім беру", "Билим берүү"),
    ("health", 4, "Health care", "Здравоохранение", "Денсаулық сақтау", "Саламаттыкты сактоо"),
    (
        "social_protection",
        5,
        "Social protection",
        "Социальная защита",
        "Әлеуметтік қорғау",
        "Социалдык коргоо",
    ),
    (
        "environment",
        6,
        "Environment and ecology",
        "Экология и окружающая среда",
        "Экология және қоршаған орта",
        "Экология жана айлана-чөйрө",
    ),
    ("public_spaces", 7, "Public spaces and landscaping", "Благоустройство", "Абаттандыру", "Көрктөндүрүү"),
    (
        "public_safety",
        8,
        "Public safety",
        "Общественная безопасность",
        "Қоғамдық қауіпсіздік",
        "Коомдук коопсуздук",
    ),
    (
        "culture_sport",
        9,
        "Culture and sport",
        "Культура и спорт",
        "Мәдениет және спорт",
        "Маданият жана спорт",
    ),
    (
        "economy_business",
        10,
        "Economy and business",
        "Экономика и предпринимательство",
        "Экономика және кәсіпкерлік",
        "Экономика жана ишкердик",
    ),
    (
        "agriculture_land",
        11,
        "Agriculture and land",
        "Сельское хозяйство и земля",
        "Ауыл шаруашылығы және жер",
        "Айыл чарбасы жана жер",
    ),
    (
        "governance",
        12,
        "Public administration and anti-corruption",
        "Государственное управление и противодействие коррупции",
        "Мемлекеттік басқару және сыбайлас жемқорлыққа қарсы іс-қимыл",
        "Мамлекеттик башкаруу жана коррупцияга каршы аракеттенүү",
    ),
    ("other", 99, "Other", "Другое", "Басқа", "Башка"),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("organizations", "Topic")
    for code, position, en, ru, kk, ky in TOPICS:
        Topic.objects.update_or_create(
            code=code,
            defaults={
                "position": position,
                "name": ru,
                "name_ru": ru,
                "name_kk": kk,
                "name_ky": ky,
                "name_en": en,
            },
        )


def remove_topics(apps, schema_editor):
    Topic = apps.get_model("organizations", "Topic")
    Topic.objects.filter(code__in=[row[0] for row in TOPICS]).delete()


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_topic")]

    operations = [migrations.RunPython(create_topics, remove_topics)]
