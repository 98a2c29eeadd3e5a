# Paraphrase pairs (colloquial query -> administrative wording) written for this research.
PAIRS = [
    ("tavolini all'aperto dei bar", "Occupazione di suolo pubblico per dehors dei pubblici esercizi"),
    ("raccolta della spazzatura porta a porta", "Servizio di gestione dei rifiuti urbani con raccolta differenziata domiciliare"),
    ("lavorare da casa per i dipendenti del comune", "Regolamento sul lavoro agile per il personale dell'ente"),
    ("cittadini che puliscono i giardini in cambio di sconti sulle tasse", "Baratto amministrativo: riduzione dei tributi locali a fronte di interventi di cura del territorio"),
    ("fascicolo elettronico delle pratiche", "Sistema di gestione documentale e protocollo informatico con archiviazione digitale"),
    ("buche nelle strade", "Manutenzione ordinaria del manto stradale e della rete viaria comunale"),
    ("asilo per i bambini piccoli", "Servizi educativi per la prima infanzia: iscrizione al nido comunale"),
    ("pagare le multe online", "Pagamento telematico delle sanzioni amministrative tramite pagoPA"),
    ("aiuti per pagare l'affitto", "Contributo economico a sostegno dei canoni di locazione per nuclei familiari in difficolta'"),
    ("lampioni che consumano meno", "Efficientamento energetico dell'impianto di illuminazione pubblica con tecnologia LED"),
]
# extra queries from the brief, mapped to target index
EXTRA = [("beni comuni cittadini", 3), ("fascicolo elettronico", 4)]
DISTRACTORS = [
    "Approvazione del bilancio di previsione finanziario triennale",
    "Procedura di gara per l'affidamento del servizio di mensa scolastica",
    "Rilascio della carta d'identita' elettronica presso l'ufficio anagrafe",
    "Piano comunale di protezione civile per il rischio idrogeologico",
    "Concorso pubblico per l'assunzione di istruttori amministrativi",
    "Gestione del cimitero comunale e concessione dei loculi",
    "Sportello unico per le attivita' produttive e autorizzazioni commerciali",
    "Trasparenza amministrativa e accesso civico generalizzato agli atti",
    "Piano triennale di prevenzione della corruzione",
    "Gemellaggio con citta' europee e progetti di cooperazione internazionale",
]

import random
_FRAG = [
    "il comune ha avviato un progetto di", "digitalizzazione dei servizi al cittadino", "con il coinvolgimento delle associazioni del territorio",
    "per migliorare la qualita' della vita nei quartieri", "attraverso un percorso partecipativo", "finanziato con fondi europei del PNRR",
    "la regione ha approvato le linee guida per", "la semplificazione delle procedure autorizzative", "riducendo i tempi di risposta agli utenti",
    "l'amministrazione ha introdotto uno sportello online", "che consente di presentare istanze e ricevere notifiche", "in collaborazione con le scuole e le biblioteche",
    "il progetto prevede la formazione del personale", "sull'uso delle piattaforme digitali", "e il monitoraggio dei risultati ottenuti",
    "sono stati coinvolti oltre mille cittadini", "con particolare attenzione alle fasce deboli", "e alla sostenibilita' ambientale delle azioni",
    "la buona pratica e' stata replicata in altri enti", "grazie a un accordo di riuso del software", "che ha ridotto i costi di gestione",
    "l'unione dei comuni gestisce in forma associata", "i servizi sociali e la polizia locale", "con un unico centro di costo",
]
def corpus(n=1000, seed=1):
    r = random.Random(seed)
    out = []
    for i in range(n):
        words = []
        while len(words) < 60:
            words += r.choice(_FRAG).split()
        out.append(" ".join(words[:60]) + ".")
    return out
