/**
 * A sign on the toolbar that Reelflow works: when a capture is stored, the icon shows how many
 * were stored from that tab since the popup was last opened; opening the popup clears it. The page
 * itself is never changed. The user can turn it off (settings.captureBadge).
 */
export interface BadgeApi {
  /** Sets the icon's badge and tooltip for one tab. */
  show(tabId: number, text: string, count: number): Promise<void>;
  /** Clears the badge of every tab. */
  clearAll(): Promise<void>;
}

export interface Badge {
  /** A capture from this tab was stored. */
  noticed(tabId: number): Promise<void>;
  /** The popup was opened: every count starts again. */
  cleared(): Promise<void>;
  /** The count a tab shows now (0 when none). */
  count(tabId: number): number;
}

/** Badge text: the count, capped so it fits the icon. */
export function badgeText(count: number): string {
  return count > 99 ? '99+' : String(count);
}

export function createBadge(api: BadgeApi): Badge {
  const counts = new Map<number, number>();
  return {
    async noticed(tabId) {
      const count = (counts.get(tabId) ?? 0) + 1;
      counts.set(tabId, count);
      await api.show(tabId, badgeText(count), count);
    },
    async cleared() {
      counts.clear();
      await api.clearAll();
    },
    count: (tabId) => counts.get(tabId) ?? 0,
  };
}
