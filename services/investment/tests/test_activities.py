"""A lead's timeline: notes, calls, e-mails, meetings and tasks with due dates and completion."""

import uuid

import httpx

from .conftest import Headers
from .helpers import STRANGER, create_lead, lead_body

Parties = tuple[uuid.UUID, uuid.UUID]


async def test_the_timeline_in_time_order(
    client: httpx.AsyncClient, parties: Parties, as_org: Headers
) -> None:
    lead = await create_lead(client, lead_body(*parties))
    url = f"/v1/leads/{lead['id']}/activities"
    entries = [
        {"kind": "meeting", "subject": "B2B at the plaza", "occurred_at": "2025-09-18T10:00:00+09:00"},
        {"kind": "email", "subject": "Follow-up", "occurred_at": "2025-09-19T09:00:00+09:00"},
        {
            "kind": "call",
            "subject": "Price",
            "body": "12-month volume",
            "occurred_at": "2025-09-18T15:00:00+09:00",
        },
        {"kind": "task", "subject": "샘플 발송", "due_date": "2000-01-01"},
    ]
    made = []
    for entry in entries:
        response = await client.post(url, json=entry)
        assert response.status_code == 201, response.text
        made.append(response.json())
    assert made[3]["overdue"] is True
    timeline = (await client.get(url)).json()["items"]
    assert [item["subject"] for item in timeline] == ["B2B at the plaza", "Price", "Follow-up", "샘플 발송"]
    page = (await client.get(url, params={"limit": 2})).json()
    rest = (await client.get(url, params={"limit": 2, "cursor": page["next_cursor"]})).json()
    assert [item["subject"] for item in page["items"] + rest["items"]] == [i["subject"] for i in timeline]
    assert [item["kind"] for item in (await client.get(url, params={"kind": "call"})).json()["items"]] == [
        "call"
    ]
    assert (await client.get(url, headers=as_org(STRANGER))).status_code == 404


async def test_a_task_is_completed_and_reopened(client: httpx.AsyncClient, parties: Parties) -> None:
    lead = await create_lead(client, lead_body(*parties))
    url = f"/v1/leads/{lead['id']}/activities"
    task = (
        await client.post(url, json={"kind": "task", "subject": "Send NDA", "due_date": "2999-01-01"})
    ).json()
    assert (task["overdue"], task["completed_at"]) == (False, None)
    open_tasks = (await client.get(url, params={"open_tasks": "true"})).json()["items"]
    assert [item["id"] for item in open_tasks] == [task["id"]]
    done = await client.patch(f"{url}/{task['id']}", json={"completed": True}, headers={"If-Match": '"1"'})
    assert done.status_code == 200
    assert done.json()["completed_at"] is not None
    assert (await client.get(url, params={"open_tasks": "true"})).json()["items"] == []
    stale = await client.patch(f"{url}/{task['id']}", json={"completed": False}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    reopened = await client.patch(f"{url}/{task['id']}", json={"completed": False})
    assert reopened.json()["completed_at"] is None
    assert (await client.get(f"{url}/{task['id']}")).headers["etag"] == '"3"'
    assert (await client.get(f"{url}/{uuid.uuid4()}")).status_code == 404


async def test_only_tasks_have_due_dates(client: httpx.AsyncClient, parties: Parties) -> None:
    lead = await create_lead(client, lead_body(*parties))
    url = f"/v1/leads/{lead['id']}/activities"
    assert (
        await client.post(url, json={"kind": "note", "subject": "x", "due_date": "2025-01-01"})
    ).status_code == 422
    note = (await client.post(url, json={"kind": "note", "subject": "x"})).json()
    assert (await client.patch(f"{url}/{note['id']}", json={"completed": True})).status_code == 422
    assert (await client.post(url, json={"kind": "fax", "subject": "x"})).status_code == 422
