#!/usr/bin/env python3
"""Writes the seed programs of the capi_sequence target (fuzz/corpus/capi_sequence/). Each seed is
a byte program in the encoding capi_sequence.cpp reads; keep the two in step when either changes."""
import os
import sys

OFFICE = [0]                          # pick_actor: byte < 150 = the promotion office
DISTRICT = [0, 0, 0, 5, 0, 7] + OFFICE              # op, version, name, x, y?, y, actor
ZONE = [1, 0, 1, 0, 1] + OFFICE                      # op, version, name, district #0, type
PLATFORM = [2, 0, 3, 0, 0, 0, 0, 0xFF, 0x3F, 1, 1, 0, 1] + OFFICE  # ..., services, backbone, parent, site, operating
CLASS = [3, 0, 4, 5] + OFFICE
EQUIPMENT = [4, 0, 4, 0, 0, 2, 0, 0, 0x10, 0] + OFFICE   # class #0, owner #0, 2 units, site #0
ENTERPRISE = [5, 0, 5, 0, 1, 6] + OFFICE
NETWORK = DISTRICT + ZONE + PLATFORM + CLASS + EQUIPMENT + ENTERPRISE


def book(slot, length=1, units=1):
    # op, request v2, equipment #0, enterprise #0, start (near, slot), end (+length), units, note, actor, nulls
    return [8, 20, 0, 0, 0, 0, slot & 0xFF, slot >> 8, 0, length - 1, units, 6] + OFFICE + [0]


def lifecycle(which, booking=0):
    return [10, 0, booking] + OFFICE + [which]   # 0 cancel 1 approve 2 reject 3 check in 4 complete 5 get


def request(slot, kind=0, opt=0):
    # version, enterprise #0, kind (0: equipment sharing, 128: management consulting), start (near,
    # slot), window +2 h, 60 minutes, 1 unit, optional fields (0: the class, #0, alone)
    return [0, 0, kind, 0, slot & 0xFF, slot >> 8, 3, 1, 0, opt] + ([0] if (opt & 1) == 0 else [])


DEFAULTS = [0]                              # pick_policy: byte < 96 = NULL, the defaults
CITY_ONLY = [97, 0, 0, 0, 1 << 4]           # one change: open_tiers = the city tier alone
ZONE_SERVICE = [7] + OFFICE + [1, 0, 0, 10, 0]   # relations: platform #0 serves zone #0, 10 min


def route(req, policy=DEFAULTS):
    return [9, 2] + req + policy + [0, 0]       # routing: route, ..., nulls, offer version


def fulfil(req, policy=DEFAULTS):
    return [9, 0] + req + policy + OFFICE + [0, 0, 0]   # ..., served version, miss version, nulls


WIDE = [0]                                  # pick_period: byte < 128 = every time pick_time makes
SETTLEMENT = ([9, 6] + OFFICE + [0, 0, 0, 0, 0]     # default rule (alliance 0): 10000/0/0
              + [9, 3] + WIDE + [0, 0]               # served requests
              + [9, 7, 0] + WIDE + [0] + [9, 7, 1] + WIDE + [0] + [9, 7, 2] + WIDE + [0])  # settle, ledger, unmet


SEEDS = {
    "network_book_cancel": NETWORK + book(3) + book(3) + book(3) + lifecycle(0) + lifecycle(0) + [14, 0] + [15, 0, 0],
    "transaction_rollback": [11] + NETWORK + book(5) + [13] + [17, 0, 0] + [18, 0],
    "transaction_commit": [11, 11] + NETWORK + [12] + book(20, 4) + [12] + [19, 0, 0, 0, 0, 0, 0, 10, 0, 0] + [18, 3],
    "queries": NETWORK + [18, 0, 18, 1, 18, 2, 18, 3, 18, 4, 0, 0, 30, 0, 18, 5, 0, 0, 18, 6, 27, 0, 0, 0, 31, 0, 0, 0],
    "nulls": sum(([28, i] for i in range(10)), []),
    "export_import": NETWORK + [14, 0, 16, 0, 3] + [20] + OFFICE + [2, 0] + [15, 0, 0],
    "rules_calendar_waitlist": NETWORK + [22, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0] + OFFICE
    + [23] + OFFICE + [0, 1, 0] + book(3, 2, 2) + book(3, 2, 1) + [24] + OFFICE + [1, 0, 0, 0, 3, 0, 1]
    + lifecycle(0) + [24] + OFFICE + [0, 0] + [26] + OFFICE + [0, 0, 0, 0, 0, 0, 0, 0],
    "series_batch": NETWORK + [25] + OFFICE + [0, 0, 0, 3, 0, 1, 1, 1, 1, 4, 0, 1, 1]
    + [25] + OFFICE + [0, 0, 0, 5, 0, 1, 0, 0, 9, 0, 50, 3],
    # Route and fulfil an instrument hour (served at home), a consulting case once the platform
    # takes cases, one with only the city tier open (unmet); settle, cancel the booking, settle again.
    "route_fulfil_settle": NETWORK + ZONE_SERVICE + route(request(3)) + fulfil(request(3))
    + [9, 4] + OFFICE + [0, 2, 5, 0] + fulfil(request(3, kind=128, opt=1))
    + fulfil(request(5), CITY_ONLY) + SETTLEMENT + lifecycle(0) + SETTLEMENT,
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "capi_sequence")
    os.makedirs(out, exist_ok=True)
    for name, program in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes(b & 0xFF for b in program))


if __name__ == "__main__":
    main()
