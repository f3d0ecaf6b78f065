// Turtle graphics under Node: CPython's own turtle.py draws through our tkinter
// (src/worker/python/tkinter_init.py) on the loader's headless /dev/canvas. The checks read
// the drawing ops Python sent (what the page would draw), and play the page's side with
// injected events: clicks where something was drawn, keys, dialog answers, close, Ctrl+C.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Worker } from "node:worker_threads";
import { runPython } from "../../python-dist/node-loader.mjs";

const SIGINT = 2;

/** Runs `lines` of Python with the canvas device; `events(ops, printed)` plays the page. */
async function draw(lines, { events = null, signals = null } = {}) {
  const printed = [];
  const result = await runPython(["-c", lines.join("\n")], {
    signals,
    onPrint: (line) => printed.push(line),
    canvasEvents: events && ((ops) => events(ops, printed)),
  });
  const stderr = result.stderr.replace(/\x1b\[[0-9;]*m/g, "");
  return { ...result, stderr, printed };
}

const created = (ops, kind) => ops.filter((op) => op.op === "create" && op.kind === kind);
/** Every item's last coordinates and options (id → state), after every op that changed it. */
function itemStates(ops) {
  const states = new Map();
  for (const { op, ...rest } of ops) {
    if (op === "create") states.set(rest.id, rest);
    else if ((op === "coords" || op === "config") && states.has(rest.id)) Object.assign(states.get(rest.id), rest);
    else if (op === "delete") states.delete(rest.id);
  }
  return states;
}
const itemState = (ops, id) => itemStates(ops).get(id);
/** The canvas's last view (the canvas op) and the pixel where a canvas point is drawn. */
function toPixel(ops, x, y, cv = 1) {
  const view = ops.filter((op) => op.op === "canvas" && op.cv === cv).at(-1);
  return { x: x - view.x0, y: y - view.y0 };
}
const near = (a, b) => Math.abs(a - b) < 1e-6;

test("a square is four lines through its corners, a fill is a polygon, text has Tk's font", async () => {
  const { code, stderr, canvas, printed } = await draw([
    "import turtle",
    "t = turtle.Turtle()",
    "turtle.tracer(0)",
    "for _ in range(4):",
    "    t.forward(100)",
    "    t.left(90)",
    "t.penup(); t.goto(-50, -50); t.pendown()",
    "t.fillcolor('orange'); t.begin_fill()",
    "for _ in range(3):",
    "    t.forward(40); t.left(120)",
    "t.end_fill()",
    "t.write('héllo', font=('Arial', 16, 'bold'))",
    "turtle.update()",
    "print('size', turtle.window_width(), turtle.window_height())",
  ]);
  assert.equal(code, 0, stderr);
  assert.ok(printed.includes("size 640 600"), printed.join("\n"));
  // turtle draws its path as one line item whose points grow: the corners, y downwards in Tk.
  const lines = created(canvas, "line").map((op) => itemState(canvas, op.id));
  const square = lines.find((l) => l.coords.length === 10);
  assert.ok(square, JSON.stringify(lines));
  const corners = [[0, 0], [100, 0], [100, -100], [0, -100], [0, 0]];
  corners.forEach(([x, y], i) => {
    assert.ok(near(square.coords[2 * i], x) && near(square.coords[2 * i + 1], y), JSON.stringify(square.coords));
  });
  assert.equal(square.fill, "#000000");
  // The fill is a polygon without outline (the turtle's own shape, filled orange too, has one).
  const fills = created(canvas, "polygon").map((op) => itemState(canvas, op.id))
    .filter((p) => p.fill === "#ffa500" && p.outline === "");
  assert.equal(fills.length, 1, JSON.stringify(created(canvas, "polygon")));
  assert.deepEqual(fills[0].coords.map(Math.round), [-50, 50, -10, 50, -30, 15, -50, 50]);
  const [text] = created(canvas, "text");
  assert.equal(text.text, "héllo");
  assert.match(text.font, /\bbold\b/);
  assert.match(text.font, /\b21\.33px\b/);
  assert.match(text.font, /"Arial"/);
  assert.equal(text.anchor, "sw");
  // The view is centred: turtle's (0, 0) at the middle of the 640 × 600 canvas.
  assert.deepEqual(toPixel(canvas, 0, 0), { x: 320, y: 300 });
});

test("colours: colormode(255) tuples, X11 names, and a bad name fails as on a desktop", async () => {
  const { code, stderr, canvas, printed } = await draw([
    "import turtle",
    "t = turtle.Turtle()",
    "turtle.colormode(255)",
    "t.pencolor((255, 0, 0)); t.forward(10)",
    "t.pencolor('dark slate gray'); t.forward(10)",
    "t.pencolor('LightGoldenrod1'); t.forward(10)",
    "try:",
    "    t.pencolor('nosuchcolor')",
    "except turtle.TurtleGraphicsError as error:",
    "    print('error:', error)",
    "import tkinter",
    "print(tkinter.Canvas().winfo_rgb('gray50'), tkinter.Canvas().winfo_rgb('#fff'))",
    "turtle.bgcolor('light blue')",
    "print('bg', turtle.bgcolor())",
  ]);
  assert.equal(code, 0, stderr);
  const colours = canvas.filter((op) => op.op === "config" && "fill" in op).map((op) => op.fill);
  for (const colour of ["#ff0000", "#2f4f4f", "#ffec8b"]) assert.ok(colours.includes(colour), `${colour} in ${colours}`);
  assert.ok(printed.includes("error: bad color string: nosuchcolor"), printed.join("\n"));
  assert.ok(printed.includes("(32639, 32639, 32639) (65535, 65535, 65535)"), printed.join("\n"));
  assert.ok(printed.includes("bg light blue"), printed.join("\n"));
  assert.equal(canvas.filter((op) => op.op === "canvas").at(-1).bg, "#add8e6");
});

test("tracer(0) and update(): 10 000 segments in a few batches, every segment drawn", async () => {
  const { code, stderr, canvas, canvasBatches, printed } = await draw([
    "import turtle",
    "turtle.tracer(0)",
    "t = turtle.Turtle()",
    "for i in range(10000):",
    "    t.goto(i % 200 - 100, (i * 7) % 200 - 100)",
    "turtle.update()",
    "print('drawn')",
  ]);
  assert.equal(code, 0, stderr);
  assert.ok(printed.includes("drawn"));
  assert.ok(canvasBatches < 30, `${canvasBatches} batches`);
  // The union of the line items' final points is the whole path (consecutive items share a point).
  const path = [];
  for (const op of created(canvas, "line")) {
    const coords = itemState(canvas, op.id).coords;
    for (let i = 0; i < coords.length; i += 2) path.push([coords[i], coords[i + 1]]);
  }
  const visited = new Set(path.map(([x, y]) => `${Math.round(x)},${Math.round(y)}`));
  for (let i = 0; i < 10000; i += 1) {
    const key = `${i % 200 - 100},${-((i * 7) % 200 - 100)}`;
    if (!visited.has(key)) assert.fail(`segment end ${i} (${key}) is not drawn`);
  }
});

test("onclick on a turtle, onscreenclick with world coordinates, onkey with listen, ondrag", async () => {
  let step = 0;
  const { code, stderr, printed } = await draw([
    "import turtle",
    "s = turtle.Screen()",
    "t = turtle.Turtle(shape='circle')",
    "t.penup(); t.goto(100, 50)",
    "t.onclick(lambda x, y: print('turtle clicked', x, y))",
    "s.onscreenclick(lambda x, y: print('screen clicked', x, y), 3)",
    "t.ondrag(lambda x, y: (print('dragged', x, y), t.goto(x, y)))",
    "t.onrelease(lambda x, y: print('released', x, y))",
    "s.onkey(lambda: print('Up released'), 'Up')",
    "s.onkeypress(lambda: print('a pressed'), 'a')",
    "s.listen()",
    "print('ready', flush=True)",
    "s.ontimer(s.bye, 5000)",
    "s.mainloop()",
    "print('mainloop ended')",
  ], {
    events: (ops, printed) => {
      if (!printed.includes("ready")) return null;
      const at = toPixel(ops, 100, -50);
      step += 1;
      if (step === 1) {
        return [
          { ev: "press", cv: 1, button: 1, x: at.x, y: at.y },
          { ev: "motion", cv: 1, button: 1, x: at.x + 20, y: at.y + 10 },
          { ev: "release", cv: 1, button: 1, x: at.x + 20, y: at.y + 10 },
          { ev: "press", cv: 1, button: 3, x: 20, y: 30 },
          { ev: "release", cv: 1, button: 3, x: 20, y: 30 },
          { ev: "key", cv: 1, down: true, keysym: "a", char: "a" },
          { ev: "key", cv: 1, down: true, keysym: "Up", char: "" },
          { ev: "key", cv: 1, down: false, keysym: "Up", char: "" },
        ];
      }
      // Close once all ran (the drag's animation reads events too, inside its callback).
      return printed.includes("Up released") && step < 100 ? ((step = 100), ['{"ev":"close"}']) : null;
    },
  });
  assert.equal(code, 0, stderr);
  assert.deepEqual(printed.filter((l) => !l.startsWith("ready")), [
    "turtle clicked 100.0 50.0",
    "dragged 120.0 40.0",
    "released 120.0 40.0",
    "screen clicked -300.0 270.0",
    "a pressed",
    "Up released",
    "mainloop ended",
  ]);
});

test("textinput and numinput: the page's dialog answers (non-ASCII, cancel, a number), Ctrl+C", async () => {
  const answers = ["Zoë 東京", null, "3.5"];
  const asked = [];
  const signals = new Uint8Array(new SharedArrayBuffer(1));
  const { code, stderr, printed } = await draw([
    "import turtle",
    "print(repr(turtle.textinput('Name', 'Your name?')))",
    "print(repr(turtle.textinput('Name', 'Again?')))",
    "print(repr(turtle.numinput('Size', 'How big?', default=2, minval=1, maxval=10)))",
    "try:",
    "    turtle.textinput('Wait', 'Nobody answers this one')",
    "except KeyboardInterrupt:",
    "    print('KeyboardInterrupt')",
  ], {
    signals,
    events: (ops) => {
      const asks = ops.filter((op) => op.op === "ask");
      if (asks.length === asked.length) return null;
      const ask = asks.at(-1);
      asked.push(ask);
      if (asked.length > answers.length) {
        Atomics.store(signals, 0, SIGINT); // the student presses Ctrl+C instead
        return null;
      }
      return [{ ev: "answer", ask: ask.ask, value: answers[asked.length - 1] }];
    },
  });
  assert.equal(code, 0, stderr);
  assert.deepEqual(printed, ["'Zoë 東京'", "None", "3.5", "KeyboardInterrupt"]);
  assert.deepEqual(asked.map((a) => [a.kind, a.title, a.prompt, a.initial, a.min, a.max]), [
    ["string", "Name", "Your name?", null, null, null],
    ["string", "Name", "Again?", null, null, null],
    ["float", "Size", "How big?", "2", 1, 10],
    ["string", "Wait", "Nobody answers this one", null, null, null],
  ]);
});

test("drawing is sent before each interactive prompt and at exit, not per item", async () => {
  const log = [];
  const result = await runPython(["-c", [
    "import sys, tkinter",
    "sys.__interactivehook__()  # as the REPL starts: sitecustomize's prompts",
    "canvas = tkinter.Canvas()",
    "canvas.pack()",
    "canvas.update()",
    "canvas.create_line(0, 0, 100, 0)",
    "print('drawn', flush=True)",
    "print('prompt', repr(str(sys.ps1)), repr(str(sys.ps2)), type(sys.ps1).__name__, flush=True)",
    "canvas.create_line(100, 0, 100, -50)",
    "print('exiting', flush=True)",
  ].join("\n")], {
    onPrint: (line) => log.push(line),
    onCanvas: (ops) => log.push(ops),
  });
  assert.equal(result.code, 0, result.stderr);
  const at = (text) => log.findIndex((entry) => typeof entry === "string" && entry.startsWith(text));
  const lineTo = (entry, x, y) => typeof entry !== "string" &&
    entry.some((op) => op.coords && near(op.coords.at(-2), x) && near(op.coords.at(-1), y));
  // Nothing sent between drawing and the prompt's str(), then the line, before the prompt.
  assert.equal(log.slice(at("drawn"), at("prompt")).filter((e) => lineTo(e, 100, 0)).length, 1, JSON.stringify(log));
  assert.equal(log[at("prompt")], "prompt '>>> ' '... ' _Prompt");
  // The last line goes at exit (atexit), after the program's last output.
  assert.ok(log.slice(at("exiting")).some((e) => lineTo(e, 100, -50)), JSON.stringify(log.slice(at("exiting"))));
});

test("python -i: the prompts that flush are put in place when the REPL starts, not before", async () => {
  const { code, stderr, printed } = await draw([
    "import sys, turtle",
    "turtle.forward(10)",
    "print(hasattr(sys, 'ps1'))",
    "sys.__interactivehook__()  # what CPython calls once the program ends and the REPL begins",
    "print(type(sys.ps1).__name__, str(sys.ps1), str(sys.ps2))",
  ]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(printed, ["False", "_Prompt >>>  ... "]);
});

test("ontimer fires inside mainloop, and bye() in a callback ends mainloop", async () => {
  const { code, stderr, printed, canvas } = await draw([
    "import time, turtle",
    "s = turtle.Screen()",
    "started = time.monotonic()",
    "ticks = []",
    "def tick():",
    "    ticks.append(round(time.monotonic() - started, 1))",
    "    if len(ticks) < 3:",
    "        s.ontimer(tick, 200)",
    "    else:",
    "        s.bye()",
    "s.ontimer(tick, 200)",
    "turtle.mainloop()",
    "print('ticks', len(ticks), ticks[-1] >= 0.55 and ticks[-1] < 3)",
  ]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(printed, ["ticks 3 True"]);
  assert.equal(canvas.at(-1).op, "close");
});

test("a close event ends mainloop (turtle's WM_DELETE_WINDOW handler); drawing after it is Terminator", async () => {
  let sent = false;
  const { code, stderr, printed } = await draw([
    "import turtle",
    "turtle.forward(10)",
    "print('in mainloop', flush=True)",
    "turtle.done()",
    "print('done returned')",
    "try:",
    "    turtle.forward(10)",
    "except turtle.Terminator:",
    "    print('Terminator')",
  ], {
    events: (ops, printed) => {
      if (sent || !printed.includes("in mainloop")) return null;
      sent = true;
      return ['{"ev":"close"}'];
    },
  });
  assert.equal(code, 0, stderr);
  assert.deepEqual(printed, ["in mainloop", "done returned", "Terminator"]);
});

// At a desktop's >>>, Tk's input hook handles clicks while the REPL waits; here the worker
// raises SIGUSR1 for them (the browser tests click at the prompt). Under Node: the request
// is made, the handler is ours, and it runs the click's callback.
test("events while Python waits for input: the worker is asked for SIGUSR1, whose handler runs the callbacks", async () => {
  let sent = false;
  const { code, stderr, printed, canvasInputHook } = await draw([
    "import signal, turtle",
    "turtle.onscreenclick(lambda x, y: print('clicked', x, y))",
    "print('ready', flush=True)",
    "handler = signal.getsignal(signal.SIGUSR1)",
    "print(handler.__module__, handler.__name__)",
    "handler(signal.SIGUSR1, None)",
  ], {
    events: (ops, printed) => {
      if (sent || !printed.includes("ready")) return null;
      sent = true;
      const at = toPixel(ops, 30, -20);
      return [JSON.stringify({ ev: "press", cv: 1, button: 1, x: at.x, y: at.y })];
    },
  });
  assert.equal(code, 0, stderr);
  assert.equal(canvasInputHook, true);
  assert.deepEqual(printed, ["ready", "tkinter _input_hook", "clicked 30.0 20.0"]);
});

// Ctrl+C as the page delivers it: another thread stores SIGINT in the shared signal byte.
test("Ctrl+C during mainloop raises KeyboardInterrupt within a second", { timeout: 60_000 }, async () => {
  const source = `
    import { parentPort, workerData } from "node:worker_threads";
    import { runPython } from ${JSON.stringify(new URL("../../python-dist/node-loader.mjs", import.meta.url).href)};
    const result = await runPython(["-c", workerData.script], {
      signals: new Uint8Array(workerData.signals),
      onPrint: (line) => parentPort.postMessage(line),
    });
    parentPort.postMessage({ code: result.code, stderr: result.stderr });`;
  const shared = new SharedArrayBuffer(1);
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), {
    workerData: {
      signals: shared,
      script: [
        "import time, turtle",
        "turtle.forward(50)",
        "print('waiting', flush=True)",
        "try:",
        "    turtle.mainloop()",
        "except KeyboardInterrupt:",
        "    print('KeyboardInterrupt', flush=True)",
      ].join("\n"),
    },
  });
  const lines = [];
  let pressed = 0;
  let interruptedAt = 0;
  try {
    await new Promise((resolve, reject) => {
      worker.on("error", reject);
      worker.on("message", (message) => {
        lines.push(message);
        if (message === "KeyboardInterrupt") interruptedAt = performance.now();
        if (message === "waiting") {
          // mainloop waits on the device now (a timer would fire in the page's event loop).
          setTimeout(() => {
            pressed = performance.now();
            Atomics.store(new Uint8Array(shared), 0, SIGINT);
          }, 500);
        }
        if (typeof message === "object") resolve();
      });
    });
  } finally {
    await worker.terminate();
  }
  const interrupted = lines.indexOf("KeyboardInterrupt");
  assert.ok(interrupted > 0, JSON.stringify(lines));
  assert.equal(lines.at(-1).code, 0, lines.at(-1).stderr);
  const ms = interruptedAt - pressed;
  assert.ok(pressed > 0 && ms < 1000, `KeyboardInterrupt ${ms} ms after Ctrl+C`);
});

test("what turtle does not use says clearly that Tk windows are not in the browser", async () => {
  const { code, stderr, printed } = await draw([
    "import tkinter",
    "for attempt in ('tkinter.Button', 'from tkinter import Label', 'import tkinter.messagebox',",
    "                'import tkinter.ttk', 'from tkinter import filedialog', 'tkinter.Canvas().create_arc'):",
    "    try:",
    "        exec(attempt)",
    "        print('no error:', attempt)",
    "    except ImportError as error:",
    "        print('ImportError', type(error).__name__, error)",
    "    except AttributeError as error:",
    "        print('AttributeError', error)",
    "from tkinter import *",
    "print('star', 'Canvas' in dir(), 'Button' in dir(), SUNKEN, ROUND)",
  ]);
  assert.equal(code, 0, stderr);
  assert.equal(printed.length, 7, printed.join("\n"));
  for (const line of printed.slice(0, 6)) {
    assert.match(line, /^(ImportError TkUnavailableError|AttributeError) .*Tk windows are not available in the browser/, line);
    assert.match(line, /only what turtle graphics draws with/);
  }
  assert.match(printed[0], /tkinter\.Button is not available/);
  assert.match(printed[2], /module tkinter\.messagebox is not available/);
  assert.equal(printed[6], "star True False sunken round");
});

test("shapes, stamps, dots, circles, undo, clear, reset, several turtles, image shapes and bgpic", async () => {
  // A 2 × 3 GIF and a 4 × 5 PNG (headers are what the size comes from).
  const gif = Buffer.from("R0lGODlhAgADAIAAAP///wAAACwAAAAAAgADAAACAoRRADs=", "base64");
  const { code, stderr, printed, canvas } = await draw([
    "import base64, turtle",
    `open('/tmp/a.gif', 'wb').write(base64.b64decode('${gif.toString("base64")}'))`,
    "import zlib, struct",
    "def chunk(kind, data): return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))",
    "png = b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 4, 5, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(b'\\x00' * 65)) + chunk(b'IEND', b'')",
    "open('/tmp/b.png', 'wb').write(png)",
    "s = turtle.Screen()",
    "s.setup(400, 300)",
    "s.title('shapes')",
    "s.register_shape('/tmp/a.gif')",
    "s.register_shape('tri', ((0, 0), (10, 10), (0, 10)))",
    "s.bgpic('/tmp/b.png')",
    "a, b = turtle.Turtle('turtle'), turtle.Turtle('/tmp/a.gif')",
    "for shape in ('classic', 'turtle', 'circle', 'square', 'triangle', 'arrow', 'tri'):",
    "    a.shape(shape); a.stamp(); a.forward(20)",
    "a.clearstamps(2)",
    "a.dot(20, 'red'); a.circle(30); a.undo()",
    "b.goto(50, 50)",
    "print('turtles', len(s.turtles()), s.window_width(), s.window_height())",
    "b.clear(); a.reset()",
    "s.setworldcoordinates(0, 0, 100, 100)",
    "s.screensize(800, 800)",
    "print('screensize', s.screensize())",
  ]);
  assert.equal(code, 0, stderr);
  assert.deepEqual(printed, ["turtles 2 400 300", "screensize (800, 800)"]);
  assert.ok(canvas.some((op) => op.op === "window" && op.title === "shapes"));
  const images = canvas.filter((op) => op.op === "image");
  assert.ok(images.some((op) => op.mime === "image/gif" && op.width === 2 && op.height === 3), JSON.stringify(images.map(({ data, ...o }) => o)));
  assert.ok(images.some((op) => op.mime === "image/png" && op.width === 4 && op.height === 5));
  // turtle draws a dot as a line of no length with round caps, as wide as the dot.
  const everDrawn = itemStates(canvas.filter((op) => op.op !== "delete")); // reset() deletes it later
  const dots = [...everDrawn.values()].filter((i) => i.kind === "line" && i.width === 20);
  assert.ok(dots.some((d) => d.fill === "#ff0000" && d.capstyle === "round" && near(d.coords[0], d.coords[2])), JSON.stringify(dots));
  assert.ok(created(canvas, "polygon").length > 7, "stamps");
  assert.ok(canvas.some((op) => op.op === "delete"));
  assert.ok(canvas.some((op) => op.op === "lower"), "bgpic goes below");
});

test("two canvases in one window (TK.Tk and TK.Canvas with pack)", async () => {
  const { code, stderr, canvas } = await draw([
    "import tkinter as TK, turtle",
    "root = TK.Tk()",
    "cv1 = TK.Canvas(root, width=300, height=200, bg='#ddffff'); cv1.pack()",
    "cv2 = TK.Canvas(root, width=300, height=200, bg='#ffeeee'); cv2.pack()",
    "s1, s2 = turtle.TurtleScreen(cv1), turtle.TurtleScreen(cv2)",
    "p, q = turtle.RawTurtle(s1), turtle.RawTurtle(s2)",
    "p.forward(50); q.left(90); q.forward(50)",
    "cv2.create_oval(-10, -10, 10, 10); cv2.create_rectangle(0, 0, 20, 5, fill='gold', width=2)",
    "root.destroy()",
  ]);
  assert.equal(code, 0, stderr);
  const views = canvas.filter((op) => op.op === "canvas");
  for (const cv of [1, 2]) {
    const view = views.filter((op) => op.cv === cv).at(-1);
    assert.deepEqual([view.width, view.height, view.x0, view.y0], [300, 200, -150, -100]);
  }
  const lines = created(canvas, "line").map((op) => ({ cv: op.cv, ...itemState(canvas, op.id) }));
  assert.ok(lines.some((l) => l.cv === 1 && near(l.coords.at(-2), 50)), JSON.stringify(lines));
  assert.ok(lines.some((l) => l.cv === 2 && near(l.coords.at(-1), -50)), JSON.stringify(lines));
  // Tk's own defaults go with each item (an oval's outline is black, its fill none).
  const [oval] = created(canvas, "oval");
  assert.deepEqual([oval.cv, oval.fill, oval.outline, oval.width, oval.state], [2, "", "#000000", 1, "normal"]);
  const [box] = created(canvas, "rectangle");
  assert.deepEqual([box.fill, box.outline, box.width], ["#ffd700", "#000000", 2]);
  assert.equal(canvas.at(-1).op, "close");
});

// CPython's turtledemo programs, run as turtledemo's viewer runs them: main(), then the event
// loop (tkinter.mainloop) until the page closes the window. One interpreter runs them all in
// turn; each one's outcome and any error (callback errors too: they go to stderr) is printed.
const demoHarness = [
  "import io, sys, time, traceback, importlib, tkinter, turtle",
  "turtle._CFG['delay'] = 0  # no pause between animation steps (the speed stays the demo's)",
  "for name in sys.argv[1:]:",
  "    errors, sys.stderr = sys.stderr, io.StringIO()",
  "    turtle.TurtleScreen._RUNNING = True",
  "    started = time.monotonic()",
  "    try:",
  "        module = importlib.import_module('turtledemo.' + name)",
  "        print('START', name, flush=True)",
  "        if name == 'clock':",
  "            turtle.mode('logo')  # as its own __main__ does",
  "        result = module.main()",
  "        print('MAIN', name, result, flush=True)",
  "        if tkinter._default_root is not None:",
  "            tkinter.mainloop()",
  "        outcome = 'finished'",
  "    except turtle.Terminator:",
  "        outcome = 'stopped by close'",
  "    except KeyboardInterrupt:",
  "        outcome = 'stopped by Ctrl+C'",
  "    except BaseException:",
  "        traceback.print_exc()",
  "        outcome = 'error'",
  "    problems, sys.stderr = sys.stderr.getvalue(), errors",
  "    if turtle.Turtle._screen is not None:",
  "        turtle.bye()",
  "    while tkinter._default_root is not None:",
  "        tkinter._default_root.destroy()",
  "    print('END', name, outcome, round(time.monotonic() - started, 1), repr(problems), flush=True)",
].join("\n");

const key = (keysym, char = keysym.length === 1 ? keysym : "") => [
  { ev: "key", cv: 1, down: true, keysym, char },
  { ev: "key", cv: 1, down: false, keysym, char },
];
const click = ({ x, y, cv }, button = 1) => [
  { ev: "press", cv, button, x, y },
  { ev: "release", cv, button, x, y },
];
/** A pixel of the demo's (last) canvas. */
const pixel = (ops, x, y) => ({ x, y, cv: ops.filter((op) => op.op === "canvas").at(-1).cv });
/** Where a polygon drawn with `fill` (and an outline: a turtle) is now, in pixels: its
 * points' centre. */
function centreOf(ops, fill) {
  const items = [...itemStates(ops).values()].filter((i) => i.kind === "polygon");
  const item = items.filter((i) => i.fill === fill && i.outline && i.state !== "hidden").at(-1);
  if (!item) return null;
  const xs = item.coords.filter((_, i) => i % 2 === 0);
  const ys = item.coords.filter((_, i) => i % 2 === 1);
  const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
  return { ...toPixel(ops, mean(xs), mean(ys), item.cv), cv: item.cv };
}

// What the page does during each demo: `at` ms after its main() returned (or, with `fromStart`,
// after it started: those loop inside main()), the events to send, or "close" / "Ctrl+C".
const demos = {
  tree: [[200, "close"]],
  forest: [[200, "close"]],
  fractalcurves: [[200, "close"]],
  lindenmayer: [[200, "close"]],
  peace: [[200, "close"]],
  penrose: [[6000, "close", { fromStart: true }]], // it sleeps 2 s between rounds: 40 s in all
  bytedesign: [[200, "close"]],
  chaos: [[200, "close"]],
  yinyang: [[200, "close"]],
  rosette: [[200, "close"]],
  two_canvases: [[200, "close"]],
  clock: [[2000, "close"]],
  minimal_hanoi: [[100, () => key("space")], [2000, "close"]],
  paint: [
    [100, (ops) => [[300, 300, 3], [350, 250, 1], [400, 320, 1], [320, 380, 1], [300, 300, 3]]
      .flatMap(([x, y, button]) => click(pixel(ops, x, y), button))],
    [1000, "close"],
  ],
  colormixer: [
    [100, (ops) => {
      const at = centreOf(ops, "#800000"); // the red slider's turtle: (0.5, 0, 0)
      return at && [
        { ev: "press", button: 1, ...at },
        { ev: "motion", button: 1, ...at, y: at.y - 60 },
        { ev: "release", button: 1, ...at, y: at.y - 60 },
      ];
    }],
    [1500, "close"],
  ],
  nim: [
    [100, () => key("space")],
    [600, (ops) => { const at = centreOf(ops, "#3f3f1f"); return at && click(at); }],
    // Closing while the computer moves would stop nim inside its click callback, which
    // reports the error (as on a desktop): close once it is our turn again, or the game is
    // over (the rows are random), and nim has drawn nothing since the last look (its
    // callback may still be drawing just after it says whose turn it is).
    [300, (() => {
      let drawnBefore = -1;
      return (ops) => {
        const computerMoved = ops.some((op) => op.op === "config" && op.fill === "#ccccff");
        const said = ops.filter((op) => op.op === "create" && op.kind === "text").at(-1)?.text ?? "";
        const quiet = ops.length === drawnBefore;
        drawnBefore = ops.length;
        return computerMoved && quiet && /^(Your turn|To play again)/.test(said) ? ['{"ev":"close"}'] : null;
      };
    })()],
  ],
  round_dance: [[2500, () => key("space", " "), { fromStart: true }], [300, "close"]],
  sorting_animate: [[100, () => key("i")], [2000, "Ctrl+C"]],
  planet_and_moon: [[2500, "Ctrl+C", { fromStart: true }]],
};

test("turtledemo's programs run headless, and stop when closed or interrupted", { timeout: 170_000 }, async (t) => {
  const signals = new Uint8Array(new SharedArrayBuffer(1));
  const printed = [];
  let current = null; // { name, plan, started, mainDone, last, step, from }
  const from = {}; // where each demo's ops begin
  const events = (ops) => {
    const line = printed.at(-1) ?? "";
    const [word, name] = line.split(" ");
    if (word === "START" && current?.name !== name) {
      current = { name, plan: demos[name], started: performance.now(), step: 0, from: ops.length };
      from[name] = ops.length;
    }
    if (word === "MAIN" && current?.name === name && !current.mainDone) {
      current.mainDone = performance.now();
      current.last = current.mainDone;
    }
    if (!current || current.step >= current.plan.length) return null;
    const [ms, action, { fromStart = false } = {}] = current.plan[current.step];
    const since = fromStart && current.step === 0 ? current.started : current.last;
    if (since === undefined || performance.now() - since < ms) return null;
    let sent = null;
    if (action === "close") sent = ['{"ev":"close"}'];
    else if (action === "Ctrl+C") Atomics.store(signals, 0, SIGINT);
    else sent = action(ops.slice(current.from));
    if (action !== "Ctrl+C" && !sent) {
      if (performance.now() - since < ms + 5000) return null; // nothing to click yet: try again
      sent = ['{"ev":"close"}']; // never wait forever: end the demo (its checks then fail)
    }
    current.step += 1;
    current.last = performance.now();
    return sent;
  };
  const names = Object.keys(demos);
  const result = await runPython(["-c", demoHarness, ...names], {
    signals,
    onPrint: (line) => printed.push(line),
    canvasEvents: events,
  });
  const ends = Object.fromEntries(printed.filter((l) => l.startsWith("END ")).map((l) => [l.split(" ")[1], l]));
  for (const line of Object.values(ends)) t.diagnostic(line.slice(0, 200));
  const expected = { penrose: "stopped by close", sorting_animate: "stopped by Ctrl\\+C", planet_and_moon: "stopped by Ctrl\\+C" };
  for (const name of names) {
    await t.test(name, () => {
      assert.ok(ends[name], `${name} did not end: ${printed.slice(-5).join(" | ")}\n${result.stderr}`);
      const outcome = expected[name] ?? "finished";
      assert.match(ends[name], new RegExp(`^END ${name} ${outcome} [\\d.]+ ''$`), ends[name]);
    });
  }
  assert.equal(result.code, 0, result.stderr);
  // The interactive ones did what the events asked: paint drew a filled shape, nim's
  // stick turned the "taken" colour, colormixer's background followed the red slider.
  const opsOf = (name) => result.canvas.slice(from[name], from[names[names.indexOf(name) + 1]]);
  const painted = [...itemStates(opsOf("paint")).values()];
  assert.ok(painted.some((i) => i.kind === "polygon" && i.fill === "#ff0000" && i.outline === "" && i.coords.length >= 8),
    "paint's filled shape");
  assert.ok(opsOf("nim").some((op) => op.op === "config" && op.fill === "#ffcccc"), "nim's taken stick");
  assert.ok(opsOf("colormixer").some((op) => op.op === "canvas" && parseInt(op.bg.slice(1, 3), 16) > 0x90),
    "colormixer's redder background");
});
