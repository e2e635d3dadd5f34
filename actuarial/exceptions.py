"""Exceptions and warnings raised by :mod:`actuarial`.

Errors derive from :class:`ActuarialError` and from the built-in class that matches their
meaning (``ValueError`` for bad values, ``TypeError`` for wrong types), so callers can catch
either. Warnings derive from :class:`ActuarialWarning`. The package never changes the global
warning filters.
"""

from __future__ import annotations

__all__ = [
    "ActuarialError",
    "ActuarialWarning",
    "ConvergenceError",
    "ConvergenceWarning",
    "DataFormatError",
    "GridAccuracyError",
    "InfiniteMeanError",
    "InfiniteMomentError",
    "InfiniteVarianceError",
    "InvalidInputError",
    "InvalidTypeError",
    "MonteCarloWarning",
    "TailMassWarning",
]


class ActuarialError(Exception):
    """Base class of every error raised by :mod:`actuarial`."""


class InvalidInputError(ActuarialError, ValueError):
    """An argument has the right type but a value outside what the function accepts."""


class InvalidTypeError(ActuarialError, TypeError):
    """An argument has the wrong type (e.g. a continuous distribution given as frequency)."""


class DataFormatError(InvalidInputError):
    """A data file or configuration is malformed (missing column, bad row, bad key)."""


class InfiniteMomentError(InvalidInputError):
    """A moment (mean, variance) was asked of a model where it is infinite."""


class InfiniteMeanError(InfiniteMomentError):
    """A quantity that needs a finite mean was asked of a model whose mean is infinite.

    Heavy-tailed severities (e.g. a Pareto or GPD tail with shape >= 1) have no finite mean:
    a premium or an expected loss exists only once a cover limit caps each payment.
    """


class InfiniteVarianceError(InfiniteMomentError):
    """A standard deviation was asked of a model whose variance is infinite.

    With a tail index between 1 and 2 the mean exists but the variance does not: a simulated
    standard deviation does not converge, and neither does the standard error of a mean.
    """


class GridAccuracyError(InvalidInputError):
    """A discretisation grid cannot reach the requested accuracy."""


class ConvergenceError(ActuarialError, RuntimeError):
    """An optimiser or iterative method did not converge; the message lists remedies."""


class ActuarialWarning(UserWarning):
    """Base class of every warning issued by :mod:`actuarial`."""


class ConvergenceWarning(ActuarialWarning):
    """A fit converged only loosely, or to a boundary of the parameter space."""


class MonteCarloWarning(ActuarialWarning):
    """A simulated figure disagrees with its analytic value beyond Monte Carlo error."""


class TailMassWarning(ActuarialWarning):
    """Probability mass was lost off a discretisation grid beyond the reported tolerance."""
