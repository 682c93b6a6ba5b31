/**
 * Every action_id, callback_id and block_id CareBridge puts in Slack, in one place,
 * so builders and listeners cannot drift apart.
 */
export const ACTIONS = {} as const;
export const VIEWS = {} as const;
export const BLOCKS = {} as const;
