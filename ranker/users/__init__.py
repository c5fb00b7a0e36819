"""People's stored profiles and feedback (special-care personal data): the encrypted store, its
key, and recommendations for stored profiles.
"""
