// The little of oidc-provider (v8, no bundled types) the single sign-on test uses: a provider with
// static clients, accounts and its development log-in pages, served on a port.
declare module 'oidc-provider' {
  import type { Server } from 'node:http';

  interface Account {
    accountId: string;
    claims: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  }

  interface ProviderConfiguration {
    clients?: Record<string, unknown>[];
    claims?: Record<string, string[]>;
    findAccount?: (ctx: unknown, id: string) => Account | undefined | Promise<Account | undefined>;
    features?: Record<string, { enabled: boolean }>;
    pkce?: { required?: () => boolean; methods?: string[] };
    cookies?: { keys?: string[] };
    [key: string]: unknown;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: ProviderConfiguration);
    listen(port: number, host: string, callback: () => void): Server;
  }
}
