// The one piece of JavaScript of ours: wasm-bindgen cannot express a dynamic import().
export function importModule(url) {
  return import(url);
}
