#!/usr/bin/env python3
"""Generate realistic riusa practices (JSON Lines) for benchmarks.

    python3 bench/generate.py --count 100000 --seed 1 --out target/bench/practices-100000-s1.jsonl
    python3 bench/generate.py --queries target/bench/queries.txt --seed 1
    python3 bench/generate.py --tail-queries target/bench/tail.txt --tail-count 150000 --seed 1

Every line is one practice in the interchange format of docs/schemas/practice.schema.json:
Italian text built from a vocabulary of public-administration topics (a few topics are
common, most are rare; words inside a topic follow a Zipf-like law), 1-3 themes from
data/themes.json, owners and partners that are real IPA codes (lower-cased) from
data/registry/ipa_enti_2024-07-31.csv and places that are real ISTAT codes from
data/registry/istat_elenco_comuni_italiani_2024.csv.

Standard library only. The output depends only on --seed and --count: records are built in
fixed-size chunks, each with its own random generator, so --jobs changes the speed, never
the bytes.
"""

import argparse
import bisect
import calendar
import csv
import json
import os
import random
import re
import sys
import time
import unicodedata
from multiprocessing import Pool
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHUNK = 500  # records per chunk: part of the output's definition, keep it fixed

SECTION_KEYS = (
    "motivation", "activities", "audience", "implementation", "people_involved",
    "work_group", "collaborations", "outputs", "expected_results", "achieved_results",
    "strengths", "weaknesses", "lessons", "transferability",
)
SUPPORT = ("testimonial", "coaching", "documentation", "training", "source_code", "helpdesk")

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

# One topic a line: themes | topic (with its article) | acronym | owner kinds | keywords | metrics
# Owner kinds weight who runs such a practice: C comune, U unione, R regione, P provincia,
# A azienda sanitaria ("-" = the default mix). Metrics are "label/unit".
# The order is the popularity order: topics near the top are drawn more often.
TOPICS = """
servizi-digitali | i servizi online per cittadini e imprese | | - | area riservata; modulistica online; istanze digitali; fascicolo del cittadino; identità digitale; pagamenti elettronici; assistenza telefonica | Servizi online attivati/servizi; Istanze presentate online/%; Accessi nel primo anno/accessi
digitalizzazione-dei-processi | la gestione documentale e il protocollo informatico | | - | fascicolo informatico; manuale di gestione; titolario di classificazione; conservazione a norma; posta elettronica certificata; dematerializzazione; registro di protocollo | Documenti nativi digitali/%; Registrazioni di protocollo all'anno/registrazioni; Fascicoli informatici aperti/fascicoli
organizzazione-e-personale | il lavoro agile | POLA | - | accordi individuali; smart working; obiettivi individuali; postazioni condivise; benessere organizzativo; conciliazione dei tempi di vita e di lavoro; dotazioni informatiche | Dipendenti con accordo individuale/persone; Giornate a distanza per settimana/giorni; Spostamenti casa-lavoro evitati/km
servizi-digitali,tributi-e-bilancio | i pagamenti elettronici con pagoPA | pagoPA | C | avvisi di pagamento; codice IUV; riconciliazione degli incassi; intermediario tecnologico; pagamenti spontanei; rette scolastiche; prestatori di servizi di pagamento | Tipologie di entrata su pagoPA/tipologie; Transazioni nel primo anno/transazioni; Entrate pagabili con pagoPA/%
formazione | la formazione continua del personale | | - | piano della formazione; fabbisogni formativi; e-learning; webinar; competenze digitali; Syllabus; aule virtuali | Ore di formazione erogate/ore; Persone formate/persone; Corsi attivati/corsi
politiche-sociali | la cartella sociale informatizzata | SIUSS | CU | presa in carico; progetto personalizzato; assistenti sociali; casellario dell'assistenza; ambito territoriale sociale; valutazione multidimensionale; prestazioni sociali agevolate | Comuni dell'ambito serviti/comuni; Cartelle sociali aperte/cartelle; Operatori abilitati/persone
ambiente-e-territorio | la raccolta differenziata porta a porta | | CU | rifiuti; compostaggio domestico; isole ecologiche; conferimenti; calendario di raccolta; centro di raccolta; rifiuto indifferenziato | Raccolta differenziata/%; Utenze servite/utenze; Riduzione del rifiuto indifferenziato/%
servizi-digitali | lo sportello unico per le attività produttive | SUAP | CU | SCIA; pratiche telematiche; impresainungiorno; conferenza di servizi; endoprocedimenti; commercio su area pubblica; autorizzazioni uniche ambientali | Pratiche presentate online/%; Tempo medio di conclusione dei procedimenti/giorni; Imprese servite/imprese
trasparenza-e-partecipazione | il bilancio partecipativo | | C | assemblee pubbliche; votazione online; proposte dei cittadini; quartieri; progetti finanziati; facilitatori; restituzione pubblica | Edizioni svolte/edizioni; Votanti per edizione/persone; Interventi realizzati/interventi
qualita-e-performance | le indagini di customer satisfaction | | - | questionari; gradimento degli utenti; totem emozionali; sportelli; indicatori di qualità; carta dei servizi; reclami | Questionari raccolti/questionari; Voto medio degli utenti/su 10; Riduzione del tempo di attesa/%
tributi-e-bilancio | la tariffa puntuale dei rifiuti | TARI | C | utenze domestiche; conferimenti; sacchi con microchip; calotta volumetrica; piano economico finanziario; rifiuto indifferenziato; svuotamenti | Utenze coinvolte/utenze; Raccolta differenziata a fine progetto/%; Riduzione del rifiuto indifferenziato per abitante/%
appalti-e-contratti | la centrale unica di committenza | CUC | PUC | convenzione tra comuni; procedure di gara; programmazione degli acquisti; aggregazione della domanda; responsabile unico del progetto; capitolati tipo; stazione appaltante | Comuni convenzionati/comuni; Procedure di gara gestite/procedure; Durata media fino all'aggiudicazione/giorni
servizi-digitali | l'accesso con SPID e CIE | SPID | C | identità digitale; autenticazione; carta d'identità elettronica; area riservata; credenziali; servizi online | Servizi online con accesso unico/servizi; Accessi nel primo anno/accessi; Riduzione delle chiamate per problemi di accesso/%
fondi-strutturali-europei | il monitoraggio dei progetti del PNRR | PNRR | CRP | milestone; target; ReGiS; soggetti attuatori; principio DNSH; rendicontazione; codice unico di progetto | Progetti monitorati/progetti; Risorse assegnate/euro; Milestone raggiunte nei tempi/%
trasparenza-e-partecipazione | gli open data | | CR | dati aperti; portale open data; dataset; metadati DCAT-AP_IT; riuso dei dati; licenza CC BY; API pubbliche | Dataset pubblicati/dataset; Enti federati/enti; Dataset aggiornati in automatico/%
politiche-sociali | il segretariato sociale e il punto unico di accesso | PUA | CUA | accoglienza; orientamento; valutazione multidimensionale; servizi socio-sanitari; sportello sociale; reddito di inclusione | Accessi allo sportello/accessi; Prese in carico/persone; Tempo medio di risposta/giorni
tributi-e-bilancio | la riscossione coattiva diretta | | C | ingiunzione fiscale; rateizzazione; morosità; solleciti; fermo amministrativo; recupero dell'evasione; banche dati | Importi riscossi/euro; Piani di rateizzazione concessi/piani; Riduzione dei crediti inesigibili/%
digitalizzazione-dei-processi | la reingegnerizzazione dei processi | BPR | - | mappatura dei processi; as-is; to-be; semplificazione; modulistica unificata; colli di bottiglia; tempi di attraversamento | Processi mappati/processi; Passaggi eliminati/passaggi; Riduzione dei tempi di lavorazione/%
trasparenza-e-partecipazione | la prevenzione della corruzione | PTPCT | - | RPCT; piano anticorruzione; mappatura dei rischi; rotazione del personale; conflitto di interessi; codice di comportamento; misure di prevenzione | Processi a rischio mappati/processi; Misure di prevenzione attuate/misure; Dipendenti formati/persone
ambiente-e-territorio | la protezione civile e l'allertamento della popolazione | | CUP | piano di emergenza; allerta meteo; app di allertamento; volontari; rischio idrogeologico; esercitazioni; aree di attesa | Iscritti al servizio di allerta/persone; Esercitazioni svolte/esercitazioni; Volontari coinvolti/persone
qualita-e-performance | l'autovalutazione con il modello CAF | CAF | - | common assessment framework; piano di miglioramento; gruppo di autovalutazione; rapporto di autovalutazione; eccellenza; criteri abilitanti | Azioni di miglioramento avviate/azioni; Componenti del gruppo di autovalutazione/persone; Punteggio CAF/punti
servizi-digitali | lo sportello unico per l'edilizia | SUE | C | pratiche edilizie; CILA; permesso di costruire; agibilità; oneri di urbanizzazione; archivio delle pratiche; professionisti tecnici | Pratiche presentate online/%; Pratiche edilizie gestite all'anno/pratiche; Tempo medio di istruttoria delle SCIA/giorni
appalti-e-contratti | l'albo fornitori telematico | | - | operatori economici; rotazione degli inviti; categorie merceologiche; affidamenti diretti; MEPA; iscrizione online | Imprese iscritte all'albo/imprese; Categorie merceologiche/categorie; Riduzione dei tempi di individuazione degli operatori/%
digitalizzazione-dei-processi | la migrazione al cloud | PSN | CRA | data center; classificazione dei dati; servizi SaaS; dismissione dei server; continuità operativa; disaster recovery | Servizi migrati/servizi; Server dismessi/server; Risparmio annuo sulla gestione/euro
politiche-sociali | l'assistenza domiciliare agli anziani | SAD | CUA | non autosufficienza; caregiver familiari; assistenza domiciliare integrata; voucher; teleassistenza; operatori socio-sanitari | Anziani assistiti/persone; Ore di assistenza erogate/ore; Caregiver supportati/persone
organizzazione-e-personale | la gestione associata dei servizi | | U | unione di comuni; convenzioni; funzioni fondamentali; polizia locale associata; ufficio unico; segreteria convenzionata | Comuni aderenti/comuni; Funzioni gestite in forma associata/funzioni; Risparmio annuo/euro
fondi-strutturali-europei | la gestione dei fondi FSE | FSE | R | avvisi pubblici; rendicontazione; controlli di primo livello; ammissibilità della spesa; indicatori di output; sistema di gestione e controllo | Avvisi pubblicati/avvisi; Operazioni finanziate/operazioni; Spesa certificata/euro
digitalizzazione-dei-processi | l'interoperabilità tra banche dati | PDND | CR | API; piattaforma digitale nazionale dati; e-service; ANPR; scambio di dati; catalogo delle API; voucher di accesso | E-service pubblicati/servizi; Chiamate API al mese/chiamate; Certificati non più richiesti/%
ambiente-e-territorio | l'efficienza energetica degli edifici pubblici | | CP | illuminazione a LED; diagnosi energetica; impianti fotovoltaici; PAESC; riqualificazione; consumi elettrici | Edifici riqualificati/edifici; Riduzione dei consumi/%; Risparmio annuo in bolletta/euro
servizi-digitali,politiche-sociali | le iscrizioni online ai servizi scolastici | | C | mensa scolastica; trasporto scolastico; rette; ISEE; asilo nido; diete speciali; centri estivi | Iscrizioni online/%; Famiglie servite/famiglie; Pasti prenotati all'anno/pasti
formazione | la comunità di pratica tra enti | | - | riuso; buone pratiche; scambio di esperienze; laboratori; mentoring; kit del riuso; community of practice | Enti aderenti/enti; Incontri della comunità/incontri; Partecipanti/persone
qualita-e-performance | il ciclo della performance | PIAO | - | obiettivi strategici; piano della performance; organismo indipendente di valutazione; valutazione individuale; relazione sulla performance; indicatori | Obiettivi misurati con indicatori/%; Indicatori monitorati/indicatori; Dirigenti valutati/persone
trasparenza-e-partecipazione | la segnalazione di illeciti | | - | whistleblowing; piattaforma crittografata; tutela del segnalante; ANAC; canale interno; riservatezza | Segnalazioni ricevute/segnalazioni; Tempo medio di gestione/giorni; Dipendenti informati/%
appalti-e-contratti | gli appalti verdi | GPP | - | criteri ambientali minimi; CAM; capitolati; forniture; carta riciclata; veicoli elettrici; green public procurement | Gare con criteri ambientali/%; Forniture verdi/contratti; Emissioni evitate/tonnellate di CO2
ambiente-e-territorio | il sistema informativo territoriale | SIT | CP | geoportale; cartografia; georeferenziazione; catasto; toponomastica; numerazione civica; strati informativi | Strati informativi pubblicati/strati; Numeri civici georeferenziati/civici; Consultazioni del geoportale/accessi
politiche-sociali | il piano di zona | | UA | ufficio di piano; programmazione sociale; tavoli tematici; co-progettazione; terzo settore; ambito sociale | Tavoli tematici attivati/tavoli; Organizzazioni del terzo settore coinvolte/organizzazioni; Servizi programmati/servizi
organizzazione-e-personale | la riorganizzazione della macrostruttura | | - | organigramma; funzionigramma; posizioni organizzative; settori; deleghe; incarichi di elevata qualificazione | Settori prima della riorganizzazione/settori; Settori dopo la riorganizzazione/settori; Incarichi ridefiniti/incarichi
societa-partecipate | il controllo analogo sulle società partecipate | | CR | in house providing; revisione periodica delle partecipazioni; razionalizzazione; piano industriale; budget; report trimestrale | Società monitorate/società; Report per società all'anno/report; Partecipazioni dismesse/società
tributi-e-bilancio | il contrasto all'evasione dell'IMU | IMU | C | accertamento; banche dati catastali; incrocio dei dati; aree edificabili; avvisi di accertamento; ravvedimento operoso | Avvisi di accertamento emessi/avvisi; Maggiori entrate/euro; Posizioni verificate/posizioni
servizi-digitali | la prenotazione online degli appuntamenti | | CA | agenda digitale; code agli sportelli; carta d'identità elettronica; servizi demografici; promemoria via SMS; eliminacode | Appuntamenti prenotati online/appuntamenti; Riduzione dell'attesa allo sportello/%; Sportelli collegati/sportelli
politiche-sociali | la telemedicina e la sanità territoriale | | A | case della comunità; centrale operativa territoriale; infermiere di famiglia; televisita; fascicolo sanitario elettronico; telemonitoraggio | Televisite all'anno/visite; Pazienti in telemonitoraggio/persone; Case della comunità attivate/strutture
fondi-strutturali-europei | la progettazione europea | | CUR | europrogettazione; call for proposals; partenariato transnazionale; Interreg; Horizon Europe; ufficio Europa; cofinanziamento | Progetti presentati/progetti; Progetti finanziati/progetti; Risorse attratte/euro
servizi-digitali | il sito istituzionale accessibile | | C | modello di sito comunale; Designers Italia; accessibilità; usabilità; dichiarazione di accessibilità; linee guida di design | Pagine migrate/pagine; Visite mensili/visite; Criteri di accessibilità soddisfatti/%
ambiente-e-territorio | la mobilità sostenibile | PUMS | CR | piste ciclabili; bike sharing; zone 30; trasporto pubblico locale; mobility manager; parcheggi di interscambio | Chilometri di piste ciclabili/km; Abbonamenti agevolati/abbonamenti; Riduzione del traffico privato/%
digitalizzazione-dei-processi | la sicurezza informatica | | - | cybersecurity; vulnerability assessment; backup; phishing; piano di continuità operativa; misure minime di sicurezza | Postazioni protette/postazioni; Dipendenti formati sul phishing/persone; Incidenti gestiti/incidenti
organizzazione-e-personale | il piano dei fabbisogni di personale | PIAO | - | reclutamento; concorsi unici; graduatorie; turnover; profili professionali; assunzioni | Assunzioni effettuate/persone; Profili professionali aggiornati/profili; Tempo medio di reclutamento/mesi
trasparenza-e-partecipazione | i patti di collaborazione per i beni comuni | | C | cittadinanza attiva; regolamento dei beni comuni; volontariato; cura degli spazi pubblici; amministrazione condivisa | Patti sottoscritti/patti; Cittadini attivi/persone; Spazi curati/spazi
digitalizzazione-dei-processi | l'anagrafe nazionale della popolazione residente | ANPR | C | subentro; certificati anagrafici; cambio di residenza online; stato civile digitale; servizi demografici | Certificati emessi online/certificati; Cambi di residenza online/%; Riduzione degli accessi allo sportello/%
tributi-e-bilancio | il controllo di gestione | | - | centri di costo; contabilità analitica; indicatori di efficienza; reportistica direzionale; DUP; piano esecutivo di gestione | Centri di costo/centri; Report prodotti all'anno/report; Indicatori di efficienza/indicatori
formazione | le competenze digitali dei dipendenti | | - | Syllabus; autovalutazione delle competenze; percorsi formativi; badge digitali; facilitatori digitali | Dipendenti iscritti/persone; Moduli completati/moduli; Livello medio di competenza/su 10
politiche-sociali | l'inclusione dei beneficiari dell'assegno di inclusione | ADI | CU | patti per l'inclusione; progetti utili alla collettività; équipe multidisciplinare; tirocini di inclusione; centri per l'impiego | Nuclei presi in carico/nuclei; Tirocini attivati/tirocini; Progetti utili alla collettività/progetti
servizi-digitali | le segnalazioni dei cittadini | | C | manutenzione urbana; buche stradali; illuminazione pubblica; geolocalizzazione; tempi di risposta; app per smartphone | Segnalazioni gestite/segnalazioni; Tempo medio di risoluzione/giorni; Segnalazioni chiuse/%
ambiente-e-territorio | le comunità energetiche rinnovabili | CER | CU | autoconsumo; impianti fotovoltaici; incentivi GSE; povertà energetica; energia condivisa | Famiglie aderenti/famiglie; Potenza installata/kW; Energia condivisa/MWh
appalti-e-contratti | l'e-procurement | MEPA | - | gare telematiche; piattaforma di approvvigionamento; firma digitale; DGUE; fascicolo virtuale dell'operatore economico; codice identificativo gara | Gare telematiche/procedure; Operatori registrati/imprese; Riduzione dei tempi di gara/%
qualita-e-performance | il cruscotto direzionale | | - | business intelligence; dashboard; indicatori chiave; data warehouse; reportistica; analisi multidimensionale | Indicatori nel cruscotto/indicatori; Utenti del cruscotto/persone; Fonti dati integrate/fonti
politiche-sociali | i servizi per le persone con disabilità | | CUA | progetto di vita; dopo di noi; inserimento lavorativo; trasporto sociale; accessibilità; vita indipendente | Persone con progetto di vita/persone; Inserimenti lavorativi/persone; Ore di assistenza educativa/ore
ambiente-e-territorio | la pianificazione urbanistica | PUG | CP | piano urbanistico generale; consumo di suolo; rigenerazione urbana; perequazione; valutazione ambientale strategica; osservazioni | Ettari di suolo risparmiati/ettari; Osservazioni raccolte/osservazioni; Aree rigenerate/aree
tributi-e-bilancio | l'armonizzazione contabile | | - | piano dei conti integrato; fondo crediti di dubbia esigibilità; riaccertamento dei residui; rendiconto della gestione; bilancio di previsione | Residui riaccertati/euro; Giorni di anticipo nell'approvazione del rendiconto/giorni; Capitoli riclassificati/capitoli
appalti-e-contratti | la programmazione triennale dei lavori pubblici | CUP | CP | opere pubbliche; cronoprogramma; quadro economico; direzione lavori; collaudo; progetto esecutivo | Opere programmate/opere; Importo dei lavori/euro; Opere concluse nei tempi/%
digitalizzazione-dei-processi | il piano triennale per l'informatica | RTD | - | responsabile per la transizione al digitale; razionalizzazione degli applicativi; licenze; fabbisogni ICT; monitoraggio dei progetti | Progetti monitorati nel triennio/progetti; Applicativi dismessi/applicativi; Riduzione della spesa per licenze/%
politiche-sociali | l'accoglienza e l'integrazione dei cittadini stranieri | SAI | CU | mediazione culturale; corsi di italiano; permessi di soggiorno; sportello immigrati; inserimento abitativo | Persone accolte/persone; Ore di mediazione culturale/ore; Iscritti ai corsi di italiano/persone
organizzazione-e-personale | il benessere organizzativo | CUG | - | indagini sul clima interno; stress lavoro-correlato; pari opportunità; welfare aziendale; comitato unico di garanzia | Partecipanti all'indagine sul clima/%; Azioni del piano di benessere/azioni; Dipendenti coinvolti/persone
trasparenza-e-partecipazione | l'amministrazione trasparente | FOIA | - | obblighi di pubblicazione; accesso civico generalizzato; griglie di rilevazione; registro degli accessi; pubblicazione automatica | Obblighi di pubblicazione assolti/%; Richieste di accesso civico/richieste; Tempo medio di risposta/giorni
politiche-sociali | il contrasto alla povertà educativa | | C | doposcuola; educativa di strada; centri estivi; patti educativi di comunità; dispersione scolastica | Minori coinvolti/persone; Scuole aderenti/scuole; Ore di laboratorio/ore
servizi-digitali | la piattaforma notifiche digitali | SEND | C | atti giudiziari; verbali; raccomandate; domicilio digitale; notifiche a valore legale | Notifiche inviate/notifiche; Risparmio sulle spese postali/euro; Notifiche digitali/%
societa-partecipate | il bilancio consolidato del gruppo amministrazione pubblica | GAP | CR | perimetro di consolidamento; operazioni infragruppo; partecipazioni societarie; enti strumentali | Enti nel perimetro/enti; Operazioni infragruppo riconciliate/operazioni; Giorni risparmiati nella chiusura/giorni
formazione | l'academy per dirigenti e funzionari | | RP | leadership; management pubblico; project work; coaching; valutazione dell'apprendimento | Partecipanti/persone; Project work realizzati/progetti; Ore di aula/ore
ambiente-e-territorio | la gestione del verde urbano | | C | censimento degli alberi; manutenzione del verde; forestazione urbana; adozione delle aree verdi; rischio arboreo | Alberi censiti/alberi; Nuovi alberi piantati/alberi; Aree verdi adottate/aree
digitalizzazione-dei-processi | l'intelligenza artificiale nei servizi pubblici | IA | CR | chatbot; classificazione automatica; assistente virtuale; modelli linguistici; etica degli algoritmi; trascrizione automatica | Conversazioni gestite dal chatbot/conversazioni; Documenti classificati automaticamente/documenti; Riduzione delle chiamate al centralino/%
politiche-sociali | le liste d'attesa e il centro unico di prenotazione | CUP | A | prenotazioni; agende; recall telefonico; disdette; percorsi di tutela; prestazioni specialistiche | Prestazioni prenotate/prestazioni; Disdette recuperate/prenotazioni; Riduzione dei tempi di attesa/%
fondi-strutturali-europei | il piano di rafforzamento amministrativo | PRA | R | capacità amministrativa; semplificazione; tempi di attuazione; assistenza tecnica; task force | Interventi del piano/interventi; Riduzione dei tempi di attuazione/%; Personale coinvolto/persone
servizi-digitali | la biblioteca digitale | | CP | prestito interbibliotecario; rete bibliotecaria; catalogo collettivo; ebook; MediaLibraryOnLine; tessera unica | Prestiti digitali/prestiti; Biblioteche in rete/biblioteche; Nuovi iscritti/persone
organizzazione-e-personale | i concorsi digitali | | RP | portale inPA; prove scritte digitali; commissioni; graduatorie; candidature online | Candidature online/candidature; Concorsi gestiti/concorsi; Riduzione della durata delle procedure/mesi
appalti-e-contratti | il monitoraggio dell'esecuzione dei contratti | CIG | - | penali; varianti; verifiche di conformità; stati di avanzamento; direzione dell'esecuzione | Contratti monitorati/contratti; Penali applicate/penali; Verifiche di conformità/verifiche
politiche-sociali | gli screening oncologici | | A | inviti; adesione; prevenzione; call center; mammografia; unità mobili | Inviti spediti/inviti; Adesione agli screening/%; Esami effettuati/esami
ambiente-e-territorio | l'adattamento ai cambiamenti climatici | | CR | isole di calore; piano clima; ondate di calore; drenaggio urbano; infrastrutture verdi | Interventi di adattamento/interventi; Superficie depavimentata/metri quadrati; Riduzione della temperatura estiva/gradi
politiche-sociali | l'emergenza abitativa e l'housing sociale | | C | edilizia residenziale pubblica; agenzia per la casa; canone concordato; graduatorie; sfratti | Alloggi assegnati/alloggi; Famiglie sostenute/famiglie; Contratti a canone concordato/contratti
societa-partecipate | la governance delle aziende speciali | | C | contratto di servizio; carta dei servizi; indirizzi strategici; piano programma; azienda speciale | Aziende seguite/aziende; Contratti di servizio rinnovati/contratti; Indicatori di servizio/indicatori
politiche-sociali | la prevenzione della violenza di genere | | CUA | centri antiviolenza; case rifugio; rete territoriale; protocollo operativo; formazione degli operatori | Donne accolte/persone; Operatori formati/persone; Enti della rete/enti
trasparenza-e-partecipazione | le consultazioni pubbliche online | | CR | partecipazione; piattaforma ParteciPa; dibattito pubblico; questionari online; restituzione | Consultazioni svolte/consultazioni; Contributi raccolti/contributi; Partecipanti/persone
formazione | l'inserimento dei neoassunti | | - | onboarding; tutor; affiancamento; manuale di accoglienza; percorso di ingresso | Neoassunti accompagnati/persone; Tutor formati/persone; Giornate di affiancamento/giornate
servizi-digitali | la app IO e le notifiche ai cittadini | IO | C | messaggi; scadenze; promemoria; avvisi di pagamento; domicilio digitale; carta giovani | Servizi su IO/servizi; Messaggi inviati/messaggi; Cittadini raggiunti/persone
qualita-e-performance | il benchmarking dei servizi comunali | KPI | CU | indicatori; confronto tra amministrazioni; costi standard; fabbisogni standard; analisi comparativa | Enti confrontati/enti; Indicatori condivisi/indicatori; Servizi analizzati/servizi
digitalizzazione-dei-processi | la gestione digitale delle sedute degli organi | | C | consiglio comunale; streaming; voto elettronico; verbali; ordine del giorno; delibere | Sedute gestite in digitale/sedute; Delibere firmate digitalmente/%; Pagine di carta risparmiate/pagine
organizzazione-e-personale | il riassetto delle funzioni provinciali | | P | funzioni delegate; personale trasferito; ente di area vasta; edilizia scolastica; viabilità provinciale | Funzioni riassegnate/funzioni; Dipendenti ricollocati/persone; Comuni serviti/comuni
trasparenza-e-partecipazione | il consiglio comunale dei ragazzi | | C | scuole; educazione civica; giovani; progetti degli studenti; cittadinanza | Studenti eletti/persone; Scuole coinvolte/scuole; Progetti approvati/progetti
"""

# Who, with its article in front. Used as {target}.
TARGETS = [
    "i cittadini", "le imprese", "le famiglie", "i dipendenti dell'ente", "gli anziani",
    "le persone con disabilità", "gli studenti", "i professionisti tecnici", "le associazioni",
    "gli enti del terzo settore", "i dirigenti", "gli operatori sociali", "i commercianti",
    "i giovani", "i cittadini stranieri", "le utenze domestiche", "i funzionari",
    "i comuni del territorio", "le scuole", "i genitori", "i volontari", "le piccole imprese",
    "gli artigiani", "i caregiver familiari", "i medici di medicina generale", "gli agricoltori",
    "gli ordini professionali", "i nuclei familiari in difficoltà", "le donne vittime di violenza",
    "i lavoratori frontalieri", "i turisti", "le cooperative sociali", "i pendolari",
]
# Offices, with their article. Used as {office}.
OFFICES = [
    "l'ufficio tributi", "i servizi sociali", "la polizia locale", "l'ufficio tecnico",
    "la ragioneria", "l'URP", "la segreteria generale", "i servizi demografici", "il CED",
    "l'ufficio personale", "lo sportello SUAP", "l'ufficio ambiente", "il servizio scuola",
    "l'ufficio contratti", "l'ufficio di piano", "il settore cultura", "il servizio informatico",
    "l'ufficio statistica", "l'avvocatura", "l'ufficio stampa", "il servizio lavori pubblici",
    "l'ufficio protocollo", "il servizio patrimonio", "l'ufficio Europa", "l'economato",
]
PARTNERS = [
    "ANCI", "Formez PA", "AgID", "l'università", "la camera di commercio",
    "le associazioni di categoria", "le cooperative sociali", "il Dipartimento della Funzione Pubblica",
    "la società in house regionale", "il fornitore del gestionale", "gli ordini professionali",
    "le organizzazioni sindacali", "l'Agenzia per la Coesione Territoriale", "la prefettura",
    "l'ufficio scolastico regionale", "le fondazioni bancarie", "il centro servizi per il volontariato",
    "IFEL", "la Scuola Nazionale dell'Amministrazione", "il Dipartimento per la trasformazione digitale",
    "PagoPA S.p.A.", "l'ISTAT", "la Corte dei conti", "il Garante per la protezione dei dati personali",
    "i centri per l'impiego", "le aziende sanitarie", "i gruppi di azione locale",
]
# Outcomes with their article. Used as {outcome}.
OUTCOMES = [
    "la riduzione dei tempi di risposta", "una maggiore trasparenza verso i cittadini",
    "un risparmio sulla spesa corrente", "l'aumento delle pratiche presentate online",
    "meno accessi agli sportelli", "dati più affidabili per le decisioni",
    "una migliore collaborazione tra uffici", "la semplificazione delle procedure",
    "tempi certi per cittadini e imprese", "una riduzione dell'uso della carta",
    "un controllo più puntuale della spesa", "servizi più accessibili",
    "la crescita delle competenze interne", "la riduzione degli errori", "una maggiore equità",
    "un rapporto più diretto con il territorio", "una rete stabile tra enti",
    "procedure uniformi tra i comuni", "il recupero di risorse", "una minore esposizione al rischio",
]
# Tools, with an indefinite article. Used as {tool}.
TOOLS = [
    "una piattaforma open source", "un'app per smartphone", "un cruscotto di monitoraggio",
    "uno sportello telematico", "un gestionale in cloud", "una modulistica unificata",
    "un protocollo d'intesa", "una convenzione tra enti", "delle linee guida operative",
    "un regolamento comunale", "un portale unico", "un sistema di ticketing", "un questionario online",
    "una banca dati condivisa", "un percorso formativo", "una cabina di regia", "un help desk dedicato",
    "un catalogo dei servizi", "un sistema di allerta via SMS", "un modello di capitolato",
    "un'agenda digitale condivisa", "un set di indicatori", "una mappa dei processi",
]
# Generic administration words; earlier means more frequent.
GENERIC = [
    "procedimento", "servizio", "progetto", "territorio", "comunità", "processo", "sportello",
    "piattaforma", "dati", "modulistica", "regolamento", "cronoprogramma", "monitoraggio",
    "rendicontazione", "governance", "semplificazione", "interoperabilità", "dematerializzazione",
    "accessibilità", "sostenibilità", "co-progettazione", "sussidiarietà", "benchmarking",
    "stakeholder", "capofila", "riuso", "buone pratiche", "open source", "privacy",
    "protezione dei dati personali", "responsabile del procedimento", "determina a contrarre",
    "delibera di giunta", "conferenza dei sindaci", "tavolo tecnico", "piano operativo",
    "documento unico di programmazione", "fabbisogni", "indicatori di risultato", "valutazione ex post",
]
# Rare terms: a long tail, drawn uniformly. Used as {rare}.
RARE = """
albo pretorio; anagrafe canina; baratto amministrativo; catasto incendi; cimiteri comunali;
concessioni demaniali; contrassegno disabili; deflusso minimo vitale; diritti di segreteria;
economia circolare; edilizia scolastica; elettorato attivo; esenzione ticket; fascicolo del fabbricato;
gemellaggio; giudice di pace; imposta di soggiorno; impianti sportivi; invarianza idraulica;
lampade votive; libretto di impianto; mercati rionali; microzonazione sismica; nidi aziendali;
numerazione civica; occupazione di suolo pubblico; orti urbani; passi carrabili; pascoli montani;
piano del colore; piano neve; pubbliche affissioni; randagismo; registro delle unioni civili;
rete idrica; servizio civile universale; sgravi contributivi; sportello energia; statuto comunale;
strade vicinali; telelettura dei contatori; toponomastica; trasporto disabili; usi civici;
vigilanza ittica; zone a traffico limitato; dehors; cartellonistica; disinfestazione; amianto;
bonifica dei siti contaminati; canone unico patrimoniale; certificazione energetica; DURC;
fondo di solidarietà comunale; ISEE; PEC; firma elettronica avanzata; marca temporale; QR code;
geolocalizzazione; big data; data lake; machine learning; blockchain; open government;
hackathon; living lab; design dei servizi; user research; prototipo; sperimentazione pilota;
laboratorio urbano; rigenerazione; coworking; fab lab; banda ultralarga; wi-fi pubblico;
smart city; sensori ambientali; contatori intelligenti; videosorveglianza; lettura targhe;
pedibus; mobilità scolastica; car pooling; monopattini in condivisione; colonnine di ricarica;
bike to work; mense biologiche; spreco alimentare; banco alimentare; emporio solidale;
microcredito; sovraindebitamento; usura; gioco d'azzardo patologico; dipendenze; salute mentale;
invecchiamento attivo; università della terza età; custode sociale; portierato sociale;
affido familiare; adozioni; tutela minori; centro per le famiglie; mediazione familiare;
ludoteca; informagiovani; servizio civile; leva civica; consulta giovanile; pari opportunità;
bilancio di genere; linguaggio di genere; lingua dei segni; audiodescrizione; easy to read;
sottotitolazione; archivio storico; patrimonio culturale; musei civici; teatro comunale;
festival; turismo lento; cammini; borghi; aree interne; spopolamento; green community;
contratti di fiume; dissesto idrogeologico; frane; alluvioni; incendi boschivi; siccità;
""".replace("\n", " ")
ACRONYMS = [  # earlier means more frequent
    "PNRR", "PIAO", "DUP", "AgID", "ANAC", "CAD", "GDPR", "PEC", "SPID", "TARI", "SUAP",
    "IMU", "ISEE", "ANPR", "CIE", "PEG", "RUP", "MEPA", "FSE", "FESR", "OIV", "RPCT",
    "URP", "CUG", "PON", "POR", "DGUE", "SIOPE", "TUEL", "PUC", "PDND", "PSN", "SEND",
]
ADJ = [
    "graduale", "condiviso", "partecipato", "sperimentale", "strutturato", "semplice",
    "replicabile", "sostenibile", "innovativo", "concreto", "misurabile", "flessibile",
]
VERBS = [  # past participles for "ha ..." (masculine singular agrees with "ha")
    "introdotto", "avviato", "sperimentato", "riorganizzato", "digitalizzato", "esteso",
    "messo a sistema", "rafforzato", "ripensato", "potenziato", "semplificato", "attivato",
    "consolidato", "progettato", "reso accessibile",
]
MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
          "settembre", "ottobre", "novembre", "dicembre"]
NUMWORDS = ["due", "tre", "quattro", "cinque", "sei", "otto", "dieci", "dodici", "quindici",
            "venti"]
HEADLINES = [
    "un modello replicabile per i piccoli comuni", "dalla sperimentazione al servizio ordinario",
    "meno carta e tempi certi", "più servizi con le stesse risorse", "un percorso in tre fasi",
    "l'esperienza di un ente di medie dimensioni", "come coinvolgere gli uffici",
    "dati condivisi per decidere meglio", "una rete tra amministrazioni",
    "risultati misurabili in due anni", "dal cartaceo al digitale", "un kit per il riuso",
    "uffici e cittadini allo stesso tavolo", "semplificare senza perdere controlli",
    "un servizio unico per tutto il territorio", "una regia condivisa",
]

# Sentence templates, by section; "*" is used by every section.
# Fields: {Ente}/{ente} the owner with its article; {topic} with its article, {topic_b} without;
# {kw}/{kw2} keywords of the topic; {office}, {target}, {partner}, {outcome} with their
# article; {tool} with an indefinite one; {place} the owner's comune, {place2} another one of
# the practice or nearby; numbers: {num} {few} {numbig} {pct} {big} {dur} {numsmall} (a word);
# {mese}<{mese2}, {anno} within the period, {anno2} at its end; {gen} {rare} {acr} {adj}.
# A prefix di_, a_, da_, in_, su_ contracts the preposition with the article ("dell'URP");
# a suffix _cap capitalises.
TEMPLATES = {
    "*": [
        "{Ente} ha scelto di partire da {kw}, perché era il punto in cui si concentravano i ritardi.",
        "Il lavoro su {kw} ha richiesto il coinvolgimento {di_office} e {di_office2}.",
        "Un ruolo importante è stato svolto {da_partner}, con competenze specifiche su {kw}.",
        "La scelta di {tool} ha permesso di ottenere {outcome} già nei primi mesi.",
        "Tra gli aspetti più delicati ci sono stati {kw} e {gen}.",
        "Gli adempimenti in materia di {acr} hanno aiutato a tenere insieme obiettivi e scadenze.",
        "Come caso di prova sono stati scelti i procedimenti su {rare}.",
        "Nel {anno} le attività su {kw} sono entrate stabilmente nella programmazione dell'ente.",
        "L'approccio {adj} adottato si è rivelato utile soprattutto per {target}.",
        "Il confronto con il Comune di {place2} ha permesso di verificare le soluzioni su {kw2}.",
        "Sul piano operativo hanno pesato soprattutto temi come {gen}, {gen2} e {kw}.",
        "{Ente} ha pubblicato sul sito istituzionale una sezione dedicata a {kw}.",
        "Le scelte su {kw} sono state discusse con {target} in {num} incontri pubblici.",
        "Particolare attenzione è stata dedicata ai temi di {rare} e {gen}.",
    ],
    "motivation": [
        "Prima del progetto {ente} gestiva {topic} con strumenti diversi e poco collegati: {kw} e {kw2} richiedevano passaggi manuali e tempi lunghi.",
        "Negli ultimi anni le richieste {di_target} sono cresciute, mentre il personale dedicato {a_topic} è rimasto lo stesso.",
        "Il punto di partenza è stato un dato semplice: oltre il {pct}% delle pratiche su {kw} arrivava ancora in forma cartacea.",
        "Gli adempimenti previsti in materia di {acr} sono diventati l'occasione per ripensare {topic}.",
        "A {place} mancava un punto di riferimento unico per {kw}, e {target} dovevano rivolgersi a più uffici.",
        "Gli obiettivi erano chiari: {outcome}, {outcome2} e un uso più consapevole degli strumenti per {kw}.",
        "Le segnalazioni raccolte dall'URP indicavano nelle attese per {kw} il principale motivo di insoddisfazione.",
        "Il progetto nasce anche dalla volontà di valorizzare le competenze interne su {gen} e {kw2}.",
        "L'analisi iniziale, condotta nel {anno}, ha messo in luce {num} criticità ricorrenti legate a {kw}.",
        "{Ente} voleva ottenere {outcome} senza aumentare i costi di gestione.",
        "Il contesto è quello di un territorio di circa {big} abitanti, con servizi distribuiti su più sedi.",
        "Le persone dedicate {a_topic} erano poche e con competenze diverse da ufficio a ufficio.",
    ],
    "activities": [
        "La prima fase è stata dedicata alla mappatura di {kw} e delle procedure collegate.",
        "Tra {mese} e {mese2} {anno} il gruppo di lavoro ha definito requisiti, tempi e responsabilità.",
        "Sono stati organizzati {num} incontri con {target} per raccogliere bisogni e proposte su {kw}.",
        "{Ente} ha attivato {tool} per gestire {kw2} in modo uniforme.",
        "Il progetto ha previsto una sperimentazione di {dur} mesi in {few} uffici pilota, seguita dall'estensione a tutto l'ente.",
        "Per ogni servizio è stata preparata una breve guida su {kw}, pubblicata sul sito istituzionale.",
        "Le attività formative hanno riguardato {kw}, {kw2} e l'uso di {tool}.",
        "La fase di avvio ha coinvolto {office}, che ha rivisto le proprie procedure su {kw}.",
        "Ogni mese un report ha restituito alla giunta lo stato di avanzamento {di_topic}.",
        "Una campagna di comunicazione ha accompagnato il lancio, con materiali dedicati {a_target}.",
        "In parallelo sono stati aggiornati i regolamenti su {kw2} e la relativa modulistica.",
    ],
    "audience": [
        "I destinatari diretti sono {target} del territorio di {place}.",
        "Sul fronte interno il progetto ha coinvolto {office}, {office2} e il personale degli sportelli.",
        "Una parte delle azioni è rivolta in modo specifico {a_target}, che incontrano più difficoltà nell'accesso ai servizi su {kw}.",
        "Beneficiano del servizio anche {target} dei comuni vicini, grazie alla convenzione con il Comune di {place2}.",
        "Il bacino potenziale è di circa {big} persone.",
        "Il servizio si rivolge anche {a_target}, spesso esclusi dai canali tradizionali.",
    ],
    "implementation": [
        "L'adesione al progetto è stata formalizzata nel {anno} con una delibera di giunta, che ha approvato anche {tool}.",
        "Si è partiti da {kw}, che genera il maggior numero di richieste, per poi estendere il sistema per ondate successive.",
        "Il coordinamento è affidato {a_office}, con un referente per ciascun settore coinvolto.",
        "Le risorse sono state individuate nel bilancio di previsione, con un cofinanziamento esterno per la parte su {kw}.",
        "La selezione del fornitore è avvenuta con una procedura sul MEPA, con criteri legati a {kw2}.",
        "I tempi di attuazione sono stati di circa {dur} mesi dalla firma dell'accordo.",
        "Un cronoprogramma condiviso ha scandito le fasi, con verifiche trimestrali su {kw}.",
        "Il responsabile del procedimento ha seguito ogni passaggio insieme {a_office}.",
    ],
    "people_involved": [
        "{Ente} ha guidato il progetto come capofila.",
        "La fase di analisi su {kw} è stata supportata {da_partner}.",
        "Hanno partecipato {office} e {office2}, insieme ai referenti dei comuni aderenti.",
        "Il gruppo comprendeva anche rappresentanti {di_target}.",
        "Sono stati coinvolti {num} comuni del territorio, con ruoli diversi.",
    ],
    "work_group": [
        "Il gruppo di lavoro è composto da {num} persone di settori diversi, coordinate da un dirigente.",
        "Ne fanno parte funzionari esperti di {kw}, un referente informatico e un addetto alla comunicazione.",
        "Il gruppo si riunisce ogni {numsmall} settimane e condivide i materiali su uno spazio di lavoro online.",
        "Per le questioni di {gen} il gruppo si è avvalso del supporto {di_office}.",
    ],
    "collaborations": [
        "È stato fondamentale il rapporto con {partner}, formalizzato con {tool}.",
        "{Ente} ha collaborato con il Comune di {place2} e con altri enti che avevano affrontato lo stesso tema.",
        "Le associazioni del territorio hanno contribuito alla diffusione delle informazioni su {kw2}.",
        "Una collaborazione con {partner} ha permesso di confrontare i dati su {kw}.",
    ],
    "outputs": [
        "Il progetto ha prodotto {tool}, oggi in uso in tutti gli uffici.",
        "Sono disponibili le linee guida su {kw} e i modelli di atti per {kw2}.",
        "Il materiale è stato condiviso con altri enti della provincia che hanno avviato lo stesso percorso.",
        "Tra i prodotti c'è anche un manuale operativo pensato per {target}.",
    ],
    "expected_results": [
        "Il progetto punta {a_outcome} entro il {anno2}.",
        "Si attende una crescita dell'utilizzo dei servizi su {kw} di almeno il {pct}%.",
        "Un risultato atteso è {outcome2}, misurato con indicatori trimestrali.",
        "Nel medio periodo {ente} si aspetta {outcome} anche nei comuni più piccoli.",
    ],
    "achieved_results": [
        "A fine progetto {metric_sentence}",
        "I tempi medi per {kw} sono scesi da {numbig} a {few} giorni.",
        "Il {pct}% {di_target} ha usato almeno una volta il nuovo servizio.",
        "Le richieste di assistenza su {kw2} sono diminuite in modo significativo.",
        "Il risultato più visibile è {outcome}.",
    ],
    "strengths": [
        "Il punto di forza principale è {outcome}.",
        "La soluzione è semplice da usare anche per chi ha poca familiarità con {kw}.",
        "L'uso di {tool} rende il modello facile da mantenere nel tempo.",
        "Il coinvolgimento {di_target} fin dall'inizio ha reso il servizio più vicino ai bisogni reali.",
    ],
    "weaknesses": [
        "Nei primi mesi {target} hanno avuto bisogno di assistenza, soprattutto su {kw}.",
        "Alcuni gestionali non erano in grado di dialogare con {tool} e hanno richiesto aggiornamenti.",
        "Il turnover del personale ha rallentato la fase di avvio su {kw2}.",
        "La dipendenza da finanziamenti esterni rende incerta la continuità del servizio su {kw}.",
    ],
    "lessons": [
        "Conviene partire da un servizio limitato, come {kw}, e allargare dopo i primi risultati.",
        "Coinvolgere {office} fin dall'inizio evita resistenze nelle fasi successive.",
        "La comunicazione verso {target} va pianificata con lo stesso impegno del lavoro tecnico.",
        "Misurare i tempi di {kw2} prima di cambiare le procedure è indispensabile per dimostrare i risultati.",
    ],
    "transferability": [
        "L'esperienza è adatta a qualunque ente, in particolare di piccole e medie dimensioni, che voglia migliorare {topic}.",
        "Sono disponibili {tool}, i capitolati e le istruzioni operative su {kw}.",
        "Gli uffici {di_ente} offrono affiancamento agli enti che partono.",
        "Il modello è già stato ripreso da {numsmall} amministrazioni, con adattamenti minimi.",
        "Per il riuso servono soprattutto un referente interno e una ricognizione di {kw2}.",
    ],
}
# Bullet-list items, by section; "*" for all.
ITEMS = {
    "*": [
        "**{kw_cap}**: {short_phrase}", "{Verbnoun} di {kw}", "revisione di {kw2} e della modulistica",
        "coinvolgimento {di_target}", "{tool_cap} per {kw}", "{kw_cap} e {kw2}",
        "formazione {di_office} su {kw2}", "report periodici su {kw}",
    ],
    "achieved_results": [
        "**{pct}%** di pratiche su {kw} presentate online", "**{big}** accessi al servizio nel primo anno",
        "tempi medi ridotti da {numbig} a {few} giorni", "**{num}** comuni coinvolti",
        "{outcome_cap}",
    ],
    "expected_results": ["{outcome_cap}", "più pratiche su {kw} gestite online", "{outcome_cap} entro il {anno2}"],
    "strengths": ["{outcome_cap}", "semplicità d'uso per {target}", "costi contenuti di gestione"],
    "weaknesses": ["dipendenza dal fornitore per {kw}", "resistenze iniziali {di_office}", "carenza di personale dedicato"],
}
SHORT_PHRASES = [
    "analisi e ridisegno delle procedure", "avvio in tre uffici pilota", "estensione a tutto l'ente",
    "pubblicazione dei dati sul sito", "verifica trimestrale dei risultati", "supporto agli utenti",
    "raccolta dei bisogni", "scelta della soluzione tecnica", "formazione del personale",
]
VERBNOUNS = ["Mappatura", "Revisione", "Digitalizzazione", "Analisi", "Semplificazione",
             "Monitoraggio", "Censimento", "Riorganizzazione", "Standardizzazione"]

# Target lengths of each section in characters (min, max): the demo's practices.
SECTION_LEN = {
    "motivation": (270, 630), "activities": (320, 760), "audience": (110, 270),
    "implementation": (150, 380), "people_involved": (90, 220), "work_group": (70, 210),
    "collaborations": (70, 210), "outputs": (110, 270), "expected_results": (90, 240),
    "achieved_results": (120, 310), "strengths": (90, 220), "weaknesses": (90, 220),
    "lessons": (90, 220), "transferability": (110, 270),
}
LIST_PROB = {"activities": 0.7, "outputs": 0.6, "achieved_results": 0.7, "expected_results": 0.5,
             "people_involved": 0.5, "strengths": 0.4, "weaknesses": 0.35, "motivation": 0.35}

COMMON_LINKS = [
    ("pagoPA", "https://www.pagopa.gov.it/"),
    ("Developers Italia - catalogo del riuso", "https://developers.italia.it/it/software"),
    ("Agenzia per l'Italia Digitale", "https://www.agid.gov.it/it"),
    ("PA digitale 2026", "https://padigitale2026.gov.it/"),
    ("Italia Domani - PNRR", "https://www.italiadomani.gov.it/"),
    ("OpenCoesione", "https://opencoesione.gov.it/"),
    ("Designers Italia", "https://designers.italia.it/"),
    ("Portale impresainungiorno", "https://www.impresainungiorno.gov.it/"),
    ("Autorità Nazionale Anticorruzione", "https://www.anticorruzione.it/"),
    ("Formez PA", "https://www.formez.it/"),
    ("Dati aperti della PA", "https://www.dati.gov.it/"),
    ("ParteciPa", "https://partecipa.gov.it/"),
]

# ---------------------------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------------------------

ARTICLE_RE = re.compile(r"^(il |lo |la |i |gli |le |l'|un |uno |una |un'|delle |dei |degli )", re.I)
FIELD_RE = re.compile(r"\{(\w+)\}")
MINOR = {"di", "del", "della", "delle", "dei", "degli", "dello", "e", "ed", "a", "al", "alla",
         "in", "per", "con", "da", "dal", "sul", "sulla", "tra", "fra", "n."}


def strip_article(s):
    return ARTICLE_RE.sub("", s, count=1)


def cap(s):
    return s[:1].upper() + s[1:]


def fix_name(name):
    """IPA names: title-case upper-case ones, turn trailing apostrophes into accents."""
    name = " ".join(name.split())
    if name.upper() == name:
        words = []
        for i, w in enumerate(name.lower().split(" ")):
            if i and w in MINOR:
                words.append(w)
            elif "'" in w[:-1]:  # d'argine -> d'Argine
                head, _, tail = w.partition("'")
                words.append((head if i else head.capitalize()) + "'" + tail.capitalize())
            else:
                words.append(w.capitalize())
        name = " ".join(words)
    accents = {"a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù", "A": "À", "E": "È"}
    return re.sub(r"([aeiouAE])'(?=\s|$|,|\))", lambda m: accents[m.group(1)], name)


def article_forms(name):
    """"il Comune di X", "la Regione Y", "l'Unione Z": an administration's name with its article."""
    first = name.split(" ", 1)[0].lower()
    if first in ("comune", "libero", "consorzio"):
        return f"il {name}"
    if first in ("regione", "provincia", "comunità", "città"):
        return f"la {name}"
    return f"l'{name}"


def find_col(header, prefix):
    for i, h in enumerate(header):
        if " ".join(h.split()).startswith(prefix):
            return i
    raise SystemExit(f"registry: no column starting with {prefix!r}")


class Registry:
    def __init__(self, folder):
        folder = Path(folder)
        self.comuni = {}  # istat -> (name, province code, region name, province name)
        with open(folder / "istat_elenco_comuni_italiani_2024.csv", encoding="utf-8", newline="") as f:
            rows = csv.reader(f, delimiter=";")
            header = next(rows)
            c_code = find_col(header, "Codice Comune formato alfanumerico")
            c_name = find_col(header, "Denominazione in italiano")
            c_region = find_col(header, "Denominazione Regione")
            c_uts = find_col(header, "Denominazione dell'Unità territoriale sovracomunale")
            for row in rows:
                if len(row) > c_code and re.fullmatch(r"\d{6}", row[c_code]):
                    code = row[c_code]
                    self.comuni[code] = (row[c_name], code[:3], row[c_region], row[c_uts])
        self.by_province = {}
        self.by_region = {}
        for code in sorted(self.comuni):
            _, prov, region, _ = self.comuni[code]
            self.by_province.setdefault(prov, []).append(code)
            self.by_region.setdefault(region, []).append(code)

        population = {}
        pop_file = folder / "comuni_popolazione_2020.json"
        if pop_file.exists():
            for c in json.loads(pop_file.read_text(encoding="utf-8")):
                population[c["codice"]] = c.get("popolazione") or 0

        # kind -> list of (ipa, name, istat, site); weights for comuni
        self.orgs = {k: [] for k in "CURPA"}
        comune_weights = []
        with open(folder / "ipa_enti_2024-07-31.csv", encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                istat = r["codice_comune_istat"]
                if istat not in self.comuni:
                    continue
                ipa = r["codice_ipa"].lower()
                cat = r["codice_categoria"]
                name = fix_name(r["denominazione_ente"])
                low = name.lower()
                kind = None
                if cat == "L6" and ipa.startswith("c_"):
                    kind, name = "C", "Comune di " + self.comuni[istat][0]
                elif cat == "L18" and (low.startswith("unione") or low.startswith("comunit")):
                    kind = "U"
                elif cat == "L4" and (low.startswith("regione") or low.startswith("provincia autonoma")):
                    kind = "R"
                elif cat == "L5" and (low.startswith("provincia") or low.startswith("libero consorzio")):
                    kind = "P"
                elif cat == "L7" and low.startswith("azienda"):
                    kind = "A"
                if kind is None:
                    continue
                site = r["sito_istituzionale"].strip()
                site = site.replace("http://", "https://", 1)
                if not re.fullmatch(r"https://[A-Za-z0-9.-]+\.[a-z]{2,}(/[A-Za-z0-9._~/-]*)?", site):
                    site = None
                elif "/" not in site[len("https://"):]:
                    site += "/"
                self.orgs[kind].append((ipa, name, istat, site))
                if kind == "C":
                    comune_weights.append(max(population.get(istat, 1000), 200) ** 0.6)
        self.comune_cum = cumulative(comune_weights)
        for k in "CURPA":
            if not self.orgs[k]:
                raise SystemExit(f"registry: no administration of kind {k}")


def cumulative(weights):
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def zipf_cum(n, s=1.0):
    return cumulative([1.0 / (i + 1) ** s for i in range(n)])


# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------

def parse_topics():
    topics = []
    for line in TOPICS.strip().splitlines():
        themes, name, acr, who, kws, metrics = [p.strip() for p in line.split("|")]
        topics.append({
            "themes": themes.split(","),
            "name": name,
            "bare": re.sub(r" e (il|lo|la|i|gli|le) | e l'", " e ", strip_article(name)),
            "acr": acr or None,
            "who": None if who == "-" else who,
            "kws": [k.strip() for k in kws.split(";") if k.strip()],
            "metrics": [tuple(m.strip().rsplit("/", 1)) for m in metrics.split(";")],
        })
    return topics


CONTRACT = {  # article -> preposition -> contracted form
    "il ": {"di": "del ", "a": "al ", "da": "dal ", "in": "nel ", "su": "sul "},
    "lo ": {"di": "dello ", "a": "allo ", "da": "dallo ", "in": "nello ", "su": "sullo "},
    "la ": {"di": "della ", "a": "alla ", "da": "dalla ", "in": "nella ", "su": "sulla "},
    "l'": {"di": "dell'", "a": "all'", "da": "dall'", "in": "nell'", "su": "sull'"},
    "i ": {"di": "dei ", "a": "ai ", "da": "dai ", "in": "nei ", "su": "sui "},
    "gli ": {"di": "degli ", "a": "agli ", "da": "dagli ", "in": "negli ", "su": "sugli "},
    "le ": {"di": "delle ", "a": "alle ", "da": "dalle ", "in": "nelle ", "su": "sulle "},
}
PREPS = ("di", "a", "da", "in", "su")
_contracted = {}


def contract(prep, phrase):
    """contract("di", "l'ufficio tributi") -> "dell'ufficio tributi"; names without article stay."""
    key = (prep, phrase)
    out = _contracted.get(key)
    if out is None:
        out = f"{prep} {phrase}"
        for art, forms in CONTRACT.items():
            if phrase.startswith(art):
                out = forms[prep] + phrase[len(art):]
                break
        if len(_contracted) < 200000:
            _contracted[key] = out
    return out


class Generator:
    def __init__(self, registry, themes):
        self.reg = registry
        self.theme_slugs = themes
        self.topics = parse_topics()
        for t in self.topics:
            for th in t["themes"]:
                if th not in themes:
                    raise SystemExit(f"unknown theme {th} in topic {t['name']}")
        self.topic_cum = zipf_cum(len(self.topics), 0.9)
        self.generic_cum = zipf_cum(len(GENERIC), 1.0)
        self.acr_cum = zipf_cum(len(ACRONYMS), 1.1)
        self.rare = [w.strip() for w in RARE.split(";") if w.strip()]
        self.comune_by_istat = {}
        for o in registry.orgs["C"]:
            self.comune_by_istat.setdefault(o[2], o)
        self.fields = self._fields()
        self.templates = {k: [self._compile(t) for t in v] for k, v in TEMPLATES.items()}
        self.items = {k: [self._compile(t) for t in v] for k, v in ITEMS.items()}

    # -- templates --------------------------------------------------------------------------
    def _fields(self):
        def pick(seq):
            return lambda ctx: seq[int(self.r() * len(seq))]

        def ctx_value(name):
            return lambda ctx: ctx[name]

        def number(lo, hi):
            return lambda ctx: str(lo + int(self.r() * (hi - lo + 1)))

        return {
            "Ente": ctx_value("Ente"), "ente": ctx_value("ente"), "topic": ctx_value("topic"),
            "topic_b": ctx_value("topic_b"), "place": ctx_value("place"),
            "kw": self.kw, "kw2": self.kw2,
            "office": pick(OFFICES), "office2": pick(OFFICES), "target": pick(TARGETS),
            "partner": pick(PARTNERS), "outcome": pick(OUTCOMES), "outcome2": pick(OUTCOMES),
            "tool": pick(TOOLS), "adj": pick(ADJ), "rare": lambda ctx: self.pick(self.rare),
            "gen": lambda ctx: self.zpick(GENERIC, self.generic_cum),
            "gen2": lambda ctx: self.zpick(GENERIC, self.generic_cum),
            "acr": lambda ctx: (ctx["topic_acr"] if ctx["topic_acr"] and self.r() < 0.6
                                else self.zpick(ACRONYMS, self.acr_cum)),
            "place2": lambda ctx: self.pick(ctx["place_names"]),
            "num": number(2, 20), "few": number(2, 15), "numbig": number(20, 90),
            "pct": number(10, 95), "dur": number(3, 24), "numsmall": pick(NUMWORDS[:5]),
            "big": lambda ctx: f"{int(1000 + self.r() * 120000):,}".replace(",", "."),
            "mese": self.month1, "mese2": self.month2,
            "anno": lambda ctx: str(ctx["y0"] + int(self.r() * (ctx["y1"] - ctx["y0"] + 1))),
            "anno2": lambda ctx: str(ctx["y1"] + int(self.r() * 2)),
            "short_phrase": pick(SHORT_PHRASES), "Verbnoun": pick(VERBNOUNS),
            "metric_sentence": self.metric_sentence,
        }

    def _compile(self, template):
        """A template as a list of literal strings and field callables."""
        parts = []
        for i, p in enumerate(FIELD_RE.split(template)):
            if not i & 1:
                if p:
                    parts.append(p)
                continue
            name, prep, capital = p, None, False
            if name.endswith("_cap"):
                name, capital = name[:-4], True
            head, _, rest = name.partition("_")
            if head in PREPS and rest:
                prep, name = head, rest
            base = self.fields[name]  # KeyError: a field the template names does not exist
            if prep:
                base = (lambda b, pr: lambda ctx: contract(pr, b(ctx)))(base, prep)
            if capital:
                base = (lambda b: lambda ctx: cap(b(ctx)))(base)
            parts.append(base)
        return parts

    def fill(self, parts, ctx):
        return "".join([p if p.__class__ is str else p(ctx) for p in parts])

    # -- small random helpers (self.r is bound per chunk) -------------------------------------
    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def zpick(self, seq, cum):
        return seq[bisect.bisect_left(cum, self.r() * cum[-1])]

    def kw(self, ctx):
        # the practice's keywords, the first ones (its own ordering) more often
        kws = ctx["kws"]
        k = kws[min(int(self.r() ** 1.6 * len(kws)), len(kws) - 1)]
        ctx["last_kw"] = k
        return k

    def kw2(self, ctx):
        last = ctx.get("last_kw")
        for _ in range(4):
            k = self.kw(ctx)
            if k != last:
                return k
        return k

    def month1(self, ctx):
        m = int(self.r() * 11)
        ctx["last_month"] = m
        return MONTHS[m]

    def month2(self, ctx):
        m = ctx.get("last_month", 0)
        return MONTHS[m + 1 + int(self.r() * (11 - m))]

    def metric_sentence(self, ctx):
        label, value, unit = self.metric(ctx)
        v = format_number(value)
        if unit == "%":
            v += "%"
        elif unit:
            v += " " + unit
        return f"l'indicatore «{label[0].lower() + label[1:]}» vale {v}."

    # -- text ---------------------------------------------------------------------------------
    def sentence(self, pool, used):
        for _ in range(3):
            i = int(self.r() * len(pool))
            if i not in used:
                break
        used.add(i)
        return pool[i]

    def section(self, key, ctx):
        r = self.r
        lo, hi = SECTION_LEN[key]
        target = lo + r() * (hi - lo)
        own, common = self.templates.get(key, []), self.templates["*"]
        used_own, used_common = set(), set()
        blocks, size = [], 0
        want_list = r() < LIST_PROB.get(key, 0.08)
        want_table = key == "activities" and r() < 0.12
        while size < target:
            if want_list and blocks and r() < 0.5:
                own_items, common_items = self.items.get(key), self.items["*"]
                lines = []
                numbered = r() < 0.2
                for j in range(3 + int(r() * 3)):
                    pool = own_items if own_items and r() < 0.6 else common_items
                    it = self.fill(pool[int(r() * len(pool))], ctx)
                    lines.append(f"{j + 1}. {it}" if numbered else f"- {it}")
                block = "\n".join(lines)
                want_list = False
            elif want_table and blocks:
                block = self.table(ctx)
                want_table = False
            else:
                sents = []
                for _ in range(1 + int(r() * 3)):
                    if own and r() < 0.75:
                        sents.append(self.fill(self.sentence(own, used_own), ctx))
                    else:
                        sents.append(self.fill(self.sentence(common, used_common), ctx))
                if r() < 0.15:
                    sents[0] = f"**{cap(self.kw(ctx))}.** " + sents[0]
                block = " ".join(sents)
            blocks.append(block)
            size += len(block) + 2
        return "\n\n".join(blocks)

    def table(self, ctx):
        rows = ["| Fase | Periodo | Risultato |", "|---|---|---|"]
        phases = ("Analisi", "Sperimentazione", "Estensione", "Valutazione")[: 2 + int(self.r() * 3)]
        years = sorted(ctx["y0"] + int(self.r() * (ctx["y1"] - ctx["y0"] + 1)) for _ in phases)
        for phase, year in zip(phases, years):
            rows.append(f"| {phase}: {self.kw(ctx)} | {self.pick(MONTHS)} {year} | {cap(self.pick(OUTCOMES))} |")
        return "\n".join(rows)

    def metric(self, ctx):
        r = self.r
        label, unit = self.pick(ctx["topic_metrics"])
        if unit == "%":
            value = 5 + int(r() * 95)
        elif unit.startswith("su "):
            value = round(6 + r() * 3.5, 1)
        elif unit == "euro":
            value = int(5 + r() ** 2 * 2000) * 1000
        elif unit in ("giorni", "mesi", "giornate", "gradi"):
            value = 1 + int(r() * 90)
        elif unit == "ore":
            value = 10 + int(r() * 2000)
        else:
            value = int(2 + r() ** 3 * 20000)
        return label, value, unit

    # -- structured fields --------------------------------------------------------------------
    def owners(self, topic):
        r = self.r
        reg = self.reg
        who = topic["who"]
        if who and r() < 0.8:
            kind = self.pick(who)
        else:
            x = r()
            kind = "C" if x < 0.66 else "U" if x < 0.78 else "R" if x < 0.85 else "P" if x < 0.92 else "A"
        if kind == "C":
            owner = reg.orgs["C"][bisect.bisect_left(reg.comune_cum, r() * reg.comune_cum[-1])]
        else:
            owner = self.pick(reg.orgs[kind])
        result = [owner]
        seen = {owner[0]}
        x = r()
        n_partners = 0 if x < 0.45 else 1 if x < 0.7 else 2 if x < 0.88 else 3
        near = reg.by_province.get(owner[2][:3], [])
        for _ in range(n_partners):
            cand = None
            if r() < 0.7:  # mostly a comune of the same province
                for _try in range(4):
                    cand = self.comune_by_istat.get(self.pick(near)) if near else None
                    if cand:
                        break
                cand = cand or self.pick(reg.orgs["C"])
            else:
                x = r()
                k = "C" if x < 0.4 else "U" if x < 0.6 else "R" if x < 0.75 else "P" if x < 0.9 else "A"
                cand = self.pick(reg.orgs[k])
            if cand[0] not in seen:
                seen.add(cand[0])
                result.append(cand)
        return kind, result

    def places(self, kind, orgs):
        r = self.r
        reg = self.reg
        seat = orgs[0][2]
        out = []
        if kind == "R":
            if r() < 0.7:
                region = reg.comuni[seat][2]
                out = [self.pick(reg.by_region[region]) for _ in range(1 + int(r() * 4))]
        else:
            if kind != "P" or r() < 0.5:
                out.append(seat)
            if kind in "UPA":
                codes = reg.by_province[seat[:3]]
                out += [self.pick(codes) for _ in range(int(r() * 6))]
        for o in orgs[1:]:
            if o[0].startswith("c_") and r() < 0.8:
                out.append(o[2])
        if r() < 0.05:
            out = []
        return list(dict.fromkeys(out))

    def period(self):
        r = self.r
        y0 = 2010 + min(int((r() ** 0.6) * 17), 16)  # more practices in recent years
        m0 = 1 + int(r() * 12)
        start = f"{y0}-{m0:02d}-01"
        if r() < (0.7 if y0 >= 2025 else 0.15):
            return {"start": start, "end": None}, y0, max(y0, 2026)
        total = y0 * 12 + (m0 - 1) + 6 + int(r() * 43)
        y1, m1 = divmod(total, 12)
        m1 += 1
        end = f"{y1}-{m1:02d}-{calendar.monthrange(y1, m1)[1]:02d}"
        return {"start": start, "end": end}, y0, y1

    def funding(self, y0, region):
        r = self.r
        if r() < 0.35:
            return []
        out, seen = [], set()
        for _ in range(1 + (r() < 0.25)):
            x = r()
            axis = None
            if y0 >= 2021 and x < 0.4:
                prog, axis = self.pick(PNRR)
            elif x < 0.65:
                cycle = "2007-2013" if y0 < 2015 else "2014-2020" if y0 < 2023 else "2021-2027"
                if r() < 0.3:
                    prog = self.pick([f"PON Governance e Capacità Istituzionale {cycle}",
                                      f"PON Città Metropolitane {cycle}", f"PON Inclusione {cycle}"]
                                     if cycle != "2021-2027" else
                                     ["PN Capacità per la Coesione 2021-2027", "PN Metro Plus 2021-2027",
                                      "PN Inclusione e lotta alla povertà 2021-2027"])
                else:
                    fund = self.pick(["FESR", "FSE"] if cycle != "2021-2027" else ["FESR", "FSE+"])
                    prog = f"{'POR' if cycle != '2021-2027' else 'PR'} {fund} {region} {cycle}"
                if r() < 0.5:
                    axis = self.pick(AXES)
            else:
                prog = self.pick(OWN_FUNDS)
            if prog in seen:
                continue
            seen.add(prog)
            amount = None if r() < 0.4 else int(1 + r() ** 2 * 400) * 500000
            out.append({"programme": prog, "axis": axis, "amount_cents": amount})
        return out

    def links(self, orgs, slug):
        r = self.r
        x = r()
        n = 0 if x < 0.2 else 1 if x < 0.6 else 2 if x < 0.85 else 3
        out = []
        owner = orgs[0]
        if n and owner[3]:
            out.append({"title": owner[1], "url": owner[3]})
            if n > 1 and r() < 0.5:
                out.append({"title": "Pagina del progetto", "url": owner[3].rstrip("/") + "/progetti/" + slug})
        while len(out) < n:
            title, url = self.pick(COMMON_LINKS)
            if all(link["url"] != url for link in out):
                out.append({"title": title, "url": url})
        return out

    def summary(self, ctx, ente, topic, y0):
        r = self.r
        k1 = self.kw(ctx)
        k2 = self.kw2(ctx)
        text = (f"{cap(ente)} ha {self.pick(VERBS)} {topic['name']} per "
                f"{strip_article(self.pick(TARGETS))}, puntando su {k1} {'ed' if k2[:1] == 'e' else 'e'} {k2}.")
        extra = self.pick((
            lambda: f" In {self.pick(NUMWORDS[:6])} anni il risultato è misurabile: {self.pick(OUTCOMES)}.",
            lambda: f" Il progetto, avviato nel {y0}, ha coinvolto {self.pick(OFFICES)} e {self.pick(PARTNERS)}.",
            lambda: " Il modello è documentato e pronto per il riuso da parte di altri enti.",
            lambda: f" Risultato principale: {self.pick(OUTCOMES)}, con {2 + int(r() * 40)} comuni coinvolti.",
            lambda: f" Tra gli strumenti: {self.pick(TOOLS)} e {self.pick(TOOLS)}.",
        ))()
        extra = extra.replace("..", ".")
        if len(text) + len(extra) <= 270:
            text += extra
        if len(text) > 270:
            text = text[:269].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        return text

    def practice(self):
        r = self.r
        reg = self.reg
        topic = self.zpick(self.topics, self.topic_cum)
        kind, orgs = self.owners(topic)
        owner = orgs[0]
        ente = article_forms(owner[1])
        seat_name, _, region, _ = reg.comuni[owner[2]]
        places = self.places(kind, orgs)
        # other comuni for "{place2}": the practice's places, else neighbours of the owner
        others = [reg.comuni[c][0] for c in places if c != owner[2]]
        near = reg.by_province[owner[2][:3]]
        while len(others) < 3:
            others.append(reg.comuni[self.pick(near)][0])
        period, y0, y1 = self.period()
        kws = topic["kws"][:]
        self.shuffle(kws)  # the practice's own emphasis among the topic's keywords
        other = self.zpick(self.topics, self.topic_cum)
        kws += other["kws"][: 1 + int(r() * 2)]  # and one or two of a related topic
        ctx = {
            "Ente": cap(ente), "ente": ente, "topic": topic["name"], "topic_b": topic["bare"],
            "topic_acr": topic["acr"], "kws": kws, "place": seat_name, "place_names": others,
            "y0": y0, "y1": max(y1, y0), "topic_metrics": topic["metrics"],
        }
        bare = cap(topic["bare"])
        in_ente = contract("in", ente)
        shape = r()
        if shape < 0.3:
            title = f"{bare} a {seat_name}"
        elif shape < 0.55:
            title = f"{bare}: {self.pick(HEADLINES)}"
            if r() < 0.7:
                title += f" {in_ente}"
        elif shape < 0.75:
            title = f"{bare} {in_ente}"
        elif shape < 0.9 and topic["acr"]:
            title = f"{topic['acr']}: {topic['bare']} per {strip_article(self.pick(TARGETS))} a {seat_name}"
        else:
            title = f"{cap(self.kw(ctx))} e {topic['bare']}: l'esperienza di {seat_name}"
        title = title[:170]
        slug = slugify(f"{topic['bare']} {seat_name}")
        summary = self.summary(ctx, ente, topic, y0)
        themes = list(topic["themes"])
        if r() < 0.35:
            t = self.pick(self.theme_slugs)
            if t not in themes:
                themes.append(t)
        sections = {key: self.section(key, ctx) for key in SECTION_KEYS}
        metrics, used = [], set()
        for _ in range(1 + int(r() * 4)):
            label, value, unit = self.metric(ctx)
            if label not in used:
                used.add(label)
                metrics.append({"label": label, "value": value, "unit": unit})
        x = r()
        status = "published" if x < 0.97 else "draft" if x < 0.98 else "in_review" if x < 0.99 else "archived"
        record = {
            "slug": slug,
            "title": title,
            "summary": summary,
            "themes": themes[:3],
            "owners": [{"ipa": o[0], "role": "owner" if i == 0 else "partner"} for i, o in enumerate(orgs)],
            "period": period,
            "funding": self.funding(y0, region),
            "sections": sections,
            "support_offered": [s for s in SUPPORT if r() < 0.4],
            "metrics": metrics,
            "places": places,
            "links": self.links(orgs, slug),
            "license": "CC-BY-4.0",
            "status": status,
            "language": "it",
        }
        return record, y0

    def chunk(self, seed, chunk_index, count):
        rng = random.Random(f"riusa-bench:{seed}:{chunk_index}")
        self.r = rng.random
        self.shuffle = rng.shuffle
        out = []
        for _ in range(chunk_index * CHUNK, min((chunk_index + 1) * CHUNK, count)):
            rec, year = self.practice()
            out.append((rec["slug"], rec["title"], rec["summary"], year,
                        json.dumps(rec, ensure_ascii=False)))
        return out


PNRR = [
    ("PNRR - Missione 1 Componente 1", "Investimento 1.4.1 - Esperienza del cittadino nei servizi pubblici"),
    ("PNRR - Missione 1 Componente 1", "Investimento 1.2 - Abilitazione al cloud per le PA locali"),
    ("PNRR - Missione 1 Componente 1", "Misura 1.4.3 - Adozione app IO"),
    ("PNRR - Missione 1 Componente 1", "Misura 1.4.4 - Estensione dell'utilizzo di SPID e CIE"),
    ("PNRR - Missione 1 Componente 1", "Misura 1.4.5 - Piattaforma notifiche digitali"),
    ("PNRR - Missione 1 Componente 1", "Misura 2.2 - Task force per la semplificazione"),
    ("PNRR - Missione 2 Componente 2", "Investimento 1.2 - Comunità energetiche"),
    ("PNRR - Missione 5 Componente 2", "Investimento 1.1 - Sostegno alle persone vulnerabili"),
    ("PNRR - Missione 6 Componente 1", "Investimento 1.2 - Casa come primo luogo di cura e telemedicina"),
]
AXES = ["Asse 1 - Agenda digitale", "Asse D - Capacità istituzionale e amministrativa",
        "Asse II - Diffusione dei servizi digitali", "Asse 4 - Energia sostenibile",
        "Asse 3 - Inclusione sociale", "Priorità 1 - Transizione digitale"]
OWN_FUNDS = ["Fondi propri dell'ente", "Contributo regionale",
             "Fondo per l'innovazione tecnologica e la digitalizzazione",
             "Bando della fondazione bancaria del territorio", "Fondo nazionale per le politiche sociali",
             "Quote dei comuni aderenti"]


def format_number(v):
    if isinstance(v, float):
        return f"{v:.1f}".replace(".", ",")
    return f"{v:,}".replace(",", ".")


STOP = {"il", "lo", "la", "i", "gli", "le", "di", "del", "dello", "della", "dei", "degli", "delle",
        "e", "ed", "a", "al", "alla", "ai", "agli", "alle", "per", "con", "in", "nel", "nella",
        "nei", "sul", "sulla", "da", "dal", "dalla", "l", "d", "un", "una", "all", "dell", "nell",
        "sull", "dall"}


def slugify(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w and w not in STOP]
    slug = "-".join(words)
    if len(slug) > 80:
        slug = slug[:80].rsplit("-", 1)[0]
    return slug or "pratica"


ORDINALS = ["", "", "seconda", "terza", "quarta", "quinta", "sesta", "settima", "ottava", "nona", "decima"]


class Dedup:
    """Makes slugs, titles and summaries unique, in file order (so deterministic)."""

    def __init__(self):
        self.slugs, self.titles, self.summaries = {}, {}, {}

    @staticmethod
    def _unique(seen, value, variant):
        if value not in seen:
            seen[value] = 1
            return value, False
        n = seen[value]
        while True:
            n += 1
            candidate = variant(value, n)
            if candidate not in seen:
                seen[value] = n
                seen[candidate] = 1
                return candidate, True

    def apply(self, slug, title, summary, year, line):
        s, c1 = self._unique(self.slugs, slug, lambda v, n: f"{v}-{year}" if n == 2 else f"{v}-{year}-{n - 1}")
        t, c2 = self._unique(self.titles, title, lambda v, n: f"{v} ({ORDINALS[n] + ' edizione' if n < len(ORDINALS) else f'edizione {n}'})")
        m, c3 = self._unique(self.summaries, summary, lambda v, n: f"{v} Edizione {n}.")
        if not (c1 or c2 or c3):
            return line
        rec = json.loads(line)
        rec["slug"], rec["title"], rec["summary"] = s, t, m
        return json.dumps(rec, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------

def make_queries(gen, seed, n):
    """Search queries in the generator's vocabulary, the way civil servants type them: topic
    words (frequent topics more often), keywords, acronyms, a word and a place, rare terms,
    and about one in ten with a typo."""
    rng = random.Random(f"riusa-bench-queries:{seed}")
    out, seen = [], set()

    def add(words):
        q = " ".join(" ".join(words).lower().split()[:3])
        if q and q not in seen:
            seen.add(q)
            out.append(q)

    def typo(w):
        if len(w) < 6:
            return w
        i = rng.randrange(1, len(w) - 2)
        if rng.random() < 0.5:
            return w[:i] + w[i + 1] + w[i] + w[i + 2:]  # swapped letters
        return w[:i] + w[i + 1:]  # a letter missing

    def content(phrase):
        return [w for w in re.split(r"[\s']+", phrase) if w and w.lower() not in STOP]

    def longest(phrase):
        return max(content(phrase), key=len)

    while len(out) < n:
        x = rng.random()
        topic = gen.topics[bisect.bisect_left(gen.topic_cum, rng.random() * gen.topic_cum[-1])]
        words = content(topic["bare"])
        if x < 0.3:
            add(words[: rng.choice([1, 2, 2, 3])])
        elif x < 0.5:
            add(content(rng.choice(topic["kws"]))[:3])
        elif x < 0.6 and topic["acr"]:
            add([topic["acr"]])
        elif x < 0.68:
            place = rng.choice(gen.reg.orgs["C"])[1].split(" di ", 1)[1]
            if len(place.split()) <= 2:
                add([longest(topic["bare"]), place])
        elif x < 0.78:
            add(content(rng.choice(gen.rare))[:2])
        elif x < 0.88:
            w = words[:2]
            j = rng.randrange(len(w))
            w[j] = typo(w[j])
            add(w)
        else:
            add([rng.choice(ACRONYMS[:12]), longest(rng.choice(topic["kws"]))])
    return out


def make_tail_queries(gen, seed, n):
    """A long tail of distinct searches nobody asked before: 1-3 words of the catalog's own
    vocabulary (generic words too, not only topic phrases), each word drawn as often as it
    occurs in a sample of the generated text, so common words come up often (Zipf's law, as
    in the catalog) and every query is asked once."""
    rng = random.Random(f"riusa-bench-tail:{seed}")
    freq = {}
    for rec in gen.chunk(seed, 0, CHUNK) + gen.chunk(seed, 1, 2 * CHUNK):
        practice = json.loads(rec[4])
        text = " ".join([practice["title"], practice["summary"], *practice["sections"].values()])
        for w in re.split(r"[^\w]+", text.lower()):
            if len(w) > 2 and not w.isdigit() and w not in STOP:
                freq[w] = freq.get(w, 0) + 1
    words = sorted(freq, key=lambda w: (-freq[w], w))
    cum, total = [], 0
    for w in words:
        total += freq[w]
        cum.append(total)
    out, seen = [], set()
    max_distinct = len(words) ** 3 // 4
    if n > max_distinct:
        sys.exit(f"--tail-count {n}: this vocabulary gives about {max_distinct} distinct queries")
    while len(out) < n:
        length = rng.choices((1, 2, 3), weights=(3, 5, 2))[0]
        q = " ".join(words[bisect.bisect_left(cum, rng.random() * total)] for _ in range(length))
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


# ---------------------------------------------------------------------------------------------

GEN = None


def _init(gen):
    global GEN
    GEN = gen


def _work(args):
    seed, chunk_index, count = args
    return GEN.chunk(seed, chunk_index, count)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, help="number of practices")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="output JSON Lines file")
    ap.add_argument("--registry", default=str(REPO / "data" / "registry"))
    ap.add_argument("--themes", default=str(REPO / "data" / "themes.json"))
    ap.add_argument("--queries", help="also write a list of search queries to this file")
    ap.add_argument("--query-count", type=int, default=60)
    ap.add_argument("--tail-queries", help="also write a long tail of distinct searches to this file")
    ap.add_argument("--tail-count", type=int, default=150000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    if args.count is None and not args.queries and not args.tail_queries:
        ap.error("give --count and --out, --queries or --tail-queries")
    if args.count is not None and not args.out:
        ap.error("--count needs --out")

    t0 = time.monotonic()
    themes = [t["slug"] for t in json.loads(Path(args.themes).read_text(encoding="utf-8"))]
    gen = Generator(Registry(args.registry), themes)

    if args.queries:
        Path(args.queries).write_text("\n".join(make_queries(gen, args.seed, args.query_count)) + "\n",
                                      encoding="utf-8")
        print(f"wrote {args.query_count} queries to {args.queries}", file=sys.stderr)

    if args.tail_queries:
        tail = make_tail_queries(gen, args.seed, args.tail_count)
        Path(args.tail_queries).write_text("\n".join(tail) + "\n", encoding="utf-8")
        print(f"wrote {len(tail)} distinct searches to {args.tail_queries}", file=sys.stderr)

    if args.count is None:
        return
    count = args.count
    tasks = [(args.seed, c, count) for c in range((count + CHUNK - 1) // CHUNK)]
    dedup = Dedup()
    out_path = Path(args.out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", buffering=1 << 20) as f:
        if args.jobs > 1 and len(tasks) > 1:
            with Pool(args.jobs, initializer=_init, initargs=(gen,)) as pool:
                for chunk in pool.imap(_work, tasks):
                    f.writelines(dedup.apply(*rec) + "\n" for rec in chunk)
        else:
            _init(gen)
            for t in tasks:
                f.writelines(dedup.apply(*rec) + "\n" for rec in _work(t))
    os.replace(tmp, out_path)
    size = out_path.stat().st_size
    print(f"wrote {count} practices to {out_path}: {size} bytes ({size / 1e6:.1f} MB, "
          f"{size / max(count, 1):.0f} B/practice) in {time.monotonic() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
