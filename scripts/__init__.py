"""Maintenance scripts: builders of the shipped tables from external public data.
"""
