const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/** The variable names a template uses, in order of appearance. */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Escapes a value for the inside of a JSON string literal. */
export const jsonEscape = (value: string): string => JSON.stringify(value).slice(1, -1);

/** Replaces each `{{name}}` with `escape(vars[name])`; unknown names become ''. */
export function renderTemplate(template: string, vars: Record<string, string>, escape: (value: string) => string = (v) => v): string {
  return template.replace(PLACEHOLDER, (_, name: string) => (Object.hasOwn(vars, name) ? escape(vars[name]) : ''));
}
