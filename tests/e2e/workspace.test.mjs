// The workspace: files that last, seen by Python (its working directory) and by the editor.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../serve.mjs";
import { launch, openWorkbench, setEditorText, typeLine, waitForScreen } from "../browser.mjs";

const dist = join(fileURLToPath(import.meta.url), "..", "..", "..", "dist");
let browser;
let site;

before(async () => {
  browser = await launch();
  site = await serve({ root: dist });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return page;
}


const fileNames = (page) => page.$$eval(".file-list button.file", (buttons) => buttons.map((b) => b.textContent));

describe("the workspace", () => {
  test("a file Python writes at the prompt is listed, survives a reload, and reads back", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    assert.deepEqual(await fileNames(page), ["main.py"]);
    await typeLine(page, "import os; print(os.getcwd()); open('notes.txt', 'w').write('élève\\n')");
    await waitForScreen(page, /^\/home\/user\n6$/m);
    // Listed as soon as Python is back at its prompt.
    await page.waitForFunction(() => [...document.querySelectorAll(".file-list button.file")].some((b) => b.textContent === "notes.txt"));
    // Bytes that are not text are kept too.
    await typeLine(page, "open('data.bin', 'wb').write(bytes(range(256)))");
    await waitForScreen(page, /^256$/m);
    await page.waitForFunction(() => document.querySelectorAll(".file-list button.file").length === 3);
    await page.reload();
    await openWorkbench(page, site.url);
    assert.deepEqual(await fileNames(page), ["data.bin", "main.py", "notes.txt"]);
    await typeLine(page, "print(sorted(os.listdir()) if 'os' in dir() else __import__('os').listdir(), open('notes.txt').read().strip(), open('data.bin', 'rb').read() == bytes(range(256)))");
    await waitForScreen(page, /\['data\.bin', 'main\.py', 'notes\.txt'\] élève True$/m);
    // A binary file is not opened in the editor: the note says why.
    await page.click(".file-list button.file >> text=data.bin");
    await page.waitForSelector("[data-testid=editor-note]");
    assert.match(await page.textContent("[data-testid=editor-note]"), /not a text file/);
    await page.context().close();
  });

  test("a new file in the editor is a module the program imports; a deleted file is gone", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    page.once("dialog", (dialog) => dialog.accept("helpers.py"));
    await page.click("button.new-file");
    await page.waitForFunction(() => document.querySelector("[data-testid=file-name]")?.textContent === "helpers.py");
    await setEditorText(page, "def double(x):\n    return 2 * x\n");
    await page.click(".file-list button.file >> text=main.py");
    await page.waitForFunction(() => document.querySelector("[data-testid=file-name]")?.textContent === "main.py");
    await setEditorText(page, "import helpers\nprint('twice', helpers.double(21))\n");
    await page.click("button.run");
    await waitForScreen(page, /^twice 42$/m);
    // The helper's text was kept when the editor moved to main.py.
    await page.click(".file-list button.file >> text=helpers.py");
    await page.waitForFunction(() => document.querySelector(".cm-content")?.textContent.includes("return 2 * x"));
    page.once("dialog", (dialog) => dialog.accept());
    await page.click("button[aria-label='Delete helpers.py']");
    await page.waitForFunction(() => ![...document.querySelectorAll(".file-list button.file")].some((b) => b.textContent === "helpers.py"));
    await page.reload();
    await openWorkbench(page, site.url);
    assert.deepEqual(await fileNames(page), ["main.py"]);
    assert.match(await page.textContent(".cm-content"), /import helpers/);
    await page.context().close();
  });
  test("uploaded files (a CSV, bytes) are read by the next Run; a file downloads with its exact bytes", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    const binary = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    await page.setInputFiles(".upload-picker", [
      { name: "scores.csv", mimeType: "text/csv", buffer: Buffer.from("name,score\nZoé,17\nLeo,12\n") },
      { name: "raw.bin", mimeType: "application/octet-stream", buffer: binary },
    ]);
    await page.waitForFunction(() => document.querySelectorAll(".file-list button.file").length === 3);
    assert.match(await page.textContent("[data-testid=editor-note]"), /Added scores\.csv, raw\.bin: Python sees it from the next Run/);
    await setEditorText(page, [
      "import csv",
      "with open('scores.csv', newline='') as f:",
      "    rows = list(csv.DictReader(f))",
      "print('best', max(rows, key=lambda r: int(r['score']))['name'])",
      "print('raw', list(open('raw.bin', 'rb').read()))",
      "open('out.txt', 'w').write('écrit par Python\\n')",
    ].join("\n") + "\n");
    await page.click("button.run");
    await waitForScreen(page, /^best Zoé\nraw \[0, 1, 2, 250, 255, 10, 13\]$/m);
    await page.waitForFunction(() => [...document.querySelectorAll(".file-list button.file")].some((b) => b.textContent === "out.txt"));
    for (const [name, expected] of [["raw.bin", binary], ["out.txt", Buffer.from("écrit par Python\n")]]) {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click(`button[aria-label='Download ${name}']`),
      ]);
      assert.equal(download.suggestedFilename(), name);
      const chunks = [];
      for await (const chunk of await download.createReadStream()) chunks.push(chunk);
      assert.deepEqual(Buffer.concat(chunks), expected, `${name} downloads with its bytes`);
    }
    await page.context().close();
  });
});
