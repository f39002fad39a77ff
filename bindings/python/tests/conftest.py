"""Fixtures of the psp Python tests: databases that are always closed, on each storage engine,
and a small network.

The storage engine is a fixture parameter (issue 17): every test that takes `db`, `engine` or
`place` runs on SQLite and, when PSP_TEST_POSTGRES names a cluster's maintenance database
(tests/postgres/with_cluster.sh), on PostgreSQL too, in a fresh database dropped afterwards. Those
runs carry the marker `postgres` (CTest runs them as python_bindings_postgres, the rest with
-m "not postgres"). Tests about SQLite files as such (bytes, locks, paths) open their files
directly and run on SQLite only.
"""
import ctypes
import ctypes.util
import itertools
import os
import sys

import pytest

# Run from a source checkout without installing: the package sits beside this directory.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import psp  # noqa: E402

NOW = 1_700_000_000

POSTGRES = os.environ.get("PSP_TEST_POSTGRES") or None
ENGINES = ["sqlite"] + (["postgres"] if POSTGRES else [])


def pytest_configure(config):
    config.addinivalue_line("markers", "postgres: runs against PostgreSQL (PSP_TEST_POSTGRES)")
    config.addinivalue_line(
        "markers", "xfail_postgres(reason): a known difference of psp on PostgreSQL (expected to fail there)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        spec = getattr(item, "callspec", None)
        if spec is None or spec.params.get("engine") != "postgres":
            continue
        item.add_marker(pytest.mark.postgres)
        known = item.get_closest_marker("xfail_postgres")
        if known is not None:
            item.add_marker(pytest.mark.xfail(reason=known.args[0] if known.args else "", strict=True))


class _Cluster:
    """Creates and drops databases on the test cluster through libpq (which libpsp.so links),
    as tests/fixtures.hpp does for the Catch2 suite."""

    _OK = 1  # PGRES_COMMAND_OK
    _CONNECTION_OK = 0

    def __init__(self, base: str):
        self.base = base
        lib = ctypes.CDLL(ctypes.util.find_library("pq") or "libpq.so.5")
        lib.PQconnectdb.restype = ctypes.c_void_p
        lib.PQconnectdb.argtypes = [ctypes.c_char_p]
        lib.PQstatus.argtypes = [ctypes.c_void_p]
        lib.PQerrorMessage.restype = ctypes.c_char_p
        lib.PQerrorMessage.argtypes = [ctypes.c_void_p]
        lib.PQexec.restype = ctypes.c_void_p
        lib.PQexec.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        lib.PQresultStatus.argtypes = [ctypes.c_void_p]
        lib.PQclear.argtypes = [ctypes.c_void_p]
        lib.PQfinish.argtypes = [ctypes.c_void_p]
        self.lib = lib
        self.names = (f"psp_py_{os.getpid()}_{n}" for n in itertools.count(1))

    def admin(self, sql: str) -> None:
        lib = self.lib
        c = lib.PQconnectdb(self.base.encode())
        try:
            if lib.PQstatus(c) != self._CONNECTION_OK:
                raise RuntimeError("test cluster: " + lib.PQerrorMessage(c).decode(errors="replace"))
            r = lib.PQexec(c, sql.encode())
            ok = lib.PQresultStatus(r) == self._OK
            why = lib.PQerrorMessage(c).decode(errors="replace")
            lib.PQclear(r)
            if not ok:
                raise RuntimeError(f"test cluster: {sql}: {why}")
        finally:
            lib.PQfinish(c)

    def create(self) -> "tuple[str, str]":
        """A fresh database: (name, URI)."""
        name = next(self.names)  # letters, digits, '_': no quoting issue
        self.admin(f'CREATE DATABASE "{name}"')
        return name, self.base[: self.base.rfind("/") + 1] + name

    def drop(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_cluster = None


def cluster() -> _Cluster:
    global _cluster
    if _cluster is None:
        _cluster = _Cluster(POSTGRES)
    return _cluster


class Places:
    """Where fresh psp databases live on one engine: places(stem) answers a new file in `folder`
    (SQLite) or a new database's URI (PostgreSQL); places(memory=True) answers ":memory:" on SQLite.
    close() drops the PostgreSQL databases it made."""

    def __init__(self, engine: str, folder):
        self.engine = engine
        self.folder = folder
        self._made = []

    def __call__(self, stem: str = "city", memory: bool = False) -> str:
        if self.engine == "postgres":
            name, uri = cluster().create()
            self._made.append(name)
            return uri
        return ":memory:" if memory else str(self.folder / f"{stem}.psp")

    def close(self) -> None:
        while self._made:
            cluster().drop(self._made.pop())


@pytest.fixture(scope="module", params=ENGINES)
def engine(request):
    """The storage engine: "sqlite", and "postgres" when PSP_TEST_POSTGRES is set."""
    return request.param


@pytest.fixture
def place(engine, tmp_path):
    """places(stem) / places(memory=True) on this test's engine (Places)."""
    p = Places(engine, tmp_path)
    yield p
    p.close()


@pytest.fixture
def office():
    return psp.Actor.office("推进办公室")


@pytest.fixture
def db(place):
    d = psp.Database.open(place(memory=True), clock=lambda: NOW)
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
