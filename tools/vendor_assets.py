"""Fetch the site's JavaScript and fonts, and the build's MathJax, pinned, from npm.

The built site must work with no network, so it serves these files itself
instead of loading them from a CDN. They are pinned here by version and by the
registry's integrity hash, fetched with `npm pack`, and unpacked into
``assets/vendor/`` (listed in ``html_static_path``; not under ``_static/``,
whose every ``*.js`` Jupyter Book would inject into every page). MathJax itself
goes to ``tools/vendor/mathjax/``: the build runs it with Node to typeset the math
(tools/site_math.py); the site ships only its fonts.

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
from typing import Tuple

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "assets" / "vendor"

MATHJAX = ("mathjax", "3.2.2",
           "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
           "es5")
REVEAL = ("reveal.js", "5.2.1",
          "sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ==")
# name, version, integrity (sha512 of the tarball, as the registry publishes it), folder
# inside the package to keep ("" for all of it), folder (from the repository's root) to put
# it in, and the paths in that folder to keep (prefixes; empty for everything).
PACKAGES = [
    # MathJax typesets the math when the site is built (tools/site_math.py): Node loads its
    # TeX input (with the extensions it autoloads), its CommonHTML output with the TeX
    # font's metrics, and the assistive MathML; not shipped.
    (*MATHJAX, "tools/vendor/mathjax",
     ("node-main.js", "input/tex.js", "input/tex/extensions/", "output/chtml.js",
      "output/chtml/fonts/tex.js", "a11y/assistive-mml.js")),
    # The site ships only MathJax's web fonts, which its stylesheet names.
    (*MATHJAX, "assets/vendor/mathjax", ("output/chtml/fonts/woff-v2/",)),
    ("@jupyter-widgets/html-manager", "1.0.15",
     "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
     "dist", "assets/vendor/html-manager", ()),
    # The lecture decks (tools/slides.py): reveal.js, its styles, the white theme with its
    # font (the other themes weigh 2 MB), and the speaker-notes plugin.
    (*REVEAL, "dist", "assets/vendor/reveal/dist",
     ("reveal.js", "reveal.css", "theme/white.css",
      *(f"theme/fonts/source-sans-pro/source-sans-pro{part}"
        for part in (".css", "-regular.woff", "-italic.woff", "-semibold.woff",
                     "-semibolditalic.woff")))),
    (*REVEAL, "plugin/notes", "assets/vendor/reveal/plugin/notes", ("notes.js",)),
    # Not served by the site: the accessibility audit (tools/site_audit.py) injects it.
    ("axe-core", "4.14.1",
     "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
     "", "tests/vendor/axe-core", ()),
]
# Files of a kept folder that the site never loads (source maps, the AMD builds
# that would also need require.js).
SKIPPED_SUFFIXES = (".map", "-amd.js")


def integrity(path: Path) -> str:
    """The npm-style sha512 integrity string of a file."""
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def download(name: str, version: str, expected: str, scratch: Path) -> Path:
    """The tarball of one pinned package, fetched with npm into `scratch` and checked."""
    output = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(scratch)],
        check=True, capture_output=True, text=True, cwd=scratch).stdout
    tarball = scratch / json.loads(output)[0]["filename"]
    found = integrity(tarball)
    if found != expected:
        raise RuntimeError(f"{name}@{version}: integrity {found} is not the pinned {expected}")
    return tarball


def unpack(tarball: Path, folder: str, target: Path, keep: Tuple[str, ...]) -> None:
    """Unpack the paths `keep` of the package's `folder` (all of it when `keep` is empty)
    into `target`, with the package's licence."""
    if target.exists():
        shutil.rmtree(target)
    prefix = f"package/{folder}/" if folder else "package/"
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            if (not member.isfile() or not member.name.startswith(prefix)
                    or member.name.endswith(SKIPPED_SUFFIXES)
                    or not member.name[len(prefix):].startswith(keep or "")):
                continue
            destination = target / member.name[len(prefix):]
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.extractfile(member).read())
        license_file = "package/LICENSE"
        if license_file in archive.getnames():
            (target / "LICENSE").write_bytes(archive.extractfile(license_file).read())


def main() -> None:
    stamp = VENDOR / "versions.json"
    wanted = {"packages": [[name, version, target, list(keep)]  # as JSON reads it back
                           for name, version, _, _, target, keep in PACKAGES]}
    if (stamp.exists() and json.loads(stamp.read_text()) == wanted
            and all((ROOT / target).is_dir() for *_, target, _ in PACKAGES)):
        return
    if shutil.which("npm") is None:
        sys.exit("npm is needed to fetch the site's JavaScript (apt-get install npm)")
    with tempfile.TemporaryDirectory() as scratch:
        tarballs = {}
        for name, version, expected, folder, target, keep in PACKAGES:
            if (name, version) not in tarballs:
                tarballs[name, version] = download(name, version, expected, Path(scratch))
            unpack(tarballs[name, version], folder, ROOT / target, keep)
            print(f"vendored {name}@{version} into {target}")
    VENDOR.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps(wanted, indent=1) + "\n")


if __name__ == "__main__":
    main()
