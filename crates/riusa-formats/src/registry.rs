//! The public registries riusa loads: ISTAT's list of comuni (with a population file) and
//! AgID's IPA list of administrations.
//!
//! Columns are found by their header, not their position, so that a re-ordered or widened
//! export still loads; a missing column is an error on line 1.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use csv::StringRecord;
use riusa_domain::organizations::{
    MUNICIPALITY_CATEGORY, NewMunicipality, NewOrganization, municipality_ipa_code,
    normalize_ipa_code, normalize_istat_code,
};
use riusa_domain::text::{normalize, normalize_optional};
use serde::Deserialize;

use crate::error::{FormatError, usize_from};

const ISTAT_CODE: &str = "Codice Comune formato alfanumerico";
const ISTAT_NAME: &str = "Denominazione in italiano";
const ISTAT_REGION_CODE: &str = "Codice Regione";
const ISTAT_REGION_NAME: &str = "Denominazione Regione";
// The historic province code is the first three digits of every ISTAT comune code (`058` for
// Roma), unlike the code of the "unità territoriale sovracomunale" (`258`, the città
// metropolitana); in the 2024 list both map one-to-one to the same 107 names.
const ISTAT_PROVINCE_CODE: &str = "Codice Provincia (Storico)";
const ISTAT_PROVINCE_NAME: &str = "Denominazione dell'Unità territoriale sovracomunale";
const ISTAT_PROVINCE_ABBR: &str = "Sigla automobilistica";
const ISTAT_CADASTRAL_CODE: &str = "Codice Catastale del comune";

const IPA_CODE: &str = "codice_ipa";
const IPA_NAME: &str = "denominazione_ente";
const IPA_ISTAT_CODE: &str = "codice_comune_istat";
const IPA_KIND: &str = "tipologia";
const IPA_CATEGORY_CODE: &str = "codice_categoria";
const IPA_CATEGORY_NAME: &str = "nome_categoria";
const IPA_WEBSITE: &str = "sito_istituzionale";

/// Reads ISTAT's "Elenco comuni italiani" (`;`-separated) and joins the population by ISTAT code.
///
/// The ISTAT list decides which comuni exist and what they are called; the population file is
/// older (2020), so comuni created by later mergers get `population: None`.
pub fn read_municipalities(
    istat_csv: &[u8],
    population_json: &[u8],
) -> Result<Vec<NewMunicipality>, FormatError> {
    let population = read_population(population_json)?;

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(istat_csv);
    let mut lines = LineCounter::new(istat_csv);
    // ISTAT headers carry footnote marks ("(1)") and quoted line breaks, so they are matched on
    // their leading words with whitespace collapsed.
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| lines.error(&e))?
        .iter()
        .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let [
        code_at,
        name_at,
        region_code_at,
        region_name_at,
        province_code_at,
        province_name_at,
        abbr_at,
        cadastral_at,
    ] = find_columns(
        [
            ISTAT_CODE,
            ISTAT_NAME,
            ISTAT_REGION_CODE,
            ISTAT_REGION_NAME,
            ISTAT_PROVINCE_CODE,
            ISTAT_PROVINCE_NAME,
            ISTAT_PROVINCE_ABBR,
            ISTAT_CADASTRAL_CODE,
        ],
        |wanted| headers.iter().position(|h| h.starts_with(wanted)),
    )?;

    let mut municipalities = Vec::with_capacity(8_000);
    let mut seen = HashSet::with_capacity(8_000);
    let mut record = StringRecord::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| lines.error(&e))?
    {
        let row = Row::new(&record, &mut lines);
        let istat_code = normalize_istat_code(row.required(code_at, ISTAT_CODE)?).ok_or(
            FormatError::Invalid {
                line: row.line,
                column: ISTAT_CODE,
            },
        )?;
        if !seen.insert(istat_code.clone()) {
            return Err(FormatError::Duplicate {
                line: row.line,
                key: istat_code,
            });
        }
        let population = population.get(istat_code.as_str()).copied();
        municipalities.push(NewMunicipality {
            name: normalize(row.required(name_at, ISTAT_NAME)?),
            region_code: row.required(region_code_at, ISTAT_REGION_CODE)?.to_owned(),
            region_name: normalize(row.required(region_name_at, ISTAT_REGION_NAME)?),
            province_code: row
                .required(province_code_at, ISTAT_PROVINCE_CODE)?
                .to_owned(),
            province_name: normalize(row.required(province_name_at, ISTAT_PROVINCE_NAME)?),
            province_abbr: normalize_optional(Some(row.get(abbr_at))),
            cadastral_code: row
                .required(cadastral_at, ISTAT_CADASTRAL_CODE)?
                .to_ascii_uppercase(),
            population,
            istat_code,
        });
    }
    Ok(municipalities)
}

/// One entry of `comuni_popolazione_2020.json`; the other keys are ignored.
#[derive(Deserialize)]
struct PopulationEntry<'a> {
    #[serde(borrow)]
    codice: Cow<'a, str>,
    #[serde(default)]
    popolazione: Option<u64>,
}

/// Population by normalised ISTAT code; an entry whose code is not an ISTAT code cannot join
/// any comune and is skipped, and the first entry of a code wins.
fn read_population(json: &[u8]) -> Result<HashMap<String, i64>, FormatError> {
    let entries: Vec<PopulationEntry<'_>> =
        serde_json::from_slice(json).map_err(|e| FormatError::Json {
            message: e.to_string(),
        })?;
    let mut population = HashMap::with_capacity(entries.len());
    for entry in entries {
        let (Some(code), Some(people)) = (
            normalize_istat_code(&entry.codice),
            entry.popolazione.and_then(|p| i64::try_from(p).ok()),
        ) else {
            continue;
        };
        population.entry(code).or_insert(people);
    }
    Ok(population)
}

/// Reads AgID's IPA "enti" list (`,`-separated) and links each administration to its seat.
///
/// `municipalities` (from [`read_municipalities`]) tells which administrations are comuni: a
/// comune's IPA code is `c_` plus the cadastral code of the comune it sits in.
pub fn read_organizations(
    ipa_csv: &[u8],
    municipalities: &[NewMunicipality],
) -> Result<Vec<NewOrganization>, FormatError> {
    let comune_codes: HashMap<&str, String> = municipalities
        .iter()
        .filter(|m| !m.cadastral_code.trim().is_empty())
        .map(|m| {
            (
                m.istat_code.as_str(),
                municipality_ipa_code(&m.cadastral_code),
            )
        })
        .collect();

    let mut reader = csv::ReaderBuilder::new().from_reader(ipa_csv);
    let mut lines = LineCounter::new(ipa_csv);
    let headers = reader.headers().map_err(|e| lines.error(&e))?.clone();
    let [
        code_at,
        name_at,
        istat_at,
        kind_at,
        category_code_at,
        category_name_at,
        website_at,
    ] = find_columns(
        [
            IPA_CODE,
            IPA_NAME,
            IPA_ISTAT_CODE,
            IPA_KIND,
            IPA_CATEGORY_CODE,
            IPA_CATEGORY_NAME,
            IPA_WEBSITE,
        ],
        |wanted| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(wanted))
        },
    )?;

    // About 200 bytes a row: one allocation instead of a dozen regrowths of 23,000 records.
    let mut organizations = Vec::with_capacity(ipa_csv.len() / 200);
    let mut seen = HashSet::with_capacity(ipa_csv.len() / 200);
    let mut record = StringRecord::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| lines.error(&e))?
    {
        let row = Row::new(&record, &mut lines);
        let ipa_code = normalize_ipa_code(row.required(code_at, IPA_CODE)?);
        if seen.contains(&ipa_code) {
            return Err(FormatError::Duplicate {
                line: row.line,
                key: ipa_code,
            });
        }
        seen.insert(ipa_code.clone());
        let istat_code = normalize_istat_code(row.get(istat_at));
        let category_code = normalize(row.required(category_code_at, IPA_CATEGORY_CODE)?);
        // A union of comuni may carry its seat's cadastral code (c_f208, Montiferru): only
        // category L6 administrations are comuni.
        let is_municipality = category_code == MUNICIPALITY_CATEGORY
            && istat_code
                .as_deref()
                .and_then(|code| comune_codes.get(code))
                .is_some_and(|comune_code| *comune_code == ipa_code);
        organizations.push(NewOrganization {
            name: normalize(row.required(name_at, IPA_NAME)?),
            kind: normalize(row.required(kind_at, IPA_KIND)?),
            category_code,
            category_name: normalize(row.required(category_name_at, IPA_CATEGORY_NAME)?),
            istat_code,
            is_municipality,
            website: normalize_optional(Some(row.get(website_at))),
            ipa_code,
        });
    }
    Ok(organizations)
}

/// The index of each wanted column, or the first one that is missing.
fn find_columns<const N: usize>(
    wanted: [&'static str; N],
    position: impl Fn(&str) -> Option<usize>,
) -> Result<[usize; N], FormatError> {
    let mut found = [0; N];
    for (slot, column) in found.iter_mut().zip(wanted) {
        *slot = position(column).ok_or(FormatError::Missing { line: 1, column })?;
    }
    Ok(found)
}

/// Line numbers from the csv reader's byte offsets. Its own `Position::line` is one short
/// after every CRLF and after blank lines (BurntSushi/rust-csv#395, #208), and both registry
/// files use CRLF; its byte offset is right but may point at the previous record's terminator.
struct LineCounter<'a> {
    input: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(input: &'a [u8]) -> Self {
        LineCounter {
            input,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record starting at `position`; records come in file order, so
    /// counting resumes from the previous record and the file is scanned once.
    fn line_at(&mut self, position: &csv::Position) -> usize {
        let mut start = usize_from(position.byte()).min(self.input.len());
        while self
            .input
            .get(start)
            .is_some_and(|b| matches!(b, b'\r' | b'\n'))
        {
            start += 1;
        }
        if start < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        self.line += self.input[self.offset..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = start;
        self.line
    }

    fn error(&mut self, error: &csv::Error) -> FormatError {
        let message = match error.kind() {
            // csv's own message carries its wrong line number.
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("found {len} fields, expected {expected_len}"),
            csv::ErrorKind::Utf8 { err, .. } => {
                format!("field {} is not valid UTF-8", err.field() + 1)
            }
            _ => error.to_string(),
        };
        FormatError::Csv {
            line: error.position().map_or(0, |p| self.line_at(p)),
            message,
        }
    }
}

/// A CSV record with the line it starts on.
struct Row<'r> {
    record: &'r StringRecord,
    line: usize,
}

impl<'r> Row<'r> {
    fn new(record: &'r StringRecord, lines: &mut LineCounter<'_>) -> Self {
        let line = record.position().map_or(0, |p| lines.line_at(p));
        Row { record, line }
    }

    /// The trimmed value; the csv reader has already refused records shorter than the header.
    fn get(&self, index: usize) -> &'r str {
        self.record.get(index).unwrap_or_default().trim()
    }

    fn required(&self, index: usize, column: &'static str) -> Result<&'r str, FormatError> {
        let value = self.get(index);
        if value.is_empty() {
            Err(FormatError::Missing {
                line: self.line,
                column,
            })
        } else {
            Ok(value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISTAT_CSV: &[u8] =
        include_bytes!("../../../data/registry/istat_elenco_comuni_italiani_2024.csv");
    const POPULATION_JSON: &[u8] =
        include_bytes!("../../../data/registry/comuni_popolazione_2020.json");
    const IPA_CSV: &[u8] = include_bytes!("../../../data/registry/ipa_enti_2024-07-31.csv");

    const ISTAT_HEADER: &str = "Codice Regione;\"Codice dell'Unità territoriale sovracomunale \n(valida a fini statistici)\";Codice Provincia (Storico)(1);Progressivo del Comune (2);Codice Comune formato alfanumerico;Denominazione in italiano;Denominazione Regione;\"Denominazione dell'Unità territoriale sovracomunale \n(valida a fini statistici)\";Sigla automobilistica;Codice Catastale del comune\r\n";
    const IPA_HEADER: &str = "codice_ipa,denominazione_ente,codice_comune_istat,tipologia,codice_categoria,nome_categoria,tipologia_categoria,codice_natura,codice_ateco,sito_istituzionale\r\n";

    fn real_municipalities() -> Vec<NewMunicipality> {
        read_municipalities(ISTAT_CSV, POPULATION_JSON).unwrap_or_else(|e| panic!("{e}"))
    }

    fn ok<T>(result: Result<T, FormatError>) -> T {
        result.unwrap_or_else(|e| panic!("{e}"))
    }

    fn small_comuni() -> Vec<NewMunicipality> {
        let csv = format!(
            "{ISTAT_HEADER}12;258;058;091;058091;Roma;Lazio;Roma;RM;H501\r\n\
             09;048;048;017;048017;Firenze;Toscana;Firenze;FI;D612\r\n"
        );
        ok(read_municipalities(
            csv.as_bytes(),
            br#"[{"codice":"058091","popolazione":2872800}]"#,
        ))
    }

    #[test]
    fn the_istat_list_gives_every_comune_with_its_2020_population() {
        let comuni = real_municipalities();
        assert_eq!(comuni.len(), 7_896);
        let roma = comuni
            .iter()
            .find(|m| m.istat_code == "058091")
            .unwrap_or_else(|| panic!("Roma is in the ISTAT list"));
        assert_eq!(roma.name, "Roma");
        assert_eq!(roma.region_code, "12");
        assert_eq!(roma.region_name, "Lazio");
        assert_eq!(roma.province_code, "058");
        assert_eq!(roma.province_name, "Roma");
        assert_eq!(roma.province_abbr.as_deref(), Some("RM"));
        assert_eq!(roma.cadastral_code, "H501");
        assert!(roma.population.is_some_and(|p| p > 2_000_000));

        // Comuni created by mergers after 2020 are not in the population file.
        let without_population: Vec<&str> = comuni
            .iter()
            .filter(|m| m.population.is_none())
            .map(|m| m.istat_code.as_str())
            .collect();
        assert_eq!(without_population.len(), 9);
        assert!(without_population.contains(&"081025")); // Misiliscemi, 2021
    }

    #[test]
    fn the_ipa_list_links_comuni_to_their_seat() {
        let comuni = real_municipalities();
        let organizations = ok(read_organizations(IPA_CSV, &comuni));
        assert_eq!(organizations.len(), 23_558);

        let roma = organizations
            .iter()
            .find(|o| o.ipa_code == "c_h501")
            .unwrap_or_else(|| panic!("Roma Capitale is in IPA"));
        assert!(roma.is_municipality);
        assert_eq!(roma.istat_code.as_deref(), Some("058091"));
        assert_eq!(roma.category_code, "L6");

        let toscana = organizations
            .iter()
            .find(|o| o.ipa_code == "r_toscan")
            .unwrap_or_else(|| panic!("Regione Toscana is in IPA"));
        assert!(!toscana.is_municipality);
        assert_eq!(toscana.istat_code.as_deref(), Some("048017"));
        assert_eq!(toscana.name, "Regione Toscana");
        assert_eq!(
            toscana.website.as_deref(),
            Some("https://www.regione.toscana.it/")
        );

        assert!(
            organizations
                .iter()
                .all(|o| o.ipa_code == o.ipa_code.to_lowercase()
                    && o.name == normalize(&o.name)
                    && o.website.as_deref() != Some(""))
        );

        // 7,656 for 7,896 comuni. The 240 missing: 174 comuni have no `c_<catastale>` code in IPA
        // at all (post-merger comuni got random codes such as `3BEP4ZAX`, older ones historic
        // codes such as `c_0319` or `B432`); about 65 `c_` codes exist but IPA gives a seat that
        // is not that comune (Montecopiolo and Sassofeltrio still sit in the 041 province they
        // left in 2021; `c_a081` is Agnone while A081 is Villa Latina). And `c_f208` is the
        // Unione dei Comuni del Montiferru, seated in Milis (F208), whose own code is
        // `c_f208a`: excluded by its category.
        let flagged: Vec<&NewOrganization> =
            organizations.iter().filter(|o| o.is_municipality).collect();
        assert_eq!(flagged.len(), 7_656);
        let not_comuni: Vec<&str> = flagged
            .iter()
            .filter(|o| o.category_code != "L6")
            .map(|o| o.ipa_code.as_str())
            .collect();
        assert!(not_comuni.is_empty(), "{not_comuni:?}");
    }

    #[test]
    fn a_record_with_a_missing_field_is_refused_with_its_line() {
        let csv = format!(
            "{IPA_HEADER}r_toscan,Regione Toscana,048017,Pubbliche Amministrazioni,L4,Regioni,PA,2410,84.11.10,\r\n\
             c_h501,ROMA CAPITALE,058091,Pubbliche Amministrazioni\r\n"
        );
        assert_eq!(
            read_organizations(csv.as_bytes(), &[]),
            Err(FormatError::Csv {
                line: 3,
                message: "found 4 fields, expected 10".into()
            })
        );
    }

    #[test]
    fn line_numbers_count_the_quoted_line_breaks_of_the_istat_header() {
        let csv = format!("{ISTAT_HEADER}12;258;058;091;058091;Roma;Lazio;Roma;RM\r\n");
        assert_eq!(
            read_municipalities(csv.as_bytes(), b"[]"),
            Err(FormatError::Csv {
                line: 4,
                message: "found 9 fields, expected 10".into()
            })
        );
        let csv = format!("{ISTAT_HEADER}12;258;058;091;;Roma;Lazio;Roma;RM;H501\r\n");
        assert_eq!(
            read_municipalities(csv.as_bytes(), b"[]"),
            Err(FormatError::Missing {
                line: 4,
                column: ISTAT_CODE
            })
        );
        let csv = format!("{ISTAT_HEADER}12;258;058;091;58O91;Roma;Lazio;Roma;RM;H501\r\n");
        assert_eq!(
            read_municipalities(csv.as_bytes(), b"[]"),
            Err(FormatError::Invalid {
                line: 4,
                column: ISTAT_CODE
            })
        );
    }

    #[test]
    fn errors_in_the_real_crlf_files_give_the_physical_line() {
        // 7,896 comuni after a header spanning three lines (two quoted line breaks).
        let mut istat = ISTAT_CSV.to_vec();
        istat.extend_from_slice(b"12;258;058;091;058091;Roma;Roma;;3;Centro;Lazio;Roma;3;1;RM;58091;58091;58091;58091;H501;ITI;ITI4;ITI43;ITI;ITI4;ITI43\r\n");
        assert_eq!(
            read_municipalities(&istat, b"[]"),
            Err(FormatError::Duplicate {
                line: 7_900,
                key: "058091".into()
            })
        );

        let comuni = real_municipalities();
        let mut ipa = IPA_CSV.to_vec();
        ipa.extend_from_slice(b"\r\n\r\nR_Toscan,Regione Toscana,048017,PA,L4,Regioni,PA,,,\r\n");
        assert_eq!(
            read_organizations(&ipa, &comuni),
            Err(FormatError::Duplicate {
                line: 23_562,
                key: "r_toscan".into()
            })
        );
        let mut ipa = IPA_CSV.to_vec();
        ipa.extend_from_slice(b"x,\"Ente\r\nsu due righe\",048017,PA\r\n");
        assert_eq!(
            read_organizations(&ipa, &comuni),
            Err(FormatError::Csv {
                line: 23_560,
                message: "found 4 fields, expected 10".into()
            })
        );
    }

    #[test]
    fn invalid_utf8_is_refused_with_its_line() {
        let mut csv = IPA_HEADER.as_bytes().to_vec();
        csv.extend_from_slice(b"r_toscan,Regione Toscana,048017,PA,L4,Regioni,PA,,,\r\n");
        csv.extend_from_slice(b"x,Citt\xe0 di Firenze,048017,PA,L4,Regioni,PA,,,\r\n");
        assert_eq!(
            read_organizations(&csv, &[]),
            Err(FormatError::Csv {
                line: 3,
                message: "field 2 is not valid UTF-8".into()
            })
        );
    }

    #[test]
    fn duplicate_ipa_codes_are_refused_whatever_their_case() {
        let csv = format!(
            "{IPA_HEADER}r_toscan,Regione Toscana,048017,PA,L4,Regioni,PA,,,\n\
             x,Altro,048017,PA,L4,Regioni,PA,,,\n\
             R_TOSCAN ,Regione Toscana bis,048017,PA,L4,Regioni,PA,,,\n"
        );
        assert_eq!(
            read_organizations(csv.as_bytes(), &[]),
            Err(FormatError::Duplicate {
                line: 4,
                key: "r_toscan".into()
            })
        );
    }

    #[test]
    fn duplicate_istat_codes_are_refused() {
        let csv = format!(
            "{ISTAT_HEADER}12;258;058;091;058091;Roma;Lazio;Roma;RM;H501\n\
             12;258;058;091;58091;Roma;Lazio;Roma;RM;H501\n"
        );
        assert_eq!(
            read_municipalities(csv.as_bytes(), b"[]"),
            Err(FormatError::Duplicate {
                line: 5,
                key: "058091".into()
            })
        );
    }

    #[test]
    fn a_missing_column_is_named() {
        let csv = "codice_ipa,denominazione_ente\nr_toscan,Regione Toscana\n";
        assert_eq!(
            read_organizations(csv.as_bytes(), &[]),
            Err(FormatError::Missing {
                line: 1,
                column: IPA_ISTAT_CODE
            })
        );
        assert_eq!(
            read_municipalities(b"Codice Regione;Denominazione Regione\n", b"[]"),
            Err(FormatError::Missing {
                line: 1,
                column: ISTAT_CODE
            })
        );
    }

    #[test]
    fn a_population_file_that_is_not_a_list_of_comuni_is_refused() {
        let csv = format!("{ISTAT_HEADER}12;258;058;091;058091;Roma;Lazio;Roma;RM;H501\n");
        for json in [&b"{}"[..], b"[{\"nome\":\"Roma\"}]", b"[", b"\xff"] {
            assert!(
                matches!(
                    read_municipalities(csv.as_bytes(), json),
                    Err(FormatError::Json { .. })
                ),
                "{json:?}"
            );
        }
    }

    #[test]
    fn fields_are_normalised_and_the_seat_code_padded() {
        let comuni = small_comuni();
        assert_eq!(comuni[0].population, Some(2_872_800));
        assert_eq!(comuni[1].population, None);
        // A BOM, a decomposed accent, padding spaces, a seat without leading zero.
        let csv = format!(
            "\u{feff}{IPA_HEADER}C_H501 , Roma  Capitale ,58091,PA,L6,Comuni,PA,,, https://www.comune.roma.it/ \n\
             c_d612,Citta\u{300} di Firenze,048017,PA,L6,Comuni,PA,,,\n\
             c_x999,Ente senza sede,,PA,L6,Comuni,PA,,,\n\
             c_d613,Ente con sede non valida,48O17,PA,L6,Comuni,PA,,,\n"
        );
        let organizations = ok(read_organizations(csv.as_bytes(), &comuni));
        let roma = &organizations[0];
        assert_eq!(roma.ipa_code, "c_h501");
        assert_eq!(roma.name, "Roma  Capitale");
        assert_eq!(roma.istat_code.as_deref(), Some("058091"));
        assert!(roma.is_municipality);
        assert_eq!(roma.website.as_deref(), Some("https://www.comune.roma.it/"));
        let firenze = &organizations[1];
        assert_eq!(firenze.name, "Città di Firenze");
        assert!(firenze.is_municipality);
        assert_eq!(firenze.website, None);
        assert_eq!(organizations[2].istat_code, None);
        assert_eq!(organizations[3].istat_code, None);
        assert!(!organizations[3].is_municipality);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let missing_ipa = |column| FormatError::Missing { line: 1, column };
        let missing_istat = FormatError::Missing {
            line: 1,
            column: ISTAT_CODE,
        };
        let not_utf8 = FormatError::Csv {
            line: 1,
            message: "field 1 is not valid UTF-8".into(),
        };
        let cases: [(&[u8], FormatError, FormatError); 5] = [
            (b"", missing_ipa(IPA_CODE), missing_istat.clone()),
            (b"\xff\xfe\x00\x00", not_utf8.clone(), not_utf8),
            (
                b"\"unterminated",
                missing_ipa(IPA_CODE),
                missing_istat.clone(),
            ),
            (
                b"codice_ipa\n\x00\x00\x00",
                missing_ipa(IPA_NAME),
                missing_istat.clone(),
            ),
            (&[b';'; 10_000], missing_ipa(IPA_CODE), missing_istat),
        ];
        for (input, ipa, istat) in cases {
            let label = String::from_utf8_lossy(&input[..input.len().min(16)]).into_owned();
            assert_eq!(read_organizations(input, &[]).err(), Some(ipa), "{label}");
            assert_eq!(
                read_municipalities(input, b"[]").err(),
                Some(istat),
                "{label}"
            );
            assert!(
                matches!(
                    read_municipalities(input, input),
                    Err(FormatError::Json { .. })
                ),
                "the population file is read first: {label}"
            );
        }
    }
}
