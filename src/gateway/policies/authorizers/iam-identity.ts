/**
 * Who signed an AWS_IAM request, as API Gateway reports the caller in `requestContext.identity` (REST) or
 * `requestContext.authorizer.iam` (HTTP APIs). Portico has no IAM, so its two kinds of credentials stand for the
 * two kinds of callers AWS reports:
 * - a function's session credentials are its execution role's session, as on Lambda: `caller` is `ROLE_ID:session`
 *   (`AROA…:function-name`) and `userArn` `arn:aws:sts::ACCOUNT:assumed-role/ROLE/function-name` [3P capture of an
 *   assumed-role caller, blog.daringkoala.com 2023]. The role is named `{function}-role` and its id derived from the
 *   name, so a function is the same caller across restarts.
 * - the development pair and the configured pair are the account itself (root): `caller` and `user` are the account
 *   id, `userArn` `arn:aws:iam::ACCOUNT:root`, as AWS reports root credentials.
 */
import { createHash } from 'node:crypto';
import type { IamIdentity } from '../../events/authorizer.js';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function iamIdentity(accessKey: string, accountId: string, functionName: string | undefined): IamIdentity {
  if (functionName === undefined) return { accessKey, accountId, caller: accountId, userArn: `arn:aws:iam::${accountId}:root` };
  const role = `${functionName}-role`;
  return {
    accessKey,
    accountId,
    caller: `${roleId(role)}:${functionName}`,
    userArn: `arn:aws:sts::${accountId}:assumed-role/${role}/${functionName}`,
  };
}

/** An IAM role id (`AROA` and 17 base32 characters) that depends only on the role's name. */
function roleId(role: string): string {
  const digest = createHash('sha256').update(role).digest();
  let id = 'AROA';
  for (let i = 0; i < 17; i++) id += BASE32[digest[i]! % 32];
  return id;
}
