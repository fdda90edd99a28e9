import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'wasm' | 'cpu';

/** The .wasm files vite.config.ts copies into the build, under this folder. */
export const WASM_DIR = 'tfjs-wasm/';

let chosen: Promise<BackendName> | undefined;

/**
 * Sets the tfjs backend explicitly: wasm first (measured ~1.7× the plain Float32Array loop and
 * ~5× the cpu backend on 50,000 × 13 full-batch steps; test/bench/model.bench.ts), cpu if wasm
 * cannot load. `wasmBase` is the URL of WASM_DIR in the extension (runtime.getURL); in node the
 * backend finds its files in node_modules.
 */
export function initBackend(preferred: BackendName = 'wasm', wasmBase?: string): Promise<BackendName> {
  chosen ??= (async () => {
    if (preferred === 'wasm') {
      try {
        if (wasmBase) setWasmPaths(wasmBase);
        // A service worker cannot start the threaded build's workers; the build ships only the
        // single-threaded .wasm files, so never ask for the threaded one.
        tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        if (await tf.setBackend('wasm')) {
          await tf.ready();
          return 'wasm';
        }
      } catch (error) {
        console.warn('Reelflow: wasm backend unavailable, using cpu', error);
      }
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  })();
  return chosen;
}

/** Forgets the chosen backend (tests switch between them). */
export async function switchBackend(name: BackendName): Promise<void> {
  chosen = undefined;
  await initBackend(name);
  if (tf.getBackend() !== name) throw new Error(`tfjs backend ${name} did not start`);
}
