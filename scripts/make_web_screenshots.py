"""Screenshots of each tab of the web app for the README (docs/img/web_*.jpg).

Starts `stylekit serve` with an empty store in a temporary folder, drives it in Debian's
headless Chromium (Selenium with /usr/bin/chromedriver; nothing is downloaded) with the
example photos, and saves one JPEG per tab.

    python scripts/make_web_screenshots.py [--out docs/img]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = ROOT / "examples" / "photos"


def wait_for(condition, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # still rendering
            pass
        time.sleep(0.3)
    raise TimeoutError("the page did not get there")


def pan_clip(path: Path, frames: int = 48) -> Path:
    """A two-second clip panning across coffee.jpg (PyAV, the video extra)."""
    import av
    import numpy as np

    photo = np.asarray(Image.open(PHOTOS / "coffee.jpg").convert("RGB"))
    h, w = 240, 320
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        for i in range(frames):
            x = round(i * (photo.shape[1] - w) / (frames - 1))
            for packet in stream.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(photo[:h, x : x + w]), format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="stylekit-shots-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "STYLEKIT_HOME": str(work / "home"), "GRADIO_ANALYTICS_ENABLED": "False"}
    stylekit = Path(sys.executable).parent / "stylekit"
    server = subprocess.Popen([str(stylekit), "serve", "--port", str(port), "--share-dir", str(work / "share")], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1250", "--hide-scrollbars"):
        options.add_argument(arg)
    driver = None
    try:
        wait_for(lambda: urllib.request.urlopen(url, timeout=2).read())
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
        find = driver.find_element

        def tab(label: str) -> None:
            [b for b in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]") if b.text == label][0].click()
            time.sleep(0.5)

        def typed(selector: str, text: str) -> None:
            box = find(By.CSS_SELECTOR, selector)
            box.send_keys(Keys.CONTROL, "a")
            box.send_keys(text)
            box.send_keys(Keys.TAB)

        def shot(name: str) -> None:
            driver.execute_script("window.scrollTo(0, 0)")
            time.sleep(1.0)
            image = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
            image.save(args.out / f"web_{name}.jpg", quality=82, optimize=True)
            print(f"wrote {args.out / f'web_{name}.jpg'}")

        driver.get(url)
        wait_for(lambda: find(By.CSS_SELECTOR, "#apply-photos input[type=file]"))
        find(By.CSS_SELECTOR, "#apply-photos input[type=file]").send_keys(
            "\n".join(str(PHOTOS / n) for n in ("coffee.jpg", "chelsea.jpg")))
        wait_for(lambda: [b for b in driver.find_elements(By.CSS_SELECTOR, "#apply-gallery button") if b.text == "Aurora"])[0].click()
        wait_for(lambda: find(By.CSS_SELECTOR, "#apply-look input").get_attribute("value") == "aurora")
        typed("#apply-strength input[type=number]", "0.8")
        wait_for(lambda: find(By.CSS_SELECTOR, "#apply-preview img"))
        shot("apply")

        tab("Write")
        typed("#write-text textarea", "Had a nice day at the beach with my friends.")
        find(By.ID, "write-rewrite").click()
        wait_for(lambda: find(By.CSS_SELECTOR, "#write-chosen textarea").get_attribute("value"))
        find(By.CSS_SELECTOR, "#post-photo input[type=file]").send_keys(str(PHOTOS / "coffee.jpg"))
        time.sleep(2)
        find(By.ID, "post-make").click()
        wait_for(lambda: find(By.CSS_SELECTOR, "#post-image img"))
        shot("write")

        tab("Learn")
        typed("#learn-name textarea, #learn-name input[type=text]", "mylook")
        find(By.CSS_SELECTOR, "#learn-photos input[type=file]").send_keys(
            "\n".join(str(PHOTOS / n) for n in ("astronaut.jpg", "rocket.jpg", "chelsea.jpg")))
        time.sleep(2)
        typed("#learn-consent-by textarea, #learn-consent-by input[type=text]", "Me")
        typed("#learn-consent textarea, #learn-consent input[type=text]", "My own photos; I agree.")
        find(By.ID, "learn-train").click()
        wait_for(lambda: "left" in find(By.ID, "learn-progress").text or "trained" in find(By.ID, "learn-progress").text)
        shot("learn")

        tab("Which influencer is like me")
        find(By.CSS_SELECTOR, "#match-photos input[type=file]").send_keys(
            "\n".join(str(PHOTOS / n) for n in ("coffee.jpg", "chelsea.jpg", "astronaut.jpg", "rocket.jpg")))
        time.sleep(2)
        find(By.ID, "match-go").click()
        wait_for(lambda: "rank" in find(By.ID, "match-table").text)
        shot("match")

        if [b for b in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]") if b.text == "Video"]:
            tab("Video")
            find(By.CSS_SELECTOR, "#video-clip input[type=file]").send_keys(str(pan_clip(work / "coffee_pan.mp4")))
            time.sleep(2)
            find(By.ID, "video-go").click()
            wait_for(lambda: find(By.CSS_SELECTOR, "#video-result a"))
            shot("video")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
