"""Examples shown at the end of each command's `--help`: 2-4 lines a command is run with,
kept in one place (tests check that every command has some and that their flags exist)."""

from __future__ import annotations

from typing import Any

EXAMPLES: dict[str, list[str]] = {
    "image": [
        "stylekit image me.jpg -i sunset                         # writes me_sunset.jpg",
        "stylekit image me.jpg -i aurora --strength 0.5 -o half.jpg",
        "stylekit image holiday/ -i aurora:0.7,noir:0.3 --out-dir styled/",
        "stylekit image me.jpg -i sunset --caption \"weekend!\" --avatar --circle -o avatar.png",
    ],
    "text": [
        "stylekit text \"Had a nice day at the beach.\" -i aurora",
        "stylekit text \"Had a nice day at the beach.\" -i noir --num 3 --seed 1",
        "cat captions.txt | stylekit text - -i noir --json",
    ],
    "post": [
        "stylekit post me.jpg -i aurora --caption \"Beach day!\" -o post.jpg",
        "stylekit post me.jpg -i noir --caption \"Night out\" -o post.jpg --layout both",
    ],
    "video": [
        "stylekit video clip.mp4 -i aurora -o clip_aurora.mp4",
        "stylekit video clip.mp4 -i noir -s 0.8 --caption \"weekend!\"",
    ],
    "live": [
        "stylekit live --camera 0 -i aurora",
        "stylekit live --input clip.mp4 -i noir --port 0",
    ],
    "sheet": [
        "stylekit sheet me.jpg                                    # me_sheet.jpg, every look",
        "stylekit sheet me.jpg -o looks.jpg",
    ],
    "edits": ["stylekit edits", "stylekit edits --json"],
    "inspect": ["stylekit inspect me_sunset.jpg", "stylekit inspect me_sunset.jpg --json"],
    "plugins": ["stylekit plugins", "stylekit plugins --all --json"],
    "engines": ["stylekit engines", "stylekit engines --json"],
    "recommend": [
        "stylekit recommend --photos my_photos/",
        "stylekit recommend --photos my_photos/ --posts my_posts.txt --json",
    ],
    "serve": ["stylekit serve", "stylekit serve --port 8080"],
    "train image": [
        "stylekit train image -i mine --photos feed/              # the default engine",
        "stylekit train image -i quick --photos feed/ --quick      # the look prior's estimate, seconds",
        "stylekit train image -i mine --photos feed/ --resume      # after Ctrl-C",
        "stylekit train image -i film --lut preset.cube           # a look from a .cube preset",
    ],
    "train text": [
        "stylekit train text -i mine --posts posts.txt",
        "stylekit train text -i mine --posts posts.jsonl --steps 2000 --seed 1",
        "stylekit train text -i mine --posts posts.txt --resume   # after Ctrl-C",
    ],
    "styles list": ["stylekit styles list", "stylekit styles list --json"],
    "styles show": ["stylekit styles show sunset", "stylekit styles show sunset --json"],
    "styles import": ["stylekit styles import mine.zip", "stylekit styles import mine.zip --name other"],
    "styles export": ["stylekit styles export mine -o mine.zip",
                      "stylekit styles export mine -o mine.zip --overwrite"],
    "styles export-lut": ["stylekit styles export-lut sunset -o sunset.cube",
                          "stylekit styles export-lut aurora -o aurora.cube   # says what a .cube cannot hold"],
    "styles remove": ["stylekit styles remove mine", "stylekit styles remove mine --yes"],
}


def examples_epilog(lines: list[str]) -> str:
    """The examples as a help epilog whose lines are kept as written (`\\b`)."""
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in lines)


def add_examples(app: Any) -> None:
    """Give every built-in command of the Typer `app` its examples (after its own epilog)."""

    def walk(typer_app: Any, prefix: str) -> None:
        for info in typer_app.registered_commands:
            name = f"{prefix}{info.name or info.callback.__name__}"
            if name in EXAMPLES and not info.epilog:
                info.epilog = examples_epilog(EXAMPLES[name])
        for group in typer_app.registered_groups:
            walk(group.typer_instance, f"{prefix}{group.name} " if group.name else prefix)

    walk(app, "")
