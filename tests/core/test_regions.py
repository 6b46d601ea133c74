from doudi.core import regions


def test_every_county_of_the_five_jurisdictions_is_present():
    assert regions.get("130281").name == "遵化市"
    assert regions.city_of("130281") == "130200"
    assert regions.get("510422").name == "盐边县"
    assert regions.city_of("510422") == "510400"
    assert regions.ancestors("510411") == ["510411", "510400", "510000"]
    assert regions.get("360102").level == "county"
    assert len(regions.children("500100")) > 20  # Chongqing's districts


def test_is_within_uses_tree_and_prefix_for_retired_codes():
    assert regions.is_within("130281", "130000")
    assert not regions.is_within("130281", "360000")
    assert regions.is_within("500221", "500000")  # 长寿县, since renamed: prefix fallback


def test_province_of():
    assert regions.province_of("371402") == "370000"
    assert regions.province_of("990000") is None


def test_a_city_without_counties_is_its_own_county_under_the_province():
    # 东莞市 441900 is listed as a city and again as a county with itself as parent
    assert regions.ancestors("441900") == ["441900", "440000"]
    assert regions.is_within("441900", "440000")


def test_county_codes_are_the_county_level_codes_only():
    codes = regions.county_codes()
    assert codes == sorted(codes) and all(len(c) == 6 and c.isdigit() for c in codes)
    assert {"360102", "130281", "500155", "441900"} <= set(codes)  # 441900: its own county
    assert not {"360100", "360000", "500100", "999999", "500221"} & set(codes)
    assert all(regions.get(c).level == "county" for c in codes)
