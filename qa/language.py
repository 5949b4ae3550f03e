"""What the code knows about Chinese (and about questions and reports in general), as data.

Nothing here is about one report: question words, units, time words, the names of China's
provinces, the usual short forms of statistical reporting. A new report never needs an entry;
if it seems to, the mechanism that reads this data is wrong.
"""
from __future__ import annotations

import re

# Characters that ask rather than say, and characters that only glue words together.
INTERROGATIVE = set("多少几哪谁什么吗呢怎样何啥")
FUNCTION_CHARS = set("的了在是为和与及对把将被从于等并也都还有个")
# Particles and conjunctions that almost never stand inside a word: a pair with one of them
# (增了 of 新增了, 和以 of 培训和以工代训) spans two words.
GLUE_CHARS = set("的了和与及")

# Spoken question words in their written form (叫啥 → 叫什么).
COLLOQUIAL = {"啥": "什么", "咋": "怎么", "多会儿": "什么时候", "几时": "什么时候"}

# Standard short forms of Chinese economic and government reporting (固投 = 固定资产投资).
ABBREVIATIONS = {
    "固投": "固定资产投资", "规上": "规模以上", "社零": "社会消费品零售总额",
    "高企": "高新技术企业", "科小": "科技型中小企业", "GDP": "地区生产总值",
    "gdp": "地区生产总值", "经济总量": "地区生产总值", "外贸": "进出口", "双创": "创新创业",
}

# A follow-up borrows the rest from the question before (那授权量呢？).
FOLLOWUP_LEAD = re.compile(r"^(?:那么|那|还有|另外|而|又|再问一下)")
# A follow-up that only names what it asks of the same measure: 总量呢？ (its amount), 增速呢？
ASKED_BY_NAME = {"总量": "是多少", "总额": "是多少", "规模": "是多少", "增速": "增长了多少",
                 "增幅": "增长了多少", "涨幅": "增长了多少", "排名": "排第几", "名次": "排第几"}
# Words a follow-up wraps around what changes (换成江苏呢, 2025年的目标呢, 浙江的情况): not a measure.
FOLLOWUP_FRAME = re.compile(r"换成|改成|换到|那边|这边|的话|情况|数据|数字|指标|预期目标|目标|计划")

# Measures that come in contrasting sets: a figure said of one does not answer the other
# (一般公共预算支出 for 收入, 第一产业 for 第三产业, 出口 for 进口).
# A longer word is read before the words inside it: 进出口 is neither 进口 nor 出口.
OPPOSITES = (("收入", "支出"), ("进口", "出口", "进出口"), ("城镇", "农村", "城乡", "全体"),
             ("存款", "贷款"), ("第一产业", "第二产业", "第三产业"), ("最高", "最低"),
             ("新增", "累计", "总数"))

# What kind of answer a question asks for, tried in this order.
NUMBER, RANK, DATE, PERSON, ORG, PLACE, TERM, LIST, REASON, YESNO, OTHER = (
    "number", "rank", "date", "person", "organisation", "place", "term", "list", "reason",
    "yesno", "other")
FIGURE_KINDS = (NUMBER, RANK, DATE)   # answered by a figure, whose span ends where the figure does
YESNO_WORDS = r"是否|有没有|是不是|能否|能不能|可否"
YESNO_ASKED = re.compile(rf"{YESNO_WORDS}|吗\s*[?？]?\s*$")
KIND_RULES: list[tuple[str, re.Pattern]] = [
    (REASON, re.compile(r"(?<![括称定作成叫视列评命改变认])为什么|为何|什么原因|原因是")),
    (DATE, re.compile(r"哪一年|哪年|什么时候|何时|哪个月|几月|几号|哪一?天|什么时间")),
    (RANK, re.compile(r"第几|排第|第多少|排名多少|排(?:多少|几)(?:名|位)|名次|位列第?几|前(?:多少|几)(?:名|强|位)")),
    (PERSON, re.compile(r"谁|哪位|什么人|姓名")),
    (ORG, re.compile(r"哪家|哪(?:个|些)(?:单位|机构|企业|公司|部门|组织|高校|大学|医院)"
                     r"|什么(?:单位|机构|公司|企业)")),
    (LIST, re.compile(r"哪几|哪些|包括什么|包括哪|分别是")),
    (NUMBER, re.compile(r"多少|几|多大|多高|多长|多远|多久|比例|比重|占比|百分之|增速|增幅")),
    (PLACE, re.compile(r"哪里|在哪|哪(?:个|座)?(?:城市|省|市|县|地方|国家)|什么地方|何地")),
    (TERM, re.compile(r"叫什么|什么名字|名称|称号|口号|是什么|什么|哪个|哪一?[项种类条]|何种|怎样的")),
    (YESNO, YESNO_ASKED),
]
YESNO_MARKS = re.compile(rf"{YESNO_WORDS}|吗")
# What only asks for the statement to be confirmed: a tag after it (…居全国第1位，对吗？ / 是这样吗 /
# 是不是真的) or hearsay before it (听说…). Neither is part of what must be said.
YESNO_FRAME = re.compile(r"[，,]\s*(?:是不是真的|是这样的?吗|是真的吗|真的吗|对不对|对吗|是吗|没错吧|没错吗|对吧|"
                         r"是吧)\s*[?？。!！]*\s*$|^(?:我?听说|据说|有人说)[，,]?")
# Words that point at a place or body without naming it (全省, 本市, 我国, 该区, 当地): what a
# report says of itself, never the answer to 哪个省 or 哪家单位.
POINTING_WORDS = re.compile(r"(?:全|本|我|该|各|此|当|外)(?:省|市|区|县|州|国|镇|乡|盟|旗|地|单位|企业|公司)"
                            r"|全国|全球|全世界|国内|省内|市内|区内|境内|境外")
# Where a rank stands (排全国第几, 居全省首位); each two characters (FIRST_PLACE looks behind).
RANK_SCOPE = "全国|国内|全省|全市|全区|全球|世界"
# First place is said many ways (全国第一, 居全国首位, 全国第1位, 全国之首), and 第一次 is 首次;
# not in a list of places (居全国第1、第2位 pairs them with a list of items).
FIRST_PLACE = re.compile(rf"(?<={RANK_SCOPE})(?:第一位|第1位|第一名|第1名|第一|第1(?![\d.])"
                         r"|首位|之首|榜首)(?!、)")
# A yes/no question is not confirmed by a plan or a hope (即将上市 does not say 上市了).
NOT_YET = re.compile(r"即将|拟|预计|计划|力争|有望|争取|将要")
# Words a yes/no question puts around its statement (已经通车了吗 asks of 全线通车, 是否计划出台
# of 出台): not what a sentence must say.
ASPECT_WORDS = re.compile(r"已经|曾经|已|了|要|计划|打算|准备|仍然|依然|仍旧")

# Units of measure, longest first so 万平方米 wins over 米.
UNITS = sorted("""元 万元 亿元 万亿元 人 万人 人次 万人次 家 户 个 件 名 套 所 张 座 处 项 条 台 辆 架
艘 头 只 斤 万斤 亿斤 公斤 千克 亩 万亩 公顷 平方公里 平方米 万平方米 立方米 万立方米 公里 千米 米 吨 万吨 亿吨 千瓦
万千瓦 千瓦时 亿千瓦时 天 工作日 个工作日 小时 分钟 年 个月 倍 次 批 种 期 场 届 栋 间 例 篇 部 份 床 标箱
万标箱 微克 毫克 分贝 岁 所 校 位 美元 欧元 港元 平方千米 兆瓦 列 枚 块 棵 株 首 起""".split(), key=len, reverse=True)
# What may follow a figure as part of it: a multiplier, then a percent sign or a unit (24 | %).
FIGURE_TAIL = re.compile("[万亿]*(?:%|％|‰|个百分点|百分点|" + "|".join(map(re.escape, UNITS)) + ")"
                         "|[万亿]+")
# Words that bound or round a figure and belong to it: 1300家以上 is a floor, not 1300家;
# 超过四成, 约1.23万人, 10%左右. Longest first, so 超过 wins over 超.
FIGURE_BOUND_BEFORE = ("不少于", "不低于", "不超过", "超过", "大约", "约", "近", "逾", "超")
FIGURE_BOUND_AFTER = ("以上", "以下", "以内", "左右", "上下")
# A figure with its tail (118.3万吨, 9.86%, 8837家).
FIGURE = re.compile(r"\d+(?:\.\d+)?(?:" + FIGURE_TAIL.pattern + ")?")
# Units that answer the same question (多少人 is answered by 8.3万人 and by 1450名).
UNIT_FAMILIES = [
    {"元", "万元", "亿元", "万亿元"}, {"人", "万人", "名", "人次", "万人次", "位"},
    {"天", "日", "工作日", "个工作日"},
    {"平方公里", "平方千米", "平方米", "万平方米", "亩", "万亩", "公顷"},
    {"公里", "千米", "米"}, {"吨", "万吨", "亿吨", "斤", "万斤", "亿斤", "公斤", "千克"},
    {"个", "座", "处", "家", "项", "所"}, {"枚", "块"}, {"棵", "株"},
    {"千瓦", "万千瓦", "兆瓦"}, {"千瓦时", "亿千瓦时"}, {"标箱", "万标箱"},
]
# A share the question names (增速是多少, 占比多少), or the change of a measure said with an
# intransitive verb (增长了多少, 下降多少: a rate). A transitive one (降低了多少成本, 提高多少) may
# take an amount as its object (降低成本5.3亿元): it names no unit.
PERCENT_ASKED = re.compile(r"比例|比重|占比|几成|百分之|百分比|增速|增幅|涨幅|降幅|投入强度|[\u4e00-\u9fff]率(?![先领])"
                           r"|(?:增长|上涨|涨|上升|下降)[^，,。？?]{0,6}?(?:多少|几)"
                           r"(?!钱|元|万|亿|个|件|家|人|项|座|吨|亩|公里|平方)")
# Words with which a question asks a change or a share, whatever it names: without any of them
# (接待游客总人次是多少, 经济总量多大) it asks an amount, which a percentage does not answer.
CHANGE_OR_SHARE = re.compile(r"增|降|减|涨|升|提高|扩大|缩小|翻|变|少了|多了|同比|比上年|较上年|占|比|"
                             r"率|成|百分|幅|强度|满意|水平|进度|完成|覆盖|达标|超过|高于|低于")
MONEY_NAMED = re.compile(r"多少钱|多少元|多少(?:万|亿)元")
# 成交额, 销售额, 签约额: a sum of money (名额 is a quota, 份额 a share, 限额以上 a threshold).
MONEY_ASKED = re.compile(r"金额|资金|经费|总额|钱|(?<![名份限])额(?!以)")
NUMERAL = re.compile(r"\d|[一二三四五六七八九十百千万亿两〇零]|[Ⅰ-Ⅻⅰ-ⅻ]")  # Ⅲ folds to ⅲ
PERCENT_GIVEN = re.compile(r"%|％|百分点|成\b|倍")
DATE_GIVEN = re.compile(r"\d{4}\s*年|\d{1,2}月|[一二三四五六七八九十]+月|\d{1,2}日")

# Years: 2024年 (also with a space, as Word files have it: "2024 年"); a year named as the
# baseline of a comparison (比2019年, 较上年, 在2023年…的基础上) is not the year asked about.
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年")
BASELINE_YEAR = re.compile(r"(?:跟|和|与|较|比|同|自|从)\s*(?:19|20)\d\d\s*年(?:相比|比|比较|同期|以来)?"
                           r"|(?:19|20)\d\d\s*年以来"
                           r"|在\s*(?:19|20)\d\d\s*年[^，,。；;\n]{0,20}?基础上")
# A heading that dates its section relative to when the document was written (一、过去一年工作回顾,
# 一年来…, 今年要重点做好…): the year it means, counted from the year in the document's title.
RELATIVE_YEAR = {"过去一年": -1, "过去的一年": -1, "一年来": -1, "去年": -1, "上一年": -1,
                 "今年": 0, "本年": 0, "明年": 1}
RELATIVE_YEAR_SAID = re.compile("|".join(sorted(RELATIVE_YEAR, key=len, reverse=True)))
# A title dated by the year it looks back on (2020年工作回顾, 2023年统计公报, 2022年年度报告) was
# written the year after; one dated when it was given (2025年政府工作报告) speaks from that year.
REVIEW_TITLE = re.compile(r"回顾|总结|公报|年报|年度报告|决算")

# China's provinces, municipalities and autonomous regions: full names and their short forms.
PROVINCES = {
    "北京市": "北京", "天津市": "天津", "上海市": "上海", "重庆市": "重庆", "河北省": "河北",
    "山西省": "山西", "辽宁省": "辽宁", "吉林省": "吉林", "黑龙江省": "黑龙江", "江苏省": "江苏",
    "浙江省": "浙江", "安徽省": "安徽", "福建省": "福建", "江西省": "江西", "山东省": "山东",
    "河南省": "河南", "湖北省": "湖北", "湖南省": "湖南", "广东省": "广东", "海南省": "海南",
    "四川省": "四川", "贵州省": "贵州", "云南省": "云南", "陕西省": "陕西", "甘肃省": "甘肃",
    "青海省": "青海", "台湾省": "台湾", "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西",
    "西藏自治区": "西藏", "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港", "澳门特别行政区": "澳门",
}
# China's prefecture-level cities and prefectures (short forms), by province: a question naming
# one is about that city, and a report about a place in a province is about that province too.
CITIES_BY_PROVINCE = {
    "河北": "雄安 石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 吉林 四平 辽源 通化 白山 松原 白城 延边",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化 大兴安岭",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西",
    "广东": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 阿坝 甘孜 凉山",
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁 黔西南 黔东南 黔南",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 楚雄 红河 文山 西双版纳 大理 德宏 怒江 迪庆",
    "西藏": "拉萨 日喀则 昌都 林芝 山南 那曲 阿里",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏 甘南",
    "青海": "西宁 海东 海北 黄南 海南州 果洛 玉树 海西",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 博尔塔拉 巴音郭楞 阿克苏 克孜勒苏 喀什 和田 伊犁 塔城 阿勒泰",
    "上海": "浦东", "天津": "滨海新区", "重庆": "两江新区",
}
CITY_PROVINCE = {city: province for province, cities in CITIES_BY_PROVINCE.items()
                 for city in cities.split()}
CITIES = frozenset(CITY_PROVINCE)

# A place name ends in one of these (郑州高新区, 浦东新区, 苏州市, 宁夏回族自治区).
PLACE_SUFFIX = re.compile(r"(?:特别行政区|[^\s，,。、]{0,4}?自治区|自治州|自治县|省|市|州|盟|地区|县|旗|"
                          r"高新区|经开区|开发区|新区|自贸区|示范区|园区|区|镇|乡)$")
# The kind of place a name ends in, as its own people call it (郑州高新区 → 高新区, 宁夏回族自治区
# → 自治区): "高新区的专利" asks about the one 高新区 a corpus holds.
PLACE_CATEGORY = re.compile(r"(?:特别行政区|自治区|自治州|自治县|高新区|经开区|开发区|新区|自贸区|示范区)$")
# Words that end in a place suffix but name no place (matched whole: 浦东新区 is a place).
NOT_PLACES = re.compile(r"[\u4e00-\u9fff]?(?:城市|超市|上市|股市|社区|小区|园区|景区|校区|街区|城区|市区|片区|湾区|"
                        r"辖区|地区|山区|灾区|牧区|林区|郊区|新区|示范区|开发区|自贸区|县区|全省|全市|全区|省市)")
