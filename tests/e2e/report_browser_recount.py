#!/usr/bin/env python3
# report_browser_recount.py - used by report_browser.sh: every number of a report page, as the
# browser left it after the page's script ran, against a recount of the CSV rows that match the
# filter, done here on its own (CSV cells: "" skipped, "NA" not shown, "NR" not reached, "KA"
# keine Antwort).
#   usage: report_browser_recount.py DATA.csv DOM.html MIN_ROWS [channel=C] [site=S] [lang=L]
#          [event=E] [status=complete|partial] [--cli]
#   (a filter not given is "alle"; MIN_ROWS guards against a filter that selects too little to
#   prove anything; --cli: the filter was the command line's, so the numbers were printed by the
#   C++, not by the page's script). Exit 1 and one line per difference when anything differs.
# Percentages and Wilson 95 % intervals are computed here from their definitions.
# The page is read by what a reader sees, not by markup details: "Texte: N" is the text after
# a block's "n = ..." in the same paragraph, and a listed text belongs to the block whose n came
# last.
import csv
import math
import re
import sys
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction
from html.parser import HTMLParser

csv_path, dom_path, min_rows = sys.argv[1:4]
want_f = dict(a.split("=", 1) for a in sys.argv[4:] if "=" in a)
column = {"channel": "channel", "site": "site", "lang": "language", "event": "event", "status": "complete"}
assert set(want_f) <= set(column), want_f
if "status" in want_f:
    want_f["status"] = {"complete": "Y", "partial": "N"}[want_f["status"]]
every = list(csv.DictReader(open(csv_path, newline="", encoding="utf-8")))
rows = [r for r in every if all(r[column[k]] == v for k, v in want_f.items())]
if len(rows) < int(min_rows):
    sys.exit("report_browser: only %d rows match: the data do not exercise this filter" % len(rows))
filtered = bool(want_f) and "--cli" not in sys.argv


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
        self.xc = None         # (table, row key, column key) of the cross-table cell being read

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls, b = a.get("class"), a.get("data-b")
        shown = "none" not in (a.get("style") or "").replace(" ", "")
        if tag == "tr" and "data-m" in a:  # the sample's composition
            self.tr = ("m" + a["data-m"], a["data-v"])
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
        if tag == "td" and cls == "xc":
            self.xc = (a["data-x"], a["data-r"], a["data-c"])
        if a.get("id") in ("total", "f-count"):
            key = a["id"]
        elif cls in ("ans", "sk", "hd", "nr"):
            key = (cls, a["data-q"])
        elif tag == "span" and self.xc and cls in ("cnt", "rp", "rci", "cp", "cci"):
            key = ("x",) + self.xc + (cls,)
        elif cls in ("xn", "chi"):
            key = (cls, a["data-x"])
        elif cls in ("n", "ka") and b is not None:
            key = (cls, b)
        elif cls == "st":
            key = ("st", b, a["data-s"])
        elif tag == "td" and cls == "gn":
            key = ("gn", b)
        elif tag == "td" and cls == "gc":
            self.gc = (b, a["data-k"])
        elif tag == "span" and cls in ("cnt", "pct", "ci") and getattr(self, "gc", None):
            key = (cls,) + self.gc
        elif tag == "td" and cls in ("cnt", "pct", "ci") and self.tr:
            key = (cls,) + self.tr
        if key is not None:
            self.cur = (key, tag)
            self.v[key] = ""

    def handle_endtag(self, tag):
        if self.cur and tag == self.cur[1]:
            self.cur = None
        if tag == "tr":
            self.tr = None
        if tag == "td":
            self.xc = None
            self.gc = None
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


def de(text):  # every number as a German reader writes it: 1.234,5
    def one(m):
        ip, frac = m.group(1), m.group(2)
        ip = "{:,}".format(int(ip)).replace(",", ".")
        return ip + ("," + frac if frac is not None else "")
    return re.sub(r"(?<![\d.,])(\d+)(?:\.(\d+))?(?![\d.,])", one, text)


def want(key, value):
    got = d.v.get(key)
    value = de(str(value))
    if got is None:
        bad.append("%s: not in the page" % (key,))
    elif got.strip() != value:
        bad.append("%s: page %r, CSV %r" % (key, got.strip(), value))


def pct(c, n):  # share of n in %, one decimal, half up
    if n == 0:
        return "0.0"
    t = int(Fraction(c * 1000, n) + Fraction(1, 2))
    return "%d.%d" % (t // 10, t % 10)


def wilson(c, n):  # the Wilson score interval at 95 %, in percent
    if n == 0:
        return "\u2013"
    z = 1.959963984540054
    z2 = z * z
    p = c / n
    den, mid = 1 + z2 / n, p + z2 / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return "%.1f\u2013%.1f" % (max(0.0, (mid - half) / den) * 100, min(1.0, (mid + half) / den) * 100)


def row(block, key, c, n):  # count, % and interval of one table row
    want(("cnt", block, key), c)
    want(("pct", block, key), pct(c, n))
    want(("ci", block, key), wilson(c, n))


def two(x):  # a statistic as shown: toFixed(2) in the page's script, printf("%.2f") in the C++
    if filtered:
        return str(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return "%.2f" % x


want("total", len(rows))
want("f-count", len(rows))
first = {"Q1": "Q1", "Q2": "Q2[A0]", "Q3": "Q3", "Q4": "Q4", "Q5": "Q5", "Q6": "Q6[SQ001]"}
answered = {}
for q, c in first.items():
    cells = [r[c] for r in rows]
    answered[q] = [r for r in rows if r[c] not in ("", "NA", "NR")]
    want(("ans", q), len(answered[q]))
    want(("sk", q), cells.count(""))
    want(("hd", q), cells.count("NA"))
    want(("nr", q), cells.count("NR"))

# Q1: single choice with "other" and "keine Antwort"; the other texts grouped by their wording.
n1 = len(answered["Q1"])
want(("n", "Q1"), "n = %d" % n1)
for key, cell in [("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5"), ("-oth-", "-oth-"), ("-na-", "KA")]:
    row("Q1", key, sum(1 for r in answered["Q1"] if r["Q1"] == cell), n1)
others = {}
for r in answered["Q1"]:
    t = r["Q1[other]"]
    if t not in ("", "KA"):
        others[t.strip()] = others.get(t.strip(), 0) + 1
for text, c in others.items():
    row("Q1[other]", text, c, n1)
# A text nobody in the selection wrote is not listed (its row is hidden); the others are.
listed = {k[2] for k in d.v if k[0] == "cnt" and k[1] == "Q1[other]"} - d.hidden_rows.get("Q1[other]", set())
if listed != set(others):
    bad.append("Q1[other]: texts listed %s, CSV has %s" % (sorted(listed), sorted(others)))

# Q2: multiple choice (% of n; the sum may pass 100) with a comment.
n2 = len(answered["Q2"])
want(("n", "Q2"), "n = %d" % n2)
for code in ["A0", "A1", "A2", "B"]:
    row("Q2", code, sum(1 for r in answered["Q2"] if r["Q2[%s]" % code] == "Y"), n2)
row("Q2", "-na-", sum(1 for r in answered["Q2"] if r["Q2[A0]"] == "KA"), n2)
comments = sum(1 for r in answered["Q2"] if r["Q2[comment]"] not in ("", "KA"))
want(("n", "Q2[comment]"), "n = %d" % comments)
want(("tx", "Q2[comment]"), "Texte: %d" % comments)

# Q3: free text; "keine Antwort" is in n but is no text.
texts = sum(1 for r in answered["Q3"] if r["Q3"] not in ("", "KA"))
want(("n", "Q3"), "n = %d" % len(answered["Q3"]))
want(("tx", "Q3"), "Texte: %d" % texts)
want(("ka", "Q3"), "keine Antwort: %d" % sum(1 for r in answered["Q3"] if r["Q3"] == "KA"))
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

# Q6: a matrix drawn as one grid; each row's n, and per option count, % of that n, interval.
for sq in ("SQ001", "SQ002"):
    block = "Q6[%s]" % sq
    cells = [r[block] for r in rows if r[block] not in ("", "NA", "NR")]
    want(("gn", block), len(cells))
    for code, cell in (("1", "1"), ("2", "2"), ("3", "3"), ("-na-", "KA")):
        row(block, code, cells.count(cell), len(cells))

# The sample's composition: per channel, site, language, event and status, of the rows chosen
# (the page lists the values of the responses it holds: all, or the command line's choice).
for k, col in enumerate(["channel", "site", "language", "event", "complete"]):
    for v in sorted({r[col] for r in (rows if "--cli" in sys.argv else every)}):
        key = {"Y": "complete", "N": "partial"}[v] if col == "complete" else v
        row("m%d" % k, key, sum(1 for r in rows if r[col] == v), len(rows))

# The cross-tables Q1 x Q5 and Q5 x site (rows x columns): the responses that answered both;
# "keine Antwort" is a row and a column, but not part of chi². p from the closed forms of the
# chi² upper tail.
def chi2_sf(x, df):
    h = x / 2
    if df % 2 == 0:
        return math.exp(-h) * sum(h ** k / math.factorial(k) for k in range(df // 2))
    return math.erfc(math.sqrt(h)) + sum(math.exp(-h) * h ** (k + 0.5) / math.gamma(k + 1.5) for k in range(df // 2))


def half_up(x, d):
    return str(Decimal(x).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP))


def xtab(x, rk, ck, both):  # cross-table x: rows rk, columns ck ("-na-" last in each), pairs
    cell = lambda a, b: sum(1 for p, q in both if (a == "" or p == a) and (b == "" or q == b))
    want(("xn", x), len(both))
    for a in rk + [""]:
        for b in ck + [""]:
            c = cell(a, b)
            want(("x", x, a, b, "cnt"), c)
            if b != "":
                want(("x", x, a, b, "rp"), pct(c, cell(a, "")))
                want(("x", x, a, b, "rci"), wilson(c, cell(a, "")))
            if a != "":
                want(("x", x, a, b, "cp"), pct(c, cell("", b)))
                want(("x", x, a, b, "cci"), wilson(c, cell("", b)))
    table = [[cell(a, b) for b in ck if b != "-na-"] for a in rk if a != "-na-"]
    table = [r for r in table if sum(r)]
    cols = [j for j in range(len(table[0]) if table else 0) if sum(r[j] for r in table)]
    if len(table) < 2 or len(cols) < 2:
        chi = "χ² nicht berechnet: zu wenige besetzte Zeilen oder Spalten"
    else:
        total = sum(map(sum, table))
        exp = [[sum(r) * sum(t[j] for t in table) / total for j in cols] for r in table]
        x2 = sum((table[i][j] - exp[i][k]) ** 2 / exp[i][k] for i in range(len(table)) for k, j in enumerate(cols))
        flat = [e for r in exp for e in r]
        df = (len(table) - 1) * (len(cols) - 1)
        p = chi2_sf(x2, df)
        if min(flat) < 1:
            chi = "χ² nicht berechnet: eine erwartete Häufigkeit unter 1"
        elif sum(1 for e in flat if e < 5) * 5 > len(flat):
            chi = "χ² nicht berechnet: mehr als 20 % der erwarteten Häufigkeiten unter 5"
        else:
            chi = "χ² = %s · df = %d · %s" % (half_up(x2, 2), df, "p < 0.001" if p < 0.001 else "p = " + half_up(p, 3))
    want(("chi", x), chi)


key = lambda v: "-na-" if v == "KA" else v
unasked = ("", "NA", "NR")
answered_both = lambda a, b: [r for r in rows if r[a] not in unasked and (b is None or r[b] not in unasked)]
xtab("0", ["1", "2", "3", "4", "5", "-oth-", "-na-"], ["Y", "N", "-na-"],
     [(key(r["Q1"]), key(r["Q5"])) for r in answered_both("Q1", "Q5")])
# Q5 by site: the sample as one side (the sites of the responses the page holds).
sites = sorted({r["site"] for r in (rows if "--cli" in sys.argv else every)})
xtab("1", ["Y", "N", "-na-"], sites, [(key(r["Q5"]), r["site"]) for r in answered_both("Q5", None)])

for b in bad:
    print("report_browser:", b, file=sys.stderr)
print("report_browser: %d rows, %d numbers read from the page" % (len(rows), len(d.v)))
sys.exit(1 if bad else 0)
