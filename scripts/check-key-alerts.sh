#!/usr/bin/env bash
# After a deploy: proves the key-change alert arrives. Puts the code key's policy back unchanged
# (a no-op PutKeyPolicy, which CloudTrail records and the KeyChanges rule matches), then waits for
# the rule to deliver it to the alarm topic: Invocations >= 1, no FailedInvocations, nothing in
# its dead-letter queue. The subscribed address receives the CloudTrail event too.
#   scripts/check-key-alerts.sh dev        (prod only with --prod: it is a real key-policy write)
set -euo pipefail
stage="${1:-dev}"
if [ "$stage" = prod ] && [ "${2:-}" != --prod ]; then
  echo "refusing to write the prod key policy without --prod" >&2
  exit 2
fi
stack="CardVault-$stage"
rule="$stack-KeyChanges"
output() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
key="$(output CodeKeyArn)"
since="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
policy="$(aws kms get-key-policy --key-id "$key" --policy-name default --query Policy --output text)"
aws kms put-key-policy --key-id "$key" --policy-name default --policy "$policy"
echo "put the code key's policy back unchanged at $since; waiting for $rule (CloudTrail takes up to ~5 minutes)"

sum() {
  aws cloudwatch get-metric-statistics --namespace AWS/Events --metric-name "$1" \
    --dimensions "Name=RuleName,Value=$rule" --start-time "$since" --end-time "$(date -u -d '+5 minutes' +%Y-%m-%dT%H:%M:%SZ)" \
    --period 60 --statistics Sum --query 'sum(Datapoints[].Sum)' --output text
}
for _ in $(seq 1 40); do
  sleep 15
  invoked="$(sum Invocations)"
  failed="$(sum FailedInvocations)"
  if [ "${failed%.*}" != None ] && [ "${failed%.*}" -gt 0 ] 2>/dev/null; then
    echo "FAILED: $rule could not publish to the alarm topic ($failed failed invocations): see its dead-letter queue and docs/operations.md" >&2
    exit 1
  fi
  if [ "${invoked%.*}" != None ] && [ "${invoked%.*}" -gt 0 ] 2>/dev/null; then
    sleep 60 # a failed publish is counted after the attempt: look once more
    failed="$(sum FailedInvocations)"
    if [ "${failed%.*}" != None ] && [ "${failed%.*}" -gt 0 ] 2>/dev/null; then
      echo "FAILED: $rule could not publish to the alarm topic: see its dead-letter queue" >&2
      exit 1
    fi
    echo "OK: $rule delivered the PutKeyPolicy event to $(output AlarmTopicArn) ($invoked invocation(s), no failure)"
    exit 0
  fi
done
echo "FAILED: no invocation of $rule in 10 minutes: is a CloudTrail trail logging management events in this region?" >&2
exit 1
