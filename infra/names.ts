/**
 * Names the deployed stack and the operator tools share (no CDK import: the admin CLI loads it).
 */
/** The stack's output names; the admin CLI reads `TableName`. */
export const OUTPUTS = {
  apiUrl: 'ApiUrl',
  tableName: 'TableName',
  codeKeyArn: 'CodeKeyArn',
  fingerprintKeyArn: 'FingerprintKeyArn',
  alarmTopicArn: 'AlarmTopicArn',
} as const;

export function stackName(stage: string): string {
  return `CardVault-${stage}`;
}
