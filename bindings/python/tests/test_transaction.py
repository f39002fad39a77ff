"""Transactions: begin / commit / rollback and `with db.transaction():`."""
import pytest

import psp
from conftest import NOW


@pytest.fixture
def path(place):
    """A database to reopen: a file, or a PostgreSQL database."""
    return place("city")


@pytest.fixture
def filedb(path, office):
    d = psp.Database.open(path, clock=lambda: NOW)
    d.add(office, psp.District("上城区", 1.5, 0.0))
    yield d
    d.close()


def _state(db):
    return db.to_json(), len(db.journal())


def test_many_adds_in_one_transaction_are_kept(path, filedb, office):
    assert not filedb.in_transaction
    filedb.begin()
    assert filedb.in_transaction
    ids = [filedb.add(office, psp.District(f"District {i}")) for i in range(200)]
    with pytest.raises(psp.Exists):
        filedb.add(office, psp.District("taken", id=ids[0]))  # undone alone
    assert len(filedb.districts()) == 201  # reads see the changes made so far
    filedb.commit()
    assert not filedb.in_transaction
    filedb.close()
    with psp.Database.open(path) as again:
        assert [d.id for d in again.districts()][1:] == ids
        assert len(again.journal()) == 201


def test_nested_begin_commits_with_the_outermost(path, filedb, office):
    filedb.begin()
    filedb.begin()
    filedb.add(office, psp.District("nested"))
    filedb.commit()
    assert filedb.in_transaction
    with psp.Database.open(path) as other:
        assert len(other.districts()) == 1  # not committed yet
    filedb.commit()
    with psp.Database.open(path) as other:
        assert len(other.districts()) == 2


def test_rollback_leaves_file_and_memory_as_before(path, filedb, office):
    before = _state(filedb)
    filedb.begin()
    filedb.begin()
    d = filedb.add(office, psp.District("rolled back"))
    filedb.remove(office, psp.District, filedb.districts()[0].id)
    filedb.rollback()  # from a nested level: the whole transaction
    assert not filedb.in_transaction
    assert _state(filedb) == before
    assert not filedb.contains(psp.District, d)
    with pytest.raises(psp.Refused, match="no transaction is open"):
        filedb.commit()  # the outer level has nothing left
    with psp.Database.open(path) as other:
        assert _state(other) == before
    assert filedb.add(office, psp.District("again")) == d  # ids go on where the file does


def test_commit_or_rollback_without_begin_is_refused(db):
    with pytest.raises(psp.Refused, match="no transaction is open"):
        db.commit()
    with pytest.raises(psp.Refused, match="no transaction is open"):
        db.rollback()


def test_context_manager_commits(path, filedb, office):
    with filedb.transaction() as t:
        assert t is filedb and filedb.in_transaction
        for i in range(10):
            filedb.add(office, psp.District(f"D{i}"))
    assert not filedb.in_transaction
    with psp.Database.open(path) as other:
        assert len(other.districts()) == 11


def test_context_manager_rolls_back_and_reraises(path, filedb, office):
    before = _state(filedb)

    class Changed(Exception):
        pass

    with pytest.raises(Changed):
        with filedb.transaction():
            filedb.add(office, psp.District("gone"))
            raise Changed()
    assert not filedb.in_transaction
    assert _state(filedb) == before
    with psp.Database.open(path) as other:
        assert _state(other) == before

    # A psp error leaving the block works the same way.
    with pytest.raises(psp.NotFound):
        with filedb.transaction():
            filedb.add(office, psp.District("gone"))
            filedb.get(psp.District, 424242)
    assert _state(filedb) == before


def test_context_manager_nested_joins_the_outer(path, filedb, office):
    with filedb.transaction():
        filedb.add(office, psp.District("outer"))
        with pytest.raises(ValueError):
            with filedb.transaction():
                filedb.add(office, psp.District("inner"))
                raise ValueError("inner block")
        assert filedb.in_transaction  # the outer goes on
    with psp.Database.open(path) as other:
        assert sorted(d.name for d in other.districts()) == ["inner", "outer", "上城区"]


def test_context_manager_when_the_block_rolled_back(filedb, office):
    before = _state(filedb)
    with pytest.raises(KeyError):
        with filedb.transaction():
            filedb.add(office, psp.District("gone"))
            filedb.rollback()
            raise KeyError("after rollback")  # re-raised as it is, not masked
    assert _state(filedb) == before
    with pytest.raises(psp.Refused, match="no transaction is open"):
        with filedb.transaction():
            filedb.rollback()
    assert not filedb.in_transaction


def test_close_with_a_transaction_open_rolls_back(path, filedb, office):
    before = _state(filedb)
    filedb.begin()
    filedb.add(office, psp.District("never committed"))
    rows = filedb.iter(psp.District)  # keeps the handle alive after close()
    filedb.close()
    with psp.Database.open(path, busy_timeout_ms=0) as other:
        assert _state(other) == before
        other.begin()  # the write lock is free
        other.rollback()
    assert len(list(rows)) == 2  # the iterator's snapshot, taken inside the transaction


def test_closed_database(db):
    db.close()
    for call in (db.begin, db.commit, db.rollback):
        with pytest.raises(psp.Invalid, match="closed"):
            call()


def test_a_second_handle_with_a_stale_model_gets_busy_until_it_reloads(path, filedb, office):
    """Two handles (or processes) on one file: a change checked against a model the file no longer
    holds is refused, nothing written; reload() reads the database again."""
    other = psp.Database.open(path, clock=lambda: NOW)
    try:
        filedb.add(office, psp.District("滨江区"))
        with pytest.raises(psp.Busy, match="another connection"):
            other.add(office, psp.District("西湖区"))
        assert len(other.districts()) == 1          # its model is as it read it
        other.reload()
        assert len(other.districts()) == 2
        other.add(office, psp.District("西湖区"))
        other.begin()
        with pytest.raises(psp.Refused, match="transaction"):
            other.reload()
        other.rollback()
    finally:
        other.close()
    filedb.reload()
    assert [d.name for d in filedb.districts()] == ["上城区", "滨江区", "西湖区"]
