"""Certification of demonstration platforms (§4.1 公开申报，组织专家评审，统一授牌): standards published by
the office, an application filed by the platform, scored by experts one by one, decided once and
recognised, reviewed at term end; refusals change nothing."""
import datetime as dt

import pytest

import psp

MUNICIPAL = {"level": "municipal", "min_years_operating": 2, "min_grade": "good", "min_enterprises_served": 1,
             "min_expert_score": 600, "validity_years": 3}
PROVINCIAL = {"level": "provincial", "min_years_operating": 3, "min_grade": "good", "min_enterprises_served": 50,
              "min_expert_score": 750, "min_years_recognised_below": 2}


def record(platform, grade="good", enterprises=12):
    return {"platform": platform, "years_operating": 4, "grade": grade, "enterprises_served": enterprises,
            "utilisation_bp": 4200}


def application(platform, filed="2025-03-01", level="municipal", **facts):
    return {"platform": platform, "level": level, "filed": filed, "record": record(platform, **facts)}


def state(db):
    return (db.certification_standards(), db.certification_cases(), db.recognitions(), len(db.journal()))


def score(db, case, scores):
    for expert, value in scores.items():
        db.score_certification(psp.Actor.expert(expert), case, value)


def test_a_platform_applies_experts_score_the_office_recognises_it(net, office):
    db = net.db
    owner = psp.Actor.operator_of(net.backbone)
    with pytest.raises(psp.Refused, match="no certification standard"):
        db.apply_for_certification(owner, application(net.backbone))
    with pytest.raises(psp.PermissionDenied):
        db.set_certification_standards(owner, [MUNICIPAL])
    db.set_certification_standards(office, [PROVINCIAL, MUNICIPAL])
    setting = db.certification_standards()
    assert [s["level"] for s in setting["standards"]] == ["municipal", "provincial"]
    assert setting["panel"] == {"min_score": 0, "max_score": 1000, "min_experts": 3, "decimals": 1}
    assert db.journal()[-1].entity == psp.EntityKind.CERTIFICATION

    facts = db.platform_record(net.backbone, dt.date(2025, 3, 1))
    assert facts["platform"] == net.backbone and facts["grade"] is None and facts["enterprises_served"] == 0

    with pytest.raises(psp.PermissionDenied):
        db.apply_for_certification(psp.Actor.operator_of(net.rival), application(net.backbone))
    case = db.apply_for_certification(owner, application(net.backbone))
    assert case == 1
    with pytest.raises(psp.Exists, match="open application"):
        db.apply_for_certification(owner, application(net.backbone))

    score(db, case, {"Wang": 820, "Li": 900})
    with pytest.raises(psp.PermissionDenied):
        db.score_certification(office, case, 700)
    with pytest.raises(psp.Invalid, match="Wang.*already"):
        db.score_certification(psp.Actor.expert("Wang"), case, 800)
    with pytest.raises(psp.Invalid, match="1001"):
        db.score_certification(psp.Actor.expert("Zhao"), case, 1001)
    with pytest.raises(psp.NotFound):
        db.score_certification(psp.Actor.expert("Zhao"), 9, 700)
    with pytest.raises(psp.Invalid, match="3 experts required"):
        db.decide_certification(office, case, "2025-04-01")
    score(db, case, {"Zhao": 700, "Qian": 850})
    with pytest.raises(psp.PermissionDenied):
        db.decide_certification(owner, case, "2025-04-01")

    # 700 and 900 dropped: (820 + 850) / 2 = 83.5 >= 60.0.
    decided = db.decide_certification(office, case, dt.date(2025, 4, 1))
    assert decided["decision"]["approved"] is True
    assert decided["decision"]["panel"]["score"] == 835 and decided["decision"]["panel"]["score_text"] == "83.5"
    assert decided["decision"]["panel"]["dropped_highest"] == "Li"
    assert decided["certificate"] == 1 and decided["decided"] == "2025-04-01"
    assert db.certification_case(case) == decided
    assert db.certification_cases() == [decided]
    with pytest.raises(psp.Refused, match="already decided"):
        db.decide_certification(office, case, "2025-04-02")

    term = db.recognition(net.backbone, "2025-04-01")
    assert term["level"] == "municipal" and term["from"] == "2025-04-01" and term["until"] == "2028-04-01"
    assert db.recognition(net.backbone, dt.date(2025, 3, 31)) is None
    assert db.recognition(net.rival, "2025-04-01") is None
    assert db.recognitions() == [term] and db.recognitions(net.backbone) == [term] and db.recognitions(net.rival) == []
    assert [t["number"] for t in db.recognitions_due("2028-04-01")] == [1]
    assert db.recognitions_due("2028-03-31") == []
    assert db.platform_record(net.backbone, "2027-04-01")["years_recognised"]["municipal"] == 2

    # At term end, graded poor: it meets no level and is withdrawn.
    with pytest.raises(psp.PermissionDenied):
        db.review_recognition(owner, record(net.backbone, grade="poor"), "2028-04-01")
    review = db.review_recognition(office, record(net.backbone, grade="poor"), dt.date(2028, 4, 1))
    assert review["kind"] == "withdrawn" and review["to_level"] is None and review["next"] is None
    assert db.recognition(net.backbone, "2028-04-01") is None
    assert db.recognitions(net.backbone)[0]["end"] == "withdrawn"


def test_a_refused_application_grants_nothing(net, office):
    db = net.db
    db.set_certification_standards(office, [MUNICIPAL, PROVINCIAL], panel={"min_experts": 3})
    case = db.apply_for_certification(office, application(net.rival, enterprises=0))
    score(db, case, {"A": 550, "B": 550, "C": 550})
    decided = db.decide_certification(office, case, "2025-03-20")
    assert decided["decision"]["approved"] is False and decided["certificate"] == 0
    assert len(decided["decision"]["reasons"]) == 2 and "55.0" in decided["decision"]["reasons"][1]
    assert db.recognitions() == []


def test_bad_standards_applications_and_dates_change_nothing(net, office):
    db = net.db
    before = state(db)
    contradictory = [dict(MUNICIPAL, min_utilisation_bp=4000), dict(PROVINCIAL, min_utilisation_bp=3000)]
    with pytest.raises(psp.Invalid, match="standards_json/standards: .*provincial min_utilisation_bp"):
        db.set_certification_standards(office, contradictory)
    with pytest.raises(psp.Invalid, match="min_expert_score"):
        db.set_certification_standards(office, [MUNICIPAL], panel={"max_score": 100})
    with pytest.raises(psp.Invalid, match="standards_json/standards/0/colour"):
        db.set_certification_standards(office, [dict(MUNICIPAL, colour="red")])
    with pytest.raises(psp.Invalid, match="malformed JSON"):
        db.set_certification_standards(office, "{")
    with pytest.raises(TypeError):
        db.set_certification_standards(office, {"standards": []})
    assert state(db) == before

    db.set_certification_standards(office, [MUNICIPAL])
    before = state(db)
    with pytest.raises(psp.Invalid, match="application_json/filed"):
        db.apply_for_certification(office, application(net.backbone, filed="2025-02-30"))
    with pytest.raises(psp.Invalid, match="application_json/record/platform"):
        db.apply_for_certification(office, dict(application(net.backbone), record=record(net.rival)))
    with pytest.raises(psp.Invalid, match="application_json/record"):
        db.apply_for_certification(office, dict(application(net.backbone),
                                                record=dict(record(net.backbone), utilisation_bp=12000)))
    with pytest.raises(psp.NotFound):
        db.apply_for_certification(office, application(99))
    with pytest.raises(TypeError):
        db.apply_for_certification(office, 42)
    with pytest.raises(psp.Invalid, match="date"):
        db.platform_record(net.backbone, "2025-3-1")
    with pytest.raises(psp.Invalid, match="date"):
        db.recognitions_due("tomorrow")
    with pytest.raises(TypeError):
        db.recognition(net.backbone, 20250301)
    with pytest.raises(psp.NotFound):
        db.platform_record(99, "2025-03-01")
    with pytest.raises(psp.NotFound):
        db.certification_case(1)
    with pytest.raises(psp.NotFound):
        db.review_recognition(office, record(net.backbone), "2025-03-01")   # nothing to review
    with pytest.raises(psp.Invalid, match="record_json/grade"):
        db.review_recognition(office, record(net.backbone, grade="bad"), "2025-03-01")
    assert state(db) == before
