import { checkImportSize, readExport, type ImportResult } from '../shared/export-format.ts';

/**
 * Reads an import file off the page's thread (issue 17, hostile files): the size first, from the
 * file, before any of it is read; then the text, its nesting, JSON, keys, schema, ids and times.
 * However large or strange the file, the options page never waits on it.
 */
interface Scope {
  onmessage: ((event: MessageEvent<{ file: Blob; now: number }>) => void) | null;
  postMessage(result: ImportResult): void;
}
const scope = self as unknown as Scope;

scope.onmessage = (event) => {
  const { file, now } = event.data;
  const tooLarge = checkImportSize(file.size);
  if (tooLarge) {
    scope.postMessage({ ok: false, problem: tooLarge });
    return;
  }
  file.text().then(
    (text) => scope.postMessage(readExport(text, now)),
    (error: unknown) => scope.postMessage({ ok: false, problem: { code: 'notJson', args: [String(error)] } }),
  );
};
