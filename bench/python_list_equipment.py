"""Issue 3 budget: listing 30,000 equipment from Python takes at most 0.5 s (best of 3).

Run by bench/run.sh with PSP_LIBRARY pointing at the Release libpsp.so; --strict exits 1 on a miss.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "bindings", "python"))
import psp  # noqa: E402


def main() -> int:
    strict = "--strict" in sys.argv[1:]
    params = psp.CityParams(districts=13, zones_per_district=4, platforms=300, alliances=12,
                            equipment_classes=40, equipment=30000, enterprises=1000)
    with psp.Database.open() as db:
        db.generate(psp.Actor.office(), params)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            rows = db.equipment()
            best = min(best, time.perf_counter() - start)
        assert len(rows) == 30000
    print(f"listing 30,000 equipment: {best * 1000:.1f} ms (target <= 500 ms: {'met' if best <= 0.5 else 'MISSED'})")
    return 1 if strict and best > 0.5 else 0


if __name__ == "__main__":
    sys.exit(main())
