"""Fixtures of the psp Python tests: databases that are always closed, and a small network."""
import os
import sys

import pytest

# Run from a source checkout without installing: the package sits beside this directory.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import psp  # noqa: E402

NOW = 1_700_000_000


@pytest.fixture
def office():
    return psp.Actor.office("推进办公室")


@pytest.fixture
def db():
    d = psp.Database.open(":memory:", clock=lambda: NOW)
    yield d
    d.close()


class Net:
    """Ids of the network built by the `net` fixture."""


@pytest.fixture
def net(db, office):
    n = Net()
    n.db = db
    n.d1 = db.add(office, psp.District("上城区", 1.5, 0.0))
    n.d2 = db.add(office, psp.District("滨江区", 3.0, -4.0))
    db.set_travel(office, psp.Travel(n.d1, n.d2, 25))
    n.z1 = db.add(office, psp.Zone("钱江新城CBD", n.d1, psp.ZoneType.CENTRAL_BUSINESS))
    n.z2 = db.add(office, psp.Zone("高新区", n.d2, psp.ZoneType.TECH_INNOVATION))
    qt = {psp.ServiceKind.QUALITY_TESTING, psp.ServiceKind.EQUIPMENT_SHARING}
    n.backbone = db.add(office, psp.Platform(
        "Backbone testing centre", n.d1, psp.PlatformTier.MUNICIPAL, psp.PlatformField.QUALITY_TESTING,
        psp.OperatorModel.RESEARCH_INSTITUTE, frozenset(qt), backbone=True,
        status=psp.PlatformStatus.OPERATING))
    n.sub = db.add(office, psp.Platform(
        "Sub-platform Binjiang", n.d2, psp.PlatformTier.MUNICIPAL, psp.PlatformField.QUALITY_TESTING,
        services=frozenset(qt), parent=n.backbone, status=psp.PlatformStatus.OPERATING))
    n.plain = db.add(office, psp.Platform(
        "Design hub", n.d1, services=frozenset({psp.ServiceKind.PRODUCT_DESIGN}),
        status=psp.PlatformStatus.OPERATING))
    n.rival = db.add(office, psp.Platform(
        "Rival lab", n.d1, field=psp.PlatformField.QUALITY_TESTING,
        services=frozenset({psp.ServiceKind.QUALITY_TESTING}), status=psp.PlatformStatus.OPERATING))
    db.set_zone_service(office, psp.ZoneService(n.backbone, n.z1, 10))
    db.set_zone_service(office, psp.ZoneService(n.rival, n.z1, 10))
    db.set_zone_service(office, psp.ZoneService(n.sub, n.z2, 5))
    db.add_link(office, psp.Link(n.plain, n.backbone, psp.LinkKind.HIGHER_TIER))
    n.cls = db.add(office, psp.EquipmentClass("Mass spectrometer", "analysis"))
    n.eq = db.add(office, psp.Equipment("MS-01", n.cls, n.backbone, n.d1, capacity_units=2,
                                        purchase_value=350_000_000))
    n.ent = db.add(office, psp.Enterprise("杭州某某科技有限公司", n.z1, psp.EnterpriseSize.MICRO, "software"))
    n.alliance = db.add(office, psp.Alliance(
        "Quality alliance", n.backbone,
        [psp.AllianceMember(n.backbone, psp.MemberRole.LEAD), psp.AllianceMember(n.sub, psp.MemberRole.CORE),
         psp.AllianceMember(n.plain)],
        psp.AllianceScope.CROSS_REGIONAL, breadth=psp.AllianceBreadth.SPECIALISED, one_stop=True))
    return n
