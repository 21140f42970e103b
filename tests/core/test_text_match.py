"""The word filter and the similar-question hints in the six UN languages, with the spelling
tricks that used to slip a filtered word through."""

import pytest

from moderator.core import similarity
from moderator.core.text_match import filtered_word, normalise, tokens

# (language, filter entry, a question containing it, one that does not)
FILTERED = [
    ("en", "scam", "Is this exchange programme just a SCAM?", "Who funds the placements?"),
    ("en", "bad faith", "Was the partner acting in bad  faith?", "Is their faith in us bad?"),
    (
        "fr",
        "arnaque",
        "Ce programme d'échange, c'est une arnaque ?",
        "Les volontaires reçoivent-ils une formation avant le départ ?",
    ),
    (
        "fr",
        "imbécile",
        "Quel IMBECILE a choisi ces dates ?",  # capitals written without their accent
        "Quelle institution a choisi ces dates ?",
    ),
    (
        "fr",
        "escroc",
        "N'est-ce pas l'escroc qui dirigeait l'agence ?",  # elided article
        "N'est-ce pas l'économiste qui dirigeait l'agence ?",
    ),
    (
        "es",
        "estafa",
        "¿No es todo esto una estafa?",
        "¿Cuánto dura una asignación típica en el extranjero?",
    ),
    (
        "es",
        "estúpido",
        "¿Es ESTUPIDO preguntar por los salarios?",
        "¿Es posible preguntar por los salarios?",
    ),
    (
        "ru",
        "мошенничество",
        "Разве это не мошенничество?",
        "Как долго длится типичная командировка?",
    ),
    ("ru", "идиот*", "Нас считают идиотами?", "Нас считают партнёрами?"),
    ("ru", "ещё", "Будет ли еще одна встреча?", "Будет ли другая встреча?"),  # ё written as е
    (
        "ar",
        "غبي",
        "لماذا نكرر هذا الكلام الغَبِيّ؟",  # with the article and diacritics
        "لماذا نكرر هذا الكلام المهم؟",
    ),
    (
        "ar",
        "أحمق",
        "من هو الاحمق الذي وضع هذا الجدول؟",  # article, alef written without its hamza
        "من هو المسؤول الذي وضع هذا الجدول؟",
    ),
    (
        "ar",
        "الاحتيال",
        "هل يتعلق الأمر بالاحتيال على المتطوعين؟",  # "bi-" + article, entry given with the article
        "هل يتعلق الأمر بالتدريب على المتطوعين؟",
    ),
    ("ar", "كذاب", "وكذّاب أيضاً؟", "ومتحدث أيضاً؟"),  # conjunction, shadda
    (
        "zh",
        "骗局",
        "这个交流项目是不是一个骗局？",  # no spaces between words
        "交流项目的资金从哪里来？",
    ),
    ("zh", "傻瓜", "谁是傻瓜", "谁是负责人"),
]


@pytest.mark.parametrize(("language", "entry", "flagged", "clean"), FILTERED)
def test_the_word_filter_finds_its_words_in_each_language(language, entry, flagged, clean):
    assert filtered_word(["unrelated", entry], flagged) == entry
    assert filtered_word(["unrelated", entry], clean) is None


@pytest.mark.parametrize(
    "text",
    [
        "Is this a sc\u200bam?",  # zero-width space
        "Is this a sc\u00adam?",  # soft hyphen
        "Is this a sc\u2060am?",  # word joiner
        "Is this a sc\ufeffam?",  # zero-width no-break space
        "Is this a sc\u200fam?",  # right-to-left mark
        "Is this a \u202escam\u202c?",  # bidi override
        "Is this a ѕсаm?",  # Cyrillic s, c, a
        "Is this a SCΑM?",  # Greek capital alpha
        "Is this a ＳＣＡＭ？",  # full-width
        "Is this a 𝐬𝐜𝐚𝐦?",  # mathematical bold
        "Is this a scám?",  # accent
        "Is this a s\u0308cam?",  # combining diaeresis
        "Is this a s.c.a.m?",
        "Is this a s c a m?",
        "Is this a s-c-a-m?",
        "Is this a s_c_a_m?",
        "Is this a S. C. A. M.?",
        "Is this a Ѕ.С.А.М?",  # Cyrillic capitals and dots
    ],
)
def test_spelling_tricks_do_not_slip_a_word_past_the_filter(text):
    assert filtered_word(["scam"], text) == "scam"


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("غبي", "هل هذا غ\u200cبي؟"),  # zero-width non-joiner
        ("غبي", "هل هذا غـــبي؟"),  # tatweel
        ("غبي", "هل هذا غ ب ي؟"),  # letters spaced out
        ("骗局", "这是骗 局吗"),
        ("骗局", "这是骗.局吗"),
        ("骗局", "这是骗\u200b局吗"),
        ("骗局", "这是ﾞ骗局吗"),  # a stray half-width voicing mark
        ("мошенник", "Он м о ш е н н и к?"),
        ("мошенник", "Он мошен\u00adник?"),
    ],
)
def test_spelling_tricks_are_caught_in_arabic_chinese_and_russian(entry, text):
    assert filtered_word([entry], text) == entry


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("ass", "Which class of assessment applies?"),
        ("ass", "Is the passé composé taught to volunteers?"),
        ("scam", "Is this a scampi-free breakfast?"),
        ("con", "La conférence commence à quelle heure ?"),
        ("ano", "¿Qué pasará el próximo año?"),  # ñ is a letter of its own
        ("кал", "Какой календарь у программы?"),
        ("иди", "Идите на конференцию?"),
        ("غبي", "هل يؤثر الغبار على المعدات؟"),
        ("ass", "Plan A, B, or C: which one is best?"),
        ("idiot", "Are idiotic rules the problem?"),  # no * at its end: whole words only
    ],
)
def test_a_filtered_word_inside_a_longer_word_is_not_flagged(entry, text):
    assert filtered_word([entry], text) is None


def test_a_star_at_the_end_of_an_entry_takes_longer_words():
    assert filtered_word(["idiot*"], "Are idiotic rules the problem?") == "idiot*"
    assert filtered_word(["idiot*"], "What an idiot.") == "idiot*"
    assert filtered_word(["bad idea*"], "Such bad ideas!") == "bad idea*"
    assert filtered_word(["idiot*"], "An idiom?") is None


def test_an_entry_without_letters_is_found_anywhere():
    assert filtered_word(["💩"], "Is this plan 💩?") == "💩"
    assert filtered_word(["💩"], "Is this plan good?") is None


def test_the_first_matching_entry_is_returned_as_written():
    assert filtered_word(["nothing", "ＳＣＡＭ", "Scam"], "a scam") == "ＳＣＡＭ"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("ＡＢＣ", "abc"),
        ("stupidé", "STUPIDE"),
        ("cœur", "coeur"),
        ("ещё", "еще"),
        ("غَبِيّ", "غبي"),
        ("أحمد إلى آخر ٱسم", "احمد الي اخر اسم"),  # hamza forms, alef maksura
        ("مدرسة", "مدرسه"),
        ("مؤتمر", "موتمر"),
        ("رئيس", "رييس"),  # yeh with hamza written as yeh
        ("الـــعـــام", "العام"),
        ("٢٠٢٥", "2025"),
        ("ｓｃａｍ", "ѕсаm"),  # full-width Latin and Cyrillic look-alikes
    ],
)
def test_spellings_of_one_word_normalise_alike(a, b):
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(("a", "b"), [("año", "ano"), ("мой", "мои"), ("バカ", "ハカ")])
def test_letters_that_make_another_word_stay_apart(a, b):
    assert normalise(a) != normalise(b)


def test_chinese_is_compared_by_pairs_of_characters_and_arabic_without_its_article():
    assert tokens("签证延误？") == ["签证", "证延", "延误"]
    assert tokens("والتأشيرات للمشاركين") == ["تاشيرات", "مشاركين"]
    assert tokens("Visa, délais!") == ["visa", "delais"]


# (language, a question, the same question asked again in other words, an unrelated one)
SIMILAR = [
    (
        "en",
        "How do you handle visa delays for exchange placements?",
        "Visa delays for placements: how do you handle them?",
        "Will the joint study be published online?",
    ),
    (
        "fr",
        "Comment gérez-vous les retards de visa pour les affectations ?",
        "Les retards de visa pour les affectations, comment les gerez-vous ?",
        "L'étude conjointe sera-t-elle publiée en ligne ?",
    ),
    (
        "es",
        "¿Cómo gestionan los retrasos de visado en los intercambios de personal?",
        "Retrasos de visado en los intercambios de personal: ¿cómo los gestionan?",
        "¿Se publicará en línea el estudio conjunto?",
    ),
    (
        "ru",
        "Как вы решаете проблему задержки виз для участников обмена?",
        "Задержки виз для участников обмена: как вы решаете эту проблему?",
        "Будет ли совместное исследование опубликовано онлайн?",
    ),
    (
        "ar",
        "كيف تتعاملون مع تأخير التأشيرات للمشاركين في برامج التبادل؟",
        "تاخير تأشيرات المشاركين في برامج التبادل: كيف تتعاملون معه؟",
        "هل ستُنشر الدراسة المشتركة على الإنترنت؟",
    ),
    (
        "zh",
        "你们如何处理交流人员签证延误的问题？",
        "交流人员的签证延误问题你们如何处理？",
        "联合研究报告会在网上发布吗？",
    ),
]


@pytest.mark.parametrize(("language", "first", "again", "unrelated"), SIMILAR)
def test_a_question_asked_again_is_flagged_for_the_moderator(language, first, again, unrelated):
    found = similarity.best_match(again, [(1, unrelated), (2, first)])
    assert found is not None and found[0] == 2 and found[1] >= similarity.FLAG_SCORE
    assert similarity.best_match(unrelated, [(2, first), (3, again)]) is None


@pytest.mark.parametrize(("language", "first", "again", "unrelated"), SIMILAR)
def test_attendees_are_shown_the_question_they_are_about_to_repeat(
    language, first, again, unrelated
):
    published = similarity.prepare([(1, first), (2, unrelated)])
    assert [qid for qid, _score in similarity.ranked_prepared(again, published, 3)] == [1]
    assert similarity.ranked_prepared(unrelated, similarity.prepare([(1, first)]), 3) == []


@pytest.mark.parametrize(
    ("look_up", "expected"),
    [
        ("签证延误", [1]),  # four characters, no spaces: enough to go on
        ("签证", []),  # one word says too little
        ("visa delays", []),
        ("تأخير التأشيرات للمشاركين", [2]),
    ],
)
def test_a_short_look_up_needs_three_words_or_pairs_of_characters(look_up, expected):
    published = similarity.prepare(
        [
            (1, "你们如何处理交流人员签证延误的问题？"),
            (2, "كيف تتعاملون مع تأخير التأشيرات للمشاركين في برامج التبادل؟"),
        ]
    )
    found = [qid for qid, _score in similarity.ranked_prepared(look_up, published, 3)]
    assert found == expected
