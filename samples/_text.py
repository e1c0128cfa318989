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

#: The (invented) public body behind every document, named in each file's extended properties.
ORGANISATION = "Солтүстік өңірлік мемлекеттік құжат орталығы"


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


# -- The report (Russian, with a Kazakh summary) -----------------------------------------------------------
#
# Blocks are (kind, payload) pairs, so that the builder stays a loop: "title", "subtitle", "h1", "h2", "p",
# "bullets", "numbers", "table", "figure", "logo", "pagebreak". "[[n]]" in a paragraph marks footnote n.

NBSP = "\u00a0"

REPORT_META = Meta(
    title="Отчёт о переводе электронных документов в открытые форматы за 2025 год",
    subject="Итоги пилотного проекта Qujat",
    author="Г. Кахарманов",
    keywords="отчёт; ODF; PDF/A; конвертация; архив; казахский алфавит",
    language="ru-RU",
    created=utc(2026, 1, 20, 6, 30),
    modified=utc(2026, 1, 26, 11, 10),
    description="Итоги пилотного перевода поступающих документов в ODF и PDF/A, апрель–декабрь 2025 года",
    category="Отчёт",
)

REPORT_HEADER = ("Северный региональный государственный центр документации", "Отчёт за 2025 год")
#: Footer around the PAGE and NUMPAGES fields.
REPORT_FOOTER = ("Страница ", " из ", "")

REPORT_FOOTNOTES = (
    "ODF (Open Document Format for Office Applications) — открытый формат офисных документов, стандарт "
    "ISO/IEC 26300; центр принимает документы в строгом соответствии с ODF 1.3.",
    "PDF/A — подмножество PDF для долговременного хранения (ISO 19005). Части 2 и 3 стандарта "
    "допускают уровни соответствия b (внешний вид) и u (дополнительно извлекаемый текст в Юникоде).",
    "Шрифт Caladea, который LibreOffice подставляет вместо Cambria, содержит только латиницу.",
)

#: Documents received and converted, by type: (type, formats, received, converted).
REPORT_BY_TYPE = (
    ("Текстовые документы", "DOCX, DOC, RTF", 12480, 12211),
    ("Электронные таблицы", "XLSX, XLS", 3910, 3802),
    ("Презентации", "PPTX, PPT", 640, 629),
    ("Сканированные документы", "PDF, TIFF", 1610, 1598),
)

#: Month of 2025 -> (received, rejected); the sums agree with REPORT_BY_TYPE.
REPORT_BY_MONTH = (
    ("Апрель", 1480, 78),
    ("Май", 1750, 72),
    ("Июнь", 2010, 64),
    ("Июль", 1920, 47),
    ("Август", 2250, 44),
    ("Сентябрь", 2400, 36),
    ("Октябрь", 2360, 26),
    ("Ноябрь", 2280, 19),
    ("Декабрь", 2190, 14),
)

REPORT_BLOCKS: tuple[tuple[str, object], ...] = (
    ("logo", None),
    ("title", REPORT_META.title),
    ("subtitle", "Северный региональный государственный центр документации · Кокшетау, 2026"),
    ("h1", "1. Введение"),
    (
        "p",
        "Настоящий отчёт подготовлен отделом электронного архива по итогам пилотного проекта «Qujat», "
        "который проводился с апреля по декабрь 2025 года. Цель проекта — проверить, можно ли без потерь "
        "переводить поступающие в центр документы из форматов Microsoft Office в открытые форматы ODF[[1]] "
        "и PDF/A[[2]], пригодные для постоянного хранения.",
    ),
    (
        "p",
        "В проекте участвовали пять организаций — источников комплектования: аппарат акима Бурабайского "
        "района, два районных отдела образования, областное управление здравоохранения и городской отдел "
        "земельных отношений. Документы поступали на казахском и русском языках, небольшая часть — на "
        "английском.",
    ),
    ("h1", "2. Состав и объём документов"),
    (
        "p",
        f"За отчётный период в центр поступило 18{NBSP}640 файлов общим объёмом 41,7{NBSP}ГБ. "
        "Распределение по типам приведено в таблице 1.",
    ),
    ("table", "by-type"),
    ("h2", "2.1. Текстовые документы"),
    (
        "p",
        "Основную массу составляют служебные письма, приказы и протоколы в формате DOCX. Около 9 % "
        "текстовых документов содержат рецензирование — исправления и примечания, которые не были приняты "
        "до отправки в архив. Каждый пятый документ содержит таблицы, каждый десятый — сноски.",
    ),
    ("h2", "2.2. Электронные таблицы и презентации"),
    (
        "p",
        "Электронные таблицы — это главным образом бюджетные заявки и отчёты об исполнении бюджета. В них "
        "широко используются формулы со ссылками на другие листы, объединённые ячейки, именованные "
        "диапазоны и диаграммы. Презентации поступают редко и, как правило, сопровождают протоколы "
        "совещаний.",
    ),
    ("h1", "3. Результаты конвертации"),
    (
        "p",
        "Каждый документ проходил одну и ту же цепочку: определение формата по содержимому файла, "
        "предварительная проверка на шифрование и опасные конструкции, преобразование в LibreOffice, "
        "доводка PDF до соответствия PDF/A, проверка валидатором и сравнение исходного и полученного "
        "документов.",
    ),
    (
        "p",
        "Доля успешно конвертированных документов росла от месяца к месяцу (рисунок 1): после того как на "
        "серверы преобразования были установлены шрифты с полной поддержкой казахского алфавита, число "
        "документов, отправленных на ручную проверку, сократилось почти вдвое.",
    ),
    ("figure", "Рисунок 1 — Доля успешно конвертированных документов по месяцам 2025 года, %"),
    ("h2", "3.1. Причины отказов"),
    ("p", "Из 400 отклонённых файлов:"),
    (
        "bullets",
        (
            "173 были зашифрованы паролем;",
            "121 оказался повреждён при передаче (обрезанные архивы);",
            "64 имели расширение, не соответствующее содержимому, — чаще всего это страница веб-портала, "
            "сохранённая под именем документа;",
            "42 превысили установленные ограничения по размеру или степени сжатия.",
        ),
    ),
    ("h1", "4. Выявленные проблемы"),
    ("h2", "4.1. Шрифты"),
    (
        "p",
        "Наиболее частая причина искажений — шрифты. Если в документе использован шрифт, которого нет на "
        "сервере преобразования, LibreOffice подставляет замену. Для Calibri существует метрически "
        "совместимый шрифт Carlito, а заменитель Cambria не содержит кириллицы[[3]], поэтому казахские "
        "и русские буквы в таких документах отображаются другим шрифтом и вёрстка может сдвигаться.",
    ),
    ("h2", "4.2. Рецензирование и примечания"),
    (
        "p",
        "Документы с непринятыми исправлениями нельзя передавать на постоянное хранение без решения автора: "
        "в итоговом PDF/A видна только одна из версий текста. Такие документы направляются на ручную "
        "проверку с указанием числа исправлений и примечаний.",
    ),
    ("h2", "4.3. Имена файлов"),
    (
        "p",
        "В 2,4 % поступлений имена файлов были искажены ещё до передачи в центр: при упаковке в ZIP-архив на "
        "рабочих станциях с устаревшим программным обеспечением казахские буквы заменялись вопросительными "
        "знаками. Центр рекомендует передавать документы через портал, а не архивами.",
    ),
    ("h1", "5. Выводы и рекомендации"),
    (
        "numbers",
        (
            "Принимать документы постоянного хранения в форматах ODF и PDF/A-2b; для документов, к которым "
            "прилагается исходный файл, использовать PDF/A-3b.",
            "Установить на всех серверах преобразования шрифты, покрывающие казахский алфавит, и "
            "контролировать подстановку шрифтов в отчёте о сравнении.",
            "Отклонять зашифрованные и повреждённые файлы с понятным сообщением для отправителя, не пытаясь "
            "подобрать пароль.",
            "Хранить исходные файлы не менее трёх лет после преобразования вместе с отчётом о проверке и "
            "контрольной суммой SHA-256.",
        ),
    ),
    ("h1", "Түйіндеме"),
    (
        "p",
        f"2025 жылы орталыққа 18{NBSP}640 файл түсті, оның 97,9 пайызы ODF және PDF/A форматтарына сәтті "
        "түрлендірілді. Бас тартудың негізгі себептері — құпиясөзбен шифрланған және тасымалдау кезінде "
        "бүлінген файлдар. Қазақ әріптерін толық қамтитын қаріптер орнатылғаннан кейін қолмен тексеруге "
        "жіберілетін құжаттар саны екі есеге жуық азайды.",
    ),
    ("pagebreak", None),
    ("h1", "Приложение А. Помесячная статистика"),
    ("table", "by-month"),
    (
        "p",
        "Сведения получены из журнала заданий системы преобразования; повторные поступления одного и того же "
        "файла (по контрольной сумме SHA-256) учтены один раз.",
    ),
)

REPORT_TABLE_CAPTIONS = {
    "by-type": "Таблица 1 — Поступившие документы по типам",
    "by-month": "Таблица А.1 — Поступившие документы по месяцам 2025 года",
}


# -- The memo (English, reviewed in Kazakh and English) ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """A tracked insertion or deletion."""

    kind: str  # "ins" or "del"
    text: str
    author: str
    date: dt.datetime


@dataclass(frozen=True, slots=True)
class Remark:
    """Text with a comment anchored on it."""

    text: str
    comment: str
    author: str
    initials: str


REVIEWER = "Әйгерім Сұлтанбекова"
REVIEWED = utc(2026, 1, 22, 10, 5)
COMMENTED = utc(2026, 1, 22, 11, 40)


@dataclass(frozen=True, slots=True, kw_only=True)
class Memo:
    """An internal memo under review."""

    meta: Meta
    head: tuple[tuple[str, str], ...]
    body: tuple[tuple[str | Change | Remark, ...], ...]
    signature: str
    commented: dt.datetime


MEMO_META = Meta(
    title="Keeping source files after conversion to open formats",
    subject="Retention of original files",
    author="Ғалым Қаһарманов",
    keywords="memo; retention; quarantine; ODF; PDF/A",
    language="en-GB",
    created=utc(2026, 1, 21, 7, 45),
    modified=REVIEWED,
    description="Internal memo on how long original files are kept after conversion",
    category="Memorandum",
)

MEMO_HEAD = (
    ("To:", "Head of Records Management"),
    ("From:", "Ghalym Kakharmanov, Head of Information Technology"),
    ("Date:", "21 January 2026"),
    ("Ref.:", "IT-04/2026"),
    ("Subject:", "Keeping source files after conversion to open formats"),
)

MEMO_BODY: tuple[tuple[str | Change | Remark, ...], ...] = (
    (
        "From 1 March 2026 every incoming office file will be converted to ODF and PDF/A before it is "
        "registered. This memo sets out how long we keep the original files, where they are stored and who "
        "may open them.",
    ),
    (
        "Original files will be kept for ",
        Change("del", "one year", REVIEWER, REVIEWED),
        Change("ins", "three years", REVIEWER, REVIEWED),
        " after conversion ",
        Remark(
            "in the protected storage area",
            "Үш жылдық мерзімді заң бөлімімен келісу қажет.",
            REVIEWER,
            "ӘС",
        ),
        ", together with the conversion report and its SHA-256 checksum.",
    ),
    (
        "Files that fail validation are moved to quarantine and reviewed by the duty archivist within ",
        Change("del", "ten", REVIEWER, REVIEWED),
        Change("ins", "five", REVIEWER, REVIEWED),
        " working days.",
        Change("ins", " The sender is told the reason in plain language.", REVIEWER, REVIEWED),
    ),
    (
        "Encrypted files cannot be converted. The sender is asked for an unprotected copy; ",
        Remark(
            "passwords are never requested or sent by e-mail",
            "Шифрланған файлдар туралы хабарлама үлгісін қосымшаға енгіземін.",
            "Ғалым Қаһарманов",
            "ҒҚ",
        ),
        ".",
    ),
    (
        "Please confirm the retention period by 30 January 2026 so that the storage configuration can be "
        "updated before the pilot starts. ",
        Remark(
            "Read access to the quarantine folder",
            "Please list who has read access, by role rather than by name.",
            REVIEWER,
            "ӘС",
        ),
        " is limited to the duty archivist and the information security officer.",
    ),
)

MEMO = Memo(
    meta=MEMO_META,
    head=MEMO_HEAD,
    body=MEMO_BODY,
    signature="G. Kakharmanov",
    commented=COMMENTED,
)


# -- The budget workbook (Kazakh) -------------------------------------------------------------------------

BUDGET_META = Meta(
    title="2025 жылғы бюджеттің орындалуы",
    subject="Тоқсандар бойынша жоспар мен нақты шығыстар",
    author="Ғалия Өтепова",
    keywords="бюджет; шығыстар; 2025; тоқсан",
    language="kk-KZ",
    created=utc(2026, 1, 12, 4, 20),
    modified=utc(2026, 1, 15, 10, 30),
    description="Солтүстік өңірлік мемлекеттік құжат орталығының 2025 жылғы шығыстары",
    category="Бюджет",
)

BUDGET_ORG = ORGANISATION
BUDGET_SUMMARY = "Жиынтық"
#: (sheet name, last day of the quarter).
BUDGET_QUARTERS = (
    ("1-тоқсан", dt.date(2025, 3, 31)),
    ("2-тоқсан", dt.date(2025, 6, 30)),
    ("3-тоқсан", dt.date(2025, 9, 30)),
    ("4-тоқсан", dt.date(2025, 12, 31)),
)
BUDGET_COLUMNS = ("№", "Шығыс бабы", "Жоспар, ₸", "Нақты, ₸", "Ауытқу, ₸", "Орындалу, %")
#: Article -> per quarter (plan, actual) in tenge.
BUDGET_LINES: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    (
        "Еңбекақы қоры",
        (
            (18_500_000, 18_412_300),
            (18_500_000, 18_497_800),
            (18_900_000, 18_655_100),
            (18_900_000, 18_899_400),
        ),
    ),
    (
        "Әлеуметтік салық пен аударымдар",
        ((1_850_000, 1_841_230), (1_850_000, 1_849_780), (1_890_000, 1_865_510), (1_890_000, 1_889_940)),
    ),
    (
        "Коммуналдық қызметтер",
        ((2_900_000, 3_115_400), (1_600_000, 1_488_900), (1_300_000, 1_254_600), (2_700_000, 2_812_300)),
    ),
    (
        "Бағдарламалық қамтамасыз ету",
        ((3_200_000, 2_950_000), (800_000, 780_000), (800_000, 815_500), (1_200_000, 1_190_000)),
    ),
    ("Серверлік жабдық", ((0, 0), (6_000_000, 5_740_000), (0, 0), (1_500_000, 1_498_000))),
    (
        "Мұрағат қораптары мен жиһаз",
        ((1_200_000, 1_086_700), (400_000, 412_300), (400_000, 366_000), (600_000, 598_900)),
    ),
    (
        "Қызметкерлердің біліктілігін арттыру",
        ((650_000, 420_000), (650_000, 655_000), (350_000, 180_000), (650_000, 640_000)),
    ),
    ("Іссапар шығыстары", ((420_000, 388_150), (420_000, 441_700), (300_000, 212_400), (420_000, 405_300))),
)
BUDGET_CHART_TITLE = "Тоқсандар бойынша жоспар мен нақты шығыстар, ₸"


# -- The presentation (Kazakh) -----------------------------------------------------------------------------

SLIDES_META = Meta(
    title="Ашық форматтарға көшу: 2025 жылдың қорытындысы",
    subject="Пилоттық жобаның нәтижелері",
    author="Ғалым Қаһарманов",
    keywords="таныстырылым; ODF; PDF/A; қорытынды",
    language="kk-KZ",
    created=utc(2026, 1, 26, 5, 0),
    modified=utc(2026, 1, 27, 12, 30),
    description="Аудандық әкімдіктермен кеңесте көрсетілетін таныстырылым",
    category="Таныстырылым",
)

SLIDE_TITLE = (
    SLIDES_META.title,
    "Солтүстік өңірлік мемлекеттік құжат орталығы\nҒ. Қаһарманов · 2026 жылғы 28 қаңтар",
    "Сәлемдесу. Баяндаманың мақсаты — пилоттық жобаның нәтижелерін таныстыру және 1 наурыздан бастап "
    "құжаттарды қабылдау тәртібін түсіндіру.",
)

#: (title, bullets as (level, text), notes).
SLIDE_BULLETS = (
    "Негізгі нәтижелер",
    (
        (0, f"18{NBSP}640 файл қабылданды, оның 97,9 % сәтті түрлендірілді"),
        (0, "Бас тарту себептері: шифрлау, бүлінген файлдар, жалған кеңейтімдер"),
        (0, "Қазақ әріптерін толық қамтитын қаріптер орнатылды"),
        (1, "қолмен тексеруге жіберілетін құжаттар екі есеге жуық азайды"),
        (0, "Түпнұсқа файлдар түрлендіруден кейін үш жыл сақталады"),
    ),
    "Әр тармақ бойынша бір-екі мысал келтіріңіз. Шифрланған файлдар туралы сұрақ жиі қойылады: "
    "құпиясөзді электрондық пошта арқылы сұрамаймыз және қабылдамаймыз.",
)

#: Kazakh month names, April to December, for REPORT_BY_MONTH.
MONTHS_KK = ("Сәуір", "Мамыр", "Маусым", "Шілде", "Тамыз", "Қыркүйек", "Қазан", "Қараша", "Желтоқсан")

SLIDE_CHART = (
    "Айлар бойынша сәтті түрлендіру үлесі, %",
    "Сәтті түрлендірілді, %",
    "Өсу шілдеден кейін, қаріптер орнатылғаннан соң айқын байқалады. Желтоқсанда үлес 99,4 пайызға жетті.",
)

SLIDE_TABLE = (
    "Келесі қадамдар",
    ("Қадам", "Мерзімі", "Жауапты"),
    (
        ("Қабылдау тәртібін бекіту", "2026 жылғы 15 ақпан", "Ә. Сұлтанбекова"),
        ("Аудан әкімдіктерінің қызметкерлерін оқыту", "2026 жылғы ақпан", "Ғ. Қаһарманов"),
        ("Ашық форматтарда қабылдауды бастау", "2026 жылғы 1 наурыз", "Орталық"),
        ("Алғашқы тоқсанның нәтижелерін талдау", "2026 жылғы сәуір", "Электрондық мұрағат бөлімі"),
    ),
    "Мерзімдер директордың бұйрығымен бекітіледі. Оқыту кестесін әкімдіктерге ақпанның бірінші аптасында "
    "жібереміз.",
)
