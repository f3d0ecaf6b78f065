// Turtle graphics through the product, as a student uses them: CPython's own turtle module
// drawing in the panel above the terminal. Checks read the canvas's pixels (and the saved
// PNG's), never a log: a square is where it should be, text is there, clicks and keys reach
// Python's callbacks, a dialog round-trips non-ASCII text, Ctrl+C stops mainloop.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../serve.mjs";
import { launch, openRepl, openWorkbench, paste, setEditorText, typeLine, waitForScreen } from "../browser.mjs";
import { canvasPoint, countPixels, pixelAt, TURTLE_SQUARE } from "../turtle.mjs";

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

async function freshPage(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.on("pageerror", (e) => console.error("page error:", e.message));
  return page;
}

/** The screen after the last "--- running main.py ---". */
const lastRun = (text) => text.split("--- running main.py ---").at(-1);

/** Runs `program` from the editor. */
async function run(page, program) {
  await setEditorText(page, program);
  await page.click("button.run");
}

/** Waits until the drawing shows `colour` ([r, g, b]) at Tk canvas point (x, y). */
async function waitForPixel(page, x, y, colour, timeout = 20000) {
  const deadline = Date.now() + timeout;
  let seen;
  while (Date.now() < deadline) {
    seen = await pixelAt(page, x, y);
    if (seen && seen.every((v, i) => Math.abs(v - colour[i]) <= 40)) return;
    await page.waitForTimeout(50);
  }
  throw new Error(`the drawing never showed rgb(${colour}) at ${x},${y}: it shows ${JSON.stringify(seen)}`);
}

describe("turtle graphics", () => {
  test("a square typed at >>> is drawn on the canvas, in its colour, where turtle puts it", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    assert.equal(await page.isVisible("[data-testid=drawing-panel]"), false, "no panel before anything is drawn");
    await paste(page, TURTLE_SQUARE);
    // PyREPL runs a pasted block at Enter, as on a desktop (the basic REPL ran it already).
    await page.keyboard.press("Enter");
    // The square's sides (turtle's y grows upwards; Tk's, downwards) are red, inside is white.
    await waitForPixel(page, 50, -100, [255, 0, 0]);
    await waitForPixel(page, 100, -50, [255, 0, 0]);
    await waitForPixel(page, 50, -50, [255, 255, 255]);
    assert.equal(await page.isVisible("[data-testid=drawing-panel]"), true);
    // The REPL goes on while the drawing stays.
    await waitForScreen(page, /^\.\.\.\n>>> ?$/m);
    await typeLine(page, "t.position()");
    await waitForScreen(page, /^\(-?0\.00,-?0\.00\)$/m);
    await page.context().close();
  });

  test("a click while Python waits at >>> runs its callback at once, as Tk's input hook does", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "import turtle; turtle.onscreenclick(lambda x, y: print('clicked at', round(x), round(y)))");
    await page.waitForSelector("canvas.drawing-canvas");
    await waitForScreen(page, /^>>> ?$/m);
    const point = await canvasPoint(page, 40, 30); // turtle's (40, -30)
    await page.mouse.click(point.x, point.y);
    const text = await waitForScreen(page, /clicked at (-?\d+) (-?\d+)$/m);
    const [x, y] = text.match(/clicked at (-?\d+) (-?\d+)$/m).slice(1).map(Number);
    assert.ok(Math.abs(x - 40) <= 3 && Math.abs(y + 30) <= 3, `clicked at ${x} ${y}, not 40 -30`);
    // The prompt still reads what is typed, and the turtle goes where a click says.
    await page.click(".terminal");
    await typeLine(page, "turtle.onscreenclick(turtle.goto); 6 * 7");
    await waitForScreen(page, /^42$/m);
    const target = await canvasPoint(page, -100, -100); // turtle's (-100, 100)
    await page.mouse.click(target.x, target.y);
    await page.click(".terminal");
    await typeLine(page, "print('at', [round(v) for v in turtle.position()])");
    const at = await waitForScreen(page, /^at \[(-?\d+), (-?\d+)\]$/m);
    const [tx, ty] = at.match(/^at \[(-?\d+), (-?\d+)\]$/m).slice(1).map(Number);
    assert.ok(Math.abs(tx + 100) <= 3 && Math.abs(ty - 100) <= 3, `the turtle went to ${tx} ${ty}, not -100 100`);
    await page.context().close();
  });

  test("write() shows its text, and the PNG saved has the drawing at the window's size", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await paste(page, [
      "import turtle",
      "turtle.setup(400, 300)",
      "turtle.hideturtle()",
      "turtle.penup()",
      "turtle.goto(-150, -40)",
      "turtle.color('blue')",
      "turtle.write('Héllo 東京', font=('Arial', 40, 'bold'))",
      "turtle.goto(0, 100)",
      "turtle.dot(40, 'green')",
      "",
    ].join("\n"));
    await page.keyboard.press("Enter");
    await waitForPixel(page, 0, -100, [0, 255, 0]);
    // Blue text on the 40 px above the pen's point (turtle's y = -40 is Tk's 40).
    const blue = await countPixels(page, { x: -150, y: 0, width: 300, height: 40 }, [0, 0, 255]);
    assert.ok(blue > 300, `only ${blue} blue pixels where the text should be`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("text=PNG")]);
    assert.equal(download.suggestedFilename(), "drawing.png");
    const png = await readFile(await download.path());
    assert.equal(png.subarray(1, 4).toString(), "PNG");
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    // The PNG's own pixels: decoded by the browser, the dot is green in it too.
    const dot = await page.evaluate(async ({ data, x, y }) => {
      const image = new Image();
      image.src = `data:image/png;base64,${data}`;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext("2d");
      context.drawImage(image, 0, 0);
      return [...context.getImageData(x, y, 1, 1).data.slice(0, 3)];
    }, { data: png.toString("base64"), x: Math.round(width / 2), y: Math.round(height / 2 - 100) });
    assert.deepEqual(dot, [0, 255, 0], `the PNG (${width}x${height}) lacks the green dot`);
    const [svgDownload] = await Promise.all([page.waitForEvent("download"), page.click("text=SVG")]);
    const svg = await readFile(await svgDownload.path(), "utf8");
    assert.match(svg, /<text [^>]*fill="#0000ff"[^>]*>Héllo 東京<\/text>/);
    await page.context().close();
  });

  test("onclick and onscreenclick call back in mainloop; Ctrl+C stops mainloop", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await run(page, [
      "import turtle",
      "t = turtle.Turtle()",
      "t.shape('square')",
      "t.shapesize(3)",
      "t.onclick(lambda x, y: print('turtle clicked'))",
      "turtle.onscreenclick(lambda x, y: print(f'screen clicked at {x:.1f} {y:.1f}'))",
      "print('waiting')",
      "turtle.mainloop()",
      "",
    ].join("\n"));
    await waitForScreen(page, (t) => /^waiting$/m.test(lastRun(t)));
    await page.waitForSelector("canvas.drawing-canvas");
    let point = await canvasPoint(page, 0, 0);
    await page.mouse.click(point.x, point.y);
    await waitForScreen(page, (t) => /^turtle clicked$/m.test(lastRun(t)));
    point = await canvasPoint(page, 100, -60); // turtle's (100, 60)
    await page.mouse.click(point.x, point.y);
    // The first click hit the turtle and the screen (both bindings fire, as in Tk); the
    // second, the screen where it landed, within the screen pixel it hit (the drawing is
    // scaled to fit the panel).
    const clicks = (t) => [...lastRun(t).matchAll(/^screen clicked at (\S+) (\S+)$/gm)];
    const text = await waitForScreen(page, (t) => clicks(t).length === 2);
    const [x, y] = clicks(text)[1].slice(1).map(Number);
    assert.ok(Math.abs(x - 100) <= 3 && Math.abs(y - 60) <= 3, `clicked at ${x} ${y}, not 100 60`);
    await page.click(".terminal");
    await page.keyboard.press("Control+c");
    await waitForScreen(page, (t) => /KeyboardInterrupt\n>>> ?$/m.test(lastRun(t)));
    await page.context().close();
  });

  test("onkey with listen() calls back; closing the drawing ends mainloop", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await run(page, [
      "import turtle",
      "turtle.onkey(lambda: print('up pressed'), 'Up')",
      "turtle.onkeypress(lambda: print('a pressed'), 'a')",
      "turtle.listen()",
      "print('listening')",
      "turtle.mainloop()",
      "print('mainloop ended')",
      "",
    ].join("\n"));
    await waitForScreen(page, (t) => /^listening$/m.test(lastRun(t)));
    // listen() gave the drawing the keyboard: no click needed.
    await page.waitForFunction(() => document.activeElement?.classList.contains("drawing-canvas"));
    await page.keyboard.press("ArrowUp");
    await waitForScreen(page, (t) => /^up pressed$/m.test(lastRun(t)));
    await page.keyboard.press("a");
    await waitForScreen(page, (t) => /^a pressed$/m.test(lastRun(t)));
    await page.click("[aria-label='Close the drawing']");
    await waitForScreen(page, (t) => /^mainloop ended\n>>> ?$/m.test(lastRun(t)));
    assert.equal(await page.isVisible("[data-testid=drawing-panel]"), false);
    await page.context().close();
  });

  test("textinput and numinput ask in a dialog: non-ASCII text round-trips, a bad number is refused", async () => {
    const page = await freshPage();
    await openWorkbench(page, site.url);
    await run(page, [
      "import turtle",
      "name = turtle.textinput('Name', 'Your name?')",
      "print('name:', name)",
      "n = turtle.numinput('Size', 'How big?', default=5, minval=1, maxval=10)",
      "print('size:', n)",
      "print('cancelled:', turtle.textinput('Again', 'Cancel me'))",
      "",
    ].join("\n"));
    await page.waitForSelector("[data-testid=drawing-question] input");
    await page.fill("[data-testid=drawing-question] input", "Zoë 東京");
    await page.click("[data-testid=drawing-question] button[type=submit]");
    await waitForScreen(page, (t) => /^name: Zoë 東京$/m.test(lastRun(t)));
    await page.waitForSelector("[data-testid=drawing-question] input");
    assert.equal(await page.inputValue("[data-testid=drawing-question] input"), "5");
    await page.fill("[data-testid=drawing-question] input", "42");
    await page.press("[data-testid=drawing-question] input", "Enter");
    await page.waitForSelector("text=The allowed maximum value is 10");
    await page.fill("[data-testid=drawing-question] input", "3.5");
    await page.press("[data-testid=drawing-question] input", "Enter");
    await waitForScreen(page, (t) => /^size: 3\.5$/m.test(lastRun(t)));
    await page.waitForSelector("text=Cancel me");
    await page.click("[data-testid=drawing-question] button[type=button]");
    await waitForScreen(page, (t) => /^cancelled: None\n>>> ?$/m.test(lastRun(t)));
    await page.context().close();
  });

  test("a turtledemo program runs; Restart clears the drawing; tkinter beyond turtle says why not", async () => {
    const page = await freshPage();
    await openRepl(page, site.url);
    await typeLine(page, "from turtledemo import yinyang; yinyang.main()");
    await waitForScreen(page, /^'Done!'\n>>> ?$/m, 60000);
    // Yin and yang: black on one side of the centre, white on the other.
    await waitForPixel(page, -100, 0, [0, 0, 0]);
    await waitForPixel(page, 100, 0, [255, 255, 255]);
    await typeLine(page, "import tkinter; tkinter.Button");
    await waitForScreen(page, /not available in the browser/);
    await page.click("button.restart");
    await waitForScreen(page, (t) => /restarting Python/.test(t) && /^>>> ?$/m.test(t.split("restarting Python").at(-1)));
    await page.waitForSelector("[data-testid=drawing-panel]", { state: "hidden" });
    await page.context().close();
  });
});
