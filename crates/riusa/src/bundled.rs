//! Data shipped inside the binary, so that one file runs the platform with its registry,
//! taxonomy and demo content (sources and licences in `data/README.md`).

pub const THEMES: &str = include_str!("../../../data/themes.json");
pub const DEMO_PRACTICES: &[u8] = include_bytes!("../../../data/demo/practices.jsonl");
/// The demo software, by the path the messages name.
pub const DEMO_SOFTWARE: &[(&str, &[u8])] = &[
    (
        "data/demo/software/siso-cartella-sociale.yml",
        include_bytes!("../../../data/demo/software/siso-cartella-sociale.yml"),
    ),
    (
        "data/demo/software/regolamento-lavoro-agile.yml",
        include_bytes!("../../../data/demo/software/regolamento-lavoro-agile.yml"),
    ),
];
pub const IPA: &[u8] = include_bytes!("../../../data/registry/ipa_enti_2024-07-31.csv");
pub const ISTAT: &[u8] =
    include_bytes!("../../../data/registry/istat_elenco_comuni_italiani_2024.csv");
pub const POPULATION: &[u8] = include_bytes!("../../../data/registry/comuni_popolazione_2020.json");
