//! The rules of `publiccode.yml` v0.7 (`docs/standard/schema.core.rst`, `schema.it.rst`), as
//! the reference parser applies them to every 0.x file.
//!
//! Where a finding goes follows the reference: a present key's finding sits on the key; a list
//! item's on the item; a missing key's on the first key of the mapping that should hold it
//! (its `{` for a flow mapping), or nowhere when that mapping is missing too; a wrong type and
//! an unknown key on the key's line, column 1.

use unicode_segmentation::UnicodeSegmentation;

use super::yaml::{self, Entry, NOWHERE, Node, Pos};
use super::{Finding, Options, RemoteCheck, RemoteKind, Report, Severity, messages, vocabulary};

const TOP_LEVEL: &[&str] = &[
    "publiccodeYmlVersion",
    "name",
    "applicationSuite",
    "url",
    "landingURL",
    "isBasedOn",
    "softwareVersion",
    "releaseDate",
    "logo",
    "monochromeLogo",
    "organisation",
    "inputTypes",
    "outputTypes",
    "platforms",
    "categories",
    "usedBy",
    "fundedBy",
    "roadmap",
    "developmentStatus",
    "softwareType",
    "supports",
    "intendedAudience",
    "description",
    "legal",
    "maintenance",
    "localisation",
    "dependsOn",
    "IT",
    "it",
];

const DESCRIPTION: &[&str] = &[
    "localisedName",
    "genericName",
    "shortDescription",
    "longDescription",
    "documentation",
    "apiDocumentation",
    "features",
    "screenshots",
    "videos",
    "awards",
];

const DEPENDENCY: &[&str] = &["name", "versionMin", "versionMax", "optional", "version"];

pub fn validate(source: &[u8], options: &Options<'_>) -> Report {
    let Ok(text) = std::str::from_utf8(source) else {
        let mut ctx = Ctx::new(options, "");
        ctx.error("", messages::invalid_utf8(), NOWHERE);
        return ctx.report();
    };
    let mut ctx = Ctx::new(options, text);
    let docs = match yaml::load(text) {
        Ok(docs) => docs,
        Err(error) => {
            ctx.error("", messages::yaml_syntax(&error.info), (error.line, 1));
            return ctx.report();
        }
    };
    match docs.as_slice() {
        [] => ctx.error(
            "publiccodeYmlVersion",
            messages::required("publiccodeYmlVersion"),
            NOWHERE,
        ),
        [root] => ctx.document(root),
        _ => ctx.error("", messages::multiple_documents(), NOWHERE),
    }
    ctx.report()
}

/// A mapping being checked: its node, its key path and its entries.
struct Fields<'n, 'a> {
    node: &'n Node<'a>,
    path: String,
    entries: Vec<Entry<'n, 'a>>,
}

impl<'n, 'a> Fields<'n, 'a> {
    fn get(&self, name: &str) -> Option<&Entry<'n, 'a>> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The entry when it has a value; `key: ~` counts as absent for optional keys.
    fn value(&self, name: &str) -> Option<&Entry<'n, 'a>> {
        self.get(name).filter(|e| !yaml::is_null(e.value))
    }

    fn key(&self, name: &str) -> String {
        join(&self.path, name)
    }

    /// Where a missing key of this mapping is reported.
    fn missing_pos(&self) -> Pos {
        yaml::pos(self.node)
    }
}

/// A mapping that should exist: its fields, or where its missing keys are reported.
enum Section<'n, 'a> {
    Present(Fields<'n, 'a>),
    Missing { path: String, pos: Pos },
}

/// A text value with the places findings about it go.
struct Text {
    key: String,
    value: String,
    /// The key for a mapping value, the item for a list item.
    pos: Pos,
}

struct Ctx<'o, 's> {
    options: &'o Options<'o>,
    source: &'s str,
    findings: Vec<Finding>,
    remote: Vec<RemoteCheck>,
}

impl<'o, 's> Ctx<'o, 's> {
    fn new(options: &'o Options<'o>, source: &'s str) -> Self {
        Ctx {
            options,
            source,
            findings: Vec::new(),
            remote: Vec::new(),
        }
    }

    fn report(self) -> Report {
        Report {
            findings: self.findings,
            remote_checks: self.remote,
        }
    }

    fn push(&mut self, severity: Severity, key: &str, description: String, (line, column): Pos) {
        self.findings.push(Finding {
            severity,
            key: key.to_owned(),
            description,
            line,
            column,
        });
    }

    fn error(&mut self, key: &str, description: String, pos: Pos) {
        self.push(Severity::Error, key, description, pos);
    }

    fn warning(&mut self, key: &str, description: String, pos: Pos) {
        self.push(Severity::Warning, key, description, pos);
    }

    fn wrong_type(&mut self, key: &str, node: &Node<'_>) {
        self.error(key, messages::wrong_type(), (yaml::pos(node).0, 1));
    }

    fn remote(&mut self, kind: RemoteKind, text: &Text) {
        self.remote.push(RemoteCheck {
            kind,
            key: text.key.clone(),
            url: text.value.clone(),
            line: text.pos.0,
            column: text.pos.1,
        });
    }

    /// The entries of a mapping node, each unknown key reported; `None` (and a wrong type on
    /// the line of `owner`, its key or list item) when the node is not a mapping.
    fn fields<'n, 'a>(
        &mut self,
        owner: &Node<'_>,
        node: &'n Node<'a>,
        path: &str,
        allowed: &[&str],
    ) -> Option<Fields<'n, 'a>> {
        let Some(entries) = yaml::mapping(node, self.source) else {
            self.wrong_type(path, owner);
            return None;
        };
        for entry in &entries {
            if !allowed.contains(&entry.name.as_str()) {
                self.error(
                    &join(path, &entry.name),
                    messages::unknown_field(&entry.name),
                    (yaml::pos(entry.key).0, 1),
                );
            }
        }
        Some(Fields {
            node,
            path: path.to_owned(),
            entries,
        })
    }

    /// A section that the standard requires (`legal`, `maintenance`, `localisation`): its
    /// missing keys are reported nowhere when it is absent, at its value when it is not a
    /// mapping.
    fn section<'n, 'a>(
        &mut self,
        parent: &Fields<'n, 'a>,
        name: &str,
        allowed: &[&str],
    ) -> Section<'n, 'a> {
        match parent.value(name) {
            None => Section::Missing {
                path: parent.key(name),
                pos: NOWHERE,
            },
            Some(entry) => match self.fields(entry.key, entry.value, &parent.key(name), allowed) {
                Some(fields) => Section::Present(fields),
                None => Section::Missing {
                    path: parent.key(name),
                    pos: yaml::pos(entry.value),
                },
            },
        }
    }

    /// An optional mapping.
    fn optional_fields<'n, 'a>(
        &mut self,
        parent: &Fields<'n, 'a>,
        name: &str,
        allowed: &[&str],
    ) -> Option<Fields<'n, 'a>> {
        let entry = parent.value(name)?;
        self.fields(entry.key, entry.value, &parent.key(name), allowed)
    }

    /// An optional text; a wrong type is reported and read as absent.
    fn text(&mut self, fields: &Fields<'_, '_>, name: &str) -> Option<Text> {
        let entry = fields.value(name)?;
        let key = fields.key(name);
        match yaml::text(entry.value, self.source) {
            Some(value) => Some(Text {
                key,
                value: value.into_owned(),
                pos: yaml::pos(entry.key),
            }),
            None => {
                self.wrong_type(&key, entry.key);
                None
            }
        }
    }

    /// A text the standard requires; the reference adds "required" to a wrong type, since
    /// the value it decoded is empty.
    fn required_text(&mut self, section: &Section<'_, '_>, name: &str) -> Option<Text> {
        let fields = match section {
            Section::Present(fields) => fields,
            Section::Missing { path, pos } => {
                self.error(&join(path, name), messages::required(name), *pos);
                return None;
            }
        };
        let key = fields.key(name);
        match fields.get(name) {
            None => {
                self.error(&key, messages::required(name), fields.missing_pos());
                None
            }
            Some(entry) if yaml::is_null(entry.value) => {
                self.error(&key, messages::required(name), yaml::pos(entry.key));
                None
            }
            Some(entry) => match yaml::text(entry.value, self.source) {
                Some(value) if !value.is_empty() => Some(Text {
                    key,
                    value: value.into_owned(),
                    pos: yaml::pos(entry.key),
                }),
                Some(_) => {
                    self.error(&key, messages::required(name), yaml::pos(entry.key));
                    None
                }
                None => {
                    self.wrong_type(&key, entry.key);
                    self.error(&key, messages::required(name), yaml::pos(entry.key));
                    None
                }
            },
        }
    }

    /// A list of texts (`None` when absent); items of the wrong type are reported and
    /// skipped. `accept_single` reads a lone text as a list of one (`isBasedOn`).
    fn texts(
        &mut self,
        fields: &Fields<'_, '_>,
        name: &str,
        accept_single: bool,
    ) -> Option<Vec<Text>> {
        let entry = fields.value(name)?;
        let key = fields.key(name);
        if let Some(items) = yaml::sequence(entry.value) {
            let mut texts = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let item_key = format!("{key}[{i}]");
                match yaml::text(item, self.source) {
                    Some(value) => texts.push(Text {
                        key: item_key,
                        value: value.into_owned(),
                        pos: yaml::pos(item),
                    }),
                    None => self.wrong_type(&item_key, item),
                }
            }
            return Some(texts);
        }
        match yaml::text(entry.value, self.source) {
            Some(value) if accept_single => Some(vec![Text {
                key: format!("{key}[0]"),
                value: value.into_owned(),
                pos: yaml::pos(entry.key),
            }]),
            _ => {
                self.wrong_type(&key, entry.key);
                None
            }
        }
    }

    /// A list the standard requires to have items (`platforms`, `features`).
    fn non_empty_texts(&mut self, fields: &Fields<'_, '_>, name: &str) -> Option<Vec<Text>> {
        let key = fields.key(name);
        let Some(entry) = fields.value(name) else {
            let pos = fields
                .get(name)
                .map_or(fields.missing_pos(), |e| yaml::pos(e.key));
            self.error(&key, messages::not_empty(name), pos);
            return None;
        };
        let texts = self.texts(fields, name, false);
        if texts.as_ref().is_none_or(Vec::is_empty) {
            self.error(&key, messages::not_empty(name), yaml::pos(entry.key));
        }
        texts
    }

    /// The mappings of a list of mappings, with their keys (`fundedBy[0]`).
    fn mappings<'n, 'a>(
        &mut self,
        fields: &Fields<'n, 'a>,
        name: &str,
        allowed: &[&str],
    ) -> Vec<Fields<'n, 'a>> {
        let Some(entry) = fields.value(name) else {
            return Vec::new();
        };
        let key = fields.key(name);
        let Some(items) = yaml::sequence(entry.value) else {
            self.wrong_type(&key, entry.key);
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| self.fields(item, item, &format!("{key}[{i}]"), allowed))
            .collect()
    }

    fn boolean(&mut self, fields: &Fields<'_, '_>, name: &str) -> Option<bool> {
        let entry = fields.value(name)?;
        let value = yaml::boolean(entry.value);
        if value.is_none() {
            self.wrong_type(&fields.key(name), entry.key);
        }
        value
    }

    fn booleans(&mut self, fields: &Fields<'_, '_>, names: &[&str]) {
        for name in names {
            self.boolean(fields, name);
        }
    }

    fn one_of(&mut self, text: &Text, values: &[&str]) {
        if !values.contains(&text.value.as_str()) {
            let description = messages::one_of(field(&text.key), values);
            self.error(&text.key, description, text.pos);
        }
    }

    fn check(&mut self, text: &Text, ok: bool, message: fn(&str) -> String) {
        if !ok {
            self.error(&text.key, message(field(&text.key)), text.pos);
        }
    }

    fn max_length(&mut self, text: &Text, max: usize) {
        if graphemes(&text.value) > max {
            self.error(
                &text.key,
                messages::max_length(field(&text.key), max),
                text.pos,
            );
        }
    }

    /// An `http(s)` URL, reachable when the network is allowed.
    fn http_url(&mut self, text: Option<Text>) {
        if let Some(text) = text {
            if is_http_url(&text.value) {
                self.remote(RemoteKind::Reachable, &text);
            } else {
                self.check(&text, false, messages::http_url);
            }
        }
    }

    fn document(&mut self, root: &Node<'_>) {
        let Some(entries) = yaml::mapping(root, self.source) else {
            self.error(
                "publiccodeYmlVersion",
                messages::required("publiccodeYmlVersion"),
                NOWHERE,
            );
            return;
        };
        let Some(version) = entries.iter().find(|e| e.name == "publiccodeYmlVersion") else {
            self.error(
                "publiccodeYmlVersion",
                messages::required("publiccodeYmlVersion"),
                NOWHERE,
            );
            return;
        };
        let Some(number) = yaml::string(version.value) else {
            self.error(
                "publiccodeYmlVersion",
                messages::wrong_type(),
                yaml::pos(version.key),
            );
            return;
        };
        if !vocabulary::SUPPORTED_VERSIONS.contains(&number) {
            let description = messages::unsupported_version(number, vocabulary::SUPPORTED_VERSIONS);
            self.error("publiccodeYmlVersion", description, NOWHERE);
            return;
        }
        if number != "0" && !number.starts_with(vocabulary::LATEST_VERSION) {
            let description = messages::old_version(number, vocabulary::LATEST_VERSION);
            self.warning("publiccodeYmlVersion", description, yaml::pos(version.key));
        }
        if let Some(fields) = self.fields(root, root, "", TOP_LEVEL) {
            self.top_level(&Section::Present(fields));
        }
    }

    fn top_level(&mut self, section: &Section<'_, '_>) {
        let Section::Present(root) = section else {
            return;
        };
        self.required_text(section, "name");
        self.text(root, "applicationSuite");
        if let Some(url) = self.required_text(section, "url") {
            if url::Url::parse(&url.value).is_ok() {
                if is_http_url(&url.value) {
                    self.remote(RemoteKind::Reachable, &url);
                }
            } else {
                self.check(&url, false, messages::url);
            }
        }
        let landing = self.text(root, "landingURL");
        self.http_url(landing);
        for based_on in self.texts(root, "isBasedOn", true).unwrap_or_default() {
            self.check(
                &based_on,
                url::Url::parse(&based_on.value).is_ok(),
                messages::url,
            );
        }
        self.text(root, "softwareVersion");
        if let Some(date) = self.text(root, "releaseDate") {
            self.check(&date, vocabulary::is_date(&date.value), messages::date);
        }
        if let Some(logo) = self.text(root, "logo") {
            self.logo(&logo);
        }
        if let Some(logo) = self.text(root, "monochromeLogo") {
            self.warning(&logo.key, messages::deprecated_use("logo"), logo.pos);
            self.logo(&logo);
        }
        if let Some(organisation) = self.optional_fields(root, "organisation", &["uri", "name"]) {
            let section = Section::Present(organisation);
            if let Some(uri) = self.required_text(&section, "uri") {
                self.organisation_uri(&uri);
            }
            if let Section::Present(fields) = &section {
                self.text(fields, "name");
            }
        }
        for name in ["inputTypes", "outputTypes"] {
            if let Some(types) = self.texts(root, name, false) {
                for mime in &types {
                    self.check(
                        mime,
                        vocabulary::is_mime_type(&mime.value),
                        messages::mime_type,
                    );
                }
                if let Some(entry) = root.get(name) {
                    self.warning(name, messages::deprecated_drop(), yaml::pos(entry.key));
                }
            }
        }
        self.non_empty_texts(root, "platforms");
        for category in self.texts(root, "categories", false).unwrap_or_default() {
            self.check(
                &category,
                vocabulary::is_category(&category.value),
                messages::category,
            );
        }
        self.texts(root, "usedBy", false);
        for funder in self.mappings(root, "fundedBy", &["name", "uri"]) {
            let section = Section::Present(funder);
            self.required_text(&section, "name");
            if let Some(uri) = self.required_text(&section, "uri") {
                self.organisation_uri(&uri);
            }
        }
        let roadmap = self.text(root, "roadmap");
        self.http_url(roadmap);
        if let Some(status) = self.required_text(section, "developmentStatus") {
            self.one_of(&status, vocabulary::DEVELOPMENT_STATUSES);
        }
        if let Some(kind) = self.required_text(section, "softwareType") {
            self.one_of(&kind, vocabulary::SOFTWARE_TYPES);
        }
        for support in self.mappings(root, "supports", &["id"]) {
            if let Some(id) = self.required_text(&Section::Present(support), "id") {
                self.supported(&id);
            }
        }
        self.intended_audience(root);
        self.description(root);
        self.legal(root);
        self.maintenance(root);
        self.localisation(root);
        if let Some(depends) =
            self.optional_fields(root, "dependsOn", &["open", "proprietary", "hardware"])
        {
            for kind in ["open", "proprietary", "hardware"] {
                for dependency in self.mappings(&depends, kind, DEPENDENCY) {
                    for name in ["versionMin", "versionMax", "version"] {
                        self.text(&dependency, name);
                    }
                    self.boolean(&dependency, "optional");
                    self.required_text(&Section::Present(dependency), "name");
                }
            }
        }
        self.italy(root);
    }

    /// `logo` and `monochromeLogo`: a relative path to an SVG or PNG that exists, or a URL
    /// (checked only with the network).
    fn logo(&mut self, logo: &Text) {
        if logo.value.is_empty() {
            // An empty logo is no logo, for the reference too.
            return;
        }
        match self.relative_or_url(logo) {
            Some(Location::Url) => self.remote(RemoteKind::Logo, logo),
            Some(Location::Relative) => {
                let extension = logo.value.rsplit_once('.').map(|(_, e)| e.to_lowercase());
                if !matches!(extension.as_deref(), Some("svg" | "svgz" | "png")) {
                    self.error(&logo.key, messages::logo_extension(&logo.value), logo.pos);
                } else if self.file_missing(&logo.value) {
                    self.error(&logo.key, messages::no_such_file(&logo.value), logo.pos);
                }
            }
            None => {}
        }
    }

    /// Where a file named by the file is: `None` (and an error) for an absolute path or a
    /// `file:` URL, which would point outside the repository.
    fn relative_or_url(&mut self, text: &Text) -> Option<Location> {
        if text.value.starts_with('/') {
            self.error(&text.key, messages::absolute_path(), text.pos);
            None
        } else if text.value.starts_with("file:") {
            self.error(&text.key, messages::file_url(), text.pos);
            None
        } else if is_http_url(&text.value) {
            Some(Location::Url)
        } else {
            Some(Location::Relative)
        }
    }

    fn file_missing(&self, path: &str) -> bool {
        self.options.file_exists.is_some_and(|exists| !exists(path))
    }

    /// `organisation.uri` and `fundedBy[].uri`: a URI; an Italian administration's must name
    /// an iPA code of the registry.
    fn organisation_uri(&mut self, uri: &Text) {
        if url::Url::parse(&uri.value).is_err() {
            self.check(uri, false, messages::uri);
        } else if let Some(code) = uri.value.strip_prefix(vocabulary::ITALIAN_PA_URN)
            && !self.ipa_code_ok(code)
        {
            self.check(uri, false, messages::italian_pa_uri);
        }
    }

    fn ipa_code_ok(&self, code: &str) -> bool {
        !code.is_empty()
            && self
                .options
                .ipa_code_exists
                .is_none_or(|exists| exists(code))
    }

    /// `supports[].id`: a known `alias:` or any URI.
    fn supported(&mut self, id: &Text) {
        if let Some(alias) = id.value.strip_prefix("alias:") {
            self.check(
                id,
                vocabulary::ALIASES.contains(&alias),
                messages::unknown_alias,
            );
        } else {
            self.check(id, url::Url::parse(&id.value).is_ok(), messages::uri);
        }
    }

    fn intended_audience(&mut self, root: &Fields<'_, '_>) {
        let allowed = ["scope", "countries", "unsupportedCountries"];
        let Some(audience) = self.optional_fields(root, "intendedAudience", &allowed) else {
            return;
        };
        for scope in self.texts(&audience, "scope", false).unwrap_or_default() {
            self.check(&scope, vocabulary::is_scope(&scope.value), messages::scope);
        }
        for name in ["countries", "unsupportedCountries"] {
            for country in self.texts(&audience, name, false).unwrap_or_default() {
                if !vocabulary::is_country(&country.value) {
                    self.check(&country, false, messages::country);
                } else if country.value == country.value.to_ascii_lowercase() {
                    let upper = country.value.to_ascii_uppercase();
                    self.warning(
                        &country.key,
                        messages::lowercase_country(&upper),
                        country.pos,
                    );
                }
            }
        }
    }

    fn description(&mut self, root: &Fields<'_, '_>) {
        let Some(entry) = root.value("description") else {
            let pos = root
                .get("description")
                .map_or(root.missing_pos(), |e| yaml::pos(e.key));
            self.error("description", messages::not_empty("description"), pos);
            return;
        };
        let Some(languages) = yaml::mapping(entry.value, self.source) else {
            self.wrong_type("description", entry.key);
            self.error(
                "description",
                messages::not_empty("description"),
                yaml::pos(entry.key),
            );
            return;
        };
        if languages.is_empty() {
            self.error(
                "description",
                messages::not_empty("description"),
                yaml::pos(entry.key),
            );
        }
        if languages
            .iter()
            .any(|l| !vocabulary::is_language_tag(&l.name))
        {
            self.error(
                "description",
                messages::language("description"),
                yaml::pos(entry.key),
            );
        }
        for language in &languages {
            // The reference names `description[en]` `description.en`, and keeps the brackets
            // around a tag with a hyphen (`description[en-US]`).
            let path = if language.name.chars().all(|c| c.is_ascii_alphabetic()) {
                format!("description.{}", language.name)
            } else {
                format!("description[{}]", language.name)
            };
            if let Some(fields) = self.fields(language.key, language.value, &path, DESCRIPTION) {
                self.localised_description(fields);
            }
        }
    }

    fn localised_description(&mut self, fields: Fields<'_, '_>) {
        self.text(&fields, "localisedName");
        if let Some(generic) = self.text(&fields, "genericName") {
            self.max_length(&generic, 35);
            self.warning(&generic.key, messages::deprecated_drop(), generic.pos);
        }
        for name in ["documentation", "apiDocumentation"] {
            let url = self.text(&fields, name);
            self.http_url(url);
        }
        self.non_empty_texts(&fields, "features");
        for screenshot in self
            .texts(&fields, "screenshots", false)
            .unwrap_or_default()
        {
            match self.relative_or_url(&screenshot) {
                Some(Location::Url) => self.remote(RemoteKind::Reachable, &screenshot),
                Some(Location::Relative) if self.file_missing(&screenshot.value) => {
                    let reason = messages::no_such_file(&screenshot.value);
                    let description = messages::not_an_image(&screenshot.value, &reason);
                    self.error(&screenshot.key, description, screenshot.pos);
                }
                _ => {}
            }
        }
        for video in self.texts(&fields, "videos", false).unwrap_or_default() {
            if !is_http_url(&video.value) {
                self.check(&video, false, messages::http_url);
            }
            if !vocabulary::is_oembed_url(&video.value) {
                self.error(&video.key, messages::video(&video.value), video.pos);
            }
        }
        self.texts(&fields, "awards", false);
        let section = Section::Present(fields);
        if let Some(short) = self.required_text(&section, "shortDescription") {
            self.max_length(&short, 150);
        }
        if let Some(long) = self.required_text(&section, "longDescription") {
            let length = graphemes(&long.value);
            if length < 150 {
                self.error(
                    &long.key,
                    messages::min_length(field(&long.key), 150),
                    long.pos,
                );
            } else if length > 10_000 {
                self.error(
                    &long.key,
                    messages::max_length(field(&long.key), 10_000),
                    long.pos,
                );
            }
        }
    }

    fn legal(&mut self, root: &Fields<'_, '_>) {
        let allowed = ["license", "mainCopyrightOwner", "repoOwner", "authorsFile"];
        let section = self.section(root, "legal", &allowed);
        let license = self.required_text(&section, "license");
        let Section::Present(legal) = &section else {
            return;
        };
        if let Some(license) = license {
            let valid = vocabulary::is_spdx_expression(&license.value);
            self.check(&license, valid, messages::license);
        }
        self.text(legal, "mainCopyrightOwner");
        if let Some(owner) = self.text(legal, "repoOwner") {
            let description = messages::deprecated_use("organisation.name");
            self.warning(&owner.key, description, owner.pos);
        }
        if let Some(authors) = self.text(legal, "authorsFile") {
            self.warning(&authors.key, messages::deprecated_drop(), authors.pos);
            if let Some(Location::Relative) = self.relative_or_url(&authors)
                && self.file_missing(&authors.value)
            {
                let description = messages::authors_file_missing(&authors.value);
                self.error(&authors.key, description, authors.pos);
            }
        }
    }

    fn maintenance(&mut self, root: &Fields<'_, '_>) {
        let section = self.section(root, "maintenance", &["type", "contractors", "contacts"]);
        let kind = self.required_text(&section, "type");
        let Section::Present(maintenance) = &section else {
            return;
        };
        if let Some(kind) = &kind {
            self.one_of(kind, vocabulary::MAINTENANCE_TYPES);
        }
        let kind = kind.map(|k| k.value).unwrap_or_default();
        let contractors = ["name", "email", "website", "until"];
        match maintenance.value("contractors") {
            None if kind == "contract" => {
                let description = messages::required_if("contractors", "type", "contract");
                let key = maintenance.key("contractors");
                self.error(&key, description, maintenance.missing_pos());
            }
            Some(entry) if kind != "contract" && yaml::sequence(entry.value).is_some() => {
                let description = messages::excluded_unless("contractors", "type", "contract");
                let key = maintenance.key("contractors");
                self.error(&key, description, yaml::pos(entry.key));
            }
            _ => {}
        }
        for contractor in self.mappings(maintenance, "contractors", &contractors) {
            if let Some(email) = self.text(&contractor, "email") {
                self.check(&email, vocabulary::is_email(&email.value), messages::email);
            }
            let website = self.text(&contractor, "website");
            self.http_url(website);
            let section = Section::Present(contractor);
            self.required_text(&section, "name");
            if let Some(until) = self.required_text(&section, "until") {
                self.check(&until, vocabulary::is_date(&until.value), messages::date);
            }
        }
        if maintenance.value("contacts").is_none() && (kind == "community" || kind == "internal") {
            let description = messages::required_if("contacts", "type", &kind);
            let key = maintenance.key("contacts");
            self.error(&key, description, maintenance.missing_pos());
        }
        let contacts = ["name", "email", "affiliation", "phone"];
        for contact in self.mappings(maintenance, "contacts", &contacts) {
            if let Some(email) = self.text(&contact, "email") {
                self.check(&email, vocabulary::is_email(&email.value), messages::email);
            }
            self.text(&contact, "affiliation");
            self.text(&contact, "phone");
            self.required_text(&Section::Present(contact), "name");
        }
    }

    fn localisation(&mut self, root: &Fields<'_, '_>) {
        let allowed = ["localisationReady", "availableLanguages"];
        let section = self.section(root, "localisation", &allowed);
        let localisation = match &section {
            Section::Present(localisation) => localisation,
            Section::Missing { path, pos } => {
                for name in allowed {
                    self.error(&join(path, name), messages::required(name), *pos);
                }
                return;
            }
        };
        let ready_key = localisation.key("localisationReady");
        match localisation.get("localisationReady") {
            None => self.error(
                &ready_key,
                messages::required("localisationReady"),
                localisation.missing_pos(),
            ),
            Some(entry) if yaml::boolean(entry.value).is_none() => {
                if !yaml::is_null(entry.value) {
                    self.wrong_type(&ready_key, entry.key);
                }
                self.error(
                    &ready_key,
                    messages::required("localisationReady"),
                    yaml::pos(entry.key),
                );
            }
            Some(_) => {}
        }
        let key = localisation.key("availableLanguages");
        match localisation.value("availableLanguages") {
            None => {
                let pos = localisation
                    .get("availableLanguages")
                    .map_or(localisation.missing_pos(), |e| yaml::pos(e.key));
                self.error(&key, messages::required("availableLanguages"), pos);
            }
            Some(entry) => {
                let languages = self.texts(localisation, "availableLanguages", false);
                if languages.as_ref().is_some_and(Vec::is_empty) {
                    let description = messages::not_empty("availableLanguages");
                    self.error(&key, description, yaml::pos(entry.key));
                }
                for language in languages.unwrap_or_default() {
                    let valid = vocabulary::is_language_tag(&language.value);
                    self.check(&language, valid, messages::language);
                }
            }
        }
    }

    /// The Italian section, deprecated as a whole since v0.5 but still read: `IT`, or `it`
    /// (lower case, deprecated).
    fn italy(&mut self, root: &Fields<'_, '_>) {
        let upper = root.value("IT");
        if let Some(lower) = root.value("it") {
            let pos = yaml::pos(lower.key);
            self.warning("it", messages::lowercase_it_section(), pos);
            if upper.is_some() {
                self.error("it", messages::duplicate_it_section(), pos);
            }
        }
        let name = if upper.is_some() || root.value("it").is_none() {
            "IT"
        } else {
            "it"
        };
        let allowed = [
            "countryExtensionVersion",
            "conforme",
            "riuso",
            "piattaforme",
        ];
        let Some(italy) = self.optional_fields(root, name, &allowed) else {
            return;
        };
        if let Some(version) = self.text(&italy, "countryExtensionVersion") {
            self.one_of(&version, vocabulary::COUNTRY_EXTENSION_VERSIONS);
        }
        let conforme = [
            "lineeGuidaDesign",
            "modelloInteroperabilita",
            "misureMinimeSicurezza",
            "gdpr",
        ];
        if let Some(fields) = self.optional_fields(&italy, "conforme", &conforme) {
            self.booleans(&fields, &conforme);
            let pos = italy.get("conforme").map_or(NOWHERE, |e| yaml::pos(e.key));
            self.warning(&italy.key("conforme"), messages::deprecated_drop(), pos);
        }
        if let Some(riuso) = self.optional_fields(&italy, "riuso", &["codiceIPA"])
            && let Some(code) = self.text(&riuso, "codiceIPA")
        {
            if self.ipa_code_ok(&code.value) {
                let description = messages::deprecated_ipa_code(&code.value);
                self.warning(&code.key, description, code.pos);
            } else {
                self.check(&code, false, messages::ipa_code);
            }
        }
        let platforms = ["spid", "pagopa", "cie", "anpr", "io"];
        if let Some(fields) = self.optional_fields(&italy, "piattaforme", &platforms) {
            self.booleans(&fields, &platforms);
        }
    }
}

/// Where `logo`, a screenshot or the authors file is.
enum Location {
    Relative,
    Url,
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// The last segment of a key, as the reference's messages name the field.
fn field(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

fn is_http_url(value: &str) -> bool {
    url::Url::parse(value)
        .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
}

/// Lengths count what a reader sees as one character (a flag, an accented letter written
/// with a combining mark), as the reference does.
fn graphemes(text: &str) -> usize {
    text.graphemes(true).count()
}
