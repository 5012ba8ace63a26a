import { describe, expect, it } from 'vitest';
import { loadLocalConfig } from '../../shared/config/config.js';
import { loadAdminConfig, loadBenchConfig, loadDemoConfig } from '../../shared/config/tool-config.js';

describe('tool config', () => {
  it('points the admin CLI at the DynamoDB and table the local stack uses by default', () => {
    const local = loadLocalConfig({});
    expect(loadAdminConfig({})).toEqual({
      tableName: local.tableName,
      endpoint: `http://127.0.0.1:${local.dynamodbPort}`,
    });
  });

  it('lets DYNAMODB_ENDPOINT win over DYNAMODB_PORT for the admin CLI', () => {
    const env = { DYNAMODB_ENDPOINT: 'http://db:9000', DYNAMODB_PORT: '8123', TABLE_NAME: 'vault-x' };
    expect(loadAdminConfig(env)).toEqual({ tableName: 'vault-x', endpoint: 'http://db:9000' });
    expect(loadAdminConfig({ DYNAMODB_PORT: '8123' }).endpoint).toBe('http://127.0.0.1:8123');
  });

  it('sends the demo to the local ports unless URLs are given', () => {
    expect(loadDemoConfig({ PORT: '4000', DEV_API_KEY: 'k' })).toEqual({
      apiUrl: 'http://127.0.0.1:4000',
      issuerUrl: `http://127.0.0.1:${loadLocalConfig({}).issuerSimPort}`,
      devApiKey: 'k',
    });
    const urls = { API_URL: 'https://vault.example', ISSUER_URL: 'https://issuer.example' };
    expect(loadDemoConfig(urls)).toMatchObject({ apiUrl: urls.API_URL, issuerUrl: urls.ISSUER_URL });
  });

  it('refuses bad values at start, naming the variable', () => {
    expect(() => loadAdminConfig({ DYNAMODB_PORT: 'abc' })).toThrow(/admin CLI configuration: DYNAMODB_PORT/);
    expect(() => loadDemoConfig({ API_URL: 'not a url' })).toThrow(/demo configuration: API_URL/);
    expect(() => loadBenchConfig({ BENCH_SALES: '0' })).toThrow(/bench configuration: BENCH_SALES/);
    expect(() => loadBenchConfig({}, ['--cards', 'many'])).toThrow(/bench configuration: BENCH_CARDS/);
  });

  it('takes the bench scale from its preset, then the environment, then the flags', () => {
    expect(loadBenchConfig({})).toMatchObject({ scale: 'moderate', sales: 300, concurrency: 32 });
    expect(loadBenchConfig({}, ['--full']).cards).toBe(10_000);
    expect(loadBenchConfig({ BENCH_SCALE: 'quick', BENCH_SALES: '5' })).toMatchObject({
      scale: 'quick',
      sales: 5,
    });
    expect(loadBenchConfig({ BENCH_SALES: '5' }, ['--sales', '7']).sales).toBe(7);
  });
});
