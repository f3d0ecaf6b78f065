// Reading turtle graphics back from the page, for the tests and the bench: pixels of the
// drawing at Tk canvas points (each canvas element carries its view in data attributes),
// and where on the page a canvas point is, to click it.

/** A red square of side 100 from the origin, drawn as a student types it at >>>. */
export const TURTLE_SQUARE = [
  "import turtle",
  "turtle.setup(400, 400)",
  "t = turtle.Turtle()",
  "t.pencolor('red')",
  "t.pensize(5)",
  "for side in range(4):",
  "    t.forward(100)",
  "    t.left(90)",
  "",
  "",
].join("\n");

/** The colour ([r, g, b]) the drawing of canvas `cv` shows at Tk canvas point (x, y), or
 * null while there is no such canvas. */
export function pixelAt(page, x, y, cv = 1) {
  return page.evaluate(({ x, y, cv }) => {
    const canvas = document.querySelector(`canvas.drawing-canvas[data-cv="${cv}"]`);
    if (!canvas || !canvas.dataset.width) return null;
    const scale = canvas.width / Number(canvas.dataset.width);
    const px = Math.floor((x - Number(canvas.dataset.x0)) * scale);
    const py = Math.floor((y - Number(canvas.dataset.y0)) * scale);
    return [...canvas.getContext("2d").getImageData(px, py, 1, 1).data.slice(0, 3)];
  }, { x, y, cv });
}

/** How many of the drawing's device pixels in a box of Tk canvas coordinates are close to
 * `colour`. */
export function countPixels(page, box, colour, cv = 1) {
  return page.evaluate(({ box, colour, cv }) => {
    const canvas = document.querySelector(`canvas.drawing-canvas[data-cv="${cv}"]`);
    if (!canvas || !canvas.dataset.width) return 0;
    const scale = canvas.width / Number(canvas.dataset.width);
    const left = Math.floor((box.x - Number(canvas.dataset.x0)) * scale);
    const top = Math.floor((box.y - Number(canvas.dataset.y0)) * scale);
    const data = canvas.getContext("2d").getImageData(left, top, Math.ceil(box.width * scale), Math.ceil(box.height * scale)).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - colour[0]) < 60 && Math.abs(data[i + 1] - colour[1]) < 60 && Math.abs(data[i + 2] - colour[2]) < 60) count++;
    }
    return count;
  }, { box, colour, cv });
}

/** Where Tk canvas point (x, y) of canvas `cv` is on the page, in CSS pixels. */
export function canvasPoint(page, x, y, cv = 1) {
  return page.evaluate(({ x, y, cv }) => {
    const canvas = document.querySelector(`canvas.drawing-canvas[data-cv="${cv}"]`);
    const rect = canvas.getBoundingClientRect();
    return {
      x: rect.left + (x - Number(canvas.dataset.x0)) * rect.width / Number(canvas.dataset.width),
      y: rect.top + (y - Number(canvas.dataset.y0)) * rect.height / Number(canvas.dataset.height),
    };
  }, { x, y, cv });
}
