/**
 * Kinds the sources cannot tell, set by hand, each with why. Only for titles whose source says
 * nothing about their kind beyond its group (zh Wikipedia CGroup "Movie" holds documentaries too)
 * and which the hand-labelled sample (test/fixtures/catalog/sample-200.json) or a user found wrong.
 */
import type { TitleKind } from '../../src/shared/catalog/types.ts';

export const KIND_OVERRIDES: Readonly<Record<string, { kind: TitleKind; why: string }>> = {
  'zw:film:nootherlandلاأرضأخرى': {
    kind: 'documentary',
    why: 'No Other Land (2024), the Palestinian–Israeli documentary; CGroup files it under Movie and no shipped source gives its genre',
  },
};
