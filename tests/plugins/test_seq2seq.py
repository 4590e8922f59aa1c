"""Tests of the `seq2seq` text engine: tokenizer, neutraliser, edit scripts, corpus errors,
and a tiny real training run (save, load, determinism, strength 0, protected tokens, resume)."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from stylekit.engines import ProgressEvent, TrainConfig, TrainData
from stylekit.errors import PackError, TrainingError
from stylekit_seq2seq import MIN_POSTS, Seq2SeqEngine, read_posts, register_transfers
from stylekit_seq2seq.corpus import load_background, load_demo_posts
from stylekit_seq2seq.edits import align, apply_script
from stylekit_seq2seq.neutralise import Neutraliser
from stylekit_seq2seq.scoring import chrf
from stylekit_seq2seq.spm_tokenizer import train_spm
from stylekit_seq2seq.textops import detokenize, split_sentences, tokenize


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Offline, as in use: Hugging Face offline flags set, and any socket connect fails."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")

    def refuse(*args, **kwargs):
        raise AssertionError("the seq2seq engine tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def night_voice(sentence: str) -> str:
    """A known voice: lower case, 'u' for 'you', ellipsis ending, 'honestly' opener, moon
    emoji, hashtag."""
    text = re.sub(r"\byou\b", "u", sentence.lower())
    text = re.sub(r"\.$", "...", text)
    return f"honestly. {text} 🌙 #latenight"


@pytest.fixture(scope="module")
def corpora():
    """Plain sentences split into post material, background and held-out text."""
    sentences = load_background()
    return {"posts": [night_voice(s) for s in sentences[:400]], "background": sentences[1000:1600],
            "plain": sentences[400:440]}


@pytest.fixture(scope="module")
def tiny_style(tmp_path_factory, corpora):
    """A voice trained for a few steps with the tiny model size (a real run, seconds)."""
    out = tmp_path_factory.mktemp("style") / "text"
    events: list[ProgressEvent] = []
    metrics = Seq2SeqEngine().train(
        TrainData(posts=corpora["posts"], background=corpora["background"]), out,
        TrainConfig(steps=30, seed=3, options={"size": "tiny"}), events.append,
    )
    return out, metrics, events


# --- tokenizer ------------------------------------------------------------------------

def test_tokenizer_round_trips_emoji_and_mixed_scripts(tmp_path):
    posts = load_demo_posts("aurora")[:300]
    sp = train_spm(posts, load_background()[:500], tmp_path)
    samples = [
        "Soooo good ✨💛 #goldenhour", "日本語とEnglish mixed, Привет мир! 👩‍👩‍👧 🇫🇷",
        "ｆｕｌｌｗｉｄｔｈ ﬁ ligature, cafe\u0301 vs café", "  double  spaces  and\ttabs ",
        "𝓯𝓪𝓷𝓬𝔂 𝖘𝖙𝖞𝖑𝖊 ✌🏽 ❤️‍🔥",
    ]
    for text in samples:
        assert sp.decode(sp.encode(text)) == text
    # frequent emoji and hashtags of the posts are whole pieces
    assert "✨" in sp.id_to_piece(sp.encode("a ✨ b"))
    assert "#goldenhour" in sp.id_to_piece(sp.encode("x #goldenhour"))


def test_text_tokens_rejoin_exactly():
    text = "See https://example.com/a?b=1, @ann paid 3.50 — wow!!! ✨ #tag 😀 café"
    tokens = tokenize(text)
    assert detokenize(tokens) == text
    kinds = {t.text: t.kind for t in tokens}
    assert kinds["https://example.com/a?b=1"] == "url" and kinds["@ann"] == "mention"
    assert kinds["3.50"] == "number" and kinds["✨"] == "emoji" and kinds["#tag"] == "hashtag"
    assert "".join(s + w for s, w in split_sentences("One. Two!  Three?")) == "One. Two!  Three?"


# --- neutraliser and edit scripts ----------------------------------------------------

def test_neutraliser_removes_known_markers(corpora):
    neutraliser = Neutraliser.fit(corpora["posts"], corpora["background"])
    assert ("honestly",) in neutraliser.markers
    assert neutraliser.swaps == {"u": "you"}
    for plain in corpora["plain"][:20]:
        assert neutraliser.neutralise(night_voice(plain)) == plain
    assert neutraliser.neutralise("Soooo GOOD!!! ✨ #tag") == "So good!"  # "!" is not this voice's marker


def test_neutraliser_round_trips_through_json(corpora):
    neutraliser = Neutraliser.fit(corpora["posts"], corpora["background"])
    again = Neutraliser.from_json(json.loads(json.dumps(neutraliser.to_json())))
    post = night_voice(corpora["plain"][0])
    assert again.neutralise(post) == neutraliser.neutralise(post)


def test_edit_script_rebuilds_every_demo_post():
    posts = load_demo_posts("noir")[:300]
    neutraliser = Neutraliser.fit(posts, load_background()[:3000])
    for post in posts:
        source = tokenize(neutraliser.neutralise(post))
        assert apply_script(source, align(source, tokenize(post))) == post


def test_chrf_bounds():
    assert chrf("the same text", "the same text") == pytest.approx(1.0)
    assert chrf("completely different", "zzzz qqqq") < 0.1
    assert 0.3 < chrf("the same text!", "the same text") < 1.0


# --- corpus files ---------------------------------------------------------------------

def test_read_posts_formats(tmp_path):
    lines = [f"post number {i} ✨" for i in range(MIN_POSTS)]
    (tmp_path / "p.txt").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    (tmp_path / "p.jsonl").write_text("\n".join(json.dumps({"text": t}) for t in lines), encoding="utf-8")
    (tmp_path / "p.csv").write_text("id,text\n" + "\n".join(f'{i},"{t}"' for i, t in enumerate(lines)),
                                    encoding="utf-8")
    for name in ("p.txt", "p.jsonl", "p.csv"):
        assert read_posts(tmp_path / name) == lines


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.txt", b"caf\xe9 au lait\n" * 100, "not valid UTF-8"),
        ("empty.txt", b"\n\n  \n", "the corpus is empty"),
        ("small.txt", b"one post\nanother\n", f"at least {MIN_POSTS}"),
        ("bad.jsonl", b'{"text": "ok"}\nnot json\n', "not valid JSON"),
        ("nofield.jsonl", b'{"body": "x"}\n', "no string 'text' field"),
        ("nocol.csv", b"body\nx\n", "no 'text' column"),
        ("posts.docx", b"x", "use .txt, .jsonl or .csv"),
    ],
)
def test_read_posts_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TrainingError, match=re.escape(message)) as info:
        read_posts(path)
    assert "\n" not in str(info.value)


def test_too_few_posts_for_training(tmp_path):
    with pytest.raises(TrainingError, match=f"at least {MIN_POSTS}"):
        Seq2SeqEngine().train(TrainData(posts=["hi"] * 3), tmp_path / "x", TrainConfig(steps=1))


# --- plugin ---------------------------------------------------------------------------

def test_plugin_registers_engine_without_importing_torch():
    registered = []
    register_transfers(registered.append)
    assert registered == [Seq2SeqEngine]
    assert Seq2SeqEngine.name == "seq2seq" and Seq2SeqEngine.modality == "text"
    code = "import sys, stylekit_seq2seq; print(sorted(m for m in ('torch', 'transformers', 'sentencepiece') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- a tiny real training run ----------------------------------------------------------

def test_training_writes_a_loadable_style(tiny_style):
    out, metrics, events = tiny_style
    for name in ("config.json", "model.safetensors", "spiece.model", "tokenizer.json", "tokenizer_config.json",
                 "heads.safetensors", "edits.json", "neutraliser.json", "style_scorer.safetensors",
                 "metrics.json", "engine.json"):
        assert (out / name).is_file(), name
    assert metrics["steps"] == 30 and metrics["posts"] == 400
    train_events = [e for e in events if e.stage == "train"]
    assert train_events[-1].done == train_events[-1].total == 30
    assert "loss" in train_events[-1].values
    assert not any(out.glob("*.pkl")) and not any(out.glob("*.bin"))


def test_saved_tokenizer_opens_with_transformers(tiny_style):
    from transformers import AutoTokenizer

    from stylekit_seq2seq.spm_tokenizer import load_spm

    out = tiny_style[0]
    text = "honestly. i went to the market... 🌙 #latenight Привет ✨"
    hf = AutoTokenizer.from_pretrained(out, local_files_only=True)
    ids = hf(text, add_special_tokens=False)["input_ids"]
    assert len(hf) == load_spm(out).get_piece_size()
    assert hf.decode(ids) == text


def test_outputs_identical_after_save_and_load(tiny_style, corpora):
    out, _, _ = tiny_style
    first = Seq2SeqEngine().load(out)
    second = Seq2SeqEngine().load(out)
    texts = corpora["plain"][:5]
    a = first.apply_batch(texts, strength=1.0, num=3, seed=11)
    b = second.apply_batch(texts, strength=1.0, num=3, seed=11)
    assert a == b
    assert [first.apply(t, num=3, seed=11) for t in texts] == a
    assert all(1 <= len(c) <= 3 for c in a)


def test_strength_zero_is_identity(tiny_style):
    style = Seq2SeqEngine().load(tiny_style[0])
    text = "  I went to the market and bought fresh bread.  "
    assert style.apply(text, strength=0.0) == [text]
    assert style.apply_batch([text, "Hi."], strength=0.0, num=2) == [[text], ["Hi."]]


def test_urls_mentions_numbers_and_emoji_survive(tiny_style):
    style = Seq2SeqEngine().load(tiny_style[0])
    text = "Meet @sam_k at 7:30 near https://example.org/map?x=1 tonight 🙂 bring 2 tickets."
    for candidate in style.apply(text, strength=2.0, num=4, seed=5):
        for kept in ("@sam_k", "7:30", "https://example.org/map?x=1", "🙂", "2"):
            assert kept in candidate


def test_long_input_is_split_and_joined(tiny_style, corpora):
    style = Seq2SeqEngine().load(tiny_style[0])
    long_text = " ".join(corpora["plain"][:30])
    out = style.apply(long_text, seed=0)[0]
    words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", long_text)}
    assert words <= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", out)}


def test_load_refuses_a_folder_that_is_not_a_style(tmp_path):
    with pytest.raises(PackError):
        Seq2SeqEngine().load(tmp_path)


@pytest.mark.slow  # three short training runs: ~15 s on a quiet machine, more under load
def test_ctrl_c_saves_before_the_first_checkpoint_and_resume_continues_the_same_run(tmp_path, corpora):
    from stylekit.training import TrainingInterrupted, load_checkpoint

    data = TrainData(posts=corpora["posts"][:60], background=corpora["background"][:250])

    def config(resume: bool) -> TrainConfig:  # default checkpoint_every (200): none before the end
        return TrainConfig(steps=20, seed=1, resume=resume, work_dir=tmp_path / "work", options={"size": "tiny"})

    def ctrl_c_at_10(event: ProgressEvent) -> None:
        if event.stage == "train" and event.done >= 10:
            raise KeyboardInterrupt

    with pytest.raises(TrainingInterrupted, match="step 10 of 20.*resume=True"):
        Seq2SeqEngine().train(data, tmp_path / "a", config(False), ctrl_c_at_10)
    assert load_checkpoint(tmp_path / "work").step == 10
    resumed = Seq2SeqEngine().train(data, tmp_path / "a", config(True))
    straight = Seq2SeqEngine().train(data, tmp_path / "b", TrainConfig(
        steps=20, seed=1, work_dir=tmp_path / "work2", options={"size": "tiny"}))
    assert resumed["final_loss"] == straight["final_loss"]
    assert (tmp_path / "a" / "model.safetensors").read_bytes() == (tmp_path / "b" / "model.safetensors").read_bytes()


# --- full-sentence mode on a local base model -------------------------------------------

def _tiny_local_t5(folder: Path, texts: list[str]) -> Path:
    """A tiny random T5 with a word-level tokenizer, saved like a user's local checkpoint."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast, T5Config, T5ForConditionalGeneration

    words = sorted({w for t in texts for w in re.findall(r"\w+|[^\w\s]", t)})
    vocab = {"<pad>": 0, "</s>": 1, "<unk>": 2, **{w: i + 3 for i, w in enumerate(words)}}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>", eos_token="</s>", unk_token="<unk>")
    fast.save_pretrained(folder)
    config = T5Config(vocab_size=len(vocab), d_model=32, d_ff=64, d_kv=16, num_layers=1,
                      num_decoder_layers=1, num_heads=2, pad_token_id=0, eos_token_id=1,
                      decoder_start_token_id=0)
    T5ForConditionalGeneration(config).save_pretrained(folder)
    return folder


@pytest.mark.slow
def test_base_model_mode_fine_tunes_a_local_checkpoint(tmp_path, corpora):
    posts, background = corpora["posts"][:60], corpora["background"][:250]
    base = _tiny_local_t5(tmp_path / "base", posts + background + corpora["plain"])
    out = tmp_path / "style"
    metrics = Seq2SeqEngine().train(TrainData(posts=posts, background=background), out,
                                    TrainConfig(steps=4, seed=0, base_model=base))
    assert metrics["mode"] == "generator" and (out / "model.safetensors").is_file()
    text = corpora["plain"][0]
    first = Seq2SeqEngine().load(out).apply(text, num=2, seed=4)
    assert first == Seq2SeqEngine().load(out).apply(text, num=2, seed=4)
    assert Seq2SeqEngine().load(out).apply(text, strength=0) == [text]


def test_base_model_must_be_a_model_folder(tmp_path, corpora):
    with pytest.raises(TrainingError, match="no config.json"):
        Seq2SeqEngine().train(TrainData(posts=corpora["posts"][:60]), tmp_path / "s",
                              TrainConfig(steps=1, base_model=tmp_path))


def test_resume_without_a_checkpoint_is_an_error(tmp_path, corpora):
    with pytest.raises(TrainingError, match="No checkpoint to resume in .*; drop resume=True to start"):
        Seq2SeqEngine().train(TrainData(posts=corpora["posts"][:60]), tmp_path / "s",
                              TrainConfig(steps=1, resume=True, work_dir=tmp_path / "work", options={"size": "tiny"}))
    assert not (tmp_path / "s").exists()


def test_a_large_corpus_is_sampled_with_a_warning_and_reports_progress_while_neutralising(tmp_path, corpora, monkeypatch):
    """A posts file far beyond what a voice needs is learned from an even sample (said in
    a warning), and the preparation reports progress post by post instead of going quiet."""
    import stylekit_seq2seq.train as voice_train

    monkeypatch.setattr(voice_train, "MAX_POSTS", 300)
    monkeypatch.setattr(voice_train, "REPORT_EVERY", 50)
    events: list[ProgressEvent] = []
    with pytest.warns(UserWarning, match="400 posts given; the voice is learned from 300"):
        metrics = Seq2SeqEngine().train(
            TrainData(posts=corpora["posts"], background=corpora["background"]), tmp_path / "text",
            TrainConfig(steps=2, seed=3, options={"size": "tiny"}), events.append)
    assert metrics["posts"] == 300
    neutralising = [e for e in events if e.stage == "neutralising posts"]
    assert len(neutralising) >= 5 and neutralising[-1].done == neutralising[-1].total
    assert [e.done for e in neutralising] == sorted(e.done for e in neutralising)
    assert any(e.stage == "learning the scorer" for e in events)


def test_spread_sample_keeps_order_and_spans_the_file():
    from stylekit_seq2seq.train import spread_sample

    items = [str(i) for i in range(1000)]
    picked = spread_sample(items, 10)
    assert picked == [str(i) for i in range(0, 1000, 100)]
    assert spread_sample(items[:5], 10) == items[:5]
