"""`python -m investment`: serve the investment service."""

from investment.settings import InvestmentSettings
from plaza_kit.serve import serve

serve("investment.app:create_app", "investment", InvestmentSettings())
