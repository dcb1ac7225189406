"""The pure core: problems and errors, money, thresholds, clocks.

Imports nothing of Guildhall and nothing outside the standard library.
"""
