"""Others may reuse the series: LICENSE states both licences, and the README says how to credit.

Code is under MIT, the notebooks' text and figures under CC BY 4.0, with
one copyright holder; the README's "Reuse" section agrees with LICENSE,
gives a credit line naming this repository, and says that the seed
tutorial's own terms are unknown rather than inventing any.
"""

import re

from tests.helpers import GITHUB_REPO, ROOT


HOLDER = "The nn-from-scratch-numpy authors"


def reuse_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n## Reuse\n" in readme, "no Reuse section in README.md"
    return readme.split("\n## Reuse\n", 1)[1].split("\n## ", 1)[0]


def test_the_licence_file_gives_code_and_text_their_licences():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert f"Copyright (c) 2026 {HOLDER}" in licence
    assert "Permission is hereby granted, free of charge, to any person obtaining a copy" in licence  # MIT
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in licence
    assert "Creative Commons Attribution 4.0 International" in licence
    assert "https://creativecommons.org/licenses/by/4.0/legalcode" in licence
    for covered in ("nnlib/", "tools/", "tests/", "hub/", "notebooks"):
        assert covered in licence, f"LICENSE does not say what covers {covered}"


def test_the_readme_says_how_to_reuse_and_credit():
    section = reuse_section()
    assert "[LICENSE](LICENSE)" in section
    assert "MIT" in section and "CC BY 4.0" in section
    assert HOLDER.lower() in section.lower()
    credit = re.search(r"> Adapted from .+?CC BY 4\.0", section, re.S)
    assert credit, "no example credit line"
    assert f"https://github.com/{GITHUB_REPO}" in credit.group(0)


def test_the_seed_tutorials_terms_are_not_invented():
    """The seed's text names no author and no licence; the README says so and claims none for it."""
    seed = ROOT.parent / "shared" / "seed"
    texts = [path.read_text(encoding="utf-8") for path in seed.glob("*.txt")] if seed.is_dir() else []
    for text in texts:
        assert not re.search(r"licen[cs]e|copyright|all rights reserved", text, re.I), \
            "the seed now states terms: the README's Reuse section must say what they are"
    section = reuse_section()
    assert "states no" in section and "licence" in section
    assert "`nnlib/original.py`" in section
