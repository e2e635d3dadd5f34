"""Report document: escaping, self-contained HTML, CSV/Excel tables, atomic writes."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from actuarial.report.document import ReportDocument, Section, Table, figure_from_axes


def make_doc(name="Aave <script>alert(1)</script>"):
    _, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    fig = figure_from_axes(ax, "curve", "A curve")
    frame = pd.DataFrame({"cover": [name, "Maple"], "premium_usd": [1234.5, 99.0]})
    return ReportDocument(
        title="Reserve report",
        subtitle="test",
        sections=[
            Section("summary", "Summary", paragraphs=[f"Book of {name}"],
                    tables=[Table("premiums", "Premiums", frame, index=False)], figures=[fig]),
        ],
    )


def test_user_text_is_escaped():
    html = make_doc().to_html()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "data:image/png;base64," in html
    assert "http://" not in html and "https://" not in html  # nothing to fetch


def test_write_creates_html_csv_xlsx(tmp_path):
    path = make_doc().write(tmp_path / "out")
    assert path.exists()
    assert (tmp_path / "out" / "tables" / "premiums.csv").exists()
    book = pd.read_excel(tmp_path / "out" / "reserve-report.xlsx", sheet_name=None)
    assert list(book) == ["premiums"]
    assert book["premiums"]["premium_usd"].tolist() == [1234.5, 99.0]


def test_failed_write_leaves_no_partial_report(tmp_path):
    bad = pd.DataFrame({"x": [pd.Timestamp("2024-01-01", tz="UTC")]})  # Excel refuses tz
    doc = ReportDocument("t", "s", [Section("a", "A", tables=[Table("bad", "Bad", bad)])])
    with pytest.raises(Exception):  # noqa: B017 - any serialisation error
        doc.write(tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not any(p.name.startswith(".report-") for p in tmp_path.iterdir())
