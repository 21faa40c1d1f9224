"""
Reference values of the paired tests (analysis/signed-rank.ts, analysis/paired-tests.ts,
analysis/square-table-tests.ts), for scripts/reference-vectors.py.

Inputs are paired cross-tables as SQL counts them: (before, after, count) for Wilcoxon, the four
cells of a yes/no question for McNemar, a k x k table (rows before, columns after) for
Stuart-Maxwell and Bowker. Wilcoxon and McNemar come from SciPy; SciPy has no Stuart-Maxwell or
Bowker test, so those are computed here with NumPy from the published formulas and checked
against each other (the 2x2 case against McNemar, the choice of the code left out of d, the
pseudo-inverse of the full covariance).
"""
import math

import numpy as np
from scipy import stats

# (before, after, count): answers on a 1-5 scale, or numbers, given in both phases.
WILCOXON = {
    "exact, no ties, n = 9": [(10, 13, 1), (20, 18, 1), (5, 10, 1), (8, 15, 1), (30, 21, 1), (12, 23, 1), (40, 52, 1), (7, 20, 1), (3, 17, 1)],
    # d = +-1..+-50, down for every k divisible by 3 or 7: the largest n with an exact p.
    "exact, no ties, n = 50": [(100, 100 + (-k if k % 3 == 0 or k % 7 == 0 else k), 1) for k in range(1, 51)],
    "normal, no ties, n = 51": [(100, 100 + (-k if k % 3 == 0 or k % 7 == 0 else k), 1) for k in range(1, 52)],
    "permutation, ties, n = 12": [(2, 4, 3), (3, 4, 2), (4, 3, 1), (1, 3, 2), (3, 5, 1), (5, 4, 2), (2, 3, 1)],
    "permutation, ties and zeros, n = 13": [(3, 3, 2), (2, 4, 2), (4, 2, 1), (1, 2, 3), (4, 5, 2), (5, 3, 1), (3, 4, 2)],
    "permutation, zeros, no ties, n = 8": [(3, 3, 1), (4, 4, 1), (2, 3, 1), (4, 2, 1), (1, 4, 1), (1, 5, 1), (8, 13, 1), (2, 8, 1)],
    # The first cases with before and after swapped: W+ below its mean, the lower tail of the exact p.
    "exact, no ties, answers went down, n = 9": [(a, b, n) for b, a, n in [(10, 13, 1), (20, 18, 1), (5, 10, 1), (8, 15, 1), (30, 21, 1), (12, 23, 1), (40, 52, 1), (7, 20, 1), (3, 17, 1)]],
    "permutation, ties, answers went down, n = 12": [(4, 2, 3), (4, 3, 2), (3, 4, 1), (3, 1, 2), (5, 3, 1), (4, 5, 2), (3, 2, 1)],
    "docstring example, n = 6": [(2, 4, 3), (3, 3, 2), (4, 3, 1)],
    "normal, ties, n = 14": [(3, 3, 2), (2, 4, 2), (4, 2, 1), (1, 2, 3), (4, 5, 2), (5, 3, 1), (3, 4, 2), (1, 1, 1)],
    "normal, ties and zeros, n = 60": [
        (1, 1, 2), (1, 2, 3), (1, 3, 1), (2, 1, 2), (2, 2, 5), (2, 3, 4), (2, 4, 2), (3, 2, 3), (3, 3, 8), (3, 4, 6),
        (3, 5, 1), (4, 3, 4), (4, 4, 7), (4, 5, 5), (5, 4, 2), (5, 5, 3), (5, 3, 1), (2, 5, 1),
    ],
    "normal, answers went down, n = 190": [
        (1, 1, 10), (2, 1, 9), (2, 2, 14), (3, 1, 4), (3, 2, 15), (3, 3, 20), (3, 4, 6), (4, 2, 8), (4, 3, 19), (4, 4, 25),
        (4, 5, 7), (5, 3, 6), (5, 4, 17), (5, 5, 20), (1, 2, 5), (2, 3, 3), (1, 3, 1), (5, 1, 1),
    ],
}

# (yes_yes, yes_no, no_yes, no_no): b = yes_no, c = no_yes.
MCNEMAR = [
    (20, 3, 11, 16),  # exact
    (5, 0, 4, 10),  # exact, b = 0
    (10, 12, 12, 5),  # exact, b = c: p = 1
    (30, 10, 14, 12),  # b + c = 24: the largest exact
    (30, 10, 15, 12),  # b + c = 25: chi-square
    (40, 13, 13, 20),  # chi-square, b = c: statistic 0
    (50, 30, 52, 40),  # chi-square
    (100, 5, 40, 80),  # chi-square, small p
    (0, 1, 0, 0),  # exact, one discordant pair
]

# k x k paired tables (rows: code before, columns: code after, same order).
SQUARE_TABLES = {
    # Stuart (1955): unaided distance vision of 7,477 women, right eye (rows) by left eye (columns);
    # published Stuart-Maxwell statistic 11.96 (df 3).
    "Stuart 1955 vision": [[1520, 266, 124, 66], [234, 1512, 432, 78], [117, 362, 1772, 205], [36, 82, 179, 492]],
    "docstring example": [[20, 5, 1], [2, 15, 6], [0, 3, 12]],
    "scale, 60 pairs": [[2, 3, 1, 0, 0], [2, 5, 4, 2, 1], [0, 3, 8, 6, 1], [0, 0, 4, 7, 5], [0, 0, 1, 2, 3]],
    # Code 0 unused, code 4 kept by everybody who chose it: both dropped, dof 2.
    "unused and kept codes": [[0, 0, 0, 0, 0], [0, 6, 4, 1, 0], [0, 1, 9, 7, 0], [0, 2, 1, 5, 0], [0, 0, 0, 0, 4]],
    "2x2": [[20, 3], [11, 16]],
    "2x2, larger": [[50, 30], [52, 40]],
    # Codes {0, 1} and {2, 3}: nobody moved between the two groups.
    "disconnected": [[5, 2, 0, 0], [1, 4, 0, 0], [0, 0, 3, 2], [0, 0, 4, 6]],
    "no change": [[4, 0, 0], [0, 3, 0], [0, 0, 5]],
}


def expand(pairs):
    before = [b for b, _, count in pairs for _ in range(count)]
    after = [a for _, a, count in pairs for _ in range(count)]
    return np.asarray(before, dtype=float), np.asarray(after, dtype=float)


def wilcoxon(name, pairs):
    """scipy.stats.wilcoxon(after, before) with its defaults, and which method its 'auto' took."""
    before, after = expand(pairs)
    d = after - before
    nonzero = d[d != 0]
    ranks = stats.rankdata(np.abs(nonzero))
    w_plus, w_minus = float(ranks[nonzero > 0].sum()), float(ranks[nonzero < 0].sum())
    auto = stats.wilcoxon(after, before)
    assert float(auto.statistic) == min(w_plus, w_minus), name
    # Which method 'auto' used: the one whose p-value it reproduces (exactly one must).
    candidates = {
        "normal": stats.wilcoxon(after, before, method="asymptotic").pvalue,
        "exact signed-rank": stats.wilcoxon(after, before, method="exact").pvalue,
    }
    if len(d) <= 13:  # all 2^n sign patterns fit in the default resamples: the permutation p is exact
        candidates["exact permutation"] = stats.wilcoxon(after, before, method=stats.PermutationMethod()).pvalue
    matches = [method for method, p in candidates.items() if float(p) == float(auto.pvalue)]
    untied = len(np.unique(np.abs(nonzero))) == len(nonzero) == len(d)
    if {"exact signed-rank", "exact permutation"} <= set(matches):
        # Without ties or zeros the two distributions are the same; with them, say which one it is.
        matches.remove("exact permutation" if untied else "exact signed-rank")
    assert len(matches) == 1, (name, matches)
    method = matches[0]
    # The signed z (one-sided 'greater' keeps its sign; two-sided SciPy reports -|z|).
    z = float(stats.wilcoxon(after, before, method="asymptotic", alternative="greater").zstatistic) if method == "normal" else None
    return {
        "name": name,
        "pairs": [list(p) for p in pairs],
        "n": len(d),
        "zeros": int(np.sum(d == 0)),
        "n_used": len(nonzero),
        "increased": int(np.sum(d > 0)),
        "decreased": int(np.sum(d < 0)),
        "statistic": float(auto.statistic),
        "w_plus": w_plus,
        "w_minus": w_minus,
        "z": z,
        "p": float(auto.pvalue),
        "method": "normal" if method == "normal" else "exact",
        "exact_distribution": None if method == "normal" else method.split(" ")[1],
        "rank_biserial": (w_plus - w_minus) / (w_plus + w_minus),
        "median_difference": float(np.median(d)),
    }


def mcnemar(yes_yes, yes_no, no_yes, no_no):
    b, c = yes_no, no_yes
    n = yes_yes + yes_no + no_yes + no_no
    case = {
        "yes_yes": yes_yes, "yes_no": b, "no_yes": c, "no_no": no_no,
        "proportion_before": (yes_yes + b) / n,
        "proportion_after": (yes_yes + c) / n,
        "proportion_difference": (c - b) / n,
        "odds_ratio": c / b if b > 0 else None,
    }
    if b + c < 25:
        return {**case, "method": "exact", "statistic": None, "p": float(stats.binomtest(min(b, c), b + c, 0.5).pvalue)}
    statistic = max(0, abs(b - c) - 1) ** 2 / (b + c)
    return {**case, "method": "chi-square", "statistic": statistic, "p": float(stats.chi2.sf(statistic, 1))}


def stuart_maxwell(name, table):
    """d' S^-1 d (Stuart 1955, Maxwell 1970) over the codes that some pair moved into or out of."""
    t = np.asarray(table, dtype=float)
    moved = t + t.T
    np.fill_diagonal(moved, 0)
    keep = [i for i in range(len(t)) if moved[i].sum() > 0]
    case = {"name": name, "table": table, "categories_tested": len(keep), "dropped": [i for i in range(len(t)) if i not in keep]}
    if t.sum() == 0 or not keep:
        return {**case, "statistic": None, "dof": None, "p": None, "untestable": "no pairs" if t.sum() == 0 else "no change"}
    sub = t[np.ix_(keep, keep)]
    rows, columns = sub.sum(axis=1), sub.sum(axis=0)
    d_full = rows - columns
    s_full = -(sub + sub.T)
    np.fill_diagonal(s_full, rows + columns - 2 * np.diag(sub))
    m = len(keep) - 1
    if np.linalg.matrix_rank(s_full[:m, :m]) < m:
        return {**case, "statistic": None, "dof": None, "p": None, "untestable": "singular covariance"}
    statistic = float(d_full[:m] @ np.linalg.solve(s_full[:m, :m], d_full[:m]))
    # The same whichever code is left out of d, and the same as the pseudo-inverse over every code
    # of the table (the dropped codes add zero rows and columns).
    for left_out in range(len(keep)):
        others = [i for i in range(len(keep)) if i != left_out]
        again = d_full[others] @ np.linalg.solve(s_full[np.ix_(others, others)], d_full[others])
        assert math.isclose(again, statistic, rel_tol=1e-9), name
    whole = np.asarray(table, dtype=float)
    whole_s = -(whole + whole.T)
    np.fill_diagonal(whole_s, whole.sum(axis=1) + whole.sum(axis=0) - 2 * np.diag(whole))
    whole_d = whole.sum(axis=1) - whole.sum(axis=0)
    assert math.isclose(float(whole_d @ np.linalg.pinv(whole_s) @ whole_d), statistic, rel_tol=1e-9), name
    if len(t) == 2:
        b, c = t[0, 1], t[1, 0]
        assert math.isclose(statistic, (b - c) ** 2 / (b + c), rel_tol=1e-12), name
    return {**case, "statistic": statistic, "dof": m, "p": float(stats.chi2.sf(statistic, m)), "untestable": None}


def bowker(name, table):
    """Sum over i < j with n_ij + n_ji > 0 of (n_ij - n_ji)^2 / (n_ij + n_ji) (Bowker 1948)."""
    t = np.asarray(table, dtype=float)
    terms = [(t[i, j] - t[j, i]) ** 2 / (t[i, j] + t[j, i]) for i in range(len(t)) for j in range(i + 1, len(t)) if t[i, j] + t[j, i] > 0]
    case = {"name": name, "table": table, "pairs_tested": len(terms)}
    if t.sum() == 0 or not terms:
        return {**case, "statistic": None, "dof": None, "p": None, "untestable": "no pairs" if t.sum() == 0 else "no change"}
    statistic = float(sum(terms))
    return {**case, "statistic": statistic, "dof": len(terms), "p": float(stats.chi2.sf(statistic, len(terms))), "untestable": None}


def paired_cases():
    """The cases of the paired tests, keyed as in reference-vectors.json."""
    square = list(SQUARE_TABLES.items())
    # k = 2: Stuart-Maxwell and Bowker are McNemar's statistic without continuity correction.
    for name, table in square:
        if len(table) == 2:
            b, c = table[0][1], table[1][0]
            assert math.isclose(bowker(name, table)["statistic"], (b - c) ** 2 / (b + c), rel_tol=1e-12)
    return {
        "wilcoxon_signed_rank": [wilcoxon(name, pairs) for name, pairs in WILCOXON.items()],
        "mcnemar": [mcnemar(*cells) for cells in MCNEMAR],
        "stuart_maxwell": [stuart_maxwell(name, table) for name, table in square],
        "bowker": [bowker(name, table) for name, table in square],
    }


ABOUT = (
    "Paired tests: Wilcoxon signed-rank is scipy.stats.wilcoxon(after, before) with its defaults "
    "(zero_method='wilcox', correction=False, method='auto'), the method 'auto' took found as the one "
    "whose p-value it reproduces, W+ and W- from midranks of the non-zero |after - before|, z signed "
    "(method='asymptotic', alternative='greater'), rank-biserial = (W+ - W-)/(W+ + W-), median of "
    "after - before over all pairs; McNemar exact below 25 discordant pairs (binomtest(min(b, c), b + c, "
    "0.5)), else chi2.sf(max(0, |b - c| - 1)^2/(b + c), 1); Stuart-Maxwell d' S^-1 d with NumPy over "
    "the codes some pair moved into or out of (checked: any code left out of d, the pseudo-inverse of the "
    "full covariance, McNemar uncorrected for 2x2), null when S is singular; Bowker sum over i < j with "
    "n_ij + n_ji > 0, df the number of such pairs."
)
