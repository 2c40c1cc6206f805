// GraphiQL for unionaid, bundled from npm packages by `unionaid assets build`: the page never
// loads anything from a CDN, so it works on an intranet with no internet access.
import React from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import "graphiql/graphiql.css";

const params = new URLSearchParams(window.location.search);
const fetcher = createGraphiQLFetcher({ url: window.location.pathname });
const example = `# Paste a token printed by \`unionaid serve --demo\` into the Headers tab:
# {"Authorization": "Bearer ua_..."}
{ districts { code name } }
`;

createRoot(document.getElementById("graphiql")).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: params.get("query") || example,
    // Headers may come in the address too (?headers={...}), so a demo link can carry a token.
    headers: params.get("headers") || undefined,
    defaultEditorToolsVisibility: "headers",
    shouldPersistHeaders: true,
  }),
);
