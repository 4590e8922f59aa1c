"""Language-aware text handling of the `seq2seq` engine: Chinese segmentation and social-media
marks, the Chinese neutraliser, where insertions may land, monotone strength in English and
Chinese, the bundled Chinese demo voice, and the apply path staying clear of training code."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from stylekit.engines import TrainConfig, TrainData
from stylekit_seq2seq import Seq2SeqEngine
from stylekit_seq2seq.corpus import load_background, load_demo_posts, posts_language
from stylekit_seq2seq.edits import EditScript, EditVocabulary, align, apply_script, slot_class
from stylekit_seq2seq.neutralise import Neutraliser
from stylekit_seq2seq.scoring import content_kept, style_weight
from stylekit_seq2seq.textops import (
    PROTECTED_KINDS, content_words, detokenize, language, needs_space, split_sentences, tokenize, word_key,
)

STRENGTHS = [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5]


def zh_voice(sentence: str, i: int) -> str:
    """A known Chinese voice: 宝子们 opener on every third post, ！！ endings, [笑] or a topic
    tag at the end."""
    text = re.sub("。$", "！！", sentence)
    if i % 3 == 0:
        text = "宝子们，" + text
    return text + ("[笑]" if i % 2 else " #小满日常#")


def en_voice(sentence: str, i: int) -> str:
    """A known English voice: 'honestly.' opener on every third post, '!!' endings, a moon,
    and "children" where everyday English says "kids"."""
    text = re.sub(r"\.$", "!!", sentence).replace("kids", "children").replace("Kids", "Children")
    return ("honestly. " if i % 3 == 0 else "") + text + " 🌙"


# --- segmentation and marks ------------------------------------------------------------

def test_chinese_is_segmented_into_words_that_rejoin_exactly():
    text = "今天和朋友去海边玩了，好开心"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["今天", "和", "朋友", "去", "海边", "玩", "了", "，", "好开心"]
    assert all(t.space == "" for t in tokens) and detokenize(tokens) == text
    assert {"今天", "朋友", "海边", "玩", "好开心"} <= content_words(text)
    assert not {"和", "了", "去"} & content_words(text)  # function words carry no content


def test_traditional_chinese_matches_simplified_words():
    simplified, traditional = tokenize("今天去海边玩了"), tokenize("今天去海邊玩了")
    assert [t.text for t in traditional] == ["今天", "去", "海邊", "玩", "了"]  # the user's characters kept
    assert [word_key(t) for t in traditional] == [word_key(t) for t in simplified]


def test_chinese_social_media_marks_are_tokens_of_their_own():
    text = "宝子们～～今天超开心！！！哈哈哈哈[笑](≧∇≦) #周末愉快# @小满 ✨ 谢谢(๑•̀ㅂ•́)و✧"
    tokens = tokenize(text)
    assert detokenize(tokens) == text
    kinds = {t.text: t.kind for t in tokens}
    assert kinds["～～"] == "punct" and kinds["！！！"] == "punct"  # runs stay whole
    assert kinds["哈哈哈哈"] == "word"  # an elongated laugh is one word
    assert kinds["[笑]"] == "emoji" and kinds["(≧∇≦)"] == "emoji" and kinds["(๑•̀ㅂ•́)و✧"] == "emoji"
    assert kinds["#周末愉快#"] == "hashtag" and kinds["@小满"] == "mention"
    assert {"[笑]", "#周末愉快#", "@小满"} <= {t.text for t in tokens if t.kind in PROTECTED_KINDS}
    assert word_key(tokens[[t.text for t in tokens].index("哈哈哈哈")]) == "哈"
    # English text keeps its tokens: brackets with words in them are not kaomoji
    assert [t.kind for t in tokenize("fine (see above) [sic]")][1:4] == ["punct", "word", "word"]


def test_language_detection_sentences_and_spacing():
    assert language("今天和朋友去海边玩了") == "zh" and language("A day at the beach.") == "en"
    assert language("今天去了 Starbucks 喝咖啡") == "zh" and language("We ate 饺子 at home tonight") == "en"
    assert posts_language(["今天很好。"] * 9 + ["Fine."]) == "zh"
    assert posts_language(["今天很好。", "Fine."]) == "mixed"
    parts = split_sentences("今天去海边了。明天见！好的～Then English. Done")
    assert [s for s, _ in parts] == ["今天去海边了。", "明天见！", "好的～Then English.", "Done"]
    assert "".join(s + w for s, w in parts) == "今天去海边了。明天见！好的～Then English. Done"
    assert needs_space("word", "next") and not needs_space("海边", "玩") and not needs_space("ok", "好")


def test_edit_scripts_glue_chinese_and_space_english():
    for neutral, voiced in [("今天很开心。", "宝子们，今天超开心！！[笑]"), ("We had tea.", "honestly. We had tea!! 🌙")]:
        source = tokenize(neutral)
        assert apply_script(source, align(source, tokenize(voiced))) == voiced


# --- the neutraliser in Chinese ---------------------------------------------------------

@pytest.fixture(scope="module")
def zh_corpora():
    sentences = load_background("zh")
    return {"posts": [zh_voice(s, i) for i, s in enumerate(sentences[:600])],
            "background": sentences[1000:3000], "plain": sentences[600:700]}


def test_chinese_neutraliser_undoes_markers(zh_corpora):
    neutraliser = Neutraliser.fit(zh_corpora["posts"], zh_corpora["background"])
    assert ("宝子们",) in neutraliser.markers and "！" in neutraliser.salient_punct
    for i, sentence in enumerate(zh_corpora["plain"][:40]):
        assert neutraliser.neutralise(zh_voice(sentence, i)) == sentence


def test_chinese_neutraliser_learns_word_choice():
    """xiaoman writes 超 where everyday Chinese writes 很: the neutraliser learns to undo it."""
    posts = load_demo_posts("xiaoman")
    neutraliser = Neutraliser.fit(posts, load_background("zh"))
    assert neutraliser.swaps == {"超": "很"}
    post = next(p for p in posts if "超" in [t.text for t in tokenize(p)])
    assert "很" in neutraliser.neutralise(post)


# --- where insertions may land ----------------------------------------------------------

def test_insertions_only_where_the_posts_place_them():
    pairs = []
    for neutral, voiced in [
        ("I love the sea.", "I literally love the sea! ✨"),
        ("We love long walks.", "We literally love long walks! ✨"),
        ("The tea was good.", "The tea was good! ✨"),
        ("Tea, then a walk.", "Tea, honestly, then a walk."),
    ] * 2:
        source = tokenize(neutral)
        pairs.append((source, align(source, tokenize(voiced))))
    vocab = EditVocabulary.build(pairs)
    idx = {tag: i for i, tag in enumerate(vocab.inserts)}
    assert {" literally", " ✨", ", honestly"} <= set(idx)
    literally = idx[" literally"]
    tokens = tokenize("My grandparents love the sea.")
    assert [slot_class(tokens, s) for s in (0, 1, 2, 5, 6)] == ["start", "mid", "mid", "boundary", "end"]
    mask = vocab.insert_mask(tokens, "en")
    # "literally" was only seen before "love": allowed there (slot 2), not before "grandparents"
    assert bool(mask[2, literally]) and not bool(mask[1, literally]) and not bool(mask[3, literally])
    # the sparkle was only ever seen at the very end: not before the full stop, nor mid-phrase
    sparkle = idx[" ✨"]
    assert bool(mask[6, sparkle]) and not mask[:6, sparkle].any()
    # ", honestly" was seen at a clause boundary: allowed next to punctuation only
    honestly = idx[", honestly"]
    assert [bool(v) for v in vocab.insert_mask(tokenize("Tea, then bed."), "en")[:, honestly]] == [
        False, True, True, False, True, False]
    assert mask[:, 0].all()  # inserting nothing is always possible
    # and a saved vocabulary keeps what it learned
    again = EditVocabulary.from_json(vocab.to_json())
    assert (again.insert_mask(tokens, "en") == mask).all()


def test_insertions_stay_in_the_script_of_the_text():
    pairs = []
    for neutral, voiced in [("今天很开心。", "今天很开心！冲鸭！"), ("Nice day.", "Nice day. ✨")] * 2:
        source = tokenize(neutral)
        pairs.append((source, align(source, tokenize(voiced))))
    vocab = EditVocabulary.build(pairs)
    cheer, sparkle = vocab.inserts.index("冲鸭！"), vocab.inserts.index(" ✨")
    en, zh = tokenize("Good day."), tokenize("今天很开心。")
    assert not vocab.insert_mask(en, "en")[:, cheer].any()  # no Chinese catchphrase in English
    assert vocab.insert_mask(zh, "zh")[-1, cheer] and vocab.insert_mask(en, "en")[-1, sparkle]
    # a vocabulary saved before places were learned still loads and allows every place
    legacy = EditVocabulary.from_json({k: v for k, v in vocab.to_json().items() if k != "places"})
    assert legacy.insert_mask(en, "en")[:, sparkle].all()
    assert apply_script(zh, EditScript(["<keep>"] * len(zh), [""] * len(zh) + ["冲鸭！"])) == "今天很开心。冲鸭！"


# --- trained voices: monotone strength, content kept ----------------------------------------

def _train(tmp_path_factory, posts, background, name):
    out = tmp_path_factory.mktemp(name) / "text"
    Seq2SeqEngine().train(TrainData(posts=posts, background=background), out,
                          TrainConfig(steps=60, seed=2, options={"size": "tiny"}))
    return Seq2SeqEngine().load(out)


@pytest.fixture(scope="module")
def zh_style(tmp_path_factory, zh_corpora):
    return _train(tmp_path_factory, zh_corpora["posts"], zh_corpora["background"], "zh")


@pytest.fixture(scope="module")
def en_style(tmp_path_factory):
    sentences = load_background("en")
    return _train(tmp_path_factory, [en_voice(s, i) for i, s in enumerate(sentences[:600])],
                  sentences[1000:2500], "en"), sentences[600:625]


def _assert_monotone(style, inputs):
    for text in inputs:
        outs = [style.apply(text, strength=s, seed=0)[0] for s in STRENGTHS]
        greedy = [style.apply(text, strength=s, seed=0, samples=0)[0] for s in STRENGTHS]
        assert outs[0] == text and greedy[0] == text  # strength 0 is the identity
        for row in (outs, greedy):
            scores = style.scorer.score_many(row)
            assert all(b >= a - 1e-9 for a, b in zip(scores, scores[1:])), (text, row, scores)


def test_strength_is_monotone_in_english(en_style):
    style, inputs = en_style
    _assert_monotone(style, inputs)
    assert style_weight(0) == 0 and style_weight(1.0) < style_weight(1.5)


def test_a_trained_voice_uses_its_own_word_for_the_users(en_style):
    style, _ = en_style
    assert style.neutraliser.swaps.get("children") == "kids"
    out = style.apply("The kids played outside until six.", seed=0)[0]
    assert "children" in out and "kids" not in out, out


def test_strength_is_monotone_in_chinese_and_content_is_kept(zh_style, zh_corpora):
    inputs = zh_corpora["plain"][:25]
    _assert_monotone(zh_style, inputs)
    for text in inputs:
        for out in zh_style.apply(text, strength=1.5, num=3, seed=1):
            assert content_kept(out, text) == 1.0 and language(out) == "zh", (text, out)


def test_bundled_chinese_demo_voice_keeps_every_content_word():
    import stylekit

    text = "今天和朋友去海边玩了，好开心"
    outs = stylekit.stylize_text(text, "xiaoman", num=3, seed=0, device="cpu")
    assert outs and outs[0] != text
    for out in outs:
        assert language(out) == "zh" and content_words(text) <= content_words(out), out
    traditional = stylekit.stylize_text("今天和朋友去海邊玩了，好開心", "xiaoman", seed=0, device="cpu")[0]
    assert "海邊" in traditional and "開心" in traditional  # the user's own characters stay


def test_applying_a_voice_imports_no_training_code():
    code = (
        "import sys, stylekit_seq2seq\n"
        "from stylekit_demo import PACKS_DIR\n"
        "style = stylekit_seq2seq.Seq2SeqEngine().load(PACKS_DIR / 'aurora' / 'text')\n"
        "style.apply('A quiet day at the beach.', seed=0)\n"
        "bad = [m for m in ('stylekit_seq2seq.train', 'stylekit_seq2seq.finetune', 'sentencepiece.SentencePieceTrainer')"
        " if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_brackets_balanced():
    from stylekit_seq2seq.textops import brackets_balanced

    assert brackets_balanced("子曰：“学而时习之，不亦说乎？”")
    assert brackets_balanced("I don’t know (really) [yes]")
    assert not brackets_balanced("』表妹给我做了草莓。")
    assert not brackets_balanced("“表妹给我做了草莓。")
    assert not brackets_balanced("(a]")


def test_a_rewrite_never_leaves_a_bracket_or_quote_unpaired(tmp_path):
    """A voice whose posts quote (『…』, “…”) may add a pair, never half of one."""
    from stylekit.engines import TrainConfig, TrainData
    from stylekit_seq2seq import Seq2SeqEngine
    from stylekit_seq2seq.corpus import load_background
    from stylekit_seq2seq.textops import brackets_balanced

    background = load_background("zh")
    posts = [f"『{s}』" if i % 3 == 0 else (f"{s}』" if i % 3 == 1 else f"“{s}”") for i, s in enumerate(background[:300])]
    Seq2SeqEngine().train(TrainData(posts=posts, background=background[1000:1600]), tmp_path / "v",
                          TrainConfig(steps=40, seed=0, options={"size": "tiny"}))
    style = Seq2SeqEngine().load(tmp_path / "v")
    inputs = background[400:460]
    for strength in (1.0, 1.5):
        for cands in style.apply_batch(inputs, strength=strength, num=3, seed=0):
            assert all(brackets_balanced(c) for c in cands), cands


# --- sentence openers: "And ...", "Well, ..." -------------------------------------------------

def _opener_posts(sentences):
    """Posts of a voice that opens a sentence with "And" or "Well," now and then, with "With"
    (a preposition: lifting it off would leave a fragment) and with "If ..., " (a clause
    that needs the sentence after it)."""
    posts = []
    for i, s in enumerate(sentences):
        lowered = s[0].lower() + s[1:] if not s.startswith("I ") else s
        posts.append("And " + lowered if i % 4 == 0 else "Well, " + lowered if i % 5 == 0
                     else "With " + lowered if i % 7 == 0 else "If " + lowered[:-1] + ", we stay in." if i % 11 == 0
                     else s[:-1] + ", if we can." if i % 3 == 1 else s)
    return posts


def test_sentence_openers_are_learned_and_lifted_only_where_a_sentence_starts():
    from stylekit_seq2seq.neutralise import STARTER

    sentences = load_background("en")
    single = [s for s in sentences[:800] if len(split_sentences(s)) == 1][:400]
    neutraliser = Neutraliser.fit(_opener_posts(single), sentences[1000:3000])
    assert neutraliser.markers.get(("and",)) == STARTER
    assert neutraliser.markers.get(("well", ",")) == STARTER
    assert ("with",) not in neutraliser.markers  # a preposition does not join clauses
    assert ("if",) not in neutraliser.markers  # "If the sea was calm." is no sentence
    assert neutraliser.neutralise("And we walked home.") == "We walked home."
    assert neutraliser.neutralise("Well, it rained. And then it stopped.") == "It rained. Then it stopped."
    assert neutraliser.neutralise("Tea, and then bed.") == "Tea, and then bed."  # not a sentence start
    assert neutraliser.neutralise("And.") == "And."  # an opener alone is the sentence


def test_an_opener_takes_the_capital_of_the_word_it_precedes_or_stays_out():
    from stylekit_seq2seq.generate import VoiceStyle

    style = VoiceStyle.__new__(VoiceStyle)
    style.neutraliser = Neutraliser(truecase={"i": "I", "priya": "Priya"})

    def render(text, inserts):
        tokens = tokenize(text)
        slots = [""] * (len(tokens) + 1)
        for slot, insert in inserts.items():
            slots[slot] = insert
        return apply_script(tokens, style._fit_openers(tokens, EditScript(["<keep>"] * len(tokens), slots)))

    assert render("The sea was calm.", {0: "And"}) == "And the sea was calm."
    assert render("The sea was calm.", {0: "Well,"}) == "Well, the sea was calm."
    assert render("I was there.", {0: "And"}) == "And I was there."
    assert render("Priya called.", {0: "And"}) == "And Priya called."  # a name keeps its capital
    assert render("Dinner was late.", {0: "And"}) == "Dinner was late."  # unknown: no guess
    assert render("Tea. The sea was calm.", {2: " And"}) == "Tea. And the sea was calm."
    assert render("The sea was calm.", {5: " ✨"}) == "The sea was calm. ✨"  # other insertions untouched
    # the tagger's lower case at a sentence start stays only in a voice that writes that way
    tokens = tokenize("Our street is warm.")
    lowered = EditScript(["<lower>"] + ["<keep>"] * (len(tokens) - 1), [""] * (len(tokens) + 1))
    style.neutraliser.lower_starts = False
    assert apply_script(tokens, style._fit_openers(tokens, lowered)) == "Our street is warm."
    style.neutraliser.lower_starts = True
    lowered.transforms[0] = "<lower>"
    assert apply_script(tokens, style._fit_openers(tokens, lowered)) == "our street is warm."
    assert render("Dinner was late.", {0: "and"}) == "and dinner was late."  # a lower-case voice
    # a voice whose posts lower every word after its opener ("okay so kate ...") lowers names
    # too, as its tagger says; "I" stays "I" in every voice
    style.neutraliser.lower_starts = False
    for text, expected in [("Priya called.", "Okay so priya called."), ("I called.", "Okay so I called.")]:
        tokens = tokenize(text)
        script = EditScript(["<lower>"] + ["<keep>"] * (len(tokens) - 1), ["Okay so"] + [""] * len(tokens))
        assert apply_script(tokens, style._fit_openers(tokens, script)) == expected


def test_a_later_sentence_start_is_its_own_insertion_place():
    pairs = []
    for neutral, voiced in [("We won. We went home.", "We won. And we went home."),
                            ("Tea, then bed.", "Tea, honestly, then bed.")] * 2:
        source = tokenize(neutral)
        pairs.append((source, align(source, tokenize(voiced))))
    vocab = EditVocabulary.build(pairs)
    tokens = tokenize("Tea, then bed. The sea was calm.")
    assert [slot_class(tokens, s) for s in (0, 2, 5, 6)] == ["start", "boundary", "sentence", "mid"]
    opener, honestly = vocab.inserts.index(" And"), vocab.inserts.index(", honestly")
    mask = vocab.insert_mask(tokens, "en")
    assert mask[5, opener] and not mask[2, opener]  # "And" only where a sentence starts, not after a comma
    assert mask[2, honestly] and not mask[5, honestly]
    # a voice saved before sentence starts had a place of their own saw them as boundaries
    legacy = EditVocabulary.from_json({k: v for k, v in vocab.to_json().items() if k != "slot_classes"})
    assert legacy.slot_classes == 1 and legacy.insert_mask(tokens, "en")[5, honestly]


# --- word choice: "children" where everyday English says "kids" ----------------------------

def test_the_synonym_table_pairs_main_senses_of_everyday_words():
    from stylekit_seq2seq.neutralise import load_lexicon

    table = load_lexicon("en")
    assert "children" in table["kids"] and "kids" in table["children"]
    assert "movie" in table["film"] and "large" in table["big"]
    assert "let" not in table and "allow" not in table  # verbs take their objects differently
    assert "only" not in table and "just" not in table  # function words are not word choice
    assert all(w != s and s[:3] != w[:3] for w, syns in table.items() for s in syns)  # no clippings
    assert load_lexicon("zh") == {}


def test_a_voice_that_prefers_a_word_learns_to_choose_it():
    sentences = load_background("en")
    posts = [s.replace("kids", "children").replace("Kids", "Children") for s in sentences[:1500]]
    neutraliser = Neutraliser.fit(posts, sentences[2000:4000])
    assert neutraliser.swaps.get("children") == "kids"
    assert "film" not in neutraliser.swaps.values()  # the voice says "film" as everyone does
    voiced = "Well, the children played outside."
    neutral = neutraliser.neutralise(voiced)
    assert neutral == "Well, the kids played outside."
    # the pair lines up word for word: "kids" becomes "children", nothing else changes
    script = align(tokenize(neutral), tokenize(voiced), neutraliser.swaps)
    assert [t for t in script.transforms if t != "<keep>"] == ["=children"] and not any(script.inserts)
    assert apply_script(tokenize(neutral), script) == voiced



def test_word_choice_is_the_voices_own_not_the_backgrounds_nor_a_markers():
    from stylekit_seq2seq.neutralise import _find_word_choices, word_counts

    sentences = load_background("en")
    # plain sentences prefer "kids" to "children" as the background does: no choice of a voice
    assert _find_word_choices(word_counts(sentences[:1500]), word_counts(sentences[2000:4000])) == {}
    # "okay" prefers itself to "fine" here, but it belongs to the opener "okay so"
    posts = ["Okay so " + s[0].lower() + s[1:] for s in sentences[:600]]
    neutraliser = Neutraliser.fit(posts, sentences[2000:4000])
    assert ("okay", "so") in neutraliser.markers and "okay" not in neutraliser.swaps


def test_an_everyday_word_is_never_taken_for_a_spelling_of_another():
    # aurora's posts say "trip" where the background's sentences say "city", among the
    # same neighbours; "trip" is a word of its own, not aurora's spelling of "city"
    aurora = Neutraliser.fit(load_demo_posts("aurora"), load_background("en"))
    assert "trip" not in aurora.swaps and "city" not in aurora.swaps.values()
    assert Neutraliser.fit(load_demo_posts("xiaoman"), load_background("zh")).swaps.get("超") == "很"


def test_a_filler_before_any_word_is_learned_though_it_follows_few():
    from stylekit_seq2seq.neutralise import ANYWHERE

    sentences = load_background("en")
    posts = [re.sub(r"\b(I|We|we) (\w+)", r"\1 really \2", s, count=1) for s in sentences[:1500]]
    neutraliser = Neutraliser.fit(posts, sentences[2000:4000])
    assert neutraliser.markers.get(("really",)) == ANYWHERE  # only after "I" or "we", before any verb
    assert neutraliser.neutralise("We really walked home.") == "We walked home."
