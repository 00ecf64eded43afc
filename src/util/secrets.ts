const secrets = new Set<string>();

/** Remember a value that must never be printed or stored; `scrub` then masks it everywhere. */
export function registerSecret(value: string | undefined): void {
  // Very short values would mask ordinary words; a password that short is refused by ESR anyway.
  if (value && value.length >= 4) secrets.add(value);
}

export function scrub(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}
