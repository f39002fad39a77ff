"""Reads on behalf of a reader (psp.h convention 10): every read that shows one enterprise's
business takes a keyword-only reader and answers only what that actor may see: an enterprise its
own business, an operator what concerns its platform, the office everything, an expert or the
public none of it. Lists are filtered; a single record the reader may not see raises
PermissionDenied. The expectations are written out record by record for every reader, not
derived from the library's rule, so a wrong read table fails here."""
import pytest

import psp
from test_booking import OPEN_0800_1800, local
from test_pricing import COUNTY

WEEK = (local(0, 0), local(7, 0))
TRUSTED = None   # reader=None: the trusted caller's view


@pytest.fixture
def db(place):
    """Overrides conftest's: a clock on Monday 2025-03-10 08:00 in Shanghai."""
    d = psp.Database.open(place(memory=True), clock=lambda: local(0, 8))
    yield d
    d.close()


@pytest.fixture
def biz(net, office):
    """conftest's network plus two enterprises' business over three platforms:

        b1  A on MS-01 (backbone), Tuesday 10-11, paid partly by the county voucher
        b2  B on MS-02 (sub), Tuesday 10-11: MS-02 (one unit) is full then
        w1  A waiting for MS-02, Tuesday 10-11
        s1  B's request received by the design hub (plain), referred through the alliance and
            served on MS-01 at the backbone: booking b3, Tuesday 09-10
        u1  A's unmet request for five units of the class (MS-01 has 2, MS-02 1), asked at sub
        training: the backbone's operator trains A on the class
    """
    n = net
    db = n.db
    n.op = psp.Actor.operator_of(n.backbone, "backbone desk")
    n.sub_op = psp.Actor.operator_of(n.sub, "sub desk")
    n.plain_op = psp.Actor.operator_of(n.plain, "design desk")
    n.rival_op = psp.Actor.operator_of(n.rival, "rival desk")
    n.ent_b = db.add(office, psp.Enterprise("Bolt Ltd", n.z1, psp.EnterpriseSize.SMALL, "machinery"))
    n.a = psp.Actor.enterprise_self(n.ent, "A clerk")
    n.b = psp.Actor.enterprise_self(n.ent_b, "B clerk")
    n.ms2 = db.add(office, psp.Equipment("MS-02", n.cls, n.sub, n.d2))
    db.set_platform_calendar(n.op, n.backbone, OPEN_0800_1800)
    db.set_platform_calendar(n.sub_op, n.sub, OPEN_0800_1800)
    db.set_tariff(n.op, n.eq, psp.Tariff(30_000, 45_000))
    n.scheme = db.add_voucher_scheme(office, COUNTY)
    n.setup_rows = len(db.journal())

    tuesday_10 = (local(1, 10), local(1, 11))
    n.b1 = db.book(n.a, psp.BookingRequest(n.eq, n.ent, *tuesday_10, voucher=n.scheme)).booking.id
    n.b2 = db.book(n.b, psp.BookingRequest(n.ms2, n.ent_b, *tuesday_10)).booking.id
    n.w1 = db.join_waitlist(n.a, psp.BookingRequest(n.ms2, n.ent, *tuesday_10)).id
    served = db.fulfil(n.b, psp.ServiceRequest(n.ent_b, local(1, 9), local(1, 12), 60, equipment_class=n.cls,
                                               received_by=n.plain))
    assert served, served.reason
    n.s1, n.b3 = served.served.id, served.served.booking
    unmet = db.fulfil(n.a, psp.ServiceRequest(n.ent, local(1, 9), local(1, 12), 60, equipment_class=n.cls,
                                              units=5, received_by=n.sub))
    assert not unmet
    n.u1 = db.unmet_requests(*WEEK)[0]["id"]
    db.set_training(n.op, n.ent, n.cls, True)
    return n


READERS = ("office", "backbone", "sub", "plain", "rival", "A", "B", "expert", "public")


def readers(n, office):
    """Every reader the tests try, by name."""
    return {"office": office, "backbone": n.op, "sub": n.sub_op, "plain": n.plain_op, "rival": n.rival_op,
            "A": n.a, "B": n.b, "expert": psp.Actor.expert(), "public": psp.Actor.anyone()}


def bookings_visible(n):
    """Which bookings each reader sees: its own (enterprise) or on its platform's equipment (operator)."""
    return {"office": {n.b1, n.b2, n.b3},
            "backbone": {n.b1, n.b3},   # owns MS-01
            "sub": {n.b2},              # owns MS-02
            "plain": set(),             # referred s1, but owns no equipment: no booking is its
            "rival": set(),
            "A": {n.b1},
            "B": {n.b2, n.b3},
            "expert": set(),
            "public": set()}


def test_scenario_as_built(biz):
    """The trusted view of the business the other tests read (so their expectations hold)."""
    n = biz
    db = n.db
    assert [(b.id, b.equipment, b.enterprise) for b in db.bookings_of_platform(n.backbone, *WEEK)] == \
        [(n.b1, n.eq, n.ent), (n.b3, n.eq, n.ent_b)]
    assert [(b.id, b.equipment, b.enterprise) for b in db.bookings_of_platform(n.sub, *WEEK)] == \
        [(n.b2, n.ms2, n.ent_b)]
    assert [(w.id, w.request.enterprise) for w in db.waitlist(n.ms2)] == [(n.w1, n.ent)]
    s1 = db.served_requests(*WEEK)
    assert [(s.id, s.request.enterprise, s.offer.platform, s.offer.chain, s.booking) for s in s1] == \
        [(n.s1, n.ent_b, n.backbone, (n.plain, n.backbone), n.b3)]
    assert [(e["request"], e["serving"], e["referring"]) for e in db.settlement_ledger(*WEEK)] == \
        [(n.s1, n.backbone, n.plain)]
    assert [(u["id"], u["enterprise"], u["desk"]) for u in db.unmet_requests(*WEEK)] == [(n.u1, n.ent, n.sub)]
    assert db.voucher_account(n.ent, n.scheme, 2025) == 18_000   # 60 % of 30,000 fen
    assert db.voucher_account(n.ent_b, n.scheme, 2025) == 0
    assert db.price_of(n.b1).voucher_pays == 18_000


@pytest.mark.parametrize("name", READERS)
def test_bookings_each_reader_sees(biz, office, name):
    n = biz
    db = n.db
    reader = readers(n, office)[name]
    mine = bookings_visible(n)[name]

    def visible(rows):
        return [b.id for b in rows if b.id in mine]

    for eq in (n.eq, n.ms2):
        trusted = db.bookings_of_equipment(eq, *WEEK)
        assert db.bookings_of_equipment(eq, *WEEK, reader=reader) == [b for b in trusted if b.id in mine]
    for platform in (n.backbone, n.sub, n.plain, n.rival):
        trusted = db.bookings_of_platform(platform, *WEEK)
        assert db.bookings_of_platform(platform, *WEEK, reader=reader) == [b for b in trusted if b.id in mine]
    for ent in (n.ent, n.ent_b):
        trusted = db.bookings_of_enterprise(ent, *WEEK)
        assert [b.id for b in db.bookings_of_enterprise(ent, *WEEK, reader=reader)] == visible(trusted)
    seen = set()
    for rows in ([db.bookings_of_equipment(e, *WEEK, reader=reader) for e in (n.eq, n.ms2)]
                 + [db.bookings_of_enterprise(e, *WEEK, reader=reader) for e in (n.ent, n.ent_b)]):
        seen.update(b.id for b in rows)
    assert seen == mine

    for b in (n.b1, n.b2, n.b3):
        if b in mine:
            assert db.booking(b, reader=reader) == db.booking(b)
            assert db.price_of(b, reader=reader) == db.price_of(b)
        else:
            with pytest.raises(psp.PermissionDenied, match=f"may not read booking {b}"):
                db.booking(b, reader=reader)
            with pytest.raises(psp.PermissionDenied):
                db.price_of(b, reader=reader)
    # Unknown ids are NotFound before any question of permission.
    with pytest.raises(psp.NotFound):
        db.booking(999, reader=reader)
    with pytest.raises(psp.NotFound):
        db.price_of(999, reader=reader)
    with pytest.raises(psp.NotFound):
        db.bookings_of_equipment(999, *WEEK, reader=reader)


def test_trusted_reads_are_unchanged(biz):
    n = biz
    db = n.db
    assert [b.id for b in db.bookings_of_equipment(n.eq, *WEEK)] == [n.b1, n.b3]
    assert [b.id for b in db.bookings_of_enterprise(n.ent_b, *WEEK, reader=TRUSTED)] == [n.b2, n.b3]
    assert db.booking(n.b2, reader=None) == db.booking(n.b2)
    assert len(db.waitlist(n.ms2, reader=None)) == 1
    assert len(db.journal(reader=None)) == len(db.journal())


def test_waitlist_voucher_accounts_served_unmet_and_ledger(biz, office):
    n = biz
    db = n.db
    r = readers(n, office)

    waiting = {name: [w.id for w in db.waitlist(n.ms2, reader=r[name])] for name in READERS}
    assert waiting == {"office": [n.w1], "backbone": [], "sub": [n.w1], "plain": [], "rival": [],
                       "A": [n.w1], "B": [], "expert": [], "public": []}
    for name in READERS:
        assert db.waitlist(n.eq, reader=r[name]) == []   # nobody waits for MS-01

    # A voucher account is the enterprise's own and the office's; not the operator's where it was spent.
    for name in ("office", "A"):
        assert db.voucher_account(n.ent, n.scheme, 2025, reader=r[name]) == 18_000
    for name in ("office", "B"):
        assert db.voucher_account(n.ent_b, n.scheme, 2025, reader=r[name]) == 0
    for name in ("backbone", "sub", "plain", "rival", "B", "expert", "public"):
        with pytest.raises(psp.PermissionDenied, match="voucher account of enterprise"):
            db.voucher_account(n.ent, n.scheme, 2025, reader=r[name])
    with pytest.raises(psp.PermissionDenied):
        db.voucher_account(n.ent_b, n.scheme, 2025, reader=n.a)
    with pytest.raises(psp.NotFound):
        db.voucher_account(999, n.scheme, 2025, reader=office)

    # s1: B's, received and referred by plain, served by the backbone.
    served = {name: [s.id for s in db.served_requests(*WEEK, reader=r[name])] for name in READERS}
    assert served == {"office": [n.s1], "backbone": [n.s1], "sub": [], "plain": [n.s1], "rival": [],
                      "A": [], "B": [n.s1], "expert": [], "public": []}
    assert db.served_requests(*WEEK, reader=n.b) == db.served_requests(*WEEK)
    ledger = {name: [e["request"] for e in db.settlement_ledger(*WEEK, reader=r[name])] for name in READERS}
    assert ledger == served

    # u1: A's, asked at sub.
    unmet = {name: [u["id"] for u in db.unmet_requests(*WEEK, reader=r[name])] for name in READERS}
    assert unmet == {"office": [n.u1], "backbone": [], "sub": [n.u1], "plain": [], "rival": [],
                     "A": [n.u1], "B": [], "expert": [], "public": []}
    assert db.unmet_requests(*WEEK, reader=n.a) == db.unmet_requests(*WEEK)

    # The period is still checked.
    with pytest.raises(psp.Invalid, match="period"):
        db.served_requests(WEEK[1], WEEK[0], reader=n.a)
    with pytest.raises(psp.Invalid, match="period"):
        db.settlement_ledger(WEEK[1], WEEK[0], reader=n.a)


def test_journal_each_reader_sees(biz, office):
    n = biz
    db = n.db
    r = readers(n, office)
    trusted = db.journal()
    setup = trusted[:n.setup_rows]   # the network, calendars, the tariff, the scheme: public rows

    def key(e):
        return (e.entity, e.action, e.entity_id)

    def booking(b):
        return (psp.EntityKind.BOOKING, "add", b)

    wait = (psp.EntityKind.BOOKING, "wait", None)
    serve = (psp.EntityKind.SERVED_REQUEST, "serve", n.s1)
    unmet = (psp.EntityKind.SERVED_REQUEST, "unmet", None)
    training = (psp.EntityKind.TRAINING, "add", n.ent)
    business = {
        "office": [booking(n.b1), booking(n.b2), wait, booking(n.b3), serve, unmet, training],
        # A: its booking, the waiting-list entry and unmet request it made, its training.
        "A": [booking(n.b1), wait, unmet, training],
        # B: its two bookings and the request served for it; nothing of A's.
        "B": [booking(n.b2), booking(n.b3), serve],
        # backbone: what happened on MS-01, the request it served, the training it recorded.
        "backbone": [booking(n.b1), booking(n.b3), serve, training],
        # sub: the booking of MS-02, A's entry waiting for MS-02 and A's request asked there.
        "sub": [booking(n.b2), wait, unmet],
        "plain": [serve],
        "rival": [],
        "expert": [],
        "public": [],
    }
    assert [key(e) for e in trusted[n.setup_rows:]] == business["office"]
    for name in READERS:
        rows = db.journal(reader=r[name])
        assert rows[:n.setup_rows] == setup, name
        assert [key(e) for e in rows[n.setup_rows:]] == business[name], name
    assert db.journal(reader=office) == trusted
    assert list(db.iter_journal(reader=n.b)) == db.journal(reader=n.b)

    # The limit counts what the reader gets; the other filters still apply.
    two = db.journal(entity=psp.EntityKind.BOOKING, limit=2, reader=n.a)
    assert [key(e) for e in two] == [booking(n.b1), wait]
    assert [key(e) for e in db.journal(entity=psp.EntityKind.BOOKING, reader=n.rival_op)] == []
    with pytest.raises(psp.Invalid, match="reversed"):
        db.journal(since=10, until=5, reader=n.a)


def every_read(db, n, reader):
    """Each read with a reader, as a thunk."""
    return {
        "booking": lambda: db.booking(n.b1, reader=reader),
        "bookings_of_equipment": lambda: db.bookings_of_equipment(n.eq, *WEEK, reader=reader),
        "bookings_of_enterprise": lambda: db.bookings_of_enterprise(n.ent, *WEEK, reader=reader),
        "bookings_of_platform": lambda: db.bookings_of_platform(n.backbone, *WEEK, reader=reader),
        "waitlist": lambda: db.waitlist(n.ms2, reader=reader),
        "price_of": lambda: db.price_of(n.b1, reader=reader),
        "voucher_account": lambda: db.voucher_account(n.ent, n.scheme, 2025, reader=reader),
        "served_requests": lambda: db.served_requests(*WEEK, reader=reader),
        "settlement_ledger": lambda: db.settlement_ledger(*WEEK, reader=reader),
        "unmet_requests": lambda: db.unmet_requests(*WEEK, reader=reader),
        "journal": lambda: db.journal(reader=reader),
        "iter_journal": lambda: db.iter_journal(reader=reader),
    }


@pytest.mark.parametrize("bad", ["A clerk", 1, psp.Role.ENTERPRISE, psp.Actor.office, psp.Actor, {"role": 0}],
                         ids=["str", "int", "role", "unbound-method", "class", "dict"])
def test_a_reader_that_is_not_an_actor_is_a_type_error(biz, bad):
    n = biz
    for name, read in every_read(n.db, n, bad).items():
        with pytest.raises(TypeError, match="reader must be a psp.Actor or None"):
            read()
            pytest.fail(name)


def test_reader_is_keyword_only(biz, office):
    n = biz
    db = n.db
    with pytest.raises(TypeError):
        db.booking(n.b1, office)
    with pytest.raises(TypeError):
        db.bookings_of_equipment(n.eq, *WEEK, office)
    with pytest.raises(TypeError):
        db.voucher_account(n.ent, n.scheme, 2025, office)
    with pytest.raises(TypeError):
        db.iter_journal(None, None, None, None, 0, office)


def test_a_reader_the_library_refuses_is_invalid(biz):
    n = biz
    out_of_range = psp.Actor(9, None, n.ent, "A clerk")
    bad_name = psp.Actor(psp.Role.ENTERPRISE, None, n.ent, "\ud800")   # not valid UTF-8
    journal = len(n.db.journal())
    for reader, what in ((out_of_range, "reader.role"), (bad_name, "reader.name")):
        for name, read in every_read(n.db, n, reader).items():
            with pytest.raises(psp.Invalid, match=what):
                list(read())
                pytest.fail(name)
    assert len(n.db.journal()) == journal   # reads change nothing


def test_an_operator_or_enterprise_without_an_id_sees_nothing(biz):
    n = biz
    db = n.db
    for reader in (psp.Actor(psp.Role.PLATFORM_OPERATOR), psp.Actor(psp.Role.ENTERPRISE)):
        assert db.bookings_of_equipment(n.eq, *WEEK, reader=reader) == []
        assert db.waitlist(n.ms2, reader=reader) == []
        assert db.served_requests(*WEEK, reader=reader) == []
        assert db.unmet_requests(*WEEK, reader=reader) == []
        with pytest.raises(psp.PermissionDenied):
            db.booking(n.b1, reader=reader)
