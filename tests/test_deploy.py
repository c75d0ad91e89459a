"""Publishing: the Pages workflow, base paths, crawlable links, deployment files and page metadata."""

from __future__ import annotations

import json
import subprocess
import sysconfig
import tomllib
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest
import yaml
from conftest import ROOT, SEEDS, run_cli

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
TESTS_WORKFLOW = ROOT / ".github" / "workflows" / "tests.yml"
WORKFLOWS = [WORKFLOW, TESTS_WORKFLOW]


def tool(name: str) -> str:
    """A command-line tool installed beside the running interpreter (its environment's scripts
    folder), whether or not that folder is on PATH."""
    return str(Path(sysconfig.get_path("scripts")) / name)


# ---- the workflow -----------------------------------------------------------------------------


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_matches_the_github_workflow_schema(workflow):
    result = subprocess.run(
        [
            tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            str(workflow),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_zizmor_finds_nothing(workflow):
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--format", "json", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )
    findings = json.loads(result.stdout)
    assert [f["ident"] for f in findings if f["determinations"]["severity"] in ("High", "Medium")] == []
    assert result.returncode == 0, findings


def test_workflow_triggers_permissions_and_pinned_actions():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert "workflow_dispatch" in triggers
    ignored = triggers["push"]["paths-ignore"]  # any sources folder triggers; documentation and tests do not
    assert set(ignored) == {"docs/**", "tests/**", "bench/**", "**.md", ".github/workflows/tests.yml"}
    assert workflow["permissions"] == {}
    assert workflow["concurrency"]["group"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    steps = build["steps"] + deploy["steps"]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert {use.split("@")[0] for use in uses} >= {
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    }
    assert all(len(use.split("@")[1]) == 40 for use in uses)  # pinned by commit SHA
    setup_python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python"))
    assert setup_python["with"]["cache"] == "pip"
    build_step = next(step for step in steps if "generator build" in step.get("run", ""))
    assert "${{" not in build_step["run"]  # values come in through env, never pasted into the script
    assert '--seeds "$SOURCES"' in build_step["run"]
    assert build_step["env"]["SOURCES"] == "${{ vars.SOURCES || 'seeds' }}"  # one variable names the folder
    install = next(step for step in steps if "scripts/install.sh" in step.get("run", ""))
    assert install["run"].split()[-1] == "runtime"  # the locked versions


def supported_pythons() -> list[str]:
    """The Python versions pyproject.toml's classifiers name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    prefix = "Programming Language :: Python :: "
    return [c.removeprefix(prefix) for c in project["classifiers"] if c.startswith(prefix) and "." in c]


def test_tests_workflow_runs_the_suite_locked_and_newest_on_every_supported_python():
    workflow = yaml.safe_load(TESTS_WORKFLOW.read_text(encoding="utf-8"))
    assert {"push", "pull_request"} <= set(workflow[True])
    assert workflow["permissions"] == {}
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read"}
    matrix = job["strategy"]["matrix"]
    assert matrix["python"] == supported_pythons() and len(matrix["python"]) >= 3
    assert set(matrix["dependencies"]) == {"locked", "newest"}
    assert matrix["include"] == [{"python": supported_pythons()[0], "dependencies": "oldest"}]
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    assert all(len(use.split("@")[1]) == 40 for use in uses)  # pinned by commit SHA
    [run] = [step for step in job["steps"] if "run" in step]
    assert run["run"] == "bash scripts/test.sh"  # the README's command, as CI runs it
    assert run["env"]["DEPENDENCIES"] == "${{ matrix.dependencies == 'locked' && 'test' || matrix.dependencies }}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"Python {supported_pythons()[0]} to {supported_pythons()[-1]}" in readme


# ---- base paths and links ---------------------------------------------------------------------


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def links_of(html: str) -> list[str]:
    collector = LinkCollector()
    collector.feed(html)
    return collector.links


def crawl(start: str) -> dict[str, int]:
    """Fetch ``start`` and every same-origin page and asset reachable from it; return url → status."""
    origin = urlsplit(start).netloc
    seen: dict[str, int] = {}
    queue = [start]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        try:
            with urlopen(url) as response:
                seen[url] = response.status
                body = response.read().decode("utf-8", "replace")
                kind = response.headers.get_content_type()
        except OSError as error:
            seen[url] = getattr(error, "code", 0)
            continue
        if kind == "text/html":
            for link in links_of(body):
                target = urljoin(url, link).split("#")[0]
                if urlsplit(target).netloc == origin:
                    queue.append(target)
    return seen


@pytest.mark.parametrize("prefix", ["/", "/profiles/"])
def test_every_link_and_asset_works_under_the_base_path(http_root, prefix):
    root, origin = http_root
    out = root / prefix.strip("/") if prefix != "/" else root / "site"
    served_prefix = prefix if prefix != "/" else "/site/"
    result = run_cli("build", "--seeds", SEEDS, "--out", out, "--base-url", served_prefix)
    assert result.returncode == 0, result.stderr
    statuses = crawl(f"{origin}{served_prefix}index.html")
    broken = {url: status for url, status in statuses.items() if status != 200}
    assert not broken
    assert all(urlsplit(url).path.startswith(served_prefix) for url in statuses)
    pages = [url for url in statuses if url.endswith(".html")]
    assert len(pages) >= 6 + 31  # index, four profiles, report, a page per paper (through the cards)
    assert len([url for url in pages if "/papers/" in url]) == 31
    assert len([url for url in statuses if url.endswith("feed.xml")]) == 5  # the site's and each profile's
    # 404.html is served for any missing path, at any depth: its links must still work
    not_found = (out / "404.html").read_text(encoding="utf-8")
    deep = f"{origin}{served_prefix}some/missing/deep/page"
    for link in links_of(not_found):
        if link.startswith("#"):
            continue
        with urlopen(urljoin(deep, link)) as response:
            assert response.status == 200, link


def test_default_site_has_no_absolute_links(tmp_path):
    out = tmp_path / "out"
    assert run_cli("build", "--out", out).returncode == 0
    for page in out.rglob("*.html"):
        if page.name == "404.html":
            continue
        for link in links_of(page.read_text(encoding="utf-8")):
            assert not link.startswith("/"), (page, link)


# ---- deployment files and metadata ------------------------------------------------------------


def test_deployment_files_without_site_url(shipped_site):
    assert (shipped_site / ".nojekyll").is_file()
    assert (shipped_site / "404.html").is_file()
    assert not (shipped_site / "sitemap.xml").exists() and not (shipped_site / "robots.txt").exists()
    assert 'rel="canonical"' not in (shipped_site / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("published") / "out"
    result = run_cli("build", "--out", out, "--site-url", "https://lab.example.org/profiles")
    assert result.returncode == 0, result.stderr
    return out


def test_sitemap_robots_and_canonical_links_with_site_url(published):
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ElementTree.parse(published / "sitemap.xml")
    urls = [element.text for element in sitemap.getroot().findall("s:url/s:loc", namespace)]
    assert "https://lab.example.org/profiles/" in urls
    assert "https://lab.example.org/profiles/arthur-mensch/" in urls
    assert "https://lab.example.org/profiles/papers/pixtral-12b/" in urls
    assert len(urls) == len(set(urls)) == 6 + 31  # index, four profiles, report, a page per paper
    robots = (published / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://lab.example.org/profiles/sitemap.xml" in robots
    page = (published / "arthur-mensch" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://lab.example.org/profiles/arthur-mensch/">' in page
    assert 'href="/profiles/static/style.css"' in (published / "404.html").read_text(encoding="utf-8")


class HeadCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.json_ld: list[str] = []
        self.title = ""
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and (values.get("property") or values.get("name")):
            self.meta[values.get("property") or values.get("name") or ""] = values.get("content") or ""
        if tag == "script" and values.get("type") == "application/ld+json":
            self._in = "json"
        if tag == "title":
            self._in = "title"

    def handle_data(self, data: str) -> None:
        if self._in == "json":
            self.json_ld.append(data)
        elif self._in == "title":
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in = None


def head_of(path: Path) -> HeadCollector:
    collector = HeadCollector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_every_page_has_a_title_description_and_open_graph_tags(published):
    for page in ["index.html", "arthur-mensch/index.html", "amelie-heliou/index.html", "report.html"]:
        head = head_of(published / page)
        assert head.title and head.meta["description"]
        for tag in ("og:title", "og:description", "og:type", "og:url", "og:site_name"):
            assert head.meta[tag], (page, tag)
    assert head_of(published / "arthur-mensch" / "index.html").meta["og:type"] == "profile"
    assert "Arthur Mensch" in head_of(published / "arthur-mensch" / "index.html").meta["description"]


def test_profile_json_ld_is_a_person_with_scholarly_articles(published):
    papers = json.loads((published / "papers.json").read_text(encoding="utf-8"))
    arthur = next(p for p in papers["profiles"] if p["slug"] == "arthur-mensch")
    [raw] = head_of(published / "arthur-mensch" / "index.html").json_ld
    person = json.loads(raw)
    assert person["@context"] == "https://schema.org" and person["@type"] == "Person"
    assert person["name"] == "Arthur Mensch"
    assert person["url"] == "https://lab.example.org/profiles/arthur-mensch/"
    works = person["@reverse"]["author"]
    assert [work["@type"] for work in works] == ["ScholarlyArticle"] * len(arthur["papers"])
    assert {work["@id"].split("#")[1] for work in works} == set(arthur["papers"])
    flamingo = next(work for work in works if work["name"].startswith("Flamingo"))
    assert flamingo["datePublished"] == "2022-04-29"


def test_json_ld_cannot_break_out_of_its_script(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "page.txt").write_text(
        "Eve</script><script>alert(1)</script>\n\nCL\n\n70.8CVApr 29, 2022\nA </script> title\n\nShort abstract here.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run_cli("build", "--seeds", seeds, "--out", out).returncode == 0
    [profile] = [p for p in out.iterdir() if (p / "index.html").is_file()]
    html = (profile / "index.html").read_text(encoding="utf-8")
    assert "</script><script>alert(1)" not in html
    [raw] = head_of(profile / "index.html").json_ld
    assert json.loads(raw)["name"] == "Eve</script><script>alert(1)</script>"
