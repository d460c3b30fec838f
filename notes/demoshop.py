"""The demo shop in each language its cards are written in: its settings (locale, currency,
sign-off, return address), what it sells, and what its customers write in order notes.

`notes demo --locale de_DE` is a German shop with German customers: every word on its cards and
envelopes is German. A locale whose language has no cards gets the English shop.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from notes.config import DayRules, Shop
from notes.grammar import language_of


@dataclass(frozen=True)
class DemoShop:
    shop: Shop
    # (name, price); the sixth is the scarf a big order adds
    products: tuple[tuple[str, str], ...]
    complaint: str  # an order note asking for a replacement
    broken: str  # the word in it that makes `notes day` choose the apology card
    referred_by: str  # an order note naming who sent them: "Referred by {name}"
    currency_symbol: str = "$"

    def rules(self) -> DayRules:
        """The default rules, plus this language's word for a broken parcel."""
        rules = DayRules()
        if self.broken not in rules.apology_words:
            rules.apology_words.append(self.broken)
        return rules


_NAME, _SENDER = "Juniper & Clay", "Maya"
ENGLISH = DemoShop(
    Shop(_NAME, _SENDER, "Warmly,", return_address=[_NAME, "12 Market Street", "Portland, OR 97201"]),
    (("Wool Socks", "12.00"), ("Ceramic Mug", "24.00"), ("Linen Apron", "38.00"),
     ("Tea Towel", "9.00"), ("Beeswax Candle", "16.00"), ("Knitted Scarf", "45.00"),
     ("Stoneware Bowl", "28.00"), ("Hand Cream", "14.00")),
    "The mug arrived broken, could you send another?",
    "broken",
    "Referred by {name}",
)  # fmt: skip
_PRICES = tuple(price for _, price in ENGLISH.products)


def _shop(locale: str, signature: str, *address: str) -> Shop:
    return Shop(_NAME, _SENDER, signature, locale, "EUR", [_NAME, *address])


def _euro_shop(
    locale: str, signature: str, address: tuple[str, str], products: str, notes: tuple[str, ...]
) -> DemoShop:
    names = products.split("; ")
    return DemoShop(
        _shop(locale, signature, *address), tuple(zip(names, _PRICES, strict=True)), *notes, "€"
    )


_SHOPS = {
    "de": _euro_shop(
        "de_DE", "Herzliche Grüße", ("Marktstraße 12", "10115 Berlin"),
        "Wollsocken; Keramiktasse; Leinenschürze; Geschirrtuch; Bienenwachskerze; Strickschal; "
        "Steingutschale; Handcreme",
        ("Die Tasse kam zerbrochen an, könnt ihr mir eine neue schicken?", "zerbrochen",
         "Empfohlen von {name}"),
    ),
    "fr": _euro_shop(
        "fr_FR", "Bien chaleureusement,", ("12 rue du Marché", "69002 Lyon"),
        "Chaussettes en laine; Tasse en céramique; Tablier en lin; Torchon; "
        "Bougie à la cire d’abeille; Écharpe tricotée; Bol en grès; Crème pour les mains",
        ("La tasse est arrivée cassée, pourriez-vous m’en envoyer une autre ?", "cassée",
         "Recommandé par {name}"),
    ),
    "es": _euro_shop(
        "es_ES", "Un abrazo,", ("Calle del Mercado 12", "28005 Madrid"),
        "Calcetines de lana; Taza de cerámica; Delantal de lino; Paño de cocina; "
        "Vela de cera de abeja; Bufanda de punto; Cuenco de gres; Crema de manos",
        ("La taza llegó rota, ¿podéis enviarme otra?", "rota", "Recomendado por {name}"),
    ),
    "it": _euro_shop(
        "it_IT", "Un caro saluto,", ("Via del Mercato 12", "20121 Milano MI"),
        "Calzini di lana; Tazza in ceramica; Grembiule di lino; Strofinaccio; "
        "Candela di cera d’api; Sciarpa ai ferri; Ciotola in gres; Crema mani",
        ("La tazza è arrivata rotta, potete mandarmene un’altra?", "rotta",
         "Consigliato da {name}"),
    ),
    "nl": _euro_shop(
        "nl_NL", "Hartelijke groet,", ("Marktstraat 12", "1012 AB Amsterdam"),
        "Wollen sokken; Keramieken mok; Linnen schort; Theedoek; Bijenwaskaars; "
        "Gebreide sjaal; Aardewerken kom; Handcrème",
        ("De mok kwam kapot aan, kunnen jullie een nieuwe sturen?", "kapot",
         "Aanbevolen door {name}"),
    ),
    "pt": _euro_shop(
        "pt_PT", "Com carinho,", ("Rua do Mercado 12", "1100-148 Lisboa"),
        "Meias de lã; Caneca de cerâmica; Avental de linho; Pano de cozinha; "
        "Vela de cera de abelha; Cachecol de tricô; Taça de grés; Creme de mãos",
        ("A caneca chegou partida, podem enviar-me outra?", "partida", "Recomendado por {name}"),
    ),
}  # fmt: skip


def demo_shop(locale: str) -> DemoShop:
    """The demo shop for a Faker locale: German for de_DE (and de_AT, with its locale), ..."""
    found = _SHOPS.get(language_of(locale))
    if found is None:
        return ENGLISH
    return replace(found, shop=replace(found.shop, locale=locale.replace("-", "_")))
