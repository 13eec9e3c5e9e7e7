"""WHO 2006 Child Growth Standards: z-scores, nutrition status and chart curves.

Pure Python and NumPy, no Django. See README.md in this folder for the rules.
"""

from mch.growth.ages import age_in_days, months_to_days
from mch.growth.classify import Category, Classes, classify
from mch.growth.curves import Curves, curves
from mch.growth.single import ZScore, compute_one
from mch.growth.tables import LAST_Z_DAY
from mch.growth.zscores import PLAUSIBLE, ZScores, compute

__all__ = [
    "LAST_Z_DAY",
    "PLAUSIBLE",
    "Category",
    "Classes",
    "Curves",
    "ZScore",
    "ZScores",
    "age_in_days",
    "classify",
    "compute",
    "compute_one",
    "curves",
    "months_to_days",
]
