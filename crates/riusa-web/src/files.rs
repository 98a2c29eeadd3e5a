//! Where the bytes of attachments live: an object store (a folder of the data directory by
//! default, S3-compatible storage for a hub whose nodes must share them), keyed by content
//! (`sha256/ab/cd/<hash>`), so that the same file uploaded twice is stored once and a stored
//! object never changes. The database says which files exist and who may have them.
//!
//! Which type a file is comes from its content ([`FileKind::detect`]): never from the name or
//! the `Content-Type` the browser sent.

use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use futures::stream::BoxStream;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Why the object store could not be opened or used.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// `storage_url` or `storage_endpoint` cannot be used.
    #[error("storage configuration: {0}")]
    Config(String),
    #[error("object store: {0}")]
    Store(#[from] object_store::Error),
}

/// An object store that fails is a server error: the cause is logged, never shown.
impl From<FilesError> for AppError {
    fn from(error: FilesError) -> Self {
        AppError::Internal(error.to_string())
    }
}

/// The attachments' bytes; cheap to clone.
#[derive(Clone, Debug)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
}

impl Files {
    /// Kept in memory: for tests, and until the binary gives the real store.
    pub fn in_memory() -> Files {
        Files {
            store: Arc::new(InMemory::new()),
        }
    }

    /// A folder on this machine (created if missing): a single node's default.
    pub fn local(dir: &Path) -> Result<Files, FilesError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| FilesError::Config(format!("{}: {e}", dir.display())))?;
        Ok(Files {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
        })
    }

    /// `s3://bucket[/prefix]`, with credentials and region from the standard `AWS_*`
    /// environment variables, then `settings` (object_store's `aws_*` keys); `endpoint` names an
    /// S3-compatible server (MinIO, Ceph, a cloud provider's own).
    pub fn from_url<'a>(
        url: &str,
        endpoint: Option<&str>,
        settings: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Files, FilesError> {
        let parsed = url::Url::parse(url).map_err(|e| FilesError::Config(format!("{url}: {e}")))?;
        if !matches!(parsed.scheme(), "s3" | "s3a") || !parsed.has_host() {
            return Err(FilesError::Config(format!(
                "{url}: only s3://bucket/prefix is supported"
            )));
        }
        let mut builder = AmazonS3Builder::from_env().with_url(url);
        for (key, value) in settings {
            let key: AmazonS3ConfigKey = key
                .parse()
                .map_err(|e| FilesError::Config(format!("{key}: {e}")))?;
            builder = builder.with_config(key, value);
        }
        if let Some(endpoint) = endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        let s3: Arc<dyn ObjectStore> = Arc::new(builder.build()?);
        let prefix = parsed.path().trim_matches('/');
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            s3
        } else {
            let prefix = object_store::path::Path::parse(prefix)
                .map_err(|e| FilesError::Config(format!("{url}: {e}")))?;
            Arc::new(PrefixStore::new(s3, prefix))
        };
        Ok(Files { store })
    }

    /// The store itself (tests list what it holds).
    pub fn object_store(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    /// The key of the object with this hash: two directory levels keep folders small.
    pub fn key(sha256: &str) -> object_store::path::Path {
        let (a, b) = (
            sha256.get(0..2).unwrap_or("00"),
            sha256.get(2..4).unwrap_or("00"),
        );
        object_store::path::Path::from_iter(["sha256", a, b, sha256])
    }

    /// Stores `bytes` unless an object with the same hash is there already; returns the hash.
    pub async fn put(&self, bytes: Bytes) -> Result<String, FilesError> {
        let sha256 = hex_sha256(&bytes);
        let key = Files::key(&sha256);
        match self.store.head(&key).await {
            Ok(_) => {}
            // Two nodes storing the same new file at once write the same bytes: either wins.
            Err(object_store::Error::NotFound { .. }) => {
                self.store.put(&key, PutPayload::from_bytes(bytes)).await?;
            }
            Err(error) => return Err(error.into()),
        }
        Ok(sha256)
    }

    /// The bytes of the object with this hash, as they arrive.
    pub async fn get(
        &self,
        sha256: &str,
    ) -> Result<BoxStream<'static, object_store::Result<Bytes>>, FilesError> {
        Ok(self.store.get(&Files::key(sha256)).await?.into_stream())
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The kinds of file a practice may have attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Odt,
    Docx,
    Ods,
    Xlsx,
    Png,
    Jpeg,
}

impl FileKind {
    pub const ALL: [FileKind; 7] = [
        FileKind::Pdf,
        FileKind::Odt,
        FileKind::Docx,
        FileKind::Ods,
        FileKind::Xlsx,
        FileKind::Png,
        FileKind::Jpeg,
    ];

    /// What the content is, when it is one of the accepted kinds. A PDF must start with its
    /// signature: one found further in (as readers tolerate) could be a page of HTML.
    pub fn detect(bytes: &[u8]) -> Option<FileKind> {
        let found = infer::get(bytes)?;
        let kind = FileKind::from_media_type(found.mime_type())?;
        match kind {
            FileKind::Pdf if !bytes.starts_with(b"%PDF-") => None,
            kind => Some(kind),
        }
    }

    pub fn from_media_type(media_type: &str) -> Option<FileKind> {
        FileKind::ALL
            .into_iter()
            .find(|k| k.media_type() == media_type)
    }

    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
        }
    }

    /// The extension a name gets; the first is the one added when the name has none of them.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Odt => &["odt"],
            FileKind::Docx => &["docx"],
            FileKind::Ods => &["ods"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
        }
    }
}

/// The longest name kept, in characters (with its extension).
const NAME_MAX_CHARS: usize = 120;

/// The name people will see and download a file under: the last part of what the browser
/// sent (never a path), without control characters or characters file systems refuse, with
/// the extension of the kind found in the content.
pub fn display_name(sent: Option<&str>, kind: FileKind) -> String {
    let base = sent
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '"' | '*' | ':' | '<' | '>' | '?' | '|') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = cleaned.trim_matches(['.', ' ']);
    let (stem, extension) = match cleaned.rsplit_once('.') {
        Some((stem, ext))
            if kind
                .extensions()
                .iter()
                .any(|e| e.eq_ignore_ascii_case(ext)) =>
        {
            (stem, ext.to_ascii_lowercase())
        }
        _ => (cleaned, kind.extensions()[0].to_owned()),
    };
    let stem = stem.trim_matches(['.', ' ']);
    let stem = if stem.is_empty() { "allegato" } else { stem };
    let room = NAME_MAX_CHARS.saturating_sub(extension.len() + 1);
    let stem: String = stem.chars().take(room).collect();
    format!("{}.{extension}", stem.trim_end())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use futures::StreamExt;

    use super::*;

    /// The first local header of a ZIP whose first entry is `name`, stored, holding `content`.
    fn zip_entry(name: &str, content: &[u8]) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        bytes.extend_from_slice(&[0; 4]); // crc
        let size = u32::try_from(content.len()).unwrap().to_le_bytes();
        bytes.extend_from_slice(&size);
        bytes.extend_from_slice(&size);
        let name_len = u16::try_from(name.len()).unwrap().to_le_bytes();
        bytes.extend_from_slice(&name_len);
        bytes.extend_from_slice(&[0, 0]);
        bytes.extend_from_slice(name.as_bytes());
        bytes.extend_from_slice(content);
        bytes
    }

    #[test]
    fn kinds_come_from_the_content() {
        assert_eq!(
            FileKind::detect(b"%PDF-1.7\n1 0 obj\n"),
            Some(FileKind::Pdf)
        );
        assert_eq!(
            FileKind::detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(FileKind::Png)
        );
        assert_eq!(
            FileKind::detect(b"\xff\xd8\xff\xe0\0\x10JFIF\0"),
            Some(FileKind::Jpeg)
        );
        let odt = zip_entry("mimetype", b"application/vnd.oasis.opendocument.text");
        assert_eq!(FileKind::detect(&odt), Some(FileKind::Odt));
        let ods = zip_entry(
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        );
        assert_eq!(FileKind::detect(&ods), Some(FileKind::Ods));
        let docx = zip_entry("word/document.xml", b"<w:document/>");
        assert_eq!(FileKind::detect(&docx), Some(FileKind::Docx));
        let xlsx = zip_entry("xl/workbook.xml", b"<workbook/>");
        assert_eq!(FileKind::detect(&xlsx), Some(FileKind::Xlsx));
    }

    #[test]
    fn other_content_is_refused_whatever_its_name() {
        for refused in [
            b"<!DOCTYPE html><html><body>%PDF-1.7</body></html>".as_slice(),
            b"<html><script>alert(1)</script></html>",
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0",
            b"\x7fELF\x02\x01\x01\0",
            b"Testo semplice, non un documento.",
            &zip_entry("altro.txt", b"un archivio qualunque"),
            b"",
        ] {
            assert_eq!(FileKind::detect(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn names_lose_paths_and_control_characters_and_get_the_kinds_extension() {
        let name = |sent: &str, kind| display_name(Some(sent), kind);
        assert_eq!(name("relazione.pdf", FileKind::Pdf), "relazione.pdf");
        assert_eq!(
            name("C:\\Documenti\\Bilancio 2024.PDF", FileKind::Pdf),
            "Bilancio 2024.pdf"
        );
        assert_eq!(name("../../etc/passwd", FileKind::Pdf), "passwd.pdf");
        assert_eq!(name("foto.jpeg", FileKind::Jpeg), "foto.jpeg");
        assert_eq!(name("foto", FileKind::Jpeg), "foto.jpg");
        // The name says PDF, the content says DOCX: the content wins.
        assert_eq!(name("verbale.pdf", FileKind::Docx), "verbale.pdf.docx");
        assert_eq!(
            name("a\u{0}b\r\nc\t\"d\".odt", FileKind::Odt),
            "a b c d.odt"
        );
        assert_eq!(name("...", FileKind::Png), "allegato.png");
        assert_eq!(display_name(None, FileKind::Xlsx), "allegato.xlsx");
        let long = format!("{}.pdf", "è".repeat(300));
        let kept = name(&long, FileKind::Pdf);
        assert_eq!(kept.chars().count(), NAME_MAX_CHARS);
        assert!(kept.ends_with(".pdf"));
    }

    #[tokio::test]
    async fn the_same_bytes_are_stored_once_under_their_hash() {
        let files = Files::in_memory();
        let first = files
            .put(Bytes::from_static(b"%PDF-1.7 uno"))
            .await
            .unwrap();
        let again = files
            .put(Bytes::from_static(b"%PDF-1.7 uno"))
            .await
            .unwrap();
        assert_eq!(first, again);
        assert_eq!(
            Files::key(&first).to_string(),
            format!("sha256/{}/{}/{first}", &first[0..2], &first[2..4])
        );
        let listed: Vec<_> = files.object_store().list(None).collect().await;
        assert_eq!(listed.len(), 1);
        let mut read = Vec::new();
        let mut stream = files.get(&first).await.unwrap();
        while let Some(chunk) = stream.next().await {
            read.extend_from_slice(&chunk.unwrap());
        }
        assert_eq!(read, b"%PDF-1.7 uno");
    }
}
