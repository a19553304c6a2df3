import * as path from 'path';

/** The checkout's root: synth writes there whatever folder it is started from. */
export const PROJECT_ROOT = path.resolve(__dirname, '../..');

/** The lock, commit journal and staged files of synth (git-ignored; empty and removed after each run). */
export const WORK_DIR = path.join(PROJECT_ROOT, '.habr-k8s');
