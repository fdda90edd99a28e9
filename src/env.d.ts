/// <reference types="@crxjs/vite-plugin/client" />

/** Build-time settings a publisher may give (docs/catalog-format.md, "Publisher updates"). */
interface ImportMetaEnv {
  /** https URL of the publisher's catalog file; unset means the extension makes no network request at all. */
  readonly VITE_CATALOG_URL?: string;
  /** sha256 (hex) the file at VITE_CATALOG_URL must have. */
  readonly VITE_CATALOG_SHA256?: string;
}
