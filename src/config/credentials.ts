import type { Credentials } from '../esr/pages.js';
import { UsageError } from '../util/errors.js';
import { registerSecret } from '../util/secrets.js';

export interface CredentialSources {
  /** The environment with `.env` already folded in. */
  env: NodeJS.ProcessEnv;
  /** Ask on the terminal; undefined when there is nobody to ask. */
  ask?: (question: string, hidden: boolean) => Promise<string>;
}

/** ESR_USERNAME and ESR_PASSWORD from the environment or `.env`, else asked, else exit 2. */
export async function resolveCredentials({ env, ask }: CredentialSources): Promise<Credentials> {
  let username = env.ESR_USERNAME ?? '';
  let password = env.ESR_PASSWORD ?? '';
  if ((!username || !password) && ask) {
    if (!username) username = (await ask('ESR username: ', false)).trim();
    if (!password) password = await ask('ESR password (not shown): ', true);
  }
  if (!username || !password) {
    const missing = [!username && 'ESR_USERNAME', !password && 'ESR_PASSWORD'].filter(Boolean).join(' and ');
    throw new UsageError(`no ESR login: set ${missing} in the environment or in .env (or run on a terminal to be asked, or use --login manual)`);
  }
  registerSecret(password);
  return { username, password };
}
