"""Span edges: the measure the question names, a figure's unit, 第 for 第几, paired marks kept whole."""
from qa import language as lang
from qa.analysis import analyse
from qa.reader import Span
from qa.span_edges import tidy


def _span(document: str, piece: str) -> Span:
    start = document.index(piece)
    return Span(0, "d", start, start + len(piece), piece, 1.0, 0.9, 0.0)


def test_the_measure_the_question_names_is_taken_in():
    doc = "社会投资类项目审批压缩至51个工作日以内。"
    assert tidy(_span(doc, "51个"), "审批压缩至多少个工作日以内", doc).text == "51个工作日以内"
    doc = "新增专项债券额度3279亿元，"
    assert tidy(_span(doc, "3279亿"), "新增专项债券额度是多少亿元", doc).text == "3279亿元"


def test_a_span_without_a_figure_or_already_whole_is_left_alone():
    doc = "新增全国重点实验室18家、累计38家。"
    assert tidy(_span(doc, "18家"), "新增全国重点实验室多少家", doc).text == "18家"
    doc = "专利申请量达到16284件,专利授权量达到10217件;"
    assert tidy(_span(doc, "16284件"), "专利申请量达到多少件", doc).text == "16284件"


def test_ordinal_takes_in_its_prefix():
    doc = "在全国169个国家高新区中排名第17名,"
    assert tidy(_span(doc, "17名"), "排名第几", doc).text == "第17名"


def test_paired_marks_are_closed_or_dropped():
    doc = "发放“西美高新,为郑州加油”电子消费券。"
    assert tidy(_span(doc, "“西美高新"), "消费券叫什么", doc).text == "“西美高新,为郑州加油”"
    doc = "开展“浙里来消费活动。"
    assert tidy(_span(doc, "“浙里来消费"), "开展什么活动", doc).text == "浙里来消费"
    doc = "推出“交房即发证”新模式"
    span = tidy(_span(doc, "交房即发证”"), "新模式叫什么", doc)
    assert span.text == "“交房即发证”" and doc[span.start:span.end] == span.text


def test_a_number_is_never_cut():
    doc = "全面启动产城更新项目17.5平方公里,"
    assert tidy(_span(doc, "7.5平方公里"), "产城更新项目有多少平方公里", doc).text == "17.5平方公里"
    doc = "新增公共停车位4000个"
    assert tidy(_span(doc, "40"), "新增公共停车位多少个", doc).text == "4000个"


def test_a_figure_keeps_its_unit():
    doc = "工业技改投资增长24%，安全感满意度达98.29％，中欧班列开行3.6万列，培训2.1万农民工。"
    assert tidy(_span(doc, "24"), "工业技改投资增长多少", doc).text == "24%"
    assert tidy(_span(doc, "98.29"), "满意度达到多少", doc).text == "98.29％"
    assert tidy(_span(doc, "3.6"), "开行多少列", doc).text == "3.6万列"
    assert tidy(_span(doc, "2.1"), "培训多少农民工", doc).text == "2.1万"   # 农 is no unit


def test_a_figure_keeps_the_words_that_bound_or_round_it():
    doc = "新认定高新技术企业1300家以上。“河北净菜”北京市场份额超过四成，新增回迁群众约1.23万人。"
    assert tidy(_span(doc, "1300家"), "计划新认定高新技术企业多少家", doc).text == "1300家以上"
    assert tidy(_span(doc, "四成"), "北京市场份额多大", doc).text == "超过四成"
    assert tidy(_span(doc, "1.23万人"), "回迁群众多少人", doc).text == "约1.23万人"
    doc = "推进一汽吉林战略性重组，2024年以来新增38家。"
    assert tidy(_span(doc, "一汽吉林"), "推进哪家企业重组", doc).text == "一汽吉林"  # no figure
    assert tidy(_span(doc, "2024年"), "哪一年", doc).text == "2024年"


def test_of_two_figures_side_by_side_the_one_in_the_measure_asked():
    doc = "全年生产总值6.36万亿元、增长5.1%，规上工业增加值增长8.1%。"
    both = _span(doc, "6.36万亿元、增长5.1%")
    assert tidy(both, "生产总值增长多少", doc, "%").text == "5.1%"
    assert tidy(both, "生产总值是多少亿元", doc, "亿元").text == "6.36万亿元"
    assert tidy(both, "生产总值怎么样", doc, None).text == "6.36万亿元、增长5.1%"   # nothing asked
    doc = "新引进顶尖人才22名、领军人才189名。"
    two = _span(doc, "22名、领军人才189名")
    assert tidy(two, "引进了多少名人才", doc, "名").text == "22名、领军人才189名"  # which one: unsaid


def test_a_figure_asked_is_the_first_item_of_a_list_read_whole():
    doc = "新增五星级饭店3家、品牌连锁酒店100家，接待游客增长15.9%、25.7%。"
    assert tidy(_span(doc, "3家、品牌连锁酒店100家"), "新增五星级饭店几家", doc,
                kind=lang.NUMBER).text == "3家"
    # a name asked keeps the list; bare figures are left to the 分别 pairing
    assert tidy(_span(doc, "3家、品牌连锁酒店100家"), "新增了什么", doc).text == "3家、品牌连锁酒店100家"
    assert tidy(_span(doc, "15.9%、25.7%"), "增长多少", doc, kind=lang.NUMBER).text == "15.9%、25.7%"


def test_a_name_takes_in_the_rest_of_the_kind_the_question_names():
    doc = "推动滨江港产业协同示范区建设，获批东山－西岭生态旅游合作区。"
    asked = analyse("获批的生态旅游合作区是哪个？")
    assert "生态旅游合作区" in asked.kind_named
    assert tidy(_span(doc, "东山－西岭"), asked.focus, doc,
                kind_named=asked.kind_named).text == "东山－西岭生态旅游合作区"
    # after 哪个 the kind runs into what is asked of it: 哪个机场通航运营 is not completed
    assert analyse("要推动建设哪个产业协同示范区？").kind_named == ()
    assert analyse("副中心城市是哪座城市？").kind_named == ()
    # a figure asked is not completed
    assert tidy(_span(doc, "滨江港"), "哪个港产业", doc, kind=lang.NUMBER,
                kind_named=("港产业",)).text == "滨江港"


def test_a_list_marker_is_not_part_of_the_answer():
    doc = "十四是免费送戏下乡1万场。"
    assert tidy(_span(doc, "十四是免费送戏下乡1万场"), "送多少场戏", doc,
                kind=lang.NUMBER).text == "免费送戏下乡1万场"
    assert tidy(_span(doc, "十四是免费送戏下乡"), "做什么", doc).text == "免费送戏下乡"

