"""People's stored profiles and feedback (special-care personal data): the encrypted store (with
each profile's owner and counselor grants), its key, recommendations for stored profiles, and the
API keys that decide who may reach them.
"""
