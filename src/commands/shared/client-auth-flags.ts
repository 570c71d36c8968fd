/**
 * `--client-auth METHOD` and `--client-key FILE`: how the client authenticates at the provider's
 * back-channel endpoints (token, device authorization, pushed authorization, introspection,
 * revocation). Declared here, light, for the start-up path; the key is read by client-key.ts.
 */
import { type Command, Option } from 'commander';

export type ClientAuthFlagMethod =
  | 'client_secret_basic'
  | 'client_secret_post'
  | 'client_secret_jwt'
  | 'private_key_jwt'
  | 'none';

export interface ClientAuthFlags {
  clientAuth?: ClientAuthFlagMethod;
  clientKey?: string;
}

/** `--client-auth` and `--client-key`, for every command that calls the provider's back channel. */
export function addClientAuthFlags(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--client-auth <method>',
        'how the client authenticates to the provider (default: the first method the provider lists for which togo has the credential)',
      ).choices([
        'client_secret_basic',
        'client_secret_post',
        'client_secret_jwt',
        'private_key_jwt',
        'none',
      ]),
    )
    .option(
      '--client-key <file>',
      "the client's private key (PEM or JWK) for private_key_jwt: signed assertions, iss and sub the client id, aud the token endpoint, 60 s",
    );
}
