"""Small distinct French articles for tests that need a dump (crash, reliability)."""

from __future__ import annotations

PLACES = [("Rwanda", "rwandais", "Kigali"), ("Kenya", "kényan", "Nairobi"), ("Sénégal", "sénégalais", "Dakar"),
          ("Ghana", "ghanéen", "Accra"), ("Maroc", "marocain", "Rabat"), ("Nigeria", "nigérian", "Abuja"),
          ("Cameroun", "camerounais", "Yaoundé"), ("Mali", "malien", "Bamako"), ("Tunisie", "tunisien", "Tunis"),
          ("Éthiopie", "éthiopien", "Addis-Abeba"), ("Ouganda", "ougandais", "Kampala")]
TARGETS = ["des écoles rurales", "des hôpitaux régionaux", "des centrales solaires", "des routes nationales",
           "des ports de pêche", "des réseaux de fibre optique", "des coopératives agricoles"]
PARTNERS = ["la Banque mondiale", "l'Union européenne", "la Banque africaine de développement",
            "l'Agence française de développement", "le Fonds monétaire international"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre", "novembre"]


def varied(i: int) -> str:
    """A distinct small French article (lines differ in words, not only digits: no dump chrome)."""
    country, adj, city = PLACES[i % len(PLACES)]
    other, _, other_city = PLACES[(3 * i + 5) % len(PLACES)]
    target, partner = TARGETS[i % len(TARGETS)], PARTNERS[i % len(PARTNERS)]
    return (f"{country} : un nouveau programme pour {target}\n\n"
            f"Le gouvernement {adj} a signé le {1 + i % 27} {MONTHS[i % len(MONTHS)]} 2025 à {city} un accord de "
            f"{10 + i} millions de dollars avec {partner} pour financer {target}.\n\n"
            f"Le ministre a précisé que le pays voisin, {other}, participera au projet, qui doit s'achever en "
            f"{2026 + i % 4}, selon un communiqué publié à {other_city}.\n\n"
            f"Des représentants de {PARTNERS[(i + 2) % len(PARTNERS)]} ont salué une initiative ambitieuse pour "
            f"{TARGETS[(i + 3) % len(TARGETS)]} du pays.")
