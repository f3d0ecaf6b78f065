import { serve } from "./serve.mjs";
import { launch, openRepl, paste, screenText, typeLine, waitForScreen } from "./browser.mjs";
import { pixelAt } from "./turtle.mjs";
const site = await serve({ root: "dist" });
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
page.on("pageerror", (e) => console.log("pageerror:", e.message));
page.on("console", (m) => { if (/turtle|error/i.test(m.text())) console.log("console:", m.text()); });
await openRepl(page, site.url);
await paste(page, ["import turtle", "turtle.setup(400, 300)", "turtle.hideturtle()", "turtle.penup()", "turtle.goto(-150, -40)", "turtle.color('blue')",
  "turtle.write('Héllo 東京', font=('Arial', 40, 'bold'))", "turtle.goto(0, 100)", "turtle.dot(40, 'green')", ""].join("\n"));
await page.waitForTimeout(3000);
console.log(await screenText(page));
console.log(await page.evaluate(() => { const c = document.querySelector("canvas.drawing-canvas"); return { ...c.dataset, w: c.width, h: c.height }; }));
for (const [x, y] of [[0, -100], [0, 100]]) console.log(x, y, await pixelAt(page, x, y));
await page.screenshot({ path: "/tmp/x/turtle2.png" });
await browser.close(); await site.close();
