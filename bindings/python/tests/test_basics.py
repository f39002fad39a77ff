"""The package itself: library loading, versions, declarations, enums, errors."""
import os

import pytest

import psp
from psp import _ffi


def test_version_matches_library():
    assert psp.version() == psp.__version__
    major, minor, patch = (int(x) for x in psp.version().split("."))
    assert psp.version_number() == major * 10000 + minor * 100 + patch
    assert major == _ffi.ABI_MAJOR


def test_refuses_another_major_version():
    with pytest.raises(ImportError, match="major version 1"):
        _ffi.check_major(10203, "1.2.3", "/somewhere/libpsp.so")
    _ffi.check_major(_ffi.ABI_MAJOR * 10000 + 99, "x", "y")  # same major: fine


def test_every_exported_symbol_is_declared():
    listed = os.path.join(os.path.dirname(__file__), "..", "..", "..", "capi", "exported_symbols.txt")
    if not os.path.exists(listed):
        pytest.skip("not in a source checkout")
    with open(listed) as f:
        exported = {line.strip() for line in f if line.startswith("psp_")}
    assert _ffi.SYMBOLS == exported
    for name in exported:
        fn = getattr(_ffi.lib, name)
        assert fn.argtypes is not None, name


def test_enum_names_agree_with_the_library():
    for enum_type, which in psp.ENUM_SELECTORS.items():
        assert _ffi.psp_enum_count(which) == len(enum_type)
        for v in enum_type:
            assert psp.name_of(v).upper() == v.name
    assert psp.name_of(psp.ZoneType.TECH_INNOVATION) == "tech_innovation"


def test_exceptions_are_pythonic():
    assert issubclass(psp.NotFound, KeyError) and issubclass(psp.NotFound, psp.Error)
    assert issubclass(psp.Invalid, ValueError) and issubclass(psp.Invalid, psp.Error)
    for cls in (psp.Refused, psp.PermissionDenied, psp.Busy, psp.Exists, psp.DatabaseError, psp.FormatError):
        assert issubclass(cls, psp.Error)
    e = psp.NotFound("no platform with id 7", -1)
    assert str(e) == "no platform with id 7" and e.code == -1


def test_actor_permissions():
    assert psp.Actor.office().permitted(psp.Action.MANAGE_DISTRICTS)
    assert not psp.Actor.anyone().permitted(psp.Action.MANAGE_DISTRICTS)
    assert psp.Actor.operator_of(3).permitted(psp.Action.UPDATE_PLATFORM, own=True)
    assert not psp.Actor.operator_of(3).permitted(psp.Action.UPDATE_PLATFORM, own=False)


def test_city_params_defaults_and_scales():
    p = psp.CityParams()
    assert p.districts == 13 and p.platforms == 300 and p.equipment == 5000
    region = psp.CityParams.for_scale(psp.Scale.REGION, seed=9)
    assert region.seed == 9 and region.equipment == 30000
    with pytest.raises(psp.Invalid, match="scale"):
        psp.CityParams.for_scale(7)
