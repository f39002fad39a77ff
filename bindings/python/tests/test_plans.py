"""City plans (§1.1 制定年度计划…进行任务分解，确保有效落实): filed and revised by the office as dicts,
tasks reported by the units they are assigned to, the overdue report as data and as text; refusals
change nothing."""
import copy
import datetime as dt

import pytest

import psp


def plan_of(tech, quality):
    """A 2021-2025 city plan with its 2025 annual plan: one task each for two platforms and the office."""
    def task(id, title, unit, deadline, status="not_started"):
        return {"id": id, "title": title, "unit": unit, "created": "2025-01-05", "deadline": deadline,
                "status": status}
    return {
        "title": "Service-zone platform plan 2021-2025", "first_year": 2021, "last_year": 2025,
        "annual_plans": [{"id": 1, "year": 2025, "title": "2025 annual plan", "tasks": [
            task(11, "Open the one-stop front door", {"platform": tech}, "2025-03-31", "in_progress"),
            task(12, "Publish fees and processes", {"platform": quality}, "2025-04-30"),
            task(13, "Draft the certification rules", {"office": "推进办公室"}, "2025-06-30"),
        ]}],
    }


def test_a_plan_is_filed_reported_and_revised(net, office):
    db = net.db
    owner = psp.Actor.operator_of(net.backbone)
    with pytest.raises(psp.PermissionDenied):
        db.add_city_plan(owner, plan_of(net.backbone, net.rival))
    pid = db.add_city_plan(office, plan_of(net.backbone, net.rival))
    assert pid == 1
    stored = db.city_plan(pid)
    assert stored["id"] == 1 and stored["annual_plans"][0]["tasks"][2]["unit"] == {"office": "推进办公室"}
    assert stored["annual_plans"][0]["tasks"][0]["done_on"] is None
    assert db.city_plans() == [stored]
    assert db.journal()[-1].entity == psp.EntityKind.CITY_PLAN

    # The backbone reports its own task done; not the rival's, nor the office's.
    db.set_task_status(owner, pid, 11, psp.TaskStatus.DONE, dt.date(2025, 4, 10))
    with pytest.raises(psp.PermissionDenied):
        db.set_task_status(owner, pid, 12, psp.TaskStatus.DONE, "2025-04-10")
    with pytest.raises(psp.PermissionDenied):
        db.set_task_status(owner, pid, 13, psp.TaskStatus.DONE, "2025-04-10")
    task = db.city_plan(pid)["annual_plans"][0]["tasks"][0]
    assert task["status"] == "done" and task["done_on"] == "2025-04-10"

    # On 2025-07-01: 11 done late, 12 overdue 62 days, 13 overdue 1 day.
    report = db.overdue_report(pid, "2025-07-01")
    assert report["on"] == "2025-07-01"
    assert report["summary"]["due"] == 3 and report["summary"]["done_late"] == 1 and report["summary"]["overdue"] == 2
    assert report["units"][0]["unit"] == {"platform": net.rival} and report["units"][0]["most_days_overdue"] == 62
    text = db.overdue_report_text(pid, dt.date(2025, 7, 1))
    assert "Rival lab" in text and "推进办公室" in text and "62 days" in text

    revised = db.city_plan(pid)
    revised["annual_plans"][0]["tasks"][2]["deadline"] = "2025-09-30"
    with pytest.raises(psp.PermissionDenied):
        db.update_city_plan(owner, revised)
    db.update_city_plan(office, revised)
    assert db.overdue_report(pid, "2025-07-01")["summary"]["overdue"] == 1
    db.set_task_status(office, pid, 12, psp.TaskStatus.CANCELLED, "2025-07-02")
    assert db.overdue_report(pid, "2025-07-03")["summary"]["cancelled"] == 1
    db.set_task_status(office, pid, 12, psp.TaskStatus.NOT_STARTED, "2025-07-03")
    assert db.city_plan(pid)["annual_plans"][0]["tasks"][1]["cancelled_on"] is None


def test_bad_plans_and_reports_change_nothing(net, office):
    db = net.db
    pid = db.add_city_plan(office, plan_of(net.backbone, net.rival))
    plans, rows = db.city_plans(), len(db.journal())

    outside = plan_of(net.backbone, net.rival)
    outside["annual_plans"][0]["tasks"][1]["deadline"] = "2026-01-31"   # outside its annual plan's year
    with pytest.raises(psp.Invalid, match="plan_json: .*deadline"):
        db.add_city_plan(office, outside)
    with pytest.raises(psp.Invalid, match="deadline"):
        db.update_city_plan(office, dict(outside, id=pid))
    twice = plan_of(net.backbone, net.rival)
    twice["annual_plans"][0]["tasks"][1]["id"] = 11
    with pytest.raises(psp.Invalid, match="11"):
        db.add_city_plan(office, twice)
    unknown_unit = plan_of(net.backbone, 99)
    with pytest.raises(psp.NotFound):
        db.add_city_plan(office, unknown_unit)
    bad_date = copy.deepcopy(plan_of(net.backbone, net.rival))
    bad_date["annual_plans"][0]["tasks"][0]["created"] = "2025-02-30"
    with pytest.raises(psp.Invalid, match="plan_json/annual_plans/0/tasks/0/created"):
        db.add_city_plan(office, bad_date)
    with pytest.raises(psp.Invalid, match="plan_json/colour"):
        db.add_city_plan(office, dict(plan_of(net.backbone, net.rival), colour="red"))
    with pytest.raises(psp.Invalid, match="malformed JSON"):
        db.add_city_plan(office, "{")
    with pytest.raises(TypeError):
        db.add_city_plan(office, 42)
    with pytest.raises(psp.NotFound):
        db.update_city_plan(office, dict(plan_of(net.backbone, net.rival), id=7))

    with pytest.raises(psp.NotFound):
        db.set_task_status(office, 5, 12, psp.TaskStatus.DONE, "2025-04-10")
    with pytest.raises(psp.NotFound):
        db.set_task_status(office, pid, 99, psp.TaskStatus.DONE, "2025-04-10")
    with pytest.raises(psp.Invalid, match="done_on"):
        db.set_task_status(office, pid, 12, psp.TaskStatus.DONE, "2024-12-01")   # before it was assigned
    with pytest.raises(psp.Invalid, match="status"):
        db.set_task_status(office, pid, 12, 7, "2025-04-10")
    with pytest.raises(psp.Invalid, match="date"):
        db.set_task_status(office, pid, 12, psp.TaskStatus.DONE, "2025-13-01")
    assert db.city_plans() == plans and len(db.journal()) == rows

    with pytest.raises(psp.NotFound):
        db.city_plan(5)
    with pytest.raises(psp.NotFound):
        db.overdue_report(5, "2025-07-01")
    with pytest.raises(psp.NotFound):
        db.overdue_report_text(5, "2025-07-01")
    with pytest.raises(psp.Invalid, match="date"):
        db.overdue_report(pid, "2025-07-32")
    with pytest.raises(TypeError):
        db.overdue_report(pid, None)
