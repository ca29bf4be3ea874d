"""Getting started without Rust: the artefacts of `make release`, installed as an author would
install them (the wheel into a fresh venv, the npm packages into a fresh folder, the archive
unpacked), each run with a PATH that holds no Rust toolchain: `new`, `check`, `build` and
`package --scorm12` must work, with the player inside."""

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
import requests

from conftest import ROOT
from lrs import free_port

ARTIFACTS = ROOT / "target" / "release-artifacts"
# What an author's machine has: the system's programs, not ~/.cargo/bin.
SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


def artifact(pattern):
    found = sorted(ARTIFACTS.glob(pattern))
    assert len(found) == 1, f"{pattern} in {ARTIFACTS}: {found} (run `make release`)"
    return found[0]


def author_env(bin_dir):
    path = f"{bin_dir}:{SYSTEM_PATH}"
    for tool in ("cargo", "rustc", "trunk"):
        assert shutil.which(tool, path=path) is None, f"{tool} is on the author's PATH"
    return {"PATH": path, "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}


def run(command, cwd, env):
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{command}: {done.stdout}\n{done.stderr}"
    return done


def author_journey(parcours, workdir, env):
    """What the README's first commands do, from an empty folder."""
    version = run(parcours + ["--version"], workdir, env).stdout
    assert "(player " in version and "none embedded" not in version, version
    run(parcours + ["new", "mon-cours"], workdir, env)
    checked = run(parcours + ["check", "mon-cours"], workdir, env)
    assert "0 warning(s)" in checked.stderr, checked.stderr
    run(parcours + ["build", "mon-cours", "-o", "site"], workdir, env)
    assert (workdir / "site" / "index.html").is_file()
    assert list((workdir / "site").glob("parcours-player-*_bg.wasm")), "the site carries the player"
    run(parcours + ["package", "mon-cours", "--scorm12", "-o", "mon-cours.zip"], workdir, env)
    with zipfile.ZipFile(workdir / "mon-cours.zip") as package:
        assert "imsmanifest.xml" in package.namelist()
    said = run(parcours + ["self-check"], workdir, env).stdout
    assert "Ready:" in said, said


def test_the_wheel_installs_into_a_fresh_venv_and_works_without_rust(tmp_path):
    wheel = artifact("parcours-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    # Offline, from the file: nothing is fetched.
    run([str(venv / "bin" / "pip"), "install", "--no-index", "--quiet", str(wheel)], tmp_path, dict(os.environ))
    assert (venv / "bin" / "parcours").is_file()
    work = tmp_path / "work"
    work.mkdir()
    author_journey(["parcours"], work, author_env(venv / "bin"))


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_the_npm_packages_install_into_a_fresh_folder_and_npx_runs_parcours_without_rust(tmp_path):
    main, platform = artifact("parcours-[0-9]*.tgz"), artifact("parcours-cli-linux-x64-*.tgz")
    project = tmp_path / "projet"
    project.mkdir()
    node_dir = Path(shutil.which("node")).parent
    env = author_env(node_dir)
    env["npm_config_cache"] = str(tmp_path / "npm-cache")
    # Offline, from the two files: the platform package is the optional dependency npm would fetch.
    run(["npm", "install", "--offline", "--no-audit", "--no-fund", str(platform), str(main)], project, env)
    author_journey(["npx", "--no-install", "parcours"], project, env)


def test_the_archive_holds_the_binary_readme_and_licences_and_its_checksum_is_right(tmp_path):
    archive = artifact("parcours-*-x86_64-unknown-linux-gnu.tar.gz")
    expected = (archive.parent / (archive.name + ".sha256")).read_text().split()[0]
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == expected
    with tarfile.open(archive) as tar:
        names = {Path(n).name for n in tar.getnames()}
        assert {"parcours", "README.md", "LICENSE-MIT", "LICENSE-APACHE"} <= names, names
        tar.extractall(tmp_path, filter="data")
    [folder] = [p for p in tmp_path.iterdir() if p.is_dir()]
    work = tmp_path / "work"
    work.mkdir()
    author_journey([str(folder / "parcours")], work, author_env(folder))


def readme_install_recipes():
    """The README's install recipes, as written: the first `sh` block of its authors' section,
    one recipe per comment line."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## For course authors"):]
    block = section[section.index("```sh\n") + 6:section.index("```", section.index("```sh\n") + 6)]
    recipes, current = [], None
    for line in block.splitlines():
        if line.startswith("#"):
            current = [line]
            recipes.append(current)
        elif line.strip() and current is not None:
            current.append(line)
    return recipes


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
def test_the_readmes_install_recipes_run_as_written_and_put_parcours_within_reach(tmp_path):
    recipes = readme_install_recipes()
    assert [r[0].split(",")[0].split(":")[0] for r in recipes] == \
        ["# The wheel", "# Or the npm packages", "# Or the binary"], recipes
    node_dir = Path(shutil.which("node")).parent
    for number, recipe in enumerate(recipes):
        folder = tmp_path / f"recipe-{number}"
        home = folder / "home"
        home.mkdir(parents=True)
        for made in ARTIFACTS.iterdir():
            shutil.copy(made, folder / made.name)
        env = author_env(node_dir)
        # Offline: the wheel and the npm packages need nothing from an index.
        env.update(HOME=str(home), PIP_NO_INDEX="1", npm_config_offline="true",
                   npm_config_cache=str(folder / "npm-cache"))
        # `npx parcours` where the README says `parcours`, in the npm recipe's folder.
        parcours = "npx --no-install parcours" if "npm install" in "\n".join(recipe) else "parcours"
        script = "\n".join(["set -euo pipefail", *recipe[1:], f"{parcours} --version", f"{parcours} self-check"])
        done = subprocess.run(["bash", "-c", script], cwd=folder, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{recipe[0]}\n{done.stdout}\n{done.stderr}"
        assert "(player " in done.stdout and "Ready:" in done.stdout, done.stdout


WINE = shutil.which("wine")


@pytest.mark.skipif(WINE is None or shutil.which("x86_64-w64-mingw32-gcc") is None,
                    reason="wine and mingw-w64 are installed by `scripts/setup.sh release`")
def test_the_windows_zip_runs_under_wine_new_check_build_and_preview(tmp_path):
    """Most public servants' machines run Windows: the zip of `make release` is checked against
    its SHA-256, unpacked, and parcours.exe runs under Debian's wine as an author would use it."""
    archive = artifact("parcours-*-x86_64-pc-windows-gnu.zip")
    expected = (archive.parent / (archive.name + ".sha256")).read_text().split()[0]
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == expected
    with zipfile.ZipFile(archive) as package:
        names = {Path(n).name for n in package.namelist()}
        assert {"parcours.exe", "README.md", "LICENSE-MIT", "LICENSE-APACHE"} <= names, names
        package.extractall(tmp_path)
    [folder] = [p for p in tmp_path.iterdir() if p.is_dir()]
    # Wine 8 lacks a DLL every Windows 10 has (tests/windows/bcryptprimitives.c says which).
    subprocess.run(["x86_64-w64-mingw32-gcc", "-shared", "-O2", "-o", str(folder / "bcryptprimitives.dll"),
                    str(ROOT / "tests" / "windows" / "bcryptprimitives.c"), "-ladvapi32"], check=True, timeout=120)
    work = tmp_path / "Mes documents"
    work.mkdir()
    env = dict(author_env(Path(WINE).parent), WINEPREFIX=str(tmp_path / "wine"), WINEDEBUG="-all")
    exe = [WINE, str(folder / "parcours.exe")]

    version = run(exe + ["--version"], work, env).stdout
    assert "(player " in version and "none embedded" not in version, version
    said = run(exe + ["self-check"], work, env).stdout
    assert "Ready:" in said and "the Windows default browser" in said, said
    run(exe + ["new", "mon-cours", "--title", "Mon parcours"], work, env)
    checked = run(exe + ["check", "mon-cours"], work, env)
    assert "0 warning(s)" in checked.stderr, checked.stderr

    # A mistake is located with the path as the author typed it, in Windows' own spelling.
    manifest = work / "mon-cours" / "course.toml"
    manifest.write_text(manifest.read_text().replace('lessons = ["introduction.md"', 'lessons = ["absente.md"'))
    broken = subprocess.run(exe + ["check", "mon-cours\\"], cwd=work, env=env, capture_output=True, text=True,
                            timeout=300)
    assert broken.returncode == 1, broken.stderr
    assert "--> mon-cours\\course.toml:" in broken.stderr, broken.stderr
    manifest.write_text(manifest.read_text().replace('lessons = ["absente.md"', 'lessons = ["introduction.md"'))

    run(exe + ["build", "mon-cours", "-o", "site"], work, env)
    assert (work / "site" / "index.html").is_file()

    port = free_port()
    preview = subprocess.Popen(exe + ["preview", "mon-cours", "--port", str(port)], cwd=work, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = requests.get(f"http://127.0.0.1:{port}/learn/mon-cours", timeout=5)
                break
            except requests.ConnectionError:
                assert preview.poll() is None, preview.stderr.read().decode()
                assert time.monotonic() < deadline, "preview did not answer within 60 s"
                time.sleep(0.5)
        assert page.status_code == 200 and "Mon parcours" in page.text, page.text[:500]
    finally:
        preview.terminate()
        preview.wait(timeout=30)
