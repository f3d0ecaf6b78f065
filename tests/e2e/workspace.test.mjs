// The workspace: files that last, seen by Python (its working directory) and by the editor.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import { serve } from "../serve.mjs";
import { launch, openWorkbench, setEditorText, typeLine, waitForScreen } from "../browser.mjs";

const dist = join(fileURLToPath(import.meta.url), "..", "..", "..", "dist");
let browser;
let site;

before(async () => {
  browser = await launch();
  site = await serve({ root: dist, files: { "exercises/week-1/loops.py": "for i in range(3):\n    print('tour', i)\n" } });
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

/** Clicks `selector`, which starts a download; resolves to its name and bytes. */
async function download(page, selector) {
  const [started] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const chunks = [];
  for await (const chunk of await started.createReadStream()) chunks.push(chunk);
  return { name: started.suggestedFilename(), bytes: Buffer.concat(chunks) };
}

/** The files of a zip archive (name → bytes), read from its central directory. */
function unzip(zip) {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end >= 0, "a zip file ends with its directory");
  const files = {};
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50);
    const [method, size, nameLength] = [zip.readUInt16LE(at + 10), zip.readUInt32LE(at + 20), zip.readUInt16LE(at + 28)];
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    files[name] = method === 8 ? inflateRawSync(data) : Buffer.from(data);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

const note = (page) => page.textContent("[data-testid=editor-note]");

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

  test("after a reload, a line typed at the very first prompt already sees every kept file", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    // 5 MB in 100 files: the page reads them while Python starts without them.
    await typeLine(page, "import os; [open(f'data{i:03}.bin', 'wb').write(os.urandom(50_000)) for i in range(100)] and None");
    await page.waitForFunction(() => document.querySelectorAll(".file-list button.file").length === 101, null, { timeout: 30000 });
    await page.waitForTimeout(1000); // kept in the background
    await page.reload();
    await waitForScreen(page, /^>>> ?$/m, 30000);
    await page.click(".terminal");
    await typeLine(page, "import os; print(len(os.listdir()), sum(os.path.getsize(n) for n in os.listdir() if n.endswith('.bin')))");
    await waitForScreen(page, /^101 5000000$/m);
    await page.context().close();
  });

  test("closing the tab while a save is under way asks first, and the save completes", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await setEditorText(page, "print('typed just before closing')\n");
    // At once, before the edit's quiet spell ends: leaving would lose it, so the browser asks.
    const asked = new Promise((resolve) => page.once("dialog", (dialog) => { resolve(dialog.type()); dialog.dismiss(); }));
    await page.close({ runBeforeUnload: true });
    assert.equal(await asked, "beforeunload");
    assert.equal(page.isClosed(), false, "the student chose to stay");
    await page.waitForTimeout(500);
    await page.reload();
    await openWorkbench(page, site.url);
    assert.match(await page.textContent(".cm-content"), /typed just before closing/);
    // Nothing under way: the tab closes without asking.
    let dialogs = 0;
    page.on("dialog", (dialog) => { dialogs++; dialog.dismiss(); });
    await page.close({ runBeforeUnload: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(dialogs, 0);
    assert.equal(page.isClosed(), true);
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
    assert.match(await page.textContent("[data-testid=editor-note]"), /Added scores\.csv, raw\.bin\./);
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
      const downloaded = await download(page, `button[aria-label='Download ${name}']`);
      assert.equal(downloaded.name, name);
      assert.deepEqual(downloaded.bytes, expected, `${name} downloads with its bytes`);
    }
    // The whole workspace as one zip file, every file's bytes in it.
    const zip = await download(page, "button.download-all");
    assert.equal(zip.name, "workspace.zip");
    const files = unzip(zip.bytes);
    assert.deepEqual(Object.keys(files).sort(), ["main.py", "out.txt", "raw.bin", "scores.csv"]);
    assert.deepEqual(files["raw.bin"], binary);
    assert.equal(files["scores.csv"].toString(), "name,score\nZoé,17\nLeo,12\n");
    assert.match(files["main.py"].toString(), /csv\.DictReader/);
    // A file over the limit is refused with the reason; the others of the same upload come in.
    await page.setInputFiles(".upload-picker", [
      { name: "huge.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(21_000_000, 1) },
      { name: "small.txt", mimeType: "text/plain", buffer: Buffer.from("ok") },
    ]);
    await page.waitForFunction(() => /huge\.bin is 21 MB; files up to 20 MB fit/.test(document.querySelector("[data-testid=editor-note]")?.textContent));
    assert.match(await note(page), /Added small\.txt/);
    assert.deepEqual(await fileNames(page), ["main.py", "out.txt", "raw.bin", "scores.csv", "small.txt"]);
    await page.context().close();
  });

  test("the page's changes reach Python without a restart: at the prompt, and in a program waiting in input()", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await typeLine(page, "import os; x = 'kept'");
    // Uploaded while Python waits at its prompt: the next line reads it; the variable is still there.
    await page.setInputFiles(".upload-picker", [{ name: "data.csv", mimeType: "text/csv", buffer: Buffer.from("a,b\n1,é\n") }]);
    await page.waitForFunction(() => document.querySelectorAll(".file-list button.file").length === 2);
    await typeLine(page, "print(x, repr(open('data.csv').read()), sorted(os.listdir()))");
    await waitForScreen(page, /^kept 'a,b\\n1,é\\n' \['data\.csv', 'main\.py'\]$/m);
    // An edit in the editor (kept after its short delay), a rename and a deletion, all without Run.
    await setEditorText(page, "print('edited')\n");
    await page.waitForTimeout(600);
    page.once("dialog", (dialog) => dialog.accept("first.py"));
    await page.click("button[aria-label='Rename main.py']");
    await page.waitForFunction(() => document.querySelector("[data-testid=file-name]")?.textContent === "first.py");
    page.once("dialog", (dialog) => dialog.accept());
    await page.click("button[aria-label='Delete data.csv']");
    await page.waitForFunction(() => document.querySelectorAll(".file-list button.file").length === 1);
    await page.click(".terminal");
    await typeLine(page, "print(sorted(os.listdir()), open('first.py').read().strip())");
    await waitForScreen(page, /^\['first\.py'\] print\('edited'\)$/m);
    // A program that asks for a file: uploaded while it waits in input(), it is there when it goes on.
    await setEditorText(page, "input('Upload late.txt, then press Enter: ')\nprint('read:', open('late.txt').read())\n");
    await page.click("button.run");
    await waitForScreen(page, /Upload late\.txt, then press Enter:$/m);
    await page.setInputFiles(".upload-picker", [{ name: "late.txt", mimeType: "text/plain", buffer: Buffer.from("à temps") }]);
    await page.waitForFunction(() => document.querySelectorAll(".file-list button.file").length === 2);
    await page.click(".terminal");
    await page.keyboard.press("Enter");
    await waitForScreen(page, /^read: à temps$/m);
    await page.context().close();
  });

  test("a renamed file keeps its text and is what Python sees; Reset asks, then leaves the starter program", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await setEditorText(page, "print('renamed and run')\n");
    page.once("dialog", (dialog) => dialog.accept("game.py"));
    await page.click("button[aria-label='Rename main.py']");
    await page.waitForFunction(() => document.querySelector("[data-testid=file-name]")?.textContent === "game.py");
    assert.deepEqual(await fileNames(page), ["game.py"]);
    // A name with a folder in it is refused, and nothing changes.
    page.once("dialog", (dialog) => dialog.accept("../x.py"));
    await page.click("button[aria-label='Rename game.py']");
    await page.waitForFunction(() => /not a usable file name/.test(document.querySelector("[data-testid=editor-note]")?.textContent));
    assert.deepEqual(await fileNames(page), ["game.py"]);
    await page.click("button.run");
    await waitForScreen(page, /^renamed and run$/m);
    await typeLine(page, "import os, sys; print(sorted(os.listdir()), sys.argv[0])");
    await waitForScreen(page, /^\['game\.py'\] game\.py$/m);
    await page.reload();
    await openWorkbench(page, site.url);
    assert.deepEqual(await fileNames(page), ["game.py"]);

    // Reset: declining keeps everything; accepting leaves main.py with the starter program.
    page.once("dialog", (dialog) => dialog.dismiss());
    await page.click("button.reset-workspace");
    assert.deepEqual(await fileNames(page), ["game.py"]);
    let question = "";
    page.once("dialog", (dialog) => { question = dialog.message(); dialog.accept(); });
    await page.click("button.reset-workspace");
    await page.waitForFunction(() => document.querySelector("[data-testid=file-name]")?.textContent === "main.py");
    assert.match(question, /Delete all 1 files/);
    assert.deepEqual(await fileNames(page), ["main.py"]);
    assert.match(await page.textContent(".cm-content"), /Write your program here/);
    await page.reload();
    await openWorkbench(page, site.url);
    assert.deepEqual(await fileNames(page), ["main.py"]);
    await page.context().close();
  });

  test("a share link carries the file: opened elsewhere it joins the workspace, is shown, and runs only on Run", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    const program = "print('shared', 6 * 7, 'élève 🐍')\n";
    await setEditorText(page, program);
    await page.click("button[aria-label='Share main.py']");
    await page.waitForSelector("[data-testid=share-link]");
    const link = await page.inputValue("[data-testid=share-link]");
    assert.ok(link.startsWith(`${site.url}#share=`), link);
    assert.match(await note(page), /link to main\.py/);

    // Another student (a fresh browser profile) opens it.
    const other = await freshPage();
    await other.goto(link);
    await other.waitForFunction(() => document.querySelector(".cm-content")?.textContent.includes("shared"));
    await waitForScreen(other, /^>>> ?$/m);
    assert.match(await note(other), /Opened main\.py from a shared link\. It has not run/);
    assert.equal(await other.evaluate(() => location.hash), "", "the link's fragment is removed from the address");
    assert.doesNotMatch((await other.textContent(".terminal")) ?? "", /shared 42/, "not run on opening");
    await other.click("button.run");
    await waitForScreen(other, /^shared 42 élève 🐍$/m);

    // Opened where a different main.py exists: kept beside it, not over it.
    await setEditorText(other, "print('mine')\n");
    await other.goto(link);
    await other.waitForFunction(() => document.querySelector("[data-testid=file-name]")?.textContent === "main_2.py");
    assert.deepEqual(await fileNames(other), ["main.py", "main_2.py"]);
    assert.match(await note(other), /as main_2\.py \(you already have a different main\.py\)/);
    await other.click(".file-list button.file >> text=main.py");
    await other.waitForFunction(() => document.querySelector(".cm-content")?.textContent.includes("mine"));

    // A damaged link says so and changes nothing.
    await other.goto(`${site.url}#share=${link.split("#share=")[1].slice(0, 20)}`);
    await other.waitForFunction(() => /damaged or cut short/.test(document.querySelector("[data-testid=editor-note]")?.textContent));
    assert.deepEqual(await fileNames(other), ["main.py", "main_2.py"]);
    await other.context().close();
    await page.context().close();
  });

  test("two tabs of the workspace: what one keeps shows in the other, so neither saves over the other's work", async () => {
    const first = await freshPage();
    await openWorkbench(first, site.url);
    const second = await first.context().newPage();
    await openWorkbench(second, site.url);
    // Python in the first tab writes a file: the second tab lists it.
    await typeLine(first, "open('from_first.txt', 'w').write('1')");
    await waitForScreen(first, /^1$/m);
    await second.waitForFunction(() => [...document.querySelectorAll(".file-list button.file")].some((b) => b.textContent === "from_first.txt"));
    // An edit in the second tab reaches the first tab's editor...
    await setEditorText(second, "print('edited in the second tab')\n");
    await first.waitForFunction(() => document.querySelector(".cm-content")?.textContent.includes("edited in the second tab"));
    // ...so the first tab's next save keeps it, and its Run runs it.
    await first.click("button.run");
    await waitForScreen(first, /^edited in the second tab$/m);
    await first.reload();
    await openWorkbench(first, site.url);
    assert.match(await first.textContent(".cm-content"), /edited in the second tab/);
    assert.deepEqual(await fileNames(first), ["from_first.txt", "main.py"]);
    await first.context().close();
  });

  test("a teacher's link opens a file published on the same site, without running it", async () => {
    const page = await freshPage();
    await page.goto(`${site.url}#open=exercises/week-1/loops.py`);
    await page.waitForFunction(() => document.querySelector("[data-testid=file-name]")?.textContent === "loops.py");
    await page.waitForFunction(() => document.querySelector(".cm-content")?.textContent.includes("print('tour', i)"));
    await waitForScreen(page, /^>>> ?$/m);
    assert.match(await note(page), /Opened loops\.py from a shared link\. It has not run/);
    await page.click("button.run");
    await waitForScreen(page, /^tour 0\ntour 1\ntour 2$/m);
    // Another site, or a path out of the site, is refused.
    for (const [fragment, message] of [["open=https://example.org/x.py", /not a file this page can open/], ["open=exercises/missing.py", /could not be opened from this site \(404/]]) {
      await page.goto(`${site.url}#${fragment}`);
      await page.waitForFunction((m) => new RegExp(m).test(document.querySelector("[data-testid=editor-note]")?.textContent), message.source);
    }
    await page.context().close();
  });
});
