"""Fetch the website's JavaScript (MathJax, the ipywidgets embedder, reveal.js) from npm.

The built site must work with no network, so it serves these files itself
instead of loading them from a CDN. They are pinned here by version and by the
registry's integrity hash, fetched with `npm pack`, and unpacked into
``assets/vendor/`` (listed in ``html_static_path``; not under ``_static/``,
whose every ``*.js`` Jupyter Book would inject into every page).

    python tools/vendor_assets.py     # does nothing when the pinned files are there
"""
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "assets" / "vendor"

# name, version, integrity (sha512 of the tarball, as the registry publishes it),
# folder inside the package to keep ("" for all of it), folder under assets/vendor/ to put it in.
PACKAGES = [
    ("mathjax", "3.2.2",
     "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
     "es5", "mathjax"),
    ("@jupyter-widgets/html-manager", "1.0.15",
     "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
     "dist", "html-manager"),
    # The lecture decks (tools/slides.py): reveal.js and its speaker-notes plugin.
    ("reveal.js", "5.2.1",
     "sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ==",
     "dist", "reveal/dist"),
    ("reveal.js", "5.2.1",
     "sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ==",
     "plugin/notes", "reveal/plugin/notes"),
    # Not served by the site: the accessibility audit (tools/site_audit.py) injects it.
    ("axe-core", "4.14.1",
     "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
     "", "../../tests/vendor/axe-core"),
]
# Of MathJax, only what the site loads: the combined TeX-to-CommonHTML component
# (which carries the menu and the assistive MathML that screen readers read), its
# fonts, and of the TeX extensions its autoloader fetches for rarer macros the one the
# book uses (boldsymbol; a chapter that needs another makes the site tests fail on the
# missing file: add it here). The speech explorer (sre, 4 MB) and the other combined
# builds stay out.
KEEP = {"mathjax": ("tex-chtml.js", "output/chtml/fonts/woff-v2/",
                    "input/tex/extensions/boldsymbol.js"),
        # Of reveal.js, what the decks load: the script, its styles, the white theme with its
        # font, and the speaker-notes plugin (the other themes weigh 2 MB).
        "reveal.js": ("reveal.js", "reveal.css", "theme/white.css", "notes.js",
                      *(f"theme/fonts/source-sans-pro/source-sans-pro{part}"
                        for part in (".css", "-regular.woff", "-italic.woff", "-semibold.woff",
                                     "-semibolditalic.woff")))}
# Files of a kept folder that the site never loads (source maps, the AMD builds
# that would also need require.js).
SKIPPED_SUFFIXES = (".map", "-amd.js")


def integrity(path: Path) -> str:
    """The npm-style sha512 integrity string of a file."""
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(name: str, version: str, expected: str, folder: str, target: Path) -> None:
    """Download one pinned package with npm and unpack `folder` of it into `target`."""
    with tempfile.TemporaryDirectory() as scratch:
        output = subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", scratch],
            check=True, capture_output=True, text=True, cwd=scratch).stdout
        tarball = Path(scratch) / json.loads(output)[0]["filename"]
        found = integrity(tarball)
        if found != expected:
            raise RuntimeError(f"{name}@{version}: integrity {found} is not the pinned {expected}")
        if target.exists():
            shutil.rmtree(target)
        prefix = f"package/{folder}/" if folder else "package/"
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                if (not member.isfile() or not member.name.startswith(prefix)
                        or member.name.endswith(SKIPPED_SUFFIXES)
                        or not member.name[len(prefix):].startswith(KEEP.get(name, ""))):
                    continue
                destination = target / member.name[len(prefix):]
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(archive.extractfile(member).read())
            license_file = "package/LICENSE"
            if license_file in archive.getnames():
                (target / "LICENSE").write_bytes(archive.extractfile(license_file).read())


def main() -> None:
    stamp = VENDOR / "versions.json"
    wanted = {name: version for name, version, *_ in PACKAGES}
    wanted["kept"] = {name: list(prefixes) for name, prefixes in KEEP.items()}  # as JSON reads back
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return
    if shutil.which("npm") is None:
        sys.exit("npm is needed to fetch the site's JavaScript (apt-get install npm)")
    for name, version, expected, folder, subdirectory in PACKAGES:
        fetch(name, version, expected, folder, VENDOR / subdirectory)
        print(f"vendored {name}@{version} into {(VENDOR / subdirectory).relative_to(ROOT)}")
    stamp.write_text(json.dumps(wanted, indent=1) + "\n")


if __name__ == "__main__":
    main()
