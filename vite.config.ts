import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { build, defineConfig, loadEnv, type Plugin, type Rolldown } from 'vite';
import baseManifest from './manifest.json' with { type: 'json' };
import { SITES, originPatterns } from './src/shared/sites.ts';

/** The Firefox add-on id; fixed so storage and tests find the same extension every install. */
export const GECKO_ID = 'reelflow@reelflow.app';

type Target = 'chrome' | 'firefox';

/**
 * One manifest, two builds. Firefox MV3 runs the background as an event page
 * (`background.scripts`) and needs gecko settings, including the declaration that
 * the add-on collects no data.
 */
export function manifestFor(target: Target, catalogUrl?: string): ManifestV3Export {
  const manifest = structuredClone(baseManifest) as Record<string, unknown> & typeof baseManifest;
  // Every site's hosts, optional: each is asked for when the user turns its site on (src/background/site-access.ts).
  manifest.optional_host_permissions = SITES.flatMap((site) => originPatterns(site.id));
  if (catalogUrl) {
    // The publisher's catalog origin, and only it, joins connect-src; without a URL the extension may fetch nothing.
    const csp = manifest.content_security_policy;
    csp.extension_pages = csp.extension_pages.replace("connect-src 'self'", `connect-src 'self' ${catalogOrigin(catalogUrl)}`);
  }
  if (target === 'chrome') return manifest as ManifestV3Export;
  const { service_worker: script, type } = baseManifest.background;
  return {
    ...manifest,
    background: { scripts: [script], type },
    browser_specific_settings: {
      gecko: {
        id: GECKO_ID,
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      // Firefox for Android learned data_collection_permissions in 142.
      gecko_android: { strict_min_version: '142.0' },
    },
  } as unknown as ManifestV3Export;
}

/** The origin of a build-time catalog URL; only https is accepted. */
export function catalogOrigin(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:') throw new Error(`VITE_CATALOG_URL must be https, not ${parsed.protocol}`);
  return parsed.origin;
}

/**
 * Copies the tfjs wasm binaries into the build (src/background/training/backend.ts loads them
 * from runtime.getURL('/tfjs-wasm/')); the threaded build is left out since an extension
 * worker is not cross-origin isolated.
 */
function tfjsWasm(): Plugin {
  return {
    name: 'reelflow-tfjs-wasm',
    generateBundle() {
      for (const file of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
        this.emitFile({
          type: 'asset',
          fileName: `tfjs-wasm/${file}`,
          source: readFileSync(`node_modules/@tensorflow/tfjs-backend-wasm/dist/${file}`),
        });
      }
    },
  };
}

/** The content script, built standalone and registered per site by the background (src/background/site-access.ts). */
const CONTENT_SCRIPT = 'src/content/main.ts';

/**
 * crxjs lists a `?script` import in web_accessible_resources for every http(s) page, which would
 * let any page probe for Reelflow by fetching the file. scripting.registerContentScripts and
 * executeScript need no such entry, so it goes; so does the unused ES-module copy crxjs emits
 * beside the standalone file.
 */
function noProbeableContentScript(outDir: string): Plugin {
  return {
    name: 'reelflow-no-probeable-content-script',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const unused = Object.entries(bundle).filter(
        ([fileName, output]) => output.type === 'chunk' && output.facadeModuleId?.endsWith(CONTENT_SCRIPT) && !fileName.startsWith('src/'),
      );
      for (const [fileName] of unused) Reflect.deleteProperty(bundle, fileName);
    },
    // crxjs writes the manifest last, so the entry is dropped from the written file.
    closeBundle: {
      order: 'post',
      handler() {
        const path = `${outDir}/manifest.json`;
        if (!existsSync(path)) return; // the dev server writes no manifest here
        const manifest = JSON.parse(readFileSync(path, 'utf8')) as { web_accessible_resources?: { resources: string[] }[] };
        const kept = (manifest.web_accessible_resources ?? []).filter(
          (entry) => !entry.resources.every((file) => file.startsWith('src/content/')),
        );
        if (kept.length > 0) manifest.web_accessible_resources = kept;
        else delete manifest.web_accessible_resources;
        writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
      },
    },
  };
}

const POPUP_HTML = 'src/popup/index.html';
const POPUP_SCRIPT = 'src/popup/main.ts';

/**
 * The popup's script as one classic file at the end of its body, in place of the module graph
 * the HTML build makes (an entry and three shared chunks): a classic script runs as soon as the
 * parser reaches it, with nothing else to fetch and link first, which brings the first suggestion
 * forward (test/bench/popup.bench.ts). The options page keeps its modules.
 */
function classicPopupScript(): Plugin {
  return {
    name: 'reelflow-classic-popup-script',
    enforce: 'post',
    async generateBundle(_options, bundle) {
      const html = bundle[POPUP_HTML];
      if (html?.type !== 'asset') return; // the dev server serves the modules as they are
      const result = await build({
        configFile: false,
        logLevel: 'warn',
        build: {
          write: false,
          target: 'es2022',
          minify: true,
          lib: { entry: POPUP_SCRIPT, formats: ['iife'], name: 'reelflowPopup' },
        },
      });
      const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
      const chunks = outputs.flatMap((output) => output.output).filter((file) => file.type === 'chunk');
      if (chunks.length !== 1 || !chunks[0]) throw new Error(`the popup script built into ${chunks.length} files, expected one`);
      const fileName = POPUP_SCRIPT.replace(/\.ts$/, '.js');
      this.emitFile({ type: 'asset', fileName, source: chunks[0].code });
      // The module entry it replaces goes; the chunks it shares with the options page stay.
      const entry = Object.entries(bundle).find(
        ([, file]) => file.type === 'chunk' && file.isEntry && file.facadeModuleId?.endsWith(POPUP_HTML),
      );
      if (entry) Reflect.deleteProperty(bundle, entry[0]);
      const source = String(html.source)
        .replace(/\s*<script type="module"[^>]*><\/script>/g, '')
        .replace(/\s*<link rel="modulepreload"[^>]*>/g, '');
      if (!source.includes('</body>')) throw new Error(`${POPUP_HTML} has no </body>`);
      html.source = source.replace('</body>', `  <script src="/${fileName}"></script>\n  </body>`);
    },
  };
}

export default defineConfig(({ mode }) => {
  const target: Target = mode === 'firefox' ? 'firefox' : 'chrome';
  const catalogUrl = loadEnv(mode, process.cwd(), 'VITE_').VITE_CATALOG_URL || undefined;
  return {
    build: {
      outDir: `dist/${target}`,
      emptyOutDir: true,
      target: 'es2022',
      // Extension stores reject minified-beyond-review code less often when names are kept readable.
      minify: true,
      sourcemap: false,
      chunkSizeWarningLimit: 2048,
    },
    plugins: [
      tfjsWasm(),
      crx({
        manifest: manifestFor(target, catalogUrl),
        browser: target,
        // Self-contained content scripts: no loader, no web_accessible_resources a page could probe.
        contentScripts: { standaloneFiles: [CONTENT_SCRIPT] },
      }),
      noProbeableContentScript(`dist/${target}`),
      classicPopupScript(),
    ],
  };
});
