"""The costing pages and API over a tiny generated data set, and the pages in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from guildhall.costing.data.synth import SynthSpec
from guildhall.services import costing
from guildhall.web.app import create_app

from .browser import chromium, served
from .sign_in import signed_in

IDS = "sag-2005,amptp-2008-final-offer,sag-2008-threshold-proposals"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("costing") / "data"
    spec = SynthSpec(members=200, titles=30, events=2000, seed=11)
    costing.synth_data(out, spec, lambda _table, _rows: None)
    return out


@pytest.fixture(scope="module")
def app(data_dir: Path) -> FastAPI:
    return create_app(f"sqlite:///{data_dir.parent / 'g.db'}", data_dir=data_dir)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> TestClient:
    """Staff, who may look up any member's projection."""
    return signed_in(app, str(app.state.database_url), "staff")


@pytest.fixture(scope="module")
def expected(data_dir: Path) -> dict[str, object]:
    return costing.cost_agreements(IDS.split(","), data_dir).as_dict()


def _performer_with_credits(data_dir: Path) -> int:
    import pyarrow.parquet as pq

    from guildhall.costing.data.schema import DataSet

    credits = pq.read_table(DataSet(data_dir).path("credits"), columns=["performer_id"])
    return int(credits.column("performer_id")[0].as_py())


def test_the_page_shows_totals_kinds_years_deciles_coverage_and_provenance(
    client: TestClient, expected: dict[str, object]
) -> None:
    html = client.get(f"/costing?agreements={IDS}").text
    assert html.count('class="card') >= 3
    assert ">baseline<" in html
    agreements = expected["agreements"]
    assert isinstance(agreements, list)
    total = agreements[1]["total_cents"]
    assert f"${total // 100:,}.{total % 100:02d}" in html
    assert "Ad-supported streaming (on gross)" in html, "kinds are named in words"
    assert "<h2>By year</h2>" in html and '<th scope="row">2009</th>' in html
    assert html.count('class="distribution"') == 2
    assert "(lowest)" in html and "(highest)" in html
    assert "Made-for-new-media productions covered" in html
    provenance = expected["provenance"]
    assert isinstance(provenance, dict)
    assert provenance["data"]["sha256"] in html
    assert f'src="/costing/chart.png?agreements={IDS}"' in html


def test_the_chart_is_a_png(client: TestClient) -> None:
    response = client.get(f"/costing/chart.png?agreements={IDS}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_chart_is_drawn_once_for_its_inputs_and_revalidated_by_its_etag(
    client: TestClient,
) -> None:
    from guildhall.services import costing_chart

    first = client.get(f"/costing/chart.png?agreements={IDS}&layout=wide")
    drawn = costing_chart.times_drawn()
    again = client.get(f"/costing/chart.png?agreements={IDS}")
    assert costing_chart.times_drawn() == drawn, "the same inputs are not drawn again"
    assert again.content == first.content
    tag = first.headers["etag"]
    assert tag == again.headers["etag"] and "no-cache" in first.headers["cache-control"]
    unchanged = client.get(f"/costing/chart.png?agreements={IDS}", headers={"If-None-Match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    stale = client.get(f"/costing/chart.png?agreements={IDS}", headers={"If-None-Match": '"0"'})
    assert stale.status_code == 200 and stale.content == first.content
    other = client.get("/costing/chart.png?agreements=sag-2005,amptp-2008-final-offer")
    assert other.headers["etag"] != tag, "other agreements, another chart"
    narrow = client.get(f"/costing/chart.png?agreements={IDS}&layout=narrow")
    assert narrow.headers["etag"] not in (tag, other.headers["etag"])
    assert costing_chart.times_drawn() == drawn + 2
    assert client.get(f"/costing/chart.png?agreements={IDS}&layout=tall").status_code == 422


def test_the_chart_has_a_narrow_form_for_phones_and_its_figures_in_its_alt_text(
    client: TestClient, expected: dict[str, object]
) -> None:
    from guildhall.costing.charts import dollars

    html = client.get(f"/costing?agreements={IDS}").text
    narrow = client.get(f"/costing/chart.png?agreements={IDS}&layout=narrow").content
    wide = client.get(f"/costing/chart.png?agreements={IDS}").content
    assert _png_size(narrow)[0] <= 480 < _png_size(wide)[0], "narrow fits a phone's column"
    width, height = _png_size(narrow)
    source = f'srcset="/costing/chart.png?agreements={IDS}&amp;layout=narrow"'
    assert f'media="(max-width: 40em)" {source} width="{width}" height="{height}"' in html
    assert f'width="{_png_size(wide)[0]}" height="{_png_size(wide)[1]}"' in html
    alt = html.split('alt="')[1].split('"')[0].replace("&#39;", "'")
    agreements = expected["agreements"]
    assert isinstance(agreements, list)
    for row in agreements:
        assert f"{row['id']}: total {dollars(row['total_cents'])}" in alt
    assert f"+{dollars(agreements[1]['change_cents'])}" in alt or "-" in alt
    by_kind = expected["by_kind"]
    assert isinstance(by_kind, dict)
    kind, cents = max(by_kind["sag-2005"].items(), key=lambda kv: kv[1])
    from guildhall.costing.charts import KIND_LABELS

    assert f"{KIND_LABELS.get(kind, kind)} {dollars(cents)}" in alt
    assert "By market:" in alt and "mean change per member by decile" in alt
    assert "lose more than 5%" in alt and "members:" in alt


def test_the_api_is_the_cli_shape_with_money_in_cents(
    client: TestClient, expected: dict[str, object]
) -> None:
    body = client.get(f"/api/costing?agreements={IDS}").json()
    assert [a["id"] for a in body["agreements"]] == IDS.split(",")
    assert body["by_kind"] == expected["by_kind"]
    assert isinstance(body["agreements"][1]["change_percent"], str)
    assert body["distribution"][0]["baseline"] == "sag-2005"


def test_one_members_projection(client: TestClient, data_dir: Path) -> None:
    performer = _performer_with_credits(data_dir)
    html = client.get(f"/costing/performer/{performer}?agreements={IDS}").text
    assert f"What it means for performer {performer}" in html
    assert html.count('class="card') >= 3
    body = client.get(f"/api/costing/performer/{performer}?agreements={IDS}").json()
    assert body["baseline"] == "sag-2005" and body["credits"] > 0
    assert body["agreements"][0]["change_cents"] == 0
    lookup = client.get(f"/costing/performer?id={performer}", follow_redirects=False)
    assert lookup.status_code == 303
    assert lookup.headers["location"].startswith(f"/costing/performer/{performer}?")


@pytest.mark.parametrize(
    "url",
    [
        "/costing?agreements=sag-2005,nope",
        "/api/costing?agreements=nope",
        "/costing/performer/99999999",
        "/api/costing/performer/99999999",
    ],
)
def test_unknown_agreements_and_performers_are_404_problems(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/not-found"


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/costing?agreements=", "agreements"),
        ("/api/costing?agreements=sag-2005,sag-2005", "agreements"),
        ("/costing?reading=budget_test", "reading"),
        ("/api/costing/performer/0", "path.performer_id"),
        ("/costing/performer/abc", "path.performer_id"),
        ("/costing/performer?id=x", "query.id"),
    ],
)
def test_bad_query_values_are_422_problems(client: TestClient, url: str, field: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "/problems/invalid-input"
    assert body["problems"][0]["where"]["field"] == field


def test_without_a_data_set_the_page_says_so_without_server_paths_or_commands(
    tmp_path: Path,
) -> None:
    client = TestClient(create_app("sqlite://", data_dir=tmp_path / "none"))
    page = client.get("/costing")
    assert page.status_code == 200
    assert "There is no data set to cost over yet" in page.text
    api = client.get("/api/costing")
    assert api.status_code == 404
    for text in (page.text, api.text):
        assert str(tmp_path) not in text
        assert "guildhall " not in text and "GUILDHALL_" not in text


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def site(data_dir: Path) -> Iterator[str]:
    with served(create_app("sqlite://", data_dir=data_dir)) as url:
        yield url


def _screenshot(url: str, shot: Path, height: int) -> None:
    done = chromium(
        f"--screenshot={shot}", f"--window-size=1280,{height}", "--virtual-time-budget=10000",
        url, cwd=shot.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.browser
def test_the_terms_diff_and_the_costing_page_draw_in_chromium(site: str, tmp_path: Path) -> None:
    diff, cost = tmp_path / "diff.png", tmp_path / "costing.png"
    _screenshot(f"{site}/terms/diff", diff, 1800)
    _screenshot(f"{site}/costing?agreements={IDS}", cost, 2400)
    for shot in (diff, cost):
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert len(data) > 40_000, "a blank page compresses to almost nothing"


def test_the_agreement_pickers_ask_for_the_same_comparison_as_a_typed_list(
    client: TestClient,
) -> None:
    page = client.get("/costing").text
    form = page.split('<form class="pick" method="get" action="/costing">')[1].split("</form>")[0]
    assert form.count('name="agreements"') == 4, "the three compared and one more to add"
    assert '<option value="sag-2005" selected>' in form.split('id="agreement-1"')[0]
    assert '<option value="budget_test=all_thresholds">All thresholds</option>' in form
    # what the browser sends: the baseline, one offer, an empty slot, a reading left as written
    picked = client.get(
        "/costing",
        params=[("agreements", "sag-2005"), ("agreements", "amptp-2008-final-offer"),
                ("agreements", ""), ("reading", "")],
    ).text  # fmt: skip
    typed = client.get("/costing?agreements=sag-2005,amptp-2008-final-offer").text
    assert picked.count('class="card-total"') == typed.count('class="card-total"') == 2
    assert 'src="/costing/chart.png?agreements=sag-2005,amptp-2008-final-offer"' in picked
    chosen = picked.split('id="agreement-1"')[1].split("</select>")[0]
    assert '<option value="amptp-2008-final-offer" selected>' in chosen


OFFER_FILE = """\
id: offer-under-edit
name: An offer being edited while the server runs
based_on: amptp-2008-final-offer
kind: proposal
status: rejected
parameters:
  pay_tv_percent:
    unit: percent_of_distributors_gross
    description: Pay television.
    values:
      - value: {rate}
        source: {{document: test, section: none, quote: "{rate}"}}
"""


def test_an_edited_agreement_is_costed_again_not_served_from_memory(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from guildhall.services import web_views
    from guildhall.terms import default_directory

    folder = tmp_path / "agreements"
    shutil.copytree(default_directory(), folder)
    monkeypatch.setenv("GUILDHALL_AGREEMENTS", str(folder))
    offer = folder / "offer-under-edit.yaml"
    ids = ["sag-2005", "offer-under-edit"]
    offer.write_text(OFFER_FILE.format(rate="3.6"), encoding="utf-8")
    before = web_views.compare(data_dir, ids).agreements[1]["total_cents"]
    assert web_views.compare(data_dir, ids).agreements[1]["total_cents"] == before
    offer.write_text(OFFER_FILE.format(rate="30"), encoding="utf-8")
    after = web_views.compare(data_dir, ids).agreements[1]["total_cents"]
    assert after > before, "a tenfold pay TV rate must raise the offer's total"
