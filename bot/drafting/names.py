"""The first names the privacy guard knows, from Faker's person providers: every locale it
ships (about 85, from Icelandic to Yoruba), in Latin script, lowercased, with and without
accents. Faker is offline and well kept; we read only its name tuples, never generate data.

Also the common English words a name list must not swallow: Faker's own English word list plus
:mod:`bot.drafting.vocabulary`.
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from dataclasses import dataclass

from bot.drafting.vocabulary import EVERYDAY, FUNCTION_WORDS

_ATTRIBUTES = ("first_name", "first_romanized_name")
_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("ly", ""), ("s", ""), ("d", ""))


def fold(word: str) -> str:
    """Lowercase without accents: "José" and "jose" are one name."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def _latin(name: str) -> bool:
    return bool(name) and all(c.isalpha() or c in "-' " for c in name) and all(ord(c) < 0x250 for c in name)


@dataclass(frozen=True)
class NameBook:
    first_names: frozenset[str]
    """Folded first names."""
    common_words: frozenset[str]
    """Folded common English words."""

    @classmethod
    def from_faker(cls) -> NameBook:
        """Read every locale's first names (about 21,000) and Faker's English word list; a few
        tenths of a second, so the composition root builds one and shares it."""
        import faker.providers.lorem.en_US as lorem
        import faker.providers.person as person

        names: set[str] = set()
        for module in pkgutil.iter_modules(person.__path__):
            provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
            for attribute in dir(provider):
                values = getattr(provider, attribute)
                if attribute.startswith(_ATTRIBUTES) and isinstance(values, (tuple, list, dict)):
                    names.update(fold(v) for v in values if isinstance(v, str) and _latin(v))
        words = {fold(w) for w in lorem.Provider.word_list} | FUNCTION_WORDS | EVERYDAY
        return cls(frozenset(n for part in names for n in part.split()), frozenset(words))

    def is_name(self, word: str) -> bool:
        return fold(word) in self.first_names

    def is_common(self, word: str) -> bool:
        """Whether ``word`` (or its stem: "tried" → "try", "kids" → "kid") is common English."""
        folded = fold(word)
        if folded in self.common_words:
            return True
        for suffix, replacement in _SUFFIXES:
            if folded.endswith(suffix) and len(folded) - len(suffix) >= 3:
                if folded[: -len(suffix)] + replacement in self.common_words:
                    return True
        return False
