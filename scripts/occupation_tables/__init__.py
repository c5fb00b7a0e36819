"""Building and calibrating the occupation tables shipped in pipeline/data/occupations/.
"""
