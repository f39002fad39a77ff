"""Rolling the network out: the joint review of a purchase (§2.3) and the sub-platform plan (§3.2)."""
import pytest

import psp


def test_joint_review_shares_an_idle_instrument_and_is_journaled(net, office):
    db = net.db
    before = len(db.journal())
    r = db.review_purchase(office, net.sub, net.cls, net.z2, 200_000_000, 600, "a second MS")
    assert r["decision"] == "share_existing"
    assert r["candidates"][0]["equipment"] == net.eq
    assert r["free_hours_nearby"] >= 600
    entries = db.journal()
    assert len(entries) == before + 1
    assert entries[-1].entity == psp.EntityKind.PURCHASE_REVIEW


def test_joint_review_rejects_too_little_use_and_approves_when_busy(net, office):
    db = net.db
    assert db.review_purchase(office, net.sub, net.cls, net.z2, 200_000_000, 50)["rule"] == "too_little_use"
    r = db.review_purchase(office, net.sub, net.cls, net.z2, 200_000_000, 600, busy_utilisation_bp=0)
    assert r["decision"] == "approve" and r["free_hours_nearby"] == 0


def test_joint_review_bad_input(net, office):
    db = net.db
    before = len(db.journal())
    with pytest.raises(psp.Invalid, match="purchase_value"):
        db.review_purchase(office, net.sub, net.cls, net.z2, -1, 600)
    with pytest.raises(psp.NotFound):
        db.review_purchase(office, net.sub, 999, net.z2, 1, 600)
    assert len(db.journal()) == before


def test_rollout_plan(net):
    db = net.db
    plan = db.plan_rollout(net.backbone, 1, demand={net.z1: 10, net.z2: 4})
    assert plan["total_demand"] == 14
    assert plan["covered_initially"] == 14   # the backbone and its sub-platform reach both zones
    assert len(plan["phases"]) == 1 and len(plan["phases"][0]["sites"]) == 1
    assert "63.2 %" in plan["bound"]
    with pytest.raises(psp.Invalid, match="candidate sites"):
        db.plan_rollout(net.backbone, 5)
    with pytest.raises(psp.Invalid, match="not a backbone"):
        db.plan_rollout(net.plain, 1)
