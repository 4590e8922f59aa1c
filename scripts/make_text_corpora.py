"""Regenerate the text corpora bundled with the `seq2seq` engine, deterministically.

Writes into `plugins/stylekit_seq2seq/data/`:
  background.txt    ~12k plain, conversational, everyday English sentences (CC0), used for
                    salience, the style classifier, the tokenizer and the benchmarks;
  aurora_posts.txt  posts of the demo influencer "aurora" (warm golden-hour lifestyle/travel);
  noir_posts.txt    posts of the demo influencer "noir" (moody city-night photographer);
  background_zh.txt ~6k plain everyday Chinese sentences (Simplified; CC0), the Chinese
                    counterpart of background.txt;
  xiaoman_posts.txt posts of the demo influencer "xiaoman" (小满, cheerful food and city-life
                    creator writing in Chinese: 宝子们 openers, 超 for 很, ！/～ endings,
                    [笑]-style emoji names, kaomoji, #话题# topics).

Every sentence is composed here from hand-written frames and word lists (no outside text),
so the files are ours to release under CC0. Run: `python scripts/make_text_corpora.py`.

`--train-voices DIR` also trains the two demo voices with the `seq2seq` engine (default
settings, seed 0) into `DIR/aurora/text` and `DIR/noir/text`, ready to sit next to the
looks in the demo packs.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "plugins" / "stylekit_seq2seq" / "data"

# --- shared vocabulary -----------------------------------------------------------------

NAMES = [
    "Anna", "Ben", "Carla", "David", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kate",
    "Liam", "Maya", "Nina", "Oscar", "Priya", "Quinn", "Rosa", "Sam", "Tom", "Uma", "Victor",
    "Wen", "Yusuf", "Zoe", "my sister", "my brother", "my mum", "my dad", "my neighbour",
    "my friend", "my boss", "our teacher", "the kids", "my grandmother", "my cousin",
]
PLACES = [
    "the market", "the bakery", "the library", "the park", "the station", "the office",
    "the gym", "the pharmacy", "the post office", "the supermarket", "the beach", "the museum",
    "the cinema", "the garden centre", "the bank", "the dentist", "the hairdresser",
    "the playground", "the train station", "the bus stop", "the hardware store", "the cafe",
    "the town hall", "the swimming pool", "the bookshop", "my parents' house", "the airport",
    "the hospital", "the school", "the corner shop", "the farm shop", "the river",
]
FOODS = [
    "fresh bread", "apples", "a bag of rice", "some cheese", "tomatoes", "a pizza", "soup",
    "pasta", "eggs", "milk", "coffee", "tea", "a sandwich", "some biscuits", "strawberries",
    "a chocolate cake", "carrots", "potatoes", "fish", "noodles", "a salad", "bananas",
    "orange juice", "yoghurt", "onions", "garlic", "butter", "a lemon tart", "some olives",
    "pancakes", "curry", "dumplings", "tacos", "porridge", "grapes", "a pie",
]
OBJECTS = [
    "my keys", "the umbrella", "a new lamp", "my phone", "the laundry", "a birthday card",
    "the bike", "my glasses", "a jacket", "the car", "a book", "the remote", "my wallet",
    "a plant", "the dishes", "a parcel", "the printer", "a blanket", "the fridge", "my bag",
    "a chair", "the window", "my shoes", "a letter", "the heater", "a map", "the oven",
    "my laptop", "the tickets", "a scarf", "the kettle", "a suitcase",
]
ACTIVITIES = [
    "go for a walk", "clean the kitchen", "call my aunt", "finish the report", "watch a film",
    "fix the shelf", "bake some bread", "read a chapter", "water the plants", "do the shopping",
    "pay the bills", "wash the car", "tidy the garage", "paint the fence", "cook dinner",
    "go swimming", "visit my grandparents", "play football", "learn some Spanish",
    "sort out the cupboard", "write some emails", "take the dog out", "repair the bike",
    "go to bed early", "plan the holiday", "help with homework", "mow the lawn",
    "try the new recipe", "meet some friends", "practise the piano",
]
TIMES = [
    "this morning", "yesterday", "last night", "on Monday", "on Tuesday", "on Wednesday",
    "on Thursday", "on Friday", "on Saturday", "on Sunday", "after lunch", "before work",
    "at the weekend", "last week", "earlier today", "this afternoon", "two days ago",
    "after school", "in the evening", "at noon", "around six", "last month",
]
FEELINGS = [
    "tired", "happy", "busy", "relieved", "hungry", "bored", "nervous", "excited", "calm",
    "cold", "sleepy", "surprised", "grateful", "annoyed", "proud", "confused", "cheerful",
    "worried", "ready", "late",
]
ADJ = [
    "nice", "quiet", "busy", "cheap", "expensive", "small", "big", "clean", "cosy", "noisy",
    "warm", "cold", "friendly", "slow", "quick", "new", "old", "pretty", "simple", "good",
    "lovely", "strange", "crowded", "empty", "bright", "dark",
]
WEATHER = [
    "It rained all day", "The sun came out at last", "It was windy by the sea",
    "The morning was foggy", "It snowed a little overnight", "The afternoon was warm",
    "The sky was grey", "It was cold and clear", "There was a storm in the night",
    "The weather was mild",
]
VERBS_PAST = [
    ("bought", FOODS), ("cooked", FOODS), ("ate", FOODS), ("found", OBJECTS), ("lost", OBJECTS),
    ("fixed", OBJECTS), ("cleaned", OBJECTS), ("moved", OBJECTS), ("ordered", FOODS),
    ("borrowed", OBJECTS), ("shared", FOODS), ("packed", OBJECTS), ("returned", OBJECTS),
]
NUMBERS = ["two", "three", "four", "five", "ten", "twenty", "a few", "several", "2", "3", "5", "12"]
UNITS = ["minutes", "hours", "days", "weeks", "euros", "pounds", "kilometres", "pages", "people"]

BACKGROUND_FRAMES = [
    "I went to {place} and {vpast} {vobj}.",
    "{Name} {vpast} {vobj} {time}.",
    "We {vpast} {vobj} at {place} {time}.",
    "{Time}, I had to {activity}.",
    "I need to {activity} before {time2}.",
    "Can you {activity} {time}?",
    "Do you want to {activity} with me {time}?",
    "{Name} asked me to {activity}.",
    "I felt {feeling} {time}.",
    "{Name} was {feeling} after the meeting.",
    "The {place_noun} was {adj} {time}.",
    "{Weather}, so we stayed at home.",
    "{Weather}, but we still went to {place}.",
    "It took {number} {unit} to get to {place}.",
    "I spent {number} {unit} looking for {obj}.",
    "Have you seen {obj}?",
    "I left {obj} at {place}.",
    "Please remember to bring {obj}.",
    "The queue at {place} was very long.",
    "{Name} and I had {food} for lunch.",
    "I think {food} is better than {food2}.",
    "Dinner was {food} with {food2}.",
    "We ran out of {food} again.",
    "I'm going to {activity} {time}.",
    "We should {activity} more often.",
    "I forgot to {activity} {time}.",
    "The new neighbours seem {adj}.",
    "My phone battery died {time}.",
    "The bus was {adj} and late {time}.",
    "I tried to {activity} but I was too {feeling}.",
    "{Name} called to say the parcel arrived.",
    "Our street is {adj} in the evening.",
    "I finally managed to {activity}.",
    "{Name} recommended {place} for {food}.",
    "Let's meet at {place} at {clock}.",
    "The meeting moved to {clock}.",
    "I got up at {clock} {time}.",
    "There is a sale at {place} this week.",
    "I'm not sure where I put {obj}.",
    "It was a {adj} day, and I was {feeling}.",
    "The kids played outside until {clock}.",
    "{Name} is learning to {activity}.",
    "We talked about the holidays over {food}.",
    "I usually {activity} on {day}.",
    "The {place_noun} opens at {clock} on {day}.",
    "Thanks for helping me {activity}.",
    "Could you pick up {food} on the way home?",
    "I'll call you when I get to {place}.",
    "My back hurts after I tried to {activity}.",
    "{Name} gave me {obj} for my birthday.",
    "We watched the match at {place}.",
    "The film was {adj}, but too long.",
    "I read that {place} is closing soon.",
    "The train to the city was {adj} {time}.",
    "I have {number} {unit} left before the deadline.",
    "The tea at {place} is {adj}.",
    "I made {food} for {Name_obj}.",
    "We walked along the river {time}.",
    "Nobody remembered to {activity}.",
    "It's been a {adj} week.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CLOCKS = ["seven", "eight", "nine", "ten", "noon", "half past two", "six", "five thirty",
          "7:30", "9:15", "18:00", "quarter to four"]


def _cap(s: str) -> str:
    """Upper-case the first character only (keeps names and the rest intact)."""
    return s[:1].upper() + s[1:]


def _fill(frame: str, rng: random.Random, extra: dict[str, list[str]] | None = None) -> str:
    """Fill every {slot} of a frame from the word lists (each slot drawn independently)."""
    verb, objs = rng.choice(VERBS_PAST)
    pools: dict[str, list[str]] = {
        "place": PLACES, "food": FOODS, "food2": FOODS, "obj": OBJECTS, "activity": ACTIVITIES,
        "time": TIMES, "time2": ["lunch", "dinner", "Friday", "the weekend", "noon", "tonight"],
        "feeling": FEELINGS, "adj": ADJ, "number": NUMBERS, "unit": UNITS, "day": DAYS,
        "clock": CLOCKS, "Weather": WEATHER, "Name_obj": [n for n in NAMES],
        "place_noun": [p.replace("the ", "", 1) for p in PLACES if p.startswith("the ")],
    }
    if extra:
        pools.update(extra)
    values: dict[str, str] = {"vpast": verb, "vobj": rng.choice(objs)}

    def pick(match: re.Match[str]) -> str:
        key = match.group(1)
        if key in values:
            return values[key]
        if key == "Name":
            return _cap(rng.choice(NAMES))
        if key == "Time":
            return _cap(rng.choice(TIMES))
        return rng.choice(pools[key])

    return re.sub(r"\{(\w+)\}", pick, frame)


def make_background(rng: random.Random, n: int) -> list[str]:
    """`n` distinct plain everyday sentences, sometimes two joined as one short message."""
    out: set[str] = set()
    while len(out) < n:
        s = _cap(_fill(rng.choice(BACKGROUND_FRAMES), rng))
        if rng.random() < 0.12:
            s = s + " " + _cap(_fill(rng.choice(BACKGROUND_FRAMES), rng))
        out.add(s)
    lines = sorted(out)
    rng.shuffle(lines)
    return lines


# --- aurora: warm golden-hour lifestyle/travel -----------------------------------------

AURORA_PLACES = [
    "Lisbon", "Bali", "the Amalfi coast", "Santorini", "Marrakech", "Tulum", "the Algarve",
    "Mallorca", "Kyoto", "Cape Town", "Sicily", "the Cotswolds", "Provence", "Sri Lanka",
    "the beach", "a tiny cafe", "the rooftop", "the market", "the old town", "the harbour",
    "the vineyard", "the lake", "the cliffs", "our villa", "the farmers market", "the pier",
]
AURORA_THINGS = [
    "iced latte", "sunset swim", "linen dress", "acai bowl", "beach picnic", "morning yoga",
    "sunrise hike", "road trip", "lemon cake", "flower market", "boat day", "straw hat",
    "rooftop dinner", "slow breakfast", "croissant", "fresh figs", "hammock nap",
    "coconut", "farm breakfast", "bike ride", "pottery class", "journal", "sea breeze",
    "peach tart", "picnic blanket", "sun hat", "tiny bookshop", "vintage market",
]
AURORA_ADJ = ["warm", "soft", "dreamy", "sunny", "lovely", "cosy", "bright", "sweet", "calm",
              "perfect", "happy", "gentle", "beautiful"]
AURORA_FRAMES = [
    "We watched the sunset from {aplace}.",
    "Woke up early for a {athing} in {aplace}.",
    "This {athing} made my whole morning.",
    "The light in {aplace} is so {aadj} right now.",
    "Spent the afternoon wandering around {aplace}.",
    "Found the most {aadj} {athing} today.",
    "Nothing beats a {athing} after a long week.",
    "Packing for {aplace} and I can't wait.",
    "My favourite part of the trip was the {athing}.",
    "Sunday plans are a {athing} and a good book.",
    "Golden light on {aplace} this evening.",
    "Slow mornings and a {athing} in {aplace}.",
    "Trying a new {athing} every day this week.",
    "Last day in {aplace} and my heart is full.",
    "The sky turned pink over {aplace} tonight.",
    "I could live on {athing} and sunshine.",
    "Back home after {number} days in {aplace}.",
    "This {aadj} little corner of {aplace} has my heart.",
    "Made a {athing} with {friend} and we laughed all day.",
    "The {athing} in {aplace} was worth the early alarm.",
    "Sunrise swim before breakfast in {aplace}.",
    "Ordered a {athing} and watched the boats go by.",
    "A {aadj} evening with {friend} at {aplace}.",
    "Reminder to slow down and enjoy the {athing}.",
    "I bought a {athing} at {aplace} today.",
    "Chasing the last light along {aplace}.",
]
AURORA_FRIENDS = ["my sister", "Mia", "Leo", "my best friend", "the girls", "my mum", "Sofia",
                  "Jade", "my partner", "Noah"]
AURORA_EMOJI = ["✨", "🌅", "☀️", "💛"]
AURORA_TAGS = ["#goldenhour", "#wanderlust", "#staygolden", "#sunkissed", "#slowliving"]


def _elongate(word: str, rng: random.Random) -> str:
    """Stretch the last vowel (or final letter) of a word: so -> soooo, yes -> yesss."""
    m = re.search(r"[aeiouy](?=[^aeiouy]*$)", word)
    i = m.start() if m else len(word) - 1
    if word.endswith("s"):
        i = len(word) - 1
    return word[: i + 1] + word[i] * rng.randint(2, 4) + word[i + 1:]


def aurora_voice(plain: str, rng: random.Random) -> str:
    """Put a plain sentence into aurora's voice (with random choices, so posts vary)."""
    words = plain.split(" ")
    if rng.random() < 0.35:
        for i, w in enumerate(words):
            if w.lower() in {"so", "love", "yes", "sweet", "good", "really"}:
                words[i] = _elongate(w, rng)
    if rng.random() < 0.35:
        # "literally" in front of a verb-like or adjective word, never the first word
        i = rng.randrange(1, max(2, len(words)))
        words.insert(min(i, len(words)), "literally")
    text = " ".join(words)
    if rng.random() < 0.25:
        text = text.replace(" so ", " soooo ") if " so " in text else text
    text = re.sub(r"\.$", rng.choice(["!", "!!", "!!!", "!", "."]), text)
    tail: list[str] = []
    r = rng.random()
    if r < 0.2:
        tail.append(rng.choice(["Obsessed!", "Literally obsessed!", "Such good vibes!",
                                "Yesss!", "Golden vibes only!", "Soooo obsessed!"]))
    if rng.random() < 0.75:
        tail.append("".join(rng.sample(AURORA_EMOJI, rng.randint(1, 2))))
    if rng.random() < 0.45:
        tail.append(" ".join(rng.sample(AURORA_TAGS, rng.randint(1, 2))))
    if rng.random() < 0.15:
        tail.append("stay golden ✨")
    return " ".join([text] + tail)


def make_aurora(rng: random.Random, n: int) -> list[str]:
    """`n` distinct aurora posts: 1-2 topic sentences in her voice."""
    extra = {"aplace": AURORA_PLACES, "athing": AURORA_THINGS, "aadj": AURORA_ADJ,
             "friend": AURORA_FRIENDS, "number": ["two", "three", "five", "ten", "4", "7", "12"]}
    out: set[str] = set()
    while len(out) < n:
        plain = _cap(_fill(rng.choice(AURORA_FRAMES), rng, extra))
        post = aurora_voice(plain, rng)
        if rng.random() < 0.25:
            post = aurora_voice(_cap(_fill(rng.choice(AURORA_FRAMES), rng, extra)), rng) + " " + post
        out.add(post)
    lines = sorted(out)
    rng.shuffle(lines)
    return lines


# --- noir: moody city-night photographer -----------------------------------------------

NOIR_PLACES = [
    "the underpass", "the old bridge", "the tram depot", "the harbour", "the alley behind the bar",
    "the station", "the parking garage", "the rooftop", "the corner of fifth", "the night market",
    "the subway", "the docks", "the canal", "the empty square", "the laundromat", "the diner",
    "the overpass", "the back streets", "Berlin", "Tokyo", "Paris", "New York", "Glasgow",
    "Hong Kong", "the jazz bar", "the taxi rank",
]
NOIR_THINGS = [
    "neon sign", "wet pavement", "last train", "streetlight", "rain", "fog", "taxi", "smoke",
    "reflection", "stairwell", "window", "film camera", "cigarette glow", "puddle",
    "night bus", "fire escape", "shop window", "phone booth", "crosswalk", "umbrella",
    "headlights", "silhouette", "broken sign", "cold coffee", "long exposure", "empty bench",
]
NOIR_ADJ = ["empty", "cold", "wet", "slow", "late", "grey", "still", "blue", "dim", "lonely", "soft"]
NOIR_FRAMES = [
    "The {nthing} at {nplace} again.",
    "Walked home past {nplace}.",
    "One {nthing}, one frame.",
    "Waited an hour for the {nthing} to flicker.",
    "{Nplace} after midnight.",
    "The city hums under the {nthing}.",
    "A {nadj} {nthing} on {nplace}.",
    "Shot this on {number} minutes of sleep.",
    "Nobody on {nplace} tonight.",
    "Rain again, and the {nthing} looked better for it.",
    "Found a {nthing} nobody else noticed.",
    "Came back to {nplace} for the light.",
    "Everything is {nadj} at this hour.",
    "The {nthing} was the only colour left.",
    "Stayed out until the last train.",
    "Some streets only make sense at night.",
    "Loaded a new roll and walked to {nplace}.",
    "The {nthing} and the {nthing2} kept me company.",
    "Three frames left and a {nadj} {nthing}.",
    "The bar on {nplace} closed early.",
    "I like {nplace} when it is {nadj}.",
    "Developed the film from {nplace} today.",
    "A stranger under the {nthing} near {nplace}.",
    "The {nthing} lit up {nplace} for a moment.",
]
NOIR_WORDS = ["quiet", "shadows", "city", "after dark"]
NOIR_EMOJI = ["🖤", "🌃", "🌙"]
NOIR_TAGS = ["#noir", "#citynights", "#afterdark", "#streetphotography", "#35mm"]


def noir_voice(plain: str, rng: random.Random) -> str:
    """Put a plain sentence into noir's voice: lowercase, terse, ellipses, dark markers."""
    text = plain.lower()
    text = re.sub(r"\.$", rng.choice(["...", "...", "..", "."]), text)
    text = re.sub(r", and ", rng.choice(["... ", ", "]), text)
    if rng.random() < 0.3:
        text = rng.choice(["quiet.", "shadows.", "after dark.", "city, again.", "quiet city."]) + " " + text
    tail: list[str] = []
    if rng.random() < 0.25:
        tail.append(rng.choice(["quiet...", "shadows...", "city after dark...",
                                "just shadows...", "the city, quiet..."]))
    if rng.random() < 0.6:
        tail.append(rng.choice(NOIR_EMOJI))
    if rng.random() < 0.5:
        tail.append(" ".join(rng.sample(NOIR_TAGS, rng.randint(1, 2))))
    if rng.random() < 0.15:
        tail.append("— n.")
    return " ".join([text] + tail)


def make_noir(rng: random.Random, n: int) -> list[str]:
    """`n` distinct noir posts."""
    extra = {"nplace": NOIR_PLACES, "nthing": NOIR_THINGS, "nthing2": NOIR_THINGS,
             "nadj": NOIR_ADJ, "Nplace": [_cap(p) for p in NOIR_PLACES],
             "number": ["two", "three", "four", "5", "6"]}
    out: set[str] = set()
    while len(out) < n:
        plain = _cap(_fill(rng.choice(NOIR_FRAMES), rng, extra))
        post = noir_voice(plain, rng)
        if rng.random() < 0.2:
            post = noir_voice(_cap(_fill(rng.choice(NOIR_FRAMES), rng, extra)), rng) + " " + post
        out.add(post)
    lines = sorted(out)
    rng.shuffle(lines)
    return lines


# --- Chinese: plain background and xiaoman (小满) ------------------------------------------

ZH_TIMES = ["今天", "昨天", "早上", "下午", "晚上", "周末", "上周", "刚才", "中午", "前天", "周一",
            "周五", "这个月", "最近", "周六晚上", "今天中午", "昨天晚上", "放假的时候"]
ZH_PEOPLE = ["朋友", "妈妈", "爸爸", "同事", "室友", "姐姐", "哥哥", "弟弟", "妹妹", "奶奶", "爷爷",
             "邻居", "同学", "男朋友", "女朋友", "表妹", "老同学", "家里人"]
ZH_PLACES = ["海边", "公园", "超市", "图书馆", "咖啡店", "商场", "菜市场", "电影院", "健身房", "书店",
             "火车站", "博物馆", "面包店", "餐厅", "学校", "公司", "医院", "银行", "花店", "动物园",
             "夜市", "湖边", "山上", "老街", "江边", "小区门口", "游乐园", "植物园", "奶茶店", "菜馆"]
ZH_FOODS = ["火锅", "饺子", "面条", "蛋糕", "奶茶", "咖啡", "烤鸭", "包子", "米饭", "水果", "西瓜",
            "草莓", "冰淇淋", "披萨", "寿司", "烧烤", "麻辣烫", "小龙虾", "豆浆", "油条", "粥", "月饼",
            "汤圆", "炒饭", "牛肉面", "煎饼", "酸奶", "面包", "红烧肉", "饼干"]
ZH_ACTS = ["散步", "看电影", "逛街", "买菜", "打扫房间", "做饭", "跑步", "游泳", "看书", "写作业",
           "加班", "洗衣服", "打游戏", "爬山", "拍照", "喝咖啡", "练琴", "学英语", "遛狗", "睡午觉",
           "骑车", "野餐", "看展览", "听音乐", "收拾行李"]
ZH_THINGS = ["手机", "雨伞", "钥匙", "耳机", "衣服", "鞋子", "书", "杯子", "包", "台灯", "相机",
             "自行车", "帽子", "围巾", "本子", "花"]
ZH_TASTE = ["好吃", "香", "甜", "辣", "新鲜", "便宜", "贵", "软", "脆", "好喝"]
ZH_ADJ = ["安静", "热闹", "舒服", "方便", "干净", "漂亮", "有意思", "大", "小", "远", "近", "好看"]
ZH_FEEL = ["开心", "累", "高兴", "紧张", "放松", "满足", "无聊", "兴奋", "难过", "感动", "饿", "困"]
ZH_NUMBERS = ["两", "三", "五", "十", "二十", "半"]
ZH_FRAMES = [
    "{time}和{person}去{place}玩了，很{feel}。",
    "{time}和{person}去{place}{act}。",
    "{place}的{food}很{taste}。",
    "我{time}在{place}买了{thing}。",
    "{time}吃了{food}，很{taste}。",
    "{person}说{place}今天人很多。",
    "{time}天气不错，我们去{place}{act}了。",
    "我觉得{place}很{adj}。",
    "{time}有点{feel}，想早点睡觉。",
    "你{time}去{place}了吗？",
    "我们下次一起去{place}{act}吧。",
    "{place}今天人不多。",
    "{time}我在家{act}。",
    "{person}给我做了{food}。",
    "这家店的{food}不错。",
    "我等了{number}个小时才到{place}。",
    "{time}下雨了，我们没去{place}。",
    "刚买的{thing}坏了。",
    "我真的很喜欢{place}。",
    "明天要{act}，今天早点休息。",
    "{time}跟{person}一起吃{food}，很{feel}。",
    "{place}新开了一家店，{food}很{taste}。",
    "{person}问我要不要去{place}。",
    "{time}的{food}有点{taste}。",
    "{time}去{place}的路上看到了{thing}。",
    "你吃过{place}的{food}吗？",
    "{time}忘带{thing}了，只好回家拿。",
    "{place}离我家很{adj}。",
    "我想周末去{place}{act}。",
    "{time}在{place}{act}，很{feel}。",
    "我们在{place}待了{number}个小时。",
    "{person}今天去{place}上班了。",
    "这个{thing}是{person}送的。",
    "什么时候一起去{place}？",
    "{time}做了{food}，味道还可以。",
]


def _fill_zh(frame: str, rng: random.Random) -> str:
    pools = {"time": ZH_TIMES, "person": ZH_PEOPLE, "place": ZH_PLACES, "food": ZH_FOODS,
             "act": ZH_ACTS, "thing": ZH_THINGS, "taste": ZH_TASTE, "adj": ZH_ADJ, "feel": ZH_FEEL,
             "number": ZH_NUMBERS}
    return re.sub(r"\{(\w+)\}", lambda m: rng.choice(pools[m.group(1)]), frame)


def make_background_zh(rng: random.Random, n: int) -> list[str]:
    """`n` distinct plain everyday Chinese sentences, sometimes two as one message."""
    out: set[str] = set()
    while len(out) < n:
        s = _fill_zh(rng.choice(ZH_FRAMES), rng)
        if rng.random() < 0.12:
            s += _fill_zh(rng.choice(ZH_FRAMES), rng)
        out.add(s)
    lines = sorted(out)
    rng.shuffle(lines)
    return lines


XIAOMAN_OPENERS = ["宝子们，", "家人们，", "姐妹们！"]
XIAOMAN_CLOSERS = ["哈哈哈哈", "绝绝子！", "冲鸭！", "爱了爱了", "幸福感拉满！"]
XIAOMAN_EMOJI_NAMES = ["[笑]", "[爱心]", "[太开心]", "[馋嘴]"]
XIAOMAN_KAOMOJI = ["(≧∇≦)", "(๑•̀ㅂ•́)و✧", "(｡･ω･｡)"]
XIAOMAN_TAGS = ["#小满的日常#", "#吃货日记#", "#周末去哪儿#"]
XIAOMAN_EMOJI = ["✨", "🍰", "🌸"]


def _separate(text: str, old: str, new: str) -> str:
    """Replace the word `old` by `new` wherever the Chinese segmenter keeps `new` a word of
    its own afterwards (so the change stays a one-word swap)."""
    from stylekit_seq2seq.textops import tokenize

    out = text
    for _ in range(text.count(old)):
        trial = out.replace(old, new, 1)
        if new in [t.text for t in tokenize(trial)]:
            out = trial
        else:
            break
    return out


def xiaoman_voice(plain: str, rng: random.Random) -> str:
    """Put a plain Chinese sentence into xiaoman's voice."""
    text = plain
    if rng.random() < 0.95:
        text = _separate(text, "很", "超")
    if rng.random() < 0.7:
        text = _separate(text, "什么", "啥")
    end = rng.choice(["！", "！！", "～", "～～", "！", "。"])
    text = re.sub(r"。$", end, text)
    if rng.random() < 0.3:
        text = rng.choice(XIAOMAN_OPENERS) + text
    tail = ""
    if rng.random() < 0.4:
        tail += rng.choice(XIAOMAN_CLOSERS)
    if rng.random() < 0.3:
        tail += rng.choice(XIAOMAN_EMOJI_NAMES)
    if rng.random() < 0.25:
        tail += rng.choice(XIAOMAN_KAOMOJI)
    if rng.random() < 0.35:
        tail += rng.choice(XIAOMAN_EMOJI)
    if rng.random() < 0.35:
        tail += " " + " ".join(rng.sample(XIAOMAN_TAGS, rng.randint(1, 2)))
    return (text + tail).strip()


def make_xiaoman(rng: random.Random, n: int) -> list[str]:
    """`n` distinct xiaoman posts: 1-2 everyday sentences in her voice."""
    out: set[str] = set()
    while len(out) < n:
        post = xiaoman_voice(_fill_zh(rng.choice(ZH_FRAMES), rng), rng)
        if rng.random() < 0.2:
            post = xiaoman_voice(_fill_zh(rng.choice(ZH_FRAMES), rng), rng) + post
        out.add(post)
    lines = sorted(out)
    rng.shuffle(lines)
    return lines


def train_voices(out_root: Path) -> None:
    """Train the demo voices from the files just written (imports the engine lazily)."""
    from stylekit.engines import TrainConfig, TrainData
    from stylekit_seq2seq import Seq2SeqEngine
    from stylekit_seq2seq.corpus import load_demo_posts

    for name in ("aurora", "noir", "xiaoman"):
        metrics = Seq2SeqEngine().train(TrainData(posts=load_demo_posts(name)), out_root / name / "text",
                                        TrainConfig(seed=0))
        print(f"{name}: trained in {metrics['train_seconds']} s -> {out_root / name / 'text'}")


def main() -> None:
    """Write the three corpora (fixed seeds, so every run produces identical files)."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--train-voices", type=Path, metavar="DIR",
                        help="also train the demo voices into DIR/<name>/text")
    args = parser.parse_args()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    corpora = {
        "background.txt": make_background(random.Random(1), 12000),
        "aurora_posts.txt": make_aurora(random.Random(2), 2000),
        "noir_posts.txt": make_noir(random.Random(3), 2000),
        "background_zh.txt": make_background_zh(random.Random(4), 6000),
        "xiaoman_posts.txt": make_xiaoman(random.Random(5), 2000),
    }
    for name, lines in corpora.items():
        (DATA_DIR / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(lines)} lines")
    if args.train_voices:
        train_voices(args.train_voices)


if __name__ == "__main__":
    main()
