"""Countries and regions that the plan's international forums name, by ISO 3166-1 alpha-2
code ("EU" is the code ISO reserves for the European Union), with Japanese and English
names. A small list on purpose: the counterparts of Japan's forums, not every country."""

from __future__ import annotations

from django.utils import translation

# code: (Japanese, English)
COUNTRIES: dict[str, tuple[str, str]] = {
    "AU": ("オーストラリア", "Australia"),
    "BN": ("ブルネイ", "Brunei"),
    "CA": ("カナダ", "Canada"),
    "CN": ("中国", "China"),
    "DE": ("ドイツ", "Germany"),
    "EU": ("EU", "European Union"),
    "FI": ("フィンランド", "Finland"),
    "FJ": ("フィジー", "Fiji"),
    "FR": ("フランス", "France"),
    "GB": ("英国", "United Kingdom"),
    "ID": ("インドネシア", "Indonesia"),
    "IN": ("インド", "India"),
    "IT": ("イタリア", "Italy"),
    "JP": ("日本", "Japan"),
    "KH": ("カンボジア", "Cambodia"),
    "KR": ("韓国", "Republic of Korea"),
    "LA": ("ラオス", "Laos"),
    "MY": ("マレーシア", "Malaysia"),
    "NL": ("オランダ", "Netherlands"),
    "NO": ("ノルウェー", "Norway"),
    "NZ": ("ニュージーランド", "New Zealand"),
    "PH": ("フィリピン", "Philippines"),
    "SE": ("スウェーデン", "Sweden"),
    "SG": ("シンガポール", "Singapore"),
    "TH": ("タイ", "Thailand"),
    "TW": ("台湾", "Taiwan"),
    "US": ("米国", "United States"),
    "VN": ("ベトナム", "Viet Nam"),
}


def is_country_code(code: str) -> bool:
    return code in COUNTRIES


def country_name(code: str) -> str:
    """The name in the active language; an unknown code is shown as it is."""
    names = COUNTRIES.get(code)
    if names is None:
        return code
    english = (translation.get_language() or "ja")[:2] == "en"
    return names[1] if english else names[0]
