"""Clean stage: the chrome of other languages' pages (related, most read, ads, share, credits,
comment counts, subscription pitches) is dropped by rule; news sentences using the same words are not.

Lines written for the project.
"""

from __future__ import annotations

import pytest

from pipeline.stages.clean import load_rules


@pytest.mark.parametrize("line, family", [
    ("Meistgelesene Artikel", "related"),
    ("Lo más leído", "related"),
    ("Últimas noticias", "related"),
    ("Najczęściej czytane", "related"),
    ("Più letti", "related"),
    ("Meest gelezen", "related"),
    ("Most read 1 A storm hits the coast 2 The budget vote", "related"),
    ("Das könnte Sie auch interessieren", "related"),
    ("También te puede interesar: Las lluvias dejan tres heridos en la capital", "related"),
    ("Você pode gostar", "related"),
    ("Zobacz również: Nowy most otwarty w przyszłym roku", "related"),
    ("Más sobre Deportes", "related"),
    ("Werbung", "ad"),
    ("Publicidade", "ad"),
    ("Advertentie", "ad"),
    ("Reklama: Nowe mieszkania w centrum", "ad"),
    ("Udostępnij", "cta"),
    ("Compartilhe", "cta"),
    ("Condividi su Facebook", "cta"),
    ("Lesedauer: 4 Minuten", "nav"),
    ("Alle Rechte bei der Redaktion", "legal"),
    ("Todos los contenidos: prohibida su reproducción total o parcial", "legal"),
    ("Wszelkie prawa zastrzeżone", "legal"),
    ("Die Inhalte dieser Seite stehen unter einer Creative Commons Lizenz", "legal"),
    ("3 Kommentare zu „Ein Wochenende in den Bergen“", "comment"),
    ("24 thoughts on “A week without a phone”", "comment"),
    ("5 respuestas a «Cómo cuidar un huerto urbano»", "comment"),
    ("(Foto: Marta Lis/Agencja)", "placeholder"),
    ("Widok na rynek, zdjęcie ilustracyjne / Źródło: Archiwum", "placeholder"),
    ("Der Newsletter", "newsletter"),
    ("Zapisz się do naszego newslettera i bądź na bieżąco", "newsletter"),
    ("Los titulares del día por e-mail", "newsletter"),
    ("Abonnement numérique sans engagement", "paywall"),
    ("Wesprzyj niezależne dziennikarstwo", "cta"),
    ("Apoya nuestro periodismo independiente", "cta"),
    ("Te gustó este artículo? Compártelo con tus amigos", "cta"),
    ("Schreiben Sie uns an leserbriefe@beispiel.de", "cta"),
    ("Besuche unseren Online-Shop", "cta"),
    ("Prosimy o zaznaczenie zgody przed dodaniem komentarza.", "comment"),
    ("Fuente: Ministerio de Sanidad", "placeholder"),
    ("Źródło: archiwum redakcji", "placeholder"),
    ("Protected by reCAPTCHA: the privacy policy and terms of service apply.", "cookie"),
])
def test_chrome_of_other_languages_is_dropped_by_rule(line, family):
    rid = load_rules().match(line)
    assert rid is not None and rid.split(".")[1] == family, (line, rid)


@pytest.mark.parametrize("sentence", [
    "Die meisten gelesenen Bücher stammen aus der Stadtbibliothek, sagte die Leiterin am Montag.",
    "Las últimas noticias sobre el huracán obligaron a evacuar a tres mil personas en la costa.",
    "La reklama w telewizji kosztuje coraz więcej, twierdzą autorzy raportu opublikowanego wczoraj.",
    "Le gouvernement veut une newsletter de crise envoyée à tous les maires chaque semaine.",
    "Das Gericht urteilte, dass die Fotos unter einer freien Lizenz veröffentlicht werden dürfen.",
    "El alcalde apoya la reforma del transporte público aprobada ayer por el pleno municipal.",
    "Unterstützung kam auch von den Nachbarn, die Decken und Essen in die Turnhalle brachten.",
    "Le ministre a présenté les 3 réponses au questionnaire des syndicats.",
    "Source : selon le ministère, les chiffres du chômage ont baissé de 2 % au troisième trimestre.",
    "Mehr über die Hintergründe des Streiks erfuhren die Abgeordneten erst am Dienstag im Ausschuss.",
])
def test_news_sentences_with_the_same_words_are_not_dropped(sentence):
    assert load_rules().match(sentence) is None, sentence
