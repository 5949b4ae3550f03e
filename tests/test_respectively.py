"""分别: the question's item picks its figure out of a list read in the same order."""
from qa.normalize import fold
from qa.reader import Span
from qa.respectively import paired_figure

HARVEST = "农牧业增产丰收，粮食、油料、蔬菜产量分别达118.3万吨、33万吨、165万吨，均创十年新高。"
LOANS = ("聚焦金融提质，普惠型小微企业贷款、制造业中长期贷款、绿色贷款分别增长9.86%、8.05%、40%，"
         "社会融资规模新增1550亿元。")


def _read(document: str, span_text: str, question: str) -> str:
    start = document.index(span_text)
    span = Span(0, "doc", start, start + len(span_text), span_text, 3.0, 0.5, 0.1)
    paired = paired_figure(span, fold(question), document)
    assert paired.text == document[paired.start:paired.end]  # offsets stay exact
    return paired.text


def test_the_item_the_question_names_picks_its_figure_from_the_whole_list():
    assert _read(HARVEST, "118.3万吨、33万吨、165万吨", "2024年粮食产量是多少？") == "118.3万吨"
    assert _read(HARVEST, "118.3万吨", "蔬菜产量是多少？") == "165万吨"
    assert _read(HARVEST, "165万吨", "油料产量有多少？") == "33万吨"


def test_a_neighbouring_figure_gives_way_and_a_span_running_past_the_list_too():
    assert _read(LOANS, "9.86%", "绿色贷款增长了多少？") == "40%"
    assert _read(LOANS, "8.05%、40%，社会融资规模新增1550亿元", "普惠型小微企业贷款增长多少") == "9.86%"


def test_items_joined_by_he_and_a_traditional_question():
    text = "设备购置和企业技术改造投资分别增长7.1%和87.7%。"
    assert _read(text, "7.1%", "企业技术改造投资增长了多少？") == "87.7%"
    assert _read(text, "87.7%", "設備購置投資增長多少？") == "7.1%"


def test_the_span_stays_when_nothing_pairs_it():
    # The question names every item, or none of them.
    assert _read(HARVEST, "118.3万吨", "粮食、油料、蔬菜产量分别是多少？") == "118.3万吨"
    assert _read(HARVEST, "33万吨", "农牧业收成怎么样？") == "33万吨"
    # One item (城乡 is not a list) for two figures; a figure outside the 分别 clause.
    assert _read("城乡居民收入分别增长4.4%、7.1%。", "4.4%", "农村居民收入增长多少") == "4.4%"
    assert _read(LOANS, "1550亿元", "绿色贷款增长多少？") == "1550亿元"
    # No 分别 at all.
    assert _read("粮食产量118.3万吨，油料33万吨。", "33万吨", "粮食产量是多少？") == "33万吨"


def test_without_fenbie_a_clause_of_items_then_only_their_figures_pairs_them_too():
    text = "原煤、原油、天然气产量达到6640.8万吨、1253.6万吨、9.1亿立方米，分别增长9.3%、7.5%、3%。"
    assert _read(text, "6640.8万吨、1253.6万吨、9.1亿", "2024年原煤产量是多少？") == "6640.8万吨"
    assert _read(text, "6640.8万吨", "天然气产量是多少？") == "9.1亿立方米"
    # figures between the items, or a count that does not match: nothing is paired
    text = "新增单项冠军14家、小巨人企业38家。"
    assert _read(text, "14家", "小巨人企业新增多少家？") == "14家"
    text = "粮食、油料产量118.3万吨。"
    assert _read(text, "118.3万吨", "油料产量是多少？") == "118.3万吨"
