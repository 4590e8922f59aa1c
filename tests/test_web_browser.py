"""The web app driven in a real headless browser: Debian's Chromium through its chromedriver
(Selenium; no browser is downloaded). One `stylekit serve` process serves the module.

Skipped where chromium and chromedriver are not installed; CI (`.ci/run`) installs them."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("gradio")
webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="needs Debian's chromium and chromium-driver"),
]
STYLEKIT = Path(sys.executable).parent / "stylekit"
MAX_PIXELS = 1_000_000


def gradient(height: int, width: int, seed: int) -> np.ndarray:
    """A small smooth photo with some colour in it, uint8."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width] / np.array([height, width]).reshape(2, 1, 1)
    base, slope = rng.uniform(0.2, 0.7, 3), rng.uniform(-0.3, 0.3, (2, 3))
    img = base + x[..., None] * slope[0] + y[..., None] * slope[1]
    return (np.clip(img, 0, 1) * 255).astype(np.uint8)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STYLEKIT_", "GRADIO_"))}
    env.update(STYLEKIT_HOME=str(home), HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    return env


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The files the tests upload."""
    folder = tmp_path_factory.mktemp("uploads")
    paths = {}
    for name, seed in [("me", 1), ("sess_a", 2), ("sess_b", 3), ("feed1", 4), ("feed2", 5), ("feed3", 6)]:
        paths[name] = folder / f"{name}.png"
        Image.fromarray(gradient(72, 96, seed)).save(paths[name])
    paths["big"] = folder / "big.png"  # 1.5 MB of noise: over the 1 MB upload limit
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (710, 710, 3), dtype=np.uint8)).save(paths["big"])
    paths["wide"] = folder / "wide.png"  # a small file of many pixels: over the pixel limit
    Image.new("RGB", (1200, 1000), (120, 130, 140)).save(paths["wide"])
    paths["fake"] = folder / "fake.jpg"
    paths["fake"].write_text("not a photo at all")
    return paths


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`stylekit serve` on a free port, with its own store and work folder."""
    root = tmp_path_factory.mktemp("web")
    home, share = root / "home", root / "share"
    port = _free_port()
    command = [str(STYLEKIT)] if STYLEKIT.exists() else [sys.executable, "-c", "from stylekit_cli import main; main()"]
    command += ["serve", "--port", str(port), "--share-dir", str(share), "--max-upload-mb", "1",
                "--max-pixels", str(MAX_PIXELS)]
    log = open(root / "server.log", "w")
    process = subprocess.Popen(command, env=_env(home), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("the web app did not start: " + (root / "server.log").read_text()[-2000:])
            time.sleep(0.3)
    yield {"url": url, "home": home, "share": share, "env": _env(home), "root": root}
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
    assert not any(share.iterdir()), "the server left its work folder behind"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Headless Chromium that saves downloads into a folder of its own."""
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never fetch a driver
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.downloads = downloads
    yield driver
    driver.quit()


def wait_for(condition, timeout: float = 60, what: str = "condition", show=None):
    """Poll `condition()` until it returns something truthy; on a timeout, say what
    `show()` gives (what the page shows instead)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
            if value:
                return value
        except Exception:  # the page is still rendering: elements come and go
            value = None
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}" + (f"; the page shows: {show()!r}" if show else ""))
        time.sleep(0.2)


def open_page(driver, server) -> None:
    """A fresh page load: a new browser session of the app."""
    driver.get(server["url"])
    wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#apply-photos input[type=file]"), what="the page")


def text_of(driver, elem_id: str) -> str:
    return driver.find_element(By.ID, elem_id).text


def upload(driver, elem_id: str, *paths: Path) -> None:
    driver.find_element(By.CSS_SELECTOR, f"#{elem_id} input[type=file]").send_keys("\n".join(map(str, paths)))


def click(find, what: str = "an element") -> None:
    """Click what `find()` returns, trying again while the page re-renders (stale or covered elements)."""
    wait_for(lambda: find().click() or True, what=f"a click on {what}")


def choose(driver, elem_id: str, option: str) -> None:
    """Pick `option` in the dropdown `elem_id`."""
    click(lambda: driver.find_element(By.CSS_SELECTOR, f"#{elem_id} input"), elem_id)
    click(lambda: [li for li in driver.find_elements(By.CSS_SELECTOR, "ul[role=listbox] li")
                   if li.text.splitlines()[-1] == option][0], f"option {option}")


def open_section(driver, title: str) -> None:
    """Open the accordion called `title`."""
    click(lambda: driver.find_element(By.XPATH, f"//*[normalize-space(text())='{title}']"), title)


def tab(driver, label: str) -> None:
    click(lambda: [b for b in driver.find_elements(By.CSS_SELECTOR, "button[role=tab]") if b.text == label][0], f"tab {label}")


def type_into(driver, selector: str, text: str) -> None:
    box = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, selector), what=selector)
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(text)
    box.send_keys(Keys.TAB)


def download(driver, elem_id: str, name: str) -> Path:
    """Click the download link in a File output and wait for the file."""
    target = driver.downloads / name
    target.unlink(missing_ok=True)
    click(lambda: [a for a in driver.find_elements(By.CSS_SELECTOR, f"#{elem_id} a") if a.get_attribute("download") == name][0],
          f"download link {name}")
    return wait_for(lambda: target if target.is_file() and target.stat().st_size > 0 else None, what=f"{name} downloaded")


def test_apply_a_look_and_download_the_same_pixels_as_the_cli(browser, server, files, tmp_path):
    import stylekit

    open_page(browser, server)
    upload(browser, "apply-photos", files["me"])
    click(lambda: [b for b in browser.find_elements(By.CSS_SELECTOR, "#apply-gallery button") if b.text == "Noir"][0], "Noir")
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#apply-look input").get_attribute("value") == "noir", what="noir chosen")
    first = wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#apply-preview img").get_attribute("src"), what="a preview")
    type_into(browser, "#apply-strength input[type=number]", "0.6")
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#apply-preview img").get_attribute("src") != first,
             what="the preview to follow the strength")
    click(lambda: browser.find_element(By.ID, "apply-render"), "apply-render")
    got = download(browser, "apply-result", "me_noir.png")

    reference = tmp_path / "me_noir.png"
    done = subprocess.run([str(STYLEKIT), "image", str(files["me"]), "-i", "noir", "--strength", "0.6", "-o", str(reference)],
                          env=server["env"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert np.array_equal(np.asarray(Image.open(got)), np.asarray(Image.open(reference)))
    meta = stylekit.inspect_image(got)["stylekit"]
    assert (meta["influencer"], meta["strength"], meta["source"]) == ("noir", 0.6, "me.png")

    styled = browser.find_element(By.CSS_SELECTOR, "#apply-preview img").get_attribute("src")
    click(lambda: [e for e in browser.find_elements(By.CSS_SELECTOR, "#apply-view label") if e.text == "Before"][0])
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#apply-preview img").get_attribute("src") != styled, what="before")
    click(lambda: browser.find_element(By.ID, "apply-render-all"), "apply-render-all")
    with zipfile.ZipFile(download(browser, "apply-result", "stylekit_results.zip")) as archive:
        assert archive.namelist() == ["me_noir.png"]
        assert np.array_equal(np.asarray(Image.open(archive.open("me_noir.png"))), np.asarray(Image.open(reference)))


def test_rewrite_a_caption_and_make_a_post(browser, server, files):
    import stylekit

    open_page(browser, server)
    tab(browser, "Write")
    text = "Had a nice day at the beach with my friends."
    type_into(browser, "#write-text textarea", text)
    click(lambda: browser.find_element(By.ID, "write-rewrite"), "write-rewrite")
    chosen = wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#write-chosen textarea").get_attribute("value"),
                      what="a rewrite")
    expected = stylekit.stylize_text(text, "aurora", 1.0, num=3, seed=0)
    assert chosen == expected[0] and chosen != text
    labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#write-candidates label")]
    assert labels == list(dict.fromkeys(expected))

    upload(browser, "post-photo", files["me"])
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#post-caption textarea").get_attribute("value") == text,
             what="the caption")
    click(lambda: browser.find_element(By.ID, "post-make"), "post-make")
    card = download(browser, "post-file", "post_aurora_square.jpg")
    assert Image.open(card).size == (1080, 1080)
    assert stylekit.inspect_image(card)["stylekit"]["layout"] == "square"
    assert "Caption on the card:" in text_of(browser, "write-status")


def test_a_tiny_training_survives_a_reload_and_joins_the_gallery(browser, server, files):
    open_page(browser, server)
    tab(browser, "Learn")
    type_into(browser, "#learn-name textarea, #learn-name input[type=text]", "webtiny")
    upload(browser, "learn-photos", files["feed1"], files["feed2"], files["feed3"])
    wait_for(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#learn-photos tr, #learn-photos .file")) >= 3
             or "feed3" in text_of(browser, "learn-photos"), what="the photos uploaded")
    click(lambda: browser.find_element(By.CSS_SELECTOR, "#learn-quick input"), "#learn-quick input")
    type_into(browser, "#learn-consent-by textarea, #learn-consent-by input[type=text]", "Test Person")
    type_into(browser, "#learn-consent textarea, #learn-consent input[type=text]", "I agree to this test")
    click(lambda: browser.find_element(By.ID, "learn-train"), "learn-train")
    wait_for(lambda: "'webtiny'" in text_of(browser, "learn-progress"), what="the training to start")
    wait_for(lambda: browser.execute_script("return window.localStorage.getItem('stylekit-training')"), what="the token kept")
    browser.refresh()  # the training goes on, and the page finds it again
    wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#apply-photos input[type=file]"), what="the page")
    tab(browser, "Learn")
    wait_for(lambda: "'webtiny': trained in" in text_of(browser, "learn-progress"), timeout=120,
             what="the training to finish", show=lambda: text_of(browser, "learn-progress") + text_of(browser, "learn-status"))
    assert "look:" in text_of(browser, "learn-progress")  # what the engine says it learned, as `stylekit train` prints it
    tab(browser, "Apply")
    wait_for(lambda: [b for b in browser.find_elements(By.CSS_SELECTOR, "#apply-gallery button") if b.text == "Webtiny"],
             what="the new look in the gallery")
    pack = subprocess.run([str(STYLEKIT), "styles", "show", "webtiny", "--json"], env=server["env"], capture_output=True, text=True)
    assert pack.returncode == 0 and "Test Person" in pack.stdout

    tab(browser, "Learn")  # export the new pack, and import it again under another name
    open_section(browser, "Style packs: import and export")
    choose(browser, "learn-export-name", "webtiny")
    click(lambda: browser.find_element(By.ID, "learn-export-button"), "learn-export-button")
    archive = download(browser, "learn-export-file", "webtiny.zip")
    upload(browser, "learn-import", archive)
    type_into(browser, "#learn-import-name textarea, #learn-import-name input[type=text]", "webtiny-copy")
    click(lambda: browser.find_element(By.ID, "learn-import-button"), "learn-import-button")
    wait_for(lambda: "Installed 'webtiny-copy'." in text_of(browser, "learn-status"), what="the import",
             show=lambda: text_of(browser, "learn-status"))


def test_oversize_too_many_pixels_and_non_image_uploads_show_a_message(browser, server, files):
    open_page(browser, server)
    upload(browser, "apply-photos", files["fake"])
    wait_for(lambda: "fake.jpg: not a photo stylekit reads" in text_of(browser, "apply-upload-status"), what="the non-image message")
    open_page(browser, server)
    upload(browser, "apply-photos", files["wide"])
    wait_for(lambda: f"wide.png is 1200x1000 (1,200,000 pixels), over this server's limit of {MAX_PIXELS:,}"
             in text_of(browser, "apply-upload-status"), what="the pixel-limit message")
    open_page(browser, server)
    upload(browser, "apply-photos", files["big"])
    wait_for(lambda: "exceed the maximum allowed size of 1.0 Mb" in browser.find_element(By.TAG_NAME, "body").text
             and "big.png" in browser.find_element(By.TAG_NAME, "body").text, what="the size-limit message")


def test_stylekit_errors_show_as_one_line_in_the_page(browser, server, files):
    open_page(browser, server)
    upload(browser, "apply-photos", files["me"])
    click(lambda: [b for b in browser.find_elements(By.CSS_SELECTOR, "#apply-gallery button") if b.text == "Sunset"][0], "Sunset")
    open_section(browser, "Mix with a second look")
    choose(browser, "apply-mix", "aurora")
    wait_for(lambda: "Cannot mix styles made by different engines" in text_of(browser, "apply-status"), what="the mix message",
             show=lambda: text_of(browser, "apply-status"))
    choose(browser, "apply-mix", "(no look)")
    wait_for(lambda: text_of(browser, "apply-status") == "", what="the message to go")
    open_section(browser, "Region")
    click(lambda: [e for e in browser.find_elements(By.CSS_SELECTOR, "#apply-region label") if e.text == "face"][0])
    wait_for(lambda: text_of(browser, "apply-status").startswith("No face found in the photo"), what="the no-face message",
             show=lambda: text_of(browser, "apply-status"))
    assert "Traceback" not in browser.find_element(By.TAG_NAME, "body").text


def test_which_influencer_is_like_me_ranks_every_look(browser, server, files):
    open_page(browser, server)
    tab(browser, "Which influencer is like me")
    upload(browser, "match-photos", files["feed1"], files["feed2"])
    wait_for(lambda: "feed2" in text_of(browser, "match-photos"), what="the photos uploaded")
    click(lambda: browser.find_element(By.ID, "match-go"), "match-go")
    table = wait_for(lambda: text_of(browser, "match-table") if "rank" in text_of(browser, "match-table") else None,
                     what="the ranking", show=lambda: text_of(browser, "match-status"))
    captions = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#match-gallery button") if b.text]
    assert captions[0].startswith("1. ") and {"aurora", "noir", "sunset", "xiaoman"} <= {c.split()[1] for c in captions}
    assert "Margin to the runner-up" in table
    assert "only 2 photo(s)" in text_of(browser, "match-status")  # too few photos for a reliable ranking: said


def _sessions_with(share: Path, name: str) -> list[Path]:
    return [p for p in share.glob("stylekit-web-*/sessions/*/photos/*") if p.name == name]


def test_two_sessions_do_not_see_each_others_files_and_clean_up(browser, server, files):
    open_page(browser, server)
    first = browser.current_window_handle
    upload(browser, "apply-photos", files["sess_a"])
    browser.switch_to.new_window("window")
    open_page(browser, server)
    upload(browser, "apply-photos", files["sess_b"])
    for handle, mine, other in [(browser.current_window_handle, "sess_b.png", "sess_a.png"), (first, "sess_a.png", "sess_b.png")]:
        browser.switch_to.window(handle)
        wait_for(lambda: browser.find_element(By.CSS_SELECTOR, "#apply-photo input").get_attribute("value") == mine,
                 what=f"{mine} listed")
        click(lambda: browser.find_element(By.CSS_SELECTOR, "#apply-photo input"), "#apply-photo input")
        options = wait_for(lambda: [o.text.splitlines()[-1] for o in browser.find_elements(By.CSS_SELECTOR, "ul[role=listbox] li")],
                           what="the list")
        assert mine in options and other not in options
        browser.find_element(By.CSS_SELECTOR, "#apply-photo input").send_keys(Keys.ESCAPE)
    a, b = (wait_for(lambda n=n: _sessions_with(server["share"], n), what=n) for n in ("sess_a.png", "sess_b.png"))
    assert len(a) == len(b) == 1 and a[0].parent != b[0].parent
    browser.switch_to.window([h for h in browser.window_handles if h != first][0])
    browser.close()  # closing the tab ends its session: its folder goes
    browser.switch_to.window(first)
    wait_for(lambda: not _sessions_with(server["share"], "sess_b.png"), what="the closed session's files removed")
    assert _sessions_with(server["share"], "sess_a.png")


def test_video_tab_styles_a_clip(browser, server, tmp_path):
    av = pytest.importorskip("av")
    from stylekit.web.tabs import can_style_video

    if not can_style_video():
        pytest.skip("this stylekit cannot style videos")
    clip = tmp_path / "clip.mp4"
    with av.open(str(clip), "w") as out:
        stream = out.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(12):
            frame = av.VideoFrame.from_ndarray(np.roll(gradient(48, 64, 7), i * 4, axis=1), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    open_page(browser, server)
    tab(browser, "Video")
    upload(browser, "video-clip", clip)
    wait_for(lambda: "clip" in text_of(browser, "video-clip"), what="the clip uploaded")
    click(lambda: browser.find_element(By.ID, "video-go"), "video-go")
    styled = download(browser, "video-result", "clip_aurora.mp4")
    with av.open(str(styled)) as got, av.open(str(clip)) as src:
        frames = [f.to_ndarray(format="rgb24") for f in got.decode(video=0)]
        originals = [f.to_ndarray(format="rgb24") for f in src.decode(video=0)]
    assert len(frames) == len(originals) == 12 and frames[0].shape == (48, 64, 3)
    assert np.abs(frames[0].astype(int) - originals[0].astype(int)).mean() > 2  # the look is on it
