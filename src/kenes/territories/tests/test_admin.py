from kenes.territories.models import Territory


def _form_data(response) -> dict:
    form = response.context["adminform"].form
    return {
        key: ("" if value is None else value) for key, value in form.initial.items() if key in form.fields
    }


def test_it_edits_through_the_admin_and_moves_the_subtree(client, sample, staff):
    client.force_login(staff)
    sairam = Territory.objects.get(code="615200000")
    url = f"/en/admin/territories/territory/{sairam.pk}/change/"
    data = _form_data(client.get(url))
    data.update(parent=Territory.objects.get(code="620000000").pk, name_en="Sairam")
    assert client.post(url, data).status_code == 302
    assert Territory.objects.get(code="615230100").path == "/620000000/615200000/615230000/615230100/"
    assert Territory.objects.get(code="615200000").name_en == "Sairam"


def test_it_refuses_a_parent_inside_the_unit_in_the_admin(client, sample, staff):
    client.force_login(staff)
    sairam = Territory.objects.get(code="615200000")
    url = f"/en/admin/territories/territory/{sairam.pk}/change/"
    data = _form_data(client.get(url))
    data["parent"] = Territory.objects.get(code="615230000").pk
    response = client.post(url, data)
    assert response.status_code == 200
    assert "cannot be placed under itself" in response.content.decode()
    assert Territory.objects.get(code="615200000").parent.code == "610000000"


def test_it_lists_and_searches_but_does_not_add_in_the_admin(client, sample, staff):
    client.force_login(staff)
    response = client.get("/en/admin/territories/territory/", {"q": "Ақсукент"})
    assert response.context["cl"].result_count == 1
    assert client.get("/en/admin/territories/territory/add/").status_code == 403
