"""Quarterly community safety scrutiny report pipeline.

Nothing is imported here, so a light command (an unchanged plan) never pays for pandas.
"""
