"""Prices and innovation vouchers: tariffs, voucher schemes (dataclasses, dicts or JSON text), the
price of each booking, voucher accounts and redemptions per platform; bad input raises and changes
nothing."""
import dataclasses
import json

import pytest

import psp
from test_booking import clock, lab, local  # noqa: F401  (fixtures)

ALL_SIZES = {"micro": 6000, "small": 6000, "medium": 5000, "large": 0}

COUNTY = {
    "name": "County innovation voucher",
    "share_bp": ALL_SIZES,
    "per_use_cap": 2_000_000,
    "yearly_cap": 10_000_000,
    "services": ["equipment_sharing", "quality_testing"],
    "accepted_by": {"whole_city": True},
    "first_year": 2025,
    "last_year": 2027,
}

TARIFF = psp.Tariff(30_000, 45_000, minimum_charge=15_000, late_cancel_fee=10_000)


def scheme(**changes):
    return dict(COUNTY, **changes)


@pytest.fixture
def priced(lab, office):
    """The lab with a tariff, its enterprises' zone served by the platform (member rate) and the
    county voucher scheme."""
    db = lab.db
    zone = db.get(psp.Enterprise, lab.ent).zone
    db.set_zone_service(office, psp.ZoneService(lab.platform, zone, 10))
    db.set_tariff(lab.op, lab.eq, TARIFF)
    lab.scheme = db.add_voucher_scheme(office, COUNTY)
    return lab


def test_tariff(lab, office):
    db = lab.db
    assert db.tariff(lab.eq) is None                       # free of charge, not an error
    db.set_tariff(lab.op, lab.eq, TARIFF)
    assert db.tariff(lab.eq) == TARIFF
    assert db.booking_rules(lab.eq).late_cancel_fee == 10_000   # the tariff publishes the fee
    flat = psp.Tariff(1000, 2000, per_unit=False)
    db.set_tariff(office, lab.eq, flat)
    assert db.tariff(lab.eq) == flat

    journal = len(db.journal())
    with pytest.raises(psp.Invalid, match="member_rate"):
        db.set_tariff(lab.op, lab.eq, psp.Tariff(-1, 0))
    with pytest.raises(psp.Invalid, match="external_rate"):
        db.set_tariff(lab.op, lab.eq, psp.Tariff(0, 1_000_000_001))
    with pytest.raises(psp.Invalid, match="minimum_charge"):
        db.set_tariff(lab.op, lab.eq, psp.Tariff(0, 0, minimum_charge=-5))
    with pytest.raises(psp.PermissionDenied):
        db.set_tariff(lab.firm, lab.eq, TARIFF)
    with pytest.raises(psp.PermissionDenied):
        db.set_tariff(psp.Actor.operator_of(lab.other), lab.eq, TARIFF)
    with pytest.raises(psp.NotFound):
        db.set_tariff(office, 999, TARIFF)
    with pytest.raises(psp.NotFound):
        db.tariff(999)
    with pytest.raises(TypeError):
        db.set_tariff(office, lab.eq, {"member_rate": 1, "external_rate": 1})
    assert db.tariff(lab.eq) == flat
    assert len(db.journal()) == journal


def test_voucher_schemes(lab, office):
    db = lab.db
    assert db.voucher_schemes() == []
    assert db.add_voucher_scheme(office, COUNTY) == 1
    design = psp.VoucherScheme(
        "Design voucher", {size: 5000 for size in psp.EnterpriseSize}, frozenset({psp.ServiceKind.EQUIPMENT_SHARING}),
        psp.VoucherAcceptance(platforms=[lab.platform], regions=["Shanghai"]), 2025, 2026, per_use_cap=100_000)
    assert db.add_voucher_scheme(office, design) == 2
    assert db.add_voucher_scheme(office, json.dumps(scheme(name="Text voucher", id=77))) == 3   # id is assigned

    county, got, text = db.voucher_schemes()
    assert got == dataclasses.replace(design, id=2)
    assert county.id == 1 and county.name == COUNTY["name"] and county.yearly_cap == 10_000_000
    assert county.share_bp == {psp.EnterpriseSize.MICRO: 6000, psp.EnterpriseSize.SMALL: 6000,
                               psp.EnterpriseSize.MEDIUM: 5000, psp.EnterpriseSize.LARGE: 0}
    assert county.services == {psp.ServiceKind.EQUIPMENT_SHARING, psp.ServiceKind.QUALITY_TESTING}
    assert county.accepted_by == psp.VoucherAcceptance(whole_city=True)
    assert text.id == 3 and text.name == "Text voucher"
    assert psp.VoucherScheme.from_dict(county.to_dict()) == county


def test_bad_voucher_schemes_change_nothing(lab, office):
    db = lab.db
    db.add_voucher_scheme(office, COUNTY)
    before, journal = db.voucher_schemes(), len(db.journal())
    with pytest.raises(psp.PermissionDenied):
        db.add_voucher_scheme(lab.op, COUNTY)
    with pytest.raises(psp.Invalid, match="/share_bp/micro"):
        db.add_voucher_scheme(office, scheme(share_bp=dict(ALL_SIZES, micro=10_001)))
    with pytest.raises(psp.Invalid, match="/share_bp/large"):
        db.add_voucher_scheme(office, scheme(share_bp={"micro": 1, "small": 1, "medium": 1}))
    with pytest.raises(psp.Invalid, match="/services/0"):
        db.add_voucher_scheme(office, scheme(services=["juggling"]))
    with pytest.raises(psp.Invalid, match="/per_use_cap"):
        db.add_voucher_scheme(office, scheme(per_use_cap=1.5))          # fen are integers
    with pytest.raises(psp.Invalid, match="colour"):
        db.add_voucher_scheme(office, scheme(colour="red"))
    with pytest.raises(psp.Invalid, match="last_year"):
        db.add_voucher_scheme(office, scheme(first_year=2027, last_year=2025))
    with pytest.raises(psp.Invalid, match="scheme_json"):
        db.add_voucher_scheme(office, '{"name": ')
    with pytest.raises(psp.NotFound, match="999"):
        db.add_voucher_scheme(office, scheme(accepted_by={"platforms": [999]}))
    missing_size = psp.VoucherScheme("x", {psp.EnterpriseSize.MICRO: 1}, frozenset({psp.ServiceKind.TALENT}),
                                     psp.VoucherAcceptance(whole_city=True), 2025, 2025)
    with pytest.raises(psp.Invalid, match="/share_bp/small"):
        db.add_voucher_scheme(office, missing_size)
    with pytest.raises(TypeError):
        db.add_voucher_scheme(office, 42)
    assert db.voucher_schemes() == before
    assert len(db.journal()) == journal


def test_price_of_bookings(priced):
    db, lab = priced.db, priced
    # 2 h at the member rate of 300 yuan: 600 yuan, of which a small firm's voucher pays 60 %.
    out = db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(1, 10), local(1, 12), voucher=lab.scheme))
    assert out
    assert db.price_of(out.booking.id) == psp.Price(60_000, 24_000, 36_000, lab.scheme, "")
    assert db.voucher_account(lab.ent, lab.scheme, 2025) == 36_000
    assert db.voucher_account(lab.ent2, lab.scheme, 2025) == 0
    # Without a voucher the enterprise pays it all; 30 min costs the minimum charge.
    out2 = db.book(lab.rival, psp.BookingRequest(lab.eq, lab.ent2, local(1, 14), local(1, 14, 30)))
    assert db.price_of(out2.booking.id) == psp.Price(15_000, 15_000, 0, None, "")

    # A scheme the platform does not accept pays nothing, and says why.
    elsewhere = db.add_voucher_scheme(psp.Actor.office(), scheme(accepted_by={"platforms": [lab.other]}))
    out3 = db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(2, 10), local(2, 11), voucher=elsewhere))
    p = db.price_of(out3.booking.id)
    assert (p.gross, p.voucher_pays, p.enterprise_pays, p.scheme) == (30_000, 0, 30_000, elsewhere)
    assert p.voucher_note

    with pytest.raises(psp.NotFound):
        db.price_of(999)
    with pytest.raises(psp.NotFound):
        db.voucher_account(lab.ent, 999, 2025)
    with pytest.raises(psp.NotFound):
        db.voucher_account(999, lab.scheme, 2025)


def test_unknown_voucher_books_nothing(priced):
    db, lab = priced.db, priced
    journal = len(db.journal())
    with pytest.raises(psp.NotFound, match="voucher"):
        db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(1, 10), local(1, 11), voucher=999))
    fine = psp.BookingRequest(lab.eq, lab.ent, local(1, 10), local(1, 11), voucher=lab.scheme)
    with pytest.raises(psp.NotFound, match="voucher"):
        db.book_batch(lab.firm, [fine, psp.BookingRequest(lab.eq, lab.ent, local(1, 11), local(1, 12), voucher=999)])
    with pytest.raises(psp.NotFound, match="voucher"):
        db.book_series(lab.firm, dataclasses.replace(fine, voucher=999), psp.Recurrence(count=2))
    with pytest.raises(psp.NotFound, match="voucher"):
        db.join_waitlist(lab.firm, dataclasses.replace(fine, voucher=999))
    assert db.bookings_of_equipment(lab.eq, local(0, 0), local(30, 0)) == []
    assert db.voucher_account(lab.ent, lab.scheme, 2025) == 0
    assert len(db.journal()) == journal


def test_vouchers_in_batches_series_and_the_waitlist(priced):
    db, lab = priced.db, priced
    hour = [psp.BookingRequest(lab.eq, lab.ent, local(1, h), local(1, h + 1), voucher=lab.scheme) for h in (9, 10)]
    hour.append(psp.BookingRequest(lab.eq, lab.ent, local(1, 11), local(1, 12)))
    outcomes = db.book_batch(lab.firm, hour)
    assert [db.price_of(o.booking.id).voucher_pays for o in outcomes] == [18_000, 18_000, 0]
    series = db.book_series(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(2, 9), local(2, 10),
                                                         voucher=lab.scheme),
                            psp.Recurrence(psp.Every.DAY, count=2))
    assert [db.price_of(b.id).voucher_pays for b in series.booked] == [18_000, 18_000]
    # Both units taken at 14:00 on day 3; the waiting request keeps its voucher when promoted.
    full = db.book(lab.rival, psp.BookingRequest(lab.eq, lab.ent2, local(3, 14), local(3, 15), units=2))
    waiting = db.join_waitlist(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(3, 14), local(3, 15),
                                                            voucher=lab.scheme))
    assert waiting.request.voucher == lab.scheme   # the entry shows the voucher it will pay with
    assert db.waitlist(lab.eq)[0].request.voucher == lab.scheme
    db.cancel(lab.rival, full.booking.id)
    (promoted,) = db.take_promotions()
    assert db.price_of(promoted.booking).voucher_pays == 18_000
    assert db.voucher_account(lab.ent, lab.scheme, 2025) == 5 * 18_000


def test_voucher_redemptions(priced, clock):
    db, lab = priced.db, priced
    first = db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(3, 10), local(3, 12), voucher=lab.scheme))
    clock.now = local(0, 9)
    db.book(lab.firm, psp.BookingRequest(lab.eq, lab.ent, local(2, 10), local(2, 11), voucher=lab.scheme))
    clock.now = local(0, 10)
    db.cancel(lab.firm, first.booking.id)           # in time: the voucher part is refunded
    assert db.voucher_account(lab.ent, lab.scheme, 2025) == 18_000

    day = db.voucher_redemptions(lab.scheme, local(0, 0), local(1, 0))
    assert day == [psp.PlatformVoucherTotal(lab.platform, 54_000, 36_000, 18_000, 2, 1)]
    assert db.voucher_redemptions(lab.scheme, local(0, 8), local(0, 9)) == [
        psp.PlatformVoucherTotal(lab.platform, 36_000, 0, 36_000, 1, 0)]
    assert db.voucher_redemptions(lab.scheme, local(5, 0), local(6, 0)) == []

    with pytest.raises(psp.Invalid, match="period"):
        db.voucher_redemptions(lab.scheme, local(1, 0), local(0, 0))
    with pytest.raises(psp.Invalid, match="period"):
        db.voucher_redemptions(lab.scheme, local(1, 0), local(1, 0))
    with pytest.raises(psp.NotFound, match="999"):
        db.voucher_redemptions(999, local(0, 0), local(1, 0))
