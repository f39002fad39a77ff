"""The issue's budget: listing 30,000 equipment from Python takes at most 0.5 s."""
import time

import psp


def test_list_30000_equipment_fast(office):
    params = psp.CityParams(districts=13, zones_per_district=4, platforms=300, alliances=12,
                            equipment_classes=40, equipment=30000, enterprises=1000)
    with psp.Database.open() as db:
        db.generate(office, params)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            rows = db.equipment()
            best = min(best, time.perf_counter() - start)
        assert len(rows) == 30000
        assert all(isinstance(r, psp.Equipment) for r in rows[:10])
        print(f"listing 30,000 equipment: {best * 1000:.1f} ms")
        assert best <= 0.5
