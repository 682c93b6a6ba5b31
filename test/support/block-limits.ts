import { expect } from 'vitest';
import { messageProblems, viewProblems } from './block-limit-problems';

export { LIMITS, messageProblems, viewProblems } from './block-limit-problems';

export function expectMessageWithinLimits(message: { text?: string; blocks?: unknown[] }): void {
  expect(messageProblems(message)).toEqual([]);
}

export function expectViewWithinLimits(view: object): void {
  expect(viewProblems(view as Record<string, unknown>)).toEqual([]);
}
