/**
 * The renderer's Content-Security-Policy (checklist "Define a Content Security Policy"): nothing but
 * the app's own scripts, workers, styles and images; no inline script, no eval, no remote origin, no plugins.
 * The build writes it into index.html, and the app:// protocol sends it as a header too.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');
