// Typeset TeX into MathJax CommonHTML at build time, one request a line (tools/site_math.py).
//
//   node tools/typeset_math.js MATHJAX_DIR FONT_URL
//
// Each line of input is a request, answered by one line of JSON:
//   ["tex", display]  ->  {"html": "<mjx-container ...>"}  or  {"error": "message"}
//   "css"             ->  {"css": "...", "xHeight": 0.442, "exFactor": 0.5}
// The stylesheet covers every character typeset so far (all formulas share one MathJax
// document); FONT_URL is where it finds MathJax's fonts. xHeight is the x-height of
// MathJax's TeX font in em, and exFactor the x-height MathJax assumes, in em, for text it
// cannot measure: what it scaled the math by in a browser.
//
// MathJax is configured as the site's tex-chtml.js was in the browser (the same TeX
// packages, extensions such as boldsymbol autoloaded, assistive MathML for screen
// readers), except that a TeX error is an error: no red box (formatError throws, and
// noundefined, which would print an unknown macro in red, is left out).
const path = require('path');
const readline = require('readline');

const [mathjax, fontURL] = process.argv.slice(2);

// Without a browser's measurements MathJax gives a numbered row the style "height: NaNem",
// which a browser would refuse: leave it out, as the browser did.
function dropUnmeasuredHeights(adaptor, node) {
  if (adaptor.kind(node) === '#text') return;
  if (adaptor.getAttribute(node, 'style') === 'height: NaNem;') {
    adaptor.removeAttribute(node, 'style');
  }
  for (const child of adaptor.childNodes(node)) dropUnmeasuredHeights(adaptor, child);
}

require(path.join(path.resolve(mathjax), 'node-main.js')).init({
  loader: {load: ['input/tex', 'output/chtml', 'a11y/assistive-mml']},
  tex: {packages: {'[-]': ['noundefined']},
        formatError: (jax, error) => { throw error; }},
  chtml: {fontURL},
  startup: {typeset: false},
}).then(async MathJax => {
  const adaptor = MathJax.startup.adaptor, output = MathJax.startup.output;
  for await (const line of readline.createInterface({input: process.stdin})) {
    const request = JSON.parse(line);
    let reply;
    if (request === 'css') {
      reply = {css: adaptor.textContent(MathJax.chtmlStylesheet()),
               xHeight: output.font.params.x_height, exFactor: output.options.exFactor};
    } else {
      try {
        const node = await MathJax.tex2chtmlPromise(request[0], {display: request[1]});
        dropUnmeasuredHeights(adaptor, node);
        reply = {html: adaptor.outerHTML(node)};
      } catch (error) {
        reply = {error: String(error.message || error)};
      }
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  }
}).catch(error => {
  console.error(`MathJax failed to start: ${error.stack || error}`);
  process.exit(1);
});
