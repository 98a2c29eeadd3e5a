//! The descriptions of the findings, in Italian (decision 0010), one function a kind of
//! finding; each says what the reference parser's English message says (decision 0023).
//! `field` is the last segment of the key, as the reference names it (`countries[2]`).

const CATEGORIES_LIST: &str =
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/categories-list.rst";
const SCOPES_LIST: &str =
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/scope-list.rst";
const ALIASES_LIST: &str =
    "https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/aliases-list.rst";
const IPA_VOCABULARY: &str =
    "https://github.com/publiccodeyml/italian-organizations-ipa-vocabulary";
const DEPRECATED: &str = "Questa chiave è DEPRECATA e sarà rimossa in futuro.";

pub fn invalid_utf8() -> String {
    "il file non è codificato in UTF-8".to_owned()
}

pub fn yaml_syntax(reason: &str) -> String {
    format!("YAML non valido: {reason}")
}

pub fn multiple_documents() -> String {
    "più documenti YAML nello stesso file non sono supportati".to_owned()
}

pub fn unsupported_version(version: &str, supported: &[&str]) -> String {
    format!(
        "versione non supportata: '{version}'. Versioni supportate: {}",
        supported.join(", ")
    )
}

pub fn old_version(version: &str, latest: &str) -> String {
    format!("v{version} non è l'ultima versione, usare '0'. Il file viene letto come v{latest}.")
}

pub fn wrong_type() -> String {
    "tipo sbagliato per questo campo".to_owned()
}

pub fn unknown_field(name: &str) -> String {
    format!("campo sconosciuto \"{name}\"")
}

pub fn required(field: &str) -> String {
    format!("{field} è un campo obbligatorio")
}

pub fn required_if(field: &str, other: &str, value: &str) -> String {
    format!("{field} è un campo obbligatorio quando \"{other}\" è \"{value}\"")
}

pub fn excluded_unless(field: &str, other: &str, value: &str) -> String {
    format!("{field} non può essere presente se \"{other}\" non è \"{value}\"")
}

pub fn not_empty(field: &str) -> String {
    format!("{field} deve contenere almeno un elemento")
}

pub fn one_of(field: &str, values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    let list = match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} o {last}", rest.join(", ")),
        _ => quoted.join(""),
    };
    format!("{field} deve essere uno dei seguenti valori: {list}")
}

pub fn date(field: &str) -> String {
    format!("{field} deve essere una data nel formato 'AAAA-MM-GG'")
}

pub fn max_length(field: &str, max: usize) -> String {
    format!("{field} può avere al massimo {max} caratteri")
}

pub fn min_length(field: &str, min: usize) -> String {
    format!("{field} deve avere almeno {min} caratteri")
}

pub fn url(field: &str) -> String {
    format!("{field} deve essere un URL valido")
}

pub fn http_url(field: &str) -> String {
    format!("{field} deve essere un URL HTTP")
}

pub fn uri(field: &str) -> String {
    format!("{field} non è un URI valido")
}

pub fn italian_pa_uri(field: &str) -> String {
    format!(
        "{field} deve essere un codice IPA valido nel formato 'urn:x-italian-pa:[codiceIPA]' (vedi {IPA_VOCABULARY})"
    )
}

pub fn ipa_code(field: &str) -> String {
    format!("{field} deve essere un codice IPA valido (vedi {IPA_VOCABULARY})")
}

pub fn email(field: &str) -> String {
    format!("{field} deve essere un indirizzo email valido")
}

pub fn mime_type(field: &str) -> String {
    format!("{field} non è un tipo MIME valido")
}

pub fn license(field: &str) -> String {
    format!("{field} deve essere una licenza valida (vedi https://spdx.org/licenses)")
}

pub fn category(field: &str) -> String {
    format!("{field} deve essere una categoria valida (vedi {CATEGORIES_LIST})")
}

pub fn scope(field: &str) -> String {
    format!("{field} deve essere un ambito valido (vedi {SCOPES_LIST})")
}

pub fn country(field: &str) -> String {
    format!("{field} deve essere un codice di paese ISO 3166-1 alpha-2 valido")
}

pub fn language(field: &str) -> String {
    format!("{field} deve essere una lingua BCP 47 valida")
}

pub fn unknown_alias(field: &str) -> String {
    format!("{field} contiene un alias sconosciuto (vedi {ALIASES_LIST})")
}

pub fn absolute_path() -> String {
    "è un percorso assoluto. Sono ammessi solo percorsi relativi o URL HTTP(S)".to_owned()
}

pub fn file_url() -> String {
    "è un URL file://. Sono ammessi solo percorsi relativi o URL HTTP(S)".to_owned()
}

pub fn no_such_file(path: &str) -> String {
    format!("file inesistente: {path}")
}

pub fn logo_extension(path: &str) -> String {
    format!("estensione del file non valida per: {path} (ammesse: .svg, .svgz, .png)")
}

pub fn not_an_image(value: &str, reason: &str) -> String {
    format!("'{value}' non è un'immagine: {reason}")
}

pub fn authors_file_missing(path: &str) -> String {
    format!("'{path}' non esiste")
}

pub fn video(value: &str) -> String {
    format!(
        "'{value}' non è un URL di video valido con supporto oEmbed: link oEmbed non valido: {value}"
    )
}

pub fn not_reachable(url: &str, reason: &str) -> String {
    format!("'{url}' non raggiungibile: {reason}")
}

pub fn bad_remote_logo(url: &str, reason: &str) -> String {
    format!("'{url}' non è un logo valido: {reason}")
}

pub fn deprecated_drop() -> String {
    format!("{DEPRECATED} Si può togliere senza conseguenze")
}

pub fn deprecated_use(instead: &str) -> String {
    format!("{DEPRECATED} Usare '{instead}' al suo posto")
}

pub fn deprecated_ipa_code(code: &str) -> String {
    format!(
        "{DEPRECATED} Usare 'organisation.uri' con il valore '{}{code}' al suo posto",
        super::vocabulary::ITALIAN_PA_URN
    )
}

pub fn lowercase_country(upper: &str) -> String {
    format!("I codici di paese in minuscolo sono DEPRECATI. Usare il maiuscolo ('{upper}')")
}

pub fn lowercase_it_section() -> String {
    "I codici di paese in minuscolo sono DEPRECATI e saranno rimossi in futuro. Usare 'IT' al suo posto"
        .to_owned()
}

pub fn duplicate_it_section() -> String {
    "la chiave 'IT' è già presente. Togliere questa chiave".to_owned()
}
