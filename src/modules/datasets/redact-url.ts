// A database URL as it may be shown: its password replaced by ***. Apart from connect.ts (which
// loads kysely and the drivers), so `vow datasets check --config` shows its URLs without them.
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
