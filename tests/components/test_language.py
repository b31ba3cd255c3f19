"""components/language.py: English stays English; other languages are told apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from components.language import (
    DEFAULT_PATH,
    ENGLISH,
    UNKNOWN,
    LanguageIdentifier,
    fold,
    identify,
    load_data,
)

# Short, odd and misspelt English, as users write it: none may be taken for another language.
ENGLISH_MESSAGES = [
    "hi",
    "hello",
    "hey",
    "hi there!",
    "cma salary?",
    "wich domians",
    "how long is cma",
    "thanks",
    "thx",
    "ok",
    "yes",
    "no",
    "bye",
    "USMLE?",
    "AAMA vs NHA",
    "👍",
    "🙏🙏",
    "???",
    "2025",
    "lpn vs cma",
    "MA vs CMA",
    "PA or CMA",
    "do I need the usmle",
    "Can I do it in 2 months",
    "my name is Maria de la Cruz and I studied in Mexico",
    "I graduated in Cairo in 2019 and moved to Texas",
    "is it paid at least?",
    "which one is faster?",
    "tell me more",
    "why?",
    "and compared to an LPN?",
    "how much do cmas make in LA",
    "salry",
    "sallary for cma in texas",
    "whats the exam format",
    "i already have my transcripts translated into english",
    "can i work as medical assistant with my degree",
    "is the ccma same as cma",
    "WES evaluation",
    "ECFMG certified img",
    "resume tips",
    "interview tips pls",
    "externship paid?",
    "I'm a doctor from Pakistan, can I become a CMA?",
    "I studied medicine at Universidad de Buenos Aires",
    "Dr. Jose Luis Garcia here",
    "hru",
    "lol",
    "asap",
    "chest pain",
    "BP 180/110 what do",
    "MI symptoms",
    "idk",
    "cpr bls needed?",
    "what is hipaa",
    "EHR experience needed?",
    "how many hours externship",
    "can i take exam online",
    "fall or spring start",
    "part time program",
    "certificate vs associate",
    "best programs in NJ",
    "what should i focus on",
    "is that per year?",
    "how long does that take?",
    "I have MBBS from Lahore, what next",
    "my friend from Manila said CMA is easy",
    "namaste, I am from India",
    "i am from the philippines and i'm a nurse there",
    "résumé help",
    "cafe job vs cma",
    "sorry my english not good, can i become cma",
    "y",
    "k",
]

OTHER_LANGUAGES = {
    "es": [
        "¿Puedo trabajar como asistente médico en Estados Unidos con mi título de medicina?",
        "¿Cuánto gana un asistente médico certificado?",
        "¿Cuánto tiempo toma ser CMA?",
        "¿Necesito el USMLE para ser asistente médico?",
        "hola",
        "gracias",
        "Soy médico de Venezuela y quiero trabajar en Estados Unidos",
        "¿Dónde puedo estudiar para el examen?",
        "¿Qué necesito para ser asistente médico?",
        "necesito ayuda con mi currículum",
        "¿Cómo traduzco mis documentos de la universidad?",
        "Buenos días, tengo una pregunta",
    ],
    "pt": [
        "Posso trabalhar como assistente médico nos EUA com meu diploma de medicina?",
        "Quanto ganha um assistente médico?",
        "Quanto tempo demora para ser CMA?",
        "Eu sou médico no Brasil, o que preciso fazer?",
        "Preciso fazer o USMLE para ser assistente médico?",
        "obrigado",
        "Olá, tudo bem? Tenho uma dúvida",
        "Onde posso fazer o exame?",
        "Meu diploma de medicina vale nos Estados Unidos?",
        "Quais são os programas credenciados?",
    ],
    "fr": [
        "Est-ce que je peux travailler comme assistant médical aux États-Unis avec mon diplôme"
        " de médecine ?",
        "Combien gagne un assistant médical certifié ?",
        "bonjour",
        "merci beaucoup",
        "Combien de temps faut-il pour devenir CMA ?",
        "Je suis médecin au Maroc, que dois-je faire ?",
        "Est-ce que j'ai besoin de l'USMLE ?",
        "Où puis-je passer l'examen ?",
        "Comment faire traduire mes relevés de notes ?",
        "Quel est le salaire d'un assistant médical ?",
    ],
    "ar": [
        "هل يمكنني العمل كمساعد طبي في الولايات المتحدة بشهادتي الطبية؟",
        "كم راتب المساعد الطبي؟",
        "مرحبا",
        "شكرا",
        "كم من الوقت يستغرق لأصبح مساعدا طبيا؟",
        "هل أحتاج إلى امتحان USMLE؟",
        "أنا طبيب من مصر",
        "أين يمكنني دراسة البرنامج؟",
        "كيف أترجم شهاداتي؟",
        "ما هو امتحان CMA؟",
    ],
    "hi": [
        "क्या मैं अपनी मेडिकल डिग्री के साथ अमेरिका में मेडिकल असिस्टेंट बन सकता हूँ?",
        "मेडिकल असिस्टेंट की सैलरी कितनी है?",
        "नमस्ते",
        "धन्यवाद",
        "CMA बनने में कितना समय लगता है?",
        "क्या मुझे USMLE देना होगा?",
        "मैं भारत से डॉक्टर हूँ",
        "परीक्षा कहाँ होती है?",
    ],
    "ur": [
        "کیا میں اپنی میڈیکل ڈگری کے ساتھ امریکہ میں میڈیکل اسسٹنٹ بن سکتا ہوں؟",
        "میڈیکل اسسٹنٹ کی تنخواہ کتنی ہے؟",
        "شکریہ",
        "میں پاکستان سے ڈاکٹر ہوں",
        "سی ایم اے بننے میں کتنا وقت لگتا ہے؟",
    ],
    "hi-Latn": [
        "kya mein CMA ban sakta hoon",
        "CMA ki salary kitni hoti hai",
        "mujhe medical assistant banna hai",
        "kitna time lagta hai CMA banne mein",
        "kya mujhe USMLE dena hoga",
        "mein Pakistan se doctor hoon, kya kar sakta hoon",
        "shukriya",
        "exam kahan hota hai",
        "meri degree yahan chalegi kya",
        "aap meri madad kar sakte hain?",
    ],
    "tl": [
        "pwede ba akong maging medical assistant",
        "Magkano ang sahod ng medical assistant?",
        "salamat po",
        "kumusta",
        "Gaano katagal bago maging CMA?",
        "Kailangan ko ba ng USMLE?",
        "Doktor ako sa Pilipinas, ano ang dapat kong gawin?",
        "Saan ako pwedeng mag-exam?",
        "paano ko ipapasalin ang mga transcript ko",
        "Puwede ba akong magtrabaho sa Amerika bilang medical assistant?",
    ],
}


@pytest.mark.parametrize("text", ENGLISH_MESSAGES)
def test_english_stays_english(text: str) -> None:
    found = identify(text)
    assert found.english, f"{text!r} taken for {found.code} ({found.reason})"


@pytest.mark.parametrize(
    ("code", "text"),
    [(code, text) for code, texts in OTHER_LANGUAGES.items() for text in texts],
)
def test_other_languages_are_recognised(code: str, text: str) -> None:
    found = identify(text)
    assert found.code == code, f"{text!r}: {found.code} ({found.reason})"
    assert not found.english


def test_hindi_and_urdu_together_have_at_least_ten_messages_in_each_script() -> None:
    assert len(OTHER_LANGUAGES["hi"]) + len(OTHER_LANGUAGES["ur"]) >= 10
    assert len(OTHER_LANGUAGES["hi-Latn"]) >= 10
    assert len(ENGLISH_MESSAGES) >= 60


@pytest.mark.parametrize(
    "text",
    [
        "Kann ich mit meinem Medizinstudium als medizinischer Assistent arbeiten?",
        "Habari, ninaweza kufanya kazi hapa?",
        "Могу ли я работать медицинским ассистентом?",
        "我可以当医疗助理吗？",
        "asdkjh qwpoeiru zxmcnv",
    ],
)
def test_unsupported_languages_and_mashing_are_not_english(text: str) -> None:
    assert not identify(text).english


def test_mashing_is_an_unknown_language() -> None:
    assert identify("asdkjh qwpoeiru zxmcnv").code == UNKNOWN


def test_the_result_goes_into_parse_data_whole() -> None:
    assert identify("hola").as_dict() == {
        "code": "es",
        "name": "Spanish",
        "english": False,
        "by": "words",
    }
    assert identify("hello").code == ENGLISH


def test_fold_drops_accents_and_case() -> None:
    assert fold("Título MÉDICO") == "titulo medico"


def test_markers_that_are_english_words_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "languages.yml"
    path.write_text(
        "names: {en: English, xx: Test}\nmarkers: {xx: [foo, do]}\nenglish: [do]\n",
        encoding="utf-8",
    )
    data = load_data(path)
    assert data.markers["xx"] == frozenset({"foo"})
    identifier = LanguageIdentifier(data, vocabulary=frozenset({"bar"}))
    assert identifier.identify("do do do").english
    assert identifier.identify("foo").code == "xx"


@pytest.mark.parametrize("missing", ["names", "markers", "english"])
def test_a_broken_data_file_is_refused(tmp_path: Path, missing: str) -> None:
    data = {"names": "{en: English}", "markers": "{en: [x]}", "english": "[a]"}
    del data[missing]
    path = tmp_path / "languages.yml"
    path.write_text("\n".join(f"{k}: {v}" for k, v in data.items()), encoding="utf-8")
    with pytest.raises(ValueError, match=missing):
        load_data(path)


def test_the_shipped_data_file_loads() -> None:
    data = load_data(DEFAULT_PATH)
    assert {"es", "pt", "fr", "tl", "hi-Latn"} <= set(data.markers)
    assert {"ar", "hi", "ur"} <= set(data.names)
