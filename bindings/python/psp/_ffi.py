"""ctypes declarations of the psp C ABI (capi/include/psp/psp.h): every struct and every symbol,
with argtypes and restype set at import so no pointer is truncated to int."""

from __future__ import annotations

import ctypes
import glob
import os
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char_p, c_double, c_int, c_int64, c_size_t,
                    c_uint, c_uint32, c_uint64, c_void_p)

#: The major version of the C ABI this package speaks.
ABI_MAJOR = 0

# Return codes (psp.h); equal to psp::ErrorCode.
OK = 0
ENOTFOUND = -1
EEXISTS = -2
EINVALID = -3
EREFUSED = -4
EPERM = -5
EBUSY = -6
EIO = -7
ENOMEM = -8
ITEROVER = -9
EFORMAT = -10

SERVICE_COUNT = 14


def _candidates():
    """Where libpsp may be, most explicit first."""
    env = os.environ.get("PSP_LIBRARY")
    if env:
        yield env
        return
    here = os.path.dirname(os.path.abspath(__file__))
    for name in ("libpsp.so", f"libpsp.so.{ABI_MAJOR}", "libpsp.dylib", "psp.dll"):
        yield os.path.join(here, name)
    # A source checkout: bindings/python/psp -> the repository root, then its build trees.
    root = os.path.dirname(os.path.dirname(os.path.dirname(here)))
    found = sorted(glob.glob(os.path.join(root, "build", "*", "capi", "libpsp.so")),
                   key=lambda p: os.path.getmtime(p), reverse=True)
    yield from found
    yield f"libpsp.so.{ABI_MAJOR}"  # the system loader's search path


def _load():
    errors = []
    for path in _candidates():
        if os.sep in path and not os.path.exists(path):
            errors.append(f"{path}: no such file")
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise ImportError("psp: cannot find the psp shared library (libpsp.so); build the psp_capi "
                      "target or set PSP_LIBRARY to its path. Tried:\n  " + "\n  ".join(errors))


def check_major(number: int, version: str, path: str) -> None:
    """Refuses a library of another major version: its ABI may differ from these declarations."""
    major = number // 10000
    if major != ABI_MAJOR:
        raise ImportError(
            f"psp: {path} is psp {version} (major version {major}), but this package speaks major "
            f"version {ABI_MAJOR}; install matching versions or point PSP_LIBRARY at a compatible "
            f"libpsp.so.{ABI_MAJOR}")


lib, library_path = _load()
# Check the major version before declaring anything else: another major may lack symbols.
lib.psp_version_number.restype = c_int
lib.psp_version_number.argtypes = []
lib.psp_version.restype = c_char_p
lib.psp_version.argtypes = []
check_major(lib.psp_version_number(), lib.psp_version().decode(), library_path)


# ---- Structs (every versioned struct is at version 1 in this package, except
# psp_booking_request, at version 2) -------------------------------------------------------------

class psp_error(Structure):
    _fields_ = [("code", c_int), ("message", c_char_p)]


class psp_actor(Structure):
    _fields_ = [("version", c_uint), ("role", c_int), ("platform", c_int64), ("enterprise", c_int64),
                ("name", c_char_p)]


CLOCK = CFUNCTYPE(c_int64, c_void_p)


class psp_simulation_progress(Structure):
    _fields_ = [("scenario", c_int), ("scenarios", c_int), ("replications_done", c_int),
                ("replications", c_int), ("fraction", c_double)]


SIMULATION_PROGRESS = CFUNCTYPE(c_int, POINTER(psp_simulation_progress), c_void_p)


class psp_open_options(Structure):
    _fields_ = [("version", c_uint), ("busy_timeout_ms", c_int), ("clock", CLOCK),
                ("clock_context", c_void_p)]


class psp_counts(Structure):
    _fields_ = [("version", c_uint)] + [(n, c_int64) for n in (
        "districts", "zones", "platforms", "backbones", "sub_platforms", "alliances",
        "equipment_classes", "equipment", "enterprises", "zone_services", "links", "travel")]


class psp_district(Structure):
    _fields_ = [("version", c_uint), ("id", c_int64), ("name", c_char_p), ("x_km", c_double),
                ("y_km", c_double)]


class psp_zone(Structure):
    _fields_ = [("version", c_uint), ("id", c_int64), ("name", c_char_p), ("district", c_int64),
                ("type", c_int)]


class psp_platform(Structure):
    _fields_ = [("version", c_uint), ("id", c_int64), ("name", c_char_p), ("tier", c_int),
                ("field", c_int), ("operator_model", c_int), ("services", c_uint32),
                ("backbone", c_int), ("parent", c_int64), ("site", c_int64), ("status", c_int)]


class psp_alliance_member(Structure):
    _fields_ = [("platform", c_int64), ("role", c_int)]


class psp_alliance(Structure):
    _fields_ = [("version", c_uint), ("id", c_int64), ("name", c_char_p), ("scope", c_int),
                ("sector", c_int), ("breadth", c_int), ("lead", c_int64),
                ("members", POINTER(psp_alliance_member)), ("member_count", c_size_t),
                ("one_stop", c_int)]


class psp_equipment_class(Structure):
    _fields_ = [("version", c_uint), ("id", c_int64), ("name", c_char_p), ("category", c_char_p)]


class psp_equipment(Structure):
    _fields_ = [("version", c_uint), ("id", c_int64), ("name", c_char_p),
                ("equipment_class", c_int64), ("owner", c_int64), ("capacity_units", c_int),
                ("site", c_int64), ("purchase_value", c_int64)]


class psp_enterprise(Structure):
    _fields_ = [("version", c_uint), ("id", c_int64), ("name", c_char_p), ("zone", c_int64),
                ("size", c_int), ("sector", c_char_p)]


class psp_travel(Structure):
    _fields_ = [("version", c_uint), ("from_", c_int64), ("to", c_int64), ("minutes", c_int)]


class psp_zone_service(Structure):
    _fields_ = [("version", c_uint), ("platform", c_int64), ("zone", c_int64), ("minutes", c_int)]


class psp_link(Structure):
    _fields_ = [("version", c_uint), ("from_", c_int64), ("to", c_int64), ("kind", c_int)]


class psp_reachable(Structure):
    _fields_ = [("version", c_uint), ("equipment", c_int64), ("owner", c_int64), ("minutes", c_int)]


class psp_coverage_row(Structure):
    _fields_ = [("version", c_uint), ("zone", c_int64), ("counts", POINTER(c_int)),
                ("kind_count", c_size_t)]


class psp_coverage_gap(Structure):
    _fields_ = [("version", c_uint), ("zone", c_int64), ("kind", c_int)]


class psp_duplication(Structure):
    _fields_ = [("version", c_uint), ("zone", c_int64), ("field", c_int), ("kind", c_int),
                ("platforms", POINTER(c_int64)), ("platform_count", c_size_t)]


class psp_journal_query(Structure):
    _fields_ = [("version", c_uint), ("entity", c_int), ("has_entity_id", c_int),
                ("entity_id", c_int64), ("has_from", c_int), ("from_", c_int64), ("has_to", c_int),
                ("to", c_int64), ("limit", c_size_t)]


class psp_journal_entry(Structure):
    _fields_ = [("version", c_uint), ("seq", c_int64), ("time", c_int64), ("actor_role", c_int),
                ("actor_subject", c_int64), ("actor_name", c_char_p), ("action", c_char_p),
                ("entity", c_int), ("entity_id", c_int64), ("details", c_char_p)]


class psp_period(Structure):
    _fields_ = [("start", c_int64), ("end", c_int64)]


class psp_booking_rules(Structure):
    _fields_ = [("version", c_uint), ("slot_minutes", c_int), ("min_minutes", c_int),
                ("max_minutes", c_int), ("min_notice_minutes", c_int), ("max_horizon_days", c_int),
                ("buffer_minutes", c_int), ("approval_required", c_int), ("training_required", c_int),
                ("weekly_quota_minutes", c_int), ("cancel_deadline_minutes", c_int),
                ("late_cancel_fee", c_int64), ("no_show_grace_minutes", c_int), ("no_show_limit", c_int),
                ("no_show_block_days", c_int), ("blackouts", POINTER(psp_period)),
                ("blackout_count", c_size_t)]


BOOKING_REQUEST_VERSION = 2


class psp_booking_request(Structure):
    _fields_ = [("version", c_uint), ("equipment", c_int64), ("enterprise", c_int64), ("start", c_int64),
                ("end", c_int64), ("units", c_int), ("note", c_char_p),
                ("voucher_scheme", c_int64)]  # version 2


class psp_booking(Structure):
    _fields_ = [("version", c_uint), ("id", c_int64), ("equipment", c_int64), ("enterprise", c_int64),
                ("start", c_int64), ("end", c_int64), ("units", c_int), ("status", c_int),
                ("created", c_int64), ("cancellation_fee", c_int64), ("note", c_char_p),
                ("series", c_int64)]


class psp_booking_outcome(Structure):
    _fields_ = [("version", c_uint), ("booked", c_int), ("booking", c_int64), ("start", c_int64),
                ("end", c_int64), ("refused_by", c_int), ("reason", c_char_p)]


class psp_recurrence(Structure):
    _fields_ = [("version", c_uint), ("every", c_int), ("interval", c_int), ("count", c_int),
                ("until", c_int64)]


class psp_waitlist_entry(Structure):
    _fields_ = [("version", c_uint), ("id", c_int64), ("equipment", c_int64), ("enterprise", c_int64),
                ("start", c_int64), ("end", c_int64), ("units", c_int), ("note", c_char_p),
                ("created", c_int64), ("status", c_int), ("booking", c_int64), ("voucher_scheme", c_int64)]


class psp_utilisation(Structure):
    _fields_ = [("version", c_uint), ("open_seconds", c_int64), ("booked_seconds", c_int64),
                ("used_seconds", c_int64), ("booked_share", c_double), ("used_share", c_double)]


class psp_tariff(Structure):
    _fields_ = [("version", c_uint), ("member_rate", c_int64), ("external_rate", c_int64),
                ("minimum_charge", c_int64), ("late_cancel_fee", c_int64), ("per_unit", c_int)]


class psp_price(Structure):
    _fields_ = [("version", c_uint), ("gross", c_int64), ("enterprise_pays", c_int64),
                ("voucher_pays", c_int64), ("scheme", c_int64), ("voucher_note", c_char_p)]


class psp_platform_voucher_total(Structure):
    _fields_ = [("version", c_uint), ("platform", c_int64), ("redeemed", c_int64), ("refunded", c_int64),
                ("net", c_int64), ("redemptions", c_int), ("refunds", c_int)]


class psp_service_request(Structure):
    _fields_ = [("version", c_uint), ("enterprise", c_int64), ("kind", c_int), ("equipment_class", c_int64),
                ("start", c_int64), ("end", c_int64), ("minutes", c_int), ("units", c_int),
                ("has_price_ceiling", c_int), ("price_ceiling", c_int64), ("voucher_scheme", c_int64),
                ("received_by", c_int64), ("front_door", c_int64), ("note", c_char_p)]


class psp_routing_policy(Structure):
    _fields_ = [("version", c_uint), ("open_tiers", c_uint32), ("max_travel_minutes", c_int),
                ("max_referral_hops", c_int), ("objective", c_int), ("nearest_tier_first", c_int),
                ("weight_wait_hours", c_double), ("weight_price_yuan", c_double),
                ("weight_travel_minutes", c_double), ("weight_load_percent", c_double), ("max_offers", c_int)]


_OFFER_FIELDS = [("platform", c_int64), ("equipment", c_int64), ("start", c_int64), ("end", c_int64),
                 ("gross", c_int64), ("enterprise_pays", c_int64), ("voucher_pays", c_int64), ("scheme", c_int64),
                 ("voucher_note", c_char_p), ("travel_minutes", c_int), ("tier", c_int), ("alliance", c_int64),
                 ("referral_hops", c_int), ("score", c_double), ("chain", POINTER(c_int64)),
                 ("chain_count", c_size_t)]


class psp_offer(Structure):
    _fields_ = [("version", c_uint)] + _OFFER_FIELDS


class psp_served_request(Structure):
    _fields_ = [("version", c_uint), ("id", c_int64), ("booking", c_int64), ("at", c_int64),
                ("enterprise", c_int64), ("kind", c_int), ("equipment_class", c_int64),
                ("window_start", c_int64), ("window_end", c_int64), ("minutes", c_int), ("units", c_int),
                ("has_price_ceiling", c_int), ("price_ceiling", c_int64), ("voucher_scheme", c_int64),
                ("received_by", c_int64), ("front_door", c_int64), ("note", c_char_p)] + _OFFER_FIELDS


class psp_service_capacity(Structure):
    _fields_ = [("version", c_uint), ("platform", c_int64), ("kind", c_int), ("cases_per_week", c_int)]


class psp_purchase_proposal(Structure):
    _fields_ = [("version", c_uint), ("proposer", c_int64), ("equipment_class", c_int64), ("zone", c_int64),
                ("purchase_value", c_int64), ("expected_hours_per_year", c_int), ("note", c_char_p)]


class psp_review_thresholds(Structure):
    _fields_ = [("version", c_uint), ("max_travel_minutes", c_int), ("busy_utilisation_bp", c_int),
                ("min_expected_hours", c_int)]


class psp_zone_demand(Structure):
    _fields_ = [("zone", c_int64), ("demand", c_int64)]


class psp_rollout_request(Structure):
    _fields_ = [("version", c_uint), ("backbone", c_int64), ("sub_platforms", c_int), ("phases", c_int),
                ("max_travel_minutes", c_int), ("demand", POINTER(psp_zone_demand)), ("demand_count", c_size_t)]


class psp_city_params(Structure):
    _fields_ = [("version", c_uint), ("seed", c_uint64), ("districts", c_int),
                ("zones_per_district", c_int), ("platforms", c_int), ("backbone_share", c_double),
                ("sub_platform_share", c_double), ("alliances", c_int),
                ("equipment_classes", c_int), ("equipment", c_int), ("enterprises", c_int)]


# ---- Symbols ------------------------------------------------------------------------------------

db_p = c_void_p
it_p = c_void_p
P = POINTER
i64 = c_int64
pp = P(c_void_p)          # an opaque handle out-parameter
str_out = P(c_void_p)     # char **out, freed with psp_free (kept as void* so we can free it)
actor_p = P(psp_actor)

_SIGNATURES = {
    "psp_version": (c_char_p, []),
    "psp_version_number": (c_int, []),
    "psp_error_last": (P(psp_error), []),
    "psp_error_clear": (None, []),
    "psp_strerror": (c_char_p, [c_int]),
    "psp_free": (None, [c_void_p]),
    "psp_enum_name": (c_char_p, [c_int, c_int]),
    "psp_enum_count": (c_int, [c_int]),
    "psp_enum_parse": (c_int, [P(c_int), c_int, c_char_p]),
    "psp_actor_init": (c_int, [actor_p, c_uint]),
    "psp_permitted": (c_int, [P(c_int), actor_p, c_int, c_int]),
    "psp_open_options_init": (c_int, [P(psp_open_options), c_uint]),
    "psp_db_open": (c_int, [pp, c_char_p, P(psp_open_options)]),
    "psp_db_close": (None, [db_p]),
    "psp_db_path": (c_int, [P(c_char_p), db_p]),
    "psp_db_schema_version": (c_int, [P(c_int), db_p]),
    "psp_db_begin": (c_int, [db_p]),
    "psp_db_commit": (c_int, [db_p]),
    "psp_db_rollback": (c_int, [db_p]),
    "psp_db_refresh": (c_int, [P(i64), P(c_int), db_p]),
    "psp_db_reload": (c_int, [db_p]),
    "psp_db_changed_elsewhere": (c_int, [P(c_int), db_p]),
    "psp_db_in_transaction": (c_int, [P(c_int), db_p]),
    "psp_counts_init": (c_int, [P(psp_counts), c_uint]),
    "psp_db_counts": (c_int, [P(psp_counts), db_p]),
    "psp_db_import_json": (c_int, [db_p, actor_p, c_char_p]),
    "psp_db_export_json": (c_int, [str_out, db_p]),
    "psp_json_normalize": (c_int, [str_out, c_char_p]),
    "psp_db_to_graphviz": (c_int, [str_out, db_p]),
    # relations
    "psp_travel_init": (c_int, [P(psp_travel), c_uint]),
    "psp_zone_service_init": (c_int, [P(psp_zone_service), c_uint]),
    "psp_link_init": (c_int, [P(psp_link), c_uint]),
    "psp_travel_set": (c_int, [db_p, actor_p, P(psp_travel)]),
    "psp_travel_remove": (c_int, [db_p, actor_p, i64, i64]),
    "psp_travel_iter_new": (c_int, [pp, db_p]),
    "psp_travel_iter_next": (c_int, [P(psp_travel), it_p]),
    "psp_travel_iter_free": (None, [it_p]),
    "psp_zone_service_set": (c_int, [db_p, actor_p, P(psp_zone_service)]),
    "psp_zone_service_remove": (c_int, [db_p, actor_p, i64, i64]),
    "psp_zone_service_iter_new": (c_int, [pp, db_p]),
    "psp_zone_service_iter_next": (c_int, [P(psp_zone_service), it_p]),
    "psp_zone_service_iter_free": (None, [it_p]),
    "psp_link_add": (c_int, [db_p, actor_p, P(psp_link)]),
    "psp_link_remove": (c_int, [db_p, actor_p, i64, i64]),
    "psp_link_iter_new": (c_int, [pp, db_p]),
    "psp_link_iter_next": (c_int, [P(psp_link), it_p]),
    "psp_link_iter_free": (None, [it_p]),
    # queries
    "psp_id_iter_next": (c_int, [P(c_int64), it_p]),
    "psp_id_iter_free": (None, [it_p]),
    "psp_sub_platform_iter_new": (c_int, [pp, db_p, i64]),
    "psp_alliances_of_iter_new": (c_int, [pp, db_p, i64]),
    "psp_platforms_serving_iter_new": (c_int, [pp, db_p, i64]),
    "psp_member_iter_new": (c_int, [pp, db_p, i64]),
    "psp_member_iter_next": (c_int, [P(psp_alliance_member), it_p]),
    "psp_member_iter_free": (None, [it_p]),
    "psp_reachable_init": (c_int, [P(psp_reachable), c_uint]),
    "psp_reachable_iter_new": (c_int, [pp, db_p, i64, i64, c_int]),
    "psp_reachable_iter_next": (c_int, [P(psp_reachable), it_p]),
    "psp_reachable_iter_free": (None, [it_p]),
    "psp_coverage_row_init": (c_int, [P(psp_coverage_row), c_uint]),
    "psp_coverage_iter_new": (c_int, [pp, db_p]),
    "psp_coverage_iter_next": (c_int, [P(psp_coverage_row), it_p]),
    "psp_coverage_iter_free": (None, [it_p]),
    "psp_coverage_gap_init": (c_int, [P(psp_coverage_gap), c_uint]),
    "psp_coverage_gap_iter_new": (c_int, [pp, db_p]),
    "psp_coverage_gap_iter_next": (c_int, [P(psp_coverage_gap), it_p]),
    "psp_coverage_gap_iter_free": (None, [it_p]),
    "psp_duplication_init": (c_int, [P(psp_duplication), c_uint]),
    "psp_duplication_iter_new": (c_int, [pp, db_p]),
    "psp_duplication_iter_next": (c_int, [P(psp_duplication), it_p]),
    "psp_duplication_iter_free": (None, [it_p]),
    # journal
    "psp_journal_query_init": (c_int, [P(psp_journal_query), c_uint]),
    "psp_journal_entry_init": (c_int, [P(psp_journal_entry), c_uint]),
    "psp_journal_iter_new": (c_int, [pp, db_p, P(psp_journal_query)]),
    "psp_journal_iter_new_as": (c_int, [pp, db_p, actor_p, P(psp_journal_query)]),
    "psp_journal_iter_next": (c_int, [P(psp_journal_entry), it_p]),
    "psp_journal_iter_free": (None, [it_p]),
    # booking: calendars and holiday tables as JSON
    "psp_platform_calendar_set": (c_int, [db_p, actor_p, i64, c_char_p]),
    "psp_platform_calendar_get": (c_int, [str_out, db_p, i64]),
    "psp_equipment_calendar_set": (c_int, [db_p, actor_p, i64, c_char_p]),
    "psp_equipment_calendar_get": (c_int, [str_out, db_p, i64]),
    "psp_calendar_normalize": (c_int, [str_out, c_char_p]),
    "psp_holidays_china_json": (c_int, [str_out]),
    "psp_holidays_normalize": (c_int, [str_out, c_char_p]),
    # booking: rules, training, the lifecycle, the ledger's queries
    "psp_booking_rules_init": (c_int, [P(psp_booking_rules), c_uint]),
    "psp_booking_rules_set": (c_int, [db_p, actor_p, i64, P(psp_booking_rules)]),
    "psp_booking_rules_get": (c_int, [P(psp_booking_rules), db_p, i64]),
    "psp_training_set": (c_int, [db_p, actor_p, i64, i64, c_int]),
    "psp_training_get": (c_int, [P(c_int), db_p, i64, i64]),
    "psp_booking_request_init": (c_int, [P(psp_booking_request), c_uint]),
    "psp_booking_init": (c_int, [P(psp_booking), c_uint]),
    "psp_booking_book": (c_int, [P(psp_booking), P(c_int), P(c_char_p), db_p, actor_p,
                                 P(psp_booking_request)]),
    "psp_booking_approve": (c_int, [P(psp_booking), db_p, actor_p, i64]),
    "psp_booking_reject": (c_int, [P(psp_booking), db_p, actor_p, i64]),
    "psp_booking_check_in": (c_int, [P(psp_booking), db_p, actor_p, i64]),
    "psp_booking_complete": (c_int, [P(psp_booking), db_p, actor_p, i64]),
    "psp_booking_cancel": (c_int, [P(psp_booking), db_p, actor_p, i64]),
    "psp_booking_get": (c_int, [P(psp_booking), db_p, i64]),
    "psp_booking_get_as": (c_int, [P(psp_booking), db_p, actor_p, i64]),
    "psp_booking_iter_next": (c_int, [P(psp_booking), it_p]),
    "psp_booking_iter_free": (None, [it_p]),
    "psp_booking_mark_no_shows": (c_int, [pp, db_p, actor_p]),
    "psp_booking_outcome_init": (c_int, [P(psp_booking_outcome), c_uint]),
    "psp_booking_outcome_iter_next": (c_int, [P(psp_booking_outcome), it_p]),
    "psp_booking_outcome_iter_free": (None, [it_p]),
    "psp_booking_book_batch": (c_int, [pp, db_p, actor_p, P(P(psp_booking_request)), c_size_t]),
    "psp_recurrence_init": (c_int, [P(psp_recurrence), c_uint]),
    "psp_booking_book_series": (c_int, [P(c_int64), pp, pp, db_p, actor_p, P(psp_booking_request),
                                        P(psp_recurrence), c_int]),
    "psp_booking_cancel_series": (c_int, [pp, db_p, actor_p, i64, i64]),
    "psp_waitlist_entry_init": (c_int, [P(psp_waitlist_entry), c_uint]),
    "psp_waitlist_iter_next": (c_int, [P(psp_waitlist_entry), it_p]),
    "psp_waitlist_iter_free": (None, [it_p]),
    "psp_waitlist_join": (c_int, [P(psp_waitlist_entry), db_p, actor_p, P(psp_booking_request)]),
    "psp_waitlist_leave": (c_int, [P(psp_waitlist_entry), db_p, actor_p, i64]),
    "psp_waitlist_iter_new": (c_int, [pp, db_p, i64]),
    "psp_waitlist_iter_new_as": (c_int, [pp, db_p, actor_p, i64]),
    "psp_waitlist_promote": (c_int, [pp, db_p, actor_p, i64]),
    "psp_waitlist_take_promotions": (c_int, [pp, db_p]),
    "psp_bookings_of_equipment_iter_new": (c_int, [pp, db_p, i64, i64, i64]),
    "psp_bookings_of_enterprise_iter_new": (c_int, [pp, db_p, i64, i64, i64]),
    "psp_bookings_of_platform_iter_new": (c_int, [pp, db_p, i64, i64, i64]),
    "psp_bookings_of_equipment_iter_new_as": (c_int, [pp, db_p, actor_p, i64, i64, i64]),
    "psp_bookings_of_enterprise_iter_new_as": (c_int, [pp, db_p, actor_p, i64, i64, i64]),
    "psp_bookings_of_platform_iter_new_as": (c_int, [pp, db_p, actor_p, i64, i64, i64]),
    "psp_free_slot_iter_new": (c_int, [pp, db_p, i64, i64, i64, c_int, c_int]),
    "psp_free_slot_iter_next": (c_int, [P(psp_period), it_p]),
    "psp_free_slot_iter_free": (None, [it_p]),
    "psp_earliest_slot": (c_int, [P(c_int64), P(psp_period), db_p, P(c_int64), c_size_t, i64, i64, c_int,
                                  c_int]),
    "psp_utilisation_init": (c_int, [P(psp_utilisation), c_uint]),
    "psp_equipment_utilisation": (c_int, [P(psp_utilisation), db_p, i64, i64, i64]),
    "psp_platform_utilisation": (c_int, [P(psp_utilisation), db_p, i64, i64, i64]),
    # prices and innovation vouchers
    "psp_tariff_init": (c_int, [P(psp_tariff), c_uint]),
    "psp_tariff_set": (c_int, [db_p, actor_p, i64, P(psp_tariff)]),
    "psp_tariff_get": (c_int, [P(psp_tariff), P(c_int), db_p, i64]),
    "psp_voucher_scheme_add_json": (c_int, [P(c_int64), db_p, actor_p, c_char_p]),
    "psp_voucher_schemes_json": (c_int, [str_out, db_p]),
    "psp_voucher_account_get": (c_int, [P(c_int64), db_p, i64, i64, c_int]),
    "psp_voucher_account_get_as": (c_int, [P(c_int64), db_p, actor_p, i64, i64, c_int]),
    "psp_price_init": (c_int, [P(psp_price), c_uint]),
    "psp_booking_price_get": (c_int, [P(psp_price), db_p, i64]),
    "psp_booking_price_get_as": (c_int, [P(psp_price), db_p, actor_p, i64]),
    "psp_platform_voucher_total_init": (c_int, [P(psp_platform_voucher_total), c_uint]),
    "psp_voucher_redemptions_iter_new": (c_int, [pp, db_p, i64, P(psp_period)]),
    "psp_voucher_redemptions_iter_next": (c_int, [P(psp_platform_voucher_total), it_p]),
    "psp_voucher_redemptions_iter_free": (None, [it_p]),
    # coordination across the network and settlement
    "psp_service_request_init": (c_int, [P(psp_service_request), c_uint]),
    "psp_routing_policy_init": (c_int, [P(psp_routing_policy), c_uint]),
    "psp_offer_init": (c_int, [P(psp_offer), c_uint]),
    "psp_served_request_init": (c_int, [P(psp_served_request), c_uint]),
    "psp_service_capacity_init": (c_int, [P(psp_service_capacity), c_uint]),
    "psp_route_iter_new": (c_int, [pp, db_p, P(psp_service_request), P(psp_routing_policy)]),
    "psp_can_route": (c_int, [P(c_int), db_p, P(psp_service_request), P(psp_routing_policy)]),
    "psp_offer_iter_next": (c_int, [P(psp_offer), it_p]),
    "psp_offer_iter_free": (None, [it_p]),
    "psp_fulfil": (c_int, [P(psp_served_request), P(c_int), P(c_char_p), P(psp_offer), db_p, actor_p,
                           P(psp_service_request), P(psp_routing_policy)]),
    "psp_served_requests_iter_new": (c_int, [pp, db_p, P(psp_period)]),
    "psp_served_requests_iter_new_as": (c_int, [pp, db_p, actor_p, P(psp_period)]),
    "psp_served_requests_iter_next": (c_int, [P(psp_served_request), it_p]),
    "psp_served_requests_iter_free": (None, [it_p]),
    "psp_service_capacity_set": (c_int, [db_p, actor_p, i64, c_int, c_int]),
    "psp_service_capacity_iter_new": (c_int, [pp, db_p]),
    "psp_service_capacity_iter_next": (c_int, [P(psp_service_capacity), it_p]),
    "psp_service_capacity_iter_free": (None, [it_p]),
    "psp_alliance_policy_set": (c_int, [db_p, actor_p, i64, P(psp_routing_policy)]),
    "psp_alliance_policy_get": (c_int, [P(psp_routing_policy), P(c_int), db_p, i64]),
    "psp_settlement_rule_set": (c_int, [db_p, actor_p, i64, c_int, c_int, c_int]),
    "psp_settlement_rule_get": (c_int, [P(c_int), P(c_int), P(c_int), db_p, i64]),
    "psp_settle_json": (c_int, [str_out, db_p, P(psp_period)]),
    "psp_settlement_ledger_json": (c_int, [str_out, db_p, P(psp_period)]),
    "psp_settlement_ledger_json_as": (c_int, [str_out, db_p, actor_p, P(psp_period)]),
    # rollout
    "psp_purchase_proposal_init": (c_int, [P(psp_purchase_proposal), c_uint]),
    "psp_review_thresholds_init": (c_int, [P(psp_review_thresholds), c_uint]),
    "psp_rollout_request_init": (c_int, [P(psp_rollout_request), c_uint]),
    "psp_purchase_review": (c_int, [P(c_int), str_out, db_p, actor_p, P(psp_purchase_proposal),
                                    P(psp_review_thresholds)]),
    "psp_rollout_plan_json": (c_int, [str_out, db_p, P(psp_rollout_request)]),
    # major projects (docs/projects-json.md)
    "psp_project_add_json": (c_int, [P(c_int64), db_p, actor_p, c_char_p]),
    "psp_project_update_json": (c_int, [db_p, actor_p, c_char_p]),
    "psp_project_get_json": (c_int, [str_out, db_p, i64]),
    "psp_projects_json": (c_int, [str_out, db_p]),
    "psp_pipeline_advance_json": (c_int, [str_out, db_p, actor_p, c_char_p, P(c_int64), c_size_t, c_char_p]),
    "psp_supervise_json": (c_int, [str_out, db_p, actor_p, c_char_p, c_char_p]),
    "psp_supervision_decisions_json": (c_int, [str_out, db_p, i64]),
    "psp_supervision_report_json": (c_int, [str_out, db_p, c_char_p, c_char_p, c_char_p, c_char_p]),
    "psp_supervision_report_text": (c_int, [str_out, db_p, c_char_p, c_char_p, c_char_p, c_char_p]),
    # certification of demonstration platforms (docs/certification-json.md)
    "psp_certification_standards_set_json": (c_int, [db_p, actor_p, c_char_p]),
    "psp_certification_standards_json": (c_int, [str_out, db_p]),
    "psp_platform_record_json": (c_int, [str_out, db_p, i64, c_char_p]),
    "psp_certification_apply_json": (c_int, [P(c_int64), db_p, actor_p, c_char_p]),
    "psp_certification_score": (c_int, [db_p, actor_p, i64, c_int]),
    "psp_certification_decide_json": (c_int, [str_out, db_p, actor_p, i64, c_char_p]),
    "psp_certification_case_json": (c_int, [str_out, db_p, i64]),
    "psp_certification_cases_json": (c_int, [str_out, db_p]),
    "psp_recognition_review_json": (c_int, [str_out, db_p, actor_p, c_char_p, c_char_p]),
    "psp_recognitions_json": (c_int, [str_out, db_p, i64]),
    "psp_recognition_json": (c_int, [str_out, db_p, i64, c_char_p]),
    "psp_recognitions_due_json": (c_int, [str_out, db_p, c_char_p]),
    # city plans and tasks (docs/plans-json.md)
    "psp_city_plan_add_json": (c_int, [P(c_int64), db_p, actor_p, c_char_p]),
    "psp_city_plan_update_json": (c_int, [db_p, actor_p, c_char_p]),
    "psp_task_status_set": (c_int, [db_p, actor_p, i64, i64, c_int, c_char_p]),
    "psp_city_plan_json": (c_int, [str_out, db_p, i64]),
    "psp_city_plans_json": (c_int, [str_out, db_p]),
    "psp_overdue_report_json": (c_int, [str_out, db_p, i64, c_char_p]),
    "psp_overdue_report_text": (c_int, [str_out, db_p, i64, c_char_p]),
    # monitoring statistics (docs/statistics-json.md)
    "psp_statistics_json": (c_int, [str_out, db_p, c_char_p]),
    "psp_statistics_rebuild": (c_int, [db_p]),
    "psp_unmet_requests_json": (c_int, [str_out, db_p, P(psp_period)]),
    "psp_unmet_requests_json_as": (c_int, [str_out, db_p, actor_p, P(psp_period)]),
    # monitoring on the statistics (docs/monitoring-json.md)
    "psp_statistics_change_json": (c_int, [str_out, db_p, c_char_p, c_char_p]),
    "psp_statistics_rank_json": (c_int, [str_out, db_p, c_char_p, c_char_p, c_int]),
    "psp_statistics_compare_json": (c_int, [str_out, db_p, c_char_p, c_char_p]),
    "psp_statistics_export_json": (c_int, [str_out, db_p, c_char_p, c_char_p]),
    "psp_compare_cities_json": (c_int, [str_out, c_char_p, c_char_p]),
    "psp_statistics_forecast_json": (c_int, [str_out, db_p, c_char_p, c_char_p, c_int, c_char_p]),
    "psp_alert_rules_set_json": (c_int, [db_p, actor_p, c_char_p]),
    "psp_alert_rules_json": (c_int, [str_out, db_p]),
    "psp_alerts_json": (c_int, [str_out, db_p, c_char_p]),
    # evaluation (docs/evaluation-json.md)
    "psp_evaluation_run_json": (c_int, [P(c_int64), db_p, actor_p, c_char_p]),
    "psp_evaluation_json": (c_int, [str_out, db_p, i64]),
    "psp_evaluations_json": (c_int, [str_out, db_p]),
    # synth
    "psp_city_params_init": (c_int, [P(psp_city_params), c_uint]),
    "psp_city_params_for_scale": (c_int, [P(psp_city_params), c_int, c_uint64]),
    "psp_synth_generate": (c_int, [db_p, actor_p, P(psp_city_params)]),
    "psp_synth_generate_json": (c_int, [str_out, P(psp_city_params)]),
    "psp_synth_configure_booking": (c_int, [P(c_int64), db_p, actor_p, c_uint64]),
    # simulation (docs/simulation-json.md)
    "psp_simulate_json": (c_int, [str_out, db_p, c_char_p, c_int, SIMULATION_PROGRESS, c_void_p]),
    "psp_simulation_save_json": (c_int, [P(c_int64), db_p, actor_p, c_char_p, c_char_p]),
    "psp_simulation_json": (c_int, [str_out, db_p, i64]),
    "psp_simulations_json": (c_int, [str_out, db_p]),
}

#: entity name -> its ctypes struct; each gets init/add/update/remove/get/contains/iter_*.
ENTITY_STRUCTS = {
    "district": psp_district,
    "zone": psp_zone,
    "platform": psp_platform,
    "alliance": psp_alliance,
    "equipment_class": psp_equipment_class,
    "equipment": psp_equipment,
    "enterprise": psp_enterprise,
}
for _name, _struct in ENTITY_STRUCTS.items():
    _SIGNATURES.update({
        f"psp_{_name}_init": (c_int, [P(_struct), c_uint]),
        f"psp_{_name}_add": (c_int, [P(c_int64), db_p, actor_p, P(_struct)]),
        f"psp_{_name}_update": (c_int, [db_p, actor_p, P(_struct)]),
        f"psp_{_name}_remove": (c_int, [db_p, actor_p, i64]),
        f"psp_{_name}_get": (c_int, [P(_struct), db_p, i64]),
        f"psp_{_name}_contains": (c_int, [P(c_int), db_p, i64]),
        f"psp_{_name}_iter_new": (c_int, [pp, db_p]),
        f"psp_{_name}_iter_next": (c_int, [P(_struct), it_p]),
        f"psp_{_name}_iter_free": (None, [it_p]),
    })

#: Every symbol this module declares (compared with capi/exported_symbols.txt by the tests).
SYMBOLS = frozenset(_SIGNATURES)

for _sym, (_restype, _argtypes) in _SIGNATURES.items():
    _f = getattr(lib, _sym)
    _f.restype = _restype
    _f.argtypes = _argtypes
    globals()[_sym] = _f

del _sym, _restype, _argtypes, _f, _name, _struct


def take_string(p: c_void_p) -> str:
    """Decodes a char* the library allocated and frees it."""
    try:
        return ctypes.string_at(p.value).decode("utf-8") if p.value else ""
    finally:
        lib.psp_free(p)
