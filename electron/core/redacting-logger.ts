import type { Logger } from './logger';

/**
 * A logger that never writes a secret it has been told about (a UserSig, a secret key): any
 * occurrence is replaced before the line reaches the underlying log.
 */
export class RedactingLogger implements Logger {
  private readonly secrets = new Set<string>();

  constructor(private readonly target: Logger) {}

  /** From now on, `secret` is written as «redacted». */
  protect(secret: string): void {
    if (secret.length >= 8) this.secrets.add(secret);
  }

  /** The text with every protected secret taken out. */
  redact(text: string): string {
    let clean = text;
    for (const secret of this.secrets) clean = clean.split(secret).join('«redacted»');
    return clean;
  }

  info(message: string): void {
    this.target.info(this.redact(message));
  }

  warn(message: string): void {
    this.target.warn(this.redact(message));
  }

  error(message: string): void {
    this.target.error(this.redact(message));
  }
}
