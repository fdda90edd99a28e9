import { browser, send, t } from '../shared/browser.ts';
import type { CatalogTitle } from '../shared/catalog/types.ts';
import { h } from '../shared/dom.ts';
import type { StoredEvent } from '../shared/events.ts';
import { displayText } from '../shared/text.ts';
import { MAX_IMPORT_BYTES, checkImportSize, megabytes, type ImportProblem, type ImportResult } from '../shared/export-format.ts';
import type { StorageNotice } from '../shared/messages.ts';
import { pickTitle } from '../shared/title-display.ts';
import { linkEditor } from './link-editor.ts';
import { announce, formatTime } from './state.ts';

/** Events loaded at once; "show more" loads the next as many. */
const PAGE = 200;

const uiLanguage = browser.i18n.getUILanguage();

/** Page URLs become links only when they are web URLs; anything else stays text. */
function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

function titleName(titles: Map<string, CatalogTitle>, id: string): { text: string; lang?: string } {
  const title = titles.get(id);
  return title ? pickTitle(title, uiLanguage) : { text: id };
}

function eventItem(event: StoredEvent, titles: Map<string, CatalogTitle>, refresh: () => Promise<void>): HTMLElement {
  const about = event.target.title || event.target.text || event.target.hashtags.map((tag) => `#${tag}`).join(' ') || event.target.url;
  const href = safeHref(event.target.url);
  const remove = h(
    'button',
    { type: 'button', class: 'delete', 'aria-label': t('optionsDeleteEventNamed', displayText(about, 60)) },
    t('optionsDelete'),
  );
  remove.addEventListener('click', () => {
    remove.disabled = true;
    send('data:delete-event', { id: event.id }).then(
      async () => {
        announce(t('optionsEventDeleted'));
        await refresh();
      },
      (error: unknown) => {
        remove.disabled = false;
        announce(t('errorAction', String(error)));
      },
    );
  });
  return h(
    'li',
    { class: 'event', 'data-event-id': event.id },
    h(
      'div',
      { class: 'event-body' },
      h('p', { class: 'event-head small muted' }, [formatTime(event.at), t(`site_${event.site}`), t(`action_${event.action}`)].join(' · ')),
      h(
        'p',
        { class: 'event-text' },
        href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, displayText(about, 280)) : displayText(about, 280),
      ),
      event.userText ? h('p', { class: 'event-user-text' }, t('optionsYouWrote', displayText(event.userText, 280))) : null,
      linkEditor(event, titles, refresh),
    ),
    remove,
  );
}

/** What the options page says after a capture was refused for want of space: each sentence a fact of the notice. */
export function storageNoticeLines(notice: StorageNotice): string[] {
  const lines =
    notice.waiting > 0
      ? [t('optionsStorageFull', String(notice.waiting))]
      : [t('optionsStorageWasFull', [formatTime(notice.fullAt), String(notice.saved)])];
  if (notice.prunedEvents > 0 && notice.prunedUpTo !== undefined) {
    lines.push(t('optionsStoragePruned', [String(notice.prunedEvents), formatTime(notice.prunedUpTo)]));
  } else if (notice.waiting > 0 && notice.droppedCaches.length === 0) {
    lines.push(t('optionsStorageNothingFreed'));
  }
  if (notice.droppedCaches.length > 0) lines.push(t('optionsStorageCachesDropped'));
  if (notice.waiting > 0 && notice.memoryOnly) lines.push(t('optionsStorageMemoryOnly'));
  return lines;
}

/** The storage notice, drawn from data:status; empty until a write was refused for want of space. */
async function drawStorageNotice(box: HTMLElement): Promise<void> {
  const { storage } = await send('data:status', {});
  box.hidden = storage === undefined;
  box.classList.toggle('error', (storage?.waiting ?? 0) > 0);
  box.replaceChildren(...(storage ? storageNoticeLines(storage).map((line) => h('p', {}, line)) : []));
}

/**
 * The stored-events viewer: every event, newest first, a page at a time; searchable, with per-event
 * delete and each event's linked titles. Above it, what happened if storage was ever full.
 */
export function eventViewer(): { element: HTMLElement; refresh: () => Promise<void> } {
  const search = h('input', { type: 'search', id: 'event-search', autocomplete: 'off' });
  const summary = h('p', { class: 'muted', id: 'event-summary', 'aria-live': 'polite' });
  const list = h('ul', { class: 'plain events', id: 'events', 'aria-labelledby': 'events-heading' });
  const more = h('button', { type: 'button', id: 'events-more', hidden: true }, t('optionsShowMoreEvents'));
  const notice = h('div', { id: 'storage-notice', role: 'status', hidden: true });
  let shown = 0;
  /** Loads `count` events from `offset` (of the current search) into the list: in place of it from 0, after it otherwise. */
  const load = async (offset: number, count: number): Promise<void> => {
    const query = search.value.trim();
    const { events, total } = await send('data:list-events', { ...(query ? { query } : {}), limit: count, offset });
    const ids = [...new Set(events.flatMap((event) => event.links.map((link) => link.titleId)))];
    const titles = new Map((ids.length > 0 ? await send('catalog:titles', { ids }) : []).map((title) => [title.id, title]));
    const items = events.map((event) => eventItem(event, titles, refresh));
    if (offset === 0) list.replaceChildren(...items);
    else list.append(...items);
    shown = offset + events.length;
    const number = (n: number): string => n.toLocaleString(uiLanguage);
    const counted = query ? t('optionsEventsFound', number(total)) : t('optionsEventCount', number(total));
    summary.textContent = shown < total ? `${counted} ${t('optionsEventsShown', number(shown))}` : counted;
    more.hidden = shown >= total;
  };
  // After a delete or a new search: from the top, keeping as many loaded as were (at least a page).
  const refresh = async (): Promise<void> => {
    await Promise.all([load(0, Math.max(PAGE, shown)), drawStorageNotice(notice)]);
  };
  more.addEventListener('click', () => {
    more.disabled = true;
    const first = shown;
    load(shown, PAGE)
      .then(() => (list.children[first]?.querySelector('a, button') as HTMLElement | null)?.focus())
      .catch((error: unknown) => announce(t('errorAction', String(error))))
      .finally(() => (more.disabled = false));
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      shown = 0;
      void load(0, PAGE);
    }, 200);
  });
  const element = h(
    'div',
    {},
    h('h3', { id: 'events-heading' }, t('optionsEvents')),
    notice,
    h('p', { class: 'field' }, h('label', { for: 'event-search' }, t('optionsSearchEvents')), ' ', search),
    summary,
    list,
    more,
  );
  return { element, refresh };
}

/** The feedback list (interested, not interested, seen, clicks), each preference with undo. */
export function feedbackList(): { element: HTMLElement; refresh: () => Promise<void> } {
  const list = h('ul', { class: 'plain feedback', id: 'feedback-list', 'aria-labelledby': 'feedback-heading' });
  const refresh = async (): Promise<void> => {
    const feedback = await send('feedback:list', {});
    const ids = [...new Set(feedback.map((f) => f.titleId))];
    const titles = new Map((ids.length > 0 ? await send('catalog:titles', { ids }) : []).map((title) => [title.id, title]));
    if (feedback.length === 0) {
      list.replaceChildren(h('li', { class: 'muted' }, t('optionsNoFeedback')));
      return;
    }
    list.replaceChildren(
      ...feedback.map((f) => {
        const name = titleName(titles, f.titleId);
        const undo = h('button', { type: 'button', 'aria-label': t('optionsUndoFeedbackNamed', name.text) }, t('undo'));
        undo.addEventListener('click', () => {
          undo.disabled = true;
          if (f.id === undefined) return;
          send('feedback:undo', { id: f.id }).then(
            async () => {
              announce(t('undone'));
              await refresh();
            },
            (error: unknown) => announce(t('errorAction', String(error))),
          );
        });
        return h(
          'li',
          { class: 'feedback-item', 'data-title-id': f.titleId, 'data-kind': f.kind },
          h(
            'span',
            {},
            `${t(`feedback_${f.kind.replace(/-/g, '_')}`)}: `,
            h('span', { lang: name.lang }, name.text),
            ` · ${formatTime(f.at)}`,
          ),
          // A watch link opened is something that happened, not a preference: there is nothing to undo.
          f.kind === 'click' ? null : undo,
        );
      }),
    );
  };
  return { element: h('div', {}, h('h3', { id: 'feedback-heading' }, t('optionsFeedback')), list), refresh };
}

/** Each import problem's sentence (every one says that nothing was imported). */
const IMPORT_PROBLEM_KEYS: Record<ImportProblem['code'], string> = {
  tooLarge: 'optionsImportTooLarge',
  notJson: 'optionsImportNotJson',
  tooDeep: 'optionsImportTooDeep',
  forbiddenKey: 'optionsImportForbiddenKey',
  invalid: 'optionsImportInvalid',
  duplicateId: 'optionsImportDuplicateId',
  tooEarly: 'optionsImportTooEarly',
  tooLate: 'optionsImportTooLate',
};

/** What the page says of a file it will not import. */
export function problemText(problem: ImportProblem): string {
  return t(
    IMPORT_PROBLEM_KEYS[problem.code],
    problem.args.map((arg) => arg.slice(0, 300)),
  );
}

/** Reads and checks an import file in a worker, off this page's thread (src/options/import-worker.ts). */
function readInWorker(file: File): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./import-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<ImportResult>) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || 'the file reader stopped'));
    };
    worker.postMessage({ file, now: Date.now() });
  });
}

/** Export, import and delete everything. `reload` redraws the whole page after import or delete. */
export function dataControls(reload: () => Promise<void>): HTMLElement {
  const exportButton = h('button', { type: 'button', id: 'export' }, t('optionsExport'));
  exportButton.addEventListener('click', () => {
    send('data:export', {}).then(
      (file) => {
        const blob = new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' });
        const url = URL.createObjectURL(blob);
        const date = new Date(file.exportedAt).toISOString().slice(0, 10);
        const a = h('a', { href: url, download: `reelflow-export-${date}.json` });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        const exported = t('optionsExported', [String(file.events.length), String(file.feedback.length)]);
        // Said plainly, not found out at the next import: this file is larger than import reads.
        announce(
          blob.size > MAX_IMPORT_BYTES
            ? `${exported} ${t('optionsExportTooLarge', [megabytes(blob.size), megabytes(MAX_IMPORT_BYTES)])}`
            : exported,
        );
      },
      (error: unknown) => announce(t('errorAction', String(error))),
    );
  });

  const importInput = h('input', { type: 'file', id: 'import', accept: 'application/json,.json' });
  const importError = h('p', { id: 'import-error', class: 'error', role: 'alert', hidden: true });
  const refuse = (message: string): void => {
    importError.textContent = message;
    importError.hidden = false;
    announce(message);
  };
  importInput.addEventListener('change', () => {
    const file = importInput.files?.[0];
    if (!file) return;
    importError.hidden = true;
    // Before a byte is read: a file too large to import is refused on its size alone.
    const tooLarge = checkImportSize(file.size);
    if (tooLarge) {
      refuse(problemText(tooLarge));
      importInput.value = '';
      return;
    }
    importInput.disabled = true;
    announce(t('optionsImporting'));
    readInWorker(file)
      .then(async (read) => {
        if (!read.ok) {
          refuse(problemText(read.problem));
          return;
        }
        // One transaction in the background: everything of the file is stored, or nothing is.
        const result = await send('data:import', read.file).catch((error: unknown) => {
          refuse(t('optionsImportNotSaved', error instanceof Error ? error.message : String(error)));
        });
        if (!result) return;
        await reload();
        announce(t('optionsImported', [String(result.events), String(result.feedback)]));
      })
      .catch((error: unknown) => refuse(t('optionsImportUnreadable', error instanceof Error ? error.message : String(error))))
      .finally(() => {
        importInput.disabled = false;
        importInput.value = '';
      });
  });

  const confirmBox = h('div', {
    class: 'confirm',
    id: 'delete-confirm',
    role: 'group',
    'aria-labelledby': 'delete-confirm-text',
    hidden: true,
  });
  const deleteAll = h(
    'button',
    { type: 'button', id: 'delete-all', class: 'danger', 'aria-expanded': 'false', 'aria-controls': 'delete-confirm' },
    t('optionsDeleteAll'),
  );
  const yes = h('button', { type: 'button', id: 'delete-all-confirm', class: 'danger' }, t('optionsDeleteAllYes'));
  const cancel = h('button', { type: 'button', id: 'delete-all-cancel' }, t('cancel'));
  confirmBox.append(h('p', { id: 'delete-confirm-text' }, t('optionsDeleteAllConfirm')), yes, cancel);
  const close = (): void => {
    confirmBox.hidden = true;
    deleteAll.setAttribute('aria-expanded', 'false');
  };
  deleteAll.addEventListener('click', () => {
    confirmBox.hidden = false;
    deleteAll.setAttribute('aria-expanded', 'true');
    cancel.focus();
  });
  cancel.addEventListener('click', () => {
    close();
    deleteAll.focus();
  });
  yes.addEventListener('click', () => {
    yes.disabled = true;
    send('data:delete-all', { confirm: true })
      .then(
        async () => {
          close();
          await reload();
          announce(t('optionsDeletedAll'));
          deleteAll.focus();
        },
        (error: unknown) => announce(t('errorAction', String(error))),
      )
      .finally(() => (yes.disabled = false));
  });

  return h(
    'div',
    { class: 'data-controls' },
    h('h3', {}, t('optionsExportImport')),
    h('p', { class: 'muted small' }, t('optionsExportHelp')),
    h('div', { class: 'row' }, exportButton, h('label', { for: 'import', class: 'file' }, t('optionsImport'), ' ', importInput)),
    importError,
    h('h3', {}, t('optionsDeleteHeading')),
    h('p', { class: 'muted small' }, t('optionsDeleteHelp')),
    deleteAll,
    confirmBox,
  );
}
