"""One module per canonical field read from structured values or free text, Japanese and English:
dates, employment types, hours per week, locations, remote work, salary.
"""
