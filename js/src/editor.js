// The code editor of Canary Lab: CodeMirror 6 with only the extensions the
// playground uses (YAML, line numbers, history, search, lint markers), bundled
// by esbuild into one IIFE that sets `window.canaryEditor`. The Rust side binds
// these functions with wasm-bindgen (`src/editor.rs`); keep names in sync.
import { EditorState, Compartment } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { syntaxHighlighting, HighlightStyle, indentOnInput, bracketMatching } from "@codemirror/language";
import { tags } from "@lezer/highlight";
import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics, lintKeymap } from "@codemirror/lint";

// Diagnostics arrive as 1-based line and column in Unicode scalar values (what
// our Rust lint crate reports); CodeMirror wants UTF-16 offsets.
function offsetOf(doc, line, column) {
  const clampedLine = Math.min(Math.max(line, 1), doc.lines);
  const info = doc.line(clampedLine);
  let offset = info.from;
  let remaining = Math.max(column - 1, 0);
  for (const ch of info.text) {
    if (remaining === 0) break;
    offset += ch.length;
    remaining -= 1;
  }
  return offset;
}

// YAML colours from CSS variables (public/app.css), so both the light and
// the dark theme keep readable contrast; CodeMirror's default style is
// made for light backgrounds only.
const yamlColours = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: "var(--cm-key)" },
  { tag: [tags.string, tags.special(tags.string), tags.content], color: "var(--cm-string)" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--cm-atom)" },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: "var(--cm-comment)", fontStyle: "italic" },
  { tag: [tags.meta, tags.labelName, tags.typeName, tags.keyword], color: "var(--cm-meta)" },
  { tag: [tags.punctuation, tags.separator, tags.squareBracket, tags.brace], color: "var(--cm-punct)" },
]);

function create(parent, text, readOnly, label, onChange) {
  const editable = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        highlightSelectionMatches(),
        syntaxHighlighting(yamlColours),
        yaml(),
        lintGutter(),
        keymap.of([indentWithTab, ...defaultKeymap, ...historyKeymap, ...searchKeymap, ...lintKeymap]),
        editable.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && onChange) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return view;
}

function text(view) {
  return view.state.doc.toString();
}

function replaceText(view, newText) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: newText } });
}

// The hover text: the message and help as text, then a link to the rule's
// page (a relative URL, so it works offline and under any sub-path).
function renderMessage(d) {
  const box = document.createElement("div");
  box.className = "cl-diagnostic";
  const text = document.createElement("div");
  text.style.whiteSpace = "pre-wrap";
  text.textContent = d.message;
  box.appendChild(text);
  if (d.doc) {
    const link = document.createElement("a");
    link.href = d.doc;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = `${d.code}: read the rule`;
    link.className = "cl-rule-link";
    box.appendChild(link);
  }
  return box;
}

// `json` is a JSON array of {line, column, endLine, endColumn, severity,
// message, code, doc, fix: {title, changes: [[from, to, insert]]} | null};
// fix offsets are UTF-16 positions in the text as it is now.
function showDiagnostics(view, json) {
  const items = JSON.parse(json);
  const doc = view.state.doc;
  const diagnostics = items.map((d) => {
    const from = offsetOf(doc, d.line, d.column);
    const to = Math.max(from, offsetOf(doc, d.endLine, d.endColumn));
    const diagnostic = {
      from, to, severity: d.severity, message: d.message,
      renderMessage: () => renderMessage(d),
    };
    // A read-only file (the lesson keeps it fixed) never offers a fix.
    if (d.fix && !view.state.readOnly) {
      diagnostic.actions = [{
        name: d.fix.title,
        apply(view) {
          // Offsets belong to the text these markers were made for; after
          // any edit a fresh lint pass brings fresh fixes instead.
          if (view.state.doc !== doc) return;
          view.dispatch({
            changes: d.fix.changes.map(([from, to, insert]) => ({ from, to, insert })),
            userEvent: "input.fix",
          });
        },
      }];
    }
    return diagnostic;
  });
  view.dispatch(setDiagnostics(view.state, diagnostics));
}

function jumpTo(view, line, column) {
  const at = offsetOf(view.state.doc, line, column);
  view.dispatch({ selection: { anchor: at }, scrollIntoView: true });
  view.focus();
}

function destroy(view) {
  view.destroy();
}

window.canaryEditor = { create, text, replaceText, showDiagnostics, jumpTo, destroy };
