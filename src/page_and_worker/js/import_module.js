// wasm-bindgen cannot express a dynamic import(): the worker loads Python's module with it,
// and the page the editor's (by the import map's bare name, so it never delays the page).
export function importModule(specifier) {
  return import(specifier);
}
