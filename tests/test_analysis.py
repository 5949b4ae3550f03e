"""Reading a question once: kind, unit, years, places, options, follow-ups."""
import pytest

from qa import language as lang
from qa.analysis import _asks, analyse, content_keys
from qa.followup import resolve

PLACES = {"河南省": "河南省", "河南": "河南省", "郑州高新区": "郑州高新区", "郑州": "郑州高新区"}


@pytest.mark.parametrize("question, kind, unit", [
    ("2020年高新区专利申请量达到多少件？", lang.NUMBER, "件"),
    ("河南去年GDP涨了多少啊", lang.NUMBER, "%"),
    ("一般公共预算收入增长了多少", lang.NUMBER, "%"),
    ("降低了多少电力供应成本", lang.NUMBER, None),  # 降低成本5.3亿元: an amount may answer
    ("失业保险稳岗补贴金额是多少", lang.NUMBER, "元"),
    ("新建公厕多少座", lang.NUMBER, "座"),
    ("哪一年进入前20强", lang.DATE, None),
    ("综合评价中位列第几名", lang.RANK, None),
    ("谁在大会上作了工作报告", lang.PERSON, None),
    ("哪家企业顺利过会", lang.ORG, None),
    ("隔离场所电子封条叫什么系统", lang.TERM, None),
    ("天迈科技上市了吗？", lang.YESNO, None),
    ("2024年主要经济指标增速高于全国平均水平吗？", lang.YESNO, None),  # 增速 asks nothing here
    ("是否获得了“河南省食品安全达标区”称号", lang.YESNO, None),
    ("How many patent applications were filed?", lang.NUMBER, "件"),
])
def test_kind_and_unit(question, kind, unit):
    q = analyse(question)
    assert (q.kind, q.unit) == (kind, unit)


def test_traditional_and_spoken_questions_read_alike():
    plain = analyse("专利授权量达到多少件")
    assert analyse("專利授權量達到多少件").kind == plain.kind
    assert analyse("新建公厕有啥名字").focus == "新建公厕有什么名字"


def test_years_asked_leave_out_a_baseline():
    assert analyse("2021年专利申请量是多少").years == (2021,)
    assert analyse("跟2019年比，2020年的收入涨了多少").years == (2020,)
    assert analyse("二〇二一年专利申请量是多少").years == (2021,)
    assert analyse("2024 年河南粮食产量多少").years == (2024,)


def test_places_are_the_corpus_places_named():
    assert analyse("河南去年GDP多少", known_places=PLACES).places == ("河南省",)
    assert analyse("郑州高新区新建公厕多少座", known_places=PLACES).places == ("郑州高新区",)
    assert analyse("新建公厕多少座", known_places=PLACES).places == ()


def test_a_place_named_by_its_kind_is_not_meant_beside_another_province():
    # The corpus's one 高新区 is 郑州高新区 (in 河南): 高新区 alone names it, also beside 河南;
    # 上海张江高新区 is a Shanghai one.
    places = PLACES | {"高新区": "郑州高新区", "上海": "上海市", "上海市": "上海市"}
    assert analyse("高新区新建公厕多少座", known_places=places).places == ("郑州高新区",)
    assert analyse("高新区在河南排第几", known_places=places).places == ("郑州高新区", "河南省")
    assert analyse("上海张江高新区专利申请量是多少", known_places=places).places == ("上海市",)


def test_the_reader_is_not_asked_what_the_passage_leaves_to_its_heading_and_document():
    q = analyse("2024年河南全省生产总值增长多少？", known_places=PLACES)
    # The year is the section's, the place the document's: the checks hold the answer to them.
    assert q.reader_text_for("全省生产总值增长5.4%。") == "全省生产总值增长多少？"
    # A passage that names a year or the place is asked about them.
    assert q.reader_text_for("2024年，全省生产总值增长5.4%。") == "2024年全省生产总值增长多少？"
    assert q.reader_text_for("河南全省生产总值增长5.4%。") == "河南全省生产总值增长多少？"
    relative = analyse("去年河南的GDP涨了多少", known_places=PLACES)
    assert relative.reader_text_for("全省生产总值增长5.4%") == "GDP（地区生产总值）涨了多少"
    # A baseline year is part of the measure, not the year asked.
    assert analyse("2025年能耗比2020年下降多少").reader_text_for("能耗下降2%") == "能耗比2020年下降多少"
    # Compared in meaning without them: a title line shares them with every question.
    assert q.content_text == "全省生产总值增长多少？"
    # Nothing is left but the place: the question stays whole.
    assert analyse("河南", known_places=PLACES).reader_text_for("全省") == "河南"


def test_choice_options():
    assert analyse("天迈科技在深交所还是上交所上市").options == ("深交所", "上交所")


def test_yes_no_statement_drops_the_question_marks():
    assert analyse("天迈科技上市了吗？").statement == "天迈科技上市了"


def test_yes_no_statement_drops_a_tag_and_hearsay_that_only_ask_for_it_to_be_confirmed():
    assert analyse("2024年甘肃外贸进出口增速居全国第1位，对吗？").statement \
        == "2024年甘肃外贸进出口增速居全国第1位"
    assert analyse("宁夏规上工业增加值增速居全国第三，是这样吗？").statement.endswith("居全国第三")
    assert analyse("听说开办企业零成本一天就能办完，是不是真的").statement == "开办企业零成本一天就能办完"


def test_followup_borrows_the_question_before():
    assert resolve("那授权量呢？", "专利申请量是多少件？", {}, _asks)[1] is None  # a measure: rewritten
    assert resolve("谁作了报告？", "专利申请量是多少件？", {}, _asks) == ("谁作了报告？", None)
    # a measure in place of the one before, up to the word they share; a new one without its unit
    assert resolve("服务业增加值呢？", "2024年规模以上工业增加值增长多少？", {}, _asks) == (
        "2024年服务业增加值增长多少？", None)
    assert resolve("农村居民呢？", "城镇居民人均可支配收入是多少？", {}, _asks)[0] == \
        "农村居民人均可支配收入是多少？"
    assert resolve("旅游总收入呢？", "接待游客多少人次？", {}, _asks)[0] == "旅游总收入多少？"
    q = analyse("那授权量呢？", previous="专利申请量是多少件？")
    assert q.kind == lang.NUMBER and q.reader_text == "专利授权量是多少件？" and q.context is None
    # a follow-up whose measure cannot be placed borrows the question before as context
    q = analyse("那授权量呢？", previous="请介绍专利情况")
    assert q.context == "请介绍专利情况" and q.reader_text.endswith("授权量")


def test_short_forms_are_spelt_out_and_keys_skip_question_words_and_years():
    q = analyse("2024年固投增长多少")
    assert "固定资产投资" in q.focus
    keys = content_keys("2024年专利申请量是多少")
    assert "专利" in keys and "多少" not in keys and "2024" not in keys


def test_an_english_question_chooses_its_documents_by_the_province_it_names():
    places = {"河南": "河南省", "河南省": "河南省", "陕西": "陕西省", "山西": "山西省"}
    q = analyse("What is Henan's GDP growth target for 2025?", known_places=places)
    assert q.english and q.places == ("河南省",)
    assert analyse("What was Shaanxi's GDP?", known_places=places).places == ("陕西省",)
    assert analyse("What was Shanxi's GDP?", known_places=places).places == ("山西省",)


def test_a_followup_that_says_only_a_place_or_a_year_asks_the_question_before_of_it():
    places = {"河南": "河南省", "河南省": "河南省", "广东": "广东省", "广东省": "广东省"}
    q = analyse("那广东呢？", "河南去年GDP增长多少？", places)
    assert q.focus.startswith("广东去年GDP") and q.context is None
    assert q.places == ("广东省",) and q.relative_year == -1 and q.keys
    assert analyse("那2023年呢", "2024年河南GDP增长多少", places).years == (2023,)
    assert analyse("那广东呢", "GDP增长多少", places).focus.startswith("广东GDP")
    # a place and a measure: both in place of the question before's
    q = analyse("那广东的进出口呢", "河南去年GDP增长多少？", places)
    assert q.places == ("广东省",) and q.focus == "广东去年进出口增长多少？"
    # one that asks for itself is not rewritten
    q = analyse("那2025年计划建多少所学校呢？", "浙江2024年城镇新增就业多少人？", places)
    assert q.context == "浙江2024年城镇新增就业多少人？"


def test_a_followup_that_says_only_what_it_asks_asks_it_of_the_same_thing():
    places = {"湖北": "湖北省", "河南": "河南省"}
    q = analyse("增长了多少？", "湖北2024年进出口总额是多少？", places)
    assert q.focus == "湖北2024年进出口总额增长了多少？" and q.context is None
    q = analyse("总量呢？", "湖北2024年地区生产总值增长了多少？", places)
    assert q.focus == "湖北2024年地区生产总值是多少？" and q.kind == lang.NUMBER
    q = analyse("那排第几呢？", "河南去年粮食产量是多少？", places)
    assert q.focus == "河南去年粮食产量排第几？" and q.kind == lang.RANK and q.places == ("河南省",)
    # where the rank stands may be said too (排全国第几, 在全省排第几)
    q = analyse("排全国第几？", "河南2024年新能源汽车产量是多少？", places)
    assert q.focus == "河南2024年新能源汽车产量排全国第几？" and q.kind == lang.RANK
    q = analyse("在全国排第几？", "河南去年粮食产量是多少？", places)
    assert q.focus == "河南去年粮食产量在全国排第几？"


def test_a_followup_that_says_a_year_and_what_it_asks_asks_it_of_that_year():
    places = {"湖北": "湖北省"}
    q = analyse("今年计划增长多少？", "湖北2024年进出口总额增长了多少？", places)
    assert q.focus == "湖北今年进出口总额计划增长多少？" and q.relative_year == 0
    q = analyse("那2025年计划新增多少呢？", "浙江2024年城镇新增就业多少人？", places)
    assert q.focus.startswith("浙江2025年城镇新增就业") and q.context is None


def test_a_place_and_only_how_one_asks_asks_the_question_before_of_that_place():
    places = {"四川": "四川省", "内蒙古": "内蒙古自治区"}
    previous = "内蒙古2024年改造了多少个城镇老旧小区？"
    assert analyse("四川改了多少个？", previous, places).focus == "四川2024年改造了多少个城镇老旧小区？"
    assert analyse("四川定的是多少啊", "内蒙古2025年一般公共预算收入的增长目标是多少？",
                   places).focus == "四川2025年一般公共预算收入的增长目标是多少？"
    # words of its own: a question of its own, about that place
    assert analyse("四川新建了多少所学校？", previous, places).focus == "四川新建了多少所学校？"


def test_a_new_measure_takes_the_place_of_the_words_the_corpus_says_it_with():
    said = "城镇居民、农村居民人均可支配收入分别增长4.6%、6.7%；新能源汽车、家电消费分别增长47.3%和13.3%"
    says = lambda phrase: phrase in said
    previous = "福建2024年城镇居民人均可支配收入增长了多少？"
    assert analyse("农村的呢", previous, {}, says).focus == "福建2024年农村居民人均可支配收入增长了多少？"
    assert analyse("家电呢", "2024年新能源汽车消费增长了多少？", {}, says).focus \
        == "2024年家电消费增长了多少？"
    # nothing the corpus says: the new measure replaces the old one whole
    assert analyse("农村的呢", previous).focus == "福建2024年农村增长了多少？"


def test_a_question_of_its_own_in_a_conversation_is_about_the_place_talked_of():
    places = {"河南": "河南省", "河南省": "河南省", "广东": "广东省", "广东省": "广东省"}
    q = analyse("获得国家科技奖多少项？", "广东2024年新增全国重点实验室多少家？", places)
    # put first, so that the question as understood carries it to the next follow-up
    assert q.places == ("广东省",) and q.context is None and q.focus == "广东获得国家科技奖多少项？"
    assert analyse("河南获得国家科技奖多少项？", "广东2024年新增多少家？", places).places == ("河南省",)
    assert analyse("获得国家科技奖多少项？", None, places).places == ()


def test_a_followup_in_traditional_characters_replaces_the_place_it_names():
    places = {"河南": "河南省", "河南省": "河南省", "广东": "广东省", "广东省": "广东省"}
    q = analyse("那廣東呢？", "河南省去年粮食產量是多少？", places)
    assert q.places == ("广东省",) and "河南" not in q.focus and "廣東" not in q.focus
