import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * A check of an `Authorization: Bearer <token>` header against the expected token.
 * Both sides are hashed first so the comparison is constant-time whatever the lengths,
 * and a missing header is hashed too, so timing never tells what was wrong.
 */
export function bearerTokenCheck(expected: string): (authorization: string | undefined) => boolean {
  const wanted = digest(expected);
  return (authorization) => {
    const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
    const same = timingSafeEqual(digest(match?.[1] ?? ''), wanted);
    return match !== null && same;
  };
}
