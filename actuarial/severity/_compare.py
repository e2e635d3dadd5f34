"""Model comparison: information criteria and goodness of fit against the truncated fit."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from actuarial._rng import as_generator
from actuarial._typing import ArrayLike, FloatArray, RNGLike
from actuarial._validation import check_int
from actuarial.exceptions import ConvergenceError, ConvergenceWarning, InvalidInputError
from actuarial.severity._base import Family, Sample, truncated_pit
from actuarial.severity._fitting import _check_family_threshold, fit_sample, make_sample
from actuarial.severity._optim import maximise
from actuarial.severity._result import SeverityFit
from actuarial.severity.families import get_family

__all__ = ["compare", "gof_statistics"]

#: PIT values are clipped to [eps, 1 - eps]: a loss recorded exactly at its truncation point
#: (common with rounded amounts) has u = 0 and would make Anderson-Darling infinite.
_PIT_EPS = 1e-12


def _uniform_statistics(u: FloatArray) -> tuple[float, float, float]:
    """Kolmogorov-Smirnov, Anderson-Darling and Cramer-von Mises statistics of uniforms."""
    u = np.sort(np.clip(u, _PIT_EPS, 1.0 - _PIT_EPS))
    n = u.size
    i = np.arange(1, n + 1)
    ks = max(float(np.max(i / n - u)), float(np.max(u - (i - 1) / n)))
    ad = -n - float(np.sum((2 * i - 1) * (np.log(u) + np.log1p(-u[::-1])))) / n
    cvm = 1.0 / (12 * n) + float(np.sum((u - (2 * i - 1) / (2.0 * n)) ** 2))
    return ks, ad, cvm


def gof_statistics(result: SeverityFit) -> dict[str, float]:
    """KS, Anderson-Darling and Cramer-von Mises statistics of a fit to its own data.

    Each loss is mapped through the fitted distribution *conditioned on exceeding its own
    truncation point*, ``u = (F(x) - F(t)) / (1 - F(t))``; under the model the ``u`` are
    uniform, so the usual statistics apply with per-loss truncation too. ``u`` is clipped
    to ``[1e-12, 1 - 1e-12]``: a loss recorded exactly at its truncation point (a rounded
    amount) has ``u = 0`` and would make Anderson-Darling infinite, so several such losses
    still inflate it. Censored data have no such statistics (NaN is returned).
    """
    s = result.sample
    if s is None or s.censored.any():
        return {"ks": math.nan, "ad": math.nan, "cvm": math.nan}
    with np.errstate(all="ignore"):
        u = truncated_pit(result.dist, s.x, s.truncation)
    ks, ad, cvm = _uniform_statistics(np.asarray(u, dtype=float))
    return {"ks": ks, "ad": ad, "cvm": cvm}


def _bootstrap_pvalues(
    result: SeverityFit, observed: dict[str, float], n_boot: int, gen: np.random.Generator
) -> dict[str, float]:
    s = result.sample
    if s is None:
        raise InvalidInputError("a bootstrap needs the fit's sample (fit it from data)")
    tail_t = np.exp(result.dist.logsf(s.truncation))
    exceed = dict.fromkeys(observed, 0)
    used = 0
    for _ in range(n_boot):
        x = np.maximum(result.dist.isf(gen.uniform(size=s.n) * tail_t), s.truncation)
        boot = Sample(np.asarray(x, dtype=float), s.truncation, s.censored, s.weights,
                      s.scalar_truncation)
        opt = maximise(result.family, result.fixed, boot, [result.params])
        params = {p.name: p.from_free(float(e)) for p, e in zip(result.family.params, opt.eta,
                                                                  strict=True)}
        if not (opt.converged and np.isfinite(opt.loglik)) or opt.boundary:
            continue  # a refit with no usable maximum says nothing about the statistic
        refit = SeverityFit(result.family, params, result.fixed, opt.loglik, s.n, True,
                            sample=boot)
        used += 1
        for key, value in gof_statistics(refit).items():
            exceed[key] += value >= observed[key]
    if used < n_boot:
        warnings.warn(
            f"compare: {n_boot - used} of {n_boot} bootstrap refits of {result.family.name} "
            "had no usable maximum and were left out of the p-values",
            ConvergenceWarning,
            stacklevel=3,
        )
    if used == 0:
        return {f"{k}_pvalue": math.nan for k in exceed}
    out = {f"{k}_pvalue": (v + 1.0) / (used + 1.0) for k, v in exceed.items()}
    out["n_boot_used"] = used
    return out


def compare(
    losses: ArrayLike,
    families: Sequence[str | Family],
    *,
    truncation: float | ArrayLike | None = None,
    censoring: ArrayLike | None = None,
    threshold: float | None = None,
    weights: ArrayLike | None = None,
    n_boot: int = 0,
    rng: RNGLike = None,
    return_fits: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, dict[str, SeverityFit]]:
    """Fit several families to the same losses and rank them by AIC.

    Parameters
    ----------
    losses, truncation, censoring, weights
        As in :func:`fit`; every family is fitted to the same data.
    families : sequence of str or Family
        Families to compare (names must be distinct).
    threshold : float, optional
        The splice point of ``"spliced"`` families. So that every likelihood describes the
        same losses, a ``"gpd"`` here has ``loc`` at the smallest truncation point (0
        without truncation) and a ``"pareto"`` its scale there (the smallest loss without
        truncation); use :func:`fit` with ``threshold`` for peaks over a threshold.
    n_boot : int
        If positive, parametric-bootstrap p-values of the KS, AD and CvM statistics (the
        model is refitted on each bootstrap sample).
    rng : int, Generator or SeedSequence, optional
        Randomness of the bootstrap.
    return_fits : bool
        Also return a dict of the :class:`SeverityFit` objects by family name.

    Returns
    -------
    DataFrame
        One row per family (index: name), converged fits first, each group ranked by
        AIC: ``n``, ``k``, ``loglik``, ``aic``,
        ``bic``, ``delta_aic``, ``ks``, ``ad``, ``cvm`` (against the fitted distribution
        truncated as the data are), ``tail_index``, ``finite_mean``, ``converged`` and
        ``note``. Families that fail to fit keep a row with NaN criteria and the reason in
        ``note``; a :class:`~actuarial.exceptions.ConvergenceWarning` lists families that
        did not converge.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> import actuarial.severity as sev
    >>> x = stats.lomax(1.5, scale=1e6).rvs(400, random_state=np.random.default_rng(3))
    >>> table = sev.compare(x, ["lognormal", "lomax", "weibull"])
    >>> table.index[0]
    'lomax'
    """
    if isinstance(families, str) or not isinstance(families, Sequence) or not families:
        raise InvalidInputError("families must be a non-empty list of family names")
    fams = [get_family(f) for f in families]
    names = [repr(f) if f.name == "spliced" and not isinstance(f_in, str) else f.name
             for f, f_in in zip(fams, families, strict=True)]
    if len(set(names)) != len(names):
        raise InvalidInputError(f"families must be distinct; got {names}")
    n_boot = check_int(n_boot, "n_boot", minimum=0)
    gen = as_generator(rng)
    sample = make_sample(losses, truncation, censoring, weights)
    threshold = _check_family_threshold(threshold)
    rows: list[dict[str, Any]] = []
    fits: dict[str, SeverityFit] = {}
    for name, fam in zip(names, fams, strict=True):
        use = threshold if fam.name == "spliced" else None
        try:
            res = fit_sample(fam, sample, use)
        except (ConvergenceError, InvalidInputError) as exc:
            rows.append({"family": name, "converged": False, "note": str(exc)})
            continue
        fits[name] = res
        row: dict[str, Any] = {"family": name, "n": res.n, "k": res.k, "loglik": res.loglik,
                               "aic": res.aic, "bic": res.bic}
        stats_ = gof_statistics(res)
        row.update(stats_)
        if n_boot and res.converged and not sample.censored.any():
            row.update(_bootstrap_pvalues(res, stats_, n_boot, gen))
        elif n_boot and sample.censored.any():
            row["note"] = "no bootstrap p-values: goodness-of-fit statistics need uncensored data"
        note = row.get("note", "")
        row.update(tail_index=res.tail_index, finite_mean=res.has_finite_mean,
                   converged=res.converged, note=note if res.converged else res.message)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("family")
    table["converged"] = table["converged"].astype(bool)
    # usable fits first, each group ranked by AIC
    order = np.lexsort((table["aic"].fillna(np.inf).to_numpy(), ~table["converged"].to_numpy()))
    table = table.iloc[order]
    # distances to the best usable fit: a boundary fit's last iterate is no estimate
    best = table.loc[table["converged"], "aic"].min()
    table.insert(table.columns.get_loc("bic") + 1, "delta_aic",
                 (table["aic"] - best).where(table["converged"]))
    bad = list(table.index[~table["converged"]])
    if bad:
        warnings.warn(f"compare: no usable maximum for {', '.join(map(str, bad))}; see the "
                      "'note' column", ConvergenceWarning, stacklevel=2)
    return (table, fits) if return_fits else table
