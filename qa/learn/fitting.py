"""Fitting the models (logistic, listwise ranking with Platt calibration) and scoring them: grouped
cross-validation by title and across sets."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from ..models.features import ANSWERABLE_SIGNS, FEATURES
from ..models.linear import LinearModel
from .rows import Rows

# A sentence beside the best one joins the answer when the chance that the answer runs into it is at
# least 1 in 10: reading one more sentence costs a reader far less than an answer cut short.
EXTENT_THRESHOLD = 0.1
# The runner-up sentence is shown beside the answer when the chance that it, not the answer, holds what
# was asked is at least 1 in 5: a second sentence apart from the first costs more reading than a
# neighbour, so it needs better odds (README, Quality: what it costs in answer length).
RUNNER_THRESHOLD = 0.2
# The answer phrase is shown when the chance that it is exactly what was asked is at least this.
PHRASE_THRESHOLD = 0.5
# The models read against a threshold of their own rather than ranked: fitted plainly, one row each.
_THRESHOLDS = {"extent": EXTENT_THRESHOLD, "runner": RUNNER_THRESHOLD, "phrase": PHRASE_THRESHOLD}
_RANKERS = ("passage", "sentence", "order")


def fit(
    x: np.ndarray, y: np.ndarray, features: tuple[str, ...], balanced: bool = False, weight: np.ndarray | None = None,
    signs: dict[str, int] | None = None,
) -> LinearModel:
    """Logistic regression (L2, C = 1, as scikit-learn's) on standardized features; with `signs`, each
    named feature's coefficient is held to that sign (+1 or -1) and the others are free."""
    from sklearn.preprocessing import StandardScaler
    from sklearn.utils.class_weight import compute_sample_weight

    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 1e-9, scaler.scale_, 1.0)
    z = (x - scaler.mean_) / scale
    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=np.float64)
    if balanced:
        w = w * compute_sample_weight("balanced", y)
    coef, intercept = _logistic(z, y.astype(np.float64), w, [(signs or {}).get(f, 0) for f in features])
    r = lambda v: tuple(round(float(a), 6) for a in v)  # noqa: E731
    return LinearModel(features, r(scaler.mean_), r(scale), r(coef), round(float(intercept), 6))


def _logistic(z: np.ndarray, y: np.ndarray, w: np.ndarray, signs: list[int]) -> tuple[np.ndarray, float]:
    """Minimize sum(w · log-loss) + ||coef||² / 2 under the sign bounds (L-BFGS-B from zero: deterministic)."""
    from scipy.optimize import minimize

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ theta[:-1] + theta[-1]
        p = 1.0 / (1.0 + np.exp(-s))
        value = float(np.sum(w * (np.logaddexp(0.0, s) - y * s)) + 0.5 * theta[:-1] @ theta[:-1])
        g = w * (p - y)
        return value, np.r_[z.T @ g + theta[:-1], g.sum()]

    bounds = [(0.0, None) if s > 0 else (None, 0.0) if s < 0 else (None, None) for s in signs] + [(None, None)]
    result = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                      options={"maxiter": 5000, "gtol": 1e-8})
    return result.x[:-1], float(result.x[-1])


def fit_ranking(x: np.ndarray, y: np.ndarray, query: np.ndarray, features: tuple[str, ...]) -> LinearModel:
    """A model that picks the right candidate among those of one question: a softmax over each question's
    candidates (listwise: the probability its right candidates get is what is maximized, as the answer
    takes the top one), then its score calibrated into a probability of holding the answer (Platt
    scaling over all candidates)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    scale = np.where(scaler.scale_ > 1e-9, scaler.scale_, 1.0)
    z = (x - scaler.mean_) / scale
    direction = _listwise(z, y.astype(np.float64), query)
    platt = LogisticRegression(C=1.0, max_iter=2000).fit((z @ direction)[:, None], y)
    coef = direction * platt.coef_[0][0]
    r = lambda v: tuple(round(float(a), 6) for a in v)  # noqa: E731
    return LinearModel(features, r(scaler.mean_), r(scale), r(coef), round(float(platt.intercept_[0]), 6))


def _listwise(z: np.ndarray, y: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Minimize -Σ log(softmax mass on each question's right candidates) + ||w||² / 2 (L-BFGS from zero:
    deterministic)."""
    from scipy.optimize import minimize

    order = np.argsort(query, kind="stable")
    z, y, query = z[order], y[order], query[order]
    starts = np.r_[0, np.flatnonzero(query[1:] != query[:-1]) + 1]
    owner = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(query)]))
    answerable = np.add.reduceat(y, starts) > 0

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = z @ w
        e = np.exp(s - np.maximum.reduceat(s, starts)[owner])
        total, right = np.add.reduceat(e, starts), np.add.reduceat(e * y, starts)
        value = -float(np.sum(np.log(right[answerable] / total[answerable]))) + 0.5 * float(w @ w)
        keep = answerable[owner]
        p = np.where(keep, e / total[owner], 0.0)
        q = np.where(keep & (y > 0), e / np.where(right[owner] > 0, right[owner], 1.0), 0.0)
        return value, z.T @ (p - q) + w

    result = minimize(loss, np.zeros(z.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-8})
    return result.x


def top1_hits(scores: np.ndarray, y: np.ndarray, query: np.ndarray) -> dict:
    """Per question (its `query` value): whether its best-scored candidate is a right one."""
    return {q: bool(y[rows][np.argmax(scores[rows])]) for q in np.unique(query) for rows in [np.flatnonzero(query == q)]}


def top1_accuracy(model: LinearModel, x: np.ndarray, y: np.ndarray, query: np.ndarray) -> float:
    """Share of questions whose best-scored candidate is a right one."""
    return float(np.mean(list(top1_hits(model.probability(x), y, query).values())))


def fit_for(name: str, x: np.ndarray, y: np.ndarray, query: np.ndarray, weight: np.ndarray) -> LinearModel:
    """The fitting each model gets: rankers (passage, sentence, order) listwise, answerability balanced and
    weighted, the extent and the runner-up plain (read against EXTENT_THRESHOLD and RUNNER_THRESHOLD)."""
    if name == "answerable":
        return fit(x, y, FEATURES[name], balanced=True, weight=weight, signs=ANSWERABLE_SIGNS)
    if name in _THRESHOLDS:
        return dataclasses.replace(fit(x, y, FEATURES[name]), threshold=_THRESHOLDS[name])
    return fit_ranking(x, y, query, FEATURES[name])


def _scores(name: str, model: LinearModel, x: np.ndarray, y: np.ndarray, query: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    p = model.probability(x)
    out = {"auc": round(float(roc_auc_score(y, p)), 4), "accuracy": round(float(((p >= 0.5) == y).mean()), 4)}
    if name in _RANKERS:
        out["top1"] = round(top1_accuracy(model, x, y, query), 4)
    return out


def out_of_fold(fit: Callable[[np.ndarray], LinearModel], x: np.ndarray, y: np.ndarray, group: np.ndarray,
                folds: int = 5) -> np.ndarray:
    """Each row's probability from the model `fit` makes of the other folds' rows (their indices);
    k folds grouped by `group` (the title), so no article is on both sides."""
    from sklearn.model_selection import GroupKFold

    scores = np.zeros(len(y))
    for train_rows, test_rows in GroupKFold(n_splits=folds).split(x, y, group):
        scores[test_rows] = fit(train_rows).probability(x[test_rows])
    return scores


def cross_validate(name: str, rows: Rows, folds: int = 5) -> dict[str, float]:
    """Grouped (by title) k-fold figures: AUC, accuracy at 0.5 and, for the rankers, how often the
    top candidate of a question is a right one."""
    x, y, group, _ = rows.arrays()
    query, weight = rows.queries(), rows.weights()
    scores = out_of_fold(lambda r: fit_for(name, x[r], y[r], query[r], weight[r]), x, y, group, folds)
    held = LinearModel(("score",), (0.0,), (1.0,), (1.0,), 0.0)  # scores are already probabilities
    logit = np.log(np.clip(scores, 1e-9, 1 - 1e-9) / np.clip(1 - scores, 1e-9, 1))[:, None]
    return {"rows": int(len(y)), "positives": int(y.sum()), **_scores(name, held, logit, y, query)}


def cross_set(name: str, rows: Rows) -> dict[str, dict[str, float]]:
    """Fit on one set, score on the other: how a model carries over to data it never saw."""
    x, y, _, origin = rows.arrays()
    query, weight = rows.queries(), rows.weights()
    out = {}
    for held in sorted(set(origin)):
        train_rows, test_rows = origin != held, origin == held
        if not train_rows.any() or len(set(y[test_rows])) < 2:
            continue
        model = fit_for(name, x[train_rows], y[train_rows], query[train_rows], weight[train_rows])
        out[f"held_out_{held}"] = _scores(name, model, x[test_rows], y[test_rows], query[test_rows])
    return out


def threshold_curve(name: str, rows: Rows, thresholds: tuple[float, ...] = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8), folds: int = 5) -> dict:
    """Per threshold on the grouped out-of-fold probabilities: the share of rows at or above it (shown)
    and the share of those that are right (precision), per set of origin."""
    x, y, group, origin = rows.arrays()
    query, weight = rows.queries(), rows.weights()
    scores = out_of_fold(lambda r: fit_for(name, x[r], y[r], query[r], weight[r]), x, y, group, folds)
    out: dict[str, dict] = {}
    for held in sorted(set(origin)):
        mine = origin == held
        curve = {}
        for t in thresholds:
            shown = mine & (scores >= t)
            curve[str(t)] = {"shown": round(float(shown.sum() / mine.sum()), 4),
                             "precision": round(float(y[shown].mean()), 4) if shown.any() else None}
        out[held] = {"rows": int(mine.sum()), "right": round(float(y[mine].mean()), 4), "curve": curve}
    return out
