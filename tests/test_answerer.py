"""The answerer on real sentences of the report (fake embedder: lexical evidence decides)."""
import pytest

from qa.answer_types import NUMBER, RANK, expected_answer, find_spans
from qa.engine import Engine
from qa.index import build_index


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    import shutil

    from qa.config import Config

    from .conftest import CORPUS, FakeEmbedder

    root = tmp_path_factory.mktemp("answerer")
    shutil.copytree(CORPUS, root / "corpus")
    config = Config(corpus_dir=root / "corpus", index_dir=root / "index", cache_dir=root / "cache")
    embedder = FakeEmbedder()
    build_index(config, embedder, log=lambda m: None)
    return Engine.open(config, embedder=embedder, log=lambda m: None)


@pytest.mark.parametrize("question, expected", [
    ("2020年高新区专利申请量达到多少件？", "16284件"),             # amount with unit
    ("郑州高新区在2020年国家高新区综合评价中位列第几名", "第17名"),  # rank
    ("郑州高新区哪一年进入全国高新区评价前20强", "2018年"),          # year
    ("谁在大会上作了工作报告", "张红军"),                          # person, with title
    ("高新区成功举办了什么峰会", "数智治理领航者峰会"),               # name by its head noun
    ("隔离场所电子封条叫什么系统", "防疫隔离报警系统"),               # quoted name
    ("新增公共停车位多少个", "4000个"),                           # several numbers in a clause
    ("夜间限时泊位新增多少个", "4948个"),
    ("多少家企业享受失业保险稳岗补贴", "1405家"),                  # the number before its label
    ("失业保险稳岗补贴金额是多少", "2.57亿元"),                    # money asked by a hint
    ("新增高新技术企业多少家", "14家"),
    ("專利授權量達到多少件", "10217件"),                          # traditional characters
    ("稳岗补贴稳定了多少职工", "8.3万余人"),                       # people counted, unit unnamed
    ("竣工安置房面积有多大", "190.21万平方米"),                     # area, unit unnamed
    ("新增绿地面积有多大", "135.72万平方米"),          # not the next clause's 绿化面积6000余平方米
    ("新增高新技术企业占全市的比例是多少", "58.3%"),                 # 分别占省市的14%、58.3%
    ("新增高新技术企业占全省的比例是多少", "14%"),
    ("分别获评市级小型微型企业创新创业示范基地几家", "3家"),          # 分别获评省、市…5家、3家
    ("新增省级企业技术中心几家？", "3家"),                          # …中心1家、省级3家: shared head
    ("新增国家级企业技术中心几家？", "1家"),
    ("哪家企業即將過會？", "千味央厨"),           # the subject of one item: …顺利过会、千味央厨即将过会
    ("哪家企业顺利过会", "百川畅银"),
    ("百企上市三年行动计划启动后,哪家企业已顺利过会?", "百川畅银"),  # the setting weighs less
    ("百企上市行动里，哪家企业已经顺利过会？", "百川畅银"),           # not 启动 (…行动计划)
    ("哪家公司的智慧计算终端全球总部基地项目在高新区落地开工", "紫光股份"),  # less the said tail
    ("智慧计算终端全球总部基地项目是哪家公司的", "紫光股份"),    # the name the words follow
    ("推出的“网安十条”是第几版", "2.0版"),                        # a version, not a rank
    ("高新區推出的哪項政策已經是2.0版了", "网安十条"),     # the quoted name, not the 政策 before
    ("高新區受邀在第幾屆新型智慧開發區建設發展論壇上發言", "第六届"),   # a place in Chinese numerals
    ("在先进制造业百强园区那个榜上，高新区排多少名", "第45位"),         # 排多少名 asks a place
    ("高新區去年固定資產投資成長多少", "10.7%"),                      # 成长 = 增长: a rate
    ("一般公共预算收入比上年多了几个点", "6.4%"),                    # 几个点: percentage points
    ("高新区是否获得了“河南省食品安全达标区”称号", "是"),          # whether, though a name is quoted
    ("高新区去年固投增幅有多大", "10.7%"),                          # 固投 = 固定资产投资
    ("规上工业增加值增长多少", "3%"),                               # 规上 = 规模以上
    ("新建学校以后一共多出来多少个学位", "10980个"),                  # 多少个名/学位: counted in 个
    ("全区多少居民纳入健康系统管理", "37万"),                         # 37万居民: people
    ("河南首批大科学装置是哪个？", "国家级计算机郑州中心"),             # named in the clause before
    ("高新区成功举办了啥峰会", "数智治理领航者峰会"),                  # 啥 = 什么; no date in a name
    ("2019年郑州高新区在全国高新区评价排名第几名", "第17名"),          # the year before the answer
    ("郑州高新区在首次发布的哪个排名中位列第45位？", "国家先进制造业百强园区排名"),  # not 第17名's
    ("高新区率先设立的应急转贷周转金有多少钱", "1亿元"),             # 率先 does not ask a rate
    # names by their head noun, where the question's words crowd the name
    ("除了“店小二”“首席服务官”，还探索建立了什么服务联络机制？", "楼宇服务官"),   # 除了 A，还 …
    ("和“不动产便民服务站进社区”一起推出的新模式叫什么？", "交房即发证"),        # A 暨 B
    ("河南省中医院在高新区建设的院区叫什么？", "河南省中医院高新区院区"),       # made of its words
    ("郑州市中心医院在高新区建的医院叫什么", "郑州市中心医院高新医院"),
    ("高新区启动了什么上市行动计划", "百企上市三年行动计划"),                 # head words inside
    ("高新区全域开展的帮扶企业活动叫什么？", "三送一强"),                     # head's end, not start
    ("政企共享的智慧城市实验场叫什么", "一台多峰"),                          # the quoted name
    ("高新区完善的那套政策体系叫什么名字", "“梧桐”1+6+N政策体系"),     # a quote with a code: whole
    ("高新区工作遵循的“六字”总要求是什么？", "控、保、稳、进、拉、扛"),
    ("排名的消息是从什么会议上传出的？", "郑州高新区党工委、管委会全体会议"),  # 排名 is the topic
    ("“走出去”活动走进了哪座城市", "苏州"),                                 # 哪座城市 asks a place
    ("四级联动机制包括哪四级", "社区、物业、楼栋长、楼层长"),                 # a list, less the said tail
    ("高新区出台了什么政务服务改革实施方案？",                               # a comma inside 《》
     "《进一步推进“一网通办,一次办成”政务服务改革工作实施方案》"),
])
def test_answer_types_on_report_sentences(engine, question, expected):
    answer = engine.ask(question)
    assert not answer.abstained, question
    assert expected in answer.text and len(answer.text) <= 3 * len(expected) + 6


def test_quote_offsets_and_highlight_point_into_the_document(engine):
    from qa.corpus import load_corpus

    doc = load_corpus(engine.config.corpus_dir, warn=lambda m: None)[0]
    for question in ("专利授权量达到多少件", "新建公厕多少座", "优良天数多少天"):
        answer = engine.ask(question)
        quote = answer.quotes[0]
        assert doc.text[quote.start:quote.end] == quote.sentence
        assert quote.start <= quote.highlight_start < quote.highlight_end <= quote.end
        assert doc.text[quote.highlight_start:quote.highlight_end] == answer.text
        before, marked, after = quote.parts()
        assert before + marked + after == quote.sentence and marked == answer.text


@pytest.mark.parametrize("question", [
    "2021年高新区专利申请量是多少件",          # another year
    "二零二一年高新区专利申请量是多少",          # the same, in Chinese numerals
    "2019年高新区空气优良天数是多少天",         # a year the fact is not given for
    "上海张江高新区2020年专利申请量是多少",      # another place
    "西安高新区在国家高新区评价中排第几名",
    "垃圾分拣中心每天能处理多少吨垃圾",          # a unit the report never gives
    "2020年高新区PM2.5年均浓度是多少？",        # a concentration, and only days are given
    "新投用的4所中小学分别叫什么名字",           # names asked, none given
    "2020年高新区专利授权量中发明专利有多少件",   # a part of what is counted
    "2020年新增公共停车位里有多少个充电桩",
    "郑州高新区党工委书记是谁",                 # only a deputy (副书记) is named
    "2018年郑州高新区在全国高新区评价中具体排第几名",  # 2018: 前20强; 第17名 is 2019's
    "2020年全国国家高新区综合评价中排名第一的是哪个高新区",  # only 第17名 is given
    "2020年郑州高新区进出口总额是多少",          # a total of money, only growth rates given
    "专利授权的10217件里面，发明专利有多少件？",   # a part of what is counted
    "高新区2020年一共引进了多少名博士？",          # 前进6名 moves a ranking, counts no one
    "2020年高新区发明专利申请量是多少件？",        # a kind of what is counted (专利申请量)
    "郑州高新区面积多大",                      # an area, and only counts are near
    "新投用的4所中小学里有几所是小学",           # a part (小学) of the whole said (中小学4所)
    "以工代训的补贴标准是每人每月多少钱",         # a rate per person, only a total is given
    "2020年高新区一般公共预算收入总额是多少亿元",  # only its growth is given; 1亿元 is another fund
    "2020年高新区研发经费投入占地区生产总值的比重是多少",  # a share of what the report never gives
    "新增备案的714家国家级科技型中小企业中,有多少家属于电子信息行业",  # a part of the 714
    "一般公共预算收入2020年实际收了多少亿元",     # named before the verb; 26.19亿元 is spending
    "2020年高新区专利申请量比上一年增长了多少",    # 2.1% is the GDP's growth
    "千味央厨具体哪天正式挂牌上市",              # 哪天 asks a date; none is given
    "民生九项支出比上一年增长了多少",             # 占比…48.67% is a share, not a growth
    "郑州高新区2020年GDP总量是多少亿",            # money asked; only its growth is given
    "電子消費券每張面額是多少",                   # a value per coupon, only the total is given
    "郑州航空港区2020年空气优良天数是多少天",       # another zone, which the report never names
    "2020年优良天数比2019年多了几天",              # 2019's figure is not given
    "一般公共预算收入总额",                       # a measure named last, only its growth given
    "新增发明专利授权量?",                        # a kind (发明) of what is counted
    "“夜经济”消费场景打造了几个?",                 # a count, and only money is near
])
def test_abstains_when_the_report_does_not_say(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and answer.text is None
    assert answer.message.startswith("报告中没有找到")
    assert answer.quotes, "the closest passages are still shown"
    assert all(q.highlight_start == q.highlight_end for q in answer.quotes)


def test_followup_borrows_the_previous_question(engine):
    first = engine.ask("2020年专利申请量是多少件？")
    second = engine.ask("那授权量呢？", previous=first.understood_as)
    assert second.text == "10217件"
    # a chain of follow-ups keeps the subject, and a new amount need not share the old unit
    third = engine.ask("那专利质押融资呢？", previous=second.understood_as)
    assert third.text == "7800万元"


@pytest.mark.parametrize("bad", ["", "   ", "？？？！", "x" * 501])
def test_bad_questions_get_a_clear_message(engine, bad):
    from qa.errors import QuestionError

    with pytest.raises(QuestionError):
        engine.ask(bad)


def test_expected_types_and_spans():
    assert expected_answer("排名第几").kind == RANK
    assert expected_answer("多少家").unit == "家"
    assert expected_answer("这几类支出占预算的多大比例").unit == "%"   # 这几类 does not ask
    assert expected_answer("率先拿出了多少钱").unit == "元"            # 率先 is not a rate
    assert expected_answer("PM2.5年均浓度是多少").unit_explicit        # concentrations only
    clause = "1405家企业享受失业保险稳岗补贴2.57亿元"
    assert [clause[a:b] for a, b in find_spans(NUMBER, clause)] == ["1405家", "2.57亿元"]


def test_json_has_answer_quotes_and_passages(engine):
    data = engine.ask("新建公厕多少座").to_json()
    assert data["answer"] == "15座" and data["abstained"] is False
    assert data["quotes"][0]["highlight"] == "15座"
    assert data["passages"] and {"dense_rank", "lexical_rank", "score"} <= set(data["passages"][0])


@pytest.mark.parametrize("question, evidence", [
    ("高新区是否举办了数智治理领航者峰会？", "数智治理领航者峰会"),
    ("天迈科技上市了吗？", "天迈科技成功上市"),
    ("百川畅银过会了吗", "百川畅银顺利过会"),
])
def test_yes_no_questions_the_report_confirms(engine, question, evidence):
    answer = engine.ask(question)
    assert answer.expected_type == "yesno"
    assert answer.text == "是" and evidence in answer.quotes[0].parts()[1]


@pytest.mark.parametrize("question", [
    "天迈科技顺利过会了吗",            # 天迈科技成功上市,百川畅银顺利过会: another's item
    "高新区举办过世界互联网大会吗",    # never mentioned
    "千味央厨过会了吗",               # 即将过会: not yet
    "2021年高新区是否举办了峰会",      # another year
])
def test_yes_no_questions_it_cannot_confirm_are_not_answered_no(engine, question):
    answer = engine.ask(question)
    assert answer.abstained and answer.text is None


def test_yes_no_follow_up_keeps_what_it_borrows(engine):
    # 百川畅银 passed review (过会); it did not list (上市) as 天迈科技 did.
    assert engine.ask("百川畅银呢", previous="天迈科技上市了吗？").abstained


@pytest.mark.parametrize("question, kind, unit", [
    ("How many patent applications did the zone file in 2020?", "number", "件"),
    ("By how much did the zone's GDP grow in 2020?", "number", "%"),
    ("How much money was managed by the financial institutions?", "number", "元"),
    ("Who delivered the work report?", "person", None),
    ("In which year did air quality monitoring begin?", "date", None),
    ("Which company went public in 2020?", "organisation", None),
    ("What was R&D spending as a share of GDP?", "number", "%"),
    ("What rank did the zone get in the national evaluation?", "rank", None),
])
def test_english_questions_ask_for_a_kind_of_answer(question, kind, unit):
    expectation = expected_answer(question.lower())
    assert (expectation.kind, expectation.unit) == (kind, unit)


def test_what_a_figure_measures_is_the_words_before_it():
    from qa.answer_span import answer_span
    from qa.answer_types import TERM, Expectation
    from qa.answerer import _keys

    clause = "专利申请量达到16284件"
    span, _ = answer_span(clause, (0, len(clause)), (0, len(clause)), Expectation(TERM),
                          _keys("16284件指的是什么", 1.0), None)
    assert clause[span[0]:span[1]] == "专利申请量"


def test_an_answer_never_opens_a_quote_it_does_not_close():
    from qa.answer_span import answer_span
    from qa.answer_types import OTHER, Expectation
    from qa.answerer import _keys

    clause = "高新区构建了“以小区保社区、以社区保城区”防控体系"
    span, _ = answer_span(clause, (0, len(clause)), (0, len(clause)), Expectation(OTHER),
                          _keys("高新区是怎样防控疫情的", 1.0), None)
    answer = clause[span[0]:span[1]]
    assert answer.count("“") == answer.count("”") and "以小区保社区、以社区保城区" in answer


def test_words_without_a_question_get_the_clause_that_holds_them(engine):
    answer = engine.ask("专利 申请量 高新区")
    assert not answer.abstained and answer.text == "专利申请量达到16284件"


@pytest.mark.parametrize("question, unit", [
    ("一般公共预算收入增长率?", "%"), ("坚守一线的医务人员人数?", "人"),
    ("全面启动的产城更新项目面积?", "平方米"), ("专利授权量?", None),
])
def test_a_measure_named_last_asks_its_figure(question, unit):
    from qa.answer_types import Expectation

    assert expected_answer(question) == Expectation(NUMBER, unit, unit is not None)


def test_a_question_that_names_nothing_is_not_answered(engine):
    assert engine.ask("，，，啥？").abstained


def test_report_words_are_added_only_for_everyday_words_the_question_uses():
    from qa.everyday import report_words

    assert report_words("新开了几家养老院") == ["养老机构"]
    assert report_words("新增养老机构几家") == []


@pytest.mark.parametrize("asked, unit, matches", [
    ("公里", "千米", True), ("平方米", "万平方米", True), ("座", "个", True),   # 几座公园 … 公园2个
    ("公里", "平方公里", False), ("米", "万平方米", False),   # an area is not a length
])
def test_units_of_length_and_area_do_not_answer_each_other(asked, unit, matches):
    from qa.answer_types import unit_matches

    assert unit_matches(asked, unit) is matches


def test_which_company_is_answered_by_a_company_not_by_a_platform(engine):
    from qa.answer_types import COMPANY, ORG, Expectation

    assert expected_answer("2020年高新区哪家企业成功上市") == Expectation(ORG, COMPANY)
    answer = engine.ask("2020年高新区哪家企业成功上市？")
    assert answer.abstained or answer.text == "天迈科技"


def test_top_how_many_asks_a_band_not_a_count():
    assert expected_answer("梳理龙头骨干企业时取了前多少名") == expected_answer("前几强")
    assert expected_answer("前几强").kind == RANK


@pytest.mark.parametrize("question, options", [
    ("天迈科技是在深交所还是上交所上市的呢", ("深交所", "上交所")),
    ("高新区排名是上升还是下降了", ("上升", "下降")),
    ("处理垃圾是建焚烧发电厂还是建填埋场", ("建焚烧发电厂", "建填埋场")),
    ("高新区2020年专利申请量是多少", None),
])
def test_a_choice_question_has_two_options(question, options):
    from qa.answer_types import choice_options

    assert choice_options(question) == options


def test_a_choice_the_report_does_not_name_is_not_answered(engine):
    # The report says 天迈科技成功上市, not where: neither option is in it.
    assert engine.ask("天迈科技是在深交所还是上交所上市的？").abstained


def test_a_title_with_what_name_asks_a_person():
    from qa.answer_types import PERSON

    assert expected_answer("这篇报道的记者叫什么名字").kind == PERSON


@pytest.mark.parametrize("question, unit", [
    ("帮企业招到了多少工人", "人"),          # people are never counted in 元
    ("新增的绿地有多大一片", "平方米"),        # 多大一片 asks an area
])
def test_the_measure_a_question_asks_is_strict(question, unit):
    expectation = expected_answer(question)
    assert (expectation.kind, expectation.unit, expectation.unit_explicit) == (NUMBER, unit, True)


def test_a_leading_topic_belongs_to_every_clause(engine):
    # 工程项目审批改革方面,社会投资类项目…51个工作日以内,…,政府投资类项目控制在61个工作日以内
    answer = engine.ask("政府出钱的工程项目审批最长要多少个工作日？")
    assert not answer.abstained and answer.text == "61个工作日"


def test_the_answers_own_item_must_say_what_is_asked(engine):
    from qa import abstention
    from qa.answerer import _keys

    def item_share(question, item):
        return abstention.features(_keys(question, 1.0), item, 0.5, 1.0, 0.0, 0.1,
                                   engine.index, item).item

    # 1亿元 in 设立1亿元风险补偿池专项资金 does not answer a question about 进出口总额.
    assert item_share("进出口总额是多少亿元", "设立 风险补偿池专项资金") == 0.0
    assert item_share("电子消费券发了多少钱", "发放 的“西美高新") < \
        item_share("电子消费券发了多少钱", "发放 的“西美高新,为郑州加油”电子消费券")


def test_the_index_says_a_phrase_across_page_breaks(engine):
    assert engine.index.says("一般公共预算收入")
    assert engine.index.says("建设序列")          # written 建\n\n设序列 in the report
    assert not engine.index.says("一般公共预算收入总额")


def test_the_one_holder_of_a_title_is_answered(engine):
    # 记者 孙庆辉 is the report's only 记者; the sentence says little else the question says.
    assert engine.index.sentences_saying("记者") == 1
    answer = engine.ask("报道郑州高新区“高光时刻”这篇新闻的记者是谁？")
    assert not answer.abstained and "孙庆辉" in answer.text


def test_words_inside_quotes_ask_nothing():
    from qa.answer_types import TERM

    assert expected_answer("高新区完善的审批口号是什么，“几天办几证”那个？").kind == TERM


def test_a_level_said_in_other_words_is_still_that_level():
    from qa.abstention import other_level

    assert other_level("国家层面认定的企业研发中心新增了几家", "新申报认定省级以上孵化器3家")
    assert not other_level("国家层面认定的企业研发中心新增了几家", "新增国家级企业技术中心1家")


def test_the_question_s_own_figure_is_not_its_answer(engine):
    answer = engine.ask("高新区发放的1000万元电子消费券一共带动了多少消费额？")
    assert answer.abstained or "1000万元" not in answer.text


def test_a_move_in_the_ranking_is_counted_in_places():
    from qa.answer_span import answer_span
    from qa.answerer import _keys

    question = "郑州高新区名次往前挪了几位"
    clause = "连续两年实现“三级跳”,排名前进6名"
    span, fit = answer_span(clause, (0, len(clause)), (0, len(clause)), expected_answer(question),
                            _keys(question, 1.0), None)
    assert clause[span[0]:span[1]] == "6名" and fit == 1.0


def test_a_year_compared_with_is_not_the_year_asked(engine):
    from qa.abstention import contradiction

    sentence = "初步统计,2020年,高新区地区生产总值同比增长2.1%"
    assert contradiction("跟2019年比,2020年高新区的地区生产总值涨了多少", sentence, sentence,
                         sentence, engine.index) is None


@pytest.mark.parametrize("question", [
    "国家级计算机郑州中心是不是已经通过验收了",       # 已经 adds nothing to be said
    "2020年优良天数是不是有监测记录以来第一次突破200天",  # 优良天数 is in the item before
])
def test_yes_no_said_across_a_continued_item(engine, question):
    answer = engine.ask(question)
    assert not answer.abstained and answer.text == "是", question
