import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/**
 * Reads one output of a deployed stack with the caller's AWS credentials (operator tools only;
 * no Lambda needs CloudFormation).
 */
export async function readStackOutput(
  stackName: string,
  outputKey: string,
  region?: string,
): Promise<string> {
  const client = new CloudFormationClient(region ? { region } : {});
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    const value = Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === outputKey)?.OutputValue;
    if (!value) throw new Error(`stack ${stackName} has no output ${outputKey}`);
    return value;
  } catch (error) {
    throw new Error(`cannot read ${outputKey} of stack ${stackName}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    client.destroy();
  }
}
