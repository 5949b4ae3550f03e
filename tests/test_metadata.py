"""What a document is about: its place (issuer) and years, read from its title and text."""
import pytest

from qa.metadata import category_names, describe, issuer, place_names


@pytest.mark.parametrize("title, place", [
    ("2025年河南省政府工作报告", "河南省"),
    ("2025年广西政府工作报告", "广西壮族自治区"),
    ("2025年内蒙古自治区政府工作报告", "内蒙古自治区"),
    ("郑州高新区2020年工作回顾", "郑州高新区"),
    ("2024年苏州市国民经济和社会发展统计公报", "苏州市"),
    ("会议纪要", ""),
])
def test_issuer_from_the_title(title, place):
    assert issuer(title) == place


def test_place_names_include_the_short_form():
    assert place_names("河南省") == ("河南省", "河南")
    assert place_names("宁夏回族自治区") == ("宁夏回族自治区", "宁夏")
    assert place_names("郑州高新区") == ("郑州高新区", "郑州")
    assert place_names("") == ()


def test_years_are_the_most_named_ones():
    text = "2024年工作回顾。2024年生产总值增长5%。2025年目标。2025年计划。1998年曾经。"
    info = describe("a.txt", "报告", text * 3)
    assert set(info.years[:2]) == {2024, 2025}


def test_the_first_lines_name_the_issuer_when_the_title_does_not():
    info = describe("report.txt", "report", "2025年湖南省政府工作报告\n各位代表：……")
    assert info.place == "湖南省"


def test_a_city_named_also_searches_its_provinces_report():
    from types import SimpleNamespace

    from qa.index import Index

    info = {d.id: d for d in (describe("z", "郑州高新区2020年工作回顾", "2020年，高新区……"),
                               describe("h", "2025年河南省政府工作报告", "2024年，全省……2025年……"),
                               describe("j", "2025年江苏省政府工作报告", "2024年，全省……"))}
    corpus = SimpleNamespace(info=info)
    assert Index.documents_about(corpus, ("郑州高新区",)) == {"z", "h"}
    assert Index.documents_about(corpus, ("郑州高新区",), (2024,)) == {"h"}
    assert Index.documents_about(corpus, ("河南省",)) == {"z", "h"}
    assert Index.documents_about(corpus, ("江苏省",)) == {"j"}


def test_a_kind_of_place_names_the_one_place_of_that_kind():
    names = category_names(["郑州高新区", "河南省", "宁夏回族自治区", "广西壮族自治区"])
    assert names == {"高新区": "郑州高新区"}   # two 自治区: "自治区" names neither
    assert category_names(["郑州高新区", "郑州高新区", "河南省"]) == {"高新区": "郑州高新区"}
    assert category_names(["郑州高新区", "成都高新区"]) == {}
