"""Small Excel workbooks as openpyxl (pandas' to_excel engine) writes them, and each cell as Loupe's
CSV of the first sheet must hold it (tests/fixtures/xlsx/expected.json), for tests/unit/xlsx.test.ts.
Run with Debian's python3-openpyxl."""
import datetime as dt
import json
import os

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "xlsx")
os.makedirs(OUT, exist_ok=True)
expected = {}

# Every kind of cell: text (shared), numbers as written, booleans, an error, dates, a time, a
# datetime, an empty cell, a skipped row, text that needs quoting in CSV, a formula (no cached value).
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Scores"
rows = [
    ["label", "pred", "prob_yes", "flag", "when", "at", "stamp", "note"],
    ["yes", "no", 0.1, True, dt.date(2024, 2, 29), dt.time(13, 45, 30), dt.datetime(2023, 12, 31, 23, 59, 59), 'a, "quoted"\nline'],
    ["no", "no", 1e-12, False, dt.date(1900, 3, 1), dt.time(0, 0, 1), dt.datetime(2000, 1, 1, 12, 0, 0), "  padded "],
    ["yes", "yes", 123456789.123456, None, None, None, None, "#N/A"],
]
for r in rows:
    ws.append(r)
ws["H4"] = "=1/0"  # a formula: openpyxl stores no cached value
ws["C6"] = "#DIV/0!"  # an error cell (row 5 skipped)
ws["C6"].data_type = "e"
ws.cell(row=2, column=5).number_format = "yyyy-mm-dd"
ws.cell(row=3, column=5).number_format = "d mmm yyyy"
ws.cell(row=2, column=6).number_format = "hh:mm:ss"
ws.cell(row=3, column=6).number_format = "[h]:mm:ss"
other = wb.create_sheet("Notes")
other.append(["not", "read"])
wb.save(os.path.join(OUT, "kinds.xlsx"))
expected["kinds.xlsx"] = {
    "sheet": "Scores",
    "others": ["Notes"],
    "rows": [
        ["label", "pred", "prob_yes", "flag", "when", "at", "stamp", "note"],
        ["yes", "no", "0.1", "true", "2024-02-29", "13:45:30", "2023-12-31 23:59:59", 'a, "quoted"\nline'],
        ["no", "no", "1e-12", "false", "1900-03-01", "00:00:01", "2000-01-01 12:00:00", "  padded "],
        ["yes", "yes", "123456789.123456", "", "", "", "", ""],
        ["", "", "", "", "", "", "", ""],
        ["", "", "#DIV/0!", "", "", "", "", ""],
    ],
}

# The 1904 date system (Excel for Mac's old default).
wb = openpyxl.Workbook()
wb.epoch = CALENDAR_MAC_1904
ws = wb.active
ws.append(["day"])
ws.append([dt.date(2021, 7, 4)])
ws["A2"].number_format = "yyyy-mm-dd"
wb.save(os.path.join(OUT, "mac1904.xlsx"))
expected["mac1904.xlsx"] = {"sheet": "Sheet", "others": [], "rows": [["day"], ["2021-07-04"]]}

# Shared strings as Excel writes them (openpyxl writes inline ones): rich-text runs, a phonetic guide
# (furigana, not part of the text), entities and Excel's _x000D_ escape; the sheet named by an absolute
# path in the workbook's relationships; cells without an r attribute.
import zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
with zipfile.ZipFile(os.path.join(OUT, "shared.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
    z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {NS} {R}><sheets>'
               '<sheet name="Data &amp; more" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships><Relationship Id="rId1" '
               'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
               'Target="/xl/worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {NS} count="5" uniqueCount="5">'
               '<si><t>label</t></si><si><t>text</t></si>'
               '<si><r><t>ca</t></r><r><rPr><b/></rPr><t>t</t></r></si>'
               '<si><t>日本</t><rPh sb="0" eb="2"><t>ニホン</t></rPh></si>'
               '<si><t xml:space="preserve">a &amp; b &lt;c&gt;_x000D_ &#233;</t></si></sst>')
    z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet {NS}><sheetData>'
               '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
               '<row r="2"><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>'
               '<row r="3"><c r="B3" t="s"><v>4</v></c></row>'
               '<row r="4" spans="1:2"/></sheetData></worksheet>')
expected["shared.xlsx"] = {"sheet": "Data & more", "others": [],
                           "rows": [["label", "text"], ["cat", "日本"], ["", "a & b <c>\r é"]]}

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, ensure_ascii=False)
    f.write("\n")
