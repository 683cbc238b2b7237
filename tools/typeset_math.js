// Typeset TeX formulas into MathJax CommonHTML at build time (called by tools/site_math.py).
//
//   node tools/typeset_math.js MATHJAX_DIR < request.json > reply.json
//
// request: {"fontURL": "...", "formulas": [["tex", display], ...]}
// reply:   {"html": ["<mjx-container ...>", ...], "css": "...",
//           "errors": [[index, "message"], ...], "xHeight": 0.442, "exFactor": 0.5}
//
// xHeight is the x-height of MathJax's TeX font in em, and exFactor the x-height MathJax
// assumes, in em, for text it cannot measure: the sizes it scaled the math by in a browser.
//
// MathJax is configured as the site's tex-chtml.js was in the browser (the same TeX
// packages, extensions such as boldsymbol autoloaded, assistive MathML for screen
// readers), except that a TeX error is an error: no red box (formatError throws, and
// noundefined, which would print an unknown macro in red, is left out). All formulas
// share one MathJax document, so the stylesheet covers every character they use.
const fs = require('fs');
const path = require('path');

const mathjax = path.resolve(process.argv[2]);
const request = JSON.parse(fs.readFileSync(0, 'utf8'));

require(path.join(mathjax, 'node-main.js')).init({
  loader: {load: ['input/tex', 'output/chtml', 'a11y/assistive-mml']},
  tex: {packages: {'[-]': ['noundefined']},
        formatError: (jax, error) => { throw error; }},
  chtml: {fontURL: request.fontURL},
  startup: {typeset: false},
}).then(async MathJax => {
  const adaptor = MathJax.startup.adaptor;
  const reply = {html: [], errors: []};
  for (const [index, [tex, display]] of request.formulas.entries()) {
    try {
      const node = await MathJax.tex2chtmlPromise(tex, {display});
      // Without a browser's measurements MathJax sets the height of a numbered row to
      // NaN, a style that a browser would refuse: leave it out, as the browser did.
      reply.html.push(adaptor.outerHTML(node).replace(/ style="height: NaNem;"/g, ''));
    } catch (error) {
      reply.html.push(null);
      reply.errors.push([index, String(error.message || error)]);
    }
  }
  reply.css = adaptor.textContent(MathJax.chtmlStylesheet());
  reply.xHeight = MathJax.startup.output.font.params.x_height;
  reply.exFactor = MathJax.startup.output.options.exFactor;
  process.stdout.write(JSON.stringify(reply));
}).catch(error => {
  console.error(`MathJax failed to start: ${error.stack || error}`);
  process.exit(1);
});
