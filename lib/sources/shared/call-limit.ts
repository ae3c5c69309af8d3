/**
 * A cap on AWS calls in flight, shared by every account a worker process syncs. The limit that matters to AWS and
 * to the wall clock is calls, not accounts: an account spends much of its sync in phases with few calls in flight
 * (listing, paginated Config/Macie reads), so a worker runs more account jobs than it could afford at full fan-out
 * and this semaphore keeps the total at the cap. Throttling that still happens is absorbed by the SDK's adaptive
 * retry (real AWS) or the fixture's emulation of it.
 */
import type { AccountClients, AwsConnector } from "./connector";

export class CallSemaphore {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(readonly max: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.inFlight++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next)
        next(); // hand the slot over directly
      else this.inFlight--;
    }
  }
}

type Sender = { send(command: never, ...rest: never[]): Promise<unknown> };

function limitClient<C extends Sender>(client: C, semaphore: CallSemaphore): C {
  return {
    send: (command: never, ...rest: never[]) => semaphore.run(() => client.send(command, ...rest)),
  } as unknown as C;
}

export function withCallLimit(connector: AwsConnector, semaphore: CallSemaphore): AwsConnector {
  return {
    ...connector,
    callCounts: () => connector.callCounts(),
    async connect(account) {
      const clients = await connector.connect(account);
      const limited: AccountClients = {
        get: (service, region) => limitClient(clients.get(service, region), semaphore),
      };
      return limited;
    },
  };
}
