import pytest
from django.urls import reverse

from kenes.territories.forms import TerritoryChoiceField, TerritoryFilterForm
from kenes.territories.models import Territory

LIST = reverse("territories:list")


def test_it_shows_the_top_level_of_both_countries_by_default(client, sample, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(LIST, {"per_page": 50})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 29
    assert {t.level for t in page.object_list} == {1}
    body = response.content.decode()
    assert body.count("<h1>") == 1
    assert "Turkestan" in body  # the English name, as the page is in English
    assert "Чуйская область" in body  # no English name: falls back to Russian
    assert "<code>610000000</code>" in body
    assert '<th scope="col">' in body
    assert 'href="/en/territories/610000000/"' in body


def test_it_filters_with_a_plain_get_form_and_keeps_the_input(client, sample):
    response = client.get(LIST, {"q": "Сайрам", "country": "KZ", "kind": "district", "level": "2"})
    assert [t.code for t in response.context["page"].object_list] == ["615200000"]
    body = response.content.decode()
    assert 'method="get"' in body
    assert 'value="Сайрам"' in body
    assert '<option value="district" selected>' in body
    assert '<label for="id_q">' in body


def test_it_paginates_and_keeps_the_filters_in_the_links(client, sample, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(LIST, {"country": "KZ", "per_page": 10, "page": 2})
    page = response.context["page"]
    assert (page.number, page.paginator.count, len(page.object_list)) == (2, 42, 10)
    body = response.content.decode()
    assert "?country=KZ&amp;per_page=10&amp;page=3" in body
    assert 'aria-current="page"' in body


def test_it_shows_an_empty_state_and_the_errors_of_bad_filters(client, sample):
    response = client.get(LIST, {"q": "<script>nowhere</script>"})
    body = response.content.decode()
    assert "No territories match these filters." in body
    assert "<script>nowhere" not in body
    assert "&lt;script&gt;nowhere" in body
    response = client.get(LIST, {"level": "9", "kind": "planet"})
    assert response.context["form"].errors.keys() == {"level", "kind"}
    assert response.context["page"].paginator.count == 29  # invalid filters are ignored


def test_it_shows_one_territory_with_breadcrumbs_names_and_children(
    client, sample, django_assert_max_num_queries
):
    url = reverse("territories:detail", args=["615230000"])
    with django_assert_max_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<nav class="breadcrumbs" aria-label="Breadcrumbs">' in body
    assert body.index(">Turkestan</a>") < body.index(">Sayram</a>") < body.index("<h1>")
    assert "<h1>Аксукентский с.о.</h1>" in body  # no English name: falls back to Russian
    assert '<span lang="kk">Ақсукент а.о.</span>' in body
    assert body.count("Missing") == 2  # Kyrgyz and English
    assert "с.Аксу" in body and "с.Байтерек" in body
    assert f"{reverse('organizations:directory')}?territory=615230000" in body
    assert "Rural" in body


def test_it_paginates_the_children(client, sample):
    response = client.get(reverse("territories:detail", args=["610000000"]), {"per_page": 5, "page": 4})
    children = response.context["children"]
    assert (children.number, children.paginator.count, len(children.object_list)) == (4, 17, 2)


def test_it_answers_404_for_an_unknown_code(client, sample):
    assert client.get(reverse("territories:detail", args=["123456789"])).status_code == 404


def test_it_renders_the_territory_choice_field_grouped_by_country(sample):
    field = TerritoryChoiceField(required=False)
    html = field.widget.render("territory", "615200000", attrs={"id": "id_territory"})
    assert '<optgroup label="Kazakhstan">' in html and '<optgroup label="Kyrgyzstan">' in html
    assert '<option value="615200000" selected>' in html
    assert '<option value="615230000"' not in html  # level 3 is not offered
    assert field.clean("41708203000000") == Territory.objects.get(code="41708203000000")
    with pytest.raises(Exception, match="Select a valid choice"):
        field.clean("615230000")
    assert TerritoryChoiceField(max_level=None).clean("615230000").level == 3


def test_it_defaults_the_filter_form_to_the_top_level():
    form = TerritoryFilterForm({})
    assert form.is_valid()
    assert form.filters() == {"q": None, "country": None, "kind": None, "level": 1}
    form = TerritoryFilterForm({"country": "KG"})
    assert form.is_valid()
    assert form.filters()["level"] is None
