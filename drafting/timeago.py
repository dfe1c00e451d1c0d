"""How long ago something happened, as a person says it: "5 minutes ago", "hace 5 minutos", "ayer".

Pure functions of two instants and a language, so the same context always reads
the same way (the drafting context, its snapshot and the golden prompts rely on
that). English and Spanish are spelled out; any other language reads as English.
"""

from __future__ import annotations

from datetime import datetime, timedelta

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR

# A clock on another machine (a shared PostgreSQL, an email server) may run a
# little ahead of ours; a message stamped seconds "in the future" is just now.
_SKEW_TOLERANCE = timedelta(minutes=1)

# (singular, plural) per unit; Spanish puts "hace" before the number.
_UNITS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "minute": ("minute", "minutes"),
        "hour": ("hour", "hours"),
        "day": ("day", "days"),
        "week": ("week", "weeks"),
        "month": ("month", "months"),
        "year": ("year", "years"),
    },
    "es": {
        "minute": ("minuto", "minutos"),
        "hour": ("hora", "horas"),
        "day": ("día", "días"),
        "week": ("semana", "semanas"),
        "month": ("mes", "meses"),
        "year": ("año", "años"),
    },
}


def language_of(lang: str) -> str:
    """The language these texts are written in: `es` for any Spanish tag (`es-MX`), else `en`."""
    return "es" if lang.strip().lower().replace("_", "-").split("-")[0] == "es" else "en"


def _count(n: int, unit: str, lang: str) -> str:
    singular, plural = _UNITS[lang][unit]
    return f"{n} {singular if n == 1 else plural}"


def _amount(seconds: float) -> tuple[int, str]:
    """The largest unit that fits, counted down (3 days 23 hours is 3 days)."""
    days = int(seconds // DAY)
    if seconds < HOUR:
        return int(seconds // MINUTE), "minute"
    if seconds < DAY:
        return int(seconds // HOUR), "hour"
    if days < 7:
        return days, "day"
    if days < 30:
        return days // 7, "week"
    if days < 365:
        return days // 30, "month"
    return days // 365, "year"


def relative_time(when: datetime, now: datetime, lang: str) -> str:
    """`when` as seen from `now`: "just now", "5 minutes ago", "yesterday", "2 weeks ago" (or in Spanish).

    Both instants must be aware (or both naive). Anything under a minute is
    "just now"; 24 to 48 hours is "yesterday"; weeks up to a month, months
    (of 30 days) up to a year. A time more than a minute ahead reads "in …".
    """
    language = language_of(lang)
    delta = now - when
    if delta < -_SKEW_TOLERANCE:
        n, unit = _amount(-delta.total_seconds())
        amount = _count(max(n, 1), unit, language)
        return f"dentro de {amount}" if language == "es" else f"in {amount}"
    seconds = max(delta.total_seconds(), 0.0)
    if seconds < MINUTE:
        return "ahora mismo" if language == "es" else "just now"
    n, unit = _amount(seconds)
    if unit == "day" and n == 1:
        return "ayer" if language == "es" else "yesterday"
    amount = _count(n, unit, language)
    return f"hace {amount}" if language == "es" else f"{amount} ago"


def duration(start: datetime, now: datetime, lang: str) -> str:
    """How long from `start` to `now`, for tenure: "1 year and 2 months", "3 semanas", "5 days".

    Years and months are counted in days (365 and 30), which is what a person
    means by "customer for about a year and two months".
    """
    language = language_of(lang)
    days = max((now - start).days, 0)
    joiner = " y " if language == "es" else " and "
    if days >= 365:
        years, months = days // 365, (days % 365) // 30
        text = _count(years, "year", language)
        return text + joiner + _count(months, "month", language) if months else text
    if days >= 30:
        return _count(days // 30, "month", language)
    if days >= 7:
        return _count(days // 7, "week", language)
    if days == 0:
        return "menos de un día" if language == "es" else "less than a day"
    return _count(days, "day", language)
