// While a process holds many sessions at once, its garbage collector keeps the old generation close to
// what is live. Sessions that live for seconds outlive the young generation and die in the old one, and
// V8 lets the old generation grow to up to several times what the last full collection found live
// before it collects again: with 10,000 idle sessions the harness held about as much garbage as live
// sessions. Past MANY_SESSIONS the limit is 1.2x what is live (V8's --heap-growing-percent), measured
// side by side with bench/idle-sessions.ts: harness RSS 262-288 MB with V8's own factor, 210-213 MB with
// this, event-loop delay at most 149-164 ms and 166-170 ms, CPU at most 101-106% and 113-114% of a core.
// (V8's memory-saver mode saved as much but paused the event loop for up to 606 ms.) A few hundred
// sessions, as in the shipped suites, keep V8's default. Process-wide; V8 reads it at each collection.

import { setFlagsFromString } from 'node:v8';

// Sessions in flight from which the process favours memory.
export const MANY_SESSIONS = 1000;

let favoured = false;

// Favours memory once `active` sessions reach MANY_SESSIONS; true when this call switched it on.
export const favourMemoryAt = (active: number): boolean => {
  if (favoured || active < MANY_SESSIONS) return false;
  setFlagsFromString('--heap-growing-percent=20');
  favoured = true;
  return true;
};

// Back to V8's own growing factor (the load has stopped).
export const restoreMemoryMode = (): void => {
  if (!favoured) return;
  setFlagsFromString('--heap-growing-percent=0');
  favoured = false;
};
