// The page's as-typed ARN check (admin.js) against the cases the Rust core's tests use
// (tests/config.rs): what the page flags, the core refuses, and the other way round.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const { arnProblem, arnLinesProblems } = require(path.resolve(__dirname,
  '../src/main/resources/albauth-admin/admin.js'));

const ALB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188';

test('the ARN check accepts the ARNs of all three partitions that the core accepts', () => {
  for (const arn of [
    ALB,
    'arn:aws:elasticloadbalancing:ap-southeast-2:123456789012:loadbalancer/app/a-b/0123abcd',
    'arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws-cn:elasticloadbalancing:cn-northwest-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws-us-gov:elasticloadbalancing:us-gov-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
  ]) {
    assert.equal(arnProblem(arn), null, arn);
  }
});

test('the ARN check refuses every malformed or foreign ARN that the core refuses', () => {
  for (const arn of [
    'arn:aws:elasticloadbalancing',
    '',
    'arn:aws-iso:elasticloadbalancing:us-iso-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws-cn:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws-us-gov:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws:ec2:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws:elasticloadbalancing:US-EAST-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws:elasticloadbalancing:.:123456789012:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws:elasticloadbalancing:us-east-1:12345678901:loadbalancer/app/jira/50dc6c495c0c9188',
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/jira/50dc6c495c0c9188',
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira',
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/jira/50dc6c495c0c9188/x',
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/jira/50dc6c495c0c9188',
  ]) {
    assert.notEqual(arnProblem(arn), null, arn);
  }
});

test('the ARN check says what is wrong in the core\'s words', () => {
  assert.equal(arnProblem(ALB.replace('123456789012', '12345')), 'account is not 12 digits');
  assert.equal(arnProblem(ALB.replace('us-east-1', 'cn-north-1')), 'region `cn-north-1` is not in partition `aws`');
});

test('the ARN lines check names the line of each bad or repeated ARN and skips blank lines', () => {
  assert.deepEqual(arnLinesProblems(`${ALB}\n\n  arn:aws:nope  \n${ALB}\n`), [
    'Line 2: is not an ARN (arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID)',
    'Line 3: is a duplicate of line 1',
  ]);
});
