import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The encryption context every code ciphertext is bound to (shared/ports/code-cipher.ts). */
export const CODE_CONTEXT_KEYS = ['tenantId', 'cardId'] as const;
/** The encryption context every sealed webhook signing secret is bound to (ports/webhook-secret-cipher.ts). */
export const WEBHOOK_SECRET_CONTEXT_KEYS = ['tenantId', 'endpointId'] as const;

const DECRYPT_ACTIONS = ['kms:Decrypt', 'kms:ReEncryptFrom'];
const ENCRYPT_ACTIONS = [
  'kms:Encrypt',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
];
const MAC_ACTIONS = ['kms:GenerateMac', 'kms:VerifyMac'];
/** What makes an evidence signature: no principal but the api function's role may. */
const SIGN_ACTIONS = ['kms:Sign'];

/**
 * The request must carry exactly the context keys tenantId and cardId:
 * - `Null: false` on each key: both are present. This is the part that matters, because
 *   `ForAllValues` alone is also true for a request with no context at all (an empty set
 *   satisfies "all values are in the list").
 * - `ForAllValues:StringEquals` on `kms:EncryptionContextKeys`: no other key is present, so a
 *   caller cannot smuggle extra context in. (`ForAnyValue` would only say that one of the two
 *   is present, which the Null checks already say more strictly.)
 * The values are not pinned: each card has its own; KMS binds them as additional authenticated
 * data, so a ciphertext moved to another card simply does not decrypt.
 */
export const CODE_CONTEXT_CONDITIONS = exactContext(CODE_CONTEXT_KEYS);
/** The same rule for the webhook secret key: exactly tenantId and endpointId. */
export const WEBHOOK_SECRET_CONTEXT_CONDITIONS = exactContext(WEBHOOK_SECRET_CONTEXT_KEYS);

function exactContext(keys: readonly string[]) {
  return {
    Null: Object.fromEntries(keys.map((k) => [`kms:EncryptionContext:${k}`, 'false'])),
    'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': [...keys] },
  };
}

/** A key user: its role, and the role's ARN as the key policy names it (built from its fixed name). */
export interface KeyUser {
  readonly role: IRole;
  readonly roleArnByName: string;
}

export interface KeyUsers {
  /** May open code ciphertexts (the reveal function). */
  readonly decrypt: KeyUser;
  /** May seal codes (the deposit function). */
  readonly encrypt: KeyUser;
  /** May fingerprint codes (the deposit function). */
  readonly mac: KeyUser;
  /** May sign evidence bundles and read the evidence key's public key (the api function). */
  readonly sign: KeyUser;
  /** May seal webhook signing secrets, never open one (the api function, which mints them). */
  readonly sealWebhookSecrets: KeyUser;
  /** May open webhook signing secrets, never seal one (the webhook dispatcher, which signs). */
  readonly openWebhookSecrets: KeyUser;
  /** May derive hosted reveal pages' keys (the api and reveal functions, which serve that page). */
  readonly linkMac: readonly KeyUser[];
}

/**
 * The code key and the fingerprint key, both retained (losing either loses every card), the
 * evidence key: an ECC_NIST_P256 signing key for evidence bundles, retained too, since bundles
 * already handed out are verified with its public key for as long as a dispute may run, and the
 * webhook secret key, which seals webhook signing secrets (issue 20): a key of its own, so the
 * dispatcher that opens them never holds kms:Decrypt on a code.
 */
export class VaultKeys extends Construct {
  readonly codeKey: Key;
  readonly fingerprintKey: Key;
  readonly evidenceKey: Key;
  readonly webhookSecretKey: Key;
  /** HMAC key deriving a reveal link's page key from its token's hash (issue 20, item 4). */
  readonly linkKey: Key;

  constructor(scope: Construct, id: string, props: { readonly stage: string }) {
    super(scope, id);
    this.codeKey = new Key(this, 'CodeKey', {
      description: `card-vault ${props.stage}: seals card codes, bound to {tenantId, cardId}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // HMAC keys cannot rotate: a rotated key would change every fingerprint and break F6.
    this.fingerprintKey = new Key(this, 'FingerprintKey', {
      description: `card-vault ${props.stage}: HMAC fingerprints of card codes (uniqueness across tenants)`,
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // Asymmetric keys cannot rotate in KMS: a new key is a new kid, the old one stays published.
    this.evidenceKey = new Key(this, 'EvidenceKey', {
      description: `card-vault ${props.stage}: signs evidence bundles (ES256)`,
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // Retained like the others: without it every endpoint's secret would have to be rolled.
    this.webhookSecretKey = new Key(this, 'WebhookSecretKey', {
      description: `card-vault ${props.stage}: seals webhook signing secrets, bound to {tenantId, endpointId}`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // Retained like the others, though losing it only costs the re-show windows then open; HMAC
    // keys cannot rotate (a new key would end every open window too).
    this.linkKey = new Key(this, 'LinkKey', {
      description: `card-vault ${props.stage}: HMAC page keys of hosted reveal links`,
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.denyUseWithoutContext(this.codeKey, CODE_CONTEXT_KEYS);
    this.denyUseWithoutContext(this.webhookSecretKey, WEBHOOK_SECRET_CONTEXT_KEYS);
  }

  /**
   * Grants each role its one use and writes the same rule into the key policies as explicit
   * denies for every other principal, account administrators included: an IAM policy with
   * `kms:*` on `*` elsewhere in the account still cannot decrypt a code or compute a
   * fingerprint (which would be an oracle for guessing codes).
   */
  restrictUse(users: KeyUsers): void {
    this.exclusive(this.codeKey, DECRYPT_ACTIONS, users.decrypt, 'OnlyRevealDecrypts');
    this.exclusive(this.codeKey, ENCRYPT_ACTIONS, users.encrypt, 'OnlyDepositEncrypts');
    this.exclusive(this.fingerprintKey, MAC_ACTIONS, users.mac, 'OnlyDepositFingerprints');
    this.exclusive(this.evidenceKey, SIGN_ACTIONS, users.sign, 'OnlyApiSignsEvidence');
    this.exclusive(
      this.webhookSecretKey,
      DECRYPT_ACTIONS,
      users.openWebhookSecrets,
      'OnlyDispatcherOpensWebhookSecrets',
    );
    this.exclusive(
      this.webhookSecretKey,
      ENCRYPT_ACTIONS,
      users.sealWebhookSecrets,
      'OnlyApiSealsWebhookSecrets',
    );
    users.sealWebhookSecrets.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SealWebhookSecretsNamingTheEndpoint',
        actions: ['kms:Encrypt'],
        resources: [this.webhookSecretKey.keyArn],
        conditions: WEBHOOK_SECRET_CONTEXT_CONDITIONS,
      }),
    );
    users.openWebhookSecrets.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'OpenWebhookSecretsNamingTheEndpoint',
        actions: ['kms:Decrypt'],
        resources: [this.webhookSecretKey.keyArn],
        conditions: WEBHOOK_SECRET_CONTEXT_CONDITIONS,
      }),
    );
    this.exclusive(this.linkKey, MAC_ACTIONS, users.linkMac, 'OnlyPagesDeriveLinkKeys');
    for (const user of users.linkMac) {
      user.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'DeriveLinkKeys',
          actions: ['kms:GenerateMac'],
          resources: [this.linkKey.keyArn],
          conditions: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } },
        }),
      );
    }
    users.sign.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'SignEvidence',
        actions: ['kms:Sign', 'kms:GetPublicKey'],
        resources: [this.evidenceKey.keyArn],
      }),
    );
    users.decrypt.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'DecryptCodesNamingTheCard',
        actions: ['kms:Decrypt'],
        resources: [this.codeKey.keyArn],
        conditions: CODE_CONTEXT_CONDITIONS,
      }),
    );
    users.encrypt.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'EncryptCodesNamingTheCard',
        actions: ['kms:Encrypt'],
        resources: [this.codeKey.keyArn],
        conditions: CODE_CONTEXT_CONDITIONS,
      }),
    );
    users.mac.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'FingerprintCodes',
        actions: ['kms:GenerateMac'],
        resources: [this.fingerprintKey.keyArn],
        conditions: { StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } },
      }),
    );
  }

  /** Whoever calls, an operation on `key` without exactly its context keys is refused. */
  private denyUseWithoutContext(key: Key, contextKeys: readonly string[]): void {
    const actions = [...DECRYPT_ACTIONS, ...ENCRYPT_ACTIONS];
    // One statement per context key: conditions inside one statement are ANDed, and either key missing must deny.
    for (const name of contextKeys) {
      key.addToResourcePolicy(
        new PolicyStatement({
          sid: `DenyWithout${name[0]?.toUpperCase()}${name.slice(1)}Context`,
          effect: Effect.DENY,
          principals: [new AnyPrincipal()],
          actions,
          resources: ['*'],
          conditions: { Null: { [`kms:EncryptionContext:${name}`]: 'true' } },
        }),
      );
    }
    // True when some key of the request's context is not one of `contextKeys`.
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'DenyOtherContextKeys',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions,
        resources: ['*'],
        conditions: {
          'ForAnyValue:StringNotEquals': { 'kms:EncryptionContextKeys': [...contextKeys] },
        },
      }),
    );
  }

  /**
   * The deny names the role by the ARN built from its name, never by a reference to the role
   * resource: the key policy then depends on nothing else in the stack, so `cdk import` can adopt
   * a retained key on its own, and the policy still holds for the role a redeploy recreates.
   */
  private exclusive(key: Key, actions: string[], user: KeyUser | readonly KeyUser[], sid: string): void {
    const users = 'role' in user ? [user] : user;
    const arns = users.map((u) => u.roleArnByName);
    key.addToResourcePolicy(
      new PolicyStatement({
        sid,
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions,
        resources: ['*'],
        // For a Lambda's role session, aws:PrincipalArn is the role's ARN.
        conditions: { StringNotEquals: { 'aws:PrincipalArn': arns.length === 1 ? arns[0] : arns } },
      }),
    );
  }
}
