/** The `error` code of a Slack platform error (e.g. `message_not_found`), or null for anything else. */
export function slackErrorCode(error: unknown): string | null {
  const e = error as { code?: string; data?: { error?: string } };
  return e.code === 'slack_webapi_platform_error' ? (e.data?.error ?? null) : null;
}
