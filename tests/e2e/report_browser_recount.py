#!/usr/bin/env python3
# report_browser_recount.py - used by report_browser.sh: every number of a report page, as the
# browser left it after the page's script ran, against a recount of the CSV rows that match the
# filter, done here on its own (CSV cells: "" skipped, "NA" not shown, "KA" keine Antwort).
#   usage: report_browser_recount.py DATA.csv DOM.html CHANNEL SITE LANG MIN_ROWS
#   (an empty CHANNEL/SITE/LANG is "alle"; MIN_ROWS guards against a filter that selects too
#   little to prove anything). Exit 1 and one line per difference when anything differs.
# The page is read by what a reader sees, not by markup details: "Texte: N" is the text after
# a block's "n = ..." in the same paragraph, and a listed text belongs to the block whose n came
# last.
import csv
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction
from html.parser import HTMLParser

csv_path, dom_path, channel, site, lang, min_rows = sys.argv[1:]
rows = [r for r in csv.DictReader(open(csv_path, newline="", encoding="utf-8"))
        if (not channel or r["channel"] == channel) and (not site or r["site"] == site)
        and (not lang or r["language"] == lang)]
if len(rows) < int(min_rows):
    sys.exit("report_browser: only %d rows match: the data do not exercise this filter" % len(rows))
filtered = bool(channel or site or lang)


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.v = {}            # what -> text
        self.visible = {}      # block -> number of texts shown
        self.hidden_rows = {}  # block -> keys of its table rows not shown
        self.cur = None        # (key, tag) whose text is being collected
        self.tr = None
        self.block = None      # block of the last "n = ..."
        self.para = None       # [block, text] of the paragraph holding that n

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls, b = a.get("class"), a.get("data-b")
        shown = "none" not in (a.get("style") or "").replace(" ", "")
        if tag == "tr" and b is not None:
            self.tr = (b, a["data-k"])
            if not shown:
                self.hidden_rows.setdefault(b, set()).add(a["data-k"])
        if tag == "span" and cls == "n" and b is not None:
            self.block = b
            self.para = [b, ""]
            self.visible.setdefault(b, 0)
        if tag == "li" and "data-i" in a and self.block is not None and shown:
            self.visible[self.block] += 1
        key = None
        if a.get("id") in ("total", "f-count"):
            key = a["id"]
        elif cls in ("ans", "sk", "hd"):
            key = (cls, a["data-q"])
        elif cls == "n" and b is not None:
            key = ("n", b)
        elif cls == "st":
            key = ("st", b, a["data-s"])
        elif tag == "td" and cls in ("cnt", "pct") and self.tr:
            key = (cls,) + self.tr
        if key is not None:
            self.cur = (key, tag)
            self.v[key] = ""

    def handle_endtag(self, tag):
        if self.cur and tag == self.cur[1]:
            self.cur = None
        if tag == "tr":
            self.tr = None
        if tag == "p" and self.para:
            m = re.search(r"Texte: (\d+)", self.para[1])
            if m:
                self.v[("tx", self.para[0])] = "Texte: " + m.group(1)
            self.para = None

    def handle_data(self, data):
        if self.cur:
            self.v[self.cur[0]] += data
        if self.para:
            self.para[1] += data


d = Dom()
d.feed(open(dom_path, encoding="utf-8").read())
bad = []


def want(key, value):
    got = d.v.get(key)
    if got is None:
        bad.append("%s: not in the page" % (key,))
    elif got.strip() != str(value):
        bad.append("%s: page %r, CSV %r" % (key, got.strip(), str(value)))


def pct(c, n):  # share of n in %, one decimal, half up
    if n == 0:
        return "0.0"
    t = int(Fraction(c * 1000, n) + Fraction(1, 2))
    return "%d.%d" % (t // 10, t % 10)


def two(x):  # a statistic as shown: toFixed(2) in the page's script, printf("%.2f") in the C++
    if filtered:
        return str(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return "%.2f" % x


want("total", len(rows))
want("f-count", len(rows))
first = {"Q1": "Q1", "Q2": "Q2[A0]", "Q3": "Q3", "Q4": "Q4"}
answered = {}
for q, c in first.items():
    cells = [r[c] for r in rows]
    answered[q] = [r for r in rows if r[c] not in ("", "NA")]
    want(("ans", q), len(answered[q]))
    want(("sk", q), cells.count(""))
    want(("hd", q), cells.count("NA"))

# Q1: single choice with "other" and "keine Antwort"; the other texts grouped by their wording.
n1 = len(answered["Q1"])
want(("n", "Q1"), "n = %d" % n1)
for key, cell in [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5"), ("-oth-", "-oth-"), ("-na-", "KA")]:
    c = sum(1 for r in answered["Q1"] if r["Q1"] == cell)
    want(("cnt", "Q1", key), c)
    want(("pct", "Q1", key), pct(c, n1))
others = {}
for r in answered["Q1"]:
    t = r["Q1[other]"]
    if t not in ("", "KA"):
        others[t.strip()] = others.get(t.strip(), 0) + 1
for text, c in others.items():
    want(("cnt", "Q1[other]", text), c)
    want(("pct", "Q1[other]", text), pct(c, n1))
# A text nobody in the selection wrote is not listed (its row is hidden); the others are.
listed = {k[2] for k in d.v if k[0] == "cnt" and k[1] == "Q1[other]"} - d.hidden_rows.get("Q1[other]", set())
if listed != set(others):
    bad.append("Q1[other]: texts listed %s, CSV has %s" % (sorted(listed), sorted(others)))

# Q2: multiple choice (% of n; the sum may pass 100) with a comment.
n2 = len(answered["Q2"])
want(("n", "Q2"), "n = %d" % n2)
for code in ["A0", "A1", "A2", "B"]:
    c = sum(1 for r in answered["Q2"] if r["Q2[%s]" % code] == "Y")
    want(("cnt", "Q2", code), c)
    want(("pct", "Q2", code), pct(c, n2))
c = sum(1 for r in answered["Q2"] if r["Q2[A0]"] == "KA")
want(("cnt", "Q2", "-na-"), c)
want(("pct", "Q2", "-na-"), pct(c, n2))
comments = sum(1 for r in answered["Q2"] if r["Q2[comment]"] not in ("", "KA"))
want(("n", "Q2[comment]"), "n = %d" % comments)
want(("tx", "Q2[comment]"), "Texte: %d" % comments)

# Q3: free text; "keine Antwort" is in n but is no text.
texts = sum(1 for r in answered["Q3"] if r["Q3"] not in ("", "KA"))
want(("n", "Q3"), "n = %d" % len(answered["Q3"]))
want(("tx", "Q3"), "Texte: %d" % texts)
for b, n in (("Q2[comment]", comments), ("Q3", texts)):
    if d.visible.get(b, 0) != n:
        bad.append("%s: %d texts shown, CSV has %d" % (b, d.visible.get(b, 0), n))

# Q4: numbers.
vals = sorted(float(r["Q4"]) for r in answered["Q4"] if r["Q4"] != "KA")
m = len(vals)
want(("st", "Q4", "n"), m)
if m:
    want(("st", "Q4", "mean"), two(sum(vals) / m))
    want(("st", "Q4", "median"), two(vals[m // 2] if m % 2 else (vals[m // 2 - 1] + vals[m // 2]) / 2))
    want(("st", "Q4", "min"), two(vals[0]))
    want(("st", "Q4", "max"), two(vals[-1]))

for b in bad:
    print("report_browser:", b, file=sys.stderr)
print("report_browser: %d rows, %d numbers read from the page" % (len(rows), len(d.v)))
sys.exit(1 if bad else 0)
