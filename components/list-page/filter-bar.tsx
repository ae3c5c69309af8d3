import Link from "next/link";
import { AutoApplyForm } from "@/components/list-page/auto-apply-form";
import { fieldClass } from "@/components/ui/form-field";

export interface FilterOption {
  value: string;
  label: string;
}

/**
 * One filter of a list page, declared rather than written out: its query-string `name` (its field's id is
 * `filter-<name>`, which its label points at), its label, and what kind of field it is. `wide` takes two columns.
 */
export type FilterField = { name: string; label: string; wide?: boolean } & (
  | {
      kind: "select";
      /** The first option, "no filter" (value ""): e.g. "All regions". */
      all: string;
      options: readonly FilterOption[];
    }
  | {
      kind: "text";
      placeholder?: string;
      type?: "text" | "date";
      /** Values offered while typing (a datalist); any text may still be submitted. */
      suggestions?: readonly string[];
    }
  | {
      /** A field of its own (e.g. the account search box); it must give its input the id `filter-<name>`. */
      kind: "custom";
      control: React.ReactNode;
    }
);

/** Options whose label is their value. */
export const optionsOf = (values: readonly string[]): FilterOption[] => values.map((v) => ({ value: v, label: v }));

/**
 * The filter form above a list: the view lives in the URL, and the form applies as it changes (AutoApplyForm: a
 * choice at once, text when typing pauses or on Enter — no Apply button). The declared fields are filled from the
 * view's current `values`, then `children` (anything a list adds below its fields), `hidden` parameters the form
 * keeps (e.g. the sort), and a footer with Reset, the list's count and `actions`.
 */
export function FilterBar({
  fields,
  values,
  resetHref,
  hidden = {},
  count,
  actions,
  testId,
  children,
}: {
  fields: readonly FilterField[];
  values: Readonly<Record<string, string | number | null | undefined>>;
  resetHref: string;
  hidden?: Readonly<Record<string, string | undefined>>;
  /**
   * "1–50 of 1,234 buckets" (lib/pagination.ts), with the total in `data-total` for tests; `more` follows it (e.g. a
   * link to count a list that was counted only so far).
   */
  count?: { testId: string; total: number; summary: string; more?: React.ReactNode };
  actions?: React.ReactNode;
  testId?: string;
  children?: React.ReactNode;
}) {
  return (
    <AutoApplyForm
      className="mb-4 grid grid-cols-2 gap-3 rounded-xl border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4 xl:grid-cols-7"
      label="Filters"
      testId={testId}
    >
      {fields.map((field) => (
        <FilterFieldView key={field.name} field={field} value={values[field.name]} />
      ))}
      {children}
      {Object.entries(hidden).map(([name, value]) =>
        value === undefined ? null : <input key={name} type="hidden" name={name} value={value} />,
      )}
      <div className="col-span-full flex flex-wrap items-end gap-2">
        <Link href={resetHref} className="rounded-lg px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100">
          Reset
        </Link>
        {count ? (
          <span className="ml-auto text-sm text-slate-500" data-testid={count.testId} data-total={count.total}>
            {count.summary}
            {count.more ? <> · {count.more}</> : null}
          </span>
        ) : null}
        {actions}
      </div>
    </AutoApplyForm>
  );
}

function FilterFieldView({ field, value }: { field: FilterField; value: string | number | null | undefined }) {
  const id = `filter-${field.name}`;
  const current = value === undefined || value === null ? "" : String(value);
  return (
    <div className={`${field.wide ? "col-span-2 " : ""}text-xs font-medium text-slate-600`}>
      <label htmlFor={id} className="block">
        {field.label}
      </label>
      {field.kind === "select" ? (
        <select id={id} name={field.name} defaultValue={current} className={`${fieldClass} mt-1`}>
          <option value="">{field.all}</option>
          {field.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : field.kind === "text" ? (
        <>
          <input
            id={id}
            name={field.name}
            type={field.type}
            defaultValue={current}
            placeholder={field.placeholder}
            list={field.suggestions ? `${id}-suggestions` : undefined}
            className={`${fieldClass} mt-1`}
          />
          {field.suggestions ? (
            <datalist id={`${id}-suggestions`}>
              {field.suggestions.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          ) : null}
        </>
      ) : (
        field.control
      )}
    </div>
  );
}

/** A yes/no filter shown as a checkbox: submits `name=value` when ticked, nothing otherwise. */
export function FilterCheckbox({
  name,
  label,
  value = "1",
  checked,
}: {
  name: string;
  label: string;
  value?: string;
  checked: boolean;
}) {
  return (
    <label className="inline-flex items-center gap-1.5">
      <input
        type="checkbox"
        name={name}
        value={value}
        defaultChecked={checked}
        className="rounded border-slate-300 text-indigo-600"
      />
      {label}
    </label>
  );
}
