// The Stepline API driven by the official AWS SDK for JavaScript v3
// (@aws-sdk/client-sfn), as Node users drive it: node's built-in test runner,
// one server for the whole file (free loopback port, temporary SQLite file,
// stopped by PID at the end).
//
// Run with: STEPLINE_BINARY=path/to/stepline node --test sfn.test.mjs
// (tests/clients/js/run.sh installs the pinned SDK first and does exactly that.)

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import * as sfn from '@aws-sdk/client-sfn';

import { SteplineServer } from './stepline_server.mjs';

const {
  SFNClient,
  SFNServiceException,
  paginateGetExecutionHistory,
  paginateListExecutions,
  paginateListStateMachines,
} = sfn;

const ROLE = 'arn:aws:iam::123456789012:role/test';
const SM_PREFIX = 'arn:aws:states:us-east-1:123456789012:stateMachine:';
const PASS_CHAIN = {
  StartAt: 'A',
  States: {
    A: { Type: 'Pass', Result: { x: 1 }, ResultPath: '$.a', Next: 'B' },
    B: { Type: 'Pass', End: true },
  },
};
const SUCCEED = { StartAt: 'Only', States: { Only: { Type: 'Succeed' } } };
const WAIT_LONG = { StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } };
const FAILS = { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'MyError', Cause: 'because' } } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server;
let client; // the default client (host prefix injection on, as users have it)
let syncClient; // disableHostPrefix: true, for StartSyncExecution
let testStart;

function makeClient(extra = {}) {
  return new SFNClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    ...extra,
  });
}

// client.send(new <Name>Command(input)).
function call(name, input = {}, via = client) {
  const Command = sfn[`${name}Command`];
  assert.ok(Command, `no ${name}Command in @aws-sdk/client-sfn`);
  return via.send(new Command(input));
}

// Asserts the call fails with the SDK error `name`, HTTP `status` and a
// message equal to `message` (string) or matching it (RegExp). Returns the error.
async function expectError(promise, name, message, status = 400) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected ${name}, but the call succeeded`);
  assert.ok(error instanceof SFNServiceException, `not a service exception: ${error}`);
  assert.equal(error.name, name, `error name (message: ${error.message})`);
  assert.equal(error.$metadata.httpStatusCode, status, `HTTP status of ${name}`);
  assert.equal(error.$fault, status >= 500 ? 'server' : 'client');
  assert.match(error.$metadata.requestId, UUID);
  const Modeled = sfn[name];
  if (typeof Modeled === 'function') {
    assert.ok(error instanceof Modeled, `${name} is not deserialised as the modeled class`);
  }
  if (message instanceof RegExp) assert.match(error.message, message);
  else if (message !== undefined) assert.equal(error.message, message);
  return error;
}

// A Date from this test run (the SDK turns epoch-second numbers into Dates).
function assertRecentDate(value, what) {
  assert.ok(value instanceof Date, `${what} is not a Date: ${JSON.stringify(value)}`);
  assert.ok(!Number.isNaN(value.getTime()), `${what} is an invalid Date`);
  assert.ok(value.getTime() >= testStart - 1000, `${what} ${value.toISOString()} is before the test`);
  assert.ok(value.getTime() <= Date.now() + 1000, `${what} ${value.toISOString()} is in the future`);
}

function create(name, definition = PASS_CHAIN, extra = {}) {
  return call('CreateStateMachine', {
    name,
    definition: JSON.stringify(definition),
    roleArn: ROLE,
    ...extra,
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitDone(executionArn, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await call('DescribeExecution', { executionArn });
    if (d.status !== 'RUNNING') return d;
    if (Date.now() > deadline) assert.fail(`execution still RUNNING: ${executionArn}`);
    await sleep(20);
  }
}

// Waits until the execution's history holds an event of `type`.
async function waitForEvent(executionArn, type, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { events } = await call('GetExecutionHistory', { executionArn });
    if (events.some((e) => e.type === type)) return events;
    if (Date.now() > deadline) assert.fail(`no ${type} event in ${executionArn}`);
    await sleep(20);
  }
}

before(async () => {
  testStart = Date.now();
  const binary = process.env.STEPLINE_BINARY;
  assert.ok(binary, 'set STEPLINE_BINARY to the built stepline server');
  server = await new SteplineServer(binary).start();
  client = makeClient();
  syncClient = makeClient({ disableHostPrefix: true });
});

after(async () => {
  client?.destroy();
  syncClient?.destroy();
  await server?.close();
});

describe('state machines', () => {
  it('create, describe, update, describe and delete a state machine', async () => {
    const created = await create('crud');
    assert.equal(created.stateMachineArn, `${SM_PREFIX}crud`);
    assert.equal(created.$metadata.httpStatusCode, 200);
    assertRecentDate(created.creationDate, 'creationDate');
    assert.equal(created.stateMachineVersionArn, undefined);

    const d = await call('DescribeStateMachine', { stateMachineArn: created.stateMachineArn });
    assert.equal(d.stateMachineArn, created.stateMachineArn);
    assert.equal(d.name, 'crud');
    assert.equal(d.status, 'ACTIVE');
    assert.equal(d.type, 'STANDARD');
    assert.equal(d.roleArn, ROLE);
    assert.deepEqual(JSON.parse(d.definition), PASS_CHAIN);
    assert.deepEqual(d.loggingConfiguration, { level: 'OFF', includeExecutionData: false });
    assert.deepEqual(d.tracingConfiguration, { enabled: false });
    assert.equal(d.creationDate.getTime(), created.creationDate.getTime());
    assert.equal(d.revisionId, undefined, 'the initial revision has no revisionId');

    const updated = await call('UpdateStateMachine', {
      stateMachineArn: created.stateMachineArn,
      definition: JSON.stringify(SUCCEED),
    });
    assertRecentDate(updated.updateDate, 'updateDate');
    assert.match(updated.revisionId, UUID);
    const after1 = await call('DescribeStateMachine', { stateMachineArn: created.stateMachineArn });
    assert.deepEqual(JSON.parse(after1.definition), SUCCEED);
    assert.equal(after1.revisionId, updated.revisionId);

    const newRole = 'arn:aws:iam::123456789012:role/other';
    const roleOnly = await call('UpdateStateMachine', {
      stateMachineArn: created.stateMachineArn,
      roleArn: newRole,
    });
    assert.notEqual(roleOnly.revisionId, updated.revisionId);
    const after2 = await call('DescribeStateMachine', { stateMachineArn: created.stateMachineArn });
    assert.equal(after2.roleArn, newRole);
    assert.deepEqual(JSON.parse(after2.definition), SUCCEED);

    const deleted = await call('DeleteStateMachine', { stateMachineArn: created.stateMachineArn });
    assert.equal(deleted.$metadata.httpStatusCode, 200);
    await expectError(
      call('DescribeStateMachine', { stateMachineArn: created.stateMachineArn }),
      'StateMachineDoesNotExist',
      `State Machine Does Not Exist: '${created.stateMachineArn}'`,
    );
    // Deleting what is gone succeeds, as on AWS.
    await call('DeleteStateMachine', { stateMachineArn: created.stateMachineArn });
  });

  it('create is idempotent on the same configuration and conflicts otherwise', async () => {
    const a = await create('idem');
    const b = await create('idem');
    assert.equal(b.stateMachineArn, a.stateMachineArn);
    assert.equal(b.creationDate.getTime(), a.creationDate.getTime());
    await expectError(
      create('idem', SUCCEED),
      'StateMachineAlreadyExists',
      `State Machine Already Exists: '${a.stateMachineArn}'`,
    );
  });

  it('create rejects bad names, definitions, role ARNs and members', async () => {
    await expectError(create('bad name'), 'InvalidName', "Invalid Name: 'bad name'");
    await expectError(create('x'.repeat(81)), 'InvalidName', /^Invalid Name: 'x{81}'$/);
    const missing = await expectError(
      create('bad-def', { StartAt: 'Missing', States: { A: { Type: 'Succeed' } } }),
      'InvalidDefinition',
      /^Invalid State Machine Definition: '.*MISSING_TRANSITION_TARGET/,
    );
    assert.match(missing.message, /Missing/);
    await expectError(
      call('CreateStateMachine', { name: 'not-json', definition: '{"StartAt": ', roleArn: ROLE }),
      'InvalidDefinition',
      /^Invalid State Machine Definition: /,
    );
    await expectError(
      call('CreateStateMachine', { name: 'bad-role', definition: JSON.stringify(SUCCEED), roleArn: 'nope' }),
      'InvalidArn',
      /'nope'/,
    );
    await expectError(
      create('bad-type', SUCCEED, { type: 'BOGUS' }),
      'ValidationException',
      "1 validation error detected: Value 'BOGUS' at 'type' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [STANDARD, EXPRESS]',
    );
    await expectError(
      call('CreateStateMachine', { definition: JSON.stringify(SUCCEED), roleArn: ROLE }),
      'ValidationException',
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: " +
        'Member must not be null',
    );
    await expectError(
      create('bad-desc', SUCCEED, { versionDescription: 'v' }),
      'ValidationException',
      /publish/,
    );
  });

  it('describe, update and delete reject malformed and unknown ARNs', async () => {
    await expectError(
      call('DescribeStateMachine', { stateMachineArn: 'nope' }),
      'InvalidArn',
      "Invalid Arn: 'Invalid ARN prefix: nope'",
    );
    await expectError(
      call('DescribeStateMachine', {
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:execution:x:y',
      }),
      'InvalidArn',
      /^Invalid Arn: /,
    );
    const unknown = `${SM_PREFIX}never-created`;
    await expectError(
      call('UpdateStateMachine', { stateMachineArn: unknown, definition: JSON.stringify(SUCCEED) }),
      'StateMachineDoesNotExist',
      `State Machine Does Not Exist: '${unknown}'`,
    );
    await expectError(call('DeleteStateMachine', { stateMachineArn: 'nope' }), 'InvalidArn');
    const { stateMachineArn } = await create('update-errors');
    await expectError(
      call('UpdateStateMachine', { stateMachineArn }),
      'MissingRequiredParameter',
      /^Either the definition, the role ARN/,
    );
    await expectError(
      call('UpdateStateMachine', { stateMachineArn, definition: '{"StartAt":"X","States":{}}' }),
      'InvalidDefinition',
      /^Invalid State Machine Definition: /,
    );
  });

  it('ListStateMachines pages with maxResults and nextToken, never repeating a token', async () => {
    const names = ['page-1', 'page-2', 'page-3', 'page-4', 'page-5'];
    for (const name of names) await create(name, SUCCEED);
    const seen = [];
    const tokens = new Set();
    let nextToken;
    let pages = 0;
    do {
      const page = await call('ListStateMachines', { maxResults: 2, ...(nextToken ? { nextToken } : {}) });
      pages += 1;
      assert.ok(page.stateMachines.length <= 2, `page of ${page.stateMachines.length}`);
      for (const item of page.stateMachines) {
        assert.equal(item.stateMachineArn, SM_PREFIX + item.name);
        assert.equal(item.type, 'STANDARD');
        assertRecentDate(item.creationDate, 'creationDate');
        seen.push(item.name);
      }
      nextToken = page.nextToken;
      if (nextToken) {
        assert.ok(!tokens.has(nextToken), 'the same nextToken came twice');
        tokens.add(nextToken);
      }
    } while (nextToken);
    assert.equal(new Set(seen).size, seen.length, `duplicates in ${seen}`);
    for (const name of names) assert.ok(seen.includes(name), `${name} not listed`);
    assert.ok(pages >= 3, `${seen.length} machines in ${pages} pages of 2`);

    const viaPaginator = [];
    for await (const page of paginateListStateMachines({ client, pageSize: 2 }, {})) {
      viaPaginator.push(...page.stateMachines.map((m) => m.name));
    }
    assert.deepEqual(viaPaginator, seen);

    await expectError(
      call('ListStateMachines', { maxResults: 1001 }),
      'ValidationException',
      "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy constraint: " +
        'Member must have value less than or equal to 1000',
    );
    await expectError(call('ListStateMachines', { nextToken: 'garbage' }), 'InvalidToken');
  });

  it('a state machine with running executions is DELETING until they close', async () => {
    const { stateMachineArn } = await create('deleting', WAIT_LONG);
    const { executionArn } = await call('StartExecution', { stateMachineArn });
    await call('DeleteStateMachine', { stateMachineArn });
    const d = await call('DescribeStateMachine', { stateMachineArn });
    assert.equal(d.status, 'DELETING');
    await expectError(
      call('StartExecution', { stateMachineArn }),
      'StateMachineDeleting',
      `State machine is being deleted: '${stateMachineArn}'`,
    );
    await call('StopExecution', { executionArn });
    await waitDone(executionArn);
    await expectError(call('DescribeStateMachine', { stateMachineArn }), 'StateMachineDoesNotExist');
  });
});

describe('executions', () => {
  it('StartExecution named and unnamed, DescribeExecution of the outcome', async () => {
    const { stateMachineArn } = await create('run');
    const named = await call('StartExecution', { stateMachineArn, name: 'first', input: '{"k": "v"}' });
    assert.equal(named.executionArn, 'arn:aws:states:us-east-1:123456789012:execution:run:first');
    assertRecentDate(named.startDate, 'startDate');

    const d = await waitDone(named.executionArn);
    assert.equal(d.status, 'SUCCEEDED');
    assert.equal(d.executionArn, named.executionArn);
    assert.equal(d.stateMachineArn, stateMachineArn);
    assert.equal(d.name, 'first');
    assert.deepEqual(JSON.parse(d.input), { k: 'v' });
    assert.deepEqual(JSON.parse(d.output), { k: 'v', a: { x: 1 } });
    assert.deepEqual(d.inputDetails, { included: true });
    assert.deepEqual(d.outputDetails, { included: true });
    assert.equal(d.startDate.getTime(), named.startDate.getTime());
    assertRecentDate(d.stopDate, 'stopDate');
    assert.ok(d.stopDate >= d.startDate);
    assert.equal(d.redriveCount, 0);
    assert.equal(d.redriveStatus, 'NOT_REDRIVABLE');

    const unnamed = await call('StartExecution', { stateMachineArn });
    const match = /^arn:aws:states:us-east-1:123456789012:execution:run:(.+)$/.exec(unnamed.executionArn);
    assert.ok(match, unnamed.executionArn);
    assert.match(match[1], UUID);
    const u = await waitDone(unnamed.executionArn);
    assert.equal(u.name, match[1]);
    assert.deepEqual(JSON.parse(u.input), {});
  });

  it('StartExecution is idempotent on name and input while running, ExecutionAlreadyExists otherwise', async () => {
    const { stateMachineArn } = await create('rules', WAIT_LONG);
    const a = await call('StartExecution', { stateMachineArn, name: 'same', input: '{"n":1}' });
    const b = await call('StartExecution', { stateMachineArn, name: 'same', input: '{"n":1}' });
    assert.equal(b.executionArn, a.executionArn);
    assert.equal(b.startDate.getTime(), a.startDate.getTime());
    await expectError(
      call('StartExecution', { stateMachineArn, name: 'same', input: '{"n":2}' }),
      'ExecutionAlreadyExists',
      `Execution Already Exists: '${a.executionArn}'`,
    );
    await call('StopExecution', { executionArn: a.executionArn });
    await waitDone(a.executionArn);
    // Once closed, even the same input may not reuse the name.
    await expectError(
      call('StartExecution', { stateMachineArn, name: 'same', input: '{"n":1}' }),
      'ExecutionAlreadyExists',
      `Execution Already Exists: '${a.executionArn}'`,
    );
  });

  it('StartExecution rejects bad input, names and ARNs', async () => {
    const { stateMachineArn } = await create('start-errors', SUCCEED);
    await expectError(
      call('StartExecution', { stateMachineArn, input: '{not json' }),
      'InvalidExecutionInput',
      /^Invalid State Machine Execution Input: /,
    );
    await expectError(
      call('StartExecution', { stateMachineArn, input: JSON.stringify({ s: 'x'.repeat(262144) }) }),
      'InvalidExecutionInput',
      /^Invalid State Machine Execution Input: /,
    );
    await expectError(
      call('StartExecution', { stateMachineArn, name: 'has space' }),
      'InvalidName',
      "Invalid Name: 'has space'",
    );
    await expectError(
      call('StartExecution', { stateMachineArn: `${stateMachineArn}-missing` }),
      'StateMachineDoesNotExist',
      `State Machine Does Not Exist: '${stateMachineArn}-missing'`,
    );
    await expectError(call('StartExecution', { stateMachineArn: 'nope' }), 'InvalidArn');
    await expectError(
      call('StartExecution', {}),
      'ValidationException',
      "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: " +
        'Member must not be null',
    );
  });

  it('DescribeExecution of unknown and malformed ARNs', async () => {
    const unknown = 'arn:aws:states:us-east-1:123456789012:execution:no:no';
    await expectError(
      call('DescribeExecution', { executionArn: unknown }),
      'ExecutionDoesNotExist',
      `Execution Does Not Exist: '${unknown}'`,
    );
    await expectError(call('DescribeExecution', { executionArn: 'nope' }), 'InvalidArn', /^Invalid Arn: /);
    await expectError(call('DescribeExecution', { executionArn: `${SM_PREFIX}run` }), 'InvalidArn');
  });

  it('a Fail state gives a FAILED execution with error and cause', async () => {
    const { stateMachineArn } = await create('fails', FAILS);
    const { executionArn } = await call('StartExecution', { stateMachineArn });
    const d = await waitDone(executionArn);
    assert.equal(d.status, 'FAILED');
    assert.equal(d.error, 'MyError');
    assert.equal(d.cause, 'because');
    assert.equal(d.output, undefined);
    assert.equal(d.redriveStatus, 'REDRIVABLE');
    const { events } = await call('GetExecutionHistory', { executionArn, reverseOrder: true });
    assert.equal(events[0].type, 'ExecutionFailed');
    assert.deepEqual(events[0].executionFailedEventDetails, { error: 'MyError', cause: 'because' });
  });

  it('StopExecution aborts a Wait; ListExecutions filters by status', async () => {
    const { stateMachineArn } = await create('stoppable', WAIT_LONG);
    const { executionArn } = await call('StartExecution', { stateMachineArn, name: 's1', input: '{"w":1}' });
    await waitForEvent(executionArn, 'WaitStateEntered');

    const running = await call('ListExecutions', { stateMachineArn, statusFilter: 'RUNNING' });
    assert.deepEqual(running.executions.map((e) => e.name), ['s1']);
    assert.equal(running.executions[0].status, 'RUNNING');
    assert.equal(running.executions[0].stopDate, undefined);
    assertRecentDate(running.executions[0].startDate, 'startDate');

    const stopped = await call('StopExecution', { executionArn, error: 'E', cause: 'C' });
    assertRecentDate(stopped.stopDate, 'stopDate');
    const d = await waitDone(executionArn);
    assert.equal(d.status, 'ABORTED');
    assert.equal(d.error, 'E');
    assert.equal(d.cause, 'C');
    assert.equal(d.stopDate.getTime(), stopped.stopDate.getTime());
    assert.equal(d.redriveStatus, 'REDRIVABLE');

    const { events } = await call('GetExecutionHistory', { executionArn });
    assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
    assert.deepEqual(events.at(-1).executionAbortedEventDetails, { error: 'E', cause: 'C' });
    // As AWS records it: the abort points where WaitStateEntered pointed.
    assert.equal(events.at(-1).previousEventId, events[1].previousEventId);

    assert.deepEqual((await call('ListExecutions', { stateMachineArn, statusFilter: 'RUNNING' })).executions, []);
    const aborted = await call('ListExecutions', { stateMachineArn, statusFilter: 'ABORTED' });
    assert.deepEqual(aborted.executions.map((e) => e.executionArn), [executionArn]);
    assertRecentDate(aborted.executions[0].stopDate, 'stopDate');

    const unknown = `${executionArn}-missing`;
    await expectError(
      call('StopExecution', { executionArn: unknown }),
      'ExecutionDoesNotExist',
      `Execution Does Not Exist: '${unknown}'`,
    );
    await expectError(call('StopExecution', { executionArn: 'nope' }), 'InvalidArn');
    await expectError(
      call('StopExecution', { executionArn, error: 'e'.repeat(257) }),
      'ValidationException',
      "1 validation error detected: Value at 'error' failed to satisfy constraint: " +
        'Member must have length less than or equal to 256',
    );
  });

  it('ListExecutions lists newest first, pages, and rejects bad filters and targets', async () => {
    const { stateMachineArn } = await create('listed', SUCCEED);
    const arns = [];
    for (const name of ['l1', 'l2', 'l3']) {
      const { executionArn } = await call('StartExecution', { stateMachineArn, name });
      await waitDone(executionArn);
      arns.push(executionArn);
      await sleep(5);
    }
    const all = await call('ListExecutions', { stateMachineArn, statusFilter: 'SUCCEEDED' });
    assert.deepEqual(all.executions.map((e) => e.name), ['l3', 'l2', 'l1']);
    for (const e of all.executions) {
      assert.equal(e.stateMachineArn, stateMachineArn);
      assert.equal(e.status, 'SUCCEEDED');
      assertRecentDate(e.startDate, 'startDate');
      assertRecentDate(e.stopDate, 'stopDate');
      assert.equal(e.redriveCount, 0);
    }
    assert.deepEqual((await call('ListExecutions', { stateMachineArn, statusFilter: 'FAILED' })).executions, []);

    const paged = [];
    const tokens = new Set();
    let nextToken;
    do {
      const page = await call('ListExecutions', { stateMachineArn, maxResults: 1, ...(nextToken ? { nextToken } : {}) });
      assert.ok(page.executions.length <= 1);
      paged.push(...page.executions.map((e) => e.name));
      nextToken = page.nextToken;
      if (nextToken) {
        assert.ok(!tokens.has(nextToken), 'the same nextToken came twice');
        tokens.add(nextToken);
      }
    } while (nextToken);
    assert.deepEqual(paged, ['l3', 'l2', 'l1']);
    const viaPaginator = [];
    for await (const page of paginateListExecutions({ client, pageSize: 2 }, { stateMachineArn })) {
      viaPaginator.push(...page.executions.map((e) => e.name));
    }
    assert.deepEqual(viaPaginator, ['l3', 'l2', 'l1']);

    await expectError(
      call('ListExecutions', { stateMachineArn, statusFilter: 'BOGUS' }),
      'ValidationException',
      "1 validation error detected: Value 'BOGUS' at 'statusFilter' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]',
    );
    const missing = await expectError(
      call('ListExecutions', {}),
      'ValidationException',
      'Must provide a StateMachine ARN or a MapRun ARN',
    );
    assert.equal(missing.reason, 'MISSING_REQUIRED_PARAMETER');
    await expectError(
      call('ListExecutions', { stateMachineArn: `${SM_PREFIX}never-created` }),
      'StateMachineDoesNotExist',
      `State Machine Does Not Exist: '${SM_PREFIX}never-created'`,
    );
    await expectError(call('ListExecutions', { stateMachineArn: 'nope' }), 'InvalidArn');
    await expectError(call('ListExecutions', { stateMachineArn, nextToken: 'garbage' }), 'InvalidToken');
    const express = await create('listed-express', SUCCEED, { type: 'EXPRESS' });
    await expectError(
      call('ListExecutions', { stateMachineArn: express.stateMachineArn }),
      'StateMachineTypeNotSupported',
    );
  });
});

describe('history', () => {
  let executionArn;
  const TYPES = [
    'ExecutionStarted',
    'PassStateEntered',
    'PassStateExited',
    'PassStateEntered',
    'PassStateExited',
    'ExecutionSucceeded',
  ];

  before(async () => {
    const { stateMachineArn } = await create('history');
    ({ executionArn } = await call('StartExecution', { stateMachineArn, name: 'h', input: '{"k":"v"}' }));
    await waitDone(executionArn);
  });

  it('GetExecutionHistory returns the events in order with Date timestamps and details', async () => {
    const { events, nextToken } = await call('GetExecutionHistory', { executionArn });
    assert.equal(nextToken, undefined);
    assert.deepEqual(events.map((e) => e.type), TYPES);
    assert.deepEqual(events.map((e) => e.id), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(events.map((e) => e.previousEventId), [0, 0, 2, 3, 4, 5]);
    for (const e of events) assertRecentDate(e.timestamp, `${e.type} timestamp`);
    for (let i = 1; i < events.length; ++i) assert.ok(events[i].timestamp >= events[i - 1].timestamp);
    const started = events[0].executionStartedEventDetails;
    assert.deepEqual(JSON.parse(started.input), { k: 'v' });
    assert.equal(started.roleArn, ROLE);
    assert.deepEqual(started.inputDetails, { truncated: false });
    assert.equal(events[1].stateEnteredEventDetails.name, 'A');
    assert.equal(events[2].stateExitedEventDetails.name, 'A');
    assert.deepEqual(JSON.parse(events[2].stateExitedEventDetails.output), { k: 'v', a: { x: 1 } });
    assert.deepEqual(JSON.parse(events[5].executionSucceededEventDetails.output), { k: 'v', a: { x: 1 } });
  });

  it('reverseOrder returns the newest event first', async () => {
    const { events } = await call('GetExecutionHistory', { executionArn, reverseOrder: true });
    assert.deepEqual(events.map((e) => e.id), [6, 5, 4, 3, 2, 1]);
    assert.deepEqual(events.map((e) => e.type), [...TYPES].reverse());
  });

  it('includeExecutionData: false leaves out inputs and outputs only', async () => {
    const { events } = await call('GetExecutionHistory', { executionArn, includeExecutionData: false });
    assert.deepEqual(events.map((e) => e.type), TYPES);
    const started = events[0].executionStartedEventDetails;
    assert.equal(started.input, undefined);
    assert.equal(started.roleArn, ROLE);
    assert.equal(events[1].stateEnteredEventDetails.name, 'A');
    assert.equal(events[1].stateEnteredEventDetails.input, undefined);
    assert.equal(events[2].stateExitedEventDetails.output, undefined);
    assert.equal(events[5].executionSucceededEventDetails.output, undefined);
    const withData = await call('GetExecutionHistory', { executionArn, includeExecutionData: true });
    assert.deepEqual(JSON.parse(withData.events[0].executionStartedEventDetails.input), { k: 'v' });
  });

  it('pages with maxResults and nextToken, forwards and in reverse', async () => {
    for (const reverseOrder of [false, true]) {
      const ids = [];
      const tokens = new Set();
      let nextToken;
      do {
        const page = await call('GetExecutionHistory', {
          executionArn,
          maxResults: 4,
          reverseOrder,
          ...(nextToken ? { nextToken } : {}),
        });
        assert.ok(page.events.length <= 4);
        ids.push(...page.events.map((e) => e.id));
        nextToken = page.nextToken;
        if (nextToken) {
          assert.ok(!tokens.has(nextToken), 'the same nextToken came twice');
          tokens.add(nextToken);
        }
      } while (nextToken);
      assert.deepEqual(ids, reverseOrder ? [6, 5, 4, 3, 2, 1] : [1, 2, 3, 4, 5, 6]);
    }
    const viaPaginator = [];
    for await (const page of paginateGetExecutionHistory({ client, pageSize: 2 }, { executionArn })) {
      viaPaginator.push(...page.events.map((e) => e.id));
    }
    assert.deepEqual(viaPaginator, [1, 2, 3, 4, 5, 6]);
  });

  it('rejects unknown executions, bad ARNs, tokens and page sizes', async () => {
    const unknown = `${executionArn}-missing`;
    await expectError(
      call('GetExecutionHistory', { executionArn: unknown }),
      'ExecutionDoesNotExist',
      `Execution Does Not Exist: '${unknown}'`,
    );
    await expectError(call('GetExecutionHistory', { executionArn: 'nope' }), 'InvalidArn');
    await expectError(call('GetExecutionHistory', { executionArn, nextToken: 'garbage' }), 'InvalidToken');
    await expectError(
      call('GetExecutionHistory', { executionArn, maxResults: -1 }),
      'ValidationException',
      "1 validation error detected: Value '-1' at 'maxResults' failed to satisfy constraint: " +
        'Member must have value greater than or equal to 0',
    );
  });

  it('DescribeStateMachineForExecution gives the definition the execution ran', async () => {
    const { stateMachineArn } = await create('for-execution', WAIT_LONG);
    const { executionArn: running } = await call('StartExecution', { stateMachineArn });
    const upd = await call('UpdateStateMachine', { stateMachineArn, definition: JSON.stringify(SUCCEED) });
    const d = await call('DescribeStateMachineForExecution', { executionArn: running });
    assert.equal(d.stateMachineArn, stateMachineArn);
    assert.equal(d.name, 'for-execution');
    assert.deepEqual(JSON.parse(d.definition), WAIT_LONG);
    assert.equal(d.roleArn, ROLE);
    assertRecentDate(d.updateDate, 'updateDate');
    assert.deepEqual(d.loggingConfiguration, { level: 'OFF', includeExecutionData: false });
    assert.deepEqual(d.tracingConfiguration, { enabled: false });

    const { executionArn: later } = await call('StartExecution', { stateMachineArn });
    const d2 = await call('DescribeStateMachineForExecution', { executionArn: later });
    assert.deepEqual(JSON.parse(d2.definition), SUCCEED);
    assert.equal(d2.revisionId, upd.revisionId);
    await call('StopExecution', { executionArn: running });

    const unknown = `${running}-missing`;
    await expectError(
      call('DescribeStateMachineForExecution', { executionArn: unknown }),
      'ExecutionDoesNotExist',
      `Execution Does Not Exist: '${unknown}'`,
    );
    await expectError(call('DescribeStateMachineForExecution', { executionArn: 'nope' }), 'InvalidArn');
  });
});

describe('express', () => {
  it('StartSyncExecution (disableHostPrefix) answers with the closed execution', async () => {
    const { stateMachineArn } = await create('sync', PASS_CHAIN, { type: 'EXPRESS' });
    const d = await call('DescribeStateMachine', { stateMachineArn });
    assert.equal(d.type, 'EXPRESS');

    const r = await call('StartSyncExecution', { stateMachineArn, name: 'sync-1', input: '{"k":2}' }, syncClient);
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.stateMachineArn, stateMachineArn);
    assert.equal(r.name, 'sync-1');
    assert.match(r.executionArn, /^arn:aws:states:us-east-1:123456789012:express:sync:sync-1:[0-9a-f-]{36}$/);
    assert.deepEqual(JSON.parse(r.input), { k: 2 });
    assert.deepEqual(JSON.parse(r.output), { k: 2, a: { x: 1 } });
    assert.deepEqual(r.inputDetails, { included: true });
    assert.deepEqual(r.outputDetails, { included: true });
    assertRecentDate(r.startDate, 'startDate');
    assertRecentDate(r.stopDate, 'stopDate');
    assert.ok(r.stopDate >= r.startDate);
    assert.equal(typeof r.billingDetails.billedDurationInMilliseconds, 'number');
    assert.equal(typeof r.billingDetails.billedMemoryUsedInMB, 'number');

    const unnamed = await call('StartSyncExecution', { stateMachineArn }, syncClient);
    assert.match(unnamed.name, UUID);
    assert.deepEqual(JSON.parse(unnamed.output), { a: { x: 1 } });
  });

  it('StartSyncExecution reports a failure in the body and rejects bad requests', async () => {
    const { stateMachineArn } = await create('sync-fails', FAILS, { type: 'EXPRESS' });
    const r = await call('StartSyncExecution', { stateMachineArn }, syncClient);
    assert.equal(r.$metadata.httpStatusCode, 200);
    assert.equal(r.status, 'FAILED');
    assert.equal(r.error, 'MyError');
    assert.equal(r.cause, 'because');
    assert.equal(r.output, undefined);

    const standard = await create('sync-standard', SUCCEED);
    await expectError(
      call('StartSyncExecution', { stateMachineArn: standard.stateMachineArn }, syncClient),
      'StateMachineTypeNotSupported',
      /not supported by this type of state machine/,
    );
    await expectError(
      call('StartSyncExecution', { stateMachineArn: `${SM_PREFIX}never-created` }, syncClient),
      'StateMachineDoesNotExist',
    );
    await expectError(
      call('StartSyncExecution', { stateMachineArn, input: '[' }, syncClient),
      'InvalidExecutionInput',
    );
    await expectError(call('StartSyncExecution', { stateMachineArn, name: 'a b' }, syncClient), 'InvalidName');
  });

  it('StartExecution on an EXPRESS machine returns an express ARN', async () => {
    const { stateMachineArn } = await create('async-express', SUCCEED, { type: 'EXPRESS' });
    const r = await call('StartExecution', { stateMachineArn, name: 'e1' });
    assert.match(r.executionArn, /^arn:aws:states:us-east-1:123456789012:express:async-express:e1:[0-9a-f-]{36}$/);
    assertRecentDate(r.startDate, 'startDate');
  });
});

describe('versions and aliases', () => {
  it('publish, list, describe, run and delete versions', async () => {
    const created = await create('versioned', PASS_CHAIN, { publish: true, versionDescription: 'first' });
    const sm = created.stateMachineArn;
    assert.equal(created.stateMachineVersionArn, `${sm}:1`);

    const upd = await call('UpdateStateMachine', { stateMachineArn: sm, definition: JSON.stringify(SUCCEED) });
    const v2 = await call('PublishStateMachineVersion', { stateMachineArn: sm, description: 'second' });
    assert.equal(v2.stateMachineVersionArn, `${sm}:2`);
    assertRecentDate(v2.creationDate, 'creationDate');
    // Publishing an unchanged revision again answers the same version.
    const again = await call('PublishStateMachineVersion', { stateMachineArn: sm });
    assert.equal(again.stateMachineVersionArn, `${sm}:2`);
    assert.equal(again.creationDate.getTime(), v2.creationDate.getTime());

    const listed = await call('ListStateMachineVersions', { stateMachineArn: sm });
    assert.deepEqual(listed.stateMachineVersions.map((v) => v.stateMachineVersionArn), [`${sm}:2`, `${sm}:1`]);
    for (const v of listed.stateMachineVersions) assertRecentDate(v.creationDate, 'creationDate');
    const page = await call('ListStateMachineVersions', { stateMachineArn: sm, maxResults: 1 });
    assert.equal(page.stateMachineVersions.length, 1);
    assert.ok(page.nextToken);
    const rest = await call('ListStateMachineVersions', { stateMachineArn: sm, maxResults: 1, nextToken: page.nextToken });
    assert.deepEqual(rest.stateMachineVersions.map((v) => v.stateMachineVersionArn), [`${sm}:1`]);

    const d1 = await call('DescribeStateMachine', { stateMachineArn: `${sm}:1` });
    assert.equal(d1.stateMachineArn, `${sm}:1`);
    assert.deepEqual(JSON.parse(d1.definition), PASS_CHAIN);
    assert.equal(d1.description, 'first');
    const d2 = await call('DescribeStateMachine', { stateMachineArn: `${sm}:2` });
    assert.deepEqual(JSON.parse(d2.definition), SUCCEED);
    assert.equal(d2.description, 'second');
    assert.equal(d2.revisionId, upd.revisionId);

    const run = await call('StartExecution', { stateMachineArn: `${sm}:1`, input: '{"v":1}' });
    assert.match(run.executionArn, /^arn:aws:states:us-east-1:123456789012:execution:versioned:[0-9a-f-]{36}$/);
    const done = await waitDone(run.executionArn);
    assert.equal(done.stateMachineVersionArn, `${sm}:1`);
    assert.deepEqual(JSON.parse(done.output), { v: 1, a: { x: 1 } });
    const byVersion = await call('ListExecutions', { stateMachineArn: `${sm}:1` });
    assert.deepEqual(byVersion.executions.map((e) => e.executionArn), [run.executionArn]);
    assert.equal(byVersion.executions[0].stateMachineVersionArn, `${sm}:1`);
    const forExecution = await call('DescribeStateMachineForExecution', { executionArn: run.executionArn });
    assert.deepEqual(JSON.parse(forExecution.definition), PASS_CHAIN);

    const conflict = await call('UpdateStateMachine', { stateMachineArn: sm, definition: JSON.stringify(WAIT_LONG) });
    assert.notEqual(conflict.revisionId, upd.revisionId);
    await expectError(
      call('PublishStateMachineVersion', { stateMachineArn: sm, revisionId: upd.revisionId }),
      'ConflictException',
      `Failed to publish the State Machine version for revision ${upd.revisionId}. ` +
        `The current State Machine revision is ${conflict.revisionId}.`,
      409,
    );
    const published = await call('UpdateStateMachine', {
      stateMachineArn: sm,
      definition: JSON.stringify(FAILS),
      publish: true,
      versionDescription: 'third',
    });
    assert.equal(published.stateMachineVersionArn, `${sm}:3`);

    await call('DeleteStateMachineVersion', { stateMachineVersionArn: `${sm}:2` });
    const afterDelete = await call('ListStateMachineVersions', { stateMachineArn: sm });
    assert.deepEqual(afterDelete.stateMachineVersions.map((v) => v.stateMachineVersionArn), [`${sm}:3`, `${sm}:1`]);
    await expectError(
      call('DescribeStateMachine', { stateMachineArn: `${sm}:2` }),
      'StateMachineDoesNotExist',
      `State Machine Does Not Exist: '${sm}:2'`,
    );
    await expectError(call('StartExecution', { stateMachineArn: `${sm}:2` }), 'StateMachineDoesNotExist');
  });

  it('version actions reject unknown machines and wrong ARN kinds', async () => {
    const unknown = `${SM_PREFIX}never-created`;
    await expectError(
      call('PublishStateMachineVersion', { stateMachineArn: unknown }),
      'StateMachineDoesNotExist',
      `State Machine Does Not Exist: '${unknown}'`,
    );
    await expectError(call('ListStateMachineVersions', { stateMachineArn: unknown }), 'StateMachineDoesNotExist');
    await expectError(call('ListStateMachineVersions', { stateMachineArn: 'nope' }), 'InvalidArn');
    await expectError(call('DeleteStateMachineVersion', { stateMachineVersionArn: unknown }), 'InvalidArn');
    await expectError(
      call('UpdateStateMachine', { stateMachineArn: `${unknown}:1`, definition: JSON.stringify(SUCCEED) }),
      'InvalidArn',
      /^Invalid Arn: 'Qualified state machine ARNs are not valid in this context/,
    );
  });

  it('create, describe, update, route through, list and delete aliases', async () => {
    const created = await create('aliased', PASS_CHAIN, { publish: true });
    const sm = created.stateMachineArn;
    await call('UpdateStateMachine', { stateMachineArn: sm, definition: JSON.stringify(SUCCEED), publish: true });
    const v1 = `${sm}:1`;
    const v2 = `${sm}:2`;

    const alias = await call('CreateStateMachineAlias', {
      name: 'live',
      description: 'production',
      routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }],
    });
    assert.equal(alias.stateMachineAliasArn, `${sm}:live`);
    assertRecentDate(alias.creationDate, 'creationDate');
    const same = await call('CreateStateMachineAlias', {
      name: 'live',
      description: 'production',
      routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }],
    });
    assert.equal(same.stateMachineAliasArn, alias.stateMachineAliasArn);
    await expectError(
      call('CreateStateMachineAlias', {
        name: 'live',
        routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }],
      }),
      'ConflictException',
      /an alias with the same name and a different routing configuration already exists/,
      409,
    );

    const d = await call('DescribeStateMachineAlias', { stateMachineAliasArn: alias.stateMachineAliasArn });
    assert.equal(d.stateMachineAliasArn, alias.stateMachineAliasArn);
    assert.equal(d.name, 'live');
    assert.equal(d.description, 'production');
    assert.deepEqual(d.routingConfiguration, [{ stateMachineVersionArn: v1, weight: 100 }]);
    assertRecentDate(d.creationDate, 'creationDate');
    assertRecentDate(d.updateDate, 'updateDate');

    const run = await call('StartExecution', { stateMachineArn: alias.stateMachineAliasArn, input: '{}' });
    const done = await waitDone(run.executionArn);
    assert.equal(done.stateMachineAliasArn, alias.stateMachineAliasArn);
    assert.equal(done.stateMachineVersionArn, v1);
    assert.deepEqual(JSON.parse(done.output), { a: { x: 1 } });
    const byAlias = await call('ListExecutions', { stateMachineArn: alias.stateMachineAliasArn });
    assert.deepEqual(byAlias.executions.map((e) => e.executionArn), [run.executionArn]);

    const upd = await call('UpdateStateMachineAlias', {
      stateMachineAliasArn: alias.stateMachineAliasArn,
      routingConfiguration: [
        { stateMachineVersionArn: v1, weight: 0 },
        { stateMachineVersionArn: v2, weight: 100 },
      ],
    });
    assertRecentDate(upd.updateDate, 'updateDate');
    const d2 = await call('DescribeStateMachineAlias', { stateMachineAliasArn: alias.stateMachineAliasArn });
    assert.deepEqual(d2.routingConfiguration.map((r) => r.weight), [0, 100]);
    assert.equal(d2.description, 'production');
    const routed = await call('StartExecution', { stateMachineArn: alias.stateMachineAliasArn });
    assert.equal((await waitDone(routed.executionArn)).stateMachineVersionArn, v2);

    const bad = await expectError(
      call('UpdateStateMachineAlias', {
        stateMachineAliasArn: alias.stateMachineAliasArn,
        routingConfiguration: [
          { stateMachineVersionArn: v1, weight: 50 },
          { stateMachineVersionArn: v2, weight: 40 },
        ],
      }),
      'ValidationException',
      'Sum of routing configuration weights must be equal to 100',
    );
    assert.equal(bad.reason, 'INVALID_ROUTING_CONFIGURATION');
    await expectError(
      call('UpdateStateMachineAlias', { stateMachineAliasArn: alias.stateMachineAliasArn }),
      'ValidationException',
      /^Either the description or the RoutingConfiguration must be specified/,
    );
    await expectError(
      call('DeleteStateMachineVersion', { stateMachineVersionArn: v2 }),
      'ConflictException',
      /^Version to be deleted must not be referenced by an alias/,
      409,
    );

    const listed = await call('ListStateMachineAliases', { stateMachineArn: sm });
    assert.deepEqual(listed.stateMachineAliases.map((a) => a.stateMachineAliasArn), [alias.stateMachineAliasArn]);
    assertRecentDate(listed.stateMachineAliases[0].creationDate, 'creationDate');

    await call('DeleteStateMachineAlias', { stateMachineAliasArn: alias.stateMachineAliasArn });
    await expectError(
      call('DescribeStateMachineAlias', { stateMachineAliasArn: alias.stateMachineAliasArn }),
      'ResourceNotFound',
      `Resource not found: '${alias.stateMachineAliasArn}'`,
    );
    assert.deepEqual((await call('ListStateMachineAliases', { stateMachineArn: sm })).stateMachineAliases, []);
    await call('DeleteStateMachineVersion', { stateMachineVersionArn: v2 });
  });

  it('alias actions reject bad names, routes and unknown aliases', async () => {
    const { stateMachineArn: sm } = await create('alias-errors', SUCCEED, { publish: true });
    await expectError(
      call('CreateStateMachineAlias', {
        name: 'has space',
        routingConfiguration: [{ stateMachineVersionArn: `${sm}:1`, weight: 100 }],
      }),
      'InvalidName',
      "Invalid Name: 'has space'",
    );
    const missingVersion = await expectError(
      call('CreateStateMachineAlias', {
        name: 'ghost',
        routingConfiguration: [{ stateMachineVersionArn: `${sm}:9`, weight: 100 }],
      }),
      'ResourceNotFound',
      `Resource not found: '${sm}:9'`,
    );
    assert.equal(missingVersion.resourceName, `${sm}:9`);
    await expectError(
      call('CreateStateMachineAlias', { name: 'empty', routingConfiguration: [] }),
      'ValidationException',
      /routingConfiguration/,
    );
    await expectError(
      call('DescribeStateMachineAlias', { stateMachineAliasArn: `${sm}:nope` }),
      'ResourceNotFound',
    );
    await expectError(call('DescribeStateMachineAlias', { stateMachineAliasArn: sm }), 'InvalidArn');
    await expectError(call('DeleteStateMachineAlias', { stateMachineAliasArn: `${sm}:nope` }), 'ResourceNotFound');
    await expectError(
      call('ListStateMachineAliases', { stateMachineArn: `${SM_PREFIX}never-created` }),
      'StateMachineDoesNotExist',
    );
  });
});

describe('tags', () => {
  it('tag, list and untag a state machine', async () => {
    const { stateMachineArn } = await create('tagged', SUCCEED, { tags: [{ key: 'team', value: 'a' }] });
    const byKey = (tags) => [...tags].sort((x, y) => x.key.localeCompare(y.key));
    assert.deepEqual((await call('ListTagsForResource', { resourceArn: stateMachineArn })).tags, [
      { key: 'team', value: 'a' },
    ]);
    await call('TagResource', {
      resourceArn: stateMachineArn,
      tags: [
        { key: 'team', value: 'b' },
        { key: 'env', value: 'test' },
      ],
    });
    assert.deepEqual(byKey((await call('ListTagsForResource', { resourceArn: stateMachineArn })).tags), [
      { key: 'env', value: 'test' },
      { key: 'team', value: 'b' },
    ]);
    await call('UntagResource', { resourceArn: stateMachineArn, tagKeys: ['team', 'absent'] });
    assert.deepEqual((await call('ListTagsForResource', { resourceArn: stateMachineArn })).tags, [
      { key: 'env', value: 'test' },
    ]);
  });

  it('tag actions reject unknown resources and too many tags', async () => {
    const unknown = `${SM_PREFIX}never-created`;
    const e = await expectError(
      call('ListTagsForResource', { resourceArn: unknown }),
      'ResourceNotFound',
      `Resource not found: '${unknown}'`,
    );
    assert.equal(e.resourceName, unknown);
    await expectError(call('TagResource', { resourceArn: unknown, tags: [{ key: 'k', value: 'v' }] }), 'ResourceNotFound');
    await expectError(call('UntagResource', { resourceArn: unknown, tagKeys: ['k'] }), 'ResourceNotFound');
    await expectError(call('ListTagsForResource', { resourceArn: 'nope' }), 'InvalidArn');
    const { stateMachineArn } = await create('too-many-tags', SUCCEED);
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    const tooMany = await expectError(call('TagResource', { resourceArn: stateMachineArn, tags }), 'TooManyTags');
    assert.equal(tooMany.resourceName, stateMachineArn);
    await expectError(create('too-many-at-create', SUCCEED, { tags }), 'TooManyTags');
  });
});

describe('activities', () => {
  it('create (idempotent), describe, list, tag and delete an activity', async () => {
    const created = await call('CreateActivity', { name: 'worker', tags: [{ key: 'k', value: 'v' }] });
    assert.equal(created.activityArn, 'arn:aws:states:us-east-1:123456789012:activity:worker');
    assertRecentDate(created.creationDate, 'creationDate');
    const again = await call('CreateActivity', { name: 'worker' });
    assert.equal(again.activityArn, created.activityArn);
    assert.equal(again.creationDate.getTime(), created.creationDate.getTime());

    const d = await call('DescribeActivity', { activityArn: created.activityArn });
    assert.equal(d.activityArn, created.activityArn);
    assert.equal(d.name, 'worker');
    assert.equal(d.creationDate.getTime(), created.creationDate.getTime());

    await call('CreateActivity', { name: 'worker-2' });
    const listed = await call('ListActivities', {});
    const names = listed.activities.map((a) => a.name);
    assert.ok(names.includes('worker') && names.includes('worker-2'), names.join());
    for (const a of listed.activities) assertRecentDate(a.creationDate, 'creationDate');
    const page = await call('ListActivities', { maxResults: 1 });
    assert.equal(page.activities.length, 1);
    assert.ok(page.nextToken);

    assert.deepEqual((await call('ListTagsForResource', { resourceArn: created.activityArn })).tags, [
      { key: 'k', value: 'v' },
    ]);

    await call('DeleteActivity', { activityArn: created.activityArn });
    await expectError(
      call('DescribeActivity', { activityArn: created.activityArn }),
      'ActivityDoesNotExist',
      `Activity Does Not Exist: '${created.activityArn}'`,
    );
    await expectError(call('ListTagsForResource', { resourceArn: created.activityArn }), 'ResourceNotFound');
  });

  it('activity actions reject bad names and ARNs', async () => {
    await expectError(call('CreateActivity', { name: 'bad name' }), 'InvalidName', "Invalid Name: 'bad name'");
    await expectError(
      call('CreateActivity', {}),
      'ValidationException',
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
    await expectError(call('DescribeActivity', { activityArn: 'nope' }), 'InvalidArn');
    await expectError(call('DescribeActivity', { activityArn: `${SM_PREFIX}x` }), 'InvalidArn');
    await expectError(call('DeleteActivity', { activityArn: 'nope' }), 'InvalidArn');
    await expectError(call('ListActivities', { nextToken: 'garbage' }), 'InvalidToken');
  });
});

describe('map runs', () => {
  const mapOf = (processor, fields = {}) => ({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        End: true,
        Label: 'Run',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'S',
          States: { S: processor },
        },
        ...fields,
      },
    },
  });

  async function firstRun(executionArn) {
    const deadline = Date.now() + 20000;
    for (;;) {
      const { mapRuns } = await call('ListMapRuns', { executionArn });
      if (mapRuns.length) return mapRuns[0];
      if (Date.now() > deadline) assert.fail(`no map run in ${executionArn}`);
      await sleep(20);
    }
  }

  it('list and describe the run of a distributed Map', async () => {
    const { stateMachineArn } = await create('js-maprun', mapOf({ Type: 'Pass', End: true }));
    const { executionArn } = await call('StartExecution', { stateMachineArn, input: '[1,2]' });
    assert.equal((await waitDone(executionArn)).status, 'SUCCEEDED');
    const listed = await firstRun(executionArn);
    assert.equal(listed.executionArn, executionArn);
    assert.equal(listed.stateMachineArn, `${stateMachineArn}/Run`);
    assertRecentDate(listed.startDate, 'startDate');
    const run = await call('DescribeMapRun', { mapRunArn: listed.mapRunArn });
    assert.equal(run.status, 'SUCCEEDED');
    assertRecentDate(run.stopDate, 'stopDate');
    assert.equal(run.itemCounts.total, 2);
    assert.equal(run.itemCounts.succeeded, 2);
    assert.equal(run.executionCounts.succeeded, 2);
    assert.equal(run.toleratedFailurePercentage, 0);
  });

  it('UpdateMapRun raises the concurrency of a running run', async () => {
    const { stateMachineArn } = await create(
      'js-maprun-slow',
      mapOf({ Type: 'Wait', Seconds: 1, End: true }, { MaxConcurrency: 1 }),
    );
    const { executionArn } = await call('StartExecution', { stateMachineArn, input: '[1,2,3,4,5]' });
    const { mapRunArn } = await firstRun(executionArn);
    assert.equal((await call('DescribeMapRun', { mapRunArn })).itemCounts.running, 1);
    await call('UpdateMapRun', { mapRunArn, maxConcurrency: 5, toleratedFailureCount: 2 });
    const run = await call('DescribeMapRun', { mapRunArn });
    assert.equal(run.maxConcurrency, 5);
    assert.equal(run.toleratedFailureCount, 2);
    assert.equal(run.itemCounts.pending, 0);
    assert.equal((await waitDone(executionArn, 4000)).status, 'SUCCEEDED');
  });

  it('unknown runs and bad requests get AWS errors', async () => {
    const missing = 'arn:aws:states:us-east-1:123456789012:mapRun:sm/label:00000000-0000-0000-0000-000000000000';
    await expectError(call('DescribeMapRun', { mapRunArn: missing }), 'ResourceNotFound', /Resource not found/);
    await expectError(
      call('UpdateMapRun', { mapRunArn: missing, toleratedFailurePercentage: 150 }),
      'ValidationException',
      /Value '150.0' at 'toleratedFailurePercentage' failed to satisfy constraint: Member must have value less than or equal to 100/,
    );
    await expectError(
      call('ListMapRuns', { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:nope:nope' }),
      'ExecutionDoesNotExist',
    );
  });
});

describe('ValidateStateMachineDefinition', () => {
  it('answers OK for a valid definition', async () => {
    const r = await call('ValidateStateMachineDefinition', { definition: JSON.stringify(PASS_CHAIN) });
    assert.equal(r.$metadata.httpStatusCode, 200);
    assert.equal(r.result, 'OK');
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.truncated, false);
  });

  it('answers FAIL with diagnostics, still HTTP 200', async () => {
    const r = await call('ValidateStateMachineDefinition', {
      definition: JSON.stringify({ StartAt: 'Missing', States: { A: { Type: 'Succeed' } } }),
    });
    assert.equal(r.$metadata.httpStatusCode, 200);
    assert.equal(r.result, 'FAIL');
    assert.ok(r.diagnostics.length >= 1);
    for (const diagnostic of r.diagnostics) {
      assert.equal(diagnostic.severity, 'ERROR');
      assert.match(diagnostic.code, /^[A-Z_]+$/);
      assert.equal(typeof diagnostic.message, 'string');
    }
    assert.ok(r.diagnostics.some((x) => x.code === 'MISSING_TRANSITION_TARGET'), JSON.stringify(r.diagnostics));
    const empty = await call('ValidateStateMachineDefinition', { definition: '{"StartAt":"X","States":{}}' });
    assert.equal(empty.result, 'FAIL');
    assert.deepEqual(empty.diagnostics[0], {
      severity: 'ERROR',
      code: 'SCHEMA_VALIDATION_FAILED',
      message: "The field 'States' should be non-empty",
      location: '/States',
    });
  });

  it('rejects bad members with ValidationException', async () => {
    await expectError(
      call('ValidateStateMachineDefinition', { definition: '{}', severity: 'INFO' }),
      'ValidationException',
      "1 validation error detected: Value 'INFO' at 'severity' failed to satisfy constraint: " +
        'Member must satisfy enum value set: [ERROR, WARNING]',
    );
    await expectError(
      call('ValidateStateMachineDefinition', {}),
      'ValidationException',
      "1 validation error detected: Value null at 'definition' failed to satisfy constraint: " +
        'Member must not be null',
    );
  });
});

describe('RedriveExecution', () => {
  // Fails until redriven: an undefined JSONata function while RedriveCount is 0.
  const FAILS_UNTIL_REDRIVEN = {
    QueryLanguage: 'JSONata',
    StartAt: 'A',
    States: {
      A: { Type: 'Pass', Output: { a: 1 }, Next: 'B' },
      B: {
        Type: 'Pass',
        End: true,
        Output:
          "{% $states.context.Execution.RedriveCount = 0 ? $nope() : {'redrives': $states.context.Execution.RedriveCount} %}",
      },
    },
  };

  it('resumes a failed execution from the failed state, idempotent on clientToken', async () => {
    const { stateMachineArn } = await create('js-redrive', FAILS_UNTIL_REDRIVEN);
    const { executionArn } = await call('StartExecution', { stateMachineArn });
    const failed = await waitDone(executionArn);
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.redriveStatus, 'REDRIVABLE');
    const before = (await call('GetExecutionHistory', { executionArn })).events;
    const out = await call('RedriveExecution', { executionArn, clientToken: 'js-token' });
    assertRecentDate(out.redriveDate, 'redriveDate');
    const again = await call('RedriveExecution', { executionArn, clientToken: 'js-token' });
    assert.equal(again.redriveDate.getTime(), out.redriveDate.getTime());
    const d = await waitDone(executionArn);
    assert.equal(d.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(d.output), { redrives: 1 });
    assert.equal(d.redriveCount, 1);
    assert.equal(d.redriveDate.getTime(), out.redriveDate.getTime());
    assert.equal(d.redriveStatusReason, 'Execution is SUCCEEDED and cannot be redriven');
    const { events } = await call('GetExecutionHistory', { executionArn });
    assert.deepEqual(
      events.slice(before.length).map((e) => e.type),
      ['ExecutionRedriven', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'],
    );
    assert.deepEqual(events[before.length].executionRedrivenEventDetails, { redriveCount: 1 });
    const listed = await call('ListExecutions', { stateMachineArn, redriveFilter: 'REDRIVEN' });
    assert.deepEqual(listed.executions.map((e) => e.executionArn), [executionArn]);
    assert.equal(listed.executions[0].redriveCount, 1);
    assertRecentDate(listed.executions[0].redriveDate, 'list redriveDate');
  });

  it('rejects running, succeeded, unknown and malformed executions as AWS does', async () => {
    const { stateMachineArn } = await create('js-redrive-errors', WAIT_LONG);
    const { executionArn } = await call('StartExecution', { stateMachineArn });
    await expectError(
      call('RedriveExecution', { executionArn }),
      'ExecutionNotRedrivable',
      'Execution is RUNNING and cannot be redriven',
    );
    await call('StopExecution', { executionArn });
    await waitDone(executionArn);
    const ok = await create('js-redrive-ok', SUCCEED);
    const done = await call('StartExecution', { stateMachineArn: ok.stateMachineArn });
    await waitDone(done.executionArn);
    await expectError(
      call('RedriveExecution', { executionArn: done.executionArn }),
      'ExecutionNotRedrivable',
      'Execution is SUCCEEDED and cannot be redriven',
    );
    await expectError(
      call('RedriveExecution', { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:x:y' }),
      'ExecutionDoesNotExist',
    );
    await expectError(call('RedriveExecution', { executionArn: 'nope' }), 'InvalidArn');
    await expectError(
      call('RedriveExecution', { executionArn, clientToken: 'x'.repeat(65) }),
      'ValidationException',
    );
    // The aborted execution is redriven back into its Wait.
    await call('RedriveExecution', { executionArn });
    const d = await call('DescribeExecution', { executionArn });
    assert.equal(d.status, 'RUNNING');
    assert.equal(d.redriveCount, 1);
    await call('StopExecution', { executionArn });
  });
});

describe('includedData', () => {
  it('METADATA_ONLY leaves out the definition and the execution data; variableReferences', async () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
        B: { Type: 'Pass', Parameters: { 'v.$': '$x' }, End: true },
      },
    };
    const { stateMachineArn } = await create('js-included', definition);
    const all = await call('DescribeStateMachine', { stateMachineArn, includedData: 'ALL_DATA' });
    assert.deepEqual(JSON.parse(all.definition), definition);
    assert.deepEqual(all.variableReferences, { B: ['x'] });
    const meta = await call('DescribeStateMachine', { stateMachineArn, includedData: 'METADATA_ONLY' });
    assert.equal(meta.definition, undefined);
    assert.equal(meta.name, 'js-included');
    const { executionArn } = await call('StartExecution', { stateMachineArn, input: '{"k":1}' });
    await waitDone(executionArn);
    const e = await call('DescribeExecution', { executionArn, includedData: 'METADATA_ONLY' });
    assert.equal(e.status, 'SUCCEEDED');
    assert.equal(e.input, undefined);
    assert.equal(e.output, undefined);
    const f = await call('DescribeStateMachineForExecution', { executionArn, includedData: 'ALL_DATA' });
    assert.deepEqual(f.variableReferences, { B: ['x'] });
    await expectError(
      call('DescribeStateMachine', { stateMachineArn, includedData: 'NOPE' }),
      'ValidationException',
      /includedData/,
    );
  });
});

describe('TestState', () => {
  // TestState has the "sync-" host prefix, which 127.0.0.1 cannot take.
  it('runs a mocked JSONata Task with Assign, through retries to the Catcher', async () => {
    const task = {
      Type: 'Task',
      QueryLanguage: 'JSONata',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { Payload: '{% $states.input.n * 2 %}' },
      Output: '{% $states.result.Payload %}',
      Assign: { last: '{% $states.result.Payload %}' },
      Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 2, IntervalSeconds: 3 }],
      Catch: [{ ErrorEquals: ['Boom'], Next: 'Handler', Output: '{% $states.errorOutput %}' }],
      Next: 'After',
    };
    const definition = JSON.stringify(task);
    const ok = await call(
      'TestState',
      { definition, input: '{"n":4}', inspectionLevel: 'DEBUG', mock: { result: '{"Payload":8}' } },
      syncClient,
    );
    assert.equal(ok.status, 'SUCCEEDED');
    assert.equal(ok.nextState, 'After');
    assert.equal(ok.output, '8');
    assert.deepEqual(JSON.parse(ok.inspectionData.afterArguments), { Payload: 8 });
    assert.deepEqual(JSON.parse(ok.inspectionData.variables), { last: 8 });
    const mock = { errorOutput: { error: 'Boom', cause: 'c' } };
    const retriable = await call(
      'TestState',
      { definition, input: '{"n":1}', inspectionLevel: 'DEBUG', mock, stateConfiguration: { retrierRetryCount: 1 } },
      syncClient,
    );
    assert.equal(retriable.status, 'RETRIABLE');
    assert.deepEqual(retriable.inspectionData.errorDetails, { retryIndex: 0, retryBackoffIntervalSeconds: 6 });
    const caught = await call('TestState', { definition, input: '{"n":1}', mock, stateConfiguration: { retrierRetryCount: 2 } }, syncClient);
    assert.equal(caught.status, 'CAUGHT_ERROR');
    assert.equal(caught.nextState, 'Handler');
    assert.deepEqual(JSON.parse(caught.output), { Error: 'Boom', Cause: 'c' });
  });

  it('tests a Map with a mock and refuses a mock on a Pass state', async () => {
    const map = {
      Type: 'Map',
      ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
      ItemSelector: { 'v.$': '$$.Map.Item.Value' },
      End: true,
    };
    const r = await call(
      'TestState',
      { definition: JSON.stringify(map), input: '[1,2]', inspectionLevel: 'TRACE', mock: { result: '[10,20]' } },
      syncClient,
    );
    assert.equal(r.status, 'SUCCEEDED');
    assert.equal(r.output, '[10,20]');
    assert.deepEqual(JSON.parse(r.inspectionData.afterItemSelector), [{ v: 1 }, { v: 2 }]);
    await expectError(
      call('TestState', { definition: '{"Type":"Pass","End":true}', mock: { result: '{}' } }, syncClient),
      'ValidationException',
      "State type 'Pass' is not supported when a mock is specified",
    );
  });
});
