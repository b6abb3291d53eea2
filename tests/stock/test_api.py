"""The stock API: same rules as the pages, 4xx with field errors and nothing
written on bad input, 409 on a stale order."""

from parcours.stock.models import LedgerLine, Order
from tests.stock.conftest import expiry


def test_stock_of_a_site(world, paracetamol, receive, api_as):
    receive(paracetamol, 40, number="L1", days=400)
    receive(paracetamol, 10, number="L0", days=50)
    body = api_as(world.logistics).get("/api/v1/stock", {"site": world.calais_day_centre.pk})
    assert body.status_code == 200
    [line] = body.json()["results"]
    assert line["item"] == "DORAPARA5T" and line["site"] == world.calais_day_centre.pk
    assert line["on_hand"] == 50 and line["amc"] == 0 and line["months_of_stock"] is None
    assert [b["number"] for b in line["batches"]] == ["L0", "L1"]


def test_stock_lists_hold_only_what_the_role_reads(world, paracetamol, receive, api_as):
    receive(paracetamol, 40)
    psy = api_as(world.psychologist)
    assert psy.get("/api/v1/stock").json() == {"count": 0, "results": []}
    assert psy.get("/api/v1/stock/items").json()["count"] == 0
    assert psy.get("/api/v1/stock/ledger").json()["results"] == []
    site = world.calais_day_centre.pk
    assert psy.get("/api/v1/stock", {"site": site}).status_code == 404
    assert api_as(world.dunkerque_doctor).get("/api/v1/stock", {"site": site}).status_code == 404
    dunkerque = api_as(world.dunkerque_doctor).get("/api/v1/stock").json()["results"]
    assert {r["site"] for r in dunkerque} == {world.dunkerque_camp.pk}


def test_dispensing_and_too_much(world, paracetamol, receive, api_as):
    receive(paracetamol, 10)
    api = api_as(world.doctor)
    body = {"site": world.calais_day_centre.pk, "item": "doraPARA5t", "quantity": 4}
    response = api.post("/api/v1/stock/dispensings", body)
    assert response.status_code == 201, response.json()
    assert response.json()["on_hand"] == 6
    before = LedgerLine.objects.count()
    too_much = api.post("/api/v1/stock/dispensings", {**body, "quantity": 7})
    assert too_much.status_code == 422
    assert "6 tablet" in too_much.json()["detail"][0]["msg"]
    assert too_much.json()["detail"][0]["loc"] == ["body", "quantity"]
    assert LedgerLine.objects.count() == before
    unknown = api.post("/api/v1/stock/dispensings", {**body, "item": "NOPE"})
    assert unknown.status_code == 422 and LedgerLine.objects.count() == before
    foreign = api.post("/api/v1/stock/dispensings", {**body, "encounter": 999})
    assert foreign.status_code == 422 and LedgerLine.objects.count() == before


def test_ledger_pages_by_key(world, paracetamol, receive, api_as):
    for n in range(5):
        receive(paracetamol, 1, number=f"L{n}", days=100 + n)
    api = api_as(world.logistics)
    first = api.get("/api/v1/stock/ledger", {"limit": 2}).json()
    second = api.get("/api/v1/stock/ledger", {"limit": 2, "after": first["next_after"]}).json()
    third = api.get("/api/v1/stock/ledger", {"limit": 2, "after": second["next_after"]}).json()
    ids = [r["id"] for page in (first, second, third) for r in page["results"]]
    assert len(ids) == 5 == len(set(ids))
    assert third["next_after"] is None


def test_order_status_changes_validation_and_stale(world, paracetamol, api_as):
    logistics = api_as(world.logistics)
    created = logistics.post(
        "/api/v1/stock/orders",
        {"site": world.calais_day_centre.pk, "lines": [{"item": "DORAPARA5T", "quantity": 30}]},
    )
    assert created.status_code == 201, created.json()
    order = created.json()
    url = f"/api/v1/stock/orders/{order['id']}/status"
    waiting = logistics.post(url, {"status": "waiting", "version": order["version"]})
    assert waiting.status_code == 200 and waiting.json()["status"] == "waiting"
    stale = logistics.post(url, {"status": "draft", "version": order["version"]})
    assert stale.status_code == 409 and stale.json()["current_version"] == order["version"] + 1
    version = waiting.json()["version"]
    for persona in ("logistics", "coordinator", "admin"):
        refused = api_as(world.users[persona]).post(
            url, {"status": "validated", "version": version}
        )
        assert refused.status_code in (403, 404), persona
    validated = api_as(world.referent).post(url, {"status": "validated", "version": version})
    assert validated.status_code == 200 and validated.json()["status"] == "validated"
    twice = api_as(world.referent).post(
        url, {"status": "validated", "version": validated.json()["version"]}
    )
    assert twice.status_code == 422 and "already validated" in twice.json()["detail"][0]["msg"]
    assert Order.objects.get().status == "validated"


def test_bad_receipt_through_the_page_writes_nothing(world, paracetamol, login):
    client = login(world.logistics)
    url = f"/stock/site/{world.calais_day_centre.pk}/movement/receipt/"
    base = {"item": paracetamol.pk, "supplier": "MSF", "quantity": "10"}
    for body, message in (
        ({**base, "number": "", "expires_on": expiry().isoformat()}, "Give the batch number"),
        ({**base, "number": "L1", "expires_on": ""}, "Give the batch&#x27;s expiry date"),
        ({**base, "number": "L1", "expires_on": expiry(-2).isoformat()}, "in the past"),
    ):
        page = client.post(url, body)
        assert page.status_code == 200
        assert message in page.content.decode(), message
    assert LedgerLine.objects.count() == 0


def test_pages_refuse_bad_input_with_a_message(world, paracetamol, receive, login):
    from parcours.stock.models import Item

    receive(paracetamol, 5)
    client = login(world.logistics)
    site = world.calais_day_centre.pk
    page = client.post(
        f"/stock/site/{site}/movement/transfer/",
        {"item": paracetamol.pk, "to_site": site, "quantity": "2"},
    )
    assert "A transfer goes to another site." in page.content.decode()
    other = Item.objects.create(
        code="DEXTIVER3T", name_fr="Ivermectine", name_en="Ivermectin", form="tablet", unit="tab"
    )
    page = client.post(f"/stock/site/{site}/movement/count/", {"item": other.pk, "counted": "3"})
    assert "This site does not stock DEXTIVER3T." in page.content.decode()
    page = client.post(
        f"/stock/site/{site}/movement/distribution/",
        {"item": paracetamol.pk, "quantity": "6", "people_count": "3"},
    )
    assert "5 tablet" in page.content.decode()
    page = client.post(
        "/stock/items/new/",
        {"code": "doraPARA5t", "name_fr": "x", "name_en": "x", "form": "tablet", "unit": "t"},
    )
    assert "An item with code DORAPARA5T exists already." in page.content.decode()
    assert LedgerLine.objects.count() == 1 and Item.objects.count() == 2


def test_home_alerts_for_the_pharmacy_staff_and_the_referent(world, paracetamol, receive, login):
    from parcours.stock import orders

    receive(paracetamol, 5, days=30)  # expiring within 3 months
    order = orders.order_create(
        actor=world.logistics,
        site=world.calais_day_centre,
        lines=[{"item": paracetamol.pk, "quantity": 10}],
    )
    orders.order_set_status(
        actor=world.logistics, order_id=order.pk, version=order.version, status="waiting"
    )
    logistics = login(world.logistics).get("/").content.decode()
    assert "Pharmacy alerts" in logistics and "1 batch expiring within 3 months" in logistics
    assert "waits for your validation" not in logistics
    referent = login(world.referent).get("/").content.decode()
    assert f"Order {order.reference}" in referent and "waits for your validation" in referent
    for persona in ("reception", "psychologist", "coordinator"):
        assert "Pharmacy alerts" not in login(world.users[persona]).get("/").content.decode()
