"""The nine activity sectors of Kazakhstan's NGO database, in the four interface languages.

Codes are stable identifiers (used in URLs, the API and imports); names may be corrected later.
"""

from django.db import migrations

# code, position, en, ru, kk, ky
SECTORS = [
    (
        "education_science_sport_culture",
        1,
        "Education, science, sport and culture",
        "Образование, наука, спорт и культура",
        "Білім беру, ғылым, спорт және мәдениет",
        "Билим берүү, илим, спорт жана маданият",
    ),
    (
        "social_services",
        2,
        "Social work and social services",
        "Социальная работа и социальные услуги",
        "Әлеуметтік жұмыс және әлеуметтік қызметтер",
        "Социалдык иш жана социалдык кызматтар",
    ),
    (
        "vulnerable_groups",
        3,
        "Support of socially vulnerable groups",
        "Поддержка социально уязвимых слоев населения",
        "Халықтың әлеуметтік осал топтарын қолдау",
        "Калктын социалдык аялуу катмарларын колдоо",
    ),
    (
        "rights_protection",
        4,
        "Protection of citizens' rights and lawful interests",
        "Защита прав и законных интересов граждан",
        "Азаматтардың құқықтары мен заңды мүдделерін қорғау",
        "Жарандардын укуктарын жана мыйзамдуу кызыкчылыктарын коргоо",
    ),
    (
        "youth_children",
        5,
        "Youth policy and children's initiatives",
        "Молодежная политика и детские инициативы",
        "Жастар саясаты және балалар бастамалары",
        "Жаштар саясаты жана балдардын демилгелери",
    ),
    (
        "public_accord",
        6,
        "Public accord and national unity",
        "Общественное согласие и общенациональное единство",
        "Қоғамдық келісім және жалпыұлттық бірлік",
        "Коомдук ынтымак жана жалпы улуттук биримдик",
    ),
    (
        "health",
        7,
        "Health care and healthy lifestyle",
        "Здравоохранение и здоровый образ жизни",
        "Денсаулық сақтау және салауатты өмір салты",
        "Саламаттыкты сактоо жана сергек жашоо образы",
    ),
    (
        "environment",
        8,
        "Environmental protection",
        "Охрана окружающей среды",
        "Қоршаған ортаны қорғау",
        "Айлана-чөйрөнү коргоо",
    ),
    (
        "other",
        9,
        "Other",
        "Другое",
        "Басқа",
        "Башка",
    ),
]


def create_sectors(apps, schema_editor):
    Sector = apps.get_model("organizations", "Sector")
    for code, position, en, ru, kk, ky in SECTORS:
        Sector.objects.update_or_create(
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


def delete_sectors(apps, schema_editor):
    Sector = apps.get_model("organizations", "Sector")
    Sector.objects.filter(code__in=[row[0] for row in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_sectors, delete_sectors),
    ]
