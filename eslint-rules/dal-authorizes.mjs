/**
 * House rule (DESIGN.md §2): every DAL function authorizes before it touches data. In lib/server/dal, each exported
 * async function must call `authorize(actor, permission)` (or one of the checks named in `checks`) in its own body,
 * before its first `await`, so no data is read before the decision. Synchronous exports (SQL builders, pure
 * helpers) reach no data and are exempt.
 */
const DEFAULT_CHECKS = ["authorize"];

function isCheckCall(node, checks) {
  return node?.type === "CallExpression" && node.callee.type === "Identifier" && checks.includes(node.callee.name);
}

/** The statements run before anything is awaited: the first await ends the window. */
function checksBeforeFirstAwait(body, checks) {
  for (const statement of body.body) {
    const expression = statement.type === "ExpressionStatement" ? statement.expression : null;
    if (isCheckCall(expression, checks)) return true;
    let awaits = false;
    const visit = (node) => {
      if (!node || typeof node.type !== "string" || awaits) return;
      if (node.type === "AwaitExpression") {
        awaits = true;
        return;
      }
      if (node.type.includes("Function")) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === "parent") continue;
        if (Array.isArray(value)) value.forEach(visit);
        else if (value && typeof value === "object") visit(value);
      }
    };
    visit(statement);
    if (awaits) return false;
  }
  return false;
}

export default {
  meta: {
    type: "problem",
    docs: { description: "Every exported async DAL function authorizes before its first await." },
    schema: [{ type: "object", properties: { checks: { type: "array", items: { type: "string" } } } }],
    messages: {
      missing:
        "DAL function `{{name}}` must call {{checks}} before it awaits anything (authorize in the data layer on every call).",
    },
  },
  create(context) {
    const checks = context.options[0]?.checks ?? DEFAULT_CHECKS;
    const report = (node, name) =>
      context.report({ node, messageId: "missing", data: { name, checks: checks.map((c) => `${c}()`).join(" or ") } });
    return {
      "ExportNamedDeclaration > FunctionDeclaration[async=true]"(node) {
        if (!checksBeforeFirstAwait(node.body, checks)) report(node, node.id?.name ?? "default");
      },
      "ExportNamedDeclaration > VariableDeclaration > VariableDeclarator"(node) {
        const fn = node.init;
        if (!fn || !fn.async || !["ArrowFunctionExpression", "FunctionExpression"].includes(fn.type)) return;
        if (fn.body.type !== "BlockStatement" || !checksBeforeFirstAwait(fn.body, checks))
          report(node, node.id.name ?? "anonymous");
      },
    };
  },
};
