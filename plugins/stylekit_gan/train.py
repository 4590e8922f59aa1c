"""Adversarial training of a look from unpaired photos (the influencer's feed vs ordinary photos).

It starts from the look prior (`prior.py`): an estimator trained offline on hundreds of
ordinary photos x thousands of sampled looks, which reads the feed (and the user's own
content photos where given) and predicts the grade. The generator starts at that
estimate, and the adversarial stage refines it from the feed itself. With
`quick=True` the estimate alone is the look (about a second).

Total generator loss (defaults in `Settings`):

    L = adv * L_adv + alpha * L_content + beta * L_style + reg * L_reg + prior * L_prior

- L_adv (adv = 0.1): non-saturating GAN loss of the statistics discriminator on the
  graded content photos. The discriminator sees per-image, scene-robust statistics
  (`stats.py`), never pixels, and is trained with an R1 gradient penalty (r1 = 1.0)
  and weight decay. Kept small: with a handful of photos even statistics differ by
  scene, and a strong adversary learns the scenes.
- L_content (alpha = 1.0): mean squared pixel change of the graded content photos.
- L_style (beta = 1.0): feature matching on the statistics a grade moves more than
  scenes do (`stats.DEFAULT_STATS`): half the chi-square between the mean statistics
  of the graded content and of the feed, each divided by its standard error over
  scenes, floored at one scene-to-scene standard deviation (se_floor = 1.0) because
  crops or bursts of one scene are not independent evidence.
- L_reg (reg = 1.0): tone-curve smoothness and monotonicity.
- L_prior (prior = 10.0): half the squared distance of the generator parameters from
  the look prior's estimate, over their typical size (prior_scale = 0.1 for curve
  offsets; see `GradeGenerator.PRIOR_SCALES`): where the feed's own evidence is weak,
  the look stays at what hundreds of other looks taught the prior, not at "do nothing".
  Without the prior's weights (`use_prior=False`) the centre is the identity. The weight
  was chosen on the tuning looks of `benchmarks/bench_look_protocol.py`: with 1.0 the
  refinement drifted from the estimate on two of the first five looks.

The content photos are the user's own, or else the ordinary photos of the reference
(`reference.py`, hundreds of scenes). The content's mean statistics are shrunk toward
those of ordinary photos (the reference) with a pseudo-count (population_k = 15,
against the number of content photos) before the feed is compared with them:
empirical Bayes, which moves a small or atypical content set most and a large,
ordinary one hardly at all.

Non-finite losses skip the step; several in a row roll back to the last good state.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from stylekit.engines import ProgressEvent, TrainConfig
from stylekit.errors import TrainingError
from stylekit.training import TrainingLoop, check_resume, finite, one_thread_on_cpu, resolve_device, run_fingerprint

from .photos import augment, load_training_photos, ordinary_photos
from .prior import load_prior
from .report import look_report
from .stats import DEFAULT_STATS


@dataclass
class Settings:
    """Training hyper-parameters; `TrainConfig.options` may override any of them by name."""

    steps: int = 200
    size: int = 128
    lr_g: float = 0.01
    lr_d: float = 0.002
    batch: int = 16
    feed_augs: int = 4
    adv: float = 0.1
    alpha: float = 1.0
    beta: float = 1.0
    reg: float = 1.0
    prior: float = 10.0
    prior_scale: float = 0.1
    r1: float = 1.0
    se_floor: float = 1.0
    robust: bool = False
    population_k: float = 15.0
    stats: str = ",".join(DEFAULT_STATS)
    checkpoint_every: int = 50
    max_bad_steps: int = 3
    max_rollbacks: int = 5
    use_prior: bool = True
    quick: bool = False
    guard: bool = True


MIN_PHOTOS_FOR_SCALE = 3  # fewer feed or content photos than this: borrow the scene spread of the bundled photos


def settings_from(config: TrainConfig) -> Settings:
    """Defaults, then the config's steps/size, then matching `config.options` keys."""
    s = Settings()
    if config.steps is not None:
        s.steps = int(config.steps)
    if config.size is not None:
        s.size = int(config.size)
    for key, value in config.options.items():
        if hasattr(s, key):
            kind = type(getattr(s, key))
            if kind is bool and isinstance(value, str):
                value = value.strip().lower() in ("1", "true", "yes", "on")
            setattr(s, key, kind(value))
    if s.steps < 1 or s.size < 16:
        raise TrainingError("Use --steps of at least 1 and --size of at least 16 pixels.")
    return s


class StatsReference:
    """Feed statistics and the per-statistic scales that standardise and weight them."""

    def __init__(
        self,
        feed: "Any",
        content: "Any",
        n_feed: int,
        n_content: int,
        se_floor: float,
        robust: bool,
        used: Sequence[str],
        scene_scale: "Any" = None,
        population: Any = None,
        population_k: float = 0.0,
    ) -> None:
        import torch

        from .stats import NAMES

        self.feed = feed  # (n_feed * augs, N_STATS)
        mu_f = feed.reshape(n_feed, -1, feed.shape[1]).mean(1)
        mu_c = content.reshape(n_content, -1, content.shape[1]).mean(1)
        pooled = torch.cat([mu_f - mu_f.mean(0), mu_c - mu_c.mean(0)])
        self.scale = pooled.std(0).clamp_min(1e-3)
        if scene_scale is not None:  # too few photos to estimate how much scenes differ
            self.scale = torch.maximum(self.scale, scene_scale)
        self.centre = torch.cat([mu_f, mu_c]).mean(0)
        self.robust = robust
        # Medians resist one unusual scene (a yellow flower filling the frame) in a small set.
        self.target = mu_f.median(0).values if robust else mu_f.mean(0)
        self.mask = torch.tensor([1.0 if n in used else 0.0 for n in NAMES], device=feed.device)
        var_f = mu_f.var(0) if n_feed > 1 else self.scale**2
        var_c = mu_c.var(0) if n_content > 1 else self.scale**2
        # Standard error of the difference of means, floored so no statistic dominates.
        # Floored at `se_floor` scales: crops or bursts of one scene are not independent
        # evidence, and a handful of photos under-estimates how much scenes differ.
        self.se = torch.sqrt(var_f / n_feed + var_c / n_content).clamp_min(se_floor * self.scale).clamp_min(1e-3)
        self.population_weight = 0.0
        if population is not None and population_k > 0:
            # Empirical Bayes: the content's scenes, estimated from n_content photos, shrunk
            # toward ordinary photos (mean statistics `population`) with pseudo-count k. The
            # grade to learn is feed - shrunk content, so the graded raw content should reach
            # the feed's statistics plus w times its own deviation from ordinary photos.
            self.population_weight = population_k / (n_content + population_k)
            self.target = self.target + self.population_weight * (mu_c.mean(0) - population)

    def standardise(self, s: "Any") -> "Any":
        """Statistics on a common scale for the discriminator."""
        return (s - self.centre) / self.scale

    def chi2(self, s: "Any") -> "Any":
        """Half the chi-square between the batch's central statistics and the feed's."""
        centre = s.median(0).values if self.robust else s.mean(0)
        return 0.5 * ((((centre - self.target) / self.se) ** 2) * self.mask).sum()


def _batch(photos: list[np.ndarray], size: int, n: int, rng: np.random.Generator) -> np.ndarray:
    idx = rng.permutation(len(photos))[:n] if len(photos) > n else np.arange(len(photos))
    return np.stack([augment(photos[i], size, rng).transpose(2, 0, 1) for i in idx])


def train_look(
    feed_paths: Sequence[Path],
    content_paths: Sequence[Path],
    config: TrainConfig,
    progress: Callable[[ProgressEvent], None] | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Train the generator; return it (on CPU, fp32) and the training metrics."""
    with one_thread_on_cpu(config.device):  # 16 crops of 128 px: small tensors
        return _train_look(feed_paths, content_paths, config, progress)


def _train_look(
    feed_paths: Sequence[Path],
    content_paths: Sequence[Path],
    config: TrainConfig,
    progress: Callable[[ProgressEvent], None] | None = None,
) -> tuple[Any, dict[str, Any]]:
    import torch

    from .artifacts import write_training_plots
    from .model import GradeGenerator, StatsDiscriminator
    from .stats import N_STATS, image_stats

    s = settings_from(config)
    device = resolve_device(config.device)
    check_resume(Path(config.work_dir) if config.work_dir else None, config.resume)  # before loading photos
    used_bundled = not content_paths
    ordinary_paths = ordinary_photos()
    content_paths = list(content_paths) or ordinary_paths
    feed_paths = list(feed_paths)
    feed = load_training_photos(feed_paths, 2 * s.size, "influencer")
    loaded: dict[str, list[np.ndarray]] = {}

    def ordinary() -> list[np.ndarray]:
        """The ordinary photos, read once (they are the content too when the user gives none)."""
        if "photos" not in loaded:
            loaded["photos"] = content if used_bundled else load_training_photos(ordinary_paths, 2 * s.size, "content")
        return loaded["photos"]
    content = load_training_photos(content_paths, 2 * s.size, "content")
    amp = device == "cuda"
    t0 = time.perf_counter()

    # The look prior's estimate starts the generator and is what L_prior pulls toward.
    look_prior = load_prior() if s.use_prior else None
    estimate = None
    if look_prior is not None:
        estimate = look_prior.estimate(feed, [] if used_bundled else content).float()
    user_content = [] if used_bundled else content
    if s.quick:
        gen = GradeGenerator(init=estimate)
        return gen, {
            "report": look_report(gen, feed, user_content, look_prior),
            "steps": 0,
            "quick": True,
            "seconds": round(time.perf_counter() - t0, 2),
            "device": "cpu",
            "feed_photos": len(feed),
            "content_photos": 0 if used_bundled else len(content),
            "bundled_content": used_bundled,
            "prior": look_prior is not None,
            "settings": asdict(s),
        }

    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    gen = GradeGenerator(init=estimate).to(device)
    centre = gen.vector().detach().clone() if estimate is not None else None  # the estimate, padded to every group
    disc = StatsDiscriminator(N_STATS).to(device)
    opt_g = torch.optim.Adam(gen.parameters(), lr=s.lr_g, betas=(0.5, 0.9))
    opt_d = torch.optim.Adam(disc.parameters(), lr=s.lr_d, betas=(0.5, 0.9), weight_decay=1e-3)

    def stats_of(x: np.ndarray) -> torch.Tensor:
        return image_stats(torch.from_numpy(x).to(device))

    # Fixed statistics of the feed (several augmentations each) and of the raw content.
    prep_rng = np.random.default_rng(config.seed + 1)
    with torch.no_grad():
        feed_stats = torch.cat([stats_of(np.stack([augment(p, s.size, prep_rng).transpose(2, 0, 1) for _ in range(s.feed_augs)])) for p in feed])
        raw_stats = torch.cat([stats_of(np.stack([augment(p, s.size, prep_rng).transpose(2, 0, 1) for _ in range(s.feed_augs)])) for p in content])
    scene_scale = None
    if min(len(feed), len(content)) < MIN_PHOTOS_FOR_SCALE:
        # Scene-to-scene spread of each statistic over the ordinary photos.
        with torch.no_grad():
            scene_scale = stats_of(np.stack([augment(p, s.size, prep_rng).transpose(2, 0, 1) for p in ordinary()])).std(0)
    population = None
    if s.population_k > 0:
        # Mean statistics of ordinary photos, two augmentations each (own random stream,
        # so the feed and content statistics above are unchanged).
        pop_rng = np.random.default_rng(config.seed + 2)
        with torch.no_grad():
            population = stats_of(np.stack([augment(p, s.size, pop_rng).transpose(2, 0, 1) for p in ordinary() for _ in range(2)])).mean(0)
    ref = StatsReference(
        feed_stats, raw_stats, len(feed), len(content), s.se_floor, s.robust, s.stats.split(","), scene_scale, population, s.population_k
    )
    chi2_before = float(ref.chi2(raw_stats))

    work_dir = Path(config.work_dir) if config.work_dir else None
    loop = TrainingLoop(
        total=s.steps, fingerprint=run_fingerprint(feed_paths, content_paths, s, config.seed),
        modules={"generator": gen, "discriminator": disc}, optimisers={"generator": opt_g, "discriminator": opt_d},
        work_dir=work_dir, rng=rng, checkpoint_every=s.checkpoint_every, progress=progress,
        max_bad_steps=s.max_bad_steps, max_rollbacks=s.max_rollbacks,
        on_save=lambda state: write_training_plots(work_dir, gen, content[:4], state.history, s.size),
    )
    start_step = loop.start(config.resume)

    def step(_: int) -> dict[str, float] | None:
        real = feed_stats[torch.from_numpy(rng.integers(0, len(feed_stats), s.batch)).to(device)]
        x = torch.from_numpy(_batch(content, s.size, s.batch, rng)).to(device)
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=amp):
            fake = gen(x)
        fake = fake.float()
        fake_stats = image_stats(fake)

        # Discriminator step, with an R1 penalty on the real statistics.
        z_real = ref.standardise(real).requires_grad_(True)
        d_real = disc(z_real)
        d_fake = disc(ref.standardise(fake_stats.detach()))
        (grad,) = torch.autograd.grad(d_real.sum(), z_real, create_graph=True)
        loss_d = torch.nn.functional.softplus(-d_real).mean() + torch.nn.functional.softplus(d_fake).mean()
        loss_d = loss_d + 0.5 * s.r1 * grad.pow(2).sum(1).mean()

        # Generator step.
        loss_adv = torch.nn.functional.softplus(-disc(ref.standardise(fake_stats))).mean()
        loss_content = (fake - x).pow(2).mean()
        loss_style = ref.chi2(fake_stats)
        loss_prior = 0.5 * gen.prior(centre) / s.prior_scale**2
        loss_g = (
            s.adv * loss_adv + s.alpha * loss_content + s.beta * loss_style + s.reg * gen.regulariser() + s.prior * loss_prior
        )

        if not finite(loss_g, loss_d):
            rng.integers(0, 2)  # advance the stream so the retried step sees new crops
            return None  # skipped: nothing was updated
        # Both gradients are taken before either network moves (simultaneous updates).
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward(inputs=list(gen.parameters()))
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward(inputs=list(disc.parameters()))
        opt_d.step()
        opt_g.step()
        return {"loss_d": loss_d.item(), "loss_g": loss_g.item(), "adv": loss_adv.item(), "style": loss_style.item()}

    history = loop.run(step)

    check_rng = np.random.default_rng(0)
    with torch.no_grad():
        graded = gen(torch.from_numpy(np.stack([augment(p, s.size, check_rng).transpose(2, 0, 1) for p in content])).to(device))
        chi2_after = float(ref.chi2(image_stats(graded.float())))
    gen = gen.float().cpu()
    guard = None
    if s.guard and look_prior is not None:
        # Keep the refinement only where the prior judges ordinary photos graded by it at
        # least as close to the feed's look as those graded by its own estimate.
        from .prior import judged_gaps

        ordinary = user_content + load_training_photos(ordinary_paths[:: max(1, len(ordinary_paths) // 16)][:16], 128, "content")
        refined = gen.vector().detach()
        gaps = judged_gaps(look_prior, feed, ordinary, torch.stack([torch.zeros_like(refined), centre.cpu(), refined]))
        guard = {"gap_identity": round(gaps[0], 3), "gap_estimate": round(gaps[1], 3), "gap_refined": round(gaps[2], 3)}
        if gaps[2] > gaps[1]:
            gen = GradeGenerator(init=centre.cpu())
            guard["kept"] = "estimate"
        else:
            guard["kept"] = "refined"
    last = history[-1] if history else {}
    metrics = {
        "report": look_report(gen, feed, user_content, look_prior),
        "guard": guard,
        "steps": s.steps,
        "resumed_from": start_step,
        "seconds": round(time.perf_counter() - t0, 2),
        "device": device,
        "feed_photos": len(feed),
        "content_photos": len(content),
        "bundled_content": used_bundled,
        "skipped_steps": loop.skipped,
        "rollbacks": loop.rollbacks,
        "loss_d": last.get("loss_d", math.nan),
        "loss_g": last.get("loss_g", math.nan),
        "population_weight": round(ref.population_weight, 4),
        "prior": look_prior is not None,
        "style_chi2_before": round(chi2_before, 4),
        "style_chi2_after": round(chi2_after, 4),
        "settings": asdict(s),
    }
    return gen, metrics
