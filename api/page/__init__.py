"""ippo's web page for people (api/page): server-rendered, in Japanese and English, served by the
API's app at ``/`` (docs/page.md).

A job seeker builds a profile step by step (every question skippable, saved as they go), opened
again with a private link or a short code (ranker.users.page_identities), sees ten
recommendations at a time through the API's result serializer (ranker.present.page_to_dict),
saves, hides and applies, downloads or erases everything. A counselor signs in with a counselor
key and sees the people who shared with them. Forms carry a per-session CSRF token beside
SameSite=Strict cookies; nothing of a profile is logged.
"""

from api.page.routes import router

__all__ = ["router"]
