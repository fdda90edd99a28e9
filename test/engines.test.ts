import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * The README, package.json `engines` and every installed dependency agree on the Node version
 * (issue 17): `npm ci` on the README's Node prints no EBADENGINE.
 */
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { engines?: { node?: string } | string[] }>;
};
const readme = readFileSync('README.md', 'utf8');

describe('engines', () => {
  const minimum = semver.minVersion(pkg.engines.node)?.version ?? '';

  it("the README names package.json's minimum Node version", () => {
    const [major, minor] = minimum.split('.');
    expect(readme).toContain(`Node.js ${major}.${minor} or newer`);
  });

  it('every dependency in the lockfile runs on that minimum', () => {
    const refusing = Object.entries(lock.packages).flatMap(([name, entry]) => {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      return range && !semver.satisfies(minimum, range) ? [`${name} needs ${range}`] : [];
    });
    expect(refusing).toEqual([]);
  });
});
