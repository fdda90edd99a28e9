import { MessageError, type ModelStatus } from '../../shared/messages.ts';
import type { HandlerGroup } from '../router.ts';

/** What the handlers may ask of the learner (wired in index.ts; absent in tests that don't train). */
export interface ModelControl {
  status(): Promise<ModelStatus>;
  retrain(): Promise<ModelStatus>;
}

/** Wires model:* to the learner. */
export function createModelHandlers(model: ModelControl | undefined): HandlerGroup<'model'> {
  const learner = (): ModelControl => {
    if (!model) throw new MessageError('internal', 'the learner is not running');
    return model;
  };
  return {
    async 'model:status'() {
      return learner().status();
    },
    async 'model:retrain'() {
      return learner().retrain();
    },
  };
}
