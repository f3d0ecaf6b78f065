// The editor pane's JavaScript side: CodeMirror 6 behind a small API that wasm-bindgen can
// bind (strings, numbers, one callbacks object). Bundled by esbuild into ONE ES module that
// the page maps to the bare name "codemirror" with its import map; nothing comes from a CDN.
//
// Built by src/page/js/build-editor.sh (a trunk hook) into editor/codemirror.mjs.
//
// API
//   createEditor(parent: HTMLElement, initialText: string,
//                callbacks: { onChange?(text: string), onRun?() }) -> PyEditor
//   PyEditor#text() -> string
//   PyEditor#setText(s)            replaces the document; resets undo history and marks;
//                                  does NOT call onChange (only edits in the editor do)
//   PyEditor#focus()
//   PyEditor#markLine(line, msg)   1-based line (clamped): error style on the line, a marker
//                                  in the gutter (msg as its tooltip; clicking it goes to the
//                                  line), cursor placed at the line's first non-blank
//                                  character, line scrolled into view
//   PyEditor#clearMarks()
//   PyEditor#destroy()
//
// Keys (besides CodeMirror's defaults): Ctrl-Enter, Mod-Enter (Cmd-Enter on macOS) and F5
// call onRun() and are consumed; Tab / Shift-Tab indent / dedent (indentWithTab); to leave
// the editor with the keyboard press Escape then Tab, or toggle Tab focus mode with Ctrl-M
// (Shift-Alt-M on macOS); Mod-/ toggles "# " comments; Mod-F opens search; Mod-Z / Mod-Y
// (Mod-Shift-Z) undo / redo.

import { EditorState, Prec, RangeSet, StateEffect, StateField, Transaction } from "@codemirror/state";
import {
  Decoration, EditorView, GutterMarker, drawSelection, gutter, highlightActiveLine,
  highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  HighlightStyle, bracketMatching, indentOnInput, indentUnit, syntaxHighlighting,
} from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { tags as t } from "@lezer/highlight";

// ---- Error marks (line decoration + gutter marker), kept in the state, mapped through edits.

const addMark = StateEffect.define({ map: (v, mapping) => ({ ...v, pos: mapping.mapPos(v.pos) }) });
const clearMarksEffect = StateEffect.define();

class ErrorMarker extends GutterMarker {
  constructor(message) { super(); this.message = message; }
  eq(other) { return other.message === this.message; }
  toDOM() {
    const el = document.createElement("span");
    el.className = "cm-py-error-marker";
    el.textContent = "\u25CF"; // ●
    el.title = this.message;
    el.setAttribute("aria-label", `Error: ${this.message}`);
    return el;
  }
}

const errorMarks = StateField.define({
  create: () => ({ lines: Decoration.none, gutter: RangeSet.empty }),
  update(value, tr) {
    let { lines, gutter: markers } = value;
    lines = lines.map(tr.changes);
    markers = markers.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(clearMarksEffect)) {
        lines = Decoration.none;
        markers = RangeSet.empty;
      } else if (e.is(addMark)) {
        const from = tr.state.doc.lineAt(e.value.pos).from;
        const deco = Decoration.line({
          class: "cm-py-error-line",
          attributes: { title: e.value.message, "data-error": e.value.message },
        });
        lines = lines.update({ add: [deco.range(from)], filter: (f) => f !== from });
        markers = markers.update({
          add: [new ErrorMarker(e.value.message).range(from)], filter: (f) => f !== from,
        });
      }
    }
    return { lines, gutter: markers };
  },
  provide: (f) => [
    EditorView.decorations.from(f, (v) => v.lines),
    gutter({
      class: "cm-py-error-gutter",
      markers: (view) => view.state.field(f).gutter,
      // Clicking an error's marker puts the cursor on its line.
      domEventHandlers: {
        mousedown(view, line) {
          let marked = false;
          view.state.field(f).gutter.between(line.from, line.from, () => { marked = true; });
          if (!marked) return false;
          const text = view.state.doc.lineAt(line.from).text;
          view.dispatch({ selection: { anchor: line.from + /^\s*/.exec(text)[0].length } });
          view.focus();
          return true;
        },
      },
    }),
  ],
});

// ---- Dark theme (#1e1e1e, like the terminal) and a highlight style readable on it.

const BG = "#1e1e2e", FG = "#e6e6e6"; // the terminal's colours (console.rs)

const darkTheme = EditorView.theme({
  "&": { color: FG, backgroundColor: BG, height: "100%" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace", lineHeight: "1.45" },
  ".cm-content": { caretColor: "#aeafad" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "#aeafad", borderLeftWidth: "2px" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection":
    { backgroundColor: "#264f78" },
  ".cm-activeLine": { backgroundColor: "#2a2d2e" },
  ".cm-gutters": { backgroundColor: BG, color: "#858585", border: "none" },
  ".cm-activeLineGutter": { backgroundColor: "#2a2d2e", color: "#c6c6c6" },
  ".cm-matchingBracket, &.cm-focused .cm-matchingBracket":
    { backgroundColor: "#0064001a", outline: "1px solid #888888" },
  ".cm-nonmatchingBracket, &.cm-focused .cm-nonmatchingBracket": { color: "#f44747" },
  ".cm-selectionMatch": { backgroundColor: "#3a3d41" },
  ".cm-searchMatch": { backgroundColor: "#623315", outline: "1px solid #a0522d" },
  ".cm-searchMatch.cm-searchMatch-selected": { backgroundColor: "#515c6a" },
  ".cm-panels": { backgroundColor: "#252526", color: FG },
  ".cm-panels.cm-panels-top": { borderBottom: "1px solid #3c3c3c" },
  ".cm-panels.cm-panels-bottom": { borderTop: "1px solid #3c3c3c" },
  ".cm-panel input[type=text], .cm-textfield":
    { backgroundColor: "#3c3c3c", color: FG, border: "1px solid #555" },
  ".cm-button": { backgroundImage: "none", backgroundColor: "#3c3c3c", color: FG, border: "1px solid #555" },
  ".cm-tooltip": { backgroundColor: "#252526", color: FG, border: "1px solid #454545" },
  ".cm-py-error-line": { backgroundColor: "#f4474733" },
  ".cm-py-error-line.cm-activeLine": { backgroundColor: "#f4474744" },
  ".cm-py-error-gutter": { width: "1em" },
  ".cm-py-error-marker": { color: "#f14c4c", cursor: "default", paddingLeft: "2px" },
}, { dark: true });

const darkHighlight = HighlightStyle.define([
  { tag: t.keyword, color: "#569cd6" },
  { tag: [t.controlKeyword, t.moduleKeyword], color: "#c586c0" },
  { tag: [t.bool, t.null, t.self], color: "#569cd6" },
  { tag: [t.string, t.special(t.string)], color: "#ce9178" },
  { tag: t.escape, color: "#d7ba7d" },
  { tag: t.comment, color: "#6a9955", fontStyle: "italic" },
  { tag: t.number, color: "#b5cea8" },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.function(t.definition(t.variableName))], color: "#dcdcaa" },
  { tag: [t.className, t.definition(t.className)], color: "#4ec9b0" },
  { tag: [t.variableName, t.propertyName], color: "#9cdcfe" },
  { tag: t.meta, color: "#dcdcaa" }, // decorators
  { tag: [t.operator, t.punctuation, t.bracket], color: FG },
  { tag: t.invalid, color: "#f44747" },
]);

// ---- The editor.

function baseExtensions(callbacks) {
  const run = () => {
    try { callbacks.onRun && callbacks.onRun(); } catch (e) { console.error(e); }
    return true; // handled: CodeMirror calls preventDefault (F5 must not reload the page)
  };
  return [
    lineNumbers(),
    errorMarks,
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    // Only typing/deleting joins an undo step; a command without a user event (e.g. the
    // Mod-/ comment toggle) is its own step even right after typing.
    history({ joinToEvent: (tr, adjacent) => adjacent && tr.annotation(Transaction.userEvent) !== undefined }),
    drawSelection(),
    EditorState.tabSize.of(4),
    indentUnit.of("    "), // PEP 8; CodeMirror's default is 2 spaces
    indentOnInput(), // dedents `else:` / `except ...:` etc. as they are typed
    python(),
    syntaxHighlighting(darkHighlight),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    search({ top: true }),
    darkTheme,
    EditorView.contentAttributes.of({ "aria-label": "Python code editor" }),
    Prec.highest(keymap.of([
      { key: "Mod-Enter", run, preventDefault: true },
      { key: "Ctrl-Enter", run, preventDefault: true },
      { key: "F5", run, preventDefault: true },
    ])),
    keymap.of([
      ...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab,
    ]),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && callbacks.onChange) {
        try { callbacks.onChange(update.state.doc.toString()); } catch (e) { console.error(e); }
      }
    }),
  ];
}

export class PyEditor {
  constructor(parent, initialText, callbacks) {
    this._extensions = baseExtensions(callbacks || {});
    this.view = new EditorView({
      parent,
      state: EditorState.create({ doc: String(initialText ?? ""), extensions: this._extensions }),
    });
  }

  text() { return this.view.state.doc.toString(); }

  setText(s) {
    this.view.setState(EditorState.create({ doc: String(s ?? ""), extensions: this._extensions }));
  }

  focus() { this.view.focus(); }

  markLine(lineNumber, message) {
    const doc = this.view.state.doc;
    const n = Math.min(Math.max(1, Math.floor(Number(lineNumber)) || 1), doc.lines);
    const line = doc.line(n);
    const pos = line.from + (/^\s*/.exec(line.text)[0].length);
    this.view.dispatch({
      selection: { anchor: pos },
      effects: [addMark.of({ pos: line.from, message: String(message ?? "") }),
        EditorView.scrollIntoView(pos, { y: "center" })],
    });
  }

  clearMarks() { this.view.dispatch({ effects: clearMarksEffect.of(null) }); }

  destroy() { this.view.destroy(); }
}

export function createEditor(parent, initialText, callbacks) {
  return new PyEditor(parent, initialText, callbacks);
}
