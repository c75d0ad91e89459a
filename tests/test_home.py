"""One person's site: the root is their page, the footer and the report link as site.yaml says,
the description for search engines; checked through the command line, a crawl under a prefix
and clicks in Chromium."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import run_cli, write_corpus
from test_deploy import crawl
from test_paper_pages import EINSTEIN, SCRAPED

ONE = """title: Albert Einstein
description: Physicist; papers on relativity and light quanta.
footer: Kept by Albert, rebuilt on every push.
{report}profiles:
  - name: Albert Einstein
    sources: [einstein.bib, scraped.txt]
"""


def build_one(tmp_path, report: str = "", extra: str = ""):
    files = {"site.yaml": ONE.format(report=report) + extra, "einstein.bib": EINSTEIN, "scraped.txt": SCRAPED}
    seeds = write_corpus(tmp_path / "seeds", files)
    return run_cli("build", "--seeds", seeds, "--out", tmp_path / "out"), tmp_path / "out"


def test_with_one_profile_the_root_is_the_persons_page(tmp_path):
    result, out = build_one(tmp_path)
    assert result.returncode == 0, result.stderr
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<h1>Albert Einstein</h1>" in home and home.count('<article class="card"') == 3
    assert "<title>Albert Einstein</title>" in home
    assert '<meta name="description" content="Physicist; papers on relativity and light quanta.">' in home
    assert 'aria-label="Site"' not in home  # no directory of one profile to link
    assert "Kept by Albert, rebuilt on every push." in home and "scraped profile pages" not in home
    assert '<a href="report.html">Build report</a>' in home  # the report: from the footer only
    assert 'href="albert-einstein/papers.bib"' in home and 'href="albert-einstein/feed.xml"' in home
    assert (out / "albert-einstein" / "index.html").is_file()  # old links keep working


def test_report_false_links_the_report_nowhere(tmp_path):
    result, out = build_one(tmp_path, "report: false\nsite_url: https://albert.example.org/\n")
    assert result.returncode == 0, result.stderr
    for page in out.rglob("*.html"):
        if page.name != "report.html":  # written, for the one who builds; linked from nowhere
            assert 'report.html"' not in page.read_text(encoding="utf-8"), page
    assert '<meta name="robots" content="noindex">' in (out / "report.html").read_text(encoding="utf-8")
    assert "report.html" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    canonical = '<link rel="canonical" href="https://albert.example.org/">'
    assert canonical in (out / "index.html").read_text(encoding="utf-8")
    assert canonical in (out / "albert-einstein" / "index.html").read_text(encoding="utf-8")  # one page, one address


def test_every_link_of_a_one_person_site_works_under_a_prefix(tmp_path, http_root):
    root, origin = http_root
    result, out = build_one(tmp_path)
    assert result.returncode == 0, result.stderr
    shutil.copytree(out, root / "albert")
    statuses = crawl(f"{origin}/albert/index.html")
    assert {url: status for url, status in statuses.items() if status != 200} == {}
    assert len([url for url in statuses if "/papers/" in url]) == 3


def test_from_the_home_page_a_paper_page_and_back(browser, tmp_path):
    result, out = build_one(tmp_path)
    assert result.returncode == 0, result.stderr
    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    page.locator("article.card", has_text="Moving Bodies").locator("a.action", has_text="Details").click()
    page.wait_for_load_state("load")
    assert "/papers/on-the-electrodynamics-of-moving-bodies/" in page.url
    page.locator(".also-on a", has_text="Albert Einstein").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("albert-einstein/index.html#on-the-electrodynamics-of-moving-bodies")
    page.close()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("report: no thanks\n", "site.yaml:4:"),
        ("footr: Mine\n", "did you mean 'footer'"),
    ],
)
def test_a_wrong_setting_is_an_error_at_its_line(tmp_path, line, expected):
    result, out = build_one(tmp_path, line)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert expected in result.stderr
    assert not out.exists()


def test_a_site_of_several_profiles_keeps_its_directory(shipped_site):
    home = (shipped_site / "index.html").read_text(encoding="utf-8")
    assert 'class="profile-grid"' in home and 'aria-label="Site"' in home
    assert json.loads((shipped_site / "papers.json").read_text(encoding="utf-8"))["profiles"]


def test_the_readmes_fork_steps_give_a_working_site(tmp_path):
    """Step 2 of "Make it your homepage", as the README writes it, then step 3: the shipped
    example's files gone, the user's BibTeX and one-profile site.yaml build cleanly."""
    import re

    from conftest import ROOT, SEEDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [command] = re.findall(r"`git rm ([^`]+)`", readme)
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    for pattern in command.split():
        for path in seeds.parent.glob(pattern):
            path.unlink()
    (seeds / "site.yaml").write_text(
        "title: Albert Einstein\nprofiles:\n  - name: Albert Einstein\n    sources: ['*.bib']\n"
    )
    (seeds / "einstein.bib").write_text(EINSTEIN, encoding="utf-8")
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "0 warnings" in result.stdout
    assert sorted(path.name for path in seeds.iterdir()) == ["einstein.bib", "site.yaml"]


def picture(size: tuple[int, int], format_name: str = "PNG", mode: str = "RGB", exif: dict | None = None) -> bytes:
    """A picture whose top half is red and bottom half blue (a transparent centre in RGBA)."""
    import io

    from PIL import Image

    image = Image.new(mode, size, "blue")
    image.paste("red", (0, 0, size[0], size[1] // 2))
    if mode == "RGBA":
        image.paste((0, 0, 0, 0), (size[0] // 2 - 2, size[1] // 2 - 2, size[0] // 2 + 2, size[1] // 2 + 2))
    buffer = io.BytesIO()
    options = {"exif": exif_bytes(exif)} if exif else {}
    image.save(buffer, format_name, **options)
    return buffer.getvalue()


def exif_bytes(tags: dict) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif.update(tags)
    return exif.tobytes()


def opened(path):
    import io

    from PIL import Image

    return Image.open(io.BytesIO(path.read_bytes()))


PHOTO_SITE = (
    "title: Albert Einstein\nprofiles:\n  - name: Albert Einstein\n    photo: {photo}\n    sources: [einstein.bib]\n"
)


ORIENTATION, GPS_INFO = 0x0112, 0x8825


def test_a_photo_is_sized_turned_upright_stripped_and_shown_in_the_header(browser, tmp_path):
    """A phone's 1200x800 JPEG stored on its side (orientation 6: turn it a quarter clockwise),
    with a GPS tag: written as the 336 px centre square, upright, with no camera metadata."""
    sideways = picture((1200, 800), "JPEG", exif={ORIENTATION: 6, GPS_INFO: {1: "N"}})
    files = {"site.yaml": PHOTO_SITE.format(photo="me.jpeg"), "einstein.bib": EINSTEIN, "me.jpeg": sideways}
    seeds = write_corpus(tmp_path / "seeds", files)
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    written_bytes = (tmp_path / "out" / "albert-einstein" / "photo.jpg").read_bytes()
    written = opened(tmp_path / "out" / "albert-einstein" / "photo.jpg")
    assert written.format == "JPEG" and written.size == (336, 336)
    assert dict(written.getexif()) == {}
    left, right = written.getpixel((20, 168)), written.getpixel((316, 168))  # turned: red went right
    assert left[2] > 200 > left[0] and right[0] > 200 > right[2]
    for path in ("index.html", "albert-einstein/index.html"):
        page = browser.new_page()
        page.goto((tmp_path / "out" / path).as_uri())
        photo = page.locator(".profile-header img.photo")
        assert photo.get_attribute("alt") == "Albert Einstein"
        assert page.evaluate("document.querySelector('img.photo').naturalWidth") == 336  # it loaded
        assert photo.bounding_box()["width"] == 112
        page.close()
    again = run_cli("build", "--seeds", seeds, "--out", tmp_path / "again")
    assert again.returncode == 0
    assert (tmp_path / "again" / "albert-einstein" / "photo.jpg").read_bytes() == written_bytes


@pytest.mark.parametrize(
    ("name", "content", "written_as", "size"),
    [
        (
            "me.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><circle r="4"/></svg>',
            "photo.svg",
            None,
        ),
        ("me.png", picture((40, 60), mode="RGBA"), "photo.png", (40, 40)),  # never enlarged
        ("me.gif", picture((500, 500), "GIF"), "photo.png", (336, 336)),
        ("me.webp", picture((900, 400), "WEBP"), "photo.webp", (336, 336)),
    ],
)
def test_each_kind_of_photo_is_written_square_in_a_format_browsers_show(tmp_path, name, content, written_as, size):
    files = {"site.yaml": PHOTO_SITE.format(photo=name), "einstein.bib": EINSTEIN, name: content}
    seeds = write_corpus(tmp_path / "seeds", files)
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    if size is None:  # a vector picture, written as it is
        assert (tmp_path / "out" / "albert-einstein" / written_as).read_bytes() == content
        return
    written = opened(tmp_path / "out" / "albert-einstein" / written_as)
    assert written.size == size
    if name.endswith(".png"):
        assert written.mode == "RGBA" and written.getpixel((20, 20))[3] < 255  # transparency kept
    assert f'src="albert-einstein/{written_as}"' in (tmp_path / "out" / "index.html").read_text()


@pytest.mark.parametrize(
    "photo",
    ["missing.png", "../outside.png", "notes.pdf", "broken.jpg", "huge.png", "pdf.png", "script.svg", "onload.svg"],
)
def test_a_photo_that_cannot_be_shown_is_an_error_at_its_line(tmp_path, photo):
    (tmp_path / "outside.png").write_bytes(picture((10, 10)))
    files = {
        "site.yaml": PHOTO_SITE.format(photo=photo),
        "einstein.bib": EINSTEIN,
        "notes.pdf": "%PDF",
        "pdf.png": "%PDF-1.7 not a picture",
        "broken.jpg": picture((300, 300), "JPEG")[:400],  # cut short
        "huge.png": picture((9000, 6000), mode="1"),  # a small file of 54 million pixels
        "script.svg": '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "onload.svg": '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>',
    }
    seeds = write_corpus(tmp_path / "seeds", files)
    result = run_cli("build", "--seeds", seeds, "--out", tmp_path / "out")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "site.yaml:4:" in result.stderr and "photo" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("mode", "kept"), [("RGB", True), ("CMYK", False), ("L", False)])
def test_a_photos_colour_profile_is_kept_only_for_the_colours_written(tmp_path, mode, kept):
    """A print shop's CMYK JPEG (or a grey one) is written as RGB: its own profile would tell
    browsers to read RGB values as CMYK or grey, so it is dropped; an RGB photo keeps its profile."""
    import io

    from PIL import Image, ImageCms

    from generator.render.photos import sized_photo

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    source = tmp_path / "me.jpg"
    Image.new(mode, (500, 400)).save(source, "JPEG", icc_profile=profile)
    written = Image.open(io.BytesIO(sized_photo(source, "ann/photo.jpg")))
    assert written.mode == "RGB" and written.size == (336, 336)
    assert (written.info.get("icc_profile") == profile) is kept


def test_a_photo_is_the_link_preview_picture_when_the_sites_address_is_known(tmp_path):
    """og:image and the Person's JSON-LD image need an absolute address: given with site_url,
    left out without it."""
    site = "site_url: https://ae.example.org/\n" + PHOTO_SITE.format(photo="me.jpg")
    files = {"site.yaml": site, "einstein.bib": EINSTEIN, "me.jpg": picture((400, 400), "JPEG")}
    result = run_cli("build", "--seeds", write_corpus(tmp_path / "seeds", files), "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    photo = "https://ae.example.org/albert-einstein/photo.jpg"
    for path in ("index.html", "albert-einstein/index.html"):
        html = (tmp_path / "out" / path).read_text(encoding="utf-8")
        assert f'<meta property="og:image" content="{photo}">' in html
        person = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
        assert person["image"] == photo
    files["site.yaml"] = PHOTO_SITE.format(photo="me.jpg")
    result = run_cli("build", "--seeds", write_corpus(tmp_path / "plain", files), "--out", tmp_path / "plain-out")
    assert result.returncode == 0 and "og:image" not in (tmp_path / "plain-out" / "index.html").read_text()
