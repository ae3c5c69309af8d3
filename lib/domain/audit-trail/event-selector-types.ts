/**
 * The shapes of CloudTrail's event selectors as GetEventSelectors returns them, declared here because lib/domain
 * imports nothing outside itself: the SDK's EventSelector / AdvancedEventSelector types are assignable to these.
 */
export interface EventSelector {
  ReadWriteType?: "ReadOnly" | "WriteOnly" | "All" | string;
  IncludeManagementEvents?: boolean;
  DataResources?: { Type?: string; Values?: string[] }[];
  ExcludeManagementEventSources?: string[];
}

export interface AdvancedFieldSelector {
  Field: string | undefined;
  Equals?: string[];
  StartsWith?: string[];
  EndsWith?: string[];
  NotEquals?: string[];
  NotStartsWith?: string[];
  NotEndsWith?: string[];
}

export interface AdvancedEventSelector {
  Name?: string;
  FieldSelectors: AdvancedFieldSelector[] | undefined;
}
