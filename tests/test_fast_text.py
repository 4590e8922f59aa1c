"""The torch-free voice path: a voice applies on the CPU with numpy alone (the tagger in
`numpy_model`, torch's random draws in `sampling`), with the torch path's logits and
exactly its rewrites, on every bundled voice and a freshly trained one; `stylekit text`
loads neither torch nor transformers (nor jieba for English); empty text is refused."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from stylekit.engines import TrainConfig, TrainData
from stylekit.errors import UsageError
from stylekit_seq2seq import Seq2SeqEngine
from stylekit_seq2seq.corpus import load_background, load_demo_posts
from stylekit_seq2seq.generate import VoiceStyle
from stylekit_seq2seq.numpy_model import NumpyTagger, relative_position_buckets
from stylekit_seq2seq.sampling import TorchCompatibleGenerator

torch = pytest.importorskip("torch")  # the reference the numpy path is held to

from stylekit_demo import PACKS_DIR  # noqa: E402
from stylekit_seq2seq.model import TAGGER_BACKEND_ENV, load_tagger, load_torch_tagger  # noqa: E402

BUNDLED = ("aurora", "noir", "xiaoman")
EDGE_TEXTS = [
    "Had a nice day at the beach.", "a", "ok", "Check https://example.com/x?y=1 and @sam: 42 items, 3.5% off! 😀 #tbt",
    "WHAT a day!!! sooo tired...", "First sentence. Second one here! A third? " * 12,
    "今天和朋友去海边玩了，好开心", "這家餐廳的菜真好吃！", "我们去了 Starbucks 喝咖啡 ☕ #周末#",
    "Mixed 中文 and English text.", "   leading and trailing spaces   ", "tab\tseparated\twords",
]


def _texts(voice: str, n: int) -> list[str]:
    """Plain sentences in the voice's language, then the edge cases."""
    lang = "zh" if voice == "xiaoman" else "en"
    lines = load_background(lang)
    step = max(1, len(lines) // n)
    return lines[::step][:n] + EDGE_TEXTS


@pytest.fixture(scope="module")
def voices(tmp_path_factory) -> dict[str, object]:
    """The bundled voices' folders plus a voice trained here with the tiny size."""
    out = tmp_path_factory.mktemp("voice") / "text"
    Seq2SeqEngine().train(TrainData(posts=load_demo_posts("noir")[:300], background=load_background()[:600]),
                          out, TrainConfig(steps=20, seed=5, options={"size": "tiny"}))
    return {**{name: PACKS_DIR / name / "text" for name in BUNDLED}, "fresh": out}


def _both(style_dir) -> tuple[VoiceStyle, VoiceStyle]:
    """The voice with its numpy tagger (the default on the CPU) and with the torch one."""
    fast = Seq2SeqEngine().load(style_dir, device="cpu")
    assert isinstance(fast.tagger, NumpyTagger)
    slow = VoiceStyle(load_torch_tagger(style_dir, "cpu"), fast.sp, fast.vocab, fast.scorer, fast.neutraliser, "cpu")
    return fast, slow


# --- the pieces against torch -------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 12345, -7, 2**33 + 17, 1_000_003 * 99 + 4_000_000_000])
def test_generator_draws_exactly_what_torch_draws(seed):
    rng = np.random.default_rng(abs(seed) % 1000)
    g, ours = torch.Generator().manual_seed(seed), TorchCompatibleGenerator(seed)
    for n in (1, 2, 5, 16, 33):
        slots, cats = int(rng.integers(1, 9)), int(rng.integers(1, 40))
        p = rng.random(slots).astype(np.float32)
        w = rng.random((slots, cats)).astype(np.float32) ** 3
        w[rng.random((slots, cats)) < 0.4] = 0
        w[:, -1] += 1e-3
        want_edit = torch.bernoulli(torch.from_numpy(p).expand(n, -1).contiguous(), generator=g).bool().numpy()
        want_pick = torch.multinomial(torch.from_numpy(w), n, replacement=True, generator=g).numpy()
        assert (ours.bernoulli(np.broadcast_to(p, (n, slots))) == want_edit).all()
        assert (ours.multinomial(w, n) == want_pick).all()


def test_relative_position_buckets_match_transformers():
    from transformers.models.t5.modeling_t5 import T5Attention

    rel = torch.arange(300)[None, :] - torch.arange(300)[:, None]
    for buckets, distance in ((32, 128), (16, 64)):
        want = T5Attention._relative_position_bucket(rel, True, buckets, distance).numpy()
        assert (relative_position_buckets(300, 300, buckets, distance) == want).all()


# --- whole voices ----------------------------------------------------------------------

@pytest.mark.parametrize("voice", [*BUNDLED, "fresh"])
def test_numpy_tagger_logits_match_torch(voices, voice):
    fast, slow = _both(voices[voice])
    sources = [u.source for t in _texts(voice, 40) for u in fast._units(t) if u.source.positions]
    for batch in (64, 1):  # padded batches and single sources
        subset = sources if batch > 1 else sources[-len(EDGE_TEXTS):]
        for (ft, fi), (st, si) in zip(fast.tagger.tag(subset, batch), slow.tagger.tag(subset, batch)):
            assert ft.shape == st.shape and fi.shape == si.shape
            assert np.abs(ft - st).max() < 1e-4 and np.abs(fi - si).max() < 1e-4


@pytest.mark.parametrize("voice", [*BUNDLED, "fresh"])
def test_numpy_and_torch_paths_rewrite_identically(voices, voice):
    fast, slow = _both(voices[voice])
    texts = _texts(voice, 16)
    for strength, num, seed, samples in ((1.0, 2, None, None), (1.5, 3, 7, 1), (0.6, 1, -2, 0)):
        kw = {} if samples is None else {"samples": samples}
        got = fast.apply_batch(texts, strength=strength, num=num, seed=seed, **kw)
        assert got == slow.apply_batch(texts, strength=strength, num=num, seed=seed, **kw)
    assert any(c != [t.strip()] for c, t in zip(got, texts))  # the voice did rewrite something


@pytest.mark.slow
@pytest.mark.parametrize("voice", BUNDLED)
def test_numpy_and_torch_paths_rewrite_identically_on_many_texts(voices, voice):
    fast, slow = _both(voices[voice])
    texts = _texts(voice, 400)
    assert fast.apply_batch(texts, num=3, seed=11) == slow.apply_batch(texts, num=3, seed=11)


def test_cpu_chooses_numpy_and_the_environment_can_ask_for_torch(voices, monkeypatch):
    assert isinstance(load_tagger(voices["aurora"], "cpu"), NumpyTagger)
    monkeypatch.setenv(TAGGER_BACKEND_ENV, "torch")
    assert isinstance(load_tagger(voices["aurora"], "cpu"), torch.nn.Module)


# --- the command -----------------------------------------------------------------------

def _run_cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """`stylekit ARGS` in a fresh process, printing afterwards which heavy modules it loaded."""
    code = (
        "import sys\n"
        "from stylekit_cli import main\n"
        f"sys.argv = ['stylekit', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\nelse:\n    code = 0\n"
        "heavy = ('torch', 'transformers', 'jieba', 'wordfreq', 'matplotlib', 'skimage', 'scipy')\n"
        "print('LOADED', sorted(m for m in heavy if m in sys.modules))\n"
        "sys.exit(code)\n"
    )
    return subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True, text=True,
                          env=os.environ.copy())


def test_stylekit_text_loads_neither_torch_nor_transformers():
    out = _run_cli("text", "Had a nice day at the beach.", "-i", "aurora")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[-1] == "LOADED []" and lines[0].startswith("Had a nice day at the beach")
    zh = _run_cli("text", "今天和朋友去海边玩了，好开心", "-i", "xiaoman")
    assert zh.returncode == 0, zh.stderr
    assert zh.stdout.splitlines()[-1] == "LOADED ['jieba']"  # Chinese needs the segmenter, nothing else


@pytest.mark.parametrize("content", ["", "   "])
def test_empty_text_is_refused_in_one_line(content):
    out = _run_cli("text", content, "-i", "aurora")
    assert out.returncode == 2
    assert out.stderr.strip() == "Error: text is empty; give the text to rewrite"
    import stylekit

    with pytest.raises(UsageError, match="empty"):
        stylekit.stylize_text(content, "aurora")
    assert stylekit.stylize_text(["", "ok"], "aurora", strength=0) == [[""], ["ok"]]  # lists pass blanks through


def test_empty_stdin_is_refused_in_one_line():
    out = _run_cli("text", "-", "-i", "aurora", stdin="\n \n")
    assert out.returncode == 2
    assert out.stderr.strip() == "Error: stdin has no text to rewrite; pipe one text per line"
