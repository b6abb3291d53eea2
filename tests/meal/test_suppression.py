from parcours.meal.suppression import is_small, suppressed_cells


def cells(*rows):
    return [{"sex": s, "age": a, "persons": n, "value": n} for s, a, n in rows]


def test_small_counts():
    assert [is_small(n) for n in (0, 1, 4, 5, None)] == [False, True, True, False, False]


def test_a_lone_small_cell_takes_a_complementary_cell_with_it():
    data = [
        {"sex": "female", "persons": 12, "value": 12},
        {"sex": "male", "persons": 3, "value": 3},
    ]
    # The total (15) is shown: hiding "male" alone would give it away.
    assert suppressed_cells(data, ("sex",)) == {0, 1}


def test_two_small_cells_protect_each_other():
    data = [
        {"sex": "female", "persons": 12, "value": 12},
        {"sex": "male", "persons": 3, "value": 3},
        {"sex": "other", "persons": 2, "value": 2},
    ]
    assert suppressed_cells(data, ("sex",)) == {1, 2}


def test_zero_cells_are_shown_and_not_used_as_complement():
    data = [
        {"sex": "female", "persons": 0, "value": 0},
        {"sex": "male", "persons": 3, "value": 3},
        {"sex": "other", "persons": 9, "value": 9},
    ]
    assert suppressed_cells(data, ("sex",)) == {1, 2}


def test_two_dimensions_rows_and_columns():
    data = cells(
        ("f", "adult", 20),
        ("f", "minor", 2),
        ("m", "adult", 30),
        ("m", "minor", 10),
    )
    hidden = suppressed_cells(data, ("sex", "age"))
    # f/minor is small; f/adult hides with it (row f), m/minor (column minor),
    # then m/adult (row m) so that no row or column has one hidden cell alone.
    assert 1 in hidden
    for other in ("age", "sex"):
        groups = {}
        for i, c in enumerate(data):
            groups.setdefault(c[other], []).append(i)
        for members in groups.values():
            assert len([i for i in members if i in hidden]) != 1


def test_no_suppression_when_nothing_is_small():
    assert suppressed_cells(cells(("f", "a", 5), ("m", "a", 7)), ("sex", "age")) == set()
