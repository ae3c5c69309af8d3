/**
 * The bucket-change event path in deploy/: the member rule and the hub rule match exactly the calls the consumer
 * understands, only the organisation may put events on the hub bus, and the only non-read rights anywhere are the
 * hub consumer's ReceiveMessage / DeleteMessage on its own queue (the members' read-only role is untouched).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACCOUNT_CHANGE_EVENT_NAMES, BUCKET_CHANGE_EVENT_NAMES } from "@/lib/domain/events/bucket-change-event";

type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource>; Parameters: Record<string, unknown> };

const deploy = path.resolve(import.meta.dirname, "../../deploy");
const read = (file: string) => JSON.parse(readFileSync(path.join(deploy, file), "utf8")) as Template;
const hub = read("custody-events-hub.json");
const member = read("custody-events-member.json");
const stackset = read("custody-events-member-stackset.json");

const ofType = (t: Template, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);
const patternOf = (t: Template) => {
  const rules = ofType(t, "AWS::Events::Rule");
  expect(rules).toHaveLength(1);
  return rules[0]!.Properties.EventPattern as {
    source: string[];
    "detail-type": string[];
    detail: { eventSource: string[]; eventName: string[] };
  };
};

describe("bucket-change event templates", () => {
  it.each([
    ["hub", hub],
    ["member", member],
  ])("the %s rule matches exactly the calls the consumer understands", (_name, template) => {
    const pattern = patternOf(template);
    expect(pattern.source).toEqual(["aws.s3"]);
    expect(pattern["detail-type"]).toEqual(["AWS API Call via CloudTrail"]);
    expect(pattern.detail.eventSource).toEqual(["s3.amazonaws.com"]);
    expect([...pattern.detail.eventName].sort()).toEqual(
      [...BUCKET_CHANGE_EVENT_NAMES, ...ACCOUNT_CHANGE_EVENT_NAMES].sort(),
    );
  });

  it("the StackSet deploys the member template as it is in deploy/", () => {
    const [set] = ofType(stackset, "AWS::CloudFormation::StackSet");
    expect(JSON.parse(set!.Properties.TemplateBody as string)).toEqual(member);
  });

  it("only accounts of the organisation may put events on the hub bus", () => {
    const [policy] = ofType(hub, "AWS::Events::EventBusPolicy");
    const statement = policy!.Properties.Statement as { Effect: string; Action: string; Condition: unknown };
    expect(statement).toMatchObject({
      Effect: "Allow",
      Action: "events:PutEvents",
      Condition: { StringEquals: { "aws:PrincipalOrgID": { Ref: "OrganizationId" } } },
    });
  });

  it("only the hub rule may send to the queue, and undeliverable or unprocessable events go to a dead-letter queue", () => {
    const [policy] = ofType(hub, "AWS::SQS::QueuePolicy");
    const doc = policy!.Properties.PolicyDocument as { Statement: { Principal: unknown; Condition: unknown }[] };
    expect(doc.Statement).toHaveLength(1);
    expect(doc.Statement[0]).toMatchObject({
      Principal: { Service: "events.amazonaws.com" },
      Condition: { ArnEquals: { "aws:SourceArn": { "Fn::GetAtt": ["BucketChangeRule", "Arn"] } } },
    });
    const queue = hub.Resources.EventsQueue!.Properties;
    expect(queue.RedrivePolicy).toMatchObject({ deadLetterTargetArn: { "Fn::GetAtt": ["DeadLetterQueue", "Arn"] } });
    expect(queue.SqsManagedSseEnabled).toBe(true);
  });

  it("grants Custody only ReceiveMessage and DeleteMessage on its queue, and members only PutEvents on the hub bus", () => {
    const statementsOf = (r: Resource) => {
      const docs =
        r.Type === "AWS::IAM::ManagedPolicy"
          ? [r.Properties.PolicyDocument]
          : (r.Properties.Policies as { PolicyDocument: unknown }[]).map((p) => p.PolicyDocument);
      return (docs as { Statement: { Action: string | string[]; Resource: unknown }[] }[]).flatMap((d) => d.Statement);
    };
    const [consumer] = ofType(hub, "AWS::IAM::ManagedPolicy");
    expect(statementsOf(consumer!)).toEqual([
      expect.objectContaining({
        Action: ["sqs:DeleteMessage", "sqs:ReceiveMessage"],
        Resource: { "Fn::GetAtt": ["EventsQueue", "Arn"] },
      }),
    ]);
    expect(ofType(hub, "AWS::IAM::Role")).toHaveLength(0);
    const [forward] = ofType(member, "AWS::IAM::Role");
    expect(statementsOf(forward!)).toEqual([
      expect.objectContaining({ Action: "events:PutEvents", Resource: { Ref: "HubEventBusArn" } }),
    ]);
  });
});
