"""Major projects (§6): filed and updated as dicts, the rolling pipeline, supervision escalating a
project that stays behind plan, and the supervision report."""
import datetime as dt
import json

import pytest

import psp

MILLION = 100_000_000   # one million yuan in fen


def building(owner):
    """A building project: 35 % of its milestones done, 60 % due by 2025-12-31."""
    return {
        "name": "Zone testing database", "kind": "database", "platforms": [owner],
        "budget": 10 * MILLION,
        "funding": {"government": 6 * MILLION, "platform": 3 * MILLION, "private_capital": 1 * MILLION},
        "stage": "building", "start": "2025-01-01", "end": "2026-12-31", "approved": "2025-01-01",
        "milestones": [
            {"due": "2025-03-31", "description": "design approved", "weight_bp": 1000, "done": "2025-03-20"},
            {"due": "2025-06-30", "description": "equipment purchased", "weight_bp": 2500, "done": "2025-06-28"},
            {"due": "2025-09-30", "description": "system online", "weight_bp": 2500},
            {"due": "2026-03-31", "description": "pilot service", "weight_bp": 2000},
            {"due": "2026-12-31", "description": "acceptance", "weight_bp": 2000},
        ],
        "disbursements": [{"on": "2025-02-01", "amount": 2 * MILLION, "note": "first tranche"}],
        "spending": [{"on": "2025-03-01", "amount": MILLION, "note": "design"},
                     {"on": "2025-06-01", "amount": MILLION, "note": "equipment"}],
    }


def planned(owner, name="Second database", score=0):
    return {"name": name, "kind": "large_laboratory", "platforms": [owner], "budget": 0, "score": score,
            "start": "2026-01-01", "end": "2026-12-31"}


def test_projects_are_filed_updated_and_read_back(net, office):
    db = net.db
    pid = db.add_project(office, building(net.backbone))
    assert pid == 1
    assert db.add_project(office, json.dumps(planned(net.backbone))) == 2
    p = db.project(pid)
    assert p["id"] == pid and p["stage"] == "building" and p["milestones"][2]["done"] is None
    assert [q["id"] for q in db.projects()] == [1, 2]

    owner = psp.Actor.operator_of(net.backbone)
    p["spending"].append({"on": "2025-09-01", "amount": 500_000, "note": "staff"})
    db.update_project(owner, p)
    assert db.project(pid)["spending"][-1]["note"] == "staff"
    with pytest.raises(psp.PermissionDenied):
        db.update_project(psp.Actor.operator_of(net.rival), p)
    with pytest.raises(psp.Refused, match="stage"):
        db.update_project(office, dict(p, stage="reserved"))


def test_bad_projects_change_nothing(net, office):
    db = net.db
    db.add_project(office, building(net.backbone))
    before = len(db.journal())
    bad = building(net.backbone)
    bad["milestones"][0]["weight_bp"] = 500
    with pytest.raises(psp.Invalid, match="weights"):
        db.add_project(office, bad)
    with pytest.raises(psp.Invalid, match="weights"):
        db.update_project(office, dict(bad, id=1))
    with pytest.raises(psp.Invalid, match="project_json/colour"):
        db.add_project(office, dict(planned(net.backbone), colour="red"))
    with pytest.raises(psp.Invalid, match="project_json/start"):
        db.add_project(office, dict(planned(net.backbone), start="2025-02-30"))
    with pytest.raises(psp.Invalid, match="malformed JSON"):
        db.add_project(office, "{")
    with pytest.raises(TypeError):
        db.add_project(office, 42)
    with pytest.raises(psp.NotFound):
        db.project(99)
    assert len(db.projects()) == 1
    assert len(db.journal()) == before


def test_pipeline_promotes_the_better_scored(net, office):
    db = net.db
    a = db.add_project(office, planned(net.backbone, "First database"))
    b = db.add_project(office, planned(net.backbone, "Second database", score=80))
    result = db.advance_pipeline(office, dt.date(2025, 1, 15), targets={"reserved": 1})
    assert result["on"] == "2025-01-15"
    assert db.project(b)["stage"] == "reserved" and db.project(a)["stage"] == "planned"
    assert len(result["moves"]) == 2
    assert [s["stage"] for s in result["stages"]] == ["planned", "reserved", "building", "completed", "revoked"]
    # The office's own ranking goes first.
    result = db.advance_pipeline(office, "2025-02-01", targets={"reserved": 2}, ranking=[a])
    assert db.project(a)["stage"] == "reserved"
    with pytest.raises(psp.Invalid, match="targets_json/plannd"):
        db.advance_pipeline(office, "2025-03-01", targets={"plannd": 3})
    with pytest.raises(psp.Invalid, match="date"):
        db.advance_pipeline(office, "2025-3-01")
    with pytest.raises(psp.PermissionDenied):
        db.advance_pipeline(psp.Actor.operator_of(net.backbone), "2025-03-01")


def test_supervision_escalates_and_is_reported(net, office):
    db = net.db
    pid = db.add_project(office, building(net.backbone))
    assert db.supervision_decisions() == []
    with pytest.raises(psp.Invalid, match="date"):
        db.supervise(office, "2025-12-32")
    with pytest.raises(psp.Invalid, match="thresholds_json/colour"):
        db.supervise(office, "2025-12-31", thresholds={"colour": 1})
    with pytest.raises(psp.Invalid, match="thresholds_json"):
        db.supervise(office, "2025-12-31", thresholds={"behind_rectify_bp": 500})

    first = db.supervise(office, dt.date(2025, 12, 31), thresholds={"rectify_days": 90})
    assert [d["verdict"] for d in first] == ["rectify"]
    assert first[0]["deadline"] == "2026-03-31" and first[0]["project"] == pid
    assert db.supervise(office, "2026-04-01")[0]["verdict"] == "suspend_funding"
    assert db.supervise(office, dt.datetime(2026, 7, 1, 9, 30))[0]["verdict"] == "revoke"
    assert db.project(pid)["stage"] == "revoked"
    assert [d["verdict"] for d in db.supervision_decisions(pid)] == ["rectify", "suspend_funding", "revoke"]

    office_name = "Shangcheng District Service Industry Office"
    report = db.supervision_report(office_name, "2026 H1", dt.date(2026, 1, 1), "2026-06-30")
    assert report["office"] == office_name and report["period"]["label"] == "2026 H1"
    assert [e["decision"]["verdict"] for e in report["entries"]] == ["suspend_funding"]
    assert report["count"]["suspend_funding"] == 1
    text = db.supervision_report_text(office_name, "2026 H1", "2026-01-01", "2026-06-30")
    assert "Zone testing database" in text
    with pytest.raises(psp.Invalid):
        db.supervision_report(office_name, "reversed", "2026-06-30", "2026-01-01")
    with pytest.raises(psp.Invalid, match="last_date"):
        db.supervision_report(office_name, "H1", "2026-01-01", "2026-06-31")
    with pytest.raises(TypeError):
        db.supervision_report(office_name, "H1", 20260101, "2026-06-30")
