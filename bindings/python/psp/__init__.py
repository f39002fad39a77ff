"""psp: the public service platforms of a city's service-industry agglomeration zones, modelled as
one network of platforms, sub-platforms, alliances and shared equipment (ctypes over the C ABI).

    import psp
    office = psp.Actor.office()
    with psp.Database.open(":memory:") as db:
        d = db.add(office, psp.District("上城区"))
        for gap in db.coverage_gaps(): ...
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as _dt
import enum
import json as _json
import os
from ctypes import byref, c_char_p, c_int, c_int64, c_void_p
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from . import _ffi as F


#: Version of the loaded C library ("MAJOR.MINOR.PATCH").
__version__ = F.psp_version().decode()
#: Where the C library was loaded from.
library_path = F.library_path


def version() -> str:
    """Version of the loaded C library."""
    return F.psp_version().decode()


def version_number() -> int:
    """MAJOR * 10000 + MINOR * 100 + PATCH of the loaded C library."""
    return F.psp_version_number()


# ---- Errors -------------------------------------------------------------------------------------

class Error(Exception):
    """A failure reported by psp; .code is the negative PSP_E... code."""

    def __init__(self, message: str, code: int = F.EIO):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


class NotFound(Error, KeyError):
    """An id or name that does not exist."""


class Exists(Error):
    """A name or id already taken."""


class Invalid(Error, ValueError):
    """An argument or spec that breaks a rule of the model."""


class Refused(Error):
    """A rule refuses the change (e.g. others depend on the entity)."""


class PermissionDenied(Error):
    """The actor may not make this change (or the reader may not see this record)."""


class Busy(Error):
    """The database is locked by another writer."""


class DatabaseError(Error):
    """File or database I/O failed."""


class OutOfMemory(Error, MemoryError):
    """The library ran out of memory."""


class FormatError(Error):
    """Not a psp database, or a schema newer than this library."""


_ERRORS = {
    F.ENOTFOUND: NotFound, F.EEXISTS: Exists, F.EINVALID: Invalid, F.EREFUSED: Refused,
    F.EPERM: PermissionDenied, F.EBUSY: Busy, F.EIO: DatabaseError, F.ENOMEM: OutOfMemory,
    F.EFORMAT: FormatError,
}


def _check(rc: int) -> int:
    """The one place a return code becomes an exception."""
    if rc >= 0:
        return rc
    if rc == F.ITEROVER:
        raise StopIteration
    message = F.psp_error_last().contents.message
    text = message.decode("utf-8", "replace") if message else F.psp_strerror(rc).decode()
    raise _ERRORS.get(rc, Error)(text, rc)


# ---- Enums (values equal psp.h; names are the library's stable names, upper-cased) --------------

class ZoneType(enum.IntEnum):
    CENTRAL_BUSINESS = 0
    TECH_INNOVATION = 1
    CULTURAL_CREATIVE = 2
    LOGISTICS = 3
    TRADE_MARKET = 4
    FINANCE = 5
    TOURISM_LEISURE = 6
    INFORMATION_SERVICES = 7


class PlatformTier(enum.IntEnum):
    DISTRICT = 0
    MUNICIPAL = 1
    PROVINCIAL = 2
    NATIONAL = 3


class PlatformField(enum.IntEnum):
    TECHNOLOGY_SUPPORT = 0
    QUALITY_TESTING = 1
    INTELLECTUAL_PROPERTY = 2
    HUMAN_RESOURCES = 3
    INVESTMENT_FINANCING = 4


class OperatorModel(enum.IntEnum):
    GOVERNMENT_OFFICE = 0
    LEADING_ENTERPRISE = 1
    UNIVERSITY = 2
    RESEARCH_INSTITUTE = 3
    INDUSTRY_ASSOCIATION = 4
    PROFESSIONAL_AGENCY = 5
    SELECTED_OPERATOR = 6
    JOINT_VENTURE = 7


class ServiceKind(enum.IntEnum):
    TECHNOLOGY_RD = 0
    PRODUCT_DESIGN = 1
    MANAGEMENT_CONSULTING = 2
    MARKETING = 3
    SKILLS_TRAINING = 4
    INFORMATION_CONSULTING = 5
    EQUIPMENT_SHARING = 6
    STARTUP_MENTORING = 7
    TALENT = 8
    FINANCING_GUARANTEE = 9
    INTELLECTUAL_PROPERTY = 10
    TRADE_DISPUTE = 11
    QUALITY_TESTING = 12
    ADMINISTRATIVE_APPROVAL = 13


class PlatformStatus(enum.IntEnum):
    PLANNED = 0
    OPERATING = 1
    SUSPENDED = 2
    CLOSED = 3


class AllianceScope(enum.IntEnum):
    REGIONAL = 0
    CROSS_REGIONAL = 1


class AllianceSector(enum.IntEnum):
    INDUSTRY = 0
    CROSS_INDUSTRY = 1


class AllianceBreadth(enum.IntEnum):
    COMPREHENSIVE = 0
    SPECIALISED = 1


class MemberRole(enum.IntEnum):
    LEAD = 0
    CORE = 1
    MEMBER = 2


class EnterpriseSize(enum.IntEnum):
    MICRO = 0
    SMALL = 1
    MEDIUM = 2
    LARGE = 3


class LinkKind(enum.IntEnum):
    HIGHER_TIER = 0
    COOPERATION = 1


class Role(enum.IntEnum):
    PROMOTION_OFFICE = 0
    PLATFORM_OPERATOR = 1
    ENTERPRISE = 2
    EXPERT = 3
    PUBLIC = 4


class Action(enum.IntEnum):
    MANAGE_DISTRICTS = 0
    MANAGE_ZONES = 1
    CREATE_PLATFORM = 2
    UPDATE_PLATFORM = 3
    REMOVE_PLATFORM = 4
    MANAGE_ALLIANCE = 5
    MANAGE_EQUIPMENT = 6
    MANAGE_CATALOGUE = 7
    MANAGE_ENTERPRISE = 8
    MANAGE_LINKS = 9
    IMPORT_NETWORK = 10
    BOOK = 11
    HANDLE_BOOKING = 12
    MANAGE_BOOKING_RULES = 13
    MANAGE_TRAINING = 14
    MARK_NO_SHOWS = 15
    MANAGE_PROJECTS = 16
    SUPERVISE_PROJECTS = 17
    APPLY_CERTIFICATION = 18
    SCORE_CERTIFICATION = 19
    CERTIFY = 20
    MANAGE_PLANS = 21
    MONITOR = 22


class EntityKind(enum.IntEnum):
    DISTRICT = 0
    ZONE = 1
    PLATFORM = 2
    ALLIANCE = 3
    EQUIPMENT_CLASS = 4
    EQUIPMENT = 5
    ENTERPRISE = 6
    TRAVEL = 7
    ZONE_SERVICE = 8
    LINK = 9
    NETWORK = 10
    BOOKING = 11
    CALENDAR = 12
    BOOKING_RULES = 13
    TRAINING = 14
    TARIFF = 15
    VOUCHER_SCHEME = 16
    SERVED_REQUEST = 17
    PURCHASE_REVIEW = 18
    PROJECT = 19
    SUPERVISION = 20
    CERTIFICATION = 21
    RECOGNITION = 22
    CITY_PLAN = 23
    MONITORING = 24
    EVALUATION = 25
    SIMULATION = 26


class BookingStatus(enum.IntEnum):
    PENDING = 0       # waits for the operator's approval
    CONFIRMED = 1
    CHECKED_IN = 2
    COMPLETED = 3
    CANCELLED = 4
    NO_SHOW = 5
    REJECTED = 6


class BookingRule(enum.IntEnum):
    """The rule that refused a booking (NONE: booked)."""
    NONE = 0
    IN_PAST = 1
    MIN_NOTICE = 2
    MAX_HORIZON = 3
    SLOT_GRID = 4
    MIN_DURATION = 5
    MAX_DURATION = 6
    OPENING_HOURS = 7
    BLACKOUT = 8
    TRAINING = 9
    NO_SHOW_BLOCK = 10
    WEEKLY_QUOTA = 11
    CAPACITY = 12
    NOT_OPERATING = 13


class WaitStatus(enum.IntEnum):
    """Where a waitlist entry stands."""
    WAITING = 0
    PROMOTED = 1    # booked: WaitlistEntry.booking
    WITHDRAWN = 2   # left the waitlist
    EXPIRED = 3     # its period began before space was found


class Every(enum.IntEnum):
    """How a series repeats (Recurrence.every)."""
    DAY = 0
    WEEK = 1


class SeriesMode(enum.IntEnum):
    """What a series does with an occurrence a rule refuses."""
    ALL_OR_NOTHING = 0   # one refused occurrence refuses the whole series
    SKIP_CONFLICTS = 1   # book what fits, list what was skipped


class Scale(enum.IntEnum):
    DISTRICT = 0
    CITY = 1
    REGION = 2


class RouteTier(enum.IntEnum):
    """How far from the enterprise a candidate platform is, nearest first."""
    HOME = 0       # serves the enterprise's zone, or is the platform that received the request
    FAMILY = 1     # backbone, sibling or child sub-platforms of a home platform
    ALLIANCE = 2   # a fellow member of an alliance of a home platform
    LINKED = 3     # linked from a home platform: higher tier or cooperation partner
    CITY = 4       # any other operating platform


class RouteObjective(enum.IntEnum):
    """What "best" means among offers (lower score is better)."""
    EARLIEST = 0          # earliest start
    LOWEST_PRICE = 1      # least the enterprise pays, after member rates and vouchers
    SHORTEST_TRAVEL = 2   # fewest travel minutes from the enterprise's zone
    WEIGHTED = 3          # weighted wait, price, travel and load (RoutingPolicy weights)


class TaskStatus(enum.IntEnum):
    """The status of a city plan's task (psp_task_status); in JSON by its lower-case name."""
    NOT_STARTED = 0
    IN_PROGRESS = 1
    DONE = 2        # done on the date given
    CANCELLED = 3   # cancelled on the date given

#: Each enum and its psp_enum selector, for psp_enum_name (the tests check the names agree).
ENUM_SELECTORS = {
    ZoneType: 0, PlatformTier: 1, PlatformField: 2, OperatorModel: 3, ServiceKind: 4,
    PlatformStatus: 5, AllianceScope: 6, AllianceSector: 7, AllianceBreadth: 8, MemberRole: 9,
    EnterpriseSize: 10, LinkKind: 11, Role: 12, Action: 13, EntityKind: 14, BookingStatus: 15,
    BookingRule: 16, WaitStatus: 17, RouteTier: 18, RouteObjective: 19, TaskStatus: 20,
}


def name_of(value: enum.IntEnum) -> str:
    """The library's stable lower-case name of an enum value ("tech_innovation")."""
    raw = F.psp_enum_name(ENUM_SELECTORS[type(value)], int(value))
    if raw is None:
        raise Invalid(f"{value!r} is unknown to the library", F.EINVALID)
    return raw.decode()


def _services_mask(kinds: Iterable[ServiceKind]) -> int:
    mask = 0
    for k in kinds:
        mask |= 1 << int(k)
    return mask


_ALL_SERVICES = tuple(ServiceKind)


def _services_set(mask: int) -> FrozenSet[ServiceKind]:
    return frozenset(k for k in _ALL_SERVICES if mask >> k & 1)


# ---- Strings and times --------------------------------------------------------------------------

def _enc(s: Optional[str]) -> Optional[bytes]:
    # surrogatepass lets a lone surrogate reach the library, which rejects it as invalid UTF-8.
    return None if s is None else s.encode("utf-8", "surrogatepass")


def _dec(b: Optional[bytes]) -> str:
    return b.decode("utf-8") if b else ""


def _id(v: Optional[int]) -> int:
    return 0 if v is None else int(v)


def _opt(v: int) -> Optional[int]:
    return v or None


_UTC = _dt.timezone.utc


def _seconds(t: Union[int, float, _dt.datetime, _dt.date]) -> int:
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            t = t.replace(tzinfo=_UTC)
        return int(t.timestamp())
    if isinstance(t, _dt.date):
        return int(_dt.datetime(t.year, t.month, t.day, tzinfo=_UTC).timestamp())
    return int(t)


# ---- Actors -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Actor:
    """Who makes a change; every change names one."""
    role: Role = Role.PUBLIC
    platform: Optional[int] = None    # for a platform operator: the platform it operates
    enterprise: Optional[int] = None  # for an enterprise: itself
    name: str = ""

    @classmethod
    def office(cls, name: str = "promotion office") -> "Actor":
        return cls(Role.PROMOTION_OFFICE, None, None, name)

    @classmethod
    def operator_of(cls, platform: int, name: str = "operator") -> "Actor":
        return cls(Role.PLATFORM_OPERATOR, platform, None, name)

    @classmethod
    def enterprise_self(cls, enterprise: int, name: str = "enterprise") -> "Actor":
        return cls(Role.ENTERPRISE, None, enterprise, name)

    @classmethod
    def expert(cls, name: str = "expert") -> "Actor":
        return cls(Role.EXPERT, None, None, name)

    @classmethod
    def anyone(cls, name: str = "public") -> "Actor":
        return cls(Role.PUBLIC, None, None, name)

    def _c(self) -> F.psp_actor:
        return F.psp_actor(1, int(self.role), _id(self.platform), _id(self.enterprise), _enc(self.name))

    def permitted(self, action: Action, own: bool = False) -> bool:
        """The permission table: may this actor perform action (on its own platform/enterprise)?"""
        out = c_int()
        _check(F.psp_permitted(byref(out), byref(self._c()), int(action), 1 if own else 0))
        return bool(out.value)


def _actor(actor: Actor) -> F.psp_actor:
    if not isinstance(actor, Actor):
        raise TypeError(f"actor must be a psp.Actor, not {type(actor).__name__}")
    return actor._c()


def _reader(reader: Actor) -> F.psp_actor:
    if not isinstance(reader, Actor):
        raise TypeError(f"reader must be a psp.Actor or None, not {type(reader).__name__}")
    return reader._c()


# ---- Entities -----------------------------------------------------------------------------------

@dataclass
class District:
    name: str
    x_km: float = 0.0   # centre, km east of the city origin
    y_km: float = 0.0   # centre, km north of the city origin
    id: Optional[int] = None


@dataclass
class Zone:
    name: str
    district: int
    type: ZoneType = ZoneType.CENTRAL_BUSINESS
    id: Optional[int] = None


@dataclass
class Platform:
    name: str
    site: int                                      # district
    tier: PlatformTier = PlatformTier.DISTRICT
    field: PlatformField = PlatformField.TECHNOLOGY_SUPPORT
    operator_model: OperatorModel = OperatorModel.GOVERNMENT_OFFICE
    services: FrozenSet[ServiceKind] = frozenset()
    backbone: bool = False
    parent: Optional[int] = None                   # for a sub-platform: its backbone
    status: PlatformStatus = PlatformStatus.PLANNED
    id: Optional[int] = None


@dataclass
class AllianceMember:
    platform: int
    role: MemberRole = MemberRole.MEMBER


@dataclass
class Alliance:
    name: str
    lead: int
    members: List[AllianceMember] = field(default_factory=list)
    scope: AllianceScope = AllianceScope.REGIONAL
    sector: AllianceSector = AllianceSector.INDUSTRY
    breadth: AllianceBreadth = AllianceBreadth.COMPREHENSIVE
    one_stop: bool = False
    id: Optional[int] = None


@dataclass
class EquipmentClass:
    name: str
    category: str = ""
    id: Optional[int] = None


@dataclass
class Equipment:
    name: str
    equipment_class: int
    owner: int                # platform
    site: int                 # district
    capacity_units: int = 1
    purchase_value: int = 0   # fen
    id: Optional[int] = None


@dataclass
class Enterprise:
    name: str
    zone: int
    size: EnterpriseSize = EnterpriseSize.SMALL
    sector: str = ""
    id: Optional[int] = None


@dataclass
class Travel:
    from_district: int
    to_district: int      # symmetric: one record covers both directions
    minutes: int


@dataclass
class ZoneService:
    platform: int
    zone: int
    minutes: int = 0      # travel time from the zone to the platform


@dataclass
class Link:
    from_platform: int
    to_platform: int
    kind: LinkKind = LinkKind.COOPERATION


@dataclass
class Reachable:
    equipment: int
    owner: int
    minutes: int


@dataclass
class CoverageGap:
    zone: int
    kind: ServiceKind


@dataclass
class Duplication:
    zone: int
    field: PlatformField
    kind: ServiceKind
    platforms: Tuple[int, ...]


@dataclass
class Counts:
    districts: int = 0
    zones: int = 0
    platforms: int = 0
    backbones: int = 0
    sub_platforms: int = 0
    alliances: int = 0
    equipment_classes: int = 0
    equipment: int = 0
    enterprises: int = 0
    zone_services: int = 0
    links: int = 0
    travel: int = 0


@dataclass(frozen=True)
class Refreshed:
    """What Database.refresh() did: how many journal rows of other connections it caught up on
    (0: the model was current) and whether it had to reload the whole model."""
    journal_rows: int = 0
    reloaded: bool = False


@dataclass
class JournalEntry:
    seq: int
    time: _dt.datetime          # UTC
    actor_role: Role
    actor_subject: Optional[int]
    actor_name: str
    action: str                 # "add", "update", "remove", "set", "import"
    entity: EntityKind
    entity_id: Optional[int]
    details: str                # JSON text

    @property
    def data(self) -> Any:
        """details parsed from JSON."""
        return _json.loads(self.details) if self.details else None


# Conversions between the dataclasses and the C structs. Strings assigned to c_char_p fields are
# kept alive by the struct itself.

def _district_c(d: District) -> F.psp_district:
    return F.psp_district(1, _id(d.id), _enc(d.name), float(d.x_km), float(d.y_km))


def _district_py(s: F.psp_district) -> District:
    return District(_dec(s.name), s.x_km, s.y_km, s.id)


def _zone_c(z: Zone) -> F.psp_zone:
    return F.psp_zone(1, _id(z.id), _enc(z.name), int(z.district), int(z.type))


def _zone_py(s: F.psp_zone) -> Zone:
    return Zone(_dec(s.name), s.district, ZoneType(s.type), s.id)


def _platform_c(p: Platform) -> F.psp_platform:
    return F.psp_platform(1, _id(p.id), _enc(p.name), int(p.tier), int(p.field), int(p.operator_model),
                          _services_mask(p.services), 1 if p.backbone else 0, _id(p.parent),
                          int(p.site), int(p.status))


def _platform_py(s: F.psp_platform) -> Platform:
    return Platform(_dec(s.name), s.site, PlatformTier(s.tier), PlatformField(s.field),
                    OperatorModel(s.operator_model), _services_set(s.services), bool(s.backbone),
                    _opt(s.parent), PlatformStatus(s.status), s.id)


def _alliance_c(a: Alliance) -> F.psp_alliance:
    members = (F.psp_alliance_member * len(a.members))(
        *[F.psp_alliance_member(int(m.platform), int(m.role)) for m in a.members])
    s = F.psp_alliance(1, _id(a.id), _enc(a.name), int(a.scope), int(a.sector), int(a.breadth),
                       int(a.lead), ctypes.cast(members, ctypes.POINTER(F.psp_alliance_member)),
                       len(a.members), 1 if a.one_stop else 0)
    s._keep = members  # the array must outlive the call
    return s


def _alliance_py(s: F.psp_alliance) -> Alliance:
    members = [AllianceMember(s.members[i].platform, MemberRole(s.members[i].role))
               for i in range(s.member_count)]
    return Alliance(_dec(s.name), s.lead, members, AllianceScope(s.scope), AllianceSector(s.sector),
                    AllianceBreadth(s.breadth), bool(s.one_stop), s.id)


def _equipment_class_c(e: EquipmentClass) -> F.psp_equipment_class:
    return F.psp_equipment_class(1, _id(e.id), _enc(e.name), _enc(e.category))


def _equipment_class_py(s: F.psp_equipment_class) -> EquipmentClass:
    return EquipmentClass(_dec(s.name), _dec(s.category), s.id)


def _equipment_c(e: Equipment) -> F.psp_equipment:
    return F.psp_equipment(1, _id(e.id), _enc(e.name), int(e.equipment_class), int(e.owner),
                           int(e.capacity_units), int(e.site), int(e.purchase_value))


def _equipment_py(s: F.psp_equipment) -> Equipment:
    return Equipment(_dec(s.name), s.equipment_class, s.owner, s.site, s.capacity_units,
                     s.purchase_value, s.id)


def _enterprise_c(e: Enterprise) -> F.psp_enterprise:
    return F.psp_enterprise(1, _id(e.id), _enc(e.name), int(e.zone), int(e.size), _enc(e.sector))


def _enterprise_py(s: F.psp_enterprise) -> Enterprise:
    return Enterprise(_dec(s.name), s.zone, EnterpriseSize(s.size), _dec(s.sector), s.id)


@dataclass(frozen=True)
class _Kind:
    name: str
    struct: type
    to_c: Callable
    to_py: Callable


_KINDS: Dict[type, _Kind] = {
    District: _Kind("district", F.psp_district, _district_c, _district_py),
    Zone: _Kind("zone", F.psp_zone, _zone_c, _zone_py),
    Platform: _Kind("platform", F.psp_platform, _platform_c, _platform_py),
    Alliance: _Kind("alliance", F.psp_alliance, _alliance_c, _alliance_py),
    EquipmentClass: _Kind("equipment_class", F.psp_equipment_class, _equipment_class_c, _equipment_class_py),
    Equipment: _Kind("equipment", F.psp_equipment, _equipment_c, _equipment_py),
    Enterprise: _Kind("enterprise", F.psp_enterprise, _enterprise_c, _enterprise_py),
}


def _kind_of(cls: type) -> _Kind:
    try:
        return _KINDS[cls]
    except KeyError:
        raise TypeError(f"{cls!r} is not a psp entity type ({', '.join(k.__name__ for k in _KINDS)})") from None


def _fn(name: str):
    return getattr(F, name)


# ---- Iterators ----------------------------------------------------------------------------------

class _Iterator:
    """Rows of one C iterator; keeps its Database (and, in C, the database handle) alive."""

    __slots__ = ("_db", "_it", "_next", "_free", "_row", "_ref", "_conv", "__weakref__")

    def __init__(self, db: "Database", new, next_, free, row, conv, args=()):
        self._db = db
        self._it = None
        self._next = next_
        self._free = free
        self._row = row
        self._ref = byref(row)  # reused for every row: the row is converted before the next call
        self._conv = conv
        h = c_void_p()
        _check(new(byref(h), db._h(), *args))
        self._it = h

    def __iter__(self) -> "_Iterator":
        return self

    def __next__(self):
        it = self._it
        if it is None:
            raise StopIteration
        rc = self._next(self._ref, it)
        if rc == 0:
            return self._conv(self._row)
        self.close()
        _check(rc)  # PSP_ITEROVER raises StopIteration
        raise StopIteration

    def close(self) -> None:
        """Frees the C iterator; idempotent."""
        it, self._it = self._it, None
        if it is not None and self._free is not None:
            self._free(it)

    def __enter__(self) -> "_Iterator":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass


def _rows(db: "Database", prefix: str, row, conv, *args) -> _Iterator:
    return _Iterator(db, _fn(f"psp_{prefix}_iter_new"), _fn(f"psp_{prefix}_iter_next"),
                     _fn(f"psp_{prefix}_iter_free"), row, conv, args)


def _new_row(struct, version: int = 1):
    row = struct()
    row.version = version
    return row


# ---- Synthetic cities ---------------------------------------------------------------------------

def _default_params() -> F.psp_city_params:
    p = F.psp_city_params()
    _check(F.psp_city_params_init(byref(p), 1))
    return p


_DEFAULTS = _default_params()


@dataclass
class CityParams:
    """Parameters of a synthetic Hangzhou-like city; defaults are a city (DESIGN.md §5)."""
    seed: int = _DEFAULTS.seed
    districts: int = _DEFAULTS.districts
    zones_per_district: int = _DEFAULTS.zones_per_district
    platforms: int = _DEFAULTS.platforms
    backbone_share: float = _DEFAULTS.backbone_share
    sub_platform_share: float = _DEFAULTS.sub_platform_share
    alliances: int = _DEFAULTS.alliances
    equipment_classes: int = _DEFAULTS.equipment_classes
    equipment: int = _DEFAULTS.equipment
    enterprises: int = _DEFAULTS.enterprises

    @classmethod
    def for_scale(cls, scale: Scale, seed: int = 1) -> "CityParams":
        p = _new_row(F.psp_city_params)
        _check(F.psp_city_params_for_scale(byref(p), int(scale), int(seed)))
        return cls._from_c(p)

    @classmethod
    def _from_c(cls, p: F.psp_city_params) -> "CityParams":
        return cls(p.seed, p.districts, p.zones_per_district, p.platforms, p.backbone_share,
                   p.sub_platform_share, p.alliances, p.equipment_classes, p.equipment, p.enterprises)

    def _c(self) -> F.psp_city_params:
        return F.psp_city_params(1, int(self.seed), int(self.districts), int(self.zones_per_district),
                                 int(self.platforms), float(self.backbone_share),
                                 float(self.sub_platform_share), int(self.alliances),
                                 int(self.equipment_classes), int(self.equipment), int(self.enterprises))


def generate_json(params: Optional[CityParams] = None) -> str:
    """A synthetic city as network JSON (same parameters, same text)."""
    out = c_void_p()
    _check(F.psp_synth_generate_json(byref(out), byref((params or CityParams())._c())))
    return F.take_string(out)


def normalize_json(text: str) -> str:
    """Parses network JSON and writes it back in canonical form (raises Invalid with the path)."""
    out = c_void_p()
    _check(F.psp_json_normalize(byref(out), _enc(text)))
    return F.take_string(out)


# ---- Booking shared equipment -------------------------------------------------------------------

Instant = Union[int, float, _dt.datetime, _dt.date]


def _when(t: int) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(t, _UTC)


@dataclass(frozen=True)
class Period:
    """A half-open period [start, end), UTC. Accepts datetime (naive = UTC), date or Unix seconds."""
    start: _dt.datetime
    end: _dt.datetime

    def __post_init__(self):
        object.__setattr__(self, "start", _when(_seconds(self.start)))
        object.__setattr__(self, "end", _when(_seconds(self.end)))

    @property
    def duration(self) -> _dt.timedelta:
        return self.end - self.start

    def _c(self) -> F.psp_period:
        return F.psp_period(_seconds(self.start), _seconds(self.end))


def _period(p: Union[Period, Tuple[Instant, Instant]]) -> Period:
    return p if isinstance(p, Period) else Period(*p)


def _rules_defaults() -> F.psp_booking_rules:
    r = F.psp_booking_rules()
    _check(F.psp_booking_rules_init(byref(r), 1))
    return r


_RULES = _rules_defaults()


@dataclass
class BookingRules:
    """Rules of one equipment; minutes unless named otherwise. Defaults are the library's."""
    slot_minutes: int = _RULES.slot_minutes
    min_minutes: int = _RULES.min_minutes
    max_minutes: int = _RULES.max_minutes
    min_notice_minutes: int = _RULES.min_notice_minutes
    max_horizon_days: int = _RULES.max_horizon_days
    buffer_minutes: int = _RULES.buffer_minutes
    approval_required: bool = bool(_RULES.approval_required)
    training_required: bool = bool(_RULES.training_required)
    weekly_quota_minutes: int = _RULES.weekly_quota_minutes      # 0 = none
    cancel_deadline_minutes: int = _RULES.cancel_deadline_minutes
    late_cancel_fee: int = _RULES.late_cancel_fee                # fen
    no_show_grace_minutes: int = _RULES.no_show_grace_minutes
    no_show_limit: int = _RULES.no_show_limit
    no_show_block_days: int = _RULES.no_show_block_days
    blackouts: List[Period] = field(default_factory=list)        # Periods or (start, end) pairs

    def _c(self) -> F.psp_booking_rules:
        periods = [_period(p)._c() for p in self.blackouts]
        array = (F.psp_period * len(periods))(*periods)
        s = F.psp_booking_rules(
            1, int(self.slot_minutes), int(self.min_minutes), int(self.max_minutes),
            int(self.min_notice_minutes), int(self.max_horizon_days), int(self.buffer_minutes),
            1 if self.approval_required else 0, 1 if self.training_required else 0,
            int(self.weekly_quota_minutes), int(self.cancel_deadline_minutes), int(self.late_cancel_fee),
            int(self.no_show_grace_minutes), int(self.no_show_limit), int(self.no_show_block_days),
            ctypes.cast(array, ctypes.POINTER(F.psp_period)), len(periods))
        s._keep = array  # the array must outlive the call
        return s

    @classmethod
    def _from_c(cls, s: F.psp_booking_rules) -> "BookingRules":
        return cls(s.slot_minutes, s.min_minutes, s.max_minutes, s.min_notice_minutes, s.max_horizon_days,
                   s.buffer_minutes, bool(s.approval_required), bool(s.training_required),
                   s.weekly_quota_minutes, s.cancel_deadline_minutes, s.late_cancel_fee,
                   s.no_show_grace_minutes, s.no_show_limit, s.no_show_block_days,
                   [Period(s.blackouts[i].start, s.blackouts[i].end) for i in range(s.blackout_count)])


@dataclass
class BookingRequest:
    equipment: int
    enterprise: int
    start: Instant          # on the slot grid; datetime (naive = UTC), date or Unix seconds
    end: Instant
    units: int = 1
    note: str = ""
    voucher: Optional[int] = None   # innovation voucher scheme to pay part of the price

    def _c(self) -> F.psp_booking_request:
        return F.psp_booking_request(F.BOOKING_REQUEST_VERSION, int(self.equipment), int(self.enterprise),
                                     _seconds(self.start), _seconds(self.end), int(self.units), _enc(self.note),
                                     _id(self.voucher))


@dataclass
class Booking:
    id: int
    equipment: int
    enterprise: int
    start: _dt.datetime     # UTC
    end: _dt.datetime
    units: int
    status: BookingStatus
    created: _dt.datetime
    cancellation_fee: int   # fen
    note: str
    series: Optional[int] = None   # id of its series' first booking; None for a single booking

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)


def _booking_py(s: F.psp_booking) -> Booking:
    return Booking(s.id, s.equipment, s.enterprise, _when(s.start), _when(s.end), s.units,
                   BookingStatus(s.status), _when(s.created), s.cancellation_fee, _dec(s.note), _opt(s.series))


@dataclass
class BookingOutcome:
    """What a booking attempt answered: a booking, or the rule that refused it and why. True when booked."""
    booking: Optional[Booking]
    refused_by: BookingRule = BookingRule.NONE
    reason: str = ""

    def __bool__(self) -> bool:
        return self.booking is not None


@dataclass
class Recurrence:
    """A recurring series: the first request's period repeated every `interval` days or weeks,
    `count` times in all (the first included) or, with count 0, up to `until` (no occurrence starts
    after it). count wins when both are given."""
    every: Every = Every.WEEK
    interval: int = 1
    count: int = 0
    until: Optional[Instant] = None

    def _c(self) -> F.psp_recurrence:
        return F.psp_recurrence(1, int(self.every), int(self.interval), int(self.count),
                                0 if self.until is None else _seconds(self.until))


@dataclass
class SkippedOccurrence:
    """An occurrence of a series that was not booked, and why."""
    period: Period
    refused_by: BookingRule
    reason: str


@dataclass
class SeriesOutcome:
    """What book_series answered. True when something was booked."""
    booked: List[Booking]                 # empty when an all-or-nothing series was refused
    skipped: List[SkippedOccurrence]      # the refused occurrences
    series: Optional[int]                 # the series id (its first booking's); None when nothing was booked

    def __bool__(self) -> bool:
        return bool(self.booked)


@dataclass
class WaitlistEntry:
    """A request waiting for space on an equipment; promoted to a booking, first come first served,
    when a cancellation, rejection or no-show frees enough of its period."""
    id: int
    request: BookingRequest
    created: _dt.datetime
    status: WaitStatus
    booking: Optional[int] = None   # once promoted


def _waitlist_py(s: F.psp_waitlist_entry) -> WaitlistEntry:
    request = BookingRequest(s.equipment, s.enterprise, _when(s.start), _when(s.end), s.units, _dec(s.note),
                             _opt(s.voucher_scheme))
    return WaitlistEntry(s.id, request, _when(s.created), WaitStatus(s.status), _opt(s.booking))


def _outcome_row(o: F.psp_booking_outcome) -> Tuple[int, int, int, BookingRule, str]:
    return o.booking if o.booked else 0, o.start, o.end, BookingRule(o.refused_by), _dec(o.reason)


def _drain(handle: c_void_p, next_, free, row, conv) -> list:
    """The rows of a C iterator the caller already holds, then frees it."""
    if not handle.value:
        return []
    try:
        out = []
        ref = byref(row)
        while True:
            rc = next_(ref, handle)
            if rc != 0:
                if rc != F.ITEROVER:
                    _check(rc)
                return out
            out.append(conv(row))
    finally:
        free(handle)


def _request_c(request: BookingRequest, what: str = "request") -> F.psp_booking_request:
    if not isinstance(request, BookingRequest):
        raise TypeError(f"{what} must be a psp.BookingRequest, not {type(request).__name__}")
    return request._c()


@dataclass
class Utilisation:
    """Booked and used seconds (times units) over open seconds."""
    open_seconds: int
    booked_seconds: int
    used_seconds: int
    booked_share: float
    used_share: float


# ---- Prices and innovation vouchers -------------------------------------------------------------

@dataclass
class Tariff:
    """The published fees of one equipment, in fen. Setting it also sets the late-cancellation fee
    of the equipment's booking rules."""
    member_rate: int            # fen per hour: enterprises served by the platform or its alliances
    external_rate: int          # fen per hour: everyone else
    minimum_charge: int = 0     # fen, the least a booking costs (whole booking, after units)
    late_cancel_fee: int = 0    # fen, on a cancellation after the deadline; never voucher-paid
    per_unit: bool = True       # the hourly rate is per capacity unit booked

    def _c(self) -> F.psp_tariff:
        return F.psp_tariff(1, int(self.member_rate), int(self.external_rate), int(self.minimum_charge),
                            int(self.late_cancel_fee), 1 if self.per_unit else 0)

    @classmethod
    def _from_c(cls, s: F.psp_tariff) -> "Tariff":
        return cls(s.member_rate, s.external_rate, s.minimum_charge, s.late_cancel_fee, bool(s.per_unit))


@dataclass
class VoucherAcceptance:
    """Where a voucher scheme may be spent: a platform accepts it when any route holds."""
    whole_city: bool = False
    alliances: List[int] = field(default_factory=list)
    platforms: List[int] = field(default_factory=list)
    regions: List[str] = field(default_factory=list)   # cities/regions, e.g. ["Shanghai", "Hefei"]


@dataclass
class VoucherScheme:
    """An innovation voucher scheme (创新券); the scheme object of docs/booking-json.md. share_bp
    needs every EnterpriseSize (a forgotten one is refused, not taken as 0); caps of 0 mean none."""
    name: str
    share_bp: Dict[EnterpriseSize, int]          # share of gross the voucher pays, basis points
    services: FrozenSet[ServiceKind]             # eligible service kinds
    accepted_by: VoucherAcceptance
    first_year: int                              # calendar years of validity, inclusive
    last_year: int
    per_use_cap: int = 0                         # fen, most it pays for one booking
    yearly_cap: int = 0                          # fen, most it pays one enterprise in a year
    id: Optional[int] = None

    def to_dict(self) -> Dict[str, Any]:
        def size_name(k):
            return k if isinstance(k, str) else name_of(EnterpriseSize(k))
        a = self.accepted_by
        return {
            "id": _id(self.id), "name": self.name,
            "share_bp": {size_name(k): v for k, v in self.share_bp.items()},
            "per_use_cap": self.per_use_cap, "yearly_cap": self.yearly_cap,
            "services": [name_of(ServiceKind(k)) for k in sorted(self.services)],
            "accepted_by": {"whole_city": bool(a.whole_city), "alliances": list(a.alliances),
                            "platforms": list(a.platforms), "regions": list(a.regions)},
            "first_year": self.first_year, "last_year": self.last_year,
        }

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "VoucherScheme":
        a = d.get("accepted_by", {})
        return cls(d["name"], {EnterpriseSize[k.upper()]: v for k, v in d["share_bp"].items()},
                   frozenset(ServiceKind[k.upper()] for k in d["services"]),
                   VoucherAcceptance(bool(a.get("whole_city", False)), list(a.get("alliances", [])),
                                     list(a.get("platforms", [])), list(a.get("regions", []))),
                   d["first_year"], d["last_year"], d.get("per_use_cap", 0), d.get("yearly_cap", 0),
                   _opt(d.get("id", 0)))


@dataclass
class Price:
    """Who pays what for one booking, in fen; gross == enterprise_pays + voucher_pays."""
    gross: int
    enterprise_pays: int
    voucher_pays: int
    scheme: Optional[int]     # the scheme that pays (or was asked to pay)
    voucher_note: str         # "" when the voucher paid its full share, else why not or which cap bound


@dataclass
class PlatformVoucherTotal:
    """Voucher money of one scheme at one platform within a period, in fen."""
    platform: int
    redeemed: int       # sum of redemptions
    refunded: int       # sum of refunds, as a positive number
    net: int            # redeemed - refunded: what the scheme owes the platform
    redemptions: int
    refunds: int


# ---- Coordination across the network and settlement ---------------------------------------------

@dataclass
class ServiceRequest:
    """A request for a service, from an enterprise. With an equipment class it books equipment of
    that class; without one it is a case for a platform offering the kind (consulting, IP, ...)."""
    enterprise: int
    start: Instant                          # the window: earliest start...
    end: Instant                            # ...and latest end
    minutes: int = 60                       # duration of the booking or case
    kind: ServiceKind = ServiceKind.EQUIPMENT_SHARING
    equipment_class: Optional[int] = None   # None: a service without equipment
    units: int = 1
    price_ceiling: Optional[int] = None     # fen, the most the enterprise pays (after vouchers); None: any
    voucher: Optional[int] = None           # innovation voucher scheme to pay part
    received_by: Optional[int] = None       # the platform asked; None: the enterprise's home platforms
    front_door: Optional[int] = None        # a one-stop alliance that received it
    note: str = ""

    def _c(self) -> F.psp_service_request:
        return F.psp_service_request(
            1, int(self.enterprise), int(self.kind), _id(self.equipment_class), _seconds(self.start),
            _seconds(self.end), int(self.minutes), int(self.units), 0 if self.price_ceiling is None else 1,
            0 if self.price_ceiling is None else int(self.price_ceiling), _id(self.voucher),
            _id(self.received_by), _id(self.front_door), _enc(self.note))


def _policy_defaults() -> F.psp_routing_policy:
    p = F.psp_routing_policy()
    _check(F.psp_routing_policy_init(byref(p), 1))
    return p


_POLICY = _policy_defaults()


def _tiers_set(mask: int) -> FrozenSet[RouteTier]:
    return frozenset(t for t in RouteTier if mask >> t & 1)


@dataclass
class RoutingPolicy:
    """How a request is routed; the defaults are the library's."""
    open_tiers: FrozenSet[RouteTier] = _tiers_set(_POLICY.open_tiers)
    max_travel_minutes: int = _POLICY.max_travel_minutes
    max_referral_hops: int = _POLICY.max_referral_hops      # family moves are free
    objective: RouteObjective = RouteObjective(_POLICY.objective)
    nearest_tier_first: bool = bool(_POLICY.nearest_tier_first)  # False: every open tier, by the objective alone
    weight_wait_hours: float = _POLICY.weight_wait_hours    # the WEIGHTED objective's weights
    weight_price_yuan: float = _POLICY.weight_price_yuan
    weight_travel_minutes: float = _POLICY.weight_travel_minutes
    weight_load_percent: float = _POLICY.weight_load_percent
    max_offers: int = _POLICY.max_offers

    def _c(self) -> F.psp_routing_policy:
        mask = 0
        for t in self.open_tiers:
            mask |= 1 << int(t)
        return F.psp_routing_policy(
            1, mask, int(self.max_travel_minutes), int(self.max_referral_hops), int(self.objective),
            1 if self.nearest_tier_first else 0, float(self.weight_wait_hours), float(self.weight_price_yuan),
            float(self.weight_travel_minutes), float(self.weight_load_percent), int(self.max_offers))

    @classmethod
    def _from_c(cls, s: F.psp_routing_policy) -> "RoutingPolicy":
        return cls(_tiers_set(s.open_tiers), s.max_travel_minutes, s.max_referral_hops, RouteObjective(s.objective),
                   bool(s.nearest_tier_first), s.weight_wait_hours, s.weight_price_yuan, s.weight_travel_minutes,
                   s.weight_load_percent, s.max_offers)


@dataclass
class Offer:
    """A place and time that can serve a request, and what it costs."""
    platform: int
    equipment: Optional[int]     # None for a service without equipment
    period: Period               # the slot
    price: Price                 # price.enterprise_pays is the net price
    travel_minutes: int
    tier: RouteTier
    alliance: Optional[int]      # the alliance it was reached through
    referral_hops: int           # steps of the chain between different families
    score: float                 # the objective's value, lower is better
    chain: Tuple[int, ...]       # platforms: received_by, ..., platform


def _offer_py(s) -> Offer:
    """From a psp_offer, or the offer fields of a psp_served_request (same names)."""
    return Offer(s.platform, _opt(s.equipment), Period(s.start, s.end),
                 Price(s.gross, s.enterprise_pays, s.voucher_pays, _opt(s.scheme), _dec(s.voucher_note)),
                 s.travel_minutes, RouteTier(s.tier), _opt(s.alliance), s.referral_hops, s.score,
                 tuple(s.chain[i] for i in range(s.chain_count)))


@dataclass
class ServedRequest:
    """A request served: the request, the offer as booked, and its booking (None for a case)."""
    id: int
    request: ServiceRequest
    offer: Offer
    booking: Optional[int]
    at: _dt.datetime             # when it was fulfilled (UTC)


def _served_py(s: F.psp_served_request) -> ServedRequest:
    request = ServiceRequest(s.enterprise, _when(s.window_start), _when(s.window_end), s.minutes,
                             ServiceKind(s.kind), _opt(s.equipment_class), s.units,
                             s.price_ceiling if s.has_price_ceiling else None, _opt(s.voucher_scheme),
                             _opt(s.received_by), _opt(s.front_door), _dec(s.note))
    return ServedRequest(s.id, request, _offer_py(s), _opt(s.booking), _when(s.at))


@dataclass
class Fulfilment:
    """What fulfil answered: the served request, or why nothing fits. True when served."""
    served: Optional[ServedRequest]
    reason: str = ""                       # when nothing fits: why, naming the nearest miss
    nearest_miss: Optional[Offer] = None   # the closest candidate that failed (e.g. above the ceiling)

    def __bool__(self) -> bool:
        return self.served is not None


@dataclass
class ServiceCapacity:
    """Cases per ISO week a platform takes for a service kind without equipment."""
    platform: int
    kind: ServiceKind
    cases_per_week: int


@dataclass
class SettlementRule:
    """How a referred request's gross price is split, in basis points summing to 10000."""
    serving_bp: int = 10000    # the platform that served the request
    referring_bp: int = 0      # the platform that received it and referred it on
    pool_bp: int = 0           # the alliance's pool


def _service_request_c(request: ServiceRequest) -> F.psp_service_request:
    if not isinstance(request, ServiceRequest):
        raise TypeError(f"request must be a psp.ServiceRequest, not {type(request).__name__}")
    return request._c()


def _policy_c(policy: Optional[RoutingPolicy]):
    """A pointer to the policy's struct, or None (the library's defaults)."""
    if policy is None:
        return None
    if not isinstance(policy, RoutingPolicy):
        raise TypeError(f"policy must be a psp.RoutingPolicy, not {type(policy).__name__}")
    return byref(policy._c())


def _scheme_text(scheme: Union[VoucherScheme, str, Dict[str, Any]]) -> bytes:
    if isinstance(scheme, VoucherScheme):
        return _json_text(scheme.to_dict())
    if isinstance(scheme, (str, dict)):
        return _json_text(scheme)
    raise TypeError(f"scheme must be a psp.VoucherScheme, a dict or JSON text, not {type(scheme).__name__}")


def _json_text(value: Union[str, Dict[str, Any]]) -> bytes:
    return _enc(value if isinstance(value, str) else _json.dumps(value, ensure_ascii=False))


def _project_text(project: Union[Dict[str, Any], str]) -> bytes:
    if isinstance(project, (str, dict)):
        return _json_text(project)
    raise TypeError(f"project must be a dict or JSON text, not {type(project).__name__}")


def _dict_text(value: Union[Dict[str, Any], str], name: str) -> bytes:
    if isinstance(value, (str, dict)):
        return _json_text(value)
    raise TypeError(f"{name} must be a dict or JSON text, not {type(value).__name__}")


def _json_dates(value: Any) -> Any:
    """The value with every datetime.date in it as "YYYY-MM-DD" (for JSON arguments)."""
    if isinstance(value, dict):
        return {k: _json_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_dates(v) for v in value]
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


def _date_text(d: Union[_dt.date, str], name: str) -> bytes:
    """A calendar date as "YYYY-MM-DD": a datetime.date (a datetime gives its date) or a string,
    which the library checks."""
    if isinstance(d, _dt.datetime):
        d = d.date()
    if isinstance(d, _dt.date):
        return _enc(d.isoformat())
    if isinstance(d, str):
        return _enc(d)
    raise TypeError(f"{name} must be a datetime.date or \"YYYY-MM-DD\", not {type(d).__name__}")


def _statistics_query(subject: str, period: str, start: Union[_dt.date, str, None],
                      end: Union[_dt.date, str, None], ids: Optional[Sequence[int]], caller: str) -> bytes:
    """The query JSON of the statistics calls (docs/statistics-json.md): the periods containing
    start..end, both needed."""
    if start is None or end is None:
        raise TypeError(f"{caller}() needs start and end dates")
    query: Dict[str, Any] = {"subject": subject, "period": period, "from": _date_text(start, "start").decode(),
                             "to": _date_text(end, "end").decode()}
    if ids is not None:
        query["ids"] = [int(i) for i in ids]
    return _json.dumps(query).encode()


def _metric(metric: str) -> bytes:
    if not isinstance(metric, str):
        raise TypeError(f"metric must be a metric name such as \"utilisation\", not {type(metric).__name__}")
    return _enc(metric)


def compare_cities(tables: Union[Sequence[Dict[str, Any]], str], metric: str) -> Dict[str, Any]:
    """Cities side by side on one metric (no database): tables are what Database.export_statistics
    answers, {"city": name, "rows": [...]}, at least two, of one period kind. Each city is read from
    its city-level rows (subject "city"), or its platform rows summed when it has none. Answers
    {"metric", "period", "cities", "sources", "rows": [{"start", "end", "values"}]}; different
    period kinds, a duplicate or empty name raise psp.Invalid."""
    if isinstance(tables, dict):
        raise TypeError("tables must be a list of city tables (or JSON text), not a dict")
    text = _enc(tables) if isinstance(tables, str) else _json_text(list(tables))  # type: ignore[arg-type]
    out = c_void_p()
    _check(F.psp_compare_cities_json(byref(out), text, _metric(metric)))
    return _json.loads(F.take_string(out))


def china_holidays() -> Dict[str, Any]:
    """The mainland China holiday table psp ships (docs/holidays-json.md)."""
    out = c_void_p()
    _check(F.psp_holidays_china_json(byref(out)))
    return _json.loads(F.take_string(out))


def normalize_holidays(table: Union[str, Dict[str, Any]]) -> Dict[str, Any]:
    """Parses and checks a holiday table (JSON text or dict); raises Invalid naming the bad value."""
    out = c_void_p()
    _check(F.psp_holidays_normalize(byref(out), _json_text(table)))
    return _json.loads(F.take_string(out))


def normalize_calendar(calendar: Union[str, Dict[str, Any]]) -> Dict[str, Any]:
    """Parses and checks a calendar (docs/booking-json.md); raises Invalid naming the bad value."""
    out = c_void_p()
    _check(F.psp_calendar_normalize(byref(out), _json_text(calendar)))
    return _json.loads(F.take_string(out))


# ---- Database -----------------------------------------------------------------------------------

class Database:
    """A psp database: the network in memory, written through to SQLite (or PostgreSQL) on every
    change.

    Open with Database.open(path) (":memory:" for a scratch one); close() is idempotent and the
    object is a context manager. Iterators and other children keep it alive. Several connections
    may share one database, each with its own model: refresh() catches up on what the others
    committed (changed_elsewhere() tells whether there is anything to catch up on).

    Reads on behalf of a reader. The reads that show one enterprise's business (booking,
    bookings_of_*, waitlist, price_of, voucher_account, served_requests, settlement_ledger,
    unmet_requests, journal) take a keyword-only ``reader``. Without it (None) they are the trusted
    caller's view: everything, as the office sees it. With an Actor they answer only what that
    actor may see: an enterprise its own business, a platform operator what concerns its platform,
    the office everything, an expert or the public none of it. Lists are filtered; a single record
    the reader may not see raises PermissionDenied (after NotFound for an unknown id). A reader that
    is not an Actor raises TypeError; an Actor the library rejects (a role out of range, say) raises
    Invalid. A system answering for someone else (an enterprise's portal) passes that actor."""

    def __init__(self, handle: c_void_p, clock_callback=None):
        self._handle = handle
        self._clock = clock_callback  # the C side calls it for as long as the handle lives

    @classmethod
    def open(cls, path: Union[str, os.PathLike] = ":memory:", *, busy_timeout_ms: int = 5000,
             clock: Optional[Callable[[], Union[int, _dt.datetime]]] = None) -> "Database":
        """Opens (creating if absent) a psp database file or ":memory:", or the network in a
        PostgreSQL database ("postgresql://user@host:port/db" or a libpq keyword string). clock,
        if given, tells the journal the time (Unix seconds or a datetime)."""
        opts = F.psp_open_options()
        _check(F.psp_open_options_init(byref(opts), 1))
        opts.busy_timeout_ms = int(busy_timeout_ms)
        callback = None
        if clock is not None:
            callback = F.CLOCK(lambda _ctx: _seconds(clock()))
            opts.clock = callback
        h = c_void_p()
        _check(F.psp_db_open(byref(h), _enc(os.fspath(path)), byref(opts)))
        return cls(h, callback)

    def close(self) -> None:
        """Releases the handle (iterators still open keep the database alive)."""
        h, self._handle = self._handle, None
        if h is not None:
            F.psp_db_close(h)

    @property
    def closed(self) -> bool:
        return self._handle is None

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def _h(self) -> c_void_p:
        if self._handle is None:
            raise Invalid("the database is closed", F.EINVALID)
        return self._handle

    def __repr__(self) -> str:
        return f"<psp.Database {'closed' if self.closed else repr(self.path)}>"

    @property
    def path(self) -> str:
        out = c_char_p()
        _check(F.psp_db_path(byref(out), self._h()))
        return _dec(out.value)

    @property
    def schema_version(self) -> int:
        out = c_int()
        _check(F.psp_db_schema_version(byref(out), self._h()))
        return out.value

    # --- Transactions

    def begin(self) -> None:
        """Opens a transaction: the changes up to commit() are kept all together or not at all,
        with one sync to disk instead of one each. A change that fails inside is undone alone.
        Inside an open transaction begin() only opens a nested level; the outermost commit()
        commits. Busy if another connection is writing (after busy_timeout_ms). The transaction
        belongs to the database, not to a thread: changes other threads make through it before
        commit() are part of it."""
        _check(F.psp_db_begin(self._h()))

    def commit(self) -> None:
        """Commits the transaction (or closes a nested level). Refused when none is open. If the
        commit itself fails, everything is rolled back as by rollback() and the error raised."""
        _check(F.psp_db_commit(self._h()))

    def rollback(self) -> None:
        """Rolls back the whole transaction, from any level, and reloads the database from the
        file; every level is closed (a later commit() is Refused). Refused when none is open."""
        _check(F.psp_db_rollback(self._h()))

    def refresh(self) -> Refreshed:
        """Catches up on what other connections (processes, handles, hosts sharing a PostgreSQL
        database) committed since this one read the database: a change checked against the older
        model is refused with psp.Busy and nothing written, so refresh and retry. Cheap: reads
        only the journal rows not seen yet and the bookings, prices, voucher movements and served
        or unmet requests they name; when one of them changed anything else (the network, rules,
        calendars, tariffs, ...) it reloads everything instead. Refused while a transaction is
        open."""
        rows = c_int64()
        reloaded = c_int()
        _check(F.psp_db_refresh(byref(rows), byref(reloaded), self._h()))
        return Refreshed(rows.value, bool(reloaded.value))

    def reload(self) -> None:
        """Reads the whole database again (refresh() reads only what changed). Refused while a
        transaction is open."""
        _check(F.psp_db_reload(self._h()))

    def changed_elsewhere(self) -> bool:
        """Whether another connection has committed since this one last read the database,
        without reading the tables (PostgreSQL: LISTEN/NOTIFY; SQLite: the file's data version):
        refresh() before a change would be refused with psp.Busy. On PostgreSQL it is a hint that
        may lag by the moment a notification takes to arrive: False promises nothing."""
        out = c_int()
        _check(F.psp_db_changed_elsewhere(byref(out), self._h()))
        return bool(out.value)

    @property
    def in_transaction(self) -> bool:
        out = c_int()
        _check(F.psp_db_in_transaction(byref(out), self._h()))
        return bool(out.value)

    @contextlib.contextmanager
    def transaction(self) -> Iterator["Database"]:
        """`with db.transaction(): ...` runs the block as one transaction: committed when the
        block ends normally, rolled back (file and memory) when an exception leaves it, which is
        then re-raised. Nested inside another transaction it joins it: an exception leaving the
        inner block closes its level and goes on to the outer one, which decides."""
        outermost = not self.in_transaction
        self.begin()
        try:
            yield self
        except BaseException:
            if not self.closed and self.in_transaction:  # unless the block rolled back already
                if outermost:
                    self.rollback()
                else:
                    self.commit()  # leaves this level only
            raise
        self.commit()

    # --- Entities

    def add(self, actor: Actor, entity) -> int:
        """Adds an entity (District, Zone, Platform, ...) and returns its id (assigned when id is None)."""
        k = _kind_of(type(entity))
        out = c_int64()
        _check(_fn(f"psp_{k.name}_add")(byref(out), self._h(), byref(_actor(actor)), byref(k.to_c(entity))))
        return out.value

    def update(self, actor: Actor, entity) -> None:
        k = _kind_of(type(entity))
        if not entity.id:
            raise Invalid(f"{type(entity).__name__}.id is not set", F.EINVALID)
        _check(_fn(f"psp_{k.name}_update")(self._h(), byref(_actor(actor)), byref(k.to_c(entity))))

    def remove(self, actor: Actor, kind: type, id: int) -> None:
        """Removes the entity of type kind (e.g. psp.Platform) with this id; Refused while others depend on it."""
        k = _kind_of(kind)
        _check(_fn(f"psp_{k.name}_remove")(self._h(), byref(_actor(actor)), int(id)))

    def get(self, kind: type, id: int):
        """The entity of type kind with this id; NotFound for an unknown id."""
        k = _kind_of(kind)
        row = _new_row(k.struct)
        _check(_fn(f"psp_{k.name}_get")(byref(row), self._h(), int(id)))
        return k.to_py(row)

    def contains(self, kind: type, id: int) -> bool:
        k = _kind_of(kind)
        out = c_int()
        _check(_fn(f"psp_{k.name}_contains")(byref(out), self._h(), int(id)))
        return bool(out.value)

    def iter(self, kind: type) -> Iterator:
        """All entities of a type, ascending id."""
        k = _kind_of(kind)
        return _rows(self, k.name, _new_row(k.struct), k.to_py)

    def list(self, kind: type) -> list:
        return list(self.iter(kind))

    def districts(self) -> List[District]:
        return self.list(District)

    def zones(self) -> List[Zone]:
        return self.list(Zone)

    def platforms(self) -> List[Platform]:
        return self.list(Platform)

    def alliances(self) -> List[Alliance]:
        return self.list(Alliance)

    def equipment_classes(self) -> List[EquipmentClass]:
        return self.list(EquipmentClass)

    def equipment(self) -> List[Equipment]:
        return self.list(Equipment)

    def enterprises(self) -> List[Enterprise]:
        return self.list(Enterprise)

    # --- Relations

    def set_travel(self, actor: Actor, travel: Travel) -> None:
        s = F.psp_travel(1, int(travel.from_district), int(travel.to_district), int(travel.minutes))
        _check(F.psp_travel_set(self._h(), byref(_actor(actor)), byref(s)))

    def remove_travel(self, actor: Actor, a: int, b: int) -> None:
        _check(F.psp_travel_remove(self._h(), byref(_actor(actor)), int(a), int(b)))

    def travel(self) -> List[Travel]:
        return list(_rows(self, "travel", _new_row(F.psp_travel),
                              lambda s: Travel(s.from_, s.to, s.minutes)))

    def set_zone_service(self, actor: Actor, service: ZoneService) -> None:
        s = F.psp_zone_service(1, int(service.platform), int(service.zone), int(service.minutes))
        _check(F.psp_zone_service_set(self._h(), byref(_actor(actor)), byref(s)))

    def remove_zone_service(self, actor: Actor, platform: int, zone: int) -> None:
        _check(F.psp_zone_service_remove(self._h(), byref(_actor(actor)), int(platform), int(zone)))

    def zone_services(self) -> List[ZoneService]:
        return list(_rows(self, "zone_service", _new_row(F.psp_zone_service),
                              lambda s: ZoneService(s.platform, s.zone, s.minutes)))

    def add_link(self, actor: Actor, link: Link) -> None:
        s = F.psp_link(1, int(link.from_platform), int(link.to_platform), int(link.kind))
        _check(F.psp_link_add(self._h(), byref(_actor(actor)), byref(s)))

    def remove_link(self, actor: Actor, from_platform: int, to_platform: int) -> None:
        _check(F.psp_link_remove(self._h(), byref(_actor(actor)), int(from_platform), int(to_platform)))

    def links(self) -> List[Link]:
        return list(_rows(self, "link", _new_row(F.psp_link),
                              lambda s: Link(s.from_, s.to, LinkKind(s.kind))))

    # --- Graph queries

    def _ids(self, new, arg: int) -> List[int]:
        return list(_Iterator(self, new, F.psp_id_iter_next, F.psp_id_iter_free, c_int64(),
                              lambda r: r.value, (int(arg),)))

    def sub_platforms(self, backbone: int) -> List[int]:
        """Direct sub-platforms of a backbone."""
        return self._ids(F.psp_sub_platform_iter_new, backbone)

    def alliances_of(self, platform: int) -> List[int]:
        return self._ids(F.psp_alliances_of_iter_new, platform)

    def platforms_serving(self, zone: int) -> List[int]:
        return self._ids(F.psp_platforms_serving_iter_new, zone)

    def members(self, alliance: int) -> List[AllianceMember]:
        return list(_rows(self, "member", F.psp_alliance_member(),
                              lambda m: AllianceMember(m.platform, MemberRole(m.role)), int(alliance)))

    def equipment_within(self, zone: int, equipment_class: int, max_minutes: int) -> List[Reachable]:
        """Equipment of a class within max_minutes of a zone, nearest first."""
        return list(_rows(self, "reachable", _new_row(F.psp_reachable),
                              lambda r: Reachable(r.equipment, r.owner, r.minutes),
                              int(zone), int(equipment_class), int(max_minutes)))

    def coverage(self) -> Dict[int, Dict[ServiceKind, int]]:
        """zone -> service kind -> number of operating platforms serving the zone that offer it."""
        def row(r):
            return {ServiceKind(k): r.counts[k] for k in range(min(r.kind_count, len(_ALL_SERVICES)))}
        out = {}
        for zone, counts in _rows(self, "coverage", _new_row(F.psp_coverage_row),
                                      lambda r: (r.zone, row(r))):
            out[zone] = counts
        return out

    def coverage_gaps(self) -> List[CoverageGap]:
        """Cells of the coverage matrix that are 0."""
        return list(_rows(self, "coverage_gap", _new_row(F.psp_coverage_gap),
                              lambda g: CoverageGap(g.zone, ServiceKind(g.kind))))

    def duplications(self) -> List[Duplication]:
        """Several platforms of one field offering the same service to the same zone."""
        return list(_rows(self, "duplication", _new_row(F.psp_duplication),
                              lambda d: Duplication(d.zone, PlatformField(d.field), ServiceKind(d.kind),
                                                    tuple(d.platforms[i] for i in range(d.platform_count)))))

    def counts(self) -> Counts:
        c = _new_row(F.psp_counts)
        _check(F.psp_db_counts(byref(c), self._h()))
        return Counts(*(getattr(c, n) for n, _ in F.psp_counts._fields_[1:]))

    def to_graphviz(self) -> str:
        """The network drawn as Graphviz DOT."""
        out = c_void_p()
        _check(F.psp_db_to_graphviz(byref(out), self._h()))
        return F.take_string(out)

    # --- Booking shared equipment. Calendars are dicts (or JSON text) in the format of
    # docs/booking-json.md; times are datetime (naive = UTC), date or Unix seconds.

    def platform_calendar(self, platform: int) -> Dict[str, Any]:
        out = c_void_p()
        _check(F.psp_platform_calendar_get(byref(out), self._h(), int(platform)))
        return _json.loads(F.take_string(out))

    def set_platform_calendar(self, actor: Actor, platform: int, calendar: Union[str, Dict[str, Any]]) -> None:
        _check(F.psp_platform_calendar_set(self._h(), byref(_actor(actor)), int(platform), _json_text(calendar)))

    def equipment_calendar(self, equipment: int) -> Dict[str, Any]:
        """The calendar in force: the equipment's own, else its platform's, else the standard week."""
        out = c_void_p()
        _check(F.psp_equipment_calendar_get(byref(out), self._h(), int(equipment)))
        return _json.loads(F.take_string(out))

    def set_equipment_calendar(self, actor: Actor, equipment: int,
                               calendar: Optional[Union[str, Dict[str, Any]]]) -> None:
        """None: the equipment follows its platform's calendar again."""
        text = None if calendar is None else _json_text(calendar)
        _check(F.psp_equipment_calendar_set(self._h(), byref(_actor(actor)), int(equipment), text))

    def booking_rules(self, equipment: int) -> BookingRules:
        r = _new_row(F.psp_booking_rules)
        _check(F.psp_booking_rules_get(byref(r), self._h(), int(equipment)))
        return BookingRules._from_c(r)

    def set_booking_rules(self, actor: Actor, equipment: int, rules: BookingRules) -> None:
        _check(F.psp_booking_rules_set(self._h(), byref(_actor(actor)), int(equipment), byref(rules._c())))

    def set_training(self, actor: Actor, enterprise: int, equipment_class: int, trained: bool = True) -> None:
        _check(F.psp_training_set(self._h(), byref(_actor(actor)), int(enterprise), int(equipment_class),
                                  1 if trained else 0))

    def trained(self, enterprise: int, equipment_class: int) -> bool:
        out = c_int()
        _check(F.psp_training_get(byref(out), self._h(), int(enterprise), int(equipment_class)))
        return bool(out.value)

    def book(self, actor: Actor, request: BookingRequest) -> BookingOutcome:
        """Tries to book. A refusal is an answer (outcome.refused_by, outcome.reason), not an
        exception; misuse (reversed period, unknown id, permission) raises."""
        q = _request_c(request)
        b = _new_row(F.psp_booking)
        rule = c_int()
        reason = c_char_p()
        _check(F.psp_booking_book(byref(b), byref(rule), byref(reason), self._h(), byref(_actor(actor)),
                                  byref(q)))
        refused = BookingRule(rule.value)
        booked = _booking_py(b) if refused is BookingRule.NONE else None
        return BookingOutcome(booked, refused, _dec(reason.value))

    def book_batch(self, actor: Actor, requests: Iterable[BookingRequest]) -> List[BookingOutcome]:
        """Books many requests in one transaction, in order (later ones see the bookings of earlier
        ones); one outcome per request. Misuse in any request (unknown id, permission...) raises
        and books nothing."""
        structs = [_request_c(r, "each request") for r in requests]
        array = (ctypes.POINTER(F.psp_booking_request) * len(structs))(*[ctypes.pointer(s) for s in structs])
        rows = list(_Iterator(self, F.psp_booking_book_batch, F.psp_booking_outcome_iter_next,
                              F.psp_booking_outcome_iter_free, _new_row(F.psp_booking_outcome), _outcome_row,
                              (byref(_actor(actor)), array, len(structs))))
        return [BookingOutcome(self.booking(id) if id else None, rule, reason) for id, _s, _e, rule, reason in rows]

    def book_series(self, actor: Actor, first: BookingRequest, recurrence: Recurrence,
                    mode: SeriesMode = SeriesMode.ALL_OR_NOTHING) -> SeriesOutcome:
        """Books `first` and its repetitions in one transaction. Refusals are answers (the skipped
        occurrences); misuse raises."""
        q = _request_c(first, "first")
        if not isinstance(recurrence, Recurrence):
            raise TypeError(f"recurrence must be a psp.Recurrence, not {type(recurrence).__name__}")
        series = c_int64()
        booked, skipped = c_void_p(), c_void_p()
        _check(F.psp_booking_book_series(byref(series), byref(booked), byref(skipped), self._h(),
                                         byref(_actor(actor)), byref(q), byref(recurrence._c()), int(mode)))
        try:
            made = _drain(booked, F.psp_booking_iter_next, F.psp_booking_iter_free, _new_row(F.psp_booking),
                          _booking_py)
        finally:
            rows = _drain(skipped, F.psp_booking_outcome_iter_next, F.psp_booking_outcome_iter_free,
                          _new_row(F.psp_booking_outcome), _outcome_row)
        return SeriesOutcome(made, [SkippedOccurrence(Period(s, e), rule, reason) for _id, s, e, rule, reason in rows],
                             _opt(series.value))

    def cancel_series(self, actor: Actor, series: int, since: Instant = 0) -> List[Booking]:
        """Cancels the occurrences of a series starting at or after `since` that can still be
        cancelled; returns them. NotFound for an unknown series."""
        return list(_Iterator(self, F.psp_booking_cancel_series, F.psp_booking_iter_next,
                              F.psp_booking_iter_free, _new_row(F.psp_booking), _booking_py,
                              (byref(_actor(actor)), int(series), _seconds(since))))

    def join_waitlist(self, actor: Actor, request: BookingRequest) -> WaitlistEntry:
        """Queues a request for space on its equipment (needs the right to book)."""
        q = _request_c(request)
        w = _new_row(F.psp_waitlist_entry, 2)
        _check(F.psp_waitlist_join(byref(w), self._h(), byref(_actor(actor)), byref(q)))
        return _waitlist_py(w)

    def leave_waitlist(self, actor: Actor, entry: int) -> WaitlistEntry:
        """Withdraws a waiting entry; Refused when it no longer waits."""
        w = _new_row(F.psp_waitlist_entry, 2)
        _check(F.psp_waitlist_leave(byref(w), self._h(), byref(_actor(actor)), int(entry)))
        return _waitlist_py(w)

    def waitlist(self, equipment: int, *, reader: Optional[Actor] = None) -> List[WaitlistEntry]:
        """The entries of an equipment still waiting, in order of joining; with reader, only those it
        may see."""
        row = _new_row(F.psp_waitlist_entry, 2)
        if reader is None:
            return list(_rows(self, "waitlist", row, _waitlist_py, int(equipment)))
        return list(_Iterator(self, F.psp_waitlist_iter_new_as, F.psp_waitlist_iter_next, F.psp_waitlist_iter_free,
                              row, _waitlist_py, (byref(_reader(reader)), int(equipment))))

    def promote_waitlist(self, actor: Actor, equipment: int) -> List[WaitlistEntry]:
        """Books, now, the waiting entries of an equipment that pass every rule; returns them."""
        return list(_Iterator(self, F.psp_waitlist_promote, F.psp_waitlist_iter_next, F.psp_waitlist_iter_free,
                              _new_row(F.psp_waitlist_entry, 2), _waitlist_py, (byref(_actor(actor)), int(equipment))))

    def take_promotions(self) -> List[WaitlistEntry]:
        """The promotions made since the last call (by any call on this database), then forgets them."""
        return list(_Iterator(self, F.psp_waitlist_take_promotions, F.psp_waitlist_iter_next,
                              F.psp_waitlist_iter_free, _new_row(F.psp_waitlist_entry, 2), _waitlist_py))

    def _transition(self, fn, actor: Actor, booking: int) -> Booking:
        b = _new_row(F.psp_booking)
        _check(fn(byref(b), self._h(), byref(_actor(actor)), int(booking)))
        return _booking_py(b)

    def approve(self, actor: Actor, booking: int) -> Booking:
        return self._transition(F.psp_booking_approve, actor, booking)

    def reject(self, actor: Actor, booking: int) -> Booking:
        return self._transition(F.psp_booking_reject, actor, booking)

    def check_in(self, actor: Actor, booking: int) -> Booking:
        return self._transition(F.psp_booking_check_in, actor, booking)

    def complete(self, actor: Actor, booking: int) -> Booking:
        return self._transition(F.psp_booking_complete, actor, booking)

    def cancel(self, actor: Actor, booking: int) -> Booking:
        """Cancels (with the late fee past the deadline); Refused when already cancelled or started."""
        return self._transition(F.psp_booking_cancel, actor, booking)

    def booking(self, id: int, *, reader: Optional[Actor] = None) -> Booking:
        """One booking; with reader, PermissionDenied when it is not the reader's to see."""
        b = _new_row(F.psp_booking)
        if reader is None:
            _check(F.psp_booking_get(byref(b), self._h(), int(id)))
        else:
            _check(F.psp_booking_get_as(byref(b), self._h(), byref(_reader(reader)), int(id)))
        return _booking_py(b)

    def mark_no_shows(self, actor: Actor) -> List[Booking]:
        """Marks confirmed bookings past their grace period as no-shows and returns them."""
        return list(_Iterator(self, F.psp_booking_mark_no_shows, F.psp_booking_iter_next,
                              F.psp_booking_iter_free, _new_row(F.psp_booking), _booking_py,
                              (byref(_actor(actor)),)))

    def _bookings(self, new, new_as, id: int, start: Instant, end: Instant,
                  reader: Optional[Actor]) -> List[Booking]:
        args: tuple = (int(id), _seconds(start), _seconds(end))
        if reader is not None:
            new, args = new_as, (byref(_reader(reader)),) + args
        return list(_Iterator(self, new, F.psp_booking_iter_next, F.psp_booking_iter_free,
                              _new_row(F.psp_booking), _booking_py, args))

    def bookings_of_equipment(self, equipment: int, start: Instant, end: Instant, *,
                              reader: Optional[Actor] = None) -> List[Booking]:
        """Bookings of every status overlapping [start, end), by id; with reader, only those it may
        see."""
        return self._bookings(F.psp_bookings_of_equipment_iter_new, F.psp_bookings_of_equipment_iter_new_as,
                              equipment, start, end, reader)

    def bookings_of_enterprise(self, enterprise: int, start: Instant, end: Instant, *,
                               reader: Optional[Actor] = None) -> List[Booking]:
        """The enterprise's bookings overlapping [start, end), by id; with reader, only those it may
        see."""
        return self._bookings(F.psp_bookings_of_enterprise_iter_new, F.psp_bookings_of_enterprise_iter_new_as,
                              enterprise, start, end, reader)

    def bookings_of_platform(self, platform: int, start: Instant, end: Instant, *,
                             reader: Optional[Actor] = None) -> List[Booking]:
        """Bookings of the platform's equipment overlapping [start, end), by id; with reader, only
        those it may see."""
        return self._bookings(F.psp_bookings_of_platform_iter_new, F.psp_bookings_of_platform_iter_new_as,
                              platform, start, end, reader)

    def free_slots(self, equipment: int, start: Instant, end: Instant, min_minutes: int,
                   units: int = 1) -> List[Period]:
        """Free periods of at least min_minutes with `units` available, open and on the slot grid."""
        return list(_Iterator(self, F.psp_free_slot_iter_new, F.psp_free_slot_iter_next,
                              F.psp_free_slot_iter_free, F.psp_period(), lambda p: Period(p.start, p.end),
                              (int(equipment), _seconds(start), _seconds(end), int(min_minutes), int(units))))

    def earliest_slot(self, equipment: Iterable[int], start: Instant, end: Instant, minutes: int,
                      units: int = 1) -> Optional[Tuple[int, Period]]:
        """(equipment, period) of the earliest free period of `minutes` among several, or None."""
        ids = [int(e) for e in equipment]
        array = (c_int64 * len(ids))(*ids)
        which = c_int64()
        p = F.psp_period()
        _check(F.psp_earliest_slot(byref(which), byref(p), self._h(), array, len(ids), _seconds(start),
                                   _seconds(end), int(minutes), int(units)))
        return (which.value, Period(p.start, p.end)) if which.value else None

    def _utilisation(self, fn, id: int, start: Instant, end: Instant) -> Utilisation:
        u = _new_row(F.psp_utilisation)
        _check(fn(byref(u), self._h(), int(id), _seconds(start), _seconds(end)))
        return Utilisation(u.open_seconds, u.booked_seconds, u.used_seconds, u.booked_share, u.used_share)

    def equipment_utilisation(self, equipment: int, start: Instant, end: Instant) -> Utilisation:
        return self._utilisation(F.psp_equipment_utilisation, equipment, start, end)

    def platform_utilisation(self, platform: int, start: Instant, end: Instant) -> Utilisation:
        """Over every equipment of the platform, open time counted per unit."""
        return self._utilisation(F.psp_platform_utilisation, platform, start, end)

    # --- Prices and innovation vouchers (money in fen)

    def set_tariff(self, actor: Actor, equipment: int, tariff: Tariff) -> None:
        if not isinstance(tariff, Tariff):
            raise TypeError(f"tariff must be a psp.Tariff, not {type(tariff).__name__}")
        _check(F.psp_tariff_set(self._h(), byref(_actor(actor)), int(equipment), byref(tariff._c())))

    def tariff(self, equipment: int) -> Optional[Tariff]:
        """The equipment's tariff, or None: free of charge."""
        t = _new_row(F.psp_tariff)
        has = c_int()
        _check(F.psp_tariff_get(byref(t), byref(has), self._h(), int(equipment)))
        return Tariff._from_c(t) if has.value else None

    def add_voucher_scheme(self, actor: Actor, scheme: Union[VoucherScheme, Dict[str, Any], str]) -> int:
        """Adds a scheme (a VoucherScheme, or a dict or JSON text in the format of
        docs/booking-json.md) and returns its id; the library assigns it. Invalid names the JSON path."""
        out = c_int64()
        _check(F.psp_voucher_scheme_add_json(byref(out), self._h(), byref(_actor(actor)), _scheme_text(scheme)))
        return out.value

    def voucher_schemes(self) -> List[VoucherScheme]:
        out = c_void_p()
        _check(F.psp_voucher_schemes_json(byref(out), self._h()))
        return [VoucherScheme.from_dict(d) for d in _json.loads(F.take_string(out))]

    def voucher_account(self, enterprise: int, scheme: int, year: int, *, reader: Optional[Actor] = None) -> int:
        """Voucher money the enterprise has used of the scheme in a calendar year, net of refunds;
        with reader, PermissionDenied unless it is the enterprise itself or the office."""
        out = c_int64()
        if reader is None:
            _check(F.psp_voucher_account_get(byref(out), self._h(), int(enterprise), int(scheme), int(year)))
        else:
            _check(F.psp_voucher_account_get_as(byref(out), self._h(), byref(_reader(reader)), int(enterprise),
                                                int(scheme), int(year)))
        return out.value

    def price_of(self, booking: int, *, reader: Optional[Actor] = None) -> Price:
        """The price fixed when the booking was made (all zero without a tariff); with reader,
        PermissionDenied when the booking is not the reader's to see."""
        p = _new_row(F.psp_price)
        if reader is None:
            _check(F.psp_booking_price_get(byref(p), self._h(), int(booking)))
        else:
            _check(F.psp_booking_price_get_as(byref(p), self._h(), byref(_reader(reader)), int(booking)))
        return Price(p.gross, p.enterprise_pays, p.voucher_pays, _opt(p.scheme), _dec(p.voucher_note))

    def voucher_redemptions(self, scheme: int, start: Instant, end: Instant) -> List[PlatformVoucherTotal]:
        """Per platform, ascending: the scheme's redemptions and refunds in [start, end)."""
        period = F.psp_period(_seconds(start), _seconds(end))
        return list(_Iterator(self, F.psp_voucher_redemptions_iter_new, F.psp_voucher_redemptions_iter_next,
                              F.psp_voucher_redemptions_iter_free, _new_row(F.psp_platform_voucher_total),
                              lambda t: PlatformVoucherTotal(t.platform, t.redeemed, t.refunded, t.net,
                                                             t.redemptions, t.refunds),
                              (int(scheme), byref(period))))

    # --- Coordination across the network and settlement (money in fen)

    def route(self, request: ServiceRequest, policy: Optional[RoutingPolicy] = None) -> List[Offer]:
        """Ranked offers for a request, best first, without booking anything (empty when nothing
        fits). A bad request or policy raises Invalid naming the field."""
        q = _service_request_c(request)
        return list(_Iterator(self, F.psp_route_iter_new, F.psp_offer_iter_next, F.psp_offer_iter_free,
                              _new_row(F.psp_offer), _offer_py, (byref(q), _policy_c(policy))))

    def can_route(self, request: ServiceRequest, policy: Optional[RoutingPolicy] = None) -> bool:
        """Whether route() would offer anything, answered at the first offer found (cheaper than
        ranking them all). The same errors as route()."""
        q = _service_request_c(request)
        out = c_int()
        _check(F.psp_can_route(byref(out), self._h(), byref(q), _policy_c(policy)))
        return bool(out.value)

    def fulfil(self, actor: Actor, request: ServiceRequest, policy: Optional[RoutingPolicy] = None) -> Fulfilment:
        """Books the best offer that can still be booked and records who received and who served the
        request; or answers why nothing fits (a Fulfilment that is False). Misuse raises and books
        nothing. A request to a one-stop front door follows the alliance's policy when it has one."""
        q = _service_request_c(request)
        p = _policy_c(policy)
        s = _new_row(F.psp_served_request)
        miss = _new_row(F.psp_offer)
        served = c_int()
        reason = c_char_p()
        _check(F.psp_fulfil(byref(s), byref(served), byref(reason), byref(miss), self._h(), byref(_actor(actor)),
                            byref(q), p))
        if served.value:
            return Fulfilment(_served_py(s), _dec(reason.value))
        return Fulfilment(None, _dec(reason.value), _offer_py(miss) if miss.platform else None)

    def served_requests(self, start: Instant, end: Instant, *,
                        reader: Optional[Actor] = None) -> List[ServedRequest]:
        """Served requests whose service starts in [start, end), in id order; with reader, only
        those it may see (an operator: those its platform received, referred or served)."""
        period = F.psp_period(_seconds(start), _seconds(end))
        new, args = F.psp_served_requests_iter_new, (byref(period),)
        if reader is not None:
            new, args = F.psp_served_requests_iter_new_as, (byref(_reader(reader)), byref(period))
        return list(_Iterator(self, new, F.psp_served_requests_iter_next, F.psp_served_requests_iter_free,
                              _new_row(F.psp_served_request), _served_py, args))

    def set_service_capacity(self, actor: Actor, capacity: ServiceCapacity) -> None:
        """Cases per ISO week the platform takes for a kind without equipment (its operator's)."""
        if not isinstance(capacity, ServiceCapacity):
            raise TypeError(f"capacity must be a psp.ServiceCapacity, not {type(capacity).__name__}")
        _check(F.psp_service_capacity_set(self._h(), byref(_actor(actor)), int(capacity.platform),
                                          int(capacity.kind), int(capacity.cases_per_week)))

    def service_capacities(self) -> List[ServiceCapacity]:
        return list(_rows(self, "service_capacity", _new_row(F.psp_service_capacity),
                          lambda c: ServiceCapacity(c.platform, ServiceKind(c.kind), c.cases_per_week)))

    # --- Rolling the network out (issue 6)

    def review_purchase(self, actor: Actor, proposer: int, equipment_class: int, zone: int, purchase_value: int,
                        expected_hours_per_year: int, note: str = "", *, max_travel_minutes: int = 60,
                        busy_utilisation_bp: int = 7000, min_expected_hours: int = 300) -> Dict[str, Any]:
        """Joint review of a major purchase (§2.3), journaled: a dict with decision ("approve",
        "share_existing", "reject"), rule, reason, free_hours_nearby and candidates (same-class
        equipment within reach with utilisation_bp and free_hours over the last year)."""
        p = F.psp_purchase_proposal(1, int(proposer), int(equipment_class), int(zone), int(purchase_value),
                                    int(expected_hours_per_year), _enc(note))
        t = F.psp_review_thresholds(1, int(max_travel_minutes), int(busy_utilisation_bp), int(min_expected_hours))
        decision = c_int(-1)
        out = c_void_p()
        _check(F.psp_purchase_review(byref(decision), byref(out), self._h(), byref(_actor(actor)), byref(p), byref(t)))
        return _json.loads(F.take_string(out))

    def plan_rollout(self, backbone: int, sub_platforms: int, *, phases: int = 1, max_travel_minutes: int = 30,
                     demand: Optional[Dict[int, int]] = None) -> Dict[str, Any]:
        """Where a backbone's new sub-platforms cover the most unmet demand (§3.2), greedily, phase by
        phase: a dict with total_demand, covered_initially, bound and phases (sites with zone,
        district and gain). demand maps zone ids to unmet requests; None reads the last year's
        served requests routed far or out of the backbone's family."""
        items = list((demand or {}).items())
        array = (F.psp_zone_demand * max(1, len(items)))(*[F.psp_zone_demand(int(z), int(d)) for z, d in items])
        q = F.psp_rollout_request(1, int(backbone), int(sub_platforms), int(phases), int(max_travel_minutes),
                                  array if items else None, len(items))
        out = c_void_p()
        _check(F.psp_rollout_plan_json(byref(out), self._h(), byref(q)))
        return _json.loads(F.take_string(out))

    # --- Major projects (issue 6, §6; docs/projects-json.md). Projects are dicts of the project
    # JSON: dates "YYYY-MM-DD", money in fen, shares in basis points, enums by name.

    def add_project(self, actor: Actor, project: Union[Dict[str, Any], str]) -> int:
        """Files a project (the office), a dict or JSON text; an absent id or id 0 takes the next
        one, which is returned. An invalid project raises psp.Invalid naming the JSON path."""
        out = c_int64()
        _check(F.psp_project_add_json(byref(out), self._h(), byref(_actor(actor)), _project_text(project)))
        return out.value

    def update_project(self, actor: Actor, project: Union[Dict[str, Any], str]) -> None:
        """Replaces the stored project of the same id (the office, or an owner's operator recording
        progress). Its stage and approved date move only by advance_pipeline and supervise."""
        _check(F.psp_project_update_json(self._h(), byref(_actor(actor)), _project_text(project)))

    def project(self, id: int) -> Dict[str, Any]:
        out = c_void_p()
        _check(F.psp_project_get_json(byref(out), self._h(), int(id)))
        return _json.loads(F.take_string(out))

    def projects(self) -> List[Dict[str, Any]]:
        out = c_void_p()
        _check(F.psp_projects_json(byref(out), self._h()))
        return _json.loads(F.take_string(out))

    def advance_pipeline(self, actor: Actor, date: Union[_dt.date, str],
                         targets: Optional[Union[Dict[str, Any], str]] = None,
                         ranking: Optional[Iterable[int]] = None) -> Dict[str, Any]:
        """One step of the rolling pipeline on date (the office). targets: {"planned", "reserved",
        "building", "government_per_year"}, each optional; ranking: project ids promoted first.
        Returns the advance: on, moves, stages, government_limit, government_committed_before/after."""
        ids = [int(i) for i in (ranking or [])]
        array = (c_int64 * max(1, len(ids)))(*ids)
        out = c_void_p()
        _check(F.psp_pipeline_advance_json(byref(out), self._h(), byref(_actor(actor)),
                                           None if targets is None else _json_text(targets),
                                           array if ids else None, len(ids), _date_text(date, "date")))
        return _json.loads(F.take_string(out))

    def supervise(self, actor: Actor, date: Union[_dt.date, str],
                  thresholds: Optional[Union[Dict[str, Any], str]] = None) -> List[Dict[str, Any]]:
        """Supervises every building project on date (the office): the decisions of the day, stored
        and journaled; missed deadlines escalate rectify -> suspend_funding -> revoke."""
        out = c_void_p()
        _check(F.psp_supervise_json(byref(out), self._h(), byref(_actor(actor)),
                                    None if thresholds is None else _json_text(thresholds), _date_text(date, "date")))
        return _json.loads(F.take_string(out))

    def supervision_decisions(self, project: int = 0) -> List[Dict[str, Any]]:
        """The stored decisions of a project (0: every project's), oldest first."""
        out = c_void_p()
        _check(F.psp_supervision_decisions_json(byref(out), self._h(), int(project)))
        return _json.loads(F.take_string(out))

    def supervision_report(self, office: str, label: str, first: Union[_dt.date, str],
                           last: Union[_dt.date, str]) -> Dict[str, Any]:
        """The report of [first, last] (inclusive): each project's last decision of the period."""
        out = c_void_p()
        _check(F.psp_supervision_report_json(byref(out), self._h(), _enc(office), _enc(label),
                                             _date_text(first, "first"), _date_text(last, "last")))
        return _json.loads(F.take_string(out))

    def supervision_report_text(self, office: str, label: str, first: Union[_dt.date, str],
                                last: Union[_dt.date, str]) -> str:
        """The same report as readable English text, for filing."""
        out = c_void_p()
        _check(F.psp_supervision_report_text(byref(out), self._h(), _enc(office), _enc(label),
                                             _date_text(first, "first"), _date_text(last, "last")))
        return F.take_string(out)

    # --- Certification of demonstration platforms (§4.1; docs/certification-json.md). Standards,
    # records, applications, cases, recognitions and reviews are dicts of that JSON: dates
    # "YYYY-MM-DD", utilisation in basis points, expert scores in the panel's unit, enums by name.

    def set_certification_standards(self, actor: Actor, standards: Union[Iterable[Dict[str, Any]], str],
                                     panel: Optional[Dict[str, Any]] = None) -> None:
        """Replaces the standards (a list of standard dicts, one per level) and the expert panel's
        rules (None: the defaults) (the office). A set that does not hold together raises
        psp.Invalid naming the level and the field. JSON text is the whole {"standards", "panel"}
        object (panel must then be None)."""
        if isinstance(standards, str):
            if panel is not None:
                raise TypeError("panel must be None when standards is the whole JSON text")
            text = _enc(standards)
        elif isinstance(standards, dict):
            raise TypeError("standards must be a list of standard dicts (or the whole JSON text), not a dict")
        else:
            setting: Dict[str, Any] = {"standards": list(standards)}
            if panel is not None:
                setting["panel"] = panel
            text = _json_text(setting)
        _check(F.psp_certification_standards_set_json(self._h(), byref(_actor(actor)), text))

    def certification_standards(self) -> Dict[str, Any]:
        """The published setting: {"standards": [...] in level order, "panel": {...}}."""
        out = c_void_p()
        _check(F.psp_certification_standards_json(byref(out), self._h()))
        return _json.loads(F.take_string(out))

    def platform_record(self, platform: int, date: Union[_dt.date, str]) -> Dict[str, Any]:
        """What the database holds about the platform as of date (enterprises served, utilisation,
        revoked projects, years recognised); years_operating, grade and published_services are
        left for the caller to fill in."""
        out = c_void_p()
        _check(F.psp_platform_record_json(byref(out), self._h(), int(platform), _date_text(date, "date")))
        return _json.loads(F.take_string(out))

    def apply_for_certification(self, actor: Actor, application: Union[Dict[str, Any], str]) -> int:
        """Files an application {"platform", "level", "filed", "record"} (the platform's operator or
        the office); returns the new case's id."""
        out = c_int64()
        _check(F.psp_certification_apply_json(byref(out), self._h(), byref(_actor(actor)),
                                              _dict_text(application, "application")))
        return out.value

    def score_certification(self, actor: Actor, case: int, score: int) -> None:
        """An expert's score of an open case (Actor.expert(name)), in the panel's unit; each expert
        scores a case once."""
        _check(F.psp_certification_score(self._h(), byref(_actor(actor)), int(case), int(score)))

    def decide_certification(self, actor: Actor, case: int, date: Union[_dt.date, str]) -> Dict[str, Any]:
        """Decides the case on date (the office, once); an approval is recognised from date. Returns
        the case with its decision (approved, reasons, panel score) and certificate number."""
        out = c_void_p()
        _check(F.psp_certification_decide_json(byref(out), self._h(), byref(_actor(actor)), int(case),
                                               _date_text(date, "date")))
        return _json.loads(F.take_string(out))

    def certification_case(self, id: int) -> Dict[str, Any]:
        out = c_void_p()
        _check(F.psp_certification_case_json(byref(out), self._h(), int(id)))
        return _json.loads(F.take_string(out))

    def certification_cases(self) -> List[Dict[str, Any]]:
        """Every case, in id order."""
        out = c_void_p()
        _check(F.psp_certification_cases_json(byref(out), self._h()))
        return _json.loads(F.take_string(out))

    def review_recognition(self, actor: Actor, record: Union[Dict[str, Any], str],
                           date: Union[_dt.date, str]) -> Dict[str, Any]:
        """Reviews the open recognition of the record's platform on date (the office): renewed,
        demoted or withdrawn at term end, confirmed (or demoted / withdrawn) before it."""
        out = c_void_p()
        _check(F.psp_recognition_review_json(byref(out), self._h(), byref(_actor(actor)),
                                             _dict_text(record, "record"), _date_text(date, "date")))
        return _json.loads(F.take_string(out))

    def recognitions(self, platform: int = 0) -> List[Dict[str, Any]]:
        """Every recognition term of the platform (0: of every platform), by certificate number."""
        out = c_void_p()
        _check(F.psp_recognitions_json(byref(out), self._h(), int(platform)))
        return _json.loads(F.take_string(out))

    def recognition(self, platform: int, date: Union[_dt.date, str]) -> Optional[Dict[str, Any]]:
        """The term in force for the platform on date, or None."""
        out = c_void_p()
        _check(F.psp_recognition_json(byref(out), self._h(), int(platform), _date_text(date, "date")))
        return _json.loads(F.take_string(out))

    def recognitions_due(self, date: Union[_dt.date, str]) -> List[Dict[str, Any]]:
        """Open terms whose validity has ended by date, awaiting their review."""
        out = c_void_p()
        _check(F.psp_recognitions_due_json(byref(out), self._h(), _date_text(date, "date")))
        return _json.loads(F.take_string(out))

    # --- City plans and tasks (§1.1; docs/plans-json.md). Plans are dicts of the plan JSON.

    def add_city_plan(self, actor: Actor, plan: Union[Dict[str, Any], str]) -> int:
        """Files a city plan (the office); an absent id or id 0 takes the next one, which is
        returned. A plan that does not hold together raises psp.Invalid naming the field."""
        out = c_int64()
        _check(F.psp_city_plan_add_json(byref(out), self._h(), byref(_actor(actor)), _dict_text(plan, "plan")))
        return out.value

    def update_city_plan(self, actor: Actor, plan: Union[Dict[str, Any], str]) -> None:
        """Replaces the stored plan of the same id (the office)."""
        _check(F.psp_city_plan_update_json(self._h(), byref(_actor(actor)), _dict_text(plan, "plan")))

    def set_task_status(self, actor: Actor, plan: int, task: int, status: TaskStatus,
                        date: Union[_dt.date, str]) -> None:
        """Reports a task's status on date (the office, or the operator of the task's platform):
        DONE and CANCELLED record date, NOT_STARTED reopens the task."""
        _check(F.psp_task_status_set(self._h(), byref(_actor(actor)), int(plan), int(task), int(status),
                                     _date_text(date, "date")))

    def city_plan(self, id: int) -> Dict[str, Any]:
        out = c_void_p()
        _check(F.psp_city_plan_json(byref(out), self._h(), int(id)))
        return _json.loads(F.take_string(out))

    def city_plans(self) -> List[Dict[str, Any]]:
        """Every plan, in id order."""
        out = c_void_p()
        _check(F.psp_city_plans_json(byref(out), self._h()))
        return _json.loads(F.take_string(out))

    def overdue_report(self, plan: int, date: Union[_dt.date, str]) -> Dict[str, Any]:
        """The overdue report of the plan as of date: units with tasks past their deadline, and the
        summary."""
        out = c_void_p()
        _check(F.psp_overdue_report_json(byref(out), self._h(), int(plan), _date_text(date, "date")))
        return _json.loads(F.take_string(out))

    def overdue_report_text(self, plan: int, date: Union[_dt.date, str]) -> str:
        """The same report as readable English text, with the platforms' names."""
        out = c_void_p()
        _check(F.psp_overdue_report_text(byref(out), self._h(), int(plan), _date_text(date, "date")))
        return F.take_string(out)

    def statistics(self, subject: str = "platform", period: str = "month",
                   start: Union[_dt.date, str, None] = None, end: Union[_dt.date, str, None] = None,
                   ids: Optional[Sequence[int]] = None) -> List[Dict[str, Any]]:
        """Monitoring statistics (docs/statistics-json.md): one flat dict per subject and period, so
        that ``pandas.DataFrame(db.statistics(...))`` is a table (pandas is not required).

        subject: "equipment", "platform", "zone", "district", "alliance" or "city"; period: "day",
        "week", "month", "quarter" or "year"; the periods containing start..end (dates), both
        needed; ids: the subjects (default: every one of the kind). Each row has subject, id,
        period, start, end (the day after the period), every figure (bookings, booked_seconds,
        used_seconds, open_seconds, revenue in fen, requests_received, unmet, enterprises_served,
        ...) and utilisation and external_share (0..1)."""
        query = _statistics_query(subject, period, start, end, ids, "statistics")
        out = c_void_p()
        _check(F.psp_statistics_json(byref(out), self._h(), query))
        rows = []
        for r in _json.loads(F.take_string(out)):
            flat = {k: r[k] for k in ("subject", "id", "period", "start", "end")}
            flat.update(r["figures"])
            rows.append(flat)
        return rows

    def rebuild_statistics(self) -> None:
        """Counts every statistic again from the whole ledger."""
        _check(F.psp_statistics_rebuild(self._h()))

    def unmet_requests(self, start: Instant, end: Instant, *,
                       reader: Optional[Actor] = None) -> List[Dict[str, Any]]:
        """Requests fulfil() could not serve, asked in [start, end), in id order; with reader, only
        those it may see (an operator: those asked at its platform)."""
        period = F.psp_period(_seconds(start), _seconds(end))
        out = c_void_p()
        if reader is None:
            _check(F.psp_unmet_requests_json(byref(out), self._h(), byref(period)))
        else:
            _check(F.psp_unmet_requests_json_as(byref(out), self._h(), byref(_reader(reader)), byref(period)))
        return _json.loads(F.take_string(out))

    # --- Monitoring on the statistics (§4.2; docs/monitoring-json.md). The query arguments are
    # those of statistics(); metric names one figure: "bookings", "booked_hours", "utilisation",
    # "external_share", "revenue", "fulfilment_rate", ... (an unknown name raises psp.Invalid).

    def set_alert_rules(self, actor: Actor, rules: Union[Sequence[Dict[str, Any]], str]) -> None:
        """Replaces the office's alert rules (the office): a list of {"name", "kind" ("below_for",
        "above_for", "rising_for", "total_above"), "metric", "threshold", "periods", "subject"
        (None: every row)}. A rule the rules refuse raises psp.Invalid naming it; nothing changes."""
        if isinstance(rules, dict):
            raise TypeError("rules must be a list of rule dicts (or JSON text), not a dict")
        text = _enc(rules) if isinstance(rules, str) else _json_text(list(rules))  # type: ignore[arg-type]
        _check(F.psp_alert_rules_set_json(self._h(), byref(_actor(actor)), text))

    def alert_rules(self) -> List[Dict[str, Any]]:
        """The stored rules, in the order given."""
        out = c_void_p()
        _check(F.psp_alert_rules_json(byref(out), self._h()))
        return _json.loads(F.take_string(out))

    def alerts(self, subject: str = "platform", period: str = "month", start: Union[_dt.date, str, None] = None,
               end: Union[_dt.date, str, None] = None, ids: Optional[Sequence[int]] = None) -> List[Dict[str, Any]]:
        """The alerts the stored rules raise on the rows of the query: {"rule", "kind", "metric",
        "subject", "id", "from", "to", "figures", "threshold", "message"}, by rule then subject."""
        query = _statistics_query(subject, period, start, end, ids, "alerts")
        out = c_void_p()
        _check(F.psp_alerts_json(byref(out), self._h(), query))
        return _json.loads(F.take_string(out))

    def statistics_change(self, metric: str, subject: str = "platform", period: str = "month",
                          start: Union[_dt.date, str, None] = None, end: Union[_dt.date, str, None] = None,
                          ids: Optional[Sequence[int]] = None) -> List[Dict[str, Any]]:
        """The metric per row with the previous period's value, change and change_ratio (None where
        there is no previous period, or it is 0)."""
        query = _statistics_query(subject, period, start, end, ids, "statistics_change")
        out = c_void_p()
        _check(F.psp_statistics_change_json(byref(out), self._h(), query, _metric(metric)))
        return _json.loads(F.take_string(out))

    def statistics_rank(self, metric: str, subject: str = "platform", period: str = "month",
                        start: Union[_dt.date, str, None] = None, end: Union[_dt.date, str, None] = None,
                        ids: Optional[Sequence[int]] = None, descending: bool = True) -> List[Dict[str, Any]]:
        """The subjects ranked by the metric in one period (start and end in the same period, else
        psp.Invalid): {"rank", "subject", "id", "value"}, equal values sharing a rank."""
        query = _statistics_query(subject, period, start, end, ids, "statistics_rank")
        out = c_void_p()
        _check(F.psp_statistics_rank_json(byref(out), self._h(), query, _metric(metric), 1 if descending else 0))
        return _json.loads(F.take_string(out))

    def statistics_compare(self, metric: str, subject: str = "platform", period: str = "month",
                           start: Union[_dt.date, str, None] = None, end: Union[_dt.date, str, None] = None,
                           ids: Optional[Sequence[int]] = None) -> Dict[str, Any]:
        """The subjects side by side: {"metric", "subject", "period", "ids" (the columns), "rows":
        [{"start", "end", "values" (one per column, None where none)}]}."""
        query = _statistics_query(subject, period, start, end, ids, "statistics_compare")
        out = c_void_p()
        _check(F.psp_statistics_compare_json(byref(out), self._h(), query, _metric(metric)))
        return _json.loads(F.take_string(out))

    def export_statistics(self, city: str, subject: str = "city", period: str = "month",
                          start: Union[_dt.date, str, None] = None, end: Union[_dt.date, str, None] = None,
                          ids: Optional[Sequence[int]] = None) -> Dict[str, Any]:
        """This city's table for psp.compare_cities: {"city": city, "rows": [rows as the C API writes
        them, figures nested]}. City-level rows (the default) are what compare_cities reads best."""
        query = _statistics_query(subject, period, start, end, ids, "export_statistics")
        out = c_void_p()
        _check(F.psp_statistics_export_json(byref(out), self._h(), _enc(city), query))
        return _json.loads(F.take_string(out))

    def forecast_statistic(self, metric: str, subject: str = "platform", period: str = "month",
                           start: Union[_dt.date, str, None] = None, end: Union[_dt.date, str, None] = None,
                           ids: Optional[Sequence[int]] = None, horizon: int = 3, method: Optional[str] = None,
                           alpha: Optional[float] = None, beta: Optional[float] = None,
                           gamma: Optional[float] = None) -> Dict[str, Any]:
        """The series of the metric of one subject (ids names exactly one; the city needs none),
        fitted and forecast horizon periods ahead (1..60): {"subject", "id", "metric", "period",
        "history": [{"start", "value"}], "forecast": [{"start", "value"}], "model", "backtest" (None
        when the series is too short)}. method: "automatic" (default), "holt" or "holt_winters";
        a smoothing parameter not given is fitted."""
        query = _statistics_query(subject, period, start, end, ids, "forecast_statistic")
        options = {k: v for k, v in (("method", method), ("alpha", alpha), ("beta", beta), ("gamma", gamma))
                   if v is not None}
        out = c_void_p()
        _check(F.psp_statistics_forecast_json(byref(out), self._h(), query, _metric(metric), int(horizon),
                                              _json.dumps(options).encode() if options else None))
        return _json.loads(F.take_string(out))

    # --- Evaluation (§4.3; docs/evaluation-json.md).

    def run_evaluation(self, actor: Actor, request: Union[Dict[str, Any], str]) -> int:
        """Runs an evaluation (the office) and returns the stored run's id. request: {"label",
        "tree" (absent: the default tree), "platforms" (absent or []: every operating platform),
        "from", "to" (datetime.date or "YYYY-MM-DD", both days included), "values" (entered scores
        and measured values given), "thresholds", "budget" (fen), "floor"}. The measured indicators
        of the default tree come from the statistics of the period."""
        if isinstance(request, dict):
            request = {k: (_date_text(v, k).decode() if k in ("from", "to") and isinstance(v, _dt.date) else v)
                       for k, v in request.items()}
        out = c_int64()
        _check(F.psp_evaluation_run_json(byref(out), self._h(), byref(_actor(actor)), _dict_text(request, "request")))
        return out.value

    def evaluation(self, id: int) -> Dict[str, Any]:
        """A stored run: {"id", "label", "from", "to", "run": {"spec", "results" (in rank order),
        "allocated", "unallocated", "flagged"}}."""
        out = c_void_p()
        _check(F.psp_evaluation_json(byref(out), self._h(), int(id)))
        return _json.loads(F.take_string(out))

    def evaluations(self) -> List[Dict[str, Any]]:
        """Every stored run, in id order."""
        out = c_void_p()
        _check(F.psp_evaluations_json(byref(out), self._h()))
        return _json.loads(F.take_string(out))

    def set_alliance_policy(self, actor: Actor, alliance: int, policy: RoutingPolicy) -> None:
        """The policy of a one-stop alliance's front door (its lead's operator)."""
        if not isinstance(policy, RoutingPolicy):
            raise TypeError(f"policy must be a psp.RoutingPolicy, not {type(policy).__name__}")
        _check(F.psp_alliance_policy_set(self._h(), byref(_actor(actor)), int(alliance), byref(policy._c())))

    def alliance_policy(self, alliance: int) -> Optional[RoutingPolicy]:
        """The alliance's front-door policy, or None when it has none."""
        p = _new_row(F.psp_routing_policy)
        has = c_int()
        _check(F.psp_alliance_policy_get(byref(p), byref(has), self._h(), int(alliance)))
        return RoutingPolicy._from_c(p) if has.value else None

    def set_settlement_rule(self, actor: Actor, alliance: Optional[int], rule: SettlementRule) -> None:
        """An alliance's rule (its lead's operator), or with alliance None the default rule for
        referrals outside any alliance (the office's; no pool share)."""
        if not isinstance(rule, SettlementRule):
            raise TypeError(f"rule must be a psp.SettlementRule, not {type(rule).__name__}")
        _check(F.psp_settlement_rule_set(self._h(), byref(_actor(actor)), _id(alliance), int(rule.serving_bp),
                                         int(rule.referring_bp), int(rule.pool_bp)))

    def settlement_rule(self, alliance: Optional[int] = None) -> SettlementRule:
        """The rule in force: the alliance's own, else the default rule, else all to the server."""
        serving, referring, pool = c_int(), c_int(), c_int()
        _check(F.psp_settlement_rule_get(byref(serving), byref(referring), byref(pool), self._h(), _id(alliance)))
        return SettlementRule(serving.value, referring.value, pool.value)

    def settle(self, start: Instant, end: Instant) -> Dict[str, Any]:
        """The settlement of the requests served in [start, end): positions per platform, the fewest
        transfers that clear the balances, voucher reimbursements, alliance pools, contributions and
        totals, as the dict of docs/settlement-json.md."""
        period = F.psp_period(_seconds(start), _seconds(end))
        out = c_void_p()
        _check(F.psp_settle_json(byref(out), self._h(), byref(period)))
        return _json.loads(F.take_string(out))

    def settlement_ledger(self, start: Instant, end: Instant, *,
                          reader: Optional[Actor] = None) -> List[Dict[str, Any]]:
        """The ledger settle() nets: one entry per served request of the period still standing;
        with reader, only the entries of the served requests it may see."""
        period = F.psp_period(_seconds(start), _seconds(end))
        out = c_void_p()
        if reader is None:
            _check(F.psp_settlement_ledger_json(byref(out), self._h(), byref(period)))
        else:
            _check(F.psp_settlement_ledger_json_as(byref(out), self._h(), byref(_reader(reader)), byref(period)))
        return _json.loads(F.take_string(out))

    # --- Journal

    def iter_journal(self, entity: Optional[EntityKind] = None, entity_id: Optional[int] = None,
                     since=None, until=None, limit: int = 0, *,
                     reader: Optional[Actor] = None) -> Iterator[JournalEntry]:
        """Journal rows, oldest first; since/until (datetime, date or Unix seconds) are [since, until).
        With reader, only the rows it may see: those it made, those about the bookings, waiting-list
        entries, served and unmet requests and training records it may see, and those about the
        network and other public records; limit counts the rows returned."""
        r = None if reader is None else _reader(reader)
        q = _new_row(F.psp_journal_query)
        _check(F.psp_journal_query_init(byref(q), 1))
        if entity is not None:
            q.entity = int(entity)
        if entity_id is not None:
            q.has_entity_id, q.entity_id = 1, int(entity_id)
        if since is not None:
            q.has_from, q.from_ = 1, _seconds(since)
        if until is not None:
            q.has_to, q.to = 1, _seconds(until)
        q.limit = int(limit)

        def conv(e):
            return JournalEntry(e.seq, _dt.datetime.fromtimestamp(e.time, _UTC), Role(e.actor_role),
                                _opt(e.actor_subject), _dec(e.actor_name), _dec(e.action),
                                EntityKind(e.entity), _opt(e.entity_id), _dec(e.details))
        if r is None:
            return _rows(self, "journal", _new_row(F.psp_journal_entry), conv, byref(q))
        return _Iterator(self, F.psp_journal_iter_new_as, F.psp_journal_iter_next, F.psp_journal_iter_free,
                         _new_row(F.psp_journal_entry), conv, (byref(r), byref(q)))

    def journal(self, *, reader: Optional[Actor] = None, **query) -> List[JournalEntry]:
        """iter_journal() as a list; the same keywords, reader included."""
        return list(self.iter_journal(reader=reader, **query))

    # --- Whole networks

    def to_json(self) -> str:
        """The whole network as JSON (docs/network-json.md)."""
        out = c_void_p()
        _check(F.psp_db_export_json(byref(out), self._h()))
        return F.take_string(out)

    def from_json(self, actor: Actor, text: str) -> None:
        """Imports a whole network into this (empty) database; all or nothing."""
        _check(F.psp_db_import_json(self._h(), byref(_actor(actor)), _enc(text)))

    def generate(self, actor: Actor, params: Optional[CityParams] = None) -> None:
        """Generates a synthetic city into this (empty) database."""
        _check(F.psp_synth_generate(self._h(), byref(_actor(actor)), byref((params or CityParams())._c())))

    def configure_booking(self, actor: Actor, seed: int = 1) -> int:
        """Gives a generated city calendars, tariffs, booking rules and its voucher scheme (what
        booking and the simulation need); returns the scheme's id. Same seed, same settings."""
        out = c_int64()
        _check(F.psp_synth_configure_booking(byref(out), self._h(), byref(_actor(actor)), int(seed)))
        return out.value

    # --- Simulation of alliance sharing (docs/simulation-json.md)

    def simulate(self, scenarios: Union[List[Dict[str, Any]], Dict[str, Any], str], threads: int = 0,
                 progress: Optional[Callable[[Dict[str, Any]], Optional[bool]]] = None) -> Dict[str, Any]:
        """Runs the scenarios (a list of scenario dicts, {"scenarios": [...]}, or JSON text) on
        in-memory copies of this database, which is not changed. Dates ("from", "to") may be
        datetime.date. progress(p) is called with {"scenario", "scenarios", "replications_done",
        "replications", "fraction"}; returning False stops the run (psp.RefusedError). Returns
        {"scenarios": [{"scenario", "summary", "replications"}], "rows": [...]}; rows are the
        comparison table (pandas.DataFrame(result["rows"]))."""
        if isinstance(scenarios, list):
            scenarios = {"scenarios": scenarios}
        if isinstance(scenarios, dict):
            scenarios = _json_dates(scenarios)
        text = _dict_text(scenarios, "scenarios")
        failure: List[BaseException] = []

        def relay(p, _context):
            if failure:
                return 1
            try:
                c = p.contents
                answer = progress({"scenario": c.scenario, "scenarios": c.scenarios,
                                   "replications_done": c.replications_done,
                                   "replications": c.replications, "fraction": c.fraction})
                return 1 if answer is False else 0
            except BaseException as e:   # raised again below, not lost in the C callback
                failure.append(e)
                return 1

        callback = F.SIMULATION_PROGRESS(relay) if progress else F.SIMULATION_PROGRESS()
        out = c_void_p()
        rc = F.psp_simulate_json(byref(out), self._h(), text, int(threads), callback, None)
        if failure:
            raise failure[0]
        _check(rc)
        return _json.loads(F.take_string(out))

    def save_simulation(self, actor: Actor, name: str, results: Union[Dict[str, Any], str]) -> int:
        """Stores simulate()'s results as a named run (the office), journaled; returns its id."""
        out = c_int64()
        _check(F.psp_simulation_save_json(byref(out), self._h(), byref(_actor(actor)), _enc(name),
                                          _dict_text(results, "results")))
        return out.value

    def simulation(self, run: int) -> Dict[str, Any]:
        """A stored run: {"id", "name", "at", "scenarios", "rows"}."""
        out = c_void_p()
        _check(F.psp_simulation_json(byref(out), self._h(), int(run)))
        return _json.loads(F.take_string(out))

    def simulations(self) -> List[Dict[str, Any]]:
        """Every stored run, in id order."""
        out = c_void_p()
        _check(F.psp_simulations_json(byref(out), self._h()))
        return _json.loads(F.take_string(out))


__all__ = [
    "Action", "Actor", "Alliance", "AllianceBreadth", "AllianceMember", "AllianceScope", "AllianceSector",
    "Booking", "BookingOutcome", "BookingRequest", "BookingRule", "BookingRules", "BookingStatus",
    "Busy", "CityParams", "Every", "Counts", "CoverageGap", "Database", "DatabaseError", "District", "Duplication",
    "EntityKind", "Enterprise", "EnterpriseSize", "Equipment", "EquipmentClass", "Error", "Exists",
    "FormatError", "Fulfilment", "Invalid", "JournalEntry", "Link", "LinkKind", "MemberRole", "NotFound",
    "Offer", "OperatorModel", "OutOfMemory", "Period", "PermissionDenied", "Platform", "PlatformField", "PlatformStatus",
    "PlatformTier", "PlatformVoucherTotal", "Price", "Reachable", "Recurrence", "Refreshed", "Refused", "Role", "RouteObjective",
    "RouteTier", "RoutingPolicy", "Scale", "SeriesMode", "SeriesOutcome", "ServedRequest", "ServiceCapacity",
    "ServiceKind", "ServiceRequest", "SettlementRule", "SkippedOccurrence", "TaskStatus", "Tariff", "Travel", "Zone",
    "Utilisation", "VoucherAcceptance", "VoucherScheme", "WaitStatus", "WaitlistEntry", "ZoneService", "ZoneType",
    "china_holidays", "compare_cities", "generate_json", "library_path", "name_of",
    "normalize_calendar", "normalize_holidays", "normalize_json", "version", "version_number",
]
