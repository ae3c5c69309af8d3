import "server-only";
/** The web app's AWS connector (real AWS, or the fixture AWS when CUSTODY_FIXTURE_AWS=demo), one per server process. */
import {
  connectorModeFrom,
  createConnector,
  type ConnectorMode,
  type CustodyConnector,
} from "@/lib/sources/connector-factory";

const globalForAws = globalThis as unknown as { custodyConnector?: CustodyConnector };

export function awsConnector(): CustodyConnector {
  globalForAws.custodyConnector ??= createConnector(connectorModeFrom());
  return globalForAws.custodyConnector;
}

export function awsConnectorMode(): ConnectorMode {
  return connectorModeFrom();
}
