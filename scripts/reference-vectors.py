#!/usr/bin/env python3
"""
Writes test/analysis/reference-vectors.json: the values the statistics of analysis/ are checked
against, computed here with SciPy and NumPy (never with the code under test).

    python3 scripts/reference-vectors.py                  # rewrite the file
    python3 scripts/reference-vectors.py --check OTHER    # compare with another copy, case by case

The paired tests' cases (Wilcoxon signed-rank, McNemar, Stuart-Maxwell, Bowker) are in
reference_paired.py beside this script.

Needs Python 3 with SciPy (1.17.1 when the file was last written) and NumPy. The inputs of every
case are written out below, so the file is reproduced exactly; `--check` reports the largest
relative difference of each kind of case against another copy (e.g. an older one) and exits 1 when
a case is missing there or differs by more than 1e-12.
"""
import argparse
import json
import math
import pathlib
import sys

import numpy as np
import scipy
from scipy import stats

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
from reference_paired import ABOUT as PAIRED_ABOUT, paired_cases  # noqa: E402

OUTPUT = pathlib.Path(__file__).resolve().parent.parent / "test" / "analysis" / "reference-vectors.json"
LEVEL = 0.95

# Answers on a 1-5 scale (the sample data of the first reference file).
SCALE_13 = [4, 1, 5, 4, 1, 3, 2, 1, 2, 4, 1, 2, 2]
SCALE_190 = [
    1, 5, 1, 1, 3, 1, 3, 5, 2, 2, 4, 4, 4, 2, 2, 2, 5, 4, 2, 5, 5, 4, 4, 3, 1, 3, 4, 3, 5, 4, 2, 5, 3, 3, 4, 1, 2, 2,
    4, 1, 4, 4, 3, 3, 1, 2, 2, 5, 2, 4, 2, 1, 4, 1, 4, 1, 2, 5, 4, 5, 4, 4, 3, 4, 3, 5, 3, 2, 4, 2, 1, 4, 2, 4, 4, 3,
    2, 4, 3, 4, 3, 4, 4, 3, 4, 1, 2, 3, 2, 2, 3, 3, 3, 5, 5, 3, 2, 3, 2, 4, 4, 5, 3, 2, 1, 4, 4, 3, 5, 5, 5, 2, 1, 4,
    5, 5, 2, 2, 2, 2, 3, 2, 3, 2, 2, 1, 4, 2, 2, 3, 3, 5, 5, 5, 5, 3, 5, 5, 3, 2, 1, 1, 1, 2, 1, 5, 4, 4, 2, 4, 4, 1,
    1, 3, 1, 2, 5, 3, 1, 3, 2, 5, 5, 1, 5, 1, 5, 2, 4, 1, 1, 3, 3, 1, 5, 3, 4, 4, 3, 4, 4, 3, 4, 3, 1, 1, 5, 4, 3, 1,
]
SAMPLES = [[5, 2], [3, 5, 2, 3, 4], SCALE_13, SCALE_190]

# Numeric answers (staff working on the Forum, a share in percent, a budget in thousands).
NUMERIC = [
    [10, 20, 10, 35, 4, 120, 15, 8, 60, 12],
    [2.5, 3.75, 1.2, 0.4, 7.9, 3.3, 2.5, 5.0, 4.25, 1.8, 6.6],
    [150000, 250000, 75000, 1200000, 50000, 300000, 90000],
    [0, 0, 1, 0, 2, 0, 0, 3, 1, 0, 0, 5, 0, 1],
    [10, 20, 10, 35],  # the staff answers of the analysis tests' base data
]

MANN_WHITNEY = [
    ([3, 4, 4, 3, 4, 1], [2, 5, 1, 4, 2, 2, 1]),
    (
        [4, 2, 4, 4, 4, 1, 2, 1, 4, 2, 4, 4, 3],
        [3, 3, 1, 5, 3, 5, 1, 4, 1, 2, 2, 5, 2, 1, 3, 5, 5, 4, 3, 3, 5, 2, 5, 5, 4, 4, 4, 2, 4, 2, 3, 4, 5, 3, 2, 4, 1, 1, 4, 1],
    ),
    (
        [4, 5, 4, 2, 1, 2, 3, 4, 3, 3, 3, 5, 1, 5, 5, 5, 4, 3, 4, 2, 5, 1, 2, 3, 5, 4, 2, 2, 1, 1, 3, 4, 4, 1, 5],
        [
            1, 2, 3, 3, 1, 1, 3, 4, 4, 5, 3, 1, 4, 4, 2, 2, 3, 5, 1, 2, 4, 2, 1, 4, 3, 2, 5, 5, 3, 4, 1, 3, 4, 5, 5, 1, 3, 4,
            5, 4, 3, 2, 2, 5, 1, 2, 2, 1, 1, 3, 1, 2, 2, 3, 2, 5, 4, 2, 1, 5, 1, 1, 3, 2, 3, 5, 5, 4, 5, 3, 1, 5, 1, 4, 4, 3,
            5, 2, 5, 5, 2, 4, 5, 2, 2, 3, 4, 4, 1, 4, 1, 3, 5, 5, 5, 3, 1, 5, 2, 5, 2, 4, 2, 2, 4, 5, 1, 4, 3, 3, 4, 2, 3, 1,
            2, 4, 1, 2, 1, 1,
        ],
    ),
]

KRUSKAL_WALLIS = [
    [[5, 1, 1, 4, 2], [5, 3, 2, 3, 2, 4], [2, 5, 4, 1, 4, 1, 2]],
    [
        [4, 1, 5, 5, 1, 4, 3, 3, 2, 5, 5, 1, 1, 3, 4, 3, 4, 2, 3, 4],
        [4, 1, 3, 1, 2, 1, 1, 3, 1, 4, 1, 1, 4, 5, 2, 1, 5, 3, 2, 5, 5, 3, 1, 1, 4, 4, 4, 4, 2, 2],
        [3, 4, 2, 3, 3, 4, 2, 4, 3, 2, 3, 1, 2, 5, 4, 1, 5, 1, 3, 3, 3, 5, 1, 4, 3],
        [1, 1, 4, 2, 2, 3, 1, 2, 4, 1],
    ],
]

CONTINGENCY = [
    [[12, 5], [7, 14]],
    [[20, 15, 5], [10, 25, 30]],
    [[3, 9, 14, 6, 2], [1, 4, 10, 12, 8], [5, 5, 5, 5, 5]],
    [[24, 8, 12, 14], [1, 21, 13, 10]],
]

# Tables for the size words of Cramér's V, whose thresholds depend on min(rows, columns) − 1.
CRAMERS_V_TABLES = CONTINGENCY + [
    [[10, 8, 6, 4], [6, 8, 10, 12], [4, 6, 8, 14], [12, 10, 6, 2]],
    [[18, 4, 3], [5, 15, 6], [4, 6, 16]],
    [[30, 10, 12, 8, 6], [9, 12, 11, 14, 20], [12, 11, 10, 13, 12]],
]

FISHER = [[[8, 2], [1, 5]], [[3, 1], [1, 3]], [[10, 0], [0, 10]], [[2, 7], [8, 2]]]

WILSON = [(0, 5), (5, 5), (3, 10), (17, 40), (120, 190), (1, 1), (23, 38), (22, 57), (25, 44)]

HOLM = [[0.01, 0.04, 0.03, 0.2], [0.001, 0.5, 0.012, 0.049, 0.3]]

# Cohen's conventions: w 0.1 / 0.3 / 0.5 (small, medium, large); for Cramér's V they are divided by
# the square root of df* = min(rows, columns) − 1 (Cohen 1988, ch. 7).
COHEN_W = [0.1, 0.3, 0.5]


def wilson(k, n):
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=LEVEL, method="wilson")
    return {"k": k, "n": n, "p": k / n, "ci95": [float(ci.low), float(ci.high)]}


def mean_t_interval(values):
    x = np.asarray(values, dtype=float)
    mean = float(np.mean(x))
    sd = float(np.std(x, ddof=1))
    low, high = stats.t.interval(LEVEL, len(x) - 1, loc=mean, scale=sd / math.sqrt(len(x)))
    return {"values": [float(v) for v in x], "mean": mean, "sd": sd, "ci95": [float(low), float(high)]}


def median_interval(values):
    """
    Distribution-free interval of the median from order statistics. B ~ Binomial(n, 1/2) counts the
    observations below the population median; k is the largest integer with P(B <= k) <= 0.025, and
    the interval is [x(k+1), x(n-k)] (1-based order statistics), whose coverage is exactly
    1 - 2 P(B <= k) >= 95 % for continuous data (and at least that with ties). When even k = 0 fails
    (n <= 5, as 2 * 0.5^n > 0.05) there is no interval: bounds, ranks and coverage are None.
    """
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    case = {"values": [float(v) for v in values], "n": n, "median": float(np.median(x))}
    alpha_half = (1 - LEVEL) / 2
    if stats.binom.cdf(0, n, 0.5) > alpha_half:
        return {**case, "lower_rank": None, "upper_rank": None, "ci": None, "coverage": None}
    k = 0
    while stats.binom.cdf(k + 1, n, 0.5) <= alpha_half:
        k += 1
    coverage = 1 - 2 * float(stats.binom.cdf(k, n, 0.5))
    return {**case, "lower_rank": k + 1, "upper_rank": n - k, "ci": [float(x[k]), float(x[n - k - 1])], "coverage": coverage}


def median_interval_ranks(n):
    """The ranks and coverage of median_interval for n values, found by bisection (no data needed)."""
    alpha_half = (1 - LEVEL) / 2
    if stats.binom.cdf(0, n, 0.5) > alpha_half:
        return {"n": n, "lower_rank": None, "upper_rank": None, "coverage": None}
    low, high = 0, n
    while low < high:
        middle = (low + high + 1) // 2
        if stats.binom.cdf(middle, n, 0.5) <= alpha_half:
            low = middle
        else:
            high = middle - 1
    return {"n": n, "lower_rank": low + 1, "upper_rank": n - low, "coverage": 1 - 2 * float(stats.binom.cdf(low, n, 0.5))}


def chi_square(table):
    result = stats.chi2_contingency(np.asarray(table), correction=False)
    n = float(np.sum(table))
    rows, columns = len(table), len(table[0])
    return {
        "table": table,
        "chi2": float(result.statistic),
        "dof": int(result.dof),
        "p": float(result.pvalue),
        "cramers_v": math.sqrt(result.statistic / (n * (min(rows, columns) - 1))),
        "expected": result.expected_freq.tolist(),
        "yates_correction": False,
    }


def size_word(value, thresholds):
    small, medium, large = thresholds
    return "large" if value >= large else "medium" if value >= medium else "small" if value >= small else "negligible"


def cramers_v_label(table):
    v = float(stats.contingency.association(np.asarray(table), method="cramer", correction=False))
    df_star = min(len(table), len(table[0])) - 1
    thresholds = [w / math.sqrt(df_star) for w in COHEN_W]
    return {"table": table, "cramers_v": v, "df_star": df_star, "thresholds": thresholds, "label": size_word(v, thresholds)}


def fisher(table):
    return {"table": table, "p_two_sided": float(stats.fisher_exact(table).pvalue)}


def mann_whitney(a, b):
    result = stats.mannwhitneyu(a, b, use_continuity=True, alternative="two-sided", method="asymptotic")
    return {
        "a": [float(v) for v in a],
        "b": [float(v) for v in b],
        "u_a": float(result.statistic),
        "p_two_sided": float(result.pvalue),
        "rank_biserial": 2 * float(result.statistic) / (len(a) * len(b)) - 1,
        "method": "normal approximation with tie correction and continuity correction",
    }


def kruskal(groups):
    result = stats.kruskal(*groups)
    n = sum(len(g) for g in groups)
    return {
        "groups": [[float(v) for v in g] for g in groups],
        "h": float(result.statistic),
        "dof": len(groups) - 1,
        "p": float(result.pvalue),
        "epsilon_squared": float(result.statistic) / ((n * n - 1) / (n + 1)),
        "method": "chi-square approximation with tie correction",
    }


def holm(p):
    """Holm's step-down adjustment: the i-th smallest (0-based) times m - i, made non-decreasing, capped at 1."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    adjusted = [0.0] * len(p)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        adjusted[i] = running
    return {"p": p, "adjusted": adjusted}


def build():
    return {
        "about": (
            f"Reference values computed with SciPy {scipy.__version__} and NumPy {np.__version__} by "
            "scripts/reference-vectors.py (python3 scripts/reference-vectors.py rewrites this file); "
            "confidence level 95%; Wilson score interval without continuity correction; t interval of the "
            "mean with sample SD (ddof 1); median as NumPy's; distribution-free median interval "
            "[x(k+1), x(n-k)] with k the largest integer such that binom.cdf(k, n, 0.5) <= 0.025, coverage "
            "1 - 2 binom.cdf(k, n, 0.5), none for n <= 5; chi-square without Yates correction; Cramér's V "
            "size words: Cohen's w thresholds 0.1/0.3/0.5 divided by sqrt(min(rows, columns) - 1); "
            "Mann-Whitney U is U of the first sample, two-sided, normal approximation with tie and continuity "
            "correction; rank-biserial = 2U/(n1 n2) - 1; Kruskal-Wallis with tie correction; epsilon squared "
            "= H / ((n^2 - 1)/(n + 1)); Holm step-down adjusted p-values. "
            + PAIRED_ABOUT
        ),
        "cases": {
            "proportion_wilson": [wilson(k, n) for k, n in WILSON],
            "mean_t_interval": [mean_t_interval(v) for v in SAMPLES + NUMERIC],
            "median": [{"values": [float(v) for v in s], "median": float(np.median(s))} for s in SAMPLES + NUMERIC],
            "median_interval": [median_interval(v) for v in SAMPLES + NUMERIC + [[7, 3, 9, 1, 4, 6]]],
            "median_interval_ranks": [median_interval_ranks(n) for n in [5, 6, 9, 50, 193, 1000, 12345, 100000]],
            "chi_square_independence": [chi_square(t) for t in CONTINGENCY],
            "cramers_v_label": [cramers_v_label(t) for t in CRAMERS_V_TABLES],
            "fisher_exact_2x2": [fisher(t) for t in FISHER],
            "mann_whitney_u": [mann_whitney(a, b) for a, b in MANN_WHITNEY],
            "kruskal_wallis": [kruskal(g) for g in KRUSKAL_WALLIS],
            "holm_adjust": [holm(p) for p in HOLM],
            **paired_cases(),
        },
    }


def numbers(value, path=""):
    """Every number of a case, keyed by its path (e.g. 'ci95/1')."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return {}
    if isinstance(value, (int, float)):
        return {path: float(value)}
    items = value.items() if isinstance(value, dict) else enumerate(value)
    found = {}
    for key, item in items:
        found.update(numbers(item, f"{path}/{key}" if path else str(key)))
    return found


def check(new, other_path, tolerance=1e-12):
    """Compares every case of another copy with the values computed now; returns the number of failures."""
    other = json.loads(pathlib.Path(other_path).read_text())["cases"]
    failures = 0
    for kind, cases in other.items():
        mine = new["cases"].get(kind, [])
        worst = 0.0
        for index, case in enumerate(cases):
            if index >= len(mine):
                print(f"{kind}[{index}]: missing from the new cases")
                failures += 1
                continue
            expected, actual = numbers(case), numbers(mine[index])
            for key, value in expected.items():
                if key not in actual:
                    print(f"{kind}[{index}].{key}: missing")
                    failures += 1
                    continue
                error = abs(actual[key] - value) / max(abs(value), 1e-300) if value != 0 else abs(actual[key])
                worst = max(worst, error)
                if error > tolerance:
                    print(f"{kind}[{index}].{key}: {actual[key]!r} against {value!r}")
                    failures += 1
        print(f"{kind}: {len(cases)} cases, largest relative difference {worst:.3g}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", metavar="FILE", help="compare with another copy instead of writing")
    parser.add_argument("--output", default=str(OUTPUT), help=f"where to write (default {OUTPUT})")
    args = parser.parse_args()
    vectors = build()
    if args.check:
        sys.exit(1 if check(vectors, args.check) else 0)
    pathlib.Path(args.output).write_text(json.dumps(vectors, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
