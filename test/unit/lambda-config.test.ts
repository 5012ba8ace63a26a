import { describe, expect, it } from 'vitest';
import { loadLambdaConfig } from '../../shared/config/config.js';
import { ENV } from '../../shared/config/env-names.js';

const base = { [ENV.tableName]: 'card-vault-test' };

describe('loadLambdaConfig', () => {
  it('reads the function name and a DynamoDB endpoint from the environment it is given', () => {
    const config = loadLambdaConfig([], {
      ...base,
      [ENV.lambdaFunctionName]: 'card-vault-api',
      [ENV.dynamodbEndpoint]: 'http://127.0.0.1:8000',
    });
    expect(config).toMatchObject({
      tableName: 'card-vault-test',
      stage: 'dev',
      functionName: 'card-vault-api',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
    });
  });

  it('gives a function only the KMS key ids it asks for', () => {
    const env = { ...base, [ENV.codeKeyId]: 'code-key', [ENV.fingerprintKeyId]: 'mac-key' };
    expect(loadLambdaConfig(['codeKeyId'], env)).toMatchObject({ codeKeyId: 'code-key' });
    expect(loadLambdaConfig(['codeKeyId'], env)).not.toHaveProperty('fingerprintKeyId');
    expect(loadLambdaConfig([], env)).not.toHaveProperty('codeKeyId');
  });

  it('fails fast, naming every variable at fault, when a key the function needs is missing', () => {
    expect(() =>
      loadLambdaConfig(['codeKeyId', 'fingerprintKeyId'], { [ENV.codeKeyId]: 'code-key' }),
    ).toThrow(new RegExp(`${ENV.tableName}.*${ENV.fingerprintKeyId}`));
  });
});
