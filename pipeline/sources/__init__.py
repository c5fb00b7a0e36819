"""Sources: one normalizer per kind of raw item the crawlers write, each a canonical listing.

``kinds.py`` maps an item's ``kind`` to its ``identify`` (listing id and content hash, cheap) and
``normalize`` (the full listing). Each source module (``jobposting``, ``greenhouse``, ``lever``,
``ashby``, ``usajobs``, ``remoteok``) only maps its payload's names onto canonical fields; parsing
pay, hours, places, dates, employment types and remote work is the shared code of
``pipeline.fields``, and ``build.py`` builds every listing the same way, so every source is judged
by the same rules.
"""
