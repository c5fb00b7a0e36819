"""The title-like lines of a long text (a resume, a profile), for the title view.

A resume names its occupation in short lines: a headline ("Java Developer"), positions held
("Operations Manager"), skills one per line. Matched as one bag of character n-grams against
occupation titles, the whole text is mostly noise; its short lines, each matched as a title,
are not. This module finds those lines: bullets start a new line, section headings ("Skill
Details", "Work Experience") and their labels ("company - ...") are dropped, duration notes
("Java - Experience - 24 months") are cut off, and the lines left of at most MAX_LINE_WORDS
words are kept.
"""

from __future__ import annotations

import re

# Chosen on the tuning half of the resume split (4 and 6 tried; 8 was worse).
MAX_LINE_WORDS = 4

# A bullet, also in its mojibake forms (UTF-8 read as cp1252, with or without the lost byte).
_BULLETS = re.compile("\u2022|\u00e2\u20ac\u00a2|\u00e2\\?\u00a2|[\u25cf\u25aa\u27a2\uf0b7]")
_LINE_BREAKS = re.compile(r"[\r\n]+")
_DURATION = re.compile(
    r"\s*-\s*[A-Za-z]+\s*-\s*(?:less than\s+)?\d+(?:\.\d+)?\s*\+?\s*(?:years?|months?)(?:\s+months?)?",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^([A-Za-z ]{2,30}?)\s*[-:]\s+(.*)$")
_WORDS = re.compile(r"[A-Za-z]+")
_HAS_WORD = re.compile(r"[A-Za-z]{3}")
_TRIM = " \t:-.,;|"
# Words that section headings of resumes are made of; a line of these words alone is a heading.
_HEADING_WORDS = frozenset(
    {
        "academic", "achievements", "and", "awards", "career", "certification", "certifications",
        "company", "computer", "contact", "declaration", "description", "details", "education",
        "educational", "employment", "experience", "experiences", "history", "hobbies", "information",
        "interests", "it", "key", "language", "languages", "objective", "objectives", "of", "other",
        "personal", "professional", "profile", "project", "projects", "qualification", "qualifications",
        "references", "responsibilities", "responsibility", "skill", "skills", "strength", "strengths",
        "summary", "technical", "work",
    }
)


def is_heading(line: str) -> bool:
    """True when every word of the line is a section-heading word ("Skill Details")."""
    words = _WORDS.findall(line.lower())
    return bool(words) and all(word in _HEADING_WORDS for word in words)


def _strip_label(line: str) -> str:
    """ "company - LRC Office" -> "LRC Office" (a heading-word label before a dash or colon)."""
    label = _LABEL.match(line)
    if label and is_heading(label.group(1)):
        return label.group(2).strip(_TRIM)
    return line


def title_lines(text: str, max_words: int = MAX_LINE_WORDS) -> list[str]:
    """The short, title-like lines of a text, in order (empty for a text of long lines)."""
    lines: list[str] = []
    for raw in _LINE_BREAKS.split(_BULLETS.sub("\n", text)):
        line = _strip_label(_DURATION.sub("", raw).strip(_TRIM))
        if not line or is_heading(line) or not _HAS_WORD.search(line):
            continue
        if len(line.split()) <= max_words:
            lines.append(line)
    return lines
