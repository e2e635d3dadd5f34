"""A book of covers: validation, risk model per cover type, concentration, simulation.

>>> import actuarial as act
>>> act.book.COVER_TYPES
('hack', 'depeg', 'default', 'custody')
"""

from actuarial.book._covers import COVER_TYPES, Book, read_book
from actuarial.book._model import IncidentModel, PayoutDistribution, PayoutMixture, RiskModel
from actuarial.book._simulate import BookSimulation, simulate_book

__all__ = [
    "COVER_TYPES",
    "Book",
    "BookSimulation",
    "IncidentModel",
    "PayoutDistribution",
    "PayoutMixture",
    "RiskModel",
    "read_book",
    "simulate_book",
]
