#!/usr/bin/env python3
"""Builds a synthetic Hangzhou-like city with psp and prints where its zones lack services.

    python3 examples/python/city.py [--scale district|city|region] [--seed N] [--db city.psp]
(set PYTHONPATH=bindings/python, and PSP_LIBRARY if libpsp.so is not in build/*/capi/)"""

import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings", "python"))

import psp  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=[s.name.lower() for s in psp.Scale], default="city")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--db", default=":memory:", help="database file to create (default: in memory)")
    args = ap.parse_args()

    office = psp.Actor.office("city.py")
    params = psp.CityParams.for_scale(psp.Scale[args.scale.upper()], args.seed)
    with psp.Database.open(args.db) as db:
        db.generate(office, params)
        c = db.counts()
        print(f"psp {psp.version()}: a {args.scale} (seed {args.seed}) with {c.districts} districts, "
              f"{c.zones} zones, {c.platforms} platforms ({c.backbones} backbones, {c.sub_platforms} "
              f"sub-platforms), {c.alliances} alliances, {c.equipment} pieces of equipment, "
              f"{c.enterprises} enterprises")

        zones = {z.id: z for z in db.zones()}
        districts = {d.id: d.name for d in db.districts()}
        gaps = db.coverage_gaps()
        by_zone = collections.defaultdict(list)
        for g in gaps:
            by_zone[g.zone].append(g.kind)
        cells = len(zones) * len(psp.ServiceKind)
        print(f"\ncoverage gaps: {len(gaps)} of {cells} zone x service cells "
              f"({100.0 * len(gaps) / cells:.1f}%) have no operating platform")
        for zone_id, kinds in sorted(by_zone.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:15]:
            z = zones[zone_id]
            names = ", ".join(psp.name_of(k) for k in sorted(kinds))
            print(f"  {z.name} ({districts.get(z.district, '?')}, {psp.name_of(z.type)}): "
                  f"{len(kinds)} missing: {names}")
        if len(by_zone) > 15:
            print(f"  ... and {len(by_zone) - 15} more zones")

        missing = collections.Counter(g.kind for g in gaps)
        print("\nservices most often missing:")
        for kind, n in missing.most_common(5):
            print(f"  {psp.name_of(kind):<26} {n} zones")
        print(f"\nduplications (same field, service and zone): {len(db.duplications())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
