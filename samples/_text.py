"""The words of the sample documents: letters, report, memo, budget and slides in Kazakh, Russian, English.

Kept apart from the builders so that a reader can check the language without reading python-docx calls,
and so that tests can ask which Kazakh-specific letters a text must contain. The organisation, people and
addresses are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: The nine letters of the Kazakh alphabet that Russian Cyrillic lacks, lower and upper case. Every one must
#: survive every conversion step; the Kazakh letter contains all eighteen.
KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"


def utc(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A naive UTC timestamp: the form python-docx, openpyxl and python-pptx all accept for core dates."""
    return dt.datetime(year, month, day, hour, minute)


@dataclass(frozen=True, slots=True, kw_only=True)
class Meta:
    """Core properties (docProps/core.xml) shared by every format."""

    title: str
    subject: str
    author: str
    keywords: str
    language: str
    created: dt.datetime
    modified: dt.datetime
    description: str = ""
    category: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Letter:
    """An official letter on the centre's letterhead."""

    meta: Meta
    letterhead: tuple[str, ...]
    date: str
    ref: str
    addressee: tuple[str, ...]
    subject: str
    salutation: str
    body: tuple[str, ...]
    closing: str
    enclosure: str
    position: str
    signatory: str
    executor: str


LETTER_KK = Letter(
    meta=Meta(
        title="Электрондық құжаттарды мемлекеттік сақтауға тапсыру туралы хат",
        subject="Ашық форматтарға көшу",
        author="Ә. Сұлтанбекова",
        keywords="хат; ODF; PDF/A; мұрағат; электрондық құжат",
        language="kk-KZ",
        created=utc(2026, 1, 14, 8, 30),
        modified=utc(2026, 1, 14, 9, 15),
        description="Аудан әкімдігіне ашық форматтар туралы ақпараттық хат",
        category="Шығыс хат",
    ),
    letterhead=(
        "СОЛТҮСТІК ӨҢІРЛІК МЕМЛЕКЕТТІК ҚҰЖАТ ОРТАЛЫҒЫ",
        "020000, КӨКШЕТАУ ҚАЛАСЫ, ЖАҺАНША СЕЙДАЛИН КӨШЕСІ, 12",
        "тел.: 8 (7162) 50-12-34 · e-mail: info@qujat.example.kz",
    ),
    date="2026 жылғы 14 қаңтар",
    ref="№ 01-12/45",
    addressee=("Бурабай ауданы әкімі", "аппаратының басшысына", "Щучинск қаласы"),
    subject="Электрондық құжаттарды мемлекеттік сақтауға тапсыру туралы",
    salutation="Құрметті әріптестер!",
    body=(
        "Солтүстік өңірлік мемлекеттік құжат орталығы 2026 жылғы 1 наурыздан бастап тұрақты сақталатын "
        "электрондық құжаттарды тек ашық форматтарда қабылдайтынын хабарлайды: мәтіндік құжаттар ODF (ODT) "
        "форматында, ал түпнұсқалардың электрондық көшірмелері PDF/A форматында ұсынылуы тиіс.",
        "Осыған байланысты 2025 жылғы істерді тапсыру кестесін қарап, жауапты қызметкерді тағайындауыңызды "
        "сұраймыз. Құжаттарды тапсырар алдында олардың толықтығын, электрондық цифрлық қолтаңбалардың "
        "жарамдылығын және файл атаулары мен метадеректердегі қазақ әріптерінің (ә, ғ, қ, ң, ө, ұ, ү, һ, і) "
        "бұзылмай сақталуын тексеру қажет.",
        "Қабылдау кестесі мен әдістемелік ұсынымдар хатқа қоса беріліп отыр. Сұрақтар туындаған жағдайда "
        "орталықтың ведомстволық мұрағаттармен жұмыс бөліміне хабарласуыңызды сұраймыз.",
    ),
    closing="Құрметпен,",
    enclosure="Қосымша: 3 парақта.",
    position="Директор",
    signatory="Ә. Сұлтанбекова",
    executor="Орынд.: Ғ. Қаһарманов, тел.: 8 (7162) 50-12-34",
)

LETTER_RU = Letter(
    meta=Meta(
        title="Письмо о передаче электронных документов на государственное хранение",
        subject="Переход на открытые форматы",
        author="А. Султанбекова",
        keywords="письмо; ODF; PDF/A; архив; электронный документ",
        language="ru-RU",
        created=utc(2026, 1, 14, 8, 40),
        modified=utc(2026, 1, 14, 9, 20),
        description="Информационное письмо акимату района об открытых форматах",
        category="Исходящее письмо",
    ),
    letterhead=(
        "СЕВЕРНЫЙ РЕГИОНАЛЬНЫЙ ГОСУДАРСТВЕННЫЙ ЦЕНТР ДОКУМЕНТАЦИИ",
        "020000, г. Кокшетау, ул. Джаханши Сейдалина, 12",
        "тел.: 8 (7162) 50-12-34 · e-mail: info@qujat.example.kz",
    ),
    date="14 января 2026 г.",
    ref="№ 01-12/46",
    addressee=("Руководителю аппарата", "акима Бурабайского района", "г. Щучинск"),
    subject="О передаче электронных документов на государственное хранение",
    salutation="Уважаемые коллеги!",
    body=(
        "Северный региональный государственный центр документации сообщает, что с 1 марта 2026 года "
        "электронные документы постоянного срока хранения принимаются только в открытых форматах: "
        "текстовые документы — в формате ODF (ODT), электронные копии подлинников — в формате PDF/A.",
        "В связи с этим просим рассмотреть график передачи дел за 2025 год и назначить ответственного "
        "сотрудника. До передачи необходимо проверить полноту документов, действительность электронных "
        "цифровых подписей и сохранность казахских букв (ә, ғ, қ, ң, ө, ұ, ү, һ, і) в названиях файлов "
        "и метаданных.",
        "График приёма и методические рекомендации прилагаются. По возникающим вопросам просим обращаться "
        "в отдел по работе с ведомственными архивами центра.",
    ),
    closing="С уважением,",
    enclosure="Приложение: на 3 листах.",
    position="Директор",
    signatory="А. Султанбекова",
    executor="Исп.: Г. Кахарманов, тел.: 8 (7162) 50-12-34",
)

LETTER_EN = Letter(
    meta=Meta(
        title="Exchange of experience on open document formats",
        subject="Migration to open formats",
        author="Aigerim Sultanbekova",
        keywords="letter; ODF; PDF/A; digital preservation",
        language="en-GB",
        created=utc(2026, 1, 14, 10, 0),
        modified=utc(2026, 1, 14, 10, 45),
        description="Reply to a partner record office about validation of open formats",
        category="Outgoing letter",
    ),
    letterhead=(
        "NORTHERN REGIONAL STATE DOCUMENTATION CENTRE",
        "12 Zhahansha Seidalin Street, Kokshetau 020000, Republic of Kazakhstan",
        "Tel. +7 7162 50 12 34 · info@qujat.example.kz",
    ),
    date="14 January 2026",
    ref="Our ref. 01-12/47",
    addressee=(
        "Mr Thomas Reid",
        "Head of Digital Preservation",
        "Northshire County Record Office",
        "County Hall, Market Street",
        "Northshire NS1 2AB",
        "United Kingdom",
    ),
    subject="Exchange of experience on open document formats",
    salutation="Dear Mr Reid,",
    body=(
        "Thank you for your letter of 2 December 2025 and for the materials from your workshop on the "
        "long-term preservation of electronic records.",
        "From 1 March 2026 our Centre will accept records of permanent value only in open formats: text "
        "documents in ODF (ODT) and authentic copies in PDF/A. Most of our records are written in Kazakh and "
        "Russian, so we test every conversion step to make sure that the Kazakh letters ә, ғ, қ, ң, ө, ұ, ү, "
        "һ and і survive in the text, in file names and in metadata.",
        "We would welcome the chance to compare validation procedures with your team and propose a video "
        "call in the second half of February. Our colleague Ghalym Kakharmanov, who coordinates the "
        "project, will contact you to agree a date.",
    ),
    closing="Yours sincerely,",
    enclosure="Enclosure: draft programme of the February call (2 pages)",
    position="Director, Northern Regional State Documentation Centre",
    signatory="Aigerim Sultanbekova",
    executor="Contact: Ghalym Kakharmanov, +7 7162 50 12 34",
)
