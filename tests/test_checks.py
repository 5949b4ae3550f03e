"""Each check alone: what it rules out and the reason it gives."""
from qa import language as lang
from qa.analysis import analyse
from qa.candidate import Candidate
from qa.checks import KindCheck, UnitCheck, same_measure
from qa.reader import Span


def _candidate(text: str) -> Candidate:
    return Candidate(Span(0, "d", 0, len(text), text, 1.0, 0.9, 0.1), sentence=None, rank=1)


def test_unit_check_names_both_units():
    finding = UnitCheck()(analyse("粮食产量是多少万人"), _candidate("1343.9亿斤"), None)
    assert finding.check == "unit" and "万人" in finding.reason and "亿斤" in finding.reason
    assert UnitCheck()(analyse("粮食产量是多少万吨"), _candidate("1343.9亿斤"), None) is None
    assert UnitCheck()(analyse("生产总值增长多少"), _candidate("5.1%"), None) is None
    assert UnitCheck()(analyse("生产总值增长多少"), _candidate("6.36万亿元"), None) is not None
    # a question that names no unit may be answered by a rate or by an amount
    assert UnitCheck()(analyse("降低了多少电力供应成本"), _candidate("5.3亿元"), None) is None
    assert UnitCheck()(analyse("保交房进度达到多少"), _candidate("96%"), None) is None
    assert UnitCheck()(analyse("固定资产投资是多少"), _candidate("1.2万亿元"), None) is None
    assert UnitCheck()(analyse("审批最长多少天"), _candidate("30个工作日以内"), None) is None
    # an amount in foreign currency is an amount: it does not answer 增长了多少 (a rate)
    assert UnitCheck()(analyse("实际利用外资比上年增长了多少？"), _candidate("8619万美元"),
                       None) is not None
    assert UnitCheck()(analyse("实际利用外资多少万美元？"), _candidate("8619万美元"), None) is None


def test_kind_check_wants_a_figure_for_how_many():
    assert KindCheck()(analyse("新建公厕多少座"), _candidate("公厕"), None).check == "kind"
    assert KindCheck()(analyse("新建公厕多少座"), _candidate("十五座"), None) is None


def test_a_word_that_only_points_at_a_place_does_not_name_one():
    finding = KindCheck()(analyse("哪个省的粮食产量最高"), _candidate("全省"), None)
    assert finding.check == "kind" and "指代" in finding.reason
    assert KindCheck()(analyse("哪家单位牵头"), _candidate("本单位"), None) is not None
    assert KindCheck()(analyse("哪个省的粮食产量最高"), _candidate("黑龙江省"), None) is None
    assert KindCheck()(analyse("全国首个智算中心建在哪座城市"), _candidate("克拉玛依"), None) is None
    assert KindCheck()(analyse("粮食产量是多少"), _candidate("全省"), None) is not None  # no figure


def test_units_of_one_measure_answer_each_other():
    assert same_measure("人", "万人") and same_measure("人", "名")
    assert same_measure("元", "亿元") and same_measure("平方米", "平方公里")
    assert same_measure("%", "个百分点")
    assert same_measure("天", "个工作日")
    assert same_measure("块", "枚")   # 几块奖牌 answered 82枚
    assert not same_measure("件", "万元")
    assert not same_measure("元", "%")
    assert not same_measure("%", "亿元")


def test_a_question_without_a_unit_is_not_held_to_one():
    assert analyse("新建公厕多少个").unit == "个"  # 个 counts anything: the unit check skips it
    assert analyse("规上企业有多少").unit is None
    assert analyse("本科招生计划多了多少个名额").unit == "个"  # 名 here is a word, not a unit


def test_years_in_data_are_four_digit_years_with_nian():
    assert lang.YEAR.findall("2024年和2025 年，不是2024件") == ["2024", "2025"]


def test_last_year_counts_from_when_the_document_was_written():
    from qa.checks import asked_years
    from qa.metadata import DocumentInfo

    def info(title):
        return DocumentInfo("d", title, "", (), ())
    last_year = analyse("去年固定资产投资增长多少")
    # a work report is dated the year it is given and reviews the year before
    assert asked_years(last_year, info("2025年河南省政府工作报告")) == (2024,)
    # a review is dated by the year it reviews, and is read the year after
    assert asked_years(last_year, info("郑州高新区2020年工作回顾")) == (2020,)
    assert asked_years(last_year, info("2023年国民经济和社会发展统计公报")) == (2023,)
    assert asked_years(last_year, info("无年份的文件")) == ()
    assert asked_years(analyse("2019年固定资产投资增长多少"), info("2020年工作回顾")) == (2019,)


def test_a_roman_numeral_is_a_figure_and_intensity_a_share():
    assert KindCheck()(analyse("白洋淀水質保持在幾類"), _candidate("Ⅲ类"), None) is None
    assert analyse("研发经费投入强度达到多少").unit == "%"   # 经费 alone would ask for money


def test_this_year_in_a_sentence_is_the_year_its_document_speaks_from():
    from qa.checks import _relative_years
    assert _relative_years("今年我区有17万应届大学生毕业", 2025) == (2025,)
    assert _relative_years("过去一年，全省生产总值增长5.4%", 2025) == (2024,)
    assert _relative_years("全省生产总值增长5.4%", 2025) == ()
    assert _relative_years("今年我区有17万应届大学生毕业", None) == ()


def test_a_provinces_report_answers_for_a_place_in_it_only_where_it_names_the_place():
    from qa.checks import _speaks_of
    from qa.metadata import DocumentInfo
    henan = DocumentInfo("h", "2025年河南省政府工作报告", "河南省", ("河南省", "河南"), (2024,), "河南")
    jiangsu = DocumentInfo("j", "2025年江苏省政府工作报告", "江苏省", ("江苏省", "江苏"), (2024,), "江苏")
    place = ("郑州高新区",)
    assert _speaks_of(place, henan, "郑州机场货邮吞吐量突破80万吨")
    assert not _speaks_of(place, henan, "全省高新区营业收入增长10%")      # only its kind
    assert not _speaks_of(place, jiangsu, "郑州机场货邮吞吐量突破80万吨")  # not its province


def test_a_year_named_as_a_starting_point_does_not_date_what_follows():
    from qa.checks import _years
    # 在2023年…基础上 says where 2024's work started from, not that the paragraph is about 2023
    assert _years("在2023年国家考评第三的好成绩基础上，全力打好乡村全面振兴“漂亮仗”") == ()
    assert _years("2023年国家考评第三，2024年再进一步") == (2023, 2024)


class _OneDocument:
    def __init__(self, text: str):
        self.text = text

    def document_text(self, doc_id: str) -> str:
        return self.text


def _read_in(text: str, answer: str) -> Candidate:
    from qa.passages import SentenceEvidence
    start = text.index(answer)
    return Candidate(Span(0, "d", start, start + len(answer), answer, 0.9, 0.9, 0.0),
                     SentenceEvidence(0, "d", 0, len(text), "", 0.9, 1.0, 1, 1.0), rank=1)


def test_a_figure_of_the_opposite_measure_does_not_answer():
    from qa.checks import OppositeCheck
    check = OppositeCheck()
    text = "财政金融支撑有力，一般公共预算支出2164.9亿元，新增减税降费56亿元。"
    found = check(analyse("2024年一般公共预算收入是多少？"), _read_in(text, "2164.9亿元"),
                  _OneDocument(text))
    assert found and "收入" in found.reason and "支出" in found.reason
    assert check(analyse("2024年一般公共预算支出是多少？"), _read_in(text, "2164.9亿元"),
                 _OneDocument(text)) is None
    # its own clause only: the 第一产业 of an earlier clause does not speak for 第三产业
    text = "第一产业增加值增长6.2%，第三产业增加值增长5.1%。"
    assert check(analyse("第三产业增加值增长了多少？"), _read_in(text, "5.1%"),
                 _OneDocument(text)) is None
    assert check(analyse("第三产业增加值增长了多少？"), _read_in(text, "6.2%"),
                 _OneDocument(text)) is not None
    # both said in the clause (城镇、农村居民收入分别增长…): the 分别 pairing decides, not this
    text = "城镇、农村居民人均可支配收入分别增长4.8%、7%。"
    assert check(analyse("农村居民收入增长多少？"), _read_in(text, "7%"), _OneDocument(text)) is None
    text = "城乡居民人均可支配收入分别达6.6万元和3.2万元。"
    assert check(analyse("农村居民收入是多少？"), _read_in(text, "3.2万元"), _OneDocument(text)) is None
    # a total does not answer how many are new, nor the reverse
    text = "新增国家级专精特新“小巨人”企业35家。"
    assert check(analyse("江西专精特新“小巨人”企业总数达到多少家？"), _read_in(text, "35家"),
                 _OneDocument(text)) is not None
    # all residents are neither the urban nor the rural ones
    text = "全体居民人均可支配收入增长5.3%。"
    assert check(analyse("农村居民人均可支配收入增长多少？"), _read_in(text, "5.3%"),
                 _OneDocument(text)) is not None
    # 进出口 is neither 出口 nor 进口
    text = "全年进出口总额8202亿元，增长5.3%。"
    found = check(analyse("2024年出口额是多少？"), _read_in(text, "8202亿元"), _OneDocument(text))
    assert found and "进出口" in found.reason
    assert check(analyse("进出口总额是多少？"), _read_in(text, "8202亿元"), _OneDocument(text)) is None


def test_a_percentage_does_not_answer_an_amount_asked():
    check = UnitCheck()
    # 接待游客总人次是多少 asks no change or share: 28.1% (its growth) does not answer it
    found = check(analyse("辽宁2024年接待游客总人次是多少？"), _candidate("28.1%"), None)
    assert found and "百分比" in found.reason
    assert check(analyse("去年接待游客人次增长多少？"), _candidate("28.1%"), None) is None
    assert check(analyse("刑事警情少了多少？"), _candidate("19.2%"), None) is None
    assert check(analyse("群众安全感满意度达到多少？"), _candidate("98.29%"), None) is None
    # 30.6个百分点 is given in 个百分点, not in 个
    assert check(analyse("实际利用外资多少亿美元？"), _candidate("30.6个百分点"), None)


def test_a_rank_is_not_answered_by_an_amount():
    rank = analyse("货邮吞吐量排第几？")
    assert KindCheck()(rank, _candidate("128万吨"), None).check == "kind"
    assert KindCheck()(rank, _candidate("全国第5"), None) is None
    assert KindCheck()(rank, _candidate("5"), None) is None    # 第5位 cut short by the reader


def test_a_rank_says_one_in_figures_or_in_words():
    rank = analyse("金牌榜排第几？")
    assert KindCheck()(rank, _candidate("位列金牌榜"), None).check == "kind"   # where, not which
    for said in ("第2位", "居全国首位", "居全国前列", "名列前茅", "全国第一"):
        assert KindCheck()(rank, _candidate(said), None) is None, said


class _PartedDocument:
    """An index of one document in two parts, as the cleaning reads a work report."""
    title = "2025年某省政府工作报告"

    def __init__(self, parts: list[tuple[str, str]]):
        from qa.document import Document, Section
        from qa.metadata import DocumentInfo
        text, sections = "", []
        for heading, body in parts:
            start = len(text)
            text += f"{heading}\n{body}\n"
            sections.append(Section(f"{self.title} · {heading}", start, len(text)))
        self.documents = {"d": Document("d", self.title, text, tuple(sections), "")}
        self.info = {"d": DocumentInfo("d", self.title, "某省", ("某省",), (2024, 2025))}

    def document_text(self, doc_id):
        return self.documents[doc_id].text

    def section_at(self, doc_id, offset):
        return self.documents[doc_id].section_at(offset)

    def section_title(self, doc_id, offset):
        return self.section_at(doc_id, offset).title


def test_a_line_naming_a_year_dates_what_follows_in_its_part_only():
    from qa.checks import time_context
    index = _PartedDocument([("一、过去一年的工作", "一年来的主要工作是：\n城镇新增就业53.1万人。"),
                             ("二、奋勇争先", "全力促进就业。城镇新增就业50万人。")])
    text = index.document_text("d")

    def said(sentence):
        start = text.index(sentence)
        return time_context(index, "d", start, start + len(sentence))
    assert said("城镇新增就业53.1万人。") == (2024,)
    assert said("城镇新增就业50万人。") == ()    # the plans of the next part: not dated 2024


def test_a_part_is_dated_by_the_year_it_speaks_of_most():
    from qa.checks import time_context
    index = _PartedDocument([("一、过去一年的工作", "一年来的主要工作是：\n城镇新增就业53.1万人。"),
                             ("二、奋勇争先", "今年经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇调查失业率"
                                            "5.5%左右，居民收入增长和经济增长同步。今年要稳就业、稳企业。\n"
                                            "全力促进就业。城镇新增就业50万人。")])
    text = index.document_text("d")
    start = text.index("城镇新增就业50万人。")
    assert time_context(index, "d", start, start + 11) == (2025,)


def test_what_a_measure_changed_from_does_not_answer_what_it_changed_to():
    from qa.checks import FromToCheck
    check = FromToCheck()
    text = "补贴、护理补贴标准分别从每人每月202元、270元提高到209元、280元。"
    asked = analyse("补贴标准提高到每人每月多少元？")
    found = check(asked, _read_in(text, "202元"), _OneDocument(text))
    assert found and "变化前" in found.reason
    assert check(asked, _read_in(text, "209元"), _OneDocument(text)) is None
    # asked what it was (or from what), the figure before the change answers
    assert check(analyse("补贴标准原来是每人每月多少元？"), _read_in(text, "202元"),
                 _OneDocument(text)) is None
    assert check(analyse("补贴标准从多少元提高到209元？"), _read_in(text, "202元"),
                 _OneDocument(text)) is None


def test_money_is_asked_by_the_word_money_too():
    assert analyse("帮农民工讨回了多少被拖欠的工钱？").unit == "元"
    # 投资 is not: 投资完成了工程概算的多少 asks a share
    assert analyse("平陆运河投资完成了工程概算的多少？").unit is None


def test_an_amount_named_with_e_is_money_but_a_quota_or_a_share_is_not():
    assert analyse("去年招商引资新签约项目的签约额是多少？").unit == "元"
    assert analyse("技术合同成交额达到多少").unit == "元"
    assert analyse("新增多少个托育名额").unit == "个"
    assert analyse("市场份额是多少").unit is None
    assert analyse("新增多少家限额以上商贸经营主体").unit == "家"
