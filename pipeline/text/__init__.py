"""Text as every field parser and the tagger read it: the one Unicode fold (with offsets back
to the original), mojibake repair, HTML to text, whitespace, and the one language rule.
"""
