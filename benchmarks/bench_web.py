"""How live the web app's preview is: the server-side work of one preview (an 800-pixel copy
of the photo through the same recipe as the full-resolution result) and of the look
gallery, then, where Debian's chromium and chromedriver are installed, the round trip in a
headless browser from a strength change to the new preview on screen (`stylekit serve` in a
subprocess). Best of 5 for the server side, median of 7 for the browser. Prints a Markdown
table; `--write` saves it to results/web_preview.md.

    python benchmarks/bench_web.py [--write]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from _common import best_ms, machine, report

ROOT = Path(__file__).resolve().parents[1]



def server_side(photo: Path) -> list[tuple[str, float]]:
    from stylekit.web.looks import Controls, StyleCache, build_recipe, installed, render, small_image, thumbnails

    styles = StyleCache()
    rgb, alpha = small_image(photo)
    cases = [
        ("look (aurora, strength 0.8)", Controls(influencer="aurora", strength=0.8)),
        ("look + contrast, temperature, vignette", Controls(influencer="aurora", strength=0.8,
                                                            edits={"contrast": 1.2, "temperature": 0.2, "vignette": 0.3})),
        ("mix of two looks (aurora 0.7, noir 0.3)", Controls(influencer="aurora:0.7,noir:0.3")),
        ("look + caption + frame", Controls(influencer="noir", caption="Weekend! 周末", frame_width=0.03)),
        ("look on the face region (mask found anew)", Controls(influencer="aurora", region="face")),
        ("avatar with circle", Controls(influencer="aurora", avatar=True, circle=True)),
    ]
    rows = [("read and scale the photo to 800 px", best_ms(lambda: small_image(photo), repeats=5))]
    for label, controls in cases:
        recipe = build_recipe(controls)
        render(rgb, alpha, recipe, styles)  # the look loads once per server, as in the app
        rows.append((label, best_ms(lambda: render(rgb, alpha, recipe, styles), repeats=5)))
    from stylekit.web.app import WebApp

    app = WebApp(Path(tempfile.mkdtemp()) / "work")
    soft, file = app.preview_mask("bench", photo, "face", rgb)
    cached = build_recipe(Controls(influencer="aurora", region="face"))
    cached.region, cached.mask = "", str(file)
    rows.append(("look on the face region, mask kept (what the app does on a strength change)",
                 best_ms(lambda: render(rgb, alpha, cached, styles), repeats=5)))
    packs = installed("image")
    rows.append((f"look gallery ({len(packs)} looks, 256 px)", best_ms(lambda: thumbnails(rgb, packs, styles), repeats=5)))
    return rows


def browser_round_trip(photo: Path) -> float | None:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    work = Path(tempfile.mkdtemp(prefix="stylekit-bench-web-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "STYLEKIT_HOME": str(work / "home"), "GRADIO_ANALYTICS_ENABLED": "False"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "stylekit"), "serve", "--port", str(port),
                               "--share-dir", str(work / "share")], env=env, stdout=subprocess.DEVNULL)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000"):
        options.add_argument(arg)
    driver = None
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(300):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
        driver.get(url)
        time.sleep(3)
        driver.find_element(By.CSS_SELECTOR, "#apply-photos input[type=file]").send_keys(str(photo))
        time.sleep(4)
        [b for b in driver.find_elements(By.CSS_SELECTOR, "#apply-gallery button") if b.text == "Aurora"][0].click()
        time.sleep(3)
        box = driver.find_element(By.CSS_SELECTOR, "#apply-strength input[type=number]")
        times = []
        for value in ("0.3", "0.5", "0.7", "0.9", "1.1", "0.6", "0.8", "0.4"):
            before = driver.find_element(By.CSS_SELECTOR, "#apply-preview img").get_attribute("src")
            start = time.perf_counter()
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(value)
            box.send_keys(Keys.TAB)
            while driver.find_element(By.CSS_SELECTOR, "#apply-preview img").get_attribute("src") == before:
                time.sleep(0.005)
            driver.execute_script("return document.querySelector('#apply-preview img').decode()")
            times.append(time.perf_counter() - start)
        return statistics.median(times[1:]) * 1000  # the first warms the browser's decoder
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(30)
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    photo = Path(tempfile.mkdtemp()) / "astronaut.png"
    from PIL import Image
    from skimage.data import astronaut

    Image.fromarray(np.asarray(Image.fromarray(astronaut()).resize((1536, 1536)))).save(photo)  # a face, 2.4 MP
    rows = server_side(photo)
    trip = browser_round_trip(photo)
    load = os.getloadavg()
    lines = [
        f"# Web app preview ({datetime.now(timezone.utc):%Y-%m-%d}, {machine()}, load average {load[0]:.1f} at the end)",
        "",
        "Photo: skimage's astronaut scaled to 1536x1536; the preview works on an 800-pixel copy.",
        "Measured on a shared machine while other jobs ran (load average in the title): server steps are",
        "the best of 5, the browser round trip the median of 7; alone the numbers are lower.",
        "",
        "| step | ms |",
        "|---|---|",
        *[f"| {label} | {ms:.0f} |" for label, ms in rows],
    ]
    if trip is not None:
        lines.append(f"| browser: strength typed -> new preview shown (median of 7, headless Chromium) | {trip:.0f} |")
    report("\n".join(lines), "web_preview.md", args.write)


if __name__ == "__main__":
    main()
