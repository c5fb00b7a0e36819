"""Employers: one spelling per employer name, registry records (awards, certifications, pledges)
and matching listings' employers to them with a confidence.
"""
